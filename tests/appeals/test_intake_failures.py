"""The intake when something fails: every request gets its own true outcome in bounded time.

A stage that fails, hangs or is cancelled answers its requests 503 with Retry-After (nothing of
them stored); a stored appeal is always answered with its number; after an integrity error each
submission of the batch is answered with what became of it.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from sqlalchemy import func, select

from arna.app import warm_up
from arna.appeals import intake as intake_module
from arna.appeals.actions import submit as submit_module
from arna.appeals.actions.submit import Outcome, submit_appeal
from arna.appeals.intake import IntakeQueue
from arna.appeals.models import Appeal
from arna.appeals.placement import Received, receive
from arna.appeals.schemas import AppealCreate, AppealCreated
from arna.core.clock import now_utc
from arna.core.db import Database
from arna.core.errors import Unavailable
from arna.core.settings import Settings
from tests.appeals.conftest import ROAD_IN_KURCHATOV
from tests.conftest import DatabaseFactory

TIMEOUT = 0.5  # the intake's bound in these tests, seconds
LIMIT = 15  # no test may take longer: the code before the fix waited forever


@pytest.fixture(scope="module", autouse=True)
def _models_loaded() -> None:
    warm_up()  # the first reading would otherwise take longer than TIMEOUT


@pytest.fixture
def db(databases: DatabaseFactory) -> Database:
    return databases.ready()


def appeal(text: str, key: str | None = None) -> Received:
    data = AppealCreate.model_validate({**ROAD_IN_KURCHATOV, "text": text})
    return receive(data, key, now_utc())


def run(
    db: Database,
    scenario: Callable[[IntakeQueue], Awaitable[None]],
    timeout: float = TIMEOUT,
) -> None:
    async def main() -> None:
        queue = IntakeQueue(db, Settings(database_url=db.url, intake_timeout=timeout))
        try:
            async with asyncio.timeout(LIMIT):
                await scenario(queue)
        finally:
            await queue.stop()

    asyncio.run(main())


def numbers(db: Database) -> set[str]:
    with db.read() as session:
        return set(session.scalars(select(Appeal.number)))


def count(db: Database) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(Appeal)) or 0


def refused(outcome: Outcome) -> bool:
    """A 503 that asks the client to send the appeal again later."""
    return (
        isinstance(outcome, Unavailable)
        and outcome.status == 503
        and int(outcome.headers["Retry-After"]) > 0
    )


def created(outcome: Outcome) -> AppealCreated:
    assert isinstance(outcome, tuple), outcome
    return outcome[0]


async def timed(queue: IntakeQueue, received: Received) -> tuple[Outcome, float]:
    start = time.monotonic()
    outcome = await queue.submit(received)
    return outcome, time.monotonic() - start


def test_a_hanging_read_is_answered_503_within_the_timeout(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def scenario(queue: IntakeQueue) -> None:
        async def hang(*args: Any) -> Any:
            await asyncio.Event().wait()

        monkeypatch.setattr(queue.readers, "gist", hang)
        outcome, took = await timed(queue, appeal("Жолда шұңқыр бар"))
        assert refused(outcome) and TIMEOUT <= took < TIMEOUT + 2

    run(db, scenario)
    assert count(db) == 0


def test_a_failing_read_is_answered_503_at_once_and_the_next_is_taken(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = intake_module.place_read

    def broken(*args: Any) -> Any:
        raise RuntimeError("placement bug")

    async def scenario(queue: IntakeQueue) -> None:
        monkeypatch.setattr(intake_module, "place_read", broken)
        outcome, took = await timed(queue, appeal("Жолда шұңқыр бар"))
        assert refused(outcome) and took < 5
        monkeypatch.setattr(intake_module, "place_read", real)
        assert created(await queue.submit(appeal("Жолда тағы шұңқыр бар")))

    run(db, scenario, timeout=10)  # answered long before the timeout
    assert count(db) == 1


def test_a_hanging_write_is_answered_503_and_the_writer_goes_on(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = intake_module.write_batch
    release = threading.Event()
    calls = 0

    def hang_once(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == 1:
            release.wait(LIMIT)  # stuck behind a lock, say; never gets to its commit
            return [Unavailable("released")]
        return real(*args, **kwargs)

    monkeypatch.setattr(intake_module, "write_batch", hang_once)

    async def scenario(queue: IntakeQueue) -> None:
        outcome, took = await timed(queue, appeal("Жолда шұңқыр бар"))
        assert refused(outcome) and TIMEOUT <= took < TIMEOUT + 2
        await asyncio.sleep(0.1)  # the writer leaves the stuck write to its thread
        assert created(await queue.submit(appeal("Жолда тағы шұңқыр бар")))
        release.set()

    run(db, scenario)
    assert count(db) == 1


def test_a_timeout_never_answers_503_for_an_appeal_that_is_then_committed(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The write reaches its commit after the request was told 503: it must not commit."""
    real = intake_module.write_batch
    finished = threading.Event()

    def slow(*args: Any, **kwargs: Any) -> Any:
        time.sleep(TIMEOUT + 0.3)  # e.g. waiting for the database's write lock
        try:
            return real(*args, **kwargs)
        finally:
            finished.set()

    monkeypatch.setattr(intake_module, "write_batch", slow)

    async def scenario(queue: IntakeQueue) -> None:
        outcome, _ = await timed(queue, appeal("Жолда шұңқыр бар"))
        assert refused(outcome)
        await asyncio.to_thread(finished.wait, LIMIT)

    run(db, scenario)
    assert count(db) == 0  # told 503, so not stored


def test_a_commit_under_way_is_answered_with_its_number_however_late(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = intake_module.write_batch

    def committed_then_slow(*args: Any, **kwargs: Any) -> Any:
        outcomes = real(*args, **kwargs)
        time.sleep(TIMEOUT + 0.3)  # the answer reaches the loop after the deadline
        return outcomes

    monkeypatch.setattr(intake_module, "write_batch", committed_then_slow)

    async def scenario(queue: IntakeQueue) -> None:
        outcome, took = await timed(queue, appeal("Жолда шұңқыр бар"))
        assert took > TIMEOUT
        assert numbers(db) == {created(outcome).number}

    run(db, scenario)


def test_a_cancelled_writer_answers_its_requests_503_at_once_and_starts_again(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = intake_module.write_batch
    entered, release = threading.Event(), threading.Event()

    def held_once(*args: Any, **kwargs: Any) -> Any:
        if not entered.is_set():
            entered.set()
            release.wait(LIMIT)
        return real(*args, **kwargs)  # reaches its commit only after the 503

    monkeypatch.setattr(intake_module, "write_batch", held_once)

    async def scenario(queue: IntakeQueue) -> None:
        first = asyncio.create_task(timed(queue, appeal("Жолда шұңқыр бар")))
        await asyncio.to_thread(entered.wait, LIMIT)
        assert queue._writer is not None
        queue._writer.cancel()
        outcome, took = await first
        assert refused(outcome) and took < 5
        release.set()
        assert created(await queue.submit(appeal("Жолда тағы шұңқыр бар")))

    run(db, scenario, timeout=10)
    assert count(db) == 1  # the second; the first was told 503 and rolled back


def test_a_cancelled_reader_answers_its_requests_503_at_once(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def scenario(queue: IntakeQueue) -> None:
        reading = asyncio.Event()

        async def hang(*args: Any) -> Any:
            reading.set()
            await asyncio.Event().wait()

        monkeypatch.setattr(queue.readers, "gist", hang)
        at_reader = asyncio.create_task(timed(queue, appeal("Жолда шұңқыр бар")))
        await reading.wait()
        waiting = asyncio.create_task(timed(queue, appeal("Жолда тағы шұңқыр бар")))
        await asyncio.sleep(0.05)  # the one reading slot is busy: this one waits
        for task in list(queue._batches):
            task.cancel()
        assert queue._reader is not None
        queue._reader.cancel()
        for request in (at_reader, waiting):
            outcome, took = await request
            assert refused(outcome) and took < 5

    run(db, scenario, timeout=10)
    assert count(db) == 0


def test_after_an_integrity_error_each_request_is_answered_with_what_is_stored(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A concurrent writer took an idempotency key of the batch, and one of the submissions
    then fails on its own: the others keep their stored results."""
    earlier = appeal("Жолда шұңқыр бар", key="key-1")
    stored_first, _ = submit_appeal(
        db, Settings(database_url=db.url), earlier.data, idempotency_key="key-1"
    )
    real_keys, real_insert = submit_module._stored_keys, submit_module.insert_submissions
    looked = 0

    def keys_taken_meanwhile(session: Any, keys: list[str]) -> Any:
        nonlocal looked
        looked += 1
        return {} if looked == 1 else real_keys(session, keys)  # the batch misses key-1

    def one_breaks(effects: Any, batch: list[Any]) -> Any:
        if len(batch) == 1 and "broken" in batch[0].data.text:
            raise RuntimeError("this one fails on its own")
        return real_insert(effects, batch)

    monkeypatch.setattr(submit_module, "_stored_keys", keys_taken_meanwhile)
    monkeypatch.setattr(submit_module, "insert_submissions", one_breaks)

    async def scenario(queue: IntakeQueue) -> None:
        fresh, replay, broken = await asyncio.gather(
            queue.submit(appeal("Көшеде жарық жоқ")),
            queue.submit(earlier),
            queue.submit(appeal("broken: Жолда шұңқыр бар")),
        )
        assert looked >= 2  # they were one batch, retried one by one
        assert created(fresh).number not in {stored_first.number}
        assert isinstance(replay, tuple) and replay[1] is True
        assert replay[0].number == stored_first.number
        assert refused(broken)
        assert numbers(db) == {stored_first.number, created(fresh).number}

    run(db, scenario, timeout=10)
