"""Make sure a published release exists before the web process starts serving.

If the release folder holds none, one is built from the configured dataset by ``python -m dashboard release``
in a separate process (so that microdata never enters the web process), under a file lock so that several
workers starting together build it once.
"""

from __future__ import annotations

import fcntl
import subprocess
import sys
from pathlib import Path

from dashboard.config import Config
from dashboard.release.table import Release, ReleaseError


class StartupError(Exception):
    """The app cannot start: no release, and none could be built (the message says why)."""


def ensure_release(config: Config) -> Release:
    try:
        return Release.load(config.release_dir, config.tier)
    except ReleaseError:
        pass
    config.release_dir.mkdir(parents=True, exist_ok=True)
    with open(config.release_dir / ".build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            return Release.load(config.release_dir, config.tier)
        except ReleaseError:
            pass
        command = [
            sys.executable,
            "-m",
            "dashboard",
            "release",
            "--dataset",
            str(config.dataset_dir),
            "--out",
            str(config.release_dir),
            "--secret-file",
            str(config.secret_file),
        ]
        done = subprocess.run(command, capture_output=True, text=True, cwd=Path(__file__).resolve().parents[2])
        if done.returncode != 0:
            raise StartupError(
                f"no published release in {config.release_dir}, and building one from {config.dataset_dir} "
                f"failed:\n{done.stderr.strip()}"
            )
    return Release.load(config.release_dir, config.tier)
