"""Reader processes read texts exactly as the server process would, and losing one loses no
reading."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from arna.text.analysis import gist_many
from arna.text.readers import Readers

TEXTS = [
    "Құрметті әкімдік! Біздің көшеде жарық жоқ, балалар қараңғыда жүреді.",
    "В Караганде на улице Ерубаева третью неделю нет горячей воды. Когда починят?",
    "koshede zharyq zhoq, akimat eshteme istemeidi",
    "The bus to Kosshy has not come for two days.",
    "😀😀 123",
]
LANGUAGE = [True, True, True, False, True]
PLACE = [True, True, False, True, True]


def _reader_pids(readers: Readers) -> list[int]:
    pool = readers._pool
    assert pool is not None
    return [p.pid for p in (pool._processes or {}).values() if p.pid is not None]


@pytest.fixture
def readers() -> Iterator[Readers]:
    readers = Readers(1)
    readers.start()
    yield readers
    readers.stop()


def test_a_reader_process_reads_as_the_server_would(readers: Readers) -> None:
    async def run() -> list[object]:
        assert await readers.warmed(timeout=120)
        return list(await readers.gist(TEXTS, LANGUAGE, PLACE))

    got = asyncio.run(run())
    assert _reader_pids(readers) and os.getpid() not in _reader_pids(readers)
    assert got == gist_many(TEXTS, language=LANGUAGE, place=PLACE)
    karaganda = got[1]
    assert karaganda.language is not None and karaganda.language.lang == "ru"
    assert karaganda.place is not None and karaganda.category_top3[0][0] == "housing_utilities"
    assert got[3].language is None  # not asked for


def test_a_dead_reader_costs_no_reading_and_is_replaced(readers: Readers) -> None:
    async def run() -> tuple[list[object], list[object]]:
        assert await readers.warmed(timeout=120)
        for pid in _reader_pids(readers):
            os.kill(pid, signal.SIGKILL)
        await asyncio.sleep(0.5)  # the pool notices its process is gone
        during = list(await readers.gist(TEXTS, LANGUAGE, PLACE))
        assert await readers.warmed(timeout=120)  # a new reader was started
        after = list(await readers.gist(TEXTS, LANGUAGE, PLACE))
        return during, after

    during, after = asyncio.run(run())
    expected = gist_many(TEXTS, language=LANGUAGE, place=PLACE)
    assert during == expected and after == expected
    assert readers.ready


class CountingReaders(Readers):
    starts = 0

    def start(self) -> None:
        if self._pool is None:
            self.starts += 1
        super().start()


def test_batches_in_flight_when_a_reader_dies_are_all_read_and_it_is_replaced_once() -> None:
    """The intake keeps two batches at each reader: both fail with the reader, both are read
    in the server process, and only the first failure replaces the reader."""
    readers = CountingReaders(1)
    readers.start()
    # Enough texts that a batch takes several times the 0.3 s below (about 1 s here): the
    # kill must find both batches at the reader.
    many = 2000

    try:

        async def run() -> list[list[object]]:
            assert await readers.warmed(timeout=120)
            batches = [
                asyncio.ensure_future(readers.gist(TEXTS * many, LANGUAGE * many, PLACE * many))
                for _ in range(2)
            ]
            await asyncio.sleep(0.3)  # both at the reader: one being read, one queued
            assert not any(b.done() for b in batches)
            for pid in _reader_pids(readers):
                os.kill(pid, signal.SIGKILL)
            got = [list(g) for g in await asyncio.gather(*batches)]
            assert await readers.warmed(timeout=120)
            return got

        got = asyncio.run(run())
        expected = gist_many(TEXTS * many, language=LANGUAGE * many, place=PLACE * many)
        assert got == [expected, expected]
        assert readers.starts == 2 and readers.ready
    finally:
        readers.stop()


def test_a_stuck_reader_is_killed_and_replaced_and_the_batch_still_read() -> None:
    readers = Readers(1, timeout=0.001)  # every batch "takes too long"
    readers.start()
    try:

        async def run() -> tuple[list[int], list[object]]:
            assert await readers.warmed(timeout=120)
            stuck = _reader_pids(readers)
            got = list(await readers.gist(TEXTS, LANGUAGE, PLACE))
            assert await readers.warmed(timeout=120)
            return stuck, got

        stuck, got = asyncio.run(run())
        assert got == gist_many(TEXTS, language=LANGUAGE, place=PLACE)
        time.sleep(0.5)
        assert stuck and not any(_alive(pid) for pid in stuck)
        fresh = _reader_pids(readers)
        assert fresh and not set(fresh) & set(stuck)
    finally:
        readers.stop()


def test_no_readers_reads_in_process() -> None:
    readers = Readers(0)
    readers.start()

    async def run() -> list[object]:
        assert not await readers.warmed(timeout=1)
        return list(await readers.gist(TEXTS, LANGUAGE, PLACE))

    assert asyncio.run(run()) == gist_many(TEXTS, language=LANGUAGE, place=PLACE)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:  # a zombie is not alive
        return stat.read().split()[2] != "Z"


def test_stopping_ends_the_reader_processes(readers: Readers) -> None:
    assert asyncio.run(readers.warmed(timeout=120))
    pids = _reader_pids(readers)
    readers.stop()
    assert pids and not any(_alive(pid) for pid in pids)


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="reads /proc to see processes")
def test_readers_of_a_killed_server_exit() -> None:
    """A server killed without a clean shutdown (kill -9, OOM) leaves no reader behind."""
    server = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import asyncio, time\n"
            "from arna.text.readers import Readers\n"
            "r = Readers(1); r.start()\n"
            "assert asyncio.run(r.warmed(timeout=120))\n"
            "print(*[p.pid for p in r._pool._processes.values()], flush=True)\n"
            "time.sleep(600)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        pids = [int(p) for p in server.stdout.readline().split()]
        assert pids and all(_alive(pid) for pid in pids)
    finally:
        server.kill()
        server.wait(timeout=10)
        if server.stdout is not None:
            server.stdout.close()
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(_alive(pid) for pid in pids)
