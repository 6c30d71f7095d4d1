"""The template and data dictionary a steward downloads, and the merged dataset the publish step builds from."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest

from dashboard import paths
from dashboard.data.schema import TABLE_BY_NAME, T
from dashboard.data.validate import Problem, validate_dataset
from dashboard.i18n import catalogue
from dashboard.ingest import (
    IngestResult,
    Rule,
    Upload,
    data_dictionary,
    ingest,
    merged_dataset_folder,
    template_csv,
    template_xlsx,
)
from dashboard.ingest import merge as M
from tests.ingest import builders as B
from tests.ingest import corpus as K

UPLOADED = (T.RESPONDENTS, T.ENCOUNTERS)


def test_tm001_template_xlsx_has_every_sheet_and_header(vocab):
    book = openpyxl.load_workbook(io.BytesIO(template_xlsx(vocab)))
    assert book.sheetnames == ["respondents", "encounters", "dictionary", "codes"]
    for table in UPLOADED:
        sheet = book[table]
        assert tuple(c.value for c in sheet[1]) == TABLE_BY_NAME[table].column_names
        assert sheet.max_row == 1 and sheet.freeze_panes == "A2"
    codes = {(r[0], r[1]): r[2:] for r in book["codes"].iter_rows(min_row=2, values_only=True)}
    for table in UPLOADED:
        for col in TABLE_BY_NAME[table].columns:
            for term in vocab[col.vocabulary].terms if col.vocabulary else ():
                label_en, label_fr, definition_en, definition_fr = codes[(col.vocabulary, term.code)]
                assert (label_en, label_fr) == (term.label("en"), term.label("fr"))
                assert definition_en and definition_fr
    assert all(c.data_type != "f" for row in book["codes"].iter_rows() for c in row)


def test_tm002_template_round_trips_as_no_rows(base, vocab):
    result = ingest([Upload("template.xlsx", template_xlsx(vocab, "fr"))], base, vocab)
    assert [p.rule for p in result.problems] == [Rule.NO_ROWS] and result.tables is None
    assert not result.notices  # the dictionary and codes sheets are the template's own
    result = ingest([Upload("respondents.csv", template_csv("respondents"))], base, vocab)
    assert [p.rule for p in result.problems] == [Rule.NO_ROWS]
    header = "respondent_id,labour_site,victimisation_type,victim_status\r\n"  # the downloads' CSV writer: CRLF
    assert template_csv("encounters").decode("utf-8-sig") == header
    with pytest.raises(ValueError):
        template_csv("ties")


def test_tm003_filled_template_ingests(base, vocab):
    book = openpyxl.load_workbook(io.BytesIO(template_xlsx(vocab)))
    for row in B.respondent_rows(12, wave=B.WAVE):
        book["respondents"].append(row)
    for row in B.encounter_rows():
        book["encounters"].append(row)
    out = io.BytesIO()
    book.save(out)
    result = ingest([Upload("filled.xlsx", out.getvalue())], base, vocab)
    assert result.ok, [str(p) for p in result.problems]
    assert result.rows == {"respondents": 12, "encounters": 4} and result.wave == B.WAVE


def test_tm004_data_dictionary_covers_every_column(vocab):
    for lang in ("en", "fr"):
        rows = data_dictionary(vocab, lang)
        assert [(r["table"], r["column"]) for r in rows] == [
            (t, c) for t in UPLOADED for c in TABLE_BY_NAME[t].column_names
        ]
        for row in rows:
            col = next(c for c in TABLE_BY_NAME[row["table"]].columns if c.name == row["column"])
            assert row["required"] is col.required and row["empty_allowed"] is col.nullable
            assert row["allowed_codes"] == (", ".join(vocab[col.vocabulary].codes) if col.vocabulary else "")
            assert row["description"] and row["type"]
    assert data_dictionary(vocab, "en")[0]["description"] != data_dictionary(vocab, "fr")[0]["description"]


def test_tm005_every_ingest_message_has_both_languages():
    keys = [k for k in catalogue() if k.startswith("ingest.")]
    assert len(keys) > 60
    assert all(catalogue()[k].get("en") and catalogue()[k].get("fr") for k in keys)


@pytest.fixture(scope="module")
def good(base, vocab) -> IngestResult:
    result = ingest(K.good_csv_pair(), base, vocab)
    assert result.ok
    return result


def test_tm006_merged_folder_validates_with_the_new_wave(good, base, tmp_path):
    note = {"uploaded_by": "steward-1", "files": ["respondents.csv", "encounters.csv"]}
    out = merged_dataset_folder(paths.DEMO_DATASET_DIR, good, tmp_path / "merged", note)
    dataset, problems = validate_dataset(out)
    assert problems == [] and dataset is not None
    assert dataset.waves == [*base.waves, B.WAVE]
    assert len(dataset["respondents"]) == len(base["respondents"]) + 12
    assert len(dataset["encounters"]) == len(base["encounters"]) + 4
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    old = json.loads((paths.DEMO_DATASET_DIR / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["version"] == f"{old['version']}+{B.WAVE}"
    for key in ("name", "citation", "licence", "synthetic", "source", "description"):
        assert manifest[key] == old[key]
    assert manifest["history"] == [{"wave": B.WAVE, **note}]
    for table in ("organisations", "ties", "sources", "themes", "quotes"):
        assert (out / f"{table}.csv").read_bytes() == (paths.DEMO_DATASET_DIR / f"{table}.csv").read_bytes()
    new = dataset["respondents"][dataset["respondents"]["wave"] == B.WAVE]
    assert set(new["sector"]) <= set(good.tables["respondents"]["sector"])


def test_tm007_merge_refuses_a_bad_result_or_a_used_folder(good, base, vocab, tmp_path):
    refused = ingest(K.duplicate_ids(), base, vocab)
    with pytest.raises(ValueError):
        merged_dataset_folder(paths.DEMO_DATASET_DIR, refused, tmp_path / "x", {})
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "file").write_text("x")
    with pytest.raises(FileExistsError):
        merged_dataset_folder(paths.DEMO_DATASET_DIR, good, tmp_path / "used", {})
    merged = merged_dataset_folder(paths.DEMO_DATASET_DIR, good, tmp_path / "merged", {"at": tmp_path})
    with pytest.raises(ValueError, match="already"):
        merged_dataset_folder(merged, good, tmp_path / "again", {})


def test_tm008_safety_net_problems_point_at_the_upload_rows(good, base, vocab, monkeypatch):
    offset = len(base["respondents"])

    def fake_validate(folder, vocab=None):
        return None, [Problem("respondents.csv", "city", (offset + 2, offset + 5), "odd", "something odd")]

    monkeypatch.setattr(M, "validate_dataset", fake_validate)
    resp, enc = K.good_csv_pair()
    csv = resp.data.decode().splitlines()
    shuffled = Upload("respondents.csv", ("\n".join([csv[0], "", *csv[1:]]) + "\n").encode())  # a blank line 1
    result = ingest([shuffled, enc], base, vocab)
    assert result.tables is None
    assert [(p.file, p.column, p.rows, p.rule) for p in result.problems] == [("respondents.csv", "city", (3, 6), "odd")]


def test_tm009_merge_works_from_a_dataset_held_in_memory(good, base, vocab, tmp_path):
    from dashboard.data.dataset import Dataset

    detached = Dataset(tmp_path / "nowhere", base.manifest, base.tables)
    assert M.verify(detached, good.tables, B.WAVE, vocab, {}, {}) == []


def test_tm010_clean_tables_written_as_csv_ingest_again_unchanged(good, base, vocab, tmp_path):
    """The publish step stages ``result.tables`` as CSV and checks them again before it merges."""
    uploads = []
    for name, frame in good.tables.items():
        frame.to_csv(tmp_path / f"{name}.csv", index=False)
        uploads.append(Upload(f"{name}.csv", (tmp_path / f"{name}.csv").read_bytes()))
    again = ingest(uploads, base, vocab)
    assert again.ok and again.rows == good.rows and again.wave == good.wave
    for name, frame in good.tables.items():
        assert again.tables[name].equals(frame), name
    only_respondents = ingest(K.identifying_columns(), base, vocab)
    empty = only_respondents.tables["encounters"]
    empty.to_csv(tmp_path / "encounters.csv", index=False)
    staged = [Upload("encounters.csv", (tmp_path / "encounters.csv").read_bytes()), uploads[0]]
    assert ingest(staged, base, vocab).ok
