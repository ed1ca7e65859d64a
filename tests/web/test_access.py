"""The access policy: who sees which members, spells, bookings and audit entries; 404 across organisations."""

from __future__ import annotations

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from akasse.web.accounts.choices import Role
from akasse.web.cases import access, services
from akasse.web.cases.access import Action
from akasse.web.cases.choices import BookingStatus
from akasse.web.cases.models import CaseEvent, Conversation

CPH = ZoneInfo("Europe/Copenhagen")


@pytest.fixture
def world(today, orgs, make_spell, make_user):
    """An HK member and a 3F member in København, and one user per role."""
    users = {
        "hk": make_user(Role.AKASSE_CASEWORKER, orgs.hk),
        "hk_manager": make_user(Role.AKASSE_MANAGER, orgs.hk),
        "threef": make_user(Role.AKASSE_CASEWORKER, orgs.threef),
        "jc_kbh": make_user(Role.JOBCENTRE_CASEWORKER, orgs.jc_kbh),
        "jc_aarhus": make_user(Role.JOBCENTRE_CASEWORKER, orgs.jc_aarhus),
        "star": make_user(Role.STAR_ANALYST, orgs.star),
        "admin": make_user(Role.ADMIN, None),
    }
    return {"hk_spell": make_spell(orgs.hk), "threef_spell": make_spell(orgs.threef), **users}


@pytest.mark.parametrize(
    ("user", "visible"),
    [
        ("hk", {"hk_spell"}),
        ("hk_manager", {"hk_spell"}),
        ("threef", {"threef_spell"}),
        ("jc_kbh", set()),  # nothing referred, handed over or booked yet
        ("jc_aarhus", set()),
        ("star", set()),  # STAR analysts see no personal data
        ("admin", set()),  # administrators manage accounts, not cases
    ],
)
def test_each_role_sees_only_its_own_members(world, user, visible):
    expected = {world[name].member for name in visible}
    assert set(access.members_for(world[user])) == expected
    assert set(access.spells_for(world[user])) == {world[name] for name in visible}


@pytest.mark.parametrize("user", ["threef", "jc_kbh", "jc_aarhus", "star", "admin"])
def test_another_organisations_member_answers_404_like_a_missing_one(world, user):
    member = world["hk_spell"].member
    for member_id in (member.pk, str(member.pk), uuid.uuid4(), "not-a-uuid", None):
        with pytest.raises(Http404):
            access.get_member_or_404(world[user], member_id)
        with pytest.raises(Http404):
            access.get_member_with_latest_spell_or_404(world[user], member_id)
    with pytest.raises(Http404):
        access.get_spell_or_404(world[user], world["hk_spell"].pk)


def test_member_with_latest_spell_is_the_member_and_the_newest_spell_the_user_sees(world, orgs):
    spell = world["hk_spell"]
    older = spell.member.spells.create(
        akasse=orgs.hk, started_on=spell.started_on - dt.timedelta(days=400), rulebook=spell.rulebook
    )
    assert access.get_member_with_latest_spell_or_404(world["hk"], spell.member.pk) == (spell.member, spell)
    assert older.started_on < spell.started_on
    # A job centre sees the member through the spell it was invited to, and only that spell.
    services.book_joint_conversation(
        actor=world["hk"], spell=older, starts_at=dt.datetime(2021, 3, 24, 9, tzinfo=CPH)
    )
    assert access.get_member_with_latest_spell_or_404(world["jc_kbh"], str(spell.member.pk)) == (
        spell.member,
        older,
    )


def test_member_with_latest_spell_follows_members_for_even_if_spell_and_member_a_kasse_differ(world, orgs):
    """A spell copies its member's a-kasse and a member row never changes it (models.Spell.akasse); should the
    two differ all the same, the member is still shown only to the a-kasse members_for gives it to."""
    spell = world["hk_spell"]
    member = spell.member
    member.akasse = orgs.threef
    member.save()
    with pytest.raises(Http404):
        access.get_member_with_latest_spell_or_404(world["hk"], member.pk)
    assert access.get_member_with_latest_spell_or_404(world["threef"], member.pk) == (member, None)


def test_job_centre_sees_a_member_while_invited_to_a_joint_conversation(world):
    spell = world["hk_spell"]
    booking = services.book_joint_conversation(
        actor=world["hk"], spell=spell, starts_at=dt.datetime(2021, 3, 24, 9, tzinfo=CPH)
    )
    assert access.get_member_or_404(world["jc_kbh"], spell.member.pk) == spell.member
    assert list(access.bookings_for(world["jc_kbh"])) == [booking]
    assert not access.members_for(world["jc_aarhus"]).exists()
    assert not access.bookings_for(world["jc_aarhus"]).exists()
    booking.status = BookingStatus.CANCELLED
    booking.save()
    with pytest.raises(Http404):
        access.get_member_or_404(world["jc_kbh"], spell.member.pk)


def test_job_centre_sees_only_the_spell_it_received(orgs, make_spell, world):
    """A member with an earlier spell: the job centre sees the referred spell, not the earlier one."""
    hk = world["hk"]
    spell = world["hk_spell"]
    earlier = make_spell(orgs.hk, cpr=spell.member.cpr, unemployed_from=dt.date(2020, 2, 3))
    assert earlier.member == spell.member and earlier.pk != spell.pk
    services.refer_to_job_centre(actor=hk, spell=spell, reason="long_term_risk", override_reason="Helbred")
    assert list(access.spells_for(world["jc_kbh"])) == [spell]
    with pytest.raises(Http404):
        access.get_spell_or_404(world["jc_kbh"], earlier.pk)
    services.record_conversation(
        actor=world["jc_kbh"], spell=spell, date=dt.date(2021, 3, 22), mode="phone", purposes=["job"]
    )
    assert list(access.conversations_for(world["jc_kbh"])) == list(Conversation.objects.filter(spell=spell))


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (
            Role.AKASSE_CASEWORKER,
            {
                Action.VIEW_MEMBER,
                Action.RECORD_CONVERSATION,
                Action.BOOK_JOINT,
                Action.REFER,
                Action.HAND_OVER,
                Action.END_SPELL,
                Action.EDIT_CV,
                Action.EDIT_MIN_PLAN,
                Action.EDIT_JOBLOG_NORM,
            },
        ),
        (
            Role.AKASSE_MANAGER,
            {
                Action.VIEW_MEMBER,
                Action.RECORD_CONVERSATION,
                Action.BOOK_JOINT,
                Action.REFER,
                Action.HAND_OVER,
                Action.END_SPELL,
                Action.EDIT_CV,
                Action.EDIT_MIN_PLAN,
                Action.EDIT_JOBLOG_NORM,
                Action.VIEW_AUDIT,
            },
        ),
        (Role.JOBCENTRE_CASEWORKER, {Action.VIEW_MEMBER, Action.RECORD_CONVERSATION}),
        (Role.STAR_ANALYST, {Action.VIEW_MONITORING}),
        (Role.ADMIN, {Action.MANAGE_ACCOUNTS}),
    ],
)
def test_role_actions(orgs, make_user, role, allowed):
    organisation = {
        Role.AKASSE_CASEWORKER: orgs.hk,
        Role.AKASSE_MANAGER: orgs.hk,
        Role.JOBCENTRE_CASEWORKER: orgs.jc_kbh,
        Role.STAR_ANALYST: orgs.star,
        Role.ADMIN: None,
    }[role]
    user = make_user(role, organisation)
    assert {action for action in Action if access.can(user, action)} == allowed
    user.is_active = False
    assert not any(access.can(user, action) for action in Action)


def test_inactive_user_sees_nothing(world):
    world["hk"].is_active = False
    assert not access.members_for(world["hk"]).exists()


def test_visible_but_not_allowed_is_403_and_invisible_is_404(world):
    spell = world["hk_spell"]
    services.refer_to_job_centre(
        actor=world["hk"], spell=spell, reason="long_term_risk", override_reason="Helbred"
    )
    with pytest.raises(PermissionDenied):
        access.require_member(world["jc_kbh"], Action.EDIT_CV, spell.member)
    with pytest.raises(Http404):
        access.require_member(world["jc_aarhus"], Action.EDIT_CV, spell.member)


@pytest.mark.parametrize("intruder", ["threef", "jc_kbh", "star", "admin"])
def test_services_refuse_other_organisations_and_write_nothing(world, intruder):
    spell = world["hk_spell"]
    events = CaseEvent.objects.count()
    with pytest.raises(Http404):
        services.record_conversation(
            actor=world[intruder], spell=spell, date=dt.date(2021, 3, 10), mode="in_person", purposes=["cv"]
        )
    with pytest.raises(Http404):
        services.update_cv_status(
            actor=world[intruder],
            member=spell.member,
            present=True,
            approved=False,
            searchable=False,
            updated_on=None,
        )
    with pytest.raises((Http404, PermissionDenied)):
        services.refer_to_job_centre(
            actor=world[intruder], spell=spell, reason="long_term_risk", override_reason="x"
        )
    assert CaseEvent.objects.count() == events
    assert not Conversation.objects.exists()
    spell.refresh_from_db()
    assert spell.exit_reason is None


def test_managers_see_their_own_organisations_audit_trail_only(world):
    services.view_member(actor=world["hk"], member_id=world["hk_spell"].member.pk)
    services.view_member(actor=world["threef"], member_id=world["threef_spell"].member.pk)
    trail = access.audit_entries_for(world["hk_manager"])
    assert {(e.actor, e.member) for e in trail if e.action == "view"} == {
        (world["hk"], world["hk_spell"].member)
    }
    with pytest.raises(PermissionDenied):
        access.audit_entries_for(world["hk"])
