"""The workbench's lists: the inbox of an official's body and the supervisor's overview.

Both show one list component (`worklist` here, `_worklist.html` there): a plain GET form of
filters and a search, sortable columns and numbered pages, all done by the database
(`appeals.workbench`), working without JavaScript. The inbox lists what the official's own body
holds; the overview adds, above the same list over every body under theirs, the figures a
supervisor reads first (counts, a chart, a table per body).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from arna.accounts.deps import signed_in_official, to_login
from arna.appeals import workbench
from arna.appeals.access import readable_bodies
from arna.appeals.labels import status_names
from arna.appeals.situation import Facts, Situation, situation
from arna.bodies.competence import categories
from arna.bodies.reference import bodies
from arna.core import i18n
from arna.core.actors import Actor
from arna.core.clock import WorkingCalendar, load_calendar, now_utc, to_local_date
from arna.core.collation import sort_key
from arna.core.deps import DatabaseDep, SettingsDep
from arna.geo.reference import units
from arna.web.templating import NO_STORE, make_templates

router = APIRouter(include_in_schema=False)
templates = make_templates("arna.appeals")
_ = i18n.gettext_


def place_name(kato: str | None, lang: str) -> str:
    """ "Kurchatov, Abai Region": the place and its region, or the region alone."""
    unit = units().get(kato or "")
    if unit is None:
        return ""
    region = units().get(unit.region_kato or "")
    if region is None or region.kato == unit.kato:
        return unit.name(lang)
    return f"{unit.name(lang)}, {region.name(lang)}"


def topic_name(category: str | None, lang: str) -> str:
    found = categories().get(category or "")
    return found.name(lang) if found else _("Needs triage")


def _situation(row: workbench.WorkRow, today: date, calendar: WorkingCalendar) -> Situation:
    facts = Facts(
        status=row.status, body_id=row.body_id, due_date=row.due_date,
        escalation_depth=row.escalation_depth, held_since=row.held_since,
        held_reason=row.held_reason, outcome=row.outcome, answered_at=row.answered_at,
        feedback_resolved=row.feedback_resolved, stalled=row.stalled,
    )  # fmt: skip
    return situation(facts, today, calendar)


def _days_text(state: Situation, today: date, calendar: WorkingCalendar) -> str:
    """How near the deadline is: "3 working days left"; past it, "overdue by 4 working days"
    for an appeal stalled at the top (an overdue one's badge says so already)."""
    if state.stage == "overdue":
        return ""  # the badge says it: "Overdue by 4 working days"
    if state.is_overdue and state.overdue_days:
        n = state.overdue_days
        return i18n.ngettext_(
            "overdue by {n} working day", "overdue by {n} working days", n
        ).format(n=n)
    if state.is_open and state.due_date is not None:
        n = calendar.working_days_between(today, state.due_date)
        return i18n.ngettext_("{n} working day left", "{n} working days left", n).format(n=n)
    return ""


def _rows(
    found: workbench.WorkPage, today: date, calendar: WorkingCalendar
) -> list[dict[str, Any]]:
    lang = i18n.current()
    table = bodies()
    rows = []
    for r in found.rows:
        state = _situation(r, today, calendar)
        rows.append(
            {
                "number": r.number,
                "registered_at": r.registered_at,
                "excerpt": r.excerpt,
                "language": r.language,
                "topic": topic_name(r.category, lang),
                "needs_triage": r.category is None,
                "place": place_name(r.kato, lang) or _("Place not known"),
                "situation": state,
                "due_date": r.due_date if state.is_open else None,
                "days": _days_text(state, today, calendar),
                "late": state.is_overdue,
                "depth": r.escalation_depth,
                "public": r.public,
                "body": table[r.body_id].name(lang) if r.body_id in table else r.body_id,
            }
        )
    return rows


def _place_options(katos: list[str], lang: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """(region name, [(kato, name)]) for every region the appeals are in: the whole region
    first, then its districts, each list in the language's alphabetical order."""
    groups: dict[str, set[str]] = {}
    for kato in katos:
        unit = units().get(kato)
        if unit is None or unit.region_kato is None:
            continue
        groups.setdefault(unit.region_kato, set())
        if unit.kato != unit.region_kato:
            groups[unit.region_kato].add(unit.kato)
    out = []
    for region in sorted(groups, key=lambda k: sort_key(units()[k].name(lang), lang)):
        name = units()[region].name(lang)
        districts = sorted(groups[region], key=lambda k: sort_key(units()[k].name(lang), lang))
        whole = (region, _("{region}: all of it").format(region=name))
        out.append((name, [whole, *((k, units()[k].name(lang)) for k in districts)]))
    return out


def _due_within(n: str) -> tuple[str, str]:
    words = i18n.ngettext_("Due within {n} working day", "Due within {n} working days", int(n))
    return n, words.format(n=n)


def _options(found: workbench.WorkPage, lang: str) -> dict[str, Any]:
    topics = sorted(
        ((c.id, c.name(lang)) for c in categories().values()), key=lambda c: sort_key(c[1], lang)
    )
    return {
        "statuses": [
            ("open", _("Open (not answered yet)")),
            *status_names().items(),
            ("all", _("Any status")),
        ],
        "categories": [(workbench.NO_TOPIC, _("Needs triage")), *topics],
        "due": [("overdue", _("Overdue")), *(_due_within(n) for n in workbench.DUE_CHOICES[1:])],
        "places": _place_options(found.places, lang),
        "escalated": [("yes", _("Escalated at least once")), ("no", _("Never escalated"))],
    }


def _url(path: str, params: Mapping[str, str]) -> str:
    return f"{path}?{urlencode(params)}" if params else path


def _page_links(
    path: str, query: workbench.ListQuery, pages: int, keep: Mapping[str, str]
) -> list[tuple[str, str, bool]]:
    """(label, url, current) for the first, the last and the pages around the current one; a
    gap is ("…", "", False)."""
    wanted = sorted({1, pages, *range(max(1, query.page - 2), min(pages, query.page + 2) + 1)})
    links: list[tuple[str, str, bool]] = []
    for i, n in enumerate(wanted):
        if i and n - wanted[i - 1] > 1:
            links.append(("…", "", False))
        url = _url(path, {**keep, **query.params(page=n)})
        links.append((i18n.fmt_number(n), url, n == query.page))
    return links


def _sort_links(
    path: str, query: workbench.ListQuery, keep: Mapping[str, str]
) -> dict[str, dict[str, str]]:
    """For each sortable column: the URL a click goes to and its aria-sort now."""
    out = {}
    for column, (_by, first) in workbench.SORTS.items():
        current = query.sort == column
        order = ("desc" if query.order == "asc" else "asc") if current else first
        params = query.params(sort=column, order=order, page=1)
        state = ("ascending" if query.order == "asc" else "descending") if current else "none"
        out[column] = {"url": _url(path, {**keep, **params}), "aria": state}
    return out


def worklist(
    session: Session,
    scope: workbench.Scope,
    path: str,
    params: Mapping[str, str],
    calendar: WorkingCalendar,
    *,
    keep: Mapping[str, str] | None = None,
    show_body: bool = False,
) -> dict[str, Any]:
    """What `_worklist.html` renders: the list of `scope` the request's parameters ask for.
    `keep`: other parameters of the page that its links must carry (the overview's own)."""
    keep = dict(keep or {})
    query = workbench.ListQuery.parse(params)
    today = to_local_date(now_utc())
    found = workbench.work_page(session, scope, query, today, calendar)
    lang = i18n.current()
    return {
        "path": path,
        "query": query,
        "keep": keep,
        "rows": _rows(found, today, calendar),
        "total": found.total,
        "page": query.page,
        "pages": found.pages,
        "page_links": _page_links(path, query, found.pages, keep),
        "prev_url": _url(path, {**keep, **query.params(page=query.page - 1)})
        if query.page > 1 else "",
        "next_url": _url(path, {**keep, **query.params(page=query.page + 1)})
        if query.page < found.pages else "",
        "last_url": _url(path, {**keep, **query.params(page=found.pages)}),
        "sorts": _sort_links(path, query, keep),
        "clear_url": _url(path, keep),
        "show_body": show_body,
        "options": _options(found, lang),
    }  # fmt: skip


def inbox_scope(actor: Actor) -> workbench.Scope:
    """The inbox: what the official's own body holds (admins: every body)."""
    if actor.kind == "admin":
        return None
    return [actor.body_id] if actor.body_id in bodies() else []


@router.get("/official/", response_model=None)
def inbox(request: Request, db: DatabaseDep, settings: SettingsDep) -> Response:
    me = signed_in_official(request, db)
    if me is None:
        return to_login()
    calendar = load_calendar(settings.calendar_file)
    with db.read() as session:
        wl = worklist(
            session, inbox_scope(me.actor), "/official/", request.query_params, calendar,
            show_body=me.actor.kind == "admin",
        )  # fmt: skip
    body = bodies().get(me.actor.body_id or "")
    return templates.TemplateResponse(
        request,
        "official_inbox.html",
        {"me": me, "wl": wl, "body": body.name(i18n.current()) if body else ""},
        headers=NO_STORE,
    )


def overview_scope(actor: Actor) -> workbench.Scope:
    """The overview: every appeal the actor reads whole (a supervisor's body and those under
    it; an official's own body; admins: all), by the reading rule of `access`."""
    readable = readable_bodies(actor)
    return None if readable is None else sorted(readable)
