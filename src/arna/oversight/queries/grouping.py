"""How oversight's figures are grouped and narrowed: by body, region, category or month, and to
one month and one region or body (the scorecards and the escalation depth index alike)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, String, cast, func
from sqlalchemy.orm import Session

from arna.appeals.models import Appeal
from arna.oversight.queries import Scope, local_day

BY = ("body", "region", "category", "month")


def month_of(session: Session, moment: Any) -> ColumnElement[Any]:
    """YYYY-MM of a stored UTC instant, in Kazakhstan, computed by the database."""
    return func.substr(cast(local_day(session, moment), String), 1, 7)


def group_key(session: Session, by: str, body: Any, moment: Any) -> ColumnElement[Any]:
    """The group of a row: its `body`, its appeal's region or category, or the month of its
    `moment`; ValueError for another grouping."""
    if by not in BY:
        raise ValueError(f"by: choose from {', '.join(BY)} (not {by!r})")
    if by == "body":
        return body  # type: ignore[no-any-return]
    if by == "region":
        return func.coalesce(Appeal.region_kato, "none")
    if by == "category":
        return func.coalesce(Appeal.category_id, "none")
    return month_of(session, moment)


def within(
    session: Session, month: str | None, scope: Scope, body: Any, moment: Any
) -> list[ColumnElement[bool]]:
    """Rows whose `moment` falls in `month` (YYYY-MM), of a region's appeals or of one `body`."""
    where = [month_of(session, moment) == month] if month is not None else []
    if scope is not None:
        kind, key = scope
        where.append(Appeal.region_kato == key if kind == "region" else body == key)
    return where
