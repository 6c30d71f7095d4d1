"""Throwaway accounts for the benchmarks: a server that serves a tier, and a logged-in visitor of that tier.

Anonymous visitors always get the public release; a higher tier is served only to an account whose role sees it.
So a benchmark of the funder or coalition tier creates one account of that role, with a random password
(``secrets.token_urlsafe``), in a fresh accounts database under a temporary folder, and logs in through ``/login``
(its form's ``csrf_token``, then username and password) before measuring. Every file the app writes (accounts,
audit log, session and release secrets, uploads) goes to that folder, never to the repository's ``instance/``.
Cookies are sent over plain http (``DASHBOARD_SECURE_COOKIES=false``): the benchmarks' servers listen on
http://127.0.0.1 only. The password is never printed or written anywhere but the account's Argon2 hash.
"""

from __future__ import annotations

import http.cookiejar
import re
import secrets
import sys
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TIERS = ("public", "funder", "coalition")
ROLE_OF_TIER = {"funder": "funder", "coalition": "coalition"}  # public: no account, no login
LOGIN_PATH = "/login"
LAYOUT_PATH = "/_dash-layout"
COOKIE = "dashboard_session"
# flask-login's session protection compares each request's User-Agent with the login's: every request of one
# logged-in HTTP client, the login included, sends this one, as a browser would.
USER_AGENT = "dashboard-benchmark"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass(frozen=True)
class Login:
    username: str
    password: str = field(repr=False)


def server_env(folder: Path, tier: str) -> tuple[dict[str, str], Login | None]:
    """Settings for a server of ``tier`` that writes only under ``folder``, and a new account of that tier's role
    (None for ``public``: the benchmark then does not log in)."""
    if tier not in TIERS:
        raise SystemExit(f"unknown tier {tier!r}: choose one of {', '.join(TIERS)}")
    folder.mkdir(parents=True, exist_ok=True)
    from dashboard.config import scratch_env

    env = {"DASHBOARD_TIER": tier, **scratch_env(folder)}  # the highest tier this server serves
    role = ROLE_OF_TIER.get(tier)
    if role is None:
        return env, None
    from dashboard.accounts.store import AccountStore

    login = Login(f"bench-{role}", secrets.token_urlsafe(18))
    AccountStore(Path(env["DASHBOARD_ACCOUNTS"])).add(login.username, login.password, role)
    return env, login


def tier_notice(tier: str, lang: str = "en") -> str:
    """The notice every page's header shows for the release served ("You are viewing the coalition release.")."""
    from dashboard.i18n import t

    return t("notice.tier", lang, tier=t(f"tier.{tier}", lang))


def _csrf(page: str) -> str:
    found = CSRF.search(page)
    if not found:
        raise SystemExit("no csrf_token on the login form")
    return found.group(1)


def _form(login: Login, token: str) -> dict[str, str]:
    return {"csrf_token": token, "username": login.username, "password": login.password}


# ---------------------------------------------------------------------------------------------- Flask test client
def log_in_client(client, login: Login | None) -> None:
    """Log a Flask test client in through the login form (nothing for None); it keeps the session cookie."""
    if login is None:
        return
    token = _csrf(client.get(LOGIN_PATH).get_data(as_text=True))
    response = client.post(LOGIN_PATH, data=_form(login, token))
    if response.status_code != 303:
        raise SystemExit(f"login failed: HTTP {response.status_code}")


# --------------------------------------------------------------------------------- any HTTP client, via urllib
class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # keep the 303 itself: its Set-Cookie is all the login needs
        return None


def _log_in_jar(base: str, login: Login) -> http.cookiejar.CookieJar:
    """Log in at ``base`` through the login form with urllib: the cookie jar holding the session cookie."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect())
    opener.addheaders = [("User-Agent", USER_AGENT)]
    with opener.open(base + LOGIN_PATH, timeout=30) as response:
        token = _csrf(response.read().decode("utf-8"))
    body = urllib.parse.urlencode(_form(login, token)).encode()
    try:
        with opener.open(base + LOGIN_PATH, data=body, timeout=60) as response:
            status = response.status
    except urllib.error.HTTPError as err:  # the 303, unfollowed
        status = err.code
    if status != 303 or not any(c.name == COOKIE for c in jar):
        raise SystemExit(f"login failed: HTTP {status}")
    return jar


def log_in_http(base: str, login: Login | None) -> dict[str, str]:
    """Log in at ``base`` (http://127.0.0.1:PORT) with a urllib cookie jar; the headers every later request of this
    client sends: its User-Agent and, when logged in, the session cookie."""
    headers = {"User-Agent": USER_AGENT}
    if login is None:
        return headers
    headers["Cookie"] = "; ".join(f"{c.name}={c.value}" for c in _log_in_jar(base, login))
    return headers


def check_tier_http(base: str, headers: dict[str, str], tier: str) -> None:
    """Exit unless a request with ``headers`` is served the ``tier`` release (read from the page header's notice)."""
    request = urllib.request.Request(base + LAYOUT_PATH, headers=headers)
    with urllib.request.urlopen(request, timeout=30) as response:
        layout = response.read().decode("utf-8")
    if tier_notice(tier) not in layout:
        raise SystemExit(f"the server does not serve the {tier} release to this client")


# ---------------------------------------------------------------------------------------------------- Playwright
def log_in_page(context, base: str, login: Login | None) -> None:
    """Log a fresh Playwright browser context in (nothing for None), leaving its HTTP cache empty: the login form is
    submitted over HTTP (``_log_in_jar``: the same form, answer and session cookie a browser gets), and the context is
    given that cookie and nothing else. (Logging in from a page of the context, with its other requests aborted, now
    and then left Playwright waiting for ever on a busy machine.)"""
    if login is None:
        return
    jar = _log_in_jar(base, login)
    context.add_cookies(
        [{"name": c.name, "value": c.value or "", "url": base, "httpOnly": True, "sameSite": "Lax"} for c in jar]
    )
