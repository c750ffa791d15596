"""Where listened posts live: Parquet files partitioned by day, read with DuckDB.

`<data_dir>/listening/posts/day=YYYY-MM-DD/part-<id>.parquet`: each import adds at most one file
a day and never rewrites one, so what was stored survives any later failure. A file is written
aside and renamed into place: a reader (or a crash) never sees half of one. Nothing here is
personal beyond the text itself: authors are keyed pseudonyms (`sources.pseudonym`).
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from arna.core.clock import KZ_TZ
from arna.core.settings import Settings
from arna.listening.sources import Post

POSTS = "posts"
# One fingerprint for copies of a text: case, spacing, links and punctuation ignored, so a
# repost with an added "!!" or a shortened link is still a copy.
_LINKS = re.compile(r"https?://\S+|www\.\S+")
_NOT_WORD = re.compile(r"[\W_]+")


def normalised(text: str) -> str:
    """The words of a text, lower-case, without links and punctuation, single-spaced."""
    return " ".join(_NOT_WORD.sub(" ", _LINKS.sub(" ", text.casefold())).split())


def fingerprint(text: str) -> str:
    return hashlib.blake2b(normalised(text).encode("utf-8"), digest_size=12).hexdigest()


def key_of(source: str, post_id: str) -> str:
    return f"{source}/{post_id}"


class Store:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.posts = root / POSTS

    def _glob(self) -> str | None:
        if not any(self.posts.glob("day=*/*.parquet")):
            return None
        return str(self.posts / "day=*" / "*.parquet")

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Rows of `sql` over the view `posts` (every stored post); [] while nothing is stored."""
        import duckdb

        glob = self._glob()
        if glob is None:
            return []
        with duckdb.connect() as con:
            con.read_parquet(glob, hive_partitioning=False).create_view("posts")
            return con.execute(sql, list(params)).fetchall()

    def known(
        self, keys: Iterable[str], fingerprints: Iterable[str]
    ) -> tuple[set[str], dict[str, str]]:
        """Which of `keys` are stored, and for each of `fingerprints` the original of its first
        stored post (the post itself, or the one it copies)."""
        keys, prints = sorted(set(keys)), sorted(set(fingerprints))
        if not keys and not prints:
            return set(), {}
        stored = self.query(
            "SELECT source || '/' || post_id FROM posts "
            "WHERE source || '/' || post_id IN (SELECT unnest(?))",
            [keys],
        )
        first = self.query(
            "SELECT fingerprint, arg_min(coalesce(copy_of, source || '/' || post_id),"
            " (published_at, source, post_id))"
            " FROM posts WHERE fingerprint IN (SELECT unnest(?)) GROUP BY fingerprint",
            [prints],
        )
        return {k for (k,) in stored}, {f: k for f, k in first}

    def sharing_bands(self, bands: Iterable[int]) -> list[tuple[str, str, str, list[int]]]:
        """(key, text, original, bands) of every stored post that shares one of `bands`,
        earliest first; `original` is the post it copies, or its own key."""
        wanted = sorted(set(bands))
        if not wanted:
            return []
        rows = self.query(
            "SELECT source || '/' || post_id, text, coalesce(copy_of, source || '/' || post_id),"
            " bands FROM posts WHERE list_has_any(bands, ?::BIGINT[])"
            " ORDER BY published_at, source, post_id",
            [wanted],
        )
        return [(key, text, original, list(b)) for key, text, original, b in rows]

    def write_day(self, day: date, rows: list[dict[str, Any]]) -> Path:
        """One new file for `day` holding `rows`, renamed into place once complete."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        folder = self.posts / f"day={day.isoformat()}"
        folder.mkdir(parents=True, exist_ok=True)
        name = f"part-{secrets.token_hex(8)}.parquet"
        draft = folder / f".{name}.tmp"
        table = pa.Table.from_pylist(rows, schema=_schema())
        pq.write_table(table, draft, compression="zstd")
        with open(draft, "rb") as file:
            os.fsync(file.fileno())
        os.replace(draft, folder / name)
        return folder / name


def _schema() -> Any:
    import pyarrow as pa

    text = pa.string()
    return pa.schema(
        [
            ("source", text),
            ("post_id", text),
            ("published_at", pa.timestamp("us", tz="UTC")),
            ("day", pa.date32()),
            ("author", text),
            ("text", text),
            ("url", text),
            ("reply_to", text),
            ("region_hint", text),
            ("likes", pa.int64()),
            ("fingerprint", text),
            ("copy_of", text),  # "source/post_id" of the post it copies (same or near text)
            ("bands", pa.list_(pa.int64())),  # its near-copy keys (listening/similar.py)
            # what the text slice read (listening/reading.py)
            ("lang", text),
            ("tone_negative", pa.float32()),
            ("tone_neutral", pa.float32()),
            ("tone_positive", pa.float32()),
            ("genre", text),
            ("toxic", pa.bool_()),
            ("targets", pa.list_(text)),
            ("target_tones", pa.list_(text)),
            ("kato", text),
            ("region_kato", text),
        ]
    )


def row_of(
    post: Post, copy_of: str | None, bands: list[int], reading: dict[str, Any]
) -> dict[str, Any]:
    return reading | {
        "source": post.source,
        "post_id": post.post_id,
        "published_at": post.published_at,
        "day": post.published_at.astimezone(KZ_TZ).date(),  # the day as lived in Kazakhstan
        "author": post.author,
        "text": post.text,
        "url": post.url,
        "reply_to": post.reply_to,
        "region_hint": post.region,
        "likes": post.likes,
        "fingerprint": fingerprint(post.text),
        "copy_of": copy_of,
        "bands": bands,
    }


def store_of(settings: Settings) -> Store:
    """This installation's store: `<data_dir>/listening`."""
    return Store(settings.data_dir / "listening")
