"""The sweeps of slices that `arna worker` runs after the appeals' own: each slice keeps its
clock in its actions, and the application registers them here (as it registers state checks
with the audit log), so the worker needs no import of a slice beside its own."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime

from arna.core.db import Database
from arna.core.settings import Settings

Sweep = Callable[[Database, Settings, datetime], Mapping[str, int]]
_sweeps: dict[str, Sweep] = {}


def add_sweep(name: str, sweep: Sweep) -> None:
    _sweeps[name] = sweep


def run_sweeps(db: Database, settings: Settings, now: datetime) -> dict[str, int]:
    """Every registered sweep at `now`, their counts together."""
    report: dict[str, int] = {}
    for sweep in _sweeps.values():
        report.update(sweep(db, settings, now))
    return report
