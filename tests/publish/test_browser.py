"""The built site in headless Chromium (Debian's, through Playwright): charts and tables shown, every internal
link answers 200, the language switch, the skip link and a phone-sized screen."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urldefrag, urlparse

import pandas as pd
import pytest
from playwright.sync_api import Browser, Page

from akasse.publish.build import publish_frame
from akasse.publish.serve import site_server
from tests.publish.conftest import INFOS, make_frame, row

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Two releases (so revisions and release history have content), served by http.server on a free port."""
    site = tmp_path_factory.mktemp("browser") / "site"
    publish_frame(make_frame(), INFOS, site, dt.date(2022, 2, 10), threshold=5)
    feb = pd.DataFrame(
        [row("covered", b, pd.Timestamp("2022-02-01"), numerator=190) for b in ("month", "month_group")]
    )
    publish_frame(
        pd.concat([make_frame(dec_3f_101=125), feb]), INFOS, site, dt.date(2022, 3, 10), threshold=5
    )
    server = site_server(site, port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def page(chromium: Browser) -> Iterator[Page]:
    context = chromium.new_context()
    yield context.new_page()
    context.close()


def test_indicator_page_shows_chart_and_table(page: Page, base_url: str):
    response = page.goto(f"{base_url}/da/indikatorer/share_cv_14_days.html")
    assert response is not None and response.status == 200
    chart = page.locator("figure.chart svg")
    assert chart.is_visible()
    box = chart.bounding_box()
    assert box is not None and box["width"] > 200 and box["height"] > 100
    assert page.locator("figure.chart svg > title").text_content() == (
        "Linjediagram: Andel med CV-samtale inden 14 dage pr. måned"
    )
    assert page.locator("figure.chart svg path").count() > 0  # the lines are drawn
    table = page.locator("table:has(caption#tabel-serie)")
    assert table.is_visible()
    assert table.locator("caption").inner_text() == "Andel med CV-samtale inden 14 dage pr. måned"
    assert table.locator("thead th[scope=col]").all_inner_texts() == ["Måned", "Forsøg", "Normalindsats"]
    assert table.locator("tbody th[scope=row]").all_inner_texts() == [
        "januar 2022",
        "december 2021",
        "november 2021",
    ]
    assert table.locator("tbody tr").first.locator("td").all_inner_texts() == [
        "87,0\u00a0%",
        "–\nDiskretioneret",
    ]


def test_every_internal_link_answers_200_and_every_anchor_exists(page: Page, base_url: str):
    origin = urlparse(base_url).netloc
    landing = page.goto(f"{base_url}/index.html")
    assert landing is not None and landing.status == 200
    page.wait_for_url(f"{base_url}/da/index.html")  # the landing page sends the reader on to Danish
    queue, seen, files = (
        [f"{base_url}/da/index.html", f"{base_url}/en/index.html"],
        {f"{base_url}/index.html"},
        set(),
    )
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            target, fragment = urldefrag(href)
            if urlparse(target).netloc != origin:
                continue
            if target.endswith(".html"):
                queue.append(target)
                if fragment:
                    anchor = page.context.request.get(target).text()
                    assert f'id="{fragment}"' in anchor, href
            else:
                files.add(target)
    for url in files:
        response = page.context.request.get(url)
        assert response.status == 200 and len(response.body()) > 0, url
    pages = {urlparse(u).path for u in seen}
    assert {
        "/da/indikatorer/covered.html",
        "/en/akasser/HK.html",
        "/en/revisioner.html",
        "/da/data.html",
    } <= pages
    assert len(pages) == 15  # landing + 7 pages in each language
    kinds = {Path(urlparse(u).path).name.split(".", 1)[1] for u in files}
    assert kinds == {"csv", "xlsx", "json", "metadata.json"}  # manifest.json is a .json too
    assert any(u.endswith("/releases/2022-02-10/manifest.json") for u in files)  # the earlier release stays


def test_language_switch_opens_the_same_page_in_english(page: Page, base_url: str):
    page.goto(f"{base_url}/da/indikatorer/covered.html")
    assert page.locator("html").get_attribute("lang") == "da"
    page.get_by_role("link", name="English").click()
    page.wait_for_url(f"{base_url}/en/indikatorer/covered.html")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Persons covered"


def test_skip_link_is_the_first_tab_stop_and_becomes_visible(page: Page, base_url: str):
    page.goto(f"{base_url}/da/index.html")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Spring til indhold"
    box = page.locator("a.skip").bounding_box()
    assert box is not None and box["x"] >= 0
    page.keyboard.press("Enter")
    assert page.url.endswith("#indhold")


def test_phone_screen_has_no_sideways_scrolling(chromium: Browser, base_url: str):
    context = chromium.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    phone = context.new_page()
    for path in (
        "/da/index.html",
        "/da/indikatorer/covered.html",
        "/en/revisioner.html",
        "/da/akasser/3F.html",
    ):
        phone.goto(base_url + path)
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} is {width}px wide"
        svg = phone.locator("figure.chart svg").first
        if svg.count():
            box = svg.bounding_box()
            assert box is not None and box["width"] <= 390
    context.close()
