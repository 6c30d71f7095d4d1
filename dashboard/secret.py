"""The per-deployment release secret behind the record keys (SPEC §4). It never leaves the server."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

SECRET_BYTES = 32
MIN_SECRET_BYTES = 16
"""Shortest accepted per-release secret."""


class SecretError(ValueError):
    """The secret file is unreadable or too short."""


def load_or_create(path: Path) -> bytes:
    """Read the secret (hex) from ``path``, creating it with 32 random bytes (mode 0600) if it is missing."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(secrets.token_hex(SECRET_BYTES) + "\n")
    try:
        secret = bytes.fromhex(path.read_text(encoding="ascii").strip())
    except (ValueError, UnicodeDecodeError) as err:
        raise SecretError(f"{path}: the release secret must be hex text") from err
    if len(secret) < MIN_SECRET_BYTES:
        raise SecretError(f"{path}: the release secret must be at least {MIN_SECRET_BYTES} bytes")
    return secret
