"""The workbench's reads: the officials' list of appeals and the supervisor's figures.

A queries room of its own (`queries.py` holds the access-checked getters and the views): it
only reads. The list is filtered, searched, sorted and cut into pages by the database, so a
body with 50,000 appeals costs the same page as one with 50. What a list may hold is its
*scope*, decided by the caller from the actor: the bodies whose appeals it shows, or None for
every body (admins).

The request's words become a `ListQuery` here too (`ListQuery.parse`): a value that is not on
offer is dropped, so nothing a visitor types is echoed back or reaches SQL but the search text,
which goes in as a bound LIKE pattern.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select, true
from sqlalchemy.orm import Session

from arna.appeals.models import Appeal, Assignment
from arna.appeals.policy import OPEN, STATUSES
from arna.bodies.competence import categories
from arna.core.clock import WorkingCalendar
from arna.geo.reference import units
from arna.text.redact import redact

PER_PAGE = 25
Scope = Collection[str] | None  # the bodies a list shows; None: every body

# Column -> (what it sorts by, the direction a first click asks for).
SORTS: dict[str, tuple[Any, str]] = {
    "due": (Appeal.due_date, "asc"),
    "registered": (Appeal.registered_at, "desc"),
    "number": (Appeal.number, "asc"),
    "depth": (Appeal.escalation_depth, "desc"),
}
STATUS_CHOICES = ("open", "all", *STATUSES)
DUE_CHOICES = ("overdue", "3", "5", "10")  # overdue, or due within so many working days
NO_PLACE = "none"  # the place filter's value for appeals whose place is not known
NO_TOPIC = "none"  # the topic filter's value for appeals that need triage
_DIGITS = re.compile(r"[0-9]{1,6}")
_KATO = re.compile(r"[0-9]{9}")
EXCERPT = 180


@dataclass(frozen=True)
class ListQuery:
    """What the official asked the list for; the defaults are what an empty form means."""

    status: str = "open"
    category: str = ""
    due: str = ""
    place: str = ""
    escalated: str = ""
    q: str = ""
    sort: str = "due"
    order: str = "asc"
    page: int = 1

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> ListQuery:
        """The request's words, each kept only when it is one of the values on offer."""

        def pick(name: str, allowed: Collection[str], default: str = "") -> str:
            value = params.get(name, "")
            return value if value in allowed else default

        place = params.get("place", "")
        unit = units().get(place) if _KATO.fullmatch(place) else None
        known_place = place == NO_PLACE or (unit is not None and unit.level > 0)
        sort = pick("sort", SORTS, "due")
        page = params.get("page", "1")
        return cls(
            status=pick("status", STATUS_CHOICES, "open"),
            category=pick("category", {*categories(), NO_TOPIC}),
            due=pick("due", DUE_CHOICES),
            place=place if known_place else "",
            escalated=pick("escalated", ("yes", "no")),
            q=" ".join(params.get("q", "").split())[:100],
            sort=sort,
            order=pick("order", ("asc", "desc"), SORTS[sort][1]),
            page=min(int(page), 10_000) if _DIGITS.fullmatch(page) and int(page) > 0 else 1,
        )

    def params(self, **changes: Any) -> dict[str, str]:
        """The query as URL parameters (defaults left out), with `changes` made."""
        changed = replace(self, **changes)
        plain = ListQuery()
        out = {}
        for f in fields(self):
            value = getattr(changed, f.name)
            default = SORTS[changed.sort][1] if f.name == "order" else getattr(plain, f.name)
            if value != default:
                out[f.name] = str(value)
        return out

    def due_by(self, today: date, calendar: WorkingCalendar) -> date | None:
        """The last due date "due within N working days" takes in."""
        if self.due.isdigit():
            return calendar.add_working_days(today, int(self.due))
        return None


@dataclass(frozen=True)
class WorkRow:
    """One appeal of a list, with what its badge is computed from."""

    number: str
    excerpt: str
    category: str | None
    kato: str | None
    region_kato: str | None
    status: str
    body_id: str
    registered_at: datetime
    due_date: date
    escalation_depth: int
    public: bool
    needs_triage: bool
    outcome: str | None
    answered_at: datetime | None
    feedback_resolved: bool | None
    stalled: bool
    held_since: datetime | None = None
    held_reason: str = "routed"
    language: str = ""


@dataclass(frozen=True)
class WorkPage:
    rows: list[WorkRow]
    total: int
    page: int
    pages: int
    per_page: int = PER_PAGE
    places: list[str] = field(default_factory=list)  # KATO codes the scope's appeals are at


def excerpt(text: str, limit: int = EXCERPT) -> str:
    """The start of the text, redacted, cut at a word: what the problem is, at a glance."""
    plain = " ".join(redact(text).split())
    if len(plain) <= limit:
        return plain
    cut = plain[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",.;:—-") + "…"


def in_scope(scope: Scope) -> ColumnElement[bool]:
    return true() if scope is None else Appeal.body_id.in_(sorted(scope))


def _contains(session: Session, column: Any, words: str) -> ColumnElement[bool]:
    """Case-insensitive "contains" on both databases. PostgreSQL's ILIKE folds every
    alphabet; SQLite's LIKE folds only A-Z, so there the usual spellings of the words
    (as typed, lower case, upper case, capitalised) are each looked for."""
    escaped = words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    if session.get_bind().dialect.name == "postgresql":
        folded: ColumnElement[bool] = column.ilike(f"%{escaped}%", escape="\\")
        return folded
    forms = dict.fromkeys(
        (escaped, escaped.lower(), escaped.upper(), escaped.capitalize(), escaped.title())
    )
    return or_(*(column.like(f"%{form}%", escape="\\") for form in forms))


def _conditions(
    session: Session, scope: Scope, query: ListQuery, today: date, due_by: date | None
) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = [in_scope(scope)]
    if query.status == "open":
        where.append(Appeal.status.in_(OPEN))
    elif query.status != "all":
        where.append(Appeal.status == query.status)
    if query.category == NO_TOPIC:
        where.append(Appeal.category_id.is_(None))
    elif query.category:
        where.append(Appeal.category_id == query.category)
    if query.due == "overdue":
        where += [Appeal.status.in_(OPEN), Appeal.due_date < today]
    elif due_by is not None:
        where += [Appeal.status.in_(OPEN), Appeal.due_date >= today, Appeal.due_date <= due_by]
    if query.place == NO_PLACE:
        where.append(Appeal.kato.is_(None))
    elif query.place:
        level = units()[query.place].level
        where.append((Appeal.region_kato if level == 1 else Appeal.kato) == query.place)
    if query.escalated:
        depth = Appeal.escalation_depth
        where.append(depth > 0 if query.escalated == "yes" else depth == 0)
    if query.q:
        where.append(
            or_(
                _contains(session, Appeal.number, query.q), _contains(session, Appeal.text, query.q)
            )
        )
    return where


_ROW_COLUMNS = (
    Appeal.id,
    Appeal.number,
    func.substr(Appeal.text, 1, 2 * EXCERPT + 100),  # the excerpt's part, redacted whole
    Appeal.category_id,
    Appeal.kato,
    Appeal.region_kato,
    Appeal.status,
    Appeal.body_id,
    Appeal.registered_at,
    Appeal.due_date,
    Appeal.escalation_depth,
    Appeal.public,
    Appeal.needs_triage,
    Appeal.outcome,
    Appeal.answered_at,
    Appeal.feedback_resolved,
    Appeal.stalled_at_top,
    Appeal.language,
)


def work_page(
    session: Session,
    scope: Scope,
    query: ListQuery,
    today: date,
    calendar: WorkingCalendar,
    per_page: int = PER_PAGE,
) -> WorkPage:
    """One page of the appeals in `scope` that the query asks for, in its order."""
    where = _conditions(session, scope, query, today, query.due_by(today, calendar))
    total = session.scalar(select(func.count(Appeal.id)).where(*where)) or 0
    pages = max(1, -(-total // per_page))
    column, _first = SORTS[query.sort]
    ordered = (column.desc(), Appeal.id.desc()) if query.order == "desc" else (column, Appeal.id)
    found = session.execute(
        select(*_ROW_COLUMNS)
        .where(*where)
        .order_by(*ordered)
        .offset((query.page - 1) * per_page)
        .limit(per_page)
    ).all()
    holds = current_holds(session, [r[0] for r in found])
    rows = [_row(tuple(r), holds.get(r[0])) for r in found]
    return WorkPage(rows, total, query.page, pages, per_page, places_of(session, scope))


def _row(r: tuple[Any, ...], hold: tuple[datetime, str] | None) -> WorkRow:
    since, reason = hold or (None, "routed")
    return WorkRow(
        r[1], excerpt(r[2] or ""), r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11],
        r[12], r[13], r[14], r[15], stalled=bool(r[16]), held_since=since, held_reason=reason,
        language=r[17],
    )  # fmt: skip


def current_holds(session: Session, ids: list[int]) -> dict[int, tuple[datetime, str]]:
    """When and why the body holding each appeal got it: its latest assignment."""
    if not ids:
        return {}
    latest = (
        select(func.max(Assignment.id))
        .where(Assignment.appeal_id.in_(ids))
        .group_by(Assignment.appeal_id)
    )
    found = session.execute(
        select(Assignment.appeal_id, Assignment.started_at, Assignment.reason).where(
            Assignment.id.in_(latest)
        )
    )
    return {row[0]: (row[1], row[2]) for row in found}


def places_of(session: Session, scope: Scope) -> list[str]:
    """The KATO codes of the places the appeals in scope are about (for the place filter)."""
    found = session.scalars(select(Appeal.kato).where(in_scope(scope)).distinct())
    return sorted(k for k in found if k)
