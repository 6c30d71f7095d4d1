"""The published releases a web process serves: one per tier, each read on first use, re-read after a publish.

A process serves the tiers up to its configured ceiling (``Config.tiers()``) and reads a tier's release only when
a visitor of that tier first needs it, so a public-only audience never makes the process read a higher tier.
When a steward publishes or rolls back, ``current`` moves to another version; every process notices within
``check_every`` seconds (one ``readlink``) and reads the new version on the next request, from the version folder
itself, so that a request never mixes two versions.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from dashboard.published import table as TB
from dashboard.published.table import Release, ReleaseError


class ReleaseStore:
    def __init__(self, folder: Path, tiers: tuple[str, ...], check_every: float = 1.0) -> None:
        self.folder = folder
        self.tiers = tiers
        self.check_every = check_every
        self._lock = threading.Lock()
        self._loaded: dict[str, tuple[str, Release]] = {}
        self._version = ""
        self._checked = float("-inf")

    def version(self) -> str:
        """The version folder ``current`` points at now ("" for a folder without versions), checked at most once
        every ``check_every`` seconds."""
        now = time.monotonic()
        if now - self._checked >= self.check_every:
            link = self.folder / TB.CURRENT
            try:
                self._version = os.readlink(link) if link.is_symlink() else ""
            except OSError:
                self._version = ""
            self._checked = now
        return self._version

    def get(self, tier: str) -> Release:
        """The published release of ``tier``. Raises ReleaseError for a tier this process does not serve."""
        if tier not in self.tiers:
            raise ReleaseError(f"this process does not serve the {tier} tier")
        version = self.version()
        cached = self._loaded.get(tier)
        if cached is not None and cached[0] == version:
            return cached[1]
        with self._lock:
            cached = self._loaded.get(tier)
            if cached is not None and cached[0] == version:
                return cached[1]
            release = Release.load(self.folder / version if version else self.folder, tier)
            self._loaded[tier] = (version, release)
            return release

    def refresh(self) -> None:
        """Look at ``current`` on the next ``get`` (after this process itself published or rolled back)."""
        self._checked = float("-inf")


def switch_current(out: Path, stamp: str) -> None:
    """Point ``out/current`` at ``versions/<stamp>`` in one atomic step (a new link renamed over the old one).

    Every process serving ``out`` sees the new version within its ``check_every``; a publish and a rollback are
    both this one step."""
    link_tmp = out / f".current-{stamp}-{os.getpid()}"
    if link_tmp.is_symlink():
        link_tmp.unlink()
    os.symlink(Path(TB.VERSIONS) / stamp, link_tmp)
    os.replace(link_tmp, out / TB.CURRENT)
    fsync_dir(out)


def fsync_dir(path: Path) -> None:
    """Make a folder's entries (a renamed link or version) durable."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
