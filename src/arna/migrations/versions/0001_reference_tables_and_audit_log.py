"""reference tables and audit log

Revision ID: 0001
Revises:
Create Date: 2026-11-28 00:47:34.625529
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.String(length=32), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=100), nullable=False),
        sa.Column("entity_type", sa.String(length=50), nullable=False),
        sa.Column("entity_id", sa.String(length=100), nullable=False),
        sa.Column("old", sa.Text(), nullable=True),
        sa.Column("new", sa.Text(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("hash"),
    )
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_events_action"), ["action"], unique=False)

    op.create_table(
        "body_kinds",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("level", sa.String(length=40), nullable=False),
        sa.Column("name_kk", sa.String(length=200), nullable=False),
        sa.Column("name_ru", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "categories",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("name_kk", sa.String(length=300), nullable=False),
        sa.Column("name_ru", sa.String(length=300), nullable=False),
        sa.Column("name_en", sa.String(length=300), nullable=False),
        sa.Column("body_kinds", sa.String(length=200), nullable=False),
        sa.Column("central_id", sa.String(length=60), nullable=True),
        sa.Column("lowest_level", sa.String(length=20), nullable=False),
        sa.Column("basis", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "geo_units",
        sa.Column("kato", sa.String(length=9), nullable=False),
        sa.Column("parent_kato", sa.String(length=9), nullable=True),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("unit_type", sa.String(length=40), nullable=False),
        sa.Column("iso_3166_2", sa.String(length=6), nullable=True),
        sa.Column("name_kk", sa.String(length=200), nullable=False),
        sa.Column("name_ru", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("population", sa.Integer(), nullable=True),
        sa.Column("population_date", sa.Date(), nullable=True),
        sa.Column("center_lat", sa.Float(), nullable=True),
        sa.Column("center_lon", sa.Float(), nullable=True),
        sa.Column("boundary", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["parent_kato"],
            ["geo_units.kato"],
        ),
        sa.PrimaryKeyConstraint("kato"),
    )
    with op.batch_alter_table("geo_units", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_geo_units_parent_kato"), ["parent_kato"], unique=False)

    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("last_event_id", sa.Integer(), nullable=True),
        sa.Column("last_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["last_event_id"],
            ["audit_events.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "bodies",
        sa.Column("id", sa.String(length=60), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("parent_id", sa.String(length=60), nullable=True),
        sa.Column("kato", sa.String(length=9), nullable=True),
        sa.Column("central_id", sa.String(length=60), nullable=True),
        sa.Column("name_kk", sa.String(length=300), nullable=False),
        sa.Column("name_ru", sa.String(length=300), nullable=False),
        sa.Column("name_en", sa.String(length=300), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("origin", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["kato"],
            ["geo_units.kato"],
        ),
        sa.ForeignKeyConstraint(
            ["kind"],
            ["body_kinds.id"],
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["bodies.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("bodies", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bodies_kato"), ["kato"], unique=False)
        batch_op.create_index(batch_op.f("ix_bodies_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_bodies_parent_id"), ["parent_id"], unique=False)

    op.create_table(
        "geo_aliases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kato", sa.String(length=9), nullable=False),
        sa.Column("alias", sa.String(length=200), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("lang", sa.String(length=10), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(
            ["kato"],
            ["geo_units.kato"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("kato", "key"),
    )
    with op.batch_alter_table("geo_aliases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_geo_aliases_kato"), ["kato"], unique=False)
        batch_op.create_index(batch_op.f("ix_geo_aliases_key"), ["key"], unique=False)

    audit_head = sa.table(
        "audit_head",
        sa.column("id", sa.Integer),
        sa.column("last_event_id", sa.Integer),
        sa.column("last_hash", sa.String),
    )
    op.bulk_insert(audit_head, [{"id": 1, "last_event_id": None, "last_hash": "0" * 64}])


def downgrade() -> None:
    with op.batch_alter_table("geo_aliases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_geo_aliases_key"))
        batch_op.drop_index(batch_op.f("ix_geo_aliases_kato"))

    op.drop_table("geo_aliases")
    with op.batch_alter_table("bodies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bodies_parent_id"))
        batch_op.drop_index(batch_op.f("ix_bodies_kind"))
        batch_op.drop_index(batch_op.f("ix_bodies_kato"))

    op.drop_table("bodies")
    op.drop_table("audit_head")
    with op.batch_alter_table("geo_units", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_geo_units_parent_kato"))

    op.drop_table("geo_units")
    op.drop_table("categories")
    op.drop_table("body_kinds")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_events_action"))

    op.drop_table("audit_events")
