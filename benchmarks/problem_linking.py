"""Linking appeals to shared problems at a day's national volume, beside the text work alone.

    .venv/bin/python benchmarks/problem_linking.py [--appeals 20000] [--days 30]

Prints one JSON object (progress on stderr).

`--appeals` demo-season appeals (their words, places weighted by population, a sixth of them
a neighbour's report of a problem filed before) are filed through the intake's batch writer
over `--days` days, in a SQLite file, unlinked. Then:

* **link**: `link_problems`, as the worker's sweep runs it: every appeal compared with its
  block's appeals of the 180 days before it, linked, came-back checked, committed;
* **reference**: `text.similarity.vectors` of the same texts in one call, the part of linking
  no database or bookkeeping can remove.

Kazakhstan registered 4.4 million appeals in 2024, about 17,500 a working day: the figure to
read is how many seconds the worker spends on one such day (`seconds_per_day_of_country`).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from arna.appeals import demo_texts
from arna.appeals.actions.problems import link_problems
from arna.appeals.actions.submit import write_batch
from arna.appeals.models import Appeal
from arna.appeals.placement import place_all, receive
from arna.appeals.schemas import AppealCreate
from arna.core.console import progress_bar
from arna.core.db import Database
from arna.core.errors import ArnaError
from arna.core.settings import Settings
from arna.geo.reference import Unit, units
from arna.maintenance.upgrade import upgrade
from arna.text.similarity import vectors

DAY_OF_COUNTRY = 4_400_000 / 250


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def fill(db: Database, settings: Settings, total: int, days: int, seed: int = 11) -> list[str]:
    rng = random.Random(seed)
    places = [u for u in units().values() if u.level == 2]
    weights = [u.population or 20_000 for u in places]
    start = datetime.now(UTC) - timedelta(days=days)
    told: list[tuple[demo_texts.Story, Unit]] = []
    texts: list[str] = []
    bar, task = progress_bar("filing appeals", total)
    with bar:
        for first in range(0, total, 500):
            batch = []
            for i in range(first, min(first + 500, total)):
                lang = rng.choices(["kk", "ru", "en"], [50, 44, 6])[0]
                if told and rng.random() < 1 / 6:
                    story, place = rng.choice(told[-2000:])
                    story, text = demo_texts.neighbour_story(rng, story, lang, place)
                else:
                    place = rng.choices(places, weights)[0]
                    story, text = demo_texts.new_story(rng, lang, place)
                told.append((story, place))
                texts.append(text)
                data = AppealCreate(
                    text=text, kind="complaint", category=story.topic.category,
                    kato=place.kato, language=lang, applicant={"name": "Демо Демо"},
                )  # fmt: skip
                now = start + timedelta(seconds=i * days * 86_400 / total)
                batch.append(receive(data, None, now))
            placed = [p for p in place_all(batch) if not isinstance(p, ArnaError)]
            write_batch(db, settings, placed)
            bar.update(task, advance=len(batch))
    return texts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--appeals", type=int, default=20_000)
    parser.add_argument("--days", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'link.db'}"
        settings = Settings(database_url=url, data_dir=Path(folder), smtp_host=None)
        db = Database(url)
        upgrade(db)
        texts = fill(db, settings, args.appeals, args.days)
        _say("vectorising the texts alone")
        started = time.perf_counter()
        vectors(texts)
        reference = time.perf_counter() - started
        _say("linking")
        started = time.perf_counter()
        report = link_problems(db, settings, datetime.now(UTC))
        linked = time.perf_counter() - started
        with db.read() as session:
            problems = session.scalar(select(func.count(func.distinct(Appeal.problem_id))))
        db.dispose()
    rate = report.linked / linked
    print(
        json.dumps(
            {
                "appeals": report.linked,
                "joined_an_earlier_problem": report.joined,
                "problems": problems,
                "came_back": report.came_back,
                "link_seconds": round(linked, 2),
                "link_appeals_per_second": round(rate),
                "reference_vectorise_seconds": round(reference, 2),
                "ratio_link_to_reference": round(linked / reference, 2),
                "seconds_per_day_of_country": round(DAY_OF_COUNTRY / rate, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
