"""Dates in the page's language: one style per language, Kazakhstan's time, no seconds; and the
same style on the pages people read (checked through HTTP on a real appeal)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from html import unescape

import pytest
from fastapi.testclient import TestClient

from arna.app import create_app
from arna.appeals.actions import lifecycle
from arna.appeals.actions.submit import submit_appeal
from arna.appeals.schemas import AppealCreate, Applicant
from arna.core import i18n
from arna.core.actors import Actor
from arna.core.settings import Settings
from tests.conftest import DatabaseFactory

NNBSP = "\u202f"  # CLDR keeps the year with its "ж." / "г.": no line break between them
MOMENT = datetime(2026, 12, 3, 9, 5, 33, tzinfo=UTC)  # 14:05:33 in Kazakhstan (UTC+5)
EXPECTED = {
    "kk": (f"2026{NNBSP}ж. 3 желтоқсан", f"2026{NNBSP}ж. 3 желтоқсан, 14:05"),
    "ru": (f"3 декабря 2026{NNBSP}г.", f"3 декабря 2026{NNBSP}г., 14:05"),
    "en": ("3 December 2026", "3 December 2026, 14:05"),
}


@pytest.fixture
def lang_of_page() -> object:
    yield
    i18n.use(i18n.DEFAULT)


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_one_date_style_per_language_without_seconds(lang: str, lang_of_page: object) -> None:
    day, moment = EXPECTED[lang]
    i18n.use(lang)
    assert i18n.fmt_date(date(2026, 12, 3)) == day
    assert i18n.fmt_date("2026-12-03") == day
    assert i18n.fmt_date(MOMENT) == day
    assert i18n.fmt_datetime(MOMENT) == moment
    assert i18n.fmt_datetime(MOMENT.isoformat()) == moment  # events carry ISO strings
    assert i18n.fmt_datetime(MOMENT.replace(tzinfo=None)) == moment  # stored times are UTC
    assert ":33" not in i18n.fmt_datetime(MOMENT)
    assert i18n.fmt_date(None) == i18n.fmt_datetime(None) == i18n.fmt_datetime("") == ""


def test_explicit_language_wins_over_the_page(lang_of_page: object) -> None:
    i18n.use("kk")
    assert i18n.fmt_datetime(MOMENT, "ru") == EXPECTED["ru"][1]
    assert i18n.fmt_date(MOMENT, "en") == EXPECTED["en"][0]


def test_the_day_is_kazakhstans_day(lang_of_page: object) -> None:
    """20:30 UTC on 3 December is already 4 December in Almaty; 18:59 UTC is still the 3rd."""
    i18n.use("en")
    assert i18n.fmt_date(datetime(2026, 12, 3, 20, 30, tzinfo=UTC)) == "4 December 2026"
    assert i18n.fmt_datetime(datetime(2026, 12, 3, 20, 30, tzinfo=UTC)) == "4 December 2026, 01:30"
    assert i18n.fmt_date(datetime(2026, 12, 3, 18, 59, tzinfo=UTC)) == "3 December 2026"
    i18n.use("ru")  # genitive month after the day, nominative in Kazakh
    assert i18n.fmt_date(date(2026, 5, 1)) == f"1 мая 2026{NNBSP}г."
    i18n.use("kk")
    assert i18n.fmt_date(date(2026, 5, 1)) == f"2026{NNBSP}ж. 1 мамыр"


def _visible(html: str) -> str:
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", " ", body))


def test_the_public_appeal_page_shows_dates_in_the_style_of_its_language(
    databases: DatabaseFactory,
) -> None:
    db = databases.ready()
    settings = Settings(database_url=db.url)
    data = AppealCreate(
        text="Курчатовта Абай көшесінде үлкен шұңқыр бар.",
        kind="complaint",
        category="roads_local",
        kato="101800000",
        public=True,
        applicant=Applicant(name="Айгерім Сапарова", email="aigerim@example.kz"),
    )
    registered = datetime(2026, 3, 3, 9, 5, 33, tzinfo=UTC)
    created, _ = submit_appeal(db, settings, data, now=registered)
    lifecycle.answer_appeal(
        db,
        settings,
        Actor("admin", name="system:test-official"),
        created.number,
        outcome="resolved",
        text="Шұңқыр 5 наурызда жамалды.",
        now=datetime(2026, 3, 5, 11, 40, 7, tzinfo=UTC),
    )
    shown = {
        "kk": (f"2026{NNBSP}ж. 3 наурыз, 14:05", f"2026{NNBSP}ж. 5 наурыз, 16:40"),
        "ru": (f"3 марта 2026{NNBSP}г., 14:05", f"5 марта 2026{NNBSP}г., 16:40"),
        "en": ("3 March 2026, 14:05", "5 March 2026, 16:40"),
    }
    with TestClient(create_app(settings, db=db)) as client:
        for lang, (registered_at, answered_at) in shown.items():
            page = client.get(f"/appeals/{created.number}?lang={lang}")
            assert page.status_code == 200
            text = re.sub(r"[ \t\r\n]+", " ", _visible(page.text))
            assert registered_at in text, lang
            assert answered_at in text, lang
            assert not re.search(r"\d:\d\d:\d\d", text), lang  # no seconds for people
            assert "2026-03-03" not in text, lang  # no ISO dates in what people read
