"""Validation names the file, the column, the rows and the rule for every kind of broken dataset."""

from pathlib import Path

import pandas as pd
import pytest

from dashboard.data.dataset import write_manifest
from dashboard.data.validate import DatasetError, load_dataset, validate_dataset


def _rewrite(folder: Path, table: str, change) -> None:
    path = folder / f"{table}.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    change(df).to_csv(path, index=False, lineterminator="\n")
    manifest = __import__("json").loads((folder / "manifest.json").read_text(encoding="utf-8"))
    write_manifest(folder, manifest)  # keep the checksum right so only the intended problem shows


def _only(problems, rule):
    matching = [p for p in problems if p.rule == rule]
    assert matching, [str(p) for p in problems]
    return matching[0]


def test_va001_demo_dataset_is_valid(demo_dir: Path):
    dataset, problems = validate_dataset(demo_dir)
    assert problems == []
    assert dataset is not None and dataset.synthetic


def test_va002_missing_column(demo_copy: Path):
    _rewrite(demo_copy, "respondents", lambda df: df.drop(columns=["sector"]))
    _, problems = validate_dataset(demo_copy)
    p = _only(problems, "missing_column")
    assert (p.file, p.column) == ("respondents.csv", "sector")


def test_va003_unknown_code_names_rows_and_values(demo_copy: Path):
    def change(df):
        df.loc[[4, 9], "sector"] = "astrology"
        return df

    _rewrite(demo_copy, "respondents", change)
    _, problems = validate_dataset(demo_copy)
    p = _only(problems, "unknown_code")
    assert (p.file, p.column, p.rows) == ("respondents.csv", "sector", (5, 10))
    assert "astrology" in p.message and "law_enforcement" in p.message
    assert "row" in str(p) and "5, 10" in str(p)


def test_va004_duplicate_id(demo_copy: Path):
    _rewrite(demo_copy, "respondents", lambda df: pd.concat([df, df.iloc[[3]]], ignore_index=True))
    _, problems = validate_dataset(demo_copy)
    p = _only(problems, "duplicate_key")
    assert p.column == "respondent_id" and len(p.rows) == 1


def test_va005_tie_to_missing_organisation(demo_copy: Path):
    def change(df):
        df.loc[2, "target_org"] = "Ononexistent"
        return df

    _rewrite(demo_copy, "ties", change)
    _, problems = validate_dataset(demo_copy)
    p = _only(problems, "dangling_reference")
    assert (p.file, p.column, p.rows) == ("ties.csv", "target_org", (3,))
    assert "Ononexistent" in p.message


def test_va006_encounter_of_missing_respondent(demo_copy: Path):
    def change(df):
        df.loc[0, "respondent_id"] = "Rghost"
        return df

    _rewrite(demo_copy, "encounters", change)
    _, problems = validate_dataset(demo_copy)
    p = _only(problems, "dangling_reference")
    assert (p.file, p.column, p.rows) == ("encounters.csv", "respondent_id", (1,))


def test_va007_missing_table(demo_copy: Path):
    (demo_copy / "organisations.csv").unlink()
    _, problems = validate_dataset(demo_copy)
    assert _only(problems, "missing_table").file == "organisations.csv"


def test_va008_wrong_encoding(demo_copy: Path):
    path = demo_copy / "respondents.csv"
    path.write_bytes(path.read_bytes().replace(b"calgary", "calgáry".encode("latin-1"), 1))
    _, problems = validate_dataset(demo_copy)
    p = _only(problems, "encoding")
    assert p.file == "respondents.csv" and "UTF-8" in p.message


def test_va009_tampered_table_breaks_the_checksum(demo_copy: Path):
    path = demo_copy / "ties.csv"
    path.write_text(
        path.read_text(encoding="utf-8")
        + "2024,{},{},referral\n".format(*pd.read_csv(demo_copy / "organisations.csv")["org_id"].iloc[:2]),
        encoding="utf-8",
    )
    _, problems = validate_dataset(demo_copy)
    assert _only(problems, "checksum").file == "manifest.json"


def test_va010_load_refuses_a_broken_dataset_with_every_problem(demo_copy: Path):
    def change(df):
        df.loc[0, "wave"] = "twenty"
        df.loc[1, "role"] = ""
        return df

    _rewrite(demo_copy, "respondents", change)
    with pytest.raises(DatasetError) as err:
        load_dataset(demo_copy)
    rules = {p.rule for p in err.value.problems}
    assert {"not_integer", "empty_value"} <= rules
    assert "respondents.csv" in str(err.value)


def test_va011_encounter_without_reported_contact(demo_copy: Path):
    resp = pd.read_csv(demo_copy / "respondents.csv", dtype=str, keep_default_na=False)
    no_contact = resp.loc[resp["contact_any"] == "no", "respondent_id"].iloc[0]

    def change(df):
        df.loc[0, "respondent_id"] = no_contact
        return df

    _rewrite(demo_copy, "encounters", change)
    _, problems = validate_dataset(demo_copy)
    assert _only(problems, "encounter_without_contact").rows == (1,)


def test_va012_parquet_tables_validate_like_csv(demo_copy: Path):
    for csv in list(demo_copy.glob("*.csv")):
        pd.read_csv(csv, dtype=str, keep_default_na=False).replace("", None).to_parquet(csv.with_suffix(".parquet"))
        csv.unlink()
    write_manifest(demo_copy, __import__("json").loads((demo_copy / "manifest.json").read_text(encoding="utf-8")))
    dataset, problems = validate_dataset(demo_copy)
    assert problems == []
    assert dataset is not None and len(dataset["respondents"]) > 1000
