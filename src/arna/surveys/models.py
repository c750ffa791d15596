"""Tables of surveys: the survey with its questionnaire (the XLSForm file as uploaded) and its
last weighting, and its responses, each under its own idempotency key with the respondent's
raking variables and weight."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from arna.core.db import Base, UTCDateTime


class Survey(Base):
    __tablename__ = "surveys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    form_id: Mapped[str] = mapped_column(String(200))  # the XLSForm's form_id
    form_version: Mapped[str | None] = mapped_column(String(100))
    form_file: Mapped[bytes] = mapped_column(LargeBinary)  # the XLSForm as uploaded
    file_type: Mapped[str] = mapped_column(String(8))  # .xlsx, .xls, .csv, .md
    languages: Mapped[str] = mapped_column(String(100))  # of the labels: kk,ru,en
    status: Mapped[str] = mapped_column(String(20), index=True)  # open, closed
    owner: Mapped[str] = mapped_column(String(60))  # the creator's audit label
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    fielded_from: Mapped[datetime | None] = mapped_column(UTCDateTime())  # first submitted_at
    fielded_to: Mapped[datetime | None] = mapped_column(UTCDateTime())  # last submitted_at
    responses: Mapped[int] = mapped_column(Integer, default=0)
    margins: Mapped[str | None] = mapped_column(Text)  # margins given for it (JSON), if any
    weighted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    weights_report: Mapped[str | None] = mapped_column(Text)  # the last weighting (JSON)


class SurveyResponse(Base):
    __tablename__ = "survey_responses"
    __table_args__ = (
        UniqueConstraint("survey_id", "key", name="uq_survey_response_key"),
        Index("ix_survey_responses_submitted", "survey_id", "submitted_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id"))
    key: Mapped[str] = mapped_column(String(200))  # _uuid / instanceID / Idempotency-Key
    fingerprint: Mapped[str] = mapped_column(String(64))  # digest of answers and respondent
    answers: Mapped[str] = mapped_column(Text)  # JSON: question key → answer
    region: Mapped[str | None] = mapped_column(String(9))  # oblast-level KATO
    sex: Mapped[str | None] = mapped_column(String(10))
    settlement: Mapped[str | None] = mapped_column(String(10))  # urban, rural
    age_group: Mapped[str | None] = mapped_column(String(10))
    source: Mapped[str] = mapped_column(String(10))  # api, csv
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    weight: Mapped[float | None] = mapped_column(Float)  # set by the last weighting
