"""What the publication needs to know about an indicator, read from the analytics catalogue in one place."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class IndicatorInfo:
    """One indicator as published: names and definition in both languages, unit, period rule, sources."""

    id: str
    name_da: str
    name_en: str
    definition_da: str
    definition_en: str
    unit: str  # persons | conversations | share | days
    period_rule: str
    breakdowns: tuple[str, ...]
    source_tables: tuple[str, ...]

    def name(self, lang: str) -> str:
        return self.name_da if lang == "da" else self.name_en

    def definition(self, lang: str) -> str:
        return self.definition_da if lang == "da" else self.definition_en


def describe(indicators: Iterable[Any]) -> dict[str, IndicatorInfo]:
    """The catalogue's Indicator declarations as IndicatorInfo, by id, in catalogue order."""
    return {
        i.id: IndicatorInfo(
            id=i.id,
            name_da=i.name_da,
            name_en=i.name_en,
            definition_da=i.definition_da,
            definition_en=i.definition_en,
            unit=str(i.unit),
            period_rule=str(i.period_rule),
            breakdowns=tuple(str(b) for b in i.breakdowns),
            source_tables=tuple(i.source_tables),
        )
        for i in indicators
    }
