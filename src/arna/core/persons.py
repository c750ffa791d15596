"""What Arna holds about one person, gathered from every slice that holds some of it.

A subject-access export (`arna appeals export-person`) asks each registered source for what it
holds about a person known by an e-mail address, a phone number or an IIN. The application
registers the sources (as it registers sweeps and state checks), so the slice that records the
export needs no import of the slices beside it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from arna.core.settings import Settings


@dataclass(frozen=True)
class Person:
    """Who an export is about: any of these, normalised as intake stores them."""

    email: str | None = None
    phone: str | None = None
    iin: str | None = None

    def given(self) -> dict[str, str]:
        """The identifiers given, by name."""
        found = {"email": self.email, "phone": self.phone, "iin": self.iin}
        return {key: value for key, value in found.items() if value}


# (session, settings, person, now) -> what the slice holds, as JSON-ready values
Source = Callable[[Session, Settings, Person, datetime], Any]
_sources: dict[str, Source] = {}


def add_source(name: str, source: Source) -> None:
    _sources[name] = source


def gather(session: Session, settings: Settings, person: Person, now: datetime) -> dict[str, Any]:
    """What every registered source holds about the person, by source."""
    return {name: source(session, settings, person, now) for name, source in _sources.items()}
