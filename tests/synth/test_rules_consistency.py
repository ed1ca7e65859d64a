"""The generated data follow the trial's rules: coverage, visitation, exits, referrals and conversations.

Each check re-derives the rule with the scalar domain functions (the web app's interpreter), not with the
generator's own array code.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from akasse.domain.choices import Education, ExitReason, HeldBy, Mode, Purpose, ReferralReason
from akasse.domain.coverage import ReferralRules, age_on, is_covered
from akasse.domain.plan import windows
from akasse.reference import trial_config
from akasse.rulebooks import load_rulebook
from akasse.synth.parameters import load_parameters

TRIAL, NORMAL = load_rulebook("trial-2020"), load_rulebook("normal-2020")


def _day(value: pd.Timestamp) -> dt.date | None:
    return None if pd.isna(value) else value.date()


@pytest.fixture(scope="module")
def spells(small: dict[str, pd.DataFrame]) -> pd.DataFrame:
    out = small["spells"].copy()
    out["start"] = out.notice_date.fillna(out.unemployed_from)
    return out


@pytest.fixture(scope="module")
def conversations(small: dict[str, pd.DataFrame], spells: pd.DataFrame) -> pd.DataFrame:
    """Conversations with their spell's columns; `contact` = inside the contact period of the spell's group
    (trial: coverage; normal: unemployment)."""
    out = small["conversations"].merge(spells.drop(columns="person_id"), on="spell_id")
    out["contact"] = (out.group == "normal") | (out.date <= out.covered_to)
    return out


def test_group_follows_is_covered(spells: pd.DataFrame) -> None:
    config = trial_config()
    in_trial = np.array(
        [
            is_covered(config, akasse=a, municipality=int(m), start=s.date())
            for a, m, s in zip(spells.akasse, spells.municipality, spells.start, strict=True)
        ]
    )
    trial = (spells.group == "trial").to_numpy()
    complex_ = (spells.referral_reason == ReferralReason.COMPLEX_CHALLENGES).to_numpy()
    assert not (trial & ~in_trial).any()  # nobody in the trial outside it
    assert (
        in_trial == (trial | complex_)
    ).all()  # in the trial area: trial, or normal for complex challenges
    assert 0.02 < complex_.sum() / in_trial.sum() < 0.07
    assert not (complex_ & trial).any()


def test_coverage_dates(spells: pd.DataFrame) -> None:
    config = trial_config()
    trial, normal = spells[spells.group == "trial"], spells[spells.group == "normal"]
    assert (trial.covered_from == trial.start).all()
    assert (trial.covered_from >= pd.Timestamp(config.start)).all()
    assert (trial.covered_to <= pd.Timestamp(config.end)).all()
    with_u = trial.unemployed_from.notna()
    assert (trial.visited_on[with_u] == trial.unemployed_from[with_u]).all()
    assert trial.visited_on[~with_u].isna().all() and trial.exit_reason.notna().all()
    assert normal[["covered_from", "covered_to", "visited_on", "exit_reason"]].isna().all().all()


def test_handover_is_the_day_before_the_rulebooks_handover_date(spells: pd.DataFrame) -> None:
    handed = spells[spells.exit_reason == ExitReason.HANDOVER]
    assert len(handed) > 500
    expected = [TRIAL.handover_date(u.date()) - dt.timedelta(days=1) for u in handed.unemployed_from]
    assert [d.date() for d in handed.covered_to] == expected
    still_unemployed = handed.unemployed_to.isna() | (handed.unemployed_to > handed.covered_to)
    assert still_unemployed.all()


def test_job_exits_end_coverage_on_the_last_day_out_of_work(spells: pd.DataFrame) -> None:
    job = spells[spells.exit_reason == ExitReason.JOB]
    with_u = job.unemployed_from.notna()
    assert (job.covered_to[with_u] == job.unemployed_to[with_u]).all()
    assert (job.unemployed_to[with_u] < job.unemployed_from[with_u] + pd.DateOffset(months=3)).all()
    notice_only = job[~with_u]
    assert len(notice_only) > 0 and notice_only.notice_date.notna().all()


def test_referrals_follow_the_referral_rules(spells: pd.DataFrame, small: dict[str, pd.DataFrame]) -> None:
    referred = spells[spells.exit_reason == ExitReason.REFERRED].merge(small["persons"], on="person_id")
    rules = ReferralRules()
    assert referred.unemployed_from.notna().all()
    assert set(referred.referral_reason) == {ReferralReason.EDUCATION_ORDER, ReferralReason.LONG_TERM_RISK}
    delay = (referred.covered_to - referred.unemployed_from).dt.days
    assert delay.between(0, load_parameters().referral_delay_days).all()
    for row in referred.itertuples():
        young_unskilled = (
            age_on(row.birth_date.date(), row.unemployed_from.date()) < rules.education_order_max_age
            and row.education == Education.NONE
        )
        # Education order exactly when its conditions hold (it takes precedence over the risk rule).
        assert young_unskilled == (row.referral_reason == ReferralReason.EDUCATION_ORDER)
    others = spells.referral_reason[spells.exit_reason != ExitReason.REFERRED].dropna()
    assert len(others) > 0 and (others == ReferralReason.COMPLEX_CHALLENGES).all()


def test_trial_conversations_lie_in_coverage_and_open_windows(conversations: pd.DataFrame) -> None:
    trial = conversations[(conversations.group == "trial") & conversations.contact]
    assert (trial.date >= trial.covered_from).all()
    with_u = trial[trial.unemployed_from.notna()]
    for row in with_u.itertuples():
        opened = windows(TRIAL, row.unemployed_from.date(), _day(row.notice_date))
        for purpose in row.purposes:
            starts = [w.start for w in opened if w.requirement.purpose == purpose]
            assert min(starts) <= row.date.date(), (row.conversation_id, purpose)
        holder = HeldBy.JOINT if Purpose.JOINT in row.purposes else HeldBy.AKASSE
        assert row.held_by == holder
    notice_only = trial[trial.unemployed_from.isna()]
    assert len(notice_only) > 0 and all(list(p) == [Purpose.CV] for p in notice_only.purposes)


def test_after_coverage_the_normal_effort_goes_on(conversations: pd.DataFrame) -> None:
    after = conversations[~conversations.contact]
    assert len(after) > 100
    assert not after.exit_reason.isin([ExitReason.JOB]).any()  # those who found work hold no more
    assert ExitReason.HANDOVER in set(after.exit_reason) and ExitReason.REFERRED in set(after.exit_reason)
    ended = after.unemployed_to.notna()
    assert (after.date[ended] <= after.unemployed_to[ended]).all()
    holders = {r.purpose: r.held_by for r in NORMAL.requirements}
    for purposes, held_by in zip(after.purposes, after.held_by, strict=True):
        assert {holders[Purpose(p)] for p in purposes} == {HeldBy(held_by)}


def test_normal_conversations_follow_the_normal_rulebook(conversations: pd.DataFrame) -> None:
    normal = conversations[conversations.group == "normal"]
    assert normal.unemployed_from.notna().all() and (normal.date >= normal.unemployed_from).all()
    ended = normal.unemployed_to.notna()
    assert (normal.date[ended] <= normal.unemployed_to[ended]).all()
    holders = {r.purpose: r.held_by for r in NORMAL.requirements}
    for purposes, held_by in zip(normal.purposes, normal.held_by, strict=True):
        assert {holders[Purpose(p)] for p in purposes} == {HeldBy(held_by)}


def test_compliance_is_realistic_and_imperfect(conversations: pd.DataFrame, spells: pd.DataFrame) -> None:
    trial = conversations[(conversations.group == "trial") & conversations.contact].sort_values(
        ["spell_id", "date"]
    )
    regime = load_parameters().trial
    # The CV conversation of a visited member also serves availability and/or a job purpose as often as
    # the parameters say (both windows are open whenever the CV conversation is held).
    cv = trial[trial.unemployed_from.notna() & trial.purposes.map(lambda p: Purpose.CV in p)]
    alone = np.prod([1 - share for share in regime.combine_with_cv.values()])
    combined = (cv.purposes.map(len) > 1).mean()
    assert abs(combined - (1 - alone)) < 4 * np.sqrt(alone * (1 - alone) / len(cv))
    first = trial.groupby("spell_id").head(1)
    in_person = (first["mode"] == Mode.IN_PERSON).mean()
    expected = regime.first_in_person
    assert abs(in_person - expected) < 4 * np.sqrt(expected * (1 - expected) / len(first))
    later = trial.drop(first.index)
    assert {Mode.PHONE, Mode.VIDEO} <= set(later["mode"])
    # CV conversation within 14 days: mostly, not always.
    handed = spells[(spells.exit_reason == ExitReason.HANDOVER)].set_index("spell_id")
    cv = trial[trial.purposes.map(lambda p: Purpose.CV in p) & trial.spell_id.isin(handed.index)]
    cv_day = cv.groupby("spell_id").date.min().reindex(handed.index)
    deadline = [
        windows(TRIAL, u.date(), _day(n))[0].deadline
        for u, n in zip(handed.unemployed_from, handed.notice_date, strict=True)
    ]
    on_time = cv_day.notna() & (cv_day.dt.date <= pd.Series(deadline, index=handed.index))
    assert 0.75 < on_time.mean() < 0.97


def test_postings_are_presented_in_job_talks_more_often_in_the_trial(conversations: pd.DataFrame) -> None:
    job_talk = conversations.purposes.map(lambda p: Purpose.JOB in p or Purpose.JOINT in p)
    assert (conversations.jobs_presented[~job_talk] == 0).all()
    contact = conversations[job_talk & conversations.contact]
    presented = (contact.jobs_presented > 0).groupby(contact.group).mean()
    assert presented["trial"] > presented["normal"] + 0.05
