"""Translations of the officials' workbench (English message → Kazakh, Russian)."""

T: dict[str, tuple[str, str]] = {}
