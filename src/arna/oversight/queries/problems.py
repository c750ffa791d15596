"""Shared problems: the appeals that report one problem (appeals/actions/problems.py links them)
shown once, with how many people it touches.

A problem is named by the number of its first appeal. It is listed when at least two people
report it (its appeals plus their "me too" supporters) and at least one of its appeals is
public: private appeals count in its figures but are never listed, and a problem of private
appeals alone is not shown at all.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from arna.appeals.models import Appeal
from arna.appeals.policy import OPEN
from arna.oversight.queries import count_if
from arna.text.redact import redact

LISTED = 20  # public appeals listed per problem on the list page
EXCERPT = 240


@dataclass
class Problem:
    number: str  # its first appeal's
    category: str | None
    kato: str | None
    region_kato: str | None
    appeals: int
    public: int
    supporters: int
    open: int
    solved: int  # appeals closed by their applicant saying the answer solved it
    came_back: int  # appeals reporting it again after a body had marked it resolved
    first: datetime
    last: datetime
    excerpt: str = ""  # of its first public appeal, redacted
    language: str = ""
    listed: list[str] = field(default_factory=list)  # numbers of its public appeals

    @property
    def people(self) -> int:
        return self.appeals + self.supporters

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "people": self.people}


def _filters(region: str | None, category: str | None, since: datetime | None) -> list[Any]:
    found: list[Any] = [Appeal.problem_id.is_not(None)]
    if region:
        found.append(Appeal.region_kato == region)
    if category:
        found.append(Appeal.category_id == category)
    if since:
        found.append(Appeal.registered_at >= since)
    return found


def _grouped(session: Session, conditions: list[Any]) -> Any:
    supporters = func.coalesce(func.sum(Appeal.supporters), 0)
    public = count_if(Appeal.public.is_(True))
    return (
        select(
            Appeal.problem_id.label("problem"),
            func.count(Appeal.id).label("appeals"),
            public.label("public"),
            supporters.label("supporters"),
            count_if(Appeal.status.in_(OPEN)).label("open"),
            count_if(and_(Appeal.status == "closed", Appeal.feedback_resolved.is_(True))).label(
                "solved"
            ),
            count_if(Appeal.recurrence_of.is_not(None)).label("came_back"),
            func.min(Appeal.registered_at).label("first"),
            func.max(Appeal.registered_at).label("last"),
        )
        .where(*conditions)
        .group_by(Appeal.problem_id)
        .having(func.count(Appeal.id) + supporters >= 2, public >= 1)
    )


def _problems(session: Session, query: Any) -> list[Problem]:
    rows = session.execute(query).all()
    leads = {
        a.id: a for a in session.scalars(select(Appeal).where(Appeal.id.in_([r[0] for r in rows])))
    }
    found = []
    for pid, n, public, supporters, still_open, solved, came_back, first, last in rows:
        lead = leads[pid]
        found.append(
            Problem(
                lead.number,
                lead.category_id,
                lead.kato,
                lead.region_kato,
                n,
                public,
                int(supporters),
                still_open,
                solved,
                came_back,
                first,
                last,
            )
        )
    _describe(session, found, [r[0] for r in rows])
    return found


def _describe(session: Session, problems: list[Problem], ids: list[int]) -> None:
    """Each problem's first public appeal as its excerpt, and its public appeals' numbers."""
    by_id: dict[int | None, Problem] = dict(zip(ids, problems, strict=True))
    for pid, number, text, language in session.execute(
        select(Appeal.problem_id, Appeal.number, Appeal.text, Appeal.language)
        .where(Appeal.problem_id.in_(ids), Appeal.public.is_(True))
        .order_by(Appeal.problem_id, Appeal.id)
    ):
        problem = by_id[pid]
        if not problem.listed:
            problem.excerpt, problem.language = redact(text)[:EXCERPT], language
        if len(problem.listed) < LISTED:
            problem.listed.append(number)


def shared_problems(
    session: Session,
    *,
    region: str | None = None,
    category: str | None = None,
    since: datetime | None = None,
    limit: int = 50,
) -> list[Problem]:
    """Problems reported by two people or more, those touching most people first."""
    grouped = _grouped(session, _filters(region, category, since)).subquery()
    people = grouped.c.appeals + grouped.c.supporters
    query = select(*grouped.c).order_by(people.desc(), grouped.c.last.desc()).limit(limit)
    return _problems(session, query)


def problem(session: Session, number: str) -> tuple[Problem, list[Appeal]] | None:
    """One listed problem, found by its first appeal's number or by any of its public appeals'
    numbers, with its public appeals (oldest first); None when there is no such problem or it
    is not listed."""
    given = session.execute(
        select(Appeal.id, Appeal.problem_id, Appeal.public).where(Appeal.number == number)
    ).first()
    if given is None or given.problem_id is None:
        return None
    pid = given.problem_id
    if not given.public and given.id != pid:
        return None
    found = _problems(session, _grouped(session, [Appeal.problem_id == pid]))
    if not found:
        return None
    members = session.scalars(
        select(Appeal).where(Appeal.problem_id == pid, Appeal.public.is_(True)).order_by(Appeal.id)
    )
    return found[0], list(members)


def as_json(problems: list[Problem]) -> dict[str, Any]:
    return {"problems": [p.as_dict() for p in problems]}
