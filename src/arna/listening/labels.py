"""The names people read for the institutions comments are about, in the page's language."""

from __future__ import annotations

from arna.core.i18n import gettext_ as _


def target_names() -> dict[str, str]:
    return {
        "akimat": _("Akimats"),
        "ministry": _("Ministries and committees"),
        "police": _("Police"),
        "court": _("Courts"),
        "prosecutor": _("Prosecutors"),
        "parliament": _("Parliament"),
        "party": _("Political parties"),
        "utility_company": _("Utilities"),
        "state_company": _("State companies"),
        "private_business": _("Private businesses"),
        "other": _("Other institutions"),
    }
