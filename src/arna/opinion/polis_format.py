"""The Pol.is open-data export (github.com/compdemocracy/openData), read and written.

A conversation is a folder of four CSV files: `comments.csv` (the statements with their
moderation: 1 accepted, 0 not yet moderated, -1 moderated out), `votes.csv` (every vote with its
time in milliseconds; agree 1, disagree -1, pass 0; a later vote replaces an earlier one),
`participants-votes.csv` (one row per participant with the group Pol.is gave them and their
last vote on each statement) and `summary.csv` (key, value lines: topic, description …).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

FILES = ("comments.csv", "votes.csv", "participants-votes.csv", "summary.csv")
MAX_FILE_BYTES = 200 * 1024 * 1024


class PolisFormatError(ValueError):
    """The folder is not a Pol.is export; the message says what to fix."""


@dataclass(frozen=True)
class PolisStatement:
    id: int
    author: int
    created: datetime
    text: str
    moderated: int


@dataclass(frozen=True)
class PolisVote:
    at: datetime
    statement: int
    participant: int
    value: int


@dataclass(frozen=True)
class PolisConversation:
    topic: str
    description: str
    statements: tuple[PolisStatement, ...]
    votes: tuple[PolisVote, ...]  # in the order they were cast
    groups: Mapping[int, int | None]  # participant -> group Pol.is computed (None: not placed)


def read_conversation(folder: Path) -> PolisConversation:
    missing = [name for name in FILES if not (folder / name).is_file()]
    if missing:
        raise PolisFormatError(f"{folder} is not a Pol.is export: {', '.join(missing)} missing")
    summary = {row[0]: row[1] for row in _rows(folder / "summary.csv") if len(row) >= 2}
    statements = tuple(
        PolisStatement(
            id=_int(row, "comment-id", "comments.csv"),
            author=_int(row, "author-id", "comments.csv"),
            created=_time(row, "comments.csv"),
            text=row.get("comment-body") or "",
            moderated=_choice(row, "moderated", "comments.csv", (-1, 0, 1)),
        )
        for row in _dicts(folder / "comments.csv", ("comment-id", "moderated", "comment-body"))
    )
    known = {s.id for s in statements}
    votes = []
    for row in _dicts(folder / "votes.csv", ("timestamp", "comment-id", "voter-id", "vote")):
        vote = PolisVote(
            at=_time(row, "votes.csv"),
            statement=_int(row, "comment-id", "votes.csv"),
            participant=_int(row, "voter-id", "votes.csv"),
            value=_choice(row, "vote", "votes.csv", (-1, 0, 1)),
        )
        if vote.statement not in known:
            raise PolisFormatError(
                f"votes.csv: a vote on statement {vote.statement}, which comments.csv lacks"
            )
        votes.append(vote)
    votes.sort(key=lambda v: (v.at, v.statement, v.participant))
    groups = {
        _int(row, "participant", "participants-votes.csv"): (
            int(row["group-id"]) if (row.get("group-id") or "").strip() else None
        )
        for row in _dicts(folder / "participants-votes.csv", ("participant", "group-id"))
    }
    return PolisConversation(
        topic=summary.get("topic", folder.name),
        description=summary.get("conversation-description", ""),
        statements=statements,
        votes=tuple(votes),
        groups=groups,
    )


def _text(path: Path) -> str:
    if path.stat().st_size > MAX_FILE_BYTES:
        raise PolisFormatError(f"{path.name} is larger than {MAX_FILE_BYTES // 2**20} MB")
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PolisFormatError(f"{path.name} is not UTF-8 text (byte {exc.start})") from exc


def _rows(path: Path) -> list[list[str]]:
    try:
        return [row for row in csv.reader(io.StringIO(_text(path))) if row]
    except csv.Error as exc:
        raise PolisFormatError(f"{path.name}: {exc}") from exc


def _dicts(path: Path, required: Sequence[str]) -> Iterable[dict[str, str]]:
    rows = _rows(path)
    if not rows:
        raise PolisFormatError(f"{path.name} is empty")
    head = [h.strip() for h in rows[0]]
    lacking = [name for name in required if name not in head]
    if lacking:
        raise PolisFormatError(f"{path.name} lacks the column(s) {', '.join(lacking)}")
    for line, row in enumerate(rows[1:], start=2):
        if len(row) < len(head):
            row = row + [""] * (len(head) - len(row))
        record = dict(zip(head, row, strict=False))
        record["__line__"] = str(line)
        yield record


def _int(row: Mapping[str, str], column: str, name: str) -> int:
    try:
        return int(float(row[column]))
    except (KeyError, ValueError):
        raise PolisFormatError(
            f"{name} line {row.get('__line__')}: {column} must be a number, not {row.get(column)!r}"
        ) from None


def _choice(row: Mapping[str, str], column: str, name: str, allowed: tuple[int, ...]) -> int:
    value = _int(row, column, name)
    if value not in allowed:
        raise PolisFormatError(
            f"{name} line {row.get('__line__')}: {column} must be one of {allowed}, not {value}"
        )
    return value


def _time(row: Mapping[str, str], name: str) -> datetime:
    stamp = _int(row, "timestamp", name)
    # the old exports count milliseconds, the newer ones seconds
    seconds = stamp / 1000 if stamp > 10**11 else stamp
    return datetime.fromtimestamp(seconds, UTC)


@dataclass(frozen=True)
class ExportRow:
    participant: int
    group: int | None
    votes: Mapping[int, int]  # statement -> last vote


def write_conversation(
    folder: Path,
    topic: str,
    description: str,
    statements: Sequence[PolisStatement],
    votes: Sequence[PolisVote],
    participants: Sequence[ExportRow],
) -> None:
    """Write the four files as Pol.is does (agree 1, times in milliseconds)."""
    folder.mkdir(parents=True, exist_ok=True)
    agrees = {s.id: 0 for s in statements}
    disagrees = {s.id: 0 for s in statements}
    for row in participants:
        for statement, value in row.votes.items():
            if value > 0:
                agrees[statement] += 1
            elif value < 0:
                disagrees[statement] += 1
    with (folder / "comments.csv").open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(
            [
                "timestamp",
                "datetime",
                "comment-id",
                "author-id",
                "agrees",
                "disagrees",
                "moderated",
                "comment-body",
            ]
        )
        for s in statements:
            writer.writerow(
                [
                    _ms(s.created),
                    s.created.isoformat(),
                    s.id,
                    s.author,
                    agrees[s.id],
                    disagrees[s.id],
                    s.moderated,
                    s.text,
                ]
            )
    with (folder / "votes.csv").open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["timestamp", "datetime", "comment-id", "voter-id", "vote"])
        for v in votes:
            writer.writerow([_ms(v.at), v.at.isoformat(), v.statement, v.participant, v.value])
    ids = [s.id for s in statements]
    authored: dict[int, int] = {}
    for s in statements:
        authored[s.author] = authored.get(s.author, 0) + 1
    with (folder / "participants-votes.csv").open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(
            ["participant", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree", *ids]
        )
        for row in participants:
            cast = row.votes
            writer.writerow(
                [
                    row.participant,
                    "" if row.group is None else row.group,
                    authored.get(row.participant, 0),
                    len(cast),
                    sum(1 for v in cast.values() if v > 0),
                    sum(1 for v in cast.values() if v < 0),
                    *(cast.get(i, "") for i in ids),
                ]
            )
    groups = {row.group for row in participants if row.group is not None}
    with (folder / "summary.csv").open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        summary: tuple[tuple[str, object], ...] = (
            ("topic", topic),
            ("voters", len(participants)),
            ("voters-in-conv", sum(1 for row in participants if row.group is not None)),
            ("commenters", len(authored)),
            ("comments", len(statements)),
            ("groups", len(groups)),
            ("conversation-description", description),
        )
        writer.writerows(summary)


def _ms(moment: datetime) -> int:
    return round(moment.timestamp() * 1000)
