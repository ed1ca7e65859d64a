"""The weekly employment panel (52 weeks from the Monday of U's week) with the planted trial effect.

Without the trial a spell is on benefit until the week its unemployment ends, then employed (or, for a
share of spells, "other"). The planted effect (effects.toml) changes weeks 26–51 only, for spells of the
trial group in each a-kasse's effect cell (its trial municipalities, U in the effect period): a negative
effect sends a share of them back to benefit for 8–26 weeks, a positive one brings exits after week 26
forward to week 26. The share is chosen so that the cell's employment rate over the 52 weeks moves by
exactly the configured points, which is what the evaluation's difference-in-differences estimates
(cells of fewer than MIN_EXACT_CELL spells, at very small scales, carry as much of it as they can).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from akasse.domain.choices import WeeklyStatus
from akasse.domain.plan_vector import Dates
from akasse.synth.population import Ints

WEEKS = 52
EFFECT_FROM_WEEK = 26
RELAPSE_WEEKS = (8, 26)
#: Cells at least this large must carry their effect exactly; smaller ones carry what they can.
MIN_EXACT_CELL = 100
STATUSES: tuple[WeeklyStatus, ...] = tuple(WeeklyStatus)
EMPLOYED, BENEFIT, OTHER = (
    STATUSES.index(s) for s in (WeeklyStatus.EMPLOYED, WeeklyStatus.BENEFIT, WeeklyStatus.OTHER)
)


class EffectError(ValueError):
    """A planted effect the model cannot produce for a cell (the message names the a-kasse)."""


@dataclass(frozen=True)
class Panel:
    """Statuses (n, WEEKS) as codes into STATUSES, the Monday of week 0, and durations after the effect."""

    first_monday: Dates
    status: npt.NDArray[np.int8]
    duration_days: Ints


def monday_of(days: Dates) -> Dates:
    """The Monday on or before each day (1970-01-01 was a Thursday)."""
    out: Dates = days - ((days.astype(np.int64) + 3) % 7).astype("timedelta64[D]")
    return out


def base_panel(unemployed_from: Dates, duration_days: Ints, other: npt.NDArray[np.bool_]) -> Panel:
    """Benefit until the week unemployment ends, then employed (or other): the world without the trial."""
    first_monday = monday_of(unemployed_from)
    exit_week = ((unemployed_from + duration_days.astype("timedelta64[D]")) - first_monday).astype(
        np.int64
    ) // 7
    week = np.arange(WEEKS)[None, :]
    after = np.where(other, OTHER, EMPLOYED).astype(np.int8)[:, None]
    status = np.where(week < exit_week[:, None], np.int8(BENEFIT), after).astype(np.int8)
    return Panel(first_monday, status, duration_days)


def plant_effect(
    panel: Panel,
    unemployed_from: Dates,
    *,
    cell: npt.NDArray[np.bool_],
    treated: npt.NDArray[np.bool_],
    points: float,
    label: str,
    rng: np.random.Generator,
) -> Panel:
    """The panel with the cell's 52-week employment rate moved by `points` through its treated spells."""
    if points == 0 or not cell.any():
        return panel
    target = abs(points) / 100 * cell.sum() * WEEKS  # employed weeks to take away or add
    candidates = np.flatnonzero(treated & cell)
    candidates = candidates[rng.permutation(len(candidates))]
    status, duration = panel.status.copy(), panel.duration_days.copy()
    late = np.arange(WEEKS) >= EFFECT_FROM_WEEK
    rows = status[candidates]
    if points < 0:
        length = rng.integers(RELAPSE_WEEKS[0], RELAPSE_WEEKS[1] + 1, len(candidates))
        block = late[None, :] & (np.arange(WEEKS)[None, :] < EFFECT_FROM_WEEK + length[:, None])
        change = block & (rows == EMPLOYED)
        new_status = BENEFIT
    else:
        change = late[None, :] & (rows == BENEFIT)
        new_status = EMPLOYED
    gain = change.sum(axis=1)
    reached = np.searchsorted(np.cumsum(gain), target)
    if reached >= len(candidates):
        if cell.sum() >= MIN_EXACT_CELL:
            most = 100 * gain.sum() / (cell.sum() * WEEKS)
            raise EffectError(
                f"effect for {label}: {points:+.1f} points is beyond what the model can plant "
                f"(at most {most:.1f})"
            )
        reached = len(candidates) - 1  # a tiny cell (very small scales): the closest effect it can carry
    chosen = candidates[: reached + 1]
    status[chosen] = np.where(change[: reached + 1], np.int8(new_status), rows[: reached + 1])
    if points > 0:  # unemployment ends at the start of week 26 for the spells brought forward
        brought = chosen[change[: reached + 1].any(axis=1)]
        week_26 = panel.first_monday[brought] + np.timedelta64(7 * EFFECT_FROM_WEEK, "D")
        duration[brought] = (week_26 - unemployed_from[brought]).astype(np.int64)
    return Panel(panel.first_monday, status, duration)
