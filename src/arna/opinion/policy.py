"""The rules of a consultation: its states, a statement's moderation, what a vote is."""

from __future__ import annotations

OPEN, CLOSED = "open", "closed"
PENDING, ACCEPTED, REJECTED = "pending", "accepted", "rejected"
VOTES = {"agree": 1, "pass": 0, "disagree": -1}
STATEMENT_MIN, STATEMENT_MAX = 3, 400
# the moderation column of a Pol.is export: 1 accepted, 0 not yet moderated, -1 moderated out
POLIS_MODERATION = {1: ACCEPTED, 0: PENDING, -1: REJECTED}
MODERATION_POLIS = {status: code for code, status in POLIS_MODERATION.items()}


def moderated_out(status: str) -> bool:
    """Rejected statements weigh nothing in the groups and represent nobody (as in Pol.is, a
    statement not yet moderated still counts)."""
    return status == REJECTED
