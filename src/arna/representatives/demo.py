"""The demo season's deputies: the Mazhilis of the 8th convocation with its real split of seats
(2023 results: parties' list seats and single-member districts), but fictional deputies named
as such, with a year of sittings and roll calls; imported through the same CSV action as real
files (`actions.import_records`), so the demo exercises the import path."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import numpy as np

from arna.core.actors import system
from arna.core.db import Database
from arna.representatives.actions import import_records

CHAMBER = "mazhilis-8"
SOURCE = "demo data (fictional), arna.representatives.demo"
# (party, list seats, single-member seats) of the 2023 Mazhilis (data/parties.csv)
SEATS = [("amanat", 40, 22), ("auyl", 8, 0), ("respublica", 6, 0), ("akzhol", 6, 0),
         ("qhp", 5, 0), ("osdp", 4, 0), ("", 0, 7)]  # fmt: skip
REGIONS = ["750000000", "710000000", "790000000", "350000000", "150000000", "230000000",
           "270000000", "470000000", "590000000", "630000000"]  # fmt: skip
FIRST_SITTING, LAST_SITTING = date(2025, 9, 3), date(2026, 6, 24)
ROLL_CALLS = 60


def _csv(header: list[str], rows: list[list[object]]) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return text.getvalue().encode()


def files(seed: int = 2026) -> dict[str, bytes]:
    """The three CSV files (deputies, attendance, votes) of the demo, as an operator would
    give them."""
    rng = np.random.default_rng(seed)
    deputies: list[list[object]] = []
    for party, listed, districts in SEATS:
        for k in range(listed + districts):
            number = len(deputies) + 1
            single = k >= listed
            deputies.append([
                f"demo-{number:03d}", f"Демо-депутат {number:03d}", CHAMBER, party,
                "single_member" if single else "party_list",
                f"Демо округ №{number}" if single else "",
                REGIONS[number % len(REGIONS)] if single else "",
                "2023-03-29", "2026-06-30", SOURCE,
            ])  # fmt: skip
    header = ["id", "name", "legislature", "party", "mandate", "constituency", "region_kato",
              "valid_from", "valid_to", "source"]  # fmt: skip
    days = [
        FIRST_SITTING + timedelta(days=7 * w)
        for w in range((LAST_SITTING - FIRST_SITTING).days // 7 + 1)
    ]
    diligence = rng.beta(18, 1.5, len(deputies))  # most come to nearly every sitting
    attendance = [
        [d[0], day.isoformat(), "yes" if rng.random() < diligence[i] else "no", SOURCE]
        for i, d in enumerate(deputies)
        for day in days
    ]
    votes: list[list[object]] = []
    for n in range(ROLL_CALLS):
        day = days[int(rng.integers(0, len(days)))]
        title = f"Демо заң жобасы №{n + 1} / Демо законопроект №{n + 1}"
        dissent = float(rng.beta(1.2, 12))
        for i, d in enumerate(deputies):
            if rng.random() > diligence[i]:
                choice = "absent"
            else:
                draw = rng.random()
                choice = (
                    "for" if draw > dissent else ("against" if draw < dissent / 2 else "abstain")
                )
            votes.append([f"demo-vote-{n + 1:03d}", day.isoformat(), title, d[0], choice, SOURCE])
    return {
        "deputies": _csv(header, deputies),
        "attendance": _csv(["deputy", "date", "present", "source"], attendance),
        "votes": _csv(["vote_id", "date", "title", "deputy", "choice", "source"], votes),
    }


def seed(db: Database, seed: int = 2026) -> dict[str, int]:
    """Import the demo files (again: nothing changes the second time)."""
    actor = system("demo")
    counts = {}
    for kind, data in files(seed).items():
        found = import_records(db, actor, kind, data)
        counts[kind] = sum(t.inserted for t in found.tables)
    return counts
