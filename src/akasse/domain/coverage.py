"""Coverage: whether a spell is in the trial, which referral the rules suggest, and why coverage ends.

Sources: DOMAIN.md §1 — coverage follows a-kasse and residence municipality, is not randomised, and people
with complex challenges get the normal effort from the start; up to 5 % are referred out early.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from akasse.domain.choices import Education, ExitReason, ReferralReason
from akasse.domain.reference import TrialConfig

#: [A] Education order (uddannelsespålæg): under this age at U and no vocational or higher education.
EDUCATION_ORDER_MAX_AGE = 30
#: [A] Risk of long-term unemployment: profiling score above this (configurable) threshold.
DEFAULT_LONG_TERM_RISK_THRESHOLD = 0.8


def is_covered(
    config: TrialConfig, *, akasse: str, municipality: int, start: dt.date, complex_challenges: bool = False
) -> bool:
    """In the trial: a trial a-kasse, living in one of its trial municipalities, starting inside the period,
    and no complex challenges (those get the normal effort from the start)."""
    return config.in_trial_area(akasse, municipality) and config.in_period(start) and not complex_challenges


def age_on(birth_date: dt.date, day: dt.date) -> int:
    """Whole years of age on `day`."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


@dataclass(frozen=True)
class ReferralRules:
    long_term_risk_threshold: float = DEFAULT_LONG_TERM_RISK_THRESHOLD
    education_order_max_age: int = EDUCATION_ORDER_MAX_AGE

    def suggest(
        self,
        *,
        birth_date: dt.date,
        unemployed_from: dt.date,
        education: Education,
        profiling_score: float | None,
        complex_challenges: bool = False,
    ) -> ReferralReason | None:
        """The referral the rules suggest at visitation, or None when the member stays in the trial.

        Complex challenges come first (normal effort from the start), then the education order, then risk.
        """
        if complex_challenges:
            return ReferralReason.COMPLEX_CHALLENGES
        if age_on(birth_date, unemployed_from) < self.education_order_max_age and education == Education.NONE:
            return ReferralReason.EDUCATION_ORDER
        if profiling_score is not None and profiling_score > self.long_term_risk_threshold:
            return ReferralReason.LONG_TERM_RISK
        return None


def exit_reason(
    *,
    handover: dt.date,
    found_job_on: dt.date | None = None,
    referred_on: dt.date | None = None,
    moved_on: dt.date | None = None,
    switched_akasse_on: dt.date | None = None,
) -> tuple[ExitReason, dt.date]:
    """Why and on which day coverage ends: the earliest event, hand-over when nothing comes first.

    On the same day the order is job, referral, move, a-kasse switch, hand-over.
    """
    events = [
        (found_job_on, ExitReason.JOB),
        (referred_on, ExitReason.REFERRED),
        (moved_on, ExitReason.MOVED),
        (switched_akasse_on, ExitReason.SWITCHED_AKASSE),
        (handover, ExitReason.HANDOVER),
    ]
    day, reason = min(((d, r) for d, r in events if d is not None), key=lambda e: e[0])
    return reason, day
