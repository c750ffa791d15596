"""Names sort by each language's alphabet, not by Unicode code points; and the selects and
tables people read use that order (checked through HTTP)."""

from __future__ import annotations

import re
from html import unescape

import pytest
from fastapi.testclient import TestClient

from arna.app import create_app
from arna.core import i18n
from arna.core.collation import sort_key, sorted_names
from arna.core.db import Database
from arna.core.settings import Settings

# Written out here, independently of the module under test.
KAZAKH = "АӘБВГҒДЕЁЖЗИЙКҚЛМНҢОӨПРСТУҰҮФХҺЦЧШЩЪЫІЬЭЮЯ"
PLACES = ["Әуезов", "Ақтөбе", "Абай", "Өскемен", "Іле", "Ұлытау"]


def test_kazakh_follows_the_kazakh_alphabet() -> None:
    assert sorted(PLACES) != sorted_names(PLACES, "kk")  # code points put Іле first, Ө last
    assert sorted_names(PLACES, "kk") == ["Абай", "Ақтөбе", "Әуезов", "Өскемен", "Ұлытау", "Іле"]
    letters = list(KAZAKH)
    shuffled = letters[::-1][::2] + letters[::-1][1::2]
    assert sorted_names(shuffled, "kk") == letters
    assert sorted_names([c.lower() for c in shuffled], "kk") == [c.lower() for c in letters]
    assert sorted_names(["Ёлке", "Ерлан", "Жамбыл"], "kk") == ["Ерлан", "Ёлке", "Жамбыл"]
    assert sorted_names(["Қызылорда", "Қарағанды", "Кентау", "Лисаковск"], "kk") == [
        "Кентау",
        "Қарағанды",
        "Қызылорда",
        "Лисаковск",
    ]


def test_russian_sorts_yo_with_ye_and_places_kazakh_letters_after_their_look_alikes() -> None:
    assert sorted_names(["Ёлка", "Ель", "Еж", "ёж"], "ru") == ["Еж", "ёж", "Ёлка", "Ель"]
    assert sorted_names(["Яблоко", "Әуезов", "Абай", "Бабай"], "ru") == [
        "Абай",
        "Әуезов",
        "Бабай",
        "Яблоко",
    ]
    assert sorted_names(["Уральск", "Ұлытау", "Усть-Каменогорск", "Федоровка"], "ru") == [
        "Уральск",
        "Усть-Каменогорск",
        "Ұлытау",
        "Федоровка",
    ]
    assert sorted_names(["Zhezkazgan", "Жезказган"], "ru") == ["Жезказган", "Zhezkazgan"]


def test_english_is_case_insensitive_latin_first() -> None:
    names = ["zhanaozen", "Almaty", "Ékibastuz", "aktobe", "Ekibastuz", "Астана", "Balkhash"]
    assert sorted_names(names, "en") == [
        "aktobe",
        "Almaty",
        "Balkhash",
        "Ekibastuz",
        "Ékibastuz",
        "zhanaozen",
        "Астана",
    ]


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_quotes_punctuation_digits_and_case(lang: str) -> None:
    assert sort_key("«Нұр» бірлестігі", lang)[0] == sort_key("Нұр бірлестігі", lang)[0]
    assert sort_key('"Abc"', lang)[0] == sort_key("abc", lang)[0]
    assert sorted_names(["Школа №10", "Школа №2", "Школа"], lang) == [
        "Школа",
        "Школа №2",
        "Школа №10",
    ]
    assert sorted_names(["Ақбота", "Ақ Жол", "5 мектеп"], lang) == ["5 мектеп", "Ақ Жол", "Ақбота"]
    assert sorted_names(["Алматы", "алматы"], lang) == ["алматы", "Алматы"]  # lower case on ties
    assert sorted_names(["B", "a", "C"], lang) == ["a", "B", "C"]


def test_default_language_is_the_pages() -> None:
    i18n.use("kk")
    try:
        assert sorted(PLACES, key=sort_key) == sorted_names(PLACES, "kk")
        i18n.use("ru")
        assert sorted(["Ёлка", "Ель"], key=sort_key) == ["Ёлка", "Ель"]
    finally:
        i18n.use(i18n.DEFAULT)


def _options(html: str, select_id: str) -> list[str]:
    found = re.search(rf'<select id="{select_id}"[^>]*>(.*?)</select>', html, re.S)
    assert found, select_id
    options = re.findall(r'<option value="([^"]*)"[^>]*>(.*?)</option>', found.group(1), re.S)
    return [unescape(text).strip() for value, text in options if value]


def _in_kazakh_order(names: list[str]) -> bool:
    ranks = [KAZAKH.index(n[0].upper()) for n in names]
    return ranks == sorted(ranks)


def test_region_selects_follow_the_alphabet_of_the_page(shared_db: Database) -> None:
    settings = Settings(database_url=shared_db.url)
    with TestClient(create_app(settings, db=shared_db)) as client:
        for url, select_id in (("/appeals/new", "region"), ("/appeals", "f-region")):
            kk = _options(client.get(f"{url}?lang=kk").text, select_id)
            assert len(kk) >= 17, url
            assert _in_kazakh_order(kk), kk
            assert kk != sorted(kk)  # Қ and Ұ names are not after Ш, where code points put them
            assert kk.index("Ұлытау облысы") < kk.index("Шымкент қаласы"), kk
            ru = _options(client.get(f"{url}?lang=ru").text, select_id)
            assert ru == sorted_names(ru, "ru")
            en = _options(client.get(f"{url}?lang=en").text, select_id)
            assert en == sorted(en, key=str.casefold)
