"""Prepare a checked upload (``dashboard.steward.uploads``) for publishing: run by the steward's job process only.

``python -m dashboard steward-prepare ID`` (a separate process, started by the steward page or the CLI): the wave is
checked again against the dataset the served release was built from, merged into a new dataset snapshot,
validated, built and audited into ``releases/prepared/<id>/``. Nothing served changes; the steward reads the
steward report, then publishes with :mod:`dashboard.steward.publish`. This module imports the release builder and
its solvers, so the web process never imports it (the import contract in ``pyproject.toml``).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from dashboard.config import Config
from dashboard.published import table as TB
from dashboard.steward import history as H
from dashboard.steward import progress as PG
from dashboard.steward import publish as P
from dashboard.steward import uploads as U
from dashboard.steward.publish import PREPARED, PublishError


def prepare(config: Config, upload_id: str, tracker: PG.Tracker | None = None) -> Path:
    """Check the staged wave against the served dataset, merge, validate, build and audit it into ``prepared/``.

    Runs in its own process, telling ``tracker`` each stage as it starts. Returns the prepared version folder;
    raises PublishError naming every problem.
    """
    from dashboard.data.validate import load_dataset, validate_dataset
    from dashboard.data.vocab import vocabularies
    from dashboard.ingest import Upload, ingest, merged_dataset_folder
    from dashboard.release.builder import ReleaseAuditError, build, served_releases, write
    from dashboard.secret import load_or_create

    track = tracker or PG.Tracker(config, upload_id, PG.PREPARE)
    track.stage("compare")
    folder = U.staged_dir(config, upload_id)
    base_version = H.current_version(config.release_dir)
    base = H.dataset_of(config.release_dir, base_version, config.dataset_dir)
    vocab = vocabularies()
    uploads = [Upload(p.name, p.read_bytes()) for p in sorted(folder.glob("*.csv"))]  # the clean tables kept
    result = ingest(uploads, load_dataset(base, vocab), vocab)
    if not result.ok:
        raise PublishError("steward.error.problems", problems="; ".join(str(p) for p in result.problems[:20]))
    track.stage("merge")
    dataset_dir = config.upload_dir / U.DATASETS / upload_id
    shutil.rmtree(dataset_dir, ignore_errors=True)
    merged_dataset_folder(base, result, dataset_dir, {"upload": upload_id})
    track.stage("validate")
    dataset, problems = validate_dataset(dataset_dir, vocab)
    if dataset is None:
        raise PublishError("steward.error.problems", problems="; ".join(str(p) for p in problems[:20]))
    try:
        previous = served_releases(config.release_dir)  # earlier waves keep what it published
    except TB.ReleaseError:
        raise PublishError("steward.error.served_unreadable") from None
    try:
        built = build(dataset, vocab, load_or_create(config.secret_file), progress=track.stage, previous=previous)
    except ReleaseAuditError as err:
        raise PublishError("steward.error.audit", cells=len(err.problems)) from None
    track.stage("write")
    prepared_root = config.release_dir / PREPARED / upload_id
    shutil.rmtree(prepared_root, ignore_errors=True)
    version = write(built, prepared_root)
    U.set_status(
        config,
        upload_id,
        state=U.READY,
        base_version=base_version,
        version=version.name,
        dataset=str(dataset_dir),
        wave=result.wave,
        report=built.report,
    )
    track.done()
    return version


def publish_upload(config: Config, upload_id: str, by: str) -> str:
    """Prepare and publish in one go, holding the lock throughout (the command line's ``publish``)."""
    with P.publish_lock(config.release_dir):
        U.set_status(config, upload_id, state=U.PREPARING, pid=os.getpid(), started=H.now_iso())
        tracker = PG.Tracker(config, upload_id, PG.PREPARE)
        try:
            prepare(config, upload_id, tracker)
        except PublishError as err:
            tracker.failed()
            U.set_status(config, upload_id, state=U.FAILED, message=str(err), messages=err.texts())
            raise P.at_stage(config, upload_id, err) from None
        return P.publish_locked(config, upload_id, by)
