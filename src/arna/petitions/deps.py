"""Who may sign now, and from where: quotas per client address and per network (the `limits`
library, as the login throttle and "me too" use), the source a signature is counted under, and
the group-commit queue of this server process."""

from __future__ import annotations

from typing import cast

from fastapi import Request

from arna.core import sealing
from arna.core.ratelimit import Quota, client_key, network_key
from arna.core.settings import Settings
from arna.petitions.signing_queue import SigningQueue


class SigningGuard:
    """A household or an office shares an address, a campus or a mobile operator a network:
    each has room for many signers, while a script signing with a list of IINs from one place
    is slowed to a trickle (and its surge shows to moderators, `surges.py`)."""

    def __init__(self, settings: Settings) -> None:
        self.address = Quota("sign", *settings.signature_limits.split(";"))
        self.network = Quota("sign-network", *settings.signature_network_limits.split(";"))

    def take(self, host: str | None) -> None:
        self.address.take(client_key(host), "signatures")
        self.network.take(network_key(host), "signatures from your network")


def _host(request: Request) -> str | None:
    return request.client.host if request.client else None


def take_signing_quota(request: Request) -> None:
    """Count one signature from this client, or raise TooManyRequests (429, Retry-After)."""
    cast(SigningGuard, request.app.state.signing_guard).take(_host(request))


def source_of(request: Request, settings: Settings) -> str:
    """The network a signature came from, as a keyed digest: comparable, not readable."""
    return sealing.keyed_digest(settings, f"petition-source:{network_key(_host(request))}")


def signing_queue(request: Request) -> SigningQueue:
    return cast(SigningQueue, request.app.state.signing_queue)
