"""The generator's array forms of the domain rules agree with the scalar rules of `domain.coverage`."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from akasse.domain.choices import Education, ExitReason, ReferralReason
from akasse.domain.coverage import ReferralRules, age_on, exit_reason, is_covered
from akasse.reference import trial_config
from akasse.synth.population import AKASSER, EDUCATIONS, MUNICIPALITIES, Spells, age_in_years
from akasse.synth.trial import EXIT_REASONS, NONE, REFERRAL_REASONS, covered, first_exit, suggested_referral

RNG_SEED = 20200101


def _days(rng: np.random.Generator, first: str, span: int, n: int) -> np.ndarray:
    return np.datetime64(first) + rng.integers(0, span, n).astype("timedelta64[D]")


@pytest.mark.parametrize(
    ("birth", "day", "age"),
    [
        ("1992-03-15", "2022-03-14", 29),  # the day before the 30th birthday
        ("1992-03-15", "2022-03-15", 30),  # on the birthday
        ("1992-02-29", "2022-02-28", 29),  # leap-day birthday: not yet in a non-leap year
        ("1992-02-29", "2022-03-01", 30),
        ("2000-12-31", "2001-01-01", 0),
    ],
)
def test_age_in_years_by_hand(birth: str, day: str, age: int) -> None:
    assert age_in_years(np.array([birth], "datetime64[D]"), np.array([day], "datetime64[D]"))[0] == age


def test_age_in_years_agrees_with_age_on() -> None:
    rng = np.random.default_rng(RNG_SEED)
    birth = _days(rng, "1940-01-01", 30_000, 5_000)
    day = birth + rng.integers(0, 30_000, 5_000).astype("timedelta64[D]")
    expected = [age_on(b.astype(dt.date), d.astype(dt.date)) for b, d in zip(birth, day, strict=True)]
    assert age_in_years(birth, day).tolist() == expected


def test_covered_agrees_with_is_covered() -> None:
    rng = np.random.default_rng(RNG_SEED)
    config, n = trial_config(), 4_000
    start = _days(rng, "2019-06-01", 5 * 365, n)
    spells = Spells(
        person=np.arange(n),
        akasse=rng.integers(0, len(AKASSER), n),
        municipality=rng.integers(0, len(MUNICIPALITIES), n),
        start=start,
        notice_date=start,
        notice_end=start,
        unemployed_from=start,
        duration_days=np.ones(n, np.int64),
    )
    complex_challenges = rng.random(n) < 0.2
    expected = [
        is_covered(
            config,
            akasse=AKASSER[a],
            municipality=MUNICIPALITIES[m],
            start=s.astype(dt.date),
            complex_challenges=bool(c),
        )
        for a, m, s, c in zip(spells.akasse, spells.municipality, start, complex_challenges, strict=True)
    ]
    got = covered(config, spells, complex_challenges)
    assert got.tolist() == expected and 0 < got.sum() < n


@pytest.mark.parametrize(
    "rules", [ReferralRules(), ReferralRules(long_term_risk_threshold=0.5, education_order_max_age=25)]
)
def test_suggested_referral_agrees_with_the_scalar_rule(rules: ReferralRules) -> None:
    rng = np.random.default_rng(RNG_SEED)
    n = 3_000
    u = _days(rng, "2020-01-01", 1_000, n)
    birth = u - rng.integers(18 * 365, 66 * 365, n).astype("timedelta64[D]")
    education = rng.integers(0, len(EDUCATIONS), n)
    score = rng.random(n)
    complex_challenges = rng.random(n) < 0.1
    got = suggested_referral(
        rules,
        under_age=age_in_years(birth, u) < rules.education_order_max_age,
        education=education,
        score=score,
        complex_challenges=complex_challenges,
    )
    expected = [
        rules.suggest(
            birth_date=b.astype(dt.date),
            unemployed_from=d.astype(dt.date),
            education=EDUCATIONS[e],
            profiling_score=float(s),
            complex_challenges=bool(c),
        )
        for b, d, e, s, c in zip(birth, u, education, score, complex_challenges, strict=True)
    ]
    assert [None if g == NONE else REFERRAL_REASONS[g] for g in got] == expected
    assert {ReferralReason.EDUCATION_ORDER, ReferralReason.LONG_TERM_RISK, None} <= set(expected)


def test_education_order_needs_both_youth_and_no_education() -> None:
    rules = ReferralRules()
    code = suggested_referral(
        rules,
        under_age=np.array([True, True, False]),
        score=np.zeros(3),
        complex_challenges=np.zeros(3, bool),
        education=np.array(
            [EDUCATIONS.index(e) for e in (Education.NONE, Education.VOCATIONAL, Education.NONE)]
        ),
    )
    assert code.tolist() == [REFERRAL_REASONS.index(ReferralReason.EDUCATION_ORDER), NONE, NONE]


@pytest.mark.parametrize(
    ("days", "reason", "day"),
    [
        # job, referred, moved, switched, handover (days after 2021-03-01; None = never)
        ((10, None, None, None, 91), ExitReason.JOB, 10),
        ((None, 3, None, None, 91), ExitReason.REFERRED, 3),
        ((91, None, None, None, 91), ExitReason.JOB, 91),  # same day: job before hand-over
        ((None, 5, 5, 5, 91), ExitReason.REFERRED, 5),  # referral before move and switch
        ((None, None, 40, 40, 91), ExitReason.MOVED, 40),
        ((None, None, None, 90, 91), ExitReason.SWITCHED_AKASSE, 90),
        ((None, None, None, None, 91), ExitReason.HANDOVER, 91),
    ],
)
def test_first_exit_by_hand(days: tuple[int | None, ...], reason: ExitReason, day: int) -> None:
    base = np.datetime64("2021-03-01")
    order = (
        ExitReason.JOB,
        ExitReason.REFERRED,
        ExitReason.MOVED,
        ExitReason.SWITCHED_AKASSE,
        ExitReason.HANDOVER,
    )
    candidates = {
        r: np.array([np.datetime64("NaT", "D") if d is None else base + np.timedelta64(d, "D")])
        for r, d in zip(order, days, strict=True)
    }
    codes, when = first_exit(candidates)
    assert EXIT_REASONS[codes[0]] == reason and when[0] == base + np.timedelta64(day, "D")


def test_first_exit_agrees_with_exit_reason() -> None:
    rng = np.random.default_rng(RNG_SEED)
    n, base = 3_000, np.datetime64("2021-01-01")
    handover = base + rng.integers(0, 20, n).astype("timedelta64[D]")
    others = {
        r: np.where(
            rng.random(n) < 0.5, base + rng.integers(0, 20, n).astype("timedelta64[D]"), np.datetime64("NaT")
        )
        for r in (ExitReason.JOB, ExitReason.REFERRED, ExitReason.MOVED, ExitReason.SWITCHED_AKASSE)
    }
    codes, when = first_exit({**others, ExitReason.HANDOVER: handover})

    def py(day: np.datetime64) -> dt.date | None:
        return None if np.isnat(day) else day.astype(dt.date)

    for i in range(n):
        reason, day = exit_reason(
            handover=py(handover[i]),
            found_job_on=py(others[ExitReason.JOB][i]),
            referred_on=py(others[ExitReason.REFERRED][i]),
            moved_on=py(others[ExitReason.MOVED][i]),
            switched_akasse_on=py(others[ExitReason.SWITCHED_AKASSE][i]),
        )
        assert (EXIT_REASONS[codes[i]], when[i].astype(dt.date)) == (reason, day)
