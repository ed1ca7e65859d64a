"""A small hand-made event directory (not generated): every expected figure in the tests is worked out by
hand from these rows. Each spell's comment says what it is there to exercise."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from akasse.events import write_tables


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


PERSONS = [
    # person_id, birth_date, sex, education
    ("P1", "1980-03-01", "F", "vocational"),
    ("P2", "1990-07-15", "M", "higher"),
    ("P3", "1975-01-20", "M", "none"),
    ("P4", "1985-11-30", "F", "higher"),
    ("P5", "1998-05-05", "F", "none"),
    ("P6", "1970-09-09", "M", "vocational"),
    ("P7", "1988-02-29", "F", "higher"),
    ("P8", "1979-12-24", "M", "vocational"),
    ("P9", "1965-06-01", "F", "vocational"),
]

# fmt: off
SPELL_COLUMNS = (
    "spell_id", "person_id", "akasse", "municipality", "notice_date", "unemployed_from", "unemployed_to",
    "group", "covered_from", "covered_to", "visited_on", "exit_reason", "referral_reason",
)
SPELLS = [
    # S1: notice period before U, covered Jul–Aug 2021, handed over after 4 conversations in coverage.
    ("S1", "P1", "3F", 101, "2021-05-03", "2021-06-01", "2021-10-15", "trial", "2021-05-03", "2021-08-31",
     "2021-06-01", "handover", None),
    # S2: conversations before covered_from and after covered_to do not count: 2 in coverage.
    ("S2", "P2", "HK", 751, None, "2021-08-02", None, "trial", "2021-08-02", "2021-11-01",
     "2021-08-02", "handover", None),
    # S3: visited in Oct 2020, found a job.
    ("S3", "P3", "3F", 101, None, "2020-10-05", "2020-11-20", "trial", "2020-10-05", "2020-11-20",
     "2020-10-05", "job", None),
    # S4: still covered (covered_to null) from Dec 2021.
    ("S4", "P4", "BUPLA", 147, None, "2021-12-01", None, "trial", "2021-12-01", None,
     "2021-12-01", None, None),
    # S5: referred out (education order) in Jan 2022.
    ("S5", "P5", "FTFA", 101, None, "2022-01-10", None, "trial", "2022-01-10", "2022-01-28",
     "2022-01-10", "referred", "education_order"),
    # S6: visited after Jan 2022: outside the seed's visitation period.
    ("S6", "P6", "METAL", 265, None, "2022-02-07", None, "trial", "2022-02-07", "2022-05-06",
     "2022-02-07", "handover", None),
    # S7: normal effort (HK outside its trial municipalities): never covered, never visited.
    ("S7", "P7", "HK", 860, None, "2021-09-01", None, "normal", None, None,
     None, None, None),
    # S8: P1's second spell: covered Nov 2021 – Feb 2022, 3 conversations in coverage.
    ("S8", "P1", "3F", 101, None, "2021-11-15", None, "trial", "2021-11-15", "2022-02-14",
     "2021-11-15", "handover", None),
    # S9: visited 2020-08-31, the day before the seed's visitation period.
    ("S9", "P8", "HK", 751, None, "2020-08-31", None, "trial", "2020-08-31", "2020-11-30",
     "2020-08-31", "handover", None),
    # S10: visited 2020-09-01 (first day); conversations on covered_from and covered_to count, not after.
    ("S10", "P9", "MA", 751, None, "2020-09-01", None, "trial", "2020-09-01", "2020-11-30",
     "2020-09-01", "handover", None),
    # S11: P2's second spell overlapping S2 in Nov 2021 (P2 counts once that month); moved away.
    ("S11", "P2", "HK", 751, None, "2021-11-22", None, "trial", "2021-11-22", "2022-01-05",
     "2021-11-22", "moved", None),
]

CONVERSATION_COLUMNS = (
    "conversation_id", "spell_id", "person_id", "date", "held_by", "purposes", "mode", "jobs_presented",
)
CONVERSATIONS = [
    ("C01", "S1", "P1", "2021-05-20", "akasse", ["cv", "availability"], "in_person", 0),
    ("C02", "S1", "P1", "2021-06-10", "akasse", ["job"], "phone", 2),
    ("C03", "S1", "P1", "2021-07-15", "joint", ["joint"], "video", 1),
    ("C04", "S1", "P1", "2021-08-20", "akasse", ["job"], "phone", 0),
    ("C05", "S2", "P2", "2021-07-28", "akasse", ["cv"], "in_person", 0),
    ("C06", "S2", "P2", "2021-08-10", "akasse", ["cv"], "in_person", 0),
    ("C07", "S2", "P2", "2021-09-15", "akasse", ["job", "availability"], "phone", 3),
    ("C08", "S2", "P2", "2021-12-01", "jobcentre", ["job"], "in_person", 0),
    ("C09", "S8", "P1", "2021-11-20", "akasse", ["cv"], "in_person", 0),
    ("C10", "S8", "P1", "2021-12-10", "akasse", ["job", "availability"], "video", 1),
    ("C11", "S8", "P1", "2022-01-20", "joint", ["joint"], "in_person", 0),
    ("C12", "S9", "P8", "2020-09-05", "akasse", ["cv"], "in_person", 0),
    ("C13", "S9", "P8", "2020-10-05", "akasse", ["job"], "phone", 0),
    ("C14", "S9", "P8", "2020-11-05", "joint", ["joint"], "in_person", 0),
    ("C15", "S10", "P9", "2020-09-01", "akasse", ["cv", "job"], "in_person", 1),
    ("C16", "S10", "P9", "2020-11-30", "akasse", ["job"], "phone", 0),
    ("C17", "S10", "P9", "2020-12-01", "jobcentre", ["job"], "phone", 0),
    ("C18", "S7", "P7", "2021-09-10", "akasse", ["cv"], "in_person", 0),
    ("C19", "S7", "P7", "2021-10-04", "jobcentre", ["job"], "in_person", 2),
]

# fmt: on

WEEKLY_STATUS = [
    ("P1", "S1", "2021-06-07", "benefit"),
    ("P1", "S1", "2021-06-14", "employed"),
    ("P7", "S7", "2021-09-06", "benefit"),
]


def frames() -> dict[str, pd.DataFrame]:
    """The fixture's rows as frames in the event-table contract."""

    def dates(rows: list[tuple], columns: tuple[str, ...], date_columns: set[str]) -> pd.DataFrame:
        records = [
            {
                c: (d(v) if c in date_columns and v is not None else v)
                for c, v in zip(columns, row, strict=True)
            }
            for row in rows
        ]
        return pd.DataFrame.from_records(records, columns=list(columns))

    spell_dates = {
        "notice_date",
        "unemployed_from",
        "unemployed_to",
        "covered_from",
        "covered_to",
        "visited_on",
    }
    return {
        "persons": dates(PERSONS, ("person_id", "birth_date", "sex", "education"), {"birth_date"}),
        "spells": dates(SPELLS, SPELL_COLUMNS, spell_dates),
        "conversations": dates(CONVERSATIONS, CONVERSATION_COLUMNS, {"date"}),
        "weekly_status": dates(WEEKLY_STATUS, ("person_id", "spell_id", "week", "status"), {"week"}),
    }


def write(directory: Path) -> Path:
    """Write the fixture as an event directory and return it."""
    write_tables(directory, frames())
    return directory
