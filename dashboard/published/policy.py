"""Per-tier disclosure-control parameters (SPEC §4, "Audiences and disclosure control")."""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.published.tiers import TIERS_ASCENDING, Tier

CLASS_DISCLOSURE_SHARE = 0.9
"""A group discloses a class when at least this share of it gives one answer to a sensitive item."""


@dataclass(frozen=True, slots=True)
class TierPolicy:
    """Disclosure-control parameters of one tier.

    Attributes:
        tier: The tier these parameters apply to.
        max_dimensions: Dimensions a table may cross at once besides the wave; ``None`` means no limit.
        sector_groups: Show coarse sector groups instead of sectors.
        min_group_size: Smallest denominator a percentage may be computed over (0: no rule).
        suppress_below: Cells with a count in ``1 .. suppress_below - 1`` are primary-suppressed (0: none).
        suppress_below_sensitive: The same for items marked sensitive.
        rounded: Counts are published rounded to base 5 with the seeded cell-key method.
        class_disclosure_min_group: A class disclosure in a group smaller than this is blocked; ``None`` means
            such disclosures are only warned about.
        exports: The file formats a reader of the tier may download the published table on screen as (every
            page offers the same ones: ``dashboard.published.export``); none means chart images only.
        class_disclosure_share: Share of a group giving one answer that makes a class disclosure.
    """

    tier: Tier
    max_dimensions: int | None
    sector_groups: bool
    min_group_size: int
    suppress_below: int
    suppress_below_sensitive: int
    rounded: bool
    class_disclosure_min_group: int | None
    exports: tuple[str, ...] = ()
    class_disclosure_share: float = CLASS_DISCLOSURE_SHARE

    def threshold(self, sensitive: bool = False) -> int:
        """Return the primary-suppression threshold: counts ``1 .. threshold - 1`` are suppressed."""
        return self.suppress_below_sensitive if sensitive else self.suppress_below

    @property
    def blocks_class_disclosure(self) -> bool:
        """True when class disclosures are blocked rather than only warned about."""
        return self.class_disclosure_min_group is not None


_Row = tuple[int | None, bool, int, int, int, bool, int | None, tuple[str, ...]]

# The fields of TierPolicy after ``tier``, in their order (class_disclosure_share is the same for every tier).
# fmt: off
_TABLE: dict[Tier, _Row] = {
    #               max_dim  groups  min_group  below  sensitive  rounded  class_min  exports
    Tier.PUBLIC:    (1,      True,   10,        5,     5,         True,    20,        ()),  # SPEC §4: chart images only
    Tier.FUNDER:    (2,      True,   10,        5,     5,         True,    20,        ("csv",)),  # the table on screen
    Tier.COALITION: (3,      False,  5,         4,     5,         False,   10,        ("csv", "xlsx")),
    # published tables on these pages; raw exports are the steward pages' own
    Tier.STEWARD:   (None,   False,  0,         0,     0,         False,   None,      ("csv", "xlsx")),
}
# fmt: on

POLICIES: dict[str, TierPolicy] = {tier: TierPolicy(tier, *row) for tier, row in _TABLE.items()}
"""The policy of every tier, keyed by tier name."""


def _check_tier(tier: str) -> Tier:
    """Return ``tier`` as a :class:`Tier`, raising ``ValueError`` if it is not one."""
    try:
        return Tier(tier)
    except ValueError:
        known = ", ".join(TIERS_ASCENDING)
        raise ValueError(f"unknown tier {tier!r}; expected one of: {known}") from None


def policy_for(tier: str) -> TierPolicy:
    """Return the policy of ``tier``; raise ``ValueError`` for an unknown tier."""
    return POLICIES[_check_tier(tier)]


def lower_tiers(tier: str) -> tuple[Tier, ...]:
    """Return the tiers strictly below ``tier``, least privileged first; raise ``ValueError`` if unknown."""
    return TIERS_ASCENDING[: TIERS_ASCENDING.index(_check_tier(tier))]
