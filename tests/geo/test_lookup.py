from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from arna.cli import app
from arna.geo.lookup import find, find_all

runner = CliRunner()


@pytest.mark.parametrize(
    ("text", "kato"),
    [
        ("Алматы", "750000000"),
        ("Almaty", "750000000"),
        ("Алма-Ата", "750000000"),
        ("Нур-Султан", "710000000"),
        ("Astana", "710000000"),
        ("Ақтөбе", "151000000"),
        ("Aqtöbe", "151000000"),
        ("Жетісу облысы", "330000000"),
        ("Ulytau", "620000000"),
        ("Семей", "101000000"),
        ("Талдықорған", "331000000"),
        ("Шымкентте", "790000000"),
        # inflection, old names, other scripts
        ("Алматыда жол жоқ", "750000000"),
        ("в Алматы отключили свет", "750000000"),
        ("Алматинской области", "190000000"),
        ("в Алматинской области", "190000000"),
        ("Almaty Region", "190000000"),
        ("Ақтөбе облысында", "150000000"),
        ("Semipalatinsk", "101000000"),
        ("Семипалатинске", "101000000"),
        ("Nur-Sultan", "710000000"),
        ("Нұр-Сұлтанда", "710000000"),
        ("в Астане", "710000000"),
        ("Alma-Ata", "750000000"),
        ("Усть-Каменогорске", "631000000"),
        ("Өскеменде", "631000000"),
        ("Zhetysu region", "330000000"),
        ("Jetisu", "330000000"),
        ("Қарағандыда", "351000000"),
        ("Kostanay oblysy", "390000000"),
        ("Taldykorgan", "331000000"),
        ("Талдыкоргане", "331000000"),
        ("Шымкентский акимат", "790000000"),
    ],
)
def test_find_resolves_names(text: str, kato: str) -> None:
    match = find(text)
    assert match is not None, text
    assert match.unit.kato == kato, (text, match.as_dict())


def test_span_points_at_the_words() -> None:
    text = "Жол шұңқыры: Шымкентте Тұран ауданында"
    matches = find_all(text)
    assert [m.unit.kato for m in matches] == ["790000000", "791910000"]
    for m in matches:
        assert text[m.start : m.end] == m.text
    best = find(text)
    assert best is not None
    assert best.unit.kato == "791910000"  # the district is more specific than the city


def test_region_in_the_text_picks_the_right_namesake_district() -> None:
    # Есіл districts exist in Akmola and North Kazakhstan regions and in Astana.
    north = find("Есіл ауданы, Солтүстік Қазақстан облысы")
    akmola = find("Ақмола облысы Есіл ауданы")
    assert north is not None and north.unit.kato == "594200000"
    assert akmola is not None and akmola.unit.kato == "114800000"


@pytest.mark.parametrize(
    "text",
    ["", "Сәлеметсіз бе!", "Hello, world", "1 май күні шет елге бардым", "12345"],
)
def test_texts_without_places(text: str) -> None:
    assert find(text) is None


def test_cli_find_json() -> None:
    result = runner.invoke(app, ["geo", "find", "Алматыда", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["kato"] == "750000000"
    assert data["span"] == [0, 8]


def test_cli_find_nothing_exits_1() -> None:
    result = runner.invoke(app, ["geo", "find", "ештеңе жоқ"])
    assert result.exit_code == 1
    assert "no place" in result.stderr
