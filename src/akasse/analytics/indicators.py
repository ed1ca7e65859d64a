"""The indicator catalogue of STAR's monthly monitoring (issue 3): each indicator declared once, in Ibis.

Interface (for disclosure control and the publication):

    frame = compute(tables, indicators=CATALOGUE, *, as_of=None, first=None)   # pandas, long format

`tables` is an event directory or `akasse.analytics.tables.EventTables` on any Ibis backend (DuckDB by
default; PySpark and Trino run the same expressions). One row per indicator, breakdown and cell; columns:

    indicator     Indicator.id
    breakdown     "total" | "month" | "month_akasse" | "month_akasse_municipality" | "month_group"
    month         datetime.date, first day of the month; None for "total"
    akasse        a-kasse code; None unless the breakdown has it
    municipality  municipality code (pandas Int64); <NA> unless the breakdown has it
    group         "trial" in every breakdown but "month_group", where it is "trial" or "normal"
    numerator     pandas Int64: the count (or sum of days)
    denominator   pandas Int64 for shares and means; <NA> for counts
    value         float: the count, the share (fraction) or the mean

A row exists where the count (counts) or the denominator (shares, means) is above 0; a missing cell reads
as 0. Months run from the trial's start (1 Jan 2020; `first=`) to the data's cut-off (`as_of=`).
Breakdowns other than "month_group" describe the trial group only. Rows are sorted by catalogue order,
breakdown order, month, a-kasse, municipality and group.

Each `Indicator` declares: id; Danish and English name and definition; unit; period rule (event time: the
month of the event's date, named in `period_date`; or stock: every month its period overlaps); the
breakdowns it supports; its source tables; and for disclosure control (`Indicator.rule` gives the
`akasse.analytics.disclosure.Rule`): whether numerator and denominator count persons, and the dimensions
over which they add up exactly (`additive_over`). Monthly counts of distinct persons count each person once
a month in one spell per group (the one that started latest), so they add up over a-kasser and
municipalities within a month, but not over months (the "total" counts each person once). Event counts
(visitations, exits, conversations, requirements) add up over months too. `SUMS` lists the indicators whose
rows add up to another indicator's (exits by reason → exits), `SAME` the counts two indicators share (a
share's denominator and a count); `rules(CATALOGUE)` maps ids to Rules. For disclosure control:
`protect(frame, rules(CATALOGUE), sums=SUMS, same=SAME)`.

Contact period (`akasse.analytics.periods`): trial group = coverage, normal group = unemployment.
Requirements met on time come from the vectorised rule interpreter (`akasse.domain.plan_vector`) with the
rulebook of the spell's group (`RULEBOOK_BY_GROUP`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

import ibis.expr.types as ir
import numpy as np
import numpy.typing as npt
import pandas as pd

from akasse.analytics.disclosure import IndicatorSum, Rule, SameCount
from akasse.analytics.records import Breakdown, Cells, Measure, Sources
from akasse.analytics.tables import EventTables, event_tables
from akasse.domain.choices import ExitReason, Group, HeldBy, Mode, Purpose, ReferralReason


class Unit(StrEnum):
    PERSONS = "persons"
    CONVERSATIONS = "conversations"
    REQUIREMENTS = "requirements"
    SHARE = "share"
    DAYS = "days"
    CONVERSATIONS_PER_PERSON = "conversations_per_person"

    @property
    def label_da(self) -> str:
        return _UNIT_LABELS[self][0]

    @property
    def label_en(self) -> str:
        return _UNIT_LABELS[self][1]


_UNIT_LABELS = {
    Unit.PERSONS: ("personer", "persons"),
    Unit.CONVERSATIONS: ("samtaler", "conversations"),
    Unit.REQUIREMENTS: ("samtalekrav", "required conversations"),
    Unit.SHARE: ("andel", "share"),
    Unit.DAYS: ("dage", "days"),
    Unit.CONVERSATIONS_PER_PERSON: ("samtaler pr. deltager", "conversations per participant"),
}


class Period(StrEnum):
    EVENT = "event"  # the month of the event's date
    STOCK = "stock"  # every month the person's period overlaps


ALL_BREAKDOWNS = tuple(Breakdown)
TRIAL_BREAKDOWNS = tuple(b for b in Breakdown if b != Breakdown.MONTH_GROUP)
EVENT_ADDITIVE = frozenset({"month", "akasse", "municipality"})
STOCK_ADDITIVE = frozenset({"akasse", "municipality"})

MIN_CONVERSATIONS = 3  # the seed's "3 or more conversations"


@dataclass(frozen=True)
class Indicator:
    id: str
    name_da: str
    name_en: str
    definition_da: str
    definition_en: str
    unit: Unit
    period: Period
    period_date: str  # the date that places a record in its month
    source_tables: tuple[str, ...]
    numerator: Measure
    denominator: Measure | None = None
    breakdowns: tuple[Breakdown, ...] = TRIAL_BREAKDOWNS
    numerator_persons: bool = True
    denominator_persons: bool = True
    additive_over: frozenset[str] = field(default=EVENT_ADDITIVE)

    @property
    def rule(self) -> Rule:
        """The disclosure rule: which counts are persons, over which dimensions they add up."""
        return Rule(
            numerator_persons=self.numerator_persons,
            denominator_persons=self.denominator is not None and self.denominator_persons,
            additive_over=self.additive_over,
        )


def rules(indicators: Sequence[Indicator]) -> dict[str, Rule]:
    """Indicator id → disclosure Rule, for `akasse.analytics.disclosure.protect`."""
    return {i.id: i.rule for i in indicators}


# ---------------------------------------------------------------------------------------------------------
# The catalogue
# ---------------------------------------------------------------------------------------------------------


def _purpose(purpose: Purpose) -> Callable[[ir.Table], ir.BooleanValue]:
    return lambda t: t.purposes.contains(purpose.value)


def _equals(column: str, value: str) -> Callable[[ir.Table], ir.BooleanValue]:
    return lambda t: t[column] == value


def _referred_for(reason: ReferralReason) -> Callable[[ir.Table], ir.BooleanValue]:
    return lambda t: (t.exit_reason == ExitReason.REFERRED.value) & (t.referral_reason == reason.value)


def _on_time_for(purpose: Purpose) -> Callable[[ir.Table], ir.BooleanValue]:
    return lambda t: (t.purpose == purpose.value) & t.on_time


_IN_CONTACT_DA = "i kontaktforløbet (forsøg: omfattet af forsøget; normalindsats: ledig)"
_IN_CONTACT_EN = "in the contact process (trial: covered by the trial; normal effort: unemployed)"
_CONVERSATION_TABLES = ("conversations", "spells")

PARTICIPANTS = Indicator(
    "participants",
    "Deltagere i måneden",
    "Participants in the month",
    f"Antal forskellige personer {_IN_CONTACT_DA} på mindst én dag i måneden.",
    f"Distinct persons {_IN_CONTACT_EN} on at least one day of the month.",
    Unit.PERSONS,
    Period.STOCK,
    "spells.covered_from–covered_to (normal: unemployed_from–unemployed_to)",
    ("spells",),
    Measure("participants", "persons"),
    breakdowns=ALL_BREAKDOWNS,
    additive_over=STOCK_ADDITIVE,
)

VISITED = Indicator(
    "visited",
    "Nye deltagere visiteret til forsøget",
    "Newly visited into the trial",
    "Antal forløb visiteret til forsøget ved ledighedens start i måneden.",
    "Spells visited into the trial on becoming unemployed in the month.",
    Unit.PERSONS,
    Period.EVENT,
    "spells.visited_on",
    ("spells",),
    Measure("visitations"),
)

EXITS = Indicator(
    "exits",
    "Afgange fra forsøget",
    "Exits from the trial",
    "Antal forløb, hvis dækning af forsøget sluttede i måneden (sidste dag omfattet), uanset årsag.",
    "Spells whose coverage by the trial ended in the month (last covered day), for any reason.",
    Unit.PERSONS,
    Period.EVENT,
    "spells.covered_to",
    ("spells",),
    Measure("exits"),
)

EXITS_BY_REASON = tuple(
    Indicator(
        f"exits_{reason.value}",
        f"Afgange: {reason.label_da}" if reason != ExitReason.HANDOVER else "Overdragelser til jobcenter",
        f"Exits: {reason.label_en}" if reason != ExitReason.HANDOVER else "Hand-overs to the job centre",
        f"Antal forløb, hvis dækning sluttede i måneden med årsagen »{reason.label_da}«.",
        f"Spells whose coverage ended in the month for the reason “{reason.label_en}”.",
        Unit.PERSONS,
        Period.EVENT,
        "spells.covered_to",
        ("spells",),
        Measure("exits", where=_equals("exit_reason", reason.value)),
    )
    for reason in ExitReason
)

REFERRED_BY_REASON = tuple(
    Indicator(
        f"referred_{reason.value}",
        f"Visiteret ud: {reason.label_da}",
        f"Referred out: {reason.label_en}",
        f"Forløb visiteret ud af forsøget til jobcenteret i måneden med begrundelse »{reason.label_da}«.",
        f"Spells referred out of the trial to the job centre in the month for “{reason.label_en}”.",
        Unit.PERSONS,
        Period.EVENT,
        "spells.covered_to",
        ("spells",),
        Measure(
            "exits",
            where=_referred_for(reason),
        ),
    )
    for reason in ReferralReason
)

SHARE_REFERRED = Indicator(
    "share_referred",
    "Andel visiteret ud",
    "Share referred out",
    "Blandt forløb visiteret til forsøget i måneden: andelen, der senere blev visiteret ud til en tidlig "
    "indsats i jobcenteret eller uddannelsespålæg (seed: op til 5 %).",
    "Among spells visited into the trial in the month: the share later referred out to an early job-centre "
    "effort or an education order (seed: up to 5 %).",
    Unit.SHARE,
    Period.EVENT,
    "spells.visited_on",
    ("spells",),
    Measure("visitations", where=_equals("exit_reason", ExitReason.REFERRED.value)),
    Measure("visitations"),
)

SHARE_3PLUS = Indicator(
    "share_3plus",
    "Andel med mindst 3 samtaler blandt dem med fulde 3 måneder",
    "Share with at least 3 conversations among those with the full 3 months",
    "Blandt forløb overdraget til jobcenteret i måneden (de fulde 3 måneder i a-kassen): andelen med "
    "mindst 3 samtaler dateret i dækningsperioden (seed: 87 %).",
    "Among spells handed over to the job centre in the month (the full 3 months in the a-kasse): the share "
    "with at least 3 conversations dated in the coverage (seed: 87 %).",
    Unit.SHARE,
    Period.EVENT,
    "spells.covered_to",
    ("spells", "conversations"),
    Measure("exits", where=lambda t: (t.exit_reason == ExitReason.HANDOVER.value) & (t.n_conversations >= 3)),
    Measure("exits", where=_equals("exit_reason", ExitReason.HANDOVER.value)),
)

_CONVERSATIONS_DA = f"Samtaler afholdt i måneden med personer {_IN_CONTACT_DA}"
_CONVERSATIONS_EN = f"Conversations held in the month with persons {_IN_CONTACT_EN}"

CONVERSATIONS = Indicator(
    "conversations",
    "Samtaler",
    "Conversations",
    f"{_CONVERSATIONS_DA}.",
    f"{_CONVERSATIONS_EN}.",
    Unit.CONVERSATIONS,
    Period.EVENT,
    "conversations.date",
    _CONVERSATION_TABLES,
    Measure("conversations"),
    breakdowns=ALL_BREAKDOWNS,
)

CONVERSATIONS_BY_PURPOSE = tuple(
    Indicator(
        f"conversations_{purpose.value}",
        f"Samtaler: {purpose.label_da}",
        f"Conversations: {purpose.label_en}",
        f"{_CONVERSATIONS_DA}, der tjente formålet »{purpose.label_da}« (en samtale kan tjene flere formål).",
        f"{_CONVERSATIONS_EN} that served the purpose “{purpose.label_en}” (one may serve several).",
        Unit.CONVERSATIONS,
        Period.EVENT,
        "conversations.date",
        _CONVERSATION_TABLES,
        Measure("conversations", where=_purpose(purpose)),
        breakdowns=ALL_BREAKDOWNS,
    )
    for purpose in Purpose
)

CONVERSATIONS_BY_HOLDER = tuple(
    Indicator(
        f"conversations_by_{held_by.value}",
        f"Samtaler afholdt af: {held_by.label_da}",
        f"Conversations held by: {held_by.label_en}",
        f"{_CONVERSATIONS_DA}, afholdt af: {held_by.label_da}.",
        f"{_CONVERSATIONS_EN}, held by: {held_by.label_en}.",
        Unit.CONVERSATIONS,
        Period.EVENT,
        "conversations.date",
        _CONVERSATION_TABLES,
        Measure("conversations", where=_equals("held_by", held_by.value)),
        breakdowns=ALL_BREAKDOWNS,
    )
    for held_by in HeldBy
)

CONVERSATIONS_BY_MODE = tuple(
    Indicator(
        f"conversations_{mode.value}",
        f"Samtaler: {mode.label_da}",
        f"Conversations: {mode.label_en}",
        f"{_CONVERSATIONS_DA}, holdt som: {mode.label_da}.",
        f"{_CONVERSATIONS_EN}, held as: {mode.label_en}.",
        Unit.CONVERSATIONS,
        Period.EVENT,
        "conversations.date",
        _CONVERSATION_TABLES,
        Measure("conversations", where=_equals("mode", mode.value)),
        breakdowns=ALL_BREAKDOWNS,
    )
    for mode in Mode
)

CONVERSATIONS_PER_PARTICIPANT = Indicator(
    "conversations_per_participant",
    "Samtaler pr. deltager",
    "Conversations per participant",
    "Samtaler afholdt i måneden med deltagere divideret med antal deltagere i måneden.",
    "Conversations held in the month with participants divided by the participants in the month.",
    Unit.CONVERSATIONS_PER_PERSON,
    Period.EVENT,
    "conversations.date",
    _CONVERSATION_TABLES,
    Measure("conversations"),
    Measure("participants", "persons"),
    breakdowns=ALL_BREAKDOWNS,
    additive_over=STOCK_ADDITIVE,
)

JOBS_PRESENTED = Indicator(
    "jobs_presented",
    "Personer præsenteret for konkrete job",
    "Members presented with concrete job postings",
    "Antal forskellige personer, der ved en samtale i måneden fik præsenteret mindst ét konkret jobopslag.",
    "Distinct persons presented with at least one concrete job posting at a conversation in the month.",
    Unit.PERSONS,
    Period.EVENT,
    "conversations.date",
    _CONVERSATION_TABLES,
    Measure("conversations", "persons", where=lambda t: t.jobs_presented > 0),
    breakdowns=ALL_BREAKDOWNS,
    additive_over=STOCK_ADDITIVE,
)

SHARE_JOBS_PRESENTED = Indicator(
    "share_jobs_presented",
    "Andel præsenteret for konkrete job",
    "Share presented with concrete job postings",
    "Personer præsenteret for konkrete jobopslag i måneden som andel af deltagerne i måneden.",
    "Persons presented with concrete job postings in the month as a share of the participants in the month.",
    Unit.SHARE,
    Period.EVENT,
    "conversations.date",
    _CONVERSATION_TABLES,
    JOBS_PRESENTED.numerator,
    Measure("participants", "persons"),
    breakdowns=ALL_BREAKDOWNS,
    additive_over=STOCK_ADDITIVE,
)

_ON_TIME_DA = (
    "Blandt samtalekrav med frist i måneden (regelsættet for gruppen; fristen inden for kontaktforløbet): "
    "andelen afholdt senest på fristen"
)
_ON_TIME_EN = (
    "Among required conversations due in the month (the group's rulebook; deadline inside the contact "
    "process): the share held on or before the deadline"
)
_ON_TIME_TABLES = ("spells", "conversations", "rulebooks")

MET_ON_TIME = Indicator(
    "met_on_time",
    "Samtalekrav opfyldt rettidigt",
    "Required conversations held on time",
    f"{_ON_TIME_DA}.",
    f"{_ON_TIME_EN}.",
    Unit.SHARE,
    Period.EVENT,
    "deadline (rule interpreter)",
    _ON_TIME_TABLES,
    Measure("requirements", where=lambda t: t.on_time),
    Measure("requirements"),
    breakdowns=ALL_BREAKDOWNS,
)

MET_ON_TIME_BY_PURPOSE = tuple(
    Indicator(
        f"met_on_time_{purpose.value}",
        f"Samtalekrav opfyldt rettidigt: {purpose.label_da}",
        f"Required conversations held on time: {purpose.label_en}",
        f"{_ON_TIME_DA}, for formålet »{purpose.label_da}«.",
        f"{_ON_TIME_EN}, for the purpose “{purpose.label_en}”.",
        Unit.SHARE,
        Period.EVENT,
        "deadline (rule interpreter)",
        _ON_TIME_TABLES,
        Measure("requirements", where=_on_time_for(purpose)),
        Measure("requirements", where=_equals("purpose", purpose.value)),
        breakdowns=ALL_BREAKDOWNS,
    )
    for purpose in Purpose
)

CV_WITHIN_14_DAYS = Indicator(
    "cv_within_14_days",
    "CV-samtale inden for 14 dage",
    "CV conversation within 14 days",
    "Blandt forløb, der blev ledige i måneden, med CV-samtalens frist inden for kontaktforløbet: andelen, "
    "hvis CV-samtale blev holdt senest på fristen (14 dage efter ledighedens start, sidste arbejdsdag).",
    "Among spells that became unemployed in the month, with the CV conversation's deadline inside the "
    "contact process: the share whose CV conversation was held on or before the deadline (14 days after "
    "the start of unemployment, last working day).",
    Unit.SHARE,
    Period.EVENT,
    "spells.unemployed_from",
    _ON_TIME_TABLES,
    Measure("cv_requirements", where=lambda t: t.on_time),
    Measure("cv_requirements"),
    breakdowns=ALL_BREAKDOWNS,
)

DAYS_TO_CV = Indicator(
    "days_to_cv",
    "Dage til CV-samtale",
    "Days to CV conversation",
    "Gennemsnitligt antal dage fra ledighedens start til CV-samtalen for forløb, der blev ledige i måneden "
    "og har holdt CV-samtalen (negativt: holdt i opsigelsesperioden).",
    "Mean days from the start of unemployment to the CV conversation, for spells that became unemployed in "
    "the month and held it (negative: held in the notice period).",
    Unit.DAYS,
    Period.EVENT,
    "spells.unemployed_from",
    _ON_TIME_TABLES,
    Measure("cv_requirements", "sum", where=lambda t: t.days.notnull(), column="days"),
    Measure("cv_requirements", where=lambda t: t.days.notnull()),
    breakdowns=ALL_BREAKDOWNS,
    numerator_persons=False,
)

CATALOGUE: tuple[Indicator, ...] = (
    PARTICIPANTS,
    VISITED,
    EXITS,
    *EXITS_BY_REASON,
    *REFERRED_BY_REASON,
    SHARE_REFERRED,
    SHARE_3PLUS,
    CONVERSATIONS,
    *CONVERSATIONS_BY_PURPOSE,
    *CONVERSATIONS_BY_HOLDER,
    *CONVERSATIONS_BY_MODE,
    CONVERSATIONS_PER_PARTICIPANT,
    JOBS_PRESENTED,
    SHARE_JOBS_PRESENTED,
    MET_ON_TIME,
    *MET_ON_TIME_BY_PURPOSE,
    CV_WITHIN_14_DAYS,
    DAYS_TO_CV,
)
BY_ID = {i.id: i for i in CATALOGUE}

#: Indicators whose rows add up to another's, in the numerator (for secondary suppression between tables).
SUMS: tuple[IndicatorSum, ...] = (
    IndicatorSum("exits", tuple(i.id for i in EXITS_BY_REASON)),
    IndicatorSum("exits_referred", tuple(i.id for i in REFERRED_BY_REASON)),
    IndicatorSum("conversations", tuple(i.id for i in CONVERSATIONS_BY_HOLDER)),
    IndicatorSum("conversations", tuple(i.id for i in CONVERSATIONS_BY_MODE)),
    IndicatorSum("met_on_time", tuple(i.id for i in MET_ON_TIME_BY_PURPOSE)),
)

#: The same count shown by two indicators, row by row (a share's numerator or denominator and a count).
SAME: tuple[SameCount, ...] = (
    SameCount("conversations_per_participant", "conversations"),
    SameCount("conversations_per_participant", "participants", layer="denominator"),
    SameCount("share_jobs_presented", "jobs_presented"),
    SameCount("share_jobs_presented", "participants", layer="denominator"),
    SameCount("share_referred", "visited", layer="denominator"),
    SameCount("share_3plus", "exits_handover", layer="denominator"),
)


DIMENSIONS = ("month", "akasse", "municipality", "group")
COLUMNS = ("indicator", "breakdown", *DIMENSIONS, "numerator", "denominator", "value")
_TRIAL = Group.TRIAL.value


def compute(
    tables: str | Path | EventTables,
    indicators: Sequence[Indicator] = CATALOGUE,
    *,
    as_of: dt.date | None = None,
    first: dt.date | None = None,
) -> pd.DataFrame:
    """The indicators in long format (module docstring) for the months from `first` (default: the trial's
    start, 1 Jan 2020) to `as_of`, the data's cut-off (default: the latest date in the event tables):
    running periods end there and later deadlines are not yet due."""
    sources = Sources(event_tables(tables), as_of, first)
    wanted = {
        breakdown: {
            m for i in indicators if breakdown in i.breakdowns for m in (i.numerator, i.denominator) if m
        }
        for breakdown in Breakdown
    }
    try:
        cells = sources.aggregate(wanted)
    finally:
        sources.release()
    keys = {breakdown: _keys(frame, breakdown) for breakdown, frame in cells.frames.items()}
    parts = [
        _rows(indicator, breakdown, keys[breakdown], cells)
        for indicator in indicators
        for breakdown in Breakdown
        if breakdown in indicator.breakdowns
    ]
    columns = {c: np.concatenate([part[c] for part in parts]) if parts else np.array([]) for c in COLUMNS}
    return pd.DataFrame(
        {
            **{c: pd.Series(columns[c], dtype=object) for c in ("indicator", "breakdown", *DIMENSIONS)},
            "municipality": pd.array(columns["municipality"].astype(float), dtype="Int64"),
            "numerator": pd.array(columns["numerator"].astype(float), dtype="Int64"),
            "denominator": pd.array(columns["denominator"].astype(float), dtype="Int64"),
            "value": columns["value"].astype(float),
        },
        columns=list(COLUMNS),
    )


def _keys(frame: pd.DataFrame, breakdown: Breakdown) -> dict[str, npt.NDArray[Any]]:
    """The breakdown's cells as output columns: month a date (None in the total), a-kasse (None),
    municipality (NaN where the breakdown lacks them) and group (the trial's unless broken down by group)."""
    n = len(frame)
    months = frame["month"].to_numpy() if "month" in frame else None
    return {
        "month": np.full(n, None) if months is None else _first_days(months),
        "akasse": frame["akasse"].to_numpy(object) if "akasse" in frame else np.full(n, None),
        "municipality": (
            frame["municipality"].to_numpy(float) if "municipality" in frame else np.full(n, np.nan)
        ),
        "group": frame["group"].to_numpy(object) if "group" in frame else np.full(n, _TRIAL, dtype=object),
    }


def _first_days(months: npt.NDArray[np.int64]) -> npt.NDArray[Any]:
    """Month numbers (`periods.month_number`) as the first days of their months (datetime.date)."""
    first_days: npt.NDArray[Any] = (
        (months - 1970 * 12).astype("datetime64[M]").astype("datetime64[D]").astype(object)
    )
    return first_days


def _rows(
    indicator: Indicator, breakdown: Breakdown, keys: dict[str, npt.NDArray[Any]], cells: Cells
) -> dict[str, npt.NDArray[Any]]:
    """The indicator's rows in the breakdown, as output columns: the cells with a count above 0 (counts) or
    a denominator above 0 (shares and means)."""
    numerator = cells.counts(indicator.numerator, breakdown)
    if indicator.denominator is None:
        shown = np.flatnonzero(numerator > 0)
        denominator = np.full(len(shown), np.nan)
        value = numerator[shown].astype(float)
    else:
        counts = cells.counts(indicator.denominator, breakdown)
        shown = np.flatnonzero(counts > 0)
        denominator = counts[shown].astype(float)
        value = numerator[shown] / denominator
    return {
        "indicator": np.full(len(shown), indicator.id, dtype=object),
        "breakdown": np.full(len(shown), breakdown.value, dtype=object),
        **{name: column[shown] for name, column in keys.items()},
        "numerator": numerator[shown],
        "denominator": denominator,
        "value": value,
    }
