"""An appeal's history as people read it: registered and sent to X, taken into work, forwarded
(with the reason), extended (with the reason), answered (with the outcome), disputed (with the
applicant's redacted reason), escalated to Y (because overdue or disputed), closed.

The audit chain holds the same events with their hashes; those are for checking, not for
reading, and live on the appeal's "verify this history" page.

Interface (stable; `_status.html`'s `timeline` macro renders it):

    steps(events, names) -> list[Step]   # events: EventPublic-like; names: body id -> name
    told(events) -> the events that became those steps, in the same order
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol, TypeVar

from arna.appeals.labels import event_names, result_names
from arna.appeals.policy import PERSONAL_DATA_ERASED
from arna.core.i18n import gettext_ as _
from arna.text.redact import redact

# Events whose `new` body is the one that received the appeal (the others: the one acting).
_TO_BODY = ("appeal.submitted", "appeal.forwarded", "appeal.escalated")
_BY_BODY = ("appeal.accepted", "appeal.answered")
# Reasons that are public: the officials' (forwarding, extending) and the applicant's dispute;
# the system's notes (routing, escalation) are untranslated and the step's own words say them.
_QUOTED = ("appeal.forwarded", "appeal.extended", "appeal.disputed")
# Each "me too" is an event of the chain, but people read their count, not a step per person;
# the erasure of the applicant's data after the retention period is no step of the appeal's way.
_COUNTED_ONLY = ("appeal.supported", PERSONAL_DATA_ERASED)


class _Event(Protocol):
    type: str
    at: str
    reason: str | None

    @property
    def new(self) -> Any: ...


E = TypeVar("E", bound=_Event)


@dataclass(frozen=True)
class Step:
    kind: str  # the event without "appeal.": submitted, forwarded, escalated, disputed, ...
    at: str  # ISO instant
    title: str  # what happened, translated
    body_id: str | None  # the body it went to (or that acted), linked
    body: str | None
    due_date: date | None  # the new due date, when the step set one
    note: str  # why, translated: the outcome of an answer, the cause of an escalation
    reason: str  # quoted words of an official or of the applicant, redacted
    late: bool  # answered or forwarded after the time allowed


def told(events: Sequence[E]) -> list[E]:
    """The events that are steps of the history, in order (one step each)."""
    return [e for e in events if e.type not in _COUNTED_ONLY]


def steps(events: Sequence[_Event], names: Mapping[str, str]) -> list[Step]:
    titles = event_names()
    results = result_names()
    found: list[Step] = []
    for e in told(events):
        new = e.new if isinstance(e.new, dict) else {}
        kind = e.type.removeprefix("appeal.")
        body_id = new.get("body_id") if e.type in (*_TO_BODY, *_BY_BODY) else None
        due = new.get("due_date") if e.type in (*_TO_BODY, "appeal.extended") else None
        note = ""
        if e.type == "appeal.answered":
            note = results.get(new.get("outcome") or "", new.get("outcome") or "")
        elif e.type == "appeal.came_back" and new.get("repeated_by"):
            note = _("appeal %(number)s reports it") % {"number": new["repeated_by"]}
        elif e.type == "appeal.escalated":
            note = (
                _("because the applicant said the answer did not solve the problem")
                if new.get("cause") == "disputed"
                else _("because no answer came by the due date")
            )
        found.append(
            Step(
                kind=kind,
                at=e.at,
                title=titles.get(e.type, e.type),
                body_id=body_id,
                body=names.get(body_id, body_id) if body_id else None,
                due_date=date.fromisoformat(due) if due else None,
                note=note,
                reason=redact(e.reason) if e.reason and e.type in _QUOTED else "",
                late=bool(new.get("late")),
            )
        )
    return found


def body_ids(events: Sequence[_Event]) -> set[str]:
    """The bodies the steps name, to look their names up in one query."""
    ids = set()
    for e in told(events):
        new = e.new if isinstance(e.new, dict) else {}
        if e.type in (*_TO_BODY, *_BY_BODY) and new.get("body_id"):
            ids.add(str(new["body_id"]))
    return ids
