"""A Pol.is conversation brought in whole, in one transaction: its statements with their
moderation, its participants (numbered as in the export; nobody holds their tokens), every vote
with its time, and the groups found by replaying the votes in the order they came."""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Callable, Hashable
from datetime import datetime, timedelta

from arna.core import audit
from arna.core.actors import Actor
from arna.core.clock import now_utc
from arna.core.db import Database, table_of
from arna.core.errors import Forbidden
from arna.core.hashing import digest
from arna.opinion import policy
from arna.opinion.actions.consultations import event, language_of, new_consultation
from arna.opinion.actions.groups import store
from arna.opinion.maths.history import WINDOW, polis_replay
from arna.opinion.models import Participant, Statement, Vote
from arna.opinion.polis_format import PolisConversation

Progress = Callable[[int, int], None]


def import_polis(
    db: Database,
    actor: Actor,
    conversation: PolisConversation,
    window: timedelta = WINDOW,
    progress: Progress | None = None,
    now: datetime | None = None,
) -> str:
    """Returns the new consultation's number."""
    if actor.kind != "admin":
        raise Forbidden("conversations are imported by the administrators")
    now = now or now_utc()
    statuses: dict[Hashable, str] = {
        s.id: policy.POLIS_MODERATION[s.moderated] for s in conversation.statements
    }
    votes = [(v.at, v.participant, v.statement, v.value) for v in conversation.votes]
    memory, result, table = polis_replay(
        votes,
        lambda s: policy.moderated_out(statuses[s]),
        window,
        progress,
    )
    people = sorted({v.participant for v in conversation.votes} | set(conversation.groups))
    last = {(v.participant, v.statement): v.value for v in conversation.votes}
    tallies = Counter((statement, value) for (_, statement), value in last.items())
    with db.write() as session:
        consultation = new_consultation(
            session,
            conversation.topic[:200] or "Pol.is conversation",
            conversation.description or conversation.topic,
            language_of(f"{conversation.topic}. {conversation.description}"),
            None,
            policy.CLOSED,
            "polis",
            now,
        )
        participants = {
            pid: Participant(
                consultation_id=consultation.id,
                number=pid,
                key=digest(f"polis:{secrets.token_hex(16)}"),  # no token opens it
                created_at=now,
            )
            for pid in people
        }
        session.add_all(participants.values())
        session.flush()
        statements = {
            s.id: Statement(
                consultation_id=consultation.id,
                number=s.id,
                text=s.text or f"#{s.id}",
                language=language_of(s.text) if s.text else consultation.language,
                status=statuses[s.id],
                author_id=participants[s.author].id if s.author in participants else None,
                created_at=s.created,
                agree=tallies.get((s.id, 1), 0),
                disagree=tallies.get((s.id, -1), 0),
                passed=tallies.get((s.id, 0), 0),
            )
            for s in conversation.statements
        }
        session.add_all(statements.values())
        session.flush()
        if conversation.votes:
            session.execute(
                table_of(Vote).insert(),
                [
                    {
                        "consultation_id": consultation.id,
                        "statement_id": statements[v.statement].id,
                        "participant_id": participants[v.participant].id,
                        "value": v.value,
                        "cast_at": v.at,
                    }
                    for v in conversation.votes
                ],
            )
        last = session.scalar(
            __import__("sqlalchemy")
            .select(__import__("sqlalchemy").func.max(Vote.id))
            .where(Vote.consultation_id == consultation.id)
        )
        audit.record_many(
            session,
            [
                event(
                    actor,
                    "consultation.imported",
                    consultation,
                    now,
                    origin="polis",
                    statements=len(statements),
                    participants=len(participants),
                    votes=len(conversation.votes),
                )
            ],
        )
        store(session, consultation, memory, result, table, statuses, int(last or 0), now)
        return consultation.number
