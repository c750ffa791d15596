"""appeals by body and publicity: one index on (body_id, public) instead of body_id alone

The public list asks which bodies hold a public appeal, one probe per body. With an index on
body_id alone and another on (public, registered_at), SQLite chose the second and read every
public appeal once per body: 2.4 s for 782 bodies and 15,000 appeals. The pair serves every
query on body_id alone too, so the old index goes and each insert keeps one index fewer.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-08 02:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_appeals_body_public", "appeals", ["body_id", "public"])
    op.drop_index("ix_appeals_body_id", table_name="appeals")


def downgrade() -> None:
    op.create_index("ix_appeals_body_id", "appeals", ["body_id"])
    op.drop_index("ix_appeals_body_public", table_name="appeals")
