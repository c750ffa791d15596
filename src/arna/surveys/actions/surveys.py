"""A survey's questionnaire loaded from an XLSForm file, and the survey closed."""

from __future__ import annotations

from datetime import datetime

from arna.core import audit
from arna.core.actors import Actor
from arna.core.clock import now_utc
from arna.core.db import Database
from arna.core.errors import ArnaError, Forbidden, InvalidTransition, ValidationFailed
from arna.surveys import policy
from arna.surveys.forms import FILE_TYPES, FormError, read_form
from arna.surveys.models import Survey
from arna.surveys.queries import get_survey


class TooLarge(ArnaError):
    status = 413
    code = "payload_too_large"


def event(actor: Actor, action: str, survey: Survey, now: datetime, **new: object) -> audit.Entry:
    return audit.Entry(
        actor=actor.label,
        action=action,
        entity_type="survey",
        entity_id=survey.number,
        new={"status": survey.status, **new},
        at=now,
    )


def may_manage(actor: Actor, survey: Survey | None) -> bool:
    """Administrators manage every survey; officials those they loaded."""
    if actor.kind == "admin":
        return True
    if actor.kind not in ("official", "supervisor"):
        return False
    return survey is None or survey.owner == actor.label


def expect_manager(actor: Actor, survey: Survey | None, what: str) -> None:
    if not may_manage(actor, survey):
        raise Forbidden(f"{what}: administrators, or the official who loaded the survey")


def create_survey(
    db: Database,
    actor: Actor,
    data: bytes,
    file_type: str,
    title: str | None = None,
    now: datetime | None = None,
) -> str:
    """Load a questionnaire from an XLSForm file (checked by pyxform); returns its number."""
    now = now or now_utc()
    expect_manager(actor, None, "surveys are loaded by administrators and officials")
    file_type = file_type.lower() if file_type.startswith(".") else f".{file_type.lower()}"
    if len(data) > policy.MAX_FORM_BYTES:
        raise TooLarge(f"an XLSForm is at most {policy.MAX_FORM_BYTES:,} bytes")
    if file_type not in FILE_TYPES:
        raise ValidationFailed(
            f"an XLSForm is one of {', '.join(FILE_TYPES)}, not {file_type}", field="file"
        )
    try:
        form = read_form(data, file_type=file_type)
    except FormError as error:
        raise ValidationFailed(
            f"the form cannot be read: {error}", field="file", sheet=error.sheet, row=error.row
        ) from error
    with db.write() as session:
        survey = Survey(
            number="S-pending",
            title=(title or form.title or form.id)[:200],
            form_id=form.id[:200],
            form_version=form.version[:100] if form.version else None,
            form_file=data,
            file_type=file_type,
            languages=",".join(form.languages)[:100],
            status=policy.OPEN,
            owner=actor.label[:60],
            created_at=now,
            responses=0,
        )
        session.add(survey)
        session.flush()
        survey.number = f"S-{now.year}-{survey.id:06d}"
        questions = len(form.questions)
        audit.record_many(
            session, [event(actor, "survey.created", survey, now, questions=questions)]
        )
        return survey.number


def close_survey(db: Database, actor: Actor, number: str, now: datetime | None = None) -> str:
    """No more responses: the survey's fieldwork is over."""
    now = now or now_utc()
    with db.write() as session:
        survey = get_survey(session, number, lock=True)
        expect_manager(actor, survey, "a survey is closed by its managers")
        if survey.status != policy.OPEN:
            raise InvalidTransition(f"survey {number} is closed already")
        survey.status = policy.CLOSED
        audit.record_many(session, [event(actor, "survey.closed", survey, now)])
        return survey.status
