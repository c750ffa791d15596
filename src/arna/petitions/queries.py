"""Reads of petitions: getters (a draft is seen only with its author's code), the public view
with its progress over time and signers by region, pages of petitions, the sources of sudden
surges of signatures, and what the state check of the audit log compares."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from arna.bodies.reference import bodies
from arna.core.actors import Actor
from arna.core.clock import to_local_date
from arna.core.errors import NotFound
from arna.core.hashing import digest
from arna.core.persons import Person
from arna.core.settings import Settings
from arna.geo.reference import units
from arna.petitions.models import Invalidation, Petition, Signature
from arna.petitions.policy import DRAFT, LISTED, MODERATION, RESPONSE_DUE, SIGNABLE
from arna.petitions.rules import thresholds
from arna.petitions.schemas import (
    InvalidationOut,
    PetitionDetail,
    PetitionOut,
    PetitionPage,
    PetitionSummary,
    Progress,
    RegionCount,
)
from arna.petitions.state import audit_state, person_key
from arna.petitions.surges import MINIMUM, Surge, surge_of

LOOKBACK = timedelta(days=30)  # how far back moderators look for surges


def not_found(number: str) -> NotFound:
    return NotFound(f"no petition {number}", number=number)


def code_matches(petition: Petition, code: str | None) -> bool:
    return bool(code) and digest(code.strip().upper()) == petition.author_code_hash  # type: ignore[union-attr]


def petition_for(session: Session, number: str, code: str | None = None) -> Petition:
    """A petition as anyone may read it: a draft only with its author's code."""
    petition = session.scalar(select(Petition).where(Petition.number == number))
    if petition is None or (petition.status == DRAFT and not code_matches(petition, code)):
        raise not_found(number)
    return petition


def lock_petition(session: Session, number: str) -> Petition:
    petition = session.scalar(select(Petition).where(Petition.number == number).with_for_update())
    if petition is None:
        raise not_found(number)
    return petition


def lock_petitions(session: Session, numbers: Iterable[str]) -> dict[str, Petition]:
    """The petitions of a batch of signatures, row-locked in one order (no deadlock between
    batches)."""
    found = session.scalars(
        select(Petition)
        .where(Petition.number.in_(sorted(set(numbers))))
        .order_by(Petition.id)
        .with_for_update()
    )
    return {p.number: p for p in found}


def signed_already(session: Session, petition_id: int, persons: list[str]) -> set[str]:
    found = select(Signature.person).where(
        Signature.petition_id == petition_id, Signature.person.in_(persons)
    )
    return set(session.scalars(found))


def matching_signatures(
    session: Session, petition_id: int, conditions: list[ColumnElement[bool]]
) -> list[int]:
    """Ids of the valid signatures of the petition that meet every condition, row-locked."""
    found = select(Signature.id).where(
        Signature.petition_id == petition_id, Signature.valid, *conditions
    )
    return list(session.scalars(found.with_for_update()))


def may_answer(actor: Actor, petition: Petition) -> bool:
    return actor.kind == "admin" or (
        actor.kind in ("official", "supervisor") and actor.body_id == petition.body_id
    )


# --- views ------------------------------------------------------------------------------------


def addressee_name(body_id: str, lang: str) -> str:
    body = bodies().get(body_id)
    return body.name(lang) if body else body_id


def threshold_basis(rule_id: str) -> str:
    return next((t.basis for t in thresholds() if t.id == rule_id), "")


def view(petition: Petition, lang: str) -> PetitionOut:
    return PetitionOut(
        number=petition.number,
        title=petition.title,
        text=petition.text,
        language=petition.language,
        status=petition.status,
        addressee_id=petition.addressee_id,
        addressee=addressee_name(petition.addressee_id, lang),
        author=petition.author_name,
        threshold=petition.threshold,
        threshold_basis=threshold_basis(petition.threshold_id),
        signatures=petition.signatures,
        invalidated=petition.invalidated,
        created_at=petition.created_at,
        cosign_due=petition.cosign_due,
        moderation_due=petition.moderation_due,
        opened_at=petition.opened_at,
        closes_on=petition.closes_on,
        reached_at=petition.reached_at,
        reason_code=petition.reason_code,
        reason_note=petition.reason_note,
        body_id=petition.body_id,
        response_due=petition.response_due,
        escalation_depth=petition.escalation_depth,
        answer_text=petition.answer_text,
        answered_at=petition.answered_at,
    )


def detail(session: Session, petition: Petition, lang: str, min_cell: int) -> PetitionDetail:
    return PetitionDetail(
        **view(petition, lang).model_dump(),
        progress=progress(session, petition),
        regions=by_region(session, petition.id, lang, min_cell),
        invalidations=invalidations(session, petition.id),
    )


def progress(session: Session, petition: Petition) -> list[Progress]:
    """Valid signatures by the end of each day that had any, from the first."""
    stamps = session.scalars(
        select(Signature.created_at).where(Signature.petition_id == petition.id, Signature.valid)
    )
    per_day: dict[date, int] = {}
    for at in stamps:
        day = to_local_date(at)
        per_day[day] = per_day.get(day, 0) + 1
    total, out = 0, []
    for day in sorted(per_day):
        total += per_day[day]
        out.append(Progress(day=day, signatures=total))
    return out


def by_region(session: Session, petition_id: int, lang: str, min_cell: int) -> list[RegionCount]:
    """Valid signatures by the signer's region, most first; a region with fewer signers than
    `min_cell` shows no figure."""
    rows = session.execute(
        select(Signature.region_kato, func.count())
        .where(Signature.petition_id == petition_id, Signature.valid)
        .group_by(Signature.region_kato)
    ).all()
    known = units()
    counts = [
        RegionCount(
            kato=kato,
            name=known[kato].name(lang) if kato in known else kato,
            signatures=n if n >= min_cell else None,
        )
        for kato, n in rows
    ]
    return sorted(counts, key=lambda r: (-(r.signatures or 0), r.name))


def invalidations(session: Session, petition_id: int) -> list[InvalidationOut]:
    found = select(Invalidation).where(Invalidation.petition_id == petition_id)
    return [
        InvalidationOut(count=i.count, reason=i.reason, at=i.created_at)
        for i in session.scalars(found.order_by(Invalidation.id))
    ]


def recent_signers(session: Session, petition_id: int, limit: int = 10) -> list[str]:
    """The latest signers as the public sees them: first name and initial."""
    found = (
        select(Signature.name)
        .where(Signature.petition_id == petition_id, Signature.valid)
        .order_by(Signature.id.desc())
        .limit(limit)
    )
    return list(session.scalars(found))


def list_petitions(
    session: Session,
    lang: str,
    *,
    status: str | None = None,
    addressee: str | None = None,
    region: str | None = None,
    page: int = 1,
    per_page: int = 20,
) -> PetitionPage:
    """Published petitions (and those that ended), the most signed first."""
    where: list[ColumnElement[bool]] = [
        Petition.status.in_([status] if status in LISTED else LISTED)
    ]
    if addressee:
        where.append(Petition.addressee_id == addressee)
    if region:
        where.append(Petition.region_kato == region)
    total = session.scalar(select(func.count()).select_from(Petition).where(*where)) or 0
    found = session.scalars(
        select(Petition)
        .where(*where)
        .order_by(Petition.signatures.desc(), Petition.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    )
    items = [
        PetitionSummary(
            number=p.number,
            title=p.title,
            language=p.language,
            status=p.status,
            addressee=addressee_name(p.addressee_id, lang),
            signatures=p.signatures,
            threshold=p.threshold,
            closes_on=p.closes_on,
            response_due=p.response_due,
        )
        for p in found
    ]
    return PetitionPage(items=items, total=total, page=page, per_page=per_page)


def awaiting(session: Session, actor: Actor) -> list[Petition]:
    """What this official has to do: petitions to moderate (admins), to answer (their body)."""
    where: ColumnElement[bool]
    if actor.kind == "admin":
        where = Petition.status.in_([MODERATION, RESPONSE_DUE])
    elif actor.body_id:
        where = (Petition.status == RESPONSE_DUE) & (Petition.body_id == actor.body_id)
    else:
        return []
    return list(session.scalars(select(Petition).where(where).order_by(Petition.id)))


def surging(session: Session, now: datetime) -> list[tuple[Petition, list[Surge]]]:
    """The petitions collecting signatures now that have a surge, for the moderators: only the
    sources with MINIMUM signatures of a petition in the last 30 days are read further."""
    since = now - LOOKBACK
    candidates = session.execute(
        select(Signature.petition_id, Signature.source)
        .join(Petition, Petition.id == Signature.petition_id)
        .where(Petition.status.in_(SIGNABLE), Signature.valid, Signature.created_at >= since)
        .group_by(Signature.petition_id, Signature.source)
        .having(func.count() >= MINIMUM)
    ).all()
    by_petition: dict[int, list[str]] = {}
    for petition_id, source in candidates:
        by_petition.setdefault(petition_id, []).append(source)
    found = []
    for petition_id, sources in sorted(by_petition.items()):
        petition = session.get(Petition, petition_id)
        assert petition is not None
        flagged = _surges(session, petition_id, sources, since)
        if flagged:
            found.append((petition, flagged))
    return found


def surges(session: Session, petition: Petition, now: datetime) -> list[Surge]:
    """Sources that sent a sudden share of the petition's signatures in the last 30 days."""
    since = now - LOOKBACK
    sources = session.scalars(
        select(Signature.source)
        .where(Signature.petition_id == petition.id, Signature.valid, Signature.created_at >= since)
        .group_by(Signature.source)
        .having(func.count() >= MINIMUM)
    ).all()
    return _surges(session, petition.id, list(sources), since)


def _surges(session: Session, petition_id: int, sources: list[str], since: datetime) -> list[Surge]:
    valid = (Signature.petition_id == petition_id, Signature.valid)

    def everyone(start: datetime, end: datetime) -> int:
        between = Signature.created_at.between(start, end)
        return session.scalar(select(func.count()).where(*valid, between)) or 0

    found = []
    for source in sources:
        stamps = session.scalars(
            select(Signature.created_at).where(
                *valid, Signature.source == source, Signature.created_at >= since
            )
        ).all()
        surge = surge_of(source, list(stamps), everyone)
        if surge is not None:
            found.append(surge)
    return sorted(found, key=lambda s: -s.count)


# --- what the audit log's state check compares -------------------------------------------------


def stored_states(session: Session) -> dict[str, dict[str, object]]:
    return {p.number: audit_state(p) for p in session.scalars(select(Petition))}


# --- a subject-access export ---------------------------------------------------------------------


def person_petitions(
    session: Session, settings: Settings, person: Person, now: datetime
) -> dict[str, list[dict[str, object]]]:
    """The petitions this person wrote and the ones they signed: known by their IIN's digest."""
    if not person.iin:
        return {"written": [], "signed": []}
    who = person_key(settings, person.iin)
    written = session.scalars(
        select(Petition).where(Petition.author_person == who).order_by(Petition.id)
    )
    signed = session.execute(
        select(Petition.number, Signature)
        .join(Petition, Petition.id == Signature.petition_id)
        .where(Signature.person == who)
        .order_by(Signature.id)
    )
    return {
        "written": [
            {
                "number": p.number,
                "title": p.title,
                "text": p.text,
                "author_name": p.author_name,
                "status": p.status,
                "created_at": p.created_at.isoformat(),
                "signatures": p.signatures,
            }
            for p in written
        ],
        "signed": [
            {
                "petition": number,
                "name": s.name,
                "region_kato": s.region_kato,
                "created_at": s.created_at.isoformat(),
                "valid": s.valid,
            }
            for number, s in signed
        ],
    }
