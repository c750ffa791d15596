"""What the audit log records of a petition: its state and counts, nothing personal, so that
the history can be public and `arna audit verify` can compare it with the stored row."""

from __future__ import annotations

from arna.petitions.models import Petition


def audit_state(petition: Petition) -> dict[str, object]:
    return {
        "status": petition.status,
        "signatures": petition.signatures,
        "threshold": petition.threshold,
        "body_id": petition.body_id,
        "response_due": petition.response_due.isoformat() if petition.response_due else None,
        "escalation_depth": petition.escalation_depth,
    }
