"""What a published release offers a presentation deck, computed once per release object."""

from __future__ import annotations

from dashboard.present.model import Published
from dashboard.published.table import Release


def published(release: Release) -> Published:
    """What ``release`` publishes, as a deck checker needs it (computed once per release: ``Release.derived``)."""
    return release.derived(Published.of)
