"""`akasse import members FILE.csv --akasse CODE`: strict, all-or-nothing, idempotent member import.

The file is UTF-8 CSV (comma or semicolon) with a header. Columns:
    cpr              required  DDMMYY-SSSS or ten digits (akasse.domain.cpr.parse_cpr)
    name             required
    education        required  none | vocational | higher
    municipality     required  3-digit municipality code of residence (reference/municipalities.csv)
    notice_date      optional  YYYY-MM-DD or DD-MM-YYYY: the date notice was given
    unemployed_from  optional  first day of unemployment (not before notice_date)
    profiling_score  optional  0–1, the profiling tool's risk of long-term unemployment
    complex_challenges optional ja/nej (yes/no, true/false, 1/0); blank = nej
Every row is checked before anything is written; each problem names the line and the field, and all are
reported together (MemberImportError). Members are upserted by (a-kasse, CPR) and their spell by its start
(notice date, else first day of unemployment), so importing the same file twice changes nothing.
Coverage and rulebook follow the trial's configuration (akasse.domain.coverage.is_covered).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.db import connection, transaction

from akasse.domain.choices import Education, Group
from akasse.domain.coverage import is_covered
from akasse.domain.cpr import InvalidCpr, parse_cpr
from akasse.reference import akasser, municipalities, trial_config
from akasse.rulebooks import load_rulebook
from akasse.web.accounts.choices import OrganisationKind
from akasse.web.accounts.models import Organisation
from akasse.web.cases import clock
from akasse.web.cases.bulk import insert_rows
from akasse.web.cases.choices import AuditAction, CaseEventKind
from akasse.web.cases.models import DEFAULT_JOBLOG_NORM, AuditEntry, CaseEvent, Member, Spell
from akasse.web.cases.services import schedule, schedule_for

REQUIRED = ("cpr", "name", "education", "municipality")
OPTIONAL = ("notice_date", "unemployed_from", "profiling_score", "complex_challenges")
#: The trial's rulebook; members outside it follow the normal effort valid on their start date.
TRIAL_RULEBOOK = "trial-2020"
NORMAL_RULEBOOKS = ("normal-2020", "permanent-2024")
_EDUCATIONS = tuple(e.value for e in Education)
_YES = {"ja", "j", "yes", "y", "true", "1"}
_NO = {"nej", "n", "no", "false", "0", ""}
_CHUNK = 5000  # rows per IN (…) lookup and per bulk statement
ANALYZE_AFTER = 1000  # new rows from which an import refreshes the planner's statistics
#: The spell fields an import sets (spell_facts); a re-import with other values updates exactly these.
SPELL_FACT_FIELDS = (
    "notice_date",
    "unemployed_from",
    "started_on",
    "profiling_score",
    "complex_challenges",
    "group",
    "rulebook",
    "covered_from",
    "visited_on",
)


@dataclass(frozen=True)
class RowError:
    line: int  # 1-based line in the file (the header is line 1); 0 = a command-line option
    field: str
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}, field {self.field}" if self.line else f"option {self.field}"
        return f"{where}: {self.message}"


class MemberImportError(ValueError):
    """The file was refused and nothing was written; `errors` lists every problem found."""

    def __init__(self, source: str, errors: Sequence[RowError]):
        self.source, self.errors = source, list(errors)
        super().__init__(f"{source}: {len(self.errors)} error(s), nothing imported; first: {self.errors[0]}")


@dataclass(frozen=True)
class MemberRow:
    """One checked row: the member and, when a date is given, their spell."""

    line: int
    cpr: str
    name: str
    birth_date: dt.date
    sex: str
    education: str
    municipality: int
    notice_date: dt.date | None
    unemployed_from: dt.date | None
    profiling_score: float | None
    complex_challenges: bool

    @property
    def started_on(self) -> dt.date | None:
        return self.notice_date or self.unemployed_from


@dataclass
class ImportResult:
    members_created: int = 0
    members_updated: int = 0
    spells_created: int = 0
    spells_updated: int = 0
    warnings: list[str] = field(default_factory=list)
    new_member_ids: list[Any] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(
            self.members_created or self.members_updated or self.spells_created or self.spells_updated
        )


# --- reading and checking ----------------------------------------------------------------------------------


def read_rows(path: Path) -> tuple[list[MemberRow], list[RowError]]:
    """Parse and check the whole file; returns the good rows and every error (line and field named)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        return [], [RowError(1, "-", f"the file is not UTF-8 ({error.reason} at byte {error.start})")]
    return check_rows(text.splitlines())


def check_rows(lines: Iterable[str]) -> tuple[list[MemberRow], list[RowError]]:
    """Check CSV lines (header first) row by row, and CPR duplicates across the file."""
    lines = list(lines)
    if not lines or not lines[0].strip():
        return [], [RowError(1, "-", "the file is empty (expected a header line)")]
    delimiter = ";" if lines[0].count(";") > lines[0].count(",") else ","
    reader = csv.reader(lines, delimiter=delimiter)
    header = [h.strip().lower() for h in next(reader)]
    errors = [RowError(1, h or "-", "unknown column") for h in header if h not in REQUIRED + OPTIONAL]
    errors += [RowError(1, name, "required column missing") for name in REQUIRED if name not in header]
    if len(set(header)) != len(header):
        errors.append(RowError(1, "-", "a column is named twice"))
    if errors:
        return [], errors
    rows: list[MemberRow] = []
    first_line: dict[str, int] = {}
    for line, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            errors.append(RowError(line, "-", f"{len(values)} values, the header has {len(header)}"))
            continue
        row, row_errors = _check_row(line, dict(zip(header, (v.strip() for v in values), strict=True)))
        errors += row_errors
        if row is None:
            continue
        if row.cpr in first_line:
            errors.append(
                RowError(line, "cpr", f"duplicate: the same CPR number is on line {first_line[row.cpr]}")
            )
            continue
        first_line[row.cpr] = line
        rows.append(row)
    if not rows and not errors:
        errors.append(RowError(2, "-", "no members in the file"))
    return rows, errors


def _check_row(line: int, raw: dict[str, str]) -> tuple[MemberRow | None, list[RowError]]:
    errors: list[RowError] = []

    def fail(name: str, message: str) -> None:
        errors.append(RowError(line, name, message))

    cpr = None
    try:
        cpr = parse_cpr(raw["cpr"])
    except InvalidCpr as error:
        fail(
            "cpr", str(error).replace(raw["cpr"], "…") if raw["cpr"] else "required"
        )  # no CPR echoed in logs
    name = raw["name"]
    if not name:
        fail("name", "required")
    elif len(name) > 200:
        fail("name", "longer than 200 characters")
    education = raw["education"].lower()
    if education not in _EDUCATIONS:
        fail("education", f"{raw['education']!r} is not one of {', '.join(_EDUCATIONS)}")
    municipality = _municipality(raw["municipality"], fail)
    notice = _date(raw.get("notice_date", ""), "notice_date", fail)
    unemployed = _date(raw.get("unemployed_from", ""), "unemployed_from", fail)
    if notice and unemployed and notice > unemployed:
        fail("unemployed_from", f"{unemployed:%d-%m-%Y} is before notice_date {notice:%d-%m-%Y}")
    score = _score(raw.get("profiling_score", ""), fail)
    flag = raw.get("complex_challenges", "").lower()
    if flag not in _YES | _NO:
        fail("complex_challenges", f"{raw['complex_challenges']!r} is not ja/nej")
    if errors or cpr is None or municipality is None:
        return None, errors
    row = MemberRow(
        line=line,
        cpr=cpr.number,
        name=name,
        birth_date=cpr.birth_date,
        sex=cpr.sex.value,
        education=education,
        municipality=municipality,
        notice_date=notice,
        unemployed_from=unemployed,
        profiling_score=score,
        complex_challenges=flag in _YES,
    )
    return row, []


def _municipality(value: str, fail: Any) -> int | None:
    if not value.isdigit() or int(value) not in municipalities():
        fail("municipality", f"{value!r} is not a municipality code" if value else "required")
        return None
    return int(value)


def _date(value: str, name: str, fail: Any) -> dt.date | None:
    if not value:
        return None
    for parse in (_iso_date, _danish_date):
        try:
            day = parse(value)
        except ValueError:
            continue
        if not dt.date(1990, 1, 1) <= day <= dt.date(2100, 12, 31):
            fail(name, f"{value!r} is outside 1990–2100")
            return None
        return day
    fail(name, f"{value!r} is not a date (YYYY-MM-DD or DD-MM-YYYY)")
    return None


def _iso_date(value: str) -> dt.date:
    if len(value) != 10 or value[4] != "-":  # fromisoformat also takes 20210301 and week dates
        raise ValueError(value)
    return dt.date.fromisoformat(value)


def _danish_date(value: str) -> dt.date:
    return dt.datetime.strptime(value, "%d-%m-%Y").date()


def _score(value: str, fail: Any) -> float | None:
    if not value:
        return None
    try:
        score = float(value.replace(",", "."))
    except ValueError:
        fail("profiling_score", f"{value!r} is not a number")
        return None
    if not 0 <= score <= 1:
        fail("profiling_score", f"{value} is not between 0 and 1")
        return None
    return score


# --- the trial's facts for a spell -------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def rulebook_for(group: Group, start: dt.date) -> str:
    """The trial's rulebook for trial spells; otherwise the latest normal-effort rulebook valid on `start`."""
    if group == Group.TRIAL:
        return TRIAL_RULEBOOK
    books = [load_rulebook(b) for b in NORMAL_RULEBOOKS]
    valid = [b for b in books if b.valid_from <= start and (b.valid_to is None or start <= b.valid_to)]
    return max(valid or books[:1], key=lambda b: b.valid_from).id


def spell_facts(akasse: str, row: MemberRow) -> dict[str, Any]:
    """Group, rulebook and coverage of a row's spell (the trial covers by a-kasse, residence and start)."""
    start = row.started_on
    assert start is not None
    covered = is_covered(
        trial_config(),
        akasse=akasse,
        municipality=row.municipality,
        start=start,
        complex_challenges=row.complex_challenges,
    )
    group = Group.TRIAL if covered else Group.NORMAL
    return {
        "notice_date": row.notice_date,
        "unemployed_from": row.unemployed_from,
        "started_on": start,
        "profiling_score": row.profiling_score,
        "complex_challenges": row.complex_challenges,
        "group": group.value,
        "rulebook": rulebook_for(group, start),
        "covered_from": start if covered else None,
        "visited_on": row.unemployed_from if covered else None,
    }


# --- writing -----------------------------------------------------------------------------------------------


def import_members(path: Path, *, akasse: str, now: dt.datetime | None = None) -> ImportResult:
    """Import FILE for the a-kasse `akasse` (all or nothing); MemberImportError lists every problem."""
    organisation = akasse_organisation(akasse, source=str(path))
    rows, errors = read_rows(path)
    if errors:
        raise MemberImportError(str(path), errors)
    return import_rows(rows, organisation=organisation, source=path.name, now=now)


def akasse_organisation(code: str, *, source: str) -> Organisation:
    """The a-kasse's organisation; MemberImportError when the code is unknown."""
    if code not in akasser():
        raise MemberImportError(
            source, [RowError(0, "--akasse", f"unknown a-kasse {code!r} (known: {', '.join(akasser())})")]
        )
    return Organisation.objects.get(kind=OrganisationKind.AKASSE, code=code)


def import_rows(
    rows: Sequence[MemberRow], *, organisation: Organisation, source: str, now: dt.datetime | None = None
) -> ImportResult:
    """Upsert checked rows in one transaction with bulk statements; one audit entry when anything changed."""
    now = now or clock.now()
    result = ImportResult()
    with transaction.atomic():
        members = _upsert_members(rows, organisation, now, result)
        _upsert_spells(rows, organisation, members, now, result)
        if result.changed:
            AuditEntry.objects.create(
                actor=None,
                organisation=organisation,
                role="",
                member=None,
                action=AuditAction.IMPORT,
                reason=f"{source}: {result.members_created} new, {result.members_updated} changed members"[
                    :200
                ],
                at=now,
            )
        if result.members_created + result.spells_created >= ANALYZE_AFTER:
            transaction.on_commit(analyze_case_tables)
    return result


def analyze_case_tables() -> None:
    """Refresh the planner's statistics after a large import: with the stale ones PostgreSQL chose hash joins
    over the whole a-kasse for a worklist page (160 ms) instead of the worklist index (4 ms)."""
    with connection.cursor() as cursor:
        for model in (Member, Spell, CaseEvent):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


_MEMBER_FIELDS = ("name", "education", "municipality")


def _upsert_members(
    rows: Sequence[MemberRow], organisation: Organisation, now: dt.datetime, result: ImportResult
) -> dict[str, Any]:
    """Insert new members, update changed ones; returns CPR → member id for every row."""
    existing: dict[str, tuple[Any, ...]] = {}
    for chunk in _chunks([r.cpr for r in rows]):
        found = Member.objects.filter(akasse=organisation, cpr__in=chunk).values_list(
            "cpr", "pk", *_MEMBER_FIELDS
        )
        existing.update((cpr, (pk, *values)) for cpr, pk, *values in found)
    ids: dict[str, Any] = {}
    new: list[tuple[Any, ...]] = []
    changed: list[Member] = []
    for row in rows:
        values = (row.name, row.education, row.municipality)
        if row.cpr not in existing:
            ids[row.cpr] = uuid.uuid4()
            new.append((ids[row.cpr], organisation.pk, row.cpr, *values, row.birth_date, row.sex, now, now))
            continue
        pk, *stored = existing[row.cpr]
        ids[row.cpr] = pk
        if tuple(stored) != values:
            changed.append(Member(pk=pk, **dict(zip(_MEMBER_FIELDS, values, strict=True)), updated_at=now))
    insert_rows(
        Member,
        ("id", "akasse_id", "cpr", *_MEMBER_FIELDS, "birth_date", "sex", "created_at", "updated_at"),
        new,
    )
    Member.objects.bulk_update(changed, [*_MEMBER_FIELDS, "updated_at"], batch_size=_CHUNK)
    insert_rows(
        CaseEvent,
        ("member_id", "spell_id", "kind", "actor_id", "occurred_at", "data"),
        ((member[0], None, CaseEventKind.MEMBER_IMPORTED.value, None, now, {}) for member in new),
    )
    result.members_created, result.members_updated = len(new), len(changed)
    result.new_member_ids = [member[0] for member in new]
    return ids


def _upsert_spells(
    rows: Sequence[MemberRow],
    organisation: Organisation,
    members: dict[str, Any],
    now: dt.datetime,
    result: ImportResult,
) -> None:
    """Insert new spells (keyed by member and start), update the changed facts of open ones."""
    dated = [r for r in rows if r.started_on is not None]
    existing: dict[tuple[Any, dt.date], tuple[Any, ...]] = {}
    for chunk in _chunks([members[r.cpr] for r in dated]):
        found = Spell.objects.filter(member_id__in=chunk).values_list(
            "member_id", "pk", "exit_reason", *SPELL_FACT_FIELDS
        )
        for member_id, pk, exit_reason, *facts in found:
            existing[member_id, facts[SPELL_FACT_FIELDS.index("started_on")]] = (
                pk,
                exit_reason,
                tuple(facts),
            )
    new: list[tuple[Any, ...]] = []
    changed: dict[int, dict[str, Any]] = {}
    for row in dated:
        facts = spell_facts(organisation.code, row)
        values = tuple(facts[name] for name in SPELL_FACT_FIELDS)
        key = (members[row.cpr], facts["started_on"])
        if key not in existing:
            deadline, handover = schedule_for(facts["rulebook"], row.unemployed_from, row.notice_date)
            visited_at = now if facts["visited_on"] else None
            new.append(
                (
                    members[row.cpr],
                    organisation.pk,
                    *values,
                    deadline,
                    handover,
                    DEFAULT_JOBLOG_NORM,
                    "",
                    "",
                    now,
                    visited_at,
                )
            )
            continue
        pk, exit_reason, stored = existing[key]
        if stored == values:
            continue
        if exit_reason is not None:
            result.warnings.append(f"line {row.line}: the spell has ended; its dates were left unchanged")
            continue
        changed[pk] = facts
    insert_rows(
        Spell,
        (
            "member_id",
            "akasse_id",
            *SPELL_FACT_FIELDS,
            "next_deadline",
            "handover_due_on",
            "joblog_norm",
            "referral_note",
            "referral_override_reason",
            "created_at",
            "visited_at",
        ),
        new,
    )
    updated = list(Spell.objects.filter(pk__in=list(changed)).prefetch_related("conversations"))
    for spell in updated:
        for name, value in changed[spell.pk].items():
            setattr(spell, name, value)
        spell.next_deadline, spell.handover_due_on = schedule(spell, spell.conversations.all())
    Spell.objects.bulk_update(
        updated, [*SPELL_FACT_FIELDS, "next_deadline", "handover_due_on"], batch_size=_CHUNK
    )
    result.spells_created, result.spells_updated = len(new), len(updated)


def _chunks(values: list[Any]) -> Iterable[list[Any]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def rows_to_csv(rows: Iterable[dict[str, Any]]) -> str:
    """CSV text in the import format (used by demo data and the import benchmark)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[*REQUIRED, *OPTIONAL], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
