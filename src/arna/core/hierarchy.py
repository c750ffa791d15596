"""Walking up a hierarchy (territorial units, bodies) from a node to its top."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def lineage(node: T, parent_of: Callable[[T], T | None]) -> list[T]:
    """The node and every node above it, top last. Stops on a cycle rather than looping."""
    out = [node]
    seen = {id(node)}
    parent = parent_of(node)
    while parent is not None and id(parent) not in seen:
        out.append(parent)
        seen.add(id(parent))
        parent = parent_of(parent)
    return out
