"""Prometheus metrics: requests, latency and intake batches counted as they happen; the gauges
that need the database read with cheap COUNT queries when /metrics is scraped.

The slices register their gauges here (`add_gauge`), as they register state checks with the
audit log, so the web toolkit imports no slice. A scrape never fails because the database does:
`arna_database_up` says 0 and the database's gauges are left out.

Several server processes (`arna serve --workers N`): set PROMETHEUS_MULTIPROC_DIR to an empty
directory writable by them, before they start, and prometheus-client's multiprocess mode adds
up the counters and histograms of every process in each scrape (whichever process answers it).
Empty the directory when the server starts again. docs/observability.md lists the metrics.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    ProcessCollector,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector
from sqlalchemy.orm import Session

from arna.core.db import Database, ping

log = logging.getLogger(__name__)

MULTIPROC_DIR = "PROMETHEUS_MULTIPROC_DIR"
CONTENT_TYPE = CONTENT_TYPE_LATEST
UNMATCHED = "<unmatched>"  # a path no route takes: never the path itself (unbounded, personal)
# Arna answers most requests in milliseconds: finer buckets at the low end than the default.
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
BATCH_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128, 256)

Read = Callable[[Session, datetime], float | None]


@dataclass(frozen=True)
class Gauge:
    name: str
    help: str
    read: Read  # the value now, or None when there is none to give (left out)


_gauges: dict[str, Gauge] = {}


def add_gauge(name: str, help: str, read: Read) -> None:
    """A gauge read from the database at each scrape."""
    _gauges[name] = Gauge(name, help, read)


class DatabaseGauges:
    """The registered gauges, read in one read transaction when scraped."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily(
            "arna_database_up", "1 when the database answered this scrape, else 0."
        )
        found: list[Metric] = []
        try:
            with self.db.read() as session:
                ping(session)
                now = datetime.now(UTC)
                for gauge in _gauges.values():
                    found += _read(session, gauge, now)
        except Exception as exc:
            log.warning("metrics: the database did not answer (%s)", type(exc).__name__)
            up.add_metric([], 0)
        else:
            up.add_metric([], 1)
        yield up
        yield from found


def _read(session: Session, gauge: Gauge, now: datetime) -> list[Metric]:
    try:
        value = gauge.read(session, now)
    except Exception as exc:
        log.warning("metrics: the gauge %s failed (%s)", gauge.name, type(exc).__name__)
        session.rollback()
        return []
    return [] if value is None else [GaugeMetricFamily(gauge.name, gauge.help, value=value)]


class Metrics:
    """One application's metrics (a registry of its own, so that several apps in one process,
    as in the tests, count apart)."""

    def __init__(self, db: Database) -> None:
        self.multiprocess = bool(os.environ.get(MULTIPROC_DIR))
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "arna_http_requests",
            "HTTP requests answered, by method, route template and status.",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "arna_http_request_duration_seconds",
            "Time to answer an HTTP request, by method and route template.",
            ["method", "route"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.intake_batch = Histogram(
            "arna_intake_batch_size",
            "Appeals written in one transaction by the group-commit intake.",
            buckets=BATCH_BUCKETS,
            registry=self.registry,
        )
        self.database: Collector = DatabaseGauges(db)
        if not self.multiprocess:
            self.registry.register(self.database)
            ProcessCollector(registry=self.registry)

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        self.requests.labels(method, route, str(status)).inc()
        self.latency.labels(method, route).observe(seconds)

    def observe_batch(self, size: int) -> None:
        self.intake_batch.observe(size)

    def exposition(self) -> bytes:
        """The text a scrape gets: in multiprocess mode, every process's counters added up,
        and the database's gauges read by this one."""
        if not self.multiprocess:
            return generate_latest(self.registry)
        registry = CollectorRegistry()
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        registry.register(self.database)
        return generate_latest(registry)
