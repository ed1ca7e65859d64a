"""Optimistic locking of conversations: a stale edit is refused with both versions, and nothing is lost."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection

from akasse.web.accounts.choices import Role
from akasse.web.cases import services
from akasse.web.cases.choices import CaseEventKind
from akasse.web.cases.models import CaseEvent, Conversation
from akasse.web.cases.services import StaleVersion


def edit(actor, conversation, version, note, purposes=("cv",)):
    return services.update_conversation(
        actor=actor,
        conversation=conversation,
        expected_version=version,
        date=conversation.date,
        mode="in_person",
        purposes=list(purposes),
        jobcentre_present=False,
        jobs_presented=0,
        note=note,
    )


@pytest.fixture
def two_caseworkers(today, orgs, make_spell, make_user):
    spell = make_spell(orgs.hk, unemployed_from=dt.date(2021, 3, 1))
    first, second = make_user(Role.AKASSE_CASEWORKER, orgs.hk), make_user(Role.AKASSE_CASEWORKER, orgs.hk)
    conversation = services.record_conversation(
        actor=first,
        spell=spell,
        date=dt.date(2021, 3, 10),
        mode="in_person",
        purposes=["cv"],
        note="original",
    ).conversation
    return first, second, conversation


def test_second_stale_edit_is_refused_with_both_versions_and_the_first_edit_kept(two_caseworkers):
    first, second, conversation = two_caseworkers
    loaded_by_first = Conversation.objects.get(pk=conversation.pk)
    loaded_by_second = Conversation.objects.get(pk=conversation.pk)
    saved = edit(first, loaded_by_first, loaded_by_first.version, "første rettelse", ("cv", "availability"))
    assert saved.conversation.version == 2
    with pytest.raises(StaleVersion) as stale:
        edit(second, loaded_by_second, loaded_by_second.version, "anden rettelse")
    assert (stale.value.submitted_version, stale.value.current_version) == (1, 2)
    assert stale.value.current.note == "første rettelse"  # what the form shows beside the refused edit
    assert "version 2" in str(stale.value) and "version 1" in str(stale.value)
    stored = Conversation.objects.get(pk=conversation.pk)
    assert (stored.note, stored.purposes, stored.version, stored.updated_by) == (
        "første rettelse",
        ["cv", "availability"],
        2,
        first,
    )
    assert CaseEvent.objects.filter(kind=CaseEventKind.CONVERSATION_UPDATED).count() == 1


def test_edit_after_reloading_the_current_version_succeeds(two_caseworkers):
    first, second, conversation = two_caseworkers
    edit(first, conversation, 1, "første")
    reloaded = Conversation.objects.get(pk=conversation.pk)
    result = edit(second, reloaded, reloaded.version, "anden")
    assert result.conversation.version == 3
    assert Conversation.objects.get(pk=conversation.pk).note == "anden"


def test_editing_purposes_updates_the_plan_and_the_spells_next_deadline(two_caseworkers):
    first, _, conversation = two_caseworkers
    spell = conversation.spell
    spell.refresh_from_db()
    assert spell.next_deadline == dt.date(2021, 5, 31)  # CV met on 10-03; the rest by U+3m-1d
    result = edit(first, conversation, 1, "kun rådighed", ("availability",))
    assert [r.purpose.value for r in result.change.newly_met] == ["availability"]
    spell.refresh_from_db()
    assert spell.next_deadline == dt.date(2021, 3, 15)  # the CV conversation is open again


@pytest.mark.django_db(transaction=True)
def test_concurrent_edits_of_the_same_version_let_exactly_one_through(settings, orgs, make_spell, make_user):
    """Two threads, two database connections, both editing version 1 at once (row lock + version check)."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers itself; the row lock is exercised on PostgreSQL")
    settings.AKASSE_TODAY = "2021-03-22"
    spell = make_spell(orgs.hk, unemployed_from=dt.date(2021, 3, 1))
    users = [make_user(Role.AKASSE_CASEWORKER, orgs.hk) for _ in range(2)]
    conversation = services.record_conversation(
        actor=users[0], spell=spell, date=dt.date(2021, 3, 10), mode="in_person", purposes=["cv"]
    ).conversation
    barrier, outcomes = threading.Barrier(2), []

    def worker(user, note):
        try:
            barrier.wait()
            edit(user, conversation, 1, note)
            outcomes.append("saved")
        except StaleVersion:
            outcomes.append("stale")
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(u, f"note {i}")) for i, u in enumerate(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["saved", "stale"]
    assert Conversation.objects.get(pk=conversation.pk).version == 2
