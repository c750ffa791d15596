"""login throttle leaves the database: failed logins are counted in memory per address

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 10:00:00

The table locked an account after five wrong passwords, which let anybody keep any official
out; `accounts.throttle` now counts failures per client address and per account in memory.
The counts it held are dropped (a downgrade recreates the table empty).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from arna.core.db import UTCDateTime

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_table("login_throttle")


def downgrade() -> None:
    op.create_table(
        "login_throttle",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("locked_until", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("user_id"),
    )
