"""Reads of representatives: deputies with their mandates, attendance and votes, the factions'
scorecards, and the cost of parliament, every figure with its source.

* attendance: the sittings a deputy's attendance is recorded for, those they were present at,
  and the share with its Wilson 95 % interval;
* votes: the roll calls a deputy's choice is recorded for, by choice (for, against, abstain,
  absent), and the share they took part in (any choice but absent);
* a faction's scorecard adds up its deputies' records the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from arna.core.intervals import wilson
from arna.representatives.models import (
    Attendance,
    CostFigure,
    Deputy,
    Legislature,
    Party,
    RollCall,
    VoteRecord,
)

CHOICES = ("for", "against", "abstain", "absent")
VOTES_SHOWN = 50


@dataclass(frozen=True)
class Rate:
    """k of n with its Wilson 95 % interval (share None when n is 0)."""

    count: int
    n: int
    share: float | None
    low: float
    high: float

    @classmethod
    def of(cls, count: int, n: int) -> Rate:
        low, high = wilson(count, n)
        share = round(count / n, 4) if n else None
        return cls(count, n, share, round(low, 4), round(high, 4))


@dataclass(frozen=True)
class DeputyRow:
    id: str
    name: str
    legislature: str
    legislature_name: str
    party: str | None
    party_name: str | None
    mandate: str
    constituency: str | None
    region_kato: str | None
    valid_from: date
    valid_to: date | None
    source: str
    attendance: Rate
    voted: Rate  # roll calls taken part in (not absent), of those recorded


@dataclass(frozen=True)
class Vote:
    id: str
    day: date
    title: str
    choice: str
    source: str


@dataclass(frozen=True)
class DeputyPage:
    deputy: DeputyRow
    choices: dict[str, int]
    votes: list[Vote]
    attendance_sources: list[str]
    costs: list[dict[str, Any]] = field(default_factory=list)


def _name(row: Any, lang: str) -> str:
    return str(getattr(row, f"name_{lang}", None) or row.name_en)


def _records(session: Session, ids: list[str]) -> tuple[dict[str, Rate], dict[str, Rate]]:
    present = func.sum(case((Attendance.present.is_(True), 1), else_=0))
    attendance = {
        d: Rate.of(int(k or 0), int(n))
        for d, k, n in session.execute(
            select(Attendance.deputy_id, present, func.count())
            .where(Attendance.deputy_id.in_(ids))
            .group_by(Attendance.deputy_id)
        )
    }
    took_part = func.sum(case((VoteRecord.choice != "absent", 1), else_=0))
    voted = {
        d: Rate.of(int(k or 0), int(n))
        for d, k, n in session.execute(
            select(VoteRecord.deputy_id, took_part, func.count())
            .where(VoteRecord.deputy_id.in_(ids))
            .group_by(VoteRecord.deputy_id)
        )
    }
    return attendance, voted


def deputies(
    session: Session, lang: str = "en", party: str | None = None, deputy: str | None = None
) -> list[DeputyRow]:
    """The deputies (of one party, or one deputy), by name, with their records' figures."""
    query = (
        select(Deputy, Legislature, Party)
        .join(Legislature, Legislature.id == Deputy.legislature_id)
        .outerjoin(Party, Party.id == Deputy.party_id)
    )
    if party is not None:
        query = query.where(Deputy.party_id == party)
    if deputy is not None:
        query = query.where(Deputy.id == deputy)
    found = session.execute(query).all()
    attendance, voted = _records(session, [d.id for d, _, _ in found])
    rows = [
        DeputyRow(
            id=d.id,
            name=d.name,
            legislature=chamber.id,
            legislature_name=_name(chamber, lang),
            party=d.party_id,
            party_name=_name(p, lang) if p else None,
            mandate=d.mandate,
            constituency=d.constituency,
            region_kato=d.region_kato,
            valid_from=d.valid_from,
            valid_to=d.valid_to,
            source=d.source,
            attendance=attendance.get(d.id, Rate.of(0, 0)),
            voted=voted.get(d.id, Rate.of(0, 0)),
        )
        for d, chamber, p in found
    ]
    return sorted(rows, key=lambda r: (r.name.casefold(), r.id))


def deputy_page(session: Session, deputy_id: str, lang: str = "en") -> DeputyPage | None:
    found = deputies(session, lang, deputy=deputy_id)
    if not found:
        return None
    row = found[0]
    choices = dict.fromkeys(CHOICES, 0)
    for choice, n in session.execute(
        select(VoteRecord.choice, func.count())
        .where(VoteRecord.deputy_id == deputy_id)
        .group_by(VoteRecord.choice)
    ):
        choices[str(choice)] = int(n)
    votes = [
        Vote(call.id, call.day, call.title, record.choice, call.source)
        for record, call in session.execute(
            select(VoteRecord, RollCall)
            .join(RollCall, RollCall.id == VoteRecord.roll_call_id)
            .where(VoteRecord.deputy_id == deputy_id)
            .order_by(RollCall.day.desc(), RollCall.id)
            .limit(VOTES_SHOWN)
        ).all()
    ]
    sources = sorted(
        set(session.scalars(select(Attendance.source).where(Attendance.deputy_id == deputy_id)))
    )
    return DeputyPage(row, choices, votes, sources, costs_for(session, row))


def costs_for(session: Session, deputy: DeputyRow) -> list[dict[str, Any]]:
    """Parliament's cost lines of the years of the deputy's mandate (all years when none falls
    in it), with their sources: a deputy's own cost is not published, only these."""
    lines = cost_lines(session)
    last = (deputy.valid_to or date.today()).year
    inside = [c for c in lines if deputy.valid_from.year <= c["year"] <= last]
    return inside or lines


def cost_lines(session: Session) -> list[dict[str, Any]]:
    rows = session.scalars(select(CostFigure).order_by(CostFigure.year.desc(), CostFigure.id))
    return [
        {
            "year": c.year,
            "figure": c.figure,
            "value_kzt": c.value_kzt,
            "value_text": c.value_text,
            "unit": c.unit,
            "derived": c.derived,
            "notes": c.notes,
            "source": c.source,
        }
        for c in rows
    ]


@dataclass(frozen=True)
class Faction:
    party: str | None
    name: str | None
    deputies: int
    attendance: Rate
    voted: Rate


def factions(session: Session, lang: str = "en") -> list[Faction]:
    """Each party's deputies added up (None: deputies of no party), most deputies first."""
    groups: dict[str | None, list[DeputyRow]] = {}
    for row in deputies(session, lang):
        groups.setdefault(row.party, []).append(row)
    found = []
    for party, rows in groups.items():
        found.append(
            Faction(
                party=party,
                name=rows[0].party_name,
                deputies=len(rows),
                attendance=Rate.of(
                    sum(r.attendance.count for r in rows), sum(r.attendance.n for r in rows)
                ),
                voted=Rate.of(sum(r.voted.count for r in rows), sum(r.voted.n for r in rows)),
            )
        )
    return sorted(found, key=lambda f: (-f.deputies, f.party or "~"))
