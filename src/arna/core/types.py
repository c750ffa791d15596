"""Input types shared by the API: strict where lax parsing would accept nonsense."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from pydantic import BeforeValidator

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_date(value: Any) -> Any:
    # Pydantic would read "0" or 1700000000 as a Unix time; a date must be written as one.
    if isinstance(value, date) or (isinstance(value, str) and _ISO_DATE.match(value)):
        return value
    raise ValueError("a date is written YYYY-MM-DD, e.g. 2026-11-27")


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
