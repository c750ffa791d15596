"""The Jinja2 environment of every page: autoescaping, gettext, locale formatting."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.templating import Jinja2Templates

from arna.core import i18n

# Pages that hold personal data or secrets: no cache keeps a copy.
NO_STORE = {"Cache-Control": "no-store"}


def _switch_url(request: Request, lang: str) -> str:
    query = dict(request.query_params)
    query["lang"] = lang
    return f"{request.url.path}?{urlencode(query)}"


def _context(request: Request) -> dict[str, Any]:
    return {
        "lang": i18n.current(),
        "languages": i18n.NAMES,
        "switch_url": lambda lang: _switch_url(request, lang),
    }


@cache
def make_templates(package: str, *lower: str) -> Jinja2Templates:
    """Templates of a slice (`arna.appeals`…) that can extend the shared layout of `arna.web`
    and use the templates of the `lower` slices it builds on."""
    from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape

    folders = [str(resources.files(p).joinpath("templates")) for p in (package, *lower)]
    if package != "arna.web":
        folders.append(str(resources.files("arna.web").joinpath("templates")))
    env = Environment(
        loader=ChoiceLoader([FileSystemLoader(f) for f in folders]),
        autoescape=select_autoescape(default=True),
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_callables(i18n.gettext_, i18n.ngettext_, newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(
        fmt_date=i18n.fmt_date,
        fmt_datetime=i18n.fmt_datetime,
        fmt_number=i18n.fmt_number,
        fmt_share=i18n.fmt_share,
        fmt_rate=i18n.fmt_rate,
    )
    return Jinja2Templates(env=env, context_processors=[_context])
