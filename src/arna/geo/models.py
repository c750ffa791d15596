"""Tables of territorial units and their aliases (reference data, loaded by `arna db upgrade`)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from arna.core.db import Base


class KatoUnit(Base):
    __tablename__ = "geo_units"

    kato: Mapped[str] = mapped_column(String(9), primary_key=True)
    parent_kato: Mapped[str | None] = mapped_column(ForeignKey("geo_units.kato"), index=True)
    level: Mapped[int] = mapped_column(Integer)
    unit_type: Mapped[str] = mapped_column(String(40))
    iso_3166_2: Mapped[str | None] = mapped_column(String(6))
    name_kk: Mapped[str] = mapped_column(String(200))
    name_ru: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    population: Mapped[int | None] = mapped_column(Integer)
    population_date: Mapped[date | None] = mapped_column(Date)
    center_lat: Mapped[float | None] = mapped_column(Float)
    center_lon: Mapped[float | None] = mapped_column(Float)
    boundary: Mapped[str | None] = mapped_column(Text)  # GeoJSON geometry, simplified


class PlaceAlias(Base):
    __tablename__ = "geo_aliases"
    __table_args__ = (UniqueConstraint("kato", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kato: Mapped[str] = mapped_column(ForeignKey("geo_units.kato"), index=True)
    alias: Mapped[str] = mapped_column(String(200))
    key: Mapped[str] = mapped_column(String(200), index=True)
    lang: Mapped[str] = mapped_column(String(10))
    kind: Mapped[str] = mapped_column(String(10))
