"""One `arna worker` per SQLite database.

SQLite has one writer, so a second worker would only queue behind the first and, worse, look
like capacity that is not there. On PostgreSQL any number of workers share the sweeps and the
outbox: each claims its rows with FOR UPDATE SKIP LOCKED.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager

from arna.core.db import Database, is_sqlite


class AnotherWorker(Exception):
    """A worker already runs on this SQLite database."""


@contextmanager
def sole_worker(db: Database) -> Iterator[None]:
    """Hold `<database>.worker.lock` (an flock, let go by the kernel if the process dies) for
    the worker's life on SQLite; raise `AnotherWorker` if another process holds it."""
    path = db.engine.url.database
    if not is_sqlite(db.engine) or not path or path == ":memory:":
        yield
        return
    fd = os.open(f"{path}.worker.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "unknown"
            raise AnotherWorker(
                f"another arna worker (process {holder}) already runs on the SQLite database "
                f"{path}; SQLite has one writer, so run one worker (several need PostgreSQL)"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode("ascii"), 0)
        yield
    finally:
        os.close(fd)  # closing the descriptor lets the lock go
