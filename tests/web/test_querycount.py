"""Query-count guards: the worklist, the hand-over list, the job centre's list and the member page run a fixed
number of queries, the same with 5 as with 50 members (and for a member with 1 or 6 conversations)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from akasse.web.accounts.choices import Role
from akasse.web.cases import services
from akasse.web.cases.models import Spell
from tests.web.conftest import PASSWORD

#: session, user with organisation, one page (no COUNT, see paging.py); the hand-over list also prefetches
MAX_LIST_QUERIES = 4
#: session, user with organisation, latest spell with its member, CV and Min Plan, audit insert,
#: conversations, bookings, Min Plan history
MAX_MEMBER_QUERIES = 7


#: The backend a password login records in the session; it reads the user with the organisation.
PASSWORD_BACKEND = "akasse.web.accounts.backends.UserWithOrganisationBackend"


def log_in(client, user) -> None:
    """Signed in as by the login page (force_login alone would name axes' backend, the first one)."""
    client.force_login(user, backend=PASSWORD_BACKEND)


def test_the_login_page_signs_in_through_the_backend_that_reads_user_and_organisation_at_once(client, roles):
    worker = roles[Role.AKASSE_CASEWORKER]
    response = client.post(reverse("login"), {"username": worker.username, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session[BACKEND_SESSION_KEY] == PASSWORD_BACKEND
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("cases:worklist")).status_code == 200
    sqls = [q["sql"] for q in captured]
    assert any('FROM "accounts_user"' in q and 'JOIN "accounts_organisation"' in q for q in sqls)
    assert not any('FROM "accounts_organisation"' in q for q in sqls)  # not a query of its own


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    ("role", "url_name"),
    [
        (Role.AKASSE_CASEWORKER, "cases:worklist"),
        (Role.AKASSE_CASEWORKER, "cases:handover_list"),
        (Role.AKASSE_MANAGER, "cases:audit_trail"),
        (Role.JOBCENTRE_CASEWORKER, "cases:jobcentre_worklist"),
    ],
)
def test_list_screens_run_the_same_few_queries_for_5_and_50_members(
    client, roles, add_members, settings, role, url_name, django_assert_max_num_queries
):
    settings.AKASSE_TODAY = (
        "2021-06-15"  # demo spells started up to 5 months earlier: many are due for hand-over
    )
    log_in(client, roles[role])
    url = reverse(url_name)
    add_members("3F", 5, seed=1)
    small = queries(client, url)
    add_members("3F", 45, seed=2)
    assert Spell.objects.filter(member__akasse__code="3F").count() == 50
    with django_assert_max_num_queries(MAX_LIST_QUERIES):
        large = queries(client, url)
    assert large == small


def test_member_page_runs_the_same_queries_for_5_and_50_members_and_for_more_conversations(
    client, roles, orgs, make_spell, add_members, today, django_assert_max_num_queries
):
    worker = roles[Role.AKASSE_CASEWORKER]
    log_in(client, worker)
    spell = make_spell(orgs.threef, unemployed_from=dt.date(2021, 3, 1))
    url = reverse("cases:member", kwargs={"member_id": spell.member_id})
    add_members("3F", 4, seed=1)
    services.record_conversation(
        actor=worker, spell=spell, date=dt.date(2021, 3, 2), mode="in_person", purposes=["cv"]
    )
    services.update_min_plan(
        actor=worker, member=spell.member, job_goal_1="A", job_goal_2="B", search_plan="C"
    )
    small = queries(client, url)
    add_members("3F", 45, seed=2)
    for day in range(3, 8):
        services.record_conversation(
            actor=worker, spell=spell, date=dt.date(2021, 3, day), mode="phone", purposes=["job"]
        )
        services.update_min_plan(
            actor=worker, member=spell.member, job_goal_1="A", job_goal_2=f"B{day}", search_plan="C"
        )
    services.update_cv_status(
        actor=worker, member=spell.member, present=True, approved=True, searchable=True, updated_on=None
    )
    with django_assert_max_num_queries(MAX_MEMBER_QUERIES):
        large = queries(client, url)
    assert large == small
