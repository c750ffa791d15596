"""People who act in Arna: officials, supervisors, admins; passwords and API tokens.

Passwords are argon2 hashes. API tokens are random and stored as SHA-256 digests, so a stolen
database does not give working tokens. Applicants have no accounts: an appeal's tracking number
and its secret access code are their key.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from argon2 import PasswordHasher
from email_validator import EmailNotValidError, validate_email
from sqlalchemy import ForeignKey, Integer, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from arna.core import audit
from arna.core.db import Base, UTCDateTime
from arna.core.errors import Conflict, ValidationFailed

Role = Literal["official", "supervisor", "admin"]
ROLES: tuple[Role, ...] = ("official", "supervisor", "admin")
_hasher = PasswordHasher()


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    body_id: Mapped[str | None] = mapped_column(ForeignKey("bodies.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


@dataclass(frozen=True)
class Actor:
    """Who is acting. `label` is what the audit log records (never an e-mail or a name)."""

    kind: Literal["anonymous", "applicant", "official", "supervisor", "admin", "system"]
    user_id: int | None = None
    body_id: str | None = None
    name: str = ""

    @property
    def label(self) -> str:
        if self.user_id is not None:
            return f"user:{self.user_id}"
        return self.name or self.kind


ANONYMOUS = Actor("anonymous")
APPLICANT = Actor("applicant")


def system(name: str) -> Actor:
    return Actor("system", name=f"system:{name}")


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def normalise_email(email: str) -> str:
    try:
        # Lower case whole: logins must not depend on how the address was typed.
        return validate_email(email, check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise ValidationFailed(f"e-mail {email!r} is not valid: {exc}", field="email") from None


def create_user(
    session: Session,
    *,
    email: str,
    password: str,
    role: str,
    body_id: str | None,
    actor: Actor,
) -> User:
    """One write path for accounts; the caller's transaction (`Database.write`) commits it."""
    from arna.bodies.models import Body

    if role not in ROLES:
        raise ValidationFailed(f"role must be one of {', '.join(ROLES)}", field="role")
    if role in ("official", "supervisor") and not body_id:
        raise ValidationFailed(f"a {role} belongs to a body: give its id", field="body")
    if body_id is not None and session.get(Body, body_id) is None:
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


def create_token(session: Session, *, email: str, actor: Actor) -> str:
    """A new bearer token for a user; only its digest is stored."""
    user = session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None:
        raise ValidationFailed(f"no user with e-mail {email}", field="email")
    token = "arna_" + secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user.id, token_hash=digest(token), created_at=datetime.now(UTC)))
    audit.record(
        session,
        actor=actor.label,
        action="token.created",
        entity_type="user",
        entity_id=str(user.id),
    )
    return token


def actor_for_token(session: Session, token: str) -> Actor | None:
    row = session.execute(
        select(User)
        .join(ApiToken, ApiToken.user_id == User.id)
        .where(ApiToken.token_hash == digest(token))
    ).scalar_one_or_none()
    return None if row is None else actor_for_user(row)


def actor_for_user(user: User) -> Actor:
    return Actor(user.role, user_id=user.id, body_id=user.body_id)  # type: ignore[arg-type]
