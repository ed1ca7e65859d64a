"""`akasse demo-data`: valid synthetic CPRs, a slice inside the trial, working logins, idempotent reruns."""

from __future__ import annotations

import datetime as dt

import numpy as np
from django.contrib.auth import authenticate
from django.test import RequestFactory

from akasse.domain.cpr import parse_cpr
from akasse.reference import trial_config
from akasse.web.accounts.choices import Role
from akasse.web.accounts.models import User
from akasse.web.cases.demo import DEMO_AKASSER, demo_rows, load_demo_data, synthetic_cprs
from akasse.web.cases.models import Conversation, Member, Spell
from akasse.web.cases.services import schedule


def test_synthetic_cprs_are_valid_distinct_and_carry_birth_date_and_sex():
    rng = np.random.default_rng(1)
    births = [dt.date(1960, 2, 29), dt.date(1999, 12, 31), dt.date(2001, 1, 1)] * 50
    female = np.array([True, False, True] * 50)
    numbers = synthetic_cprs(rng, births, female)
    assert len(set(numbers)) == 150
    for number, birth, is_female in zip(numbers, births, female, strict=True):
        cpr = parse_cpr(number)
        assert cpr.birth_date == birth
        assert (cpr.sex.value == "F") == is_female


def test_demo_rows_live_mostly_in_the_trial_area_and_start_around_the_demo_date():
    rows = demo_rows("HK", 2000, seed=3, today=dt.date(2021, 6, 15))
    area = trial_config().municipalities_by_akasse["HK"]
    share = sum(r.municipality in area for r in rows) / len(rows)
    assert 0.75 < share < 0.9  # 80 % drawn in the area, plus the rest that land in it by chance
    assert all(dt.date(2021, 1, 15) <= r.unemployed_from <= dt.date(2021, 7, 15) for r in rows)
    assert all(r.notice_date is None or r.notice_date < r.unemployed_from for r in rows)
    assert any(r.unemployed_from > dt.date(2021, 6, 15) for r in rows)  # some still in the notice period


def test_load_demo_data_creates_members_users_and_conversations_and_a_rerun_adds_nothing(db):
    results, users = load_demo_data(members_per_akasse=40, seed=5)
    assert {code: r.members_created for code, r in results.items()} == {code: 40 for code in DEMO_AKASSER}
    assert {u.role for u in users} == {str(role.label) for role in Role}
    request = RequestFactory().post("/log-ind/")
    for demo_user in users:
        assert (
            authenticate(request=request, username=demo_user.username, password=demo_user.password)
            is not None
        )
    conversations = Conversation.objects.count()
    assert conversations > 0
    assert (
        Spell.objects.filter(group="trial").exists()
        and Spell.objects.filter(next_deadline__isnull=False).exists()
    )
    for spell in Spell.objects.prefetch_related("conversations"):  # the stored deadline is the rulebook's
        assert (spell.next_deadline, spell.handover_due_on) == schedule(spell, spell.conversations.all())
    again, users_again = load_demo_data(members_per_akasse=40, seed=5)
    assert not any(r.changed for r in again.values())
    assert Member.objects.count() == 120 and Conversation.objects.count() == conversations
    assert User.objects.count() == len(users)
    assert users_again[0].password != users[0].password  # a fresh password on every run


def test_demo_data_command_prints_logins_that_work(db):
    from typer.testing import CliRunner

    from akasse.cli import app

    result = CliRunner().invoke(app, ["demo-data", "--members", "5", "--seed", "3"])
    assert result.exit_code == 0, result.output
    assert "3F: 5 new members" in result.stdout and "AKASSE_TODAY=2021-06-15" in result.stdout
    line = next(line for line in result.stdout.splitlines() if "hk-leder" in line)
    password = line.split("│")[2].strip()
    request = RequestFactory().post("/log-ind/")
    assert authenticate(request=request, username="hk-leder", password=password).role == Role.AKASSE_MANAGER
