"""Responses stored: one from the API (idempotent by its key) or a CSV file of them (idempotent
by each row's key; nothing is stored when any row is bad)."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from arna.core import audit
from arna.core.actors import Actor
from arna.core.clock import now_utc
from arna.core.db import Database
from arna.core.errors import Conflict, InvalidTransition, ValidationFailed
from arna.surveys import policy
from arna.surveys.actions.surveys import TooLarge, event, expect_manager
from arna.surveys.intake import Incoming, IntakeError, check, read_csv
from arna.surveys.models import Survey, SurveyResponse
from arna.surveys.queries import form_of_survey, get_survey, stored_keys

Progress = Callable[[int, int], None]
RESPONDENT = Actor("anonymous", name="respondent")
CHUNK = 500


@dataclass(frozen=True)
class Imported:
    added: int
    already_there: int
    repeated_in_file: int
    ignored_columns: list[str]


def submit_response(
    db: Database, number: str, incoming: Incoming, now: datetime | None = None
) -> bool:
    """Store one response; False when the same response is there already under its key. The
    same key with other answers is a conflict."""
    now = now or now_utc()
    with db.write() as session:
        survey = get_survey(session, number, lock=True)
        _expect_open(survey)
        problems = check(form_of_survey(survey), incoming)
        if problems:
            raise ValidationFailed(
                f"the response does not fit the form: {'; '.join(problems)}",
                errors=[{"field": p.split(":")[0], "message": p} for p in problems],
            )
        stored = stored_keys(session, survey, [incoming.key]).get(incoming.key)
        if stored == incoming.fingerprint:
            return False
        if stored is not None:
            raise Conflict(
                f"a response with the key {incoming.key} is there already with other answers: "
                "a new response takes a new key"
            )
        _store(session, survey, [incoming], "api", now)
        audit.record_many(session, [event(RESPONDENT, "survey.response", survey, now, added=1)])
        return True


def import_responses(
    db: Database,
    actor: Actor,
    number: str,
    data: bytes,
    progress: Progress | None = None,
    now: datetime | None = None,
) -> Imported:
    """Store the rows of a responses CSV not stored before. Every bad row is reported with its
    line (`ValidationFailed`, details `rows`) and then nothing is stored; a row whose key is
    stored with other answers is bad."""
    now = now or now_utc()
    if len(data) > policy.MAX_CSV_BYTES:
        raise TooLarge(f"a responses file is at most {policy.MAX_CSV_BYTES:,} bytes")
    with db.write() as session:
        survey = get_survey(session, number, lock=True)
        expect_manager(actor, survey, "responses are imported by the survey's managers")
        _expect_open(survey)
        try:
            batch = read_csv(data, form_of_survey(survey), now)
        except IntakeError as error:
            raise ValidationFailed(str(error), field="file") from error
        stored = stored_keys(session, survey, [r.key for r in batch.rows])
        bad = [
            {"line": r.line, "key": r.key, "problems": ["stored already with other answers"]}
            for r in batch.rows
            if r.key in stored and stored[r.key] != r.fingerprint
        ]
        bad += [{"line": b.line, "key": b.key, "problems": list(b.problems)} for b in batch.bad]
        if bad:
            bad.sort(key=lambda b: int(str(b["line"])))
            first = bad[0]
            raise ValidationFailed(
                f"{len(bad)} bad rows, nothing imported; line {first['line']}: "
                f"{'; '.join(first['problems'])}",  # type: ignore[arg-type]
                rows=bad,
            )
        new = [r for r in batch.rows if r.key not in stored]
        total = len(new)
        for start in range(0, total, CHUNK):
            _store(session, survey, new[start : start + CHUNK], "csv", now)
            if progress:
                progress(min(start + CHUNK, total), total)
        if progress and not total:
            progress(0, 0)
        if new:
            audit.record_many(
                session, [event(actor, "survey.imported", survey, now, added=len(new))]
            )
        return Imported(len(new), len(stored), batch.repeated, batch.ignored_columns)


def _expect_open(survey: Survey) -> None:
    if survey.status != policy.OPEN:
        raise InvalidTransition(f"survey {survey.number} is closed: it takes no more responses")


def _store(
    session: Session, survey: Survey, rows: Sequence[Incoming], source: str, now: datetime
) -> None:
    values: list[dict[str, Any]] = []
    for r in rows:
        values.append(
            {
                "survey_id": survey.id,
                "key": r.key,
                "fingerprint": r.fingerprint,
                "answers": json.dumps(r.answers, ensure_ascii=False, default=str),
                **r.respondent.as_dict(),
                "source": source,
                "submitted_at": r.submitted_at or now,
                "received_at": now,
                "weight": None,
            }
        )
    session.execute(insert(SurveyResponse), values)
    times = [v["submitted_at"] for v in values]
    first, last = min(times), max(times)
    survey.fielded_from = min(survey.fielded_from or first, first)
    survey.fielded_to = max(survey.fielded_to or last, last)
    survey.responses += len(values)
