"""What Arna reads in each listened post, with the text slice: language, tone (three
probabilities, so that shares can be corrected later), the genre the tone model hears, the
institutions named and the tone toward each, and the place — from the words of the post, else
from the hint its source gave (a KATO code or a place name)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from arna.core.collector import fewer_collections
from arna.geo.lookup import find as find_place
from arna.geo.reference import units
from arna.listening.sources import Post
from arna.text.analysis import analyze_many
from arna.text.artifacts import bundle_id

BATCH = 512


def _place_of_hint(hint: str | None) -> str | None:
    if not hint:
        return None
    if hint.isdigit() and hint in units():
        return hint
    match = find_place(hint)
    return match.unit.kato if match else None


def read(
    posts: Sequence[Post], advance: Callable[[int], None] | None = None
) -> Iterator[dict[str, Any]]:
    """The analysis columns of each post, in order, a batch at a time (an import stores what
    was read while it reads the next batch)."""
    table = units()
    for start in range(0, len(posts), BATCH):
        batch = posts[start : start + BATCH]
        rows = []
        for post, a in zip(batch, analyze_many([p.text for p in batch]), strict=True):
            kato = a.place.kato if a.place else _place_of_hint(post.region)
            unit = table.get(kato) if kato else None
            rows.append(
                {
                    "lang": a.lang,
                    "tone_negative": a.tone[0],
                    "tone_neutral": a.tone[1],
                    "tone_positive": a.tone[2],
                    "genre": a.genre,
                    "toxic": a.toxic,
                    "targets": list(a.targets),
                    "target_tones": [a.target_sentiment.get(t, "neutral") for t in a.targets],
                    "kato": kato,
                    "region_kato": unit.region_kato if unit else None,
                }
            )
        if advance:
            advance(len(batch))
        yield from rows


class OtherModels(Exception):
    """A cluster worker reads with other text models than this Arna's."""


def _read_chunk(posts: list[Post]) -> tuple[str, list[dict[str, Any]]]:
    """`read` on a worker, with the collector at an import's pace (core.collector), and the
    text models it read with."""
    with fewer_collections():
        return bundle_id(), list(read(posts))


CHUNK = 4096  # posts a cluster task reads at most…
MIN_CHUNK = 512  # …and at least: a task's overhead stays small beside its reading


def read_on_cluster(
    scheduler: str, posts: Sequence[Post], advance: Callable[[int], None] | None = None
) -> list[dict[str, Any]]:
    """`read`, run on the Dask cluster at `scheduler` in chunks (four a worker, of 512 to
    4,096 posts), results in the posts' order. The workers need Arna installed (the same
    version: they read with its models; a worker with other models raises OtherModels). A
    chunk whose worker dies is retried by the scheduler; nothing is stored until every chunk
    is back, so a failed run stores nothing."""
    from distributed import Client, as_completed

    with Client(scheduler, set_as_default=False) as client:  # type: ignore[no-untyped-call]
        # Four chunks a worker at least, so that no worker waits long for the last one.
        workers = max(len(client.scheduler_info().get("workers", {})), 1)
        size = max(MIN_CHUNK, min(CHUNK, -(-len(posts) // (4 * workers))))
        chunks = [list(posts[i : i + size]) for i in range(0, len(posts), size)]
        results: list[list[dict[str, Any]] | None] = [None] * len(chunks)
        futures = client.map(_read_chunk, chunks, pure=False, retries=2)
        order = {future.key: k for k, future in enumerate(futures)}
        # The client is not the process's default one, so the loop is given.
        done = as_completed(futures, loop=client.loop, with_results=True)  # type: ignore[no-untyped-call]
        for future, (model, result) in done:
            if model != bundle_id():  # its readings would be stored as this Arna's
                raise OtherModels(
                    f"a worker reads with text models {model}, this Arna with {bundle_id()}:"
                    " install this version of Arna on the workers"
                )
            k = order[future.key]
            results[k] = result
            if advance:
                advance(len(chunks[k]))
    return [row for chunk in results if chunk is not None for row in chunk]
