"""The audience tiers (SPEC §4), spelled once: every module names a tier with ``Tier`` and orders tiers by rank."""

from __future__ import annotations

from enum import StrEnum
from typing import Final


class Tier(StrEnum):
    """Audience tiers, each a plain string (``Tier.PUBLIC == "public"``), so they key JSON, URLs and folders."""

    PUBLIC = "public"
    FUNDER = "funder"
    COALITION = "coalition"
    STEWARD = "steward"


TIERS_ASCENDING: Final[tuple[Tier, ...]] = (Tier.PUBLIC, Tier.FUNDER, Tier.COALITION, Tier.STEWARD)
"""Tiers from the least to the most privileged."""

PUBLISHED_TIERS: Final[tuple[Tier, ...]] = (Tier.PUBLIC, Tier.FUNDER, Tier.COALITION)
"""Tiers a release publishes a folder for (stewards read the coalition release, and the microdata tools)."""

ROUNDED_TIERS: Final[tuple[Tier, ...]] = (Tier.PUBLIC, Tier.FUNDER)
"""Tiers whose counts are published rounded to base 5 (``policy_for(tier).rounded``)."""


def rank(tier: str) -> int:
    """0 for public … 3 for steward. Raises ValueError for a string that is not a tier."""
    return TIERS_ASCENDING.index(Tier(tier))
