"""Who may see and act on an appeal: the rules, over plain values. The access-checked getters
that apply them are in `queries`; "not found" and "forbidden" look the same, so numbers cannot
be probed."""

from __future__ import annotations

import hmac
from collections.abc import Iterable
from typing import Literal

from arna.appeals.models import Appeal
from arna.bodies.reference import bodies, parent_chain
from arna.core.actors import Actor
from arna.core.errors import NotFound
from arna.core.hashing import digest

View = Literal["public", "full"]


def in_scope(scope_body: str | None, body_id: str) -> bool:
    """Is `body_id` the body `scope_body` or one under it?"""
    if scope_body is None or body_id not in bodies():
        return False
    return any(b.id == scope_body for b in parent_chain(body_id))


def scope_of(actor: Actor) -> list[str]:
    """The bodies whose appeals this official or supervisor sees: their own and those under it."""
    return [b for b in bodies() if in_scope(actor.body_id, b)]


def can_act(actor: Actor, appeal: Appeal) -> bool:
    if actor.kind == "admin":
        return True
    if actor.kind == "official":
        return appeal.body_id == actor.body_id
    if actor.kind == "supervisor":
        return in_scope(actor.body_id, appeal.body_id)
    return False


def held_by_scope(actor: Actor, held: Iterable[str]) -> bool:
    """Did this actor's body (or, for a supervisor, a body under it) ever hold the appeal?"""
    if actor.kind not in ("official", "supervisor"):
        return False
    if actor.kind == "official":
        return actor.body_id in set(held)
    return any(in_scope(actor.body_id, body) for body in set(held))


def code_matches(appeal: Appeal, access_code: str | None) -> bool:
    if not access_code:
        return False
    return hmac.compare_digest(appeal.access_code_hash, digest(access_code.strip().upper()))


def not_found(number: str) -> NotFound:
    return NotFound(f"no appeal {number} that you may see", number=number)
