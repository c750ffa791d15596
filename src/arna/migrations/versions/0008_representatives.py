"""representatives: legislatures, parties, deputies, attendance, roll calls, parliament's cost

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 09:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _names() -> list[sa.Column[str]]:
    return [
        sa.Column(f"name_{lang}", sa.String(length=200), nullable=False)
        for lang in ["kk", "ru", "en"]
    ]


def upgrade() -> None:
    op.create_table(
        "legislatures",
        sa.Column("id", sa.String(length=40), nullable=False),
        *_names(),
        sa.Column("seats", sa.Integer(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("formation", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "parties",
        sa.Column("id", sa.String(length=40), nullable=False),
        *_names(),
        sa.Column("source", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "deputies",
        sa.Column("id", sa.String(length=60), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("legislature_id", sa.String(length=40), nullable=False),
        sa.Column("party_id", sa.String(length=40), nullable=True),
        sa.Column("mandate", sa.String(length=30), nullable=False),
        sa.Column("constituency", sa.String(length=200), nullable=True),
        sa.Column("region_kato", sa.String(length=9), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["legislature_id"], ["legislatures.id"]),
        sa.ForeignKeyConstraint(["party_id"], ["parties.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("deputies") as batch:
        batch.create_index(batch.f("ix_deputies_legislature_id"), ["legislature_id"])
        batch.create_index(batch.f("ix_deputies_party_id"), ["party_id"])
    op.create_table(
        "deputy_attendance",
        sa.Column("deputy_id", sa.String(length=60), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("present", sa.Boolean(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["deputy_id"], ["deputies.id"]),
        sa.PrimaryKeyConstraint("deputy_id", "day"),
    )
    op.create_table(
        "roll_calls",
        sa.Column("id", sa.String(length=60), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("roll_calls") as batch:
        batch.create_index(batch.f("ix_roll_calls_day"), ["day"])
    op.create_table(
        "vote_records",
        sa.Column("roll_call_id", sa.String(length=60), nullable=False),
        sa.Column("deputy_id", sa.String(length=60), nullable=False),
        sa.Column("choice", sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(["deputy_id"], ["deputies.id"]),
        sa.ForeignKeyConstraint(["roll_call_id"], ["roll_calls.id"]),
        sa.PrimaryKeyConstraint("roll_call_id", "deputy_id"),
    )
    with op.batch_alter_table("vote_records") as batch:
        batch.create_index(batch.f("ix_vote_records_deputy_id"), ["deputy_id"])
    op.create_table(
        "parliament_costs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("figure", sa.Text(), nullable=False),
        sa.Column("value_kzt", sa.BigInteger(), nullable=True),
        sa.Column("value_text", sa.String(length=60), nullable=False),
        sa.Column("unit", sa.String(length=60), nullable=False),
        sa.Column("derived", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("parliament_costs")
    op.drop_table("vote_records")
    op.drop_table("roll_calls")
    op.drop_table("deputy_attendance")
    op.drop_table("deputies")
    op.drop_table("parties")
    op.drop_table("legislatures")
