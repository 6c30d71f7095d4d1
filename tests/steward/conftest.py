"""A private copy of the session's published releases per test, so that publishing and rolling back never touch
what the session app serves."""

from __future__ import annotations

import dataclasses
import os
import shutil
from pathlib import Path

import pytest

from dashboard.config import Config
from dashboard.ingest import Upload
from tests.ingest.builders import ENCOUNTER_HEADER, RESPONDENT_HEADER, csv_bytes, encounter_rows, respondent_rows


@pytest.fixture
def steward_config(app, app_config: Config, tmp_path: Path) -> Config:
    releases = tmp_path / "releases"
    shutil.copytree(app_config.release_dir, releases, symlinks=True, ignore=shutil.ignore_patterns(".*", "prepared"))
    return dataclasses.replace(
        app_config,
        release_dir=releases,
        upload_dir=tmp_path / "uploads",
        audit_log=tmp_path / "audit.log",
        accounts_db=tmp_path / "accounts.sqlite3",
    )


def wave_uploads(n: int = 60) -> list[Upload]:
    """A new wave (2026) of ``n`` respondents with labels as a steward might write them."""
    return [
        Upload("respondents.csv", csv_bytes(RESPONDENT_HEADER, respondent_rows(n))),
        Upload("encounters.csv", csv_bytes(ENCOUNTER_HEADER, encounter_rows())),
    ]


def write_wave(folder: Path, n: int = 60) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for upload in wave_uploads(n):
        path = folder / upload.name
        path.write_bytes(upload.data)
        out.append(path)
    return out


def child_env(config: Config) -> dict[str, str]:
    from dashboard.steward.uploads import config_env

    return dict(os.environ, **config_env(config), DASHBOARD_ACCOUNTS=str(config.accounts_db))
