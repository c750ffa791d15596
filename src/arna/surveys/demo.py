"""A survey for `make demo`, through the actions: a questionnaire with the trust block (kk/ru/en
labels), built as an XLSForm at run time with openpyxl, and about 1,500 responses over three
months from an online panel that over-represents the big cities, towns, women and the young;
imported as a CSV and weighted. Deterministic for a seed and a day."""

from __future__ import annotations

import csv
import io
import random
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from openpyxl import Workbook  # type: ignore[import-untyped]

from arna.core.actors import Actor
from arna.core.clock import now_utc
from arna.core.db import Database
from arna.geo.reference import units
from arna.surveys import policy
from arna.surveys.actions.responses import import_responses
from arna.surveys.actions.surveys import create_survey
from arna.surveys.actions.weighing import weigh_survey
from arna.surveys.margins import reference_margins
from arna.surveys.trust import BLOCK

ADMIN = Actor("admin", name="system:demo")
KK, RU, EN = "label::Kazakh (kk)", "label::Russian (ru)", "label::English (en)"
INSTITUTIONS = {  # kk, ru, en; how many trust it in the demo's population
    "akimat": ("Әкімдік", "Акимат", "The akimat", 0.45),
    "police": ("Полиция", "Полиция", "The police", 0.40),
    "courts": ("Соттар", "Суды", "The courts", 0.33),
    "parliament": ("Парламент", "Парламент", "The parliament", 0.42),
    "parties": ("Саяси партиялар", "Политические партии", "Political parties", 0.25),
    "ministries": ("Министрліктер", "Министерства", "The ministries", 0.40),
    "presidential_administration": (
        "Президент Әкімшілігі",
        "Администрация Президента",
        "The Presidential Administration",
        0.60,
    ),
}
SCALE = [
    ("1", "Мүлдем сенбеймін", "Совсем не доверяю", "No trust at all"),
    ("2", "Сенбеймін", "Скорее не доверяю", "Rather no trust"),
    ("3", "Сенемін", "Скорее доверяю", "Rather trust"),
    ("4", "Толық сенемін", "Полностью доверяю", "Full trust"),
    ("dk", "Білмеймін", "Затрудняюсь ответить", "Don't know"),
]
ISSUES = [
    ("prices", "Бағалар", "Цены", "Prices"),
    ("roads", "Жолдар", "Дороги", "Roads"),
    ("healthcare", "Денсаулық сақтау", "Здравоохранение", "Healthcare"),
    ("education", "Білім", "Образование", "Education"),
    ("corruption", "Сыбайлас жемқорлық", "Коррупция", "Corruption"),
]
CITIES = {"750000000": 2.6, "710000000": 2.6, "790000000": 1.6}  # over-sampled online


def form_xlsx() -> bytes:
    """The questionnaire as an XLSForm workbook."""
    book = Workbook()
    survey = book.active
    assert survey is not None
    survey.title = "survey"
    survey.append(["type", "name", KK, RU, EN, "required"])
    survey.append(["select_one region", "region", "Облыс", "Регион", "Region", "yes"])
    survey.append(["select_one sex", "sex", "Жынысыңыз", "Ваш пол", "Your sex", "yes"])
    survey.append(["integer", "age", "Жасыңыз", "Ваш возраст", "Your age", "yes"])
    survey.append(
        ["select_one settlement", "settlement", "Мекен", "Местность", "Settlement", "yes"]
    )
    for question, institution in BLOCK.items():
        kk, ru, en, _ = INSTITUTIONS[institution]
        survey.append(
            ["select_one trust", question, f"{kk}: сенім", f"{ru}: доверие", f"Trust: {en}", "yes"]
        )
    survey.append(
        ["select_multiple issues", "issues", "Басты мәселелер", "Главные проблемы", "Issues", ""]
    )
    choices = book.create_sheet("choices")
    choices.append(["list_name", "name", KK, RU, EN])
    for unit in units().values():
        if unit.level == 1:
            choices.append(["region", unit.kato, unit.name_kk, unit.name_ru, unit.name_en])
    choices.append(["sex", "male", "Ер", "Мужской", "Male"])
    choices.append(["sex", "female", "Әйел", "Женский", "Female"])
    choices.append(["settlement", "urban", "Қала", "Город", "Town"])
    choices.append(["settlement", "rural", "Ауыл", "Село", "Village"])
    for row in SCALE:
        choices.append(["trust", *row])
    for row in ISSUES:
        choices.append(["issues", *row])
    settings = book.create_sheet("settings")
    settings.append(["form_title", "form_id", "version", "default_language"])
    settings.append(["Институттарға сенім", "trust_2026", "2026120101", "Russian (ru)"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def responses(rng: random.Random, n: int, start: datetime, days: int = 90) -> list[dict[str, Any]]:
    """`n` responses as the rows of a Kobo CSV export (column → text)."""
    population = reference_margins()[policy.REGION]
    regions = list(population)
    draw = [population[r] * CITIES.get(r, 0.8) for r in regions]
    rows = []
    for _ in range(n):
        region = rng.choices(regions, weights=draw)[0]
        urban = region in CITIES or rng.random() < 0.62
        sex = "female" if rng.random() < 0.58 else "male"
        age = int(min(80, 18 + rng.expovariate(1 / 17)))
        at = start + timedelta(seconds=rng.uniform(0, days * 86400))
        month = (at - start).days / 30
        lean = (int(region[:2]) % 7 - 3) * 0.03 - (0.06 if urban else 0) - (0.04 if age < 30 else 0)
        row: dict[str, Any] = {
            "_uuid": str(uuid.UUID(int=rng.getrandbits(128))),
            "_submission_time": at.isoformat(timespec="seconds"),
            "region": region,
            "sex": sex,
            "age": str(age),
            "settlement": "urban" if urban else "rural",
        }
        for question, institution in BLOCK.items():
            p = min(0.95, max(0.05, INSTITUTIONS[institution][3] + lean - 0.02 * month))
            if rng.random() < 0.05:
                row[question] = "dk"
            elif rng.random() < p:
                row[question] = "4" if rng.random() < 0.4 else "3"
            else:
                row[question] = "1" if rng.random() < 0.35 else "2"
        row["issues"] = " ".join(name for name, *_ in ISSUES if rng.random() < 0.35)
        rows.append(row)
    return rows


def to_csv(rows: list[dict[str, Any]]) -> bytes:
    columns = list(rows[0]) if rows else ["_uuid"]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, columns)
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def seed(db: Database, seed: int = 2026, now: datetime | None = None) -> dict[str, int]:
    now = now or now_utc()
    rng = random.Random(seed)
    day = datetime(now.year, now.month, now.day, tzinfo=UTC)
    started = day - timedelta(days=100)
    number = create_survey(db, ADMIN, form_xlsx(), ".xlsx", now=started)
    rows = responses(rng, 1500, started + timedelta(days=1))
    added = import_responses(db, ADMIN, number, to_csv(rows), now=day).added
    weigh_survey(db, ADMIN, number, now=day)
    return {"surveys": 1, "responses": added}
