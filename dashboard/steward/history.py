"""Release history: which versions exist, which one is served, who published or restored each, and from what.

``history.jsonl`` in the release folder gets one line per publish or rollback (who, when, which version, from
which upload and dataset snapshot); lines are appended under an exclusive lock, never rewritten. The served
version is whatever ``current`` points at; the dataset a new wave is added to is the snapshot that version was
built from (the configured dataset for a version built at start-up).
"""

from __future__ import annotations

import fcntl
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

from dashboard.published import table as TB
from dashboard.published.tiers import Tier

HISTORY_FILE: Final = "history.jsonl"
PUBLISH: Final = "publish"
ROLLBACK: Final = "rollback"


@dataclass(frozen=True)
class Version:
    name: str  # the folder name under versions/ (a UTC time stamp)
    published_at: str
    dataset: str  # dataset name and version
    waves: tuple[int, ...]
    by: str | None  # who published it (None: built at start-up or from the command line without a name)
    wave_added: int | None
    current: bool


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def current_version(release_dir: Path) -> str | None:
    link = release_dir / TB.CURRENT
    if not link.is_symlink():
        return None
    return Path(os.readlink(link)).name


def append(release_dir: Path, entry: dict[str, Any]) -> None:
    release_dir.mkdir(parents=True, exist_ok=True)
    line = (json.dumps({"at": now_iso(), **entry}, sort_keys=True) + "\n").encode("utf-8")
    fd = os.open(release_dir / HISTORY_FILE, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.write(fd, line)
        os.fsync(fd)
    finally:
        os.close(fd)


def entries(release_dir: Path) -> list[dict[str, Any]]:
    path = release_dir / HISTORY_FILE
    if not path.is_file():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict):
            out.append(entry)
    return out


def _meta(version_dir: Path) -> dict[str, Any]:
    try:
        return json.loads((version_dir / Tier.PUBLIC / TB.RELEASE_META).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def versions(release_dir: Path) -> list[Version]:
    """Every complete published version, newest first."""
    folder = release_dir / TB.VERSIONS
    if not folder.is_dir():
        return []
    served = current_version(release_dir)
    published = {e["version"]: e for e in entries(release_dir) if e.get("action") == PUBLISH and "version" in e}
    out = []
    for path in sorted(folder.iterdir(), reverse=True):
        if path.name.startswith(".") or not path.is_dir():
            continue  # a staging folder left by an interrupted write is never a version
        meta = _meta(path)
        if not meta:
            continue
        dataset = meta.get("dataset", {})
        entry = published.get(path.name, {})
        stamp = TB._version_of(path).get("published_at", "")
        out.append(
            Version(
                name=path.name,
                published_at=stamp,
                dataset=f"{dataset.get('name', '?')} {dataset.get('version', '')}".strip(),
                waves=tuple(int(w) for w in meta.get("waves", [])),
                by=entry.get("by"),
                wave_added=entry.get("wave"),
                current=path.name == served,
            )
        )
    return out


def dataset_of(release_dir: Path, version: str | None, default: Path) -> Path:
    """The dataset folder ``version`` was built from (``default`` if it was not published by a steward)."""
    if version is None:
        return default
    for entry in reversed(entries(release_dir)):
        if entry.get("action") == PUBLISH and entry.get("version") == version and entry.get("dataset"):
            path = Path(entry["dataset"])
            if path.is_dir():
                return path
    return default
