"""Property tests: on random microdata of 20 to 2,000 respondents, every tier's release passes every check."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.data.vocab import vocabularies
from dashboard.release.attack import attack
from dashboard.release.builder import build
from dashboard.release.checks import check_release
from dashboard.release.publish import item_of
from tests.release.factory import SECRET, crowd, make_dataset


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    n=st.integers(min_value=20, max_value=2000),
    waves=st.sampled_from([(2022,), (2020, 2022), (2018, 2020, 2022)]),
    seed=st.integers(min_value=0, max_value=2**16),
)
def test_rp001_random_microdata_gives_releases_that_pass_the_audit(n, waves, seed):
    rng = np.random.default_rng(seed)
    cities = tuple(rng.choice(["calgary", "edmonton", "winnipeg", "vancouver", "regina", "brandon"], 3, False))
    people = [
        p
        for i, w in enumerate(waves)
        for p in crowd(n // len(waves) + (i == 0) * (n % len(waves)), w, rng, cities=cities)
    ]
    with tempfile.TemporaryDirectory() as tmp:
        ds = make_dataset(Path(tmp) / "d", people, seed=seed)
        result = build(ds, vocabularies(), SECRET)
    assert sum(len(t.frame) for t in result.releases["public"].tables.values()) > 0
    for tier, release in result.releases.items():
        assert check_release(release) == [], tier
        for dims, table in release.tables.items():
            f = table.frame
            assert (f["count"].dropna() >= 0).all()
            if release.meta["rounded"]:
                assert (f["count"].dropna() % 5 == 0).all()
            else:
                assert not ((f["count"] >= 1) & (f["count"] <= 2)).any()  # below every threshold
            assert item_of_ok(dims, table)
    assert attack(result.releases, vocabularies()) == []


def item_of_ok(dims, table) -> bool:
    from dashboard.published.dims import CubeSpec

    return table.item == item_of(CubeSpec(dims))
