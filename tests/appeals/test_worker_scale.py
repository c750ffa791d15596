"""Workers at scale: four `arna worker` processes on PostgreSQL share a backlog of 10,000 overdue
appeals and their e-mails, each appeal escalated once and each message sent once; on SQLite a
second worker refuses to start. Marked `scale`: `make test` runs them alone after the rest, so
that their load does not skew the timing tests running beside them."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from arna.appeals.actions.submit import write_batch
from arna.appeals.models import Appeal, OutboxMessage
from arna.appeals.placement import prepare
from arna.appeals.schemas import AppealCreate
from arna.core.audit import AuditEvent, verify_chain
from arna.core.db import Database
from arna.core.settings import Settings
from tests.appeals.conftest import ROAD_IN_KURCHATOV, Inbox
from tests.conftest import DatabaseFactory

BACKLOG = 10_000
WORKERS = 4
SECRET = "a-test-key-shared-by-the-seeding-and-the-workers"
OUTBOX_ID = re.compile(r"arna-outbox-(\d+)@")  # the outbox row a message was sent for
ARNA = str(Path(sys.executable).with_name("arna"))


def _environment(db: Database, smtp_port: int, tmp: Path) -> dict[str, str]:
    return {
        **os.environ,
        "ARNA_DATABASE_URL": db.url,
        "ARNA_DATA_DIR": str(tmp),
        "ARNA_SECRET_KEY": SECRET,
        "ARNA_SMTP_HOST": "127.0.0.1",
        "ARNA_SMTP_PORT": str(smtp_port),
        "ARNA_WORKER_INTERVAL": "0.2",
    }


def _seed_overdue(db: Database, settings: Settings, n: int) -> None:
    """`n` appeals with e-mail addresses, filed 40 days ago: each is overdue and has its
    acknowledgement waiting in the outbox."""
    data = AppealCreate.model_validate(ROAD_IN_KURCHATOV)
    filed = datetime.now(UTC) - timedelta(days=40)
    for start in range(0, n, 1_000):
        write_batch(
            db, settings, [prepare(data, None, filed) for _ in range(min(1_000, n - start))]
        )


def _backlog(db: Database) -> tuple[int, int]:
    """Open appeals still with their first body, and messages not yet sent."""
    with db.read() as session:
        waiting = select(func.count()).select_from(Appeal).where(Appeal.escalation_depth == 0)
        pending = select(func.count()).select_from(OutboxMessage)
        pending = pending.where(OutboxMessage.status != "sent")
        return session.scalar(waiting) or 0, session.scalar(pending) or 0


@pytest.fixture
def workers() -> Iterator[list[subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in started:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        if process.stdout is not None:
            process.stdout.close()


@pytest.mark.scale
@pytest.mark.parametrize("backend", [pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_four_workers_escalate_and_send_each_once(
    databases: DatabaseFactory,
    smtp: tuple[Inbox, int],
    tmp_path: Path,
    workers: list[subprocess.Popen[bytes]],
) -> None:
    inbox, port = smtp
    db = databases.ready()
    _seed_overdue(db, Settings(database_url=db.url, secret_key=SECRET), BACKLOG)
    assert _backlog(db) == (BACKLOG, BACKLOG)

    env = _environment(db, port, tmp_path)
    for _ in range(WORKERS):
        workers.append(
            subprocess.Popen([ARNA, "worker"], env=env, stdout=subprocess.DEVNULL, stderr=None)
        )
    seeded = time.monotonic()
    deadline = seeded + 900
    while _backlog(db) != (0, 0):
        assert time.monotonic() < deadline, f"backlog left after 15 minutes: {_backlog(db)}"
        assert all(p.poll() is None for p in workers), "a worker stopped"
        time.sleep(1)
    print(f"backlog drained by {WORKERS} workers in {time.monotonic() - seeded:.0f} s")
    for process in workers:
        process.send_signal(signal.SIGTERM)
    assert [p.wait(timeout=60) for p in workers] == [0] * WORKERS

    with db.read() as session:
        assert set(session.scalars(select(Appeal.escalation_depth))) == {1}
        escalations = session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "appeal.escalated")
        )
        assert escalations == BACKLOG
        messages = session.scalar(select(func.count()).select_from(OutboxMessage)) or 0
        assert verify_chain(session).ok
    # the acknowledgements and the escalations' notices: every one reached the SMTP server once
    assert messages >= 2 * BACKLOG
    sent = Counter(OUTBOX_ID.findall(str(m["Message-ID"]))[0] for m in inbox.messages)
    assert len(sent) == messages
    assert max(sent.values()) == 1


@pytest.mark.parametrize("backend", [pytest.param("sqlite")])
def test_a_second_worker_on_sqlite_refuses_to_start(
    databases: DatabaseFactory, tmp_path: Path, workers: list[subprocess.Popen[bytes]]
) -> None:
    db = databases.ready()
    env = _environment(db, 1, tmp_path) | {"ARNA_WORKER_INTERVAL": "30"}
    first = subprocess.Popen([ARNA, "worker"], env=env, stdout=subprocess.PIPE)
    workers.append(first)
    assert first.stdout is not None
    first.stdout.readline()  # its first sweep is done: it holds the database
    second = subprocess.run(
        [ARNA, "worker", "--once"], env=env, capture_output=True, text=True, timeout=60
    )
    assert second.returncode == 1
    assert f"another arna worker (process {first.pid}) already runs" in second.stderr
    assert "SQLite has one writer" in second.stderr
    first.send_signal(signal.SIGTERM)
    assert first.wait(timeout=30) == 0
    # once the first has stopped, a worker starts
    third = subprocess.run(
        [ARNA, "worker", "--once"], env=env, capture_output=True, text=True, timeout=60
    )
    assert third.returncode == 0, third.stderr
