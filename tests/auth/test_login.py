"""Log in and out: generic failures, the 6th failure refused, CSRF, cookie flags, the role read on the server."""

from __future__ import annotations

import itertools
import json
import re
import secrets

import flask
import pytest

from dashboard import audit_log as AL
from dashboard.auth.web import safe_next
from tests.conftest import Login, csrf_token, log_in

_addresses = (f"10.9.{i // 250}.{i % 250 + 1}" for i in itertools.count())


def _client(app):
    """A client from an address of its own, so that rate limits of one test never touch another."""
    client = app.server.test_client()
    client.environ_base["REMOTE_ADDR"] = next(_addresses)
    return client


def _post_login(client, username: str, password: str):
    token = csrf_token(client)
    return client.post("/login", data={"csrf_token": token, "username": username, "password": password})


def test_au001_login_gives_the_role_and_the_tier(app, accounts):
    client = _client(app)
    response = log_in(client, accounts["coalition"])
    assert response.status_code == 303 and response.headers["Location"] == "/?lang=en"
    layout = client.get("/_dash-layout").get_data(as_text=True)
    assert "test-coalition" in layout and "coalition member" in layout
    anonymous = _client(app).get("/_dash-layout").get_data(as_text=True)
    assert "test-coalition" not in anonymous
    assert '"id":"login-link"' in anonymous


@pytest.mark.parametrize("who", ["wrong password", "unknown user", "empty"])
def test_au002_every_failure_gets_the_same_message(app, accounts, who):
    client = _client(app)
    username, password = {
        "wrong password": (accounts["funder"].username, "not the password at all"),
        "unknown user": ("nobody-here", "whatever it is, it is long"),
        "empty": ("", ""),
    }[who]
    response = _post_login(client, username, password)
    assert response.status_code == 401
    assert "The username or password is not correct." in response.get_data(as_text=True)
    assert client.get("/_dash-layout").get_data(as_text=True).count("test-") == 0


def test_au003_the_sixth_failure_in_a_minute_for_a_user_is_refused_even_with_the_right_password(app, app_config):
    from dashboard.accounts.store import AccountStore

    login = Login("test-throttled", secrets.token_urlsafe(18))
    AccountStore(app_config.accounts_db).add(login.username, login.password, "funder")
    statuses = [_post_login(_client(app), login.username, f"wrong-{i}-password").status_code for i in range(5)]
    assert statuses == [401] * 5
    sixth = _post_login(_client(app), login.username, login.password)  # right password, another address
    assert sixth.status_code == 429
    assert "Too many failed attempts" in sixth.get_data(as_text=True)


def test_au004_the_sixth_failure_in_a_minute_from_an_address_is_refused(app, accounts):
    client = _client(app)
    for i in range(5):
        assert _post_login(client, f"someone-{i}", "a wrong password here").status_code == 401
    assert _post_login(client, accounts["steward"].username, accounts["steward"].password).status_code == 429
    assert log_in(_client(app), accounts["steward"]).status_code == 303  # another address is not blocked


def test_au005_a_login_without_a_valid_csrf_token_is_refused(app, accounts):
    client = _client(app)
    login = accounts["coalition"]
    response = client.post("/login", data={"username": login.username, "password": login.password})
    assert response.status_code == 400
    response = client.post(
        "/login", data={"csrf_token": "forged", "username": login.username, "password": login.password}
    )
    assert response.status_code == 400
    assert "test-coalition" not in client.get("/_dash-layout").get_data(as_text=True)


def test_au006_logout_needs_a_post_with_csrf_and_ends_the_session(app, app_config):
    from dashboard.accounts.store import AccountStore

    login = Login("test-logout", secrets.token_urlsafe(18))  # its own: a logout ends every session of the account
    AccountStore(app_config.accounts_db).add(login.username, login.password, "funder")
    client = _client(app)
    log_in(client, login)
    assert client.post("/logout", data={}).status_code == 400  # no token: still logged in
    assert "test-logout" in client.get("/_dash-layout").get_data(as_text=True)
    token = csrf_token(client, "/logout")
    assert client.post("/logout", data={"csrf_token": token}).status_code == 303
    assert "test-logout" not in client.get("/_dash-layout").get_data(as_text=True)


def test_au007_session_cookie_flags_and_no_cookie_for_anonymous_pages(app, accounts):
    client = _client(app)
    assert "Set-Cookie" not in client.get("/").headers
    response = log_in(client, accounts["funder"])
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert app.server.config["SESSION_COOKIE_SECURE"] is False  # the test app runs over http (see conftest)


def test_au008_secure_cookies_are_the_default():
    from dashboard.auth.web import configure_session
    from dashboard.config import Config

    server = flask.Flask("cookie-test")
    config = Config.from_env({"DASHBOARD_SESSION_SECRET_FILE": "/tmp/cookie-test-session.secret"})
    configure_session(server, config)
    assert server.config["SESSION_COOKIE_SECURE"] is True
    assert server.config["SESSION_COOKIE_HTTPONLY"] is True
    assert server.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_au009_a_disabled_account_or_a_role_change_takes_effect_at_once(app, app_config, accounts):
    from dashboard.accounts.store import AccountStore

    store = AccountStore(app_config.accounts_db)
    store.add("test-temporary", "a long enough password 42", "coalition")
    client = _client(app)
    assert _post_login(client, "test-temporary", "a long enough password 42").status_code == 303
    assert "coalition member" in client.get("/_dash-layout").get_data(as_text=True)
    store.set_role("test-temporary", "funder")
    layout = client.get("/_dash-layout").get_data(as_text=True)
    assert "test-temporary" not in layout  # the session token rotated: logged out, back to public
    assert _post_login(client, "test-temporary", "a long enough password 42").status_code == 303
    store.disable("test-temporary")
    assert "test-temporary" not in client.get("/_dash-layout").get_data(as_text=True)
    store.remove("test-temporary")


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/explore?wave=2024", "/explore?wave=2024"),
        ("//evil.example", "/"),
        ("https://evil.example", "/"),
        ("/\\evil", "/"),
        (None, "/"),
    ],
)
def test_au010_after_login_only_paths_on_this_site(target, expected):
    assert safe_next(target) == expected


def test_au011_logins_and_failures_are_audited_without_passwords(app, app_config, accounts):
    client = _client(app)
    _post_login(client, accounts["funder"].username, "a wrong password 123")
    log_in(client, accounts["funder"])
    entries = AL.AuditLog(app_config.audit_log).read(50)
    events = [e["event"] for e in entries]
    assert AL.LOGIN_FAILED in events and AL.LOGIN in events
    text = app_config.audit_log.read_text(encoding="utf-8")
    assert accounts["funder"].password not in text and "a wrong password 123" not in text


def test_au012_security_headers_and_csp(app):
    response = app.server.test_client().get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self' 'sha256-" in csp and "unsafe-eval" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert app.server.debug is False


def test_au013_an_oversized_login_body_is_refused_before_it_is_read(app):
    client = _client(app)
    response = client.post("/login", data={"username": "x", "password": "y" * (2 * 1024 * 1024)})
    assert response.status_code == 413


def test_au014_no_viewer_s_layout_reaches_another_viewer_s_page(app, role_clients):
    """Dash's validation layout (every page's layout, built on a process's first request for whoever sent it) is
    never computed, so a coalition member's layout can never be embedded in an anonymous visitor's page."""
    role_clients["coalition"].get("/explore")
    role_clients["coalition"].get("/_dash-layout")
    page = role_clients["public"].get("/explore").get_data(as_text=True)
    config = json.loads(re.search(r'<script id="_dash-config" type="application/json">(.*?)</script>', page, re.S)[1])
    assert config.get("validation_layout") is None
    assert "coalition" not in page and "test-" not in page
    assert app.validation_layout is None
