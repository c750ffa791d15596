"""A petition's way: draft → co-signers → moderation → open → threshold → response due →
answered, with lapsed, rejected and closed where it stops. Each action owns its transaction and
leaves an audit event."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from arna.bodies.reference import bodies
from arna.core.actors import Actor
from arna.core.clock import WorkingCalendar, load_calendar, now_utc, to_local_date
from arna.core.db import Database
from arna.core.errors import Forbidden, InvalidTransition, ValidationFailed
from arna.core.hashing import digest, new_access_code
from arna.core.settings import Settings
from arna.petitions import policy, rules
from arna.petitions.actions.events import entry, record
from arna.petitions.addressees import addressee
from arna.petitions.models import Petition
from arna.petitions.queries import code_matches, lock_petition, may_answer, not_found
from arna.petitions.schemas import PetitionCreate
from arna.petitions.state import audit_state
from arna.petitions.state import person_key as person_key  # its home before the export
from arna.text.analysis import analyze

AUTHOR = Actor("applicant", name="author")


@dataclass(frozen=True)
class Created:
    number: str
    code: str
    status: str
    threshold: int


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it is shorter)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def create_petition(
    db: Database, settings: Settings, data: PetitionCreate, now: datetime | None = None
) -> Created:
    now = now or now_utc()
    found = addressee(data.addressee_id, to_local_date(now))
    if found is None:
        raise ValidationFailed(
            "a petition is addressed to the Government, or to the akimat or maslikhat of an "
            "oblast, a city of republican significance or a district-level city of over 50,000 "
            "people: choose one of GET /api/v1/petitions/addressees",
            field="addressee_id",
        )
    language = data.language or analyze(f"{data.title}. {data.text}").lang
    code = new_access_code()
    with db.write() as session:
        petition = Petition(
            number=f"P-{now.year}-pending",
            title=data.title,
            text=data.text,
            language=language if language in ("kk", "ru", "en") else "ru",
            addressee_id=found.body.id,
            region_kato=found.region_kato,
            threshold_id=found.rule.id,
            threshold=found.threshold,
            status=policy.DRAFT,
            author_person=person_key(settings, data.author_iin),
            author_name=rules.shown_name(data.author_first_name, data.author_last_name),
            author_code_hash=digest(code),
            created_at=now,
            updated_at=now,
        )
        session.add(petition)
        session.flush()
        petition.number = f"P-{now.year}-{petition.id:06d}"
        record(session, entry(AUTHOR, "petition.created", petition, None, now))
        return Created(petition.number, code, petition.status, petition.threshold)


def send_for_cosigning(
    db: Database, settings: Settings, number: str, code: str, now: datetime | None = None
) -> str:
    """The author sends the draft out: 50 co-signers have 10 working days to join it."""
    now = now or now_utc()
    with db.write() as session:
        petition = lock_petition(session, number)
        if not code_matches(petition, code):
            if petition.status == policy.DRAFT:
                raise not_found(number)  # a draft is not known to anyone without its code
            raise Forbidden("only the author, with the code given at filing, sends it out")
        _expect(petition, policy.DRAFT, "send it out for co-signers")
        old = audit_state(petition)
        petition.status = policy.COSIGNING
        calendar = load_calendar(settings.calendar_file)
        petition.cosign_due = calendar.add_working_days(now, rules.term("cosigning"))
        petition.updated_at = now
        record(session, entry(AUTHOR, "petition.cosigning", petition, old, now))
        return petition.status


def moderate_petition(
    db: Database,
    settings: Settings,
    actor: Actor,
    number: str,
    *,
    approve: bool,
    reason: str | None = None,
    note: str | None = None,
    now: datetime | None = None,
) -> str:
    """The authorised body's check: published for six months, or rejected with a public
    reason code."""
    now = now or now_utc()
    if actor.kind != "admin":
        raise Forbidden("petitions are moderated by the platform's administrators")
    if not approve and reason not in rules.reason_codes():
        raise ValidationFailed(
            f"unknown reason {reason!r}: one of {', '.join(rules.reason_codes())}", field="reason"
        )
    with db.write() as session:
        petition = lock_petition(session, number)
        _expect(petition, policy.MODERATION, "moderate it")
        old = audit_state(petition)
        petition.updated_at = now
        petition.reason_note = note or None
        if not approve:
            petition.status = policy.REJECTED
            petition.reason_code = reason
            record(
                session, entry(actor, "petition.rejected", petition, old, now, note, code=reason)
            )
            return petition.status
        found = addressee(petition.addressee_id, to_local_date(now))
        if found is not None:  # the threshold in force on the day it opens
            petition.threshold_id, petition.threshold = found.rule.id, found.threshold
        petition.status = policy.OPEN
        petition.opened_at = now
        petition.closes_on = add_months(to_local_date(now), rules.term("collection"))
        record(session, entry(actor, "petition.opened", petition, old, now, note))
        reach_if_due(session, actor, petition, now, load_calendar(settings.calendar_file))
        return petition.status


def reach_if_due(
    session: Session, actor: Actor, petition: Petition, now: datetime, calendar: WorkingCalendar
) -> bool:
    """An open petition at its threshold: its addressee now owes an answer on a clock."""
    if petition.status != policy.OPEN or petition.signatures < petition.threshold:
        return False
    old = audit_state(petition)
    petition.status = policy.RESPONSE_DUE
    petition.reached_at = now
    petition.body_id = petition.addressee_id
    petition.response_due = response_due_from(petition.addressee_id, now, calendar)
    petition.updated_at = now
    record(session, entry(actor, "petition.reached", petition, old, now))
    return True


def response_due_from(body_id: str, since: datetime, calendar: WorkingCalendar) -> date:
    body = bodies().get(body_id)
    days = rules.response_days(body.kind if body else "")
    return calendar.add_working_days(since, days)


def answer_petition(
    db: Database,
    settings: Settings,
    actor: Actor,
    number: str,
    text: str,
    now: datetime | None = None,
) -> str:
    """The body that owes the answer gives it; the answer is public."""
    now = now or now_utc()
    with db.write() as session:
        petition = lock_petition(session, number)
        if not may_answer(actor, petition):
            raise Forbidden("only an official of the body that owes the answer gives it")
        _expect(petition, policy.RESPONSE_DUE, "answer it")
        old = audit_state(petition)
        petition.status = policy.ANSWERED
        petition.answer_text = text
        petition.answered_at = now
        petition.updated_at = now
        record(session, entry(actor, "petition.answered", petition, old, now))
        return petition.status


def _expect(petition: Petition, status: str, what: str) -> None:
    if petition.status != status:
        raise InvalidTransition(
            f"cannot {what}: petition {petition.number} is {petition.status}",
            status=petition.status,
        )
