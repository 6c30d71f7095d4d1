"""Progress of the steward's long work (issue 17, item 5): each stage recorded as it starts, shown on the upload page
and as JSON, a failure naming the stage it failed at (a job stopped by a limit included), and the queue's
settings refused or survived when wrong or unreachable."""

from __future__ import annotations

import dataclasses
import os
import stat
from pathlib import Path

import flask
import pytest

from dashboard.config import Config, ConfigError
from dashboard.i18n import t
from dashboard.steward import jobs as J
from dashboard.steward import progress as PG
from dashboard.steward import publish as P
from dashboard.steward import queue as Q
from dashboard.steward import uploads as U
from dashboard.steward.prepare import prepare
from tests.conftest import csrf_token, instance_env
from tests.steward.test_publish import _stage

UNREACHABLE = "redis://127.0.0.1:1/0"  # nothing listens on port 1: refused at once


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return Config.from_env(instance_env(tmp_path))


def _checked(config: Config) -> str:
    upload_id = U.new_upload_id()
    U.private_dir(U.staged_dir(config, upload_id))
    U.set_status(config, upload_id, state=U.CHECKED)
    return upload_id


class Recording(PG.Tracker):
    """A tracker that also remembers every stage it was told, in order."""

    def __init__(self, *args) -> None:
        super().__init__(*args)
        self.seen: list[str] = []

    def stage(self, name: str) -> None:
        self.seen.append(name)
        super().stage(name)


def test_pg001_each_stage_replaces_the_record_and_the_file_is_private(config):
    upload_id = _checked(config)
    tracker = PG.Tracker(config, upload_id, PG.CHECK)
    for step, name in enumerate(PG.STAGES[PG.CHECK], start=1):
        tracker.stage(name)
        record = PG.read(config, upload_id)
        assert (record["state"], record["stage"], record["step"]) == (PG.RUNNING, name, step)
        assert record["steps"] == len(PG.STAGES[PG.CHECK])
    tracker.done()
    assert PG.read(config, upload_id)["state"] == PG.DONE
    path = config.upload_dir / PG.FOLDER / f"{upload_id}.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not (U.staged_dir(config, upload_id) / f"{upload_id}.json").exists()
    with pytest.raises(ValueError):
        tracker.stage("no-such-stage")


@pytest.mark.slow  # a preparation: a full build (of the small dataset plus a wave)
def test_pg002_a_preparation_records_every_stage_in_order_then_done(steward_config):
    upload_id = _stage(steward_config)
    U.set_status(steward_config, upload_id, state=U.PREPARING, pid=os.getpid())
    tracker = Recording(steward_config, upload_id, PG.PREPARE)
    prepare(steward_config, upload_id, tracker)
    assert tracker.seen == list(PG.STAGES[PG.PREPARE])
    record = PG.read(steward_config, upload_id)
    assert record["state"] == PG.DONE and record["step"] == record["steps"] == len(PG.STAGES[PG.PREPARE])


@pytest.mark.parametrize("outcome", [J.MEMORY, J.TIME])
def test_pg003_a_job_stopped_by_a_limit_is_recorded_as_failed_at_the_stage_it_had_reached(config, monkeypatch, outcome):
    upload_id = _checked(config)
    U.set_status(config, upload_id, state=U.PREPARING, pid=os.getpid())
    reached = PG.STAGES[PG.PREPARE][4]

    def stopped_while_protecting(argv, limits, env=None):
        tracker = PG.Tracker(config, upload_id, PG.PREPARE)
        for name in PG.STAGES[PG.PREPARE][:5]:
            tracker.stage(name)
        return outcome  # the kernel or the supervisor stopped it: it never said so itself

    monkeypatch.setattr(J, "run_limited", stopped_while_protecting)
    assert J.supervise(J.PREPARE, upload_id, [], config) == 1
    record = PG.read(config, upload_id)
    assert (record["state"], record["stage"], record["step"]) == (PG.FAILED, reached, 5)
    note = PG.failure_note(record, "en")
    assert t(f"progress.stage.prepare.{reached}", "en") in note and "stage 5 of 10" in note
    assert U.status(config, upload_id)["state"] == U.FAILED


def test_pg004_a_refused_publish_names_the_stage_it_failed_at(steward_config):
    upload_id = _checked(steward_config)  # checked, never prepared
    with pytest.raises(P.PublishError) as refused:
        P.publish_prepared(steward_config, upload_id, "tester")
    label = t("progress.stage.publish.verify", "en")
    assert f"stage 1 of {len(PG.STAGES[PG.PUBLISH])} ({label})" in str(refused.value)
    assert "prepare it first" in str(refused.value)
    assert PG.read(steward_config, upload_id)["state"] == PG.FAILED


def test_pg005_the_upload_page_and_its_json_show_the_stage_and_then_the_failed_stage(role_clients, app_config):
    steward = role_clients["steward"]
    upload_id = _stage(app_config)
    U.set_status(app_config, upload_id, state=U.PREPARING, pid=os.getpid())  # this process: alive
    tracker = PG.Tracker(app_config, upload_id, PG.PREPARE)
    stage = PG.STAGES[PG.PREPARE][5]
    for name in PG.STAGES[PG.PREPARE][:6]:
        tracker.stage(name)
    label = t(f"progress.stage.prepare.{stage}", "en")
    page = steward.get(f"/steward/uploads/{upload_id}").get_data(as_text=True)
    assert 'id="progress-text"' in page and f"stage 6 of 10: {label}" in page
    assert '<progress id="progress-bar" max="10" value="6"' in page
    answer = steward.get(f"/steward/uploads/{upload_id}/progress").get_json()
    assert answer["state"] == U.PREPARING and answer["progress"]["stage"] == stage and answer["failure"] == ""

    U.end_job(app_config, upload_id, U.PREPARING, os.getpid(), "the preparation stopped")
    page = steward.get(f"/steward/uploads/{upload_id}").get_data(as_text=True)
    assert 'id="progress-failed"' in page and f"failed at stage 6 of 10 ({label})" in page
    answer = steward.get(f"/steward/uploads/{upload_id}/progress").get_json()
    assert answer["state"] == U.FAILED and label in answer["failure"]

    assert steward.get("/steward/uploads/20000101T000000-00000000/progress").status_code == 404
    assert steward.get("/steward/uploads/not-an-id/progress").status_code == 404
    anonymous = role_clients["public"].get(f"/steward/uploads/{upload_id}/progress")
    assert anonymous.status_code == 303
    assert role_clients["coalition"].get(f"/steward/uploads/{upload_id}/progress").status_code == 403


def test_pg006_an_unreachable_queue_starts_nothing_keeps_nothing_and_sweeps_nothing(config):
    queued = dataclasses.replace(config, job_queue=UNREACHABLE)
    with pytest.raises(U.UploadError, match="DASHBOARD_JOB_QUEUE"):
        U.receive(queued, [("respondents.csv", b"respondent_id\nR1\n")], "test-steward")
    staged = queued.upload_dir / U.STAGED
    assert not staged.exists() or not any(staged.iterdir())  # the received files were not kept
    upload_id = _checked(config)
    U.set_status(queued, upload_id, state=U.CHECKING, **{U.QUEUED_JOB: "steward-check_x_00000000"})
    assert Q.running(queued, "steward-check_x_00000000")  # cannot tell: assumed running
    assert U.status(queued, upload_id)["state"] == U.CHECKING  # so nothing is swept on a guess
    assert PG.read(queued, upload_id) == {}  # no progress to show, and no error


def test_pg007_bad_queue_settings_are_refused_and_a_password_is_never_shown():
    with pytest.raises(ConfigError, match="DASHBOARD_JOB_QUEUE"):
        Config.from_env({"DASHBOARD_JOB_QUEUE": "amqp://broker"})
    config = Config.from_env(
        {"DASHBOARD_JOB_QUEUE": "redis://:hunter2@cache:6379/1", "DASHBOARD_RATELIMIT_STORAGE": "redis://u:pw@c:1"}
    )
    shown = config.shown()
    assert shown["job_queue"] == "redis://:***@cache:6379/1" and shown["ratelimit_storage"] == "redis://u:***@c:1"
    assert Config.from_env({}).job_queue == "local"


def test_pg008_a_login_while_the_rate_limit_storage_is_down_is_refused_without_an_error_page(app_config, tmp_path):
    from dashboard.accounts.store import AccountStore
    from dashboard.audit_log import AuditLog
    from dashboard.auth import web as auth_web

    server = flask.Flask("dashboard")
    config = dataclasses.replace(app_config, ratelimit_storage=UNREACHABLE, accounts_db=tmp_path / "a.sqlite3")
    auth_web.install(server, config, AccountStore(config.accounts_db), AuditLog(tmp_path / "audit.log"))
    client = server.test_client()
    token = csrf_token(client)
    response = client.post("/login", data={"csrf_token": token, "username": "someone", "password": "x"})
    assert response.status_code == 503
    assert t("auth.error.unavailable", "en") in response.get_data(as_text=True)
