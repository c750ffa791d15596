"""Correcting what Arna read from the text: an official sets the topic (category) or the place
(KATO) of an appeal their body holds.

Arna suggests both at intake (`placement`): the topic from the text unless the applicant chose
one, the place from the KATO code, the map point or a place named in the text. A wrong guess is
corrected here, audited with the old and new values. The appeal is *not* re-routed: if the
corrected topic or place belongs to another body, the official forwards it (which has its own
3-working-day rule and tells the applicant), so no change of hands happens unseen.
"""

from __future__ import annotations

from datetime import datetime

from arna.appeals.actions.effects import audit_state, changing
from arna.appeals.actions.problems import relink_later
from arna.appeals.policy import OPEN, allowed_actions
from arna.appeals.queries import lock_appeal_for_action
from arna.bodies.competence import categories
from arna.core.actors import Actor
from arna.core.clock import now_utc
from arna.core.db import Database
from arna.core.errors import InvalidTransition, ValidationFailed
from arna.core.settings import Settings
from arna.geo.reference import units

# Set by an official: `category_source` and `place_source` then say who decided.
BY_OFFICIAL = "official"


def reclassify_appeal(
    db: Database,
    settings: Settings,
    actor: Actor,
    number: str,
    *,
    category: str | None = None,
    kato: str | None = None,
    now: datetime | None = None,
) -> None:
    """Set the topic and/or the place of an open appeal (None: leave it as it is). Only those
    who may answer it may (the officials of the body holding it, supervisors above, admins)."""
    now = now or now_utc()
    if category is not None and category not in categories():
        raise ValidationFailed(f"unknown category {category!r}", field="category")
    if kato is not None and (kato not in units() or units()[kato].level == 0):
        raise ValidationFailed(
            f"unknown place {kato!r}: give the KATO code of a region or district", field="kato"
        )
    with changing(db, settings) as effects:
        appeal = lock_appeal_for_action(effects.session, actor, number)
        if appeal.status not in OPEN:
            raise InvalidTransition(
                f"cannot reclassify an appeal that is {appeal.status}",
                status=appeal.status,
                allowed=allowed_actions(appeal.status),
            )
        before = {"category": appeal.category_id, "kato": appeal.kato}
        after = {
            "category": category if category is not None else appeal.category_id,
            "kato": kato if kato is not None else appeal.kato,
        }
        if after == before:
            raise ValidationFailed("the topic and the place are already these", field="category")
        old = {**audit_state(appeal), **before}
        if after["category"] != before["category"]:
            appeal.category_id, appeal.category_source = after["category"], BY_OFFICIAL
            appeal.needs_triage = False
        if after["kato"] != before["kato"] and after["kato"] is not None:
            appeal.kato, appeal.place_source = after["kato"], BY_OFFICIAL
            appeal.region_kato = units()[after["kato"]].region_kato
        appeal.updated_at = now
        relink_later(effects.session, appeal)
        effects.event(appeal, actor, "appeal.reclassified", old=old, reason=None, now=now, **after)
