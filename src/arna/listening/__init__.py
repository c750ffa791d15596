"""Listening: public comments turned into aggregates (issue 15)."""
