"""Log in and log out: plain form routes (CSRF-protected, rate-limited), server-side role lookup, secure cookies.

The session cookie holds only ``account id : session token``; the role is read from the accounts database on every
request, so a role change, a disabled account or a new password takes effect at once (the token rotates).
Failed logins are counted per username and per address: after 5 failures in a minute the 6th attempt is refused,
whatever the password. Every failure gets the same message.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import timedelta
from typing import Final

import flask
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from flask_wtf.csrf import CSRFError, generate_csrf, validate_csrf
from limits import parse, storage, strategies
from wtforms import ValidationError

from dashboard import audit_log as AL
from dashboard.accounts.store import Account, AccountStore
from dashboard.config import Config
from dashboard.i18n import t
from dashboard.release.secret import load_or_create

LOGIN_PATH: Final = "/login"
LOGOUT_PATH: Final = "/logout"
FAILURES_ALLOWED: Final = "5/minute"
MAX_FIELD: Final = 1024
SESSION_HOURS: Final = 8
MAX_BODY: Final = 1024 * 1024


@dataclass(frozen=True)
class Viewer(UserMixin):
    """A logged-in account as flask-login sees it."""

    account: Account

    @property
    def role(self) -> str:
        return self.account.role

    @property
    def username(self) -> str:
        return self.account.username

    def get_id(self) -> str:
        return f"{self.account.id}:{self.account.session_token}"


class LoginThrottle:
    """Failed logins per username and per address, in a moving one-minute window (``limits`` storage URI)."""

    def __init__(self, storage_uri: str) -> None:
        self.limit = parse(FAILURES_ALLOWED)
        self.window = strategies.MovingWindowRateLimiter(storage.storage_from_string(storage_uri))

    def blocked(self, username: str, address: str) -> bool:
        return not (self.window.test(self.limit, "user", username) and self.window.test(self.limit, "address", address))

    def failed(self, username: str, address: str) -> None:
        self.window.hit(self.limit, "user", username)
        self.window.hit(self.limit, "address", address)


def safe_next(target: str | None) -> str:
    """Where to go after logging in: a path on this site only (no scheme, no host, no backslash)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target or len(target) > 500:
        return "/"
    return target


def _address() -> str:
    return flask.request.remote_addr or "unknown"


def request_lang() -> str:
    """The language asked for by ``?lang=`` (or a plain form's ``lang``), else the configured default. A multipart
    body (a steward's upload) is not read here: its size limit is set by the route before it is parsed."""
    lang = flask.request.args.get("lang", "")
    if not lang and flask.request.mimetype == "application/x-www-form-urlencoded":
        lang = flask.request.form.get("lang", "")
    return lang if lang in ("en", "fr") else flask.current_app.config["DASHBOARD_LANGUAGE"]


def csrf_ok() -> bool:
    try:
        validate_csrf(flask.request.form.get("csrf_token", ""))
    except (ValidationError, CSRFError):
        return False
    return True


def configure_session(server: flask.Flask, config: Config) -> None:
    server.config.update(
        SECRET_KEY=load_or_create(config.session_secret_file),
        SESSION_COOKIE_NAME="dashboard_session",
        SESSION_COOKIE_SECURE=config.secure_cookies,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=SESSION_HOURS),
        WTF_CSRF_TIME_LIMIT=3600,
        WTF_CSRF_SSL_STRICT=config.secure_cookies,
        DASHBOARD_LANGUAGE=config.language,
        MAX_CONTENT_LENGTH=MAX_BODY,  # any request body; the steward's upload route raises it for itself
    )


def install(server: flask.Flask, config: Config, accounts: AccountStore, audit: AL.AuditLog) -> LoginManager:
    """Add session handling and the login and logout routes to ``server``."""
    configure_session(server, config)
    manager = LoginManager()
    manager.session_protection = "strong"
    manager.init_app(server)
    throttle = LoginThrottle(config.ratelimit_storage)

    @manager.user_loader
    def _load(user_id: str) -> Viewer | None:
        account_id, _, token = user_id.partition(":")
        if not account_id.isdigit() or not token:
            return None
        account = accounts.get(int(account_id))
        if account is None or not account.active or not hmac.compare_digest(token, account.session_token):
            return None
        return Viewer(account)

    def form(status: int = 200, error: str | None = None, username: str = "") -> tuple[str, int]:
        lang = request_lang()
        page = flask.render_template(
            "login.html",
            lang=lang,
            t=t,
            error=error,
            username=username[:64],
            next=safe_next(flask.request.values.get("next")),
            csrf_token=generate_csrf(),
        )
        return page, status

    @server.get(LOGIN_PATH)
    def login_form() -> tuple[str, int]:
        return form()

    @server.post(LOGIN_PATH)
    def login() -> tuple[str, int] | flask.Response:
        lang = request_lang()
        if not csrf_ok():
            return form(400, t("auth.error.csrf", lang))
        username = flask.request.form.get("username", "").strip().lower()[:MAX_FIELD]
        password = flask.request.form.get("password", "")[:MAX_FIELD]
        address = _address()
        if throttle.blocked(username, address):
            audit.record(AL.LOGIN_THROTTLED, user=username[:64], address=address)
            return form(429, t("auth.error.throttled", lang), username)
        account = accounts.authenticate(username, password) if username and password else None
        if account is None:
            throttle.failed(username, address)
            audit.record(AL.LOGIN_FAILED, user=username[:64], address=address)
            return form(401, t("auth.error.failed", lang), username)
        flask.session.clear()
        flask.session.permanent = True
        login_user(Viewer(account))
        audit.record(AL.LOGIN, user=account.username, address=address, role=account.role)
        return flask.redirect(safe_next(flask.request.form.get("next")), code=303)

    @server.get(LOGOUT_PATH)
    def logout_form() -> tuple[str, int]:
        lang = request_lang()
        page = flask.render_template(
            "logout.html", lang=lang, t=t, username=_current_name(), csrf_token=generate_csrf()
        )
        return page, 200

    @server.post(LOGOUT_PATH)
    def logout() -> flask.Response | tuple[str, int]:
        if not csrf_ok():
            return logout_form()[0], 400
        name = _current_name()
        logout_user()
        flask.session.clear()
        if name:
            audit.record(AL.LOGOUT, user=name, address=_address())
        return flask.redirect("/", code=303)

    return manager


def _current_name() -> str | None:
    return str(current_user.username) if getattr(current_user, "is_authenticated", False) else None
