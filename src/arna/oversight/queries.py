"""Figures about bodies and places: how the appeals they held were answered.

Counted over every appeal (counts reveal nothing personal) by SQL aggregates. Each period during
which a body held an appeal is one assignment:

* received: assignments of the body (routed to it, forwarded or escalated to it);
* answered: assignments that ended with an answer, even one the applicant later disputed;
* answered on time: answers given on or before the due date (as extended), as a share of the
  assignments whose answer is given or whose due date has passed (answered, escalated for
  missing the deadline, or still open after it), so a body that never answers scores 0 %;
* escalated away: assignments that ended with the appeal going up to the body above (the due
  date passed, or the applicant disputed the answer);
* overdue now: open appeals the body holds after their due date;
* appeals per 10,000 residents: appeals placed in a district or region (a point or a place named
  in the text counts as the district found) over its population in the reference data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from arna.appeals.models import Appeal, Assignment
from arna.appeals.policy import ANSWERED_RESULTS, OPEN
from arna.core.clock import KZ_TZ, now_utc, to_local_date
from arna.geo.models import KatoUnit

PER_RESIDENTS = 10_000
ESCALATED_AWAY = ("overdue", "disputed")


def today() -> date:
    return to_local_date(now_utc())


def _local_day(session: Session, column: Any) -> ColumnElement[Any]:
    """The calendar day in Kazakhstan of a stored UTC instant, computed by the database."""
    if session.get_bind().dialect.name == "postgresql":
        return func.date(func.timezone(KZ_TZ.key, column))
    return func.date(column, "+5 hours")  # SQLite: Asia/Almaty is UTC+5 since 2024-03-01


def _count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _measures(session: Session, on: date) -> tuple[ColumnElement[int], ...]:
    a = Assignment
    answered = a.result.in_(ANSWERED_RESULTS)
    return (
        func.count(a.id),
        _count_if(answered),
        _count_if(and_(answered, _local_day(session, a.ended_at) <= a.due_date)),
        _count_if(
            or_(answered, a.result == "overdue", and_(a.ended_at.is_(None), a.due_date < on))
        ),
        _count_if(a.result.in_(ESCALATED_AWAY)),
    )


def _overdue(on: date) -> ColumnElement[bool]:
    return and_(Appeal.status.in_(OPEN), Appeal.due_date < on)


@dataclass(frozen=True)
class Responsiveness:
    """How a body (or the bodies of a place) dealt with the appeals they held."""

    received: int = 0
    answered: int = 0
    on_time: int = 0
    due: int = 0
    escalated_away: int = 0

    @classmethod
    def of(cls, row: Sequence[Any]) -> Responsiveness:
        return cls(*(int(v or 0) for v in row))

    @property
    def on_time_share(self) -> float | None:
        return self.on_time / self.due if self.due else None


@dataclass(frozen=True)
class HomeFigures:
    month_start: date
    this_month: int
    on_time_share: float | None
    overdue: int
    escalated: int


def home_figures(session: Session) -> HomeFigures:
    """Live figures of the whole country for the home page."""
    on = today()
    first = on.replace(day=1)
    since = datetime.combine(first, time(0), tzinfo=KZ_TZ)
    this_month, overdue, escalated = session.execute(
        select(
            _count_if(Appeal.registered_at >= since),
            _count_if(_overdue(on)),
            _count_if(Appeal.escalation_depth > 0),
        )
    ).one()
    overall = Responsiveness.of(session.execute(select(*_measures(session, on))).one())
    return HomeFigures(first, int(this_month), overall.on_time_share, int(overdue), int(escalated))


@dataclass(frozen=True)
class PlaceFigures:
    """Appeals about a region or district, per 10,000 residents, and how they were answered."""

    kato: str
    name: str
    population: int | None
    appeals: int
    responsiveness: Responsiveness
    url: str = ""  # the page of the place, set by the page that shows it

    @property
    def rate(self) -> float | None:
        if not self.population:
            return None
        return self.appeals * PER_RESIDENTS / self.population

    @property
    def on_time_share(self) -> float | None:
        return self.responsiveness.on_time_share


def _place_figures(
    session: Session, units: list[KatoUnit], by: InstrumentedAttribute[Any], lang: str
) -> list[PlaceFigures]:
    katos = [u.kato for u in units]
    counts = {
        kato: int(n)
        for kato, n in session.execute(
            select(by, func.count(Appeal.id)).where(by.in_(katos)).group_by(by)
        )
    }
    answers = {
        row[0]: Responsiveness.of(row[1:])
        for row in session.execute(
            select(by, *_measures(session, today()))
            .select_from(Assignment)
            .join(Appeal, Appeal.id == Assignment.appeal_id)
            .where(by.in_(katos))
            .group_by(by)
        )
    }
    places = [
        PlaceFigures(
            kato=u.kato,
            name=getattr(u, f"name_{lang}"),
            population=u.population,
            appeals=counts.get(u.kato, 0),
            responsiveness=answers.get(u.kato, Responsiveness()),
        )
        for u in units
    ]
    return sorted(places, key=lambda p: p.name)


def region_figures(session: Session, regions: list[KatoUnit], lang: str) -> list[PlaceFigures]:
    """The regions: appeals per 10,000 residents and the share answered on time, by name."""
    return _place_figures(session, regions, Appeal.region_kato, lang)


def district_figures(session: Session, districts: list[KatoUnit], lang: str) -> list[PlaceFigures]:
    """The districts of a region, as `region_figures`."""
    return _place_figures(session, districts, Appeal.kato, lang)


def region_whole(session: Session, region: KatoUnit, lang: str) -> tuple[PlaceFigures, int, int]:
    """The region as a whole; the appeals placed in it but in no district; those overdue now."""
    on = today()
    total, unplaced = session.execute(
        select(func.count(Appeal.id), _count_if(Appeal.kato == region.kato)).where(
            Appeal.region_kato == region.kato
        )
    ).one()
    answers = Responsiveness.of(
        session.execute(
            select(*_measures(session, on))
            .select_from(Assignment)
            .join(Appeal, Appeal.id == Assignment.appeal_id)
            .where(Appeal.region_kato == region.kato)
        ).one()
    )
    overdue_now = session.scalar(
        select(func.count(Appeal.id)).where(Appeal.region_kato == region.kato, _overdue(on))
    )
    whole = PlaceFigures(
        region.kato, getattr(region, f"name_{lang}"), region.population, int(total), answers
    )
    return whole, int(unplaced or 0), overdue_now or 0


def body_figures(session: Session, body_id: str) -> tuple[Responsiveness, int]:
    """How a body answered the appeals it held, and how many it holds past their due date."""
    on = today()
    figures = Responsiveness.of(
        session.execute(select(*_measures(session, on)).where(Assignment.body_id == body_id)).one()
    )
    overdue_now = session.scalar(
        select(func.count(Appeal.id)).where(Appeal.body_id == body_id, _overdue(on))
    )
    return figures, overdue_now or 0
