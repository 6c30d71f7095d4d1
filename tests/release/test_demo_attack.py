"""The independent written-release attacker on the demo release (issue 12): the worked example of the issue and no
small cell of any tier narrowed into 1 … threshold − 1, even by the LP relaxation (cheaper than the integer
programme, and its bounds are wider, so what it cannot narrow the integer programme cannot either)."""

from __future__ import annotations

import pytest

from dashboard.data.vocab import vocabularies
from dashboard.published.table import Release
from dashboard.release.written_attack import attack, cell_range
from tests.conftest import demo_release

TIERS = ("public", "funder", "coalition")
VANCOUVER_OTHER_2014 = "2014|city=vancouver|role=other"


@pytest.fixture(scope="module")
def releases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Release]:
    folder = demo_release(tmp_path_factory) / "releases"
    return {tier: Release.load(folder, tier) for tier in TIERS}


def test_da001_vancouver_other_2014_is_not_determined(releases: dict[str, Release]) -> None:
    low, high = cell_range(releases, vocabularies(), "coalition", VANCOUVER_OTHER_2014, relaxed=True)
    assert low == 0 or high >= 3


def test_da002_no_small_cell_of_any_tier_is_narrowed_by_the_lp_relaxation(releases: dict[str, Release]) -> None:
    assert [str(f) for f in attack(releases, vocabularies(), relaxed=True)] == []
