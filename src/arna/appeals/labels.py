"""The names people read for the appeal's kinds, states, outcomes and events, in the language of
the page (the catalogs translate them). One table each, shared by every page."""

from __future__ import annotations

from arna.core.i18n import gettext_ as _


def kind_names() -> dict[str, str]:
    return {
        "complaint": _("Complaint"),
        "request": _("Request"),
        "proposal": _("Proposal"),
        "report": _("Report of a problem"),
        "thanks": _("Thanks"),
    }


def status_names() -> dict[str, str]:
    return {
        "registered": _("Registered"),
        "in_progress": _("In progress"),
        "answered": _("Answered"),
        "closed": _("Closed"),
    }


def list_stages() -> dict[str, str]:
    """The status filter of the public list, in the words of the badges: an escalated appeal is
    stored as "registered" with its new body, yet for people it is still waiting for an answer."""
    return {
        "open": _("Waiting for an answer"),
        "answered": _("Answered: awaiting the applicant's verdict"),
        "closed": _("Closed"),
    }


def result_names() -> dict[str, str]:
    """How a body's hold of an appeal ended (outcomes of an answer, or why it moved on)."""
    return {
        "resolved": _("Resolved"),
        "explained": _("Explained"),
        "refused": _("Refused"),
        "duplicate": _("Duplicate of an earlier appeal"),
        "not_competent": _("Not within its competence"),
        "forwarded": _("Forwarded to another body"),
        "forwarded_late": _("Forwarded after the 3 working days allowed"),
        "overdue": _("No answer by the due date: escalated"),
        "disputed": _("Answer disputed by the applicant: escalated"),
    }


def outcome_choices() -> dict[str, str]:
    """The outcomes an official chooses from when answering."""
    return {
        "resolved": _("Resolved"),
        "explained": _("Explained"),
        "refused": _("Refused, with the reason"),
        "not_competent": _("Not ours: forward to the competent body"),
        "duplicate": _("Duplicate of an earlier appeal"),
    }


def event_names() -> dict[str, str]:
    return {
        "appeal.submitted": _("Registered and sent to the responsible body"),
        "appeal.accepted": _("Taken into work"),
        "appeal.forwarded": _("Forwarded to another body"),
        "appeal.answered": _("Answered"),
        "appeal.extended": _("Deadline extended"),
        "appeal.disputed": _("The applicant said the problem is not solved"),
        "appeal.escalated": _("Escalated to the body above"),
        "appeal.closed": _("Closed"),
        "appeal.stalled": _("No body above is left to escalate to"),
        "appeal.reclassified": _("Topic or place corrected by an official"),
        "appeal.supported": _("Someone said they have the same problem"),
        "appeal.came_back": _("The problem was reported again after it was marked resolved"),
    }
