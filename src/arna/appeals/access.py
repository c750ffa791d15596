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


def readable_bodies(actor: Actor) -> frozenset[str] | None:
    """The one reading rule, for a single appeal and for lists alike: the bodies whose appeals
    this actor reads whole, public or not, as long as one of them holds or ever held the
    appeal: an official's own body; a supervisor's and every body under it. None: every body
    (admins). Anybody else reads only public appeals (and an applicant their own, by its
    access code)."""
    if actor.kind == "admin":
        return None
    if actor.kind == "official":
        return frozenset([actor.body_id]) if actor.body_id in bodies() else frozenset()
    if actor.kind == "supervisor":
        return frozenset(scope_of(actor))
    return frozenset()


def reads_whole(actor: Actor, holders: Iterable[str]) -> bool:
    """May this actor read the whole of an appeal held, now or before, by `holders`?"""
    readable = readable_bodies(actor)
    return readable is None or not readable.isdisjoint(holders)


def code_matches(appeal: Appeal, access_code: str | None) -> bool:
    if not access_code:
        return False
    return hmac.compare_digest(appeal.access_code_hash, digest(access_code.strip().upper()))


def not_found(number: str) -> NotFound:
    return NotFound(f"no appeal {number} that you may see", number=number)
