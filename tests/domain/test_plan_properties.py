"""Invariants of the rule interpreters (Hypothesis) and agreement of the scalar and vectorised ones.

The scalar interpreter (domain/plan.py) serves the web app and the CLI, the vectorised one
(domain/plan_vector.py) the generator and analytics; both must give the same plan for every spell.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from akasse.domain.calendar import is_working_day
from akasse.domain.choices import Purpose, RequirementStatus
from akasse.domain.plan import ContactPlan, Conversation, contact_plan, windows
from akasse.domain.plan_vector import STATUSES, plan_matrix
from akasse.rulebooks import available_rulebooks, load_rulebook

RULEBOOKS = available_rulebooks()
FIRST_U, LAST_U = dt.date(2019, 6, 1), dt.date(2025, 6, 30)

purposes = st.frozensets(st.sampled_from(list(Purpose)), min_size=1)


@st.composite
def spells(draw: st.DrawFn) -> dict:
    """A member: rulebook, U, optional N (before, on or after U), conversations around U, an as-of date."""
    u = draw(st.dates(FIRST_U, LAST_U))
    notice = draw(st.none() | st.integers(-120, 5).map(lambda d: u + dt.timedelta(days=d)))
    held = draw(
        st.lists(
            st.builds(Conversation, st.integers(-90, 540).map(lambda d: u + dt.timedelta(days=d)), purposes),
            max_size=9,
        )
    )
    as_of = u + dt.timedelta(days=draw(st.integers(-40, 560)))
    return {
        "rulebook": draw(st.sampled_from(RULEBOOKS)),
        "u": u,
        "notice": notice,
        "held": held,
        "as_of": as_of,
    }


def plan_of(spell: dict, held: list[Conversation] | None = None) -> ContactPlan:
    return contact_plan(
        load_rulebook(spell["rulebook"]),
        unemployed_from=spell["u"],
        as_of=spell["as_of"],
        notice_date=spell["notice"],
        conversations=spell["held"] if held is None else held,
    )


@settings(max_examples=300, deadline=None)
@given(spells())
def test_deadline_is_a_working_day_at_most_a_week_before_the_window_end(spell: dict) -> None:
    for w in windows(load_rulebook(spell["rulebook"]), spell["u"], spell["notice"]):
        assert w.deadline <= w.end
        assert is_working_day(w.deadline)
        assert (w.end - w.deadline).days < 7  # the longest run of non-working days (Easter) is 5 days
        assert all(
            not is_working_day(w.deadline + dt.timedelta(days=k))
            for k in range(1, (w.end - w.deadline).days + 1)
        )
        assert w.start <= w.end


@settings(max_examples=300, deadline=None)
@given(spells())
def test_status_is_consistent_with_the_dates(spell: dict) -> None:
    as_of = spell["as_of"]
    for r in plan_of(spell).requirements:
        if r.met_by is not None:
            assert r.window_start <= r.met_by <= as_of
            assert r.status == (RequirementStatus.MET if r.met_by <= r.deadline else RequirementStatus.LATE)
        elif as_of < r.window_start:
            assert r.status == RequirementStatus.UPCOMING
        elif as_of <= r.deadline:
            assert r.status == RequirementStatus.DUE
        else:
            assert r.status == RequirementStatus.OVERDUE


@settings(max_examples=300, deadline=None)
@given(spells())
def test_each_conversation_meets_at_most_one_requirement_per_purpose(spell: dict) -> None:
    # met_by holds the date only, so count per (date, purpose): the requirements met that day of a purpose
    # are at most the conversations held that day serving it (and each met_by is such a conversation).
    offered = Counter((c.date, p) for c in spell["held"] if c.date <= spell["as_of"] for p in c.purposes)
    used = Counter((r.met_by, r.purpose) for r in plan_of(spell).requirements if r.met_by is not None)
    for key, n in used.items():
        assert n <= offered[key], key


@settings(max_examples=300, deadline=None)
@given(spells(), st.integers(-90, 540), purposes)
def test_adding_a_conversation_never_unmeets_a_requirement(
    spell: dict, offset: int, extra: frozenset[Purpose]
) -> None:
    before = plan_of(spell)
    added = Conversation(spell["u"] + dt.timedelta(days=offset), extra)
    after = plan_of(spell, [*spell["held"], added])
    for old, new in zip(before.requirements, after.requirements, strict=True):
        if old.met_by is not None:
            assert new.met_by is not None, (old, new)
    assert sum(r.met_by is not None for r in after.requirements) >= sum(
        r.met_by is not None for r in before.requirements
    )


@settings(max_examples=200, deadline=None)
@given(spells(), st.integers(1, 400))
def test_a_later_as_of_never_unmeets_and_keeps_dates(spell: dict, days: int) -> None:
    # Moving as-of forward only adds conversations; windows, deadlines and the hand-over do not move.
    early = plan_of(spell)
    late = plan_of({**spell, "as_of": spell["as_of"] + dt.timedelta(days=days)})
    assert early.handover == late.handover
    for a, b in zip(early.requirements, late.requirements, strict=True):
        assert (a.window_start, a.deadline) == (b.window_start, b.deadline)
        assert a.met_by is None or b.met_by is not None


@settings(max_examples=200, deadline=None)
@given(spells())
def test_conversations_after_as_of_change_nothing(spell: dict) -> None:
    kept = [c for c in spell["held"] if c.date <= spell["as_of"]]
    assert plan_of(spell) == plan_of(spell, kept)


# --- the scalar and the vectorised interpreter agree ------------------------------------------------------


def vector_plans(rulebook_id: str, spells_: list[dict]) -> list[list[tuple]]:
    """Per spell: (window_start, deadline, met_by, status) per requirement (plan_matrix), then hand-over."""

    def days(values: list[dt.date | None]) -> np.ndarray:
        return np.array([np.datetime64(v, "D") if v else np.datetime64("NaT", "D") for v in values])

    rows = [(i, c) for i, s in enumerate(spells_) for c in s["held"]]
    matrix = plan_matrix(
        load_rulebook(rulebook_id),
        unemployed_from=days([s["u"] for s in spells_]),
        as_of=days([s["as_of"] for s in spells_]),
        notice_date=days([s["notice"] for s in spells_]),
        conversation_spell=np.array([i for i, _ in rows], dtype=np.int64),
        conversation_date=days([c.date for _, c in rows]),
        conversation_purposes={p: np.array([p in c.purposes for _, c in rows], dtype=bool) for p in Purpose},
    )

    def day(value: np.datetime64) -> dt.date | None:
        return None if np.isnat(value) else value.astype(dt.date)

    return [
        [
            (
                day(matrix.window_start[i, j]),
                day(matrix.deadline[i, j]),
                day(matrix.met_by[i, j]),
                STATUSES[matrix.status[i, j]],
            )
            for j in range(len(matrix.requirements))
        ]
        + [day(matrix.handover[i])]
        for i in range(len(spells_))
    ]


def scalar_plans(spells_: list[dict]) -> list[list[tuple]]:
    out = []
    for s in spells_:
        plan = plan_of(s)
        out.append(
            [(r.window_start, r.deadline, r.met_by, r.status) for r in plan.requirements] + [plan.handover]
        )
    return out


def random_spells(rulebook_id: str, n: int, seed: int) -> list[dict]:
    rng = np.random.default_rng(seed)
    all_purposes = list(Purpose)
    spells_ = []
    for _ in range(n):
        u = FIRST_U + dt.timedelta(days=int(rng.integers(0, (LAST_U - FIRST_U).days)))
        notice = u + dt.timedelta(days=int(rng.integers(-120, 6))) if rng.random() < 0.5 else None
        held = []
        for _ in range(int(rng.integers(0, 10))):
            chosen = frozenset(p for p in all_purposes if rng.random() < 0.35) or {
                all_purposes[rng.integers(4)]
            }
            # Half the dates cluster near window edges so that ties (same day, given order) are common.
            if rng.random() < 0.5:
                offset = int(rng.choice([0, 7, 14, 45, 90, 91, 200])) + int(rng.integers(-3, 4))
            else:
                offset = int(rng.integers(-90, 540))
            held.append(Conversation(u + dt.timedelta(days=offset), frozenset(chosen)))
        as_of = u + dt.timedelta(days=int(rng.integers(-40, 560)))
        spells_.append({"rulebook": rulebook_id, "u": u, "notice": notice, "held": held, "as_of": as_of})
    return spells_


@pytest.mark.parametrize("rulebook_id", RULEBOOKS)
def test_scalar_and_vectorised_agree_on_thousands_of_random_spells(rulebook_id: str) -> None:
    spells_ = random_spells(rulebook_id, 3000, seed=sum(map(ord, rulebook_id)))
    scalar, vector = scalar_plans(spells_), vector_plans(rulebook_id, spells_)
    mismatches = [i for i in range(len(spells_)) if scalar[i] != vector[i]]
    assert not mismatches, (spells_[mismatches[0]], scalar[mismatches[0]], vector[mismatches[0]])
    # The sample reaches every status and the hand-over, so agreement is not vacuous.
    statuses = {entry[3] for plan in scalar for entry in plan[:-1]}
    assert statuses == set(RequirementStatus)


@settings(max_examples=300, deadline=None)
@given(spells())
def test_scalar_and_vectorised_agree_on_one_spell(spell: dict) -> None:
    assert scalar_plans([spell]) == vector_plans(spell["rulebook"], [spell])


def test_vectorised_plans_without_a_conversation_table() -> None:
    # No conversation arrays at all: nothing met, statuses from the dates only (cv deadline 14 Apr 2023).
    matrix = plan_matrix(
        load_rulebook("trial-2020"),
        unemployed_from=np.array(["2023-03-31", "2023-03-31"], dtype="datetime64[D]"),
        as_of=np.array(["2023-04-15", "2023-03-30"], dtype="datetime64[D]"),
    )
    assert np.isnat(matrix.met_by).all()
    assert [STATUSES[c] for c in matrix.status[:, 0]] == [
        RequirementStatus.OVERDUE,
        RequirementStatus.UPCOMING,
    ]
    assert matrix.handover.tolist() == [dt.date(2023, 6, 30)] * 2


def test_vectorised_purpose_left_out_is_served_by_no_conversation() -> None:
    # One cv+joint conversation, but only the cv column is passed: joint stays unmet (due on 3 Apr 2023).
    matrix = plan_matrix(
        load_rulebook("trial-2020"),
        unemployed_from=np.array(["2023-03-31"], dtype="datetime64[D]"),
        as_of=np.array(["2023-04-03"], dtype="datetime64[D]"),
        conversation_spell=np.array([0]),
        conversation_date=np.array(["2023-04-03"], dtype="datetime64[D]"),
        conversation_purposes={Purpose.CV: np.array([True])},
    )
    by_purpose = {r.purpose: j for j, r in enumerate(matrix.requirements)}
    assert matrix.met_by[0, by_purpose[Purpose.CV]] == np.datetime64("2023-04-03")
    assert STATUSES[matrix.status[0, by_purpose[Purpose.JOINT]]] == RequirementStatus.DUE
