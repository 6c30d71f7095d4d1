"""Survey-tool exports: each platform's seeded export, through its mapping, gives the tables of the template upload;
a saved mapping serves the next wave; metadata and free text never get through; bad input is named."""

from __future__ import annotations

import codecs
import csv
import io
import json

import pandas as pd
import pytest

from dashboard.data.schema import C, T
from dashboard.ingest import Upload, ingest
from dashboard.ingest.exports import (
    ExportRule,
    InstrumentError,
    ingest_export,
    load_instrument,
    read_export,
    suggest,
)
from dashboard.ingest.mapping import label_index
from dashboard.ingest.model import Limits
from tests.ingest import exports_fixtures as F

LIMITS = Limits()
METADATA_HEADERS = {
    "surveymonkey_csv": ["Respondent ID", "IP Address", "Email Address", "First Name", "Last Name", "Custom Data 1"],
    "qualtrics_csv": ["IPAddress", "ResponseId", "RecipientEmail", "RecipientFirstName", "LocationLatitude"],
    "kobo_xlsx": ["deviceid", "_id", "_uuid", "_submission_time", "_validation_status", "_index", "_gps_latitude"],
    "limesurvey_csv": ["id", "token", "ipaddr", "submitdate"],
    "google_forms_csv": ["Timestamp", "Email Address"],
    "microsoft_forms_xlsx": ["ID", "Start time", "Email", "Name"],
}
FREE_TEXT_HEADERS = {
    "surveymonkey_csv": f"{F.Q_SITES} [Other (please specify)]",
    "qualtrics_csv": "Q6_5_TEXT",
    "kobo_xlsx": "experience/sites_other",
    "limesurvey_csv": "Q6[other]",
}


@pytest.fixture(scope="module")
def index(vocab):
    return label_index(vocab)


@pytest.fixture(scope="module")
def rows():
    return F.responses()


@pytest.fixture(scope="module")
def built(rows):
    return F.exports(rows)


@pytest.fixture(scope="module")
def template(rows, base, vocab):
    respondents, encounters = F.template_upload(rows)
    result = ingest([Upload("respondents.csv", respondents), Upload("encounters.csv", encounters)], base, vocab)
    assert result.ok, [str(p) for p in result.problems]
    return result.tables


def _instrument(name, export, index, vocab):
    if name == "limesurvey_csv":
        return load_instrument(F.LIME_INSTRUMENT, "lime.yaml", vocab)
    found = suggest(export, index, "coalition-survey")
    assert not found.ambiguous and not found.unmapped, (found.ambiguous, found.unmapped)
    return found.instrument


def _run(name, built, base, vocab, index, wave=F.WAVE):
    file, data = built[name]
    export, problems = read_export(Upload(file, data), LIMITS, "en")
    assert export is not None, [str(p) for p in problems]
    instrument = _instrument(name, export, index, vocab)
    return export, instrument, ingest_export(Upload(file, data), instrument, base, vocab, wave)


def _comparable(tables: dict[str, pd.DataFrame]) -> tuple[list[tuple], list[tuple]]:
    """The tables with each respondent id replaced by the respondent's row (ids are new and opaque)."""
    resp = tables[T.RESPONDENTS]
    position = {rid: i for i, rid in enumerate(resp[C.RESPONDENT_ID])}
    people = [tuple(r) for r in resp.drop(columns=[C.RESPONDENT_ID, C.ORG_ID]).astype(str).itertuples(index=False)]
    enc = tables[T.ENCOUNTERS].assign(**{C.RESPONDENT_ID: lambda f: f[C.RESPONDENT_ID].map(position)})
    return people, sorted(tuple(map(str, r)) for r in enc.itertuples(index=False))


PLATFORM_EXPORTS = sorted(F.exports(F.responses(2)))


@pytest.mark.parametrize("name", PLATFORM_EXPORTS)
def test_ex001_each_platform_gives_the_template_tables(name, rows, base, vocab, index, template, built):
    _, _, outcome = _run(name, built, base, vocab, index)
    assert outcome.result.ok, [str(p) for p in outcome.result.problems]
    assert _comparable(outcome.result.tables) == _comparable(template)
    counts = outcome.counts
    assert counts["respondents"] == len(rows) and counts["encounters"] == len(template[T.ENCOUNTERS])
    assert counts["responses"] - counts["incomplete"] == len(rows)
    ids = set(outcome.result.tables[T.RESPONDENTS][C.RESPONDENT_ID])
    assert len(ids) == len(rows) and all(i.startswith("S") and len(i) == 13 for i in ids)


@pytest.mark.parametrize("name", sorted(METADATA_HEADERS))
def test_ex002_metadata_and_free_text_never_kept_each_named(name, rows, base, vocab, index, built):
    _, _, outcome = _run(name, built, base, vocab, index)
    staged = "".join(frame.to_csv(index=False) for frame in outcome.result.tables.values())
    for secret in F.SECRET_VALUES:
        assert secret not in staged
    dropped = {(n.column, n.rule) for n in outcome.result.notices}
    for header in METADATA_HEADERS[name]:
        assert (header, "platform_metadata_dropped") in dropped, (header, dropped)
    if name in FREE_TEXT_HEADERS:
        assert (FREE_TEXT_HEADERS[name], "free_text_dropped") in dropped
    shown = " ".join(f"{n.column} {n.message}" for n in outcome.result.notices)
    assert "@example.org" not in shown and "192.0.2." not in shown and "Jane Example" not in shown


def test_ex003_a_saved_mapping_serves_the_next_wave(rows, base, vocab, index, built):
    _, instrument, first = _run("qualtrics_csv", built, base, vocab, index)
    assert first.result.ok
    saved = load_instrument(instrument.to_yaml(), "coalition-survey.yaml", vocab)
    assert saved == instrument
    file, data = F.exports(F.responses(30, seed=7))["qualtrics_csv"]
    second = ingest_export(Upload(file, data), saved, base, vocab, 2027)
    assert second.result.ok and second.result.wave == 2027 and second.counts["respondents"] == 30


def test_ex004_incomplete_responses_left_out_and_counted(rows, base, vocab, index, built):
    _, _, outcome = _run("qualtrics_csv", built, base, vocab, index)
    incomplete = [n for n in outcome.result.notices if n.rule == ExportRule.INCOMPLETE]
    assert [(n.column, n.message.split()[0]) for n in incomplete] == [("Finished", "1")]


def test_ex005_unmapped_option_names_field_question_and_label(rows, base, vocab, index, built):
    odd = [*rows[:3], F.Response("Calgary", "Police", "Frontline", "Yes", "No", ["Farm", "Ferme X"], ["Forced labour"])]
    file, data = "q.csv", F.qualtrics_csv(odd)
    export, _ = read_export(Upload(file, data), LIMITS, "en")
    instrument = suggest(export, index, "s").instrument
    outcome = ingest_export(Upload(file, data), instrument, base, vocab, F.WAVE)
    problems = [p for p in outcome.result.problems if p.rule == ExportRule.UNMAPPED_OPTION]
    assert problems and problems[0].column == "Q6" and "labour_site" in problems[0].message
    assert "'Ferme X'" in problems[0].message
    assert outcome.result.tables is None


def test_ex006_ambiguous_questions(rows, base, vocab, index, built):
    grid = F.surveymonkey_grid(rows)
    grid[0][grid[0].index(F.Q_TRAINED)] = "Question 5"
    grid[0][grid[0].index(F.Q_CONTACT)] = "Question 4"  # two yes/no questions, neither text says which
    file, data = "wave.xlsx", F.workbook(grid)
    export, _ = read_export(Upload(file, data), LIMITS, "en")
    found = suggest(export, index, "s")
    assert sorted(found.ambiguous[C.CONTACT]) == ["Question 4", "Question 5"]
    grid[0][grid[0].index("Question 5")] = "Question 4"  # the same text twice: a mapping naming it is ambiguous
    instrument = found.instrument
    instrument.fields[C.CONTACT] = type(instrument.fields[C.CITY])("Question 4")
    twice = F.workbook(grid)
    outcome = ingest_export(Upload(file, twice), instrument, base, vocab, F.WAVE)
    problem = next(p for p in outcome.result.problems if p.rule == ExportRule.AMBIGUOUS)
    assert problem.column == "Question 4" and "contact_any" in problem.message and "2 columns" in problem.message


def test_ex007_renamed_question_between_waves(rows, base, vocab, index, built):
    _, instrument, _ = _run("qualtrics_csv", built, base, vocab, index)
    file, data = built["qualtrics_csv"]
    renamed = data.replace(b"Q3,Q4", b"Q3b,Q4", 1).replace(b'{""ImportId"": ""Q3""}', b'{""ImportId"": ""Q3b""}')
    outcome = ingest_export(Upload(file, renamed), instrument, base, vocab, F.WAVE)
    problem = next(p for p in outcome.result.problems if p.rule == ExportRule.QUESTION_MISSING)
    assert problem.column == "Q3" and "role" in problem.message and "'Q3b'" in problem.message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("instrument: x\nfields: [unclosed", "not valid YAML (line"),
        ("- just\n- a list\n", "must hold keys"),
        ("instrument: bad name!\nfields: {city: Q1, sector: Q2, role: Q3, contact_any: Q4}", "is not a name"),
        ("instrument: x\nfields: {city: Q1, sector: Q2, role: Q3}", "field contact_any is not mapped"),
        (
            "instrument: x\nfields: {city: Q1, sector: Q2, role: Q3, contact_any: Q4, colour: Q5}",
            "'colour' is not a field",
        ),
        (
            "instrument: x\nfields: {city: Q1, sector: {question: Q2, options: {Police: polis}}, role: Q3,"
            " contact_any: Q4}",
            "field sector, question 'Q2', option 'Police': 'polis' is not a code",
        ),
        (
            "instrument: x\nfields: {city: Q1, sector: Q1, role: Q3, contact_any: Q4}",
            "question 'Q1' is mapped to several",
        ),
        ("instrument: x\nwave: {from: somewhere}\nfields: {city: Q1, sector: Q2, role: Q3, contact_any: Q4}", "wave:"),
    ],
)
def test_ex008_malformed_mapping_files(text, expected, vocab):
    with pytest.raises(InstrumentError) as err:
        load_instrument(text, "mapping.yaml", vocab)
    assert any(expected in p.message for p in err.value.problems), [p.message for p in err.value.problems]
    assert all(p.file == "mapping.yaml" for p in err.value.problems)
    with pytest.raises(InstrumentError):
        load_instrument(b"\xff\xfe not utf-8 \x81", "mapping.yaml", vocab)


@pytest.mark.parametrize(
    "data",
    [
        b"colour,size,weight\nred,3,4\nblue,5,6\n",
        b"\x89PNG\r\n\x1a\n" + b"\0" * 64,
        b"",
    ],
)
def test_ex009_unrecognised_or_unreadable_files_are_named(data):
    export, problems = read_export(Upload("export.csv", data), LIMITS, "en")
    assert export is None and problems and all(p.file == "export.csv" for p in problems)
    if data.startswith(b"colour"):
        assert problems[0].rule == ExportRule.UNRECOGNISED and "SurveyMonkey" in problems[0].message


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
        lambda text: codecs.BOM_UTF16_LE + text.replace(",", "\t").encode("utf-16-le"),
        lambda text: text.replace(",", ";").encode("utf-8"),
    ],
    ids=["bom", "utf16-tabs", "semicolons"],
)
def test_ex010_excel_flavours_of_a_forms_csv(encode, built, base, vocab, index, template):
    plain = built["google_forms_csv"][1].decode("utf-8")
    plain = plain.replace(", ", " + ")  # keep the checkbox answers apart from the delimiter being swapped
    data = encode(plain.replace(" + ", ";"))
    export, problems = read_export(Upload("responses.csv", data), LIMITS, "en")
    assert export is not None, [str(p) for p in problems]
    outcome = ingest_export(Upload("responses.csv", data), suggest(export, index, "s").instrument, base, vocab, F.WAVE)
    assert outcome.result.ok and _comparable(outcome.result.tables) == _comparable(template)


def test_ex011_french_labels_and_numeric_codes(base, vocab, index):
    rows = [
        F.Response(
            "Calgary (Alberta)", "Santé publique", "Intervenante", "Oui", "Non", ["Ferme"], ["Travail forcé"], "Citoyen"
        ),
        F.Response("Toronto", "Police", "Gestionnaire", "Non", "Oui"),
    ]
    file, data = "responses.csv", F.google_forms_csv(rows)
    export, _ = read_export(Upload(file, data), LIMITS, "fr")
    found = suggest(export, index, "enquete")
    outcome = ingest_export(Upload(file, data), found.instrument, base, vocab, F.WAVE, lang="fr")
    assert outcome.result.ok, [str(p) for p in outcome.result.problems]
    enc = outcome.result.tables[T.ENCOUNTERS]
    assert list(enc[C.LABOUR_SITE]) == ["agriculture"] and list(enc[C.VICTIMISATION]) == ["forced_labour"]
    codes = F.qualtrics_csv(F.responses(6))
    for i, role in enumerate(F.ROLES, start=1):
        codes = codes.replace(f",{role},".encode(), f",{i},".encode())
    export, _ = read_export(Upload("q.csv", codes), LIMITS, "en")
    instrument = suggest(export, index, "q").instrument
    instrument.fields[C.ROLE] = type(instrument.fields[C.CITY])(
        "Q3", {"1": "frontline", "2": "management", "3": "other"}
    )
    assert ingest_export(Upload("q.csv", codes), instrument, base, vocab, F.WAVE).result.ok


def test_ex012_formulas_and_hostile_cells_refused(rows):
    grid = F.microsoft_forms_xlsx(rows)
    export, problems = read_export(Upload("forms.xlsx", grid), LIMITS, "en")
    assert export is not None
    import io

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(grid))
    book.active["F2"] = '=HYPERLINK("http://example.org","x")'
    out = io.BytesIO()
    book.save(out)
    export, problems = read_export(Upload("forms.xlsx", out.getvalue()), LIMITS, "en")
    assert export is None and problems[0].column == F.Q_CITY and problems[0].rule == "formula"


def test_ex013_a_mapping_missing_a_required_field_or_hostile_answers_are_named(rows, base, vocab, index, built):
    file, data = built["google_forms_csv"]
    export, _ = read_export(Upload(file, data), LIMITS, "en")
    instrument = suggest(export, index, "s").instrument
    del instrument.fields[C.CONTACT]
    outcome = ingest_export(Upload(file, data), instrument, base, vocab, F.WAVE)
    assert [p.column for p in outcome.result.problems] == [C.CONTACT] and outcome.result.tables is None
    instrument = suggest(export, index, "s").instrument
    formula = data.replace(b",Calgary,", b",=HYPERLINK(1),")
    outcome = ingest_export(Upload(file, formula), instrument, base, vocab, F.WAVE)
    problem = next(p for p in outcome.result.problems if p.rule == ExportRule.UNMAPPED_OPTION)
    assert problem.column == F.Q_CITY and "'…'" in problem.message and "HYPERLINK" not in problem.message
    email = data.replace(b",Edmonton,", b",jane@example.org,")  # an e-mail address: the question is free text
    outcome = ingest_export(Upload(file, email), instrument, base, vocab, F.WAVE)
    problem = next(p for p in outcome.result.problems if p.rule == ExportRule.NOT_KEPT)
    assert problem.column == F.Q_CITY and "free text" in problem.message
    assert "example.org" not in " ".join(str(p) for p in outcome.result.problems)


def test_ex014_qualtrics_split_multi_value_columns(rows, base, vocab, index, template):
    """Qualtrics' "split multi-value fields into columns": Q6_1.. with "question - option" texts, 1 when ticked."""
    grid = list(csv.reader(F.qualtrics_csv(rows).decode("utf-8").splitlines()))
    at = grid[0].index("Q6")
    grid[0][at : at + 1] = [f"Q6_{i + 1}" for i in range(len(F.SITES))]
    grid[1][at : at + 1] = [f"{F.Q_SITES} - {site}" for site in F.SITES]
    grid[2][at : at + 1] = [json.dumps({"ImportId": f"QID6_{i + 1}"}) for i in range(len(F.SITES))]
    for row in grid[3:]:
        ticked = set(row[at].split(",")) if row[at] else set()
        row[at : at + 1] = ["1" if site in ticked else "" for site in F.SITES]
    out = io.StringIO()
    csv.writer(out).writerows(grid)
    upload = Upload("split.csv", out.getvalue().encode("utf-8"))
    export, _ = read_export(upload, LIMITS, "en")
    assert export.question("Q6").options == tuple(F.SITES)
    outcome = ingest_export(upload, suggest(export, index, "s").instrument, base, vocab, F.WAVE)
    assert outcome.result.ok and _comparable(outcome.result.tables) == _comparable(template)
