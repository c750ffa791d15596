"""Tables of representatives: chambers, parties, deputies, attendance, roll calls, cost lines.

Every row that states a fact carries its `source` (a URL or a document), shown beside it."""

from __future__ import annotations

from datetime import date

from sqlalchemy import BigInteger, Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from arna.core.db import Base


class Legislature(Base):
    __tablename__ = "legislatures"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name_kk: Mapped[str] = mapped_column(String(200))
    name_ru: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    seats: Mapped[int] = mapped_column(Integer)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    formation: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text)


class Party(Base):
    __tablename__ = "parties"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name_kk: Mapped[str] = mapped_column(String(200))
    name_ru: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(Text)


class Deputy(Base):
    __tablename__ = "deputies"

    id: Mapped[str] = mapped_column(String(60), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))  # a public office holder's name
    legislature_id: Mapped[str] = mapped_column(ForeignKey("legislatures.id"), index=True)
    party_id: Mapped[str | None] = mapped_column(ForeignKey("parties.id"), index=True)
    mandate: Mapped[str] = mapped_column(String(30))  # party_list | single_member | ...
    constituency: Mapped[str | None] = mapped_column(String(200))
    region_kato: Mapped[str | None] = mapped_column(String(9))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(Text)


class Attendance(Base):
    """Whether a deputy was at a sitting of their chamber on a day."""

    __tablename__ = "deputy_attendance"

    deputy_id: Mapped[str] = mapped_column(ForeignKey("deputies.id"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    present: Mapped[bool] = mapped_column(Boolean)
    source: Mapped[str] = mapped_column(Text)


class RollCall(Base):
    """A recorded vote of a chamber."""

    __tablename__ = "roll_calls"

    id: Mapped[str] = mapped_column(String(60), primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    title: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text)


class VoteRecord(Base):
    __tablename__ = "vote_records"

    roll_call_id: Mapped[str] = mapped_column(ForeignKey("roll_calls.id"), primary_key=True)
    deputy_id: Mapped[str] = mapped_column(ForeignKey("deputies.id"), primary_key=True, index=True)
    choice: Mapped[str] = mapped_column(String(10))  # for | against | abstain | absent


class CostFigure(Base):
    """A budget line of parliament, or a figure derived from one (`derived`)."""

    __tablename__ = "parliament_costs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    figure: Mapped[str] = mapped_column(Text)
    value_kzt: Mapped[int | None] = mapped_column(BigInteger)
    value_text: Mapped[str] = mapped_column(String(60))  # as the source states it
    unit: Mapped[str] = mapped_column(String(60))
    derived: Mapped[bool] = mapped_column(Boolean)
    notes: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text)
