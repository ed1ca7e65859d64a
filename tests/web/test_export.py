"""`akasse export events`: the event tables of akasse.events, pseudonymised with a keyed hash; no CPR or name
leaves the database (checked in the files' bytes and in every decoded value)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from akasse.cli import app
from akasse.events import CORE_TABLES, check_directory, read_table
from akasse.web.accounts.choices import Role
from akasse.web.cases import services
from akasse.web.cases.export import ExportRefused, export_events
from akasse.web.cases.models import Member

KEY = "k3y-for-tests-only-0123456789abcdef"  # set through the settings fixture, as the environment would


@pytest.fixture
def cases(today, orgs, make_spell, make_user):
    """Two HK members (one referred, one with conversations); a 3F member has the same CPR as the first."""
    worker = make_user(Role.AKASSE_CASEWORKER, orgs.hk)
    first = make_spell(orgs.hk, name="Åse Ørnebjerg", cpr="0203911001", education="none")
    second = make_spell(orgs.hk, name="Bent Bentsen", unemployed_from=dt.date(2021, 3, 1))
    make_spell(
        orgs.threef,
        name="Åse Ørnebjerg",
        cpr="0203911001",
        education="none",
        unemployed_from=dt.date(2020, 6, 1),
    )
    services.record_conversation(
        actor=worker,
        spell=second,
        date=dt.date(2021, 3, 10),
        mode="video",
        purposes=["cv", "availability"],
        jobs_presented=3,
    )
    services.refer_to_job_centre(actor=worker, spell=first, reason="education_order")
    return first, second


def test_export_refuses_without_a_key_outside_debug_and_writes_nothing(settings, tmp_path, cases):
    settings.AKASSE_PSEUDONYM_KEY, settings.DEBUG = "", False
    with pytest.raises(ExportRefused, match="AKASSE_PSEUDONYM_KEY is not set"):
        export_events(tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_export_refuses_a_short_key(settings, tmp_path, cases):
    settings.AKASSE_PSEUDONYM_KEY = "short"
    with pytest.raises(ExportRefused, match="at least 32"):
        export_events(tmp_path / "out")


def test_export_writes_valid_event_tables_with_keyed_person_ids(settings, tmp_path, cases):
    settings.AKASSE_PSEUDONYM_KEY = KEY
    first, second = cases
    result = export_events(tmp_path)
    assert set(check_directory(tmp_path, CORE_TABLES)) == set(CORE_TABLES)
    assert result.rows == {"persons": 2, "spells": 3, "conversations": 1, "weekly_status": 0}
    expected_person = hmac.new(KEY.encode(), b"0203911001", hashlib.sha256).hexdigest()
    persons = read_table(tmp_path, "persons").to_pylist()
    assert {p["person_id"] for p in persons} == {
        expected_person,
        hmac.new(KEY.encode(), second.member.cpr.encode(), hashlib.sha256).hexdigest(),
    }
    assert next(p for p in persons if p["person_id"] == expected_person)["birth_date"] == dt.date(1991, 3, 2)
    spells = read_table(tmp_path, "spells").to_pylist()
    referred = next(s for s in spells if s["exit_reason"] == "referred")
    assert (referred["person_id"], referred["akasse"], referred["referral_reason"]) == (
        expected_person,
        "HK",
        "education_order",
    )
    assert referred["covered_to"] == dt.date(2021, 3, 22)
    conversation = read_table(tmp_path, "conversations").to_pylist()[0]
    assert (conversation["purposes"], conversation["mode"], conversation["jobs_presented"]) == (
        ["cv", "availability"],
        "video",
        3,
    )
    assert conversation["spell_id"] in {s["spell_id"] for s in spells}


def test_no_cpr_number_or_name_leaves_the_database(settings, tmp_path, cases):
    settings.AKASSE_PSEUDONYM_KEY = KEY
    export_events(tmp_path)
    secrets_ = set()
    for cpr, name in Member.objects.values_list("cpr", "name"):
        secrets_ |= {cpr, f"{cpr[:6]}-{cpr[6:]}", name, *name.split()}
    files = sorted(tmp_path.glob("*.parquet"))
    assert len(files) == 4
    for path in files:
        raw = path.read_bytes()
        decoded = str(pq.read_table(path).to_pylist()) + str(pq.read_schema(path).metadata)
        for secret in secrets_:
            assert secret.encode() not in raw, (path.name, secret)
            assert secret not in decoded, (path.name, secret)
    # The same scan does find what is there: the keyed hash standing in for the CPR number.
    pseudonym = hmac.new(KEY.encode(), b"0203911001", hashlib.sha256).hexdigest()
    assert pseudonym in str(pq.read_table(tmp_path / "persons.parquet").to_pylist())


def test_same_key_gives_the_same_ids_and_another_key_other_ids(settings, tmp_path, cases):
    ids = []
    for key, folder in ((KEY, "a"), (KEY, "b"), (KEY[::-1], "c")):
        settings.AKASSE_PSEUDONYM_KEY = key
        export_events(tmp_path / folder)
        ids.append(sorted(read_table(tmp_path / folder, "spells").column("spell_id").to_pylist()))
    assert ids[0] == ids[1] and not set(ids[0]) & set(ids[2])


def test_debug_without_a_key_uses_a_one_off_key(settings, tmp_path, cases):
    settings.AKASSE_PSEUDONYM_KEY, settings.DEBUG = "", True
    first = export_events(tmp_path / "a")
    export_events(tmp_path / "b")
    assert first.one_off_key
    assert read_table(tmp_path / "a", "persons").column("person_id") != read_table(
        tmp_path / "b", "persons"
    ).column("person_id")


def test_cli_export_refusal_is_one_line_and_exit_2(settings, tmp_path, cases):
    settings.AKASSE_PSEUDONYM_KEY, settings.DEBUG = "", False
    result = CliRunner().invoke(app, ["export", "events", "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0 and "AKASSE_PSEUDONYM_KEY" in result.stderr
    assert not Path(tmp_path / "out").exists()


def test_the_analytics_read_the_export_with_the_databases_counts(settings, tmp_path, db):
    """End to end: demo slice → export → the analytics' Ibis tables hold what the database holds."""
    from akasse.analytics.tables import open_directory
    from akasse.web.cases.demo import load_demo_data
    from akasse.web.cases.models import Conversation, Spell

    settings.AKASSE_PSEUDONYM_KEY = KEY
    load_demo_data(members_per_akasse=25, seed=9)
    export_events(tmp_path)
    tables = open_directory(tmp_path)
    assert tables.persons.count().execute() == Member.objects.count() == 75
    trial = tables.spells.filter(tables.spells.group == "trial").count().execute()
    assert trial == Spell.objects.filter(group="trial").count() > 0
    cv = tables.conversations.filter(tables.conversations.purposes.contains("cv")).count().execute()
    assert cv == sum("cv" in c.purposes for c in Conversation.objects.all()) > 0
