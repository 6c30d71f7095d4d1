"""The append-only audit log (SPEC §7): one JSON line per event, safe to append to from many processes.

The log never holds data values or passwords. Callers pass only counts, file names, release versions, rule
codes, usernames and the like, as scalar keyword fields: a list, a dict or a DataFrame is refused (TypeError),
and every string is cut to 200 characters with newlines and other control characters removed, so that no
entry can forge another.

Each entry: ``{"at": "2025-01-31T12:00:00.123Z", "event": "login", "user": ..., "address": ..., **fields}``.
"""

from __future__ import annotations

import fcntl
import json
import math
import os
import re
import unicodedata
from collections import deque
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

LOGIN = "login"
LOGIN_FAILED = "login_failed"
LOGIN_THROTTLED = "login_throttled"
LOGOUT = "logout"
UPLOAD = "upload"
UPLOAD_REFUSED = "upload_refused"
PUBLISH = "publish"
PUBLISH_FAILED = "publish_failed"
ROLLBACK = "rollback"
EXPORT = "export"
DENIED = "denied"
ACCOUNT = "account"  # account changes made with `python -m dashboard users`
EVENTS = frozenset(
    {LOGIN, LOGIN_FAILED, LOGIN_THROTTLED, LOGOUT, UPLOAD, UPLOAD_REFUSED}
    | {PUBLISH, PUBLISH_FAILED, ROLLBACK, EXPORT, DENIED, ACCOUNT}
)

MAX_TEXT = 200
FILE_MODE = 0o600
RESERVED_KEYS = frozenset({"at", "event", "user", "address"})
_FIELD_NAME = re.compile(r"[a-z_][a-z0-9_]{0,39}")
_UNPRINTABLE = frozenset({"Cc", "Cf", "Zl", "Zp"})  # control, format (e.g. bidi overrides), line/paragraph seps
Scalar = str | int | float | bool | None


def clean_text(text: str) -> str:
    """``text`` without control characters, cut to MAX_TEXT characters."""
    rough = text[: MAX_TEXT * 4]
    return "".join(ch for ch in rough if unicodedata.category(ch) not in _UNPRINTABLE)[:MAX_TEXT]


def clean_value(name: str, value: object) -> Scalar:
    """A field value as it is logged; TypeError for anything but a string, number, boolean or None."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value) if math.isfinite(value) else str(value)
    raise TypeError(f"audit field {name!r} must be a string, number, boolean or None, not {type(value).__name__}")


def timestamp() -> str:
    """Now, ISO-8601 UTC with milliseconds, e.g. ``2025-01-31T12:00:00.123Z``."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _entry(event: str, user: str | None, address: str | None, fields: Mapping[str, object]) -> dict[str, Scalar]:
    if event not in EVENTS:
        raise ValueError(f"unknown audit event {str(event)[:40]!r}")
    entry: dict[str, Scalar] = {
        "at": timestamp(),
        "event": event,
        "user": clean_value("user", user),
        "address": clean_value("address", address),
    }
    for name, value in fields.items():
        if name in RESERVED_KEYS or not _FIELD_NAME.fullmatch(name):
            raise ValueError(f"invalid audit field name {name[:40]!r}")
        entry[name] = clean_value(name, value)
    return entry


class AuditLog:
    """An append-only JSON-lines audit log at ``path`` (created with mode 0600, and its folder, if missing)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        os.close(self._open())

    def _open(self) -> int:
        return os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, FILE_MODE)

    def record(self, event: str, *, user: str | None = None, address: str | None = None, **fields: Scalar) -> None:
        """Append one entry. Pass counts, file names, versions and rule codes only: never data values or passwords.

        ValueError for an unknown event or field name, TypeError for a field that is not a scalar.
        """
        entry = _entry(event, user, address, fields)
        line = (json.dumps(entry, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
        fd = self._open()  # reopened each time: a rotated-away log is recreated
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                written = os.write(fd, line)
                while written < len(line):  # a short write to a regular file is rare; finish it under the lock
                    written += os.write(fd, line[written:])
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    def read(self, limit: int | None = None) -> list[dict[str, Any]]:
        """The newest ``limit`` entries (all if None), oldest first; corrupt lines are skipped."""
        if limit is not None and limit < 0:
            raise ValueError("limit must be zero or more")
        entries: deque[dict[str, Any]] = deque(maxlen=limit)
        try:
            with self.path.open("rb") as fh:
                for raw in fh:
                    entry = _parse(raw)
                    if entry is not None:
                        entries.append(entry)
        except FileNotFoundError:
            return []
        return list(entries)


def _parse(raw: bytes) -> dict[str, Any] | None:
    """One log line as a dict, or None if it is not a complete entry."""
    try:
        entry = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    if not isinstance(entry, dict) or "event" not in entry or "at" not in entry:
        return None
    return entry
