"""What the publication needs to know about an indicator, read from the analytics catalogue in one place."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from akasse.analytics.indicators import Indicator, Period

#: The period rule in words, from the declaration's period kind and the date column it names.
PERIOD_TEXT = {
    Period.EVENT: ("Hændelsestid: måneden for {date}", "Event time: the month of {date}"),
    Period.STOCK: (
        "Bestand: hver måned, som perioden {date} overlapper",
        "Stock: every month the period {date} overlaps",
    ),
}


@dataclass(frozen=True)
class IndicatorInfo:
    """One indicator as published: names, definition, unit and period rule in both languages; sources."""

    id: str
    name_da: str
    name_en: str
    definition_da: str
    definition_en: str
    unit: str  # the catalogue's unit code; "share" is shown as a percentage
    ratio: bool  # a share or mean (numerator / denominator); else a count, where a missing cell is 0
    unit_da: str
    unit_en: str
    period_da: str
    period_en: str
    breakdowns: tuple[str, ...]
    source_tables: tuple[str, ...]

    def name(self, lang: str) -> str:
        return self.name_da if lang == "da" else self.name_en

    def definition(self, lang: str) -> str:
        return self.definition_da if lang == "da" else self.definition_en

    def unit_label(self, lang: str) -> str:
        return self.unit_da if lang == "da" else self.unit_en

    def period_rule(self, lang: str) -> str:
        return self.period_da if lang == "da" else self.period_en


def describe(indicators: Iterable[Indicator]) -> dict[str, IndicatorInfo]:
    """The catalogue's declarations as IndicatorInfo, by id, in catalogue order."""
    return {i.id: _info(i) for i in indicators}


def _info(indicator: Indicator) -> IndicatorInfo:
    period_da, period_en = PERIOD_TEXT[indicator.period]
    return IndicatorInfo(
        id=indicator.id,
        name_da=indicator.name_da,
        name_en=indicator.name_en,
        definition_da=indicator.definition_da,
        definition_en=indicator.definition_en,
        unit=indicator.unit.value,
        ratio=indicator.denominator is not None,
        unit_da=indicator.unit.label_da,
        unit_en=indicator.unit.label_en,
        period_da=period_da.format(date=indicator.period_date),
        period_en=period_en.format(date=indicator.period_date),
        breakdowns=tuple(b.value for b in indicator.breakdowns),
        source_tables=indicator.source_tables,
    )
