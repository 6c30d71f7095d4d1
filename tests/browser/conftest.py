"""Browser fixtures: the app on a local port, headless Debian Chromium driven by Playwright.

Without /usr/bin/chromium these tests skip on a developer's machine, and fail in CI (CI=true).
Chromium runs with flags that make any request to another host fail visibly (SPEC §9), and every
request the page makes is recorded so that a test can assert none left the app's host.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest
from werkzeug.serving import make_server

from dashboard import paths
from dashboard.config import Config
from tests.conftest import Login, copy_release, small_env, small_release

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1",
]
SERIOUS = ("serious", "critical")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} not found: install Debian's chromium and chromium-driver (see README)"
        if os.environ.get("CI"):
            pytest.fail(message + " — browser tests must run in CI", pytrace=False)
        pytest.skip(message)
    return CHROMIUM


@pytest.fixture(scope="session")
def live_server(app) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


@pytest.fixture(scope="session")
def browser(chromium_path: Path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(chromium_path), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class Watched:
    """A page with everything it logged and requested."""

    page: object
    base_url: str
    console_errors: list[str] = field(default_factory=list)
    outside_requests: list[str] = field(default_factory=list)
    failures: list[tuple[str, str, int]] = field(default_factory=list)
    navigations: int = 0
    missing_page: str = ""  # the address of a not-found page a test opened on purpose

    @property
    def failed_requests(self) -> list[str]:
        """Failed requests, except those of an earlier document that a navigation cut short.

        A reload, a link or the language switch aborts the previous page's requests still in flight (a callback,
        a map file, the favicon); Chromium reports them as ``net::ERR_ABORTED``, which is not a failure of the app.
        """
        return [
            f"{url} {failure}"
            for url, failure, started in self.failures
            if not (failure == "net::ERR_ABORTED" and started < self.navigations)
        ]

    def goto(self, path: str) -> None:
        self.page.goto(self.base_url + path, wait_until="networkidle")

    def goto_missing(self, path: str) -> None:
        """Open an address that is no page: it must answer 404, and Chromium's console line about that status (the
        only one it writes for the document itself) is expected, not an error of the page."""
        self.missing_page = self.base_url + path
        response = self.page.goto(self.missing_page, wait_until="networkidle")
        assert response is not None and response.status == 404, response and response.status

    def wait_for_charts(self, count: int = 1, timeout: float = 15000) -> None:
        self.page.wait_for_function(
            f"() => document.querySelectorAll('.js-plotly-plot .main-svg').length >= {count}", timeout=timeout
        )

    def assert_clean(self) -> None:
        """No console errors, no request to another host, no failed request."""
        assert self.console_errors == [], self.console_errors
        assert self.outside_requests == [], self.outside_requests
        assert self.failed_requests == [], self.failed_requests

    def assert_accessible(self) -> None:
        from axe_playwright_python.sync_playwright import Axe

        results = Axe().run(self.page)
        bad = [
            (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
            for v in results.response["violations"]
            if v.get("impact") in SERIOUS
        ]
        assert bad == [], bad


def _watch(page, base_url: str) -> Watched:
    w = Watched(page, base_url)
    host = urlparse(base_url).netloc

    started: dict[object, int] = {}

    def on_request(request) -> None:
        started[request] = w.navigations
        netloc = urlparse(request.url).netloc
        if request.url.startswith(("http://", "https://", "ws://", "wss://")) and netloc != host:
            w.outside_requests.append(request.url)

    def on_console(msg) -> None:
        own_404 = "status of 404" in msg.text and msg.location.get("url") == w.missing_page
        if msg.type == "error" and not own_404:
            w.console_errors.append(msg.text)

    page.on("console", on_console)
    page.on("pageerror", lambda err: w.console_errors.append(str(err)))
    page.on("request", on_request)

    def on_navigated(frame) -> None:
        if frame == page.main_frame:
            w.navigations += 1

    page.on("framenavigated", on_navigated)
    page.on("requestfailed", lambda r: w.failures.append((r.url, str(r.failure), started.get(r, w.navigations))))
    return w


@pytest.fixture
def watched(browser, live_server: str) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    try:
        yield _watch(context.new_page(), live_server)
    finally:
        context.close()


def log_in_page(w: Watched, username: str, password: str) -> None:
    """Log in through the login form, as a person would."""
    w.goto("/login")
    w.page.fill("#login-username", username)
    w.page.fill("#login-password", password)
    w.page.click("#login-submit")
    w.page.wait_for_selector("#account-who", timeout=20000)
    w.page.wait_for_load_state("networkidle")  # let the home page's callbacks finish before the test navigates


@pytest.fixture
def login_as(browser, live_server: str, accounts) -> Iterator:
    """``login_as(role)``: a fresh browser context logged in with the test account of ``role``."""
    contexts = []

    def make(role: str) -> Watched:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
        contexts.append(context)
        w = _watch(context.new_page(), live_server)
        log_in_page(w, accounts[role].username, accounts[role].password)
        return w

    try:
        yield make
    finally:
        for context in contexts:
            context.close()


@contextmanager
def app_process(env: dict[str, str], log: Path) -> Iterator[str]:
    """The app in a process of its own (the development server on a free port, with ``env``), once it answers
    ``/login``; its address. The process's output goes to ``log``, shown if it does not start."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    code = f"from dashboard.webapp import create_app; create_app().run(host='127.0.0.1', port={port}, debug=False)"
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-c", code], cwd=paths.REPO_ROOT, env=env, stdout=out, stderr=out)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(url + "/login", timeout=2)
                break
            except OSError:
                started = proc.poll() is None and time.monotonic() < deadline
                assert started, f"the app did not start: {log.read_text(errors='replace')[-2000:]}"
                time.sleep(0.1)  # polling until it answers
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@dataclass(frozen=True)
class SmallServer:
    """A second app process serving a copy of the small synthetic release, and its steward's login."""

    url: str
    config: Config
    steward: Login


@pytest.fixture(scope="session")
def small_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SmallServer]:
    """The app in a process of its own on a copy of the run's small synthetic release (``tests.conftest.
    small_release``), with a steward account: for the browser tests of a steward's preparation, each a full release
    build, which on the session app's demo dataset took three times as long. What the steward pages show and do
    does not depend on the data's size."""
    from dashboard.accounts.store import AccountStore

    folder = tmp_path_factory.mktemp("small-server")
    built = small_release(tmp_path_factory)
    copy_release(built, folder)
    env = small_env(folder, built)
    steward = Login("small-steward", secrets.token_urlsafe(18))
    AccountStore(Path(env["DASHBOARD_ACCOUNTS"])).add(steward.username, steward.password, "steward")
    with app_process({**os.environ, **env}, folder / "server.log") as url:
        yield SmallServer(url, Config.from_env(env), steward)


@pytest.fixture
def small_steward(browser, small_server: SmallServer) -> Iterator[Watched]:
    """A fresh browser context logged in as the steward of ``small_server``."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    try:
        w = _watch(context.new_page(), small_server.url)
        log_in_page(w, small_server.steward.username, small_server.steward.password)
        yield w
    finally:
        context.close()
