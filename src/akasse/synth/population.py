"""Persons and their spells: who is given notice or becomes unemployed when, where, and for how long.

All draws are vectorised over persons and spells (NumPy); loops run over months, profiles or rejection
rounds, never over persons. Dates are `datetime64[D]`, missing dates `NaT`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from akasse.domain.choices import Education
from akasse.domain.plan_vector import NAT, Dates, add_months
from akasse.reference import akasser, municipalities
from akasse.synth.parameters import Parameters

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]

EDUCATIONS: tuple[Education, ...] = tuple(Education)
AKASSER: tuple[str, ...] = tuple(akasser())
#: Municipality codes in reference order; spells hold an index into this tuple.
MUNICIPALITIES: tuple[int, ...] = tuple(municipalities())
DAYS_PER_YEAR = 365.2425


@dataclass(frozen=True)
class Persons:
    birth_date: Dates
    female: Bools
    education: Ints  # index into EDUCATIONS


@dataclass(frozen=True)
class Spells:
    """One row per spell; `person` indexes Persons, `akasse` AKASSER, `municipality` MUNICIPALITIES."""

    person: Ints
    akasse: Ints
    municipality: Ints
    start: Dates  # notice date when notice was given, else the first day of unemployment
    notice_date: Dates  # NaT without notice
    notice_end: Dates  # last day of the notice period (NaT without notice)
    unemployed_from: Dates  # NaT when work was found in the notice period
    duration_days: Ints  # days of unemployment from U, before any planted effect (0 without U)


def age_in_years(birth_date: Dates, day: Dates) -> Ints:
    """Whole years of age on `day` (vectorised `domain.coverage.age_on`)."""
    birth_year, birth_md = _year_and_month_day(birth_date)
    day_year, day_md = _year_and_month_day(day)
    out: Ints = day_year - birth_year - (day_md < birth_md)
    return out


def _year_and_month_day(days: Dates) -> tuple[Ints, Ints]:
    """Calendar year and month × 32 + day of each day, computed once per distinct day in the range."""
    first = days.min()
    offset = (days - first).astype(np.int64)
    span = np.arange(first, first + np.timedelta64(int(offset.max()) + 1, "D"))
    month = span.astype("datetime64[M]")
    year = span.astype("datetime64[Y]").astype(np.int64) + 1970
    month_day = (month.astype(np.int64) % 12) * 32 + (span - month.astype("datetime64[D]")).astype(np.int64)
    return year[offset], month_day[offset]


def start_weights(params: Parameters) -> tuple[Dates, Floats]:
    """Every possible start day and its expected number of national starts (the calendar index)."""
    months = np.arange(
        np.datetime64(params.first_start, "M"), np.datetime64(params.last_start, "M") + np.timedelta64(1, "M")
    )
    per_month = np.array(
        [
            params.starts_per_month
            * params.seasonal[int(str(m)[5:7]) - 1]
            * params.month_factors.get(str(m), 1.0)
            for m in months
        ]
    )
    days = np.arange(np.datetime64(params.first_start, "D"), np.datetime64(params.last_start, "D") + 1)
    month_of_day = np.searchsorted(months, days.astype("datetime64[M]"))
    month_length = ((months + 1).astype("datetime64[D]") - months.astype("datetime64[D]")).astype(np.float64)
    return days, per_month[month_of_day] / month_length[month_of_day]


def draw_population(params: Parameters, scale: float, rng: np.random.Generator) -> tuple[Persons, Spells]:
    """Persons (one or two spells each) and their spells, `scale` × the national size."""
    days, weight = start_weights(params)
    expected_spells = weight.sum() * scale
    n_persons = max(1, round(expected_spells / (1 + params.second_spell_share)))
    cdf = np.cumsum(weight) / weight.sum()

    def draw_days(n: int) -> Dates:
        out: Dates = days[np.minimum(np.searchsorted(cdf, rng.random(n)), len(days) - 1)]
        return out

    shares = np.array([a.member_share for a in akasser().values()])
    akasse = rng.choice(len(AKASSER), size=n_persons, p=shares / shares.sum())
    municipality = _draw_municipalities(params, akasse, rng)
    first = draw_days(n_persons)
    second_person, second = _second_starts(params, first, draw_days, rng)

    profile_of = _profile_codes(params)[akasse]
    persons = _draw_persons(params, akasse, profile_of, first, rng)

    person = np.concatenate([np.arange(n_persons), second_person])
    start = np.concatenate([first, second])
    order = np.lexsort((person, start.astype(np.int64)))
    person, start = person[order], start[order]
    spells = _draw_spells(
        params, persons, person, akasse[person], municipality[person], profile_of[person], start, rng
    )
    return _split_overlapping(persons, spells)


def _draw_municipalities(params: Parameters, akasse: Ints, rng: np.random.Generator) -> Ints:
    """Residence: population-weighted, cities weighted by the a-kasse profile's city factor."""
    population = np.array([params.population[m] for m in MUNICIPALITIES], dtype=np.float64)
    is_city = np.isin(np.array(MUNICIPALITIES), params.cities)
    out = np.empty(len(akasse), dtype=np.int64)
    profile_of = _profile_codes(params)[akasse]
    for code, profile in enumerate(params.profiles.values()):
        members = np.flatnonzero(profile_of == code)
        weight = population * np.where(is_city, profile.city_factor, 1.0)
        out[members] = rng.choice(len(MUNICIPALITIES), size=len(members), p=weight / weight.sum())
    return out


def _second_starts(
    params: Parameters, first: Dates, draw_days: Callable[[int], Dates], rng: np.random.Generator
) -> tuple[Ints, Dates]:
    """Second spells: starts at least `months_between_spells` from the first (rejection, a few rounds)."""
    person = np.flatnonzero(rng.random(len(first)) < params.second_spell_share)
    second = np.full(len(person), NAT)
    pending = np.arange(len(person))
    gap = params.months_between_spells
    for _ in range(30):
        if not len(pending):
            break
        candidate = draw_days(len(pending))
        anchor = first[person[pending]]
        ok = (candidate >= add_months(anchor, gap)) | (candidate <= add_months(anchor, -gap))
        second[pending[ok]] = candidate[ok]
        pending = pending[~ok]
    keep = ~np.isnat(second)
    return person[keep], second[keep]


def _profile_codes(params: Parameters) -> Ints:
    """Per a-kasse (AKASSER order) the index of its profile in `params.profiles`."""
    names = list(params.profiles)
    return np.array([names.index(params.akasse_profile[a]) for a in AKASSER])


def _draw_persons(
    params: Parameters, akasse: Ints, profile_of: Ints, first: Dates, rng: np.random.Generator
) -> Persons:
    n = len(akasse)
    age = np.empty(n)
    education = np.empty(n, dtype=np.int64)
    for code, profile in enumerate(params.profiles.values()):
        members = np.flatnonzero(profile_of == code)
        age[members] = 20 + 46 * rng.beta(*profile.age_beta, size=len(members))
        p = np.array([profile.education.get(e, 0.0) for e in EDUCATIONS])
        education[members] = rng.choice(len(EDUCATIONS), size=len(members), p=p / p.sum())
    birth = first - np.floor(age * DAYS_PER_YEAR).astype("timedelta64[D]")
    female_share = np.array([params.akasse_female[a] for a in AKASSER])[akasse]
    return Persons(birth_date=birth, female=rng.random(n) < female_share, education=education)


def _draw_spells(
    params: Parameters,
    persons: Persons,
    person: Ints,
    akasse: Ints,
    municipality: Ints,
    profile_of: Ints,
    start: Dates,
    rng: np.random.Generator,
) -> Spells:
    """Notice periods, the first day of unemployment and the unemployment duration of each spell."""
    n = len(person)
    profiles = list(params.profiles.values())

    def per_profile(field: str) -> npt.NDArray[np.float64]:
        out: npt.NDArray[np.float64] = np.array([getattr(p, field) for p in profiles])[profile_of]
        return out

    notice_share, notice_mean = per_profile("notice_share"), per_profile("notice_days_mean")
    notice_only, median = per_profile("notice_only_share"), per_profile("median_days")
    has_notice = rng.random(n) < notice_share
    notice_days = np.clip(np.round(rng.gamma(2.0, notice_mean / 2.0)), 7, params.notice_days_max).astype(
        np.int64
    )
    becomes_unemployed = ~has_notice | (rng.random(n) >= notice_only)
    planned_u = np.where(has_notice, start + notice_days.astype("timedelta64[D]"), start)
    unemployed_from = np.where(becomes_unemployed, planned_u, NAT)

    age = age_in_years(persons.birth_date[person], planned_u)
    age_factor = np.where(
        age < 30,
        params.age_factor["under_30"],
        np.where(age < 55, params.age_factor["from_30"], params.age_factor["from_55"]),
    )
    education_factor = np.array([params.education_factor[e] for e in EDUCATIONS])[persons.education[person]]
    regions = [m.region for m in municipalities().values()]
    region_factor = np.array([params.region_factor[r] for r in regions])[municipality]
    year = _year_and_month_day(planned_u)[0]
    trend = np.array([params.trend.get(int(y), 1.0) for y in range(1970, int(year.max()) + 1)])[year - 1970]
    typical = median * age_factor * education_factor * region_factor * trend
    duration = np.maximum(1, np.ceil(typical * np.exp(params.sigma * rng.standard_normal(n)))).astype(
        np.int64
    )
    return Spells(
        person=person,
        akasse=akasse,
        municipality=municipality,
        start=start,
        notice_date=np.where(has_notice, start, NAT),
        notice_end=np.where(has_notice, planned_u - np.timedelta64(1, "D"), NAT),
        unemployed_from=unemployed_from,
        duration_days=np.where(becomes_unemployed, np.minimum(duration, params.max_days), 0),
    )


def _split_overlapping(persons: Persons, spells: Spells) -> tuple[Persons, Spells]:
    """A second spell that starts before the first one has ended becomes a new person (same traits)."""
    end = np.where(
        np.isnat(spells.unemployed_from),
        spells.notice_end,
        spells.unemployed_from + spells.duration_days.astype("timedelta64[D]"),
    )
    by_person = np.lexsort((spells.start.astype(np.int64), spells.person))
    p, s, e = spells.person[by_person], spells.start[by_person], end[by_person]
    clash = np.r_[False, (p[1:] == p[:-1]) & (s[1:] <= e[:-1])]
    moved = by_person[clash]
    if not len(moved):
        return persons, spells
    n_persons = len(persons.birth_date)
    source = spells.person[moved]
    person = spells.person.copy()
    person[moved] = n_persons + np.arange(len(moved))
    grown = Persons(
        birth_date=np.concatenate([persons.birth_date, persons.birth_date[source]]),
        female=np.concatenate([persons.female, persons.female[source]]),
        education=np.concatenate([persons.education, persons.education[source]]),
    )
    return grown, Spells(**{**spells.__dict__, "person": person})
