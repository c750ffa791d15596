"""The rules of the appeal lifecycle: kinds, states, outcomes, and which action is allowed when."""

from __future__ import annotations

from typing import Literal

Kind = Literal["complaint", "request", "proposal", "report", "thanks"]
Status = Literal["registered", "in_progress", "answered", "closed"]
Outcome = Literal["resolved", "explained", "refused", "not_competent", "duplicate"]
Language = Literal["kk", "ru", "en"]

KINDS: tuple[str, ...] = ("complaint", "request", "proposal", "report", "thanks")
STATUSES: tuple[str, ...] = ("registered", "in_progress", "answered", "closed")
OPEN = ("registered", "in_progress")
# Where an appeal's course has ended: no body holds it (an answered appeal waits only for the
# applicant's verdict). After ARNA_RETENTION_YEARS without a change, its applicant's personal
# data is erased (actions/retention.py) and this event records it.
ENDED = ("answered", "closed")
PERSONAL_DATA_ERASED = "appeal.personal_data_erased"
# How a body's hold of an appeal ends when it answered (even if the applicant then disputed it).
ANSWERED_RESULTS = ("resolved", "explained", "refused", "duplicate", "disputed")

# Action -> statuses it is allowed from. Anything else is a 409 naming the allowed actions.
ALLOWED_FROM: dict[str, tuple[str, ...]] = {
    "accept": ("registered",),
    "answer": OPEN,
    "forward": OPEN,
    "extend": OPEN,
    "feedback": ("answered",),
    "escalate": OPEN,
}

# Problems tied to a place that neighbours share are public unless the applicant says otherwise;
# personal matters (pensions, benefits, health, documents...) are private unless they say so.
PUBLIC_BY_DEFAULT = frozenset(
    {
        "roads_republican",
        "roads_local",
        "public_transport",
        "housing_utilities",
        "utility_tariffs",
        "electricity_gas_supply",
        "environment",
        "irrigation_water",
        "emergencies",
        "telecom_internet",
        "construction",
        "sport_tourism",
        "fuel_prices",
        "food_prices",
        "sanitary",
    }
)

TERM_WORKING_DAYS = 15  # APPC art. 76
FORWARD_WORKING_DAYS = 3
MAX_EXTENSION_MONTHS = 2


def allowed_actions(status: str) -> list[str]:
    return [action for action, states in ALLOWED_FROM.items() if status in states]
