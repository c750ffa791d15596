"""Where listened posts live: Parquet files partitioned by day, read with DuckDB.

`<data_dir>/listening/posts/day=YYYY-MM-DD/part-<id>.parquet`: each import adds at most one file
a day and never rewrites one, so what was stored survives any later failure. A file is written
aside and renamed into place: a reader (or a crash) never sees half of one. Nothing here is
personal beyond the text itself: authors are keyed pseudonyms (`sources.pseudonym`).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from arna.core.clock import KZ_TZ
from arna.core.settings import Settings
from arna.listening.cellsums import cells_schema, summed
from arna.listening.sources import Post

POSTS = "posts"
TOPICS = "topics"
CELLS = "cells"
MODEL = b"arna_text_model"  # a posts file's metadata: the text models that read its posts
# Which tone each post counts as when counted raw (classify and count): the likeliest, the
# first on a tie, as numpy's argmax.
ARGMAX = (
    "tone_negative >= tone_neutral AND tone_negative >= tone_positive",
    "tone_neutral > tone_negative AND tone_neutral >= tone_positive",
    "tone_positive > tone_negative AND tone_positive > tone_neutral",
)
# Columns whose values repeat (sources, authors, places, kinds): dictionary-encoded. The rest
# (ids, texts, fingerprints, bands) are nearly all distinct, and trying a dictionary on them
# made files larger and slower to write (a third slower for a day of 100 posts).
DICTIONARY = (
    "source", "author", "region_hint", "copy_of", "reply_to", "lang", "genre", "targets",
    "target_tones", "kato", "region_kato",
)  # fmt: skip
# One fingerprint for copies of a text: case, spacing, links and punctuation ignored, so a
# repost with an added "!!" or a shortened link is still a copy.
_LINKS = re.compile(r"https?://\S+|www\.\S+")
_NOT_WORD = re.compile(r"[\W_]+")


@lru_cache(maxsize=1 << 16)  # an import asks for each text's several times
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
        self.topics = root / TOPICS
        self.cells = root / CELLS

    def _glob(self) -> str | None:
        if not any(self.posts.glob("day=*/*.parquet")):
            return None
        return str(self.posts / "day=*" / "*.parquet")

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Rows of `sql` over the views `posts` (every stored post) and `placed` (post key,
        topic id, closeness: `topics.place`); [] while nothing is stored."""
        import duckdb

        glob = self._glob()
        if glob is None:
            return []
        with duckdb.connect() as con:
            con.read_parquet(glob, hive_partitioning=False).create_view("posts")
            if any(self.cells.glob("day=*/*.parquet")):
                con.read_parquet(
                    str(self.cells / "day=*" / "*.parquet"), hive_partitioning=False
                ).create_view("cells")
            if any(self.topics.glob("placed-*.parquet")):
                con.read_parquet(str(self.topics / "placed-*.parquet")).create_view("placed")
            else:
                con.execute(
                    "CREATE VIEW placed AS SELECT * FROM (VALUES (NULL::VARCHAR, NULL::VARCHAR,"
                    " NULL::FLOAT)) t(post, topic, closeness) WHERE false"
                )
            return con.execute(sql, list(params)).fetchall()

    def _cells_file(self, part: Path) -> Path:
        return self.cells / part.parent.name / part.name

    def unsummed(self) -> list[Path]:
        """Posts files without their sums (an import interrupted between the two)."""
        return [
            part
            for part in sorted(self.posts.glob("day=*/*.parquet"))
            if not self._cells_file(part).exists()
        ]

    def complete_cells(self) -> None:
        """Sum every posts file that has no sums yet. Writes: imports call it, readers never
        do (the data directory may be read-only to the web server)."""
        for part in self.unsummed():
            self._write_cells(part)

    @contextmanager
    def topics_lock(self) -> Iterator[None]:
        """One topic update at a time (an import and a fetch may end together)."""
        import fcntl

        self.topics.mkdir(parents=True, exist_ok=True)
        with open(self.topics / ".lock", "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _write_cells(self, part: Path, rows: list[dict[str, Any]] | None = None) -> None:
        """The sums of one posts file (its `rows`, or read back) per day × region ×
        institution × language × genre, and per post as a whole (institution '*'), which the
        public aggregates add up instead of reading every post: texts, copies, and the sums of
        the tone posteriors, of their pairwise products and of the raw counts."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        if rows is None:
            rows = pq.read_table(part).to_pylist()
        final = self._cells_file(part)
        final.parent.mkdir(parents=True, exist_ok=True)
        # Its own draft: two imports may complete the same file at once (the last rename wins,
        # with the same sums).
        draft = final.parent / f".{final.name}.{secrets.token_hex(4)}.tmp"
        pq.write_table(pa.Table.from_pylist(summed(rows), schema=cells_schema()), draft)
        _durable_rename(draft, final)

    def version(self) -> str:
        """Changes whenever what is stored changes: files are only ever added (posts, topic
        placements) or replaced whole (topics.json, posts read again), so their names and
        times of writing say it."""
        names = sorted(
            f"{p.relative_to(self.root)} {p.stat().st_mtime_ns}"
            for p in self.posts.glob("day=*/*.parquet")
        )
        names += sorted(p.name for p in self.topics.glob("placed-*.parquet"))
        topics = self.topics / "topics.json"
        names.append(str(topics.stat().st_mtime_ns) if topics.exists() else "")
        return hashlib.blake2b("\n".join(names).encode(), digest_size=16).hexdigest()

    def read_topics(self) -> list[dict[str, Any]]:
        path = self.topics / "topics.json"
        if not path.exists():
            return []
        topics: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
        return topics

    def write_topics(self, topics: list[dict[str, Any]], placed: list[dict[str, Any]]) -> None:
        """The topics, then the posts newly placed in them (post, topic, closeness). Topics
        first: a crash between the two leaves posts unplaced, to be placed at the next update,
        never a post in a topic that does not exist."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        self.topics.mkdir(parents=True, exist_ok=True)
        draft = self.topics / f".topics.json.{secrets.token_hex(4)}.tmp"
        draft.write_text(json.dumps(topics, ensure_ascii=False, sort_keys=True), encoding="utf-8")
        _durable_rename(draft, self.topics / "topics.json")
        if placed:
            schema = pa.schema(
                [("post", pa.string()), ("topic", pa.string()), ("closeness", pa.float32())]
            )
            name = f"placed-{secrets.token_hex(8)}.parquet"
            part = self.topics / f".{name}.tmp"
            pq.write_table(pa.Table.from_pylist(placed, schema=schema), part)
            _durable_rename(part, self.topics / name)

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
        if self._glob() is None:
            return []  # nothing stored yet
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

    def day_writer(self, model: str) -> DayWriter:
        """A `DayWriter` for rows read by the text models `model` (a context: on leaving, the
        days it holds are written and every write is waited for)."""
        return DayWriter(self, model)

    def write_day(self, day: date, rows: list[dict[str, Any]], model: str) -> Path:
        """One new file for `day` holding `rows` (read by the text models `model`), renamed
        into place once complete."""
        folder = self.posts / f"day={day.isoformat()}"
        folder.mkdir(parents=True, exist_ok=True)
        part = folder / f"part-{secrets.token_hex(8)}.parquet"
        self.rewrite(part, rows, model)
        return part

    def rewrite(self, part: Path, rows: list[dict[str, Any]], model: str) -> None:
        """Write the posts file `part` whole, replacing it if it exists, then its sums. Its
        old sums go first: a crash in between leaves posts without sums (summed over the posts
        until the next import completes them), never sums of other posts."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        self._cells_file(part).unlink(missing_ok=True)
        draft = part.parent / f".{part.name}.{secrets.token_hex(4)}.tmp"
        table = pa.Table.from_pylist(rows, schema=_schema().with_metadata({MODEL: model}))
        pq.write_table(table, draft, compression="zstd", use_dictionary=list(DICTIONARY))
        _durable_rename(draft, part)
        self._write_cells(part, rows)

    def models(self) -> dict[Path, tuple[str, int]]:
        """Each posts file's text models (its `write_day` model; '' if none was recorded)
        and number of posts, from the files' footers."""
        import pyarrow.parquet as pq

        found = {}
        for part in sorted(self.posts.glob("day=*/*.parquet")):
            meta = pq.read_metadata(part)
            found[part] = ((meta.metadata or {}).get(MODEL, b"").decode(), meta.num_rows)
        return found


WRITERS = 2


class DayWriter:
    """Writes each day's rows (`Store.write_day`) in the background as soon as a row of a later
    day arrives, so that files are encoded, compressed and synced while the next posts are
    read: most of writing a file runs outside Python's lock. Rows come in the order of their
    days (an import's are sorted by time), so each day gets one file."""

    def __init__(self, store: Store, model: str) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self._store, self._model = store, model
        self._pool = ThreadPoolExecutor(max_workers=WRITERS, thread_name_prefix="arna-store")
        self._pending: dict[date, list[dict[str, Any]]] = {}
        self._writes: list[Any] = []
        self._latest: date | None = None

    def add(self, row: dict[str, Any]) -> None:
        day: date = row["day"]
        if self._latest is not None and day > self._latest:
            self._submit([d for d in self._pending if d < day])
        if self._latest is None or day > self._latest:
            self._latest = day
        self._pending.setdefault(day, []).append(row)

    def _submit(self, days: list[date]) -> None:
        for day in days:
            rows = self._pending.pop(day)
            self._writes.append(self._pool.submit(self._store.write_day, day, rows, self._model))
        for write in [w for w in self._writes if w.done()]:
            write.result()  # a failed write stops the import at once
            self._writes.remove(write)

    def __enter__(self) -> DayWriter:
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        try:
            if kind is None:
                self._submit(sorted(self._pending))
            for write in self._writes:
                write.result()  # waits; the first failure is raised
        finally:
            self._pool.shutdown(wait=True, cancel_futures=True)


def _durable_rename(draft: Path, final: Path) -> None:
    with open(draft, "rb") as file:
        os.fsync(file.fileno())
    os.replace(draft, final)


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
    post: Post,
    copy_of: str | None,
    bands: list[int],
    reading: dict[str, Any],
    text_print: str | None = None,  # its fingerprint, when known
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
        "fingerprint": text_print or fingerprint(post.text),
        "copy_of": copy_of,
        "bands": bands,
    }


def post_of(row: dict[str, Any]) -> Post:
    """The post a stored row was made from (`row_of` backwards)."""
    return Post(
        row["source"], row["post_id"], row["published_at"], row["text"], row["author"],
        row["url"], row["reply_to"], row["region_hint"], row["likes"],
    )  # fmt: skip


def store_of(settings: Settings) -> Store:
    """This installation's store: `<data_dir>/listening`."""
    return Store(settings.data_dir / "listening")
