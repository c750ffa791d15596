"""The only writes of accounts: create users and API tokens, log in and out of the workbench,
create and revoke the API keys of other systems.

A web session is a random token in an HttpOnly cookie; the database keeps only its digest, with
a CSRF token that every form must send back. Failed logins are counted per client address and
per account in memory (`accounts.throttle`): an address over its limit, or a new address trying
an account that many addresses have failed on, is refused with 429 before any password is
checked; a wrong password never locks the rightful user out. Wrong e-mail and wrong password get
the same answer, and so do known and unknown e-mails when throttled, so the form does not reveal
who has an account.

Checking a password (argon2) takes ~0.2 s of CPU: it runs with no lock held and no transaction
open, between a read of the user and, on success only, a short write of the new session. On
SQLite a write holds the one writer lock every other writer (appeals' intake included) waits on.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from arna.accounts import passwords
from arna.accounts.models import ROLES, ApiKey, ApiToken, User, WebSession
from arna.accounts.queries import actor_for_user, csrf_for, user_by_email
from arna.accounts.throttle import LoginGuard
from arna.bodies.queries import body_exists
from arna.core import audit
from arna.core.actors import Actor
from arna.core.clock import now_utc
from arna.core.db import Database
from arna.core.errors import (
    ArnaError,
    Conflict,
    NotFound,
    TooManyRequests,
    Unauthorized,
    ValidationFailed,
)
from arna.core.hashing import digest
from arna.core.types import normalise_email

LIFETIME = timedelta(hours=12)


def create_user(
    db: Database,
    *,
    email: str,
    password: str,
    role: str,
    body_id: str | None,
    actor: Actor,
) -> User:
    if len(password) < 8:
        raise ValidationFailed("the password must have at least 8 characters", field="password")
    password_hash = passwords.hash_password(password)  # before the writer lock, not inside it
    with db.write() as session:
        return _create_user(session, email, password_hash, role, body_id, actor)


def _create_user(
    session: Session, email: str, password_hash: str, role: str, body_id: str | None, actor: Actor
) -> User:
    if role not in ROLES:
        raise ValidationFailed(f"role must be one of {', '.join(ROLES)}", field="role")
    if role in ("official", "supervisor") and not body_id:
        raise ValidationFailed(f"a {role} belongs to a body: give its id", field="body")
    if body_id is not None and not body_exists(session, body_id):
        raise ValidationFailed(f"no body with id {body_id!r}", field="body")
    address = normalise_email(email)
    if session.scalar(select(User.id).where(User.email == address)) is not None:
        raise Conflict(f"a user with e-mail {address} exists already", field="email")
    user = User(
        email=address,
        password_hash=password_hash,
        role=role,
        body_id=body_id,
        created_at=datetime.now(UTC),
    )
    session.add(user)
    session.flush()
    audit.record(
        session,
        actor=actor.label,
        action="user.created",
        entity_type="user",
        entity_id=str(user.id),
        new={"role": role, "body_id": body_id},
    )
    return user


def create_token(db: Database, *, email: str, actor: Actor) -> str:
    """A new bearer token for a user; only its digest is stored."""
    with db.write() as session:
        user = session.scalar(select(User).where(User.email == normalise_email(email)))
        if user is None:
            raise ValidationFailed(f"no user with e-mail {email}", field="email")
        token = "arna_" + secrets.token_urlsafe(32)
        session.add(
            ApiToken(user_id=user.id, token_hash=digest(token), created_at=datetime.now(UTC))
        )
        audit.record(
            session,
            actor=actor.label,
            action="token.created",
            entity_type="user",
            entity_id=str(user.id),
        )
        return token


def create_api_key(db: Database, *, name: str, actor: Actor) -> tuple[ApiKey, str]:
    """A new API key for another system (an Open311 client): the row, and the key itself, which
    is never stored (only its digest) and so can be shown only now."""
    name = " ".join(name.split())
    if not 1 <= len(name) <= 100 or not name.isprintable():
        raise ValidationFailed("name the key's holder in 1-100 printable characters", field="name")
    key = "arna_key_" + secrets.token_urlsafe(32)
    with db.write() as session:
        row = ApiKey(name=name, key_hash=digest(key), created_at=now_utc())
        session.add(row)
        session.flush()
        audit.record(
            session,
            actor=actor.label,
            action="api_key.created",
            entity_type="api_key",
            entity_id=str(row.id),
            new={"name": name},
        )
        return row, key


def revoke_api_key(db: Database, key_id: int, *, actor: Actor) -> ApiKey:
    """From now on the key is refused (403); its row stays, with the time it was revoked."""
    with db.write() as session:
        row = session.get(ApiKey, key_id, with_for_update=True)
        if row is None:
            raise NotFound(f"no API key {key_id}", id=key_id)
        if row.revoked_at is not None:
            raise Conflict(
                f"API key {key_id} was revoked already, at {row.revoked_at:%Y-%m-%d %H:%M} UTC"
            )
        row.revoked_at = now_utc()
        audit.record(
            session,
            actor=actor.label,
            action="api_key.revoked",
            entity_type="api_key",
            entity_id=str(row.id),
            old={"revoked": False},
            new={"revoked": True},
        )
        return row


class TooManyAttempts(TooManyRequests):
    """Refused before the password is checked: try again after `retry_after` seconds."""

    code = "too_many_attempts"


@dataclass(frozen=True)
class Login:
    token: str
    csrf: str
    actor: Actor


def account_key(email: str) -> str:
    """What a login attempt is counted by: the normalised e-mail, or the text as typed (trimmed,
    lower case) when it is not an e-mail; the same whether or not an account has it."""
    try:
        return normalise_email(email)
    except ArnaError:
        return email.strip().lower()


def log_in(
    db: Database,
    email: str,
    password: str,
    *,
    client: str,
    guard: LoginGuard,
    now: datetime | None = None,
) -> Login:
    """A new web session for the right e-mail and password, asked from the client address
    `client` (see `throttle.client_key`). Raises TooManyAttempts (with `retry_after` seconds)
    or Unauthorized, the same for known and unknown e-mails."""
    now = now or now_utc()
    account = account_key(email)
    wait = guard.wait(account, client)
    if wait:
        raise TooManyAttempts("too many failed logins: wait and try again", retry_after=wait)
    with db.read() as session:
        user = user_by_email(session, account)
    # No lock and no transaction while argon2 runs; an unknown e-mail costs as much as a known.
    try:
        right = passwords.verify(user.password_hash if user else passwords.DUMMY, password)
    except passwords.Busy:
        raise TooManyAttempts("too many logins at once: try again", retry_after=2) from None
    if not right or user is None:
        guard.failed(account, client)
        raise Unauthorized("wrong e-mail or password")
    guard.succeeded(account, client)
    token = secrets.token_urlsafe(32)
    csrf = csrf_for(token)
    with db.write() as session:
        session.add(
            WebSession(
                token_hash=digest(token),
                user_id=user.id,
                csrf=digest(csrf),
                created_at=now,
                expires_at=now + LIFETIME,
            )
        )
    return Login(token, csrf, actor_for_user(user))


def log_out(db: Database, token: str | None) -> None:
    if not token:
        return
    with db.write() as session:
        session.execute(delete(WebSession).where(WebSession.token_hash == digest(token)))
