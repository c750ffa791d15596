"""What maintenance commands refuse or fail at, said so that an operator knows what to do."""

from __future__ import annotations


class BackupError(Exception):
    """A backup or restore that cannot be done: the message says why (no traceback needed)."""
