"""What a published release offers a presentation deck, computed once per release object."""

from __future__ import annotations

from dashboard.present.model import Published
from dashboard.release.table import Release

_PUBLISHED: dict[int, tuple[Release, Published]] = {}


def published(release: Release) -> Published:
    """What ``release`` publishes, as a deck checker needs it (computed once per release object)."""
    entry = _PUBLISHED.get(id(release))
    if entry is None or entry[0] is not release:
        entry = (release, Published.of(release))
        _PUBLISHED[id(release)] = entry
        while len(_PUBLISHED) > 8:  # releases replaced by a publish or rollback are let go
            _PUBLISHED.pop(next(iter(_PUBLISHED)))
    return entry[1]
