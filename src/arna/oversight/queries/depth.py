"""The escalation depth index: how high a problem had to climb before it was solved.

For every solved problem (an appeal its applicant closed saying the answer solved it), the
number of times it went up to the body above before that answer (it missed a deadline, or the
applicant disputed a lower body's answer), and whether it was solved by a national body when it
was filed with a lower one. Grouped by the body it was filed with, its region, its category or
the month it was filed; each share with its Wilson 95 % interval (docs/methodology.md).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session, aliased

from arna.appeals.models import Appeal, Assignment
from arna.bodies.models import AppealCategory, Body, BodyType
from arna.core.intervals import wilson
from arna.geo.models import KatoUnit
from arna.oversight.queries import MIN_DUE, Scope
from arna.oversight.queries.grouping import group_key, within

NATIONAL = "republican"  # the level of ministries, agencies and their committees
CLIMBS = (0, 1, 2)  # the last counts two climbs or more
DRILL_LIMIT = 200


@dataclass(frozen=True)
class Share:
    count: int
    share: float
    low: float
    high: float


@dataclass(frozen=True)
class DepthRow:
    key: str
    name: str
    solved: int
    climbed: tuple[Share, ...]  # no climb, one, two or more
    to_national: Share  # solved by a national body, filed with a lower one
    too_few: bool  # fewer solved problems than a share can be read from

    def as_dict(self) -> dict[str, Any]:
        """The row as the API and `arna oversight depth --json` give it."""
        none, once, more = (asdict(c) for c in self.climbed)
        return {
            "key": self.key,
            "name": self.name,
            "solved": self.solved,
            "climbed_none": none,
            "climbed_once": once,
            "climbed_twice_or_more": more,
            "to_national": asdict(self.to_national),
            "too_few": self.too_few,
        }


def share_of(count: int, n: int) -> Share:
    low, high = wilson(count, n)
    return Share(count, round(count / n, 4) if n else 0.0, round(low, 4), round(high, 4))


def _key(session: Session, by: str, filed: Any) -> ColumnElement[Any]:
    return group_key(session, by, filed.body_id, Appeal.registered_at)


def _solved(session: Session, by: str, month: str | None = None, scope: Scope = None) -> Any:
    """(key, climbs, solved nationally, filed nationally) per solved problem (filed in `month`,
    in `scope`, when given), as a subquery."""
    first = (
        select(Assignment.appeal_id, func.min(Assignment.id).label("first_id"))
        .group_by(Assignment.appeal_id)
        .subquery()
    )
    filed = aliased(Assignment)
    filed_body, solved_body = aliased(Body), aliased(Body)
    filed_kind, solved_kind = aliased(BodyType), aliased(BodyType)
    return (
        select(
            _key(session, by, filed).label("key"),
            Appeal.escalation_depth.label("climbs"),
            (solved_kind.level == NATIONAL).label("national"),
            (filed_kind.level == NATIONAL).label("filed_national"),
            Appeal.number,
            Appeal.public,
        )
        .join(first, first.c.appeal_id == Appeal.id)
        .join(filed, filed.id == first.c.first_id)
        .join(filed_body, filed_body.id == filed.body_id)
        .join(filed_kind, filed_kind.id == filed_body.kind)
        .join(solved_body, solved_body.id == Appeal.body_id)
        .join(solved_kind, solved_kind.id == solved_body.kind)
        .where(Appeal.status == "closed", Appeal.feedback_resolved.is_(True))
        .where(*within(session, month, scope, filed.body_id, Appeal.registered_at))
        .subquery()
    )


def escalation_depth(
    session: Session,
    by: str,
    lang: str = "en",
    key: str | None = None,
    month: str | None = None,
    scope: Scope = None,
) -> list[DepthRow]:
    """One row per body, region, category or month (`by`) with solved problems; only the
    group `key` when given; only problems filed in `month`, in `scope`, when given."""
    solved = _solved(session, by, month, scope)
    groups = (solved.c.key, solved.c.climbs, solved.c.national, solved.c.filed_national)
    query = select(*groups, func.count()).group_by(*groups)
    if key is not None:
        query = query.where(solved.c.key == key)
    rows = session.execute(query).all()
    tally: dict[str, list[int]] = {}  # key -> [solved, no climb, one, two or more, to national]
    for key, depth, national, filed_national, count in rows:
        found = tally.setdefault(str(key), [0, 0, 0, 0, 0])
        found[0] += count
        found[1 + min(int(depth), 2)] += count
        if national and not filed_national:
            found[4] += count
    names = names_of(session, by, list(tally), lang)
    out = [
        DepthRow(
            key=key,
            name=names.get(key, key),
            solved=t[0],
            climbed=tuple(share_of(c, t[0]) for c in t[1:4]),
            to_national=share_of(t[4], t[0]),
            too_few=t[0] < MIN_DUE,
        )
        for key, t in tally.items()
    ]
    return sorted(out, key=lambda r: (r.too_few, r.key))  # an order, not a ranking


def index(session: Session, by: str, lang: str = "en") -> dict[str, Any]:
    """The index as the API and `arna oversight depth --json` give it."""
    rows = escalation_depth(session, by, lang)
    return {"by": by, "min_solved": MIN_DUE, "rows": [r.as_dict() for r in rows]}


def depth_appeals(session: Session, by: str, key: str, climbed: int) -> list[Appeal]:
    """The public appeals behind one share: the solved problems of group `key` that climbed
    `climbed` times (2: two or more), newest first; private ones are not listed."""
    if climbed not in CLIMBS:
        raise ValueError(f"climbed: 0, 1 or 2 (two or more), not {climbed}")
    solved = _solved(session, by)
    depth = solved.c.climbs >= 2 if climbed == 2 else solved.c.climbs == climbed
    numbers = (
        select(solved.c.number)
        .where(solved.c.key == key, depth, solved.c.public.is_(True))
        .scalar_subquery()
    )
    found = session.scalars(
        select(Appeal)
        .where(Appeal.number.in_(numbers))
        .order_by(Appeal.registered_at.desc(), Appeal.number.desc())
        .limit(DRILL_LIMIT)
    )
    return list(found)


def names_of(session: Session, by: str, keys: list[str], lang: str) -> dict[str, str]:
    column = {"kk": "name_kk", "ru": "name_ru"}.get(lang, "name_en")
    table: Any = {"body": Body, "region": KatoUnit, "category": AppealCategory}.get(by)
    if table is None or not keys:
        return {}
    ident = table.kato if table is KatoUnit else table.id
    rows = session.execute(select(ident, getattr(table, column)).where(ident.in_(keys)))
    return {str(k): str(name) for k, name in rows}
