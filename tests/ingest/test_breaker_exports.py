"""Hostile exports and mapping files found by an outside test of issue 13 (each failed before its fix).

- a mapping YAML of "billion laughs" aliases grew a process past 3 GB once its values were turned into text, and a
  deeply nested one ended in RecursionError (a traceback on the CLI): both are now refused with a message;
- an export column of IP addresses renamed to look like a question, and a SurveyMonkey option column holding an
  e-mail address or an IP address, put those values in the mapping form's answers (kept in the upload's folder and
  shown on the page): the columns are now dropped, and the form never keeps such a value.
"""

from __future__ import annotations

import json
import time

import pytest

from dashboard.ingest.exports import InstrumentError, load_instrument, read_export, suggest, summary
from dashboard.ingest.identify import IP_KIND, value_kind
from dashboard.ingest.mapping import label_index
from dashboard.ingest.model import Limits, Upload
from tests.ingest import exports_fixtures as F

SECRETS = ("jane.doe", "example.org", "192.0.2.", "198.51.100.", "2001:db8:")
LAUGHS = "\n".join(
    [
        'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
        *(f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]" for p, n in zip("abcdefgh", "bcdefghi", strict=True)),
        "instrument: *i",
    ]
)


def test_billion_laughs_mapping_is_refused_at_once(vocab):
    start = time.monotonic()
    with pytest.raises(InstrumentError) as err:
        load_instrument(LAUGHS.encode(), "laughs.yaml", vocab)
    assert time.monotonic() - start < 2
    assert "alias" in str(err.value) and "line 2" in str(err.value)


def test_deeply_nested_mapping_is_a_message_not_a_recursion_error(vocab):
    text = "instrument: " + "[" * 50_000 + "]" * 50_000
    with pytest.raises(InstrumentError) as err:
        load_instrument(text, "deep.yaml", vocab)
    assert "nests too deep" in str(err.value)


def test_a_saved_mapping_still_loads(vocab):
    export, _ = read_export(Upload(*F.exports(F.responses())["google_forms_csv"]), Limits(), "en")
    instrument = suggest(export, label_index(vocab), "forms").instrument
    again = load_instrument(instrument.to_yaml(), "forms.yaml", vocab)
    assert again.fields == instrument.fields


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("192.0.2.7", IP_KIND),
        ("from 198.51.100.4 today", IP_KIND),
        ("2001:db8::1", IP_KIND),
        ("::1", IP_KIND),
        ("10:30:00", None),
        ("2026-03-01 10:30:00", None),
        ("1.2.3.4.5", None),
        ("Calgary", None),
    ],
)
def test_ip_addresses_are_identifying(value, kind):
    assert value_kind(value, "code", mapped=False) == kind


def test_a_renamed_ip_column_is_dropped_and_never_kept(vocab):
    rows = F.responses()
    header = ["Timestamp", "Question 3", "Question 4", F.Q_CITY, F.Q_SECTOR, F.Q_ROLE, F.Q_CONTACT, F.Q_TRAINED]
    grid: list[list[object]] = [header]
    for i, r in enumerate(rows):
        ip = "192.0.2.7" if i % 2 else "198.51.100.4"
        grid.append(["2026-03-01 10:00:00", ip, "2001:db8::5", r.city, r.sector, r.role, r.contact, r.trained])
    export, problems = read_export(Upload("Form Responses 1.csv", F._csv(grid)), Limits(), "en")
    assert export is not None and not problems
    shown = summary(export, vocab, label_index(vocab))
    assert {"Question 3", "Question 4"} <= {d["column"] for d in shown["dropped"]}
    kept = json.dumps(shown)
    assert not [s for s in SECRETS if s in kept]


def test_an_option_column_holding_typed_contact_details_is_dropped(vocab):
    grid = F.surveymonkey_grid(F.responses())
    farm = grid[1].index("Farm")
    grid[3][farm] = "jane.doe@example.org"
    grid[4][farm] = "192.0.2.55"
    export, _ = read_export(Upload("Survey wave.csv", F._csv(grid)), Limits(), "en")
    shown = summary(export, vocab, label_index(vocab))
    assert f"{F.Q_SITES} [Farm]" in {d["column"] for d in shown["dropped"]}
    assert F.Q_SITES not in {q["key"] for q in shown["questions"]}
    kept = json.dumps(shown)
    assert not [s for s in SECRETS if s in kept]


def test_an_untouched_surveymonkey_export_keeps_its_multi_select(vocab):
    export, _ = read_export(Upload(*F.exports(F.responses())["surveymonkey_csv"]), Limits(), "en")
    shown = summary(export, vocab, label_index(vocab))
    sites = next(q for q in shown["questions"] if q["key"] == F.Q_SITES)
    assert sites["labels"] == sorted({site for r in F.responses() for site in r.sites})


def _forms_with_sites(per_row: list[list[str]]) -> bytes:
    rows = F.responses(len(per_row))
    for r, sites in zip(rows, per_row, strict=True):
        r.contact, r.sites = "Yes", sites
    return F.google_forms_csv(rows)


def test_a_multi_select_cell_of_hundreds_of_pieces_is_counted_at_once(vocab):
    """Before: one 4.9 KB export with a 500-piece cell kept the mapping summary busy for 60 s (cubic join search)."""
    data = _forms_with_sites([["x"] * 500] + [["Farm"]] * 23)
    start = time.monotonic()
    export, _ = read_export(Upload("Form Responses 1.csv", data), Limits(), "en")
    summary(export, vocab, label_index(vocab))
    assert time.monotonic() - start < 5


def test_many_long_identical_multi_select_cells_are_split_once(vocab):
    """Before: 500 rows of the same 120-piece cell (240 KB) took 23 s to summarise."""
    data = _forms_with_sites([["x"] * 120] * 500)
    start = time.monotonic()
    export, _ = read_export(Upload("Form Responses 1.csv", data), Limits(), "en")
    shown = summary(export, vocab, label_index(vocab))
    assert time.monotonic() - start < 5
    sites = next(q for q in shown["questions"] if q["key"] == F.Q_SITES)
    assert sites["parts"] == ["x"]


def test_a_cell_of_more_answers_than_any_vocabulary_is_free_text(vocab):
    data = _forms_with_sites([["x"] * 1300] + [["Farm"]] * 23)
    export, _ = read_export(Upload("Form Responses 1.csv", data), Limits(), "en")
    assert (F.Q_SITES, "free_text_dropped") in export.dropped
