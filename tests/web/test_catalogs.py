"""Every message of every page, form and e-mail is translated in kk and ru (English is the
source language, written in the code and the templates), and no translation can break the
text it is put into."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

from arna.appeals import notices
from arna.core.i18n import LANGUAGES, TRANSLATED, catalog_path

SRC = Path(__file__).resolve().parents[2] / "src" / "arna"
METHODS = [("**/templates/**.html", "jinja2"), ("**.py", "python")]
OPTIONS = {"**/templates/**.html": {"extensions": "jinja2.ext.i18n"}}
# Babel's own (gettext, ngettext, {% trans %} …) and the project's: the same as `make i18n`.
KEYWORDS = {**DEFAULT_KEYWORDS, "gettext_": None, "ngettext_": (1, 2), "N_": None}
PLACEHOLDER = re.compile(r"\{[a-z_]*\}|%\([a-z_]+\)[sd]")


def _message_ids() -> set[str | tuple[str, ...]]:
    found = extract_from_dir(str(SRC), METHODS, keywords=KEYWORDS, options_map=OPTIONS)
    return {message for _, _, message, _, _ in found if message}


def _catalog(lang: str) -> Catalog:
    with catalog_path(lang).open("rb") as f:
        return read_po(f)


def _translated(message: Message | None) -> bool:
    if message is None or message.fuzzy:
        return False
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return all(strings)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_message_is_translated(lang: str) -> None:
    ids = _message_ids()
    assert len(ids) > 50
    catalog = _catalog(lang)
    untranslated = sorted(
        str(m) for m in ids if not _translated(catalog.get(m[0] if isinstance(m, tuple) else m))
    )
    assert untranslated == [], f"{lang}: untranslated (or fuzzy) message ids"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_translations_keep_the_placeholders(lang: str) -> None:
    """A translation that drops or renames `{number}` or `%(page)s` would fail at run time,
    inside the transaction that sends the e-mail."""
    wrong = []
    for message in _catalog(lang):
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = set(PLACEHOLDER.findall(ids[0]))
        wrong += [(ids[0], s) for s in strings if set(PLACEHOLDER.findall(s)) != expected]
    assert wrong == []


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("event", sorted(notices.TEXTS))
def test_every_email_renders_in_every_language(event: str, lang: str) -> None:
    fields = dict.fromkeys(
        ("number", "body_name", "due_date", "status", "outcome", "reason", "url", "access_code"),
        "x",
    )
    row, secrets = notices.message(
        event=event,
        recipient="a@example.kz",
        language=lang,
        fields={**fields, "number": "A-2026-000001", "due_date": "2026-12-21"},
        appeal_id=1,
        now=datetime(2026, 12, 6, tzinfo=UTC),
    )
    assert "A-2026-000001" in str(row["subject"]) + str(row["body"])
    assert row["language"] == lang
    if "{due_date}" in notices.TEXTS[event][1]:  # a date people read, in their language
        assert "2026-12-21" not in str(row["body"]) and "21" in str(row["body"])
    if "{access_code}" in notices.TEXTS[event][1]:  # kept out of the stored text, sealed apart
        assert secrets == {"access_code": "x"}
        assert notices.placeholder("access_code") in str(row["body"])
