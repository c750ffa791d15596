"""How often one client may do something: moving windows per client address, in this process's
memory (the `limits` library). A refused request does no work at all.

A client is counted by its address: IPv4 as is, IPv6 by its /64 network, the block one
subscriber gets. The counts start afresh on a restart, and with `arna serve --workers N` each
worker counts its own (a client gets up to N times the limits).
"""

from __future__ import annotations

import ipaddress
import math
import time

from limits import RateLimitItem, parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from arna.core.errors import TooManyRequests


def client_key(host: str | None) -> str:
    """The address a client is counted by: IPv4 as is, IPv6 by its /64 network."""
    if not host:
        return "unknown"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host[:100]
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


def network_key(host: str | None) -> str:
    """The network a client belongs to: the /24 of IPv4, the /48 of IPv6 (one site)."""
    if not host:
        return "unknown"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host[:100]
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    prefix = 24 if isinstance(address, ipaddress.IPv4Address) else 48
    return str(ipaddress.ip_network((address, prefix), strict=False))


def seconds_to_wait(limiter: MovingWindowRateLimiter, item: RateLimitItem, *keys: str) -> int:
    """Whole seconds until the oldest hit of `keys` leaves `item`'s window (at least 1)."""
    reset = limiter.get_window_stats(item, *keys).reset_time
    return max(1, math.ceil(reset - time.time()))


class Quota:
    """`limits` ("5/minute", "30/hour") of one kind of request per client (thread-safe)."""

    def __init__(self, name: str, *limits: str) -> None:
        self.name = name
        self._items: tuple[RateLimitItem, ...] = tuple(parse(x) for x in limits)
        self._limiter = MovingWindowRateLimiter(MemoryStorage())

    def take(self, client: str, what: str) -> None:
        """Count one request of `client`, or raise TooManyRequests (saying `what` to wait for)
        without counting it when a limit is reached."""
        for item in self._items:
            if not self._limiter.test(item, self.name, client):
                wait = seconds_to_wait(self._limiter, item, self.name, client)
                raise TooManyRequests(
                    f"too many {what} from your address: wait {wait} s and try again",
                    retry_after=wait,
                )
        for item in self._items:
            self._limiter.hit(item, self.name, client)
