"""Secrets Arna must hold for a while without being able to show them to whoever reads the
database or a backup: sealed (encrypted and authenticated) with a key that lives outside the
database, and keyed digests of personal data that stay comparable without being reversible.

The key comes from ARNA_SECRET_KEY; without it, from `<data_dir>/secret.key`, made on first use
with 32 random bytes and mode 0600. Every process of one installation must see the same key.
Two keys are derived from it (HKDF): one seals, one keys the digests.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import os
import secrets
from functools import lru_cache
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from arna.core.settings import Settings

KEY_FILE = "secret.key"


class SecretUnavailable(Exception):
    """A sealed value that this installation's key cannot open (the key changed)."""


def _master_key(settings: Settings) -> bytes:
    if settings.secret_key is not None:
        return settings.secret_key.get_secret_value().encode("utf-8")
    return _key_file(settings.data_dir.absolute())  # no filesystem call: this is per appeal


@lru_cache(maxsize=8)
def _key_file(data_dir: Path) -> bytes:
    path = data_dir / KEY_FILE
    if not path.exists():
        # written aside and linked into place: a process never reads a half-written key, and
        # when two make one at once, both use the one linked first
        data_dir.mkdir(parents=True, exist_ok=True)
        draft = data_dir / f".{KEY_FILE}.{os.getpid()}.{secrets.token_hex(4)}"
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w") as file:
                file.write(secrets.token_hex(32) + "\n")
                file.flush()
                os.fsync(file.fileno())
            with contextlib.suppress(FileExistsError):
                os.link(draft, path)
        finally:
            draft.unlink()
    key = path.read_text(encoding="ascii").strip()
    if len(key) < 32:
        raise RuntimeError(f"{path} holds no key; delete it to make a new one")
    return key.encode("ascii")


def _derive(master: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(master)


@lru_cache(maxsize=8)
def _fernet(master: bytes) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_derive(master, b"arna/seal/v1")))


@lru_cache(maxsize=8)
def _digest_key(master: bytes) -> bytes:
    return _derive(master, b"arna/keyed-digest/v1")


def seal(settings: Settings, value: str) -> str:
    """`value` encrypted and authenticated: text to store, opened only with the key."""
    return _fernet(_master_key(settings)).encrypt(value.encode("utf-8")).decode("ascii")


def unseal(settings: Settings, sealed: str) -> str:
    try:
        return _fernet(_master_key(settings)).decrypt(sealed.encode("ascii")).decode("utf-8")
    except (InvalidToken, ValueError) as exc:
        raise SecretUnavailable("this value was sealed with another key") from exc


def keyed_digest(settings: Settings, value: str) -> str:
    """HMAC-SHA256 of `value`: equal values give equal digests, but without the key nobody can
    test a guess (an IIN has few enough possible values to try them all against a plain hash)."""
    return hmac.new(
        _digest_key(_master_key(settings)), value.encode("utf-8"), hashlib.sha256
    ).hexdigest()


def derived_key(settings: Settings, purpose: str) -> bytes:
    """A key of its own for one purpose (`arna/listening-author/v1`), derived from the
    installation's key: a slice keys its digests without ever holding the master key."""
    return _derive(_master_key(settings), purpose.encode("ascii"))
