"""Kazakhstan's IIN/BIN: the check digit (the twelfth, from the first eleven) and why a number
cannot be an IIN."""

from __future__ import annotations

import re
from datetime import date

_W1 = tuple(range(1, 12))
_W2 = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)


def iin_check_digit(first11: str) -> int | None:
    """The 12th digit of an IIN/BIN, or None when the number cannot be valid."""
    digits = [int(c) for c in first11]
    check = sum(d * w for d, w in zip(digits, _W1, strict=True)) % 11
    if check == 10:
        check = sum(d * w for d, w in zip(digits, _W2, strict=True)) % 11
        if check == 10:
            return None
    return check


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


def compact_iin(value: str) -> str:
    """The IIN as 12 digits, whatever spaces, dashes or dots it was written with."""
    return re.sub(r"[\s\-.]", "", value)
