"""Charts of the pages: Vega-Lite specifications built here, drawn in the browser, with a table.

A chart is made on the server, in the page's language, as plain data: a Vega-Lite spec plus the
same figures as the rows of a table. `templates/charts.html` renders both:

    {% import "charts.html" as c %}
    {{ c.chart(chart.id, chart.spec, chart.caption, chart.columns, chart.rows) }}
    {{ c.show(chart) }}   {# the same, from a Chart #}

and `static/charts.js` (loaded by `c.scripts()`) draws every chart of the page with the
vendored Vega files (`static/vega/`, no CDN; the expression interpreter, so that the CSP needs
no 'unsafe-eval'). Without JavaScript, or if drawing fails, the table is the chart; with it, the
table stays in the page for screen readers and behind a "show the table" button for everyone.

Every text a chart shows is made here: labels, numbers (Babel, in the page's language) and the
number locale Vega formats its axes with, carried in the spec's `usermeta`. The table's first
column is the row's name (a `Link` when it has a page); the others are numbers, right-aligned.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from babel.dates import format_skeleton
from babel.numbers import format_percent, get_decimal_symbol, get_group_symbol

from arna.core import i18n

# Vega-Lite 6 specs (no "$schema": the pages name no other host, even as text).
INK, MUTED, LINE, ACCENT, SECOND = "#1b1f24", "#5b6470", "#d8dde3", "#00558c", "#8a4f00"
FONT = "Noto Sans, system-ui, sans-serif"
Period = Literal["week", "month"]


@dataclass(frozen=True)
class Link:
    """A table cell that links to a page of the site."""

    text: str
    url: str

    def __str__(self) -> str:
        return self.text


Cell = str | Link


@dataclass(frozen=True)
class Chart:
    """What `charts.html` renders: the spec, its caption and the same figures as a table."""

    id: str
    spec: dict[str, Any]
    caption: str
    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.rows


@dataclass(frozen=True)
class Point:
    """One period of a series: its first day, a count and a share (None: nothing to share)."""

    start: date
    count: int
    share: float | None


@dataclass(frozen=True)
class Bar:
    """One bar of a ranking: its label, its value, and more figures for the table's columns."""

    label: str
    value: float
    url: str = ""
    more: tuple[str, ...] = ()


def number_locale(lang: str | None = None) -> dict[str, Any]:
    """The d3-format locale of `lang` (Vega's axes), from Babel: "1 234,5" in kk and ru."""
    lang = lang or i18n.current()
    percent = format_percent(0.5, locale=lang).replace("50", "", 1)
    return {
        "decimal": get_decimal_symbol(lang),
        "thousands": get_group_symbol(lang),
        "grouping": [3],
        "currency": ["", ""],
        "percent": percent if percent.strip() == "%" else "%",
        "minus": "−",
    }


def period_label(start: date, period: Period, short: bool = False) -> str:
    """A period for people: "Jan 2026", "2026 ж. қаң." or, for a week, the day it starts;
    `short`, for an axis, without the year of a week ("5 қаң.")."""
    skeleton = "yMMM" if period == "month" else ("MMMd" if short else "yMMMd")
    return format_skeleton(skeleton, start, locale=i18n.current())


def _base(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "background": None,
        "padding": 4,
        "usermeta": {"locale": number_locale()},
        "config": {
            "font": FONT,
            "view": {"stroke": None},
            "axis": {
                "labelColor": INK,
                "titleColor": INK,
                "labelFontSize": 12,
                "titleFontSize": 12,
                "titleFontWeight": 600,
                "gridColor": LINE,
                "domainColor": MUTED,
                "tickColor": MUTED,
            },
            "title": {"color": INK, "fontSize": 14, "fontWeight": 600, "anchor": "start"},
        },
    }


def series(
    chart_id: str,
    caption: str,
    points: Sequence[Point],
    *,
    period: Period,
    count_title: str,
    share_title: str,
) -> Chart:
    """Counts over time as bars, and above them a share over time as a line (the on-time share
    of the answers due in each period): two panels on one time axis rather than two y axes."""
    period_title = i18n.gettext_("Week starting") if period == "week" else i18n.gettext_("Month")
    values: list[dict[str, Any]] = [
        {
            "period": p.start.isoformat(),
            "label": period_label(p.start, period),
            "tick": period_label(p.start, period, short=True),
            "count": p.count,
            "share": p.share,
            "count_text": i18n.fmt_number(p.count),
            "share_text": i18n.fmt_share(p.share),
        }
        for p in points
    ]
    axis: dict[str, Any] = {"labelAngle": 0, "labelOverlap": "greedy", "labelPadding": 4}
    # The axis reads the short label; the order is the data's (both panels see every period:
    # a period with no answer due has no point on the line, not a missing place on the axis).
    x: dict[str, Any] = {
        "field": "tick",
        "type": "ordinal",
        "sort": None,
        "title": None,
        "axis": axis,
    }
    tooltip = [
        {"field": "label", "title": period_title},
        {"field": "count_text", "title": count_title},
        {"field": "share_text", "title": share_title},
    ]
    spec = _base(caption) | {
        "data": {"values": values},
        "vconcat": [
            {
                "title": share_title,
                "height": 110,
                "mark": {"type": "line", "point": {"filled": True, "size": 40}, "color": SECOND},
                "encoding": {
                    "x": x | {"axis": axis | {"labels": False, "ticks": False}},
                    "y": {
                        "field": "share",
                        "type": "quantitative",
                        "title": None,
                        "scale": {"domain": [0, 1]},
                        "axis": {"format": ".0%", "tickCount": 3},
                    },
                    "tooltip": tooltip,
                },
            },
            {
                "title": count_title,
                "height": 150,
                "mark": {"type": "bar", "color": ACCENT, "cornerRadiusEnd": 2},
                "encoding": {
                    "x": x,
                    "y": {
                        "field": "count",
                        "type": "quantitative",
                        "title": None,
                        "axis": {"format": ",d", "tickMinStep": 1},
                    },
                    "tooltip": tooltip,
                },
            },
        ],
        "resolve": {"scale": {"x": "shared"}},
    }
    rows: list[list[Cell]] = [[v["label"], v["count_text"], v["share_text"]] for v in values]
    return Chart(chart_id, spec, caption, [period_title, count_title, share_title], rows)


def ranking(
    chart_id: str,
    caption: str,
    bars: Sequence[Bar],
    *,
    label_title: str,
    value_title: str,
    share: bool = False,
    more_titles: Sequence[str] = (),
) -> Chart:
    """Horizontal bars, largest first as given: the top categories, the slowest bodies. Values
    are counts, or shares with `share=True`; `more_titles` name each bar's extra figures."""
    fmt = i18n.fmt_share if share else i18n.fmt_number
    values = [
        {"label": b.label, "value": b.value, "text": fmt(b.value)}
        | {f"more{i}": m for i, m in enumerate(b.more)}
        | ({"url": b.url} if b.url else {})
        for b in bars
    ]
    tooltip = [
        {"field": "label", "title": label_title},
        {"field": "text", "title": value_title},
        *({"field": f"more{i}", "title": t} for i, t in enumerate(more_titles)),
    ]
    encoding: dict[str, Any] = {
        "y": {
            "field": "label",
            "type": "nominal",
            "sort": None,
            "title": None,
            "axis": {"labelLimit": 200, "ticks": False, "domain": False},
        },
        "x": {
            "field": "value",
            "type": "quantitative",
            "title": value_title,
            "axis": {"format": ".0%" if share else ",d", "tickCount": 4}
            | ({} if share else {"tickMinStep": 1}),
        }
        | ({"scale": {"domain": [0, 1]}} if share else {}),
        "tooltip": tooltip,
    }
    if any(b.url for b in bars):
        encoding["href"] = {"field": "url"}
    spec = _base(caption) | {
        "data": {"values": values},
        "height": {"step": 24},
        "mark": {"type": "bar", "color": SECOND if share else ACCENT, "cornerRadiusEnd": 2},
        "encoding": encoding,
    }
    rows: list[list[Cell]] = [
        [Link(b.label, b.url) if b.url else b.label, fmt(b.value), *b.more] for b in bars
    ]
    return Chart(chart_id, spec, caption, [label_title, value_title, *more_titles], rows)


def cumulative(
    chart_id: str,
    caption: str,
    points: Sequence[tuple[date, int]],
    *,
    day_title: str,
    count_title: str,
    goal: int | None = None,
    goal_title: str = "",
) -> Chart:
    """A running total by day as a line (the signatures of a petition by the end of each day
    that had any), with `goal` as a dashed rule when given (its threshold)."""
    values: list[dict[str, Any]] = [
        {
            "day": day.isoformat(),
            "label": i18n.fmt_date(day),
            "tick": format_skeleton("MMMd", day, locale=i18n.current()),
            "count": count,
            "count_text": i18n.fmt_number(count),
        }
        for day, count in points
    ]
    x: dict[str, Any] = {
        "field": "tick",
        "type": "ordinal",
        "sort": None,
        "title": None,
        "axis": {"labelAngle": 0, "labelOverlap": "greedy", "labelPadding": 4},
    }
    y: dict[str, Any] = {
        "field": "count",
        "type": "quantitative",
        "title": None,
        "axis": {"format": ",d", "tickMinStep": 1},
    }
    tooltip = [
        {"field": "label", "title": day_title},
        {"field": "count_text", "title": count_title},
    ]
    line = {
        "mark": {"type": "line", "point": {"filled": True, "size": 40}, "color": ACCENT},
        "encoding": {"x": x, "y": y, "tooltip": tooltip},
    }
    layers: list[dict[str, Any]] = [line]
    if goal is not None:
        rule = {"goal": goal, "text": f"{goal_title}: {i18n.fmt_number(goal)}"}
        layers.append(
            {
                "data": {"values": [rule]},
                "layer": [
                    {
                        "mark": {"type": "rule", "color": SECOND, "strokeDash": [6, 4]},
                        "encoding": {"y": {"field": "goal", "type": "quantitative"}},
                    },
                    {
                        "mark": {
                            "type": "text", "color": SECOND, "align": "left", "baseline": "bottom",
                            "dx": 2, "dy": -2, "x": 0,
                        },
                        "encoding": {
                            "y": {"field": "goal", "type": "quantitative"},
                            "text": {"field": "text"},
                        },
                    },
                ],
            }
        )  # fmt: skip
    spec = _base(caption) | {
        "data": {"values": values},
        "height": 180,
        "layer": layers,
    }
    rows: list[list[Cell]] = [[v["label"], v["count_text"]] for v in values]
    return Chart(chart_id, spec, caption, [day_title, count_title], rows)
