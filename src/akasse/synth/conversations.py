"""Conversations drawn through a rulebook: each requirement held (or not), on time or late, in its window.

Windows and deadlines come from the vectorised interpreter (`domain.plan_vector.plan_matrix`), so the
drawn conversations follow the same rulebook that the web app and the analytics read. Compliance is
imperfect by design (parameters.toml, `[regime.*]`): some requirements are missed, some held after the
deadline, the CV conversation often serves other purposes too, and conversations after the spell's last
day (job, referral, hand-over) are never held.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from akasse.domain.choices import HeldBy, Mode, Purpose
from akasse.domain.plan_vector import Dates, plan_matrix
from akasse.rulebooks import load_rulebook
from akasse.synth.parameters import Regime
from akasse.synth.population import Ints

PURPOSES: tuple[Purpose, ...] = tuple(Purpose)
HOLDERS: tuple[HeldBy, ...] = tuple(HeldBy)
MODES: tuple[Mode, ...] = tuple(Mode)


@dataclass(frozen=True)
class Conversations:
    """One row per conversation, sorted by spell and date; `spell` indexes the caller's spell arrays."""

    spell: Ints
    date: Dates
    held_by: Ints  # index into HOLDERS
    purposes: npt.NDArray[np.bool_]  # (n, len(PURPOSES))
    mode: Ints  # index into MODES
    jobs_presented: Ints

    @classmethod
    def concat(cls, parts: list[Conversations], spell_maps: list[Ints]) -> Conversations:
        """Parts drawn for subsets of the spells, their `spell` mapped back, sorted by spell and date."""
        spell = np.concatenate([m[p.spell] for p, m in zip(parts, spell_maps, strict=True)])
        date = np.concatenate([p.date for p in parts])
        order = np.argsort(_day_key(spell, date), kind="stable")
        return cls(
            spell=spell[order],
            date=date[order],
            held_by=np.concatenate([p.held_by for p in parts])[order],
            purposes=np.concatenate([p.purposes for p in parts])[order],
            mode=np.concatenate([p.mode for p in parts])[order],
            jobs_presented=np.concatenate([p.jobs_presented for p in parts])[order],
        )


@dataclass(frozen=True)
class _Held:
    """The long table before grouping: one row per (spell, purpose) held on a date by a holder."""

    spell: Ints
    date: Dates
    held_by: Ints
    purpose: Ints

    def plus(self, other: _Held) -> _Held:
        return _Held(
            np.concatenate([self.spell, other.spell]),
            np.concatenate([self.date, other.date]),
            np.concatenate([self.held_by, other.held_by]),
            np.concatenate([self.purpose, other.purpose]),
        )

    def where(self, keep: npt.NDArray[np.bool_]) -> _Held:
        return _Held(self.spell[keep], self.date[keep], self.held_by[keep], self.purpose[keep])


def draw_contact_process(
    regime: Regime,
    *,
    unemployed_from: Dates,
    notice_date: Dates,
    first_day: Dates,
    last_day: Dates,
    rng: np.random.Generator,
) -> Conversations:
    """Conversations of spells with a first day of unemployment, held in [first_day, last_day]."""
    rulebook = load_rulebook(regime.rulebook)
    n = len(unemployed_from)
    plan = plan_matrix(
        rulebook, unemployed_from=unemployed_from, as_of=unemployed_from, notice_date=notice_date
    )
    reqs = rulebook.requirements
    purpose = np.array([PURPOSES.index(r.purpose) for r in reqs])
    holder = np.array([HOLDERS.index(r.held_by) for r in reqs])
    u = unemployed_from[:, None]

    # Same-purpose requirements with the same window split it in equal parts, in index order.
    share_lo, share_hi = np.zeros(len(reqs)), np.ones(len(reqs))
    for j, r in enumerate(reqs):
        twins = [k for k, o in enumerate(reqs) if (o.purpose, o.start, o.end) == (r.purpose, r.start, r.end)]
        share_lo[j], share_hi[j] = twins.index(j) / len(twins), (twins.index(j) + 1) / len(twins)
    lo = np.maximum(plan.window_start, u)  # in the notice period only by the notice conversation below
    span = np.maximum((plan.deadline - lo).astype(np.int64) + 1, 1)
    on_time = lo + np.floor(span * (share_lo + (share_hi - share_lo) * rng.random((n, len(reqs))))).astype(
        "timedelta64[D]"
    )
    late_by = rng.geometric(1.0 / regime.late_days_mean, (n, len(reqs))).astype("timedelta64[D]")
    is_late = rng.random((n, len(reqs))) < np.array([regime.late.get(r.purpose, 0.0) for r in reqs])
    date = np.where(is_late, plan.deadline + late_by, on_time)
    held = rng.random((n, len(reqs))) < np.array([regime.held.get(r.purpose, 0.0) for r in reqs])

    cv = int(np.flatnonzero(purpose == PURPOSES.index(Purpose.CV))[0])
    has_notice = ~np.isnat(notice_date) & (notice_date < unemployed_from)
    in_notice = has_notice & (rng.random(n) < regime.notice_conversation)
    notice_days = np.where(in_notice, (unemployed_from - notice_date).astype(np.int64), 1)
    date[in_notice, cv] = notice_date[in_notice] + np.floor(
        rng.random(in_notice.sum()) * notice_days[in_notice]
    ).astype("timedelta64[D]")
    held[in_notice, cv] = True
    for p, share in regime.combine_with_cv.items():
        j = int(np.flatnonzero(purpose == PURPOSES.index(p))[0])  # the first requirement of the purpose
        join = held[:, cv] & (rng.random(n) < share) & (date[:, cv] >= plan.window_start[:, j])
        date[join, j], held[join, j] = date[join, cv], True

    rows, cols = np.nonzero(held)
    long = _Held(rows, date[rows, cols], holder[cols], purpose[cols])
    extra = _extra_job_conversations(regime, unemployed_from, plan.window_start, plan.deadline, purpose, rng)
    long = long.plus(extra)
    keep = (long.date >= first_day[long.spell]) & (long.date <= last_day[long.spell])
    return group_conversations(regime, long.where(keep), rng)


def draw_notice_only(
    regime: Regime, *, notice_date: Dates, last_day: Dates, rng: np.random.Generator
) -> Conversations:
    """CV conversations held in the notice period of spells that never reach unemployment."""
    n = len(notice_date)
    held = rng.random(n) < regime.notice_conversation
    days = (last_day - notice_date).astype(np.int64) + 1
    date = notice_date + np.floor(rng.random(n) * days).astype("timedelta64[D]")
    spell = np.flatnonzero(held)
    long = _Held(
        spell,
        date[spell],
        np.full(len(spell), HOLDERS.index(HeldBy.AKASSE)),
        np.full(len(spell), PURPOSES.index(Purpose.CV)),
    )
    return group_conversations(regime, long, rng)


def _extra_job_conversations(
    regime: Regime, u: Dates, start: Dates, deadline: Dates, purpose: Ints, rng: np.random.Generator
) -> _Held:
    """Contact-process conversations beyond the rulebook's (job purpose, a-kasse), inside the job window."""
    j = int(np.flatnonzero(purpose == PURPOSES.index(Purpose.JOB))[0])
    count = rng.poisson(regime.extra_job_conversations, len(u))
    spell = np.repeat(np.arange(len(u)), count)
    lo = np.maximum(start[spell, j], u[spell])
    span = (deadline[spell, j] - lo).astype(np.int64) + 1
    date = lo + np.floor(rng.random(len(spell)) * span).astype("timedelta64[D]")
    return _Held(
        spell,
        date,
        np.full(len(spell), HOLDERS.index(HeldBy.AKASSE)),
        np.full(len(spell), PURPOSES.index(Purpose.JOB)),
    )


def group_conversations(regime: Regime, long: _Held, rng: np.random.Generator) -> Conversations:
    """Purposes held by the same holder on the same day form one conversation; then modes and postings."""
    key = _day_key(long.spell, long.date) * len(HOLDERS) + long.held_by
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
    new = np.r_[True, sorted_key[1:] != sorted_key[:-1]] if len(order) else np.zeros(0, bool)
    conversation = np.cumsum(new) - 1
    first_rows = order[new]
    n = len(first_rows)
    purposes = np.zeros((n, len(PURPOSES)), dtype=np.bool_)
    purposes[conversation, long.purpose[order]] = True
    spell = long.spell[first_rows]

    first_of_spell = np.r_[True, spell[1:] != spell[:-1]] if n else np.zeros(0, bool)
    later = np.array([regime.later_modes.get(m, 0.0) for m in MODES])
    mode = rng.choice(len(MODES), size=n, p=later / later.sum())
    first_mode = np.where(
        rng.random(n) < regime.first_in_person,
        MODES.index(Mode.IN_PERSON),
        np.where(rng.random(n) < 0.5, MODES.index(Mode.PHONE), MODES.index(Mode.VIDEO)),
    )
    mode = np.where(first_of_spell, first_mode, mode)

    job_talk = purposes[:, PURPOSES.index(Purpose.JOB)] | purposes[:, PURPOSES.index(Purpose.JOINT)]
    presents = job_talk & (rng.random(n) < regime.presented_share)
    jobs = np.where(presents, 1 + rng.poisson(max(regime.presented_mean - 1.0, 0.0), n), 0)
    return Conversations(spell, long.date[first_rows], long.held_by[first_rows], purposes, mode, jobs)


def _day_key(spell: Ints, date: Dates) -> Ints:
    """One sortable integer per (spell, day): days since 1970 fit in 16 bits until 2149."""
    out: Ints = spell.astype(np.int64) * 65_536 + date.astype(np.int64)
    return out
