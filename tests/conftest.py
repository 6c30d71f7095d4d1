"""Shared fixtures. The app is built once per test process (Dash's page registry is process-global)."""

from __future__ import annotations

import re
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from dash import Dash

from dashboard import paths
from dashboard.config import Config
from dashboard.webapp import create_app


@pytest.fixture(scope="session")
def demo_dir() -> Path:
    return paths.DEMO_DATASET_DIR


@pytest.fixture
def demo_copy(tmp_path: Path) -> Path:
    """A writable copy of the demo dataset, for tests that break it."""
    target = tmp_path / "dataset"
    shutil.copytree(paths.DEMO_DATASET_DIR, target)
    return target


@pytest.fixture(scope="session")
def instance_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Release folder and secret for the test session (built once from the demo dataset)."""
    return tmp_path_factory.mktemp("instance")


@pytest.fixture(scope="session")
def app_config(instance_dir: Path) -> Config:
    return Config.from_env(instance_env(instance_dir))


def instance_env(folder: Path) -> dict[str, str]:
    """Settings that put every file the app writes (releases, secrets, accounts, logs, uploads) under ``folder``."""
    return {
        "DASHBOARD_RELEASES": str(folder / "releases"),
        "DASHBOARD_SECRET_FILE": str(folder / "secret"),
        "DASHBOARD_ACCOUNTS": str(folder / "accounts.sqlite3"),
        "DASHBOARD_AUDIT_LOG": str(folder / "audit.log"),
        "DASHBOARD_SESSION_SECRET_FILE": str(folder / "session.secret"),
        "DASHBOARD_UPLOADS": str(folder / "uploads"),
        "DASHBOARD_SECURE_COOKIES": "false",
    }


@pytest.fixture(scope="session")
def app(app_config: Config) -> Dash:
    return create_app(app_config)


@pytest.fixture(scope="session")
def demo_releases(app: Dash, app_config: Config) -> dict:
    """The demo dataset's published releases, as the app's start-up built them."""
    from dashboard.published.table import Release

    return {tier: Release.load(app_config.release_dir, tier) for tier in ("public", "funder", "coalition")}


@pytest.fixture(scope="session")
def client(app: Dash):
    return app.server.test_client()


# --------------------------------------------------------------------------------------------- accounts and logins
ROLES = ("funder", "coalition", "steward")


@dataclass(frozen=True)
class Login:
    username: str
    password: str  # random for this test session: no credential is ever written in the repository


def _session_accounts(app_config: Config, prefix: str) -> dict[str, Login]:
    from dashboard.accounts.store import AccountStore

    store = AccountStore(app_config.accounts_db)
    logins = {}
    for role in ROLES:
        login = Login(f"{prefix}-{role}", secrets.token_urlsafe(18))
        if store.by_username(login.username) is None:
            store.add(login.username, login.password, role)
        else:
            store.set_password(login.username, login.password)
        logins[role] = login
    return logins


@pytest.fixture(scope="session")
def accounts(app: Dash, app_config: Config) -> dict[str, Login]:
    """One account per role in the session app's database, with random passwords."""
    return _session_accounts(app_config, "test")


@pytest.fixture(scope="session")
def client_accounts(app: Dash, app_config: Config) -> dict[str, Login]:
    """The accounts behind ``role_clients``: their own, since a logout elsewhere ends every session of an account."""
    return _session_accounts(app_config, "test-client")


CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_token(client, path: str = "/login") -> str:
    page = client.get(path).get_data(as_text=True)
    found = CSRF.search(page)
    assert found, f"no CSRF token on {path}"
    return found.group(1)


def log_in(client, login: Login):
    token = csrf_token(client)
    return client.post("/login", data={"csrf_token": token, "username": login.username, "password": login.password})


@pytest.fixture(scope="session")
def role_clients(app: Dash, client_accounts: dict[str, Login]) -> dict:
    """A test client per role, logged in (``public``: not logged in)."""
    clients = {"public": app.server.test_client()}
    for role, login in client_accounts.items():
        client = app.server.test_client()
        response = log_in(client, login)
        assert response.status_code == 303, response.get_data(as_text=True)[:500]
        clients[role] = client
    return clients
