"""Every page of the site, in kk, ru and en, at phone and desktop widths, in a real browser.

One server on SQLite holds the demo season (`seed_demo`); one Chromium visits each page of the
table below as a visitor and as each kind of demo account (an official, the supervisors, the
admin), at 390 and 1280 px, and at 320 px (the citizen's pages loaded at that width, the others
narrowed from 390 px). Each visit fails on:

- a page wider than the window, naming the outermost elements that stick out (an element
  inside its own scroll box, as `.table-scroll`, is fine: the box scrolls, the page does not);
- an English message of the catalogs or the code (two words or more) left on a kk or ru page,
  in its text or in the attributes people hear or see (aria-label, title, alt, data-label…);
- a console error or an uncaught exception (a CSP refusal is one);
- a request to any host but the server's own.

The failures are gathered and reported once, as a list of page, language, width and problem.
A GET page route of the application that no visit reached fails the sweep as well, so a new
page must join the table (docs/ui.md, "Mobile").
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.web.browser import skip_without_browser

skip_without_browser()

from fastapi.routing import RouteContext, iter_route_contexts  # noqa: E402
from playwright.sync_api import Browser, BrowserContext, Page  # noqa: E402
from playwright.sync_api import Error as PlaywrightError  # noqa: E402
from sqlalchemy import select  # noqa: E402

from arna.accounts.models import User  # noqa: E402
from arna.appeals.demo import DEMO_PASSWORD  # noqa: E402
from arna.core.i18n import TRANSLATED  # noqa: E402
from tests.opinion import seeding as opinion_seeding  # noqa: E402
from tests.opinion import sweep as opinion  # noqa: E402
from tests.petitions import sweep as petition  # noqa: E402
from tests.petitions.seeding import Site, seed_site  # noqa: E402
from tests.surveys import sweep as survey  # noqa: E402
from tests.web.browser import TEXTS, browser  # noqa: E402
from tests.web.sweep_checks import (  # noqa: E402
    OVERFLOW_JS,
    TEXTS_JS,
    Watch,
    english_pattern,
    report,
    serve_demo,
    source_messages,
)
from tests.web.test_catalogs import _catalog  # noqa: E402

__all__ = ["browser"]  # fixtures used by name

LANGS = ("kk", "ru", "en")
SMALL, PHONE, DESKTOP = 320, 390, 1280
CITIZEN = (SMALL, PHONE, DESKTOP)  # the pages a citizen fills in on a cheap phone
PAGE = (PHONE, DESKTOP)
MISSING = "A-1999-999999"


@dataclass(frozen=True)
class Visit:
    """One page of the table: who opens it, how, at which widths, with which answer."""

    name: str
    who: str  # "public" or a demo account's e-mail
    open: Callable[[Page, str, str], Any]  # (page, base, lang) -> the document's response
    widths: tuple[int, ...] = PAGE
    status: int = 200
    optional: bool = False  # a page another part of the site may not have yet: skipped on 404


@dataclass
class Sweep:
    failures: list[tuple[str, str, str]] = field(default_factory=list)  # page, where, problem
    reached: list[tuple[str, int]] = field(default_factory=list)  # (path, status) of responses
    visits: int = 0
    seconds: dict[str, float] = field(default_factory=dict)  # per row of the table
    stalled: set[str] = field(default_factory=set)


def _url(path: str, lang: str) -> str:
    return f"{path}{'&' if '?' in path else '?'}lang={lang}"


def goto(path: str) -> Callable[[Page, str, str], Any]:
    return lambda page, base, lang: page.goto(base + _url(path, lang), wait_until="load")


def _submit(page: Page) -> Any:
    with page.expect_navigation(wait_until="load") as nav:
        page.locator("main form button[type=submit]").last.click()
    return nav.value


def file_by_form(page: Page, base: str, lang: str) -> Any:
    """The confirmation after filing an appeal through the form (choices left as they are, but
    a required one left open takes its first option)."""
    page.goto(base + _url("/appeals/new", lang), wait_until="load")
    page.fill("textarea[name=text]", TEXTS[lang])
    page.fill("input[name=name]", "Айгерім Сапарова")
    for group in page.eval_on_selector_all(
        "main form input[type=radio][required]", "els => [...new Set(els.map(e => e.name))]"
    ):
        if not page.locator(f"input[name='{group}']:checked").count():
            page.locator(f"input[name='{group}']").first.check()
    for choice in page.locator("main form select[required]").all():
        if not choice.input_value():
            choice.select_option(index=1)
    return _submit(page)


def form_errors(page: Page, base: str, lang: str) -> Any:
    page.goto(base + _url("/appeals/new", lang), wait_until="load")
    return _submit(page)


def track_result(number: str, code: str) -> Callable[[Page, str, str], Any]:
    def run(page: Page, base: str, lang: str) -> Any:
        page.goto(base + _url("/track", lang), wait_until="load")
        form = page.locator("main form:has([name=code])").first
        form.locator("[name=number]").fill(number)
        form.locator("[name=code]").fill(code)
        with page.expect_navigation(wait_until="load") as nav:
            form.locator("button[type=submit]").last.click()
        return nav.value

    return run


def first_link(path: str, selector: str) -> Callable[[Page, str, str], Any]:
    """The page behind the first link `selector` finds on the page at `path`."""

    def run(page: Page, base: str, lang: str) -> Any:
        page.goto(base + _url(path, lang), wait_until="load")
        href = page.locator(selector).first.get_attribute("href")
        assert href, f"no link {selector} on {path}"
        return page.goto(base + _url(href, lang), wait_until="load")

    return run


def dispute_question(number: str, code: str) -> Callable[[Page, str, str], Any]:
    """The question after "not solved": why, where it goes, then a confirmation (nothing is
    sent until that is confirmed, so the appeal stays answered for the next visit)."""
    result = track_result(number, code)

    def run(page: Page, base: str, lang: str) -> Any:
        result(page, base, lang)
        form = page.locator("main form:has(input[name=resolved][value=no])").first
        form.locator("input[name=resolved][value=no]").check()
        rating = form.locator("select[name=rating]")
        if rating.count():
            rating.select_option(index=1)
        with page.expect_navigation(wait_until="load") as nav:
            form.locator("button[type=submit]").last.click()
        return nav.value

    return run


def first_official_appeal(page: Page, base: str) -> str | None:
    """The first appeal in the account's inbox, else in its overview (None: both are empty)."""
    for where in ("/official/", "/official/overview"):
        page.goto(base + where, wait_until="load")
        link = page.locator("main a[href^='/official/appeals/']").first
        if link.count():
            return urlsplit(link.get_attribute("href") or "").path
    return None


@dataclass
class Demo:
    number: str  # a public appeal, the one that climbed highest
    body: str
    region: str
    place: str
    track: tuple[str, str]  # an answered appeal's number and access code
    accounts: list[tuple[str, str]]  # (e-mail, role): an official, the supervisors, the admin
    petitions: Site  # one petition in each state (seeded here: the demo season has none yet)
    consultations: tuple[str, str]  # an open one two camps voted in, a closed one (seeded here)
    survey: str  # the demo season's survey (weighted)


def _demo(context: BrowserContext, base: str, db: Any, settings: Any) -> Demo:
    """What the table needs from the demo season, found through the API as a visitor would,
    plus an appeal filed and answered here (only its applicant has its access code)."""
    from arna.accounts.actions import create_token
    from arna.core.actors import system

    api = context.request
    items = api.get(f"{base}/api/v1/appeals?limit=100").json()["items"]
    shown = max(items, key=lambda a: (a["escalation_depth"], a["status"] != "registered"))
    filed = api.post(
        f"{base}/api/v1/appeals",
        data={"text": TEXTS["ru"], "kind": "complaint", "applicant": {"name": "Ольга Ким"}},
    ).json()
    with db.read() as session:
        users = sorted((u.email, u.role) for u in session.scalars(select(User)))
    officials = [u for u in users if u[1] == "official"][:1]
    accounts = officials + [u for u in users if u[1] in ("supervisor", "admin")]
    admin = next(email for email, role in users if role == "admin")
    token = create_token(db, email=admin, actor=system("page-sweep"))
    answered = api.post(
        f"{base}/api/v1/appeals/{filed['number']}/answer",
        headers={"Authorization": f"Bearer {token}"},
        data={"outcome": "explained", "text": "Жол жөндеу жұмыстары көктемге жоспарланған."},
    )
    assert answered.ok, answered.text()
    return Demo(
        number=shown["number"],
        body=shown["body"]["id"],
        region=shown["region_kato"],
        place=shown["kato"] or shown["region_kato"],
        track=(filed["number"], filed["access_code"]),
        accounts=accounts,
        petitions=seed_site(db, settings),
        consultations=_consultations(db),
        survey=api.get(f"{base}/api/v1/surveys").json()["items"][0]["number"],
    )


def _consultations(db: Any) -> tuple[str, str]:
    """An open consultation two camps voted in (its groups are computed when its page is first
    seen), and a closed one."""
    number = opinion_seeding.consultation(db)
    opinion_seeding.two_camps(db, number)
    return number, opinion_seeding.closed(db)


LISTENING_SERIES = "target=utility_company&region=230000000"  # the demo's episode


def visits_of(demo: Demo, official_appeal: dict[str, str | None]) -> list[Visit]:
    """The table: every page a visitor or an official can reach."""
    number, code = demo.track
    table = [
        Visit("home", "public", goto("/")),
        Visit("appeals", "public", goto("/appeals")),
        Visit("appeals, filtered", "public", goto(f"/appeals?region={demo.region}&overdue=yes")),
        Visit("appeals, escalated, page 2", "public", goto("/appeals?escalated=yes&page=2")),
        Visit("new appeal", "public", goto("/appeals/new"), CITIZEN),
        Visit("new appeal, errors", "public", form_errors, CITIZEN, status=422),
        Visit("appeal filed", "public", file_by_form, CITIZEN, status=201),
        Visit("public appeal", "public", goto(f"/appeals/{demo.number}")),
        Visit("verify history", "public", goto(f"/appeals/{demo.number}/verify"), optional=True),
        Visit("track", "public", goto("/track"), CITIZEN),
        Visit("track result", "public", track_result(number, code), CITIZEN),
        Visit("not solved: why and confirm", "public", dispute_question(number, code), CITIZEN),
        Visit("body", "public", goto(f"/bodies/{demo.body}")),
        Visit("region", "public", goto(f"/regions/{demo.region}")),
        Visit("escalation depth", "public", goto("/escalation?by=region")),
        Visit("scorecards", "public", goto("/scorecards")),
        Visit("monthly reports", "public", goto(f"/reports?kind=region&key={demo.region}")),
        Visit("shared problems", "public", goto("/problems")),
        Visit("shared problem", "public", first_link("/problems", "#problems tbody td a")),
        Visit("deputies", "public", goto("/deputies")),
        Visit("deputy", "public", goto("/deputies/demo-001")),
        Visit(
            "appeals behind an escalation share",
            "public",
            first_link("/escalation", "#depth tbody td a[href^='/escalation/appeals']"),
        ),
        Visit("district", "public", goto(f"/regions/{demo.place}"), optional=True),
        Visit("missing appeal", "public", goto(f"/appeals/{MISSING}"), status=404),
        Visit("no such page", "public", goto("/no-such-page"), status=404),
        Visit("official login", "public", goto("/official/login"), CITIZEN),
        Visit("API docs", "public", goto("/api/v1/docs"), optional=True),
        Visit("listening", "public", goto("/listening")),
        Visit("listening regions", "public", goto("/listening/regions")),
        Visit("listening topics", "public", goto("/listening/topics")),
        Visit("listening alerts", "public", goto("/listening/alerts")),
        Visit("listening series", "public", goto(f"/listening/series?{LISTENING_SERIES}")),
        *petition_visits(demo.petitions),
        *opinion_visits(*demo.consultations),
        *survey_visits(demo.survey, demo.accounts),
    ]
    for email, role in demo.accounts:
        who = f"{role} {email.split('@')[0]}"
        table.append(Visit(f"inbox ({who})", email, goto("/official/")))
        appeal = official_appeal[email]
        if appeal:
            table.append(Visit(f"official appeal ({who})", email, goto(appeal)))
        if role != "official":
            table.append(Visit(f"overview ({who})", email, goto("/official/overview")))
        table.append(Visit(f"petitions awaiting ({who})", email, goto("/official/petitions")))
        table.append(Visit(f"consultations ({who})", email, goto("/official/consultations")))
        if role == "admin":
            table += opinion_official_visits(email, demo.consultations[0])
    first = demo.accounts[0][0]
    missing = goto(f"/official/appeals/{MISSING}")
    table.append(Visit("official, missing appeal", first, missing, status=404))
    return table


def petition_visits(site: Site) -> list[Visit]:
    """The petitions' pages: the list, the forms of an author and a signer, each state."""
    number, code = site.draft
    return [
        Visit("petitions", "public", goto("/petitions")),
        Visit("petitions, filtered", "public", goto("/petitions?status=open&region=100000000")),
        Visit("new petition", "public", goto("/petitions/new"), CITIZEN),
        Visit("new petition, errors", "public", petition.new_with_errors, CITIZEN, status=422),
        Visit("petition saved", "public", petition.file_by_form, CITIZEN, status=201),
        Visit("petition, open", "public", goto(f"/petitions/{site.open}"), CITIZEN),
        Visit("sign: confirm", "public", petition.sign_step(site.open), CITIZEN),
        Visit("sign: counted", "public", petition.signed(site.open), CITIZEN),
        Visit("petition, co-signers", "public", goto(f"/petitions/{site.cosigning}")),
        Visit("petition, moderation", "public", goto(f"/petitions/{site.moderation}")),
        Visit("petition, answer due", "public", goto(f"/petitions/{site.response_due}")),
        Visit("petition, answered", "public", goto(f"/petitions/{site.answered}")),
        Visit("petition, rejected", "public", goto(f"/petitions/{site.rejected}")),
        Visit("petition, ask the code", "public", goto(f"/petitions/{number}/manage"), CITIZEN),
        Visit("petition, the author's", "public", petition.manage(number, code), CITIZEN),
        Visit("missing petition", "public", goto("/petitions/P-1999-999999"), status=404),
    ]


def opinion_visits(number: str, closed: str) -> list[Visit]:
    """The consultations' pages: the list, voting and adding a statement, the groups."""
    return [
        Visit("consultations", "public", goto("/consultations"), CITIZEN),
        Visit("consultation", "public", goto(f"/consultations/{number}"), CITIZEN),
        Visit("consultation, voted", "public", opinion.vote(number), CITIZEN),
        Visit("statement errors", "public", opinion.statement_errors(number), CITIZEN, status=422),
        Visit("consultation, statement sent", "public", opinion.statement_sent(number), CITIZEN),
        Visit("consultation, groups", "public", goto(f"/consultations/{number}/groups"), CITIZEN),
        Visit("consultation, closed", "public", goto(f"/consultations/{closed}")),
        Visit("closed consultation, groups", "public", goto(f"/consultations/{closed}/groups")),
        Visit("missing consultation", "public", goto("/consultations/C-1999-999999"), status=404),
    ]


def opinion_official_visits(admin: str, number: str) -> list[Visit]:
    """The consultations' workbench page as an administrator: the closing to confirm (nothing
    is closed until then) and the form to open one sent empty (422)."""
    closing = goto(f"/official/consultations?close={number}")
    return [
        Visit("consultations, confirm closing", admin, closing),
        Visit("consultations, open: errors", admin, opinion.open_with_errors, status=422),
    ]


def survey_visits(number: str, accounts: list[tuple[str, str]]) -> list[Visit]:
    """The surveys' pages: the list, a survey's figures (and broken down), the respondent's
    form (and its errors), the thank-you page; the workbench's surveys for every account."""
    table = [
        Visit("surveys", "public", goto("/surveys"), CITIZEN),
        Visit("survey", "public", goto(f"/surveys/{number}"), CITIZEN),
        Visit("survey, by region", "public", goto(f"/surveys/{number}?by=region")),
        Visit("survey form", "public", goto(f"/surveys/{number}/respond"), CITIZEN),
        Visit("survey form, errors", "public", survey.respond_errors(number), CITIZEN, status=422),
        Visit("survey, thank you", "public", goto(f"/surveys/{number}/thanks"), CITIZEN),
        Visit("missing survey", "public", goto("/surveys/S-1999-999999"), status=404),
    ]
    for email, role in accounts:
        who = f"{role} {email.split('@')[0]}"
        table.append(Visit(f"surveys workbench ({who})", email, goto("/official/surveys")))
    return table


def _sign_in(context: BrowserContext, base: str, email: str) -> Page:
    page = context.new_page()
    page.goto(f"{base}/official/login", wait_until="load")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    _submit(page)
    assert urlsplit(page.url).path == "/official/", f"{email} could not sign in"
    return page


def _english(lang: str, messages: set[str]) -> list[tuple[str, re.Pattern[str]]]:
    """The English messages that must not show on a page in `lang` (a message its translator
    left the same, as a name, may)."""
    catalog = _catalog(lang)
    out = []
    for message in sorted(messages):
        entry = catalog.get(message)
        pattern = english_pattern(message)
        if pattern is not None and not (entry is not None and entry.string == message):
            out.append((message, pattern))
    return out


def _check(page: Page, lang: str, english: list[tuple[str, re.Pattern[str]]]) -> list[str]:
    problems = []
    size = page.evaluate(OVERFLOW_JS)
    if size["page"] > size["window"] or size["offenders"]:
        wide = "; ".join(f"{s} is {w} px wide, ends at {r} px" for s, w, r in size["offenders"])
        problems.append(f"scrolls sideways: page {size['page']} px > {size['window']} px ({wide})")
    for caption, width, box in size["cut"]:
        problems.append(f"caption cut: {caption} is {width} px wide in a {box} px scroll box")
    if english:
        text = page.evaluate(TEXTS_JS, lang)
        left = [m for m, pattern in english if pattern.search(text)]
        problems += [f"untranslated: {m!r}" for m in left]
    return problems


def _visit(
    sweep: Sweep, visit: Visit, page: Page, watch: Watch, base: str, lang: str, width: int,
    english: list[tuple[str, re.Pattern[str]]],
) -> bool:  # fmt: skip
    """Open one page in one language at one width and record its problems; False when the
    page is optional and not there."""
    page.set_viewport_size({"width": width, "height": 900})
    watch.problems = []
    watch.pending.clear()  # what the last page left open is not this one's
    where = f"{lang} {width}"
    try:
        response = visit.open(page, base, lang)
    except PlaywrightError as exc:
        sweep.failures.append((visit.name, where, f"could not open: {exc.message.splitlines()[0]}"))
        return True
    status = response.status if response is not None else 0
    if visit.optional and status == 404 and visit.status != 404:
        return False
    sweep.visits += 1
    problems = [] if status == visit.status else [f"answered {status}"]
    watch.settle(page)
    # The words are the same at every width: read them at the first.
    problems += _check(page, lang, english if width == visit.widths[0] else [])
    sweep.failures += [(visit.name, where, p) for p in problems + watch.problems]
    if width == PHONE and SMALL not in visit.widths:
        # The smallest phones too, by narrowing the window the page was drawn in (as turning
        # a phone does): the layout follows at once, without a second load.
        before = len(watch.problems)
        page.set_viewport_size({"width": SMALL, "height": 900})
        watch.settle(page)
        narrow = _check(page, lang, []) + watch.problems[before:]
        sweep.failures += [(visit.name, f"{lang} {SMALL} (narrowed)", p) for p in narrow]
    return True


def _run(sweep: Sweep, browser: Browser, base: str, db: Any, settings: Any) -> None:
    host = urlsplit(base).netloc
    messages = source_messages()
    for lang in TRANSLATED:
        messages |= {str(m.id) for m in _catalog(lang) if m.id and isinstance(m.id, str)}
    english = {lang: _english(lang, messages) if lang in TRANSLATED else [] for lang in LANGS}
    visitor = browser.new_context()
    demo = _demo(visitor, base, db, settings)
    pages: dict[str, tuple[Page, Watch]] = {}
    contexts = [visitor]
    page = visitor.new_page()
    pages["public"] = (page, Watch(visitor, page, host, sweep.reached))
    official_appeal: dict[str, str | None] = {}
    for email, _role in demo.accounts:
        context = browser.new_context()
        contexts.append(context)
        page = _sign_in(context, base, email)
        pages[email] = (page, Watch(context, page, host, sweep.reached))
        official_appeal[email] = first_official_appeal(page, base)
    for visit in visits_of(demo, official_appeal):
        page, watch = pages[visit.who]
        started = time.monotonic()
        for lang in LANGS:
            for width in visit.widths:
                if not _visit(sweep, visit, page, watch, base, lang, width, english[lang]):
                    break
            else:
                continue
            break  # an optional page that is not there
        sweep.seconds[visit.name] = time.monotonic() - started
    for _page, watch in pages.values():
        sweep.stalled |= watch.stalled
    _check_icons(sweep, pages["public"][0], base)
    for context in contexts:
        context.close()


def _check_icons(sweep: Sweep, page: Page, base: str) -> None:
    """The icons the pages name load (a browser fetches them when it wants, not at once)."""
    page.goto(f"{base}/", wait_until="load")
    icons = "link[rel~=icon], link[rel=apple-touch-icon], link[rel=manifest]"
    for href in page.eval_on_selector_all(icons, "els => els.map(e => e.href)"):
        answer = page.context.request.get(href)
        sweep.reached.append((urlsplit(href).path, answer.status))
        if not answer.ok:
            sweep.failures.append(("home", "icons", f"{href} answered {answer.status}"))


# For the operators' probes and Prometheus, not for people (tests/web/test_observability.py)
OPERATORS = {"/healthz", "/readyz", "/metrics"}


def page_routes(app: Any) -> list[RouteContext]:
    """The application's GET routes that are not in the API's description, in the order they
    are matched: its pages and the data the pages fetch (the maps'), but not the description."""
    return [
        r
        for r in iter_route_contexts(app.routes)
        if "GET" in (r.methods or ())
        and not r.include_in_schema
        and r.path != app.openapi_url
        and r.path not in OPERATORS
        and not (r.path or "").endswith("oauth2-redirect")
    ]


def unvisited(routes: list[RouteContext], reached: list[tuple[str, int]]) -> list[str]:
    """The page routes no visit reached with a success (each path counts for the first route
    that matches it, as the router would pick it)."""
    covered = set()
    for path in {path for path, status in reached if status < 400}:
        route = next((r for r in routes if r.path_regex.match(path)), None)
        covered.add(route.path if route else None)
    return [str(r.path) for r in routes if r.path not in covered]


def test_every_page_in_every_language_and_width(
    browser: Browser, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """One test (one demo site, one browser: under xdist a second test would build them again).
    A page route the sweep never reached is a page nobody checks on a phone or in Kazakh: it
    fails here too, until it joins `visits_of`."""
    sweep = Sweep()
    with serve_demo(tmp_path_factory.mktemp("sweep")) as (base, db, app):
        routes = page_routes(app)
        _run(sweep, browser, base, db, app.state.settings)
    slowest = sorted(sweep.seconds.items(), key=lambda kv: -kv[1])[:5]
    print("slowest rows:", ", ".join(f"{name} {s:.1f} s" for name, s in slowest))
    print("requests open when measured:", sorted(sweep.stalled))
    assert len(routes) > 5 and sweep.visits > 150, f"{len(routes)} routes, {sweep.visits} visits"
    missed = unvisited(routes, sweep.reached)
    sweep.failures += [(path, "-", "a page route the sweep does not visit") for path in missed]
    assert not sweep.failures, report(sweep.failures)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_no_catalog_entry_is_empty_or_fuzzy(lang: str) -> None:
    wrong = [
        str(m.id)
        for m in _catalog(lang)
        if m.id and (m.fuzzy or not all(m.string if isinstance(m.string, tuple) else (m.string,)))
    ]
    assert wrong == [], f"{lang}: empty or fuzzy translations"
