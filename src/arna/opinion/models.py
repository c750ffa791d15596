"""Tables of consultations: the consultation with its last computed groups, its statements (with
their moderation), its participants (pseudonymous: a digest of a token, never a person) and every
vote ever cast (a changed vote is a new row; the last one counts)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Float,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from arna.bodies.models import Body  # noqa: F401  (foreign keys point at it)
from arna.core.db import Base, UTCDateTime


class Consultation(Base):
    __tablename__ = "consultations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    question: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(5))
    body_id: Mapped[str | None] = mapped_column(ForeignKey("bodies.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), index=True)  # open, closed
    origin: Mapped[str] = mapped_column(String(20))  # arna, or polis when imported
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    votes_seen: Mapped[int] = mapped_column(Integer, default=0)  # the last vote id the groups saw
    groups_k: Mapped[int | None] = mapped_column(Integer)
    groups_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    memory: Mapped[str | None] = mapped_column(Text)  # what the next run starts from (JSON)
    summary: Mapped[str | None] = mapped_column(Text)  # groups, their statements, consensus (JSON)


class Statement(Base):
    __tablename__ = "consultation_statements"
    __table_args__ = (UniqueConstraint("consultation_id", "number", name="uq_statement_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)  # 0, 1, 2 … within the consultation
    text: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(5))
    status: Mapped[str] = mapped_column(String(20))  # pending, accepted, rejected
    author_id: Mapped[int | None] = mapped_column(ForeignKey("consultation_participants.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # the participants' last votes on it, kept by every vote (a page never counts all votes)
    agree: Mapped[int] = mapped_column(Integer, default=0)
    disagree: Mapped[int] = mapped_column(Integer, default=0)
    passed: Mapped[int] = mapped_column(Integer, default=0)


class Participant(Base):
    __tablename__ = "consultation_participants"
    __table_args__ = (
        UniqueConstraint("consultation_id", "key", name="uq_participant_key"),
        UniqueConstraint("consultation_id", "number", name="uq_participant_number"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)  # 0, 1, 2 … as in a Pol.is export
    key: Mapped[str] = mapped_column(String(64))  # keyed digest of the participant's token
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    group_id: Mapped[int | None] = mapped_column(Integer)
    x: Mapped[float | None] = mapped_column(Float)
    y: Mapped[float | None] = mapped_column(Float)


class Vote(Base):
    __tablename__ = "consultation_votes"
    __table_args__ = (
        Index("ix_consultation_votes_order", "consultation_id", "id"),
        Index("ix_consultation_votes_participant", "participant_id", "statement_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id"))
    statement_id: Mapped[int] = mapped_column(ForeignKey("consultation_statements.id"))
    participant_id: Mapped[int] = mapped_column(ForeignKey("consultation_participants.id"))
    value: Mapped[int] = mapped_column(SmallInteger)  # agree 1, pass 0, disagree -1
    cast_at: Mapped[datetime] = mapped_column(UTCDateTime())
