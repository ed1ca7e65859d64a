"""Reference facts the rules read: municipalities, a-kasser and the trial configuration."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Municipality:
    code: int
    name: str
    region: str


@dataclass(frozen=True)
class Akasse:
    code: str
    name: str
    trial: bool
    member_share: float  # [A] share of newly unemployed; weights the synthetic population only


@dataclass(frozen=True)
class TrialConfig:
    """Where and when the trial runs: each trial a-kasse's municipalities (nationwide: not frikommuner)."""

    start: dt.date
    end: dt.date
    frikommuner: frozenset[int]
    municipalities_by_akasse: dict[str, frozenset[int]]
    scope_by_akasse: dict[str, str]  # "selected" or "nationwide"
    assumed: frozenset[str]  # a-kasser whose configuration is our assumption, not a confirmed fact

    def in_trial_area(self, akasse: str, municipality: int) -> bool:
        return municipality in self.municipalities_by_akasse.get(akasse, frozenset())

    def in_period(self, day: dt.date) -> bool:
        return self.start <= day <= self.end
