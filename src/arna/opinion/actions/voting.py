"""A vote: agree, disagree or pass on one statement, by a participant's token. Every vote is a
new row committed before the answer (a changed vote replaces the earlier one in the count, and
both stay), so an acknowledged vote is never lost."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select

from arna.core.clock import now_utc
from arna.core.db import Database
from arna.core.errors import InvalidTransition
from arna.opinion import policy
from arna.opinion.models import Statement, Vote
from arna.opinion.queries import get_consultation, participant_by_token, statement_by_number


def cast_vote(
    db: Database, number: str, token: str, statement: int, vote: str, now: datetime | None = None
) -> int:
    """Records the vote; returns how many statements this participant has voted on."""
    return cast_votes(db, number, token, [(statement, vote, now or now_utc())])


def count(statement: Statement, value: int, change: int) -> None:
    """Moves the statement's counter of `value` (agree 1, disagree -1, pass 0) by `change`."""
    if value > 0:
        statement.agree += change
    elif value < 0:
        statement.disagree += change
    else:
        statement.passed += change


def cast_votes(
    db: Database, number: str, token: str, votes: Sequence[tuple[int, str, datetime]]
) -> int:
    """One participant's votes (statement, vote, when) in one transaction: all or none."""
    with db.write() as session:
        consultation = get_consultation(session, number)
        if consultation.status != policy.OPEN:
            raise InvalidTransition(f"consultation {number} is closed: it takes no more votes")
        participant = participant_by_token(session, consultation, token)
        for statement, vote, at in votes:
            found = statement_by_number(session, consultation, statement, lock=True)
            if found.status != policy.ACCEPTED:
                raise InvalidTransition(
                    f"statement {statement} is not open for votes ({found.status})"
                )
            before = session.scalar(
                select(Vote.value)
                .where(Vote.participant_id == participant.id, Vote.statement_id == found.id)
                .order_by(Vote.id.desc())
                .limit(1)
            )
            if before is not None:
                count(found, before, -1)
            count(found, policy.VOTES[vote], +1)
            session.add(
                Vote(
                    consultation_id=consultation.id,
                    statement_id=found.id,
                    participant_id=participant.id,
                    value=policy.VOTES[vote],
                    cast_at=at,
                )
            )
        session.flush()
        return int(
            session.scalar(
                select(func.count(func.distinct(Vote.statement_id))).where(
                    Vote.participant_id == participant.id
                )
            )
            or 0
        )
