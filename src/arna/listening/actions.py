"""The only writes of listening: storing imported posts, once each.

A post is known by its source and its id there: importing the same input again stores nothing
new (`unchanged`). A new post whose text is a copy of another (a repost, a bot's copy; the same
words once links, case and punctuation are set aside) is stored with `copy_of` pointing at the
first, and counted as `duplicate`, so that counts of what people say can count it once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from arna.core.sealing import derived_key
from arna.core.settings import Settings
from arna.listening.reading import read
from arna.listening.similar import THRESHOLD, bands, jaccard, shingles
from arna.listening.sources import Post, RowError
from arna.listening.store import Store, fingerprint, key_of, row_of


@dataclass(frozen=True)
class Imported:
    inserted: int  # new posts, each the first of its text
    duplicate: int  # new posts whose text copies one stored or earlier in the input
    unchanged: int  # posts stored before (or twice in the input)
    errors: list[RowError] = field(default_factory=list)


def author_key(settings: Settings) -> bytes:
    return derived_key(settings, "arna/listening-author/v1")


def import_posts(
    store: Store,
    posts: list[Post],
    errors: list[RowError] | None = None,
    advance: Callable[[int], None] | None = None,
) -> Imported:
    """Store the posts not stored yet, each with what the text slice reads in it (`advance`
    hears how many were read); earliest first, so the original of a set of copies is the one
    published first."""
    ordered = sorted(posts, key=lambda p: (p.published_at, p.source, p.post_id))
    stored, first_of = store.known(
        (key_of(p.source, p.post_id) for p in ordered), (fingerprint(p.text) for p in ordered)
    )
    seen: set[str] = set()
    new: list[Post] = []
    for post in ordered:
        key = key_of(post.source, post.post_id)
        if key not in stored and key not in seen:
            seen.add(key)
            new.append(post)
    unchanged = len(ordered) - len(new)
    keys = bands([p.text for p in new])
    near = _Near(store.sharing_bands(b for post_bands in keys for b in post_bands))
    by_day: dict[date, list[dict[str, Any]]] = defaultdict(list)
    inserted = duplicate = 0
    for post, post_bands, reading in zip(new, keys, read(new, advance), strict=True):
        key = key_of(post.source, post.post_id)
        text_print = fingerprint(post.text)
        original = first_of.get(text_print) or near.original(post.text, post_bands)
        row = row_of(post, original, post_bands, reading)
        if original is not None:
            duplicate += 1
        else:
            inserted += 1
        first_of.setdefault(text_print, original or key)
        near.add(post.text, original or key, post_bands)
        by_day[row["day"]].append(row)
    for day in sorted(by_day):
        store.write_day(day, by_day[day])
    return Imported(inserted, duplicate, unchanged, list(errors or []))


class _Near:
    """Posts that may be near copies of a new one: those sharing a band with it, stored or
    earlier in the same import, numbered in the order they were published."""

    def __init__(self, stored: list[tuple[str, str, str, list[int]]]) -> None:
        self._by_band: dict[int, list[tuple[int, set[str], str]]] = defaultdict(list)
        self._count = 0
        for _, text, original, post_bands in stored:
            self.add(text, original, post_bands)

    def add(self, text: str, original: str, post_bands: list[int]) -> None:
        entry = (self._count, shingles(text), original)
        self._count += 1
        for band in post_bands:
            self._by_band[band].append(entry)

    def original(self, text: str, post_bands: list[int]) -> str | None:
        """The original of the earliest post this text nearly copies, if any."""
        mine = shingles(text)
        candidates = {e[0]: e for band in post_bands for e in self._by_band.get(band, ())}
        for number in sorted(candidates):
            _, theirs, original = candidates[number]
            if jaccard(mine, theirs) >= THRESHOLD:
                return original
        return None
