"""`akasse import members`: strict checks naming line and field, all or nothing, idempotent re-import."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

from akasse.cli import app
from akasse.web.cases.choices import AuditAction, CaseEventKind
from akasse.web.cases.importers import MemberImportError, import_members
from akasse.web.cases.models import AuditEntry, CaseEvent, Member, Spell

HEADER = "cpr,name,education,municipality,notice_date,unemployed_from,profiling_score,complex_challenges\n"
GOOD = (
    HEADER
    + "150585-1002,Anna Hansen,higher,101,,2021-03-01,0.2,nej\n"  # HK trial municipality: trial
    + "0203911003,Bo Jensen,none,860,2021-01-15,2021-02-01,,\n"  # Hjørring is not HK's: normal effort
    + "1202701004,Carl Berg,vocational,147,,01-02-2024,,ja\n"  # Danish date; after the trial; normal
)


def write(tmp_path: Path, text: str, name: str = "members.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_good_file_creates_members_and_spells_with_coverage_and_rulebook(db, tmp_path, orgs):
    result = import_members(write(tmp_path, GOOD), akasse="HK")
    assert (result.members_created, result.spells_created, result.members_updated) == (3, 3, 0)
    anna = Member.objects.get(cpr="1505851002")
    assert (anna.akasse, anna.birth_date, anna.sex, anna.municipality) == (
        orgs.hk,
        dt.date(1985, 5, 15),
        "F",
        101,
    )
    spells = {s.member.name: s for s in Spell.objects.select_related("member")}
    assert (spells["Anna Hansen"].group, spells["Anna Hansen"].rulebook) == ("trial", "trial-2020")
    assert spells["Anna Hansen"].covered_from == dt.date(2021, 3, 1)
    assert spells["Anna Hansen"].visited_on == dt.date(2021, 3, 1)
    assert (spells["Bo Jensen"].group, spells["Bo Jensen"].rulebook) == ("normal", "normal-2020")
    assert spells["Bo Jensen"].started_on == dt.date(2021, 1, 15) and spells["Bo Jensen"].covered_from is None
    assert spells["Carl Berg"].rulebook == "permanent-2024" and spells["Carl Berg"].complex_challenges
    assert spells["Carl Berg"].unemployed_from == dt.date(2024, 2, 1)
    assert CaseEvent.objects.filter(kind=CaseEventKind.MEMBER_IMPORTED).count() == 3
    assert AuditEntry.objects.filter(action=AuditAction.IMPORT, organisation=orgs.hk).count() == 1


def test_reimporting_the_same_file_changes_nothing(db, tmp_path, orgs):
    path = write(tmp_path, GOOD)
    import_members(path, akasse="HK")
    before = {
        "members": list(Member.objects.order_by("cpr").values()),
        "spells": list(Spell.objects.order_by("pk").values()),
        "events": CaseEvent.objects.count(),
        "audit": AuditEntry.objects.count(),
    }
    again = import_members(path, akasse="HK")
    assert not again.changed
    assert (again.members_created, again.members_updated, again.spells_created, again.spells_updated) == (
        0,
        0,
        0,
        0,
    )
    after = {
        "members": list(Member.objects.order_by("cpr").values()),
        "spells": list(Spell.objects.order_by("pk").values()),
        "events": CaseEvent.objects.count(),
        "audit": AuditEntry.objects.count(),
    }
    assert after == before


def test_a_changed_row_updates_only_that_member(db, tmp_path, orgs):
    import_members(write(tmp_path, GOOD), akasse="HK")
    changed = GOOD.replace("Anna Hansen,higher,101", "Anna Hansen-Berg,higher,101")
    result = import_members(write(tmp_path, changed, "v2.csv"), akasse="HK")
    assert (result.members_created, result.members_updated, result.spells_updated) == (0, 1, 0)
    assert Member.objects.get(cpr="1505851002").name == "Anna Hansen-Berg"


def test_the_same_person_in_another_a_kasse_is_a_separate_member(db, tmp_path, orgs):
    import_members(write(tmp_path, GOOD), akasse="HK")
    import_members(write(tmp_path, GOOD), akasse="3F")
    assert Member.objects.filter(cpr="1505851002").count() == 2


def test_semicolons_and_a_byte_order_mark_are_accepted(db, tmp_path, orgs):
    path = tmp_path / "excel.csv"
    text = HEADER.replace(",", ";") + "150585-1002;Anna Hansen;higher;101;;01-03-2021;0,2;nej\n"
    path.write_text("\ufeff" + text, encoding="utf-8")
    assert import_members(path, akasse="HK").members_created == 1
    assert Spell.objects.get(member__cpr="1505851002").profiling_score == 0.2


def test_every_error_is_listed_with_line_and_field_and_nothing_is_written(db, tmp_path, orgs):
    text = (
        HEADER
        + "150585-1002,Anna Hansen,higher,101,,2021-03-01,,\n"  # line 2: good
        + "3102851002,Bo Jensen,higher,101,,2021-03-01,,\n"  # line 3: 31 February
        + "1505851003,,none,101,,2021-13-01,,\n"  # line 4: no name, month 13
        + "1505851004,Dan Dahl,phd,999,,2021-03-01,1.5,måske\n"  # line 5: four bad fields
        + "1505851002,Anna Igen,higher,101,,2021-03-01,,\n"  # line 6: duplicate of line 2
        + "1505851005,Eva Ek,higher,101,2021-03-05,2021-03-01,,\n"  # line 7: notice after unemployment
        + "1505851006,Finn Fisk,higher\n"  # line 8: too few values
    )
    with pytest.raises(MemberImportError) as refused:
        import_members(write(tmp_path, text), akasse="HK")
    found = {(e.line, e.field) for e in refused.value.errors}
    assert found == {
        (3, "cpr"),
        (4, "name"),
        (4, "unemployed_from"),
        (5, "education"),
        (5, "municipality"),
        (5, "profiling_score"),
        (5, "complex_challenges"),
        (6, "cpr"),
        (7, "unemployed_from"),
        (8, "-"),
    }
    duplicate = next(e for e in refused.value.errors if e.line == 6)
    assert "line 2" in duplicate.message
    assert not Member.objects.exists() and not Spell.objects.exists() and not AuditEntry.objects.exists()


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("cpr,name,education\n", {(1, "municipality")}),
        ("cpr,name,education,municipality,shoe_size\n", {(1, "shoe_size")}),
        ("", {(1, "-")}),
    ],
)
def test_header_problems_are_reported_on_line_1(db, tmp_path, orgs, header, expected):
    with pytest.raises(MemberImportError) as refused:
        import_members(write(tmp_path, header), akasse="HK")
    assert {(e.line, e.field) for e in refused.value.errors} == expected


def test_unknown_a_kasse_is_refused(db, tmp_path, orgs):
    with pytest.raises(MemberImportError, match="unknown a-kasse 'NOPE'"):
        import_members(write(tmp_path, GOOD), akasse="NOPE")
    assert not Member.objects.exists()


def test_cli_lists_every_error_on_stderr_and_exits_2(db, tmp_path, orgs):
    path = write(
        tmp_path, HEADER + "3102851002,Bo Jensen,higher,101,,2021-03-01,,\n1505851003,X,higher,1,,,,\n"
    )
    result = CliRunner().invoke(app, ["import", "members", str(path), "--akasse", "HK"])
    assert result.exit_code == 2
    assert "line 2, field cpr" in result.stderr and "line 3, field municipality" in result.stderr
    assert "nothing was imported" in result.stderr
    assert not Member.objects.exists()


def test_cli_imports_and_reports_nothing_changed_on_the_second_run(db, tmp_path, orgs):
    path = write(tmp_path, GOOD)
    first = CliRunner().invoke(app, ["import", "members", str(path), "--akasse", "HK"])
    second = CliRunner().invoke(app, ["import", "members", str(path), "--akasse", "HK"])
    assert first.exit_code == 0 and "3 new members" in first.stdout
    assert second.exit_code == 0 and "nothing changed" in second.stdout
    assert Member.objects.count() == 3


def test_a_large_import_refreshes_the_planners_statistics(db, orgs, django_capture_on_commit_callbacks):
    from django.db import connection

    from akasse.web.cases.demo import demo_rows
    from akasse.web.cases.importers import ANALYZE_AFTER, import_rows

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        import_rows(demo_rows("HK", ANALYZE_AFTER // 2 + 1, seed=4), organisation=orgs.hk, source="test")
    assert len(callbacks) == 1  # members + spells ≥ ANALYZE_AFTER
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT last_analyze FROM pg_stat_user_tables WHERE relname = 'cases_spell'")
        else:
            cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = 'cases_spell'")
        assert cursor.fetchone()[0] is not None
    with django_capture_on_commit_callbacks() as small:
        import_rows(demo_rows("3F", 10, seed=4), organisation=orgs.threef, source="test")
    assert small == []
