"""Charts of the surveys' pages drawn here, on the server, as SVG geometry (no JavaScript): each
answer's share as a bar with its 95 % interval as a whisker, and the share trusting an
institution month by month as points with their intervals joined by a line.

Pure: figures in, coordinates and texts out; `templates/_surveys.html` writes the SVG. Every
figure is in the page's table too (the SVG says what it shows in its title and description).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 360  # of the view box; the SVG scales to its box (at most 40rem)
LEFT, RIGHT = 8, 52  # the right margin keeps room for the value written after a bar
LINE = 15  # a label's line height
BAR = 14
GAP = 10
CHARS = 46  # characters of a label's line (12 px Noto Sans in 300 px, Cyrillic included)
TICKS = (0.0, 0.25, 0.5, 0.75, 1.0)


@dataclass(frozen=True)
class Share:
    """One answer: its label, share and margin of error (None: suppressed), and the texts."""

    label: str
    share: float | None
    moe: float | None
    text: str


@dataclass(frozen=True)
class Row:
    lines: tuple[tuple[float, str], ...]  # (y, text) of the label's lines
    y: float  # the bar's top
    width: float  # the bar's length
    low: float  # the interval's ends (x)
    high: float
    text: str
    text_x: float


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class Bars:
    width: int
    height: float
    left: float
    right: float  # the x of 100 %
    top: float  # the grid's top and bottom
    bottom: float
    rows: tuple[Row, ...]
    ticks: tuple[Tick, ...]


def wrap(text: str, chars: int = CHARS, lines: int = 3) -> list[str]:
    """Words into lines of at most `chars` characters (a longer word is cut); the last line
    kept ends in "…" when the text goes on."""
    found: list[str] = []
    current = ""
    for word in text.split():
        word = word if len(word) <= chars else word[: chars - 1] + "…"
        if current and len(current) + 1 + len(word) > chars:
            found.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    if current:
        found.append(current)
    if len(found) > lines:
        found = found[:lines]
        found[-1] = found[-1][: chars - 1].rstrip() + "…"
    return found or [""]


def bars(shares: Sequence[Share], tick_label: dict[float, str]) -> Bars:
    """Horizontal bars on a 0–100 % axis, a label above each, the interval as a whisker."""
    span = WIDTH - LEFT - RIGHT
    y = 6.0
    rows = []
    for s in shares:
        lines = wrap(s.label)
        label_lines = []
        for line in lines:
            y += LINE
            label_lines.append((y - 3, line))
        top = y + 2
        share = max(0.0, min(1.0, s.share or 0.0))
        moe = s.moe or 0.0
        low, high = max(0.0, share - moe), min(1.0, share + moe)
        text_x = LEFT + span * max(share, high) + 5
        rows.append(
            Row(tuple(label_lines), top, span * share, LEFT + span * low, LEFT + span * high,
                s.text, text_x)
        )  # fmt: skip
        y = top + BAR + GAP
    bottom = y - GAP + 4
    ticks = tuple(Tick(LEFT + span * t, tick_label.get(t, "")) for t in TICKS)
    return Bars(WIDTH, bottom + 18, LEFT, LEFT + span, 4, bottom, tuple(rows), ticks)


@dataclass(frozen=True)
class Point:
    """One month: its label, the share and margin (None: suppressed or no answer)."""

    label: str
    share: float | None
    moe: float | None


@dataclass(frozen=True)
class Mark:
    x: float
    y: float | None  # None: no figure this month
    upper: float  # the interval's ends (y: the upper end is the smaller)
    lower: float
    label: str


@dataclass(frozen=True)
class Trend:
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    marks: tuple[Mark, ...]
    line: str  # the polyline's points through the months with a figure
    grid: tuple[tuple[float, str], ...]  # (y, label) of 0, 50, 100 %


TREND_WIDTH, TREND_HEIGHT = 300, 150


def trend(points: Sequence[Point], tick_label: dict[float, str]) -> Trend:
    """Months left to right on a 0–100 % scale, each a point with its interval."""
    left, right, top, bottom = 44.0, TREND_WIDTH - 12.0, 10.0, TREND_HEIGHT - 26.0
    step = (right - left) / max(len(points), 1)

    def at(share: float) -> float:
        return round(bottom - (bottom - top) * max(0.0, min(1.0, share)), 1)

    marks = []
    for i, p in enumerate(points):
        x = round(left + step * (i + 0.5), 1)
        if p.share is None:
            marks.append(Mark(x, None, 0, 0, p.label))
            continue
        moe = p.moe or 0.0
        marks.append(Mark(x, at(p.share), at(p.share + moe), at(p.share - moe), p.label))
    line = " ".join(f"{m.x},{m.y}" for m in marks if m.y is not None)
    grid = tuple((at(t), tick_label.get(t, "")) for t in (0.0, 0.5, 1.0))
    return Trend(TREND_WIDTH, TREND_HEIGHT, left, right, top, bottom, tuple(marks), line, grid)
