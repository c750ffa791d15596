"""Reads of listening: what is stored, counted."""

from __future__ import annotations

from typing import Any

from arna.listening.store import Store


def stats(store: Store) -> dict[str, Any]:
    """Posts stored, distinct texts, copies, authors and days, overall and per source."""
    rows = store.query(
        "SELECT source, count(*), count(DISTINCT fingerprint), count(copy_of),"
        " count(DISTINCT author), min(day), max(day) FROM posts GROUP BY source ORDER BY source"
    )
    total = store.query(
        "SELECT count(*), count(DISTINCT fingerprint), count(copy_of), count(DISTINCT author)"
        " FROM posts"
    )
    posts, texts, copies, authors = total[0] if total else (0, 0, 0, 0)
    return {
        "posts": posts,
        "distinct_texts": texts,
        "copies": copies,
        "authors": authors,
        "by_source": [
            {
                "source": source,
                "posts": n,
                "distinct_texts": distinct,
                "copies": copies_,
                "authors": authors_,
                "first_day": first.isoformat(),
                "last_day": last.isoformat(),
            }
            for source, n, distinct, copies_, authors_, first, last in rows
        ],
    }
