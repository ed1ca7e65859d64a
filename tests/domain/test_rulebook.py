"""Rulebooks as data (domain/rulebook.py, rulebooks/*.toml): the shipped regimes and the refusals."""

from __future__ import annotations

import copy
import datetime as dt
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from akasse.domain.choices import ExitReason, HeldBy, Purpose, ReferralReason, RequirementStatus
from akasse.domain.rulebook import Offset, Rulebook, RulebookError
from akasse.rulebooks import available_rulebooks, load_rulebook


def shape(rulebook_id: str) -> list[tuple[str, str, int, str, str]]:
    return [
        (r.purpose.value, r.held_by.value, r.index, r.start.text, r.end.text)
        for r in load_rulebook(rulebook_id).requirements
    ]


def test_shipped_rulebooks() -> None:
    assert available_rulebooks() == ["normal-2020", "permanent-2024", "trial-2020"]


def test_trial_2020_as_the_issue_states_it() -> None:
    assert shape("trial-2020") == [
        ("cv", "akasse", 1, "U", "U+14d"),
        ("availability", "akasse", 1, "U", "U+3m-1d"),
        ("job", "akasse", 1, "U", "U+3m-1d"),
        ("job", "akasse", 2, "U", "U+3m-1d"),
        ("joint", "joint", 1, "U", "U+3m-1d"),
    ]
    book = load_rulebook("trial-2020")
    assert book.notice_opens_akasse and book.first_in_person
    assert (book.valid_from, book.valid_to) == (dt.date(2020, 1, 1), dt.date(2023, 12, 31))
    assert book.handover is not None and book.handover.kind == "after" and book.handover.at is not None
    assert book.handover.at.text == "U+3m"


def test_normal_2020_as_the_issue_states_it() -> None:
    assert shape("normal-2020") == [
        ("cv", "akasse", 1, "U", "U+14d"),
        ("availability", "akasse", 1, "U", "U+6m-1d"),
        ("availability", "akasse", 2, "U", "U+6m-1d"),
        ("job", "jobcentre", 1, "U", "U+6m-1d"),
        ("job", "jobcentre", 2, "U", "U+6m-1d"),
        ("joint", "joint", 1, "U", "U+3m-1d"),
        ("joint", "joint", 2, "U+3m", "U+6m-1d"),
        ("joint", "joint", 3, "U+6m", "U+16m-1d"),
    ]
    book = load_rulebook("normal-2020")
    assert book.handover is None and not book.notice_opens_akasse


def test_permanent_2024_reading() -> None:
    # docs/rules.md: welcome = cv ≤ 14 days, strategy = job ≤ day 42, status = availability ≤ day 83
    # (before week 12), then the job centre's 3 job conversations in months 4–6.
    assert shape("permanent-2024") == [
        ("cv", "akasse", 1, "U", "U+14d"),
        ("job", "akasse", 1, "U", "U+42d"),
        ("availability", "akasse", 1, "U", "U+83d"),
        ("job", "jobcentre", 2, "U+3m", "U+6m-1d"),
        ("job", "jobcentre", 3, "U+3m", "U+6m-1d"),
        ("job", "jobcentre", 4, "U+3m", "U+6m-1d"),
    ]
    book = load_rulebook("permanent-2024")
    assert book.handover is not None and (book.handover.hours, book.handover.hours_per_week) == (410, 37)
    assert book.handover.days_to_exceed_hours() == 77  # 77 × 37/7 = 407.0 h; 78 × 37/7 = 412.3 h > 410


@pytest.mark.parametrize(
    ("text", "u", "expected"),
    [
        ("U", dt.date(2021, 1, 31), dt.date(2021, 1, 31)),
        ("U+14d", dt.date(2021, 12, 20), dt.date(2022, 1, 3)),  # across the year
        ("U+1m", dt.date(2021, 1, 31), dt.date(2021, 2, 28)),  # clamped
        ("U+3m-1d", dt.date(2021, 1, 31), dt.date(2021, 4, 29)),  # 30 Apr (clamped), then the day before
        ("U-1d+3m", dt.date(2021, 1, 31), dt.date(2021, 4, 30)),  # order matters: 30 Jan + 3 months
        ("U+1m+1m", dt.date(2021, 1, 31), dt.date(2021, 3, 28)),  # 28 Feb + 1 month keeps the 28th
    ],
)
def test_offsets_apply_left_to_right(text: str, u: dt.date, expected: dt.date) -> None:
    assert Offset.parse(text, "test").apply(u) == expected


@pytest.mark.parametrize("text", ["N+14d", "U+14", "U+2w", "U 14d", "u+14d", "U+-1d", "+14d"])
def test_unreadable_offsets_are_refused(text: str) -> None:
    with pytest.raises(RulebookError, match=r"^here: "):
        Offset.parse(text, "here")


def trial_data() -> dict[str, Any]:
    text = resources.files("akasse.rulebooks").joinpath("trial-2020.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def edited(path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    """trial-2020's data with one field set (value ...: deleted)."""
    data = copy.deepcopy(trial_data())
    target = data
    for key in path[:-1]:
        target = target[key]
    if value is ...:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (
            ("requirement", 1, "purpose"),
            "coffee",
            "rulebook trial-2020, requirement 2, purpose: unknown value 'coffee' "
            "(allowed: cv, availability, job, joint)",
        ),
        (
            ("requirement", 3, "held_by"),
            "union",
            "rulebook trial-2020, requirement 4, held_by: unknown value 'union'",
        ),
        (("requirement", 0, "end"), "U+2w", "rulebook trial-2020, requirement 1, end: cannot read 'U+2w'"),
        (
            ("requirement", 0, "start"),
            "N",
            "rulebook trial-2020, requirement 1, start: 'N' must start with the anchor U",
        ),
        (
            ("requirement", 2, "count"),
            0,
            "rulebook trial-2020, requirement 3, count: 0 must be a whole number",
        ),
        (
            ("requirement", 2, "count"),
            "two",
            "rulebook trial-2020, requirement 3, count: 'two' must be a whole",
        ),
        (("requirement", 0, "end"), ..., "rulebook trial-2020, requirement 1: missing field 'end'"),
        (("requirement", 0, "ned"), "U+14d", "rulebook trial-2020, requirement 1: unknown field 'ned'"),
        (("name_da",), ..., "rulebook trial-2020: missing field 'name_da'"),
        (("valid_from",), "2020", "rulebook trial-2020, valid_from: '2020' is not a date"),
        (("notice_opens_akase",), True, "rulebook trial-2020: unknown field 'notice_opens_akase'"),
        (("handover", "kind"), "never", "rulebook trial-2020, handover: unknown kind 'never'"),
        (("handover", "at"), "U+3q", "rulebook trial-2020, handover, at: cannot read 'U+3q'"),
        (("requirement",), [], "rulebook trial-2020: no [[requirement]] entries"),
    ],
)
def test_broken_rulebook_is_refused_naming_the_field(path: tuple[Any, ...], value: Any, message: str) -> None:
    with pytest.raises(RulebookError) as caught:
        Rulebook.from_dict(edited(path, value))
    assert str(caught.value).startswith(message)


def test_month_end_handover_needs_positive_hours() -> None:
    data = edited(("handover",), {"kind": "month_end_after_hours", "hours": 410, "hours_per_week": 0})
    with pytest.raises(RulebookError, match="handover: hours and hours_per_week must be positive numbers"):
        Rulebook.from_dict(data)


def test_unknown_rulebook_names_the_known_ones() -> None:
    with pytest.raises(
        RulebookError,
        match=r"unknown rulebook 'trial-2027' \(known: normal-2020, permanent-2024, trial-2020\)",
    ):
        load_rulebook("trial-2027")


def test_requirement_indexes_count_within_a_purpose() -> None:
    book = load_rulebook("normal-2020")
    joint = [r for r in book.requirements if r.purpose == Purpose.JOINT]
    assert [r.index for r in joint] == [1, 2, 3] and {r.held_by for r in joint} == {HeldBy.JOINT}


def test_docs_rules_md_names_every_rulebook_and_choice() -> None:
    text = (Path(__file__).parents[2] / "docs" / "rules.md").read_text(encoding="utf-8")
    for rulebook_id in available_rulebooks():
        assert f"### {rulebook_id}" in text, rulebook_id
    for kind in (Purpose, RequirementStatus, ExitReason, ReferralReason):
        for member in kind:
            assert f"`{member.value}`" in text, f"docs/rules.md does not name {kind.__name__}.{member.name}"
