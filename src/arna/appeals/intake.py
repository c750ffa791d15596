"""Group commit of submissions: concurrent appeals share one transaction.

Two stages, so that reading one batch overlaps writing the previous:
- the reader shares the requests waiting among its free reading slots (two per reader process,
  batches of at most `max_batch`), has the texts read (in a reader process when there is one,
  else in a thread: `arna.text.readers`) and places each appeal; a bad one is answered at once
  with its error;
- the writer takes every placed submission waiting, writes them in one transaction with a
  handful of statements in a thread, commits, and only then answers each request.
Nothing is acknowledged before the commit that holds it, so durability is what it was with one
commit per appeal, while the cost of the commit (and on SQLite the single-writer lock, on
PostgreSQL the counter and audit-head locks) is shared by the whole batch.

Nothing waits for the database on the event loop: the write runs in a thread on SQLite too,
where it waits for the write lock that any other writer (a login, the worker's sweeps in another
process, a command) may hold as long as it likes. On the loop, that wait stalled every request
of the server: with another process holding the lock for 1 s, health checks took 1,005-1,012
ms; with the write in a thread, p99 under 3 ms (benchmarks/write_lock_stall.py). It is not
faster: the threads hand each other the GIL at every database call, ~10 % more CPU per appeal,
throughput within noise on 2 cores (569 against 580 appeals/s over 6 interleaved pairs of
benchmarks/appeals_intake.py runs, docs/performance.md).

What each request is told, and when:
- Its outcome within `intake_timeout` seconds of its arrival (ARNA_INTAKE_TIMEOUT), unless its
  batch's commit has begun by then. A request still waiting then is answered 503 with
  Retry-After, and its appeal is certainly not stored: the writer claims a batch, under a lock
  it shares with the timeout, only right before COMMIT (`write_batch(claim=...)`); a batch with
  a request that has timed out is rolled back and written again without it. Once claimed, a
  request's answer is the commit's, however long the commit takes (milliseconds: the waits
  for locks come before the claim). So a 503 never stands for a stored appeal, and a stored
  appeal is never answered 500: after an integrity error each submission is written and
  answered on its own, and an unexpected error writing a batch (which rolled it back) is logged
  and answered 503.
- If a stage fails or is cancelled, the requests waiting for it are answered 503 at once (but
  those whose commit has begun, which get the commit's answer) and the stage starts again.
- A write still running after `intake_timeout` (stuck behind a lock) is left to its thread: its
  requests time out as above, and the writer goes on with the next batch.
The one answer that cannot be known is a commit whose connection breaks while COMMIT is in
flight: its requests get 503, and an Idempotency-Key makes their retry safe.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Literal

from arna.appeals.actions.submit import Outcome, write_batch
from arna.appeals.placement import Received, Submission, needs_of, place_read
from arna.core.db import Database
from arna.core.errors import Unavailable
from arna.core.logs import detached
from arna.core.settings import Settings
from arna.text.readers import Readers

log = logging.getLogger(__name__)

RETRY_AFTER = 5  # seconds a client is asked to wait before sending a refused appeal again
BUSY = "the server could not take this appeal just now and did not store it; send it again"


@dataclass(eq=False)
class _Waiting:
    """A request waiting for its outcome: read, then placed, then claimed by a commit; or
    abandoned (answered 503) before a commit claimed it."""

    future: asyncio.Future[Outcome]
    state: Literal["reading", "placed", "claimed", "abandoned"] = "reading"


class IntakeQueue:
    def __init__(
        self,
        db: Database,
        settings: Settings,
        readers: Readers | None = None,
        max_batch: int = 256,
        on_batch: Callable[[int], None] | None = None,
    ) -> None:
        self.db = db
        self.on_batch = on_batch  # told each batch's size as it goes to be written (metrics)
        self.settings = settings
        self.readers = readers or Readers(0)
        self.max_batch = max_batch
        self.timeout = settings.intake_timeout
        self._late = (
            f"the server could not take this appeal within {self.timeout:g} s and did not "
            "store it; send it again"
        )
        self._arrived: list[tuple[Received, _Waiting]] = []
        self._placed: list[tuple[Submission, _Waiting]] = []
        self._arrival: asyncio.Event | None = None
        self._placement: asyncio.Event | None = None
        self._reader: asyncio.Task[None] | None = None
        self._writer: asyncio.Task[None] | None = None
        self._batches: dict[asyncio.Task[None], list[_Waiting]] = {}  # at the readers
        self._writing: dict[asyncio.Future[None], list[_Waiting]] = {}  # in a writing thread
        self._lock = threading.Lock()  # a commit's claim (its thread) against the timeouts
        # Batches at the readers at once: two per reader process keeps each busy; reading in
        # the server process (no readers) takes the GIL, and one batch at a time is best.
        self._slots = 2 * self.readers.processes if self.readers.processes > 0 else 1
        self._reading = 0

    async def submit(self, submission: Received) -> Outcome:
        loop = asyncio.get_running_loop()
        self._start(loop)
        assert self._arrival is not None
        waiting = _Waiting(loop.create_future())
        self._arrived.append((submission, waiting))
        self._arrival.set()
        timer = loop.call_later(self.timeout, self._abandon, waiting, self._late)
        try:
            return await waiting.future
        except asyncio.CancelledError:
            self._abandon(waiting, BUSY)  # nobody would be told: do not store it
            raise
        finally:
            timer.cancel()

    # --- the stages ---------------------------------------------------------------------------

    def _start(self, loop: asyncio.AbstractEventLoop) -> None:
        """Start the stages that are not running: at the first request, or after one ended."""
        if self._arrival is None or self._placement is None:
            self._arrival, self._placement = asyncio.Event(), asyncio.Event()
        with detached():  # the stages serve every request: their log lines carry none's id
            if self._reader is None or self._reader.done():
                self._reader = loop.create_task(self._read(), name="arna-intake-read")
                self._reader.add_done_callback(self._ended)
            if self._writer is None or self._writer.done():
                self._writer = loop.create_task(self._write(), name="arna-intake-write")
                self._writer.add_done_callback(self._ended)

    def _ended(self, task: asyncio.Task[None]) -> None:
        """A stage stopped on its own (failed or cancelled): answer the requests waiting for it
        503 and start it again."""
        if task is not self._reader and task is not self._writer:
            return  # stopped by `stop`
        if task.cancelled():
            log.error("the intake's stage %s was cancelled; starting it again", task.get_name())
        else:
            log.error(
                "the intake's stage %s failed; starting it again",
                task.get_name(),
                exc_info=task.exception(),
            )
        if task is self._reader:
            for _, waiting in self._arrived:
                self._abandon(waiting, BUSY)
            self._arrived = []
        else:
            for _, waiting in self._placed:
                self._abandon(waiting, BUSY)
            self._placed = []
            for batch in self._writing.values():  # a commit that has begun answers its own
                for waiting in batch:
                    self._abandon(waiting, BUSY)
        task.get_loop().call_soon(self._start, task.get_loop())

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
            self._arrived = [(r, w) for r, w in self._arrived if w.state != "abandoned"]
            while self._arrived and self._reading < self._slots:
                share = -(-len(self._arrived) // (self._slots - self._reading))
                batch = self._arrived[: min(share, self.max_batch)]
                del self._arrived[: len(batch)]
                self._reading += 1
                task = loop.create_task(self._read_batch(batch), name="arna-intake-read-batch")
                self._batches[task] = [w for _, w in batch]
                task.add_done_callback(self._batch_read)

    async def _read_batch(self, batch: list[tuple[Received, _Waiting]]) -> None:
        assert self._placement is not None
        received = [r for r, _ in batch]
        language, place = needs_of(received)
        gists = await self.readers.gist([r.data.text for r in received], language, place)
        placed = place_read(received, gists)
        for (_, waiting), p in zip(batch, placed, strict=True):
            if waiting.future.done():  # timed out meanwhile
                continue
            if isinstance(p, Submission):
                waiting.state = "placed"
                self._placed.append((p, waiting))
            else:
                waiting.future.set_result(p)
        self._placement.set()

    def _batch_read(self, task: asyncio.Task[None]) -> None:
        """A batch has been read, or failed: its slot is free; a failure is answered 503."""
        batch = self._batches.pop(task, [])
        self._reading = max(self._reading - 1, 0)
        if self._arrival is not None:
            self._arrival.set()  # a slot is free for what arrived meanwhile
        if not task.cancelled() and task.exception() is None:
            return
        log.error("reading a batch of appeals failed", exc_info=_error_of(task))
        for waiting in batch:
            if waiting.state == "reading":
                self._abandon(waiting, BUSY)

    async def _write(self) -> None:
        assert self._placement is not None
        loop = asyncio.get_running_loop()
        while True:
            await self._placement.wait()
            self._placement.clear()
            while batch := self._take():
                if self.on_batch is not None:
                    self.on_batch(len(batch))
                work = partial(contextvars.copy_context().run, self._write_now, loop, batch)
                job: asyncio.Future[None] = loop.run_in_executor(None, work)
                self._writing[job] = [w for _, w in batch]
                job.add_done_callback(self._written)
                # not wait_for: on Python 3.11 it can swallow a cancellation (`stop`)
                done, _ = await asyncio.wait({job}, timeout=self.timeout)
                if not done:
                    log.warning("a batch write is still running after %g s", self.timeout)
                await asyncio.sleep(0)  # let the reader hand over what it placed meanwhile

    def _take(self) -> list[tuple[Submission, _Waiting]]:
        """Up to `max_batch` placed submissions whose requests still wait."""
        live = [(s, w) for s, w in self._placed if w.state != "abandoned"]
        self._placed = live[self.max_batch :]
        return live[: self.max_batch]

    def _write_now(
        self, loop: asyncio.AbstractEventLoop, batch: list[tuple[Submission, _Waiting]]
    ) -> None:
        """In a thread: write the batch, then answer its requests on the loop (whatever
        became of the stage that started the write)."""
        waiting_for = {id(s): w for s, w in batch}
        submissions = [s for s, _ in batch]
        try:
            outcomes = write_batch(
                self.db,
                self.settings,
                submissions,
                claim=lambda subs: self._claim([waiting_for[id(s)] for s in subs]),
            )
        except Exception:  # rolled back: nothing of the batch was stored
            log.exception("a batch of %d appeals could not be written", len(batch))
            outcomes = [_unavailable(BUSY) for _ in batch]
        with contextlib.suppress(RuntimeError):  # RuntimeError: the loop has closed
            loop.call_soon_threadsafe(self._answer, [w for _, w in batch], outcomes)

    def _written(self, job: asyncio.Future[None]) -> None:
        self._writing.pop(job, None)

    # --- answers ------------------------------------------------------------------------------

    def _claim(self, batch: list[_Waiting]) -> list[bool]:
        """Called right before a commit: whether each request still waits; when all do, the
        commit's answer becomes theirs and no timeout can replace it."""
        with self._lock:
            wanted = [w.state != "abandoned" for w in batch]
            if all(wanted):
                for waiting in batch:
                    waiting.state = "claimed"
            return wanted

    def _abandon(self, waiting: _Waiting, why: str) -> None:
        """Answer 503, unless the request is answered already or its commit has begun."""
        with self._lock:
            if waiting.state == "claimed":
                return
            waiting.state = "abandoned"
        if not waiting.future.done():
            waiting.future.set_result(_unavailable(why))

    @staticmethod
    def _answer(batch: list[_Waiting], outcomes: list[Outcome]) -> None:
        for waiting, outcome in zip(batch, outcomes, strict=True):
            if not waiting.future.done():
                waiting.future.set_result(outcome)

    async def stop(self) -> None:
        """At shutdown: answer 503 to the requests not yet in a commit, and wait (at most
        `intake_timeout`) for the commits under way, so that no stored appeal goes unanswered."""
        stages = [t for t in (self._reader, self._writer, *self._batches) if t is not None]
        self._reader = self._writer = None
        for task in stages:
            task.cancel()
        if stages:
            await asyncio.wait(stages, timeout=self.timeout)
        for task in stages:
            if task.done() and not task.cancelled() and task.exception() is not None:
                log.error("an intake stage had stopped with an error", exc_info=task.exception())
        going = "the server is shutting down and did not store this appeal; send it again"
        for _, waiting in [*self._arrived, *self._placed]:
            self._abandon(waiting, going)
        for batch in self._writing.values():
            for waiting in batch:
                self._abandon(waiting, going)
        if self._writing:
            await asyncio.wait(list(self._writing), timeout=self.timeout)
        self._arrived, self._placed, self._batches, self._reading = [], [], {}, 0
        self._arrival = self._placement = None


def _unavailable(why: str) -> Unavailable:
    return Unavailable(why, retry_after=RETRY_AFTER)


def _error_of(task: asyncio.Task[None]) -> BaseException | None:
    return None if task.cancelled() else task.exception()
