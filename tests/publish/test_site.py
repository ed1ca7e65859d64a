"""The built site's HTML: both language trees, accessible charts and tables, Danish formats, working links."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
import pytest

from akasse.publish.build import publish_frame
from akasse.publish.charts import accessible
from akasse.publish.texts import format_day, format_month, format_value
from tests.publish.conftest import INFOS, make_frame, row

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("published") / "site"
    publish_frame(make_frame(), INFOS, out, dt.date(2022, 2, 10), threshold=5)
    return out


def _read(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def _pages(site: Path, lang: str) -> set[str]:
    return {p.relative_to(site / lang).as_posix() for p in (site / lang).rglob("*.html")}


def test_both_languages_have_the_same_pages_one_per_indicator_and_akasse(site):
    expected = {
        "index.html",
        "data.html",
        "revisioner.html",
        "indikatorer/covered.html",
        "indikatorer/share_cv_14_days.html",
        "akasser/3F.html",
        "akasser/HK.html",
    }
    assert _pages(site, "da") == expected
    assert _pages(site, "en") == expected


@pytest.mark.parametrize("lang", ["da", "en"])
def test_every_page_declares_its_language_and_links_to_the_same_page_in_the_other(site, lang):
    other = "en" if lang == "da" else "da"
    for page in _pages(site, lang):
        html = _read(site, f"{lang}/{page}")
        assert f'<html lang="{lang}">' in html
        root = "../" * (page.count("/") + 1)
        assert f'class="lang" href="{root}{other}/{page}" hreflang="{other}" lang="{other}"' in html
        skip = html.index('class="skip" href="#indhold"')
        assert skip < html.index("<header") and 'id="indhold"' in html


@pytest.mark.parametrize("lang", ["da", "en"])
def test_every_internal_link_resolves_to_a_file(site, lang):
    for page in _pages(site, lang):
        source = site / lang / page
        for href in re.findall(r'href="([^"]+)"', _read(site, f"{lang}/{page}")):
            target = href.split("#")[0]
            if target:
                assert (source.parent / target).resolve().is_file(), f"{lang}/{page}: {href}"


@pytest.mark.parametrize(
    "lang,share,month,suppressed",
    [
        ("da", "<td>87,0\u00a0%</td>", "januar 2022", "Diskretioneret"),
        ("en", "<td>87.0%</td>", "January 2022", "Suppressed"),
    ],
)
def test_indicator_page_table_in_the_language_with_suppressed_cell_shown_as_dash(
    site, lang, share, month, suppressed
):
    html = _read(site, f"{lang}/indikatorer/share_cv_14_days.html")
    assert '<caption id="tabel-serie">' in html and '<th scope="col">' in html
    january = re.search(rf'<tr><th scope="row">{month}\*</th>(.*?)</tr>', html)
    assert january, "the January row, marked provisional"
    assert share in january.group(1)
    assert (
        f'<td class="suppressed">–<span class="visually-hidden"> {suppressed}</span></td>' in january.group(1)
    )
    assert "<td>0" not in january.group(1)


def test_definition_is_an_i_disclosure_with_unit_period_and_sources(site):
    html = _read(site, "da/indikatorer/covered.html")
    details = html[html.index('<details class="definition">') : html.index("</details>")]
    assert '<span class="info-icon" aria-hidden="true">i</span> Definition' in details
    assert INFOS["covered"].definition_da in details
    assert "<dd>personer</dd>" in details and "<dd>spells</dd>" in details
    assert "Måned × a-kasse × kommune" in details


@pytest.mark.parametrize(
    "lang,title",
    [("da", "Linjediagram: Omfattede personer pr. måned"), ("en", "Line chart: Persons covered by month")],
)
def test_chart_is_an_inline_svg_with_title_and_description(site, lang, title):
    html = _read(site, f"{lang}/indikatorer/covered.html")
    svg = ET.fromstring(re.search(r"<svg.*?</svg>", html, re.S).group(0))
    assert svg.get("role") == "img"
    labelled = svg.get("aria-labelledby").split()
    assert labelled == ["chart-covered-title", "chart-covered-desc"]
    assert svg.find(f"{SVG}title").text == title and svg.find(f"{SVG}title").get("id") == labelled[0]
    assert "2021" in svg.find(f"{SVG}desc").text and "2022" in svg.find(f"{SVG}desc").text


def test_overview_shows_release_date_headline_chart_and_every_indicator(site):
    html = _read(site, "da/index.html")
    assert "Udgivet 10-02-2022." in html
    assert 'figure class="chart"' in html and "<svg" in html
    assert '<a href="indikatorer/covered.html">Omfattede personer</a>' in html
    assert '<a href="indikatorer/share_cv_14_days.html">Andel med CV-samtale inden 14 dage</a>' in html
    assert '<a href="akasser/HK.html">HK A-kasse</a>' in html


def test_akasse_page_shows_its_months_with_suppressed_cells_as_dash(site):
    html = _read(site, "da/akasser/HK.html")
    assert "<h1>HK A-kasse</h1>" in html
    assert (
        '<title id="chart-HK-title">Linjediagram: Omfattede personer for HK A-kasse pr. måned</title>' in html
    )
    header = re.search(r"<thead>(.*?)</thead>", html, re.S).group(1)
    assert [h for h in re.findall(r'<th scope="col">(.*?)</th>', header)] == [
        "Indikator",
        "januar 2022*",
        "december 2021*",
        "november 2021*",
    ]
    covered = re.search(
        r'<a href="../indikatorer/covered.html">Omfattede personer</a></th>(.*?)</tr>', html
    ).group(1)
    assert re.findall(r"<td[^>]*>(.*?)</td>", covered) == [
        '–<span class="visually-hidden"> Diskretioneret</span>',
        '–<span class="visually-hidden"> Diskretioneret</span>',
        "30",
    ]


@pytest.mark.parametrize(
    "akasse,month,expected",
    [
        (
            "3F",
            "januar 2022",
            [
                ("Frederiksberg*", '–<span class="visually-hidden"> Diskretioneret</span>'),
                ("København*", "130"),
            ],
        ),
        ("HK", "november 2021", [("København*", "30")]),  # December and January are all suppressed
    ],
)
def test_akasse_page_has_the_latest_month_with_a_figure_by_municipality(site, akasse, month, expected):
    html = _read(site, f"da/akasser/{akasse}.html")
    table = html[html.index('<caption id="tabel-kommuner">') :]
    assert table.startswith(
        f'<caption id="tabel-kommuner">Omfattede personer, {month}, pr. kommune</caption>'
    )
    body = table[table.index("<tbody>") : table.index("</tbody>")]
    assert re.findall(r'<th scope="row">(.*?)</th><td[^>]*>(.*?)</td>', body) == expected


def test_a_later_release_marks_only_the_new_month_provisional(tmp_path):
    site = tmp_path / "site"
    publish_frame(make_frame(), INFOS, site, dt.date(2022, 2, 10), threshold=5)
    month = pd.Timestamp("2022-02-01")
    feb = pd.DataFrame([row("covered", b, month, numerator=190) for b in ("month", "month_group")])
    publish_frame(pd.concat([make_frame(), feb]), INFOS, site, dt.date(2022, 3, 10), threshold=5)
    html = _read(site, "da/indikatorer/covered.html")
    assert '<th scope="row">februar 2022*</th>' in html
    assert '<th scope="row">januar 2022</th>' in html
    data = _read(site, "da/data.html")
    assert data.index("10-03-2022") < data.index("10-02-2022")  # release history, latest first
    assert 'href="../releases/2022-02-10/manifest.json"' in data
    assert 'href="../releases/2022-03-10/revisions.csv" download' in data


@pytest.mark.parametrize(
    "value,unit,lang,expected",
    [
        (0.871, "share", "da", "87,1\u00a0%"),  # CLDR: no-break space before %
        (0.871, "share", "en", "87.1%"),
        (12345, "persons", "da", "12.345"),
        (12345, "persons", "en", "12,345"),
        (3.25, "conversations", "da", "3,2"),  # half to even
        (None, "persons", "da", ""),
        (float("nan"), "share", "en", ""),
        (pd.NA, "days", "da", ""),
    ],
)
def test_numbers_are_formatted_in_the_language(value, unit, lang, expected):
    assert format_value(value, unit, lang) == expected


def test_days_are_dd_mm_yyyy_and_months_named_in_the_language():
    assert format_day(dt.date(2022, 2, 5)) == "05-02-2022"
    assert format_month(dt.date(2021, 12, 1), "da") == "december 2021"
    assert format_month(dt.date(2021, 12, 1), "en") == "December 2021"


def test_accessible_escapes_the_title_and_keeps_the_svg_valid():
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10"><rect width="1" height="1"/></svg>'
    out = ET.fromstring(accessible(svg, chart_id="c", title="Tal < 5 & andele", description="d"))
    assert out.find(f"{SVG}title").text == "Tal < 5 & andele"
    assert out.get("aria-labelledby") == "c-title c-desc" and out.find(f"{SVG}rect") is not None
