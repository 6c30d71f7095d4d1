"""Two instances of one deployment with their shared state in a real Redis (issue 17, SPEC §5).

A ``redis-server`` on a free loopback port, one ``python -m dashboard steward-worker`` and two gunicorn instances
on two ports, all with one shared instance folder (releases, uploads, accounts, secrets) as two instances behind a
load balancer would have: a failed-login limit reached on one is enforced on the other; a preparation started on
one is seen, with its progress, on the other; a publish on one is served by both within a second.

Needs the Debian package ``redis-server`` (``.ci/run`` installs it): without it this module is skipped on a
developer's machine and fails in CI (CI=true).
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from dashboard import paths
from dashboard.secret import load_or_create
from dashboard.steward import progress as PG
from tests.conftest import CSRF, copy_release, small_env, small_release
from tests.steward.conftest import wave_uploads

START_S = 90.0
PREPARE_S = 240.0
POLL_S = 0.05


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Browser:
    """One visitor: a cookie jar sent to every instance (as a load balancer would pass it on), no redirects
    followed, every answer returned with its status."""

    def __init__(self) -> None:
        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect()
        )

    def request(self, url: str, body: bytes | None = None, content_type: str = "") -> tuple[int, str, dict]:
        headers = {"Content-Type": content_type} if content_type else {}
        req = urllib.request.Request(url, data=body, headers=headers, method="POST" if body is not None else "GET")
        try:
            with self.opener.open(req, timeout=60) as response:
                return response.status, response.read().decode("utf-8"), dict(response.headers)
        except urllib.error.HTTPError as err:
            return err.code, err.read().decode("utf-8", "replace"), dict(err.headers)

    def get(self, url: str) -> tuple[int, str, dict]:
        return self.request(url)

    def json(self, url: str) -> dict:
        status, text, _ = self.get(url)
        assert status == 200, (url, status, text[:300])
        return json.loads(text)

    def csrf(self, url: str) -> str:
        status, text, _ = self.get(url)
        found = CSRF.search(text)
        assert status == 200 and found, (url, status)
        return found.group(1)

    def post_form(self, url: str, fields: dict[str, str], token_from: str) -> tuple[int, str, dict]:
        body = urllib.parse.urlencode({"csrf_token": self.csrf(token_from), **fields}).encode()
        return self.request(url, body, "application/x-www-form-urlencoded")

    def post_files(self, url: str, files: list[tuple[str, bytes]], token_from: str) -> tuple[int, str, dict]:
        boundary = secrets.token_hex(12)
        parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{self.csrf(token_from)}']
        body = "\r\n".join(parts).encode() + b"\r\n"
        for name, data in files:
            head = f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
            body += head.encode() + b"Content-Type: text/csv\r\n\r\n" + data + b"\r\n"
        body += f"--{boundary}--\r\n".encode()
        return self.request(url, body, f"multipart/form-data; boundary={boundary}")

    def log_in(self, base: str, username: str, password: str) -> int:
        status, _, _ = self.post_form(
            f"{base}/login", {"username": username, "password": password}, token_from=f"{base}/login"
        )
        return status


@dataclass
class Deployment:
    a: str  # base URLs of the two instances
    b: str
    redis_url: str
    folder: Path
    steward: Browser
    member: tuple[str, str]  # an account the throttle test locks out (username, password)


def _redis_server() -> str:
    found = shutil.which("redis-server")
    if found is None:
        message = "redis-server is not installed (apt-get install redis-server; .ci/run installs it)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI: {message}")
        pytest.skip(message)
    return found


def _wait(check, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{what} did not start within {timeout:.0f} s")


def _up(base: str) -> bool:
    with urllib.request.urlopen(f"{base}/-/release", timeout=5) as response:
        return response.status == 200


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    """The small synthetic release (``small_release``: sharing state across instances does not depend on the data's
    size, and the preparation is a full build), served by two instances."""
    server_bin = _redis_server()
    folder = tmp_path_factory.mktemp("deployment")
    built = small_release(tmp_path_factory)
    copy_release(built, folder)
    redis_port = _free_port()
    redis_url = f"redis://127.0.0.1:{redis_port}"
    env = {
        **os.environ,
        **small_env(folder, built),
        "DASHBOARD_TIER": "coalition",
        "DASHBOARD_RATELIMIT_STORAGE": f"{redis_url}/0",
        "DASHBOARD_JOB_QUEUE": f"{redis_url}/1",
    }
    from dashboard.accounts.store import AccountStore

    store = AccountStore(folder / "accounts.sqlite3")
    steward = ("instances-steward", secrets.token_urlsafe(18))
    member = ("instances-member", secrets.token_urlsafe(18))
    store.add(*steward, "steward")
    store.add(*member, "coalition")
    load_or_create(folder / "session.secret")  # before the instances start: both must read the same key
    processes: list[subprocess.Popen] = []

    def start(argv: list[str]) -> None:
        log = open(folder / f"process-{len(processes)}.log", "wb")  # noqa: SIM115 (closed with the process)
        processes.append(subprocess.Popen(argv, cwd=paths.REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT))
        log.close()

    try:
        start([server_bin, "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
               "--dir", str(folder)])  # fmt: skip
        import redis

        def pong() -> bool:
            try:
                return bool(redis.Redis.from_url(redis_url).ping())
            except redis.RedisError:  # not listening yet
                return False

        _wait(pong, START_S, "redis-server")
        start([sys.executable, "-m", "dashboard", "steward-worker"])
        ports = [_free_port(), _free_port()]
        for port in ports:
            start([sys.executable, "-m", "gunicorn", "--workers", "1", "--bind", f"127.0.0.1:{port}", "app:server"])
        a, b = (f"http://127.0.0.1:{port}" for port in ports)
        for base in (a, b):
            _wait(lambda base=base: _up(base), START_S, base)
        browser = Browser()
        assert browser.log_in(a, *steward) == 303  # before the throttle test uses up this address's attempts
        yield Deployment(a, b, redis_url, folder, browser, member)
    finally:
        for proc in reversed(processes):
            proc.terminate()
        for proc in processes:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def test_in001_a_failed_login_limit_reached_on_one_instance_is_enforced_on_the_other(deployment: Deployment):
    username, password = deployment.member
    visitor = Browser()
    for _ in range(5):
        assert visitor.log_in(deployment.a, username, "not-the-password") == 401
    assert visitor.log_in(deployment.b, username, password) == 429  # the right password, on the other instance
    assert visitor.log_in(deployment.a, username, password) == 429


def _progress(deployment: Deployment, base: str, upload_id: str) -> dict:
    return deployment.steward.json(f"{base}/steward/uploads/{upload_id}/progress")


@dataclass
class Prepared:
    upload_id: str
    checked: dict  # the upload's progress as instance B answered once the worker had checked it
    stages: list[tuple[str, int]]  # (stage, step) of every running record instance B answered
    page_on_b: str  # instance B's upload page while the preparation ran
    ready: dict  # B's answer once the preparation was done
    ran: set[str]  # the queued jobs the worker finished, without their random suffix


@pytest.fixture(scope="module")
def prepared(deployment: Deployment) -> Prepared:
    """A wave uploaded and prepared through instance A, watched from instance B every 50 ms."""
    steward, a, b = deployment.steward, deployment.a, deployment.b
    files = [(u.name, u.data) for u in wave_uploads()]
    status, _, headers = steward.post_files(f"{a}/steward/upload", files, token_from=f"{a}/steward")
    assert status == 303, status
    upload_id = headers["Location"].rstrip("/").rsplit("/", 1)[-1]
    deadline = time.monotonic() + PREPARE_S
    while (checked := _progress(deployment, b, upload_id))["state"] == "checking":  # checked by the worker
        assert time.monotonic() < deadline, checked
        time.sleep(POLL_S)
    page = f"{a}/steward/uploads/{upload_id}"
    assert steward.post_form(f"{page}/prepare", {}, token_from=page)[0] == 303
    stages: list[tuple[str, int]] = []
    page_on_b = ""
    while (seen := _progress(deployment, b, upload_id))["state"] == "preparing":
        assert time.monotonic() < deadline, seen
        if seen["progress"].get("state") == PG.RUNNING:
            stages.append((seen["progress"]["stage"], seen["progress"]["step"]))
            if not page_on_b:
                page_on_b = steward.get(f"{b}/steward/uploads/{upload_id}")[1]
        time.sleep(POLL_S)
    import redis
    from rq import Queue
    from rq.registry import FinishedJobRegistry

    queue = Queue("dashboard-steward", connection=redis.Redis.from_url(f"{deployment.redis_url}/1"))
    finished = FinishedJobRegistry(queue=queue)
    prepare_job = f"steward-prepare_{upload_id}"
    while prepare_job not in (ran := {job.rsplit("_", 1)[0] for job in finished.get_job_ids()}):
        if time.monotonic() > deadline:  # the supervisor records how the job ended just after the job itself
            break
        time.sleep(POLL_S)
    return Prepared(upload_id, checked, stages, page_on_b, seen, ran)


@pytest.mark.slow  # a preparation: a full build (of the small dataset plus a wave)
def test_in002_a_preparation_started_on_one_instance_is_seen_with_its_progress_on_the_other(prepared: Prepared):
    assert prepared.checked["state"] == "checked", prepared.checked
    assert prepared.checked["progress"]["job"] == PG.CHECK and prepared.checked["progress"]["state"] == PG.DONE
    assert prepared.ready["state"] == "ready", prepared.ready
    done = prepared.ready["progress"]
    assert done["job"] == PG.PREPARE and done["state"] == PG.DONE and done["step"] == len(PG.STAGES[PG.PREPARE])
    assert prepared.stages, "instance B never saw the preparation running"
    assert all(stage in PG.STAGES[PG.PREPARE] for stage, _ in prepared.stages)
    steps = [step for _, step in prepared.stages]
    assert steps == sorted(steps)  # stages only move forward
    assert 'id="progress-text"' in prepared.page_on_b and 'id="progress-bar"' in prepared.page_on_b
    # both jobs went through the queue, run by the worker (no instance started a process of its own)
    assert {f"steward-check_{prepared.upload_id}", f"steward-prepare_{prepared.upload_id}"} <= prepared.ran


def test_in003_a_publish_on_one_instance_is_served_by_both_within_a_second(deployment: Deployment, prepared):
    upload_id = prepared.upload_id
    steward, a, b = deployment.steward, deployment.a, deployment.b
    visitor = Browser()  # anonymous: served the public release, as most of a deployment's visitors are
    before = {base: visitor.json(f"{base}/-/release") for base in (a, b)}
    assert before[a]["version"] == before[b]["version"] and 2026 not in before[b]["waves"]
    version = _progress(deployment, a, upload_id)["version"]
    assert version != before[a]["version"]
    page = f"{a}/steward/uploads/{upload_id}"
    status, text, _ = steward.post_form(f"{page}/publish", {}, token_from=page)
    assert status == 200, text[:500]
    published = time.monotonic()
    served: dict[str, float] = {}
    while len(served) < 2 and time.monotonic() - published < 5:
        for base in (a, b):
            if base not in served and visitor.json(f"{base}/-/release")["version"] == version:
                served[base] = time.monotonic() - published
        time.sleep(POLL_S)
    assert set(served) == {a, b}, served
    assert max(served.values()) < 1.0, served
    assert 2026 in visitor.json(f"{b}/-/release")["waves"]
    assert _progress(deployment, b, upload_id)["progress"]["job"] == PG.PUBLISH
    assert _progress(deployment, b, upload_id)["state"] == "published"
