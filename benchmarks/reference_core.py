"""Throughput of the reference core's pure functions, as one JSON object.

    .venv/bin/python benchmarks/reference_core.py

Measures place finding in free text, point-in-polygon lookup, routing and the working-day clock
on one core, after warm-up (data loaded once per process), over a fixed time budget each.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from datetime import date, timedelta

from arna.bodies.competence import categories, route
from arna.core.clock import load_calendar
from arna.geo.locate import locate
from arna.geo.lookup import find
from arna.geo.reference import units

TEXTS = [
    "Алматыда Әуезов ауданында жол жөнделмей жатыр, шұңқырлар көп",
    "В Шымкенте третий день нет горячей воды, акимат молчит",
    "Pothole on the road to Aqtöbe airport, nobody fixes it",
    "Ақмола облысы Есіл ауданында мектепке автобус жоқ",
    "Усть-Каменогорске опять смог, дышать невозможно",
    "Сәлеметсіз бе, маған көмек керек",
]


def rate(fn: Callable[[int], object], seconds: float = 1.5) -> float:
    fn(0)
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        fn(done)
        done += 1
    return done / (time.perf_counter() - start)


def main() -> None:
    rng = random.Random(7)
    points = [(rng.uniform(41, 55), rng.uniform(47, 87)) for _ in range(5000)]
    katos = [k for k, u in units().items() if u.level > 0]
    cats = list(categories())
    calendar = load_calendar()
    starts = [date(2026, 1, 1) + timedelta(days=i) for i in range(365)]
    result = {
        "geo_find_texts_per_s": round(rate(lambda i: find(TEXTS[i % len(TEXTS)]))),
        "geo_locate_points_per_s": round(rate(lambda i: locate(*points[i % len(points)]))),
        "route_per_s": round(rate(lambda i: route(cats[i % len(cats)], katos[i % len(katos)]))),
        "clock_add_15_per_s": round(rate(lambda i: calendar.add_working_days(starts[i % 365], 15))),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
