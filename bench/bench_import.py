"""Import of 100,000 members (`akasse import members`), goal ≤ 30 s, into a fresh database.

SQLite in a temporary file by default; PostgreSQL with DATABASE_URL (a throw-away test_… database is created
and dropped). Baseline, measured in the same run: the one-row-at-a-time ORM import (Member and Spell saved
per row) on a sample, extrapolated to the full size. Also shown: checking the file alone, and the re-import
of the same file (idempotent: nothing changes).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

N = int(os.environ.get("BENCH_IMPORT_MEMBERS", "100000"))
SAMPLE = 2000
GOAL_SECONDS = 30.0


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "akasse.web.settings")
    workdir = Path(tempfile.mkdtemp(prefix="bench_import_"))
    import django

    django.setup()
    from django.db import connection

    if connection.vendor == "sqlite":
        connection.settings_dict["TEST"]["NAME"] = str(workdir / "bench.sqlite3")  # a file, not :memory:

    from akasse.web.cases.demo import demo_rows
    from akasse.web.cases.importers import import_members, read_rows, rows_to_csv

    csv_path = workdir / "members.csv"
    rows = demo_rows("HK", N + SAMPLE, seed=11)
    as_dicts = [
        {
            "cpr": r.cpr,
            "name": r.name,
            "education": r.education,
            "municipality": r.municipality,
            "notice_date": r.notice_date or "",
            "unemployed_from": r.unemployed_from or "",
            "profiling_score": r.profiling_score,
            "complex_challenges": "ja" if r.complex_challenges else "nej",
        }
        for r in rows
    ]
    csv_path.write_text(rows_to_csv(as_dicts[:N]), encoding="utf-8")
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        started = time.perf_counter()
        checked, errors = read_rows(csv_path)
        check_seconds = time.perf_counter() - started
        assert not errors and len(checked) == N, errors[:3]

        started, cpu_started = time.perf_counter(), time.process_time()
        result = import_members(csv_path, akasse="HK")
        import_seconds, import_cpu = time.perf_counter() - started, time.process_time() - cpu_started
        assert result.members_created == N

        started = time.perf_counter()
        again = import_members(csv_path, akasse="HK")
        reimport_seconds = time.perf_counter() - started
        assert not again.changed

        baseline_seconds = _row_by_row(rows[N:]) * N / SAMPLE
    finally:
        connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)
    vendor = connection.vendor
    print(f"database: {vendor}; members: {N:,}")
    print(f"check only (parse + validate):    {check_seconds:7.1f} s")
    print(
        f"import (bulk, all or nothing):    {import_seconds:7.1f} s   goal ≤ {GOAL_SECONDS:.0f} s "
        f"(this process's CPU: {import_cpu:.1f} s; load average {os.getloadavg()[0]:.1f})"
    )
    print(f"re-import, nothing changes:       {reimport_seconds:7.1f} s")
    print(
        f"baseline row by row (extrapolated from {SAMPLE:,}): {baseline_seconds:7.1f} s "
        f"({baseline_seconds / import_seconds:.0f}× slower)"
    )
    return 0 if import_seconds <= GOAL_SECONDS else 1


def _row_by_row(rows: list) -> float:
    """The naive import: one Member and one Spell saved per row, each in its own statement."""
    from django.db import transaction

    from akasse.web.accounts.models import Organisation
    from akasse.web.cases.importers import spell_facts
    from akasse.web.cases.models import Member, Spell
    from akasse.web.cases.services import schedule

    organisation = Organisation.objects.get(kind="akasse", code="3F")
    started = time.perf_counter()
    with transaction.atomic():
        for row in rows:
            member = Member.objects.create(
                akasse=organisation,
                cpr=row.cpr,
                name=row.name,
                birth_date=row.birth_date,
                sex=row.sex,
                education=row.education,
                municipality=row.municipality,
            )
            spell = Spell(member=member, akasse=organisation, **spell_facts("3F", row))
            spell.next_deadline, spell.handover_due_on = schedule(spell)
            spell.save()
    return time.perf_counter() - started


if __name__ == "__main__":
    sys.exit(main())
