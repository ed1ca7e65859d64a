"""Hand-worked rule cases for the scalar interpreter (domain/plan.py) over the shipped rulebooks.

Every expected date was worked out by hand from a calendar; the comment on each case gives the reasoning.
Expectations read "window_start deadline status [met_by]" per requirement ("_" skips a field), keyed by
purpose and index (`job2` = the second job requirement of the rulebook). Easter 2021: 1, 2, 4, 5 Apr;
2022: 14, 15, 17, 18 Apr; 2023: 6, 7, 9, 10 Apr; 2024: 28, 29, 31 Mar, 1 Apr.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest

from akasse.domain.choices import Mode, Purpose
from akasse.domain.plan import ContactPlan, Conversation, contact_plan
from akasse.rulebooks import load_rulebook

D = dt.date.fromisoformat
KEEP = "unchecked"


@dataclass(frozen=True)
class Case:
    rulebook: str
    unemployed_from: str
    as_of: str
    expect: dict[str, str]
    notice: str | None = None
    held: tuple[str, ...] = ()  # "DATE:purpose,purpose", in the order given
    handover: str | None = KEEP  # ISO date, None (no hand-over) or KEEP (not checked)
    why: str = field(default="", compare=False)


def conversation(text: str, mode: Mode | None = None) -> Conversation:
    day, _, purposes = text.partition(":")
    return Conversation(D(day), frozenset(Purpose(p) for p in purposes.split(",")), mode)


def run(case: Case) -> ContactPlan:
    return contact_plan(
        load_rulebook(case.rulebook),
        unemployed_from=D(case.unemployed_from),
        as_of=D(case.as_of),
        notice_date=D(case.notice) if case.notice else None,
        conversations=[conversation(h) for h in case.held],
    )


CASES = {
    # ---- trial-2020: deadlines on Danish working days -------------------------------------------------
    "readme-example": Case(
        # U Fri 31 Mar 2023. cv: U+14d = Fri 14 Apr (working). Others: U+3m = 30 Jun (clamped from 31),
        # minus 1 day = Thu 29 Jun. One cv+job conversation meets cv1 and job1, never job2 too.
        "trial-2020",
        "2023-03-31",
        "2023-04-12",
        held=("2023-04-10:cv,job",),
        handover="2023-06-30",
        expect={
            "cv1": "2023-03-31 2023-04-14 met 2023-04-10",
            "job1": "2023-03-31 2023-06-29 met 2023-04-10",
            "job2": "2023-03-31 2023-06-29 due",
            "availability1": "2023-03-31 2023-06-29 due",
            "joint1": "2023-03-31 2023-06-29 due",
        },
    ),
    "easter-2021-cv": Case(
        # U Mon 22 Mar 2021: U+14d = Mon 5 Apr (2. påskedag); Sun 4, Sat 3, Fri 2 (langfredag),
        # Thu 1 (skærtorsdag) are not working days → Wed 31 Mar. U+3m-1d = Mon 21 Jun 2021.
        "trial-2020",
        "2021-03-22",
        "2021-03-22",
        handover="2021-06-22",
        expect={"cv1": "2021-03-22 2021-03-31 due", "availability1": "2021-03-22 2021-06-21 due"},
    ),
    "easter-2021-overdue-before-window-end": Case(
        # Same U: on Thu 1 Apr the deadline (31 Mar) has passed although the window ends 5 Apr.
        "trial-2020",
        "2021-03-22",
        "2021-04-01",
        expect={"cv1": "_ 2021-03-31 overdue"},
    ),
    "easter-2022-langfredag-due-on-deadline": Case(
        # U Fri 1 Apr 2022: U+14d = Fri 15 Apr (langfredag) → Thu 14 (skærtorsdag) → Wed 13 Apr.
        # As of the deadline itself the requirement is still due.
        "trial-2020",
        "2022-04-01",
        "2022-04-13",
        expect={"cv1": "2022-04-01 2022-04-13 due"},
    ),
    "easter-2023-skaertorsdag-late": Case(
        # U Thu 23 Mar 2023: U+14d = Thu 6 Apr (skærtorsdag) → Wed 5 Apr. Held on 6 Apr: one day late.
        "trial-2020",
        "2023-03-23",
        "2023-04-06",
        held=("2023-04-06:cv",),
        expect={"cv1": "2023-03-23 2023-04-05 late 2023-04-06"},
    ),
    "easter-2021-window-end-on-2-paaskedag": Case(
        # U Wed 6 Jan 2021: U+3m = Tue 6 Apr, -1d = Mon 5 Apr (2. påskedag) → back over Easter to Wed 31 Mar.
        # cv: U+14d = Wed 20 Jan. Hand-over U+3m = 6 Apr.
        "trial-2020",
        "2021-01-06",
        "2021-01-06",
        handover="2021-04-06",
        expect={
            "cv1": "_ 2021-01-20 due",
            "availability1": "_ 2021-03-31 due",
            "job2": "_ 2021-03-31 due",
            "joint1": "_ 2021-03-31 due",
        },
    ),
    "store-bededag-2023": Case(
        # U Fri 21 Apr 2023: U+14d = Fri 5 May 2023, Store Bededag (still a holiday in 2023) → Thu 4 May.
        # A conversation on Store Bededag itself is therefore late.
        "trial-2020",
        "2023-04-21",
        "2023-05-05",
        held=("2023-05-05:cv",),
        expect={"cv1": "2023-04-21 2023-05-04 late 2023-05-05"},
    ),
    "store-bededag-abolished-2024": Case(
        # permanent-2024, U Fri 12 Apr 2024: U+14d = Fri 26 Apr 2024, no longer a holiday → deadline itself.
        "permanent-2024",
        "2024-04-12",
        "2024-04-26",
        held=("2024-04-26:cv",),
        expect={"cv1": "2024-04-12 2024-04-26 met 2024-04-26"},
    ),
    "kristi-himmelfart-2021": Case(
        # U Thu 29 Apr 2021: U+14d = Thu 13 May (Kristi himmelfartsdag) → Wed 12 May; on 13 May overdue.
        "trial-2020",
        "2021-04-29",
        "2021-05-13",
        expect={"cv1": "2021-04-29 2021-05-12 overdue"},
    ),
    "pinse-2022": Case(
        # U Mon 23 May 2022: U+14d = Mon 6 Jun (2. pinsedag); Sun 5 (pinsedag), Sat 4 → Fri 3 Jun.
        "trial-2020",
        "2022-05-23",
        "2022-06-03",
        expect={"cv1": "2022-05-23 2022-06-03 due"},
    ),
    "christmas-2022": Case(
        # U Mon 12 Dec 2022: U+14d = Mon 26 Dec (2. juledag); 25 (juledag, Sun), 24 (Sat) → Fri 23 Dec.
        # U+3m = Sun 12 Mar 2023, -1d = Sat 11 Mar → Fri 10 Mar.
        "trial-2020",
        "2022-12-12",
        "2022-12-12",
        handover="2023-03-12",
        expect={"cv1": "_ 2022-12-23 due", "availability1": "_ 2023-03-10 due"},
    ),
    "new-year-2023": Case(
        # U Sun 18 Dec 2022: U+14d = Sun 1 Jan 2023 (nytårsdag) → Sat 31 Dec → Fri 30 Dec 2022
        # (nytårsaftensdag is not a public holiday). Held that day: met.
        "trial-2020",
        "2022-12-18",
        "2023-01-02",
        held=("2022-12-30:cv",),
        expect={"cv1": "2022-12-18 2022-12-30 met 2022-12-30"},
    ),
    "grundlovsdag-2024-is-a-working-day": Case(
        # permanent-2024, U Wed 22 May 2024: U+14d = Wed 5 Jun 2024 (grundlovsdag): a working day for the
        # rules (`holidays` lists it only as optional), so the deadline is 5 Jun itself.
        "permanent-2024",
        "2024-05-22",
        "2024-06-05",
        expect={"cv1": "2024-05-22 2024-06-05 due"},
    ),
    # ---- month-end clamping ---------------------------------------------------------------------------
    "clamp-30-nov-to-28-feb": Case(
        # U Tue 30 Nov 2021: U+3m = 28 Feb 2022 (clamped; hand-over), -1d = Sun 27 Feb → Fri 25 Feb.
        # cv: U+14d = Tue 14 Dec 2021.
        "trial-2020",
        "2021-11-30",
        "2021-12-01",
        handover="2022-02-28",
        expect={"cv1": "_ 2021-12-14 due", "job1": "_ 2022-02-25 due", "joint1": "_ 2022-02-25 due"},
    ),
    "clamp-leap-year": Case(
        # U Thu 30 Nov 2023: U+3m = Thu 29 Feb 2024 (leap year; hand-over), -1d = Wed 28 Feb.
        # cv: U+14d = Thu 14 Dec 2023.
        "trial-2020",
        "2023-11-30",
        "2023-12-01",
        handover="2024-02-29",
        expect={"cv1": "_ 2023-12-14 due", "availability1": "_ 2024-02-28 due"},
    ),
    "clamp-31-aug-normal-2020": Case(
        # normal-2020, U Tue 31 Aug 2021. cv U+14d = Tue 14 Sep. U+3m = 30 Nov (clamped), -1d = Mon 29 Nov.
        # U+6m = 28 Feb 2022 (clamped), -1d = Sun 27 Feb → Fri 25 Feb. U+16m = 31 Dec 2022, -1d = Fri 30 Dec.
        # joint #2 opens at U+3m = 30 Nov, joint #3 at U+6m = 28 Feb 2022. No hand-over in the normal effort.
        "normal-2020",
        "2021-08-31",
        "2021-08-31",
        handover=None,
        expect={
            "cv1": "2021-08-31 2021-09-14 due",
            "availability1": "2021-08-31 2022-02-25 due",
            "availability2": "2021-08-31 2022-02-25 due",
            "job1": "2021-08-31 2022-02-25 due",
            "job2": "2021-08-31 2022-02-25 due",
            "joint1": "2021-08-31 2021-11-29 due",
            "joint2": "2021-11-30 2022-02-25 upcoming",
            "joint3": "2022-02-28 2022-12-30 upcoming",
        },
    ),
    # ---- notice periods -------------------------------------------------------------------------------
    "trial-notice-opens-akasse-requirements": Case(
        # trial-2020, N 15 Feb < U 31 Mar 2023: cv, availability, job (held by the a-kasse alone) open at N;
        # the joint conversation (held with the job centre) still opens at U.
        "trial-2020",
        "2023-03-31",
        "2023-02-20",
        notice="2023-02-15",
        expect={
            "cv1": "2023-02-15 2023-04-14 due",
            "availability1": "2023-02-15 2023-06-29 due",
            "job1": "2023-02-15 _ due",
            "job2": "2023-02-15 _ due",
            "joint1": "2023-03-31 2023-06-29 upcoming",
        },
    ),
    "trial-notice-conversation-counts-for-akasse-not-joint": Case(
        # A cv+joint conversation on 1 Mar, in the notice period: meets cv (open since N) but not joint
        # (its window opens at U, so the conversation cannot serve it).
        "trial-2020",
        "2023-03-31",
        "2023-03-10",
        notice="2023-02-15",
        held=("2023-03-01:cv,joint",),
        expect={"cv1": "2023-02-15 2023-04-14 met 2023-03-01", "joint1": "2023-03-31 2023-06-29 upcoming"},
    ),
    "trial-before-notice-upcoming": Case(
        # As of the day before N nothing has opened.
        "trial-2020",
        "2023-03-31",
        "2023-02-14",
        notice="2023-02-15",
        expect={"cv1": "2023-02-15 _ upcoming", "joint1": "2023-03-31 _ upcoming"},
    ),
    "trial-notice-on-u-changes-nothing": Case(
        # N = U: requirements open at N only when N < U, so everything opens at U.
        "trial-2020",
        "2023-03-31",
        "2023-03-31",
        notice="2023-03-31",
        expect={"cv1": "2023-03-31 2023-04-14 due", "job1": "2023-03-31 2023-06-29 due"},
    ),
    "normal-2020-ignores-notice": Case(
        # normal-2020, N 15 Jul, U 31 Aug 2021: windows open at U; a cv conversation on 20 Aug (notice
        # period) serves nothing, so on 15 Sep (deadline 14 Sep + 1) cv is overdue.
        "normal-2020",
        "2021-08-31",
        "2021-09-15",
        notice="2021-07-15",
        held=("2021-08-20:cv",),
        expect={"cv1": "2021-08-31 2021-09-14 overdue"},
    ),
    "permanent-2024-ignores-notice": Case(
        # permanent-2024 has no notice rule (notice_opens_akasse = false): cv opens at U Tue 2 Jan 2024.
        "permanent-2024",
        "2024-01-02",
        "2024-01-02",
        notice="2023-12-01",
        expect={"cv1": "2024-01-02 2024-01-16 due"},
    ),
    # ---- assignment: combined purposes, order, earliest deadline first ----------------------------------
    "combined-purposes-one-of-each": Case(
        # A cv+availability+job conversation meets one requirement of each purpose; job2 stays open.
        "trial-2020",
        "2023-03-31",
        "2023-04-05",
        held=("2023-04-03:cv,availability,job",),
        expect={
            "cv1": "_ _ met 2023-04-03",
            "availability1": "_ _ met 2023-04-03",
            "job1": "_ _ met 2023-04-03",
            "job2": "_ _ due",
            "joint1": "_ _ due",
        },
    ),
    "same-purpose-twice-needs-two-conversations": Case(
        # Two job conversations given out of date order: taken in date order, so job1 ← 3 Apr, job2 ← 2 May
        # (equal deadlines: lowest index first).
        "trial-2020",
        "2023-03-31",
        "2023-05-10",
        held=("2023-05-02:job", "2023-04-03:job"),
        expect={"job1": "_ _ met 2023-04-03", "job2": "_ _ met 2023-05-02"},
    ),
    "all-met": Case(
        # Two combined conversations meet all five trial requirements on time (deadlines 14 Apr and 29 Jun).
        "trial-2020",
        "2023-03-31",
        "2023-07-01",
        held=("2023-04-03:cv,availability,job", "2023-05-02:job,joint"),
        expect={
            "cv1": "_ _ met 2023-04-03",
            "availability1": "_ _ met 2023-04-03",
            "job1": "_ _ met 2023-04-03",
            "job2": "_ _ met 2023-05-02",
            "joint1": "_ _ met 2023-05-02",
        },
    ),
    "normal-2020-edf-joint-goes-to-window-1-late": Case(
        # U 31 Aug 2021. A joint conversation on 15 Dec: joint1 (deadline 29 Nov, unmet) and joint2 (opened
        # 30 Nov) both qualify; earliest deadline first → joint1, late. joint2 stays due.
        "normal-2020",
        "2021-08-31",
        "2021-12-20",
        held=("2021-12-15:joint",),
        expect={
            "joint1": "_ 2021-11-29 late 2021-12-15",
            "joint2": "2021-11-30 2022-02-25 due",
            "joint3": "2022-02-28 _ upcoming",
        },
    ),
    "normal-2020-edf-second-window-late-before-third": Case(
        # joint1 met 1 Oct. On 1 Mar 2022 both joint2 (deadline 25 Feb) and joint3 (opened 28 Feb) qualify:
        # joint2 has the earlier deadline → late; joint3 is due.
        "normal-2020",
        "2021-08-31",
        "2022-03-01",
        held=("2021-10-01:joint", "2022-03-01:joint"),
        expect={
            "joint1": "_ _ met 2021-10-01",
            "joint2": "_ 2022-02-25 late 2022-03-01",
            "joint3": "2022-02-28 2022-12-30 due",
        },
    ),
    "normal-2020-joint-before-next-window-serves-nothing": Case(
        # joint1 met 10 Sep; a second joint conversation on 10 Oct finds no started, unmet joint requirement
        # (joint2 opens 30 Nov), so it serves nothing. On 1 Dec joint2 is due and unmet.
        "normal-2020",
        "2021-08-31",
        "2021-12-01",
        held=("2021-09-10:joint", "2021-10-10:joint"),
        expect={"joint1": "_ _ met 2021-09-10", "joint2": "2021-11-30 _ due", "joint3": "_ _ upcoming"},
    ),
    "normal-2020-two-availability-conversations": Case(
        # cv+availability on 1 Sep, availability+job on 1 Oct: availability1 ← 1 Sep, availability2 ← 1 Oct.
        "normal-2020",
        "2021-08-31",
        "2021-10-01",
        held=("2021-09-01:cv,availability", "2021-10-01:availability,job"),
        expect={
            "cv1": "_ _ met 2021-09-01",
            "availability1": "_ _ met 2021-09-01",
            "availability2": "_ _ met 2021-10-01",
            "job1": "_ _ met 2021-10-01",
            "job2": "_ _ due",
        },
    ),
    # ---- statuses and their boundary days -------------------------------------------------------------
    "upcoming-day-before-u": Case(
        "trial-2020",
        "2023-03-31",
        "2023-03-30",
        expect={"cv1": "_ _ upcoming", "joint1": "_ _ upcoming"},
    ),
    "due-on-window-start": Case(
        "trial-2020",
        "2023-03-31",
        "2023-03-31",
        expect={"cv1": "2023-03-31 2023-04-14 due"},
    ),
    "due-on-deadline": Case(
        # as_of == deadline (Fri 14 Apr 2023) is still due.
        "trial-2020",
        "2023-03-31",
        "2023-04-14",
        expect={"cv1": "_ 2023-04-14 due"},
    ),
    "overdue-day-after-deadline": Case(
        # deadline + 1 (Sat 15 Apr) is overdue.
        "trial-2020",
        "2023-03-31",
        "2023-04-15",
        expect={"cv1": "_ 2023-04-14 overdue", "job1": "_ _ due"},
    ),
    "met-on-deadline": Case(
        "trial-2020",
        "2023-03-31",
        "2023-04-14",
        held=("2023-04-14:cv",),
        expect={"cv1": "_ _ met 2023-04-14"},
    ),
    "late-after-deadline": Case(
        # Held Mon 17 Apr, after the 14 Apr deadline.
        "trial-2020",
        "2023-03-31",
        "2023-05-01",
        held=("2023-04-17:cv",),
        expect={"cv1": "_ _ late 2023-04-17"},
    ),
    "conversation-after-as-of-is-ignored": Case(
        # The 20 Apr conversation is after as-of 19 Apr: not counted, so cv is overdue.
        "trial-2020",
        "2023-03-31",
        "2023-04-19",
        held=("2023-04-20:cv",),
        expect={"cv1": "_ _ overdue"},
    ),
    "conversation-on-as-of-counts": Case(
        "trial-2020",
        "2023-03-31",
        "2023-04-20",
        held=("2023-04-20:cv",),
        expect={"cv1": "_ _ late 2023-04-20"},
    ),
    "conversation-before-u-without-notice-serves-nothing": Case(
        # No notice date: 20 Mar is before every window opens; cv is still due on 1 Apr.
        "trial-2020",
        "2023-03-31",
        "2023-04-01",
        held=("2023-03-20:cv",),
        expect={"cv1": "_ _ due"},
    ),
    "joint-late-job-overdue-after-3-months": Case(
        # Deadlines 29 Jun 2023. On 3 Jul a joint conversation is late; the unheld job ones are overdue.
        "trial-2020",
        "2023-03-31",
        "2023-07-03",
        held=("2023-07-03:joint",),
        expect={"joint1": "_ 2023-06-29 late 2023-07-03", "job1": "_ _ overdue", "job2": "_ _ overdue"},
    ),
    # ---- permanent-2024 (our reading, docs/rules.md) --------------------------------------------------
    "permanent-2024-windows": Case(
        # U Tue 2 Jan 2024. cv U+14d = Tue 16 Jan; strategy (job1, a-kasse) U+42d = Tue 13 Feb; status
        # (availability) U+83d = Mon 25 Mar; job centre's job2–4 open U+3m = 2 Apr, end U+6m-1d = Mon 1 Jul.
        # Hand-over: U+77d = 19 Mar (first day with > 410 hours at 37/7 a day) → month end 31 Mar.
        "permanent-2024",
        "2024-01-02",
        "2024-01-02",
        handover="2024-03-31",
        expect={
            "cv1": "2024-01-02 2024-01-16 due",
            "job1": "2024-01-02 2024-02-13 due",
            "availability1": "2024-01-02 2024-03-25 due",
            "job2": "2024-04-02 2024-07-01 upcoming",
            "job4": "2024-04-02 2024-07-01 upcoming",
        },
    ),
    "permanent-2024-status-deadline-over-easter": Case(
        # U Tue 9 Jan 2024: U+83d = Mon 1 Apr 2024 (2. påskedag); 31 Mar (Sun), 30 (Sat), 29 (langfredag),
        # 28 (skærtorsdag) → Wed 27 Mar.
        "permanent-2024",
        "2024-01-09",
        "2024-01-09",
        expect={"availability1": "_ 2024-03-27 due"},
    ),
    "permanent-2024-edf-across-holders": Case(
        # A job conversation on 10 Apr 2024 with the a-kasse's job1 (deadline 13 Feb) unmet: job1 has the
        # earliest deadline → late; the job centre's job2 (opened 2 Apr) stays due.
        "permanent-2024",
        "2024-01-02",
        "2024-04-10",
        held=("2024-04-10:job",),
        expect={"job1": "_ 2024-02-13 late 2024-04-10", "job2": "2024-04-02 _ due", "cv1": "_ _ overdue"},
    ),
    "permanent-2024-handover-month-end-reached": Case(
        # U 15 Mar 2024: U+77d = Fri 31 May (78 days × 37/7 = 412.3 h > 410 at that month end) → 31 May.
        "permanent-2024",
        "2024-03-15",
        "2024-03-15",
        handover="2024-05-31",
        expect={},
    ),
    "permanent-2024-handover-next-month": Case(
        # U 16 Mar 2024: at 31 May only 77 days × 37/7 = 407 h ≤ 410; U+77d = 1 Jun → month end 30 Jun.
        "permanent-2024",
        "2024-03-16",
        "2024-03-16",
        handover="2024-06-30",
        expect={},
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_hand_worked_case(case: Case) -> None:
    plan = run(case)
    by_key = {f"{r.purpose.value}{r.index}": r for r in plan.requirements}
    for key, expected in case.expect.items():
        start, deadline, status, *met = expected.split()
        r = by_key[key]
        got = [r.window_start.isoformat(), r.deadline.isoformat(), r.status.value]
        want = [start, deadline, status]
        assert [g if w != "_" else "_" for g, w in zip(got, want, strict=True)] == want, key
        if met != ["_"]:
            assert (r.met_by.isoformat() if r.met_by else None) == (met[0] if met else None), key
    if case.handover != KEEP:
        assert (plan.handover.isoformat() if plan.handover else None) == case.handover


def test_at_least_forty_hand_worked_cases() -> None:
    assert len(CASES) >= 40


@pytest.mark.parametrize(
    ("modes", "missed"),
    [
        # Two conversations on the same day: ties keep the order given, so the first one given is "first".
        ((Mode.PHONE, Mode.IN_PERSON), True),
        ((Mode.IN_PERSON, Mode.PHONE), False),
        ((Mode.VIDEO, Mode.VIDEO), True),
    ],
)
def test_first_conversation_in_person_uses_date_then_given_order(
    modes: tuple[Mode, Mode], missed: bool
) -> None:
    held = [conversation("2023-04-03:cv", modes[0]), conversation("2023-04-03:job", modes[1])]
    plan = contact_plan(
        load_rulebook("trial-2020"),
        unemployed_from=D("2023-03-31"),
        as_of=D("2023-04-03"),
        conversations=held,
    )
    assert plan.first_in_person_missed is missed


def test_first_in_person_follows_date_order_not_given_order() -> None:
    # The in-person conversation on 3 Apr is first by date although it is given second.
    held = [conversation("2023-04-05:job", Mode.PHONE), conversation("2023-04-03:cv", Mode.IN_PERSON)]
    plan = contact_plan(
        load_rulebook("trial-2020"),
        unemployed_from=D("2023-03-31"),
        as_of=D("2023-04-05"),
        conversations=held,
    )
    assert plan.first_in_person_missed is False


def test_next_deadline_is_the_earliest_unheld() -> None:
    # cv (14 Apr) met on 3 Apr: the next deadline is the 29 Jun of the others; with everything held, None.
    partly = run(Case("trial-2020", "2023-03-31", "2023-04-05", {}, held=("2023-04-03:cv",)))
    assert partly.next_deadline() == D("2023-06-29")
    done = run(CASES["all-met"])
    assert done.next_deadline() is None
