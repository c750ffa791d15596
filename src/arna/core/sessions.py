"""Logging officials in to the web workbench: sessions, CSRF tokens, lockout.

A session is a random token in an HttpOnly cookie; the database keeps only its digest, with a
CSRF token that every form must send back. After MAX_FAILURES wrong passwords in a row an
account is locked for LOCKOUT, and the lock is an audit event. Wrong e-mail and wrong password
get the same answer, so the form does not reveal who has an account.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import ForeignKey, Integer, String, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from arna.core import audit
from arna.core.auth import Actor, User, actor_for_user, digest, normalise_email
from arna.core.clock import now_utc
from arna.core.db import Base, Database, UTCDateTime
from arna.core.errors import ArnaError, Unauthorized

MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)
LIFETIME = timedelta(hours=12)
_hasher = PasswordHasher()
# Verifying against a real hash when the e-mail is unknown takes as long as a wrong password.
_DUMMY = _hasher.hash("not-a-password-of-anyone")


class WebSession(Base):
    __tablename__ = "web_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())


class LoginThrottle(Base):
    """Failed logins in a row per account, and until when it is locked."""

    __tablename__ = "login_throttle"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


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
        return Signed(actor_for_user(user), found.csrf, user.email)


def csrf_ok(expected: str, given: str | None) -> bool:
    return bool(given) and hmac.compare_digest(expected, given or "")


def log_out(db: Database, token: str | None) -> None:
    if not token:
        return
    with db.write() as session:
        session.execute(delete(WebSession).where(WebSession.token_hash == digest(token)))
