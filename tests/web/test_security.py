"""Security settings at work: Argon2 hashes, lock-out after repeated failures, cookie flags, the CSP."""

from __future__ import annotations

import re

import pytest
from axes.models import AccessAttempt
from csp.middleware import CSPMiddleware
from django.contrib.auth import authenticate
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.test import Client, RequestFactory
from django.urls import reverse

from akasse.web.accounts.choices import Role
from akasse.web.accounts.models import User

PASSWORD = "en-lang-og-god-adgangskode"


@pytest.fixture
def user(orgs):
    return User.objects.create_user(
        "sikker", password=PASSWORD, role=Role.AKASSE_CASEWORKER, organisation=orgs.hk
    )


def login(username: str, password: str):
    request = RequestFactory().post("/log-ind/", REMOTE_ADDR="10.0.0.7")
    return authenticate(request=request, username=username, password=password)


def test_passwords_are_hashed_with_argon2(user):
    assert user.password.startswith("argon2$argon2id$")
    assert user.check_password(PASSWORD) and not user.check_password("forkert")


def test_login_is_locked_after_five_failures_even_with_the_right_password(settings, user):
    settings.AXES_FAILURE_LIMIT = 5
    assert login("sikker", PASSWORD) == user
    for _ in range(5):
        assert login("sikker", "forkert") is None
    assert login("sikker", PASSWORD) is None
    assert (
        AccessAttempt.objects.get(username="sikker").failures_since_start >= 5
    )  # axes also counts refused tries


def test_four_failures_do_not_lock_out(settings, user):
    settings.AXES_FAILURE_LIMIT = 5
    for _ in range(4):
        login("sikker", "forkert")
    assert login("sikker", PASSWORD) == user


def test_session_and_csrf_cookies_are_secure_httponly_and_samesite(db, settings):
    """The test run has AKASSE_DEBUG unset, as production: cookies only over HTTPS."""

    def view(request):
        request.session["x"] = 1
        get_token(request)
        return HttpResponse("ok")

    request = RequestFactory().get("/")
    response = SessionMiddleware(CsrfViewMiddleware(view))(request)
    for name in (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME):
        cookie = response.cookies[name]
        assert cookie["secure"], name
        assert cookie["httponly"] and cookie["samesite"] == "Lax", name


def test_every_response_carries_a_content_security_policy_without_inline_script():
    response = CSPMiddleware(lambda request: HttpResponse("ok"))(RequestFactory().get("/"))
    policy = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";") if part.strip()
    )
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'" and "unsafe-inline" not in response["Content-Security-Policy"]
    assert policy["frame-ancestors"] == "'none'"


def test_a_pages_forms_carry_one_csrf_token_that_a_post_needs(roles, orgs, make_spell, today):
    """One token per page (templating.csrf), accepted by the CSRF check; a post without it is refused."""
    spell = make_spell(orgs.threef)
    client = Client(enforce_csrf_checks=True)
    client.force_login(roles[Role.AKASSE_CASEWORKER])
    page = client.get(reverse("cases:member", kwargs={"member_id": spell.member_id})).content.decode()
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert len(tokens) == 4 and len(set(tokens)) == 1  # language, log-out, conversation, joblog norm
    url = reverse("cases:joblog_norm", kwargs={"spell_id": spell.pk})
    assert client.post(url, {"norm": 3}).status_code == 403
    assert client.post(url, {"norm": 3, "csrfmiddlewaretoken": tokens[0]}).status_code == 302
    spell.refresh_from_db()
    assert spell.joblog_norm == 3
