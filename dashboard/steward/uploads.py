"""A steward's uploads on the server: received, checked in a separate process, kept, and their state.

``uploads/staged/<id>/`` holds ``upload.json`` (who, when, which files, the check's report), ``status.json`` (the
state, below) and, once checked, the clean tables as CSV. The uploaded files themselves wait in ``incoming/``
only until the check (``python -m dashboard steward-check ID``) has read them: microdata is never parsed in the
web process, and a refused upload keeps only its report. Every folder here is 0700 and every file 0600.

Checks and preparations run under memory, CPU and wall-clock limits (``jobs``), started here as a process of their
own or put on a queue (``queue``, DASHBOARD_JOB_QUEUE); how far they got is in ``progress``. A job whose process
died (or, queued, that the queue no longer runs) is seen as such by ``status``, which then deletes what it left
(received files, partial output) and says so. State changes go through the upload's state lock, and a preparation
is started only once (``start_prepare``).

Why this module is longer than ~300 lines: an upload's whole life on disk (staging, status, locks, jobs) in one
module, so that every state change is in one place.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

from dashboard import paths
from dashboard.config import LOCAL_JOBS, Config
from dashboard.i18n import LocalisedError, t
from dashboard.steward import history as H
from dashboard.steward import progress as PG

STAGED: Final = "staged"
DATASETS: Final = "datasets"
PREPARED: Final = "prepared"
META: Final = "upload.json"
STATUS: Final = "status.json"
ID_PATTERN: Final = re.compile(r"^[0-9]{8}T[0-9]{6}-[0-9a-f]{8}$")

INCOMING: Final = "incoming"
LOCKS: Final = "locks"  # empty lock files, one pair per upload, beside the staged folders (never in them)
STATE_LOCK: Final = "state"
JOB_LOCK: Final = "job"
DIR_MODE: Final = 0o700
FILE_MODE: Final = 0o600
QUEUED_JOB: Final = "job"  # the state's key for the id of a job on the queue (DASHBOARD_JOB_QUEUE)
RECHECK_WAIT_S: Final = 10  # how long a new check waits for the last one's supervisor to finish

# States of a staged upload
CHECKING: Final = "checking"
REFUSED: Final = "refused"
CHECKED: Final = "checked"
PREPARING: Final = "preparing"
READY: Final = "ready"
FAILED: Final = "failed"
PUBLISHED: Final = "published"


class UploadError(LocalisedError):
    """No such upload (or an id that is not one), or one not in the state an action needs."""


def private_dir(path: Path) -> Path:
    """``path`` and every missing folder above it, each created 0700 (whatever the umask)."""
    missing = [p for p in (path, *path.parents) if not p.exists()]
    for folder in reversed(missing):
        folder.mkdir(mode=DIR_MODE, exist_ok=True)
        os.chmod(folder, DIR_MODE)
    return path


def write_private(path: Path, data: bytes) -> None:
    """Write ``path`` as a 0600 file (replaced whole: readers never see half of it)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.chmod(tmp, FILE_MODE)
    os.replace(tmp, path)


def _write_json(path: Path, data: dict[str, Any]) -> None:
    write_private(path, (json.dumps(data, indent=2, default=str) + "\n").encode("utf-8"))


@contextmanager
def _flock(path: Path, blocking: bool) -> Iterator[bool]:
    """Hold an exclusive lock on ``path`` (yields False at once if ``blocking`` is False and it is taken)."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, FILE_MODE)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)  # releases the lock (so does the death of its holder)


@contextmanager
def state_lock(config: Config, upload_id: str) -> Iterator[None]:
    """Serialise the upload's state changes (held for milliseconds, across threads and processes)."""
    with _flock(_lock_file(config, upload_id, STATE_LOCK), blocking=True):
        yield


@contextmanager
def job_lock(config: Config, upload_id: str) -> Iterator[None]:
    """Held by the job working on the upload for as long as it runs: the next job of the upload waits for it."""
    with _flock(_lock_file(config, upload_id, JOB_LOCK), blocking=True):
        yield


def _lock_file(config: Config, upload_id: str, kind: str) -> Path:
    staged_dir(config, upload_id)  # a valid id
    return private_dir(config.upload_dir / LOCKS) / f"{upload_id}.{kind}.lock"


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def staged_dir(config: Config, upload_id: str) -> Path:
    if not ID_PATTERN.fullmatch(upload_id):
        raise UploadError("steward.error.no_such")
    return config.upload_dir / STAGED / upload_id


def new_upload_id() -> str:
    return f"{datetime.now(UTC).strftime('%Y%m%dT%H%M%S')}-{secrets.token_hex(4)}"


def stage(config: Config, tables: dict[str, Any], report: dict[str, Any], by: str, upload_id: str | None = None) -> str:
    """Keep a checked upload's clean tables and its report; returns the upload id."""
    upload_id = upload_id or new_upload_id()
    folder = private_dir(staged_dir(config, upload_id))
    for name, frame in tables.items():
        write_private(folder / f"{name}.csv", frame.to_csv(index=False).encode("utf-8"))
    meta = {**upload_meta(config, upload_id), "id": upload_id, "by": by, "at": H.now_iso(), **report}
    _write_json(folder / META, meta)
    with state_lock(config, upload_id):
        _write_json(folder / STATUS, {"state": CHECKED})
    return upload_id


def receive(
    config: Config, files: list[tuple[str, bytes]], by: str, lang: str = "en", options: tuple[str, ...] = ()
) -> str:
    """Keep the uploaded files (private, until checked) and start their check in a separate process
    (``options``: more arguments of ``steward-check``, such as ``--wave 2026`` for a survey-tool export)."""
    upload_id = new_upload_id()
    incoming = private_dir(staged_dir(config, upload_id) / INCOMING)
    names = []
    for i, (name, data) in enumerate(files):
        safe = "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in name)[-100:] or "upload"
        write_private(incoming / f"{i}-{safe}", data)
        names.append(name[:100])
    folder = incoming.parent
    _write_json(folder / META, {"id": upload_id, "by": by, "at": H.now_iso(), "files": ", ".join(names)})
    with state_lock(config, upload_id):  # the check cannot record its end before its start is recorded
        try:
            owner = _launch(config, "steward-check", upload_id, "--lang", lang, *options)
        except UploadError:
            shutil.rmtree(folder, ignore_errors=True)  # no check will read the received files: nothing is kept
            raise
        _write_json(folder / STATUS, {"state": CHECKING, **owner})
    return upload_id


def recheck(config: Config, upload_id: str, *options: str) -> None:
    """Check a received upload again (its files still waiting, as a survey-tool export does for its mapping), once
    the job that checked it last has let go of the upload (its supervisor may still be recording how it ended)."""
    deadline = time.monotonic() + RECHECK_WAIT_S
    while True:
        with job_lock(config, upload_id) as free:
            if free is not False:  # a blocking job_lock yields None once the last job let go
                break
        if time.monotonic() > deadline:
            raise UploadError("steward.job.busy")
        time.sleep(0.05)
    with state_lock(config, upload_id):
        owner = _launch(config, "steward-check", upload_id, *options)
        _write_json(staged_dir(config, upload_id) / STATUS, {"state": CHECKING, **owner})


def incoming_uploads(config: Config, upload_id: str) -> list[tuple[str, bytes]]:
    """The received files, under the names the steward's browser sent (in the order sent)."""
    incoming = staged_dir(config, upload_id) / INCOMING
    files = sorted(incoming.iterdir(), key=lambda p: int(p.name.split("-", 1)[0])) if incoming.is_dir() else []
    return [(p.name.split("-", 1)[1], p.read_bytes()) for p in files]


def check(config: Config, upload_id: str, report: dict[str, Any], tables: dict[str, Any] | None) -> None:
    """Record the check of a received upload: its report, and its clean tables if it passed. Deletes the files."""
    folder = staged_dir(config, upload_id)
    meta = upload_meta(config, upload_id)
    try:
        # The files were read already: gone before any state says the check ended (a page that shows the outcome
        # never finds them on disk).
        shutil.rmtree(folder / INCOMING, ignore_errors=True)
        if tables is not None:
            stage(config, tables, report, str(meta.get("by", "?")), upload_id)
        else:
            _write_json(folder / META, {**meta, **report})
            set_status(config, upload_id, state=REFUSED)
    finally:
        shutil.rmtree(folder / INCOMING, ignore_errors=True)


def end_job(config: Config, upload_id: str, job: str, pid: object, message: str, after_failure: bool = False) -> bool:
    """Record that the job ``pid`` (``CHECKING`` or ``PREPARING``) ended without finishing: the upload refused (a
    check: its received files and any table begun deleted) or failed (a preparation: its partial dataset and
    release deleted), with ``message``. Only while the upload is still that job's, or (``after_failure``) the job
    itself recorded its failure; returns whether it did. Never touches an upload that has moved on."""
    ended = REFUSED if job == CHECKING else FAILED
    with state_lock(config, upload_id):
        state = _read_json(staged_dir(config, upload_id) / STATUS)
        ours = state.get("state") == job and owner_of(state) == pid
        if not (ours or (after_failure and state.get("state") == ended)):
            return False
        (_sweep_check if job == CHECKING else _sweep_prepare)(config, upload_id, message)
        _write_json(staged_dir(config, upload_id) / STATUS, {"state": ended, "message": message})
    PG.mark_failed(config, upload_id)  # at the stage it had reached
    return True


def owns(config: Config, upload_id: str, job: str, pid: object) -> bool:
    """Whether the upload's state says job ``pid`` (a pid, or a queued job's id) is running (``CHECKING`` or
    ``PREPARING``) on it."""
    with state_lock(config, upload_id):  # after the web process has recorded the owner of the job it started
        state = _read_json(staged_dir(config, upload_id) / STATUS)
    return state.get("state") == job and owner_of(state) == pid


def owner_of(state: dict[str, Any]) -> object:
    """Who runs the upload's job: the supervisor's pid (embedded default) or the queued job's id (``QUEUED_JOB``)."""
    return state.get(QUEUED_JOB, state.get("pid"))


def _sweep_check(config: Config, upload_id: str, message: str) -> None:
    folder = staged_dir(config, upload_id)
    shutil.rmtree(folder / INCOMING, ignore_errors=True)
    for table in folder.glob("*.csv"):
        table.unlink(missing_ok=True)
    _write_json(folder / META, {**upload_meta(config, upload_id), "problems": [], "message": message})


def _sweep_prepare(config: Config, upload_id: str, message: str) -> None:
    shutil.rmtree(config.upload_dir / DATASETS / upload_id, ignore_errors=True)
    shutil.rmtree(config.release_dir / PREPARED / upload_id, ignore_errors=True)


def upload_meta(config: Config, upload_id: str) -> dict[str, Any]:
    return _read_json(staged_dir(config, upload_id) / META)


def status(config: Config, upload_id: str, sweep: bool = True) -> dict[str, Any]:
    """The upload's state. A check or preparation whose process died is recorded (with ``sweep``) as refused or
    failed, and what it left is deleted first: the page then says only what is true."""
    state = _read_json(staged_dir(config, upload_id) / STATUS)
    job = state.get("state")
    if not sweep or job not in (CHECKING, PREPARING) or _running(config, state):
        return state
    what = t("steward.job.check" if job == CHECKING else "steward.job.prepare", config.language)
    end_job(config, upload_id, str(job), owner_of(state), t("steward.job.died", config.language, job=what))
    return _read_json(staged_dir(config, upload_id) / STATUS)


def _running(config: Config, state: dict[str, Any]) -> bool:
    """Whether the job the state names still runs: asked of the queue for a queued job, of this machine for a pid."""
    if QUEUED_JOB in state:
        from dashboard.steward import queue as Q

        return Q.running(config, str(state[QUEUED_JOB]))
    return _alive(state.get("pid"))


def _alive(pid: object) -> bool:
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a finished child that was never waited for is a zombie: not alive
        done, _ = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return done == 0


def set_status(config: Config, upload_id: str, **fields: Any) -> None:
    with state_lock(config, upload_id):
        _write_json(staged_dir(config, upload_id) / STATUS, fields)


def recent_uploads(config: Config, limit: int = 10) -> list[dict[str, Any]]:
    folder = config.upload_dir / STAGED
    if not folder.is_dir():
        return []
    names = sorted((p.name for p in folder.iterdir() if ID_PATTERN.fullmatch(p.name)), reverse=True)[:limit]
    return [{**upload_meta(config, n), "status": status(config, n)} for n in names]


def start_prepare(config: Config, upload_id: str) -> None:
    """Prepare the upload in a separate process (building a release can take a minute); returns at once.

    Under the upload's state lock, so that two clicks (or two workers) start one build: the second finds it
    preparing and is refused (UploadError), as is an upload that has not passed its checks.
    """
    status(config, upload_id)  # a dead job is recorded as such before the lock is taken
    with state_lock(config, upload_id):
        state = _read_json(staged_dir(config, upload_id) / STATUS).get("state")
        if state == PREPARING:
            raise UploadError("steward.job.busy")
        if state not in (CHECKED, FAILED):
            raise UploadError("steward.error.not_checked")
        owner = _launch(config, "steward-prepare", upload_id)
        _write_json(staged_dir(config, upload_id) / STATUS, {"state": PREPARING, **owner, "started": H.now_iso()})


def _launch(config: Config, command: str, upload_id: str, *options: str) -> dict[str, Any]:
    """Start one job of the upload where DASHBOARD_JOB_QUEUE says, and record it as waiting; returns its owner
    for the upload's state (``{"pid": …}`` for a local process, ``{QUEUED_JOB: …}`` for a queued job)."""
    if config.job_queue == LOCAL_JOBS:
        PG.queued(config, upload_id, PG.CHECK if command == "steward-check" else PG.PREPARE)
        return {"pid": _spawn(config, command, upload_id, *options).pid}
    import redis

    from dashboard.steward import queue as Q

    try:
        PG.queued(config, upload_id, PG.CHECK if command == "steward-check" else PG.PREPARE)
        return {QUEUED_JOB: Q.enqueue(config, command, upload_id, options, config_env(config))}
    except redis.RedisError:
        raise UploadError("steward.job.queue_down") from None


def _spawn(config: Config, command: str, upload_id: str, *options: str) -> subprocess.Popen:
    """Run ``python -m dashboard COMMAND UPLOAD_ID`` in its own session, under the job limits and their supervisor
    (``jobs``), with this process's settings."""
    return subprocess.Popen(
        [sys.executable, "-m", "dashboard.steward.jobs", command, upload_id, *options],
        cwd=paths.REPO_ROOT,
        env=dict(os.environ, **config_env(config)),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def config_env(config: Config) -> dict[str, str]:
    """The settings a child process needs to work on the same folders."""
    return {
        "DASHBOARD_DATASET": str(config.dataset_dir),
        "DASHBOARD_RELEASES": str(config.release_dir),
        "DASHBOARD_SECRET_FILE": str(config.secret_file),
        "DASHBOARD_UPLOADS": str(config.upload_dir),
        "DASHBOARD_AUDIT_LOG": str(config.audit_log),
        "DASHBOARD_MAX_UPLOAD_MB": str(config.max_upload_mb),
        "DASHBOARD_LANGUAGE": config.language,
        "DASHBOARD_JOB_MEMORY_MB": str(config.job_memory_mb),
        "DASHBOARD_JOB_CPU_SECONDS": str(config.job_cpu_seconds),
        "DASHBOARD_JOB_WALL_SECONDS": str(config.job_wall_seconds),
        "DASHBOARD_JOB_QUEUE": config.job_queue,
    }


def report_of(result: Any) -> dict[str, Any]:
    """What the steward is shown and what is kept: problems, notices, mappings, counts (no data values)."""
    return {
        "wave": result.wave,
        "rows": dict(result.rows),
        "problems": [p.as_dict() | {"text": str(p)} for p in result.problems],
        "notices": [{"file": n.file, "column": n.column, "rule": n.rule, "message": n.message} for n in result.notices],
        "mappings": [
            {"column": m.column, "raw": m.raw, "code": m.code, "rows": m.rows}
            for m in result.mappings
            if m.code is None or m.raw != m.code
        ],
    }
