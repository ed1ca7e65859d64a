"""Models: seeded organisations, CPR checks, spell status, constraints, append-only events, labels."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from akasse.domain.choices import Education, Purpose
from akasse.reference import akasser, municipalities
from akasse.web.accounts.choices import OrganisationKind, Role
from akasse.web.accounts.models import Organisation, User
from akasse.web.cases.choices import SpellStatus, field_choices
from akasse.web.cases.models import AppendOnlyError, AuditEntry, CaseEvent, Conversation, Member, Spell


def test_the_migration_seeds_every_a_kasse_the_98_job_centres_and_star(db):
    assert set(
        Organisation.objects.filter(kind=OrganisationKind.AKASSE).values_list("code", flat=True)
    ) == set(akasser())
    jobcentres = Organisation.objects.filter(kind=OrganisationKind.JOBCENTRE)
    assert jobcentres.count() == 98 == len(municipalities())
    assert Organisation.jobcentre_for(751).name == "Jobcenter Aarhus"
    assert Organisation.jobcentre_for(751).municipality == 751
    assert Organisation.objects.get(kind=OrganisationKind.STAR).municipality is None


@pytest.mark.parametrize(
    ("role", "kind", "ok"),
    [
        (Role.AKASSE_CASEWORKER, OrganisationKind.AKASSE, True),
        (Role.AKASSE_MANAGER, OrganisationKind.JOBCENTRE, False),
        (Role.JOBCENTRE_CASEWORKER, OrganisationKind.JOBCENTRE, True),
        (Role.STAR_ANALYST, OrganisationKind.AKASSE, False),
        (Role.ADMIN, None, True),
        (Role.ADMIN, OrganisationKind.STAR, False),
    ],
)
def test_a_role_belongs_to_one_kind_of_organisation(db, role, kind, ok):
    organisation = Organisation.objects.filter(kind=kind).first() if kind else None
    user = User(username="u", role=role, organisation=organisation, password="!")
    if ok:
        user.full_clean()
    else:
        with pytest.raises(ValidationError) as refused:
            user.full_clean()
        assert "organisation" in refused.value.message_dict


def test_member_clean_reads_birth_date_and_sex_from_the_cpr_and_refuses_an_invalid_one(orgs):
    member = Member(
        akasse=orgs.hk,
        cpr="150585-1003",
        name="A",
        birth_date=dt.date(2000, 1, 1),
        sex="F",
        education=Education.HIGHER,
        municipality=101,
    )
    member.full_clean()
    assert (member.cpr, member.birth_date, member.sex) == ("1505851003", dt.date(1985, 5, 15), "M")
    member.cpr = "3102851003"  # 31 February
    with pytest.raises(ValidationError) as refused:
        member.full_clean()
    assert "cpr" in refused.value.message_dict
    member.cpr, member.municipality = "1505851003", 999
    with pytest.raises(ValidationError) as refused:
        member.full_clean()
    assert "municipality" in refused.value.message_dict


def test_cpr_is_unique_within_an_a_kasse(orgs, make_spell):
    spell = make_spell(orgs.hk)
    with pytest.raises(IntegrityError), transaction.atomic():
        Member.objects.create(
            akasse=orgs.hk,
            cpr=spell.member.cpr,
            name="Kopi",
            birth_date=spell.member.birth_date,
            sex="F",
            education="none",
            municipality=101,
        )


def test_notice_after_unemployment_is_refused_by_the_database(orgs, make_spell):
    spell = make_spell(orgs.hk, unemployed_from=dt.date(2021, 3, 1))
    Spell.objects.filter(pk=spell.pk).update(notice_date=dt.date(2021, 2, 1))  # before: allowed
    with pytest.raises(IntegrityError), transaction.atomic():
        Spell.objects.filter(pk=spell.pk).update(notice_date=dt.date(2021, 3, 2))


@pytest.mark.parametrize(
    ("notice", "unemployed", "fields", "today", "status"),
    [
        (dt.date(2021, 3, 1), None, {}, dt.date(2021, 3, 22), SpellStatus.NOTICE),
        (dt.date(2021, 3, 1), dt.date(2021, 4, 1), {}, dt.date(2021, 3, 31), SpellStatus.NOTICE),
        (dt.date(2021, 3, 1), dt.date(2021, 4, 1), {}, dt.date(2021, 4, 1), SpellStatus.CONTACT),
        (
            None,
            dt.date(2021, 3, 1),
            {"referred_at": "now", "exit_reason": "referred"},
            dt.date(2021, 3, 22),
            SpellStatus.REFERRED,
        ),
        (
            None,
            dt.date(2021, 3, 1),
            {"handed_over_at": "now", "exit_reason": "handover"},
            dt.date(2021, 6, 1),
            SpellStatus.HANDED_OVER,
        ),
        (None, dt.date(2021, 3, 1), {"exit_reason": "job"}, dt.date(2021, 4, 1), SpellStatus.ENDED),
    ],
)
def test_spell_status(notice, unemployed, fields, today, status):
    now = dt.datetime(2021, 3, 22, 12, tzinfo=dt.UTC)
    spell = Spell(
        notice_date=notice,
        unemployed_from=unemployed,
        **{k: now if v == "now" else v for k, v in fields.items()},
    )
    assert spell.status(today) == status


def test_case_events_and_audit_entries_are_append_only(orgs, make_spell):
    spell = make_spell(orgs.hk)
    event = CaseEvent.objects.filter(member=spell.member).get()
    event.data = {"tampered": True}
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    entry = AuditEntry.objects.latest("pk")
    with pytest.raises(AppendOnlyError):
        entry.delete()
    assert CaseEvent.objects.get(pk=event.pk).data == {}


def test_conversation_purposes_must_be_known_and_distinct(orgs, make_spell, make_user):
    spell = make_spell(orgs.hk)
    user = make_user(Role.AKASSE_CASEWORKER, orgs.hk)
    conversation = Conversation(
        spell=spell,
        date=dt.date(2021, 3, 2),
        mode="phone",
        purposes=["cv", "job"],
        held_by="akasse",
        recorded_by=user,
        updated_by=user,
    )
    conversation.full_clean()
    assert conversation.as_plan_conversation().purposes == frozenset({Purpose.CV, Purpose.JOB})
    for bad in ([], ["cv", "cv"], ["lunch"], "cv"):
        conversation.purposes = bad
        with pytest.raises(ValidationError):
            conversation.full_clean()


def test_domain_choice_labels_follow_the_active_language():
    choices = field_choices(Purpose)
    with translation.override("da"):
        assert [str(label) for _, label in choices] == [
            "CV-samtale",
            "Rådighedssamtale",
            "Jobsamtale",
            "Fællessamtale",
        ]
    with translation.override("en"):
        assert str(dict(choices)["availability"]) == "Availability conversation"


def test_every_model_change_has_its_migration(db):
    """`makemigrations --check` fails when a model (or a choice label) changed without a migration."""
    from django.core.management import call_command

    call_command("makemigrations", "accounts", "cases", "--check", "--dry-run", verbosity=0)
