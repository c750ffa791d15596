"""Text understanding (see analysis.py)."""
