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
from arna.text.similarity import likeness, vectors, width

LIKENESS = 0.4
WINDOW_DAYS = 180
RECURRENCE_DAYS = 90
BATCH = 1000
LINKER = system("problems")
LINKER_LOCK = 0x41524E41  # "ARNA": the advisory lock of the linker, with its schema's hash

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
class _Block:
    """The appeals of one block a batch compares with, by id (the batch's own included, in
    the same identity), their vectors' rows and the answers that marked them resolved."""

    members: list[Appeal]
    ids: np.ndarray
    registered: np.ndarray  # seconds since the epoch
    rows: slice  # of the batch's matrix of vectors
    resolved: dict[int, Assignment]


def _grouped(batch: list[Appeal]) -> dict[Block, list[Appeal]]:
    by_block: dict[Block, list[Appeal]] = defaultdict(list)
    for appeal in batch:
        by_block[block_of(appeal)].append(appeal)
    return by_block


class _Vectors:
    """The vectors of the appeals one `link_problems` call has read, by appeal id (a text
    never changes): a big block's appeals come back in batch after batch, and reading them
    again cost half the linking."""

    LIMIT = 200_000  # rows kept (a few hundred bytes each)

    def __init__(self) -> None:
        self._rows: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    def of(self, appeals: list[Appeal]) -> Any:
        missing = [a for a in appeals if a.id not in self._rows]
        if len(self._rows) + len(missing) > self.LIMIT:
            self._rows.clear()
            missing = appeals
        if missing:
            fresh = vectors([a.text for a in missing])
            for i, a in enumerate(missing):
                start, end = fresh.indptr[i], fresh.indptr[i + 1]
                self._rows[a.id] = (fresh.indices[start:end], fresh.data[start:end])
        parts = [self._rows[a.id] for a in appeals]
        lengths = np.array([len(p[0]) for p in parts], np.int64)
        indptr = np.concatenate([[0], np.cumsum(lengths)])
        indices = np.concatenate([p[0] for p in parts]) if parts else np.zeros(0, np.int32)
        data = np.concatenate([p[1] for p in parts]) if parts else np.zeros(0, np.float32)
        return sp.csr_matrix((data, indices, indptr), shape=(len(appeals), width()))


def _blocks(
    session: Session, batch: list[Appeal], cache: _Vectors
) -> tuple[dict[Block, _Block], Any]:
    """Every block the batch touches: its appeals from WINDOW_DAYS before the first of the
    batch's to the last of them, and one matrix of all their vectors (one call: most blocks
    hold a few appeals, and each call has its overhead)."""
    found: dict[Block, _Block] = {}
    everyone: list[Appeal] = []
    for block, appeals in _grouped(batch).items():
        since = appeals[0].registered_at - timedelta(days=WINDOW_DAYS)
        inside = (_in_block(block), Appeal.registered_at >= since, Appeal.id <= appeals[-1].id)
        members = list(session.scalars(select(Appeal).where(*inside).order_by(Appeal.id)))
        resolved: dict[int, Assignment] = {}
        for held in session.scalars(
            select(Assignment)
            .join(Appeal, Appeal.id == Assignment.appeal_id)
            .where(*inside, Assignment.result == "resolved")
            .order_by(Assignment.ended_at)
        ):
            resolved[held.appeal_id] = held  # the last, when one appeal has two
        found[block] = _Block(
            members,
            np.array([m.id for m in members], np.int64),
            np.array([m.registered_at.timestamp() for m in members]),
            slice(len(everyone), len(everyone) + len(members)),
            resolved,
        )
        everyone += members
    return found, cache.of(everyone)


def join_problem(session: Session, appeal: Appeal, problem_id: int) -> None:
    """`appeal` reports problem `problem_id`; appeals that reported its own (duplicates an
    official pointed at it before it was linked) follow it."""
    appeal.problem_id = problem_id
    followers = (Appeal.problem_id == appeal.id, Appeal.id != appeal.id)
    with session.no_autoflush:  # the appeals a batch links before this one never follow it
        if session.scalar(select(Appeal.id).where(*followers).limit(1)) is None:
            return
    session.execute(
        update(Appeal).where(*followers).values(problem_id=problem_id),
        execution_options={"synchronize_session": "fetch"},
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
    effects: Effects, appeal: Appeal, scores: np.ndarray, block: _Block, now: datetime
) -> tuple[bool, bool]:
    """Link `appeal` to its problem, given its likeness to each member of its block; (joined
    an earlier problem, came back)."""
    window = (appeal.registered_at - timedelta(days=WINDOW_DAYS)).timestamp()
    earlier = (block.ids < appeal.id) & (block.registered >= window)
    scores = np.where(earlier, scores, -1.0)
    alike = [block.members[j] for j in np.flatnonzero(scores >= LIKENESS)]
    if alike:
        best = block.members[int(np.argmax(scores))]
        join_problem(effects.session, appeal, best.problem_id or best.id)
    else:
        appeal.problem_id = appeal.id
    return bool(alike), _came_back(effects, appeal, alike, block.resolved, now)


def _came_back(
    effects: Effects,
    appeal: Appeal,
    alike: list[Appeal],
    resolved: dict[int, Assignment],
    now: datetime,
) -> bool:
    since = appeal.registered_at - timedelta(days=RECURRENCE_DAYS)
    repeated = [
        (held, a)
        for a in alike
        if (held := resolved.get(a.id)) is not None
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
    cache = _Vectors()
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
            blocks, matrix = _blocks(session, batch, cache)
            for block, appeals in _grouped(batch).items():
                known = blocks[block]
                rows = matrix[known.rows]
                at = np.searchsorted(known.ids, [a.id for a in appeals])
                scores = likeness(rows[at], rows)  # blocks do not meet: one after another
                for appeal, row in zip(appeals, scores, strict=True):
                    joined, came_back = _link_one(effects, appeal, row, known, now)
                    report.linked += 1
                    report.joined += joined
                    report.came_back += came_back
        if len(batch) < BATCH:
            return report


def _sole_linker(session: Session) -> bool:
    """Whether this transaction is the only linker (SQLite runs one writer at a time anyway)."""
    if session.get_bind().dialect.name != "postgresql":
        return True
    # keyed by the schema too: installations (and tests) sharing a database do not wait for
    # each other's linker
    lock = func.pg_try_advisory_xact_lock(LINKER_LOCK, func.hashtext(func.current_schema()))
    return bool(session.scalar(select(lock)))
