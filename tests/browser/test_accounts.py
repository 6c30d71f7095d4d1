"""Accounts in the browser: each role logs in and sees its own pages and tier; a steward uploads a wave with a
mistake, fixes it, publishes it and rolls it back; axe-core on the login and steward pages."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import pytest

from dashboard import ids
from dashboard.steward import history as H
from tests.browser.conftest import _watch, app_process, log_in_page
from tests.conftest import instance_env
from tests.ingest import corpus
from tests.steward.conftest import write_wave

REPO = Path(__file__).resolve().parents[2]
TIER_SHOWN = {"public": "public", "funder": "funder", "coalition": "coalition", "steward": "coalition"}


@pytest.mark.parametrize("role", ["funder", "coalition", "steward"])
def test_ba001_each_role_logs_in_and_sees_its_tier_and_pages(login_as, accounts, role):
    w = login_as(role)
    header = w.page.locator(f"#{ids.ACCOUNT}").inner_text()
    assert f"viewing the {TIER_SHOWN[role]} release" in header
    assert accounts[role].username in header
    assert (w.page.locator(f"#{ids.STEWARD_LINK}").count() == 1) is (role == "steward")
    w.goto("/steward")
    if role == "steward":
        assert w.page.locator("#upload-form").count() == 1
    else:
        assert "for data stewards" in w.page.locator("#steward-denied").inner_text()
        assert w.console_errors == ["Failed to load resource: the server responded with a status of 403 (FORBIDDEN)"]
        w.console_errors.clear()  # the refusal's own 403 status, as Chromium reports it
    w.goto("/explore?wave=2024")  # last: leaving the page while the map loads would abort its requests
    w.wait_for_charts(6)
    filters = w.page.locator(".filters").inner_text()
    if TIER_SHOWN[role] == "coalition":  # sectors, not sector groups; CSV and XLSX downloads
        assert "Law enforcement" in filters
        assert w.page.locator("button", has_text="Download XLSX").count() > 0
    else:
        assert "Law enforcement" not in filters
        assert w.page.locator("button", has_text="Download XLSX").count() == 0
    w.page.wait_for_load_state("networkidle")
    w.assert_clean()


def test_ba002_a_visitor_is_public_and_a_wrong_password_gets_the_generic_message(watched, accounts):
    watched.goto("/")
    assert "viewing the public release" in watched.page.locator(f"#{ids.ACCOUNT}").inner_text()
    watched.page.click(f"#{ids.LOGIN_LINK}")
    watched.page.wait_for_selector("#login-form")
    watched.assert_accessible()
    watched.page.fill("#login-username", accounts["coalition"].username)
    watched.page.fill("#login-password", "not the right password")
    watched.page.click("#login-submit")
    assert watched.page.locator("#login-error").inner_text() == "The username or password is not correct."
    watched.console_errors.clear()  # the 401 status of the refused login is reported by Chromium as a console error
    log_in_page(watched, accounts["coalition"].username, accounts["coalition"].password)
    watched.goto("/logout")
    # on a loaded CI machine the redirect to the public summary and its first drawing took more than 30 s once
    with watched.page.expect_navigation(timeout=90_000):
        watched.page.click("#logout-submit")
    watched.page.wait_for_selector(f"#{ids.LOGIN_LINK}", timeout=90_000)
    assert "viewing the public release" in watched.page.locator(f"#{ids.ACCOUNT}").inner_text()
    watched.assert_clean()


def _upload(w, files) -> None:
    w.goto("/steward")
    w.page.set_input_files("#upload-files", [str(f) for f in files])
    w.page.click("#upload-submit")
    w.page.wait_for_selector("#upload-refused, #upload-checked", timeout=120_000)  # the page refreshes itself


@pytest.mark.slow
def test_ba003_a_steward_uploads_fixes_publishes_and_rolls_back_a_wave(small_steward, small_server, tmp_path):
    """On the small release's server (``small_server``): its preparation is a full build, of less data."""
    w, app_config = small_steward, small_server.config
    served = H.current_version(app_config.release_dir)
    w.goto("/steward")
    w.assert_accessible()

    # 1. a file saved with semicolons: refused, with the rule named, nothing changes
    bad = tmp_path / "bad" / "respondents.csv"
    bad.parent.mkdir()
    bad.write_bytes(corpus.semicolons()[0].data)
    _upload(w, [bad])
    assert "delimiter" in w.page.locator("#problems-table").inner_text()
    w.assert_accessible()
    assert H.current_version(app_config.release_dir) == served

    # 2. the corrected files: checked, labels mapped, prepared, previewed, published
    _upload(w, write_wave(tmp_path / "good", 80))
    assert "Checked: wave 2026" in w.page.locator("#upload-checked").inner_text()
    assert "law_enforcement" in w.page.locator("#mappings-table").inner_text()
    w.assert_accessible()
    try:
        w.page.click("#prepare-submit")
        w.page.wait_for_selector("#publish-submit", timeout=240_000)  # the page refreshes itself while preparing
        assert "Cells hidden" in w.page.locator("#preview-table").inner_text()
        w.assert_accessible()
        w.page.click("#publish-submit")
        w.page.wait_for_selector("#steward-message")
        assert "Published" in w.page.locator("#steward-message").inner_text()
        w.goto("/")
        assert "waves 2012–2026" in w.page.locator(f"#{ids.FOOTER}").inner_text()  # every audience sees it

        # 3. roll back to the release served before
        w.goto("/steward")
        w.page.get_by_role("button", name=f"Restore version {served}").click()
        w.page.wait_for_selector("#steward-message")
        assert "served again" in w.page.locator("#steward-message").inner_text()
    finally:
        if H.current_version(app_config.release_dir) != served:  # leave the server as it was
            from dashboard.steward.publish import rollback

            rollback(app_config, served, "test-cleanup")
    w.goto("/")
    assert "waves 2012–2024" in w.page.locator(f"#{ids.FOOTER}").inner_text()
    w.assert_clean()


def test_ba004_secure_session_cookies_the_default_work_in_chromium_on_localhost(browser, app_config, tmp_path):
    """With the default settings (Secure cookies), logging in over http://127.0.0.1 works: Chromium treats the
    loopback address as a secure context. Runs a second app process with default cookie settings."""
    from dashboard.accounts.store import AccountStore

    password = secrets.token_urlsafe(18)
    env = dict(os.environ, **instance_env(tmp_path), PYTHONPATH=str(REPO))
    env.pop("DASHBOARD_SECURE_COOKIES")  # the default: true
    env.update(DASHBOARD_RELEASES=str(app_config.release_dir), DASHBOARD_SECRET_FILE=str(app_config.secret_file))
    AccountStore(Path(env["DASHBOARD_ACCOUNTS"])).add("secure-check", password, "funder")
    context = browser.new_context()
    try:
        with app_process(env, tmp_path / "server.log") as url:
            w = _watch(context.new_page(), url)
            log_in_page(w, "secure-check", password)
            cookie = next(c for c in context.cookies() if c["name"] == "dashboard_session")
            assert cookie["secure"] and cookie["httpOnly"] and cookie["sameSite"] == "Lax"
            assert "viewing the funder release" in w.page.locator(f"#{ids.ACCOUNT}").inner_text()
            w.assert_clean()
    finally:
        context.close()
