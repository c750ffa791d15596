"""The states of a petition and what may happen in each (pure)."""

from __future__ import annotations

DRAFT = "draft"
COSIGNING = "cosigning"  # unlisted, signed by direct link until 50 co-signers
MODERATION = "moderation"
REJECTED = "rejected"
LAPSED = "lapsed"  # fewer than 50 co-signers in their term
OPEN = "open"  # published, collecting signatures
CLOSED = "closed"  # the window ended below the threshold
RESPONSE_DUE = "response_due"  # reached the threshold: the addressee owes an answer
ANSWERED = "answered"

STATUSES = (DRAFT, COSIGNING, MODERATION, REJECTED, LAPSED, OPEN, CLOSED, RESPONSE_DUE, ANSWERED)
LISTED = (OPEN, RESPONSE_DUE, ANSWERED, CLOSED, REJECTED)  # what browsing shows
SIGNABLE = (COSIGNING, OPEN, RESPONSE_DUE)  # response due: collecting goes on to the window's end
FINAL = (REJECTED, LAPSED, CLOSED, ANSWERED)
