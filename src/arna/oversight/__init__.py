"""Oversight: how bodies and places answer the appeals they hold, in public figures."""
