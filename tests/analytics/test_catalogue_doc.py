"""docs/indicators.md is the catalogue's declarations rendered, and every declaration is complete."""

from __future__ import annotations

from pathlib import Path

import pytest

from akasse.analytics.catalogue_doc import render
from akasse.analytics.indicators import BY_ID, CATALOGUE, Indicator
from akasse.events import TABLES

DOC = Path(__file__).resolve().parents[2] / "docs" / "indicators.md"


def test_docs_indicators_md_matches_the_declarations() -> None:
    assert DOC.read_text() == render(), (
        "regenerate: python -m akasse.analytics.catalogue_doc > docs/indicators.md"
    )


def test_every_indicator_has_one_row_and_one_definition() -> None:
    text = render()
    for indicator in CATALOGUE:
        assert text.count(f"| `{indicator.id}` |") == 1
        assert text.count(f"### `{indicator.id}`:") == 1


def test_ids_are_unique() -> None:
    assert len(BY_ID) == len(CATALOGUE)


@pytest.mark.parametrize("indicator", CATALOGUE, ids=lambda i: i.id)
def test_declaration_is_complete(indicator: Indicator) -> None:
    assert indicator.name_da and indicator.name_en and indicator.name_da != indicator.id
    assert indicator.definition_da.endswith(".") and indicator.definition_en.endswith(".")
    assert indicator.breakdowns and indicator.period_date
    assert set(indicator.source_tables) <= {*TABLES, "rulebooks"}
    assert (indicator.denominator is None) == (indicator.unit.value in {"persons", "conversations"})
