"""The rules of surveys: statuses, limits, the raking variables and their categories, and how a
respondent's region, sex, settlement and age are read from what a form or a file gives."""

from __future__ import annotations

import re

OPEN, CLOSED = "open", "closed"
MAX_FORM_BYTES = 2_000_000  # an XLSForm larger than this is refused
MAX_CSV_BYTES = 50_000_000  # a responses file larger than this is refused
MAX_KEY = 200  # characters of an idempotency key
TRIM = (0.2, 5.0)  # default trimming bounds: every weight within 0.2 and 5 times the mean

REGION, SEX, SETTLEMENT, AGE_GROUP = "region", "sex", "settlement", "age_group"
VARIABLES = (REGION, SEX, SETTLEMENT, AGE_GROUP)  # the raking variables, in this order
SEXES = ("male", "female")
SETTLEMENTS = ("urban", "rural")
AGE_GROUPS = ("16-29", "30-44", "45-59", "60+")

_SEX = {
    "male": "male", "m": "male", "man": "male", "ер": "male", "еркек": "male", "муж": "male",
    "мужской": "male", "мужчина": "male",
    "female": "female", "f": "female", "woman": "female", "әйел": "female", "жен": "female",
    "женский": "female", "женщина": "female",
}  # fmt: skip
_SETTLEMENT = {
    "urban": "urban", "town": "urban", "city": "urban", "қала": "urban", "город": "urban",
    "rural": "rural", "village": "rural", "ауыл": "rural", "село": "rural",
}  # fmt: skip
_KATO = re.compile(r"^\d{9}$")
_ISO = re.compile(r"^KZ-(\d{2})$", re.IGNORECASE)


def region_of(value: str, regions: dict[str, str]) -> str | None:
    """The oblast-level KATO of a KATO code of any unit in it (`751110000` → `750000000`) or of
    its ISO 3166-2 code (`KZ-75`); None when it names no region. `regions`: ISO → KATO."""
    value = value.strip()
    iso = _ISO.match(value)
    if iso:
        return regions.get(f"KZ-{iso.group(1)}")
    if _KATO.match(value):
        kato = value[:2] + "0000000"
        return kato if kato in regions.values() else None
    return None


def sex_of(value: str) -> str | None:
    return _SEX.get(value.strip().casefold())


def settlement_of(value: str) -> str | None:
    return _SETTLEMENT.get(value.strip().casefold())


def age_group_of(value: str) -> str | None:
    """An age group as given (`30-44`), or the group of an age in years (16 and over)."""
    value = value.strip()
    if value in AGE_GROUPS:
        return value
    if not value.isdigit():
        return None
    age = int(value)
    if age < 16 or age > 120:
        return None
    return "16-29" if age < 30 else "30-44" if age < 45 else "45-59" if age < 60 else "60+"
