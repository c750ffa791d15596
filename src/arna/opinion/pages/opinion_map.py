"""The opinion map drawn on the server as SVG (no script needed): each participant a mark coloured
and shaped by their group, each group a translucent cloud around its members (the convex hull of
their marks, drawn with a wide round stroke), its letter above it, and the visitor's own place.

Pure geometry over the points the queries give; the template writes the elements. Colour is never
the only carrier: each group has its own shape, its letter on the map, and the legend and the
text under the map give the same figures.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

WIDTH, HEIGHT, PAD = 360, 270, 30
SHAPES = ("circle", "square", "triangle", "diamond", "star")
MARK = 4.5  # half the size of a mark


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    shape: str
    tint: str  # the CSS class of its group's colour: g0 … g4, or none
    size: float  # half its width: larger for several participants at one place
    points: str = ""  # the polygon of a triangle, diamond or star
    count: int = 1


@dataclass(frozen=True)
class Cloud:
    kind: str  # "polygon", "line" or "circle"
    points: str  # the polygon's points, or the line's two ends ("x1,y1 x2,y2")
    x: float  # the circle's centre, else the first point
    y: float
    tint: str
    label: str
    label_x: float
    label_y: float


@dataclass(frozen=True)
class You:
    x: float
    y: float
    ring: float  # the radius of the circle around the mark
    label_x: float
    label_y: float
    anchor: str  # "start" or "end"


@dataclass(frozen=True)
class Picture:
    width: int
    height: int
    dots: list[Dot]
    clouds: list[Cloud]
    you: You | None


@dataclass(frozen=True)
class Placed:
    participant: int
    group: int | None
    x: float
    y: float


def hull(points: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    """The convex hull (Andrew's monotone chain), counter-clockwise, without repeats."""
    unique = sorted(set(points))
    if len(unique) <= 2:
        return unique

    def cross(o: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list[tuple[float, float]] = []
    for p in unique:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    upper: list[tuple[float, float]] = []
    for p in reversed(unique):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def _scale(points: Sequence[Placed]) -> tuple[float, float, float, float, float]:
    """(scale, x min, y max, x offset, y offset): one scale for both axes, so that distances
    on the map are the distances between opinions; y grows upwards."""
    xs, ys = [p.x for p in points], [p.y for p in points]
    dx, dy = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
    scale = min((WIDTH - 2 * PAD) / dx, (HEIGHT - 2 * PAD) / dy)
    off_x = (WIDTH - dx * scale) / 2 if max(xs) > min(xs) else WIDTH / 2
    off_y = (HEIGHT - dy * scale) / 2 if max(ys) > min(ys) else HEIGHT / 2
    return scale, min(xs), max(ys), off_x, off_y


def _round(value: float) -> float:
    return round(value, 1)


def _polygon(shape: str, x: float, y: float, m: float) -> str:
    if shape == "triangle":
        corners = [(x, y - m - 1), (x + m + 0.5, y + m), (x - m - 0.5, y + m)]
    elif shape == "diamond":
        corners = [(x, y - m - 1), (x + m + 1, y), (x, y + m + 1), (x - m - 1, y)]
    else:  # a star of four points
        s = m * 0.45
        corners = [
            (x, y - m - 1.5), (x + s, y - s), (x + m + 1.5, y), (x + s, y + s),
            (x, y + m + 1.5), (x - s, y + s), (x - m - 1.5, y), (x - s, y - s),
        ]  # fmt: skip
    return " ".join(f"{_round(a)},{_round(b)}" for a, b in corners)


def _dot(x: float, y: float, index: int | None, count: int) -> Dot:
    """A mark for `count` participants at one place (its area grows with them, up to 9 times
    a single one's)."""
    size = _round(MARK * min(count, 9) ** 0.5)
    if index is None:
        return Dot(x, y, "circle", "none", size, count=count)
    shape = SHAPES[index % len(SHAPES)]
    tint = f"g{index % len(SHAPES)}"
    polygon = _polygon(shape, x, y, size) if shape not in ("circle", "square") else ""
    return Dot(x, y, shape, tint, size, polygon, count)


def _cloud(members: list[tuple[float, float]], index: int, label: str) -> Cloud:
    corners = hull(members)
    tint = f"g{index % len(SHAPES)}"
    top = min(y for _, y in corners)
    centre = sum(x for x, _ in corners) / len(corners)
    label_y = top - 16 if top - 16 > 14 else max(y for _, y in corners) + 28
    label_x = min(max(centre, 12.0), WIDTH - 12.0)
    text = " ".join(f"{_round(x)},{_round(y)}" for x, y in corners)
    kind = "circle" if len(corners) == 1 else "line" if len(corners) == 2 else "polygon"
    x, y = corners[0]
    return Cloud(kind, text, x, y, tint, label, _round(label_x), _round(min(label_y, HEIGHT - 4)))


def picture(
    points: Sequence[Placed], labels: Mapping[int, str], you: int | None = None
) -> Picture | None:
    """The map of `points` (None when nobody is placed), groups in the order of `labels` (id ->
    A, B, C …), the participant `you` marked."""
    if not points:
        return None
    order = {gid: i for i, gid in enumerate(labels)}
    scale, x0, y1, off_x, off_y = _scale(points)
    stacks: dict[tuple[float, float, int | None], int] = {}
    members: dict[int, list[tuple[float, float]]] = {}
    mine: tuple[float, float, int | None] | None = None
    for p in points:
        x = _round(off_x + (p.x - x0) * scale)
        y = _round(off_y + (y1 - p.y) * scale)
        index = order.get(p.group) if p.group is not None else None
        stacks[x, y, index] = stacks.get((x, y, index), 0) + 1
        if p.group is not None and index is not None:
            members.setdefault(p.group, []).append((x, y))
        if p.participant == you:
            mine = (x, y, index)
    dots = [_dot(x, y, index, n) for (x, y, index), n in stacks.items()]
    clouds = [_cloud(members[gid], order[gid], labels[gid]) for gid in labels if members.get(gid)]
    marked = None
    if mine is not None:
        x, y, index = mine
        ring = _round(_dot(x, y, index, stacks[mine]).size + 5.5)
        left = x > WIDTH / 2
        label_x = x - ring - 3 if left else x + ring + 3
        label_y = y - ring if y - ring > 16 else y + ring + 12
        anchor = "end" if left else "start"
        marked = You(x, y, ring, _round(label_x), _round(label_y), anchor)
    return Picture(WIDTH, HEIGHT, dots, clouds, marked)
