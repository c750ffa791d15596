"""The true state of an appeal, in plain words: with whom it is now, since when, due when, how
many levels it has climbed and by how many working days it is overdue.

The stored `status` alone misleads: every new assignment (forward, escalation, dispute) sets it
back to "registered", so an appeal escalated twice and overdue at the Government would read
"Registered". A `Situation` is computed from what the appeal went through instead, and every page
(public, tracking, lists, the officials' inbox) shows the same stage with the same words.

Interface (stable; the workbench imports it):

    Facts(status, body_id, due_date, escalation_depth, held_since=None, held_reason="routed",
          outcome=None, answered_at=None, feedback_resolved=None, stalled=False)
    situation(facts, today, calendar) -> Situation
    facts_of(view) -> Facts          # from an AppealPublic / AppealFull (assignments, events)
    situation_of(view, today, calendar) -> Situation
    Situation.stage                  # one of STAGES; Situation.badge_class: "badge badge-<stage>"
    Situation.label() -> str         # the badge's text, translated (never colour alone)
    Situation.sentence(body_name) -> str   # the plain-words sentence, translated

Pure: no database, no HTTP; the language is the request's (`core.i18n`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal, Protocol

from arna.core.clock import WorkingCalendar, to_local_date
from arna.core.i18n import fmt_date, ngettext_
from arna.core.i18n import gettext_ as _

Stage = Literal[
    "handling",  # with its first body, within its term
    "escalated",  # climbed because a body let the term pass; within the new term
    "disputed",  # the applicant said "not solved": sent above; within the new term
    "overdue",  # open past its due date (the worker escalates it at its next sweep)
    "stalled",  # overdue and no body above is left to escalate to
    "answered",  # answered; waiting for the applicant's verdict
    "solved",  # closed: the applicant confirmed the problem is solved
    "not_solved",  # answered at the top, disputed, and nowhere left to send it
    "closed",  # closed otherwise (a duplicate of an earlier appeal)
]
STAGES: tuple[str, ...] = (
    "handling",
    "escalated",
    "disputed",
    "overdue",
    "stalled",
    "answered",
    "solved",
    "not_solved",
    "closed",
)
OPEN_STAGES = ("handling", "escalated", "disputed", "overdue", "stalled")
_OPEN_STATUSES = ("registered", "in_progress")
# Events after which the appeal is with a new body (a stall belongs to the body that had it).
_MOVES = ("appeal.submitted", "appeal.forwarded", "appeal.escalated")


@dataclass(frozen=True)
class Facts:
    """What the situation is computed from: plain values any view of an appeal has."""

    status: str
    body_id: str
    due_date: date
    escalation_depth: int
    held_since: datetime | date | None = None  # when the body holding it now received it
    held_reason: str = "routed"  # routed | forwarded | escalated | disputed
    outcome: str | None = None
    answered_at: datetime | None = None
    feedback_resolved: bool | None = None
    stalled: bool = False  # the worker found no body above the one holding it


@dataclass(frozen=True)
class Situation:
    stage: Stage
    body_id: str
    since: date | None  # the body has held it since (open), or answered it on (answered, closed)
    due_date: date | None  # None once answered
    levels: int  # levels climbed (escalations, disputes included)
    overdue_days: int  # working days past the due date; 0 when not overdue
    outcome: str | None

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES

    @property
    def is_overdue(self) -> bool:
        return self.stage in ("overdue", "stalled")

    @property
    def badge_class(self) -> str:
        return f"badge badge-{self.stage}"

    def label(self) -> str:
        """The badge's words (the colour only repeats them)."""
        n = self.overdue_days
        if self.stage == "overdue" and n:
            return ngettext_("Overdue by {n} working day", "Overdue by {n} working days", n).format(
                n=n
            )
        if self.stage == "stalled" and n:
            return ngettext_(
                "Overdue at the top by {n} working day", "Overdue at the top by {n} working days", n
            ).format(n=n)
        return stage_names()[self.stage]

    def sentence(self, body_name: str) -> str:
        """One sentence a citizen reads: "Handled by X since 3 December; answer due by 24
        December; escalated 2 levels; overdue by 4 working days."""
        parts: list[str] = []
        if self.is_open:
            if self.since:
                parts.append(
                    _("Handled by {body} since {since}").format(
                        body=body_name, since=fmt_date(self.since)
                    )
                )
            else:
                parts.append(_("Handled by {body}").format(body=body_name))
            if self.due_date:
                parts.append(_("answer due by {due}").format(due=fmt_date(self.due_date)))
        elif self.since:
            parts.append(
                _("Answered by {body} on {day}").format(body=body_name, day=fmt_date(self.since))
            )
        else:
            parts.append(_("Closed by {body}").format(body=body_name))
        if self.levels:
            parts.append(
                ngettext_("escalated {n} level", "escalated {n} levels", self.levels).format(
                    n=self.levels
                )
            )
        parts.extend(self._tail())
        text = "; ".join(parts)
        # Russian and Kazakh dates may end in an abbreviation's full stop ("2027 г.").
        return text if text.endswith(".") else text + "."

    def _tail(self) -> list[str]:
        if self.stage == "disputed":
            return [_("the applicant said the previous answer did not solve the problem")]
        if self.is_overdue:
            overdue = (
                ngettext_(
                    "overdue by {n} working day", "overdue by {n} working days", self.overdue_days
                ).format(n=self.overdue_days)
                if self.overdue_days
                else _("overdue")
            )
            if self.stage == "stalled":
                return [overdue, _("no body above is left to send it to")]
            return [overdue]
        return {
            "answered": [_("waiting for the applicant to say whether it solved the problem")],
            "solved": [_("the applicant confirmed that the problem is solved")],
            "not_solved": [
                _("the applicant says the problem is not solved, and no body above is left")
            ],
        }.get(self.stage, [])


def stage_names() -> dict[str, str]:
    """The badge's words for each stage, in the page's language."""
    return {
        "handling": _("Being handled"),
        "escalated": _("Escalated to the body above"),
        "disputed": _("Disputed: sent above"),
        "overdue": _("Overdue"),
        "stalled": _("Overdue at the top"),
        "answered": _("Answered: awaiting the applicant's verdict"),
        "solved": _("Closed: solved"),
        "not_solved": _("Closed: not solved"),
        "closed": _("Closed"),
    }


def situation(facts: Facts, today: date, calendar: WorkingCalendar) -> Situation:
    """The stage of an appeal on `today` (Kazakhstan's date), from what it went through."""
    since = to_local_date(facts.held_since) if facts.held_since is not None else None
    answered = to_local_date(facts.answered_at) if facts.answered_at is not None else None
    common: dict[str, Any] = {
        "body_id": facts.body_id,
        "levels": facts.escalation_depth,
        "outcome": facts.outcome,
    }
    if facts.status not in _OPEN_STATUSES:
        if facts.status == "closed":
            stage: Stage = "solved" if facts.feedback_resolved else "closed"
        else:
            stage = "not_solved" if facts.feedback_resolved is False else "answered"
        return Situation(stage, since=answered, due_date=None, overdue_days=0, **common)
    days = 0
    if today > facts.due_date:
        days = max(0, calendar.working_days_between(facts.due_date, today))
        stage = "stalled" if facts.stalled else "overdue"
    elif facts.held_reason == "disputed":
        stage = "disputed"
    elif facts.escalation_depth:
        stage = "escalated"
    else:
        stage = "handling"
    return Situation(stage, since=since, due_date=facts.due_date, overdue_days=days, **common)


class _Body(Protocol):
    id: str


class _Held(Protocol):
    started_at: datetime
    reason: str


class _Event(Protocol):
    type: str


class AppealView(Protocol):
    """What `facts_of` reads of an appeal's public (or full) view."""

    status: str
    due_date: date
    escalation_depth: int
    outcome: str | None
    answered_at: datetime | None
    feedback_resolved: bool | None

    @property
    def body(self) -> _Body: ...
    @property
    def assignments(self) -> Sequence[_Held]: ...
    @property
    def events(self) -> Sequence[_Event]: ...


def facts_of(view: AppealView) -> Facts:
    """The facts of an appeal's view: the current hold is its last assignment; it is stalled
    when the worker found no body above after the last move."""
    held = view.assignments[-1] if view.assignments else None
    stalled = False
    for event in view.events:
        if event.type in _MOVES:
            stalled = False
        elif event.type == "appeal.stalled":
            stalled = True
    return Facts(
        status=view.status,
        body_id=view.body.id,
        due_date=view.due_date,
        escalation_depth=view.escalation_depth,
        held_since=held.started_at if held else None,
        held_reason=held.reason if held else "routed",
        outcome=view.outcome,
        answered_at=view.answered_at,
        feedback_resolved=view.feedback_resolved,
        stalled=stalled,
    )


def situation_of(view: AppealView, today: date, calendar: WorkingCalendar) -> Situation:
    return situation(facts_of(view), today, calendar)
