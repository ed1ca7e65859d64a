"""The generator's assumed parameters, read from `parameters.toml`, `effects.toml` and the population file.

The values are data so that they can be documented, reviewed and changed without touching the model
(docs/synthetic-data.md). A missing or malformed value raises ParameterError naming the file and field.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from akasse.domain.choices import Education, Mode, Purpose, ReferralReason
from akasse.reference import akasser, municipalities


class ParameterError(ValueError):
    """A parameter file that cannot be used; the message names the file and the field."""


@dataclass(frozen=True)
class Profile:
    """Members of a kind of a-kasse: education mix, age, notice periods, unemployment duration."""

    education: dict[Education, float]
    age_beta: tuple[float, float]
    notice_share: float
    notice_days_mean: float
    notice_only_share: float
    median_days: float
    city_factor: float


@dataclass(frozen=True)
class Regime:
    """How fully and how a rulebook's conversations are held in the synthetic data."""

    rulebook: str
    held: dict[Purpose, float]
    late: dict[Purpose, float]
    late_days_mean: float
    combine_with_cv: dict[Purpose, float]
    notice_conversation: float
    extra_job_conversations: float
    first_in_person: float
    later_modes: dict[Mode, float]
    presented_share: float
    presented_mean: float


@dataclass(frozen=True)
class Parameters:
    first_start: dt.date
    last_start: dt.date
    as_of: dt.date
    notice_days_max: int
    starts_per_month: float
    second_spell_share: float
    months_between_spells: int
    seasonal: tuple[float, ...]
    month_factors: dict[str, float]
    sigma: float
    max_days: int
    education_factor: dict[Education, float]
    age_factor: dict[str, float]
    region_factor: dict[str, float]
    trend: dict[int, float]
    other_share: float
    profiles: dict[str, Profile]
    cities: tuple[int, ...]
    akasse_profile: dict[str, str]
    akasse_female: dict[str, float]
    population: dict[int, int]
    complex_challenges_share: float
    score_beta: tuple[float, float]
    score_shift: dict[str, float]
    refer_share: dict[ReferralReason, float]
    referral_delay_days: int
    moves_per_year: float
    switches_per_year: float
    trial: Regime
    normal: Regime


@dataclass(frozen=True)
class Effects:
    """The planted trial effect: per a-kasse, points of the 52-week employment rate (see effects.toml)."""

    period_from: dt.date
    period_to: dt.date
    points: dict[str, float]


class _Reader:
    """Field access that names the file and the dotted field in every error."""

    def __init__(self, source: str, data: dict[str, Any], path: str = ""):
        self.source, self.data, self.path = source, data, path

    def where(self, key: str) -> str:
        return f"{self.source}: {self.path}{key}"

    def get(self, key: str) -> Any:
        if key not in self.data:
            raise ParameterError(f"{self.where(key)}: missing")
        return self.data[key]

    def section(self, key: str) -> _Reader:
        value = self.get(key)
        if not isinstance(value, dict):
            raise ParameterError(f"{self.where(key)}: expected a table")
        return _Reader(self.source, value, f"{self.path}{key}.")

    def number(self, key: str, low: float = 0.0, high: float = float("inf")) -> float:
        value = self.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
            raise ParameterError(f"{self.where(key)}: {value!r} is not a number in [{low}, {high}]")
        return float(value)

    def share(self, key: str) -> float:
        return self.number(key, 0.0, 1.0)

    def date(self, key: str) -> dt.date:
        value = self.get(key)
        if not isinstance(value, dt.date):
            raise ParameterError(f"{self.where(key)}: {value!r} is not a date (YYYY-MM-DD)")
        return value

    def pair(self, key: str) -> tuple[float, float]:
        value = self.get(key)
        if not (
            isinstance(value, list)
            and len(value) == 2
            and all(isinstance(v, int | float) and v > 0 for v in value)
        ):
            raise ParameterError(f"{self.where(key)}: {value!r} is not two positive numbers")
        return float(value[0]), float(value[1])

    def complete(
        self, key: str, required: set[Any], high: float = float("inf"), kind: Any = str
    ) -> dict[Any, float]:
        """A table of numbers that must have exactly the `required` keys."""
        table = self.numbers(key, kind, high)
        if set(table) != required:
            missing = sorted(str(k) for k in required - set(table))
            unknown = sorted(str(k) for k in set(table) - required)
            expected = sorted(str(k) for k in required)
            raise ParameterError(
                f"{self.where(key)}: expected keys {expected} (missing {missing}, unknown {unknown})"
            )
        return table

    def numbers(self, key: str, kind: Any = str, high: float = float("inf")) -> dict[Any, float]:
        """A table of numbers whose keys are converted by `kind` (a choice class, int or str)."""
        table = self.section(key)
        out = {}
        for name in table.data:
            try:
                converted = kind(name)
            except ValueError:
                raise ParameterError(f"{table.where(name)}: unknown key {name!r}") from None
            out[converted] = table.number(name, 0.0, high)
        return out


def _package_text(name: str) -> str:
    return resources.files(__name__.rsplit(".", 1)[0]).joinpath(name).read_text(encoding="utf-8")


def _load_toml(path: str | Path | None, default: str) -> tuple[str, dict[str, Any]]:
    source = str(path) if path is not None else default
    try:
        text = Path(path).read_text(encoding="utf-8") if path is not None else _package_text(default)
        return source, tomllib.loads(text)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ParameterError(f"{source}: {error}") from None


def _regime(r: _Reader) -> Regime:
    presented = r.section("jobs_presented")
    return Regime(
        rulebook=str(r.get("rulebook")),
        held=r.complete("held", set(Purpose), 1.0, Purpose),
        late=r.complete("late", set(Purpose), 1.0, Purpose),
        late_days_mean=r.number("late_days_mean", 1.0),
        combine_with_cv=r.numbers("combine_with_cv", Purpose, 1.0),
        notice_conversation=r.share("notice_conversation"),
        extra_job_conversations=r.number("extra_job_conversations"),
        first_in_person=r.share("first_in_person"),
        later_modes=r.numbers("later_modes", Mode, 1.0),
        presented_share=presented.share("share"),
        presented_mean=presented.number("mean"),
    )


def _profile(r: _Reader) -> Profile:
    return Profile(
        education=r.numbers("education", Education, 1.0),
        age_beta=r.pair("age_beta"),
        notice_share=r.share("notice_share"),
        notice_days_mean=r.number("notice_days_mean", 1.0),
        notice_only_share=r.share("notice_only_share"),
        median_days=r.number("median_days", 1.0),
        city_factor=r.number("city_factor"),
    )


def _population(source: str, text: str) -> dict[int, int]:
    """Residents by municipality code; every municipality of the reference data must be there once."""
    population: dict[int, int] = {}
    for line, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        try:
            code, people = int(row["code"]), int(row["population"])
        except (KeyError, TypeError, ValueError):
            raise ParameterError(
                f"{source}, line {line}: expected code,population as whole numbers"
            ) from None
        if code not in municipalities() or code in population or people <= 0:
            raise ParameterError(f"{source}, line {line}: unknown, repeated or empty municipality {code}")
        population[code] = people
    missing = sorted(set(municipalities()) - set(population))
    if missing:
        raise ParameterError(f"{source}: no population for municipalities {missing}")
    return population


def load_parameters(path: str | Path | None = None) -> Parameters:
    """The parameters in `path`, or the shipped defaults (synth/parameters.toml)."""
    if path is None:
        return _default_parameters()
    return _parse_parameters(*_load_toml(path, "parameters.toml"))


@lru_cache(maxsize=1)
def _default_parameters() -> Parameters:
    return _parse_parameters(*_load_toml(None, "parameters.toml"))


def _parse_parameters(source: str, data: dict[str, Any]) -> Parameters:
    top = _Reader(source, data)
    window, inflow, duration, trial = (top.section(k) for k in ("window", "inflow", "duration", "trial"))
    seasonal = inflow.get("seasonal")
    if not (
        isinstance(seasonal, list)
        and len(seasonal) == 12
        and all(isinstance(v, int | float) for v in seasonal)
    ):
        raise ParameterError(f"{inflow.where('seasonal')}: expected 12 numbers (January … December)")
    profiles_section = top.section("profile")
    profiles = {name: _profile(profiles_section.section(name)) for name in profiles_section.data}
    akasse_section = top.section("akasse")
    akasse_profile, akasse_female = {}, {}
    for code in akasser():
        entry = akasse_section.section(code)
        akasse_profile[code] = str(entry.get("profile"))
        if akasse_profile[code] not in profiles:
            raise ParameterError(f"{entry.where('profile')}: unknown profile {akasse_profile[code]!r}")
        akasse_female[code] = entry.share("female")
    regimes = top.section("regime")
    cities = tuple(int(c) for c in top.section("cities").get("municipalities"))
    return Parameters(
        first_start=window.date("first_start"),
        last_start=window.date("last_start"),
        as_of=window.date("as_of"),
        notice_days_max=int(window.number("notice_days_max", 7.0)),
        starts_per_month=inflow.number("starts_per_month", 1.0),
        second_spell_share=inflow.share("second_spell_share"),
        months_between_spells=int(inflow.number("months_between_spells", 1.0)),
        seasonal=tuple(float(v) for v in seasonal),
        month_factors=inflow.numbers("months"),
        sigma=duration.number("sigma", 0.01),
        max_days=int(duration.number("max_days", 1.0)),
        education_factor=duration.numbers("education", Education),
        age_factor=duration.complete("age", {"under_30", "from_30", "from_55"}),
        region_factor=duration.complete("region", {m.region for m in municipalities().values()}),
        trend=duration.numbers("trend", int),
        other_share=duration.share("other_share"),
        profiles=profiles,
        cities=cities,
        akasse_profile=akasse_profile,
        akasse_female=akasse_female,
        population=_population("municipality_population.csv", _package_text("municipality_population.csv")),
        complex_challenges_share=trial.share("complex_challenges_share"),
        score_beta=trial.pair("score_beta"),
        score_shift=trial.complete("score_shift", {"none", "from_55"}, 1.0),
        refer_share=trial.numbers("refer_share", ReferralReason, 1.0),
        referral_delay_days=int(trial.number("referral_delay_days")),
        moves_per_year=trial.number("moves_per_year"),
        switches_per_year=trial.number("switches_per_year"),
        trial=_regime(regimes.section("trial")),
        normal=_regime(regimes.section("normal")),
    )


def load_effects(path: str | Path | None = None) -> Effects:
    """The planted effects in `path`, or the shipped defaults (synth/effects.toml)."""
    source, data = _load_toml(path, "effects.toml")
    top = _Reader(source, data)
    period = top.section("period")
    return Effects(period.date("from"), period.date("to"), _signed_points(top))


def _signed_points(top: _Reader) -> dict[str, float]:
    table = top.section("points")
    out = {}
    for code in table.data:
        if code not in akasser():
            raise ParameterError(f"{table.where(code)}: unknown a-kasse {code!r}")
        out[code] = table.number(code, -100.0, 100.0)
    return out
