"""The CSV files representatives are imported from (docs/representatives.md): read, checked row
by row, and turned into table rows; every problem named with its line.

Three kinds, one header each (columns in any order; more columns are refused, so that a typo
in a header is not silently dropped):

* deputies: id, name, legislature, party, mandate, constituency, region_kato, valid_from,
  valid_to, source
* attendance: deputy, date, present, source
* votes: vote_id, date, title, deputy, choice, source
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

KINDS = {
    "deputies": ("id", "name", "legislature", "party", "mandate", "constituency", "region_kato",
                 "valid_from", "valid_to", "source"),
    "attendance": ("deputy", "date", "present", "source"),
    "votes": ("vote_id", "date", "title", "deputy", "choice", "source"),
}  # fmt: skip
REQUIRED = {
    "deputies": ("id", "name", "legislature", "mandate", "valid_from", "source"),
    "attendance": ("deputy", "date", "present", "source"),
    "votes": ("vote_id", "date", "title", "deputy", "choice", "source"),
}
MANDATES = ("party_list", "single_member", "appointed", "elected_by_maslikhats")
CHOICES = ("for", "against", "abstain", "absent")
YES, NO = ("yes", "true", "1", "present"), ("no", "false", "0", "absent")
IDENT = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,59}$")
KATO = re.compile(r"^\d{9}$")
MAX_BYTES = 20 * 1024 * 1024
MAX_TEXT = 2000


@dataclass
class Parsed:
    kind: str
    rows: list[dict[str, Any]] = field(default_factory=list)  # with "line"
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line, what to fix)


class Unreadable(ValueError):
    """The file as a whole cannot be read: not UTF-8, too large, no or a wrong header."""


def parse(kind: str, data: bytes) -> Parsed:
    """The rows of a file of `kind` (KINDS), checked; Unreadable when nothing can be read."""
    if kind not in KINDS:
        raise Unreadable(f"kind: deputies, attendance or votes (not {kind!r})")
    if len(data) > MAX_BYTES:
        raise Unreadable(f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise Unreadable(f"line {line}: not UTF-8; save the file as UTF-8") from exc
    reader = csv.DictReader(text.splitlines())
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in REQUIRED[kind] if c not in header]
    unknown = [c for c in header if c not in KINDS[kind]]
    if missing or unknown:
        parts = [f"missing {', '.join(missing)}"] if missing else []
        parts += [f"unknown {', '.join(unknown)}"] if unknown else []
        raise Unreadable(
            f"header of a {kind} file: {'; '.join(parts)} (columns: {', '.join(KINDS[kind])})"
        )
    parsed = Parsed(kind)
    for number, raw in enumerate(reader, start=2):
        row = {k.strip(): (v or "").strip() for k, v in raw.items() if k is not None}
        if None in raw:
            parsed.errors.append((number, "more cells than the header has columns"))
            continue
        try:
            parsed.rows.append({"line": number, **_CHECK[kind](row)})
        except ValueError as exc:
            parsed.errors.append((number, str(exc)))
    return parsed


def _text(row: dict[str, str], name: str, limit: int = MAX_TEXT, required: bool = True) -> str:
    value = row.get(name, "")
    if required and not value:
        raise ValueError(f"{name} is empty")
    if len(value) > limit:
        raise ValueError(f"{name} is longer than {limit} characters")
    return value


def _ident(row: dict[str, str], name: str) -> str:
    value = _text(row, name, 60)
    if not IDENT.match(value):
        raise ValueError(f"{name} {value!r}: lower-case letters, digits, '-', '_' or '.'")
    return value


def _day(row: dict[str, str], name: str) -> date | None:
    value = row.get(name, "")
    if not value:
        if name in ("valid_from", "date"):
            raise ValueError(f"{name} is empty")
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{name} {value!r}: write dates as YYYY-MM-DD") from None


def _deputy(row: dict[str, str]) -> dict[str, Any]:
    mandate = _text(row, "mandate", 30)
    if mandate not in MANDATES:
        raise ValueError(f"mandate {mandate!r}: one of {', '.join(MANDATES)}")
    kato = row.get("region_kato", "")
    if kato and not KATO.match(kato):
        raise ValueError(f"region_kato {kato!r}: nine digits (a KATO code)")
    start, end = _day(row, "valid_from"), _day(row, "valid_to")
    if start and end and end < start:
        raise ValueError("valid_to is before valid_from")
    party = row.get("party", "")
    return {
        "id": _ident(row, "id"),
        "name": _text(row, "name", 200),
        "legislature_id": _ident(row, "legislature"),
        "party_id": _ident(row, "party") if party else None,
        "mandate": mandate,
        "constituency": _text(row, "constituency", 200, required=False) or None,
        "region_kato": kato or None,
        "valid_from": start,
        "valid_to": end,
        "source": _text(row, "source"),
    }


def _attendance(row: dict[str, str]) -> dict[str, Any]:
    present = row.get("present", "").lower()
    if present not in YES + NO:
        raise ValueError(f"present {row.get('present')!r}: yes or no")
    return {
        "deputy_id": _ident(row, "deputy"),
        "day": _day(row, "date"),
        "present": present in YES,
        "source": _text(row, "source"),
    }


def _vote(row: dict[str, str]) -> dict[str, Any]:
    choice = row.get("choice", "").lower()
    if choice not in CHOICES:
        raise ValueError(f"choice {row.get('choice')!r}: one of {', '.join(CHOICES)}")
    return {
        "roll_call_id": _ident(row, "vote_id"),
        "day": _day(row, "date"),
        "title": _text(row, "title"),
        "deputy_id": _ident(row, "deputy"),
        "choice": choice,
        "source": _text(row, "source"),
    }


_CHECK = {"deputies": _deputy, "attendance": _attendance, "votes": _vote}
