"""The only writes of bodies: loading body kinds, bodies and categories into the database."""

from __future__ import annotations

from dataclasses import asdict

from sqlalchemy.orm import Session

from arna.bodies.competence import categories
from arna.bodies.models import AppealCategory, Body, BodyType
from arna.bodies.reference import bodies, body_kinds, parent_chain
from arna.core.sync import SyncCounts, sync_rows


def sync_bodies(session: Session) -> list[SyncCounts]:
    kinds = sync_rows(session, BodyType, [asdict(k) for k in body_kinds().values()], key=["id"])
    # Parents before children, so that foreign keys hold at every insert.
    ordered = sorted(bodies().values(), key=lambda b: (len(parent_chain(b.id)), b.id))
    body_counts = sync_rows(session, Body, [asdict(b) for b in ordered], key=["id"])
    category_rows = [
        {**asdict(c), "body_kinds": "|".join(c.body_kinds)} for c in categories().values()
    ]
    category_counts = sync_rows(session, AppealCategory, category_rows, key=["id"])
    return [kinds, body_counts, category_counts]
