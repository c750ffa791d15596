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
* appeals per 100,000 residents: appeals placed in a district or region (a point or a place named
  in the text counts as the district found) over its population in the reference data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Date, DateTime, and_, case, cast, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from arna.appeals.models import Appeal, Assignment
from arna.appeals.policy import ANSWERED_RESULTS, OPEN
from arna.core.clock import KZ_TZ, now_utc, to_local_date
from arna.core.collation import sort_key
from arna.geo.models import KatoUnit

PER_RESIDENTS = 100_000
ESCALATED_AWAY = ("overdue", "disputed")


def today() -> date:
    return to_local_date(now_utc())


def local_day(session: Session, column: Any) -> ColumnElement[Any]:
    """The calendar day in Kazakhstan of a stored UTC instant, computed by the database."""
    if session.get_bind().dialect.name == "postgresql":
        return func.date(func.timezone(KZ_TZ.key, column))
    return func.date(column, "+5 hours")  # SQLite: Asia/Almaty is UTC+5 since 2024-03-01


def count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _measures(session: Session, on: date) -> tuple[ColumnElement[int], ...]:
    a = Assignment
    answered = a.result.in_(ANSWERED_RESULTS)
    return (
        func.count(a.id),
        count_if(answered),
        count_if(and_(answered, local_day(session, a.ended_at) <= a.due_date)),
        count_if(or_(answered, a.result == "overdue", and_(a.ended_at.is_(None), a.due_date < on))),
        count_if(a.result.in_(ESCALATED_AWAY)),
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
            count_if(Appeal.registered_at >= since),
            count_if(_overdue(on)),
            count_if(Appeal.escalation_depth > 0),
        )
    ).one()
    overall = Responsiveness.of(session.execute(select(*_measures(session, on))).one())
    return HomeFigures(first, int(this_month), overall.on_time_share, int(overdue), int(escalated))


@dataclass(frozen=True)
class PlaceFigures:
    """Appeals about a region or district, per 100,000 residents, and how they were answered."""

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
    return sorted(places, key=lambda p: sort_key(p.name, lang))


def region_figures(session: Session, regions: list[KatoUnit], lang: str) -> list[PlaceFigures]:
    """The regions: appeals per 100,000 residents and the share answered on time, by name."""
    return _place_figures(session, regions, Appeal.region_kato, lang)


def district_figures(session: Session, districts: list[KatoUnit], lang: str) -> list[PlaceFigures]:
    """The districts of a region, as `region_figures`."""
    return _place_figures(session, districts, Appeal.kato, lang)


def region_whole(session: Session, region: KatoUnit, lang: str) -> tuple[PlaceFigures, int, int]:
    """The region as a whole; the appeals placed in it but in no district; those overdue now."""
    on = today()
    total, unplaced = session.execute(
        select(func.count(Appeal.id), count_if(Appeal.kato == region.kato)).where(
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


# --- trends and rankings for the charts --------------------------------------------------------

Scope = tuple[str, str] | None  # None: the whole country; ("region", kato); ("body", id)
WEEKS_SHOWN = 26
MONTHS_SHOWN = 12
TOP_CATEGORIES = 8
SLOWEST_SHOWN = 10
MIN_DUE = 5  # a body is ranked only when at least this many of its answers were due


@dataclass(frozen=True)
class PeriodFigures:
    """One week or month: appeals received in it, and the answers that fell due in it."""

    start: date
    received: int
    answers: Responsiveness


@dataclass(frozen=True)
class Trend:
    period: str  # "week" or "month"
    points: list[PeriodFigures]


def _period_start(session: Session, column: Any, period: str, moment: bool) -> Any:
    """The first day (in Kazakhstan) of the week (from Monday) or month of a column, in SQL."""
    if session.get_bind().dialect.name == "postgresql":
        local = func.timezone(KZ_TZ.key, column) if moment else cast(column, DateTime)
        return cast(func.date_trunc(period, local), Date)
    shift = ["+5 hours"] if moment else []  # as local_day
    steps = ["weekday 0", "-6 days"] if period == "week" else ["start of month"]
    return func.date(column, *shift, *steps)


def _first_day(period: str, day: date) -> date:
    return day - timedelta(days=day.weekday()) if period == "week" else day.replace(day=1)


def _next(period: str, day: date) -> date:
    if period == "week":
        return day + timedelta(days=7)
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _received(scope: Scope) -> tuple[Any, list[ColumnElement[bool]]]:
    """The moment an appeal reached the scope, and the scope's filter."""
    if scope is not None and scope[0] == "body":
        return Assignment.started_at, [Assignment.body_id == scope[1]]
    where = [Appeal.region_kato == scope[1]] if scope is not None else []
    return Appeal.registered_at, where


def _answers_in(scope: Scope) -> list[ColumnElement[bool]]:
    if scope is None:
        return []
    if scope[0] == "body":
        return [Assignment.body_id == scope[1]]
    return [Appeal.region_kato == scope[1]]


def trend(session: Session, scope: Scope = None) -> Trend:
    """Appeals received per week (per month once the data is older than half a year) up to now,
    and the on-time share of the answers due in each period (a share by due date: "of the answers
    due in March, 80 % were given on time")."""
    on = today()
    received_at, where = _received(scope)
    first = session.scalar(select(func.min(received_at)).where(*where))
    if first is None:
        return Trend("week", [])
    first_day = to_local_date(first if first.tzinfo else first.replace(tzinfo=UTC))
    period = "week" if (on - first_day).days < 7 * WEEKS_SHOWN else "month"
    start = _first_day(period, first_day)
    starts = [start]
    while (nxt := _next(period, starts[-1])) <= on:
        starts.append(nxt)
    starts = starts[-(WEEKS_SHOWN if period == "week" else MONTHS_SHOWN) :]
    since = datetime.combine(starts[0], time(0), tzinfo=KZ_TZ)
    bucket = _period_start(session, received_at, period, moment=True)
    counts = {
        _as_date(day): int(n)
        for day, n in session.execute(
            select(bucket, func.count()).where(*where, received_at >= since).group_by(bucket)
        )
    }
    due_bucket = _period_start(session, Assignment.due_date, period, moment=False)
    answers = {
        _as_date(row[0]): Responsiveness.of(row[1:])
        for row in session.execute(
            select(due_bucket, *_measures(session, on))
            .select_from(Assignment)
            .join(Appeal, Appeal.id == Assignment.appeal_id)
            .where(*_answers_in(scope), Assignment.due_date >= starts[0], Assignment.due_date <= on)
            .group_by(due_bucket)
        )
    }
    points = [PeriodFigures(s, counts.get(s, 0), answers.get(s, Responsiveness())) for s in starts]
    return Trend(period, points)


def top_categories(
    session: Session, scope: Scope = None, limit: int = TOP_CATEGORIES
) -> list[tuple[str, int]]:
    """The categories with the most appeals in the scope (a body: the appeals it held), most
    first, as (category id, appeals)."""
    n = func.count(func.distinct(Appeal.id))
    query = select(Appeal.category_id, n).where(Appeal.category_id.is_not(None))
    if scope is not None and scope[0] == "body":
        query = query.join(Assignment, Assignment.appeal_id == Appeal.id)
    query = query.where(*_answers_in(scope))
    query = query.group_by(Appeal.category_id).order_by(n.desc(), Appeal.category_id).limit(limit)
    return [(str(c), int(k)) for c, k in session.execute(query)]


@dataclass(frozen=True)
class BodyPace:
    """How late a body answers: its figures and the mean days from receiving to answering."""

    body_id: str
    answers: Responsiveness
    mean_days: float | None

    @property
    def late_share(self) -> float:
        return 1 - (self.answers.on_time_share or 0.0)


def slowest_bodies(
    session: Session, limit: int = SLOWEST_SHOWN, min_due: int = MIN_DUE
) -> list[BodyPace]:
    """The bodies that least often answer on time (at least `min_due` answers due), the largest
    share late first; ties: the more answers due first."""
    a = Assignment
    answered = a.result.in_(ANSWERED_RESULTS)
    if session.get_bind().dialect.name == "postgresql":
        days: Any = func.extract("epoch", a.ended_at - a.started_at) / 86400
    else:
        days = func.julianday(a.ended_at) - func.julianday(a.started_at)
    mean = func.avg(case((answered, days), else_=None))
    measures = _measures(session, today())
    rows = session.execute(
        select(a.body_id, *measures, mean).group_by(a.body_id).having(measures[3] >= min_due)
    ).all()
    paces = [
        BodyPace(str(r[0]), Responsiveness.of(r[1:6]), float(r[6]) if r[6] is not None else None)
        for r in rows
    ]
    paces.sort(key=lambda p: (-p.late_share, -p.answers.due, p.body_id))
    return paces[:limit]
