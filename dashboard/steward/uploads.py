"""A steward's uploads on the server: received, checked in a separate process, kept, and their state.

``uploads/staged/<id>/`` holds ``upload.json`` (who, when, which files, the check's report), ``status.json`` (the
state, below) and, once checked, the clean tables as CSV. The uploaded files themselves wait in ``incoming/``
(mode 0700) only until the check (``python -m dashboard steward-check ID``) has read them: microdata is never
parsed in the web process, and a refused upload keeps only its report.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

from dashboard import paths
from dashboard.config import Config
from dashboard.steward import history as H

STAGED: Final = "staged"
DATASETS: Final = "datasets"
PREPARED: Final = "prepared"
META: Final = "upload.json"
STATUS: Final = "status.json"
ID_PATTERN: Final = re.compile(r"^[0-9]{8}T[0-9]{6}-[0-9a-f]{8}$")

INCOMING: Final = "incoming"

# States of a staged upload
CHECKING: Final = "checking"
REFUSED: Final = "refused"
CHECKED: Final = "checked"
PREPARING: Final = "preparing"
READY: Final = "ready"
FAILED: Final = "failed"
PUBLISHED: Final = "published"


class UploadError(Exception):
    """No such upload (or an id that is not one)."""


def _write_json(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, indent=2, default=str) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def staged_dir(config: Config, upload_id: str) -> Path:
    if not ID_PATTERN.fullmatch(upload_id):
        raise UploadError("no such upload")
    return config.upload_dir / STAGED / upload_id


def new_upload_id() -> str:
    return f"{datetime.now(UTC).strftime('%Y%m%dT%H%M%S')}-{secrets.token_hex(4)}"


def stage(config: Config, tables: dict[str, Any], report: dict[str, Any], by: str, upload_id: str | None = None) -> str:
    """Keep a checked upload's clean tables and its report; returns the upload id."""
    upload_id = upload_id or new_upload_id()
    folder = staged_dir(config, upload_id)
    folder.mkdir(parents=True, mode=0o700, exist_ok=True)
    for name, frame in tables.items():
        frame.to_csv(folder / f"{name}.csv", index=False)
    meta = {**upload_meta(config, upload_id), "id": upload_id, "by": by, "at": H.now_iso(), **report}
    _write_json(folder / META, meta)
    _write_json(folder / STATUS, {"state": CHECKED})
    return upload_id


def receive(config: Config, files: list[tuple[str, bytes]], by: str, lang: str = "en") -> str:
    """Keep the uploaded files (private, until checked) and start their check in a separate process."""
    upload_id = new_upload_id()
    incoming = staged_dir(config, upload_id) / INCOMING
    incoming.mkdir(parents=True, mode=0o700)
    names = []
    for i, (name, data) in enumerate(files):
        safe = "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in name)[-100:] or "upload"
        (incoming / f"{i}-{safe}").write_bytes(data)
        names.append(name[:100])
    folder = incoming.parent
    _write_json(folder / META, {"id": upload_id, "by": by, "at": H.now_iso(), "files": ", ".join(names)})
    proc = _spawn(config, "steward-check", upload_id, "--lang", lang)
    _write_json(folder / STATUS, {"state": CHECKING, "pid": proc.pid})
    return upload_id


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
        if tables is not None:
            stage(config, tables, report, str(meta.get("by", "?")), upload_id)
        else:
            _write_json(folder / META, {**meta, **report})
            _write_json(folder / STATUS, {"state": REFUSED})
    finally:
        shutil.rmtree(folder / INCOMING, ignore_errors=True)


def upload_meta(config: Config, upload_id: str) -> dict[str, Any]:
    return _read_json(staged_dir(config, upload_id) / META)


def status(config: Config, upload_id: str) -> dict[str, Any]:
    """The upload's state; a preparation whose process died is reported as failed."""
    state = _read_json(staged_dir(config, upload_id) / STATUS)
    if state.get("state") == PREPARING and not _alive(state.get("pid")):
        return {"state": FAILED, "message": "the preparation stopped before it finished; prepare again"}
    if state.get("state") == CHECKING and not _alive(state.get("pid")):
        return {"state": REFUSED, "message": "the check stopped before it finished; upload the file again"}
    return state


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
    _write_json(staged_dir(config, upload_id) / STATUS, fields)


def recent_uploads(config: Config, limit: int = 10) -> list[dict[str, Any]]:
    folder = config.upload_dir / STAGED
    if not folder.is_dir():
        return []
    names = sorted((p.name for p in folder.iterdir() if ID_PATTERN.fullmatch(p.name)), reverse=True)[:limit]
    return [{**upload_meta(config, n), "status": status(config, n)} for n in names]


def start_prepare(config: Config, upload_id: str) -> None:
    """Prepare the upload in a separate process (building a release can take a minute); returns at once."""
    staged_dir(config, upload_id)
    if status(config, upload_id).get("state") == PREPARING:
        return
    proc = _spawn(config, "steward-prepare", upload_id)
    set_status(config, upload_id, state=PREPARING, pid=proc.pid, started=H.now_iso())


def _spawn(config: Config, command: str, upload_id: str, *options: str) -> subprocess.Popen:
    """Run ``python -m dashboard COMMAND UPLOAD_ID`` in its own process, with this process's settings."""
    return subprocess.Popen(
        [sys.executable, "-m", "dashboard", command, upload_id, *options],
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
