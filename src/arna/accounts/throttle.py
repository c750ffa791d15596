"""How often logins may fail: per client address, and per account, in this process's memory.

Counted with the `limits` library (moving windows in a `MemoryStorage`); only failed logins
count, and an attempt that is refused is not checked at all (no password hash is computed).

- A client address may fail PER_ADDRESS times (10 a minute, 50 an hour); then that address, and
  only it, is refused with 429 and Retry-After until its oldest failure leaves the window. An
  IPv6 client counts by its /64 network, the block one subscriber gets.
- An account may fail PER_ACCOUNT times an hour (20), counting at most SHARE (3) failures of any
  one address, so that one address hammering an account adds little. Over that, the account
  refuses attempts from addresses that have not logged in to it before; an address it has seen
  log in (TRUSTED_FOR, 30 days, in this process) still gets in. So an attacker on one address
  never locks the rightful user out, and one who rotates many addresses is slowed to 20 guesses
  an hour (the rightful user on a new address then waits too: the price of the slowdown).

The account is keyed by the e-mail as typed, normalised, whether or not an account has it, so
a known and an unknown e-mail behave alike and the answers reveal nobody.

The counts live in the memory of one server process: they start afresh on a restart, and with
`arna serve --workers N` each worker counts its own (an attacker gets up to N times the limits).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict

from limits import RateLimitItem, parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from arna.core.hashing import digest
from arna.core.ratelimit import client_key as client_key
from arna.core.ratelimit import seconds_to_wait

PER_ADDRESS: tuple[RateLimitItem, ...] = (parse("10/minute"), parse("50/hour"))
PER_ACCOUNT = parse("20/hour")
SHARE = parse("3/hour")
TRUSTED_FOR = 30 * 24 * 3600.0
TRUSTED_PER_ACCOUNT = 8
TRUSTED_ACCOUNTS = 10_000


class LoginGuard:
    """The login counters of one server process (thread-safe)."""

    def __init__(self) -> None:
        self._limiter = MovingWindowRateLimiter(MemoryStorage())
        self._trusted: OrderedDict[str, dict[str, float]] = OrderedDict()
        self._lock = threading.Lock()

    def wait(self, account: str, client: str) -> int:
        """Seconds this client must wait before it may try this account; 0: it may now."""
        for limit in PER_ADDRESS:
            if not self._limiter.test(limit, "address", client):
                return self._retry_after(limit, "address", client)
        key = digest(account)
        if not self._trusts(key, client) and not self._limiter.test(PER_ACCOUNT, "account", key):
            return self._retry_after(PER_ACCOUNT, "account", key)
        return 0

    def failed(self, account: str, client: str) -> None:
        for limit in PER_ADDRESS:
            self._limiter.hit(limit, "address", client)
        key = digest(account)
        if self._limiter.hit(SHARE, "share", key, client):
            self._limiter.hit(PER_ACCOUNT, "account", key)

    def succeeded(self, account: str, client: str) -> None:
        """Remember that this address knew the password: the account's limit spares it."""
        key, now = digest(account), time.time()
        with self._lock:
            seen = self._trusted.pop(key, {})
            seen.pop(client, None)
            seen[client] = now
            while len(seen) > TRUSTED_PER_ACCOUNT:
                seen.pop(next(iter(seen)))
            self._trusted[key] = seen
            while len(self._trusted) > TRUSTED_ACCOUNTS:
                self._trusted.popitem(last=False)

    def _trusts(self, key: str, client: str) -> bool:
        with self._lock:
            since = self._trusted.get(key, {}).get(client)
        return since is not None and time.time() - since < TRUSTED_FOR

    def _retry_after(self, limit: RateLimitItem, *keys: str) -> int:
        return seconds_to_wait(self._limiter, limit, *keys)
