"""Languages: the gettext catalogs kk and ru (English is the source language), the language of
what is being rendered, and numbers and dates in that language.

The catalogs are `arna/locale/<lang>/LC_MESSAGES/messages.po`, the one source of every
translated text (pages, form errors, e-mails); `make i18n` extracts new messages into them.
They are compiled in memory when first used (no binary `.mo` files in the repository).
"""

from __future__ import annotations

import gettext
import io
from contextvars import ContextVar
from datetime import date, datetime
from functools import cache
from importlib import resources
from math import floor, log10

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent

from arna.core.clock import KZ_TZ

LANGUAGES = ("kk", "ru", "en")
TRANSLATED = ("kk", "ru")  # English is written in the code and the templates
DEFAULT = "kk"
NAMES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}

_current: ContextVar[str] = ContextVar("arna_language", default=DEFAULT)


def catalog_path(lang: str) -> resources.abc.Traversable:
    return resources.files("arna").joinpath("locale", lang, "LC_MESSAGES", "messages.po")


@cache
def translations(lang: str) -> gettext.NullTranslations:
    if lang not in TRANSLATED:
        return gettext.NullTranslations()
    with catalog_path(lang).open("rb") as f:
        catalog = read_po(f, locale=lang)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def use(lang: str) -> None:
    """Make `lang` the language of everything rendered in this request."""
    _current.set(lang)


def current() -> str:
    return _current.get()


def gettext_(message: str) -> str:
    return translations(current()).gettext(message)


def ngettext_(singular: str, plural: str, n: int) -> str:
    return translations(current()).ngettext(singular, plural, n)


def translate(message: str, lang: str) -> str:
    """`message` in `lang`, whatever the language of the request (e-mails to an applicant)."""
    return translations(lang).gettext(message)


def N_(message: str) -> str:
    """Marks a message for the catalogs where it is defined; it is translated where it is used."""
    return message


def _locale() -> Locale:
    return Locale.parse(current())


def fmt_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    day = value.date() if isinstance(value, datetime) else value
    return format_date(day, format="long", locale=_locale())


def fmt_datetime(value: datetime | str | None) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return format_datetime(value.astimezone(KZ_TZ), format="medium", locale=_locale())


def fmt_number(value: float | int) -> str:
    return format_decimal(value, locale=_locale())


def fmt_share(share: float | None) -> str:
    """A share as a percentage; a dash when there is nothing to share."""
    if share is None:
        return "—"
    return format_percent(share, locale=_locale())


def fmt_rate(rate: float | None) -> str:
    """A rate with two decimals, or two significant digits below 0.1 (0.037, not 0.04)."""
    if rate is None:
        return "—"
    digits = 2 if rate == 0 or rate >= 0.1 else 1 - floor(log10(rate))
    return fmt_number(round(rate, digits))
