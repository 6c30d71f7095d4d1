"""Every valid dataset gets an audited release (issue 12): the fallback ladder, node-bounded solver work."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from dashboard.data.vocab import vocabularies
from dashboard.privacy import audit as A
from dashboard.privacy.suppression import SuppressionError, secondary_suppress
from dashboard.privacy.system import CellSystem
from dashboard.published import dims as D
from dashboard.published import table as TB
from dashboard.release import builder as B
from dashboard.release import protect as P
from dashboard.release import report as R
from dashboard.release.attack import attack
from dashboard.release.checks import check_release
from tests.release.factory import SECRET, crowd, make_dataset


def _patched_build(dataset, **limits: int) -> B.BuildResult:
    """The build of ``dataset`` with some of protect's limits changed (``MAX_ROUNDS=0``, ...) for this build only."""
    with pytest.MonkeyPatch.context() as patch:
        for name, value in limits.items():
            patch.setattr(P, name, value)
        return B.build(dataset, vocabularies(), SECRET, extras=False)


@pytest.fixture(scope="module")
def small_dataset(tmp_path_factory):
    rng = np.random.default_rng(12)
    people = crowd(90, 2022, rng, cities=("calgary", "edmonton", "winnipeg", "regina"))
    people += crowd(70, 2024, rng, cities=("calgary", "edmonton", "winnipeg", "regina"))
    return make_dataset(tmp_path_factory.mktemp("fallback") / "data", people, seed=12)


@pytest.fixture(scope="module")
def forced_fallback(small_dataset):
    """The build with no audit-driven rounds at all: the cheap pattern cannot converge, the ladder must act."""
    return _patched_build(small_dataset, MAX_ROUNDS=0)


def test_fb001_a_build_that_does_not_converge_falls_back_and_still_passes_every_audit(forced_fallback):
    result = forced_fallback
    assert result.report["fallbacks"], "the ladder was not used: the test no longer reproduces non-convergence"
    assert all(isinstance(f, str) and "did not converge" in f for f in result.report["fallbacks"])
    assert attack(result.releases, vocabularies()) == []
    for release in result.releases.values():
        assert check_release(release) == []
    assert "Withheld by the fallback" in R.report_markdown(result.report)


def test_fb002_the_fallback_is_deterministic(small_dataset, forced_fallback):
    patch = pytest.MonkeyPatch()
    patch.setattr(P, "MAX_ROUNDS", 0)
    try:
        again = B.build(small_dataset, vocabularies(), SECRET, extras=False)
    finally:
        patch.undo()
    assert again.report["fallbacks"] == forced_fallback.report["fallbacks"]
    for tier, release in forced_fallback.releases.items():
        for dims, table in release.tables.items():
            pd.testing.assert_frame_equal(table.frame, again.releases[tier].tables[dims].frame)


def test_fb003_the_fallback_hides_more_than_the_converged_pattern(small_dataset, forced_fallback):
    normal = B.build(small_dataset, vocabularies(), SECRET, extras=False)
    assert attack(normal.releases, vocabularies()) == []
    for tier in ("public", "funder", "coalition"):
        assert forced_fallback.report["tiers"][tier]["suppressed"] >= normal.report["tiers"][tier]["suppressed"]


def test_fb004_the_ladder_never_raises_even_when_no_step_converges(monkeypatch):
    # Two cells of one relation, both small: hiding one forces the other, and no visible cell can help.
    system = CellSystem(value=np.array([2, 2, 4]), threshold=np.array([5, 5, 0]), additive=[(2, np.array([0, 1]))])

    def never(*args, **kwargs):
        raise SuppressionError("forced", at_risk=np.array([0]))

    monkeypatch.setattr(P, "secondary_suppress", never)
    problem = P._TierProblem(
        system=system,
        cells=np.arange(3),
        start=np.array([True, True, False]),
        allowed=np.array([True, True, True]),
        costs=np.ones(3, dtype=np.int64),
        wave=np.array([2024, 2024, 2024]),
        depth=np.array([1, 1, 0]),
    )
    mask, fallback = P._ladder("coalition", problem, node_limit=10)
    assert fallback is not None and fallback.step == "wave" and fallback.waves == (2024,)
    assert mask.all()
    assert A.audit(system, mask).passed


def test_fb005_solver_work_is_bounded_by_nodes_not_seconds():
    system = CellSystem(
        value=np.array([1, 7, 6, 9, 8, 17, 15]),
        threshold=np.array([5, 5, 5, 5, 0, 0, 0]),
        additive=[(5, np.array([0, 1, 3])), (6, np.array([2, 4, 0]))],
    )
    mask = np.array([True, True, False, False, False, False, False])
    # A wall-clock limit no longer changes the verdict: a tiny one gives the same answer as none.
    assert A.audit(system, mask, time_limit=1e-9) == A.audit(system, mask)
    hidden = secondary_suppress(system, mask, time_limit=1e-9)
    assert A.audit(system, hidden).passed


def test_fb006_a_written_release_of_the_fallback_reads_back_and_audits(forced_fallback, tmp_path: Path):
    folder = B.write(forced_fallback, tmp_path / "releases")
    report = (folder / "steward" / "report.md").read_text(encoding="utf-8")
    assert "Withheld by the fallback" in report
    loaded = {tier: TB.Release.load(tmp_path / "releases", tier) for tier in forced_fallback.releases}
    assert attack(loaded, vocabularies()) == []


@pytest.fixture(scope="module")
def sparse_cap(small_dataset):
    """The build with a cap of 30 hidden small cells per tier and wave: the sparsest tables of every wave above it
    are left out for that wave (on the demo, the coalition tier's waves are above the real cap)."""
    return _patched_build(small_dataset, MAX_WITHHELD_TARGETS=30)


def _left_out(result: B.BuildResult) -> dict[tuple[str, int], set[tuple[str, ...]]]:
    out: dict[tuple[str, int], set[tuple[str, ...]]] = {}
    for tier, release in result.releases.items():
        for entry in release.meta["tables"]:
            for wave in entry["not_published_waves"]:
                out.setdefault((tier, wave), set()).add(tuple(entry["dims"]))
    return out


def test_fb007_a_wave_with_too_many_small_cells_leaves_out_its_sparsest_tables_deepest_first(sparse_cap):
    left = _left_out(sparse_cap)
    assert left, "no table was left out: the test no longer reproduces a wave above the cap"
    assert len(sparse_cap.report["not_published"]) == len(left)
    for (tier, wave), dropped in left.items():
        release = sparse_cap.releases[tier]
        shown = [dims for dims, table in release.tables.items() if (table.frame[D.WAVE] == wave).any()]
        assert () not in dropped  # the table without dimensions is always published
        assert max(map(len, shown)) <= min(map(len, dropped)), (tier, wave)  # coarser tables are kept first
        for dims in dropped:
            assert not (release.tables[dims].frame[D.WAVE] == wave).any()  # no row, not even withheld


def test_fb008_a_release_with_tables_left_out_passes_both_attackers_and_rebuilds_identically(
    small_dataset, sparse_cap, tmp_path: Path
):
    from dashboard.release.written_attack import attack as written_attack

    for tier, result in sparse_cap.report["tiers"].items():
        assert result["audit"]["at_risk"] == 0, tier
    B.write(sparse_cap, tmp_path / "rel")
    releases = B.served_releases(tmp_path / "rel")
    assert written_attack(releases, vocabularies(), relaxed=True) == []
    for release in releases.values():
        assert check_release(release) == []
    again = _patched_build(small_dataset, MAX_WITHHELD_TARGETS=30)
    assert _left_out(again) == _left_out(sparse_cap)
    for tier, release in again.releases.items():
        for dims, table in release.tables.items():
            pd.testing.assert_frame_equal(table.frame, sparse_cap.releases[tier].tables[dims].frame)


def test_fb009_a_view_of_a_wave_its_table_is_not_published_for_says_so(sparse_cap, tmp_path: Path):
    from dashboard.published.lookup import NOT_PUBLISHED, lookup

    (tier, wave), dropped = sorted(_left_out(sparse_cap).items())[0]
    dims = sorted(dropped)[0]
    B.write(sparse_cap, tmp_path / "rel")
    release = TB.Release.load(tmp_path / "rel", tier)
    assert wave in release.tables[dims].not_published

    state = SimpleNamespace(filters=(), wave=wave)
    assert lookup(release, state, dims).reason == NOT_PUBLISHED  # type: ignore[arg-type]
