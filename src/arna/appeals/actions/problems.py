"""Shared and repeated problems: each appeal is linked to the problem it reports, and a problem
that comes back after a body marked it resolved is counted against that body.

The worker links appeals in the order they came (`link_problems`, part of its sweep). An appeal
is compared with the appeals of its block (same category and same place: its KATO unit, or the
body it went to when it names no place) registered in the WINDOW_DAYS before it. When the most
alike reaches LIKENESS (`text.similarity`: folded n-grams and problem concepts, across Kazakh,
Russian and English), the appeal joins that appeal's problem; otherwise it starts one of its own
(problem_id = its own id). An appeal an official closes as a duplicate joins its original's
problem (lifecycle.answer_appeal).

Came back: when an appeal alike enough (LIKENESS, same block) to an earlier one whose body
answered "resolved" comes within RECURRENCE_DAYS of that answer, the problem came back: the
earlier body's assignment is marked `came_back` (once) and the new appeal records which appeal it
repeats. Both are decided from the appeals' own dates, so linking history later (after the
migration) reads it as it would have been read as it happened.

Idempotent: only unlinked appeals are claimed. One linker works at a time (on PostgreSQL a
transaction-level advisory lock; the others skip linking in that sweep): two would each compare
an appeal with one the other is still linking, and split a problem in two.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np
import scipy.sparse as sp
from sqlalchemy import and_, func, select, update
from sqlalchemy.orm import Session

from arna.appeals.actions.effects import Effects, audit_state, changing
from arna.appeals.models import Appeal, Assignment
from arna.core.actors import system
from arna.core.db import Database
from arna.core.settings import Settings
from arna.text.similarity import likeness, vectors

LIKENESS = 0.4
WINDOW_DAYS = 180
RECURRENCE_DAYS = 90
BATCH = 200
LINKER = system("problems")
LINKER_LOCK = 0x41524E41_0001  # "ARNA" and 1: the advisory lock of the linker

Block = tuple[str | None, str]  # category, KATO unit or "body:<id>"


@dataclass
class LinkReport:
    linked: int = 0
    joined: int = 0  # linked to an earlier appeal's problem
    came_back: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def block_of(appeal: Appeal) -> Block:
    return appeal.category_id, appeal.kato or f"body:{appeal.body_id}"


def _in_block(block: Block) -> Any:
    category, place = block
    same_category = (
        Appeal.category_id.is_(None) if category is None else Appeal.category_id == category
    )
    if place.startswith("body:"):
        return and_(same_category, Appeal.kato.is_(None), Appeal.body_id == place[5:])
    return and_(same_category, Appeal.kato == place)


@dataclass
class _Known:
    """The appeals of one block a batch compares with, and their vectors."""

    appeals: list[Appeal]
    vectors: Any


def _known(session: Session, block: Block, since: datetime, before_id: int) -> _Known:
    earlier = list(
        session.scalars(
            select(Appeal)
            .where(_in_block(block), Appeal.registered_at >= since, Appeal.id < before_id)
            .order_by(Appeal.id)
        )
    )
    return _Known(earlier, vectors([a.text for a in earlier]))


def _resolved_answers(session: Session, ids: list[int]) -> dict[int, Assignment]:
    """The last assignment of each appeal whose body answered "resolved"."""
    found: dict[int, Assignment] = {}
    for held in session.scalars(
        select(Assignment)
        .where(Assignment.appeal_id.in_(ids), Assignment.result == "resolved")
        .order_by(Assignment.ended_at)
    ):
        found[held.appeal_id] = held
    return found


def join_problem(session: Session, appeal: Appeal, problem_id: int) -> None:
    """`appeal` reports problem `problem_id`; appeals that reported its own (duplicates an
    official pointed at it before it was linked) follow it."""
    appeal.problem_id = problem_id
    session.flush()
    session.execute(
        update(Appeal).where(Appeal.problem_id == appeal.id).values(problem_id=problem_id)
    )


def relink_later(session: Session, appeal: Appeal) -> None:
    """Its topic or place was corrected: the next sweep compares it again, within its new
    block. An appeal that others joined stays the first of their problem; a came-back already
    recorded (and in the audit log) stands."""
    if appeal.problem_id is None:
        return
    joined = select(Appeal.id).where(Appeal.problem_id == appeal.id, Appeal.id != appeal.id)
    if session.scalar(joined.limit(1)) is None:
        appeal.problem_id = None


def _link_one(
    effects: Effects, appeal: Appeal, vector: Any, known: _Known, now: datetime
) -> tuple[bool, bool]:
    """Link `appeal` to its problem; (joined an earlier problem, came back)."""
    window = appeal.registered_at - timedelta(days=WINDOW_DAYS)
    keep = [i for i, a in enumerate(known.appeals) if a.registered_at >= window]
    scores = likeness(vector, known.vectors[keep])[0] if keep else np.zeros(0)
    alike = [known.appeals[keep[i]] for i in np.flatnonzero(scores >= LIKENESS)]
    joined = bool(alike)
    if joined:
        best = known.appeals[keep[int(np.argmax(scores))]]
        join_problem(effects.session, appeal, best.problem_id or best.id)
    else:
        appeal.problem_id = appeal.id
    came_back = _came_back(effects, appeal, alike, now)
    return joined, came_back


def _came_back(effects: Effects, appeal: Appeal, alike: list[Appeal], now: datetime) -> bool:
    since = appeal.registered_at - timedelta(days=RECURRENCE_DAYS)
    answers = _resolved_answers(effects.session, [a.id for a in alike])
    repeated = [
        (held, a)
        for a in alike
        if (held := answers.get(a.id)) is not None
        and held.ended_at is not None
        and since <= held.ended_at <= appeal.registered_at
    ]
    if not repeated:
        return False
    held, earlier = max(repeated, key=lambda pair: pair[0].ended_at or since)
    appeal.recurrence_of = earlier.id
    if held.came_back:
        return False
    held.came_back = True
    effects.event(
        earlier,
        LINKER,
        "appeal.came_back",
        old=audit_state(earlier),
        reason=f"{appeal.number} reports the same problem within {RECURRENCE_DAYS} days",
        now=now,
        resolved_by=held.body_id,
        repeated_by=appeal.number,
    )
    return True


def link_problems(db: Database, settings: Settings, now: datetime) -> LinkReport:
    """Link every unlinked appeal to its problem, oldest first, a batch per transaction."""
    report = LinkReport()
    while True:
        with changing(db, settings) as effects:
            session = effects.session
            if not _sole_linker(session):
                return report
            batch = list(
                session.scalars(
                    select(Appeal)
                    .where(Appeal.problem_id.is_(None))
                    .order_by(Appeal.id)
                    .limit(BATCH)
                    .with_for_update()
                )
            )
            by_block: dict[Block, list[Appeal]] = defaultdict(list)
            for appeal in batch:
                by_block[block_of(appeal)].append(appeal)
            for block, appeals in by_block.items():
                since = appeals[0].registered_at - timedelta(days=WINDOW_DAYS)
                known = _known(session, block, since, appeals[0].id)
                new_vectors = vectors([a.text for a in appeals])
                for i, appeal in enumerate(appeals):
                    joined, came_back = _link_one(effects, appeal, new_vectors[i], known, now)
                    report.linked += 1
                    report.joined += joined
                    report.came_back += came_back
                    known.appeals.append(appeal)
                    known.vectors = _stacked(known.vectors, new_vectors[i])
        if len(batch) < BATCH:
            return report


def _sole_linker(session: Session) -> bool:
    """Whether this transaction is the only linker (SQLite runs one writer at a time anyway)."""
    if session.get_bind().dialect.name != "postgresql":
        return True
    return bool(session.scalar(select(func.pg_try_advisory_xact_lock(LINKER_LOCK))))


def _stacked(rows: Any, row: Any) -> Any:
    return sp.vstack([rows, row], format="csr") if rows.shape[0] else row
