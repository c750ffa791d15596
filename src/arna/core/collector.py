"""The garbage collector's pace for work that allocates millions of small objects.

Python's cyclic collector starts a collection every 700 new container objects and then walks
everything young; reading texts and storing posts create so many (tokens, n-gram lists, rows)
that with the default pace a fifth of an import of posts went to collections that found
nothing (benchmarks/listening_pipeline.py). A first threshold of 100,000 makes them rare; the
memory they would free is freed by reference counting anyway.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

THRESHOLD = (100_000, 50, 100)


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Collections at THRESHOLD's pace while the block runs, then the pace as it was."""
    before = gc.get_threshold()
    gc.set_threshold(*THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*before)
