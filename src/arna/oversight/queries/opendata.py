"""Open data: every public figure of oversight as flat tables, with a data dictionary.

Each scorecard row carries the counts its shares are made of and each group's working days are
given as histograms, so that anyone can recompute every figure with the formulas in
docs/methodology.md ("Scorecards", "Escalation depth index"). Groups smaller than the minimum
cell (ARNA_MIN_CELL: appeals received, or problems solved) are left out; the country's row is
always given.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from sqlalchemy.orm import Session

from arna.core.clock import to_local_date
from arna.oversight.queries import depth, grouping, problems, scorecard

DAYS = ("first_response", "answer")
TABLES = (
    *(
        f"{name}_by_{by}"
        for name in ("scorecards", "working_days", "escalation_depth")
        for by in grouping.BY
    ),
    "shared_problems",
    "data_dictionary",
)
PROBLEM_COLUMNS = {
    "number": ("text", "the number of the problem's first appeal, which names it"),
    "category": ("text", "category id"),
    "kato": ("text", "KATO code of its place"),
    "region_kato": ("text", "KATO code of its region"),
    "people": ("integer", "appeals + supporters"),
    "appeals": ("integer", "appeals reporting it, public or private"),
    "public": ("integer", "of them, public"),
    "supporters": ("integer", 'citizens who said "me too" on one of its appeals'),
    "open": ("integer", "appeals not answered yet"),
    "solved": ("integer", "appeals closed by the applicant saying it was solved"),
    "came_back": ("integer", "appeals reporting it again within 90 days of a resolved answer"),
    "first": ("text", "ISO date its first appeal was registered (Kazakhstan time)"),
    "last": ("text", "ISO date its last appeal was registered (Kazakhstan time)"),
}


def table(
    session: Session,
    name: str,
    min_cell: int,
    lang: str = "en",
    tallies: dict[str, scorecard.Tally] | None = None,
) -> list[dict[str, Any]]:
    """The rows of one open-data table (TABLES); `tallies` keeps each grouping's sums for the
    next table of the same grouping (the scorecards and the working days add up the same)."""
    if name == "data_dictionary":
        return dictionary()
    if name == "shared_problems":
        return _problems(session, min_cell)
    kind, _, by = name.partition("_by_")
    if name not in TABLES:
        raise ValueError(f"no open-data table {name!r}; there are {', '.join(TABLES)}")
    if kind == "escalation_depth":
        return _depth(session, by, min_cell, lang)
    tallies = {} if tallies is None else tallies
    if by not in tallies:
        tallies[by] = scorecard.tally(session, by)
    if kind == "scorecards":
        return _scorecards(session, by, tallies[by], min_cell, lang)
    return _working_days(tallies[by], min_cell)


def _scorecards(
    session: Session, by: str, tallied: scorecard.Tally, min_cell: int, lang: str
) -> list[dict[str, Any]]:
    cards, country = scorecard.cards_of(session, by, tallied, lang)
    counted, total = tallied.counted, tallied.total
    people = scorecard.population(session, by, list(counted))
    rows = []
    for card, counts in [(country, total), *((c, counted[c.key]) for c in cards)]:
        if card.key != "all" and card.received < min_cell:
            continue
        row: dict[str, Any] = {"key": card.key, "name": card.name or "Kazakhstan"}
        row |= {f"n_{name}": counts[name] for name in scorecard.COUNTED}
        row["residents"] = people.get(card.key)
        row["per_100k"] = card.per_100k
        for name in scorecard.SHARES:
            share = getattr(card, name)
            row |= {
                f"{name}_share": share.share,
                f"{name}_low": share.low,
                f"{name}_high": share.high,
            }
        for name in DAYS:
            row |= {f"{name}_{k}": v for k, v in asdict(getattr(card, name)).items()}
        row |= {"too_few": card.too_few, "standing": card.standing}
        rows.append(row)
    return rows


def _problems(session: Session, min_cell: int) -> list[dict[str, Any]]:
    """Shared problems touching at least `min_cell` people (methodology: "Shared and repeated
    problems")."""
    rows = []
    for p in problems.shared_problems(session, limit=100_000):
        if p.people >= min_cell:
            row = {name: getattr(p, name) for name in PROBLEM_COLUMNS}
            row["first"] = to_local_date(p.first).isoformat()
            row["last"] = to_local_date(p.last).isoformat()
            rows.append(row)
    return rows


def _working_days(tallied: scorecard.Tally, min_cell: int) -> list[dict[str, Any]]:
    shown = {k for k, c in tallied.counted.items() if c["received"] >= min_cell}
    rows = []
    for name, found in (("first_response", tallied.first), ("answer", tallied.answer)):
        total = scorecard.added(found)
        for key, counts in [
            ("all", total),
            *sorted((k, v) for k, v in found.items() if k in shown),
        ]:
            rows += [
                {"key": key, "measure": name, "working_days": days, "assignments": n}
                for days, n in sorted(counts.items())
            ]
    return rows


def _depth(session: Session, by: str, min_cell: int, lang: str) -> list[dict[str, Any]]:
    rows = []
    for r in depth.escalation_depth(session, by, lang):
        if r.solved < min_cell:
            continue
        row: dict[str, Any] = {"key": r.key, "name": r.name, "n_solved": r.solved}
        for name, share in zip(("none", "once", "twice_or_more"), r.climbed, strict=True):
            row |= {f"n_climbed_{name}": share.count, f"climbed_{name}_share": share.share}
            row |= {f"climbed_{name}_low": share.low, f"climbed_{name}_high": share.high}
        national = r.to_national
        row |= {"n_to_national": national.count, "to_national_share": national.share}
        row |= {"to_national_low": national.low, "to_national_high": national.high}
        row["too_few"] = r.too_few
        rows.append(row)
    return rows


_COUNTS = {
    "received": "assignments: periods during which one body held one appeal",
    "on_time": "answers given on or before the due date (as extended)",
    "due": "answers due: answers, assignments escalated for a missed deadline, open ones past it",
    "extended": "assignments whose term the body extended",
    "forwarded": "assignments the body passed on as not its competence",
    "misrouted": "of the forwards, those the receiving body passed on again",
    "escalated": "assignments that went up for missing the deadline",
    "answered": "answers given",
    "disputed": "answers the applicant said did not solve the problem",
    "solved": "answers the applicant said solved the problem",
    "judged": "answers the applicant judged (solved or disputed)",
    "resolved": "answers marking the problem resolved (the body's own outcome)",
    "came_back": "of those, answers after which an appeal about the same problem came within "
    "90 days (same place and topic, alike text)",
}
_SHARE_OF = {
    "on_time": ("on_time", "due"), "extended": ("extended", "received"),
    "forwarded": ("forwarded", "received"), "sent_wrongly": ("misrouted", "forwarded"),
    "escalated": ("escalated", "received"), "disputed": ("disputed", "answered"),
    "solved": ("solved", "judged"), "came_back": ("came_back", "resolved"),
}  # fmt: skip


def dictionary() -> list[dict[str, Any]]:
    """Every column of every table: its type and meaning."""
    rows: list[tuple[str, str, str, str]] = []
    for by in grouping.BY:
        card = f"scorecards_by_{by}"
        rows.append((card, "key", "text", f"the group: {_KEYS[by]}; 'all': Kazakhstan"))
        rows.append((card, "name", "text", "the group's name"))
        rows += [(card, f"n_{k}", "integer", v) for k, v in _COUNTS.items()]
        rows.append((card, "residents", "integer", "residents of the territory (reference data)"))
        rows.append((card, "per_100k", "number", "n_received × 100,000 / residents, 2 decimals"))
        for name, (k, n) in _SHARE_OF.items():
            rows.append((card, f"{name}_share", "number", f"n_{k} / n_{n}, 4 decimals"))
            for end in ("low", "high"):
                rows.append((card, f"{name}_{end}", "number", f"Wilson 95 % interval, {end} end"))
        for name in DAYS:
            rows.append(
                (card, f"{name}_n", "integer", f"assignments with a {name.replace('_', ' ')}")
            )
            for q in ("median", "p90"):
                what = "median" if q == "median" else "90th percentile"
                rows.append((card, f"{name}_{q}", "integer", f"{what} of working days"))
                for end in ("low", "high"):
                    rows.append(
                        (card, f"{name}_{q}_{end}", "integer", f"its 95 % interval, {end} end;"
                         " empty when the sample is too small")
                    )  # fmt: skip
        rows.append((card, "too_few", "boolean", "fewer answers due than the minimum to compare"))
        rows.append((card, "standing", "text", "above, level, below the country; unranked"))
        days = f"working_days_by_{by}"
        rows.append((days, "key", "text", f"as in {card}"))
        rows.append((days, "measure", "text", "first_response or answer"))
        rows.append((days, "working_days", "integer", "working days it took"))
        rows.append((days, "assignments", "integer", "assignments that took that many"))
        deep = f"escalation_depth_by_{by}"
        rows.append((deep, "key", "text", f"the group filed with: {_KEYS[by]}"))
        rows.append((deep, "name", "text", "the group's name"))
        rows.append((deep, "n_solved", "integer", "problems solved, in the applicant's words"))
        for name in ("climbed_none", "climbed_once", "climbed_twice_or_more", "to_national"):
            rows.append((deep, f"n_{name}", "integer", f"solved problems that {name}"))
            rows.append((deep, f"{name}_share", "number", f"n_{name} / n_solved"))
            for end in ("low", "high"):
                rows.append((deep, f"{name}_{end}", "number", f"Wilson 95 % interval, {end} end"))
        rows.append((deep, "too_few", "boolean", "fewer solved problems than the minimum"))
    rows += [("shared_problems", k, t, m) for k, (t, m) in PROBLEM_COLUMNS.items()]
    return [dict(zip(("table", "column", "type", "meaning"), r, strict=True)) for r in rows]


_KEYS = {
    "body": "body id",
    "region": "region KATO code ('none': not placed)",
    "category": "category id ('none': not categorised)",
    "month": "month, YYYY-MM, Kazakhstan time",
}


def columns(name: str) -> list[str]:
    """The columns of an open-data table, in order (from the data dictionary)."""
    if name == "data_dictionary":
        return ["table", "column", "type", "meaning"]
    return [r["column"] for r in dictionary() if r["table"] == name]


def as_csv(name: str, rows: list[dict[str, Any]]) -> str:
    """A table as CSV text (UTF-8, a header row; empty cells for unknown values)."""
    import csv
    import io

    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=columns(name), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return text.getvalue()
