"""Reads of accounts: who holds a token, a session cookie or an API key, and the officials of
bodies."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from arna.accounts.models import ApiKey, ApiToken, User, WebSession
from arna.core.actors import Actor
from arna.core.clock import now_utc
from arna.core.db import Database
from arna.core.hashing import digest
from arna.core.persons import Person
from arna.core.settings import Settings


def actor_for_user(user: User) -> Actor:
    return Actor(user.role, user_id=user.id, body_id=user.body_id)  # type: ignore[arg-type]


def actor_for_token(session: Session, token: str) -> Actor | None:
    row = session.execute(
        select(User)
        .join(ApiToken, ApiToken.user_id == User.id)
        .where(ApiToken.token_hash == digest(token))
    ).scalar_one_or_none()
    return None if row is None else actor_for_user(row)


@dataclass(frozen=True)
class Signed:
    actor: Actor
    csrf: str
    email: str


def signed_in(db: Database, token: str | None, *, now: datetime | None = None) -> Signed | None:
    """Who holds this session cookie, if it is valid."""
    if not token:
        return None
    now = now or now_utc()
    with db.read() as session:
        found = session.get(WebSession, digest(token))
        if found is None or found.expires_at <= now:
            return None
        user = session.get(User, found.user_id)
        if user is None:
            return None
        csrf = csrf_for(token)
        if not hmac.compare_digest(found.csrf, digest(csrf)):  # a session from before
            return None
        return Signed(actor_for_user(user), csrf, user.email)


def csrf_for(session_token: str) -> str:
    """The CSRF token of a session, derived from its cookie: the database keeps only digests of
    both, so whoever reads it can forge neither."""
    return digest("arna-csrf:" + session_token)


def user_by_email(session: Session, email: str) -> User | None:
    """The user with this (normalised) e-mail, if any."""
    return session.scalar(select(User).where(User.email == email)) if email else None


def person_account(
    session: Session, settings: Settings, person: Person, now: datetime
) -> dict[str, object] | None:
    """The account held under this person's e-mail, for a subject-access export (its secrets
    are digests and stay out)."""
    user = user_by_email(session, person.email) if person.email else None
    if user is None:
        return None
    tokens = session.scalars(select(ApiToken.created_at).where(ApiToken.user_id == user.id))
    return {
        "email": user.email,
        "role": user.role,
        "body_id": user.body_id,
        "created_at": user.created_at.isoformat(),
        "api_tokens_created": [at.isoformat() for at in tokens],
    }


def csrf_ok(expected: str, given: str | None) -> bool:
    return bool(given) and hmac.compare_digest(expected, given or "")


def officials_of(session: Session, body_ids: set[str]) -> dict[str, list[str]]:
    """The e-mail addresses of the officials of each body."""
    found: dict[str, list[str]] = {}
    rows = session.execute(
        select(User.body_id, User.email).where(User.body_id.in_(body_ids), User.role == "official")
    )
    for body_id, email in rows:
        if body_id:
            found.setdefault(body_id, []).append(email)
    return found


def user_emails(session: Session) -> set[str]:
    return set(session.scalars(select(User.email)))


def api_key_id(session: Session, key: str) -> int | None:
    """The id of this API key if it is valid (known and not revoked)."""
    found = select(ApiKey.id).where(ApiKey.key_hash == digest(key), ApiKey.revoked_at.is_(None))
    return session.scalar(found)


def api_keys(session: Session) -> list[ApiKey]:
    """Every API key ever made, revoked ones included, oldest first."""
    return list(session.scalars(select(ApiKey).order_by(ApiKey.id)))
