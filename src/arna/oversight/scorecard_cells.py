"""The cells of the scorecards page, formatted once in Python: a page of three thousand bodies
has thirty thousand figures, and a template macro per figure cost it half a second."""

from __future__ import annotations

from markupsafe import Markup, escape

from arna.core import i18n
from arna.oversight.queries.depth import Share
from arna.oversight.queries.scorecard import SHARES, Days, Scorecard

DASH = Markup("—")


def share_ends(s: Share, due: int | None = None) -> tuple[str, str, str] | None:
    """The share and its interval's ends, formatted; None where nothing is shared (n = 0)."""
    if s.count == 0 and s.low == 0 and s.high == 1 and not due:
        return None
    share, low, high = (i18n.fmt_share(v) for v in (s.share, s.low, s.high))
    return share, low, high


def days_ends(d: Days) -> tuple[int, str, str] | None:
    """The median and its interval's ends ("?" where an end is unknown); None without any."""
    if d.median is None:
        return None
    low = "?" if d.median_low is None else str(d.median_low)
    high = "?" if d.median_high is None else str(d.median_high)
    return d.median, low, high


def share_cell(s: Share, due: int | None = None) -> Markup:
    """ "71 % (60 %–80 %)"; a dash where nothing is shared (n = 0)."""
    ends = share_ends(s, due)
    if ends is None:
        return DASH
    # Formatted numbers only (digits, signs, spaces): nothing to escape.
    return Markup('{} <span class="hint">({}–{})</span>'.format(*ends))


def days_cell(d: Days, p90_label: str) -> Markup:
    """ "8 (6–9); 90 %: 14": the median, its interval, the 90th percentile."""
    ends = days_ends(d)
    if ends is None:
        return DASH
    p90 = escape(p90_label % {"n": d.p90})
    return Markup('{} <span class="hint">({}–{}); {}</span>'.format(*ends, p90))


def row_cells(card: Scorecard) -> list[Markup]:
    """The number cells after the standing, in the page's order (the on-time share comes
    before the standing)."""
    p90 = i18n.gettext_("90 %%: %(n)s")
    shares = [share_cell(getattr(card, name)) for name in SHARES[1:]]
    return [*shares, days_cell(card.first_response, p90), days_cell(card.answer, p90)]
