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
def app() -> Dash:
    return create_app(Config.from_env({}))


@pytest.fixture(scope="session")
def client(app: Dash):
    return app.server.test_client()
