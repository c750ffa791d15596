"""Monthly reports as HTML and PDF (`arna report`, `/reports/...`), in kk, ru or en.

The charts are the pages' own Vega-Lite specs (`arna.web.charts`), drawn on the server by
vl-convert (SVG inside the HTML, PNG inside the PDF) with the Noto Sans the pages use
(`data/fonts`, built by tools/build_report_fonts.py); the PDF is written by fpdf2. Both install
with pip alone: no browser, no system library, no font of the machine.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

from arna.core import i18n
from arna.oversight.queries import MIN_DUE
from arna.oversight.queries.report import Report
from arna.oversight.queries.scorecard import Days, Scorecard
from arna.oversight.scorecard_cells import days_ends, share_ends
from arna.web import charts
from arna.web.charts import Bar, Chart, Point
from arna.web.templating import make_templates

_ = i18n.gettext_
VEGA_LITE = "6.1"
PARTS_SHOWN = 30
WIDTH = 560  # CSS pixels of a chart in a report
FONT_FILES = {"": "NotoSans-Regular.ttf", "B": "NotoSans-Bold.ttf"}


@contextmanager
def language(lang: str) -> Iterator[None]:
    """Texts, numbers and dates in `lang` while the report is made."""
    before = i18n.current()
    i18n.use(lang)
    try:
        yield
    finally:
        i18n.use(before)


@cache
def _fonts() -> str:
    """The folder of the report fonts, registered once with the chart renderer."""
    import vl_convert

    folder = str(resources.files("arna.oversight").joinpath("data/fonts"))
    vl_convert.register_font_directory(folder)
    return folder


def scope_name(report: Report) -> str:
    return report.name or _("Kazakhstan")


def month_label(month: str) -> str:
    return charts.period_label(date.fromisoformat(f"{month}-01"), "month")


def days_text(days: Days) -> str:
    ends = days_ends(days)
    return "—" if ends is None else "{} ({}–{})".format(*ends)


def share_text(card: Scorecard, name: str) -> str:
    ends = share_ends(getattr(card, name), card.due if name == "on_time" else None)
    return "—" if ends is None else "{} ({}–{})".format(*ends)


def key_figures(card: Scorecard) -> list[tuple[str, str]]:
    """(what, figure) of the month's whole, in the report's language."""
    return [
        (_("Received"), i18n.fmt_number(card.received)),
        (_("On time"), share_text(card, "on_time")),
        (_("Days to first response"), days_text(card.first_response)),
        (_("Days to answer"), days_text(card.answer)),
        (_("Extended"), share_text(card, "extended")),
        (_("Forwarded"), share_text(card, "forwarded")),
        (_("Sent to the wrong body"), share_text(card, "sent_wrongly")),
        (_("Escalated"), share_text(card, "escalated")),
        (_("Disputed"), share_text(card, "disputed")),
        (_("Solved"), share_text(card, "solved")),
        (_("Came back"), share_text(card, "came_back")),
    ]


def report_charts(report: Report) -> list[Chart]:
    points = [
        Point(
            date.fromisoformat(f"{month}-01"),
            card.received if card else 0,
            card.on_time.share if card and card.due else None,
        )
        for month, card in report.months
    ]
    trend = charts.series(
        "report-months",
        _("Appeals received and the share answered on time, by month"),
        points,
        period="month",
        count_title=_("Appeals received"),
        share_title=_("Answered on time"),
    )
    ranked = [c for c in report.parts if c.due >= MIN_DUE][:15]
    parts = charts.ranking(
        "report-parts",
        _("Answered on time in the month"),
        [Bar(c.name or c.key, c.on_time.share) for c in ranked],
        label_title=part_title(report.parts_by),
        value_title=_("Answered on time"),
        share=True,
    )
    return [trend] if parts.empty else [trend, parts]


def part_title(parts_by: str) -> str:
    return {"region": _("Region"), "body": _("State body"), "category": _("Topic")}[parts_by]


def _drawn(chart: Chart, to: str) -> Any:
    import vl_convert

    _fonts()
    spec = _sized(chart.spec)
    locale = chart.spec.get("usermeta", {}).get("locale")
    if to == "svg":
        return vl_convert.vegalite_to_svg(spec, vl_version=VEGA_LITE, format_locale=locale)
    return vl_convert.vegalite_to_png(spec, vl_version=VEGA_LITE, scale=2, format_locale=locale)


def _sized(spec: dict[str, Any]) -> dict[str, Any]:
    """The page's spec at a report's width: a page's chart takes the width of its column in
    the browser (charts.js); on paper it is given one."""
    spec = {k: v for k, v in spec.items() if k != "usermeta"}
    if "vconcat" in spec:
        spec["vconcat"] = [panel | {"width": WIDTH} for panel in spec["vconcat"]]
    else:
        spec["width"] = WIDTH - 160  # the bars' labels take the rest
    return spec


def _image_width(png: bytes) -> float:
    """Millimetres for a chart drawn at twice its CSS pixels (a pixel is 1/96 inch)."""
    import struct

    pixels: int = struct.unpack(">I", png[16:20])[0]  # the PNG header's width
    return min(pixels / 2 * 25.4 / 96, 180.0)


def html(report: Report, lang: str) -> str:
    """The report as one HTML document (styles and charts inside it: no other file)."""
    with language(lang):
        context = {
            "lang": lang,
            "r": report,
            "scope": scope_name(report),
            "month": month_label(report.month),
            "figures": key_figures(report.whole),
            "charts": [(c, _drawn(c, "svg")) for c in report_charts(report)],
            "parts": report.parts[:PARTS_SHOWN],
            "part_title": part_title(report.parts_by),
            "share_text": share_text,
            "days_text": days_text,
            "made": i18n.fmt_date(report.made),
        }
        template = make_templates("arna.oversight").env.get_template("report.html")
        return template.render(context)


def pdf(report: Report, lang: str) -> bytes:
    """The report as a PDF: the key figures and the charts, then the parts and the depth."""
    from fpdf import FPDF

    with language(lang):
        doc = FPDF(format="A4")
        doc.set_title(f"Arna — {scope_name(report)} — {month_label(report.month)}")
        doc.set_creator("Arna")
        folder = resources.files("arna.oversight").joinpath("data/fonts")
        for style, file in FONT_FILES.items():
            doc.add_font("Noto", style, str(folder.joinpath(file)))
        doc.set_auto_page_break(auto=True, margin=15)
        doc.add_page()
        _heading(doc, report)
        _table(doc, [(_("Figure"), _("Value"))], key_figures(report.whole), (90, 90))
        for chart in report_charts(report):
            doc.ln(4)
            _text(doc, chart.caption, bold=True)
            png = _drawn(chart, "png")
            doc.image(io.BytesIO(png), w=_image_width(png))
        doc.add_page()
        _text(doc, part_title(report.parts_by), bold=True, size=13)
        head = (part_title(report.parts_by), _("Received"), _("On time"), _("Days to answer"))
        rows = [
            (c.name or c.key, i18n.fmt_number(c.received), share_text(c, "on_time"),
             days_text(c.answer))
            for c in report.parts[:PARTS_SHOWN]
        ]  # fmt: skip
        _table(doc, [head], rows, (80, 25, 45, 30))
        doc.ln(4)
        _depth(doc, report)
        doc.ln(4)
        _text(doc, _notes(), size=9)
        return bytes(doc.output())


def _heading(doc: Any, report: Report) -> None:
    title = _("Monthly report: %(scope)s") % {"scope": scope_name(report)}
    _text(doc, title, bold=True, size=16)
    _text(doc, month_label(report.month), size=12)
    _text(doc, _("Made on %(day)s by Arna") % {"day": i18n.fmt_date(report.made)}, size=9)
    doc.ln(3)


def _depth(doc: Any, report: Report) -> None:
    _text(doc, _("How high problems climb"), bold=True, size=13)
    row = report.depth
    if row is None:
        _text(doc, _("No problem filed this month has been solved yet."))
        return
    labels = (_("Where filed"), _("One level up"), _("Two levels or more"))
    rows = [
        (label, f"{i18n.fmt_share(s.share)} ({i18n.fmt_share(s.low)}–{i18n.fmt_share(s.high)})")
        for label, s in zip(labels, row.climbed, strict=True)
    ]
    national = row.to_national
    rows.append(
        (
            _("By a national body"),
            f"{i18n.fmt_share(national.share)} ({i18n.fmt_share(national.low)}–"
            f"{i18n.fmt_share(national.high)})",
        )
    )
    _table(doc, [(_("Solved"), i18n.fmt_number(row.solved))], rows, (90, 90))


def _notes() -> str:
    return (
        _(
            "Shares with their 95 %% intervals (Wilson); days are working days, the median "
            "with its distribution-free interval. The figures count the appeals state bodies "
            "received in the month. How each figure is made: docs/methodology.md; every figure "
            "as open data: /api/v1/oversight/open-data."
        )
        % {}
    )


def _printable(text: str) -> str:
    """Babel's narrow no-break space ("71 %" in kk and ru) has no glyph in the report font:
    the no-break space holds the same place."""
    return text.replace("\u202f", "\u00a0")


def _text(doc: Any, text: str, *, bold: bool = False, size: float = 10) -> None:
    doc.set_font("Noto", "B" if bold else "", size)
    doc.multi_cell(0, size * 0.5, _printable(text), new_x="LMARGIN", new_y="NEXT")


def _table(
    doc: Any,
    head: Sequence[tuple[str, ...]],
    rows: Sequence[tuple[str, ...]],
    widths: tuple[int, ...],
) -> None:
    doc.set_font("Noto", "", 9)
    with doc.table(col_widths=widths, text_align="LEFT", line_height=5) as table:
        for line in [*head, *rows]:
            cells = table.row()
            for value in line:
                cells.cell(_printable(value))
