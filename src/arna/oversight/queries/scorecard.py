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
* came back: answers marking the problem resolved after which an appeal about the same problem
  came within 90 days (appeals/actions/problems.py), of the answers marking it resolved;
* days to first response and to answer: working days from receiving the appeal to taking it
  into work, answering or forwarding it (first response), and to answering it (answer); the
  median and the 90th percentile, each with its distribution-free interval;
* per 100,000 residents: assignments received over the population of the territory (a body's
  territory, or the region).

The database adds these up (`sums`, and `histograms` of the working days, from which the
quantiles and their intervals are exact): each assignment records its first response, its
working days and its flags as they happen (appeals' lifecycle actions).

A group with fewer than MIN_DUE answers due is shown as too few and never ranked. A group is
ranked above or below the whole country only when the interval of its on-time share lies wholly
above or below the country's share; otherwise it is level with it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    func,
    literal_column,
    or_,
    select,
)
from sqlalchemy.orm import Session

from arna.appeals.models import Appeal, Assignment
from arna.appeals.policy import ANSWERED_RESULTS
from arna.bodies.models import Body
from arna.core.intervals import quantile_of_counts
from arna.geo.models import KatoUnit
from arna.oversight.queries import MIN_DUE, PER_RESIDENTS, Scope, count_if, local_day, today
from arna.oversight.queries.depth import Share, names_of, share_of
from arna.oversight.queries.grouping import group_key, within

FORWARDED = ("forwarded", "forwarded_late")
# The shares of a scorecard, in the order pages and exports give them.
SHARES = ("on_time", "extended", "forwarded", "sent_wrongly", "escalated", "disputed", "solved",
          "came_back")  # fmt: skip


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
    due: int  # answers due: what the on-time share is out of
    per_100k: float | None
    on_time: Share
    extended: Share
    forwarded: Share
    sent_wrongly: Share
    escalated: Share
    disputed: Share
    solved: Share
    came_back: Share
    first_response: Days
    answer: Days
    too_few: bool
    standing: str  # above | level | below (the country's on-time share) | unranked

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _key(session: Session, by: str) -> ColumnElement[Any]:
    # A body as an expression, not the column: SQLite would otherwise group along the column's
    # index and fetch every row at random from it (12 s instead of 3 at a million appeals).
    body = Assignment.body_id.concat(literal_column("''"))
    return group_key(session, by, body, Assignment.started_at)


def _sums(session: Session, on: date) -> list[ColumnElement[int]]:
    """What a scorecard counts, in the order of COUNTED."""
    a = Assignment
    answered = a.result.in_(ANSWERED_RESULTS)
    return [
        func.count(a.id),
        count_if(and_(answered, local_day(session, a.ended_at) <= a.due_date)),
        count_if(or_(answered, a.result == "overdue", and_(a.ended_at.is_(None), a.due_date < on))),
        count_if(a.extended.is_(True)),
        count_if(a.result.in_(FORWARDED)),
        count_if(a.misrouted.is_(True)),
        count_if(a.result == "overdue"),
        count_if(answered),
        count_if(a.result == "disputed"),
        count_if(a.solved.is_(True)),
        count_if(a.solved.is_not(None)),
        count_if(a.result == "resolved"),
        count_if(and_(a.result == "resolved", a.came_back.is_(True))),
    ]


COUNTED = ("received", "on_time", "due", "extended", "forwarded", "misrouted", "escalated",
           "answered", "disputed", "solved", "judged", "resolved", "came_back")  # fmt: skip


def _grouped(
    session: Session,
    by: str,
    columns: list[Any],
    key: str | None,
    month: str | None,
    scope: Scope,
) -> tuple[Select[Any], ColumnElement[Any]]:
    """SELECT group, *columns over the assignments (joined to their appeals only when the
    grouping or the scope needs the appeal: a join per row cost a third of the query)."""
    group = _key(session, by)
    query = select(group, *columns).select_from(Assignment)
    if by in ("region", "category") or (scope is not None and scope[0] == "region"):
        query = query.join(Appeal, Appeal.id == Assignment.appeal_id)
    query = query.where(*within(session, month, scope, Assignment.body_id, Assignment.started_at))
    if key is not None:
        query = query.where(group == key)
    return query, group


def sums(
    session: Session,
    by: str,
    key: str | None = None,
    month: str | None = None,
    scope: Scope = None,
) -> dict[str, dict[str, int]]:
    """COUNTED per group (`key`'s only when given; only assignments received in `month`, in
    `scope`, when given): the counts behind every share."""
    query, group = _grouped(session, by, _sums(session, today()), key, month, scope)
    return {
        str(row[0]): dict(zip(COUNTED, (int(v) for v in row[1:]), strict=True))
        for row in session.execute(query.group_by(group))
    }


def histograms(
    session: Session,
    by: str,
    measure: str,
    key: str | None = None,
    month: str | None = None,
    scope: Scope = None,
) -> dict[str, dict[int, int]]:
    """Per group, how many assignments took each number of working days (`measure`:
    response_days or answer_days)."""
    days = getattr(Assignment, measure)
    query, group = _grouped(session, by, [days, func.count()], key, month, scope)
    found: dict[str, dict[int, int]] = {}
    for k, value, count in session.execute(query.where(days.is_not(None)).group_by(group, days)):
        found.setdefault(str(k), {})[int(value)] = int(count)
    return found


def _days(counts: Mapping[int, int]) -> Days:
    return Days(
        sum(counts.values()), *quantile_of_counts(counts, 0.5), *quantile_of_counts(counts, 0.9)
    )


def figures(
    counted: Mapping[str, int], first: Mapping[int, int], answer: Mapping[int, int]
) -> dict[str, Any]:
    """A scorecard's figures from its counts and its two histograms (docs/methodology.md)."""
    c = counted
    return {
        "received": c["received"],
        "on_time": share_of(c["on_time"], c["due"]),
        "extended": share_of(c["extended"], c["received"]),
        "forwarded": share_of(c["forwarded"], c["received"]),
        "sent_wrongly": share_of(c["misrouted"], c["forwarded"]),
        "escalated": share_of(c["escalated"], c["received"]),
        "disputed": share_of(c["disputed"], c["answered"]),
        "solved": share_of(c["solved"], c["judged"]),
        "came_back": share_of(c["came_back"], c["resolved"]),
        "first_response": _days(first),
        "answer": _days(answer),
    }


@dataclass(frozen=True)
class Tally:
    """What the database adds up for one grouping: COUNTED per group, and per group the
    histograms of working days to first response and to answer."""

    counted: dict[str, dict[str, int]]
    first: dict[str, dict[int, int]]
    answer: dict[str, dict[int, int]]

    @property
    def total(self) -> dict[str, int]:
        return {name: sum(c[name] for c in self.counted.values()) for name in COUNTED}


def tally(session: Session, by: str, month: str | None = None, scope: Scope = None) -> Tally:
    """The sums and histograms of a grouping (ValueError for another grouping than BY), of
    the assignments received in `month`, in `scope`, when given."""
    return Tally(
        sums(session, by, month=month, scope=scope),
        histograms(session, by, "response_days", month=month, scope=scope),
        histograms(session, by, "answer_days", month=month, scope=scope),
    )


def scorecards(
    session: Session,
    by: str,
    lang: str = "en",
    key: str | None = None,
    month: str | None = None,
    scope: Scope = None,
) -> tuple[list[Scorecard], Scorecard]:
    """One scorecard per body, region, category or month (`by`) that received appeals (only
    `key`'s when given), and the whole's: the country's, or `scope`'s (a region's appeals or
    one body's), counting the assignments received in `month` when given."""
    return cards_of(session, by, tally(session, by, month, scope), lang, key)


def cards_of(
    session: Session, by: str, tallied: Tally, lang: str = "en", key: str | None = None
) -> tuple[list[Scorecard], Scorecard]:
    """`scorecards` from a grouping's tally."""
    total = tallied.total
    whole = _card(
        "all",
        "",
        figures(total, added(tallied.first), added(tallied.answer)),
        total["due"],
        None,
        None,
    )
    keys = [k for k in tallied.counted if key is None or k == key]
    names = names_of(session, by, keys, lang)
    people = population(session, by, keys)
    cards = [
        _card(
            k,
            names.get(k, k),
            figures(tallied.counted[k], tallied.first.get(k, {}), tallied.answer.get(k, {})),
            tallied.counted[k]["due"],
            people.get(k),
            whole.on_time,
        )
        for k in keys
    ]
    return sorted(cards, key=lambda c: (c.too_few, c.key)), whole


def added(histograms: Mapping[str, Mapping[int, int]]) -> dict[int, int]:
    """The histograms of all groups added up."""
    total: Counter[int] = Counter()
    for counts in histograms.values():
        total.update(counts)
    return dict(total)


def _card(
    key: str,
    name: str,
    figures: dict[str, Any],
    due: int,
    people: int | None,
    country: Share | None,
) -> Scorecard:
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
        key=key, name=name, due=due, per_100k=per, too_few=too_few, standing=standing, **figures
    )


def population(session: Session, by: str, keys: list[str]) -> dict[str, int]:
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


def scorecard_index(session: Session, by: str, lang: str = "en") -> dict[str, Any]:
    """The scorecards as the API and `arna oversight scorecard --json` give them."""
    cards, country = scorecards(session, by, lang)
    return {
        "by": by,
        "min_due": MIN_DUE,
        "country": country.as_dict(),
        "rows": [c.as_dict() for c in cards],
    }
