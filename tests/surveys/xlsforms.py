"""Small XLSForms written by the tests with openpyxl, as ODK and KoboToolbox users write them."""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO
from pathlib import Path

from openpyxl import Workbook

Rows = Sequence[Sequence[str]]

KK, RU, EN = "label::Kazakh (kk)", "label::Russian (ru)", "label::English (en)"
SURVEY: Rows = [
    ["type", "name", KK, RU, EN, "hint::English (en)", "required", "relevant", "constraint"],
    [
        "select_one place",
        "place",
        "Қай жерде тұрасыз?",
        "Где вы живёте?",
        "Where do you live?",
        "",
        "yes",
        "",
        "",
    ],
    [
        "integer",
        "age",
        "Жасыңыз",
        "Ваш возраст",
        "Your age",
        "In full years",
        "true",
        "",
        ". >= 16 and . <= 120",
    ],
    [
        "select_multiple issues",
        "issues",
        "Қандай мәселелер?",
        "Какие проблемы?",
        "Which issues?",
        "",
        "yes",
        "",
        "",
    ],
    ["begin_group", "work", "Жұмыс", "Работа", "Work", "", "", "${age} >= 18", ""],
    [
        "select_one yesno",
        "employed",
        "Жұмыс істейсіз бе?",
        "Вы работаете?",
        "Do you work?",
        "",
        "yes",
        "",
        "",
    ],
    ["decimal", "income", "Табыс", "Доход", "Income", "", "", "${employed} = 'yes'", ""],
    ["end_group", "", "", "", "", "", "", "", ""],
    ["text", "comment", "Пікір", "Комментарий", "Comment", "", "", "", ""],
    ["date", "visited", "Күні", "Дата", "Date", "", "", "", ""],
    ["note", "thanks", "Рахмет!", "Спасибо!", "Thank you!", "", "", "", ""],
]
CHOICES: Rows = [
    ["list_name", "name", KK, RU, EN],
    ["place", "urban", "Қала", "Город", "Town"],
    ["place", "rural", "Ауыл", "Село", "Village"],
    ["issues", "roads", "Жолдар", "Дороги", "Roads"],
    ["issues", "water", "Су", "Вода", "Water"],
    ["issues", "heating", "Жылу", "Отопление", "Heating"],
    ["yesno", "yes", "Иә", "Да", "Yes"],
    ["yesno", "no", "Жоқ", "Нет", "No"],
]
SETTINGS: Rows = [
    ["form_title", "form_id", "version", "default_language"],
    ["Тұрмыс сапасы", "living_2026", "2026051301", "Russian (ru)"],
]


def xlsx(
    survey: Rows = SURVEY, choices: Rows | None = CHOICES, settings: Rows | None = SETTINGS
) -> bytes:
    """An .xlsx workbook with the sheets given (a sheet left out when None)."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "survey"
    for row in survey:
        sheet.append(list(row))
    for name, rows in (("choices", choices), ("settings", settings)):
        if rows is not None:
            extra = book.create_sheet(name)
            for row in rows:
                extra.append(list(row))
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_xlsx(folder: Path, name: str = "living.xlsx", **sheets: Rows | None) -> Path:
    path = folder / name
    path.write_bytes(xlsx(**sheets))  # type: ignore[arg-type]
    return path
