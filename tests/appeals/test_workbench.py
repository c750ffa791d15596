"""The workbench's lists through HTTP against a real database: the inbox and the supervisor's
overview filter, search, sort and page in the database, and the overview's figures match the data.

The helpers here (logging in, reading the list back from the HTML) serve the appeal page's
tests too (test_workbench_appeal.py)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser
from typing import Any

import pytest

from arna.appeals.actions.submit import submit_appeal
from arna.appeals.schemas import AppealCreate, AppealCreated
from arna.core.clock import load_calendar
from tests.appeals.conftest import Env

KURCHATOV, SEMEY, ABAI = "101800000", "101000000", "100000000"
NUMBER = re.compile(r'href="/official/appeals/(A-\d{4}-\d+)"')


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found
    return found.group(1)


def log_in(env: Env, email: str) -> None:
    """Log in through the form as a browser does (the account's password is the Env's)."""
    env.client.cookies.clear()
    form = env.client.get("/official/login").text
    r = env.client.post(
        "/official/login",
        data={"email": email, "password": "password-123", "csrf": csrf_of(form)},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text


def register(
    env: Env, text: str, *, category: str, kato: str | None, days_ago: int = 0, **more: Any
) -> AppealCreated:
    """An appeal registered `days_ago` (through the intake's action, as the API would)."""
    data = AppealCreate.model_validate(
        {
            "text": text,
            "kind": "complaint",
            "category": category,
            "kato": kato,
            "applicant": {"name": "Айгерім Сапарова", "email": "aigerim@example.kz"},
            **more,
        }
    )
    when = datetime.now(UTC) - timedelta(days=days_ago)
    created, _ = submit_appeal(env.db, env.settings, data, now=when)
    return created


def listed(html: str) -> list[str]:
    """The numbers of the list's rows, in the order shown (the worklist table only)."""
    start = html.find('<table class="worklist">')
    if start < 0:
        return []
    return NUMBER.findall(html[start : html.index("</table>", start)])


def found_count(html: str) -> int:
    match = re.search(r'class="wl-count"[^>]*>[^<]*<strong class="nowrap">([^<]+)</strong>', html)
    assert match, "no count on the page"
    return int(re.sub(r"\D", "", match.group(1)))


class Selects(HTMLParser):
    """Each <select> of a page by id: its options as (value, selected, disabled)."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.selects: dict[str, list[tuple[str, bool, bool]]] = {}
        self._current: str | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "select":
            self._current = found.get("id") or ""
            self.selects[self._current] = []
        elif tag == "option" and self._current is not None:
            self.selects[self._current].append(
                (found.get("value") or "", "selected" in found, "disabled" in found)
            )

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._current = None


def today_kz() -> date:
    from arna.core.clock import now_utc, to_local_date

    return to_local_date(now_utc())


# --- the inbox ---------------------------------------------------------------------------------

TOPICS = ("roads_local", "housing_utilities", "public_transport")


@pytest.fixture
def inbox(env: Env) -> tuple[Env, list[AppealCreated]]:
    """30 open appeals at Kurchatov registered over the last 30 days (the older ones overdue),
    three topics in turn, one in Russian about a pavement; and one for another body."""
    env.token("official", "akimat-101800000", "o@akimat.kz")
    made = []
    for i in range(30):
        text = (
            "Тротуар на улице Абая разбит, ходить опасно." if i == 7 else f"Көшеде шұңқыр бар, {i}."
        )
        made.append(register(env, text, category=TOPICS[i % 3], kato=KURCHATOV, days_ago=i))
    register(env, "Семейде көшеде шұңқыр бар.", category="roads_local", kato=SEMEY)
    log_in(env, "o@akimat.kz")
    return env, made


def _by_due(appeals: list[AppealCreated]) -> list[str]:
    return [a.number for a in sorted(appeals, key=lambda a: (a.due_date, a.number))]


def test_the_inbox_pages_its_own_bodys_appeals_nearest_deadline_first(
    inbox: tuple[Env, list[AppealCreated]],
) -> None:
    env, made = inbox
    first = env.client.get("/official/?lang=en")
    assert first.status_code == 200
    assert found_count(first.text) == 30  # the other body's appeal is not here
    assert listed(first.text) == _by_due(made)[:25]
    assert 'aria-current="page">1<' in first.text and 'rel="next"' in first.text
    second = env.client.get("/official/?page=2")
    assert listed(second.text) == _by_due(made)[25:]
    beyond = env.client.get("/official/?page=99&lang=en")
    assert listed(beyond.text) == [] and "past the end of the list" in beyond.text
    # each row says what the problem is, about what and where, and how late it is
    row = first.text[first.text.index(made[29].number) :]
    row = row[: row.index("</tr>")]
    assert "Көшеде шұңқыр бар, 29." in row and "Kurchatov, Abai Region" in row
    assert "Housing and utilities" in row or "potholes" in row or "transport" in row
    assert "badge-overdue" in row and "Overdue by" in row


def test_the_columns_sort_the_list(inbox: tuple[Env, list[AppealCreated]]) -> None:
    env, made = inbox
    numbers = sorted(a.number for a in made)
    assert listed(env.client.get("/official/?sort=number").text) == numbers[:25]
    assert listed(env.client.get("/official/?sort=number&order=desc").text) == numbers[::-1][:25]
    newest = [a.number for a in made]  # registered 0, 1, 2 ... days ago
    assert listed(env.client.get("/official/?sort=registered").text) == newest[:25]
    oldest = env.client.get("/official/?sort=registered&order=asc&page=2").text
    assert listed(oldest) == newest[::-1][25:]
    # the column title links to the other direction and says how it is sorted now
    page = env.client.get("/official/?sort=number&lang=en").text
    assert 'aria-sort="ascending"><a href="/official/?sort=number&amp;order=desc"' in page


def test_filters_and_search_narrow_the_list(inbox: tuple[Env, list[AppealCreated]]) -> None:
    env, made = inbox
    today = today_kz()
    calendar = load_calendar()

    def numbers(url: str) -> list[str]:
        page = env.client.get(url)
        assert page.status_code == 200, url
        assert found_count(page.text) == len(listed(page.text)), url  # all on one page
        return listed(page.text)

    housing = [a for a in made if a.category == "housing_utilities"]
    assert numbers("/official/?category=housing_utilities") == _by_due(housing)
    overdue = [a for a in made if a.due_date < today]
    assert overdue and numbers("/official/?due=overdue") == _by_due(overdue)
    soon = calendar.add_working_days(today, 5)
    within = [a for a in made if today <= a.due_date <= soon]
    assert within and numbers("/official/?due=5") == _by_due(within)
    both = [a for a in overdue if a.category == "roads_local"]
    assert numbers("/official/?due=overdue&category=roads_local") == _by_due(both)
    # search: words of the text whatever their case (Cyrillic too, on SQLite), or the number
    assert numbers("/official/?q=тротуар") == [made[7].number]
    assert numbers("/official/?q=ТРОТУАР+на") == [made[7].number]
    assert found_count(env.client.get("/official/?q=Шұңқыр").text) == 29
    assert numbers(f"/official/?q={made[12].number[-6:]}") == [made[12].number]
    assert numbers("/official/?q=100%25") == []  # LIKE's wildcards are only characters
    # places: the body's city; the region; nothing elsewhere or without a place
    assert found_count(env.client.get(f"/official/?place={ABAI}").text) == 30
    assert numbers(f"/official/?place={SEMEY}") == []
    assert numbers("/official/?place=none") == []


def test_status_filter_follows_answers(inbox: tuple[Env, list[AppealCreated]]) -> None:
    env, made = inbox
    csrf = csrf_of(env.client.get(f"/official/appeals/{made[0].number}").text)
    for appeal in made[:2]:
        done = env.client.post(
            f"/official/appeals/{appeal.number}/answer",
            data={"csrf": csrf, "outcome": "resolved", "text": "Жөнделді."},
            follow_redirects=False,
        )
        assert done.status_code == 303
    assert found_count(env.client.get("/official/").text) == 28
    answered = env.client.get("/official/?status=answered").text
    assert sorted(listed(answered)) == sorted(a.number for a in made[:2])
    assert found_count(env.client.get("/official/?status=all").text) == 30
    assert found_count(env.client.get("/official/?status=registered").text) == 28


def test_unknown_filter_values_are_ignored_not_echoed(
    inbox: tuple[Env, list[AppealCreated]],
) -> None:
    env, made = inbox
    hostile = "<script>alert(1)</script>"
    page = env.client.get(
        "/official/",
        params={"status": hostile, "category": hostile, "due": "-1", "place": "999999999",
                "sort": "id; drop", "order": "sideways", "page": "abc", "escalated": hostile},
    )  # fmt: skip
    assert page.status_code == 200
    assert listed(page.text) == _by_due(made)[:25] and found_count(page.text) == 30
    main = page.text[page.text.index("<main") : page.text.index("</main>")]
    assert hostile not in page.text  # nor escaped, nor in a link of the list
    assert "drop" not in main and "999999999" not in main and "sideways" not in main
    searched = env.client.get("/official/", params={"q": hostile}).text
    assert "&lt;script&gt;" in searched and hostile not in searched


# --- the overview ------------------------------------------------------------------------------


def _figure(html: str, name: str) -> str:
    match = re.search(rf'id="fig-{name}">([^<]*)<', html)
    assert match, name
    return match.group(1)


def test_the_overview_counts_what_is_under_the_supervisor(env: Env) -> None:
    """Abai Region's akimat oversees Kurchatov and Semey: its overview counts their appeals
    (and the one escalated to it), not Shymkent's."""
    kurchatov = env.token("official", "akimat-101800000", "o@akimat.kz")
    env.token("supervisor", "akimat-100000000", "s@akimat.kz")
    roads, water = "roads_local", "housing_utilities"
    late = [register(env, f"Жол бұзылған {i}.", category=roads, kato=KURCHATOV, days_ago=40)
            for i in range(2)]  # fmt: skip
    fresh = [register(env, f"Су жоқ {i}.", category=water, kato=KURCHATOV) for i in range(3)]
    semey = [
        register(env, "Семейде жол бұзылған.", category=roads, kato=SEMEY, days_ago=40),
        register(env, "Семейде су жоқ.", category=water, kato=SEMEY),
    ]
    register(env, "Шымкентте жол бұзылған.", category="roads_local", kato="791910000")
    for appeal in fresh[:2]:  # answered on time; the second one then disputed and escalated
        r = env.client.post(
            f"/api/v1/appeals/{appeal.number}/answer",
            headers=env.auth(kurchatov),
            json={"outcome": "resolved", "text": "Жасалды."},
        )
        assert r.status_code == 200, r.text
    disputed = env.client.post(
        f"/api/v1/appeals/{fresh[1].number}/feedback",
        json={"resolved": False, "rating": 1},
        headers={"X-Access-Code": fresh[1].access_code},
    )
    assert disputed.json()["body"]["id"] == "akimat-100000000"

    log_in(env, "s@akimat.kz")
    page = env.client.get("/official/overview?lang=en")
    assert page.status_code == 200
    # open: 2 late + 1 fresh at Kurchatov, 2 at Semey, 1 escalated to the region = 6
    assert _figure(page.text, "open") == "6"
    assert _figure(page.text, "overdue") == "3"
    assert _figure(page.text, "escalated") == "1"
    assert _figure(page.text, "answered") == "2"  # both answers, the disputed one too
    # on time: 2 answers by their due date, of 5 holds answered or past due (2 + 3 overdue)
    assert _figure(page.text, "on-time") == "40%"
    assert 'id="chart-workload"' in page.text and "chart-spec" in page.text

    everything = [*late, fresh[0], fresh[2], *semey, fresh[1]]
    open_ones = {a.number for a in [*late, fresh[2], *semey, fresh[1]]}
    assert found_count(page.text) == 6 and set(listed(page.text)) == open_ones
    assert listed(env.client.get("/official/overview?sort=depth").text)[0] == fresh[1].number
    at_semey = env.client.get(f"/official/overview?place={SEMEY}&status=all").text
    assert sorted(listed(at_semey)) == sorted(a.number for a in semey)
    whole = env.client.get(f"/official/overview?place={ABAI}&status=all").text
    assert sorted(listed(whole)) == sorted(a.number for a in everything)
    assert listed(env.client.get("/official/overview?escalated=yes").text) == [fresh[1].number]

    # the table of bodies: most overdue first by default, any column sorts it
    names = ["Akimat of Kurchatov city", "Akimat of Semey city", "Akimat of Abai Region"]

    def order(url: str) -> list[str]:
        html = env.client.get(url).text
        table = html[
            html.index('class="wb-bodies"') : html.index(
                "</table>", html.index('class="wb-bodies"')
            )
        ]
        return [n for _, n in sorted((table.index(n), n) for n in names if n in table)]

    assert order("/official/overview") == names  # overdue 2, 1, 0
    assert order("/official/overview?bsort=open&border=asc") == [names[2], names[1], names[0]]
    assert order("/official/overview?bsort=name") == sorted(names)
    # the list keeps its filters when the table is sorted, and the other way round
    assert (
        "bsort=name"
        in env.client.get("/official/overview?bsort=name").text.split('class="worklist"')[1]
    )
