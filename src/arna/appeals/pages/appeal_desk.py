"""One appeal on the official's desk: what it is about, where, in which language, its true state
and history, and the forms to act on it (`acting` handles what they send).

Nothing that decides the outcome is chosen in advance: the answer's outcome and the forward's
target body start on an empty "Choose…" option that the form requires. The topic and place
Arna read from the text are shown with where they came from, and can be corrected.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from arna.accounts.deps import signed_in_official, to_login
from arna.accounts.queries import Signed
from arna.appeals import queries, timeline
from arna.appeals.access import can_act
from arna.appeals.actions import lifecycle
from arna.appeals.labels import kind_names, outcome_choices
from arna.appeals.pages.tables import story
from arna.appeals.pages.workbench import place_name, templates, topic_name
from arna.appeals.placement import MIN_CATEGORY_SCORE
from arna.appeals.policy import OPEN
from arna.appeals.schemas import AppealFull, EventPublic
from arna.bodies.competence import categories, route
from arna.bodies.reference import bodies, parent_chain
from arna.core import i18n
from arna.core.clock import load_calendar, now_utc
from arna.core.collation import sort_key
from arna.core.deps import DatabaseDep, SettingsDep
from arna.core.errors import ArnaError, NotFound
from arna.core.settings import Settings
from arna.geo.reference import COUNTRY_KATO, units
from arna.text.analysis import gist_many
from arna.web.templating import NO_STORE

router = APIRouter(include_in_schema=False)
_ = i18n.gettext_

Choices = list[tuple[str, list[tuple[str, str]]]]  # (group label, [(body id, name)])


def forward_choices(category: str | None, kato: str | None, current: str) -> Choices:
    """Bodies an appeal here could belong to, in groups: the body competent for its topic at
    its place, the bodies above the current one, and those competent for the other topics
    there. An appeal whose place is not known is offered the bodies of the whole country (the
    page asks to set the place first to see the local ones)."""
    lang = i18n.current()
    table = bodies()
    place = kato if kato in units() else COUNTRY_KATO
    seen = {current}

    def named(ids: list[str]) -> list[tuple[str, str]]:
        fresh = [i for i in dict.fromkeys(ids) if i in table and i not in seen]
        seen.update(fresh)
        return sorted(((i, table[i].name(lang)) for i in fresh), key=lambda p: sort_key(p[1], lang))

    def competent(topic: str) -> list[str]:
        try:
            return [route(topic, place).body.id]
        except ArnaError:
            return []

    this_topic = named(competent(category) if category else [])
    above = named([b.id for b in parent_chain(current)])
    others = named([b for topic in categories() if topic != category for b in competent(topic)])
    groups = [
        (_("Competent for this topic and place"), this_topic),
        (_("Bodies above"), above),
        (
            _("Competent for other topics at this place")
            if place != COUNTRY_KATO
            else _("Competent for other topics, country-wide"),
            others,
        ),
    ]
    return [(label, found) for label, found in groups if found]


def _sources() -> dict[str, str]:
    return {
        "given": _("chosen by the applicant"),
        "suggested": _("suggested by Arna from the text"),
        "kato": _("chosen by the applicant"),
        "point": _("from the point on the map"),
        "text": _("read by Arna from the text"),
        "official": _("corrected by an official"),
    }


def _reading(text: str, lang: str) -> dict[str, Any]:
    """What Arna reads in the text now: its likely topics, and a place it names."""
    [gist] = gist_many([text], language=[False], place=[True])
    names = categories()
    top = [
        (names[c].name(lang), score)
        for c, score in gist.category_top3
        if c in names and score >= MIN_CATEGORY_SCORE
    ]
    place = gist.place.kato if gist.place else None
    return {"top": top, "place": place_name(place, lang), "place_kato": place}


def _place_choices(lang: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """Every region with its districts, for correcting the place."""
    regions = [u for u in units().values() if u.level == 1]
    out = []
    for region in sorted(regions, key=lambda u: sort_key(u.name(lang), lang)):
        inside = [u for u in units().values() if u.level == 2 and u.region_kato == region.kato]
        inside.sort(key=lambda u: sort_key(u.name(lang), lang))
        whole = (region.kato, _("{region}: all of it").format(region=region.name(lang)))
        out.append((region.name(lang), [whole, *((u.kato, u.name(lang)) for u in inside)]))
    return out


def _steps(steps: list[timeline.Step], events: list[EventPublic], lang: str) -> list[timeline.Step]:
    """The timeline's steps, with what a correction changed said in words."""
    out = []
    for step, event in zip(steps, timeline.told(events), strict=True):
        new = event.new if isinstance(event.new, dict) else {}
        old = event.old if isinstance(event.old, dict) else {}
        if step.kind == "reclassified":
            parts = []
            if old.get("category") != new.get("category"):
                topic = topic_name(new.get("category"), lang)
                parts.append(_("topic: {topic}").format(topic=topic))
            if old.get("kato") != new.get("kato"):
                place = place_name(new.get("kato"), lang)
                parts.append(_("place: {place}").format(place=place))
            step = replace(step, note="; ".join(parts))
        out.append(step)
    return out


def render(
    request: Request,
    db: DatabaseDep,
    settings: Settings,
    me: Signed,
    number: str,
    errors: dict[str, str] | None = None,
    done: str | None = None,
    status: int = 200,
) -> Response:
    """The appeal page, with the message of what was just done or the form's error."""
    lang = i18n.current()
    with db.read() as session:
        appeal, view = queries.get_appeal_for(session, me.actor, number)
        if view != "full":
            raise NotFound(number)
        data: AppealFull = queries.full_view(session, appeal, now_utc())
        told = story(session, data, load_calendar(settings.calendar_file))
        sources = {"category": appeal.category_source, "place": appeal.place_source}
        acts = can_act(me.actor, appeal) and appeal.status in OPEN
    steps = _steps(told["steps"], data.events, lang)
    context = {
        **told,
        "steps": steps,
        "me": me,
        "appeal": data,
        "errors": errors or {},
        "done": done,
        "outcomes": outcome_choices(),
        "choices": forward_choices(data.category, data.kato, data.body.id),
        "latest_extension": lifecycle.latest_extension(data.registered_at),
        "topic": topic_name(data.category, lang),
        "topic_source": _sources().get(sources["category"], ""),
        "place": place_name(data.kato, lang),
        "place_source": _sources().get(sources["place"], ""),
        "language": i18n.NAMES.get(data.language, data.language),
        "kind": kind_names().get(data.kind, data.kind),
        "reading": _reading(data.text, lang),
        "topics": sorted(
            ((c.id, c.name(lang)) for c in categories().values()),
            key=lambda c: sort_key(c[1], lang),
        ),
        "places": _place_choices(lang),
        "can_act": acts,
    }
    return templates.TemplateResponse(
        request, "official_appeal.html", context, status_code=status, headers=NO_STORE
    )


def missing(request: Request, me: Signed) -> Response:
    return templates.TemplateResponse(request, "official_missing.html", {"me": me}, status_code=404)


@router.get("/official/appeals/{number}", response_model=None)
def appeal_page(
    request: Request, db: DatabaseDep, settings: SettingsDep, number: str, done: str | None = None
) -> Response:
    me = signed_in_official(request, db)
    if me is None:
        return to_login()
    notices = {
        "accepted": _("The appeal is taken into work."),
        "answered": _("The answer is recorded and the applicant is told."),
        "forwarded": _("The appeal is forwarded."),
        "extended": _("The deadline is extended and the applicant is told."),
        "reclassified": _(
            "The topic and place are corrected. If the appeal now belongs to another body, "
            "forward it."
        ),
    }
    try:
        return render(request, db, settings, me, number, done=notices.get(done or ""))
    except NotFound:
        return missing(request, me)
