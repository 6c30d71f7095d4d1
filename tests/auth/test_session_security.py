"""Issue 14, each attack replayed: redirects after login, cookies replayed after logout, sessions past their absolute
lifetime, the login limit raced, user names in the audit log, component paths, HSTS, `Server`, steward routes."""

from __future__ import annotations

import itertools
import logging
import os
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest

from dashboard import audit_log as AL
from dashboard import paths
from dashboard.accounts.store import AccountStore
from dashboard.auth.web import LOGGED_IN_AT, safe_next
from tests.conftest import Login, csrf_token, instance_env, log_in

_addresses = (f"10.14.{i // 250}.{i % 250 + 1}" for i in itertools.count())


def _client(app, agent: str = "test-agent"):
    client = app.server.test_client()
    client.environ_base.update(REMOTE_ADDR=next(_addresses), HTTP_USER_AGENT=agent)
    return client


def _account(app_config, role: str = "steward") -> Login:
    """An account of this test only: logging out ends every session of an account."""
    login = Login(f"test-s14-{secrets.token_hex(4)}", secrets.token_urlsafe(18))
    AccountStore(app_config.accounts_db).add(login.username, login.password, role)
    return login


def _logged_in(client, login: Login) -> bool:
    return login.username in client.get("/_dash-layout").get_data(as_text=True)


@pytest.mark.parametrize(
    "target",
    [
        "/\t/evil.example",  # what ?next=/%09/evil.example arrives as: a browser reads //evil.example
        "/\n/evil.example",
        "/\r\n/evil.example",
        "\t//evil.example",
        " //evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "/\t\\evil.example",
        "\x00//evil.example",
        "https:evil.example",
        "https://evil.example/",
        "javascript:alert(1)",
        "//evil.example",
        "evil.example",
    ],
)
def test_as001_a_next_target_that_a_browser_reads_as_another_site_is_refused(target):
    assert safe_next(target) == "/"


@pytest.mark.parametrize(
    ("target", "sent"),
    [
        ("/explore?wave=2024", "/explore?wave=2024"),
        ("/explore\t?wave=2024", "/explore?wave=2024"),  # what the browser would have followed
        ("/voices?city=Montréal", "/voices?city=Montr%C3%A9al"),
        ("/a b", "/a%20b"),
    ],
)
def test_as002_a_next_target_on_this_site_is_sent_as_the_browser_reads_it(target, sent):
    assert safe_next(target) == sent


@pytest.mark.parametrize("query", ["/%09/evil.example", "/%0A/evil.example", "/%0D%0A/evil.example", "%2F%5Cevil"])
def test_as003_the_login_flow_never_redirects_off_site_nor_fails(app, app_config, query):
    login = _account(app_config, "funder")
    client = _client(app)
    page = client.get(f"/login?next={query}").get_data(as_text=True)
    assert 'name="next" value="/"' in page
    token = csrf_token(client, f"/login?next={query}")
    target = {"/%09": "/\t", "/%0A": "/\n", "/%0D%0A": "/\r\n", "%2F%5C": "/\\"}
    raw = next(v + query[len(k) :] for k, v in target.items() if query.startswith(k))
    response = client.post(
        "/login", data={"csrf_token": token, "username": login.username, "password": login.password, "next": raw}
    )
    assert response.status_code == 303 and response.headers["Location"] == "/?lang=en"


def test_as004_logout_ends_every_session_of_the_account_copied_cookies_included(app, app_config):
    login = _account(app_config)
    owner, thief = _client(app), _client(app, agent="another-browser/1.0")
    assert log_in(owner, login).status_code == 303
    cookie = owner.get_cookie("dashboard_session")
    thief.set_cookie("dashboard_session", cookie.value)
    assert thief.get("/steward").status_code == 200  # the copy works while the owner is logged in
    second = _client(app)
    assert log_in(second, login).status_code == 303  # the same account on another device
    assert owner.post("/logout", data={"csrf_token": csrf_token(owner, "/logout")}).status_code == 303
    assert thief.get("/steward").status_code == 303  # replayed after logout: sent to log in
    assert not _logged_in(second, login)  # every session of the account ended
    assert log_in(second, login).status_code == 303 and _logged_in(second, login)


def test_as005_a_session_ends_after_its_absolute_lifetime_however_active(app, app_config):
    login = _account(app_config, "coalition")
    client = _client(app)
    log_in(client, login)
    assert _logged_in(client, login)
    hours = app_config.session_hours
    with client.session_transaction() as session:
        session[LOGGED_IN_AT] = int(time.time()) - hours * 3600 + 60  # a minute before the end: still in
    assert _logged_in(client, login)
    with client.session_transaction() as session:
        session[LOGGED_IN_AT] = int(time.time()) - hours * 3600 - 1
    assert not _logged_in(client, login)
    with client.session_transaction() as session:
        assert "_user_id" not in session  # the expired session was dropped, not just ignored


def test_as006_a_cookie_without_a_login_time_is_not_a_session(app, app_config):
    """A cookie signed before this change (no login time) or edited to drop it does not log anyone in."""
    login = _account(app_config, "coalition")
    client = _client(app)
    log_in(client, login)
    with client.session_transaction() as session:
        del session[LOGGED_IN_AT]
    assert not _logged_in(client, login)


def test_as007_a_login_starts_a_new_session(app, app_config):
    login = _account(app_config, "funder")
    client = _client(app)
    before_token = csrf_token(client)
    before = client.get_cookie("dashboard_session").value
    log_in(client, login)
    assert client.get_cookie("dashboard_session").value != before
    with client.session_transaction() as session:
        assert set(session) <= {"_user_id", "_fresh", "_id", "_permanent", LOGGED_IN_AT, "csrf_token"}
    assert client.post("/logout", data={"csrf_token": before_token}).status_code == 400  # the old token died


def test_as008_concurrent_wrong_passwords_hit_the_limit(app, app_config):
    login = _account(app_config, "funder")
    clients = [_client(app) for _ in range(12)]
    tokens = [csrf_token(c) for c in clients]
    barrier = threading.Barrier(len(clients))
    statuses: list[int] = []

    def attempt(client, token: str) -> None:
        barrier.wait()
        form = {"csrf_token": token, "username": login.username, "password": "a wrong password, raced"}
        statuses.append(client.post("/login", data=form).status_code)

    threads = [threading.Thread(target=attempt, args=pair) for pair in zip(clients, tokens, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [401] * 5 + [429] * 7
    assert log_in(_client(app), login).status_code == 429  # the right password too, for the rest of the minute


def test_as009_a_successful_login_does_not_use_up_the_limit(app, app_config):
    login = _account(app_config, "funder")
    client = _client(app)
    for _ in range(8):
        assert log_in(client, login).status_code == 303


def test_as010_failed_logins_name_the_user_only_for_an_existing_account(app, app_config):
    login = _account(app_config, "funder")
    client = _client(app)
    typed = "correct horse battery staple"  # a password typed into the user name field
    for username in (typed, login.username):
        token = csrf_token(client)
        client.post("/login", data={"csrf_token": token, "username": username, "password": "not the right one"})
    failed = [e for e in AL.AuditLog(app_config.audit_log).read(10) if e["event"] == AL.LOGIN_FAILED][-2:]
    assert [e.get("user") for e in failed] == [None, login.username]
    assert typed not in app_config.audit_log.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "path",
    ["/_dash-component-suites/nothing/here.js", "/_dash-component-suites/dash/no-such-file.v1_0m1.js"],
)
def test_as011_an_unknown_component_path_is_404_without_a_traceback(app, caplog, path):
    with caplog.at_level(logging.INFO):
        response = _client(app).get(path)
    assert response.status_code == 404
    assert not any(r.exc_info for r in caplog.records) and "Traceback" not in caplog.text


def test_as012_no_hsts_unless_configured(app):
    assert "Strict-Transport-Security" not in _client(app).get("/").headers


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _request(url: str, data: bytes | None = None) -> tuple[int, list[str], str | None]:
    try:
        reply = urllib.request.urlopen(urllib.request.Request(url, data=data), timeout=30)
    except urllib.error.HTTPError as err:
        reply = err
    return reply.status, reply.headers.get_all("Server") or [], reply.headers.get("Strict-Transport-Security")


def test_as013_app_py_capped_below_the_steward_s_tier_has_no_upload_route_no_versions_and_hsts_when_set(app_config):
    """``python3 app.py`` itself (its development server), serving the funder tier with HSTS configured."""
    port = _free_port()
    env = {
        **os.environ,
        **instance_env(app_config.release_dir.parent),
        "DASHBOARD_TIER": "funder",
        "DASHBOARD_HSTS_SECONDS": "31536000",
        "PORT": str(port),
    }
    server = subprocess.Popen(
        [sys.executable, "app.py"], cwd=paths.REPO_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                status, names, hsts = _request(base + "/")
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, server.stderr.read().decode()[-2000:]
                time.sleep(0.1)
        assert status == 200 and names == ["dashboard"] and hsts == "max-age=31536000"
        assert _request(base + "/steward/upload", data=b"files=x")[0] in (404, 405)  # no such route here
        assert _request(base + "/_dash-component-suites/nothing/here.js")[0] == 404
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert b"Traceback" not in server.stderr.read()
