"""Every stored appeal against what its audit events record.

The audit chain proves that the log was not edited; this check proves that the appeals were not
edited beside it. Replaying each appeal's events gives the state it must be in (status, body, due
date, escalation depth, outcome: the state after its last event), the digest of its text and of
who filed it (as registered, or as left by the erasure of its personal data after the retention
period), and the bodies that held it in turn with which of them failed. Each stored appeal
and assignment is compared with that; appeals in the log but not in the table were deleted, and
appeals in the table but not in the log were slipped in.

Mismatches name the appeal's number and the field, never the values: the report can be public.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from arna.appeals.actions.effects import applicant_digest, audit_state
from arna.appeals.models import Appeal, Assignment
from arna.appeals.policy import PERSONAL_DATA_ERASED
from arna.core.audit import AuditEvent, Mismatch
from arna.core.clock import to_local_date
from arna.core.settings import Settings

BATCH = 5000


_STATE_FIELDS = ("status", "body_id", "due_date", "escalation_depth", "outcome")
_SUBMITTED_FIELDS = {"kind": "kind", "category": "category_id", "kato": "kato", "public": "public"}


@dataclass
class _Recorded:
    """What the log says of one appeal, folded event by event."""

    state: dict[str, Any] = field(default_factory=dict)
    submitted: dict[str, Any] = field(default_factory=dict)
    holders: list[list[Any]] = field(default_factory=list)  # [body_id, failed]

    def apply(self, action: str, new: dict[str, Any], at: str) -> None:
        if action == "appeal.submitted":
            self.submitted = new
            self.holders = [[new["body_id"], False]]
        elif action == "appeal.forwarded" and self.holders:
            self.holders[-1][1] = bool(new.get("late"))
            self.holders.append([new["body_id"], False])
        elif action == "appeal.escalated" and self.holders:
            self.holders[-1][1] = True
            self.holders.append([new["body_id"], False])
        elif action == PERSONAL_DATA_ERASED:  # from then on, the erased text and applicant
            for key in ("text_sha256", "applicant_digest"):
                self.submitted[key] = new.get(key)
        elif action == "appeal.answered" and self.holders:
            late = new.get("late")
            if late is None:  # events written before answers recorded it: the same rule
                due = date.fromisoformat(self.state["due_date"])
                late = to_local_date(datetime.fromisoformat(at)) > due
            self.holders[-1][1] = bool(late)
        self.state = {key: new.get(key) for key in _STATE_FIELDS}


def _recorded(session: Session) -> dict[str, _Recorded]:
    log: dict[str, _Recorded] = {}
    last = 0
    while True:
        rows = session.execute(
            select(
                AuditEvent.id,
                AuditEvent.at,
                AuditEvent.action,
                AuditEvent.entity_id,
                AuditEvent.new,
            )
            .where(AuditEvent.entity_type == "appeal", AuditEvent.id > last)
            .order_by(AuditEvent.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return log
        for row in rows:
            new = json.loads(row.new) if row.new else {}
            log.setdefault(row.entity_id, _Recorded()).apply(row.action, new, row.at)
        last = rows[-1].id


def _holders(session: Session, ids: list[int]) -> dict[int, list[list[Any]]]:
    held: dict[int, list[list[Any]]] = {i: [] for i in ids}
    rows = session.execute(
        select(Assignment.appeal_id, Assignment.body_id, Assignment.failed)
        .where(Assignment.appeal_id.in_(ids))
        .order_by(Assignment.id)
    )
    for appeal_id, body_id, failed in rows:
        held[appeal_id].append([body_id, bool(failed)])
    return held


def _differences(appeal: Appeal, recorded: _Recorded, settings: Settings) -> list[str]:
    problems = []
    stored = audit_state(appeal)
    for key in _STATE_FIELDS:
        if stored[key] != recorded.state.get(key):
            problems.append(f"{key} differs from its last audit event")
    submitted = recorded.submitted
    text_sha = submitted.get("text_sha256")
    if text_sha and hashlib.sha256(appeal.text.encode()).hexdigest() != text_sha:
        problems.append("text differs from the text registered")
    for logged, column in _SUBMITTED_FIELDS.items():
        if logged in submitted and submitted[logged] != getattr(appeal, column):
            problems.append(f"{column} differs from the one registered")
    who = submitted.get("applicant_digest")
    if who and applicant_digest(settings, appeal) != who:
        problems.append("the applicant's personal data (name, e-mail, phone, IIN) was changed")
    return problems


def check_appeals(session: Session, settings: Settings) -> list[Mismatch]:
    """Every difference between the stored appeals and their audit events."""
    log = _recorded(session)
    found: list[Mismatch] = []
    seen: set[str] = set()
    last = 0
    while True:
        appeals = session.scalars(
            select(Appeal).where(Appeal.id > last).order_by(Appeal.id).limit(BATCH)
        ).all()
        if not appeals:
            break
        held = _holders(session, [a.id for a in appeals])
        for appeal in appeals:
            seen.add(appeal.number)
            recorded = log.get(appeal.number)
            if recorded is None or not recorded.submitted:
                found.append(_mismatch(appeal.number, "stored, but never registered in the log"))
                continue
            problems = _differences(appeal, recorded, settings)
            if held[appeal.id] != recorded.holders:
                problems.append(
                    "the bodies that held it, or which of them failed, differ from the log"
                )
            found += [_mismatch(appeal.number, p) for p in problems]
        last = appeals[-1].id
        session.expunge_all()
    for number in sorted(n for n in set(log) - seen if log[n].submitted):
        found.append(_mismatch(number, "registered in the log, but deleted from the appeals"))
    return found


def _mismatch(number: str, problem: str) -> Mismatch:
    return Mismatch("appeal", number, problem)
