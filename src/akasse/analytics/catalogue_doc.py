"""docs/indicators.md, generated from the catalogue's declarations so that the two cannot drift apart.

Regenerate with `python -m akasse.analytics.catalogue_doc > docs/indicators.md`; a test compares them.
"""

from __future__ import annotations

from akasse.analytics.indicators import CATALOGUE, SUMS, Indicator, Period
from akasse.analytics.records import Breakdown
from akasse.analytics.requirements import RULEBOOK_BY_GROUP

_PERIOD = {Period.EVENT: "event: month of {date}", Period.STOCK: "stock: every month of {date}"}
_BREAKDOWN = {
    Breakdown.TOTAL: "T",
    Breakdown.MONTH: "M",
    Breakdown.MONTH_AKASSE: "M×A",
    Breakdown.MONTH_AKASSE_MUNICIPALITY: "M×A×K",
    Breakdown.MONTH_GROUP: "M×G",
}

INTRO = """# Indicators (indikatorer)

STAR's monthly monitoring of the a-kasse trial, computed by `akasse.analytics.indicators.compute` in Ibis
(DuckDB by default, unchanged on PySpark or Trino: see operations.md). This file is generated from the
declarations in `src/akasse/analytics/indicators.py`; a test fails when the two differ.

## Conventions
- **Contact period** (kontaktforløb): for the trial group the coverage `[covered_from, covered_to]`; for the
  normal-effort group the unemployment `[unemployed_from, unemployed_to]`. An open end runs to the cut-off.
- **Months** run from the trial's start (1 Jan 2020) to the cut-off `as_of` (default: the latest date in
  the event tables). An event counts in the month of its date (`period`); a stock in every month its
  period overlaps.
- **Breakdowns**: T total, M month, M×A month × a-kasse, M×A×K month × a-kasse × municipality (of residence
  at the start of the spell), M×G month × group. All but M×G describe the trial group; M×G puts trial and
  normal effort side by side.
- **Distinct persons** in a month count each person once per group, in the spell that started last, so
  they add up over a-kasser and municipalities; the total counts each person once over the whole period,
  so months do not add up to it.
- **Requirements** come from the vectorised rule interpreter with the rulebook of the spell's group
  ({rulebooks}); a requirement counts when its deadline falls in the month, on or
  before the cut-off and inside the contact period.
- **Disclosure** (`Indicator.rule`, akasse.analytics.disclosure): "persons" says which counts are persons
  (cells of 1–4 are suppressed); "adds up over" lists the dimensions over which the counts add up exactly.
"""


def render() -> str:
    """The whole of docs/indicators.md."""
    rulebooks = ", ".join(f"{group}: `{book}`" for group, book in RULEBOOK_BY_GROUP.items())
    lines = [INTRO.replace("{rulebooks}", rulebooks), "## Catalogue", ""]
    lines += [
        "| id | navn | name | unit | period | breakdowns | persons | adds up over | source tables |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    lines += [_row(indicator) for indicator in CATALOGUE]
    lines += ["", "Indicators whose rows add up to another's (linked tables for secondary suppression):", ""]
    lines += [f"- `{s.total}` = " + " + ".join(f"`{p}`" for p in s.parts) for s in SUMS]
    lines += ["", "## Definitions", ""]
    for indicator in CATALOGUE:
        lines += [
            f"### `{indicator.id}`: {indicator.name_da} / {indicator.name_en}",
            "",
            f"- da: {indicator.definition_da}",
            f"- en: {indicator.definition_en}",
            f"- unit: {indicator.unit.label_da} / {indicator.unit.label_en}"
            + ("" if indicator.denominator is None else " (numerator / denominator)"),
            "",
        ]
    return "\n".join(lines)


def _row(indicator: Indicator) -> str:
    persons = "numerator" if indicator.numerator_persons else ""
    if indicator.denominator is not None and indicator.denominator_persons:
        persons = f"{persons} and denominator" if persons else "denominator"
    cells = [
        f"`{indicator.id}`",
        indicator.name_da,
        indicator.name_en,
        indicator.unit.value,
        _PERIOD[indicator.period].format(date=indicator.period_date),
        ", ".join(_BREAKDOWN[b] for b in indicator.breakdowns),
        persons or "no",
        ", ".join(d for d in ("month", "akasse", "municipality", "group") if d in indicator.additive_over),
        ", ".join(indicator.source_tables),
    ]
    return "| " + " | ".join(cells) + " |"


if __name__ == "__main__":
    print(render(), end="")
