"""Shared fixtures. The app is built once per test process (Dash's page registry is process-global)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from dash import Dash

from dashboard import create_app, paths
from dashboard.config import Config


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
    return Config.from_env(
        {"DASHBOARD_RELEASES": str(instance_dir / "releases"), "DASHBOARD_SECRET_FILE": str(instance_dir / "secret")}
    )


@pytest.fixture(scope="session")
def app(app_config: Config) -> Dash:
    return create_app(app_config)


@pytest.fixture(scope="session")
def demo_releases(app: Dash, app_config: Config) -> dict:
    """The demo dataset's published releases, as the app's start-up built them."""
    from dashboard.release.table import Release

    return {tier: Release.load(app_config.release_dir, tier) for tier in ("public", "funder", "coalition")}


@pytest.fixture(scope="session")
def client(app: Dash):
    return app.server.test_client()
