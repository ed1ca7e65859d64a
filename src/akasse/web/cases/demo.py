"""`akasse demo-data`: a synthetic slice of the trial in the case database, and one demo user per role.

Members of three a-kasser (3F, HK, BUPL-A), living mostly in their trial municipalities, with spells around a
demo date inside the trial period and some conversations already held. Members go in through the importer
(the same checks and coverage rules as a real import), so a second run changes nothing; CPR numbers are
synthetic but valid (akasse.domain.cpr). Passwords are random on every run and printed once.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from django.db import transaction

from akasse.domain.choices import Education, HeldBy, Mode, Purpose
from akasse.domain.cpr import parse_cpr
from akasse.domain.plan import Conversation as PlanConversation
from akasse.reference import municipalities, trial_config
from akasse.web.accounts.choices import OrganisationKind, Role
from akasse.web.accounts.models import Organisation, User
from akasse.web.cases import clock
from akasse.web.cases.bulk import insert_rows
from akasse.web.cases.choices import CaseEventKind
from akasse.web.cases.importers import ImportResult, MemberRow, import_rows
from akasse.web.cases.models import CaseEvent, Conversation, Spell
from akasse.web.cases.services import schedule_for

DEMO_AKASSER = ("3F", "HK", "BUPLA")
#: A day inside the trial period; run the web app with AKASSE_TODAY set to it.
DEMO_TODAY = dt.date(2021, 6, 15)
#: Job centres that get a demo user: the municipalities all three demo a-kasser run the trial in.
DEMO_JOBCENTRES = (101, 751)

_FIRST_F = (
    "Anne",
    "Mette",
    "Kirsten",
    "Hanne",
    "Louise",
    "Camilla",
    "Sofie",
    "Ida",
    "Maria",
    "Julie",
    "Emma",
    "Freja",
)
_FIRST_M = (
    "Peter",
    "Jens",
    "Lars",
    "Michael",
    "Henrik",
    "Søren",
    "Thomas",
    "Mads",
    "Rasmus",
    "Frederik",
    "Emil",
    "Ali",
)
_LAST = (
    "Jensen",
    "Nielsen",
    "Hansen",
    "Pedersen",
    "Andersen",
    "Christensen",
    "Larsen",
    "Sørensen",
    "Rasmussen",
    "Jørgensen",
    "Petersen",
    "Madsen",
    "Kristensen",
    "Olsen",
    "Thomsen",
    "Poulsen",
    "Johansen",
    "Møller",
    "Khan",
)


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    role: str
    organisation: str


def synthetic_cprs(rng: np.random.Generator, birth_dates: Sequence[dt.date], female: np.ndarray) -> list[str]:
    """Distinct valid CPR numbers for the birth dates: the 7th digit gives the century
    (0–3: 1900s, 4: 2000–36), the last digit's parity the sex (even = female)."""
    taken: set[str] = set()
    out = []
    for day, is_female in zip(birth_dates, female, strict=True):
        while True:
            century_digit = int(rng.integers(0, 4)) if day.year < 2000 else 4
            middle = int(rng.integers(0, 100))
            last = int(rng.integers(0, 5)) * 2 + (0 if is_female else 1)
            number = f"{day:%d%m%y}{century_digit}{middle:02d}{last}"
            if number not in taken:
                break
        taken.add(number)
        out.append(number)
    return out


def demo_rows(akasse: str, n: int, *, seed: int, today: dt.date = DEMO_TODAY) -> list[MemberRow]:
    """`n` synthetic members of `akasse`: 80 % in its trial municipalities, spells started up to
    5 months before `today`, some still in the notice period."""
    rng = np.random.default_rng(seed)
    trial_area = sorted(trial_config().municipalities_by_akasse[akasse])
    everywhere = sorted(municipalities())
    living = np.where(rng.random(n) < 0.8, rng.choice(trial_area, n), rng.choice(everywhere, n))
    female = rng.random(n) < 0.5
    ages = rng.integers(20 * 365, 64 * 365, n)
    births = [today - dt.timedelta(days=int(a)) for a in ages]
    cprs = synthetic_cprs(rng, births, female)
    first = np.where(female, rng.choice(_FIRST_F, n), rng.choice(_FIRST_M, n))
    last = rng.choice(_LAST, n)
    education = rng.choice([e.value for e in Education], n, p=[0.2, 0.45, 0.35])
    unemployed = rng.integers(-150, 30, n)  # days from today; positive = still in the notice period
    with_notice = (rng.random(n) < 0.35) | (unemployed > 0)
    notice_gap = rng.integers(14, 90, n)
    score = np.round(rng.beta(2, 5, n), 2)
    complex_ = rng.random(n) < 0.03
    rows = []
    for i in range(n):
        cpr = parse_cpr(cprs[i])
        u = today + dt.timedelta(days=int(unemployed[i]))
        rows.append(
            MemberRow(
                line=i + 2,
                cpr=cpr.number,
                name=f"{first[i]} {last[i]}",
                birth_date=cpr.birth_date,
                sex=cpr.sex.value,
                education=str(education[i]),
                municipality=int(living[i]),
                notice_date=u - dt.timedelta(days=int(notice_gap[i])) if with_notice[i] else None,
                unemployed_from=u,
                profiling_score=float(score[i]),
                complex_challenges=bool(complex_[i]),
            )
        )
    return rows


def load_demo_data(
    *, members_per_akasse: int = 1000, seed: int = 2020, today: dt.date = DEMO_TODAY
) -> tuple[dict[str, ImportResult], list[DemoUser]]:
    """Import the demo members, (re)create the demo users, add conversations for this run's new members."""
    results = {}
    with transaction.atomic():
        for offset, code in enumerate(DEMO_AKASSER):
            organisation = Organisation.objects.get(kind=OrganisationKind.AKASSE, code=code)
            rows = demo_rows(code, members_per_akasse, seed=seed + offset, today=today)
            results[code] = import_rows(rows, organisation=organisation, source=f"demo-data {code}")
        users = _demo_users()
        new_members = [pk for result in results.values() for pk in result.new_member_ids]
        _add_conversations(np.random.default_rng(seed), today, new_members)
    return results, users


def _add_conversations(rng: np.random.Generator, today: dt.date, member_ids: list[object]) -> None:
    """Conversations held by `today` for the new members, recorded by the a-kasse's demo caseworker: the CV
    conversation (with availability) mostly on time and in person, then two job conversations. Written with
    the importer's bulk insert; next deadlines are set with one UPDATE per distinct date."""
    caseworkers = dict(
        User.objects.filter(
            role=Role.AKASSE_CASEWORKER,
            username__endswith="-sagsbehandler",
            organisation__code__in=DEMO_AKASSER,
        ).values_list("organisation__code", "pk")
    )
    spells = [
        row
        for start in range(0, len(member_ids), 5000)
        for row in Spell.objects.filter(
            member_id__in=member_ids[start : start + 5000], unemployed_from__lte=today
        )
        .order_by("pk")
        .values_list("pk", "member_id", "member__akasse__code", "rulebook", "unemployed_from", "notice_date")
    ]
    now = clock.now()
    modes = [m.value for m in Mode]
    conversations: list[tuple[object, ...]] = []
    events: list[tuple[object, ...]] = []
    deadlines: dict[dt.date | None, list[int]] = {}
    for spell_id, member_id, akasse, rulebook, unemployed_from, notice_date in spells:
        author = caseworkers[akasse]
        days = (today - unemployed_from).days
        held: list[PlanConversation] = []
        timeline = [
            (int(rng.integers(0, 20)), (Purpose.CV, Purpose.AVAILABILITY)),
            (int(rng.integers(25, 60)), (Purpose.JOB,)),
            (int(rng.integers(60, 88)), (Purpose.JOB,)),
        ]
        for offset, purposes in timeline:
            if offset > days or rng.random() >= 0.9:
                continue
            day = unemployed_from + dt.timedelta(days=offset)
            mode = Mode.IN_PERSON if not held else Mode(str(rng.choice(modes)))
            values = [p.value for p in purposes]
            held.append(PlanConversation(day, frozenset(purposes), mode))
            conversations.append(
                (
                    spell_id,
                    day,
                    mode.value,
                    values,
                    HeldBy.AKASSE.value,
                    False,
                    int(rng.integers(0, 4)),
                    "",
                    1,
                    author,
                    author,
                    now,
                    now,
                )
            )
            events.append(
                (
                    member_id,
                    spell_id,
                    CaseEventKind.CONVERSATION_RECORDED.value,
                    author,
                    now,
                    {"date": day.isoformat(), "purposes": values},
                )
            )
        deadline, _ = schedule_for(rulebook, unemployed_from, notice_date, tuple(held))
        deadlines.setdefault(deadline, []).append(spell_id)
    insert_rows(
        Conversation,
        (
            "spell_id",
            "date",
            "mode",
            "purposes",
            "held_by",
            "jobcentre_present",
            "jobs_presented",
            "note",
            "version",
            "recorded_by_id",
            "updated_by_id",
            "created_at",
            "updated_at",
        ),
        conversations,
    )
    insert_rows(CaseEvent, ("member_id", "spell_id", "kind", "actor_id", "occurred_at", "data"), events)
    for deadline, ids in deadlines.items():
        for start in range(0, len(ids), 5000):
            Spell.objects.filter(pk__in=ids[start : start + 5000]).update(next_deadline=deadline)


def _demo_users() -> list[DemoUser]:
    """One user per role (a caseworker and a manager per a-kasse), each with a fresh random password."""
    wanted: list[tuple[str, Role, Organisation | None]] = []
    for code in DEMO_AKASSER:
        organisation = Organisation.objects.get(kind=OrganisationKind.AKASSE, code=code)
        wanted += [
            (f"{code.lower()}-sagsbehandler", Role.AKASSE_CASEWORKER, organisation),
            (f"{code.lower()}-leder", Role.AKASSE_MANAGER, organisation),
        ]
    for municipality in DEMO_JOBCENTRES:
        wanted.append(
            (f"jobcenter-{municipality}", Role.JOBCENTRE_CASEWORKER, Organisation.jobcentre_for(municipality))
        )
    wanted.append(
        ("star-analytiker", Role.STAR_ANALYST, Organisation.objects.get(kind=OrganisationKind.STAR))
    )
    wanted.append(("admin", Role.ADMIN, None))
    users = []
    for username, role, organisation in wanted:
        password = secrets.token_urlsafe(12)
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={
                "role": role,
                "organisation": organisation,
                "is_active": True,
                "is_staff": role == Role.ADMIN,
                "is_superuser": role == Role.ADMIN,
            },
        )
        user.set_password(password)
        user.save(update_fields=["password"])
        users.append(
            DemoUser(username, password, str(role.label), organisation.name if organisation else "-")
        )
    return users
