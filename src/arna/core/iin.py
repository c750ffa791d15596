"""The check digit of a Kazakhstan IIN/BIN (the twelfth digit, from the first eleven)."""

from __future__ import annotations

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
