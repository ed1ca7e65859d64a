"""The vectorised rule interpreter: contact plans for many spells at once (generator and analytics).

Same rulebook and semantics as `domain.plan` (the scalar interpreter); a test checks that both agree on
thousands of random spells. Dates are NumPy `datetime64[D]` arrays, missing dates `NaT`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from akasse.domain.calendar import holidays_between
from akasse.domain.choices import HeldBy, Purpose, RequirementStatus
from akasse.domain.rulebook import Offset, Requirement, Rulebook

Dates = npt.NDArray[np.datetime64]
NAT = np.datetime64("NaT", "D")

#: Status codes in the `status` matrix index this tuple.
STATUSES: tuple[RequirementStatus, ...] = tuple(RequirementStatus)
_MET, _LATE, _DUE, _OVERDUE, _UPCOMING = (STATUSES.index(s) for s in RequirementStatus)


def add_months(days: Dates, months: int) -> Dates:
    """Vectorised `calendar.add_months`: keep the day of the month, clamped to the month's last day."""
    month_start = days.astype("datetime64[M]")
    day_of_month = (days - month_start.astype("datetime64[D]")).astype(np.int64)
    target = month_start + np.timedelta64(months, "M")
    month_length = (
        (target + np.timedelta64(1, "M")).astype("datetime64[D]") - target.astype("datetime64[D]")
    ).astype(np.int64)
    out: Dates = target.astype("datetime64[D]") + np.minimum(day_of_month, month_length - 1).astype(
        "timedelta64[D]"
    )
    return out


def apply_offset(offset: Offset, unemployed_from: Dates) -> Dates:
    days = unemployed_from.astype("datetime64[D]")
    for unit, amount in offset.steps:
        days = add_months(days, amount) if unit == "m" else days + np.timedelta64(amount, "D")
    return days


def last_working_day_on_or_before(days: Dates) -> Dates:
    """Vectorised deadline rule over Danish working days (NaT stays NaT)."""
    valid = ~np.isnat(days)
    out = np.full(days.shape, NAT)
    if valid.any():
        years = days[valid].astype("datetime64[Y]").astype(np.int64) + 1970
        calendar = np.busdaycalendar(holidays=holidays_between(int(years.min()) - 1, int(years.max()) + 1))
        out[valid] = np.busday_offset(days[valid], 0, roll="backward", busdaycal=calendar)
    return out


@dataclass(frozen=True)
class PlanMatrix:
    """Plans of n spells over a rulebook's R requirements: each matrix is (n, R)."""

    requirements: tuple[Requirement, ...]
    window_start: Dates
    deadline: Dates
    met_by: Dates
    status: npt.NDArray[np.int8]  # codes into STATUSES
    handover: Dates


def plan_matrix(
    rulebook: Rulebook,
    *,
    unemployed_from: Dates,
    as_of: Dates,
    notice_date: Dates | None = None,
    conversation_spell: npt.NDArray[np.int64] | None = None,
    conversation_date: Dates | None = None,
    conversation_purposes: dict[Purpose, npt.NDArray[np.bool_]] | None = None,
) -> PlanMatrix:
    """Plans as of `as_of` (array, per spell) for spells with the given dates.

    Conversations are a long table: `conversation_spell` (row index into the spell arrays), their date and,
    per purpose, whether they serve it (a purpose left out: none does). Rows are taken in date order, ties in
    the order given.
    """
    u = unemployed_from.astype("datetime64[D]")
    n, reqs = len(u), rulebook.requirements
    notice = np.full(n, NAT) if notice_date is None else notice_date.astype("datetime64[D]")
    start = np.empty((n, len(reqs)), dtype="datetime64[D]")
    deadline = np.empty_like(start)
    bounds: dict[str, Dates] = {}  # requirements share bounds (U, U+3m-1d, …): compute each once
    deadlines: dict[str, Dates] = {}
    days, spell_day = np.unique(u, return_inverse=True)  # and spells share their U: each day once
    for j, req in enumerate(reqs):
        if req.start.text not in bounds:
            bounds[req.start.text] = apply_offset(req.start, days)[spell_day]
        opens = bounds[req.start.text]
        if rulebook.notice_opens_akasse and req.held_by == HeldBy.AKASSE:
            earlier = (~np.isnat(notice)) & (notice < u) & (opens == u)
            opens = np.where(earlier, notice, opens)
        start[:, j] = opens
        if req.end.text not in deadlines:
            deadlines[req.end.text] = last_working_day_on_or_before(apply_offset(req.end, days))[spell_day]
        deadline[:, j] = deadlines[req.end.text]

    met = np.full((n, len(reqs)), NAT)
    if conversation_spell is not None and len(conversation_spell):
        assert conversation_date is not None and conversation_purposes is not None
        _assign(
            reqs,
            start,
            deadline,
            met,
            conversation_spell,
            conversation_date.astype("datetime64[D]"),
            conversation_purposes,
            as_of.astype("datetime64[D]"),
        )

    as_of_col = as_of.astype("datetime64[D]")[:, None]
    held = ~np.isnat(met)
    status = np.where(
        held,
        np.where(met <= deadline, _MET, _LATE),
        np.where(as_of_col < start, _UPCOMING, np.where(as_of_col <= deadline, _DUE, _OVERDUE)),
    ).astype(np.int8)
    return PlanMatrix(reqs, start, deadline, met, status, _handover(rulebook, days)[spell_day])


def _assign(
    reqs: tuple[Requirement, ...],
    start: Dates,
    deadline: Dates,
    met: Dates,
    spell: npt.NDArray[np.int64],
    date: Dates,
    purposes: dict[Purpose, npt.NDArray[np.bool_]],
    as_of: Dates,
) -> None:
    """Greedy assignment, one conversation rank at a time across all spells (fills `met`, a C-ordered
    (n, R) array, in place)."""
    kept = np.flatnonzero(date <= as_of[spell])
    days = date[kept].astype(np.int64)
    # By spell, then date, then the order given: a stable sort of one key (spell in the high 32 bits).
    key = (spell[kept] << 32) | (days - days.min() if len(days) else days)
    rows = kept[np.argsort(key, kind="stable")]
    spell_sorted = spell[rows]
    first = np.r_[True, spell_sorted[1:] != spell_sorted[:-1]]
    group_start = np.maximum.accumulate(np.where(first, np.arange(len(rows)), 0))
    rank = np.arange(len(rows)) - group_start
    per_rank = np.bincount(rank) if len(rank) else np.zeros(0, dtype=np.int64)
    by_rank = rows[np.argsort(rank, kind="stable")]  # the rows of rank 0, then of rank 1, … in order
    by_purpose = {p: np.flatnonzero([r.purpose == p for r in reqs]) for p in Purpose}
    never = np.iinfo(np.int64).max
    # Flat views, so that a conversation's cells are one index: spell × R + requirement; the cells' opening
    # days and order keys (earliest deadline first, then lowest index) are read only where needed.
    width = len(reqs)
    flat_met, flat_start, flat_deadline = met.reshape(-1), start.reshape(-1), deadline.reshape(-1)
    index = np.array([r.index for r in reqs], dtype=np.int64)
    for stop, count in zip(np.cumsum(per_rank), per_rank, strict=True):
        at = by_rank[stop - count : stop]
        s, d = spell[at], date[at]
        for purpose, c in by_purpose.items():
            if not len(c) or purpose not in purposes:  # a purpose left out is served by no conversation
                continue
            serves = purposes[purpose][at]
            if not serves.any():
                continue
            ss, dd = s[serves], d[serves]
            cells = ss[:, None] * width + c[None, :]  # only the cells needed, not whole rows
            # NaT opens never: a comparison with NaT is False.
            eligible = np.isnat(flat_met[cells]) & (flat_start[cells] <= dd[:, None])
            order_key = flat_deadline[cells].astype(np.int64) * 1000 + index[c][None, :]
            pick = np.where(eligible, order_key, never).argmin(axis=1)
            found = eligible[np.arange(len(ss)), pick]
            flat_met[cells[found, pick[found]]] = dd[found]


def _handover(rulebook: Rulebook, u: Dates) -> Dates:
    h = rulebook.handover
    if h is None:
        return np.full(u.shape, NAT)
    if h.kind == "after":
        assert h.at is not None
        return apply_offset(h.at, u)
    reached = u + np.timedelta64(h.days_to_exceed_hours(), "D")
    next_month = (reached.astype("datetime64[M]") + np.timedelta64(1, "M")).astype("datetime64[D]")
    out: Dates = (next_month - np.timedelta64(1, "D")).astype("datetime64[D]")  # the month's last day
    return out
