"""From a prepared upload (``dashboard.steward.prepare``) to a served release, and back: publish, roll back.

- **prepare** (:mod:`dashboard.steward.prepare`, in a job process only): the wave is built and audited into
  ``releases/prepared/<id>/``. Nothing served changes; the steward reads the steward report.
- **publish**: under the publish lock, the prepared version is moved into ``versions/`` and ``current`` is
  switched to it (two renames). It is refused if the served release changed since it was prepared.
- **rollback**: under the same lock, ``current`` is switched back to any complete earlier version.

A kill at any point leaves ``current`` on a complete version: a half-written build lives only in ``prepared/``
or in a ``.staging-*`` folder, which are never served. Two publishes (or a publish and a rollback) never
interleave: the second is refused while the lock is held.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Final

from dashboard.config import Config
from dashboard.i18n import LocalisedError
from dashboard.published import table as TB
from dashboard.published.store import switch_current
from dashboard.published.tiers import Tier
from dashboard.steward import history as H
from dashboard.steward import progress as PG
from dashboard.steward import uploads as U

LOCK_FILE: Final = ".publish.lock"
PREPARED: Final = "prepared"


class PublishBusy(LocalisedError):
    """Another publish or rollback holds the lock."""


class PublishError(LocalisedError):
    """A publish or rollback was refused; the message says why, in the reader's language. Nothing served changed."""


@contextmanager
def publish_lock(release_dir: Path) -> Iterator[None]:
    """Hold the release folder's publish lock, or raise PublishBusy at once. A killed holder releases it."""
    release_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(release_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise PublishBusy("steward.error.busy") from None
        yield
    finally:
        os.close(fd)


def publish_prepared(config: Config, upload_id: str, by: str) -> str:
    """Serve the prepared release of ``upload_id`` (atomic switch under the lock). Returns the version name."""
    with publish_lock(config.release_dir):
        return publish_locked(config, upload_id, by)


def publish_locked(config: Config, upload_id: str, by: str) -> str:
    """Publish under the lock, its stages recorded for every instance to show; a refusal names the stage it failed
    at (PublishError)."""
    track = PG.Tracker(config, upload_id, PG.PUBLISH)
    try:
        name = _publish_stages(config, upload_id, by, track)
    except PublishError as err:
        track.failed()
        raise at_stage(config, upload_id, err) from None
    except Exception:
        track.failed()
        raise
    track.done()
    return name


def at_stage(config: Config, upload_id: str, err: PublishError) -> PublishError:
    """``err``, prefixed with the stage it stopped at ("The publish failed at stage 2 of 4 (…): …")."""
    record = PG.read(config, upload_id)
    return PublishError("steward.error.at_stage", note=lambda lang: PG.failure_note(record, lang), reason=err)


def _publish_stages(config: Config, upload_id: str, by: str, track: PG.Tracker) -> str:
    track.stage("verify")
    state = U.status(config, upload_id)
    if state.get("state") != U.READY:
        raise PublishError("steward.error.not_prepared")
    if state.get("base_version") != H.current_version(config.release_dir):
        raise PublishError("steward.error.base_changed")
    name = str(state["version"])
    source = config.release_dir / PREPARED / upload_id / TB.VERSIONS / name
    if not (source / Tier.PUBLIC / TB.RELEASE_META).is_file():
        raise PublishError("steward.error.incomplete")
    track.stage("move")
    target = config.release_dir / TB.VERSIONS / name
    target.parent.mkdir(parents=True, exist_ok=True)
    os.rename(source, target)
    track.stage("switch")
    switch_current(config.release_dir, name)
    track.stage("record")
    H.append(
        config.release_dir,
        {
            "action": H.PUBLISH,
            "version": name,
            "by": by,
            "upload": upload_id,
            "wave": state.get("wave"),
            "dataset": state.get("dataset"),
            "previous": state.get("base_version"),
        },
    )
    U.set_status(config, upload_id, **{**state, "state": U.PUBLISHED, "published_at": H.now_iso()})
    shutil.rmtree(config.release_dir / PREPARED / upload_id, ignore_errors=True)
    return name


def rollback(config: Config, version: str, by: str) -> str:
    """Serve the earlier version ``version`` again (atomic switch under the lock)."""
    known = {v.name: v for v in H.versions(config.release_dir)}
    if version not in known:
        raise PublishError("steward.error.no_version")
    with publish_lock(config.release_dir):
        previous = H.current_version(config.release_dir)
        if previous == version:
            raise PublishError("steward.error.already_served")
        switch_current(config.release_dir, version)
        H.append(config.release_dir, {"action": H.ROLLBACK, "version": version, "by": by, "previous": previous})
    return version
