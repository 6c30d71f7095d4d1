"""Tests of the per-tier disclosure policy (SPEC §4 table)."""

from __future__ import annotations

import dataclasses

import pytest

from dashboard.published.policy import POLICIES, lower_tiers, policy_for
from dashboard.published.tiers import TIERS_ASCENDING, Tier


def test_tiers_are_plain_strings_in_ascending_order() -> None:
    assert [str(t) for t in TIERS_ASCENDING] == ["public", "funder", "coalition", "steward"]
    assert Tier.PUBLIC == "public"
    assert set(POLICIES) == set(TIERS_ASCENDING)


@pytest.mark.parametrize(
    ("tier", "dims", "groups", "min_group", "below", "below_sensitive", "rounded", "class_min"),
    [
        ("public", 1, True, 10, 5, 5, True, 20),
        ("funder", 2, True, 10, 5, 5, True, 20),
        ("coalition", 3, False, 5, 4, 5, False, 10),
        ("steward", None, False, 0, 0, 0, False, None),
    ],
)
def test_policy_matches_spec_table(
    tier: str,
    dims: int | None,
    groups: bool,
    min_group: int,
    below: int,
    below_sensitive: int,
    rounded: bool,
    class_min: int | None,
) -> None:
    p = policy_for(tier)
    assert p.tier == tier
    assert p.max_dimensions == dims
    assert p.sector_groups is groups
    assert p.min_group_size == min_group
    assert p.suppress_below == below
    assert p.suppress_below_sensitive == below_sensitive
    assert p.threshold() == below
    assert p.threshold(sensitive=True) == below_sensitive
    assert p.rounded is rounded
    assert p.class_disclosure_share == 0.9
    assert p.class_disclosure_min_group == class_min
    assert p.blocks_class_disclosure is (class_min is not None)


def test_suppression_never_looser_for_sensitive_items_or_lower_tiers() -> None:
    for tier in TIERS_ASCENDING:
        p = policy_for(tier)
        assert p.suppress_below_sensitive >= p.suppress_below
        for lower in lower_tiers(tier):
            assert policy_for(lower).suppress_below >= p.suppress_below
            assert policy_for(lower).min_group_size >= p.min_group_size


def test_unknown_tier_raises() -> None:
    with pytest.raises(ValueError, match="unknown tier"):
        policy_for("admin")
    with pytest.raises(ValueError, match="unknown tier"):
        lower_tiers("Public")


def test_lower_tiers() -> None:
    assert lower_tiers("public") == ()
    assert lower_tiers(Tier.FUNDER) == (Tier.PUBLIC,)
    assert lower_tiers("steward") == (Tier.PUBLIC, Tier.FUNDER, Tier.COALITION)


def test_policy_is_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        policy_for("public").suppress_below = 0  # type: ignore[misc]
