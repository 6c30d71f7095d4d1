"""Earlier waves keep the served release's pattern when a new wave is built (issue 12, part 6)."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dashboard.data.schema import C
from dashboard.data.vocab import vocabularies
from dashboard.published import dims as D
from dashboard.published import table as TB
from dashboard.published.dims import CubeSpec
from dashboard.release.attack import attack
from dashboard.release.builder import build, served_releases, write
from dashboard.release.linking import cell_keys
from tests.release.factory import SECRET, crowd, make_dataset

EARLIER, LATER = 2022, 2024
SIZE = 100  # respondents a wave


def _differences(before: dict[str, TB.Release], after: dict[str, TB.Release], wave: int) -> list[str]:
    """Rows of ``wave`` whose count or flag differs between two releases (compared by merging on the dims)."""
    out = []
    for tier, release in before.items():
        for dims, table in release.tables.items():
            a = table.frame[table.frame[D.WAVE].astype(int) == wave]
            b = after[tier].tables[dims].frame
            b = b[b[D.WAVE].astype(int) == wave]
            keys = [D.WAVE, *dims]
            both = (
                a[[*keys, TB.COUNT]]
                .astype({k: str for k in keys})
                .merge(b[[*keys, TB.COUNT]].astype({k: str for k in keys}), on=keys, how="outer", indicator=True)
            )
            x = pd.to_numeric(both[f"{TB.COUNT}_x"]).astype("float64")
            y = pd.to_numeric(both[f"{TB.COUNT}_y"]).astype("float64")
            moved = (both["_merge"] != "both") | ~((x == y) | (x.isna() & y.isna()))
            out += [f"{tier} {dims} {row}" for row in both.loc[moved, keys].itertuples(index=False)]
    return out


@pytest.fixture(scope="module")
def waves(tmp_path_factory: pytest.TempPathFactory):
    rng = np.random.default_rng(7)
    first, second = crowd(SIZE, EARLIER, rng), crowd(SIZE, LATER, rng)
    root = tmp_path_factory.mktemp("earlier")
    served_at = root / "releases"
    write(build(make_dataset(root / "one", first), vocabularies(), SECRET), served_at)
    return root, first, second, served_releases(served_at)


def _hide_one_more(served: dict[str, TB.Release]) -> dict[str, TB.Release]:
    """The served release as an earlier version of the builder might have published it: one more shown count of
    the earlier wave hidden (the first of the coalition's most detailed table that shows one), in every table of
    every tier that shows that cell."""
    coalition = served["coalition"]
    for dims in sorted(coalition.tables, key=lambda d: (-len(d), d)):
        frame = coalition.tables[dims].frame
        shown = frame.index[(frame[D.WAVE].astype(int) == EARLIER) & (frame[TB.COUNT].fillna(0) >= 5)]
        if len(shown):
            key = cell_keys(frame.loc[shown[:1]], CubeSpec(dims))[0]
            break
    out = {}
    for tier, release in served.items():
        tables = {}
        for dims, table in release.tables.items():
            frame = table.frame.copy()
            hit = np.array(cell_keys(frame, CubeSpec(dims))) == key
            frame.loc[hit, TB.COUNT] = pd.NA
            frame.loc[hit, TB.FLAG] = TB.SUPPRESSED
            tables[dims] = dataclasses.replace(table, frame=frame)
        out[tier] = dataclasses.replace(release, tables=tables)
    return out


@pytest.mark.slow
def test_re001_a_new_wave_keeps_what_the_served_release_published_of_the_earlier_wave(waves) -> None:
    root, first, second, served = waves
    served = _hide_one_more(served)
    dataset = make_dataset(root / "two", first + second)
    plain = build(dataset, vocabularies(), SECRET)
    kept = build(dataset, vocabularies(), SECRET, previous=served)
    assert _differences(served, plain.releases, EARLIER)  # built afresh, the earlier wave's pattern moves
    assert _differences(served, kept.releases, EARLIER) == []
    assert kept.report["earlier_kept"] == [EARLIER] and kept.report["earlier_changed"] == []
    assert attack(kept.releases, vocabularies()) == []


@pytest.mark.slow
def test_re002_a_corrected_earlier_wave_is_named_in_the_report(waves, tmp_path: Path) -> None:
    _, first, second, served = waves
    corrected = [dict(p) for p in first]
    moved = next(p for p in corrected if p[C.CONTACT] == "no")
    moved[C.CONTACT] = "yes"  # the steward corrected one answer of the earlier wave
    coalition = served["coalition"]
    dropped = dataclasses.replace(coalition, tables={**coalition.tables, ("dropped_dim",): coalition.tables[()]})
    served = {**served, "coalition": dropped}  # an older policy published a table this build does not make
    result = build(make_dataset(tmp_path / "fixed", corrected + second), vocabularies(), SECRET, previous=served)
    assert result.report["earlier_changed"] == [EARLIER]
    assert result.report["earlier_not_built"] == ["coalition: dropped_dim"]
    version = write(result, tmp_path / "out")
    report = (version / "steward" / "report.md").read_text(encoding="utf-8")
    assert "## Earlier waves" in report and f"wave(s) {EARLIER} still differ" in report
    assert "tables this build does not make" in report and "coalition: dropped_dim" in report
    assert attack(result.releases, vocabularies()) == []


def test_re003_a_served_release_that_cannot_be_read_stops_the_build(waves, tmp_path: Path) -> None:
    root, *_ = waves
    assert served_releases(tmp_path / "nothing-served") == {}
    folder = tmp_path / "releases"
    shutil.copytree(root / "releases", folder, symlinks=True)
    tier_dir = folder / TB.CURRENT / "funder"
    next(tier_dir.glob("*.parquet")).write_bytes(b"not a parquet file")
    with pytest.raises(TB.ReleaseError, match="served funder release"):
        served_releases(folder)
    (tier_dir / TB.RELEASE_META).unlink()
    with pytest.raises(TB.ReleaseError, match="served funder release"):
        served_releases(folder)  # a served tier without its metadata is not "nothing served"


def test_re004_a_wave_none_of_whose_served_rows_matches_a_cell_is_not_said_to_be_kept(waves, tmp_path: Path) -> None:
    _, first, second, served = waves
    relabelled = {}
    for tier, release in served.items():
        tables = {}
        for dims, table in release.tables.items():
            frame = table.frame.copy()
            frame[D.WAVE] = LATER + 10  # no row is of a wave both releases hold
            tables[dims] = dataclasses.replace(table, frame=frame)
        relabelled[tier] = dataclasses.replace(release, tables=tables)
    result = build(make_dataset(tmp_path / "two", first + second), vocabularies(), SECRET, previous=relabelled)
    assert result.report["earlier_kept"] == [] and result.report["earlier_not_built"] == []
