"""each assignment records what oversight's scorecards count, as it happens

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 09:45:00

The scorecards (oversight/queries/scorecard.py) add these up in SQL instead of walking every
appeal's history: the body's first response (it took the appeal into work, answered it or
forwarded it) and the working days to it and to the answer, whether it extended the term,
whether its forward went to the wrong body (the receiving body forwarded it on), and the
applicant's verdict on its answer. Rows stored before are filled from the audit log and the
assignments themselves: the first `appeal.accepted` event within the assignment's period, else
its end when it ended with an answer or a forward; an `appeal.extended` event within the
period; working days by the bundled calendar.
"""

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

from arna.core.clock import load_calendar
from arna.core.db import UTCDateTime

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ANSWERS = ("resolved", "explained", "refused", "duplicate", "disputed")
FORWARDS = ("forwarded", "forwarded_late")


def _moment(value: object) -> datetime:
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def upgrade() -> None:
    with op.batch_alter_table("appeal_assignments") as batch:
        batch.add_column(sa.Column("responded_at", UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("response_days", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("answer_days", sa.Integer(), nullable=True))
        for flag in ("extended", "misrouted"):
            batch.add_column(
                sa.Column(flag, sa.Boolean(), nullable=False, server_default=sa.false())
            )
        batch.add_column(sa.Column("solved", sa.Boolean(), nullable=True))
    _fill(op.get_bind())


def _fill(bind: Any) -> None:
    events: dict[str, list[tuple[datetime, str]]] = defaultdict(list)
    for number, action, at in bind.execute(
        sa.text(
            "SELECT entity_id, action, at FROM audit_events WHERE entity_type = 'appeal'"
            " AND action IN ('appeal.accepted', 'appeal.extended')"
        )
    ):
        events[str(number)].append((_moment(at), str(action)))
    table = sa.table(
        "appeal_assignments",
        *(sa.column(name) for name in ("id", "response_days", "answer_days", "extended")),
        *(sa.column(name) for name in ("misrouted", "solved")),
        sa.column("responded_at", UTCDateTime()),
    )
    rows = bind.execute(
        sa.text(
            "SELECT s.appeal_id, s.id, a.number, s.started_at, s.ended_at, s.result, a.status,"
            " a.feedback_resolved FROM appeal_assignments s JOIN appeals a ON a.id = s.appeal_id"
            " ORDER BY s.appeal_id, s.id"
        )
    ).all()
    calendar = load_calendar()
    for i, (appeal, ident, number, started, ended, result, status, verdict) in enumerate(rows):
        later = rows[i + 1] if i + 1 < len(rows) and rows[i + 1][0] == appeal else None
        start = _moment(started)
        end = _moment(ended) if ended is not None else None
        inside = [
            (at, action)
            for at, action in sorted(events.get(str(number), []))
            if at >= start and (end is None or at <= end)
        ]
        accepted = [at for at, action in inside if action == "appeal.accepted"]
        answered = result in ANSWERS
        responded = accepted[0] if accepted else (end if answered or result in FORWARDS else None)
        solved = None
        if result == "disputed":
            solved = False
        elif answered and later is None and status == "closed" and verdict:
            solved = True
        values = {
            "responded_at": responded,
            "response_days": calendar.working_days_between(start, responded) if responded else None,
            "answer_days": calendar.working_days_between(start, end) if answered and end else None,
            "extended": any(action == "appeal.extended" for _, action in inside),
            "misrouted": result in FORWARDS and later is not None and later[5] in FORWARDS,
            "solved": solved,
        }
        if any(v not in (None, False) for v in values.values()):
            bind.execute(table.update().where(table.c.id == ident).values(**values))


def downgrade() -> None:
    with op.batch_alter_table("appeal_assignments") as batch:
        for name in ("solved", "misrouted", "extended", "answer_days", "response_days"):
            batch.drop_column(name)
        batch.drop_column("responded_at")
