"""Translations of the public pages (English message → Kazakh, Russian)."""

T: dict[str, tuple[str, str]] = {}
