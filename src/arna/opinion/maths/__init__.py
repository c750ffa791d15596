"""The opinion maths of Pol.is over plain arrays: no database, no HTTP (docs/methodology.md)."""
