"""A private release folder per test, copied from the run's small synthetic release (``tests.conftest.small_release``),
so that publishing and rolling back never touch what the session app serves, and each preparation builds a small
dataset plus a wave rather than the demo's."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dashboard.config import Config
from dashboard.ingest import Upload
from tests.conftest import copy_release, small_env, small_release
from tests.ingest.builders import ENCOUNTER_HEADER, RESPONDENT_HEADER, csv_bytes, encounter_rows, respondent_rows


@pytest.fixture
def steward_config(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> Config:
    """An instance in ``tmp_path`` serving a copy of the small release, its dataset the small dataset."""
    built = small_release(tmp_path_factory)
    copy_release(built, tmp_path)
    return Config.from_env(small_env(tmp_path, built))


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
