"""each assignment records the body's first response and whether it extended the term

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 09:45:00

Oversight measures working days to a body's first response (it took the appeal into work,
answered it or forwarded it) and the share of appeals whose term it extended, per assignment.
Existing rows are filled from the audit log: the first `appeal.accepted` event of the appeal
within the assignment's period, else its end when it ended with an answer or a forward; an
`appeal.extended` event within the period marks it extended.
"""

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from arna.core.db import UTCDateTime

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RESPONSES = ("resolved", "explained", "refused", "duplicate", "disputed", "forwarded",
             "forwarded_late")  # fmt: skip


def _moment(value: object) -> datetime:
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def upgrade() -> None:
    with op.batch_alter_table("appeal_assignments") as batch:
        batch.add_column(sa.Column("responded_at", UTCDateTime(), nullable=True))
        batch.add_column(
            sa.Column("extended", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    bind = op.get_bind()
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
        sa.column("id", sa.Integer()),
        sa.column("responded_at", UTCDateTime()),
        sa.column("extended", sa.Boolean()),
    )
    rows = bind.execute(
        sa.text(
            "SELECT s.id, a.number, s.started_at, s.ended_at, s.result"
            " FROM appeal_assignments s JOIN appeals a ON a.id = s.appeal_id"
        )
    )
    for ident, number, started, ended, result in rows.all():
        start = _moment(started)
        end = _moment(ended) if ended is not None else None
        inside = [
            (at, action)
            for at, action in sorted(events.get(str(number), []))
            if at >= start and (end is None or at <= end)
        ]
        accepted = [at for at, action in inside if action == "appeal.accepted"]
        responded = accepted[0] if accepted else (end if result in RESPONSES else None)
        extended = any(action == "appeal.extended" for _, action in inside)
        if responded is not None or extended:
            bind.execute(
                table.update()
                .where(table.c.id == ident)
                .values(responded_at=responded, extended=extended)
            )


def downgrade() -> None:
    with op.batch_alter_table("appeal_assignments") as batch:
        batch.drop_column("extended")
        batch.drop_column("responded_at")
