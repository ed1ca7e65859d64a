"""The action screens through Django's test client: editing with optimistic locking, booking a joint
conversation, visitation out, the bulk hand-over, CV and Min Plan, the manager's audit trail and STAR's page.

Today is Monday 22-03-2021 (conftest.TODAY); for U = 01-03-2021 trial-2020 hands over on 01-06-2021.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from akasse.domain.choices import ExitReason
from akasse.web.accounts.choices import Role
from akasse.web.cases import services
from akasse.web.cases.choices import AuditAction, BookingStatus
from akasse.web.cases.models import AuditEntry, JointBooking, MinPlanVersion


@pytest.fixture
def caseworker(client, roles):
    client.force_login(roles[Role.AKASSE_CASEWORKER])
    return roles[Role.AKASSE_CASEWORKER]


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_a_stale_edit_is_refused_showing_both_versions_and_keeping_the_input(
    client, caseworker, roles, orgs, make_spell, today
):
    spell = make_spell(orgs.threef)
    conversation = services.record_conversation(
        actor=caseworker,
        spell=spell,
        date=dt.date(2021, 3, 10),
        mode="in_person",
        purposes=["cv"],
        note="Første udgave",
    ).conversation
    url = reverse("cases:edit_conversation", kwargs={"conversation_id": conversation.pk})
    assert 'name="version" value="1"' in client.get(url).content.decode()
    # A colleague saves first (version 1 → 2).
    services.update_conversation(
        actor=roles[Role.AKASSE_MANAGER],
        conversation=conversation,
        expected_version=1,
        date=dt.date(2021, 3, 10),
        mode="phone",
        purposes=["cv"],
        jobcentre_present=False,
        jobs_presented=0,
        note="Kollegaens udgave",
    )
    mine = {
        "date": "11-03-2021",
        "mode": "video",
        "purposes": ["cv", "job"],
        "jobs_presented": "4",
        "note": "Min udgave",
        "version": "1",
    }
    response = client.post(url, mine)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Samtalen er blevet ændret af en anden" in html and "Intet er gemt" in html
    stored = text(html.split('id="versions"', 1)[1].split("</div>", 1)[0])
    assert "Gemt version 2 (af en anden)" in stored and "Kollegaens udgave" in stored and "Telefon" in stored
    assert "Min udgave</textarea>" in html and 'value="11-03-2021"' in html and 'value="4"' in html
    assert 'name="version" value="2"' in html  # saving again now deliberately overwrites version 2
    conversation.refresh_from_db()
    assert (conversation.version, conversation.note) == (2, "Kollegaens udgave")
    # The user reviews and saves again: their version wins, as version 3.
    response = client.post(url, mine | {"version": "2"})
    assert response.status_code == 302
    conversation.refresh_from_db()
    assert (conversation.version, conversation.note, conversation.purposes) == (
        3,
        "Min udgave",
        ["cv", "job"],
    )


def test_booking_a_joint_conversation_shows_it_to_the_job_centre(
    client, caseworker, roles, orgs, make_spell, today
):
    spell = make_spell(orgs.threef, municipality=101, name="Anne Aagaard")
    response = client.post(
        reverse("cases:book_joint", kwargs={"spell_id": spell.pk}),
        {"date": "25-03-2021", "time": "09:30"},
        follow=True,
    )
    assert "Fællessamtalen er booket med Jobcenter København 25-03-2021 09:30." in response.content.decode()
    booking = JointBooking.objects.get()
    assert booking.status == BookingStatus.BOOKED and booking.jobcentre == orgs.jc_kbh
    client.force_login(roles[Role.JOBCENTRE_CASEWORKER])  # Jobcenter København
    listed = client.get(reverse("cases:jobcentre_worklist")).content.decode()
    bookings = text(listed.split('id="bookings-heading"', 1)[1].split("</section>", 1)[0])
    assert "25-03-2021 09:30 Anne Aagaard 3F A-kasse" in bookings
    assert client.get(reverse("cases:member", kwargs={"member_id": spell.member_id})).status_code == 200


def test_booking_in_the_past_is_refused_next_to_the_date(client, caseworker, orgs, make_spell, today):
    spell = make_spell(orgs.threef)
    html = client.post(
        reverse("cases:book_joint", kwargs={"spell_id": spell.pk}), {"date": "19-03-2021", "time": "09:30"}
    ).content.decode()
    assert 'id="id_date_error"' in html and "Vælg en dato fra i dag og frem." in html
    assert 'value="09:30"' in html
    assert not JointBooking.objects.exists()


def test_referral_shows_the_rules_suggestion_preselected(client, caseworker, orgs, make_spell, today):
    spell = make_spell(
        orgs.threef, cpr="0203911001", education="none"
    )  # 29 at U, no education: education order
    html = client.get(reverse("cases:refer", kwargs={"spell_id": spell.pk})).content.decode()
    assert "Reglernes forslag: Uddannelsespålæg" in text(html.split('id="suggestion"', 1)[1])
    assert re.search(r'value="education_order"[^>]*checked', html)


def test_overriding_the_suggestion_needs_a_reason_and_keeps_the_input(
    client, caseworker, orgs, make_spell, today
):
    spell = make_spell(orgs.threef)  # 35, higher education, no score: the rules suggest no referral
    url = reverse("cases:refer", kwargs={"spell_id": spell.pk})
    assert "ingen visitation – medlemmet bliver i forsøget." in client.get(url).content.decode()
    html = client.post(url, {"reason": "long_term_risk", "note": "Aftalt med medlemmet"}).content.decode()
    assert (
        'id="id_override_reason_error"' in html and "Skriv hvorfor du afviger fra reglernes forslag." in html
    )
    assert "Aftalt med medlemmet</textarea>" in html and re.search(
        r'value="long_term_risk"[^>]*checked', html
    )
    spell.refresh_from_db()
    assert spell.exit_reason is None
    response = client.post(
        url, {"reason": "long_term_risk", "note": "Aftalt", "override_reason": "Lang sygdom"}, follow=True
    )
    assert "er visiteret til jobcentret: Risiko for langtidsledighed." in response.content.decode()
    spell.refresh_from_db()
    assert (spell.exit_reason, spell.referral_override_reason) == (ExitReason.REFERRED, "Lang sygdom")


def test_bulk_hand_over_lists_what_the_job_centre_receives(client, caseworker, orgs, make_spell, settings):
    settings.AKASSE_TODAY = "2021-06-01"
    due = make_spell(
        orgs.threef, unemployed_from=dt.date(2021, 3, 1), name="Anne Aagaard"
    )  # hand-over 01-06-2021
    also = make_spell(
        orgs.threef, unemployed_from=dt.date(2021, 2, 26), name="Bent Bæk"
    )  # hand-over 26-05-2021
    make_spell(orgs.threef, unemployed_from=dt.date(2021, 3, 2), name="Carl Carlsen")  # not yet: 02-06-2021
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
    listed = client.get(reverse("cases:handover_list")).content.decode()
    body = text(listed.split("<tbody>", 1)[1].split("</tbody>", 1)[0])
    assert "Bent Bæk" in body and "Anne Aagaard" in body and "Carl Carlsen" not in body
    assert "Anne Aagaard · åbn Anne Aagaard 01-06-2021 1 af 5 godkendt, søgbart mangler" in body
    response = client.post(reverse("cases:handover_list"), {"spells": [due.pk, also.pk]})
    done = text(response.content.decode())
    assert "2 medlemmer er overdraget til jobcentret." in done
    assert "Anne Aagaard Jobcenter København afholdt 1 af 5 CV-samtale 1: Afholdt" in done
    due.refresh_from_db()
    assert (due.exit_reason, due.jobcentre) == (ExitReason.HANDOVER, orgs.jc_kbh)


def test_hand_over_without_a_choice_is_refused_next_to_the_list(
    client, caseworker, orgs, make_spell, settings
):
    settings.AKASSE_TODAY = "2021-06-01"
    make_spell(orgs.threef, unemployed_from=dt.date(2021, 3, 1))
    html = client.post(reverse("cases:handover_list"), {}).content.decode()
    assert "Vælg mindst ét medlem." in html


def test_cv_and_min_plan_forms_save_through_the_services(client, caseworker, orgs, make_spell, today):
    member = make_spell(orgs.threef).member
    html = client.post(
        reverse("cases:edit_cv", kwargs={"member_id": member.pk}), {"approved": "on"}
    ).content.decode()
    assert "Et CV skal være oprettet, før det kan godkendes eller være søgbart." in html
    client.post(
        reverse("cases:edit_cv", kwargs={"member_id": member.pk}),
        {"present": "on", "approved": "on", "updated_on": "19-03-2021"},
    )
    member.cv.refresh_from_db()
    assert (member.cv.present, member.cv.approved, member.cv.updated_on) == (True, True, dt.date(2021, 3, 19))
    url = reverse("cases:edit_min_plan", kwargs={"member_id": member.pk})
    client.post(url, {"job_goal_1": "Lagerarbejder", "job_goal_2": "Chauffør", "search_plan": "To om ugen"})
    client.post(
        url, {"job_goal_1": "Lagerarbejder", "job_goal_2": "Truckfører", "search_plan": "Tre om ugen"}
    )
    page = text(client.get(reverse("cases:member", kwargs={"member_id": member.pk})).content.decode())
    assert "Jobmål 2 Truckfører" in page and "Historik (2 versioner)" in page
    assert list(MinPlanVersion.objects.values_list("version", flat=True)) == [2, 1]


def test_manager_sees_the_audit_trail_and_a_caseworker_does_not(client, roles, orgs, make_spell, today):
    spell = make_spell(orgs.threef, name="Anne Aagaard")
    client.force_login(roles[Role.AKASSE_CASEWORKER])
    client.get(reverse("cases:member", kwargs={"member_id": spell.member_id}))
    assert client.get(reverse("cases:audit_trail")).status_code == 403
    client.force_login(roles[Role.AKASSE_MANAGER])
    html = client.get(reverse("cases:audit_trail")).content.decode()
    first = text(html.split("<tbody>", 1)[1].split("</tr>", 1)[0])
    entry = AuditEntry.objects.filter(action=AuditAction.VIEW).get()
    assert re.fullmatch(
        r"\d\d-\d\d-\d{4} \d\d:\d\d akasse_caseworker-3F-\d+ "
        r"Sagsbehandler i a-kasse Læst Anne Aagaard medlemsside",
        first,
    )
    assert entry.organisation == orgs.threef


def test_star_page_shows_no_personal_data(client, roles, orgs, make_spell, today, settings):
    settings.AKASSE_MONITORING_URL = "https://monitorering.example/a-kasseforsoeg/"
    spell = make_spell(orgs.threef, name="Anne Aagaard")
    client.force_login(roles[Role.STAR_ANALYST])
    html = client.get(reverse("cases:monitoring")).content.decode()
    assert 'href="https://monitorering.example/a-kasseforsoeg/"' in html
    assert "Anne Aagaard" not in html and spell.member.cpr[:6] not in html
    assert client.get(reverse("cases:member", kwargs={"member_id": spell.member_id})).status_code == 403
    assert client.get(reverse("cases:worklist")).status_code == 403


def test_joblog_norm_is_changed_from_the_member_page_and_a_bad_value_is_refused(
    client, caseworker, orgs, make_spell, today
):
    spell = make_spell(orgs.threef)
    url = reverse("cases:joblog_norm", kwargs={"spell_id": spell.pk})
    member_url = reverse("cases:member", kwargs={"member_id": spell.member_id})
    page = text(client.post(url, {"norm": "3"}, follow=True).content.decode())
    assert "Joblog-normen er nu 3 ansøgninger om ugen." in page and "Norm: 3 ansøgninger om ugen." in page
    page = text(client.post(url, {"norm": "41"}, follow=True).content.decode())
    assert "Denne værdi skal være mindre end eller lig 40." in page
    spell.refresh_from_db()
    assert spell.joblog_norm == 3
    assert client.get(url).status_code == 405 and client.get(member_url).status_code == 200
