"""Browser tests in Debian's chromium (Playwright): a caseworker logs in with the keyboard, finds a member on
the worklist, records a conversation with two purposes and sees the plan change in place (HTMX, no reload),
books a joint conversation that the job centre then sees, refers a member and hands another over. No page
may break the Content-Security-Policy.
"""

from __future__ import annotations

import datetime as dt

import pytest

from akasse.web.accounts.choices import Role
from tests.web.conftest import PASSWORD, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_out(page) -> None:
    page.get_by_role("button", name="Log ud").click()
    page.wait_for_url("**/log-ind/")


def test_log_in_with_the_keyboard_alone(browser_page, roles):
    page = browser_page
    page.goto("/")
    page.wait_for_url("**/log-ind/?next=/")
    for _ in range(12):  # Tab through skip link, language switch … to the user name field
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "username":
            break
    assert page.evaluate("document.activeElement.name") == "username"
    page.keyboard.type(roles[Role.AKASSE_CASEWORKER].username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/arbejdsliste/")
    assert page.get_by_role("heading", name="Arbejdsliste").is_visible()
    assert page.csp_violations == []


def test_wrong_password_is_refused_in_danish_and_keeps_the_user_name(browser_page, roles):
    page = browser_page
    log_in(page, roles[Role.AKASSE_CASEWORKER].username, "forkert-kodeord")
    assert (
        page.get_by_role("alert")
        .inner_text()
        .startswith("Indtast venligst korrekt brugernavn og adgangskode")
    )
    assert page.get_by_label("Brugernavn").input_value() == roles[Role.AKASSE_CASEWORKER].username


def test_record_two_purposes_see_the_plan_change_then_book_a_joint_conversation_seen_by_the_job_centre(
    browser_page, roles, orgs, make_spell, today
):
    page = browser_page
    spell = make_spell(
        orgs.threef, unemployed_from=dt.date(2021, 3, 1), municipality=101, name="Anne Aagaard"
    )
    log_in(page, roles[Role.AKASSE_CASEWORKER].username)
    page.wait_for_url("**/arbejdsliste/")
    page.get_by_role("link", name="Anne Aagaard").click()
    page.wait_for_url(f"**/medlemmer/{spell.member_id}/")
    cv_row = page.locator('#plan tr[data-purpose="cv"]')
    assert "Overskredet" in cv_row.inner_text()

    page.evaluate("window.notReloaded = true")
    page.get_by_label("Dato").fill("12-03-2021")
    page.get_by_label("Personligt fremmøde").check()
    page.get_by_label("CV-samtale").check()
    page.get_by_label("Rådighedssamtale").check()
    page.get_by_label("Konkrete jobopslag præsenteret").fill("2")
    page.get_by_label("Notat").fill("Gennemgik CV og rådighed")
    page.get_by_role("button", name="Gem samtale").click()

    status = page.get_by_role("status")
    status.get_by_text("CV-samtale nr. 1 er nu opfyldt (frist 15-03-2021).").wait_for()
    assert "Rådighedssamtale nr. 1 er nu opfyldt (frist 31-05-2021)." in status.inner_text()
    assert page.evaluate("window.notReloaded") is True  # swapped in place, no page load
    assert "Afholdt" in cv_row.inner_text() and "12-03-2021" in cv_row.inner_text()
    assert "Afholdt" in page.locator('#plan tr[data-purpose="availability"]').inner_text()
    assert page.get_by_label("Notat").input_value() == ""  # a fresh form for the next conversation

    page.get_by_role("link", name="Book fællessamtale").click()
    page.get_by_label("Dato").fill("25-03-2021")
    page.get_by_label("Klokkeslæt").fill("09:30")
    page.get_by_role("button", name="Book samtalen").click()
    page.get_by_text("Fællessamtalen er booket med Jobcenter København 25-03-2021 09:30.").wait_for()
    log_out(page)

    log_in(page, roles[Role.JOBCENTRE_CASEWORKER].username)
    page.wait_for_url("**/jobcenter/")
    booked = page.locator("section", has=page.get_by_role("heading", name="Bookede fællessamtaler"))
    assert "25-03-2021 09:30" in booked.inner_text() and "Anne Aagaard" in booked.inner_text()
    booked.get_by_role("link", name="Anne Aagaard").click()
    page.wait_for_url(f"**/medlemmer/{spell.member_id}/")
    assert page.get_by_role("heading", name="Anne Aagaard").is_visible()
    assert page.csp_violations == []


def test_refer_with_the_rules_suggestion_and_hand_over_in_bulk(
    browser_page, roles, orgs, make_spell, settings
):
    settings.AKASSE_TODAY = "2021-06-01"
    page = browser_page
    young = make_spell(
        orgs.threef,
        unemployed_from=dt.date(2021, 4, 6),
        cpr="0203014001",
        education="none",
        name="Ung Udenuddannelse",
    )  # 20 years old without education: education order
    make_spell(orgs.threef, unemployed_from=dt.date(2021, 3, 1), name="Bent Bæk")  # hand-over 01-06-2021
    log_in(page, roles[Role.AKASSE_CASEWORKER].username)
    page.wait_for_url("**/arbejdsliste/")

    page.get_by_role("link", name="Ung Udenuddannelse").click()
    page.get_by_role("link", name="Visitér til jobcenter").click()
    assert "Reglernes forslag: Uddannelsespålæg" in page.locator("#suggestion").inner_text()
    assert page.get_by_label("Uddannelsespålæg").is_checked()
    page.get_by_label("Notat til jobcentret").fill("Ønsker at tage en uddannelse")
    page.get_by_role("button", name="Visitér til jobcentret").click()
    page.get_by_text("Ung Udenuddannelse er visiteret til jobcentret: Uddannelsespålæg.").wait_for()
    young.refresh_from_db()
    assert young.exit_reason == "referred"

    page.get_by_role("link", name="Overdragelse", exact=True).click()
    page.get_by_label("Bent Bæk").check()
    page.get_by_role("button", name="Overdrag valgte til jobcentret").click()
    page.get_by_text("1 medlemmer er overdraget til jobcentret.").wait_for()
    receipt = page.locator("table").inner_text()
    assert "Bent Bæk" in receipt and "Jobcenter København" in receipt and "afholdt 0 af 5" in receipt
    assert page.csp_violations == []
