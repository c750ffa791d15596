"""Computing a consultation's groups: one run of the maths over all the votes, starting from
what the last run left, stored with the groups, the map and the summary."""

from __future__ import annotations

import json
from collections.abc import Hashable, Mapping, Sequence
from datetime import datetime
from typing import Any

import numpy as np
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from arna.core import audit
from arna.core.actors import system
from arna.core.clock import now_utc
from arna.core.db import Database
from arna.opinion import policy, queries
from arna.opinion.actions.consultations import event
from arna.opinion.maths.groups import Memory, Result, run
from arna.opinion.maths.votetable import VoteTable, vote_arrays, vote_table
from arna.opinion.models import Consultation, Participant
from arna.opinion.results import memory_from_json, memory_json, summary

WORKER = system("opinion")


def store(
    session: Session,
    consultation: Consultation,
    memory: Memory,
    result: Result,
    table: VoteTable,
    statuses: Mapping[Hashable, str],
    last_vote: int,
    now: datetime,
) -> None:
    """Keep one run's outcome: the memory, every participant's group and place, the summary."""
    out = np.array([policy.moderated_out(statuses[s]) for s in table.statements], dtype=np.bool_)
    ids = dict(
        session.execute(
            select(Participant.number, Participant.id).where(
                Participant.consultation_id == consultation.id
            )
        ).all()
    )
    changes: list[dict[str, Any]] = [
        {
            "id": ids[number],
            "group_id": result.groups.get(number),
            "x": result.points.get(number, (None, None))[0],
            "y": result.points.get(number, (None, None))[1],
        }
        for number in ids
    ]
    if changes:
        session.execute(update(Participant), changes)
    consultation.memory = memory_json(memory)
    consultation.summary = _json(summary(table, out, result.groups))
    consultation.groups_k = result.k
    consultation.groups_at = now
    consultation.votes_seen = last_vote
    audit.record_many(
        session,
        [
            event(
                WORKER,
                "consultation.groups",
                consultation,
                now,
                k=result.k,
                placed=len(result.groups),
            )
        ],
    )


def _json(data: dict[str, Any]) -> str:
    return json.dumps(data, separators=(",", ":"), default=str)


def table_of(rows: Sequence[tuple[Any, ...]]) -> VoteTable:
    """The vote matrix of `queries.vote_rows`: (id, when, participant, statement, value)."""
    if not rows:
        return vote_table(())
    _, _, participants, statements, values = zip(*rows, strict=True)
    return vote_arrays(
        np.array(participants, dtype=np.int64),
        np.array(statements, dtype=np.int64),
        np.array(values, dtype=np.int64),
    )


def compute_groups(db: Database, number: str, now: datetime | None = None) -> int | None:
    """Runs the maths when votes came since the last run; returns the number of groups."""
    now = now or now_utc()
    with db.read() as session:
        consultation = queries.get_consultation(session, number)
        rows = queries.vote_rows(session, consultation.id)
        statuses = queries.statement_statuses(session, consultation.id)
        memory = memory_from_json(consultation.memory)
        seen = consultation.votes_seen
        k = consultation.groups_k
    last = rows[-1][0] if rows else 0
    if last == seen and k is not None:
        return k
    table = table_of(rows)
    known: dict[Hashable, str] = dict(statuses.items())
    out = np.array([policy.moderated_out(known[s]) for s in table.statements], dtype=np.bool_)
    memory, result = run(memory, table, out)
    with db.write() as session:
        consultation = queries.get_consultation(session, number, lock=True)
        if consultation.votes_seen > last:
            return consultation.groups_k  # a run over more votes was stored meanwhile
        store(session, consultation, memory, result, table, known, last, now)
        return result.k


def sweep_groups(db: Database, now: datetime) -> dict[str, int]:
    """The worker's turn: the groups of every open consultation with new votes."""
    with db.read() as session:
        numbers = queries.pending_consultations(session)
    for number in numbers:
        compute_groups(db, number, now)
    return {"consultation_groups": len(numbers)}
