"""Where a steward's check, preparation or publish has got to: its stage, step k of n, since when, and how it ended.

One record per upload, replaced at each stage by the process doing the work (the check or preparation job, the web
process that publishes) and read by any web process showing the upload. It lives where the jobs do
(DASHBOARD_JOB_QUEUE): beside the uploads' states (``uploads/progress/<id>.json``) with the embedded default,
in Redis with a queue, so that every instance of the app shows the same progress. It names stages only: never a
data value. A job stopped from outside (a limit, a crash) cannot say so itself: ``mark_failed`` records it at the
stage it had reached, so the steward reads which stage failed.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any, Final

from dashboard.config import LOCAL_JOBS, Config
from dashboard.i18n import t

CHECK: Final = "check"
PREPARE: Final = "prepare"
PUBLISH: Final = "publish"
STAGES: Final[dict[str, tuple[str, ...]]] = {
    CHECK: ("read", "check", "keep"),
    PREPARE: ("compare", "merge", "validate", "aggregate", "protect", "audit", "tables", "extras", "rules", "write"),
    PUBLISH: ("verify", "move", "switch", "record"),
}
# How a record stands
QUEUED: Final = "queued"
RUNNING: Final = "running"
DONE: Final = "done"
FAILED: Final = "failed"
FOLDER: Final = "progress"  # beside the staged folders: uploads/progress/<id>.json
KEY: Final = "dashboard:progress:{upload_id}"
KEEP_S: Final = 30 * 24 * 3600  # how long Redis keeps a record nobody replaced


def _folder_file(config: Config, upload_id: str) -> Path:
    from dashboard.steward import uploads as U

    U.staged_dir(config, upload_id)  # a valid id
    return config.upload_dir / FOLDER / f"{upload_id}.json"


def _save(config: Config, upload_id: str, record: dict[str, Any]) -> None:
    data = json.dumps(record, sort_keys=True)
    if config.job_queue == LOCAL_JOBS:
        from dashboard.steward import uploads as U

        path = _folder_file(config, upload_id)
        U.private_dir(path.parent)
        U.write_private(path, data.encode("utf-8"))
        return
    from dashboard.steward import queue as Q

    Q.connection(config.job_queue).set(KEY.format(upload_id=upload_id), data, ex=KEEP_S)


def read(config: Config, upload_id: str) -> dict[str, Any]:
    """The upload's last progress record ({} if none, or if it cannot be read just now)."""
    try:
        if config.job_queue == LOCAL_JOBS:
            text: Any = _folder_file(config, upload_id).read_text(encoding="utf-8")
        else:
            from dashboard.steward import queue as Q

            text = Q.connection(config.job_queue).get(KEY.format(upload_id=upload_id))
        record = json.loads(text) if text else {}
    except Exception:  # a missing file, a Redis that does not answer: no progress to show, never an error page
        return {}
    return record if isinstance(record, dict) and record.get("job") in STAGES else {}


def queued(config: Config, upload_id: str, job: str) -> None:
    """Record that ``job`` was started and waits for a process to take it up."""
    now = time.time()
    record = {"job": job, "state": QUEUED, "stage": "", "step": 0, "steps": len(STAGES[job]), "started": now, "at": now}
    _save(config, upload_id, record)


class Tracker:
    """What a job calls as it goes: ``stage(name)`` at the start of each of its stages, ``done()`` or ``failed()``."""

    def __init__(self, config: Config, upload_id: str, job: str) -> None:
        self.config, self.upload_id, self.job = config, upload_id, job
        self.started = time.time()
        self.current = ""

    def stage(self, name: str) -> None:
        stages = STAGES[self.job]
        self.current = name
        self._save(RUNNING, stages.index(name) + 1)  # an unknown stage is a programming error: fail loudly

    def done(self) -> None:
        self._save(DONE, len(STAGES[self.job]))

    def failed(self) -> None:
        self._save(FAILED, STAGES[self.job].index(self.current) + 1 if self.current else 0)

    def _save(self, state: str, step: int) -> None:
        record = {
            "job": self.job,
            "state": state,
            "stage": self.current,
            "step": step,
            "steps": len(STAGES[self.job]),
            "started": self.started,
            "at": time.time(),
        }
        _save(self.config, self.upload_id, record)


def mark_failed(config: Config, upload_id: str) -> None:
    """Record a job that was stopped from outside as failed at the stage it had reached (if it was running)."""
    record = read(config, upload_id)
    if record.get("state") in (QUEUED, RUNNING):
        _save(config, upload_id, {**record, "state": FAILED, "at": time.time()})


def shown(record: dict[str, Any], lang: str, now: float | None = None) -> dict[str, Any]:
    """What the steward page says of ``record``: the job, its state, the stage in words, step k of n, seconds."""
    if not record:
        return {}
    job, stage = str(record["job"]), str(record.get("stage") or "")
    started, at = record.get("started"), record.get("at")
    seconds = None
    if isinstance(started, int | float) and isinstance(at, int | float):
        end = (time.time() if now is None else now) if record["state"] in (QUEUED, RUNNING) else at
        seconds = max(0, int(end - started))
    return {
        "job": job,
        "job_label": t(f"progress.job.{job}", lang),
        "state": record["state"],
        "stage": stage,
        "stage_label": t(f"progress.stage.{job}.{stage}", lang) if stage else "",
        "step": int(record.get("step") or 0),
        "steps": int(record.get("steps") or len(STAGES[job])),
        "seconds": seconds,
    }


def failure_note(record: dict[str, Any], lang: str) -> str:
    """ "The preparation failed at stage 5 of 10 (protecting …)" for a failed record, else ""."""
    view = shown(record, lang)
    if not view or view["state"] != FAILED:
        return ""
    if not view["stage"]:
        return t("progress.failed_before", lang, job=view["job_label"])
    return t(
        "progress.failed_at",
        lang,
        job=view["job_label"],
        step=view["step"],
        steps=view["steps"],
        stage=view["stage_label"],
    )
