"""Tables of body kinds, state bodies and appeal categories (reference data)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from arna.core.db import Base
from arna.geo.models import KatoUnit  # noqa: F401  (bodies.kato points at geo_units)


class BodyType(Base):
    __tablename__ = "body_kinds"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    level: Mapped[str] = mapped_column(String(40))
    name_kk: Mapped[str] = mapped_column(String(200))
    name_ru: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))


class Body(Base):
    __tablename__ = "bodies"

    id: Mapped[str] = mapped_column(String(60), primary_key=True)
    kind: Mapped[str] = mapped_column(ForeignKey("body_kinds.id"), index=True)
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("bodies.id"), index=True)
    kato: Mapped[str | None] = mapped_column(ForeignKey("geo_units.kato"), index=True)
    central_id: Mapped[str | None] = mapped_column(String(60))
    name_kk: Mapped[str] = mapped_column(String(300))
    name_ru: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str] = mapped_column(String(300))
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    origin: Mapped[str] = mapped_column(String(40))


class AppealCategory(Base):
    __tablename__ = "categories"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name_kk: Mapped[str] = mapped_column(String(300))
    name_ru: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str] = mapped_column(String(300))
    body_kinds: Mapped[str] = mapped_column(String(200))
    central_id: Mapped[str | None] = mapped_column(String(60))
    lowest_level: Mapped[str] = mapped_column(String(20))
    basis: Mapped[str] = mapped_column(Text)
