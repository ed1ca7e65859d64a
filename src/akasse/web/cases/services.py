"""Every change to a case goes through one function here (Zulip's actions): keyword-only, inside
transaction.atomic(), checked against the access policy, and writing a CaseEvent and an AuditEntry in the
same transaction. Plans and deadlines come from the rule interpreter (akasse.domain.plan.contact_plan).

Public interface (views parse input, call one of these, render the result):
    contact_plan_for(spell, *, as_of, conversations=None) -> ContactPlan | None
    record_conversation(*, actor, spell, date, mode, purposes, jobcentre_present=False, jobs_presented=0,
                        note="", now=None) -> RecordedConversation
    update_conversation(*, actor, conversation, expected_version, date, mode, purposes, jobcentre_present,
                        jobs_presented, note, now=None) -> RecordedConversation   (StaleVersion when stale)
    book_joint_conversation(*, actor, spell, starts_at, now=None) -> JointBooking
    cancel_joint_booking(*, actor, booking, now=None) -> JointBooking
    suggested_referral(spell) -> ReferralReason | None
    refer_to_job_centre(*, actor, spell, reason, note="", override_reason="", on=None, now=None) -> Spell
    hand_over(*, actor, spells, on=None, now=None) -> list[HandoverPackage]
    end_spell(*, actor, spell, reason, on, now=None) -> Spell   (job, moved, switched a-kasse)
    update_cv_status(*, actor, member, present, approved, searchable, updated_on, now=None) -> JobnetCv
    update_min_plan(*, actor, member, job_goal_1, job_goal_2, search_plan, now=None) -> MinPlan
    update_joblog_norm(*, actor, spell, norm, now=None) -> Spell
    view_member(*, actor, member_id, reason="", now=None) -> (Member, latest visible Spell | None)
        (writes the read audit entry)
Errors: ServiceError (bad input; `.field` names the form field), StaleVersion (optimistic locking), and the
access policy's Http404 / PermissionDenied.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.db import transaction
from django.http import Http404

from akasse.domain.choices import ExitReason, HeldBy, Mode, Purpose, ReferralReason, RequirementStatus
from akasse.domain.coverage import ReferralRules
from akasse.domain.plan import ContactPlan, PlannedRequirement, contact_plan
from akasse.domain.plan import Conversation as PlanConversation
from akasse.rulebooks import load_rulebook
from akasse.web.accounts.choices import OrganisationKind
from akasse.web.accounts.models import Organisation
from akasse.web.cases import access, clock
from akasse.web.cases.access import Action
from akasse.web.cases.choices import AuditAction, BookingStatus, CaseEventKind
from akasse.web.cases.models import (
    AuditEntry,
    CaseEvent,
    Conversation,
    JobnetCv,
    JointBooking,
    Member,
    MinPlan,
    MinPlanVersion,
    Spell,
)

#: The referral rules the caseworker's choice is compared with (DOMAIN.md §1 [A]; thresholds configurable).
REFERRAL_RULES = ReferralRules()


class ServiceError(ValueError):
    """Input a service refuses; `field` names the form field it concerns (None: the whole form)."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.field = field


class StaleVersion(ServiceError):
    """An edit based on an old version: nothing was saved; `current` is the stored conversation."""

    def __init__(self, *, current: Conversation, submitted_version: int):
        super().__init__(
            f"Samtalen er ændret af en anden (version {current.version}) siden du hentede den (version "
            f"{submitted_version}). Intet er gemt. / The conversation was changed by someone else (version "
            f"{current.version}) since you loaded version {submitted_version}. Nothing was saved."
        )
        self.current = current
        self.submitted_version = submitted_version
        self.current_version = current.version


@dataclass(frozen=True)
class PlanChange:
    """The plan after a change, and what the change did: requirements newly met, and those held late."""

    plan: ContactPlan | None
    newly_met: tuple[PlannedRequirement, ...]
    held_late: tuple[PlannedRequirement, ...]


@dataclass(frozen=True)
class RecordedConversation:
    conversation: Conversation
    change: PlanChange


@dataclass(frozen=True)
class HandoverPackage:
    """What the job centre receives for a member: the plan's status, Jobnet CV and Min Plan (None = none)."""

    spell: Spell
    plan: ContactPlan | None
    cv: JobnetCv | None
    min_plan: MinPlan | None


# --- reading the rules ---------------------------------------------------------------------------------


def contact_plan_for(
    spell: Spell, *, as_of: dt.date, conversations: Iterable[Conversation] | None = None
) -> ContactPlan | None:
    """The spell's contact plan as of `as_of` from its rulebook; None while there is no first day of
    unemployment (the plan is anchored there). Pass `conversations` to avoid a query."""
    if spell.unemployed_from is None:
        return None
    held = spell.conversations.all() if conversations is None else conversations
    return contact_plan(
        load_rulebook(spell.rulebook),
        unemployed_from=spell.unemployed_from,
        notice_date=spell.notice_date,
        as_of=as_of,
        conversations=[c.as_plan_conversation() for c in held],
    )


def schedule(
    spell: Spell, conversations: Iterable[Conversation] = ()
) -> tuple[dt.date | None, dt.date | None]:
    """(next deadline of a requirement the a-kasse takes part in, hand-over date) for the worklist columns."""
    held = tuple(c.as_plan_conversation() for c in conversations)
    return schedule_for(spell.rulebook, spell.unemployed_from, spell.notice_date, held)


@lru_cache(maxsize=65536)
def schedule_for(
    rulebook: str,
    unemployed_from: dt.date | None,
    notice_date: dt.date | None,
    held: tuple[PlanConversation, ...] = (),
) -> tuple[dt.date | None, dt.date | None]:
    """`schedule` from the plain facts; cached, since an import repeats the same few hundred start dates."""
    if unemployed_from is None:
        return None, None
    plan = contact_plan(
        load_rulebook(rulebook),
        unemployed_from=unemployed_from,
        notice_date=notice_date,
        as_of=dt.date.max,
        conversations=held,
    )
    open_deadlines = [
        r.deadline for r in plan.requirements if r.met_by is None and r.held_by != HeldBy.JOBCENTRE
    ]
    return (min(open_deadlines) if open_deadlines else None), plan.handover


def suggested_referral(spell: Spell) -> ReferralReason | None:
    """The referral the rules suggest for the spell's member at visitation, or None (stays in the trial)."""
    return REFERRAL_RULES.suggest(
        birth_date=spell.member.birth_date,
        unemployed_from=spell.unemployed_from or spell.started_on,
        education=spell.member.education,
        profiling_score=spell.profiling_score,
        complex_challenges=spell.complex_challenges,
    )


# --- conversations ---------------------------------------------------------------------------------------


def record_conversation(
    *,
    actor: Any,
    spell: Spell,
    date: dt.date,
    mode: Mode | str,
    purposes: Sequence[Purpose | str],
    jobcentre_present: bool = False,
    jobs_presented: int = 0,
    note: str = "",
    now: dt.datetime | None = None,
) -> RecordedConversation:
    """Record a conversation held; the plan is recomputed and the change says what became met or was late."""
    now = now or clock.now()
    with transaction.atomic():
        spell = _lock_spell(actor, Action.RECORD_CONVERSATION, spell)
        fields = _conversation_fields(
            actor,
            spell,
            date=date,
            mode=mode,
            purposes=purposes,
            jobcentre_present=jobcentre_present,
            jobs_presented=jobs_presented,
        )
        before = list(spell.conversations.all())
        conversation = Conversation.objects.create(
            spell=spell, note=note, recorded_by=actor, updated_by=actor, **fields
        )
        if Purpose.JOINT.value in fields["purposes"]:
            _mark_booking_held(spell, now)
        change = _plan_change(spell, before, [*before, conversation])
        _log(
            actor,
            spell.member,
            spell,
            CaseEventKind.CONVERSATION_RECORDED,
            now,
            {
                "conversation": conversation.pk,
                "date": date.isoformat(),
                "purposes": fields["purposes"],
            },
        )
    return RecordedConversation(conversation, change)


def update_conversation(
    *,
    actor: Any,
    conversation: Conversation,
    expected_version: int,
    date: dt.date,
    mode: Mode | str,
    purposes: Sequence[Purpose | str],
    jobcentre_present: bool,
    jobs_presented: int,
    note: str,
    now: dt.datetime | None = None,
) -> RecordedConversation:
    """Edit a conversation unless it changed since `expected_version` was read (else StaleVersion)."""
    now = now or clock.now()
    with transaction.atomic():
        spell = _lock_spell(actor, Action.RECORD_CONVERSATION, conversation.spell)
        current = Conversation.objects.select_for_update().get(pk=conversation.pk)
        if current.version != expected_version:
            raise StaleVersion(current=current, submitted_version=expected_version)
        fields = _conversation_fields(
            actor,
            spell,
            date=date,
            mode=mode,
            purposes=purposes,
            jobcentre_present=jobcentre_present,
            jobs_presented=jobs_presented,
        )
        before = list(spell.conversations.all())
        for name, value in fields.items():
            setattr(current, name, value)
        current.note, current.updated_by, current.version = note, actor, current.version + 1
        current.save()
        after = [current if c.pk == current.pk else c for c in before]
        change = _plan_change(spell, before, after)
        _log(
            actor,
            spell.member,
            spell,
            CaseEventKind.CONVERSATION_UPDATED,
            now,
            {
                "conversation": current.pk,
                "version": current.version,
                "date": date.isoformat(),
                "purposes": fields["purposes"],
            },
        )
    return RecordedConversation(current, change)


def book_joint_conversation(
    *, actor: Any, spell: Spell, starts_at: dt.datetime, now: dt.datetime | None = None
) -> JointBooking:
    """Book a joint conversation with the job centre of the member's municipality, which then sees them."""
    now = now or clock.now()
    with transaction.atomic():
        spell = _lock_spell(actor, Action.BOOK_JOINT, spell)
        _require_open(spell)
        if starts_at.tzinfo is None:
            raise ServiceError("Tidspunktet mangler tidszone / the time has no time zone", field="starts_at")
        if starts_at.date() < clock.today():
            raise ServiceError(
                "En fællessamtale kan ikke bookes i fortiden / cannot book in the past", field="starts_at"
            )
        jobcentre = Organisation.jobcentre_for(spell.member.municipality)
        booking = JointBooking.objects.create(
            spell=spell, jobcentre=jobcentre, starts_at=starts_at, booked_by=actor
        )
        _log(
            actor,
            spell.member,
            spell,
            CaseEventKind.JOINT_BOOKED,
            now,
            {
                "booking": booking.pk,
                "jobcentre": jobcentre.code,
                "starts_at": starts_at.isoformat(),
            },
        )
    return booking


def cancel_joint_booking(
    *, actor: Any, booking: JointBooking, now: dt.datetime | None = None
) -> JointBooking:
    """Cancel a booked joint conversation; the job centre no longer sees the member through it."""
    now = now or clock.now()
    with transaction.atomic():
        spell = _lock_spell(actor, Action.BOOK_JOINT, booking.spell)
        current = JointBooking.objects.select_for_update().get(pk=booking.pk, spell=spell)
        if current.status != BookingStatus.BOOKED:
            raise ServiceError("Kun en booket samtale kan aflyses / only a booked conversation", field=None)
        current.status, current.cancelled_at = BookingStatus.CANCELLED, now
        current.save(update_fields=["status", "cancelled_at"])
        _log(actor, spell.member, spell, CaseEventKind.JOINT_CANCELLED, now, {"booking": current.pk})
    return current


# --- visitation out and hand-over ------------------------------------------------------------------------


def refer_to_job_centre(
    *,
    actor: Any,
    spell: Spell,
    reason: ReferralReason | str,
    note: str = "",
    override_reason: str = "",
    on: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Spell:
    """Refer the member to the job centre; a reason other than the rules' suggestion needs an override."""
    now, on = now or clock.now(), on or clock.today()
    with transaction.atomic():
        spell = _lock_spell(actor, Action.REFER, spell)
        _require_open(spell)
        chosen = _parse(ReferralReason, reason, "reason")
        suggestion = suggested_referral(spell)
        if chosen != suggestion and not override_reason.strip():
            shown = suggestion.label_da if suggestion else "ingen visitation / no referral"
            raise ServiceError(
                f"Reglerne foreslår: {shown}. Begrund valget af {chosen.label_da} "
                "/ give a reason for overriding",
                field="override_reason",
            )
        if on < spell.started_on:
            raise ServiceError(
                "Visitationsdatoen ligger før forløbets start / before the spell began", field="on"
            )
        spell.referral_reason, spell.suggested_referral_reason = (
            chosen.value,
            suggestion.value if suggestion else None,
        )
        spell.referral_note, spell.referral_override_reason = note, override_reason.strip()
        spell.referred_on, spell.referred_at = on, now
        spell.jobcentre = Organisation.jobcentre_for(spell.member.municipality)
        _end_coverage(spell, ExitReason.REFERRED, last_day=on)
        spell.save()
        _log(
            actor,
            spell.member,
            spell,
            CaseEventKind.REFERRED,
            now,
            {
                "reason": chosen.value,
                "suggested": spell.suggested_referral_reason,
                "on": on.isoformat(),
                "overridden": bool(spell.referral_override_reason),
            },
        )
    return spell


def hand_over(
    *, actor: Any, spells: Iterable[Spell], on: dt.date | None = None, now: dt.datetime | None = None
) -> list[HandoverPackage]:
    """Hand the spells over to their members' job centres (all or none): each must be open and due by `on`.

    Returns what each job centre receives: the plan's status as of `on`, the Jobnet CV and Min Plan.
    """
    now, on = now or clock.now(), on or clock.today()
    access.require(actor, Action.HAND_OVER)
    ids = [s.pk for s in spells]
    with transaction.atomic():
        locked = list(
            access.spells_for(actor)
            .filter(pk__in=ids)
            .select_for_update(of=("self",))
            .select_related("member", "member__cv", "member__min_plan")
            .prefetch_related("conversations")
            .order_by("pk")
        )
        missing = set(ids) - {s.pk for s in locked}
        if missing:
            raise Http404("not found")
        jobcentres = _jobcentres({s.member.municipality for s in locked})
        packages = []
        for spell in locked:
            _require_open(spell)
            if spell.handover_due_on is None or spell.handover_due_on > on:
                due = f"{spell.handover_due_on:%d-%m-%Y}" if spell.handover_due_on else "aldrig / never"
                raise ServiceError(
                    f"{spell.member.name}: overdrages først {due} / not due for hand-over", field="spells"
                )
            spell.jobcentre = jobcentres[spell.member.municipality]
            spell.handed_over_on, spell.handed_over_at = on, now
            _end_coverage(spell, ExitReason.HANDOVER, last_day=on - dt.timedelta(days=1))
            packages.append(
                HandoverPackage(
                    spell=spell,
                    plan=contact_plan_for(spell, as_of=on, conversations=spell.conversations.all()),
                    cv=getattr(spell.member, "cv", None),
                    min_plan=getattr(spell.member, "min_plan", None),
                )
            )
        Spell.objects.bulk_update(
            locked,
            ["jobcentre", "handed_over_on", "handed_over_at", "exit_reason", "covered_to", "next_deadline"],
        )
        _log_many(
            actor,
            [
                (
                    p.spell.member,
                    p.spell,
                    {
                        "on": on.isoformat(),
                        "jobcentre": p.spell.jobcentre.code if p.spell.jobcentre else None,
                    },
                )
                for p in packages
            ],
            CaseEventKind.HANDED_OVER,
            now,
        )
    return packages


#: The exits a caseworker records directly; referral and hand-over have their own services.
ENDING_REASONS = (ExitReason.JOB, ExitReason.MOVED, ExitReason.SWITCHED_AKASSE)


def end_spell(
    *,
    actor: Any,
    spell: Spell,
    reason: ExitReason | str,
    on: dt.date,
    now: dt.datetime | None = None,
) -> Spell:
    """End the member's coverage from `on` (DOMAIN.md §1): a job (unemployment ends the day before), a move
    out of the trial area, or a switch of a-kasse."""
    now = now or clock.now()
    with transaction.atomic():
        spell = _lock_spell(actor, Action.END_SPELL, spell)
        _require_open(spell)
        chosen = _parse(ExitReason, reason, "reason")
        if chosen not in ENDING_REASONS:
            raise ServiceError(
                "Brug visitation eller overdragelse / use referral or hand-over", field="reason"
            )
        if on < spell.started_on or on > clock.today():
            raise ServiceError("Datoen skal ligge efter forløbets start og ikke i fremtiden", field="on")
        last_day = on - dt.timedelta(days=1)
        if (
            chosen == ExitReason.JOB
            and spell.unemployed_from is not None
            and spell.unemployed_from <= last_day
        ):
            spell.unemployed_to = last_day
        spell.ended_at = now
        _end_coverage(spell, chosen, last_day=last_day)
        spell.save()
        _log(
            actor,
            spell.member,
            spell,
            CaseEventKind.SPELL_ENDED,
            now,
            {"reason": chosen.value, "on": on.isoformat()},
        )
    return spell


# --- member obligations ----------------------------------------------------------------------------------


def update_cv_status(
    *,
    actor: Any,
    member: Member,
    present: bool,
    approved: bool,
    searchable: bool,
    updated_on: dt.date | None,
    now: dt.datetime | None = None,
) -> JobnetCv:
    """Record the Jobnet CV check; an approved CV must be present, and `approved_at` marks the approval."""
    now = now or clock.now()
    if (approved or searchable) and not present:
        raise ServiceError(
            "Et CV der ikke findes kan ikke godkendes eller være søgbart / no CV present", field="present"
        )
    if updated_on is not None and updated_on > clock.today():
        raise ServiceError("Datoen ligger i fremtiden / the date is in the future", field="updated_on")
    with transaction.atomic():
        member = _lock_member(actor, Action.EDIT_CV, member)
        cv = JobnetCv.objects.select_for_update().filter(member=member).first() or JobnetCv(member=member)
        newly_approved = approved and not cv.approved
        cv.present, cv.approved, cv.searchable, cv.updated_on = present, approved, searchable, updated_on
        cv.approved_at = now if newly_approved else (cv.approved_at if approved else None)
        cv.changed_by = actor
        cv.save()
        _log(
            actor,
            member,
            None,
            CaseEventKind.CV_UPDATED,
            now,
            {
                "present": present,
                "approved": approved,
                "searchable": searchable,
                "updated_on": updated_on.isoformat() if updated_on else None,
            },
        )
    return cv


def update_min_plan(
    *,
    actor: Any,
    member: Member,
    job_goal_1: str,
    job_goal_2: str,
    search_plan: str,
    now: dt.datetime | None = None,
) -> MinPlan:
    """Save Min Plan (two job goals and the search plan) as a new version, keeping every earlier one."""
    now = now or clock.now()
    values = {
        "job_goal_1": job_goal_1.strip(),
        "job_goal_2": job_goal_2.strip(),
        "search_plan": search_plan.strip(),
    }
    for field, value in values.items():
        if not value:
            raise ServiceError("Skal udfyldes / required", field=field)
    with transaction.atomic():
        member = _lock_member(actor, Action.EDIT_MIN_PLAN, member)
        plan = MinPlan.objects.select_for_update().filter(member=member).first()
        if plan is None:
            plan = MinPlan.objects.create(member=member, updated_by=actor, **values)
        else:
            for field, value in values.items():
                setattr(plan, field, value)
            plan.version, plan.updated_by = plan.version + 1, actor
            plan.save()
        MinPlanVersion.objects.create(
            min_plan=plan, version=plan.version, recorded_at=now, recorded_by=actor, **values
        )
        _log(actor, member, None, CaseEventKind.MIN_PLAN_UPDATED, now, {"version": plan.version})
    return plan


def update_joblog_norm(*, actor: Any, spell: Spell, norm: int, now: dt.datetime | None = None) -> Spell:
    """Set the spell's joblog norm (applications a week; DOMAIN.md §3: at least 2 by default)."""
    now = now or clock.now()
    if not 0 <= norm <= 40:
        raise ServiceError("Normen skal være mellem 0 og 40 ansøgninger om ugen / must be 0-40", field="norm")
    with transaction.atomic():
        spell = _lock_spell(actor, Action.EDIT_JOBLOG_NORM, spell)
        old, spell.joblog_norm = spell.joblog_norm, norm
        spell.save(update_fields=["joblog_norm"])
        _log(actor, spell.member, spell, CaseEventKind.JOBLOG_NORM_UPDATED, now, {"from": old, "to": norm})
    return spell


# --- reading a member ------------------------------------------------------------------------------------


def view_member(
    *, actor: Any, member_id: Any, reason: str = "", now: dt.datetime | None = None
) -> tuple[Member, Spell | None]:
    """The member page's member and its latest spell the actor may see (Http404 when the member is not
    visible); writes the read audit entry (who, when, why)."""
    member, spell = access.get_member_with_latest_spell_or_404(actor, member_id)
    access.require(actor, Action.VIEW_MEMBER)
    AuditEntry.objects.create(
        actor=actor,
        organisation_id=actor.organisation_id,
        role=actor.role,
        member=member,
        action=AuditAction.VIEW,
        reason=reason[:200],
        at=now or clock.now(),
    )
    return member, spell


# --- helpers ---------------------------------------------------------------------------------------------


def _lock_spell(actor: Any, action: Action, spell: Spell) -> Spell:
    """The spell re-read under a row lock through the access policy (Http404 / PermissionDenied)."""
    access.require_spell(actor, action, spell)
    return Spell.objects.select_for_update(of=("self",)).select_related("member").get(pk=spell.pk)


def _lock_member(actor: Any, action: Action, member: Member) -> Member:
    access.require_member(actor, action, member)
    return Member.objects.select_for_update().get(pk=member.pk)


def _require_open(spell: Spell) -> None:
    if not spell.is_open:
        raise ServiceError("Forløbet er afsluttet / the spell has ended", field=None)


def _parse(kind: Any, value: Any, field: str) -> Any:
    try:
        return kind(value)
    except ValueError:
        raise ServiceError(f"Ukendt værdi {value!r} / unknown value", field=field) from None


def _conversation_fields(
    actor: Any,
    spell: Spell,
    *,
    date: dt.date,
    mode: Any,
    purposes: Sequence[Any],
    jobcentre_present: bool,
    jobs_presented: int,
) -> dict[str, Any]:
    """Checked conversation fields; `held_by` follows the purposes (joint) or the actor's organisation."""
    chosen = [_parse(Purpose, p, "purposes") for p in purposes]
    if not chosen:
        raise ServiceError("Vælg mindst ét formål / choose at least one purpose", field="purposes")
    if len(set(chosen)) != len(chosen):
        raise ServiceError("Et formål er valgt to gange / a purpose is repeated", field="purposes")
    if date > clock.today():
        raise ServiceError("Samtalen kan ikke ligge i fremtiden / cannot be in the future", field="date")
    if date < spell.started_on:
        raise ServiceError("Samtalen ligger før forløbets start / before the spell began", field="date")
    if Purpose.JOINT in chosen and not jobcentre_present:
        raise ServiceError(
            "En fællessamtale kræver at jobcentret deltager / needs the job centre", field="jobcentre_present"
        )
    if not 0 <= jobs_presented <= 1000:
        raise ServiceError("Antal job skal være 0 eller flere / must be 0 or more", field="jobs_presented")
    if Purpose.JOINT in chosen:
        held_by = HeldBy.JOINT
    elif actor.organisation.kind == OrganisationKind.JOBCENTRE:
        held_by = HeldBy.JOBCENTRE
    else:
        held_by = HeldBy.AKASSE
    return {
        "date": date,
        "mode": _parse(Mode, mode, "mode").value,
        "purposes": [p.value for p in chosen],
        "held_by": held_by.value,
        "jobcentre_present": jobcentre_present,
        "jobs_presented": jobs_presented,
    }


def _plan_change(spell: Spell, before: list[Conversation], after: list[Conversation]) -> PlanChange:
    """Compare the plan before and after; store the new next deadline on the spell."""
    today = max([clock.today(), *(c.date for c in after)])
    old = contact_plan_for(spell, as_of=today, conversations=before)
    new = contact_plan_for(spell, as_of=today, conversations=after)
    spell.next_deadline, spell.handover_due_on = schedule(spell, after)
    spell.save(update_fields=["next_deadline", "handover_due_on"])
    if new is None or old is None:
        return PlanChange(new, (), ())
    was_met = {(r.purpose, r.index) for r in old.requirements if r.met_by is not None}
    newly = tuple(r for r in new.requirements if r.met_by is not None and (r.purpose, r.index) not in was_met)
    return PlanChange(new, newly, tuple(r for r in newly if r.status == RequirementStatus.LATE))


def _mark_booking_held(spell: Spell, now: dt.datetime) -> None:
    booking = spell.joint_bookings.filter(status=BookingStatus.BOOKED).order_by("starts_at").first()
    if booking is not None:
        booking.status, booking.held_at = BookingStatus.HELD, now
        booking.save(update_fields=["status", "held_at"])


def _end_coverage(spell: Spell, reason: ExitReason, *, last_day: dt.date) -> None:
    """Coverage ends with `reason`: the a-kasse's contact process stops (no next deadline)."""
    spell.exit_reason, spell.next_deadline = reason.value, None
    if spell.covered_from is not None:
        spell.covered_to = max(spell.covered_from, last_day)


def _jobcentres(municipalities: set[int]) -> dict[int, Organisation]:
    found = Organisation.objects.filter(
        kind=OrganisationKind.JOBCENTRE, code__in=[str(m) for m in municipalities]
    )
    return {int(o.code): o for o in found}


def _log(
    actor: Any,
    member: Member,
    spell: Spell | None,
    kind: CaseEventKind,
    now: dt.datetime,
    data: dict[str, Any],
) -> None:
    _log_many(actor, [(member, spell, data)], kind, now)


def _log_many(
    actor: Any,
    items: list[tuple[Member, Spell | None, dict[str, Any]]],
    kind: CaseEventKind,
    now: dt.datetime,
) -> None:
    """The case events and audit entries of one change, written in the caller's transaction."""
    CaseEvent.objects.bulk_create(
        CaseEvent(member=m, spell=s, kind=kind, actor=actor, occurred_at=now, data=d) for m, s, d in items
    )
    AuditEntry.objects.bulk_create(
        AuditEntry(
            actor=actor,
            organisation_id=actor.organisation_id,
            role=actor.role,
            member=m,
            action=AuditAction.CHANGE,
            reason=kind.value,
            at=now,
        )
        for m, _, _ in items
    )
