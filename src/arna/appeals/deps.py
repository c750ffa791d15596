"""Who may support an appeal now: the "me too" quota per client address."""

from __future__ import annotations

from typing import cast

from fastapi import Request

from arna.core.ratelimit import Quota, client_key

# A household or a mobile operator's shared address may hold several supporters; a script
# adding IINs from one address is slowed to a trickle.
SUPPORT_LIMITS = ("10/minute", "60/hour")


def new_support_quota() -> Quota:
    return Quota("support", *SUPPORT_LIMITS)


def take_support_quota(request: Request) -> None:
    """Count one "me too" from this client, or raise TooManyRequests (429, Retry-After)."""
    quota = cast(Quota, request.app.state.support_quota)
    quota.take(client_key(request.client.host if request.client else None), "supports")
