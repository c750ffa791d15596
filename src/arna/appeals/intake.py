"""Group commit of submissions: concurrent appeals share one transaction.

Two stages on the server's event loop, so that reading one batch overlaps writing the previous:
- the reader shares the requests waiting among its free reading slots (two per reader process,
  batches of at most `max_batch`), has the texts read (in a reader process when there is one,
  `arna.text.readers`) and places each appeal; a bad one is answered at once with its error;
- the writer takes every placed submission waiting, writes them in one transaction with a
  handful of statements, commits, and only then answers each request.
Nothing is acknowledged before the commit that holds it, so durability is what it was with one
commit per appeal, while the cost of the commit (and on SQLite the single-writer lock, on
PostgreSQL the counter and audit-head locks) is shared by the whole batch.

On SQLite the write runs on the event loop itself, blocking it for the few milliseconds a batch
takes (requests that arrive meanwhile wait in the socket and form the next batch): a writer
thread measured slower there, the two threads handing the GIL to each other at every database
call. On PostgreSQL the batch waits for the network and the commit's flush, so it runs in a
thread while the loop serves requests: with the texts read in a reader process, 921/s instead
of 805/s (benchmarks/appeals_intake.py, 1 worker).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TypeVar

from arna.appeals.actions.submit import Outcome, write_batch
from arna.appeals.placement import Received, Submission, needs_of, place_read
from arna.core.db import Database, is_sqlite
from arna.core.settings import Settings
from arna.text.readers import Readers

T = TypeVar("T")
log = logging.getLogger(__name__)


class IntakeQueue:
    def __init__(
        self, db: Database, settings: Settings, readers: Readers | None = None, max_batch: int = 256
    ) -> None:
        self.db = db
        self.settings = settings
        self.readers = readers or Readers(0)
        self.max_batch = max_batch
        self._arrived: list[tuple[Received, asyncio.Future[Outcome]]] = []
        self._placed: list[tuple[Submission, asyncio.Future[Outcome]]] = []
        self._arrival: asyncio.Event | None = None
        self._placement: asyncio.Event | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._batches: set[asyncio.Task[None]] = set()
        # Batches at the readers at once: two per reader process keeps each busy; reading in
        # the server process (no readers) blocks the loop, and one batch at a time is best.
        self._slots = 2 * self.readers.processes if self.readers.processes > 0 else 1
        self._reading = 0
        # PostgreSQL: the batch's round trips and commit are waits the loop can spend on
        # requests. SQLite: the write is mostly CPU, and a thread would only trade the GIL.
        self._wait_in_thread = not is_sqlite(db.engine)

    async def submit(self, submission: Received) -> Outcome:
        loop = asyncio.get_running_loop()
        if not self._tasks or any(t.done() for t in self._tasks):
            await self.stop()
            self._arrival, self._placement = asyncio.Event(), asyncio.Event()
            self._tasks = [
                loop.create_task(self._read(), name="arna-intake-read"),
                loop.create_task(self._write(), name="arna-intake-write"),
            ]
        future: asyncio.Future[Outcome] = loop.create_future()
        self._arrived.append((submission, future))
        assert self._arrival is not None
        self._arrival.set()
        return await future

    def _take(self, waiting: list[T]) -> list[T]:
        batch = waiting[: self.max_batch]
        del waiting[: self.max_batch]
        return batch

    async def _read(self) -> None:
        """Hands what has arrived to the readers, a batch per free reading slot. With two
        slots per reader, a reader starts on the next batch while the server places and writes
        the one it has just read, instead of waiting for the server's round trip; and the first
        requests of a burst are answered before the last are read, so closed-loop clients stop
        arriving in one convoy that no stage can overlap with another (measured on SQLite: 311
        appeals/s against 267, three interleaved runs each)."""
        assert self._arrival is not None
        loop = asyncio.get_running_loop()
        while True:
            await self._arrival.wait()
            self._arrival.clear()
            await asyncio.sleep(0)  # let requests that are already read join this batch
            while self._arrived and self._reading < self._slots:
                share = -(-len(self._arrived) // (self._slots - self._reading))
                batch = self._arrived[: min(share, self.max_batch)]
                del self._arrived[: len(batch)]
                self._reading += 1
                task = loop.create_task(self._read_batch(batch), name="arna-intake-read-batch")
                self._batches.add(task)
                task.add_done_callback(self._batches.discard)

    async def _read_batch(self, batch: list[tuple[Received, asyncio.Future[Outcome]]]) -> None:
        assert self._arrival is not None and self._placement is not None
        received = [r for r, _ in batch]
        try:
            language, place = needs_of(received)
            gists = await self.readers.gist([r.data.text for r in received], language, place)
            placed = place_read(received, gists)
        except Exception as exc:  # the requests get the error; the reader lives on
            _fail([f for _, f in batch], exc)
            return
        finally:
            self._reading -= 1
            self._arrival.set()  # a slot is free for what arrived meanwhile
        for (_, future), p in zip(batch, placed, strict=True):
            if isinstance(p, Submission):
                self._placed.append((p, future))
            elif not future.done():
                future.set_result(p)
        self._placement.set()

    async def _write(self) -> None:
        assert self._placement is not None
        while True:
            await self._placement.wait()
            self._placement.clear()
            while self._placed:
                batch = self._take(self._placed)
                try:
                    ready = [s for s, _ in batch]
                    if self._wait_in_thread:
                        outcomes = await asyncio.to_thread(
                            write_batch, self.db, self.settings, ready
                        )
                    else:
                        outcomes = write_batch(self.db, self.settings, ready)
                except Exception as exc:  # the requests get the error; the writer lives on
                    _fail([f for _, f in batch], exc)
                    continue
                for (_, future), outcome in zip(batch, outcomes, strict=True):
                    if not future.done():
                        future.set_result(outcome)
                await asyncio.sleep(0)  # let the reader hand over what it placed meanwhile

    async def stop(self) -> None:
        for task in [*self._tasks, *self._batches]:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                try:
                    await task
                except Exception:
                    log.exception("an intake stage had stopped with an error")
        self._tasks, self._batches, self._reading = [], set(), 0


def _fail(futures: list[asyncio.Future[Outcome]], exc: Exception) -> None:
    for future in futures:
        if not future.done():
            future.set_exception(exc)
