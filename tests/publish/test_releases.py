"""Releases: the months a release publishes, and when a month turns provisional → final (dates by hand)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from akasse.publish.releases import (
    FINAL,
    PROVISIONAL,
    Manifest,
    ReleaseError,
    cut_to_release,
    month_status,
    plan_release,
    read_history,
)
from tests.publish.conftest import DEC, JAN, NOV

D = dt.date


@pytest.mark.parametrize(
    "first_published,release_date,expected",
    [
        (D(2022, 2, 10), D(2022, 2, 10), PROVISIONAL),  # the release that first publishes the month
        (D(2022, 2, 10), D(2022, 3, 9), PROVISIONAL),  # an extra release less than a month later
        (D(2022, 2, 10), D(2022, 3, 10), FINAL),  # one month later to the day
        (D(2022, 2, 10), D(2022, 6, 1), FINAL),
        (D(2022, 1, 31), D(2022, 2, 27), PROVISIONAL),
        (D(2022, 1, 31), D(2022, 2, 28), FINAL),  # 31-01 + 1 month clamps to 28-02
        (D(2024, 1, 31), D(2024, 2, 29), FINAL),  # leap year: 31-01-2024 + 1 month = 29-02-2024
        (D(2023, 12, 15), D(2024, 1, 14), PROVISIONAL),  # across the year end
        (D(2023, 12, 15), D(2024, 1, 15), FINAL),
    ],
)
def test_month_is_provisional_when_first_published_and_final_a_month_later(
    first_published, release_date, expected
):
    assert month_status(first_published, release_date) == expected


def _months(frame: pd.DataFrame) -> list[pd.Timestamp]:
    return sorted(frame["month"].dropna().unique())


@pytest.mark.parametrize(
    "release_date,months,with_total",
    [
        (D(2021, 12, 1), [NOV], False),  # December is not complete on 01-12-2021
        (D(2022, 1, 31), [NOV, DEC], False),  # January is not complete until 01-02-2022
        (D(2022, 2, 1), [NOV, DEC, JAN], True),  # every month complete: the whole-period total is published
        (D(2022, 2, 10), [NOV, DEC, JAN], True),
    ],
)
def test_release_publishes_complete_months_and_total_only_when_no_month_is_held_back(
    frame, release_date, months, with_total
):
    cut = cut_to_release(pd.DataFrame(frame).assign(month=pd.to_datetime(frame["month"])), release_date)
    assert _months(cut) == months
    assert (cut["breakdown"] == "total").any() == with_total


def _manifest(release: dt.date, first: dict[dt.date, dt.date]) -> Manifest:
    return Manifest(release, first, ("covered",), {})


def test_plan_keeps_the_first_publication_of_earlier_months_and_names_the_previous_release():
    feb = _manifest(D(2022, 2, 10), {D(2021, 11, 1): D(2022, 1, 10), D(2021, 12, 1): D(2022, 2, 10)})
    jan = _manifest(D(2022, 1, 10), {D(2021, 11, 1): D(2022, 1, 10)})
    months = [D(2021, 11, 1), D(2021, 12, 1), D(2022, 1, 1)]
    first, previous = plan_release([jan, feb], months, D(2022, 3, 10))
    assert first == {
        D(2021, 11, 1): D(2022, 1, 10),
        D(2021, 12, 1): D(2022, 2, 10),
        D(2022, 1, 1): D(2022, 3, 10),
    }
    assert previous is feb
    assert [month_status(f, D(2022, 3, 10)) for f in first.values()] == [FINAL, FINAL, PROVISIONAL]


def test_a_release_on_the_date_of_an_existing_one_replaces_it():
    jan = _manifest(D(2022, 1, 10), {D(2021, 11, 1): D(2022, 1, 10)})
    feb = _manifest(D(2022, 2, 10), {D(2021, 11, 1): D(2022, 1, 10), D(2021, 12, 1): D(2022, 2, 10)})
    first, previous = plan_release([jan, feb], [D(2021, 11, 1), D(2021, 12, 1)], D(2022, 2, 10))
    assert previous is jan
    assert first == {D(2021, 11, 1): D(2022, 1, 10), D(2021, 12, 1): D(2022, 2, 10)}


def test_a_release_dated_before_the_latest_is_refused():
    feb = _manifest(D(2022, 2, 10), {D(2021, 12, 1): D(2022, 2, 10)})
    with pytest.raises(ReleaseError, match="release date 2022-01-31 is before the latest release 2022-02-10"):
        plan_release([feb], [D(2021, 12, 1)], D(2022, 1, 31))


def test_history_reads_manifests_oldest_first_and_names_a_broken_one(tmp_path):
    for release in (D(2022, 3, 10), D(2022, 2, 10)):
        folder = tmp_path / "releases" / release.isoformat()
        folder.mkdir(parents=True)
        (folder / "manifest.json").write_text(
            _manifest(release, {D(2021, 12, 1): D(2022, 2, 10)}).to_json(None)
        )
    history = read_history(tmp_path)
    assert [m.release_date for m in history] == [D(2022, 2, 10), D(2022, 3, 10)]
    assert history[1].status(D(2021, 12, 1)) == FINAL and history[0].status(D(2021, 12, 1)) == PROVISIONAL
    broken = tmp_path / "releases" / "2022-04-10"
    broken.mkdir()
    (broken / "manifest.json").write_text('{"release_date": "2022-04-10", "months": {}}')
    with pytest.raises(ReleaseError, match=r"2022-04-10/manifest.json: missing field indicators"):
        read_history(tmp_path)
