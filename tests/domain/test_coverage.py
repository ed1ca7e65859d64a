"""Coverage, referral and exit rules (domain/coverage.py) over the shipped trial configuration."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from akasse.domain.choices import Education, ExitReason, ReferralReason
from akasse.domain.coverage import ReferralRules, age_on, exit_reason, is_covered
from akasse.reference import akasser, municipalities, trial_config

D = dt.date
IN_TRIAL = D(2021, 3, 1)


@pytest.mark.parametrize(
    ("akasse", "municipality", "start", "complex_challenges", "covered"),
    [
        ("BUPLA", 101, IN_TRIAL, False, True),  # København is one of BUPL-A's confirmed municipalities
        ("BUPLA", 630, IN_TRIAL, False, True),  # Vejle likewise
        ("BUPLA", 461, IN_TRIAL, False, False),  # Odense is not
        ("METAL", 461, IN_TRIAL, False, False),  # nationwide a-kasse, but Odense is a frikommune [A]
        ("METAL", 101, IN_TRIAL, False, True),  # nationwide a-kasse in a non-frikommune
        ("FOA", 860, IN_TRIAL, False, False),  # Hjørring: frikommune [A]
        ("ASE", 101, IN_TRIAL, False, False),  # not a trial a-kasse
        ("BUPLA", 101, D(2019, 12, 31), False, False),  # the day before the trial period
        ("BUPLA", 101, D(2020, 1, 1), False, True),  # first day of the trial period
        ("BUPLA", 101, D(2023, 12, 31), False, True),  # last day
        ("BUPLA", 101, D(2024, 1, 1), False, False),  # the permanent model from 2024
        ("BUPLA", 101, IN_TRIAL, True, False),  # complex challenges: normal effort from the start
    ],
)
def test_is_covered(
    akasse: str, municipality: int, start: dt.date, complex_challenges: bool, covered: bool
) -> None:
    config = trial_config()
    result = is_covered(
        config, akasse=akasse, municipality=municipality, start=start, complex_challenges=complex_challenges
    )
    assert result is covered


@pytest.mark.parametrize(
    ("birth", "day", "age"),
    [
        (D(1991, 3, 1), D(2021, 3, 1), 30),  # the 30th birthday itself
        (D(1991, 3, 2), D(2021, 3, 1), 29),  # the day before it
        (D(2000, 2, 29), D(2030, 2, 28), 29),  # leap-day birthday: a year older on 1 March
        (D(2000, 2, 29), D(2030, 3, 1), 30),
        (D(1990, 12, 31), D(2021, 1, 1), 30),
    ],
)
def test_age_on(birth: dt.date, day: dt.date, age: int) -> None:
    assert age_on(birth, day) == age


U = D(2021, 3, 1)


@pytest.mark.parametrize(
    ("birth", "education", "score", "complex_challenges", "suggestion"),
    [
        (D(1991, 3, 2), Education.NONE, None, False, ReferralReason.EDUCATION_ORDER),  # 29 at U, no education
        (D(1991, 3, 1), Education.NONE, None, False, None),  # 30 on U: too old for an education order
        (D(1991, 3, 2), Education.VOCATIONAL, None, False, None),  # under 30 but vocational education
        (D(1991, 3, 2), Education.HIGHER, 0.1, False, None),  # under 30 but higher education
        (D(1970, 1, 1), Education.NONE, 0.81, False, ReferralReason.LONG_TERM_RISK),  # score above 0.8
        (D(1970, 1, 1), Education.NONE, 0.8, False, None),  # exactly the threshold is not above it
        (D(1991, 3, 2), Education.NONE, 0.95, False, ReferralReason.EDUCATION_ORDER),  # education order first
        (
            D(1991, 3, 2),
            Education.NONE,
            0.95,
            True,
            ReferralReason.COMPLEX_CHALLENGES,
        ),  # complex first of all
        (D(1970, 1, 1), Education.HIGHER, None, True, ReferralReason.COMPLEX_CHALLENGES),
    ],
)
def test_referral_suggestion(
    birth: dt.date, education: Education, score: float | None, complex_challenges: bool, suggestion: object
) -> None:
    rules = ReferralRules()
    got = rules.suggest(
        birth_date=birth,
        unemployed_from=U,
        education=education,
        profiling_score=score,
        complex_challenges=complex_challenges,
    )
    assert got == suggestion


def test_referral_thresholds_are_configurable() -> None:
    strict = ReferralRules(long_term_risk_threshold=0.5, education_order_max_age=25)
    common = {"unemployed_from": U, "education": Education.NONE}
    assert (
        strict.suggest(birth_date=D(1970, 1, 1), profiling_score=0.6, **common)
        == ReferralReason.LONG_TERM_RISK
    )
    assert ReferralRules().suggest(birth_date=D(1970, 1, 1), profiling_score=0.6, **common) is None
    # 27 at U: an education order under the default (< 30), not under max age 25.
    assert ReferralRules().suggest(birth_date=D(1994, 1, 1), profiling_score=None, **common) == (
        ReferralReason.EDUCATION_ORDER
    )
    assert strict.suggest(birth_date=D(1994, 1, 1), profiling_score=None, **common) is None


HANDOVER = D(2021, 6, 1)


@pytest.mark.parametrize(
    ("events", "expected"),
    [
        ({}, (ExitReason.HANDOVER, HANDOVER)),  # nothing else happens: hand-over after 3 months
        ({"found_job_on": D(2021, 4, 15)}, (ExitReason.JOB, D(2021, 4, 15))),
        (
            {"referred_on": D(2021, 3, 10), "found_job_on": D(2021, 4, 15)},
            (ExitReason.REFERRED, D(2021, 3, 10)),
        ),
        ({"moved_on": D(2021, 5, 1)}, (ExitReason.MOVED, D(2021, 5, 1))),
        ({"switched_akasse_on": D(2021, 5, 31)}, (ExitReason.SWITCHED_AKASSE, D(2021, 5, 31))),
        ({"found_job_on": D(2021, 7, 1)}, (ExitReason.HANDOVER, HANDOVER)),  # job after hand-over
        ({"found_job_on": HANDOVER}, (ExitReason.JOB, HANDOVER)),  # same day: job before hand-over
        ({"moved_on": D(2021, 5, 1), "referred_on": D(2021, 5, 1)}, (ExitReason.REFERRED, D(2021, 5, 1))),
        ({"switched_akasse_on": D(2021, 5, 1), "moved_on": D(2021, 5, 1)}, (ExitReason.MOVED, D(2021, 5, 1))),
    ],
)
def test_exit_reason_is_the_earliest_event(
    events: dict[str, dt.date], expected: tuple[ExitReason, dt.date]
) -> None:
    assert exit_reason(handover=HANDOVER, **events) == expected


def test_trial_configuration_is_consistent_with_the_reference_data() -> None:
    config, codes = trial_config(), set(municipalities())
    assert len(codes) == 98
    assert all(100 <= code <= 999 for code in codes)  # 3-digit codes
    trial_akasser = {a.code for a in akasser().values() if a.trial}
    assert trial_akasser == {"3F", "METAL", "FOA", "MA", "FTFA", "HK", "SL", "BUPLA", "MINAKASSE"}
    assert set(config.municipalities_by_akasse) == trial_akasser
    for code, places in config.municipalities_by_akasse.items():
        assert places <= codes, code
    assert config.frikommuner <= codes
    # [C] BUPL-A: København, Frederiksberg, Slagelse, Aarhus, Vejle, Fredericia, Kolding.
    names = {municipalities()[m].name for m in config.municipalities_by_akasse["BUPLA"]}
    assert names == {"København", "Frederiksberg", "Slagelse", "Aarhus", "Vejle", "Fredericia", "Kolding"}
    assert "BUPLA" not in config.assumed and "3F" in config.assumed
    for nationwide in ("METAL", "FOA", "SL"):
        assert config.municipalities_by_akasse[nationwide] == frozenset(codes - config.frikommuner)
    assert (config.start, config.end) == (D(2020, 1, 1), D(2023, 12, 31))


def test_municipalities_per_region() -> None:
    # The 98 municipalities of the 2007 reform: 29 + 17 + 22 + 19 + 11 (Christiansø, 411, is not one).
    regions = Counter(m.region for m in municipalities().values())
    assert regions == {
        "Hovedstaden": 29,
        "Sjælland": 17,
        "Syddanmark": 22,
        "Midtjylland": 19,
        "Nordjylland": 11,
    }
    assert municipalities()[400].name == "Bornholm" and 411 not in municipalities()
