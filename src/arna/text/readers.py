"""Reading texts in separate processes, so that a server process spends its core on requests.

Reading the gist of a long appeal costs about half a millisecond of Python and numpy work that
holds the GIL: done on the server's event loop it takes more CPU than everything else an appeal
needs. A pool of reader processes reads one batch while the server parses the next requests and
writes the previous batch, using the cores the server process cannot.

The pool starts a fresh interpreter per reader that loads the models once (`arna serve` waits for
it before taking requests) and is used only once it is warm; until then, when it is switched
off, or if a reader process dies, texts are read in the calling process, in a thread so that the
event loop goes on serving requests, and reading never fails because of the pool.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from arna.text.analysis import Gist, analyze, gist_many

log = logging.getLogger(__name__)


def default_processes(servers: int = 1) -> int:
    """One reader per server process when the machine has a core to spare beside the `servers`
    server processes; none otherwise. Measured on 2 cores (benchmarks/appeals_intake.py,
    PostgreSQL): 1 server + 1 reader 1,150-1,250 appeals/s; 2 servers with a reader each 885/s,
    without readers 954/s."""
    return 1 if (os.cpu_count() or 1) > servers else 0


def _follow_parent(parent: int) -> None:
    """Runs in each reader at start: exit when the server process is gone. A reader waits on
    a queue whose writing end it holds itself, so it would never notice a server killed
    without a clean shutdown and would live on as an orphan."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, name="arna-reader-parent", daemon=True).start()


def _warm() -> None:
    analyze("Алматыда жол бұзылған")  # loads every model in the reader process


def _gist(texts: list[str], language: list[bool], place: list[bool]) -> list[Gist]:
    return gist_many(texts, language=language, place=place)


class Readers:
    def __init__(self, processes: int, timeout: float = 30.0) -> None:
        """`timeout`: seconds a batch may take in a reader (the largest, 256 appeals of 10,000
        characters, takes ~5 s) before the reader is taken for stuck, killed and replaced."""
        self.processes = processes
        self.timeout = timeout
        self._pool: ProcessPoolExecutor | None = None
        self._warm: Future[None] | None = None

    def start(self) -> None:
        """Start the reader processes in the background; returns at once."""
        if self.processes <= 0 or self._pool is not None:
            return
        # spawn, not fork: the server process has threads and an event loop a child must not
        # inherit mid-state.
        self._pool = ProcessPoolExecutor(
            self.processes,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_follow_parent,
            initargs=(os.getpid(),),
        )
        self._warm = self._pool.submit(_warm)

    async def warmed(self, timeout: float) -> bool:
        """Wait (at most `timeout` seconds) for the readers to have loaded the models."""
        if self._warm is None:
            return False
        try:
            await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(self._warm)), timeout)
        except Exception:
            log.warning("text readers not ready; reading in the server process meanwhile")
        return self.ready

    @property
    def ready(self) -> bool:
        return (
            self._warm is not None
            and self._warm.done()
            and not self._warm.cancelled()
            and self._warm.exception() is None
        )

    async def gist(
        self, texts: Sequence[str], language: Sequence[bool], place: Sequence[bool]
    ) -> list[Gist]:
        pool = self._pool
        if self.ready and pool is not None:
            try:
                return await asyncio.wait_for(
                    self._read(pool, texts, language, place), self.timeout
                )
            except (BrokenProcessPool, TimeoutError) as exc:
                # Every batch that was at a broken pool fails: the first replaces the pool.
                if pool is self._pool:
                    what = "died" if isinstance(exc, BrokenProcessPool) else "is stuck"
                    log.warning("a text reader process %s; reading here, starting a new one", what)
                    self._kill()
                    self.start()
        # In a thread: a batch is milliseconds of CPU that must not stall the event loop. On 2
        # cores, SQLite, no reader: 329 against 403 appeals/s, the same share of the bare
        # endpoint run against run (docs/performance.md).
        return await asyncio.to_thread(
            gist_many, list(texts), language=list(language), place=list(place)
        )

    async def _read(
        self,
        pool: ProcessPoolExecutor,
        texts: Sequence[str],
        language: Sequence[bool],
        place: Sequence[bool],
    ) -> list[Gist]:
        """A batch shared among the readers: its answer waits for the slowest share."""
        loop = asyncio.get_running_loop()
        size = -(-len(texts) // self.processes)
        shares = await asyncio.gather(
            *(
                loop.run_in_executor(
                    pool,
                    _gist,
                    list(texts[i : i + size]),
                    list(language[i : i + size]),
                    list(place[i : i + size]),
                )
                for i in range(0, len(texts), size)
            )
        )
        return [g for share in shares for g in share]

    def _kill(self) -> None:
        if self._pool is not None:
            # The pool cannot cancel work already running; its processes can be ended.
            for process in list((self._pool._processes or {}).values()):
                process.kill()
        self.stop(wait=False)

    def stop(self, wait: bool = True) -> None:
        """Stop the readers; `wait` until they have exited (at shutdown: a server process
        that exits first can leave them behind)."""
        if self._pool is not None:
            self._pool.shutdown(wait=wait, cancel_futures=True)
        self._pool, self._warm = None, None
