"""Access codes, and the digests of secrets the database keeps instead of a token or a code."""

from __future__ import annotations

import hashlib
import secrets


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


def new_access_code() -> str:
    """10 symbols of a 32-letter alphabet: 50 bits from the OS's random source."""
    raw = "".join(_CODE_ALPHABET[b & 31] for b in secrets.token_bytes(10))
    return f"{raw[:5]}-{raw[5:]}"
