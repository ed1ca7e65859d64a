"""The static site: the same pages in a Danish and an English tree, rendered with Jinja2 from the views.

Every link is relative, so the site works from a file system, `akasse serve-site` or any web server.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from akasse.publish import views
from akasse.publish.charts import line_chart
from akasse.publish.metadata import IndicatorInfo
from akasse.publish.releases import RELEASES, Manifest
from akasse.publish.texts import BREAKDOWNS, LANGUAGES, format_day, label, text
from akasse.reference import akasser

REVISIONS_SHOWN = 500  # rows on the revisions page; all are in revisions.csv


@dataclass(frozen=True)
class SiteContent:
    """Everything one build shows: the published frame of this release and its history."""

    frame: pd.DataFrame  # published frame: catalogue columns + flag + status
    infos: dict[str, IndicatorInfo]
    release_date: dt.date
    history: list[Manifest]  # every release including this one, oldest first
    previous: dt.date | None
    revisions: pd.DataFrame
    threshold: int


def render_site(out: Path, content: SiteContent) -> None:
    """Write the stylesheet, the landing page and both language trees into `out`."""
    env = Environment(
        loader=PackageLoader("akasse.publish", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
    )
    out.mkdir(parents=True, exist_ok=True)
    (out / "style.css").write_text(
        resources.files("akasse.publish").joinpath("static/style.css").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    (out / "index.html").write_text(env.get_template("landing.html").render(), encoding="utf-8")
    for lang in LANGUAGES:
        _Tree(env, out, content, lang).render()


class _Tree:
    """One language's pages."""

    def __init__(self, env: Environment, out: Path, content: SiteContent, lang: str):
        self.env, self.out, self.content, self.lang = env, out, content, lang
        # Pages cut the frame by these columns thousands of times: as categories, each cut compares integer
        # codes instead of strings (≈ 4 of 12 s of the national site).
        self.frame = content.frame.astype({c: "category" for c in ("indicator", "breakdown", "akasse")})
        present = set(self.frame["akasse"].dropna())
        self.akasse_names = {code: a.name for code, a in akasser().items() if code in present}
        self.akasse_names.update({code: code for code in sorted(present - set(self.akasse_names))})
        self.charts = {i: self._indicator_chart(info) for i, info in content.infos.items()}

    def render(self) -> None:
        infos = self.content.infos
        headline = [
            {"id": i, "name": infos[i].name(self.lang), "svg": self.charts[i]}
            for i in views.headline_ids(infos)
            if self.charts[i]
        ]
        self._page(
            "index.html",
            "index.html",
            "overview",
            title=text("overview", self.lang),
            charts=headline,
            indicator_table=views.overview_table(self.frame, infos, self.lang),
            akasser=list(self.akasse_names.items()),
        )
        for info in infos.values():
            data = views.series(self.frame, info.id, self.lang)
            self._page(
                "indicator.html",
                f"indikatorer/{info.id}.html",
                "indicators",
                title=info.name(self.lang),
                info=info,
                chart=self.charts[info.id],
                table=views.series_table(data, info, self.lang),
                akasse_table=views.akasse_month_table(self.frame, info, self.lang, self.akasse_names),
            )
        lead = infos[views.headline_ids(infos)[0]]  # the a-kasse pages' chart and municipality table
        for code, name in self.akasse_names.items():
            self._page(
                "akasse.html",
                f"akasser/{code}.html",
                "akasser",
                title=name,
                name=name,
                chart=self._akasse_chart(code, name),
                table=views.akasse_table(self.frame, infos, code, name, self.lang),
                municipalities=views.municipality_table(self.frame, lead, code, self.lang),
            )
        changed = self.content.revisions
        previous = format_day(self.content.previous) if self.content.previous else None
        self._page(
            "revisions.html",
            "revisioner.html",
            "revisions",
            title=text("revisions", self.lang),
            previous=previous,
            count=len(changed),
            rows=views.revision_rows(changed, infos, self.lang, self.akasse_names, REVISIONS_SHOWN),
        )
        history = [
            {
                "date": format_day(m.release_date),
                "folder": m.release_date.isoformat(),
                "months": len(m.first_published),
            }
            for m in reversed(self.content.history)
        ]
        self._page(
            "data.html",
            "data.html",
            "data",
            title=text("data", self.lang),
            infos=list(infos.values()),
            history=history,
        )

    def _page(self, template: str, path: str, section: str, **context: Any) -> None:
        root = "../" * (path.count("/") + 1)
        release = f"{root}{RELEASES}/{self.content.release_date.isoformat()}/"
        lang = self.lang
        html = self.env.get_template(template).render(
            lang=lang,
            other=next(x for x in LANGUAGES if x != lang),
            page=path,
            section=section,
            root=root,
            release_root=release,
            data_root=f"{release}data/",
            release_date=format_day(self.content.release_date),
            threshold=self.content.threshold,
            t=lambda key, **values: text(key, lang, **values),
            breakdown_label=lambda code: label(BREAKDOWNS, code, lang),
            **context,
        )
        target = self.out / lang / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")

    def _indicator_chart(self, info: IndicatorInfo) -> str | None:
        data = views.series(self.frame, info.id, self.lang)
        title = text("chart_alt", self.lang, name=info.name(self.lang))
        return self._chart(data, info, f"chart-{info.id}", title, text("group", self.lang))

    def _akasse_chart(self, code: str, name: str) -> str | None:
        info = self.content.infos[views.headline_ids(self.content.infos)[0]]
        rows = self.frame[
            (self.frame["indicator"] == info.id)
            & (self.frame["breakdown"] == "month_akasse")
            & (self.frame["akasse"] == code)
        ]
        data = rows.assign(series=name)[["month", "value", "series", "status", "flag"]].sort_values("month")
        title = text("akasse_chart_alt", self.lang, name=info.name(self.lang), akasse=name)
        return self._chart(data, info, f"chart-{code}", title, text("akasse", self.lang))

    def _chart(
        self, data: pd.DataFrame, info: IndicatorInfo, chart_id: str, title: str, series_title: str
    ) -> str | None:
        if data["value"].notna().sum() == 0:
            return None
        first, last = views.month_range(data, self.lang)
        lang = self.lang
        return line_chart(
            data,
            unit=info.unit,
            lang=lang,
            chart_id=chart_id,
            title=title,
            description=text("chart_desc", lang, first=first, last=last),
            y_title=info.unit_label(lang),
            x_title=text("month", lang),
            series_title=series_title,
        )
