"""The public pages of consultations: the list (open ones first), one consultation (a statement
at a time to vote on, the visitor's progress, the form for a statement of their own) and its
opinion groups (the map as server-drawn SVG, each group's profile, the consensus).

They work without JavaScript: the forms are plain POSTs (`voting.py`), the map is SVG made here
and its figures are written out as text too.
"""

from __future__ import annotations

import re
from math import ceil
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from arna.core import i18n
from arna.core.deps import DatabaseDep, ReadSessionDep
from arna.opinion import queries
from arna.opinion.actions import groups as grouping
from arna.opinion.models import Consultation
from arna.opinion.pages import opinion_map
from arna.opinion.pages.views import (
    BADGES,
    PRIVATE,
    counts,
    find,
    missing,
    participant_of,
    render,
    status_name,
    templates,
    token_of,
)
from arna.opinion.schemas import GroupsOut

router = APIRouter(include_in_schema=False)
_ = i18n.gettext_
fmt = i18n.fmt_number

PER_PAGE = 20
AWARE = 5  # statements of the group-aware consensus shown (those above half of every group)
PAGE = re.compile(r"[0-9]{1,5}")


def _page(value: str) -> int:
    return min(max(int(value) if PAGE.fullmatch(value) else 1, 1), 10_000)


def _section(session: Session, status: str, page: int, other: dict[str, int]) -> dict[str, Any]:
    """One part of the list (the open or the closed consultations), a page of it and the
    links to its other pages (the other part's page kept)."""
    found = queries.list_consultations(session, status, page, PER_PAGE)
    pages = max(1, ceil(found.total / PER_PAGE))
    param = "page" if status == "open" else "closed_page"

    def link(n: int) -> str:
        params = {**other, param: n}
        query = "&".join(f"{k}={v}" for k, v in params.items() if v > 1)
        return "/consultations" + (f"?{query}" if query else "")

    rows = [
        {
            "c": c,
            "badge_class": BADGES.get(c.status, BADGES["closed"]),
            "status_name": status_name(c.status),
            "counts": counts(c),
        }
        for c in found.items
    ]
    return {
        "rows": rows,
        "total": found.total,
        "page": page,
        "pages": pages,
        "prev_url": link(page - 1) if page > 1 else None,
        "next_url": link(page + 1) if page < pages else None,
        "last_url": link(pages),
    }


@router.get("/consultations", response_class=HTMLResponse)
def consultations_list(
    request: Request, session: ReadSessionDep, page: str = "1", closed_page: str = ""
) -> HTMLResponse:
    """Open consultations first, then the closed ones, newest first in each, 20 a page."""
    open_page, shut_page = _page(page), _page(closed_page or "1")
    context = {
        "open": _section(session, "open", open_page, {"closed_page": shut_page}),
        "closed": _section(session, "closed", shut_page, {"page": open_page}),
    }
    return templates.TemplateResponse(request, "consultations_list.html", context)


@router.get("/consultations/{number}", response_class=HTMLResponse)
def consultation_page(request: Request, number: str, session: ReadSessionDep) -> Response:
    consultation = find(session, number)
    if consultation is None:
        return missing(request, number)
    return render(request, session, consultation, token_of(request, number))


# --- the opinion groups ------------------------------------------------------------------------


def _stance(stance: str, share: str, who: str, count: int, seen: int) -> str:
    values = {"share": share, "group": who, "count": fmt(count), "seen": fmt(seen)}
    if stance == "agree":
        return _("%(share)s of group %(group)s agree (%(count)s of %(seen)s who voted on it)") % (
            values
        )
    return _("%(share)s of group %(group)s disagree (%(count)s of %(seen)s who voted on it)") % (
        values
    )


def _everyone(stance: str, share: str, count: int, seen: int) -> str:
    values = {"share": share, "count": fmt(count), "seen": fmt(seen)}
    if stance == "agree":
        return _("%(share)s of everyone who voted on it agree (%(count)s of %(seen)s)") % values
    return _("%(share)s of everyone who voted on it disagree (%(count)s of %(seen)s)") % values


def _share(count: int, seen: int) -> str:
    return i18n.fmt_share(count / seen if seen else None)


def _profiles(found: GroupsOut, languages: dict[int, str]) -> list[dict[str, Any]]:
    return [
        {
            "label": g.label,
            "size": g.size,
            "size_text": i18n.ngettext_("{n} participant", "{n} participants", g.size).format(
                n=i18n.fmt_number(g.size)
            ),
            "share": i18n.fmt_share(g.size / found.placed if found.placed else None),
            "tint": f"g{i % len(opinion_map.SHAPES)}",
            "shape": opinion_map.SHAPES[i % len(opinion_map.SHAPES)],
            "statements": [
                {
                    "number": r.statement,
                    "text": r.text,
                    "language": languages.get(r.statement, ""),
                    "stance": r.stance,
                    "words": _stance(r.stance, _share(r.count, r.seen), g.label, r.count, r.seen),
                }
                for r in g.representative
            ],
        }
        for i, g in enumerate(found.groups)
    ]


def groups_context(
    session: Session, consultation: Consultation, token: str | None
) -> dict[str, Any]:
    c = queries.consultation_out(session, consultation)
    found = queries.groups_of(session, consultation)
    languages = queries.statement_languages(session, consultation.id)
    labels = {g.id: g.label for g in found.groups}
    me = participant_of(session, consultation, token)
    points = [
        opinion_map.Placed(p.participant, p.group, p.x, p.y)
        for p in queries.map_points(session, consultation)
    ]
    placed = me is not None and me.x is not None and me.group_id is not None
    you = me.number if me and placed else None
    picture = opinion_map.picture(points, labels, you) if labels else None  # none before groups
    profiles = _profiles(found, languages)
    my_label = labels.get(me.group_id) if me and me.group_id is not None else None
    sizes = "; ".join(
        _("group %(group)s: %(size)s") % {"group": p["label"], "size": p["size_text"]}
        for p in profiles
    )
    return {
        "c": c,
        "found": found,
        "picture": picture,
        "profiles": profiles,
        "joined": me is not None,
        "my_group": my_label,
        "summary": _("%(placed)s participants on the map in %(k)s groups: %(sizes)s.")
        % {
            "placed": i18n.fmt_number(found.placed),
            "k": i18n.fmt_number(len(profiles)),
            "sizes": sizes,
        },
        "consensus": [
            {
                "text": x.text,
                "language": languages.get(x.statement, ""),
                "stance": x.stance,
                "words": _everyone(x.stance, _share(x.count, x.seen), x.count, x.seen),
            }
            for x in found.consensus
        ],
        "aware": [
            {
                "text": a.text,
                "language": languages.get(a.statement, ""),
                "score": i18n.fmt_share(a.score),
            }
            for a in found.group_aware_consensus
            if a.score > 0.5 ** max(len(profiles), 1)
        ][:AWARE],
    }


@router.get("/consultations/{number}/groups", response_class=HTMLResponse)
def groups_page(request: Request, number: str, db: DatabaseDep) -> Response:
    """The groups as last computed; computed here the first time, once there are votes (later
    runs are the worker's)."""
    with db.read() as session:
        consultation = find(session, number)
        if consultation is None:
            return missing(request, number)
        first = (
            consultation.groups_at is None and queries.consultation_out(session, consultation).votes
        )
    if first:
        grouping.compute_groups(db, number)
    with db.read() as session:
        consultation = queries.get_consultation(session, number)
        context = groups_context(session, consultation, token_of(request, number))
    return templates.TemplateResponse(request, "consultation_groups.html", context, headers=PRIVATE)
