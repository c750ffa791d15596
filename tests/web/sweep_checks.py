"""The page sweep's instruments (tests/web/test_page_sweep.py): a demo site on a loopback port,
what a page's width and text are measured with, and the English messages looked for.

The checks run in the page as JavaScript because only the browser knows the laid-out widths
and what a screen reader reads out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from fastapi import FastAPI
from playwright.sync_api import BrowserContext, Page

from arna.app import create_app
from arna.core.db import Database
from arna.core.settings import Settings
from tests.web.browser import serving

SRC = Path(__file__).resolve().parents[2] / "src" / "arna"
METHODS = [("**/templates/**.html", "jinja2"), ("**.py", "python")]
OPTIONS = {"**/templates/**.html": {"extensions": "jinja2.ext.i18n"}}
KEYWORDS = {**DEFAULT_KEYWORDS, "gettext_": None, "ngettext_": (1, 2), "N_": None}
PAINTED_JS = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
PLACEHOLDER = re.compile(r"\{[A-Za-z_0-9]*\}|%\([A-Za-z_]+\)[sdf]|%[sd]")
WORD = re.compile(r"[A-Za-z]{2,}")


@contextmanager
def serve_demo(folder: Path, **settings: Any) -> Iterator[tuple[str, Database, FastAPI]]:
    """The demo season (`arna db seed-demo`) in a SQLite file of `folder`, served on a free
    loopback port in a thread; yields the base URL, the database and the application.
    `settings` are further options of the served application."""
    from arna.maintenance.upgrade import seed_demo

    db = Database(f"sqlite:///{folder / 'arna.db'}")
    config = Settings(data_dir=folder, database_url=db.url, **settings)
    seed_demo(db, settings=config)
    app = create_app(config, db=db)
    try:
        with serving(app) as base:
            yield base, db, app
    finally:
        db.dispose()


class Watch:
    """What one browser page does during a visit: console errors, uncaught exceptions,
    requests in flight and requests to other hosts (refused before they leave)."""

    def __init__(
        self, context: BrowserContext, page: Page, host: str, reached: list[tuple[str, int]]
    ) -> None:
        self.problems: list[str] = []
        self.host = host
        self.documents: set[str] = set()  # the URLs the page navigated to
        self.pending: dict[int, str] = {}  # requests in flight: their URLs
        self.stalled: set[str] = set()  # requests still open when a page was measured
        page.on("console", self._console)
        page.on("pageerror", lambda e: self.problems.append(f"uncaught error: {e}"))
        page.on("request", self._started)
        page.on("requestfinished", self._ended)
        page.on("requestfailed", self._ended)
        page.on("response", lambda r: reached.append((urlsplit(r.url).path, r.status)))

        def gate(route: Any) -> None:
            url = urlsplit(route.request.url)
            if url.scheme in ("http", "https", "ws", "wss") and url.netloc != host:
                self.problems.append(f"request to another host: {route.request.url}")
                route.abort()
            else:
                route.continue_()

        context.route("**/*", gate)

    def _console(self, message: Any) -> None:
        if message.type != "error":
            return
        # Chromium reports a page answered 404 (or 422) as a failed load: the visit checks the
        # status itself; a failed image, script or font is an error.
        if message.text.startswith("Failed to load resource") and (
            message.location.get("url") in self.documents
        ):
            return
        source = urlsplit(message.location.get("url") or "")
        where = f"{source.netloc}{source.path}" if source.netloc != self.host else source.path
        self.problems.append(f"console error: {message.text[:160]} ({where})")

    def _started(self, request: Any) -> None:
        # The browser's own fetches ("other": the favicon, after the load) may stay open past
        # the visit under interception; the page does not wait for them, nor does the sweep.
        if request.resource_type != "other":
            self.pending[id(request)] = request.url
        if request.is_navigation_request():
            self.documents.add(request.url)

    def _ended(self, request: Any) -> None:
        self.pending.pop(id(request), None)

    def settle(self, page: Page) -> None:
        """Wait (up to 3 s) until the page's own fetches (maps, charts) are done, then until it
        has painted."""
        for _ in range(120):
            if not self.pending:
                break
            page.wait_for_timeout(25)
        self.stalled |= set(self.pending.values())
        page.evaluate(PAINTED_JS)


def report(failures: list[tuple[str, str, str]]) -> str:
    """One line per problem and page, naming the languages and widths it was seen at."""
    seen: dict[tuple[str, str], list[str]] = {}
    for page, where, problem in failures:
        seen.setdefault((problem, page), []).append(where)
    lines = [f"{page}: {problem} [{', '.join(where)}]" for (problem, page), where in seen.items()]
    return f"problems found: {len(lines)}\n" + "\n".join(lines)


def source_messages() -> set[str]:
    """The English messages of the code and templates (also those not in a catalog yet)."""
    found = extract_from_dir(str(SRC), METHODS, keywords=KEYWORDS, options_map=OPTIONS)
    out: set[str] = set()
    for _, _, message, _, _ in found:
        out.update(m for m in (message if isinstance(message, tuple) else (message,)) if m)
    return out


def english_pattern(message: str) -> re.Pattern[str] | None:
    """A pattern finding the message as shown (placeholders filled, spaces collapsed), or None
    for a message under two words, which may honestly read the same in another language."""
    parts = PLACEHOLDER.split(message)
    if sum(len(WORD.findall(p)) for p in parts) < 2:
        return None
    literal = [r"\s+".join(re.escape(w) for w in p.split()) for p in parts]
    body = r"[^\n]{1,120}?".join(p for p in literal)
    return re.compile(rf"(?<!\w){body}(?!\w)")


# Which elements make the page wider than the window: the outermost whose own box passes the
# window's right edge, or else the innermost whose content spills past it (nowrap text, a long
# word), unless a scroll box (overflow-x auto/scroll) or a clipping box holds them. Returns the
# page's width, the window's, up to six offenders as [selector, width, right edge], and the
# captions wider than the scroll box that holds their table (cut off until one scrolls).
OVERFLOW_JS = """() => {
  const vw = document.documentElement.clientWidth;
  const held = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(p).overflowX)) return true;
    }
    return false;
  };
  const name = (el) => {
    const parts = [];
    for (let e = el; e && e !== document.body && parts.length < 4; e = e.parentElement) {
      let part = e.tagName.toLowerCase();
      if (e.id) { parts.unshift(part + '#' + e.id); break; }
      const cls = [...e.classList].slice(0, 2).join('.');
      if (cls) part += '.' + cls;
      const kin = e.parentElement ? [...e.parentElement.children] : [];
      const same = kin.filter(c => c.tagName === e.tagName);
      if (same.length > 1) part += `:nth-of-type(${same.indexOf(e) + 1})`;
      parts.unshift(part);
    }
    return parts.join(' > ');
  };
  const boxes = [], spills = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.right <= vw + 1 && r.left + el.scrollWidth <= vw + 1) continue;
    if ((!r.width && !r.height) || held(el)) continue;
    if (r.right > vw + 1) {
      if (!boxes.some(b => b.el.contains(el))) boxes.push({el, width: r.width, right: r.right});
    } else if (getComputedStyle(el).overflowX === 'visible') {
      spills.push({el, width: el.scrollWidth, right: r.left + el.scrollWidth});
    }
  }
  const inner = spills.filter(s => !spills.some(o => o !== s && s.el.contains(o.el)));
  const found = boxes.length ? boxes : inner;
  // A caption in a scroll box must stay readable without scrolling: no wider than the box.
  const cut = [];
  for (const caption of document.querySelectorAll('caption')) {
    const box = caption.closest('.table-scroll, .wl-box');
    const width = caption.getBoundingClientRect().width;
    if (box && width > 1 && width > box.clientWidth + 1) {
      cut.push([name(caption), Math.round(width), box.clientWidth]);
    }
  }
  return {
    page: document.documentElement.scrollWidth, window: window.innerWidth,
    offenders: found.slice(0, 6).map(w => [name(w.el), Math.round(w.width), Math.round(w.right)]),
    cut,
  };
}"""

# What people read or hear on the page, outside the parts marked as another language (the
# language switcher, a citizen's own text): the title, the text (also what only screen readers
# get) and the attributes shown or read out.
TEXTS_JS = """(lang) => {
  const foreign = (el) => {
    const marked = el.closest('[lang]');
    return marked && marked.getAttribute('lang').slice(0, 2) !== lang;
  };
  const out = [document.title];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || ['SCRIPT', 'STYLE', 'TEMPLATE'].includes(el.tagName) || foreign(el)) continue;
    out.push(el.tagName === 'NOSCRIPT' ? n.nodeValue.replace(/<[^>]*>/g, ' ') : n.nodeValue);
  }
  const shown = ['aria-label', 'title', 'alt', 'placeholder', 'aria-description'];
  for (const el of document.body.querySelectorAll('*')) {
    if (foreign(el)) continue;
    for (const a of el.attributes) {
      if (shown.includes(a.name) || a.name.startsWith('data-label')) out.push(a.value);
    }
    if (el.matches('input[type=submit], input[type=button]')) out.push(el.value);
  }
  return out.map(t => t.replace(/\\s+/g, ' ').trim()).filter(Boolean).join('\\n');
}"""
