"""What the petitions' pages show, made from the queries' views: the choices of the forms, a
petition's state in plain words, its progress against the threshold, the chart over time and
the figures of the map. No SQL here: the session is handed to the queries."""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from arna.bodies.reference import bodies
from arna.core import i18n
from arna.core.clock import now_utc, to_local_date
from arna.core.collation import sort_key
from arna.core.settings import Settings
from arna.geo.reference import boundaries, units
from arna.petitions import labels, policy, queries, rules
from arna.petitions.addressees import addressees
from arna.petitions.models import Petition
from arna.petitions.schemas import PetitionDetail, PetitionOut
from arna.web import charts
from arna.web.charts import Chart
from arna.web.templating import NO_STORE, make_templates

templates = make_templates("arna.petitions")
_ = i18n.gettext_
# Pages with an author's code or a signer's sealed details: no cache, no referrer.
PRIVATE = {**NO_STORE, "Referrer-Policy": "no-referrer"}

Groups = list[tuple[str, list[tuple[str, str]]]]  # (group label, [(value, text)])


def today() -> date:
    return to_local_date(now_utc())


def region_choices() -> list[tuple[str, str]]:
    """(KATO, name) of the oblasts and cities of republican significance, by name."""
    lang = i18n.current()
    found = [
        (u.kato, u.name(lang)) for u in units().values() if u.level == 1 and u.valid_to is None
    ]
    return sorted(found, key=lambda r: sort_key(r[1], lang))


@cache
def region_shapes() -> dict[str, str]:
    """Each region's boundary as GeoJSON text (the map's label points are cached by it)."""
    return {k: json.dumps(g) for k, g in boundaries(1).items()}


def region_name(kato: str) -> str:
    unit = units().get(kato)
    return unit.name(i18n.current()) if unit else kato


def addressee_groups(day: date, with_threshold: bool = True) -> Groups:
    """The bodies a petition may be addressed to: the Government, then each region's akimat
    and maslikhat followed by those of its large cities, regions by name."""
    lang = i18n.current()
    grouped: dict[str, list[tuple[tuple[Any, ...], str, str]]] = {}
    for a in addressees(day):
        region = a.region_kato or ""
        unit = units().get(a.body.kato or "")
        city = unit is not None and unit.level == 2
        order = (city, sort_key(unit.name(lang) if city and unit else "", lang), a.body.kind)
        name = a.body.name(lang)
        text = (
            _("{name} (threshold: {n})").format(name=name, n=i18n.fmt_number(a.threshold))
            if with_threshold
            else name
        )
        grouped.setdefault(region, []).append((order, a.body.id, text))
    out: Groups = []
    for region in sorted(grouped, key=lambda k: (k != "", sort_key(region_name(k), lang))):
        label = region_name(region) if region else _("The whole country")
        out.append((label, [(i, t) for _o, i, t in sorted(grouped[region])]))
    return out


def missing(request: Request, number: str) -> HTMLResponse:
    return templates.TemplateResponse(
        request, "petition_missing.html", {"number": number}, status_code=404
    )


# --- one petition ----------------------------------------------------------------------------


def signatures_text(n: int) -> str:
    """ "2,500 signatures", with the plural of the page's language."""
    return i18n.ngettext_("{n} signature", "{n} signatures", n).format(n=i18n.fmt_number(n))


def is_overdue(p: PetitionOut | Petition, day: date) -> bool:
    return p.status == policy.RESPONSE_DUE and p.response_due is not None and p.response_due < day


def body_name(body_id: str | None) -> str:
    return queries.addressee_name(body_id, i18n.current()) if body_id else ""


def body_above(body_id: str | None) -> str:
    """The body an unanswered petition goes up to, if there is one."""
    body = bodies().get(body_id or "")
    return body_name(body.parent_id) if body and body.parent_id else ""


def sentence(p: PetitionDetail, day: date) -> str:
    """The state of a petition in one plain sentence."""
    need = rules.term("cosigners")
    owes = body_name(p.body_id or p.addressee_id)
    if p.status == policy.DRAFT:
        return _("A draft: only its author sees it, until they send it out for co-signers.")
    if p.status == policy.COSIGNING:
        return _(
            "Gathering co-signers by direct link: it needs %(need)s by %(date)s to go to "
            "moderation."
        ) % {"need": i18n.fmt_number(need), "date": i18n.fmt_date(p.cosign_due)}
    if p.status == policy.MODERATION:
        return _(
            "The co-signers joined it; the moderators decide by %(date)s whether to publish it."
        ) % {"date": i18n.fmt_date(p.moderation_due)}
    if p.status == policy.OPEN:
        left = max(p.threshold - p.signatures, 0)
        return _(
            "Collecting signatures until %(date)s: %(left)s more are needed for %(body)s to owe "
            "an answer."
        ) % {"date": i18n.fmt_date(p.closes_on), "left": i18n.fmt_number(left), "body": owes}
    if p.status == policy.RESPONSE_DUE and is_overdue(p, day):
        return _("The threshold was reached, and %(body)s has not answered by %(date)s.") % {
            "body": owes,
            "date": i18n.fmt_date(p.response_due),
        }
    if p.status == policy.RESPONSE_DUE:
        return _("The threshold was reached: %(body)s must answer by %(date)s.") % {
            "body": owes,
            "date": i18n.fmt_date(p.response_due),
        }
    if p.status == policy.ANSWERED:
        return _("%(body)s answered on %(date)s; the answer is below.") % {
            "body": owes,
            "date": i18n.fmt_date(p.answered_at),
        }
    if p.status == policy.REJECTED:
        return _("Rejected in moderation: %(reason)s.") % {
            "reason": labels.reason_name(p.reason_code)
        }
    if p.status == policy.LAPSED:
        return _("Lapsed: it did not gather %(need)s co-signers by %(date)s.") % {
            "need": i18n.fmt_number(need),
            "date": i18n.fmt_date(p.cosign_due),
        }
    return _("The collection ended on %(date)s below the threshold.") % {
        "date": i18n.fmt_date(p.closes_on)
    }


def progress(signatures: int, threshold: int, status: str) -> dict[str, Any]:
    """The progress bar: against the co-signers needed while gathering them, else the
    threshold."""
    cosigning = status in (policy.DRAFT, policy.COSIGNING, policy.LAPSED)
    goal = rules.term("cosigners") if cosigning else threshold
    n, goal_text = i18n.fmt_number(signatures), i18n.fmt_number(goal)
    text = (
        _("%(n)s of the %(goal)s co-signers needed")
        if cosigning
        else _("%(n)s of %(goal)s signatures")
    ) % {"n": n, "goal": goal_text}
    return {
        "value": min(signatures, goal),
        "max": goal,
        "text": text,
        "share": i18n.fmt_share(min(signatures / goal, 1.0) if goal else None),
    }


def over_time(p: PetitionDetail) -> Chart:
    points = [(step.day, step.signatures) for step in p.progress]
    return charts.cumulative(
        "signatures-over-time",
        _("Valid signatures collected, by the end of each day that had any"),
        points,
        day_title=_("Day"),
        count_title=_("Signatures by the end of the day"),
        goal=p.threshold if p.signatures * 4 >= p.threshold else None,
        goal_title=_("Threshold"),
    )


def region_rows(p: PetitionDetail, min_cell: int) -> list[dict[str, str]]:
    fewer = _("fewer than %(n)s") % {"n": i18n.fmt_number(min_cell)}
    return [
        {
            "kato": r.kato,
            "name": r.name,
            "text": fewer if r.signatures is None else i18n.fmt_number(r.signatures),
        }
        for r in p.regions
    ]


def invalidation_texts(p: PetitionDetail) -> list[tuple[Any, str]]:
    return [
        (
            i.at,
            i18n.ngettext_(
                "{n} signature invalidated: {reason}",
                "{n} signatures invalidated: {reason}",
                i.count,
            ).format(n=i18n.fmt_number(i.count), reason=i.reason),
        )
        for i in p.invalidations
    ]


def signable(p: PetitionOut | Petition, day: date) -> bool:
    return p.status in policy.SIGNABLE and (p.closes_on is None or p.closes_on >= day)


def petition_context(
    session: Session, settings: Settings, petition: Petition, recent: int = 10
) -> dict[str, Any]:
    """Everything the petition's page (and the author's page) shows of it."""
    lang = i18n.current()
    p = queries.detail(session, petition, lang, settings.min_cell)
    day = today()
    overdue = is_overdue(p, day)
    basis, translated = labels.basis_name(petition.threshold_id, p.threshold_basis)
    return {
        "p": p,
        "badge_class": labels.badge_class(p.status, overdue),
        "status_name": labels.status_name(p.status, overdue),
        "sentence": sentence(p, day),
        "overdue": overdue,
        "owes": body_name(p.body_id or p.addressee_id),
        "above": body_above(p.body_id) if p.status == policy.RESPONSE_DUE else "",
        "threshold_text": signatures_text(p.threshold),
        "basis": basis,
        "basis_translated": translated,
        "progress": progress(p.signatures, p.threshold, p.status),
        "over_time": over_time(p),
        "regions": region_rows(p, settings.min_cell),
        "min_cell": settings.min_cell,
        "invalidations": invalidation_texts(p),
        "recent": queries.recent_signers(session, petition.id, recent),
        "reason": labels.reason_name(p.reason_code),
        "signable": signable(p, day),
        "cosigners": rules.term("cosigners"),
        "cosigning_days": rules.term("cosigning"),
    }
