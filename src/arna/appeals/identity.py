"""Personal identifiers of Kazakhstan: IIN/BIN check digits and phone numbers; access codes."""

from __future__ import annotations

import re
import secrets
from datetime import date

from arna.core.iin import iin_check_digit


def iin_problem(iin: str) -> str | None:
    """Why an IIN is invalid (None when it is valid): 12 digits, a real birth date, check digit."""
    if not re.fullmatch(r"\d{12}", iin):
        return "an IIN has exactly 12 digits"
    century = int(iin[6])
    if not 1 <= century <= 6:
        return "the 7th digit of an IIN (century and sex) must be 1-6"
    year = (1800, 1900, 2000)[(century - 1) // 2] + int(iin[:2])
    try:
        date(year, int(iin[2:4]), int(iin[4:6]))
    except ValueError:
        return "the first 6 digits of an IIN must be a date of birth (YYMMDD)"
    if iin_check_digit(iin[:11]) != int(iin[11]):
        return "the check digit (12th) of this IIN is wrong: please check the number"
    return None


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


_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


def new_access_code() -> str:
    """10 symbols of a 32-letter alphabet: 50 bits from the OS's random source."""
    raw = "".join(_CODE_ALPHABET[b & 31] for b in secrets.token_bytes(10))
    return f"{raw[:5]}-{raw[5:]}"


def tracking_number(year: int, sequence: int) -> str:
    return f"A-{year}-{sequence:06d}"
