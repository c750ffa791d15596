"""The names people read for a petition's states, moderation's reason codes and the legal basis
of each threshold, in the page's language (pure: marked with `N_` here, translated where they
are shown by the functions below)."""

from __future__ import annotations

from arna.core.i18n import N_
from arna.core.i18n import gettext_ as _
from arna.petitions import policy

STATUSES = {
    policy.DRAFT: N_("Draft"),
    policy.COSIGNING: N_("Gathering co-signers"),
    policy.MODERATION: N_("In moderation"),
    policy.REJECTED: N_("Rejected"),
    policy.LAPSED: N_("Lapsed: too few co-signers"),
    policy.OPEN: N_("Collecting signatures"),
    policy.CLOSED: N_("Closed below the threshold"),
    policy.RESPONSE_DUE: N_("Threshold reached: answer due"),
    policy.ANSWERED: N_("Answered"),
}
OVERDUE = N_("Answer overdue")

# The badge's colour repeats its words (arna.css, "Status badges and timeline").
BADGES = {
    policy.DRAFT: "badge badge-closed",
    policy.COSIGNING: "badge badge-handling",
    policy.MODERATION: "badge badge-handling",
    policy.REJECTED: "badge badge-not_solved",
    policy.LAPSED: "badge badge-closed",
    policy.OPEN: "badge badge-handling",
    policy.CLOSED: "badge badge-closed",
    policy.RESPONSE_DUE: "badge badge-escalated",
    policy.ANSWERED: "badge badge-answered",
}
OVERDUE_BADGE = "badge badge-overdue"

# Moderation's public reason codes (data/reasons.csv), as the public reads them.
REASONS = {
    "duplicate": N_(
        "Duplicate: a petition on the same subject to the same addressee is open or was "
        "considered in the last year"
    ),
    "not_competent": N_("The addressee has no competence over the subject"),
    "banned_topic": N_(
        "A subject no petition may raise (the form of government, the borders, justice, "
        "national security, the dismissal of named officials and others set by the law)"
    ),
    "unlawful": N_("Calls for violence, discrimination or other breaches of the law"),
    "offensive": N_("Insulting or obscene wording"),
    "personal_data": N_("It names private persons or gives their personal data"),
    "not_a_petition": N_("A personal complaint or request: it should be filed as an appeal"),
}

# The legal basis of each threshold rule (data/thresholds.csv), by the rule's id.
BASES = {
    "government": N_(
        "50,000 signatures: Law of the Republic of Kazakhstan «On public control» (2023) and "
        "the Administrative Procedural Code, petitions"
    ),
    "oblast_akimat": N_(
        "One per cent of the oblast's population: Law of the Republic of Kazakhstan «On public "
        "control» (2023)"
    ),
    "city_rs_akimat": N_(
        "One per cent of the city's population: Law of the Republic of Kazakhstan «On public "
        "control» (2023)"
    ),
    "oblast_maslikhat": N_(
        "Two per cent of the population: Law of the Republic of Kazakhstan «On public control» "
        "(2023)"
    ),
    "city_akimat": N_(
        "2,500 signatures for a city of over 50,000 people: Law of the Republic of Kazakhstan "
        "«On public control» (2023)"
    ),
    "city_maslikhat": N_(
        "5,000 signatures for a city of over 50,000 people: Law of the Republic of Kazakhstan "
        "«On public control» (2023)"
    ),
}


def status_name(status: str, overdue: bool = False) -> str:
    if overdue:
        return _(OVERDUE)
    return _(STATUSES[status]) if status in STATUSES else status


def badge_class(status: str, overdue: bool = False) -> str:
    return OVERDUE_BADGE if overdue else BADGES.get(status, "badge badge-closed")


def status_choices() -> list[tuple[str, str]]:
    """The states a visitor filters the list by, in the order of a petition's way."""
    return [(s, _(STATUSES[s])) for s in policy.LISTED]


def reason_name(code: str | None) -> str:
    if not code:
        return ""
    return _(REASONS[code]) if code in REASONS else code


def reason_choices(codes: list[str]) -> list[tuple[str, str]]:
    return [(code, reason_name(code)) for code in codes]


def basis_name(rule_id: str, fallback: str) -> tuple[str, bool]:
    """The legal basis of a threshold in the page's language, and whether it is translated
    (an unknown rule shows the reference data's English text, marked `lang="en"`)."""
    if rule_id in BASES:
        return _(BASES[rule_id]), True
    return fallback, False
