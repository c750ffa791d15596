"""access codes sealed: outbox e-mails and idempotent responses keep no code in clear

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 14:00:00

Rows written before this revision held the code in clear: an e-mail waiting to be sent gets it
sealed with this installation's key (the settings `arna db upgrade` runs with), a sent or failed
one loses it (its text keeps a placeholder), and a stored idempotent response gets it sealed.
"""

import json
import re
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from arna.core import sealing
from arna.core.settings import Settings

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CODE = re.compile(r"(?<![A-Z0-9])[A-HJ-NP-Z2-9]{5}-[A-HJ-NP-Z2-9]{5}(?![A-Z0-9])")
PLACEHOLDER = "\u27e6access_code\u27e7"


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("sealed", sa.Text(), nullable=True))
    with op.batch_alter_table("idempotency_keys") as batch:
        batch.add_column(sa.Column("sealed_code", sa.Text(), nullable=True))
    _seal_existing(op.get_bind())


def _seal_existing(conn: sa.Connection) -> None:
    settings = Settings()
    outbox = sa.table(
        "outbox",
        sa.column("id", sa.Integer),
        sa.column("event", sa.String),
        sa.column("status", sa.String),
        sa.column("body", sa.Text),
        sa.column("sealed", sa.Text),
    )
    rows = conn.execute(
        sa.select(outbox.c.id, outbox.c.status, outbox.c.body).where(outbox.c.event == "submitted")
    ).all()
    for row in rows:
        found = CODE.search(row.body)
        if found is None:
            continue
        sealed = None
        if row.status == "pending":
            sealed = sealing.seal(settings, json.dumps({"access_code": found.group()}))
        conn.execute(
            sa.update(outbox)
            .where(outbox.c.id == row.id)
            .values(body=CODE.sub(PLACEHOLDER, row.body), sealed=sealed)
        )
    keys = sa.table(
        "idempotency_keys",
        sa.column("key", sa.String),
        sa.column("response", sa.Text),
        sa.column("sealed_code", sa.Text),
    )
    for key, response in conn.execute(sa.select(keys.c.key, keys.c.response)).all():
        data = json.loads(response)
        code, data["access_code"] = data.get("access_code", ""), ""
        conn.execute(
            sa.update(keys)
            .where(keys.c.key == key)
            .values(response=json.dumps(data), sealed_code=sealing.seal(settings, code))
        )


def downgrade() -> None:
    with op.batch_alter_table("idempotency_keys") as batch:
        batch.drop_column("sealed_code")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("sealed")
