"""``python -m dashboard publish EXPORT --instrument FILE --wave YEAR``: every refusal says why and publishes nothing
(the successful publish is the same code path as a template's, tested in test_publish.py)."""

from __future__ import annotations

import pytest

from dashboard.cli import main
from dashboard.data.vocab import vocabularies
from dashboard.ingest.exports import read_export, suggest
from dashboard.ingest.mapping import label_index
from dashboard.ingest.model import Limits, Upload
from dashboard.steward import history as H
from dashboard.steward.uploads import config_env
from tests.ingest import exports_fixtures as F


@pytest.fixture
def cli(steward_config, monkeypatch, tmp_path):
    for key, value in config_env(steward_config).items():
        monkeypatch.setenv(key, value)
    export = tmp_path / "Trafficking survey.csv"
    export.write_bytes(F.qualtrics_csv(F.responses(10)))
    return steward_config, export


def _mapping(export, tmp_path):
    found, _ = read_export(Upload(export.name, export.read_bytes()), Limits(), "en")
    instrument = suggest(found, label_index(vocabularies()), "cli-survey").instrument
    path = tmp_path / "cli-survey.yaml"
    path.write_text(instrument.to_yaml(), encoding="utf-8")
    return path


def test_sc001_a_published_wave_is_refused_after_the_export_is_read(cli, tmp_path, capsys):
    config, export = cli
    served = H.current_version(config.release_dir)
    code = main(["publish", str(export), "--instrument", str(_mapping(export, tmp_path)), "--wave", "2024"])
    out, err = capsys.readouterr()
    assert code == 1 and "wave_exists" in err and "nothing was published" in err
    assert "column 'IPAddress'" in out and "[platform_metadata_dropped]" in out and "column 'Q9'" in out
    assert "(qualtrics): 11 responses, 1 left out as incomplete: 10 respondents" in out
    assert "@example.org" not in out + err
    assert H.current_version(config.release_dir) == served


def test_sc002_a_malformed_mapping_or_a_missing_one_is_named(cli, tmp_path, capsys):
    _, export = cli
    bad = tmp_path / "bad.yaml"
    bad.write_text("instrument: x\nfields: {city: Q1, sector: Q2, role: Q3}\n", encoding="utf-8")
    assert main(["publish", str(export), "--instrument", str(bad), "--wave", "2026"]) == 2
    assert "field contact_any is not mapped" in capsys.readouterr().err
    assert main(["publish", str(export)]) == 2
    out, err = capsys.readouterr()
    assert "is a qualtrics export: it needs --instrument FILE" in err
    assert "instrument: Trafficking-survey" in out and "question: Q7" in out
