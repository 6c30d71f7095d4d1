"""Shared fixtures. The app is built once per test process (Dash's page registry is process-global)."""

from __future__ import annotations

import fcntl
import os
import re
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from dash import Dash

from dashboard import paths
from dashboard.config import Config, scratch_env
from dashboard.webapp import create_app


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The order and the work units of an ``-n 2 --dist loadgroup --no-loadscope-reorder`` run.

    Each module is one work unit (one process builds its module fixtures once), except that a test marked
    ``xdist_group(NAME)`` is in the unit ``NAME`` (a module's slow fixture and the tests that read it, apart from
    the rest of the module), and each test of a module that sets ``EACH_TEST_APART = True`` (its tests share no
    module fixture) is a unit of its own. Slow tests that are units of their own run first, then the modules
    holding a ``slow`` test, then the rest, their order otherwise kept (``--no-loadscope-reorder`` keeps it): with
    ``-n 2`` the builds overlap the rest of the suite instead of ending it.
    """
    slow = {_module(item) for item in items if item.get_closest_marker("slow")}
    for item in items:
        if _apart(item) or item.get_closest_marker("xdist_group") is not None:
            continue
        item.add_marker(pytest.mark.xdist_group(_module(item)))
    items.sort(key=lambda item: (not _slow_unit(item), _module(item) not in slow))


def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object | None:
    """With ``--dist loadgroup``, xdist's scheduling, except that a process is sent its next unit only when it holds
    one test or none: xdist sends it while two are left, so the next unit waited behind a long unit's last two tests
    (the two-wave fixture's tests, minutes) while the other process had nothing to do. A process needs one test
    beyond the one it runs (pytest's ``nextitem``), so it gets its next unit when it holds one."""
    if config.getoption("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadGroupScheduling
    from xdist.workermanage import WorkerController

    class OneAhead(LoadGroupScheduling):
        def _reschedule(self, node: WorkerController) -> None:
            if node.shutting_down:
                return
            if not self.workqueue:
                node.shutdown()
                return
            if self._pending_of(self.assigned_work[node]) > 1:
                return
            self._assign_work_unit(node)

    return OneAhead(config, log)


def _apart(item: pytest.Item) -> bool:
    return bool(getattr(item.module, "EACH_TEST_APART", False))


def _slow_unit(item: pytest.Item) -> bool:
    """A slow test that is a work unit of its own, or in a group of its own apart from its module's."""
    group = item.get_closest_marker("xdist_group")
    own = _apart(item) or (group is not None and group.args != (_module(item),))
    return own and item.get_closest_marker("slow") is not None


def _module(item: pytest.Item) -> str:
    return item.module.__name__ if item.module is not None else ""


@pytest.fixture(scope="session")
def demo_dir() -> Path:
    return paths.DEMO_DATASET_DIR


@pytest.fixture
def demo_copy(tmp_path: Path) -> Path:
    """A writable copy of the demo dataset, for tests that break it."""
    target = tmp_path / "dataset"
    shutil.copytree(paths.DEMO_DATASET_DIR, target)
    return target


def shared_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder every process of this test run sees: the run's temporary root, or with pytest-xdist the folder
    above the workers' own (each worker has a ``basetemp`` of its own below it)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@contextmanager
def run_lock(tmp_path_factory: pytest.TempPathFactory, name: str) -> Iterator[Path]:
    """Hold the run-wide lock ``name`` (an flock, so a worker that dies releases it); yields the shared folder."""
    root = shared_dir(tmp_path_factory)
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield root


def demo_release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo dataset's release, built once for the whole test run (every xdist worker shares it) exactly as an
    app starting on an empty release folder builds it (``ensure_release``: ``python -m dashboard release`` in a
    separate process). A folder holding ``releases/`` and ``secret``; read it, never write it: copy it."""
    from dashboard.published.startup import ensure_release

    with run_lock(tmp_path_factory, "demo-release") as root:
        folder = root / "demo-release"
        ensure_release(Config.from_env(instance_env(folder)))
        return folder


SMALL_RESPONDENTS = 150  # a build of the small dataset plus a wave takes about a third of the demo's


def small_release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small seeded synthetic dataset (``SMALL_RESPONDENTS`` respondents over the demo's waves, with its
    organisations, ties and qualitative sources) and its release, built once for the whole test run (every xdist
    worker shares it) as the app's start-up builds one. For the tests of publishing, rolling back, killing and
    progress, whose mechanics do not depend on the data's size: each of their preparations is a full release build
    (protection, audit, network, voices), on less data. Its first organisation is renamed to the demo's
    ``DEMO_ORG``, which the shared new wave (``tests.steward.conftest.wave_uploads``) names. A folder holding
    ``dataset/``, ``releases/`` and ``secret``; read it, never write it: copy it (``small_env``)."""
    from dashboard.published.startup import ensure_release

    with run_lock(tmp_path_factory, "small-release") as root:
        folder = root / "small-release"
        if not (folder / "dataset" / "manifest.json").is_file():
            _write_small_dataset(folder / "dataset")
        ensure_release(Config.from_env(small_env(folder, folder)))
        return folder


def _write_small_dataset(out: Path) -> None:
    from dashboard.data.dataset import write_manifest, write_table
    from dashboard.data.schema import C, T
    from dashboard.data.synthetic import GeneratorSpec, generate, manifest_for
    from tests.ingest.builders import DEMO_ORG

    spec = GeneratorSpec.for_respondents(SMALL_RESPONDENTS)
    tables = generate(spec)
    renamed = tables[T.ORGANISATIONS][C.ORG_ID].iloc[0]
    staging = out.with_name(f".{out.name}-staging")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    for name, df in tables.items():
        for column in (C.ORG_ID, C.SOURCE_ORG, C.TARGET_ORG):
            if column in df.columns:
                df[column] = df[column].replace(renamed, DEMO_ORG)
        write_table(df, staging / f"{name}.csv")
    write_manifest(staging, manifest_for(spec))
    shutil.rmtree(out, ignore_errors=True)
    staging.rename(out)


def small_env(folder: Path, built: Path) -> dict[str, str]:
    """Settings of an instance in ``folder`` (releases, secrets, accounts, logs, uploads) whose dataset is the
    small release's (``built``, from ``small_release``): a wave published there is added to the small dataset."""
    return {**instance_env(folder), "DASHBOARD_DATASET": str(built / "dataset")}


def copy_release(built: Path, folder: Path) -> None:
    """Copy the release folder and secret of a shared build (``demo_release``, ``small_release``) into ``folder``,
    without what a publish left there (lock files, prepared releases)."""
    ignore = shutil.ignore_patterns(".*", "prepared")
    shutil.copytree(built / "releases", folder / "releases", symlinks=True, ignore=ignore)
    shutil.copy2(built / "secret", folder / "secret")


@pytest.fixture(scope="session")
def instance_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Release folder and secret for this test process: a private copy of the run's one demo build, so that a
    test publishing and rolling back on the session app changes no other worker's release."""
    folder = tmp_path_factory.mktemp("instance")
    built = demo_release(tmp_path_factory)
    shutil.copytree(built / "releases", folder / "releases", symlinks=True, ignore=shutil.ignore_patterns(".*"))
    shutil.copy2(built / "secret", folder / "secret")
    return folder


@pytest.fixture(scope="session")
def app_config(instance_dir: Path) -> Config:
    return Config.from_env(instance_env(instance_dir))


def instance_env(folder: Path) -> dict[str, str]:
    """Settings that put every file the app writes (releases, secrets, accounts, logs, uploads) under ``folder``."""
    return {"DASHBOARD_RELEASES": str(folder / "releases"), **scratch_env(folder)}


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
