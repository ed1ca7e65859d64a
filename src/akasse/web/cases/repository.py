"""Read models for the screens: the worklist, the hand-over list, the job centre's list and the member page,
each built on the access policy's scoped querysets and with a number of queries independent of the data size.

Public interface:
    worklist(user, *, today, view=None, search="") -> QuerySet[Spell]   (open spells, next deadline first)
    worklist_rows(user, *, today, view=None, search="") -> QuerySet[Row]   (the same, shown columns as rows)
    spells_due_for_handover(user, *, as_of) -> QuerySet[Spell]
    jobcentre_spells(user) -> QuerySet[Spell]   (received by or invited to the user's job centre)
    member_overview(user, member, *, today) -> MemberOverview   (everything the member page shows)
    spell_overview(member, spell, *, today) -> MemberOverview   (the same when the latest spell is known)
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from akasse.domain.plan import ContactPlan
from akasse.web.cases import access
from akasse.web.cases.choices import BookingStatus
from akasse.web.cases.models import (
    Conversation,
    JobnetCv,
    JointBooking,
    Member,
    MinPlan,
    MinPlanVersion,
    Spell,
)
from akasse.web.cases.services import contact_plan_for

_CPR_SEARCH = re.compile(r"^\d{6}-?\d{4}$")


class WorklistView(models.TextChoices):
    OVERDUE = "overdue", _("Overskredne frister")
    DUE_THIS_WEEK = "due_this_week", _("Frist denne uge")
    NOTICE = "notice", _("I opsigelsesperioden")
    AWAITING_HANDOVER = "awaiting_handover", _("Klar til overdragelse")


def worklist(
    user: Any, *, today: dt.date, view: WorklistView | str | None = None, search: str = ""
) -> QuerySet[Spell]:
    """The user's open spells (members still in the a-kasse's contact process), next deadline first.

    `search` is a CPR number (exact, with or without dash) or part of a name; `view` narrows to one filter.
    """
    spells = access.spells_for(user).filter(exit_reason__isnull=True).select_related("member")
    if view == WorklistView.OVERDUE:
        spells = spells.filter(next_deadline__lt=today)
    elif view == WorklistView.DUE_THIS_WEEK:
        sunday = today + dt.timedelta(days=6 - today.weekday())
        spells = spells.filter(next_deadline__gte=today, next_deadline__lte=sunday)
    elif view == WorklistView.NOTICE:
        spells = spells.filter(Q(unemployed_from__isnull=True) | Q(unemployed_from__gt=today))
    elif view == WorklistView.AWAITING_HANDOVER:
        spells = spells.filter(handover_due_on__lte=today, referred_at__isnull=True)
    term = search.strip()
    if _CPR_SEARCH.match(term):
        spells = spells.filter(member__cpr=term.replace("-", ""))
    elif term:
        spells = spells.filter(member__name__icontains=term)
    # The order of the partial index spell_open_worklist (akasse, next_deadline, id): a page is a range scan.
    return spells.order_by(F("next_deadline").asc(nulls_last=True), "pk")


# What a worklist row shows and spell_status reads, fetched as named rows: building 51 spells and members
# as model instances cost about 3 ms of a page's CPU at 200,000 members.
_WORKLIST_ROW_COLUMNS = (
    "member_id",
    "next_deadline",
    "unemployed_from",
    "handover_due_on",
    "referred_at",
    "handed_over_at",
    "exit_reason",
    "member__name",
    "member__cpr",
)


def worklist_rows(
    user: Any, *, today: dt.date, view: WorklistView | str | None = None, search: str = ""
) -> QuerySet[Any]:
    """The worklist screen's rows: `worklist` as named rows of the columns a row shows (member__name as
    `member__name`)."""
    return worklist(user, today=today, view=view, search=search).values_list(
        *_WORKLIST_ROW_COLUMNS, named=True
    )


def spells_due_for_handover(user: Any, *, as_of: dt.date) -> QuerySet[Spell]:
    """Open spells whose hand-over date has come by `as_of` (the input to services.hand_over)."""
    return worklist(user, today=as_of, view=WorklistView.AWAITING_HANDOVER).order_by("handover_due_on", "pk")


def jobcentre_spells(user: Any) -> QuerySet[Spell]:
    """The job centre's list: spells referred or handed over to it, or with a joint conversation booked."""
    return (
        access.spells_for(user)
        .select_related("member", "member__akasse")
        .order_by(F("handed_over_on").desc(nulls_last=True), F("referred_on").desc(nulls_last=True), "pk")
    )


@dataclass(frozen=True)
class MemberOverview:
    """The member page: `spell` is the latest visible spell (None when none) and `plan` its contact plan."""

    member: Member
    spell: Spell | None
    plan: ContactPlan | None
    conversations: list[Conversation]
    bookings: list[JointBooking]
    cv: JobnetCv | None
    min_plan: MinPlan | None
    min_plan_history: list[MinPlanVersion]


def member_overview(user: Any, member: Member, *, today: dt.date) -> MemberOverview:
    """Everything the member page shows, in a fixed number of queries, limited to what the user may see."""
    # Filters by id, not by instance: the same SQL for less of the ORM's query building, which is most of a
    # member page query's CPU.
    spells = access.spells_for(user).filter(member_id=member.pk).select_related("jobcentre").order_by()
    return spell_overview(member, access.latest_spell(spells), today=today)


def spell_overview(member: Member, spell: Spell | None, *, today: dt.date) -> MemberOverview:
    """The member page for `spell`, the latest of `member`'s spells the user may see (member_overview and
    access.get_member_with_latest_spell_or_404 find it). The CV and Min Plan are read from `member` when it
    was fetched with them (access joins them), else one query each."""
    # A spell's conversations and bookings are sorted here, not by ORDER BY: Django hashes every selected
    # column to compile one, about 0.5 ms CPU a query.
    conversations = (
        sorted(Conversation.objects.filter(spell_id=spell.pk).order_by(), key=lambda c: (c.date, c.pk))
        if spell
        else []
    )
    bookings = (
        sorted(
            JointBooking.objects.filter(spell_id=spell.pk)
            .exclude(status=BookingStatus.CANCELLED)
            .select_related("jobcentre")
            .order_by(),
            key=lambda booking: booking.starts_at,
        )
        if spell
        else []
    )
    cv = getattr(member, "cv", None)
    min_plan = getattr(member, "min_plan", None)
    history = (
        list(MinPlanVersion.objects.filter(min_plan_id=min_plan.pk).select_related("recorded_by"))
        if min_plan
        else []
    )
    plan = contact_plan_for(spell, as_of=today, conversations=conversations) if spell else None
    return MemberOverview(member, spell, plan, conversations, bookings, cv, min_plan, history)
