"""Personal identifiers of Kazakhstan: IIN/BIN check digits and phone numbers; access codes."""

from __future__ import annotations

import re

from arna.core.hashing import new_access_code
from arna.core.iin import iin_check_digit, iin_problem

__all__ = ["iin_check_digit", "iin_problem", "new_access_code"]


_PHONE_CHARS = re.compile(r"[\s()\-.]")


def normalise_phone(phone: str) -> str | None:
    """+7XXXXXXXXXX from +7 7xx xxx xx xx, 8 7xx..., 87xx..., 7xx...; None if not a KZ number."""
    digits = _PHONE_CHARS.sub("", phone.strip())
    if digits.startswith("+7"):
        digits = digits[2:]
    elif len(digits) == 11 and digits[0] in "78":
        digits = digits[1:]
    if not re.fullmatch(r"\d{10}", digits) or digits[0] not in "67":
        return None
    return "+7" + digits


def tracking_number(year: int, sequence: int) -> str:
    return f"A-{year}-{sequence:06d}"
