"""Writing, reading and auditing releases on disk; the CLI commands; the web process reads only its tier."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from dashboard import context
from dashboard.cli import main
from dashboard.published import table as TB
from dashboard.release import builder


def test_ri001_release_command_refuses_a_broken_dataset_and_leaves_the_release_untouched(
    demo_copy: Path, app_config, demo_releases, tmp_path: Path, capsys
):
    out = tmp_path / "releases"
    shutil.copytree(app_config.release_dir, out, symlinks=True)
    before = (out / TB.CURRENT).resolve()
    path = demo_copy / "respondents.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df.loc[0, "city"] = "atlantis"
    df.to_csv(path, index=False, lineterminator="\n")
    assert (
        main(["release", "--dataset", str(demo_copy), "--out", str(out), "--secret-file", str(app_config.secret_file)])
        == 1
    )
    assert "atlantis" in capsys.readouterr().err
    assert (out / TB.CURRENT).resolve() == before
    assert TB.Release.load(out, "public").tables


def test_ri002_audit_command_passes_a_published_release(app_config, demo_releases, capsys):
    assert main(["audit", str(app_config.release_dir)]) == 0
    assert "audit passed" in capsys.readouterr().out


def test_ri003_audit_command_catches_a_tampered_release(app_config, demo_releases, tmp_path: Path, capsys):
    copy = tmp_path / "tampered"
    shutil.copytree((app_config.release_dir / TB.CURRENT).resolve(), copy)
    path = next(
        p for p in sorted((copy / "coalition").glob("*__*.parquet")) if pd.read_parquet(p)[TB.COUNT].isna().any()
    )
    frame = pd.read_parquet(path)
    hidden = frame.index[frame[TB.COUNT].isna()][0]
    frame.loc[hidden, TB.COUNT] = 2  # publish a small count that was suppressed
    frame.loc[hidden, TB.FLAG] = ""
    frame.to_parquet(path, index=False)
    assert main(["audit", str(copy)]) == 1
    err = capsys.readouterr().err
    assert path.stem in err and "below the threshold" in err


def test_ri004_a_crash_while_writing_leaves_the_previous_release_serving(
    app_config, demo_releases, tmp_path: Path, monkeypatch
):
    out = tmp_path / "releases"
    shutil.copytree(app_config.release_dir, out, symlinks=True)
    before = (out / TB.CURRENT).resolve()
    first = {tier: TB.Release.load(out, tier) for tier in ("public", "funder", "coalition")}
    result = builder.BuildResult(first, {"dataset": {"name": "x", "version": "y"}, "sample_uniques": {}, "tiers": {}})
    calls = {"n": 0}
    real = pd.DataFrame.to_parquet

    def crash_midway(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 20:
            raise OSError("disk full")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(pd.DataFrame, "to_parquet", crash_midway)
    with pytest.raises(OSError):
        builder.write(result, out)
    assert (out / TB.CURRENT).resolve() == before
    assert not [p for p in (out / TB.VERSIONS).iterdir() if p.name.startswith(".staging")]
    again = TB.Release.load(out, "coalition")
    assert set(again.tables) == set(first["coalition"].tables)


def test_ri005_the_web_process_holds_only_its_tier_release(app, client, demo_dir: Path):
    ctx = app.server.extensions[context.EXTENSION_KEY]
    assert ctx.release.tier == "public"
    assert not hasattr(ctx, "dataset")
    assert all(TB.COUNT in t.frame.columns for t in ctx.release.tables.values())
    assert all("respondent_id" not in t.frame.columns for t in ctx.release.tables.values())
    ids = pd.read_csv(demo_dir / "respondents.csv", usecols=["respondent_id"])["respondent_id"].head(50)
    body = client.get("/_dash-layout").get_data(as_text=True)
    assert not any(rid in body for rid in ids)


def test_ri006_public_release_never_shows_sectors_or_small_counts(demo_releases):
    public = demo_releases["public"]
    assert all(len(dims) <= 1 for dims in public.tables)
    assert "sector" not in public.dims_available and "sector_group" in public.dims_available
    for table in public.tables.values():
        shown = table.frame["count"].dropna()
        assert (shown % 5 == 0).all()
