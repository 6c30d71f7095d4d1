"""Publishing and rolling back: atomic, versioned, locked, and safe against a kill at any moment (SPEC §7)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dashboard import paths
from dashboard.data.validate import load_dataset
from dashboard.data.vocab import vocabularies
from dashboard.ingest import ingest
from dashboard.published.table import Release
from dashboard.steward import history as H
from dashboard.steward import publish as P
from dashboard.steward import uploads as U
from dashboard.steward.prepare import prepare, publish_upload
from tests.steward.conftest import child_env, wave_uploads, write_wave

TIERS = ("public", "funder", "coalition")
EACH_TEST_APART = True  # every test publishes into a copy of its own (steward_config): see tests/conftest.py


def _stage(config) -> str:
    vocab = vocabularies()
    result = ingest(wave_uploads(), load_dataset(config.dataset_dir, vocab), vocab)
    assert result.ok, result.problems
    return U.stage(config, result.tables, {"wave": result.wave, "rows": result.rows, "files": "test"}, "tester")


def _serving(config) -> tuple[str | None, dict[str, list[int]]]:
    """The served version and every tier's waves, read completely (a partial release would fail to load)."""
    return H.current_version(config.release_dir), {t: Release.load(config.release_dir, t).waves for t in TIERS}


def _publish_command(config, files: list[Path], by: str) -> subprocess.Popen:
    command = [sys.executable, "-m", "dashboard", "publish", *map(str, files), "--by", by]
    return subprocess.Popen(
        command, cwd=paths.REPO_ROOT, env=child_env(config), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


@pytest.mark.slow
def test_sp001_publish_adds_the_wave_to_every_tier_and_rollback_restores_the_previous_version(steward_config):
    before, waves = _serving(steward_config)
    upload_id = _stage(steward_config)
    version = publish_upload(steward_config, upload_id, "tester")
    after, new_waves = _serving(steward_config)
    assert after == version != before
    assert all(new_waves[t] == [*waves[t], 2026] for t in TIERS)
    entry = H.entries(steward_config.release_dir)[-1]
    assert (entry["action"], entry["by"], entry["version"], entry["wave"]) == ("publish", "tester", version, 2026)
    listed = {v.name: v for v in H.versions(steward_config.release_dir)}
    assert listed[version].current and listed[version].by == "tester" and listed[version].wave_added == 2026

    P.rollback(steward_config, before, "tester")
    assert _serving(steward_config) == (before, waves)
    assert H.entries(steward_config.release_dir)[-1]["action"] == "rollback"
    with pytest.raises(P.PublishError, match="already being served"):
        P.rollback(steward_config, before, "tester")
    with pytest.raises(P.PublishError, match="no such"):
        P.rollback(steward_config, "../../etc", "tester")
    # the next wave is added to the dataset of the served (rolled-back) release, so 2026 can come again
    again = _stage(steward_config)
    assert U.upload_meta(steward_config, again)["wave"] == 2026


def _preparing(config) -> list[str]:
    """Uploads a publish is preparing: it marks its upload so only once it holds the publish lock."""
    staged = config.upload_dir / U.STAGED
    names = [s.name for s in staged.iterdir()] if staged.is_dir() else []
    return [name for name in names if U.status(config, name).get("state") == U.PREPARING]


def _merged(config) -> bool:
    """A publish being prepared has written its merged dataset (the manifest is written last)."""
    return any((config.upload_dir / U.DATASETS / name / "manifest.json").is_file() for name in _preparing(config))


def _cpu_seconds(pid: int) -> float:
    """CPU time a process has used (user and system), from /proc: a clock that a busy machine does not speed up."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return float("inf")  # it ended: the caller's poll() says so
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@pytest.mark.slow
@pytest.mark.parametrize("moment", ["while building", "while writing the release files"])
def test_sp002_a_kill_in_the_middle_of_a_publish_leaves_the_previous_release_serving_and_complete(
    steward_config, tmp_path, moment
):
    before = _serving(steward_config)
    files = write_wave(tmp_path / "wave")
    proc = _publish_command(steward_config, files, "killed")
    prepared = steward_config.release_dir / P.PREPARED
    deadline = time.monotonic() + 180
    started = None  # the publish's CPU seconds when its merged dataset was complete (validating, then building)
    while time.monotonic() < deadline and proc.poll() is None:
        if moment == "while building" and started is None and _merged(steward_config):
            started = _cpu_seconds(proc.pid)
        if started is not None and _cpu_seconds(proc.pid) >= started + 2:  # well into aggregation and protection
            break
        if moment != "while building" and prepared.is_dir() and any(prepared.rglob(".staging-*")):
            break
        time.sleep(0.02)
    assert proc.poll() is None, f"the publish ended before it could be killed: {proc.communicate()}"
    if moment == "while building":
        assert started is not None and not (prepared.is_dir() and any(prepared.rglob(".staging-*")))
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert _serving(steward_config) == before
    assert not any(p.name.startswith(".current-") for p in steward_config.release_dir.iterdir())
    assert [v.name for v in H.versions(steward_config.release_dir) if v.current] == [before[0]]

    # the lock died with the process: the next publish goes through
    done = _publish_command(steward_config, files, "retry")
    _out, err = done.communicate(timeout=300)
    assert done.returncode == 0, err
    assert _serving(steward_config)[0] != before[0]
    assert 2026 in _serving(steward_config)[1]["public"]


@pytest.mark.slow
def test_sp003_two_publishes_at_once_do_not_interleave(steward_config, tmp_path):
    before = _serving(steward_config)[0]
    earlier = len(H.entries(steward_config.release_dir))  # the copied history may hold the session's own
    files = write_wave(tmp_path / "wave")
    first = _publish_command(steward_config, files, "first")
    deadline = time.monotonic() + 60
    while not _preparing(steward_config) and time.monotonic() < deadline and first.poll() is None:
        time.sleep(0.05)
    assert _preparing(steward_config), "the first publish never started preparing"  # under the lock, building
    second = _publish_command(steward_config, files, "second")
    _out2, err2 = second.communicate(timeout=300)
    _out1, err1 = first.communicate(timeout=300)
    assert first.returncode == 0, err1
    assert second.returncode == 1 and "in progress" in err2
    published = [e for e in H.entries(steward_config.release_dir)[earlier:] if e["action"] == "publish"]
    assert [e["by"] for e in published] == ["first"]
    assert H.current_version(steward_config.release_dir) == published[0]["version"] != before


def test_sp004_a_rollback_during_a_publish_is_refused(steward_config):
    with P.publish_lock(steward_config.release_dir), pytest.raises(P.PublishBusy):
        P.rollback(steward_config, H.versions(steward_config.release_dir)[0].name, "tester")


@pytest.mark.slow
def test_sp005_a_prepared_release_is_not_published_if_the_served_one_changed_meanwhile(steward_config):
    first = _stage(steward_config)
    U.set_status(steward_config, first, state=U.PREPARING, pid=os.getpid())
    prepare(steward_config, first)
    assert U.status(steward_config, first)["state"] == U.READY
    assert H.current_version(steward_config.release_dir) == U.status(steward_config, first)["base_version"]
    served = H.current_version(steward_config.release_dir)
    versions = steward_config.release_dir / "versions"
    shutil.copytree(versions / served, versions / "20000101T000000000000Z")  # another complete version
    P.rollback(steward_config, "20000101T000000000000Z", "tester")  # the served release changes
    with pytest.raises(P.PublishError, match="changed since"):
        P.publish_prepared(steward_config, first, "tester")


def test_sp006_upload_ids_cannot_reach_outside_the_upload_folder(steward_config):
    for bad in ("../../etc/passwd", "20260101T000000-zzzzzzzz", "", "x" * 300):
        with pytest.raises(U.UploadError):
            U.staged_dir(steward_config, bad)


def test_sp007_a_served_release_that_cannot_be_read_is_not_prepared_over(steward_config):
    upload_id = _stage(steward_config)
    served = _serving(steward_config)
    meta = steward_config.release_dir / "current" / "funder" / "release.json"
    meta.unlink()  # a served tier lost its metadata: its published pattern of the earlier waves is unknown
    with pytest.raises(P.PublishError, match="served release cannot be read"):
        prepare(steward_config, upload_id)
    assert not (steward_config.release_dir / P.PREPARED / upload_id).exists()
    assert H.current_version(steward_config.release_dir) == served[0]
