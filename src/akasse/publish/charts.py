"""Charts: Altair (Vega-Lite) line charts rendered offline to SVG by vl-convert, with a <title> and <desc>.

The SVG is embedded in the page, so the site needs no JavaScript and no CDN; the title and description
make it readable to a screen reader (the figures themselves are in the table beside each chart).
"""

from __future__ import annotations

import html
import math
from typing import Literal

import altair as alt
import pandas as pd
import vl_convert as vlc

# Colours with at least 3:1 contrast against white (WCAG 1.4.11), told apart by dash pattern as well.
PALETTE = ["#1f4e79", "#a63d00", "#2e6b30", "#6a3d9a", "#5c5c5c"]
_LOCALES: dict[str, Literal["da-DK", "en-GB"]] = {"da": "da-DK", "en": "en-GB"}


def line_chart(
    data: pd.DataFrame,
    *,
    unit: str,
    lang: str,
    title: str,
    description: str,
    chart_id: str,
    y_title: str,
    x_title: str,
    series_title: str,
) -> str:
    """An SVG line chart of `value` by `month`, one line per `series`; suppressed (NA) months leave a gap."""
    frame = data[["month", "value", "series"]].assign(value=lambda d: d["value"].astype("float64"))
    step = max(1, math.ceil(frame["month"].nunique() / 8))  # at most about eight month labels
    y_axis = alt.Axis(format=".0%" if unit == "share" else ",~r", title=y_title)
    chart = (
        alt.Chart(frame, width=560, height=260)
        .mark_line(point=True, strokeWidth=2)
        .encode(
            x=alt.X(
                "yearmonth(month):T",
                title=x_title,
                axis=alt.Axis(format="%b %Y", labelAngle=-40, tickCount={"interval": "month", "step": step}),
            ),
            y=alt.Y("value:Q", axis=y_axis, scale=alt.Scale(zero=True)),
            color=alt.Color(
                "series:N",
                title=series_title,
                scale=alt.Scale(range=PALETTE),
                legend=alt.Legend(orient="bottom"),
            ),
            strokeDash=alt.StrokeDash("series:N", title=series_title, legend=alt.Legend(orient="bottom")),
        )
        .configure_axis(labelColor="#222", titleColor="#222", labelFontSize=12, titleFontSize=12)
        .configure_legend(labelColor="#222", titleColor="#222", labelFontSize=12)
    )
    svg = vlc.vegalite_to_svg(
        chart.to_dict(), format_locale=_LOCALES[lang], time_format_locale=_LOCALES[lang]
    )
    return accessible(svg, chart_id=chart_id, title=title, description=description)


def accessible(svg: str, *, chart_id: str, title: str, description: str) -> str:
    """The SVG with role="img", a <title> and a <desc> that its aria-labelledby points to."""
    end = svg.index(">", svg.index("<svg"))
    label = f' role="img" aria-labelledby="{chart_id}-title {chart_id}-desc"'
    heading = (
        f'<title id="{chart_id}-title">{html.escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{html.escape(description)}</desc>'
    )
    return svg[:end] + label + ">" + heading + svg[end + 1 :]
