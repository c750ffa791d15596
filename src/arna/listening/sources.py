"""Public comments as they arrive, in one shape: reading JSONL, CSV, Telegram Desktop channel
exports and RSS/Atom feeds into `Post`s.

Pure: bytes in, posts and row errors out; nothing is stored here. A row that cannot be read
whole is reported with its line (or message/entry number) and left out entirely: no post is
ever built from half a row. Authors never leave this module as written: each is replaced by a
keyed pseudonym (HMAC-SHA-256 with the installation's key), so the same person keeps one
pseudonym across imports (unique authors can be counted) and the handle cannot be recovered
without the key.

The JSONL schema (one object a line; docs/listening.md):
`id` (string or integer, required: the post's id within its source), `source` (string: where it
was published; the import's `--source` when absent), `url`, `published_at` (ISO 8601 with a UTC
offset or `Z`, required), `author`, `text` (required, with words), `reply_to` (the id of the post
it answers), `region` (a hint: a KATO code or a place name), `likes` (integer ≥ 0).
"""

from __future__ import annotations

import calendar
import csv
import hashlib
import hmac
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any

from arna.core.clock import KZ_TZ
from arna.text.normalise import has_words

MAX_TEXT = 20_000  # characters: longer "comments" are articles, not comments
MAX_FIELD = 2_000  # characters for any other field
FIELDS = ("id", "source", "url", "published_at", "author", "text", "reply_to", "region", "likes")
# Telegram Desktop writes local times without an offset; newer exports add `date_unixtime`.
TELEGRAM_ZONE = KZ_TZ


@dataclass(frozen=True)
class Post:
    source: str
    post_id: str
    published_at: datetime  # aware, UTC
    text: str
    author: str | None = None  # pseudonym, never the handle
    url: str | None = None
    reply_to: str | None = None
    region: str | None = None
    likes: int | None = None


@dataclass(frozen=True)
class RowError:
    line: int  # line of the file (JSONL, CSV), or number of the message / feed entry
    message: str


@dataclass
class Parsed:
    posts: list[Post] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


class SourceError(ValueError):
    """The input as a whole cannot be read (not a row of it)."""


def pseudonym(author: str, key: bytes) -> str:
    """A stable, keyed stand-in for an author's handle (case and surrounding spaces ignored)."""
    digest = hmac.new(key, author.strip().casefold().encode("utf-8"), hashlib.sha256)
    return "a_" + digest.hexdigest()[:20]


def _decoded(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceError(f"line {line}: not UTF-8; save the file as UTF-8 and retry") from exc


def _text_field(value: object, name: str, limit: int = MAX_FIELD) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValueError(f"'{name}' must be a string")
    text = str(value).strip()
    if len(text) > limit:
        raise ValueError(f"'{name}' is longer than {limit:,} characters")
    return text or None


def _when(value: object) -> datetime:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("'published_at' is required (ISO 8601, e.g. 2026-03-01T10:00:00+05:00)")
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(
            f"'published_at' {value[:40]!r} is not ISO 8601 (e.g. 2026-03-01T10:00:00+05:00)"
        ) from None
    if moment.tzinfo is None:
        raise ValueError(
            "'published_at' needs a UTC offset or Z (e.g. 2026-03-01T10:00:00+05:00): "
            "without one the day it belongs to is unknown"
        )
    return moment.astimezone(UTC)


def _likes(value: object) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        likes = value
    elif isinstance(value, str) and value.strip().isdigit():
        likes = int(value.strip())
    else:
        raise ValueError(f"'likes' must be a whole number ≥ 0, not {str(value)[:20]!r}")
    if likes < 0:
        raise ValueError(f"'likes' must be a whole number ≥ 0, not {likes}")
    return likes


def post_from(record: Mapping[str, Any], default_source: str | None, key: bytes) -> Post:
    """One post from a record of the JSONL schema; ValueError says what to fix."""
    post_id = _text_field(record.get("id"), "id")
    if post_id is None:
        raise ValueError("'id' is required")
    source = _text_field(record.get("source"), "source") or default_source
    if source is None:
        raise ValueError("'source' is required (or give the import a --source)")
    text = _text_field(record.get("text"), "text", MAX_TEXT)
    if text is None or not has_words(text):
        raise ValueError("'text' is required and must hold words")
    author = _text_field(record.get("author"), "author")
    return Post(
        source=source,
        post_id=post_id,
        published_at=_when(record.get("published_at")),
        text=text,
        author=pseudonym(author, key) if author else None,
        url=_text_field(record.get("url"), "url"),
        reply_to=_text_field(record.get("reply_to"), "reply_to"),
        region=_text_field(record.get("region"), "region"),
        likes=_likes(record.get("likes")),
    )


def _collect(
    rows: Iterable[tuple[int, Mapping[str, Any] | str]], source: str | None, key: bytes
) -> Parsed:
    """Posts from (line, record) pairs; a string in place of a record is that row's error."""
    out = Parsed()
    for line, record in rows:
        if isinstance(record, str):
            out.errors.append(RowError(line, record))
            continue
        try:
            out.posts.append(post_from(record, source, key))
        except ValueError as exc:
            out.errors.append(RowError(line, str(exc)))
    return out


def read_jsonl(data: bytes, key: bytes, source: str | None = None) -> Parsed:
    def rows() -> Iterable[tuple[int, Mapping[str, Any] | str]]:
        for n, line in enumerate(_decoded(data).splitlines(), start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                yield n, f"not valid JSON ({exc.msg} at column {exc.colno})"
                continue
            yield n, obj if isinstance(obj, dict) else "expected a JSON object"

    return _collect(rows(), source, key)


def parse_mapping(spec: str | None) -> dict[str, str]:
    """`text=body,published_at=date` → {"text": "body", …}: which column holds each field."""
    mapping: dict[str, str] = {}
    for part in (spec or "").split(","):
        if not part.strip():
            continue
        name, sep, column = part.partition("=")
        name, column = name.strip(), column.strip()
        if not sep or not column:
            raise SourceError(f"--map wants field=column pairs, not {part.strip()!r}")
        if name not in FIELDS:
            raise SourceError(f"--map: unknown field {name!r} (fields: {', '.join(FIELDS)})")
        mapping[name] = column
    return mapping


def read_csv(
    data: bytes, key: bytes, source: str | None = None, mapping: Mapping[str, str] | None = None
) -> Parsed:
    """A CSV file with a header; `mapping` names the column of each field (default: its own
    name). Lines are counted as in the file, so a quoted multi-line text keeps the numbering."""
    reader = csv.DictReader(io.StringIO(_decoded(data), newline=""))
    header = reader.fieldnames or []
    columns = _columns(header, mapping, "line 1: the header")

    def rows() -> Iterable[tuple[int, Mapping[str, Any] | str]]:
        start = reader.line_num + 1
        for row in reader:
            if None in row or any(v is None for v in row.values()):
                yield start, "the row does not have as many cells as the header"
            else:
                yield start, {f: row.get(c) for f, c in columns.items() if c in header}
            start = reader.line_num + 1

    return _collect(rows(), source, key)


def _columns(
    header: Sequence[str], mapping: Mapping[str, str] | None, where: str
) -> dict[str, str]:
    """The column of each field (`mapping`, else the field's own name); the required ones must
    be in `header`."""
    columns = {f: (mapping or {}).get(f, f) for f in FIELDS}
    missing = [columns[f] for f in ("id", "text", "published_at") if columns[f] not in header]
    if missing:
        raise SourceError(
            f"{where} lacks {', '.join(map(repr, missing))}; "
            "say which columns hold them with --map field=column,…"
        )
    return columns


def read_parquet(
    data: bytes, key: bytes, source: str | None = None, mapping: Mapping[str, str] | None = None
) -> Parsed:
    """A Parquet file, columns named as for CSV (`mapping`); rows are numbered from 1 where a
    text file has lines. A timestamp column with a time zone stands for ISO 8601 text."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(io.BytesIO(data))
    except (pa.ArrowException, OSError) as exc:
        raise SourceError(f"not a Parquet file ({str(exc)[:80]})") from None
    columns = _columns(table.column_names, mapping, "the file's columns")
    present = {f: c for f, c in columns.items() if c in table.column_names}

    def rows() -> Iterable[tuple[int, Mapping[str, Any] | str]]:
        for number, row in enumerate(table.select(list(set(present.values()))).to_pylist(), 1):
            yield number, {f: _as_text_time(row[c]) for f, c in present.items()}

    return _collect(rows(), source, key)


def _as_text_time(value: object) -> object:
    """A timestamp as ISO 8601 (a naive one without an offset, which `_when` refuses)."""
    return value.isoformat() if isinstance(value, datetime) else value


def _telegram_text(value: object) -> str:
    """Telegram's `text`: a string, or a list of strings and {"type", "text"} pieces."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "".join(
            p if isinstance(p, str) else str(p.get("text", "")) if isinstance(p, dict) else ""
            for p in value
        )
    return ""


def _telegram_when(message: Mapping[str, Any]) -> str:
    unix = message.get("date_unixtime")
    if unix is not None and str(unix).isdigit():
        return datetime.fromtimestamp(int(str(unix)), UTC).isoformat()
    local = datetime.fromisoformat(str(message.get("date", "")))
    return local.replace(tzinfo=local.tzinfo or TELEGRAM_ZONE).isoformat()


def read_telegram(data: bytes, key: bytes, source: str | None = None) -> Parsed:
    """A Telegram Desktop channel export (`result.json`). Service messages (pins, joins) and
    messages without words (photos, stickers) are not comments and are skipped silently."""
    try:
        export = json.loads(_decoded(data))
    except json.JSONDecodeError as exc:
        raise SourceError(f"line {exc.lineno}: not valid JSON ({exc.msg})") from exc
    if not isinstance(export, dict) or not isinstance(export.get("messages"), list):
        raise SourceError("not a Telegram export: no 'messages' list (export as JSON)")
    channel = source or f"telegram:{export.get('name') or export.get('id') or 'channel'}"

    def rows() -> Iterable[tuple[int, Mapping[str, Any] | str]]:
        for n, message in enumerate(export["messages"], start=1):
            if not isinstance(message, dict) or message.get("type") != "message":
                continue
            text = _telegram_text(message.get("text"))
            if not has_words(text):
                continue
            try:
                when = _telegram_when(message)
            except ValueError:
                yield n, f"message {message.get('id')}: its date is not ISO 8601"
                continue
            reactions = message.get("reactions")
            likes = None
            if isinstance(reactions, list):
                likes = sum(int(r.get("count", 0)) for r in reactions if isinstance(r, dict))
            yield (
                n,
                {
                    "id": message.get("id"),
                    "published_at": when,
                    "author": message.get("from_id") or message.get("from"),
                    "text": text,
                    "reply_to": message.get("reply_to_message_id"),
                    "likes": likes,
                },
            )

    return _collect(rows(), channel, key)


def read_feed(data: bytes, key: bytes, source: str | None = None) -> Parsed:
    """An RSS or Atom feed: each entry's summary (or title) is the text."""
    import feedparser  # only for feeds

    feed = feedparser.parse(data)
    if feed.bozo and not feed.entries:
        raise SourceError(f"not an RSS or Atom feed ({feed.get('bozo_exception', 'unreadable')})")
    name = source or f"feed:{feed.feed.get('title') or feed.feed.get('link') or 'feed'}"

    def rows() -> Iterable[tuple[int, Mapping[str, Any] | str]]:
        for n, entry in enumerate(feed.entries, start=1):
            stamp = entry.get("published_parsed") or entry.get("updated_parsed")
            if stamp is None:
                yield n, "entry has no date (published or updated)"
                continue
            yield (
                n,
                {
                    "id": entry.get("id") or entry.get("link"),
                    "url": entry.get("link"),
                    "published_at": datetime.fromtimestamp(calendar.timegm(stamp), UTC).isoformat(),
                    "author": entry.get("author"),
                    "text": _plain(entry.get("summary") or entry.get("title") or ""),
                },
            )

    return _collect(rows(), name, key)


class _TextOnly(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _plain(html: str) -> str:
    """Feed summaries are HTML: their text, with tags and entities gone."""
    parser = _TextOnly()
    parser.feed(html)
    parser.close()
    return " ".join(" ".join(parser.parts).split())
