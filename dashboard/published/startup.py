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
from dashboard.published.table import CURRENT, RELEASE_META, ReleaseError


class StartupError(Exception):
    """The app cannot start: no release, and none could be built (the message says why)."""


def _check_published(config: Config) -> None:
    """Raise ReleaseError unless every tier the process serves is published (reads each tier's metadata only)."""
    base = config.release_dir / CURRENT if (config.release_dir / CURRENT).exists() else config.release_dir
    for tier in config.tiers():
        if not (base / tier / RELEASE_META).is_file():
            raise ReleaseError(f"no published {tier} release in {config.release_dir}")


def ensure_release(config: Config) -> None:
    """Make sure every tier ``config`` serves is published, building a release from the dataset if none is."""
    try:
        _check_published(config)
        return
    except ReleaseError:
        pass
    config.release_dir.mkdir(parents=True, exist_ok=True)
    with open(config.release_dir / ".build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            _check_published(config)
            return
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
    _check_published(config)
