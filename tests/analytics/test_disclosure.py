"""Disclosure control on the catalogue's long frame: hand-made tables with the suppression pattern worked
out by
hand, primary rules, flags and NA, the report, and bad input."""

from __future__ import annotations

import pandas as pd
import pytest

from akasse.analytics.disclosure import DisclosureError, IndicatorSum, Rule, SameCount, protect

STOCK = Rule(additive_over=frozenset({"akasse", "municipality"}))
EVENT = Rule(additive_over=frozenset({"month", "akasse", "municipality"}))


def row(
    indicator: str,
    breakdown: str,
    month: str | None = None,
    akasse: str | None = None,
    municipality: int | None = None,
    group: str = "trial",
    numerator: float = 0,
    denominator: float | None = None,
) -> dict[str, object]:
    value = numerator if denominator is None else numerator / denominator
    return {
        "indicator": indicator,
        "breakdown": breakdown,
        "month": month,
        "akasse": akasse,
        "municipality": municipality,
        "group": group,
        "numerator": numerator,
        "denominator": denominator,
        "value": value,
    }


def covered() -> pd.DataFrame:
    """Persons covered (a stock: adds up over a-kasser and municipalities, not over months)."""
    c = "covered"
    return pd.DataFrame(
        [
            row(c, "total", numerator=85),
            # January: 60 = 3F 23 + HK 25 + MA 12; 3F 23 = 3 + 9 + 11; HK 25 = 25; MA 12 = 4 + 8.
            row(c, "month", "2021-01", numerator=60),
            row(c, "month_akasse", "2021-01", "3F", numerator=23),
            row(c, "month_akasse", "2021-01", "HK", numerator=25),
            row(c, "month_akasse", "2021-01", "MA", numerator=12),
            row(c, "month_akasse_municipality", "2021-01", "3F", 101, numerator=3),
            row(c, "month_akasse_municipality", "2021-01", "3F", 147, numerator=9),
            row(c, "month_akasse_municipality", "2021-01", "3F", 151, numerator=11),
            row(c, "month_akasse_municipality", "2021-01", "HK", 101, numerator=25),
            row(c, "month_akasse_municipality", "2021-01", "MA", 101, numerator=4),
            row(c, "month_akasse_municipality", "2021-01", "MA", 147, numerator=8),
            row(c, "month_group", "2021-01", group="trial", numerator=60),
            row(c, "month_group", "2021-01", group="normal", numerator=30),
            # February: 40 = 3F 2 + HK 20 + MA 18; 3F 2 = 2; HK 20 = 6 + 14; MA 18 = 18.
            row(c, "month", "2021-02", numerator=40),
            row(c, "month_akasse", "2021-02", "3F", numerator=2),
            row(c, "month_akasse", "2021-02", "HK", numerator=20),
            row(c, "month_akasse", "2021-02", "MA", numerator=18),
            row(c, "month_akasse_municipality", "2021-02", "3F", 101, numerator=2),
            row(c, "month_akasse_municipality", "2021-02", "HK", 101, numerator=6),
            row(c, "month_akasse_municipality", "2021-02", "HK", 147, numerator=14),
            row(c, "month_akasse_municipality", "2021-02", "MA", 101, numerator=18),
            row(c, "month_group", "2021-02", group="trial", numerator=40),
            row(c, "month_group", "2021-02", group="normal", numerator=3),
        ]
    )


def handovers_and_share() -> pd.DataFrame:
    """Hand-overs (an event count) and the share with 3+ conversations among them: its denominator is the
    hand-over count, so the two tables show the same numbers."""
    return pd.DataFrame(
        [
            row("handovers", "month", "2021-01", numerator=30),
            row("handovers", "month_akasse", "2021-01", "3F", numerator=12),
            row("handovers", "month_akasse", "2021-01", "HK", numerator=15),
            row("handovers", "month_akasse", "2021-01", "MA", numerator=3),
            row("share_3plus", "month", "2021-01", numerator=26, denominator=30),
            row("share_3plus", "month_akasse", "2021-01", "3F", numerator=10, denominator=12),
            row("share_3plus", "month_akasse", "2021-01", "HK", numerator=13, denominator=15),
            row("share_3plus", "month_akasse", "2021-01", "MA", numerator=3, denominator=3),
        ]
    )


SAME = (SameCount("handovers", "share_3plus", "numerator", "denominator"),)


def hidden(frame: pd.DataFrame) -> dict[tuple[object, ...], str]:
    """(indicator, month, akasse, municipality, group) → flag, for the suppressed rows."""
    out = frame[frame["suppressed"]]
    return {
        (
            r.indicator,
            r.breakdown,
            r.month,
            None if pd.isna(r.akasse) else r.akasse,
            None if pd.isna(r.municipality) else int(r.municipality),
            r.group,
        ): r.flag
        for r in out.itertuples()
    }


def test_covered_pattern_worked_out_by_hand() -> None:
    # January: primaries 3F/101 (3) and MA/101 (4). 3F's municipalities need a second hidden one: 147 (9 <
    # 11 < 23); MA's: 147 (8 < 12). The month row has no hidden a-kasse, nothing more.
    # February: primaries 3F (2) and 3F/101 (2), which protect each other inside 3F; the month row needs
    # a second hidden a-kasse: MA (18 < 20 < 40); MA's only municipality 101 then goes too (MA = MA/101).
    # The normal group's 3 is primary; groups do not add up to the month (the month row is the trial group),
    # and the month row equals the trial row of month × group, so nothing else moves.
    result = protect(covered(), {"covered": STOCK})
    assert hidden(result.frame) == {
        ("covered", "month_akasse_municipality", "2021-01", "3F", 101, "trial"): "primary",
        ("covered", "month_akasse_municipality", "2021-01", "3F", 147, "trial"): "secondary",
        ("covered", "month_akasse_municipality", "2021-01", "MA", 101, "trial"): "primary",
        ("covered", "month_akasse_municipality", "2021-01", "MA", 147, "trial"): "secondary",
        ("covered", "month_akasse", "2021-02", "3F", None, "trial"): "primary",
        ("covered", "month_akasse_municipality", "2021-02", "3F", 101, "trial"): "primary",
        ("covered", "month_akasse", "2021-02", "MA", None, "trial"): "secondary",
        ("covered", "month_akasse_municipality", "2021-02", "MA", 101, "trial"): "secondary",
        ("covered", "month_group", "2021-02", None, None, "normal"): "primary",
    }
    report = result.report.set_index("breakdown")
    assert report.loc["month_akasse_municipality", ["cells", "primary", "secondary"]].tolist() == [10, 3, 3]
    assert report.loc["month_akasse", ["cells", "primary", "secondary"]].tolist() == [6, 1, 1]
    assert report.loc["month_group", ["cells", "primary", "secondary"]].tolist() == [4, 1, 0]
    assert report.loc["total", ["cells", "primary", "secondary"]].tolist() == [1, 0, 0]


def test_suppressed_cells_are_empty_with_a_flag_never_zero() -> None:
    frame = covered()
    out = protect(frame, {"covered": STOCK}).frame
    gone = out[out["suppressed"]]
    assert gone[["numerator", "value"]].isna().all().all()
    assert gone["flag"].isin(["primary", "secondary"]).all()
    kept = out[~out["suppressed"]]
    assert kept["flag"].isna().all()
    assert kept["numerator"].tolist() == frame.loc[~out["suppressed"], "numerator"].tolist()
    assert str(out["numerator"].dtype) == "Int64"
    assert list(out.columns) == [*frame.columns, "suppressed", "flag"]


def test_equal_counts_in_two_tables_are_hidden_together() -> None:
    # Primaries: hand-overs MA (3) and the share's MA row (3 of 3), the same cell. Denominators/hand-overs
    # 30 = 12 + 15 + 3 need a second hidden positive row: 3F (its rows cost 13 + 11 = 24) before HK (30);
    # numerators 26 = 10 + 13 + 3 likewise choose 3F, the same row. So 3F and MA go in both tables.
    out = protect(handovers_and_share(), {"handovers": EVENT, "share_3plus": EVENT}, same=SAME).frame
    assert hidden(out) == {
        ("handovers", "month_akasse", "2021-01", "MA", None, "trial"): "primary",
        ("handovers", "month_akasse", "2021-01", "3F", None, "trial"): "secondary",
        ("share_3plus", "month_akasse", "2021-01", "MA", None, "trial"): "primary",
        ("share_3plus", "month_akasse", "2021-01", "3F", None, "trial"): "secondary",
    }
    share = out[out["indicator"] == "share_3plus"].set_index("akasse")
    assert share.loc["3F", ["numerator", "denominator", "value"]].isna().all()
    assert share.loc["HK", "value"] == pytest.approx(13 / 15)


@pytest.mark.parametrize(
    ("numerator", "denominator", "rule", "primary"),
    [
        (2, 10, EVENT, True),  # 2 persons met the requirement
        (7, 3, Rule(numerator_persons=False), True),  # 7 conversations with 3 persons
        (3, 12, Rule(numerator_persons=False), False),  # 3 conversations with 12 persons
        (0, 12, EVENT, False),  # 0 is publishable
        (0, 4, EVENT, True),  # 0 of 4 persons
        (5, 5, EVENT, False),  # 5 is the first published count
        (12, None, Rule(numerator_persons=False), False),  # 12 days summed, not persons
    ],
)
def test_primary_rule(numerator: int, denominator: int | None, rule: Rule, primary: bool) -> None:
    frame = pd.DataFrame([row("x", "month", "2021-01", numerator=numerator, denominator=denominator)])
    out = protect(frame, rule).frame
    assert out["suppressed"].tolist() == [primary]
    assert out["flag"].tolist() == (["primary"] if primary else [None])


@pytest.mark.parametrize(("threshold", "expected"), [(3, {2}), (5, {2, 3, 4}), (1, set())])
def test_threshold_is_configurable(threshold: int, expected: set[int]) -> None:
    frame = pd.DataFrame([row("x", "month", f"2021-0{n}", numerator=n) for n in (1, 2, 3, 4, 5)])
    frame = frame[frame["numerator"] != 1]  # keep each count once: 2, 3, 4, 5
    out = protect(frame, Rule(), threshold=threshold).frame
    assert set(out.loc[out["suppressed"], "month"].str[-1].astype(int)) == expected


def test_counts_that_do_not_add_up_get_no_complement() -> None:
    out = protect(covered(), {"covered": Rule(additive_over=frozenset())}).frame
    assert set(out.loc[out["suppressed"], "flag"]) == {"primary"}
    assert int(out["suppressed"].sum()) == 5


def test_indicator_sums_link_tables() -> None:
    # exits 20 = job 17 + moved 3 in one month; moved's 3 is primary, so job must go too (20 - 17 = 3).
    frame = pd.DataFrame(
        [
            row("exits", "month", "2021-01", numerator=20),
            row("exits_job", "month", "2021-01", numerator=17),
            row("exits_moved", "month", "2021-01", numerator=3),
        ]
    )
    sums = (IndicatorSum("exits", ("exits_job", "exits_moved")),)
    out = protect(frame, EVENT, sums=sums).frame
    assert out["flag"].tolist() == [None, "secondary", "primary"]
    assert protect(frame, EVENT).frame["flag"].tolist() == [None, None, "primary"]


def test_index_and_order_are_kept() -> None:
    frame = covered().iloc[::-1]
    frame.index = frame.index + 100
    out = protect(frame, {"covered": STOCK}).frame
    assert out.index.tolist() == frame.index.tolist()
    assert out["month"].tolist() == frame["month"].tolist()


def _bad(change: str) -> pd.DataFrame:
    frame = covered()
    if change == "missing column":
        return frame.drop(columns="denominator")
    if change == "unknown breakdown":
        frame.loc[3, "breakdown"] = "month_region"
    elif change == "negative persons":
        frame.loc[5, "numerator"] = -3
    elif change == "text count":
        frame["numerator"] = frame["numerator"].astype(object)
        frame.loc[6, "numerator"] = "nine"
    elif change == "missing numerator":
        frame.loc[6, "numerator"] = None
    elif change == "duplicate":
        return pd.concat([frame, frame.iloc[[4]]], ignore_index=True)
    elif change == "does not add up":
        frame.loc[2, "numerator"] = 24
    elif change == "orphan":
        return frame.drop(index=4).reset_index(drop=True)
    elif change == "month differs from trial group":
        frame.loc[11, "numerator"] = 61
    return frame


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("missing column", "column 'denominator' missing"),
        ("unknown breakdown", "row 3, column breakdown: 'month_region' is not one of"),
        (
            "negative persons",
            r"row 5 \(indicator covered, breakdown month_akasse_municipality, month=2021-01, akasse=3F, "
            r"municipality=101.*column numerator: -3 is a negative count",
        ),
        ("text count", "row 6 .*column numerator: 'nine' is not a number"),
        ("missing numerator", "row 6 .*column numerator: .* is not a number"),
        (
            "duplicate",
            r"row 23 \(indicator covered, breakdown month_akasse, month=2021-01, akasse=MA.*appears twice",
        ),
        (
            "does not add up",
            r"row 1 \(indicator covered, breakdown month, month=2021-01.*column numerator: "
            r"60 is not the sum of its parts \(61\)",
        ),
        ("orphan", r"row 8 \(.*akasse=MA, municipality=101.*has no row for its month_akasse"),
        (
            "month differs from trial group",
            r"row 1 \(indicator covered, breakdown month, month=2021-01.*60 should equal row 11 .*61",
        ),
    ],
)
def test_bad_input_names_the_place_and_changes_nothing(change: str, message: str) -> None:
    frame = _bad(change)
    before = frame.copy()
    with pytest.raises(DisclosureError, match=message):
        protect(frame, {"covered": STOCK})
    pd.testing.assert_frame_equal(frame, before)


def test_bad_declarations_are_refused() -> None:
    with pytest.raises(DisclosureError, match="indicator 'covered' has no disclosure rule"):
        protect(covered(), {"other": STOCK})
    with pytest.raises(DisclosureError, match="unknown dimension 'region'"):
        Rule(additive_over=frozenset({"region"}))
    with pytest.raises(DisclosureError, match="threshold must be at least 1"):
        protect(covered(), STOCK, threshold=0)
    frame = handovers_and_share()
    frame.loc[3, "numerator"] = 4  # hand-overs MA 4, but the share's denominator says 3
    with pytest.raises(
        DisclosureError,
        match=r"row 3 .*akasse=MA.*column numerator: 4 should equal row 7 .*column denominator: 3",
    ):
        protect(frame, EVENT, same=SAME)


def participants_and_jobs_share() -> pd.DataFrame:
    """Participants (40, 35, 25) and the share of them presented with jobs (2, 15, 13 of them): the share's
    denominator is the participant count, undeclared."""
    return pd.DataFrame(
        [
            row("participants", "month", "2021-01", numerator=100),
            row("participants", "month_akasse", "2021-01", "3F", numerator=40),
            row("participants", "month_akasse", "2021-01", "HK", numerator=35),
            row("participants", "month_akasse", "2021-01", "MA", numerator=25),
            row("share_jobs", "month", "2021-01", numerator=30, denominator=100),
            row("share_jobs", "month_akasse", "2021-01", "3F", numerator=2, denominator=40),
            row("share_jobs", "month_akasse", "2021-01", "HK", numerator=15, denominator=35),
            row("share_jobs", "month_akasse", "2021-01", "MA", numerator=13, denominator=25),
        ]
    )


def test_equal_counts_are_found_without_declaring_them() -> None:
    # The share's 3F row is primary (2 persons). Its partner is the cheapest row: MA (13 + 1, and the
    # denominator 25 + 1, which is also participants' MA: 40) before HK (16 + 36 = 52). The share's 3F
    # and MA denominators are participants' 3F and MA, so those rows go too (secondary): 100 = 40 + 35 + 25
    # then has two hidden cells.
    out = protect(participants_and_jobs_share(), STOCK).frame
    assert hidden(out) == {
        ("share_jobs", "month_akasse", "2021-01", "3F", None, "trial"): "primary",
        ("share_jobs", "month_akasse", "2021-01", "MA", None, "trial"): "secondary",
        ("participants", "month_akasse", "2021-01", "3F", None, "trial"): "secondary",
        ("participants", "month_akasse", "2021-01", "MA", None, "trial"): "secondary",
    }
    alone = protect(participants_and_jobs_share(), STOCK, detect_same=False).frame
    assert not alone.loc[alone["indicator"] == "participants", "suppressed"].any()


def test_a_sum_of_indicators_cannot_hold_its_own_total() -> None:
    with pytest.raises(DisclosureError, match="'exits' is among its own parts"):
        IndicatorSum("exits", ("exits", "exits_job"))
