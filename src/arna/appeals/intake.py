"""Group commit of submissions: concurrent appeals share one transaction.

Requests put their prepared submissions on a list and wait; a writer task on the same event loop
takes everything waiting (up to `max_batch`), writes it in one transaction with a handful of
statements, commits, and only then answers each request. Nothing is acknowledged before the
commit that holds it, so durability is what it was with one commit per appeal, while the cost of
the commit (and on SQLite the single-writer lock, on PostgreSQL the counter and audit-head locks)
is shared by the whole batch.

The write runs on the event loop itself, blocking it for the few milliseconds a batch takes:
requests that arrive meanwhile wait in the socket and form the next batch. Measured slower here
(benchmarks/appeals_intake.py): a writer thread (it and the request thread hand the GIL to each
other at every database call; 0.4 of the bare endpoint on SQLite instead of 0.7-0.95), and on
PostgreSQL waiting for the statements in a thread (237/s instead of 289/s, 1 worker).
"""

from __future__ import annotations

import asyncio
import contextlib

from arna.appeals.submission import Outcome, Received, Submission, place_all, write_batch
from arna.core.db import Database
from arna.core.settings import Settings


class IntakeQueue:
    def __init__(self, db: Database, settings: Settings, max_batch: int = 256) -> None:
        self.db = db
        self.settings = settings
        self.max_batch = max_batch
        self._pending: list[tuple[Received, asyncio.Future[Outcome]]] = []
        self._wakeup: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None

    async def submit(self, submission: Received) -> Outcome:
        loop = asyncio.get_running_loop()
        if self._task is None or self._task.done():
            self._wakeup = asyncio.Event()
            self._task = loop.create_task(self._run(), name="arna-intake")
        future: asyncio.Future[Outcome] = loop.create_future()
        self._pending.append((submission, future))
        assert self._wakeup is not None
        self._wakeup.set()
        return await future

    async def _run(self) -> None:
        assert self._wakeup is not None
        while True:
            await self._wakeup.wait()
            self._wakeup.clear()
            await asyncio.sleep(0)  # let requests that are already read join this batch
            while self._pending:
                batch = self._pending[: self.max_batch]
                del self._pending[: self.max_batch]
                await self._write(batch)

    async def _write(self, batch: list[tuple[Received, asyncio.Future[Outcome]]]) -> None:
        try:
            placed = place_all([r for r, _ in batch])
            ready = [p for p in placed if isinstance(p, Submission)]
            written = iter(write_batch(self.db, self.settings, ready) if ready else [])
            outcomes: list[Outcome] = [
                next(written) if isinstance(p, Submission) else p for p in placed
            ]
        except Exception as exc:  # the requests get the error; the writer lives on
            for _, future in batch:
                if not future.done():
                    future.set_exception(exc)
            return
        for (_, future), outcome in zip(batch, outcomes, strict=True):
            if not future.done():
                future.set_result(outcome)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
