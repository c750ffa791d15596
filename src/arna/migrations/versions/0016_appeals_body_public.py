"""appeals by body: (body_id, public, status) and (body_id, registered_at) instead of body_id

The public list asks which bodies hold a public appeal, one probe per body. With an index on
body_id alone and another on (public, registered_at), SQLite chose the second and read every
public appeal once per body: 2.4 s for 782 bodies and 15,000 appeals. The pair serves every
query on body_id alone too, so the old index goes. A body's list newest first (the official's
inbox through the API) sorted every appeal the body holds to show 50, and counted them
reading each row past its text: 55 ms at 15,000. Walking (body_id, registered_at) backwards
stops at the page, and the count reads (body_id, public, status) alone: 4 ms.

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
    op.create_index("ix_appeals_body_public", "appeals", ["body_id", "public", "status"])
    op.create_index("ix_appeals_body_registered", "appeals", ["body_id", "registered_at"])
    op.drop_index("ix_appeals_body_id", table_name="appeals")


def downgrade() -> None:
    op.create_index("ix_appeals_body_id", "appeals", ["body_id"])
    op.drop_index("ix_appeals_body_registered", table_name="appeals")
    op.drop_index("ix_appeals_body_public", table_name="appeals")
