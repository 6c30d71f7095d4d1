"""Upload jobs under limits (issue 14): memory, CPU and wall-clock limits each end a job with a clear refusal, a dead
check leaves no file behind, folders are 0700 and files 0600, and two clicks on Prepare start one build."""

from __future__ import annotations

import dataclasses
import json
import os
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from dashboard.config import Config
from dashboard.steward import jobs as J
from dashboard.steward import uploads as U
from tests.conftest import instance_env

SMALL = J.JobLimits(memory_mb=512, cpu_seconds=1, wall_seconds=20)


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return Config.from_env(instance_env(tmp_path))


def _python(code: str) -> list[str]:
    return [sys.executable, "-c", code]


@pytest.mark.parametrize(
    ("code", "limits", "outcome"),
    [
        ("x = bytearray(2 * 1024 ** 3)", SMALL, J.MEMORY),
        ("while True: pass", SMALL, J.CPU),
        ("import time; time.sleep(30)", dataclasses.replace(SMALL, wall_seconds=1), J.TIME),
        ("import os; os.abort()", SMALL, J.DIED),
        ("pass", SMALL, J.FINISHED),
    ],
    ids=["memory", "cpu", "wall-clock", "crash", "finished"],
)
def test_jb001_each_limit_stops_the_job_and_is_named(code, limits, outcome):
    # the outcome names the limit that stopped the job: a CPU or memory limit before the 20 s wall-clock one (no
    # timing assertion: the child runs at a lower priority, and on a busy machine 1 s of CPU takes longer than 10 s)
    assert J.run_limited(_python(code), limits) == outcome


def test_jb002_the_child_has_no_core_dumps_a_private_umask_and_a_lower_priority(tmp_path):
    out = tmp_path / "probe.json"
    code = (
        "import json, os, resource; "
        "probe = [os.umask(0), resource.getrlimit(resource.RLIMIT_CORE), os.nice(0)]; "
        f"open({str(out)!r}, 'w').write(json.dumps(probe))"
    )
    assert J.run_limited(_python(code), SMALL) == J.FINISHED
    umask, core, nice = json.loads(out.read_text())
    assert umask == 0o077 and core == [0, 0] and nice == min(os.nice(0) + J.NICENESS, 19)


def _received(config: Config, spawned: list[str] | None = None) -> str:
    """A received upload whose check is 'running' in a process that has already ended."""
    ended = subprocess.Popen(["true"])
    ended.wait()

    def spawn(config: Config, command: str, upload_id: str, *options: str) -> subprocess.Popen:
        if spawned is not None:
            spawned.append(command)
        return ended

    original = U._spawn
    U._spawn = spawn
    try:
        return U.receive(config, [("respondents.csv", b"respondent_id\nR1\n")], "test-steward")
    finally:
        U._spawn = original


def test_jb003_a_dead_check_leaves_no_file_and_the_page_says_so(config):
    upload_id = _received(config)
    folder = U.staged_dir(config, upload_id)
    assert any((folder / U.INCOMING).iterdir())  # the "killed" check never got to delete them
    state = U.status(config, upload_id)
    assert state["state"] == U.REFUSED and "stopped before it finished" in state["message"]
    assert not (folder / U.INCOMING).exists()
    assert sorted(p.name for p in folder.iterdir()) == ["status.json", "upload.json"]
    assert U.status(config, upload_id) == state  # recorded once, not recomputed


def test_jb004_folders_are_0700_and_files_0600_whatever_the_umask(config):
    import pandas as pd

    old = os.umask(0o022)
    try:
        upload_id = _received(config)
        folder = U.staged_dir(config, upload_id)
        received = list((folder / U.INCOMING).iterdir())
        U.stage(config, {"respondents": pd.DataFrame({"a": ["1"]})}, {}, "test-steward", upload_id)
    finally:
        os.umask(old)
    for path in (
        config.upload_dir,
        config.upload_dir / U.STAGED,
        folder,
        folder / U.INCOMING,
        config.upload_dir / U.LOCKS,
    ):
        assert stat.S_IMODE(path.stat().st_mode) == 0o700, path
    for path in [*received, folder / "respondents.csv", folder / U.META, folder / U.STATUS]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_jb005_two_clicks_on_prepare_start_one_build(config, monkeypatch):
    upload_id = _received(config)
    U.set_status(config, upload_id, state=U.CHECKED)
    spawned: list[str] = []
    alive = subprocess.Popen(["sleep", "30"])

    def slow_spawn(config: Config, command: str, upload_id: str, *options: str) -> subprocess.Popen:
        spawned.append(command)
        time.sleep(0.3)  # the window in which a second click used to start a second build
        return alive

    monkeypatch.setattr(U, "_spawn", slow_spawn)
    errors: list[str] = []

    def click() -> None:
        try:
            U.start_prepare(config, upload_id)
        except U.UploadError as err:
            errors.append(str(err))

    try:
        clicks = [threading.Thread(target=click) for _ in range(2)]
        for thread in clicks:
            thread.start()
        for thread in clicks:
            thread.join()
        assert spawned == ["steward-prepare"]
        assert len(errors) == 1 and "already being prepared" in errors[0]
        assert U.status(config, upload_id)["state"] == U.PREPARING
    finally:
        alive.kill()
        alive.wait()


def test_jb006_a_job_whose_upload_has_moved_on_does_nothing(config, monkeypatch):
    upload_id = _received(config)
    U.set_status(config, upload_id, state=U.PREPARING, pid=os.getpid() + 1)  # another job's
    monkeypatch.setattr(J, "run_limited", lambda argv, limits, env=None: pytest.fail("a second job ran"))
    monkeypatch.setattr(J, "START_WAIT_S", 0.2)
    assert J.supervise(J.PREPARE, upload_id, [], config) == 0
    assert U.status(config, upload_id, sweep=False) == {"state": U.PREPARING, "pid": os.getpid() + 1}


def test_jb010_a_check_that_ended_while_the_steward_moved_on_is_left_alone(config, monkeypatch):
    """The check records CHECKED, the steward clicks Prepare before the check's supervisor has looked: the
    supervisor must not take the preparing upload for its own unfinished check."""
    upload_id = _received(config)
    U.set_status(config, upload_id, state=U.CHECKING, pid=os.getpid())

    def check_then_prepare(argv, limits, env=None):
        U.set_status(config, upload_id, state=U.PREPARING, pid=os.getpid() + 1)
        return J.FINISHED

    monkeypatch.setattr(J, "run_limited", check_then_prepare)
    assert J.supervise(J.CHECK, upload_id, ["--lang", "en"], config) == 0
    assert U.status(config, upload_id, sweep=False)["state"] == U.PREPARING


@pytest.mark.parametrize("outcome", [J.MEMORY, J.CPU, J.TIME])
def test_jb007_a_limit_hit_is_a_clear_refusal_and_leaves_no_file(config, monkeypatch, outcome):
    upload_id = _received(config)
    U.set_status(config, upload_id, state=U.CHECKING, pid=os.getpid())
    monkeypatch.setattr(J, "run_limited", lambda argv, limits, env=None: outcome)
    assert J.supervise(J.CHECK, upload_id, ["--lang", "en"], config) == 1
    state = U.status(config, upload_id)
    limit = {
        J.MEMORY: "DASHBOARD_JOB_MEMORY_MB",
        J.CPU: "DASHBOARD_JOB_CPU_SECONDS",
        J.TIME: "DASHBOARD_JOB_WALL_SECONDS",
    }
    assert state["state"] == U.REFUSED and limit[outcome] in state["message"]
    assert not (U.staged_dir(config, upload_id) / U.INCOMING).exists()


def test_jb008_a_failed_preparation_deletes_its_partial_dataset_and_release(config, monkeypatch):
    upload_id = _received(config)
    U.set_status(config, upload_id, state=U.PREPARING, pid=os.getpid())
    partial = [config.upload_dir / U.DATASETS / upload_id, config.release_dir / U.PREPARED / upload_id]
    for folder in partial:
        folder.mkdir(parents=True)
        (folder / "respondents.csv").write_text("respondent_id\n")
    monkeypatch.setattr(J, "run_limited", lambda argv, limits, env=None: J.MEMORY)
    assert J.supervise(J.PREPARE, upload_id, [], config) == 1
    assert U.status(config, upload_id)["state"] == U.FAILED
    assert not any(folder.exists() for folder in partial)


def test_jb009_the_real_check_under_a_too_small_memory_limit_is_refused_as_such(config):
    """End to end: the web process's ``receive`` → supervisor → check process, which cannot even start in 200 MB."""
    small = dataclasses.replace(config, job_memory_mb=256)
    upload_id = U.receive(small, [("respondents.csv", b"respondent_id\nR1\n")], "test-steward")
    deadline = time.monotonic() + 30
    while U.status(small, upload_id)["state"] == U.CHECKING and time.monotonic() < deadline:
        time.sleep(0.2)
    state = U.status(small, upload_id)
    assert state["state"] == U.REFUSED and "DASHBOARD_JOB_MEMORY_MB" in state["message"], state
    assert not (U.staged_dir(small, upload_id) / U.INCOMING).exists()


def test_jb015_a_loader_out_of_address_space_counts_as_the_memory_limit():
    """With bytecode cached, a check under a small RLIMIT_AS gets further and fails mapping an extension module:
    an ImportError, not a MemoryError. It is still the memory limit that stopped it."""
    limits = J.JobLimits(memory_mb=256, cpu_seconds=60, wall_seconds=60)
    tail = b"ImportError: /usr/lib/x.so: failed to map segment from shared object"
    assert J._outcome(1, tail, 1.0, limits) == J.MEMORY
    assert J._outcome(1, b"ValueError: bad row", 1.0, limits) == J.FINISHED
