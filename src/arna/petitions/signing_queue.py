"""Group commit of signatures: the signatures that arrive while one batch is being written are
written together in the next, in one transaction (`actions.signing.sign_batch`), in a thread.

Each request is answered only after the commit that holds its signature: an acknowledged
signature is durable. A request whose client went away may still be stored; that is safe,
since a person counts once per petition and signing again answers "counted before". If a batch
fails as a whole it was rolled back, and each of its requests is answered 503 with Retry-After.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from arna.core.clock import WorkingCalendar
from arna.core.db import Database
from arna.core.errors import ArnaError, Unavailable
from arna.petitions.actions.signing import Signed, Signing, sign_batch

log = logging.getLogger(__name__)

MAX_BATCH = 256


def busy() -> Unavailable:
    return Unavailable("the signature was not stored; send it again", retry_after=2)


class SigningQueue:
    def __init__(
        self, db: Database, calendar: WorkingCalendar | None = None, max_batch: int = MAX_BATCH
    ) -> None:
        self.db = db
        self.calendar = calendar
        self.max_batch = max_batch
        self._waiting: list[tuple[Signing, asyncio.Future[Signed]]] = []
        self._arrival: asyncio.Event | None = None
        self._writer: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    async def sign(self, signing: Signing) -> Signed:
        loop = asyncio.get_running_loop()
        if self._writer is None or self._writer.done() or self._loop is not loop:
            # first request, a writer that ended, or a new event loop (a test's new client)
            self._loop, self._arrival = loop, asyncio.Event()
            self._writer = loop.create_task(self._write(), name="arna-signing-write")
        assert self._arrival is not None
        future: asyncio.Future[Signed] = loop.create_future()
        self._waiting.append((signing, future))
        self._arrival.set()
        return await future

    async def _write(self) -> None:
        assert self._arrival is not None
        while True:
            await self._arrival.wait()
            self._arrival.clear()
            while self._waiting:
                batch = self._waiting[: self.max_batch]
                del self._waiting[: self.max_batch]
                await self._commit(batch)

    async def _commit(self, batch: list[tuple[Signing, asyncio.Future[Signed]]]) -> None:
        try:
            outcomes: list[Signed | ArnaError | None] = list(
                await asyncio.to_thread(
                    sign_batch, self.db, [s for s, _ in batch], None, self.calendar
                )
            )
        except Exception:
            log.exception("a batch of %d signatures failed and was rolled back", len(batch))
            outcomes = [None] * len(batch)
        for (_, future), outcome in zip(batch, outcomes, strict=True):
            if future.done():
                continue
            if outcome is None:
                future.set_exception(busy())
            elif isinstance(outcome, ArnaError):
                future.set_exception(outcome)
            else:
                future.set_result(outcome)

    async def stop(self) -> None:
        if self._writer is not None:
            self._writer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._writer
        for _, future in self._waiting:
            if not future.done():
                future.set_exception(busy())
        self._waiting.clear()
