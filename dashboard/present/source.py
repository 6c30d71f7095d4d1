"""The public release a presenter sees, whatever tier this process serves (presenters are the public tier)."""

from __future__ import annotations

from pathlib import Path
from threading import Lock
from typing import Final

from dashboard.present.model import Published
from dashboard.release.table import Release

PUBLIC: Final = "public"
_CACHE: dict[str, Release] = {}
_PUBLISHED: dict[int, tuple[Release, Published]] = {}
_LOCK = Lock()


def public_release(served: Release, release_dir: Path) -> Release:
    """``served`` if it is the public release, else the public release of ``release_dir`` (read once per process).

    Raises ReleaseError if there is no public release to read.
    """
    if served.tier == PUBLIC:
        return served
    key = str(release_dir)
    with _LOCK:
        if key not in _CACHE:
            _CACHE[key] = Release.load(release_dir, PUBLIC)
        return _CACHE[key]


def published(release: Release) -> Published:
    """What ``release`` publishes, as a deck checker needs it (computed once per release object)."""
    entry = _PUBLISHED.get(id(release))
    if entry is None or entry[0] is not release:
        entry = (release, Published.of(release))
        _PUBLISHED[id(release)] = entry
    return entry[1]
