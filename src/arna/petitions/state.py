"""What the audit log records of a petition: its state and counts, nothing personal, so that
the history can be public and `arna audit verify` can compare it with the stored row; and how a
person is known to the petitions (a keyed digest of their IIN)."""

from __future__ import annotations

from arna.core import sealing
from arna.core.settings import Settings
from arna.petitions.models import Petition


def person_key(settings: Settings, iin: str) -> str:
    """Who signed, as the database knows it: a keyed digest of the IIN, one per installation."""
    return sealing.keyed_digest(settings, f"petition-signer:{iin}")


def audit_state(petition: Petition) -> dict[str, object]:
    return {
        "status": petition.status,
        "signatures": petition.signatures,
        "threshold": petition.threshold,
        "body_id": petition.body_id,
        "response_due": petition.response_due.isoformat() if petition.response_due else None,
        "escalation_depth": petition.escalation_depth,
    }
