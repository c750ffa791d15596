"""The only writes of accounts: create users and API tokens, log in and out of the workbench.

A web session is a random token in an HttpOnly cookie; the database keeps only its digest, with
a CSRF token that every form must send back. After MAX_FAILURES wrong passwords in a row an
account is locked for LOCKOUT, and the lock is an audit event. Wrong e-mail and wrong password
get the same answer, so the form does not reveal who has an account.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from arna.accounts.models import ROLES, ApiToken, LoginThrottle, User, WebSession
from arna.accounts.queries import actor_for_user
from arna.bodies.queries import body_exists
from arna.core import audit
from arna.core.actors import Actor
from arna.core.clock import now_utc
from arna.core.db import Database
from arna.core.errors import ArnaError, Conflict, Unauthorized, ValidationFailed
from arna.core.hashing import digest
from arna.core.types import normalise_email

MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)
LIFETIME = timedelta(hours=12)
_hasher = PasswordHasher()
# Verifying against a real hash when the e-mail is unknown takes as long as a wrong password.
_DUMMY = _hasher.hash("not-a-password-of-anyone")


def create_user(
    db: Database,
    *,
    email: str,
    password: str,
    role: str,
    body_id: str | None,
    actor: Actor,
) -> User:
    with db.write() as session:
        return _create_user(session, email, password, role, body_id, actor)


def _create_user(
    session: Session, email: str, password: str, role: str, body_id: str | None, actor: Actor
) -> User:
    if role not in ROLES:
        raise ValidationFailed(f"role must be one of {', '.join(ROLES)}", field="role")
    if role in ("official", "supervisor") and not body_id:
        raise ValidationFailed(f"a {role} belongs to a body: give its id", field="body")
    if body_id is not None and not body_exists(session, body_id):
        raise ValidationFailed(f"no body with id {body_id!r}", field="body")
    if len(password) < 8:
        raise ValidationFailed("the password must have at least 8 characters", field="password")
    address = normalise_email(email)
    if session.scalar(select(User.id).where(User.email == address)) is not None:
        raise Conflict(f"a user with e-mail {address} exists already", field="email")
    user = User(
        email=address,
        password_hash=_hasher.hash(password),
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


class Locked(ArnaError):
    status = 429
    code = "locked"


@dataclass(frozen=True)
class Login:
    token: str
    csrf: str
    actor: Actor


def log_in(db: Database, email: str, password: str, *, now: datetime | None = None) -> Login:
    now = now or now_utc()
    try:
        address = normalise_email(email)
    except ArnaError:
        address = ""
    with db.write() as session:
        user = session.scalar(select(User).where(User.email == address)) if address else None
        if user is None:
            _verify(_DUMMY, password)
            raise Unauthorized("wrong e-mail or password")
        throttle = session.get(LoginThrottle, user.id, with_for_update=True)
        if throttle is None:
            throttle = LoginThrottle(user_id=user.id, failures=0, locked_until=None)
            session.add(throttle)
        if throttle.locked_until is not None and throttle.locked_until > now:
            raise Locked("locked", until=throttle.locked_until.isoformat())
        if not _verify(user.password_hash, password):
            throttle.failures += 1
            if throttle.failures >= MAX_FAILURES:
                throttle.locked_until, throttle.failures = now + LOCKOUT, 0
                audit.record(
                    session, actor="system:login", action="user.locked", entity_type="user",
                    entity_id=str(user.id), new={"until": throttle.locked_until.isoformat()},
                )  # fmt: skip
            session.commit()  # the failure counts even though the login fails
            raise Unauthorized("wrong e-mail or password")
        throttle.failures, throttle.locked_until = 0, None
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        session.add(
            WebSession(
                token_hash=digest(token),
                user_id=user.id,
                csrf=csrf,
                created_at=now,
                expires_at=now + LIFETIME,
            )
        )
        return Login(token, csrf, actor_for_user(user))


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def log_out(db: Database, token: str | None) -> None:
    if not token:
        return
    with db.write() as session:
        session.execute(delete(WebSession).where(WebSession.token_hash == digest(token)))
