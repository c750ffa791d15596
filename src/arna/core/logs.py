"""Logs as one JSON object a line, each carrying the id of the request it was written for.

The web layer sets `request_id` for every request (web/observability.py); every record written
while that request is handled, in any module, carries it. What goes into a line is the logger's
message with its arguments, the level, the time, the request id and the fields a caller passes
as `extra={"fields": {...}}` (the access log: method, route template, status, duration). An
exception's type and stack go in, its message does not: the messages of database errors quote
the statement's parameters, and those are personal data.

`log_config(...)` is the `logging.config.dictConfig` that `arna serve` hands to uvicorn, so
uvicorn's own lines and Arna's go the same way in every worker process.
"""

from __future__ import annotations

import json
import logging
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any, Literal

LogFormat = Literal["json", "plain"]

request_id: ContextVar[str | None] = ContextVar("arna_request_id", default=None)


@contextmanager
def detached() -> Iterator[None]:
    """Run a block outside any request: a task started here (a queue's long-lived stage, started
    by whichever request came first) does not carry that request's id into its own lines."""
    token = request_id.set(None)
    try:
        yield
    finally:
        request_id.reset(token)


def _fields(record: logging.LogRecord) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
        "level": record.levelname,
        "logger": record.name,
        "message": record.getMessage(),
    }
    rid = request_id.get()
    if rid is not None:
        entry["request_id"] = rid
    extra = getattr(record, "fields", None)
    if isinstance(extra, dict):
        entry.update(extra)
    if record.exc_info and record.exc_info[0] is not None:
        kind, _, tb = record.exc_info
        entry["exception"] = kind.__qualname__
        entry["stack"] = "".join(traceback.format_tb(tb)).rstrip()
    return entry


class JsonFormatter(logging.Formatter):
    """One JSON object per record, on one line."""

    def format(self, record: logging.LogRecord) -> str:
        return json.dumps(_fields(record), ensure_ascii=False, default=str)


class PlainFormatter(logging.Formatter):
    """The same fields as text, for a person reading a terminal."""

    def format(self, record: logging.LogRecord) -> str:
        entry = _fields(record)
        stack = entry.pop("stack", None)
        head = " ".join(str(entry.pop(k)) for k in ("time", "level", "logger", "message"))
        line = " ".join([head, *(f"{k}={v}" for k, v in entry.items())])
        return f"{line}\n{stack}" if stack else line


def log_config(fmt: LogFormat, level: str = "info", access: bool = True) -> dict[str, Any]:
    """The logging of a server process: Arna's and uvicorn's lines in `fmt` on stderr; the
    access log is Arna's (route templates, no query strings), uvicorn's own is off. Like
    uvicorn's, the access lines are written only when `level` lets info through."""
    name = level.upper()
    formatter = JsonFormatter if fmt == "json" else PlainFormatter
    shown = access and logging.getLevelName(name) <= logging.INFO
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"arna": {"()": f"{__name__}.{formatter.__name__}"}},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "arna",
                "stream": "ext://sys.stderr",
            }
        },
        "loggers": {
            "uvicorn": {"handlers": ["stderr"], "level": name, "propagate": False},
            "uvicorn.error": {"level": name},
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
            "arna": {"handlers": ["stderr"], "level": name, "propagate": False},
            "arna.access": {"level": "INFO" if shown else "WARNING"},
        },
        "root": {"handlers": ["stderr"], "level": "WARNING"},
    }
