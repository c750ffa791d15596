"""The figures of a monthly report: the country's, a region's or one body's month.

For the month (the assignments received in it, Kazakhstan time): the scorecard of the whole
(docs/methodology.md, "Scorecards"), the twelve months up to it, the parts (the country's
regions, a region's bodies, a body's topics) and the escalation depth of the problems filed in
the month and solved since. Rendered as HTML and PDF by `oversight.reporting`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from arna.bodies.models import Body
from arna.geo.models import KatoUnit
from arna.oversight.queries import Scope, today
from arna.oversight.queries.depth import DepthRow, escalation_depth, names_of
from arna.oversight.queries.scorecard import Scorecard, scorecards

KINDS = ("national", "region", "body")
MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
MONTHS_SHOWN = 12
PARTS = {"national": "region", "region": "body", "body": "category"}


class UnknownScope(LookupError):
    """No region or body of that key."""


@dataclass(frozen=True)
class Report:
    kind: str  # national | region | body
    key: str  # "" for the country
    name: str  # "" for the country (the renderer names it in its language)
    month: str  # YYYY-MM
    whole: Scorecard  # the month, of the country, the region or the body
    months: list[tuple[str, Scorecard | None]]  # the twelve months up to it (None: no appeal)
    parts: list[Scorecard]  # regions, bodies or topics, in the month
    parts_by: str  # region | body | category
    depth: DepthRow | None  # problems filed in the month and solved since
    made: date


def month_of(text: str) -> str:
    """`text` if it names a month (YYYY-MM), else ValueError saying how to write one."""
    if not MONTH.match(text):
        raise ValueError(f"month: write it as YYYY-MM, e.g. 2026-10 (not {text!r})")
    return text


def months_up_to(month: str, count: int) -> list[str]:
    year, number = int(month[:4]), int(month[5:])
    found = []
    for _ in range(count):
        found.append(f"{year:04d}-{number:02d}")
        year, number = (year, number - 1) if number > 1 else (year - 1, 12)
    return found[::-1]


def report(session: Session, kind: str, month: str, key: str = "", lang: str = "en") -> Report:
    """The figures of one monthly report (ValueError for a bad kind or month, UnknownScope for
    a region or body that does not exist)."""
    if kind not in KINDS:
        raise ValueError(f"report: national, region or body (not {kind!r})")
    month = month_of(month)
    scope: Scope = None
    name = ""
    if kind != "national":
        table = KatoUnit.kato if kind == "region" else Body.id
        if not key or session.scalar(select(table).where(table == key)) is None:
            raise UnknownScope(f"no {kind} {key!r}")
        scope = (kind, key)
        name = names_of(session, kind, [key], lang).get(key, key)
    by_month, _ = scorecards(session, "month", lang, scope=scope)
    known = {c.key: c for c in by_month}
    months = [(m, known.get(m)) for m in months_up_to(month, MONTHS_SHOWN)]
    parts_by = PARTS[kind]
    # The parts' whole is the month's whole: the same assignments, added up.
    parts, whole = scorecards(session, parts_by, lang, month=month, scope=scope)
    depth = escalation_depth(session, "month", lang, key=month, month=month, scope=scope)
    return Report(
        kind=kind,
        key=key,
        name=name,
        month=month,
        whole=whole,
        months=months,
        parts=sorted(parts, key=lambda c: (-c.received, c.key)),
        parts_by=parts_by,
        depth=depth[0] if depth else None,
        made=today(),
    )
