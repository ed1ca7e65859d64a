"""Isolation: every URL pattern of the project (walked from django.urls' resolver, so a new screen is covered
the day it is added), requested as every role with objects of another organisation, answers 404 or 403 for
GET and POST, exactly as for an object that does not exist, and changes nothing. Screens without an object
in the URL must not show the other organisation's member. A positive control shows the same URLs answer
200 with the user's own objects, so the 404s come from isolation, not from broken URLs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from akasse.web.accounts.choices import Role
from akasse.web.cases import services
from akasse.web.cases.models import AuditEntry, CaseEvent, Conversation, JointBooking, Spell

CPH = ZoneInfo("Europe/Copenhagen")
FOREIGN_NAME = "Fremmed Fremmedsen"
FOREIGN_CPR = "0304854001"
MISSING = {
    "member_id": "00000000-0000-4000-8000-000000000000",
    "spell_id": 987654321,
    "conversation_id": 987654321,
}


def url_patterns(patterns: list | None = None, namespace: str = "") -> Iterator[tuple[str, list[str]]]:
    """(URL name with namespace, its keyword arguments) of every named pattern in the project."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from url_patterns(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", list(entry.pattern.converters)


@pytest.fixture
def world(roles, orgs, make_spell, make_user, today):
    """Own objects (3F member in København, 101) and foreign ones (an HK member in Aarhus, 751, with a
    conversation, a joint booking with Jobcenter Aarhus, then referred to it)."""
    own = make_spell(orgs.threef, municipality=101, name="Egen Egensen")
    own_conversation = services.record_conversation(
        actor=roles[Role.AKASSE_CASEWORKER],
        spell=own,
        date=dt.date(2021, 3, 10),
        mode="in_person",
        purposes=["cv"],
    ).conversation
    hk_worker = make_user(Role.AKASSE_CASEWORKER, orgs.hk)
    foreign = make_spell(orgs.hk, municipality=751, name=FOREIGN_NAME, cpr=FOREIGN_CPR)
    foreign_conversation = services.record_conversation(
        actor=hk_worker, spell=foreign, date=dt.date(2021, 3, 10), mode="in_person", purposes=["cv"]
    ).conversation
    services.book_joint_conversation(
        actor=hk_worker, spell=foreign, starts_at=dt.datetime(2021, 3, 25, 9, tzinfo=CPH)
    )
    return {
        "own": {"member_id": own.member_id, "spell_id": own.pk, "conversation_id": own_conversation.pk},
        "foreign": {
            "member_id": foreign.member_id,
            "spell_id": foreign.pk,
            "conversation_id": foreign_conversation.pk,
        },
        "foreign_spell": foreign,
    }


def state() -> tuple:
    """Everything a request could change."""
    return (
        list(Spell.objects.order_by("pk").values_list("pk", "exit_reason", "joblog_norm", "next_deadline")),
        list(Conversation.objects.order_by("pk").values_list("pk", "version", "note")),
        JointBooking.objects.count(),
        CaseEvent.objects.count(),
        AuditEntry.objects.exclude(action="view").count(),
    )


def test_every_url_pattern_is_covered_by_the_crawl():
    patterns = dict(url_patterns())
    assert "cases:member" in patterns and "cases:worklist" in patterns
    unknown = {name: kwargs for name, kwargs in patterns.items() if set(kwargs) - set(MISSING)}
    assert unknown == {}, "give the isolation test an object for these URL arguments"


@pytest.mark.parametrize("role", list(Role))
def test_objects_of_another_organisation_answer_404_or_403_for_every_role(client, roles, world, role):
    user = roles[role]
    before = state()
    crawled = 0
    for name, kwargs in url_patterns():
        if not kwargs:
            continue
        foreign_url = reverse(name, kwargs={k: world["foreign"][k] for k in kwargs})
        missing_url = reverse(name, kwargs={k: MISSING[k] for k in kwargs})
        for method in ("get", "post"):
            client.force_login(user)
            foreign = getattr(client, method)(foreign_url)
            missing = getattr(client, method)(missing_url)
            assert foreign.status_code in (403, 404), f"{role} {method.upper()} {name}: {foreign.status_code}"
            assert foreign.status_code == missing.status_code, (
                f"{role} {method.upper()} {name} tells foreign from missing"
            )
            assert FOREIGN_NAME not in foreign.content.decode()
            crawled += 1
    assert crawled >= 16
    assert state() == before


@pytest.mark.parametrize("role", list(Role))
def test_screens_without_an_object_never_show_another_organisations_member(client, roles, world, role):
    for name, kwargs in url_patterns():
        if kwargs or name == "logout":
            continue
        for method in ("get", "post"):
            client.force_login(roles[role])
            response = getattr(client, method)(reverse(name), follow=True)
            html = response.content.decode()
            assert FOREIGN_NAME not in html and FOREIGN_CPR[:6] not in html, f"{role} {method.upper()} {name}"


def test_job_centre_of_another_municipality_sees_nothing_of_a_member_referred_elsewhere(client, roles, world):
    hk_worker = world["foreign_spell"].joint_bookings.get().booked_by
    services.refer_to_job_centre(
        actor=hk_worker, spell=world["foreign_spell"], reason="long_term_risk", override_reason="Test"
    )
    client.force_login(roles[Role.JOBCENTRE_CASEWORKER])  # Jobcenter København; the member went to Aarhus
    member_url = reverse("cases:member", kwargs={"member_id": world["foreign"]["member_id"]})
    assert client.get(member_url).status_code == 404
    assert FOREIGN_NAME not in client.get(reverse("cases:jobcentre_worklist")).content.decode()


def test_positive_control_own_objects_answer_200(client, roles, world):
    client.force_login(roles[Role.AKASSE_CASEWORKER])
    for name, kwargs in url_patterns():
        if kwargs and name != "cases:joblog_norm":  # joblog_norm is POST only
            url = reverse(name, kwargs={k: world["own"][k] for k in kwargs})
            assert client.get(url).status_code == 200, name
