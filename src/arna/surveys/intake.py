"""Responses as they come in, before any is stored: from the API (answers and the respondent's
raking variables) or from a CSV export of KoboToolbox or ODK Central (a row per response), each
checked against its form and given its idempotency key and fingerprint. Pure: no database.

CSV columns: the key is the first of `_uuid`, `meta/instanceID`, `instanceID`, `key` (the
`uuid:` prefix of an instanceID dropped, so that both of Kobo's columns give the same key); the
time of the response is `_submission_time`, `submitted_at` or `end` (ISO 8601; now when none);
`region`, `sex`, `settlement`, `age_group` (or `age` in years) are the respondent's raking
variables; a column named as a question, or as its group path (`group/question`, as Kobo
writes), is its answer. Kobo's one-column-per-choice columns (`issues/roads`), metadata columns
(`_id`, `start`, `__version__` …) and any other column are ignored and listed as ignored.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from arna.surveys import policy
from arna.surveys.forms import Form, read_form
from arna.surveys.margins import regions
from arna.surveys.responses import response_problems

KEY_COLUMNS = ("_uuid", "meta/instanceID", "instanceID", "key")
TIME_COLUMNS = ("_submission_time", "submitted_at", "end")
RESPONDENT_COLUMNS = (*policy.VARIABLES, "age")


@dataclass(frozen=True)
class Respondent:
    region: str | None = None
    sex: str | None = None
    settlement: str | None = None
    age_group: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return {v: getattr(self, v) for v in policy.VARIABLES}


@dataclass(frozen=True)
class Incoming:
    key: str
    answers: dict[str, Any]
    respondent: Respondent
    submitted_at: datetime | None
    line: int | None = None

    @property
    def fingerprint(self) -> str:
        """Equal for the same answers from the same respondent, however they were ordered."""
        text = json.dumps(
            {"answers": self.answers, "respondent": self.respondent.as_dict()},
            sort_keys=True,
            ensure_ascii=False,
            separators=(",", ":"),
            default=str,
        )
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class BadRow:
    line: int
    key: str | None
    problems: tuple[str, ...]


@dataclass
class CsvBatch:
    rows: list[Incoming] = field(default_factory=list)
    bad: list[BadRow] = field(default_factory=list)
    repeated: int = 0  # rows whose key came earlier in the file with the same answers
    ignored_columns: list[str] = field(default_factory=list)


class IntakeError(ValueError):
    """A file that is not a responses CSV at all."""


@lru_cache(maxsize=32)
def form_of(data: bytes, file_type: str) -> Form:
    """A stored questionnaire, read once per process."""
    return read_form(data, file_type=file_type)


def respondent_of(values: Mapping[str, Any]) -> tuple[Respondent, list[str]]:
    """The raking variables from `region`, `sex`, `settlement`, `age_group` or `age`; a value
    that names no category is a problem, a missing one is unknown (None)."""
    problems: list[str] = []
    found: dict[str, str | None] = {}
    readers = {
        policy.REGION: lambda v: policy.region_of(v, regions()),
        policy.SEX: policy.sex_of,
        policy.SETTLEMENT: policy.settlement_of,
        policy.AGE_GROUP: policy.age_group_of,
    }
    for variable, read in readers.items():
        raw = values.get(variable)
        if variable == policy.AGE_GROUP and _blank(raw):
            raw = values.get("age")
        if _blank(raw):
            found[variable] = None
            continue
        found[variable] = read(str(raw))
        if found[variable] is None:
            problems.append(f"{variable}: {raw!r} is not a known {variable.replace('_', ' ')}")
    return Respondent(**found), problems


def check(form: Form, incoming: Incoming) -> list[str]:
    """Every problem of a response: its answers against the form, its key."""
    problems = [f"{p.key}: {p.message}" for p in response_problems(form, incoming.answers)]
    if not incoming.key or len(incoming.key) > policy.MAX_KEY:
        problems.append(f"the key is 1 to {policy.MAX_KEY} characters")
    return problems


def read_csv(data: bytes, form: Form, now: datetime) -> CsvBatch:
    """Every row of a responses CSV, read and checked (see the module's docstring)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise IntakeError("a responses file is a CSV in UTF-8") from error
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)  # Kobo writes `;` in some settings
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(reader, None)
    if not header:
        raise IntakeError("the responses file is empty")
    columns = _columns(form, [h.strip() for h in header])
    key_at = next((header.index(k) for k in KEY_COLUMNS if k in header), None)
    if key_at is None:
        raise IntakeError(f"a responses file has a key column: one of {', '.join(KEY_COLUMNS)}")
    batch = CsvBatch(ignored_columns=[h for i, h in enumerate(header) if i not in columns])
    seen: dict[str, str] = {}
    line = 1
    for row in reader:
        start, line = line + 1, reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        incoming, problems = _row(form, header, columns, key_at, row, start, now)
        if not problems:
            earlier = seen.get(incoming.key)
            if earlier == incoming.fingerprint:
                batch.repeated += 1
                continue
            if earlier is not None:
                problems = [f"key {incoming.key} comes earlier in the file with other answers"]
        if problems:
            batch.bad.append(BadRow(start, incoming.key or None, tuple(problems)))
            continue
        seen[incoming.key] = incoming.fingerprint
        batch.rows.append(incoming)
    return batch


def _columns(form: Form, header: list[str]) -> dict[int, str]:
    """Column index → what it holds: a question's key, or a respondent column's name."""
    paths = {"/".join((*q.path, q.name)): q.key for q in form.questions if q.repeat is None}
    keys = {q.key for q in form.questions if q.repeat is None}
    found: dict[int, str] = {}
    for i, name in enumerate(header):
        if name in keys or name in paths:
            found[i] = paths.get(name, name)
        elif name in RESPONDENT_COLUMNS or name in KEY_COLUMNS or name in TIME_COLUMNS:
            found[i] = f"@{name}"
    return found


def _row(
    form: Form,
    header: list[str],
    columns: dict[int, str],
    key_at: int,
    row: list[str],
    line: int,
    now: datetime,
) -> tuple[Incoming, list[str]]:
    if len(row) > len(header):
        empty = Incoming("", {}, Respondent(), None, line)
        return empty, [f"{len(row)} cells for {len(header)} columns"]
    cells = {header[i]: v.strip() for i, v in enumerate(row)}
    key = row[key_at].strip().removeprefix("uuid:")
    answers = {
        what: cells[header[i]]
        for i, what in columns.items()
        if not what.startswith("@") and i < len(row) and cells[header[i]] != ""
    }
    respondent, problems = respondent_of(cells)
    submitted, when_problem = _time(cells, now)
    incoming = Incoming(key, answers, respondent, submitted, line)
    problems += check(form, incoming) + ([when_problem] if when_problem else [])
    return incoming, problems


def _time(cells: Mapping[str, str], now: datetime) -> tuple[datetime, str | None]:
    for column in TIME_COLUMNS:
        value = cells.get(column, "")
        if value:
            try:
                moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                return now, f"{column}: {value!r} is not a date and time (ISO 8601)"
            moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
            return moment.astimezone(UTC), None
    return now, None


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
