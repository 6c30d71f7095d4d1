"""Log in and log out: plain form routes (CSRF-protected, rate-limited), server-side role lookup, secure cookies.

The session cookie holds only ``account id : session token`` and when the session logged in; the role is read from
the accounts database on every request, so a role change, a disabled account or a new password takes effect at once
(the token rotates). Logging out rotates the token too: every other cookie of that account dies with it. A session
ends after DASHBOARD_SESSION_HOURS whatever happens (absolute lifetime) and after 8 idle hours (the cookie's signed
age). Every login attempt is counted per username and per address *before* the password is checked, so concurrent
attempts cannot slip past the limit: after 5 in a minute the 6th is refused, whatever the password (a successful
attempt is given back). Every failure gets the same message.

Why this module is longer than ~300 lines: login, logout, sessions, throttling and the safe-redirect rule form one
security boundary, reviewed as one.
"""

from __future__ import annotations

import hmac
import time
import urllib.parse
from contextlib import suppress
from dataclasses import dataclass
from datetime import timedelta
from typing import Final, cast

import flask
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from flask_wtf.csrf import CSRFError, generate_csrf, validate_csrf
from limits import storage
from wtforms import ValidationError

from dashboard import audit_log as AL
from dashboard import language
from dashboard.accounts.store import Account, AccountStore
from dashboard.config import Config
from dashboard.i18n import t
from dashboard.parsing import ascii_digits
from dashboard.secret import load_or_create

LOGIN_PATH: Final = "/login"
LOGOUT_PATH: Final = "/logout"
ATTEMPTS_ALLOWED: Final = 5  # login attempts per username and per address in a sliding minute
WINDOW_S: Final = 60
MAX_FIELD: Final = 1024
IDLE_HOURS: Final = 8
MAX_BODY: Final = 1024 * 1024
MAX_NEXT: Final = 500
LOGGED_IN_AT: Final = "logged_in_at"  # session key: when this session logged in (seconds since the epoch)
SITE: Final = "https://site.invalid"  # the base a ``next`` target is resolved against, as the browser will
# What a browser removes from a URL before it parses it (WHATWG URL standard): C0 controls and spaces at either end,
# and every tab and newline anywhere. For http(s) URLs it reads a backslash as a slash.
C0_OR_SPACE: Final = "".join(map(chr, range(0x21)))
TAB_OR_NEWLINE: Final = str.maketrans("", "", "\t\n\r")
URL_SAFE: Final = "/?&=#%:@!$'()*+,;~-._"


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
    """Login attempts per username and per address in a sliding one-minute window (a ``limits`` storage URI).

    ``attempt`` counts before the password is checked, with one atomic increment per key, so that N concurrent
    attempts are N counts; ``succeeded`` gives a successful attempt back. The window is two one-minute counters,
    the previous one weighted by how much of it still overlaps the last minute.
    """

    def __init__(self, storage_uri: str) -> None:
        # memory:// (one worker) or redis:// (shared by every worker and instance)
        self.store = cast(storage.Storage, storage.storage_from_string(storage_uri))

    @staticmethod
    def _key(kind: str, who: str, bucket: int) -> str:
        return f"dashboard-login/{kind}/{who}/{bucket}"

    def _take(self, kind: str, who: str, now: float) -> bool:
        bucket = int(now // WINDOW_S)
        key = self._key(kind, who, bucket)
        current = self.store.incr(key, 2 * WINDOW_S)
        previous = self.store.get(self._key(kind, who, bucket - 1))
        if previous * (1 - (now % WINDOW_S) / WINDOW_S) + current > ATTEMPTS_ALLOWED:
            self.store.incr(key, 2 * WINDOW_S, -1)  # a refused attempt does not extend the block
            return False
        return True

    def _give_back(self, kind: str, who: str, now: float) -> None:
        self.store.incr(self._key(kind, who, int(now // WINDOW_S)), 2 * WINDOW_S, -1)

    def attempt(self, username: str, address: str, now: float) -> bool:
        """Count one attempt for ``username`` and for ``address``; False (nothing counted) if either is over.
        Raises ThrottleUnavailable when the counters cannot be reached: no attempt is let through uncounted."""
        try:
            return self._attempt(username, address, now)
        except Exception as err:  # the storage's own errors (a Redis that does not answer) vary by backend
            raise ThrottleUnavailable(type(err).__name__) from None

    def _attempt(self, username: str, address: str, now: float) -> bool:
        if not self._take("user", username, now):
            return False
        if not self._take("address", address, now):
            self._give_back("user", username, now)
            return False
        return True

    def succeeded(self, username: str, address: str, now: float) -> None:
        """Give back the attempt counted at ``now``: only failures use up the limit (unless out of reach)."""
        with suppress(Exception):
            self._give_back("user", username, now)
            self._give_back("address", address, now)


class ThrottleUnavailable(Exception):
    """The login counters' storage (DASHBOARD_RATELIMIT_STORAGE) did not answer: logins are refused meanwhile."""


def browser_reading(target: str) -> str:
    """``target`` as a browser reads a Location header: ends trimmed, tabs and newlines dropped, backslashes read
    as slashes, then every character outside printable ASCII percent-encoded (UTF-8), as the browser sends it."""
    text = target.strip(C0_OR_SPACE).translate(TAB_OR_NEWLINE).replace("\\", "/")
    return urllib.parse.quote(text, safe=URL_SAFE)


def safe_next(target: str | None) -> str:
    """Where to go after logging in: a path on this site only, exactly as the browser will read it, else "/".

    The check runs on the normalised target and the normalised target is what is sent, so the string checked and
    the string followed are the same (``/%09/evil.example`` is ``//evil.example`` to a browser: refused).
    """
    if not target or len(target) > MAX_NEXT:
        return "/"
    path = browser_reading(target)
    parsed = urllib.parse.urlsplit(path)
    resolved = urllib.parse.urlsplit(urllib.parse.urljoin(SITE + "/", path))
    same_site = (resolved.scheme, resolved.netloc) == urllib.parse.urlsplit(SITE)[:2]
    if not path.startswith("/") or path.startswith("//") or parsed.scheme or parsed.netloc or not same_site:
        return "/"
    return path


def login_url(path: str, lang: str | None = None) -> str:
    """The login page, coming back to ``path`` afterwards (quoted, so that it stays one query value), in ``lang``."""
    url = f"{LOGIN_PATH}?next={urllib.parse.quote(path, safe='/')}"
    return f"{url}&{language.PARAM}={lang}" if language.valid(lang) else url


def _address() -> str:
    return flask.request.remote_addr or "unknown"


def request_lang() -> str:
    """The reader's language (``dashboard.language``: ``?lang=``, cookie, Accept-Language, default), or a plain
    form's ``lang`` field when the URL names none. A multipart body (a steward's upload) is not read here: its
    size limit is set by the route before it is parsed."""
    if not flask.request.args.get(language.PARAM) and flask.request.mimetype == "application/x-www-form-urlencoded":
        posted = language.valid(flask.request.form.get(language.PARAM, ""))
        if posted:
            return posted
    return language.current()


def csrf_ok() -> bool:
    try:
        validate_csrf(flask.request.form.get("csrf_token", ""))
    except (ValidationError, CSRFError):
        return False
    return True


def configure_session(server: flask.Flask, config: Config) -> None:
    idle = min(timedelta(hours=IDLE_HOURS), timedelta(hours=config.session_hours))
    server.config.update(
        SECRET_KEY=load_or_create(config.session_secret_file),
        SESSION_COOKIE_NAME="dashboard_session",
        SESSION_COOKIE_SECURE=config.secure_cookies,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=idle,  # also the largest signed age of a cookie the server accepts
        DASHBOARD_SESSION_SECONDS=config.session_hours * 3600,
        WTF_CSRF_TIME_LIMIT=3600,
        WTF_CSRF_SSL_STRICT=config.secure_cookies,
        DASHBOARD_LANGUAGE=config.language,
        MAX_CONTENT_LENGTH=MAX_BODY,  # any request body; the steward's upload route raises it for itself
    )


def session_current(now: float) -> bool:
    """Whether this request's session logged in less than the absolute lifetime ago (and not in the future)."""
    logged_in_at = flask.session.get(LOGGED_IN_AT)
    if not isinstance(logged_in_at, int | float) or isinstance(logged_in_at, bool):
        return False
    return 0 <= now - logged_in_at <= flask.current_app.config["DASHBOARD_SESSION_SECONDS"]


def load_viewer(accounts: AccountStore, user_id: str) -> Viewer | None:
    """The viewer a session cookie names: its account active, its token current, its session not too old."""
    account_id, _, token = user_id.partition(":")
    if not ascii_digits(account_id, 18) or not token:
        return None
    account = accounts.get(int(account_id))
    if account is None or not account.active or not hmac.compare_digest(token, account.session_token):
        return None
    if not session_current(time.time()):
        flask.session.clear()  # past its absolute lifetime: the cookie is dropped
        return None
    return Viewer(account)


def install(server: flask.Flask, config: Config, accounts: AccountStore, audit: AL.AuditLog) -> LoginManager:
    """Add session handling and the login and logout routes to ``server``."""
    configure_session(server, config)
    server.jinja_env.globals["link"] = language.with_lang  # the plain pages' links keep the reader's language
    manager = LoginManager()
    # flask-login's "strong" protection does nothing for permanent sessions; sessions end instead by the account's
    # server-side token (rotated at logout), the absolute lifetime and the idle lifetime.
    manager.session_protection = None
    manager.init_app(server)
    manager.user_loader(lambda user_id: load_viewer(accounts, user_id))
    _install_login(server, accounts, audit, LoginThrottle(config.ratelimit_storage))
    _install_logout(server, accounts, audit)
    return manager


def _install_login(server: flask.Flask, accounts: AccountStore, audit: AL.AuditLog, throttle: LoginThrottle) -> None:
    """The login form and its post: CSRF, the throttle (counted before the password is checked), the audit log."""

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

    def known(username: str) -> str | None:
        """The username for the audit log only if it names an account (never a password typed in the wrong field)."""
        return username if username and accounts.by_username(username) is not None else None

    @server.get(LOGIN_PATH)
    def login_form() -> tuple[str, int]:
        return form()

    @server.post(LOGIN_PATH)
    def login() -> flask.typing.ResponseReturnValue:
        lang = request_lang()
        if not csrf_ok():
            return form(400, t("auth.error.csrf", lang))
        username = flask.request.form.get("username", "").strip().lower()[:MAX_FIELD]
        password = flask.request.form.get("password", "")[:MAX_FIELD]
        address, now = _address(), time.time()
        try:
            allowed = throttle.attempt(username, address, now)  # counted before the password is checked
        except ThrottleUnavailable:
            return form(503, t("auth.error.unavailable", lang), username)
        if not allowed:
            audit.record(AL.LOGIN_THROTTLED, user=known(username), address=address)
            return form(429, t("auth.error.throttled", lang), username)
        account = accounts.authenticate(username, password) if username and password else None
        if account is None:
            audit.record(AL.LOGIN_FAILED, user=known(username), address=address)
            return form(401, t("auth.error.failed", lang), username)
        throttle.succeeded(username, address, now)
        start_session(Viewer(account), now)
        audit.record(AL.LOGIN, user=account.username, address=address, role=account.role)
        return flask.redirect(language.with_lang(safe_next(flask.request.form.get("next")), lang), code=303)


def _install_logout(server: flask.Flask, accounts: AccountStore, audit: AL.AuditLog) -> None:
    """The logout form and its post, which ends every session of the account."""

    @server.get(LOGOUT_PATH)
    def logout_form() -> tuple[str, int]:
        lang = request_lang()
        page = flask.render_template(
            "logout.html", lang=lang, t=t, username=_current_name(), csrf_token=generate_csrf()
        )
        return page, 200

    @server.post(LOGOUT_PATH)
    def logout() -> flask.typing.ResponseReturnValue:
        if not csrf_ok():
            return logout_form()[0], 400
        name = _current_name()
        if name:
            accounts.end_sessions(name)  # a new token: every cookie of this account, copied or not, is dead
        logout_user()
        flask.session.clear()
        if name:
            audit.record(AL.LOGOUT, user=name, address=_address())
        return flask.redirect(language.with_lang("/", request_lang()), code=303)


def start_session(viewer: Viewer, now: float) -> None:
    """A new session for ``viewer``: nothing of the anonymous one survives (its CSRF token included)."""
    flask.session.clear()
    flask.session.permanent = True
    login_user(viewer)
    flask.session[LOGGED_IN_AT] = int(now)


def _current_name() -> str | None:
    return str(current_user.username) if getattr(current_user, "is_authenticated", False) else None
