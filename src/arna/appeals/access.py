"""Who may see and act on an appeal. Protected rows are loaded only through these getters;
"not found" and "forbidden" look the same, so numbers cannot be probed."""

from __future__ import annotations

import hmac
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from arna.appeals.models import Appeal, Assignment
from arna.bodies.reference import bodies, parent_chain
from arna.core.auth import Actor, digest
from arna.core.errors import NotFound

View = Literal["public", "full"]


def in_scope(scope_body: str | None, body_id: str) -> bool:
    """Is `body_id` the body `scope_body` or one under it?"""
    if scope_body is None or body_id not in bodies():
        return False
    return any(b.id == scope_body for b in parent_chain(body_id))


def can_act(actor: Actor, appeal: Appeal) -> bool:
    if actor.kind == "admin":
        return True
    if actor.kind == "official":
        return appeal.body_id == actor.body_id
    if actor.kind == "supervisor":
        return in_scope(actor.body_id, appeal.body_id)
    return False


def code_matches(appeal: Appeal, access_code: str | None) -> bool:
    if not access_code:
        return False
    return hmac.compare_digest(appeal.access_code_hash, digest(access_code.strip().upper()))


def _handled_by_scope(session: Session, actor: Actor, appeal: Appeal) -> bool:
    if actor.kind not in ("official", "supervisor"):
        return False
    held = session.scalars(select(Assignment.body_id).where(Assignment.appeal_id == appeal.id))
    if actor.kind == "official":
        return actor.body_id in set(held)
    return any(in_scope(actor.body_id, body) for body in set(held))


def not_found(number: str) -> NotFound:
    return NotFound(f"no appeal {number} that you may see", number=number)


def get_appeal_for(
    session: Session, actor: Actor, number: str, access_code: str | None = None
) -> tuple[Appeal, View]:
    """The appeal and how much of it this actor sees."""
    appeal = session.scalar(select(Appeal).where(Appeal.number == number))
    if appeal is None:
        raise not_found(number)
    if code_matches(appeal, access_code) or can_act(actor, appeal):
        return appeal, "full"
    if _handled_by_scope(session, actor, appeal):
        return appeal, "full"
    if appeal.public:
        return appeal, "public"
    raise not_found(number)


def lock_appeal_for_action(session: Session, actor: Actor, number: str) -> Appeal:
    """The appeal, row-locked, if this actor may act on it (officials of its body and above)."""
    appeal = session.scalar(select(Appeal).where(Appeal.number == number).with_for_update())
    if appeal is None or not can_act(actor, appeal):
        raise not_found(number)
    return appeal


def lock_appeal_for_applicant(session: Session, number: str, access_code: str | None) -> Appeal:
    appeal = session.scalar(select(Appeal).where(Appeal.number == number).with_for_update())
    if appeal is None or not code_matches(appeal, access_code):
        raise not_found(number)
    return appeal
