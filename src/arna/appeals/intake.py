"""Group commit of submissions: concurrent appeals share one transaction.

Each request puts its prepared submission on a queue and waits; one writer thread takes
everything waiting (up to `max_batch`), writes it in one transaction with a handful of
statements, commits, and only then answers each request. Nothing is acknowledged before the
commit that holds it, so durability is what it was with one commit per appeal, while the cost of
the commit (and on SQLite the single-writer lock, on PostgreSQL the counter and audit-head locks)
is shared by the whole batch.
"""

from __future__ import annotations

import queue
import threading
from concurrent.futures import Future

from arna.appeals.service import Outcome, Submission, write_batch
from arna.core.db import Database
from arna.core.settings import Settings

_STOP = object()


class IntakeQueue:
    def __init__(self, db: Database, settings: Settings, max_batch: int = 128) -> None:
        self.db = db
        self.settings = settings
        self.max_batch = max_batch
        self._items: queue.SimpleQueue[object] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()

    def submit(self, submission: Submission) -> Future[Outcome]:
        self._ensure_started()
        future: Future[Outcome] = Future()
        self._items.put((submission, future))
        return future

    def _ensure_started(self) -> None:
        if self._thread is not None:
            return
        with self._start_lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="arna-intake", daemon=True)
                self._thread.start()

    def stop(self) -> None:
        if self._thread is not None:
            self._items.put(_STOP)
            self._thread.join(timeout=30)
            self._thread = None

    def _run(self) -> None:
        while True:
            first = self._items.get()
            if first is _STOP:
                return
            batch = [first]
            stop_after = False
            while len(batch) < self.max_batch:
                try:
                    item = self._items.get_nowait()
                except queue.Empty:
                    break
                if item is _STOP:
                    stop_after = True
                    break
                batch.append(item)
            self._write(batch)  # type: ignore[arg-type]
            if stop_after:
                return

    def _write(self, batch: list[tuple[Submission, Future[Outcome]]]) -> None:
        try:
            outcomes = write_batch(self.db, self.settings, [s for s, _ in batch])
        except BaseException as exc:  # the request gets the error; the writer lives on
            for _, future in batch:
                future.set_exception(exc)
            return
        for (_, future), outcome in zip(batch, outcomes, strict=True):
            future.set_result(outcome)
