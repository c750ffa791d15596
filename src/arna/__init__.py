"""Arna: a channel from the people of Kazakhstan to their state."""

__version__ = "0.1.0"
