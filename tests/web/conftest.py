"""Fixtures of the web tests: a pinned "today" inside the trial, organisations, one user per role, members and
spells put in through the real importer, and the Playwright harness (Debian's chromium, never a downloaded
browser).

Shared by the service tests (orgs, make_user, make_spell, today) and the interface tests (roles, add_members,
browser_page; the browser itself is tests/conftest.py's `chromium`).
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib
import itertools
from collections.abc import Callable, Iterator
from types import SimpleNamespace
from typing import Any

import pytest

from akasse.domain.cpr import parse_cpr

#: The web tests' "today" (settings.AKASSE_TODAY): Monday 22-03-2021, inside the trial period.
TODAY = dt.date(2021, 3, 22)
PASSWORD = "korrekt-hest-batteri-hæfteklamme"


@pytest.fixture
def today(settings: Any) -> dt.date:
    """Pin the case system's clock to TODAY."""
    settings.AKASSE_TODAY = TODAY.isoformat()
    return TODAY


@pytest.fixture
def organisation(db: None) -> Callable[[str, str], Any]:
    """organisation(kind, code): an organisation seeded by the accounts migration (a-kasse, job centre, STAR).

    Live-server tests flush the database after each test; the migration's seed is then run again."""
    from django.apps import apps

    from akasse.web.accounts.models import Organisation

    if not Organisation.objects.exists():
        importlib.import_module("akasse.web.accounts.migrations.0002_seed_organisations").seed(apps, None)
    return lambda kind, code: Organisation.objects.get(kind=kind, code=code)


@functools.cache
def password_hash() -> str:
    """PASSWORD hashed once per test process (Argon2 is slow on purpose)."""
    from django.contrib.auth.hashers import make_password

    return make_password(PASSWORD)


@pytest.fixture
def make_user(db: None) -> Callable[..., Any]:
    """make_user(role, organisation, username=None): an active user with PASSWORD."""
    from akasse.web.accounts.models import User

    serial = itertools.count(1)

    def make(role: str, organisation: Any, username: str | None = None) -> Any:
        name = username or f"{role}-{organisation.code if organisation else 'none'}-{next(serial)}"
        user = User(username=name, role=role, organisation=organisation, first_name=name)
        user.password = password_hash()
        user.full_clean()
        user.save()
        return user

    return make


@pytest.fixture
def orgs(organisation: Callable[[str, str], Any]) -> SimpleNamespace:
    """The a-kasser HK, 3F and BUPL-A, Jobcenter København (101) and Aarhus (751), and STAR."""
    from akasse.web.accounts.choices import OrganisationKind

    return SimpleNamespace(
        hk=organisation(OrganisationKind.AKASSE, "HK"),
        threef=organisation(OrganisationKind.AKASSE, "3F"),
        bupla=organisation(OrganisationKind.AKASSE, "BUPLA"),
        jc_kbh=organisation(OrganisationKind.JOBCENTRE, "101"),
        jc_aarhus=organisation(OrganisationKind.JOBCENTRE, "751"),
        star=organisation(OrganisationKind.STAR, "STAR"),
    )


@pytest.fixture
def roles(organisation: Callable[[str, str], Any], make_user: Callable[..., Any]) -> dict[str, Any]:
    """One user per role: a-kasse 3F (caseworker, manager), Jobcenter København (101), STAR, administrator."""
    from akasse.web.accounts.choices import OrganisationKind, Role

    akasse = organisation(OrganisationKind.AKASSE, "3F")
    return {
        Role.AKASSE_CASEWORKER: make_user(Role.AKASSE_CASEWORKER, akasse),
        Role.AKASSE_MANAGER: make_user(Role.AKASSE_MANAGER, akasse),
        Role.JOBCENTRE_CASEWORKER: make_user(
            Role.JOBCENTRE_CASEWORKER, organisation(OrganisationKind.JOBCENTRE, "101")
        ),
        Role.STAR_ANALYST: make_user(Role.STAR_ANALYST, organisation(OrganisationKind.STAR, "STAR")),
        Role.ADMIN: make_user(Role.ADMIN, None),
    }


@pytest.fixture
def make_spell(db: None) -> Callable[..., Any]:
    """make_spell(akasse_organisation, unemployed_from=01-03-2021, …): a member and spell put in through the
    importer (coverage, rulebook and deadlines as a real import sets them); returns the Spell.

    Defaults: born 15-05-1985 (35 at U; a fresh serial each call), higher education, no profiling score,
    living in København (101), so an HK or 3F member is in the trial and the rules suggest no referral."""
    from akasse.web.cases.importers import MemberRow, import_rows
    from akasse.web.cases.models import Spell

    serial = itertools.count(1000)

    def make(
        akasse: Any,
        *,
        unemployed_from: dt.date | None = dt.date(2021, 3, 1),
        notice_date: dt.date | None = None,
        cpr: str | None = None,
        name: str | None = None,
        municipality: int = 101,
        education: str = "higher",
        profiling_score: float | None = None,
        complex_challenges: bool = False,
    ) -> Any:
        number = next(serial)
        parsed = parse_cpr(cpr or f"150585{number}")
        row = MemberRow(
            line=2,
            cpr=parsed.number,
            name=name or f"Testperson {number}",
            birth_date=parsed.birth_date,
            sex=parsed.sex.value,
            education=education,
            municipality=municipality,
            notice_date=notice_date,
            unemployed_from=unemployed_from,
            profiling_score=profiling_score,
            complex_challenges=complex_challenges,
        )
        import_rows([row], organisation=akasse, source="test")
        return Spell.objects.select_related("member").get(
            member__akasse=akasse, member__cpr=parsed.number, started_on=row.started_on
        )

    return make


@pytest.fixture
def add_members(organisation: Callable[[str, str], Any], today: dt.date) -> Callable[[str, int], None]:
    """add_members(akasse_code, n): n synthetic members (the demo generator's rows) through the importer."""
    from akasse.web.accounts.choices import OrganisationKind
    from akasse.web.cases.demo import demo_rows
    from akasse.web.cases.importers import import_rows

    def add(akasse: str, n: int, seed: int = 7) -> None:
        rows = demo_rows(akasse, n, seed=seed, today=today)
        import_rows(rows, organisation=organisation(OrganisationKind.AKASSE, akasse), source="test")

    return add


# --- the browser harness -----------------------------------------------------------------------------------


@pytest.fixture
def browser_page(chromium: Any, live_server: Any) -> Iterator[Any]:
    """A fresh Danish browser context against the live server; every page load must pass the CSP."""
    context = chromium.new_context(
        base_url=live_server.url, locale="da-DK", viewport={"width": 1280, "height": 800}
    )
    page = context.new_page()
    page.set_default_timeout(30_000)  # generous: Argon2 and a loaded 2-core machine
    violations: list[str] = []
    page.on(
        "console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None
    )
    page.csp_violations = violations
    yield page
    context.close()


def log_in(page: Any, username: str, password: str = PASSWORD) -> None:
    """Log in through the login form as a user would."""
    page.goto("/log-ind/")
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill(password)
    page.get_by_role("button", name="Log ind").click()
