"""While the tests run, every write statement must come from an action (or from maintenance,
migrations, or the test's own setup): the runtime half of the one-write-path rule, whatever
way the write is spelled. tests/test_architecture.py is the static half (and the only one for
PostgreSQL's bulk inserts, which go to the driver's cursor directly)."""

from __future__ import annotations

import re
import sys
import threading
from typing import Any

from sqlalchemy import Engine, event

WRITE = re.compile(r"\s*(INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER)\b", re.IGNORECASE)
# Modules a write may come from: a slice's actions, maintenance, migrations, the tests' setup.
WRITERS = re.compile(r"^(arna\.[a-z_]+\.actions(\.|$)|arna\.maintenance(\.|$)|tests\.)")

violations: list[str] = []
_lock = threading.Lock()


def _origin() -> tuple[bool, list[str]]:
    """Whether a writer's frame is on the stack, and the project frames that are (innermost
    first), to say where a stray write came from."""
    frame = sys._getframe(3)
    seen = []
    while frame is not None:
        name = str(frame.f_globals.get("__name__", ""))
        if WRITERS.match(name):
            return True, seen
        if name.startswith("arna."):
            seen.append(f"{name}:{frame.f_lineno}")
        frame = frame.f_back
    return False, seen


def _guard(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
    if not WRITE.match(statement):
        return
    allowed, seen = _origin()
    if not allowed:
        with _lock:
            what = " ".join(statement.split())[:60]
            violations.append(f"{what} from {' <- '.join(seen) or 'outside Arna'}")


def install() -> None:
    if not event.contains(Engine, "before_cursor_execute", _guard):
        event.listen(Engine, "before_cursor_execute", _guard)
