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
from datetime import UTC, date, datetime
from functools import cache, lru_cache
from importlib import resources

from babel import Locale
from babel.dates import format_date, format_time
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


# English pages in Kazakhstan write the day before the month and a 24-hour clock, as Kazakh
# and Russian do ("3 December 2026, 14:05", not "December 3, 2026, 2:05 PM"): British English
# has that form in CLDR. Numbers keep the plain `en` locale.
_DATE_LOCALES = {"en": "en_GB"}


@cache
def _date_locale(lang: str) -> Locale:
    return Locale.parse(_DATE_LOCALES.get(lang, lang))


def _in_kz(value: datetime | str) -> datetime:
    """A moment as people in Kazakhstan read it: stored times are UTC (naive ones too)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(KZ_TZ)


def fmt_date(value: date | datetime | str | None, lang: str | None = None) -> str:
    """A day in the long form of the language: "2026 ж. 3 желтоқсан", "3 декабря 2026 г.",
    "3 December 2026". A moment is first moved to Kazakhstan's time, so a late evening there
    is not shown as the next (or the previous) day. `lang` defaults to the page's language."""
    if value is None or value == "":
        return ""
    if isinstance(value, str) and "T" not in value and len(value) == 10:
        value = date.fromisoformat(value)
    day = _in_kz(value).date() if isinstance(value, datetime | str) else value
    return format_date(day, format="long", locale=_date_locale(lang or current()))


def fmt_datetime(value: datetime | str | None, lang: str | None = None) -> str:
    """A moment in Kazakhstan's time, the long date and hours:minutes joined the language's way
    ("2026 ж. 3 желтоқсан, 14:05"). No seconds: people do not read them, and the exact moment
    stays in the `<time datetime>` attribute and the audit log."""
    if value is None or value == "":
        return ""
    moment = _in_kz(value)
    locale = _date_locale(lang or current())
    day = format_date(moment.date(), format="long", locale=locale)
    clock = format_time(moment, format="HH:mm", locale=locale)
    return str(locale.datetime_formats["long"]).format(clock, day)


def fmt_number(value: float | int) -> str:
    return format_decimal(value, locale=_locale())


def fmt_share(share: float | None) -> str:
    """A share as a percentage; a dash when there is nothing to share."""
    if share is None:
        return "—"
    return _percent(share, current())


@lru_cache(maxsize=8192)
def _percent(share: float, lang: str) -> str:
    # Whole percentages: a page of a thousand figures asks for the same hundred or so texts,
    # and Babel's formatting costs 20 µs each (a scorecard page of 730 bodies: 0.36 s).
    return format_percent(share, locale=Locale.parse(lang))


def fmt_rate(rate: float | None) -> str:
    """A rate (appeals per 100,000 residents) with one decimal, always shown: "12.0", "0.4"."""
    if rate is None:
        return "—"
    return format_decimal(rate, format="#,##0.0", locale=_locale())
