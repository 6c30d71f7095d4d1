"""The public release a presenter sees, whatever tier this process serves (presenters are the public tier)."""

from __future__ import annotations

from threading import Lock
from typing import Final

from dashboard.present.model import Published
from dashboard.release.table import Release

PUBLIC: Final = "public"
_PUBLISHED: dict[int, tuple[Release, Published]] = {}
_LOCK = Lock()


def published(release: Release) -> Published:
    """What ``release`` publishes, as a deck checker needs it (computed once per release object)."""
    entry = _PUBLISHED.get(id(release))
    if entry is None or entry[0] is not release:
        entry = (release, Published.of(release))
        _PUBLISHED[id(release)] = entry
        while len(_PUBLISHED) > 8:  # releases replaced by a publish or rollback are let go
            _PUBLISHED.pop(next(iter(_PUBLISHED)))
    return entry[1]
