"""Responsiveness scorecards: how each body, region, category or month dealt with the appeals
it held, every figure with its n and its 95 % interval (docs/methodology.md, "Scorecards").

Counted per assignment (a period during which one body held an appeal):

* received: assignments;
* on time: answers given by the due date (as extended), of the answers due (answered, or
  escalated for missing the deadline, or still open after it);
* extended: assignments whose term the body extended, of those received;
* forwarded: assignments the body passed on as not its competence, of those received;
* sent wrongly: of the body's forwards, those the receiving body passed on again (the first
  forward was to the wrong body, and the sender is counted for it);
* escalated: assignments that went up for missing the deadline, of those received;
* disputed: answers the applicant disputed, of the answers given;
* solved: answers the applicant said solved the problem, of the answers they judged;
* days to first response and to answer: working days from receiving the appeal to taking it
  into work, answering or forwarding it (first response), and to answering it (answer); the
  median and the 90th percentile, each with its distribution-free interval;
* per 100,000 residents: assignments received over the population of the territory (a body's
  territory, or the region).

A group with fewer than MIN_DUE answers due is shown as too few and never ranked. A group is
ranked above or below the whole country only when the interval of its on-time share lies wholly
above or below the country's share; otherwise it is level with it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from arna.appeals.models import Appeal, Assignment
from arna.appeals.policy import ANSWERED_RESULTS
from arna.bodies.models import Body
from arna.core.clock import WorkingCalendar, to_local_date
from arna.core.intervals import quantile_interval
from arna.geo.models import KatoUnit
from arna.oversight.queries import MIN_DUE, PER_RESIDENTS, today
from arna.oversight.queries.depth import Share, names_of, share_of

BY = ("body", "region", "category", "month")
FORWARDED = ("forwarded", "forwarded_late")


@dataclass(frozen=True)
class Days:
    """Working days: the median and the 90th percentile of n, each with its interval (None
    where n is too small for one)."""

    n: int
    median: int | None
    median_low: int | None
    median_high: int | None
    p90: int | None
    p90_low: int | None
    p90_high: int | None


@dataclass(frozen=True)
class Scorecard:
    key: str
    name: str
    received: int
    per_100k: float | None
    on_time: Share
    extended: Share
    forwarded: Share
    sent_wrongly: Share
    escalated: Share
    disputed: Share
    solved: Share
    first_response: Days
    answer: Days
    too_few: bool
    standing: str  # above | level | below (the country's on-time share) | unranked

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class _Held:
    """One assignment, as the scorecards read it."""

    key: str
    received: date
    responded: date | None
    ended: date | None
    result: str | None
    due: date
    extended: bool
    next_result: str | None  # how the next body's hold ended, when this one forwarded
    solved: bool | None  # the applicant's verdict on this body's answer


def _days(values: list[int]) -> Days:
    values = sorted(values)
    median = quantile_interval(values, 0.5)
    p90 = quantile_interval(values, 0.9)
    return Days(len(values), *median, *p90)


def _key_of(by: str, body_id: str, appeal: Any, received: datetime) -> str:
    if by == "body":
        return body_id
    if by == "region":
        return str(appeal.region_kato or "none")
    if by == "category":
        return str(appeal.category_id or "none")
    return to_local_date(received).isoformat()[:7]


def _held(session: Session, by: str) -> list[_Held]:
    a = Assignment
    rows = session.execute(
        select(
            a.appeal_id,
            a.body_id,
            a.started_at,
            a.responded_at,
            a.ended_at,
            a.result,
            a.due_date,
            a.extended,
            Appeal.region_kato,
            Appeal.category_id,
            Appeal.status,
            Appeal.feedback_resolved,
        )
        .join(Appeal, Appeal.id == a.appeal_id)
        .order_by(a.appeal_id, a.id)
    ).all()
    held: list[_Held] = []
    for i, row in enumerate(rows):
        later = rows[i + 1] if i + 1 < len(rows) and rows[i + 1][0] == row[0] else None
        last = later is None
        answered = row.result in ANSWERED_RESULTS
        solved: bool | None = None
        if row.result == "disputed":
            solved = False
        elif answered and last and row.status == "closed" and row.feedback_resolved is True:
            solved = True
        held.append(
            _Held(
                key=_key_of(by, row.body_id, row, row.started_at),
                received=to_local_date(row.started_at),
                responded=to_local_date(row.responded_at) if row.responded_at else None,
                ended=to_local_date(row.ended_at) if row.ended_at else None,
                result=row.result,
                due=row.due_date,
                extended=bool(row.extended),
                next_result=later.result if later is not None and row.result in FORWARDED else None,
                solved=solved,
            )
        )
    return held


class _WorkingDays:
    """Working days between two dates by a running count over the calendar (one pass, not a
    walk per appeal)."""

    def __init__(self, calendar: WorkingCalendar, first: date, last: date) -> None:
        self.first = first
        count, self.running = 0, []
        for k in range((last - first).days + 1):
            day = date.fromordinal(first.toordinal() + k)
            count += calendar.is_working_day(day) if calendar.is_covered(day) else day.weekday() < 5
            self.running.append(count)

    def between(self, start: date, end: date) -> int:
        """Working days d with start < d <= end (as WorkingCalendar.working_days_between)."""
        return self.running[(end - self.first).days] - self.running[(start - self.first).days]


def _in_time(r: _Held) -> bool:
    return r.ended is not None and r.ended <= r.due


def _count(rows: Iterable[_Held], on: date, calendar: _WorkingDays) -> dict[str, Any]:
    rows = list(rows)
    answered = [r for r in rows if r.result in ANSWERED_RESULTS]
    due = [
        r
        for r in rows
        if r.result in ANSWERED_RESULTS or r.result == "overdue" or (r.ended is None and r.due < on)
    ]
    forwards = [r for r in rows if r.result in FORWARDED]
    judged = [r for r in answered if r.solved is not None]
    return {
        "received": len(rows),
        "on_time": share_of(
            sum(r.ended is not None and r.ended <= r.due for r in answered), len(due)
        ),
        "extended": share_of(sum(r.extended for r in rows), len(rows)),
        "forwarded": share_of(len(forwards), len(rows)),
        "sent_wrongly": share_of(sum(r.next_result in FORWARDED for r in forwards), len(forwards)),
        "escalated": share_of(sum(r.result == "overdue" for r in rows), len(rows)),
        "disputed": share_of(sum(r.result == "disputed" for r in answered), len(answered)),
        "solved": share_of(sum(bool(r.solved) for r in judged), len(judged)),
        "first_response": _days(
            [calendar.between(r.received, r.responded) for r in rows if r.responded is not None]
        ),
        "answer": _days(
            [calendar.between(r.received, r.ended) for r in answered if r.ended is not None]
        ),
        "due": len(due),
    }


def scorecards(
    session: Session, by: str, calendar: WorkingCalendar, lang: str = "en", key: str | None = None
) -> tuple[list[Scorecard], Scorecard]:
    """One scorecard per body, region, category or month (`by`) that received appeals (only
    `key`'s when given), and the whole country's."""
    if by not in BY:
        raise ValueError(f"by: choose from {', '.join(BY)} (not {by!r})")
    on = today()
    held = _held(session, by)
    if not held:
        days = _WorkingDays(calendar, on, on)
    else:
        first = min(r.received for r in held)
        days = _WorkingDays(calendar, first, max(on, *(r.ended or on for r in held)))
    country = _count(held, on, days)
    groups: dict[str, list[_Held]] = {}
    for r in held:
        if key is None or r.key == key:
            groups.setdefault(r.key, []).append(r)
    names = names_of(session, by, list(groups), lang)
    people = _population(session, by, list(groups))
    whole = _card("all", "", country, None, None)
    cards = [
        _card(k, names.get(k, k), _count(rows, on, days), people.get(k), country["on_time"])
        for k, rows in groups.items()
    ]
    return sorted(cards, key=lambda c: (c.too_few, c.key)), whole


def _card(
    key: str, name: str, figures: dict[str, Any], people: int | None, country: Share | None
) -> Scorecard:
    due = figures.pop("due")
    too_few = due < MIN_DUE
    on_time: Share = figures["on_time"]
    standing = "unranked"
    if country is not None and not too_few:
        if on_time.low > country.share:
            standing = "above"
        elif on_time.high < country.share:
            standing = "below"
        else:
            standing = "level"
    per = round(figures["received"] * PER_RESIDENTS / people, 2) if people else None
    return Scorecard(
        key=key, name=name, per_100k=per, too_few=too_few, standing=standing, **figures
    )


def _population(session: Session, by: str, keys: list[str]) -> dict[str, int]:
    """Residents of each group's territory: a body's (its KATO unit), a region's."""
    if by == "region":
        found = session.execute(
            select(KatoUnit.kato, KatoUnit.population).where(KatoUnit.kato.in_(keys))
        )
        return {str(k): int(p) for k, p in found if p}
    if by == "body":
        found = session.execute(
            select(Body.id, KatoUnit.population)
            .join(KatoUnit, KatoUnit.kato == Body.kato)
            .where(Body.id.in_(keys))
        )
        return {str(k): int(p) for k, p in found if p}
    return {}


def scorecard_index(
    session: Session, by: str, calendar: WorkingCalendar, lang: str = "en"
) -> dict[str, Any]:
    """The scorecards as the API and `arna oversight scorecard --json` give them."""
    cards, country = scorecards(session, by, calendar, lang)
    return {
        "by": by,
        "min_due": MIN_DUE,
        "country": country.as_dict(),
        "rows": [c.as_dict() for c in cards],
    }
