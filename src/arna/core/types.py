"""Input types and normalisers shared by every slice: strict where lax parsing would accept
nonsense."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from email_validator import EmailNotValidError, validate_email
from pydantic import BeforeValidator

from arna.core.errors import ValidationFailed

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_date(value: Any) -> Any:
    # Pydantic would read "0" or 1700000000 as a Unix time; a date must be written as one.
    if isinstance(value, date) or (isinstance(value, str) and _ISO_DATE.match(value)):
        return value
    raise ValueError("a date is written YYYY-MM-DD, e.g. 2026-11-27")


IsoDate = Annotated[date, BeforeValidator(_iso_date)]


def normalise_email(email: str) -> str:
    try:
        # Lower case whole: logins must not depend on how the address was typed.
        return validate_email(email, check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise ValidationFailed(f"e-mail {email!r} is not valid: {exc}", field="email") from None
