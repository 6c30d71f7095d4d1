"""The audit log: JSON lines, known events only, scalar fields, no log injection, atomic appends."""

from __future__ import annotations

import json
import multiprocessing
import stat
from pathlib import Path

import pandas as pd
import pytest

from dashboard.audit_log import ACCOUNT, EVENTS, EXPORT, LOGIN, LOGIN_FAILED, MAX_TEXT, PUBLISH, AuditLog

PROCESSES, RECORDS = 4, 200


def test_al001_record_and_read_round_trip(tmp_path: Path):
    log = AuditLog(tmp_path / "logs" / "audit.log")
    log.record(LOGIN, user="ann", address="10.0.0.1")
    log.record(PUBLISH, user="steward1", version="v0003", tables=42, seconds=1.5, rolled_back=False, note=None)
    entries = log.read()
    assert [e["event"] for e in entries] == [LOGIN, PUBLISH]
    assert entries[0]["user"] == "ann" and entries[0]["address"] == "10.0.0.1"
    assert entries[1] | {"at": None} == {
        "at": None,
        "event": PUBLISH,
        "user": "steward1",
        "address": None,
        "version": "v0003",
        "tables": 42,
        "seconds": 1.5,
        "rolled_back": False,
        "note": None,
    }
    at = entries[0]["at"]
    assert at.endswith("Z") and len(at) == len("2025-01-31T12:00:00.123Z") and at[19] == "."


def test_al002_read_returns_the_newest_entries_oldest_first(tmp_path: Path):
    log = AuditLog(tmp_path / "audit.log")
    assert log.read() == []
    for i in range(10):
        log.record(EXPORT, user="u", rows=i)
    assert [e["rows"] for e in log.read(3)] == [7, 8, 9]
    assert log.read(0) == [] and len(log.read()) == 10
    with pytest.raises(ValueError):
        log.read(-1)


def test_al003_corrupt_lines_are_skipped(tmp_path: Path):
    log = AuditLog(tmp_path / "audit.log")
    log.record(LOGIN, user="a")
    with (tmp_path / "audit.log").open("ab") as fh:
        fh.write(b'{"event": "login", "at": "x"\n[1, 2]\n\xff\xfe\n\n{"half": ')
    log.record(LOGIN, user="b")  # the half line before it is merged into garbage, and skipped
    log.record(LOGIN, user="c")
    assert [e["user"] for e in log.read()] == ["a", "c"]


def test_al004_unknown_events_and_bad_field_names_are_refused(tmp_path: Path):
    log = AuditLog(tmp_path / "audit.log")
    assert {LOGIN, LOGIN_FAILED, ACCOUNT} <= EVENTS and len(EVENTS) == 12
    with pytest.raises(ValueError, match="unknown audit event"):
        log.record("hacked", user="x")
    for name in ("at", "Bad", "a b", "x\ny"):
        with pytest.raises(ValueError, match="field name"):
            log.record(LOGIN, **{name: 1})
    assert log.read() == []


@pytest.mark.parametrize("value", [[1, 2], {"a": 1}, pd.DataFrame({"a": [1]}), pd.Series([1]), b"bytes", (1,)])
def test_al005_non_scalar_fields_are_refused(tmp_path: Path, value: object):
    log = AuditLog(tmp_path / "audit.log")
    with pytest.raises(TypeError, match="must be a string, number, boolean or None"):
        log.record(EXPORT, user="u", table=value)
    assert log.read() == []


def test_al006_newlines_and_control_characters_are_neutralised(tmp_path: Path):
    path = tmp_path / "audit.log"
    log = AuditLog(path)
    forged = 'eve\n{"at":"2025-01-01T00:00:00.000Z","event":"login","user":"admin"}'
    log.record(LOGIN_FAILED, user=forged, address="1.2.3.4\r\n", file="a\x1b[31mred\u202e\u2028.csv")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1
    entry = json.loads(lines[0])
    assert entry["user"].startswith("eve{") and "\n" not in entry["user"]
    assert entry["address"] == "1.2.3.4" and entry["file"] == "a[31mred.csv"
    log.record(EXPORT, name="x" * 5000, ratio=float("nan"))
    last = log.read()[-1]
    assert len(last["name"]) == MAX_TEXT and last["ratio"] == "nan"


def test_al007_the_file_is_private(tmp_path: Path):
    path = tmp_path / "new" / "audit.log"
    AuditLog(path).record(LOGIN, user="a")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def _append_many(path: str, worker: int) -> None:
    log = AuditLog(Path(path))
    for i in range(RECORDS):
        log.record(EXPORT, user=f"worker{worker}", seq=i, a="a" * MAX_TEXT, b="b" * MAX_TEXT, c="c" * MAX_TEXT)


def test_al008_concurrent_appends_from_processes_stay_whole_lines(tmp_path: Path):
    path = tmp_path / "audit.log"
    context = multiprocessing.get_context("fork")  # as gunicorn starts its workers
    workers = [context.Process(target=_append_many, args=(str(path), w)) for w in range(PROCESSES)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=60)
    assert all(w.exitcode == 0 for w in workers)
    lines = path.read_bytes().split(b"\n")
    assert lines[-1] == b"" and len(lines) == PROCESSES * RECORDS + 1
    entries = [json.loads(line) for line in lines[:-1]]
    for w in range(PROCESSES):
        assert [e["seq"] for e in entries if e["user"] == f"worker{w}"] == list(range(RECORDS))
    assert len(AuditLog(path).read()) == PROCESSES * RECORDS
