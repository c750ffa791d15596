"""Every message of every page, form and e-mail is translated in kk and ru (English is the
source language, written in the code and the templates)."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.catalog import Message
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from arna.core.i18n import TRANSLATED, catalog_path

SRC = Path(__file__).resolve().parents[2] / "src" / "arna"
METHODS = [("**/templates/**.html", "jinja2"), ("**.py", "python")]
OPTIONS = {"**/templates/**.html": {"extensions": "jinja2.ext.i18n"}}
KEYWORDS = {"_": None, "gettext_": None, "N_": None}


def _message_ids() -> set[str]:
    found = extract_from_dir(str(SRC), METHODS, keywords=KEYWORDS, options_map=OPTIONS)
    return {message for _, _, message, _, _ in found if isinstance(message, str)}


def _translated(message: Message | None) -> bool:
    return message is not None and bool(message.string) and not message.fuzzy


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_message_is_translated(lang: str) -> None:
    ids = _message_ids()
    assert len(ids) > 50
    with catalog_path(lang).open("rb") as f:
        catalog = read_po(f)
    untranslated = sorted(m for m in ids if not _translated(catalog.get(m)))
    assert untranslated == [], f"{lang}: untranslated (or fuzzy) message ids"
