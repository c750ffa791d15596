"""The bundled reference rows of representatives (data/, see data/SOURCE.md): the chambers,
the parties and the cost of parliament, as the tables hold them."""

from __future__ import annotations

import csv
import re
from datetime import date
from functools import cache
from importlib import resources
from typing import Any


def _read(name: str) -> list[dict[str, str]]:
    text = resources.files("arna.representatives").joinpath(f"data/{name}").read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


def _day(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


@cache
def legislature_rows() -> tuple[dict[str, Any], ...]:
    return tuple(
        {
            "id": r["id"],
            "name_kk": r["name_kk"],
            "name_ru": r["name_ru"],
            "name_en": r["name_en"],
            "seats": int(r["seats"]),
            "valid_from": _day(r["valid_from"]),
            "valid_to": _day(r["valid_to"]),
            "formation": r["formation"],
            "source": r["source"],
        }
        for r in _read("legislatures.csv")
    )


@cache
def party_rows() -> tuple[dict[str, Any], ...]:
    return tuple(
        {k: r[k] for k in ("id", "name_kk", "name_ru", "name_en", "source")}
        for r in _read("parties.csv")
    )


def _kzt(text: str) -> int | None:
    """A whole number of tenge from the source's wording ("7800000000", "about 830000")."""
    digits = re.sub(r"[^\d]", "", text)
    return int(digits) if digits else None


@cache
def cost_rows() -> tuple[dict[str, Any], ...]:
    return tuple(
        {
            "year": int(r["year"]),
            "figure": r["figure"],
            "value_kzt": _kzt(r["value_kzt"]),
            "value_text": r["value_kzt"],
            "unit": r["unit"],
            "derived": r["derived"] == "yes",
            "notes": r["notes"],
            "source": r["source"],
        }
        for r in _read("costs.csv")
    )
