"""Kazakhstan's territorial units: KATO codes, names, aliases, boundaries and population."""
