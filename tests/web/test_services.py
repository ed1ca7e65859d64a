"""Services: each change checks its input, follows the rulebook, writes one case event and one audit entry.

Dates are worked out by hand from rulebooks/trial-2020.toml (CV ≤ U+14d, the rest ≤ U+3m-1d, hand-over U+3m),
with deadlines moved back to the last Danish working day.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from akasse.domain.choices import ExitReason, HeldBy, Purpose, ReferralReason, RequirementStatus
from akasse.web.accounts.choices import Role
from akasse.web.cases import access, services
from akasse.web.cases.choices import AuditAction, BookingStatus, CaseEventKind
from akasse.web.cases.models import AuditEntry, CaseEvent, Conversation, JointBooking, MinPlanVersion, Spell
from akasse.web.cases.services import ServiceError

CPH = ZoneInfo("Europe/Copenhagen")


def counts() -> tuple[int, int, int]:
    return Conversation.objects.count(), CaseEvent.objects.count(), AuditEntry.objects.count()


@pytest.fixture
def caseworker(orgs, make_user):
    return make_user(Role.AKASSE_CASEWORKER, orgs.hk)


@pytest.mark.parametrize(
    ("unemployed_from", "next_deadline", "handover"),
    [
        # CV deadline U+14d = Mon 15-03-2021, a working day.
        (dt.date(2021, 3, 1), dt.date(2021, 3, 15), dt.date(2021, 6, 1)),
        # U+14d = Mon 05-04-2021 (2nd Easter day) → Good Friday 02-04, Maundy Thursday 01-04 → Wed 31-03.
        (dt.date(2021, 3, 22), dt.date(2021, 3, 31), dt.date(2021, 6, 22)),
        # U+14d = Sun 14-03-2021 → Fri 12-03-2021; hand-over 28-02 + 3 months = 28-05-2021.
        (dt.date(2021, 2, 28), dt.date(2021, 3, 12), dt.date(2021, 5, 28)),
    ],
)
def test_imported_spell_gets_the_rulebooks_first_deadline_and_handover(
    orgs, make_spell, unemployed_from, next_deadline, handover
):
    spell = make_spell(orgs.hk, unemployed_from=unemployed_from)
    assert (spell.group, spell.rulebook) == ("trial", "trial-2020")
    assert (spell.next_deadline, spell.handover_due_on) == (next_deadline, handover)


def test_record_conversation_with_two_purposes_meets_both_and_moves_the_next_deadline(
    today, orgs, make_spell, caseworker
):
    spell = make_spell(orgs.hk, unemployed_from=dt.date(2021, 3, 1))
    before = counts()
    result = services.record_conversation(
        actor=caseworker,
        spell=spell,
        date=dt.date(2021, 3, 10),
        mode="in_person",
        purposes=[Purpose.CV, Purpose.AVAILABILITY],
        jobs_presented=2,
        note="Godt møde",
    )
    assert {(r.purpose, r.index) for r in result.change.newly_met} == {
        (Purpose.CV, 1),
        (Purpose.AVAILABILITY, 1),
    }
    assert result.change.held_late == ()
    assert result.conversation.held_by == HeldBy.AKASSE
    assert result.conversation.version == 1
    spell.refresh_from_db()
    assert spell.next_deadline == dt.date(2021, 5, 31)  # job and joint conversations: U+3m-1d, a Monday
    assert counts() == (before[0] + 1, before[1] + 1, before[2] + 1)
    event = CaseEvent.objects.latest("pk")
    assert (event.kind, event.actor, event.spell_id) == (
        CaseEventKind.CONVERSATION_RECORDED,
        caseworker,
        spell.pk,
    )
    audit = AuditEntry.objects.latest("pk")
    assert (audit.action, audit.member_id, audit.role) == (
        AuditAction.CHANGE,
        spell.member_id,
        Role.AKASSE_CASEWORKER,
    )


def test_a_cv_conversation_after_its_deadline_is_reported_as_held_late(today, orgs, make_spell, caseworker):
    spell = make_spell(orgs.hk, unemployed_from=dt.date(2021, 3, 1))  # CV deadline 15-03-2021
    result = services.record_conversation(
        actor=caseworker, spell=spell, date=dt.date(2021, 3, 16), mode="phone", purposes=["cv"]
    )
    assert [(r.purpose, r.status) for r in result.change.held_late] == [(Purpose.CV, RequirementStatus.LATE)]
    assert result.change.plan is not None and result.change.plan.first_in_person_missed


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"date": dt.date(2021, 3, 23)}, "date"),  # the day after today
        ({"date": dt.date(2021, 2, 28)}, "date"),  # before the spell began
        ({"purposes": []}, "purposes"),
        ({"purposes": ["cv", "cv"]}, "purposes"),
        ({"purposes": ["coffee"]}, "purposes"),
        ({"mode": "letter"}, "mode"),
        ({"purposes": ["joint"]}, "jobcentre_present"),  # a joint conversation needs the job centre
        ({"jobs_presented": -1}, "jobs_presented"),
    ],
)
def test_record_conversation_refuses_bad_input_and_writes_nothing(
    today, orgs, make_spell, caseworker, changes, field
):
    spell = make_spell(orgs.hk, unemployed_from=dt.date(2021, 3, 1))
    before = counts()
    arguments = {"date": dt.date(2021, 3, 10), "mode": "in_person", "purposes": ["cv"]} | changes
    with pytest.raises(ServiceError) as refused:
        services.record_conversation(actor=caseworker, spell=spell, **arguments)
    assert refused.value.field == field
    assert counts() == before


def test_joint_conversation_is_held_jointly_and_marks_the_booking_held(today, orgs, make_spell, caseworker):
    spell = make_spell(orgs.hk, unemployed_from=dt.date(2021, 3, 1))
    booking = services.book_joint_conversation(
        actor=caseworker, spell=spell, starts_at=dt.datetime(2021, 3, 22, 10, 0, tzinfo=CPH)
    )
    result = services.record_conversation(
        actor=caseworker,
        spell=spell,
        date=dt.date(2021, 3, 22),
        mode="in_person",
        purposes=["joint", "job"],
        jobcentre_present=True,
    )
    assert result.conversation.held_by == HeldBy.JOINT
    assert {r.purpose for r in result.change.newly_met} == {Purpose.JOINT, Purpose.JOB}
    booking.refresh_from_db()
    assert booking.status == BookingStatus.HELD and booking.held_at is not None


def test_booking_goes_to_the_members_municipality_and_the_job_centre_then_sees_the_member(
    today, orgs, make_spell, make_user, caseworker
):
    spell = make_spell(orgs.hk, unemployed_from=dt.date(2021, 3, 1), municipality=101)
    jobcentre_user = make_user(Role.JOBCENTRE_CASEWORKER, orgs.jc_kbh)
    assert not access.members_for(jobcentre_user).exists()
    booking = services.book_joint_conversation(
        actor=caseworker, spell=spell, starts_at=dt.datetime(2021, 3, 25, 9, 30, tzinfo=CPH)
    )
    assert booking.jobcentre == orgs.jc_kbh and booking.status == BookingStatus.BOOKED
    assert list(access.members_for(jobcentre_user)) == [spell.member]
    assert list(access.bookings_for(jobcentre_user)) == [booking]
    assert CaseEvent.objects.filter(kind=CaseEventKind.JOINT_BOOKED, spell=spell).count() == 1


def test_cancelling_a_booking_ends_the_job_centres_view_of_the_member(
    today, orgs, make_spell, make_user, caseworker
):
    spell = make_spell(orgs.hk, municipality=101)
    jobcentre_user = make_user(Role.JOBCENTRE_CASEWORKER, orgs.jc_kbh)
    booking = services.book_joint_conversation(
        actor=caseworker, spell=spell, starts_at=dt.datetime(2021, 3, 25, 9, 30, tzinfo=CPH)
    )
    assert access.members_for(jobcentre_user).exists()
    cancelled = services.cancel_joint_booking(actor=caseworker, booking=booking)
    assert cancelled.status == BookingStatus.CANCELLED and cancelled.cancelled_at is not None
    assert not access.members_for(jobcentre_user).exists()
    assert CaseEvent.objects.filter(kind=CaseEventKind.JOINT_CANCELLED, spell=spell).count() == 1
    with pytest.raises(ServiceError):  # cancelled once
        services.cancel_joint_booking(actor=caseworker, booking=booking)
    with pytest.raises(Http404):  # the job centre cannot cancel what it no longer sees
        services.cancel_joint_booking(actor=jobcentre_user, booking=booking)


def test_booking_in_the_past_is_refused(today, orgs, make_spell, caseworker):
    spell = make_spell(orgs.hk)
    with pytest.raises(ServiceError) as refused:
        services.book_joint_conversation(
            actor=caseworker, spell=spell, starts_at=dt.datetime(2021, 3, 19, 9, tzinfo=CPH)
        )
    assert refused.value.field == "starts_at"
    assert not JointBooking.objects.exists()


# Suggestions (akasse.domain.coverage.ReferralRules): complex challenges, then education order (under 30
# at U and no vocational education), then risk (profiling score above 0.8). U = 01-03-2021.
@pytest.mark.parametrize(
    ("cpr", "education", "score", "complex_", "suggestion"),
    [
        ("1505851001", "none", None, False, None),  # 35 years old at U: no education order
        (
            "0203911001",
            "none",
            None,
            False,
            ReferralReason.EDUCATION_ORDER,
        ),  # 29 years old at U (born 02-03-1991)
        ("0103911001", "none", None, False, None),  # 30 on U itself (born 01-03-1991)
        ("0203911001", "vocational", None, False, None),
        ("1505851001", "higher", 0.81, False, ReferralReason.LONG_TERM_RISK),
        ("1505851001", "higher", 0.80, False, None),  # the threshold itself is not above it
        ("0203911001", "none", 0.95, True, ReferralReason.COMPLEX_CHALLENGES),
    ],
)
def test_suggested_referral_follows_the_rules(orgs, make_spell, cpr, education, score, complex_, suggestion):
    spell = make_spell(
        orgs.hk, cpr=cpr, education=education, profiling_score=score, complex_challenges=complex_
    )
    assert services.suggested_referral(spell) == suggestion


def test_referral_as_suggested_needs_no_override_and_hands_the_member_to_the_job_centre(
    today, orgs, make_spell, make_user, caseworker
):
    spell = make_spell(orgs.hk, cpr="0203911001", education="none")  # suggestion: education order
    referred = services.refer_to_job_centre(
        actor=caseworker, spell=spell, reason=ReferralReason.EDUCATION_ORDER, note="Ønsker uddannelse"
    )
    assert referred.exit_reason == ExitReason.REFERRED
    assert (referred.referral_reason, referred.suggested_referral_reason) == (
        "education_order",
        "education_order",
    )
    assert referred.referred_on == today and referred.referred_at is not None
    assert referred.covered_to == today and referred.next_deadline is None
    assert referred.jobcentre == orgs.jc_kbh
    assert list(access.members_for(make_user(Role.JOBCENTRE_CASEWORKER, orgs.jc_kbh))) == [spell.member]
    assert not access.members_for(make_user(Role.JOBCENTRE_CASEWORKER, orgs.jc_aarhus)).exists()


def test_referral_against_the_suggestion_needs_a_reason_and_changes_nothing_without_one(
    today, orgs, make_spell, caseworker
):
    spell = make_spell(orgs.hk)  # 35 years old, higher education: no suggestion
    before = counts()
    with pytest.raises(ServiceError) as refused:
        services.refer_to_job_centre(
            actor=caseworker, spell=spell, reason="long_term_risk", override_reason="  "
        )
    assert refused.value.field == "override_reason"
    spell.refresh_from_db()
    assert spell.exit_reason is None and spell.referred_at is None and counts() == before
    referred = services.refer_to_job_centre(
        actor=caseworker, spell=spell, reason="long_term_risk", override_reason="Langvarig sygdom i familien"
    )
    assert referred.suggested_referral_reason is None
    assert referred.referral_override_reason == "Langvarig sygdom i familien"


def test_a_referred_spell_cannot_be_referred_again(today, orgs, make_spell, caseworker):
    spell = make_spell(orgs.hk, cpr="0203911001", education="none")
    services.refer_to_job_centre(actor=caseworker, spell=spell, reason="education_order")
    with pytest.raises(ServiceError):
        services.refer_to_job_centre(actor=caseworker, spell=spell, reason="education_order")


def test_hand_over_gives_the_job_centre_plan_cv_and_min_plan(settings, orgs, make_spell, caseworker):
    settings.AKASSE_TODAY = "2021-06-01"
    due = make_spell(orgs.hk, unemployed_from=dt.date(2021, 3, 1), municipality=101)  # hand-over 01-06-2021
    services.record_conversation(
        actor=caseworker, spell=due, date=dt.date(2021, 3, 5), mode="in_person", purposes=["cv"]
    )
    services.update_cv_status(
        actor=caseworker,
        member=due.member,
        present=True,
        approved=True,
        searchable=True,
        updated_on=dt.date(2021, 3, 4),
    )
    services.update_min_plan(
        actor=caseworker,
        member=due.member,
        job_goal_1="Bogholder",
        job_goal_2="Lønkonsulent",
        search_plan="To ansøgninger om ugen",
    )
    packages = services.hand_over(actor=caseworker, spells=[due])
    assert len(packages) == 1
    package = packages[0]
    assert package.cv is not None and package.cv.approved
    assert package.min_plan is not None and package.min_plan.job_goal_1 == "Bogholder"
    assert package.plan is not None
    statuses = {(r.purpose, r.index): r.status for r in package.plan.requirements}
    assert statuses[(Purpose.CV, 1)] == RequirementStatus.MET
    assert statuses[(Purpose.JOB, 1)] == RequirementStatus.OVERDUE  # deadline 31-05-2021 passed
    due.refresh_from_db()
    assert (due.exit_reason, due.handed_over_on, due.jobcentre) == (
        ExitReason.HANDOVER,
        dt.date(2021, 6, 1),
        orgs.jc_kbh,
    )
    assert due.covered_to == dt.date(2021, 5, 31) and due.handed_over_at is not None
    assert CaseEvent.objects.filter(kind=CaseEventKind.HANDED_OVER, spell=due).count() == 1


def test_hand_over_is_all_or_nothing_when_one_member_is_not_due(settings, orgs, make_spell, caseworker):
    settings.AKASSE_TODAY = "2021-06-01"
    due = make_spell(orgs.hk, unemployed_from=dt.date(2021, 3, 1))  # due 01-06-2021
    early = make_spell(orgs.hk, unemployed_from=dt.date(2021, 3, 2))  # due 02-06-2021
    with pytest.raises(ServiceError, match="02-06-2021"):
        services.hand_over(actor=caseworker, spells=[due, early])
    assert Spell.objects.filter(exit_reason__isnull=False).count() == 0
    assert not CaseEvent.objects.filter(kind=CaseEventKind.HANDED_OVER).exists()


def test_hand_over_of_another_a_kasses_member_answers_404(settings, orgs, make_spell, caseworker):
    settings.AKASSE_TODAY = "2021-06-01"
    foreign = make_spell(orgs.threef, unemployed_from=dt.date(2021, 3, 1))
    with pytest.raises(Http404):
        services.hand_over(actor=caseworker, spells=[foreign])
    foreign.refresh_from_db()
    assert foreign.exit_reason is None


@pytest.mark.parametrize(
    ("reason", "on", "unemployed_to", "covered_to"),
    [
        (
            "job",
            dt.date(2021, 3, 15),
            dt.date(2021, 3, 14),
            dt.date(2021, 3, 14),
        ),  # last day unemployed: 14-03
        ("moved", dt.date(2021, 3, 15), None, dt.date(2021, 3, 14)),  # still unemployed, no longer covered
        (
            "switched_akasse",
            dt.date(2021, 3, 1),
            None,
            dt.date(2021, 3, 1),
        ),  # on U: never before covered_from
    ],
)
def test_end_spell_sets_the_exit_its_timestamp_and_the_last_covered_day(
    today, orgs, make_spell, caseworker, reason, on, unemployed_to, covered_to
):
    spell = make_spell(orgs.hk, unemployed_from=dt.date(2021, 3, 1))
    ended = services.end_spell(actor=caseworker, spell=spell, reason=reason, on=on)
    ended.refresh_from_db()
    assert (ended.exit_reason, ended.unemployed_to, ended.covered_to) == (reason, unemployed_to, covered_to)
    assert ended.ended_at is not None and ended.next_deadline is None
    assert CaseEvent.objects.filter(kind=CaseEventKind.SPELL_ENDED, spell=spell).count() == 1
    with pytest.raises(ServiceError):  # an ended spell stays ended
        services.end_spell(actor=caseworker, spell=spell, reason="job", on=on)


@pytest.mark.parametrize(
    ("reason", "on", "field"),
    [
        ("handover", dt.date(2021, 3, 15), "reason"),  # has its own service
        ("referred", dt.date(2021, 3, 15), "reason"),
        ("holiday", dt.date(2021, 3, 15), "reason"),
        ("job", dt.date(2021, 3, 23), "on"),  # tomorrow
        ("job", dt.date(2021, 2, 28), "on"),  # before the spell began
    ],
)
def test_end_spell_refuses_other_reasons_and_dates(today, orgs, make_spell, caseworker, reason, on, field):
    spell = make_spell(orgs.hk, unemployed_from=dt.date(2021, 3, 1))
    with pytest.raises(ServiceError) as refused:
        services.end_spell(actor=caseworker, spell=spell, reason=reason, on=on)
    assert refused.value.field == field
    spell.refresh_from_db()
    assert spell.exit_reason is None and spell.ended_at is None


@pytest.mark.parametrize(
    ("present", "approved", "searchable", "ok"),
    [
        (True, True, True, True),
        (True, False, False, True),
        (False, False, False, True),
        (False, True, False, False),
        (False, False, True, False),
    ],
)
def test_cv_cannot_be_approved_or_searchable_without_being_present(
    today, orgs, make_spell, caseworker, present, approved, searchable, ok
):
    member = make_spell(orgs.hk).member
    arguments = {"present": present, "approved": approved, "searchable": searchable, "updated_on": today}
    if ok:
        cv = services.update_cv_status(actor=caseworker, member=member, **arguments)
        assert (cv.present, cv.approved, cv.searchable) == (present, approved, searchable)
    else:
        with pytest.raises(ServiceError):
            services.update_cv_status(actor=caseworker, member=member, **arguments)
        assert not CaseEvent.objects.filter(kind=CaseEventKind.CV_UPDATED).exists()


def test_cv_approval_time_is_kept_while_approved_and_cleared_when_withdrawn(
    today, orgs, make_spell, caseworker
):
    member = make_spell(orgs.hk).member
    first = services.update_cv_status(
        actor=caseworker, member=member, present=True, approved=True, searchable=False, updated_on=None
    )
    approved_at = first.approved_at
    again = services.update_cv_status(
        actor=caseworker, member=member, present=True, approved=True, searchable=True, updated_on=None
    )
    assert approved_at is not None and again.approved_at == approved_at
    withdrawn = services.update_cv_status(
        actor=caseworker, member=member, present=True, approved=False, searchable=False, updated_on=None
    )
    assert withdrawn.approved_at is None
    assert CaseEvent.objects.filter(kind=CaseEventKind.CV_UPDATED, member=member).count() == 3


def test_min_plan_keeps_every_version(today, orgs, make_spell, caseworker):
    member = make_spell(orgs.hk).member
    services.update_min_plan(
        actor=caseworker, member=member, job_goal_1="Kok", job_goal_2="Tjener", search_plan="A"
    )
    plan = services.update_min_plan(
        actor=caseworker, member=member, job_goal_1="Kok", job_goal_2="Bager", search_plan="B"
    )
    assert plan.version == 2 and plan.job_goal_2 == "Bager"
    history = list(
        MinPlanVersion.objects.filter(min_plan=plan).values_list("version", "job_goal_2", "search_plan")
    )
    assert history == [(2, "Bager", "B"), (1, "Tjener", "A")]
    with pytest.raises(ServiceError) as refused:
        services.update_min_plan(
            actor=caseworker, member=member, job_goal_1="Kok", job_goal_2=" ", search_plan="C"
        )
    assert refused.value.field == "job_goal_2"
    assert MinPlanVersion.objects.filter(min_plan=plan).count() == 2


@pytest.mark.parametrize(("norm", "ok"), [(0, True), (2, True), (40, True), (41, False), (-1, False)])
def test_joblog_norm_range(today, orgs, make_spell, caseworker, norm, ok):
    spell = make_spell(orgs.hk)
    assert spell.joblog_norm == 2  # DOMAIN.md §3: at least 2 applications a week
    if ok:
        assert services.update_joblog_norm(actor=caseworker, spell=spell, norm=norm).joblog_norm == norm
    else:
        with pytest.raises(ServiceError):
            services.update_joblog_norm(actor=caseworker, spell=spell, norm=norm)
        spell.refresh_from_db()
        assert spell.joblog_norm == 2


def test_view_member_writes_the_read_audit_entry_and_refuses_another_a_kasses_member(
    today, orgs, make_spell, caseworker
):
    own_spell = make_spell(orgs.hk)
    own = own_spell.member
    foreign = make_spell(orgs.threef).member
    assert services.view_member(actor=caseworker, member_id=str(own.pk), reason="opfølgning") == (
        own,
        own_spell,
    )
    entry = AuditEntry.objects.get(action=AuditAction.VIEW)
    assert (entry.actor, entry.member, entry.organisation, entry.role, entry.reason) == (
        caseworker,
        own,
        orgs.hk,
        Role.AKASSE_CASEWORKER,
        "opfølgning",
    )
    with pytest.raises(Http404):
        services.view_member(actor=caseworker, member_id=foreign.pk)
    assert AuditEntry.objects.filter(action=AuditAction.VIEW).count() == 1


def test_job_centre_may_record_but_not_refer_or_edit_min_plan(today, orgs, make_spell, make_user, caseworker):
    spell = make_spell(orgs.hk, cpr="0203911001", education="none")
    services.refer_to_job_centre(actor=caseworker, spell=spell, reason="education_order")
    jobcentre_user = make_user(Role.JOBCENTRE_CASEWORKER, orgs.jc_kbh)
    result = services.record_conversation(
        actor=jobcentre_user, spell=spell, date=today, mode="in_person", purposes=["job"]
    )
    assert result.conversation.held_by == HeldBy.JOBCENTRE
    with pytest.raises(PermissionDenied):
        services.update_min_plan(
            actor=jobcentre_user, member=spell.member, job_goal_1="a", job_goal_2="b", search_plan="c"
        )


def test_contact_plan_for_a_spell_still_in_the_notice_period_is_none(today, orgs, make_spell):
    spell = make_spell(orgs.hk, notice_date=dt.date(2021, 3, 1), unemployed_from=None)
    assert services.contact_plan_for(spell, as_of=today) is None
    assert spell.next_deadline is None
