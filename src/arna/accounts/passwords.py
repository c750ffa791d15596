"""Passwords: argon2id hashes, computed where they cannot hold up anything else.

Checking a password costs ~0.2 s of CPU on purpose (argon2id, 64 MiB, 4 lanes). That work runs
in a small pool of its own: WORKERS threads (half the cores, at least one) whose priority is
lowered (nice +10, Linux), never on the event loop and never inside a database transaction. On
a machine busy with failed logins the pages, the API and the appeals' intake keep their share
of the cores and the logins wait instead (benchmarks/login_stall.py: health p99 with 4 threads
of wrong logins and 2 of appeals on 2 cores). When MAX_WAITING checks are already running or
queued, a check is refused at once (Busy) rather than tie up one more of the server's request
threads.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

WORKERS = max(1, (os.cpu_count() or 2) // 2)
MAX_WAITING = 16
NICE = 10

_hasher = PasswordHasher()


class Busy(Exception):
    """Too many password checks waiting: try again in a moment."""


def _lower_priority() -> None:
    if sys.platform == "linux":  # per thread there (elsewhere it would be the whole process)
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), NICE)


_pool = ThreadPoolExecutor(WORKERS, thread_name_prefix="arna-argon2", initializer=_lower_priority)
_waiting = threading.BoundedSemaphore(MAX_WAITING)


def hash_password(password: str) -> str:
    return _pool.submit(_hasher.hash, password).result()


def verify(password_hash: str, password: str) -> bool:
    """Whether `password` matches `password_hash`; raises Busy when too many checks wait."""
    if not _waiting.acquire(blocking=False):
        raise Busy
    try:
        return _pool.submit(_check, password_hash, password).result()
    finally:
        _waiting.release()


def _check(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# Checked against when the e-mail is unknown: the answer takes as long as a wrong password.
DUMMY = _hasher.hash("not-a-password-of-anyone")
