"""The figures of a survey's page, made from the queries' views: per question the shares with
their 95 % margins of error (a table, a chart drawn on the server and the note on how they were
made), overall and, when asked, by a raking variable; the weighting in plain words; the trust
index by institution and month. No SQL here: the session is handed to the queries."""

from __future__ import annotations

from datetime import date
from math import ceil
from typing import Any

from babel.dates import format_skeleton
from sqlalchemy.orm import Session

from arna.core import i18n
from arna.core.errors import ValidationFailed
from arna.geo.reference import units
from arna.surveys import policy, queries
from arna.surveys.margins import SOURCE
from arna.surveys.models import Survey
from arna.surveys.pages import plots
from arna.surveys.pages.views import (
    category_name,
    decimal,
    institution_name,
    share1,
    variable_name,
)
from arna.surveys.schemas import CellOut, QuestionResult, ResultsOut, TrustOut, WeightsReport
from arna.web.charts import period_label

_ = i18n.gettext_
METHOD = "docs/methodology.md#surveys"


def _ticks() -> dict[float, str]:
    return {t: i18n.fmt_share(t) for t in plots.TICKS}


def _interval(share: float | None, moe: float | None) -> str:
    if share is None or moe is None:
        return "—"
    return _("%(low)s to %(high)s") % {
        "low": share1(max(0.0, share - moe)),
        "high": share1(min(1.0, share + moe)),
    }


def _pm(share: float | None, moe: float | None) -> str:
    """A share and its margin in one cell: "42.1% ± 2.5"."""
    if share is None:
        return "—"
    return _("%(share)s ± %(moe)s") % {"share": share1(share), "moe": decimal((moe or 0) * 100, 1)}


def margins_text(report: WeightsReport) -> str:
    """What the weights were raked to, in words: "region, sex, urban or rural"."""
    return ", ".join(variable_name(v) for v in report.variables)


def sources_text(report: WeightsReport) -> str:
    given = set(report.margins_source.values())
    found = []
    if SOURCE in given:
        found.append(_("the Bureau of National Statistics, 1 January 2023"))
    if given - {SOURCE}:
        found.append(_("margins given for this survey"))
    return "; ".join(found)


def note(weighted: bool, report: WeightsReport, minimum_n: int) -> str:
    """How every figure of the page is made, said next to it."""
    values = {"minimum": i18n.fmt_number(minimum_n), "method": METHOD}
    if weighted:
        values |= {"margins": margins_text(report), "source": sources_text(report)}
        return (
            _(
                "Weighted by raking to the population's margins of %(margins)s (%(source)s). "
                "Each share's 95 %% margin of error is 1.96·√(deff·p(1−p)/n), n the respondents "
                "who answered and deff the design effect of the weights; a cell of fewer than "
                "%(minimum)s respondents shows no figure. How: %(method)s."
            )
            % values
        )
    return (
        _(
            "Unweighted: the shares of the respondents as they answered, not weighted to the "
            "population. Each share's 95 %% margin of error is 1.96·√(p(1−p)/n), n the "
            "respondents who answered; a cell of fewer than %(minimum)s respondents shows no "
            "figure. How: %(method)s."
        )
        % values
    )


def suppressed_text(n: int, minimum_n: int) -> str:
    return _(
        "Suppressed: %(n)s respondents answered, fewer than the %(minimum)s a figure needs."
    ) % {"n": i18n.fmt_number(n), "minimum": i18n.fmt_number(minimum_n)}


def cell_name(by: str, code: str | None) -> str:
    if code is None:
        return _("Everyone")
    if by == policy.REGION:
        unit = units().get(code)
        return unit.name(i18n.current()) if unit else code
    return category_name(code)


def _figures(cell: CellOut) -> dict[str, str]:
    return {
        "n": i18n.fmt_number(cell.n),
        "effective_n": decimal(cell.effective_n, 0),
        "deff": decimal(cell.deff),
    }


def _question(
    q: QuestionResult, minimum_n: int, by: str | None, cells: list[CellOut]
) -> dict[str, Any]:
    overall = q.cells[0] if q.cells else None
    shares = overall.shares if overall else []
    rows = [
        {
            "label": s.label,
            "share": share1(s.share),
            "moe": decimal(None if s.moe is None else s.moe * 100, 1),
            "interval": _interval(s.share, s.moe),
        }
        for s in shares
    ]
    shown = overall is not None and not overall.suppressed
    plot = plots.bars(
        [plots.Share(s.label, s.share, s.moe, share1(s.share)) for s in shares], _ticks()
    ) if shown else None  # fmt: skip
    return {
        "key": q.key,
        "label": q.label,
        "multiple": q.type == "select_multiple",
        "figures": _figures(overall) if overall else None,
        "suppressed": suppressed_text(overall.n, minimum_n)
        if overall and overall.suppressed
        else "",
        "rows": rows,
        "plot": plot,
        "choices": [s.label for s in shares],
        "cells": [
            {
                "name": cell_name(by, c.cell) if by else "",
                "n": i18n.fmt_number(c.n),
                "suppressed": suppressed_text(c.n, minimum_n) if c.suppressed else "",
                "shares": [_pm(s.share, s.moe) for s in c.shares],
            }
            for c in cells
        ],
    }


def question_views(results: ResultsOut, broken: ResultsOut | None) -> list[dict[str, Any]]:
    by = broken.by if broken else None
    cells = {q.key: q.cells for q in broken.questions} if broken else {}
    found = [q for q in results.questions if q.cells]  # a question nobody answered: no figure
    return [_question(q, results.minimum_n, by, cells.get(q.key, [])) for q in found]


def _start(text: str) -> date:
    year, month = text.split("-")
    return date(int(year), int(month), 1)


def _month(text: str) -> str:
    return period_label(_start(text), "month")


def _tick(text: str, i: int, every: int) -> str:
    """A month on a chart's axis: its short name, every `every`-th month (the table has all)."""
    return format_skeleton("MMM", _start(text), locale=i18n.current()) if i % every == 0 else ""


def trust_view(trust: TrustOut) -> dict[str, Any] | None:
    """The share trusting each institution, in the country and month by month."""
    if not trust.institutions:
        return None
    months = sorted({c.month for c in trust.over_time if c.month})
    step = max(1, ceil(len(months) / 6))
    country = {c.institution: c for c in trust.cells if c.level == "country"}
    rows = []
    for code in trust.institutions:
        by_month = {c.month: c for c in trust.over_time if c.institution == code}
        name = institution_name(code)
        whole = country.get(code)
        cells = [by_month.get(m) for m in months]
        points = [
            plots.Point(_tick(m, i, step), None if c is None or c.suppressed else c.share,
                        None if c is None else c.moe)
            for i, (m, c) in enumerate(zip(months, cells, strict=True))
        ]  # fmt: skip
        rows.append(
            {
                "code": code,
                "name": name,
                "all": _pm(whole.share, whole.moe) if whole and not whole.suppressed else "—",
                "months": [
                    "—" if c is None
                    else _("suppressed (n = %(n)s)") % {"n": i18n.fmt_number(c.n)} if c.suppressed
                    else _pm(c.share, c.moe)
                    for c in cells
                ],
                "plot": plots.trend(points, _ticks()),
            }
        )  # fmt: skip
    return {"months": [_month(m) for m in months], "rows": rows}


def trust_of(session: Session, survey: Survey) -> TrustOut | None:
    """The trust index, or None when the form's trust questions are not on a 4- or 5-point
    scale."""
    try:
        return queries.trust_of(session, survey)
    except ValidationFailed:
        return None


def weighting_facts(report: WeightsReport) -> list[tuple[str, str]]:
    """(label, value) of the last weighting, for the survey's facts."""
    if report.weighted_at is None:
        return []
    return [
        (_("Weighted to"), margins_text(report)),
        (_("Source of the margins"), sources_text(report)),
        (_("Left out (a raking variable unknown)"), i18n.fmt_number(report.left_out)),
        (_("Weights trimmed"), i18n.fmt_number(report.trimmed)),
    ]
