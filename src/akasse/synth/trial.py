"""Who is in the trial, who is referred out, and why and when coverage ends, through the domain rules.

The scalar rules of `domain.coverage` (coverage, referral suggestion, exit reason) are applied to whole
arrays: coverage and referral through tables built by calling the scalar rules once per distinct case,
the exit as the earliest of the candidate days in the scalar rule's tie order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from itertools import product

import numpy as np
import numpy.typing as npt

from akasse.domain.choices import Education, ExitReason, ReferralReason
from akasse.domain.coverage import ReferralRules
from akasse.domain.plan_vector import NAT, Dates, plan_matrix
from akasse.domain.reference import TrialConfig
from akasse.rulebooks import load_rulebook
from akasse.synth.parameters import Parameters
from akasse.synth.population import AKASSER, EDUCATIONS, MUNICIPALITIES, Ints, Persons, Spells, age_in_years

Bools = npt.NDArray[np.bool_]
#: Same-day order of `domain.coverage.exit_reason`: the first reason listed wins a tie.
EXIT_ORDER: tuple[ExitReason, ...] = (
    ExitReason.JOB,
    ExitReason.REFERRED,
    ExitReason.MOVED,
    ExitReason.SWITCHED_AKASSE,
    ExitReason.HANDOVER,
)
EXIT_REASONS: tuple[ExitReason, ...] = tuple(ExitReason)
REFERRAL_REASONS: tuple[ReferralReason, ...] = tuple(ReferralReason)
NONE = -1  # "no value" in the integer code arrays below


@dataclass(frozen=True)
class Trial:
    """Per spell: the trial group and coverage (codes index EXIT_REASONS / REFERRAL_REASONS, NONE = null)."""

    trial: Bools
    complex_challenges: Bools
    covered_from: Dates
    covered_to: Dates
    visited_on: Dates
    exit_reason: Ints
    referral_reason: Ints


def covered(config: TrialConfig, spells: Spells, complex_challenges: Bools) -> Bools:
    """`domain.coverage.is_covered` for every spell (start = notice date, else the first unemployed day).

    The same conjunction of `TrialConfig.in_trial_area` and `TrialConfig.in_period`, each evaluated once
    per distinct value; tests/synth checks it against the scalar rule.
    """
    area = trial_area(config, spells.akasse, spells.municipality)
    return area & _per_distinct(spells.start, config.in_period) & ~complex_challenges


def trial_area(config: TrialConfig, akasse: Ints, municipality: Ints) -> Bools:
    """`TrialConfig.in_trial_area` for arrays of a-kasse and municipality indices."""
    table = np.array([[config.in_trial_area(a, m) for m in MUNICIPALITIES] for a in AKASSER], dtype=np.bool_)
    out: Bools = table[akasse, municipality]
    return out


def _per_distinct(days: Dates, rule: Callable[[dt.date], bool]) -> Bools:
    """A scalar date rule over an array, evaluated once per distinct day."""
    first = days.min()
    offset = (days - first).astype(np.int64)
    distinct = np.flatnonzero(np.bincount(offset))
    answers = np.zeros(offset.max() + 1, dtype=np.bool_)
    answers[distinct] = [rule((first + np.timedelta64(int(d), "D")).astype(dt.date)) for d in distinct]
    out: Bools = answers[offset]
    return out


def suggested_referral(
    rules: ReferralRules,
    *,
    under_age: Bools,
    education: Ints,
    score: npt.NDArray[np.float64],
    complex_challenges: Bools,
) -> Ints:
    """`ReferralRules.suggest` for every spell, as codes into REFERRAL_REASONS (NONE = stays in the trial).

    The rule is evaluated once for each combination of its conditions, with dates and a score that
    realise the combination, so the precedence of the rules is the scalar rule's own.
    """
    day = dt.date(2021, 6, 1)
    young = day.replace(year=day.year - rules.education_order_max_age + 1)  # one year under the age limit
    old = day.replace(year=day.year - rules.education_order_max_age)  # exactly at the limit: not under it
    table = np.empty((2, len(EDUCATIONS), 2, 2), dtype=np.int64)
    for is_young, e, high, cc in product((0, 1), range(len(EDUCATIONS)), (0, 1), (0, 1)):
        reason = rules.suggest(
            birth_date=young if is_young else old,
            unemployed_from=day,
            education=EDUCATIONS[e],
            profiling_score=rules.long_term_risk_threshold + (0.01 if high else -0.01),
            complex_challenges=bool(cc),
        )
        table[is_young, e, high, cc] = NONE if reason is None else REFERRAL_REASONS.index(reason)
    high_score = score > rules.long_term_risk_threshold
    out: Ints = table[
        under_age.astype(np.int64),
        education,
        high_score.astype(np.int64),
        complex_challenges.astype(np.int64),
    ]
    return out


def first_exit(candidates: dict[ExitReason, Dates]) -> tuple[Ints, Dates]:
    """The earliest candidate day and its reason per spell (codes into EXIT_REASONS), ties in EXIT_ORDER.

    Vectorised `domain.coverage.exit_reason`; a NaT candidate never happens. NONE/NaT when none happens.
    """
    n = len(next(iter(candidates.values())))
    never = np.iinfo(np.int64).max
    stacked = np.stack(
        [
            np.where(np.isnat(d), never, d.astype(np.int64))
            if (d := candidates.get(r)) is not None
            else np.full(n, never)
            for r in EXIT_ORDER
        ]
    )
    pick = stacked.argmin(axis=0)  # argmin returns the first of equal minima: the tie order
    day = stacked[pick, np.arange(n)]
    codes = np.array([EXIT_REASONS.index(r) for r in EXIT_ORDER])[pick]
    happened = day != never
    days = np.full(n, NAT)
    days[happened] = day[happened].astype("datetime64[D]")
    return np.where(happened, codes, NONE), days


def assign_trial(
    params: Parameters,
    config: TrialConfig,
    rules: ReferralRules,
    persons: Persons,
    spells: Spells,
    rng: np.random.Generator,
) -> Trial:
    """Coverage, visitation, referral and exit of every spell."""
    n = len(spells.person)
    complex_challenges = rng.random(n) < params.complex_challenges_share
    trial = covered(config, spells, complex_challenges)
    has_u = ~np.isnat(spells.unemployed_from)
    visited = trial & has_u
    u = spells.unemployed_from

    age = age_in_years(persons.birth_date[spells.person], np.where(has_u, u, spells.start))
    education = persons.education[spells.person]
    score = np.clip(
        rng.beta(*params.score_beta, size=n)
        + np.where(education == EDUCATIONS.index(Education.NONE), params.score_shift.get("none", 0.0), 0.0)
        + np.where(age >= 55, params.score_shift.get("from_55", 0.0), 0.0),
        0.0,
        1.0,
    )
    suggestion = suggested_referral(
        rules,
        under_age=age < rules.education_order_max_age,
        education=education,
        score=score,
        complex_challenges=np.zeros(n, dtype=np.bool_),
    )
    follow = np.array([params.refer_share.get(r, 0.0) for r in REFERRAL_REASONS])
    referred = visited & (suggestion != NONE) & (rng.random(n) < follow[np.maximum(suggestion, 0)])
    referred_on = np.where(
        referred, u + rng.integers(0, params.referral_delay_days + 1, n).astype("timedelta64[D]"), NAT
    )

    handover = np.full(n, NAT)
    handover[visited] = plan_matrix(
        load_rulebook(params.trial.rulebook), unemployed_from=u[visited], as_of=u[visited]
    ).handover
    last_unemployed = u + (spells.duration_days - 1).astype("timedelta64[D]")
    left_work_search = np.where(has_u, last_unemployed, spells.notice_end)
    moved = spells.start + _waiting_days(rng, params.moves_per_year, n)
    switched = spells.start + _waiting_days(rng, params.switches_per_year, n)
    reason, day = first_exit(
        {
            ExitReason.JOB: left_work_search,
            ExitReason.REFERRED: referred_on,
            ExitReason.MOVED: moved,
            ExitReason.SWITCHED_AKASSE: switched,
            ExitReason.HANDOVER: handover - np.timedelta64(1, "D"),  # covered until the day before hand-over
        }
    )
    referral = np.where(trial & (reason == EXIT_REASONS.index(ExitReason.REFERRED)), suggestion, NONE)
    # Complex challenges in a trial area: the normal effort from the start, the reason recorded.
    in_area_complex = complex_challenges & covered(config, spells, np.zeros(n, dtype=np.bool_))
    referral = np.where(in_area_complex, REFERRAL_REASONS.index(ReferralReason.COMPLEX_CHALLENGES), referral)
    return Trial(
        trial=trial,
        complex_challenges=complex_challenges,
        covered_from=np.where(trial, spells.start, NAT),
        covered_to=np.where(trial, day, NAT),
        visited_on=np.where(visited, u, NAT),
        exit_reason=np.where(trial, reason, NONE),
        referral_reason=referral,
    )


def _waiting_days(rng: np.random.Generator, per_year: float, n: int) -> npt.NDArray[np.timedelta64]:
    """Days until an event that happens `per_year` times a year (exponential; never when the rate is 0)."""
    if per_year <= 0:
        return np.full(n, np.timedelta64("NaT", "D"))
    return np.floor(rng.exponential(365.25 / per_year, n)).astype(np.int64).astype("timedelta64[D]")
