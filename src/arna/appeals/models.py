"""Tables of appeals, the bodies that held them, tracking-number counters and the outbox."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from arna.bodies.models import AppealCategory, Body  # noqa: F401  (foreign keys point at them)
from arna.core.db import Base, UTCDateTime
from arna.geo.models import KatoUnit  # noqa: F401

# Appeals whose course ended (policy.ENDED) and whose applicant's data is still held.
RETAINED = "status IN ('answered', 'closed') AND applicant_name <> ''"


class Appeal(Base):
    __tablename__ = "appeals"
    __table_args__ = (
        Index("ix_appeals_open_due", "status", "due_date"),
        Index("ix_appeals_public_registered", "public", "registered_at"),
        # the bodies holding a public appeal: one probe per body (with an index on body_id
        # alone, SQLite probed the public ones and read every public appeal per body); and a
        # body's appeals counted by status from the index alone (the inbox's total)
        Index("ix_appeals_body_public", "body_id", "public", "status"),
        # a body's appeals newest first (the inbox): a walk that stops at the page, not a sort
        # of every appeal the body holds
        Index("ix_appeals_body_registered", "body_id", "registered_at"),
        Index("ix_appeals_problem_block", "category_id", "kato", "registered_at"),
        # what retention (actions/retention.py) still has to erase: ended and not yet erased
        Index(
            "ix_appeals_retention",
            "updated_at",
            postgresql_where=text(RETAINED),
            sqlite_where=text(RETAINED),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    access_code_hash: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(20))
    category_id: Mapped[str | None] = mapped_column(ForeignKey("categories.id"), index=True)
    category_source: Mapped[str] = mapped_column(String(20))  # given | suggested | none
    needs_triage: Mapped[bool] = mapped_column(Boolean, default=False)
    text: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(5))
    sentiment: Mapped[str | None] = mapped_column(String(8))  # negative | neutral | positive
    kato: Mapped[str | None] = mapped_column(ForeignKey("geo_units.kato"), index=True)
    region_kato: Mapped[str | None] = mapped_column(String(9), index=True)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    place_source: Mapped[str] = mapped_column(String(10))  # kato | point | text | none
    applicant_name: Mapped[str] = mapped_column(String(200))
    applicant_email: Mapped[str | None] = mapped_column(String(254))
    applicant_phone: Mapped[str | None] = mapped_column(String(20))
    applicant_iin: Mapped[str | None] = mapped_column(String(12))
    public: Mapped[bool] = mapped_column(Boolean)
    status: Mapped[str] = mapped_column(String(20))
    body_id: Mapped[str] = mapped_column(ForeignKey("bodies.id"))
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime())
    due_date: Mapped[date] = mapped_column(Date)
    forward_due: Mapped[date] = mapped_column(Date)
    extended: Mapped[bool] = mapped_column(Boolean, default=False)
    escalation_depth: Mapped[int] = mapped_column(Integer, default=0)
    outcome: Mapped[str | None] = mapped_column(String(20))
    answer_text: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    duplicate_of: Mapped[str | None] = mapped_column(String(20))
    feedback_resolved: Mapped[bool | None] = mapped_column(Boolean)
    feedback_rating: Mapped[int | None] = mapped_column(Integer)
    stalled_at_top: Mapped[bool] = mapped_column(Boolean, default=False)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # The shared problem this appeal reports (actions/problems.py): the id of the first appeal
    # about it; None until the worker has compared it with the appeals before it.
    problem_id: Mapped[int | None] = mapped_column(Integer, index=True)
    # The earlier appeal, marked resolved, whose problem this one says came back.
    recurrence_of: Mapped[int | None] = mapped_column(Integer)
    supporters: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class Assignment(Base):
    """A period during which one body held an appeal; failed = it let the deadline pass or the
    applicant disputed its answer."""

    __tablename__ = "appeal_assignments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    appeal_id: Mapped[int] = mapped_column(ForeignKey("appeals.id"), index=True)
    body_id: Mapped[str] = mapped_column(ForeignKey("bodies.id"), index=True)
    reason: Mapped[str] = mapped_column(String(20))  # routed | forwarded | escalated | disputed
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    due_date: Mapped[date] = mapped_column(Date)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    result: Mapped[str | None] = mapped_column(String(20))  # answered | forwarded | overdue | ...
    failed: Mapped[bool] = mapped_column(Boolean, default=False)
    # What oversight's scorecards count (oversight/queries/scorecard.py), recorded as it happens:
    # the body's first response (it took the appeal into work, answered it or forwarded it) and
    # the working days to it and to the answer; whether it extended the term; whether its
    # forward went to the wrong body (that body forwarded it on); the applicant's verdict.
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    response_days: Mapped[int | None] = mapped_column(Integer)
    answer_days: Mapped[int | None] = mapped_column(Integer)
    extended: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    misrouted: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    solved: Mapped[bool | None] = mapped_column(Boolean)
    # Its answer marked the problem resolved, and an appeal about the same problem came within
    # RECURRENCE_DAYS (appeals/actions/problems.py): counted against this body.
    came_back: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class Supporter(Base):
    """A citizen who has the same problem as a public appeal ("me too"), counted once: known
    only by a keyed digest of their IIN."""

    __tablename__ = "appeal_supporters"
    __table_args__ = (UniqueConstraint("appeal_id", "person", name="uq_appeal_supporters"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    appeal_id: Mapped[int] = mapped_column(ForeignKey("appeals.id"))
    person: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class IdempotencyKey(Base):
    """The first response to a request sent with an Idempotency-Key, replayed to retries."""

    __tablename__ = "idempotency_keys"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    appeal_id: Mapped[int] = mapped_column(ForeignKey("appeals.id"))
    response: Mapped[str] = mapped_column(Text)  # without the access code, which is sealed:
    sealed_code: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class Counter(Base):
    """Gap-free yearly sequences of tracking numbers (A-2026-000123)."""

    __tablename__ = "counters"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(Integer)


class OutboxMessage(Base):
    """A notification to send after the state change that caused it has committed."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    appeal_id: Mapped[int | None] = mapped_column(ForeignKey("appeals.id"), index=True)
    event: Mapped[str] = mapped_column(String(40))
    recipient: Mapped[str] = mapped_column(String(254))
    language: Mapped[str] = mapped_column(String(5))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)  # secrets only as placeholders (notices.py)
    sealed: Mapped[str | None] = mapped_column(Text)  # those secrets, sealed; erased once sent
    status: Mapped[str] = mapped_column(String(10), default="pending")  # pending|sent|failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


WORKER = "worker"  # the one row of worker_sweeps


class WorkerSweep(Base):
    """When an `arna worker` last finished a sweep: what the server's /metrics reads as the
    worker's lag (one row, `name` "worker"; several workers move it forward in turn)."""

    __tablename__ = "worker_sweeps"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    finished_at: Mapped[datetime] = mapped_column(UTCDateTime())
