"""The published dataset a new wave is checked against (the demo, waves 2012..2024), read once."""

from __future__ import annotations

import pytest

from dashboard import paths
from dashboard.data.dataset import Dataset
from dashboard.data.validate import load_dataset
from dashboard.data.vocab import Vocabularies, vocabularies


@pytest.fixture(scope="module")
def base() -> Dataset:
    return load_dataset(paths.DEMO_DATASET_DIR)


@pytest.fixture(scope="module")
def vocab() -> Vocabularies:
    return vocabularies()
