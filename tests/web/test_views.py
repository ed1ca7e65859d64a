"""The case screens through Django's test client: Danish text and dd-mm-åååå dates, the worklist's order,
filters and POSTed search, the member page, and the messages a caseworker gets.

Dates are worked out by hand from rulebooks/trial-2020.toml with today = Monday 22-03-2021 (conftest.TODAY):
U = 01-03-2021 gives the CV deadline U+14d = Mon 15-03-2021, the others U+3m-1d = Mon 31-05-2021, and the
hand-over U+3m = Tue 01-06-2021.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from akasse.web.accounts.choices import Role
from akasse.web.cases.choices import AuditAction
from akasse.web.cases.models import AuditEntry
from akasse.web.cases.views import SEARCH_SESSION_KEY


@pytest.fixture
def caseworker(client, roles):
    client.force_login(roles[Role.AKASSE_CASEWORKER])
    return roles[Role.AKASSE_CASEWORKER]


def rows(html: str) -> list[str]:
    """The text of each body row of the page's first table, tags stripped and spaces collapsed."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [
        " ".join(re.sub(r"<[^>]+>", " ", r).split()) for r in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


@pytest.mark.parametrize(
    ("role", "target"),
    [
        (Role.AKASSE_CASEWORKER, "cases:worklist"),
        (Role.AKASSE_MANAGER, "cases:worklist"),
        (Role.JOBCENTRE_CASEWORKER, "cases:jobcentre_worklist"),
        (Role.STAR_ANALYST, "cases:monitoring"),
    ],
)
def test_home_leads_each_role_to_its_first_screen(client, roles, role, target):
    client.force_login(roles[role])
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url == reverse(target)


def test_administrator_home_says_there_are_no_case_screens(client, roles):
    client.force_login(roles[Role.ADMIN])
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "Ingen sagsskærme for din rolle" in response.content.decode()


def test_anonymous_user_is_sent_to_the_danish_login_page(client, db):
    response = client.get(reverse("cases:worklist"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    page = client.get(response.url).content.decode()
    assert '<html lang="da">' in page
    assert "Log ind" in page and "Brugernavn" in page and "Adgangskode" in page


def test_worklist_lists_own_members_by_next_deadline_with_danish_dates(
    client, caseworker, orgs, make_spell, today
):
    late = make_spell(
        orgs.threef, unemployed_from=dt.date(2021, 3, 1), name="Anne Aagaard"
    )  # CV due 15-03-2021
    soon = make_spell(orgs.threef, unemployed_from=dt.date(2021, 3, 15), name="Bent Bæk")  # CV due 29-03-2021
    make_spell(orgs.hk, unemployed_from=dt.date(2021, 3, 1), name="Hanne Fremmed")  # another a-kasse's member
    html = client.get(reverse("cases:worklist")).content.decode()
    listed = rows(html)
    assert len(listed) == 2
    assert listed[0].startswith("Anne Aagaard") and "15-03-2021 · overskredet" in listed[0]
    assert listed[1].startswith("Bent Bæk") and "29-03-2021" in listed[1] and "15-03-2021" in listed[1]
    assert "Hanne Fremmed" not in html
    assert late.member.cpr[:6] + "-" + late.member.cpr[6:] in html  # CPR shown on the page…
    assert f'href="/medlemmer/{soon.member_id}/"' in html  # …while links carry only the opaque id


@pytest.mark.parametrize(
    ("view", "expected"),
    [
        ("overdue", ["Anne Aagaard"]),  # CV deadline 15-03-2021 < 22-03-2021
        ("due_this_week", ["Bent Bæk"]),  # CV deadline 26-03-2021 (U+14d = Sat 27-03 → Fri 26-03), this week
        ("notice", ["Carl Carlsen"]),  # unemployed only from 01-04-2021
    ],
)
def test_worklist_filters(client, caseworker, orgs, make_spell, today, view, expected):
    make_spell(orgs.threef, unemployed_from=dt.date(2021, 3, 1), name="Anne Aagaard")
    make_spell(orgs.threef, unemployed_from=dt.date(2021, 3, 13), name="Bent Bæk")
    make_spell(
        orgs.threef, notice_date=dt.date(2021, 3, 1), unemployed_from=dt.date(2021, 4, 1), name="Carl Carlsen"
    )
    listed = rows(client.get(reverse("cases:worklist"), {"vis": view}).content.decode())
    assert [r.split(" ")[0] + " " + r.split(" ")[1] for r in listed] == expected


def test_worklist_search_by_cpr_is_posted_and_kept_out_of_every_url(
    client, caseworker, orgs, make_spell, today
):
    wanted = make_spell(orgs.threef, name="Dorte Dahl", cpr="0304854001")
    make_spell(orgs.threef, name="Erik Eriksen")
    response = client.post(reverse("cases:worklist"), {"q": "030485-4001", "vis": ""})
    assert response.status_code == 302
    assert "0304" not in response.url and "4001" not in response.url
    assert client.session[SEARCH_SESSION_KEY] == "030485-4001"
    page = client.get(response.url).content.decode()
    assert [r.split(" 0304")[0] for r in rows(page)] == ["Dorte Dahl"]
    assert f"/medlemmer/{wanted.member_id}/" in page
    assert not re.search(r'href="[^"]*0304854001', page) and not re.search(r'href="[^"]*030485-4001', page)


def test_worklist_search_by_name_and_clearing_it(client, caseworker, orgs, make_spell, today):
    make_spell(orgs.threef, name="Dorte Dahl")
    make_spell(orgs.threef, name="Erik Eriksen")
    client.post(reverse("cases:worklist"), {"q": "erik"})
    assert [r.split(" 1505")[0] for r in rows(client.get(reverse("cases:worklist")).content.decode())] == [
        "Erik Eriksen"
    ]
    client.post(reverse("cases:worklist"), {"q": ""})
    assert len(rows(client.get(reverse("cases:worklist")).content.decode())) == 2


def test_worklist_pages_hold_fifty_members(client, caseworker, orgs, make_spell, add_members, today):
    add_members("3F", 60)
    first = client.get(reverse("cases:worklist")).content.decode()
    second = client.get(reverse("cases:worklist"), {"side": 2}).content.decode()
    assert len(rows(first)) == 50 and "Side 1" in first and 'href="?side=2" rel="next"' in first
    assert len(rows(second)) == 10 and 'href="?side=1" rel="prev"' in second and 'rel="next"' not in second


def test_member_page_shows_plan_timeline_and_writes_the_read_audit(
    client, caseworker, orgs, make_spell, today
):
    spell = make_spell(
        orgs.threef, unemployed_from=dt.date(2021, 3, 1), notice_date=dt.date(2021, 2, 1), name="Anne Aagaard"
    )
    html = client.get(reverse("cases:member", kwargs={"member_id": spell.member_id})).content.decode()
    plan = html.split('id="plan"', 1)[1].split("</section>", 1)[0]
    plan_rows = rows(plan)
    assert (
        plan_rows[0] == "CV-samtale 1 A-kasse 01-02-2021 15-03-2021 Overskredet –"
    )  # opens at the notice date
    assert plan_rows[1] == "Rådighedssamtale 1 A-kasse 01-02-2021 31-05-2021 Skal afholdes –"
    assert plan_rows[-1] == "Fællessamtale 1 A-kasse og jobcenter 01-03-2021 31-05-2021 Skal afholdes –"
    assert "overdrages til jobcentret 01-06-2021" in plan
    timeline = html.split('id="timeline-heading"', 1)[1].split("</section>", 1)[0]
    assert "01-02-2021" in timeline and "Opsagt" in timeline and "Ledig fra" in timeline
    entry = AuditEntry.objects.get(action=AuditAction.VIEW)
    assert (entry.member_id, entry.actor, entry.role) == (spell.member_id, caseworker, Role.AKASSE_CASEWORKER)


def htmx_post(client, url, data):
    return client.post(url, data, headers={"HX-Request": "true"})


def test_recording_two_purposes_updates_the_plan_in_place_with_a_message_each(
    client, caseworker, orgs, make_spell, today
):
    spell = make_spell(orgs.threef, unemployed_from=dt.date(2021, 3, 1))
    url = reverse("cases:record_conversation", kwargs={"spell_id": spell.pk})
    response = htmx_post(
        client,
        url,
        {
            "date": "12-03-2021",
            "mode": "in_person",
            "purposes": ["cv", "availability"],
            "jobs_presented": "2",
            "note": "Godt møde",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200 and html.lstrip().startswith('<div id="casework">')  # the partial only
    assert "CV-samtale nr. 1 er nu opfyldt (frist 15-03-2021)." in html
    assert "Rådighedssamtale nr. 1 er nu opfyldt (frist 31-05-2021)." in html
    plan_rows = rows(html.split('id="plan"', 1)[1])
    assert plan_rows[0] == "CV-samtale 1 A-kasse 01-03-2021 15-03-2021 Afholdt 12-03-2021"
    assert plan_rows[1] == "Rådighedssamtale 1 A-kasse 01-03-2021 31-05-2021 Afholdt 12-03-2021"
    assert "12-03-2021" in html.split('id="conversations-heading"', 1)[1]


def test_a_late_conversation_is_announced_as_late(client, caseworker, orgs, make_spell, today):
    spell = make_spell(orgs.threef, unemployed_from=dt.date(2021, 3, 1))
    html = htmx_post(
        client,
        reverse("cases:record_conversation", kwargs={"spell_id": spell.pk}),
        {
            "date": "16-03-2021",
            "mode": "in_person",
            "purposes": ["cv"],
            "jobs_presented": "0",
        },
    ).content.decode()
    assert "CV-samtale nr. 1 er afholdt for sent: fristen var 15-03-2021." in html
    assert "Afholdt for sent" in html


def test_a_rejected_conversation_keeps_what_was_typed_and_shows_the_error_by_the_field(
    client, caseworker, orgs, make_spell, today
):
    spell = make_spell(orgs.threef)
    html = htmx_post(
        client,
        reverse("cases:record_conversation", kwargs={"spell_id": spell.pk}),
        {
            "date": "12-03-2021",
            "mode": "phone",
            "jobs_presented": "3",
            "note": "Lang snak om lagerjob",
        },
    ).content.decode()
    assert 'id="id_purposes_error"' in html and "Vælg mindst ét formål." in html
    assert "Lang snak om lagerjob</textarea>" in html
    assert 'value="12-03-2021"' in html and 'value="3"' in html
    assert re.search(r'value="phone"[^>]*checked', html)
    assert spell.conversations.count() == 0


def test_a_conversation_dated_in_the_future_is_refused_in_danish(client, caseworker, orgs, make_spell, today):
    spell = make_spell(orgs.threef)
    response = client.post(
        reverse("cases:record_conversation", kwargs={"spell_id": spell.pk}),
        {
            "date": "23-03-2021",
            "mode": "phone",
            "purposes": ["job"],
            "jobs_presented": "0",
        },
    )
    assert response.status_code == 200
    assert "En samtale kan ikke registreres med en dato efter i dag." in response.content.decode()
    assert spell.conversations.count() == 0


def test_without_htmx_recording_redirects_to_the_member_page_with_the_message(
    client, caseworker, orgs, make_spell, today
):
    spell = make_spell(orgs.threef)
    response = client.post(
        reverse("cases:record_conversation", kwargs={"spell_id": spell.pk}),
        {
            "date": "10-03-2021",
            "mode": "in_person",
            "purposes": ["cv"],
            "jobs_presented": "0",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("cases:member", kwargs={"member_id": spell.member_id})
    assert "CV-samtale nr. 1 er nu opfyldt (frist 15-03-2021)." in response.content.decode()


def test_english_is_available_through_the_language_switch(client, caseworker, orgs, make_spell, today):
    spell = make_spell(orgs.threef, unemployed_from=dt.date(2021, 3, 1))
    member_url = reverse("cases:member", kwargs={"member_id": spell.member_id})
    danish = client.get(member_url).content.decode()  # the blank record form, rendered once a language
    assert "Vælg alle de formål, samtalen dækker." in danish
    response = client.post(reverse("set_language"), {"language": "en", "next": member_url})
    assert response.status_code == 302 and response.url == member_url
    html = client.get(member_url).content.decode()
    assert '<html lang="en">' in html
    assert "Contact plan" in html and "CV conversation" in html and "15-03-2021" in html
    assert "Kontaktplan" not in html
    assert "Choose every purpose the conversation served." in html and "Vælg alle" not in html
    assert 'name="date" value="22-03-2021"' in html  # today, in the record form


@pytest.mark.parametrize(
    ("accept_language", "cookie", "expected"),
    [
        ("en-US,en;q=0.9", None, "da"),  # an English browser alone does not change the language
        ("da-DK", "en", "en"),  # the switch's choice does
        ("en", "xx", "da"),  # an unknown choice falls back to Danish
    ],
)
def test_danish_unless_the_user_chose_english(
    client, caseworker, orgs, make_spell, today, settings, accept_language, cookie, expected
):
    spell = make_spell(orgs.threef, unemployed_from=dt.date(2021, 3, 1))
    if cookie:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = cookie
    member_url = reverse("cases:member", kwargs={"member_id": spell.member_id})
    html = client.get(member_url, HTTP_ACCEPT_LANGUAGE=accept_language).content.decode()
    assert f'<html lang="{expected}">' in html
    assert ("Kontaktplan" in html) == (expected == "da")


def test_server_error_page_is_danish_with_english_beside_it(client, db, settings):
    from django.test import RequestFactory
    from django.views.defaults import server_error

    html = server_error(RequestFactory().get("/")).content.decode()
    assert "Der opstod en fejl" in html and "Server error" in html and "akasse.css" in html
