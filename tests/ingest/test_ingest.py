"""Every file of the corpus: bad ones are refused with the right rule, file, column and rows, and nothing
identifying in any message; good ones ingest with their labels mapped to codes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

from dashboard.data.schema import TABLE_BY_NAME
from dashboard.ingest import IngestResult, Limits, Rule, Upload, ingest
from tests.ingest import builders as B
from tests.ingest import corpus as K


@dataclass(frozen=True)
class Bad:
    build: Callable[[], list[Upload]]
    rules: frozenset[str]
    file: str | None = None
    column: str | None = None
    rows: tuple[int, ...] | None = None
    says: str | None = None  # a fragment the message must hold
    limits: Limits = field(default_factory=Limits)


def bad(build: Callable[[], list[Upload]], *rules: str, **expect: object) -> Bad:
    return Bad(build, frozenset(rules), **expect)  # type: ignore[arg-type]


RESP, XLSX, SHEET = "respondents.csv", "wave.xlsx", "wave.xlsx[respondents]"
BAD = {
    "empty_file": bad(K.empty_file, Rule.EMPTY_FILE, file=RESP),
    "header_only": bad(K.header_only, Rule.NO_ROWS, file=RESP),
    "latin1": bad(K.latin1_csv, Rule.ENCODING, file=RESP, says="Latin-1 / Windows-1252"),
    "utf16": bad(K.utf16_csv, Rule.ENCODING, file=RESP, says="UTF-16"),
    "utf16_without_bom": bad(K.utf16_without_bom, Rule.ENCODING, file=RESP, says="UTF-16"),
    "invalid_bytes": bad(K.invalid_bytes, Rule.ENCODING, says="not valid UTF-8 text (first bad byte at position 79)"),
    "semicolons": bad(K.semicolons, Rule.DELIMITER, says="';' between columns; save it with commas"),
    "missing_column": bad(K.missing_column, Rule.MISSING_COLUMN, file=RESP, column="sector"),
    "duplicated_column": bad(K.duplicated_column, Rule.DUPLICATE_COLUMN, column="city", says="2 times"),
    "duplicate_ids": bad(K.duplicate_ids, Rule.DUPLICATE_ID, column="respondent_id", rows=(3, 6)),
    "unknown_codes": bad(K.unknown_codes, Rule.UNKNOWN_CODE, column="city", rows=(2, 7), says="'Atlantis', 'Narnia'"),
    "ids_in_demo": bad(K.ids_in_demo, Rule.ID_EXISTS, column="respondent_id", rows=(4,), says=B.DEMO_RESPONDENT),
    "wave_published": bad(K.wave_published, Rule.WAVE_EXISTS, column="wave", says="wave 2024 is already published"),
    "over_size": bad(K.over_size, Rule.TOO_LARGE, says="the limit is 100 bytes", limits=Limits(max_bytes=100)),
    "xlsx_that_is_csv": bad(K.xlsx_that_is_csv, Rule.NOT_XLSX, file=XLSX, says="holds text"),
    "old_xls": bad(K.old_xls, Rule.NOT_XLSX, file="wave.xls", says="Excel 97-2003"),
    "macro_vba": bad(K.macro_vba, Rule.MACRO_WORKBOOK, file=XLSX),
    "macro_content_type": bad(K.macro_content_type, Rule.MACRO_WORKBOOK, file=XLSX),
    "macro_extension": bad(K.macro_extension, Rule.MACRO_WORKBOOK, file="wave.xlsm"),
    "zip_bomb_ratio": bad(K.zip_bomb_ratio, Rule.ZIP_BOMB, says="compressed more than 100 times"),
    "zip_bomb_declared": bad(K.zip_bomb_declared, Rule.ZIP_BOMB, says="more than 200 MB"),
    "zip_many_members": bad(K.zip_many_members, Rule.ZIP_BOMB, says="more than 1000"),
    "zip_forged_small": bad(K.zip_forged_small, Rule.ZIP_BOMB, says="more data than it declares"),
    "xml_entities": bad(K.xml_entities, Rule.XML_ENTITIES, file=XLSX, says="xl/worksheets/sheet1.xml"),
    "xml_entities_sst": bad(K.xml_entities_shared_strings, Rule.XML_ENTITIES, says="xl/sharedStrings.xml"),
    "xml_entities_utf16": bad(K.xml_entities_utf16, Rule.XML_ENTITIES),
    "formulas": bad(K.formulas, Rule.FORMULA, file=SHEET, rows=(1, 2, 3, 5), says="cells B2, C3, D4, E6"),
    "hidden_sheet": bad(K.hidden_sheet, Rule.HIDDEN_SHEET, file=XLSX, says="'lookup'"),
    "very_hidden_sheet": bad(K.very_hidden_sheet, Rule.HIDDEN_SHEET, file=XLSX, says="'lookup'"),
    "email_in_id": bad(K.email_in_id, Rule.IDENTIFYING_VALUE, column="respondent_id", rows=(5,), says="e-mail"),
    "phone_in_city": bad(K.phone_in_city, Rule.IDENTIFYING_VALUE, column="city", rows=(8,), says="phone number"),
    "name_in_id": bad(K.name_in_id, Rule.IDENTIFYING_VALUE, column="respondent_id", rows=(1,), says="name"),
    "png_named_csv": bad(K.png_named_csv, Rule.UNSUPPORTED_TYPE, file=RESP),
    "truncated_xlsx": bad(K.truncated_xlsx, Rule.NOT_XLSX, says="damaged"),
    "unquoted_comma": bad(K.unquoted_comma, Rule.RAGGED_ROW, rows=(3,), says="double quotes"),
    "formula_text_csv": bad(K.formula_text_csv, Rule.FORMULA, column="respondent_id", rows=(3, 10)),
    "several_waves": bad(K.several_waves, Rule.WAVE, column="wave", rows=(11,), says="2026, 2028"),
    "wave_not_integer": bad(K.wave_not_integer, Rule.WAVE, column="wave", says="'2026a'"),
    "unknown_org": bad(K.unknown_org, Rule.UNKNOWN_ORG, column="org_id", rows=(2,), says="O000000000zz"),
    "missing_value": bad(K.missing_value, Rule.MISSING_VALUE, column="sector", rows=(9,)),
    "unknown_respondent": bad(K.unknown_respondent, Rule.UNKNOWN_RESPONDENT, file="encounters.csv", rows=(5,)),
    "encounter_without_contact": bad(K.encounter_without_contact, Rule.ENCOUNTER_WITHOUT_CONTACT, rows=(5,)),
    "duplicate_encounter": bad(K.duplicate_encounter, Rule.DUPLICATE_KEY, file="encounters.csv", rows=(1, 5)),
    "too_many_rows": bad(K.too_many_rows, Rule.TOO_MANY_ROWS, says="more than 5 rows", limits=Limits(max_rows=5)),
    "missing_sheet": bad(K.missing_sheet, Rule.MISSING_SHEET, file=XLSX, says="'respondents'"),
    "duplicate_table": bad(K.duplicate_table, Rule.DUPLICATE_TABLE, file="respondents (1).csv"),
    "encounters_only": bad(K.encounters_only, Rule.MISSING_TABLE, file=RESP),
}


def _texts(result: IngestResult) -> list[str]:
    """Everything an ingest says, as the page would show it."""
    return (
        [str(p) for p in result.problems]
        + [n.message + str(n.column) for n in result.notices]
        + [m.raw for m in result.mappings]
    )


def _assert_no_identifying(result: IngestResult) -> None:
    for text in _texts(result):
        for value in B.SENSITIVE:
            assert value not in text, text


@pytest.mark.parametrize("name", BAD)
def test_ig001_bad_upload_is_refused_with_its_rule(name, base, vocab):
    case = BAD[name]
    result = ingest(case.build(), base, vocab, case.limits)
    assert result.tables is None and not result.ok
    assert {p.rule for p in result.problems} == case.rules, [str(p) for p in result.problems]
    problem = next(p for p in result.problems if p.rule in case.rules)
    if case.file is not None:
        assert problem.file == case.file
    if case.column is not None:
        assert problem.column == case.column
    if case.rows is not None:
        assert problem.rows == case.rows
    if case.says is not None:
        assert case.says in problem.message
    _assert_no_identifying(result)


def test_ig002_latin1_names_the_first_bad_byte(base, vocab):
    upload = K.latin1_csv()[0]
    first_bad = next(i for i, b in enumerate(upload.data) if b > 127)
    (problem,) = ingest([upload], base, vocab).problems
    assert f"position {first_bad}" in problem.message and "CSV UTF-8" in problem.message


def test_ig003_good_csv_pair_maps_labels_to_codes(base, vocab):
    result = ingest(K.good_csv_pair(), base, vocab)
    assert result.ok and result.problems == [] and result.wave == B.WAVE
    assert result.rows == {"respondents": 12, "encounters": 4}
    code = {(m.column, m.raw): m.code for m in result.mappings}
    assert code[("sector", "RCMP")] == code[("sector", "Police")] == "law_enforcement"
    assert code[("city", "Calgary, AB")] == "calgary"
    assert code[("city", "Toronto (Ontario)")] == "toronto"
    assert code[("labour_site", "Massage parlour")] == "sex_industry"
    assert code[("contact_any", "Don't know")] == "unsure"
    assert all(m.code is not None for m in result.mappings)
    assert sum(m.rows for m in result.mappings if m.column == "sector") == 12
    for name, frame in result.tables.items():
        spec = TABLE_BY_NAME[name]
        assert tuple(frame.columns) == spec.column_names
        assert all(str(frame[c].dtype) == "string" for c in frame.columns)
        for col in spec.columns:
            if col.vocabulary:
                assert set(frame[col.name].dropna()) <= set(vocab[col.vocabulary].codes)
            if not col.nullable:
                assert frame[col.name].notna().all()
    assert set(result.tables["respondents"]["wave"]) == {"2026"}


def test_ig004_good_xlsx_ingests_and_numbers_become_text(base, vocab):
    result = ingest(K.good_xlsx(), base, vocab)
    assert result.ok, [str(p) for p in result.problems]
    assert result.rows == {"respondents": 12, "encounters": 4}
    assert set(result.tables["respondents"]["wave"]) == {"2026"}  # stored as the float 2026.0
    assert not [n for n in result.notices if n.rule == Rule.SHEET_IGNORED]  # "instructions" is the template's own
    code = {(m.column, m.raw): m.code for m in result.mappings}
    assert code[("sector", "RCMP")] == "law_enforcement" and code[("city", "Calgary, AB")] == "calgary"


def test_ig005_identifying_columns_are_stripped_with_a_notice(base, vocab):
    result = ingest(K.identifying_columns(), base, vocab)
    assert result.ok, [str(p) for p in result.problems]
    stripped = {n.column: n.rule for n in result.notices if n.column}
    assert stripped == {
        "Name": Rule.IDENTIFYING_COLUMN_STRIPPED,
        "E-mail": Rule.IDENTIFYING_COLUMN_STRIPPED,
        "Notes": Rule.IDENTIFYING_COLUMN_STRIPPED,
        "Favourite colour": Rule.UNEXPECTED_COLUMN_STRIPPED,
    }
    assert Rule.NO_ENCOUNTERS in {n.rule for n in result.notices}
    assert tuple(result.tables["respondents"].columns) == TABLE_BY_NAME["respondents"].column_names
    kept = result.tables["respondents"].astype(str).to_csv()
    assert not any(v in kept for v in B.SENSITIVE)
    _assert_no_identifying(result)


def test_ig006_messages_in_french(base, vocab):
    result = ingest(K.wave_published(), base, vocab, lang="fr")
    assert result.problems[0].message.startswith("la vague 2024 est déjà publiée")


def test_ig007_table_from_hint_or_guessed_from_header(base, vocab):
    resp, enc = K.good_csv_pair()
    result = ingest(
        [Upload("wave2026.csv", resp.data), Upload("export (2).csv", enc.data, table="encounters")], base, vocab
    )
    assert result.ok and result.rows == {"respondents": 12, "encounters": 4}
    assert [n.file for n in result.notices if n.rule == Rule.TABLE_GUESSED] == ["wave2026.csv"]
    with pytest.raises(ValueError, match=r"Upload\.table"):
        ingest([Upload("x.csv", resp.data, table="ties")], base, vocab)


def test_ig008_sheets_other_than_the_template_are_noticed(base, vocab):
    result = ingest(K.missing_sheet(), base, vocab)
    assert [(n.rule, n.file) for n in result.notices] == [(Rule.SHEET_IGNORED, "wave.xlsx")]
    assert "'Sheet1'" in result.notices[0].message


def test_ig009_a_reader_crash_is_a_read_problem_that_echoes_nothing(base, vocab, monkeypatch):
    def boom(*args, **kwargs):
        raise ValueError(f"could not convert {B.EMAIL!r}")

    monkeypatch.setattr("dashboard.ingest.pipeline.read_xlsx", boom)
    result = ingest(K.good_xlsx(), base, vocab)
    assert [(p.rule, p.file) for p in result.problems] == [(Rule.READ, "wave-2026.xlsx")]
    _assert_no_identifying(result)


def test_ig010_never_raises_on_garbage(base, vocab):
    import random

    rng = random.Random(B.SEED)
    good = K.good_xlsx()[0].data
    blobs = [bytes(rng.randrange(256) for _ in range(rng.randrange(1, 400))) for _ in range(10)]
    blobs += [good[: rng.randrange(len(good))] for _ in range(5)]
    blobs += [bytes(b ^ 0xFF if rng.random() < 0.001 else b for b in good) for _ in range(5)]
    for i, blob in enumerate(blobs):
        for name in ("respondents.csv", "wave.xlsx", "wave.bin"):
            result = ingest([Upload(name, blob)], base, vocab)
            assert result.tables is None and result.problems, (i, name)


def test_ig011_a_data_row_read_as_header_echoes_nothing(base, vocab):
    result = ingest(K.no_header_row(), base, vocab)
    assert {p.rule for p in result.problems} == {Rule.MISSING_COLUMN}
    assert {p.column for p in result.problems} == set(B.RESPONDENT_HEADER) - {"org_id"}
    assert "#3 (C)" in {n.column for n in result.notices} and "#8 (H)" in {n.column for n in result.notices}
    _assert_no_identifying(result)


def test_ig012_every_bad_upload_is_explained_in_french(base, vocab):
    for name, case in BAD.items():
        english = ingest(case.build(), base, vocab, case.limits)
        french = ingest(case.build(), base, vocab, case.limits, lang="fr")
        assert [p.rule for p in french.problems] == [p.rule for p in english.problems], name
        assert all(f.message != e.message for f, e in zip(french.problems, english.problems, strict=True)), name


def test_ig013_file_names_lose_their_folders(base, vocab):
    result = ingest([Upload("C:\\Users\\steward\\respondents.csv", b"")], base, vocab)
    assert [(p.file, p.rule) for p in result.problems] == [("respondents.csv", Rule.EMPTY_FILE)]
