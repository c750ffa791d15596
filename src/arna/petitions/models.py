"""Tables of petitions: the petition with its state and clock, its signatures (each person once,
known by a keyed digest of the IIN) and the bulk invalidations of signatures."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from arna.bodies.models import Body  # noqa: F401  (foreign keys point at it)
from arna.core.db import Base, UTCDateTime


class Petition(Base):
    __tablename__ = "petitions"
    __table_args__ = (Index("ix_petitions_status_due", "status", "response_due"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(5))
    addressee_id: Mapped[str] = mapped_column(ForeignKey("bodies.id"), index=True)
    region_kato: Mapped[str | None] = mapped_column(String(9), index=True)
    threshold_id: Mapped[str] = mapped_column(String(40))
    threshold: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), index=True)
    author_person: Mapped[str] = mapped_column(String(64))  # keyed digest of the IIN
    author_name: Mapped[str] = mapped_column(String(100))  # first name and initial
    author_code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    cosign_due: Mapped[date | None] = mapped_column(Date)
    moderation_due: Mapped[date | None] = mapped_column(Date)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closes_on: Mapped[date | None] = mapped_column(Date)
    reason_code: Mapped[str | None] = mapped_column(String(30))
    reason_note: Mapped[str | None] = mapped_column(Text)
    signatures: Mapped[int] = mapped_column(Integer, default=0)
    invalidated: Mapped[int] = mapped_column(Integer, default=0)
    reached_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    body_id: Mapped[str | None] = mapped_column(ForeignKey("bodies.id"))  # owes the answer now
    response_due: Mapped[date | None] = mapped_column(Date)
    escalation_depth: Mapped[int] = mapped_column(Integer, default=0)
    answer_text: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Signature(Base):
    """One person's signature of one petition. `source` is a keyed digest of the network it
    came from (the /24 of IPv4, the /48 of IPv6): enough to see a surge from one place and to
    invalidate it, not enough to know the address."""

    __tablename__ = "petition_signatures"
    __table_args__ = (
        UniqueConstraint("petition_id", "person", name="uq_petition_signatures"),
        Index("ix_petition_signatures_time", "petition_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petitions.id"))
    person: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(100))
    region_kato: Mapped[str] = mapped_column(String(9))
    source: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    valid: Mapped[bool] = mapped_column(Boolean, default=True)
    invalidation_id: Mapped[int | None] = mapped_column(ForeignKey("petition_invalidations.id"))


class Invalidation(Base):
    """Signatures set aside together by a stated condition, with the reason shown in public."""

    __tablename__ = "petition_invalidations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petitions.id"), index=True)
    condition: Mapped[str] = mapped_column(Text)  # canonical JSON
    reason: Mapped[str] = mapped_column(Text)
    count: Mapped[int] = mapped_column(Integer)
    actor: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
