"""The only writes of listening: storing imported posts, once each.

A post is known by its source and its id there: importing the same input again stores nothing
new (`unchanged`). A new post whose text is a copy of another (a repost, a bot's copy; the same
words once links, case and punctuation are set aside) is stored with `copy_of` pointing at the
first, and counted as `duplicate`, so that counts of what people say can count it once.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from arna.core.collector import fewer_collections
from arna.core.sealing import derived_key
from arna.core.settings import Settings
from arna.listening import topics
from arna.listening.queries import stale
from arna.listening.quotes import best_sentence
from arna.listening.reading import read
from arna.listening.similar import THRESHOLD, Sketch, sketches
from arna.listening.sources import Post, RowError
from arna.listening.store import Store, fingerprint, key_of, normalised, post_of, row_of
from arna.listening.terms import terms
from arna.text.artifacts import bundle_id


@dataclass(frozen=True)
class Imported:
    inserted: int  # new posts, each the first of its text
    duplicate: int  # new posts whose text copies one stored or earlier in the input
    unchanged: int  # posts stored before (or twice in the input)
    errors: list[RowError] = field(default_factory=list)


def author_key(settings: Settings) -> bytes:
    return derived_key(settings, "arna/listening-author/v1")


Reader = Callable[[list[Post], Callable[[int], None] | None], Iterable[dict[str, Any]]]


def import_posts(
    store: Store,
    posts: list[Post],
    errors: list[RowError] | None = None,
    advance: Callable[[int], None] | None = None,
    reader: Reader = read,
) -> Imported:
    """Store the posts not stored yet, each with what the text slice reads in it (`advance`
    hears how many were read; `reader` reads them: here, or on a cluster with
    `reading.read_on_cluster`); earliest first, so the original of a set of copies is the one
    published first."""
    with fewer_collections():
        return _import(store, posts, errors or [], advance, reader)


def _import(
    store: Store,
    posts: list[Post],
    errors: list[RowError],
    advance: Callable[[int], None] | None,
    reader: Reader,
) -> Imported:
    ordered = sorted(posts, key=lambda p: (p.published_at, p.source, p.post_id))
    keys = [key_of(p.source, p.post_id) for p in ordered]
    prints = [fingerprint(p.text) for p in ordered]
    stored, first_of = store.known(keys, prints)
    seen: set[str] = set()
    new: list[tuple[Post, str, str]] = []  # post, key, fingerprint
    for post, key, text_print in zip(ordered, keys, prints, strict=True):
        if key not in stored and key not in seen:
            seen.add(key)
            new.append((post, key, text_print))
    unchanged = len(ordered) - len(new)
    sketched = sketches([p.text for p, _, _ in new])
    near = _Near(store.sharing_bands(b for s in sketched for b in s.bands))
    inserted = duplicate = 0
    # Readings arrive batch after batch (`reading.read`), and each day is written as soon as
    # the next one begins, while the following posts are read.
    readings = reader([p for p, _, _ in new], advance)
    with store.day_writer(bundle_id()) as writer:
        for (post, key, text_print), sketch, reading in zip(new, sketched, readings, strict=True):
            original = first_of.get(text_print) or near.original(sketch)
            if original is not None:
                duplicate += 1
            else:
                inserted += 1
            first_of.setdefault(text_print, original or key)
            near.add(sketch, original or key)
            writer.add(row_of(post, original, sketch.bands, reading, text_print))
    store.complete_cells()  # files an earlier, interrupted import left without their sums
    return Imported(inserted, duplicate, unchanged, list(errors))


@dataclass(frozen=True)
class Reread:
    files: int  # posts files read again
    posts: int


def reread(
    store: Store, advance: Callable[[int], None] | None = None, reader: Reader = read
) -> Reread:
    """Read again, with this Arna's text models, the posts that other models read, file by
    file: the corrected shares correct each reading by its own model's errors, so a store read
    by two models would mix two kinds of error. Each file is replaced whole (`Store.rewrite`):
    copies, authors, topics and everything else about a post stay as they were."""
    import pyarrow.parquet as pq

    model = bundle_id()
    files = posts = 0
    for part in stale(store):
        rows = pq.read_table(part).to_pylist()
        readings = reader([post_of(r) for r in rows], advance)
        store.rewrite(part, [r | a for r, a in zip(rows, readings, strict=True)], model)
        files, posts = files + 1, posts + len(rows)
    return Reread(files, posts)


class _Near:
    """Posts that may be near copies of a new one: those sharing a band with it, stored or
    earlier in the same import, numbered in the order they were published."""

    def __init__(self, stored: list[tuple[str, str, str, list[int]]]) -> None:
        self._by_band: dict[int, list[tuple[int, Sketch, str]]] = defaultdict(list)
        self._count = 0
        for (_, _, original, _), sketch in zip(
            stored, sketches([text for _, text, _, _ in stored]), strict=True
        ):
            self.add(sketch, original)

    def add(self, sketch: Sketch, original: str) -> None:
        entry = (self._count, sketch, original)
        self._count += 1
        for band in sketch.bands:
            self._by_band[band].append(entry)

    def original(self, sketch: Sketch) -> str | None:
        """The original of the earliest post whose 5-grams the sketched text nearly copies."""
        found = {e[0]: e for band in sketch.bands for e in self._by_band.get(band, ())}
        if not found:
            return None
        mine = sketch.grams
        size = len(mine)
        for number in sorted(found):
            _, other, original = found[number]
            theirs = other.grams
            # |A ∩ B| / |A ∪ B| ≤ min(|A|, |B|) / max(|A|, |B|): sizes settle most candidates.
            if min(size, len(theirs)) < THRESHOLD * max(size, len(theirs)):
                continue
            shared = len(mine & theirs)
            if shared >= THRESHOLD * (size + len(theirs) - shared):
                return original
        return None


WORDS_KEPT = 300  # words per language a topic keeps for its labels
QUOTES_KEPT = 3


@dataclass(frozen=True)
class TopicsUpdated:
    placed: int  # posts placed in a topic by this update
    proposed: list[str]  # ids of the topics it proposed
    unplaced: int  # posts that joined no topic (tried again next time)


def update_topics(store: Store, min_authors: int, day: date) -> TopicsUpdated:
    """Place the posts not placed yet in the stored topics, propose new topics from the rest
    (listening.topics), and keep each topic's words (for its labels) and best quotes. One
    update at a time: two would place the same posts twice."""
    with store.topics_lock():
        return _update_topics(store, min_authors, day)


def _update_topics(store: Store, min_authors: int, day: date) -> TopicsUpdated:
    rows = store.query(
        "SELECT source || '/' || post_id AS key, author, text, lang, toxic FROM posts"
        " WHERE copy_of IS NULL AND key NOT IN (SELECT post FROM placed)"
        " ORDER BY published_at, source, post_id"
    )
    known = [topics.Topic.from_dict(t) for t in store.read_topics()]
    posts = {key: (text, lang, toxic) for key, _, text, lang, toxic in rows}
    found = {key: terms(text, lang) for key, (text, lang, _) in posts.items()}
    docs = [
        topics.Doc(key, author, tuple(dict.fromkeys(s for s, _ in found[key])))
        for key, author, *_ in rows
    ]
    result = topics.place(known, docs, day.isoformat(), min_authors)
    everything = {t.id: t for t in [*known, *result.proposed]}
    joined: dict[str, list[str]] = defaultdict(list)
    for key, topic_id in result.topic.items():
        joined[topic_id].append(key)
    for topic_id, keys in joined.items():
        topic = everything[topic_id]
        if topic in known:
            topic.centroid = topics.updated_centroid(topic, [_unit(found[k]) for k in keys])
        topic.posts += len(keys)
        for key in keys:
            text, lang, toxic = posts[key]
            counts = topic.words.setdefault(lang, {})
            for word in {w for _, w in found[key]}:
                counts[word] = counts.get(word, 0) + 1
            if not toxic:
                _offer_quote(topic, key, text, lang)
        for lang, counts in topic.words.items():
            top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:WORDS_KEPT]
            topic.words[lang] = dict(top)
    ordered = sorted(everything.values(), key=lambda t: topics.number_of(t.id))
    store.write_topics(
        [t.as_dict() for t in ordered],
        [
            {"post": key, "topic": topic_id, "closeness": result.closeness[key]}
            for key, topic_id in sorted(result.topic.items())
        ],
    )
    return TopicsUpdated(
        placed=len(result.topic),
        proposed=[t.id for t in result.proposed],
        unplaced=len(docs) - len(result.topic),
    )


def _unit(found: list[tuple[str, str]]) -> dict[str, float]:
    stems = set(s for s, _ in found)
    return {s: 1 / len(stems) ** 0.5 for s in stems} if stems else {}


def _offer_quote(topic: topics.Topic, key: str, text: str, lang: str) -> None:
    """Keep the post's best sentence among the topic's quotes if it is among the best few
    (one quote a post; quotes.best_sentence says which sentences qualify)."""
    if any(q["post"] == key for q in topic.quotes):
        return
    best = best_sentence(text, lang, topic.centroid)
    if best is None:
        return
    sentence, score = best
    if any(_gist(str(q["text"])) == _gist(sentence) for q in topic.quotes):
        return  # the same words in another post (numbers aside): one is enough
    topic.quotes.append({"post": key, "text": sentence, "lang": lang, "score": score})
    topic.quotes.sort(key=lambda q: (-float(q["score"]), str(q["post"])))  # type: ignore[arg-type]
    del topic.quotes[QUOTES_KEPT:]


def _gist(sentence: str) -> str:
    return re.sub(r"\d+", "", normalised(sentence))
