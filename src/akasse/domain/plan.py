"""The scalar rule interpreter: one member's contact plan (requirements, deadlines, status) as of a date.

Semantics (docs/rules.md): each requirement has a window [start, end]; its deadline is the window end, or
the last working day before it. Conversations are taken in date order (ties in the order given); each of
their purposes goes to the unmet requirement of that purpose whose window has started, earliest deadline
first, then lowest index. A conversation meets at most one requirement per purpose.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from akasse.domain.calendar import last_working_day_on_or_before
from akasse.domain.choices import HeldBy, Mode, Purpose, RequirementStatus
from akasse.domain.rulebook import Requirement, Rulebook


@dataclass(frozen=True)
class Conversation:
    """A conversation held on `date` serving one or more purposes."""

    date: dt.date
    purposes: frozenset[Purpose]
    mode: Mode | None = None


@dataclass(frozen=True)
class Window:
    """A requirement's window for one member: opens `start`, must be held by `deadline` (a working day)."""

    requirement: Requirement
    start: dt.date
    end: dt.date
    deadline: dt.date


@dataclass(frozen=True)
class PlannedRequirement:
    purpose: Purpose
    held_by: HeldBy
    index: int
    window_start: dt.date
    deadline: dt.date
    status: RequirementStatus
    met_by: dt.date | None


@dataclass(frozen=True)
class ContactPlan:
    rulebook: str
    handover: dt.date | None
    requirements: tuple[PlannedRequirement, ...]
    first_in_person_missed: bool  # the rulebook asks the first conversation in person and it was not

    def next_deadline(self) -> dt.date | None:
        """The earliest deadline among requirements not yet held, or None when all are held."""
        open_ = [r.deadline for r in self.requirements if r.met_by is None]
        return min(open_) if open_ else None


def windows(rulebook: Rulebook, unemployed_from: dt.date, notice_date: dt.date | None = None) -> list[Window]:
    """Every requirement's window and deadline for a member unemployed from `unemployed_from`."""
    result = []
    for req in rulebook.requirements:
        start = req.start.apply(unemployed_from)
        if (
            rulebook.notice_opens_akasse
            and notice_date is not None
            and notice_date < unemployed_from
            and req.held_by == HeldBy.AKASSE
            and start == unemployed_from
        ):
            start = notice_date
        end = req.end.apply(unemployed_from)
        result.append(Window(req, start, end, last_working_day_on_or_before(end)))
    return result


def contact_plan(
    rulebook: Rulebook,
    *,
    unemployed_from: dt.date,
    as_of: dt.date,
    notice_date: dt.date | None = None,
    conversations: Iterable[Conversation] = (),
) -> ContactPlan:
    """The member's plan as of `as_of`; conversations dated after `as_of` are ignored."""
    plan_windows = windows(rulebook, unemployed_from, notice_date)
    held = sorted(
        (c for c in conversations if c.date <= as_of), key=lambda c: c.date
    )  # stable: ties keep order
    met_by: list[dt.date | None] = [None] * len(plan_windows)
    for conversation in held:
        for purpose in conversation.purposes:
            slot = _slot_for(plan_windows, met_by, purpose, conversation.date)
            if slot is not None:
                met_by[slot] = conversation.date
    planned = tuple(
        PlannedRequirement(
            purpose=w.requirement.purpose,
            held_by=w.requirement.held_by,
            index=w.requirement.index,
            window_start=w.start,
            deadline=w.deadline,
            status=requirement_status(w.start, w.deadline, met_by[i], as_of),
            met_by=met_by[i],
        )
        for i, w in enumerate(plan_windows)
    )
    first_missed = bool(
        rulebook.first_in_person and held and held[0].mode is not None and held[0].mode != Mode.IN_PERSON
    )
    return ContactPlan(rulebook.id, rulebook.handover_date(unemployed_from), planned, first_missed)


def _slot_for(
    plan_windows: Sequence[Window], met_by: Sequence[dt.date | None], purpose: Purpose, day: dt.date
) -> int | None:
    """The unmet, started requirement of `purpose` with the earliest deadline (then lowest index)."""
    candidates = [
        i
        for i, w in enumerate(plan_windows)
        if w.requirement.purpose == purpose and met_by[i] is None and w.start <= day
    ]
    if not candidates:
        return None
    return min(candidates, key=lambda i: (plan_windows[i].deadline, plan_windows[i].requirement.index))


def requirement_status(
    window_start: dt.date, deadline: dt.date, met_by: dt.date | None, as_of: dt.date
) -> RequirementStatus:
    """met / late when held (by / after the deadline); else upcoming, due or overdue as of `as_of`."""
    if met_by is not None:
        return RequirementStatus.MET if met_by <= deadline else RequirementStatus.LATE
    if as_of < window_start:
        return RequirementStatus.UPCOMING
    return RequirementStatus.DUE if as_of <= deadline else RequirementStatus.OVERDUE
