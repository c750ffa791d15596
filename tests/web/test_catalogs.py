"""Every message of every page is translated in kk, ru and en."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from arna.web.i18n import LANGUAGES

SRC = Path(__file__).resolve().parents[2] / "src" / "arna"
METHODS = [("**/templates/**.html", "jinja2"), ("**.py", "python")]
OPTIONS = {"**/templates/**.html": {"extensions": "jinja2.ext.i18n"}}


def _message_ids() -> set[str]:
    found = extract_from_dir(
        str(SRC), METHODS, keywords={"_": None, "gettext_": None}, options_map=OPTIONS
    )
    return {message for _, _, message, _, _ in found if isinstance(message, str)}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_message_is_translated(lang: str) -> None:
    ids = _message_ids()
    assert len(ids) > 50
    path = resources.files("arna.web").joinpath("locale", lang, "LC_MESSAGES", "messages.po")
    with path.open("rb") as f:
        catalog = read_po(f)
    untranslated = sorted(m for m in ids if not (catalog.get(m) and catalog.get(m).string))
    assert untranslated == [], f"{lang}: untranslated message ids"
