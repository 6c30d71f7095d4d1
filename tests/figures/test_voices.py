"""Pure figure builders of the voices page: published rows in, figure dicts and sentences out."""

from __future__ import annotations

import pandas as pd

from dashboard.data.schema import C
from dashboard.figures import voices as F
from dashboard.published import table as TB
from dashboard.release.voices import ALL, NONE, TOTAL, K

THEMES = {ALL: "Any theme", "lack_of_training": "Lack of training", "border_securitisation": "Border", NONE: "None"}
METHODS = {"interview": "Interview", "document": "Document"}
CITIES = {"calgary": "Calgary", "winnipeg": "Winnipeg", NONE: "No city"}


def _rows(breakdown: str, cells: dict[tuple[str, str], int | None]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            K.BREAKDOWN: breakdown,
            K.CATEGORY: [c for c, _ in cells],
            C.THEME: [th for _, th in cells],
            TB.COUNT: pd.array(list(cells.values()), dtype="Int64"),
            TB.FLAG: ["x" if v is None else "" for v in cells.values()],
        }
    )


def _methods() -> pd.DataFrame:
    return _rows(
        C.METHOD,
        {
            ("interview", ALL): 60,
            ("interview", "lack_of_training"): 20,
            ("interview", "border_securitisation"): 15,
            ("document", ALL): 15,
            ("document", "lack_of_training"): None,
            ("document", "border_securitisation"): 10,
        },
    )


def test_fv001_method_bars_one_trace_per_method_hidden_left_out_and_labelled_x():
    fig = F.method_bars(_methods(), THEMES, METHODS, "Sources")
    assert [tr["name"] for tr in fig["data"]] == ["Interview", "Document"]
    interview, document = fig["data"]
    assert interview["y"] == ["Lack of training", "Border"]  # "any theme" is not a theme bar
    assert interview["x"] == [20.0, 15.0]
    assert document["x"] == [0.0, 10.0] and document["text"] == ["x", "10"]  # no bar, labelled x
    assert fig["layout"]["barmode"] == "group" and fig["layout"]["showlegend"] is True


def test_fv002_heatmap_blank_and_x_for_hidden_cells_in_label_order():
    rows = _rows(
        C.CITY,
        {
            ("winnipeg", "lack_of_training"): None,
            ("calgary", "lack_of_training"): 10,
            ("calgary", "border_securitisation"): 0,
            ("winnipeg", "border_securitisation"): 5,
            (NONE, "lack_of_training"): 5,
            (NONE, "border_securitisation"): 0,
        },
    )
    trace = F.heatmap(rows, THEMES, CITIES)["data"][0]
    assert trace["x"] == ["Calgary", "Winnipeg", "No city"]
    assert trace["z"][1] == [0.0, 5.0, 0.0]
    assert trace["y"] == ["Lack of training", "Border"]
    assert trace["z"][0] == [10.0, None, 5.0]
    assert trace["text"][0] == ["10", "x", "5"]
    assert trace["text"][1] == ["0", "5", "0"]


def test_fv003_wide_table_marks_hidden_counts_x():
    table = F.wide(_methods(), THEMES, METHODS)
    assert list(table.columns) == [C.THEME, "Interview", "Document"]
    assert list(table[C.THEME]) == ["Any theme", "Lack of training", "Border"]
    assert list(table["Document"]) == ["15", "x", "10"]


def test_fv004_summaries_name_the_largest_published_count_or_say_all_are_hidden():
    total = _rows(TOTAL, {(ALL, ALL): 75, (ALL, "lack_of_training"): 25, (ALL, "border_securitisation"): 30})
    assert F.method_summary(total, THEMES) == "The theme coded in the most sources is “Border” (30 of 75 sources)."
    hidden = _rows(TOTAL, {(ALL, ALL): None, (ALL, "lack_of_training"): None})
    assert F.method_summary(hidden, THEMES) == "Every count of this chart is hidden to protect participants."
    rows = _rows(C.CITY, {("calgary", "lack_of_training"): 10, (NONE, "lack_of_training"): 40})
    assert F.heat_summary(rows, THEMES, CITIES) == (
        "The largest published count is “Lack of training” in Calgary (10 sources)."
    )  # the "no city" column is not a place
    assert F.heat_summary(rows, THEMES, CITIES, "fr").startswith("Le plus grand nombre publié")


def test_fv005_long_column_labels_wrap_and_many_columns_slant():
    assert (
        F.wrap("Sector not stated (documents, mixed groups)") == "Sector not<br>stated<br>(documents,<br>mixed groups)"
    )
    rows = _rows(C.CITY, {("calgary", "lack_of_training"): 10})
    assert F.heatmap(rows, THEMES, CITIES)["layout"]["xaxis"]["tickangle"] == 0
    many = {f"c{i}": f"City number {i}" for i in range(8)}
    crowded = _rows(C.CITY, {(c, "lack_of_training"): 5 for c in many})
    fig = F.heatmap(crowded, THEMES, many)
    assert fig["layout"]["xaxis"]["tickangle"] == -40 and fig["data"][0]["x"][0] == "City number 0"
