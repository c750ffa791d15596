"""Reader processes read texts exactly as the server process would, and losing one loses no
reading."""

from __future__ import annotations

import asyncio
import os
import signal
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


def test_no_readers_reads_in_process() -> None:
    readers = Readers(0)
    readers.start()

    async def run() -> list[object]:
        assert not await readers.warmed(timeout=1)
        return list(await readers.gist(TEXTS, LANGUAGE, PLACE))

    assert asyncio.run(run()) == gist_many(TEXTS, language=LANGUAGE, place=PLACE)
