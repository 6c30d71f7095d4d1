"""Validation of a dataset folder: every problem named by table, column, rows and rule.

Rows are data rows counted from 1 (row 1 is the first line after a CSV header).

Why this module is longer than ~300 lines: the dataset's whole contract (files, columns, vocabularies, cross-table
rules) in one place, read as a specification.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pandera.pandas as pa
import pyarrow as pa_arrow
import pyarrow.compute as pc
import pyarrow.parquet as pq

from dashboard.data import schema as S
from dashboard.data.dataset import Dataset, checksum, table_file
from dashboard.data.schema import C, T
from dashboard.data.vocab import Vocabularies, vocabularies
from dashboard.i18n import t

MAX_LISTED = 10
TRUE_VALUES = frozenset({"true", "1", "yes"})
BOOL_VALUES = frozenset({"true", "false", "1", "0", "yes", "no"})


@dataclass(frozen=True)
class Problem:
    file: str
    column: str | None
    rows: tuple[int, ...]
    rule: str
    message: str

    def __str__(self) -> str:
        where = self.file + (f", column {self.column!r}" if self.column else "")
        if self.rows:
            shown = ", ".join(str(r) for r in self.rows[:MAX_LISTED])
            more = f" and {len(self.rows) - MAX_LISTED} more" if len(self.rows) > MAX_LISTED else ""
            where += f", row{'s' if len(self.rows) > 1 else ''} {shown}{more}"
        return f"{where}: {self.message} [{self.rule}]"

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "column": self.column,
            "rows": list(self.rows),
            "rule": self.rule,
            "message": self.message,
        }


class DatasetError(Exception):
    """A dataset failed validation; ``problems`` says why."""

    def __init__(self, path: Path, problems: list[Problem]) -> None:
        self.path = path
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"dataset {path} has {len(problems)} problem(s):\n{lines}")


def _listing(values: Iterable[Any]) -> str:
    vals = sorted({str(v) for v in values})
    shown = ", ".join(repr(v) for v in vals[:MAX_LISTED])
    return shown + (f" (+{len(vals) - MAX_LISTED} more)" if len(vals) > MAX_LISTED else "")


def _rows(index: Iterable[int]) -> tuple[int, ...]:
    return tuple(sorted({int(i) + 1 for i in index}))


def _flagged(file: str, column: str, values: pd.Series, mask: pd.Series, rule: str, **more: Any) -> list[Problem]:
    """One problem of ``rule`` (its message ``validation.<rule>``, given ``more``) naming the rows of ``values``
    where ``mask`` holds and listing their values; none if it never does."""
    if not mask.any():
        return []
    message = t(f"validation.{rule}", values=_listing(values[mask]), **more)
    return [Problem(file, column, _rows(values.index[mask]), rule, message)]


def _member(values: pd.Series, known: pd.Series) -> pd.Series:
    """Vectorised ``values.isin(known)`` (pandas' own is slow for Arrow strings against a large set)."""
    value_set = pc.unique(pa_arrow.Array.from_pandas(known.astype("string")).drop_null())
    hits = pc.is_in(pa_arrow.Array.from_pandas(values.astype("string")), value_set=value_set)
    return pd.Series(hits.fill_null(False).to_numpy(zero_copy_only=False), index=values.index)


def _read(path: Path) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Read a table as text columns (missing values as NA)."""
    try:
        if path.suffix == ".parquet":
            df = pq.read_table(path).to_pandas()
            df = df.astype("string")
        else:
            raw = path.read_bytes()
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError as err:
                return None, [Problem(path.name, None, (), "encoding", t("validation.encoding", position=err.start))]
            df = pd.read_csv(path, dtype="string", keep_default_na=False, encoding="utf-8")
            df = df.apply(lambda s: s.str.strip()).replace("", pd.NA)
    except Exception as err:
        return None, [Problem(path.name, None, (), "read", t("validation.read_error", detail=str(err)[:200]))]
    return df, []


def _column_schema(col: S.Column, vocab: Vocabularies) -> pa.Column:
    checks: list[pa.Check] = []
    if col.kind == "code" and col.vocabulary:
        codes = list(vocab[col.vocabulary].codes)
        checks.append(pa.Check(lambda s: s.isin(codes), element_wise=False, name="unknown_code"))
    elif col.kind == "int":
        checks.append(pa.Check(lambda s: s.str.fullmatch(r"-?\d+"), name="not_integer"))
    elif col.kind == "bool":
        checks.append(pa.Check(lambda s: s.str.lower().isin(BOOL_VALUES), name="not_boolean"))
    return pa.Column("string", checks=checks, nullable=col.nullable, required=col.required, coerce=True)


def _table_problems(df: pd.DataFrame, spec: S.TableSpec, file: str, vocab: Vocabularies) -> list[Problem]:
    problems: list[Problem] = []
    for name in df.columns:
        if name not in spec.column_names:
            problems.append(Problem(file, str(name), (), "unexpected_column", t("validation.unexpected_column")))
    for col in spec.columns:
        if col.required and col.name not in df.columns:
            problems.append(Problem(file, col.name, (), "missing_column", t("validation.missing_column")))
    if problems:
        return problems
    if df.empty and spec.name == T.RESPONDENTS:
        return [Problem(file, None, (), "no_rows", t("validation.no_rows"))]
    schema = pa.DataFrameSchema({c.name: _column_schema(c, vocab) for c in spec.columns if c.name in df.columns})
    try:
        schema.validate(df, lazy=True)
    except pa.errors.SchemaErrors as err:
        problems.extend(_from_pandera(err.failure_cases, spec, file, vocab))
    if spec.key and all(k in df.columns for k in spec.key):
        dup = df.duplicated(list(spec.key), keep="first")
        if dup.any():
            values = df.loc[dup, list(spec.key)].astype(str).agg("/".join, axis=1)
            problems.append(
                Problem(
                    file,
                    "/".join(spec.key),
                    _rows(df.index[dup]),
                    "duplicate_key",
                    t("validation.duplicate_key", key="/".join(spec.key), values=_listing(values)),
                )
            )
    return problems


def _from_pandera(cases: pd.DataFrame, spec: S.TableSpec, file: str, vocab: Vocabularies) -> list[Problem]:
    problems: list[Problem] = []
    by_name = {c.name: c for c in spec.columns}
    for (column, check), group in cases.groupby(["column", "check"], sort=True, dropna=False):
        col = by_name.get(str(column))
        rows = _rows(group["index"].dropna())
        values = _listing(group["failure_case"].dropna())
        check = str(check)
        if check == "not_nullable":
            problems.append(Problem(file, str(column), rows, "empty_value", t("validation.empty_value")))
        elif check.startswith("unknown_code") and col and col.vocabulary:
            allowed = ", ".join(vocab[col.vocabulary].codes)
            problems.append(
                Problem(
                    file,
                    str(column),
                    rows,
                    "unknown_code",
                    t(
                        "validation.unknown_code",
                        values=values,
                        allowed=allowed,
                        count=group["failure_case"].dropna().astype(str).nunique(),
                    ),
                )
            )
        elif check.startswith("not_integer"):
            problems.append(Problem(file, str(column), rows, "not_integer", t("validation.not_integer", values=values)))
        elif check.startswith("not_boolean"):
            problems.append(Problem(file, str(column), rows, "not_boolean", t("validation.not_boolean", values=values)))
        else:
            problems.append(Problem(file, str(column), rows, check, f"{check}: {values}"))
    return problems


def _typed(df: pd.DataFrame, spec: S.TableSpec) -> pd.DataFrame:
    out = pd.DataFrame(index=df.index)
    for col in spec.columns:
        if col.name not in df.columns:
            if col.kind == "bool":
                out[col.name] = False
            continue
        s = df[col.name]
        if col.kind == "int":
            out[col.name] = s.astype("int64")
        elif col.kind == "bool":
            out[col.name] = s.str.lower().isin(TRUE_VALUES).astype(bool)
        else:
            out[col.name] = s
    return out.reset_index(drop=True)


def _references(tables: dict[str, pd.DataFrame], files: dict[str, str]) -> list[Problem]:
    problems: list[Problem] = []
    for src, col, dst, dst_col in S.REFERENCES:
        if src not in tables or col not in tables[src].columns:
            continue
        if dst in files and dst not in tables:
            continue  # the referenced table has problems of its own, already reported
        values = tables[src][col]
        known = tables[dst][dst_col] if dst in tables else pd.Series([], dtype="string")
        bad = values.notna() & ~_member(values, known)
        problems += _flagged(files[src], col, values, bad, "dangling_reference", target=f"{dst}.{dst_col}")
    ties = tables.get(T.TIES)
    if ties is not None:
        same = ties[C.SOURCE_ORG] == ties[C.TARGET_ORG]
        if same.any():
            problems.append(
                Problem(files[T.TIES], C.TARGET_ORG, _rows(ties.index[same]), "self_tie", t("validation.self_tie"))
            )
    enc, resp = tables.get(T.ENCOUNTERS), tables.get(T.RESPONDENTS)
    if enc is not None and resp is not None:
        yes = resp.loc[resp[C.CONTACT] == "yes", C.RESPONDENT_ID]
        ids = enc[C.RESPONDENT_ID]
        bad = _member(ids, resp[C.RESPONDENT_ID]) & ~_member(ids, yes)
        if bad.any():
            problems.append(
                Problem(
                    files[T.ENCOUNTERS],
                    C.RESPONDENT_ID,
                    _rows(enc.index[bad]),
                    "encounter_without_contact",
                    t(
                        "validation.encounter_without_contact",
                        column=C.CONTACT,
                        values=_listing(enc.loc[bad, C.RESPONDENT_ID]),
                    ),
                )
            )
    return problems


def _manifest(folder: Path, respondents: pd.DataFrame | None) -> tuple[dict[str, Any], list[Problem]]:
    path = folder / S.MANIFEST_FILE
    if not path.is_file():
        return {}, [Problem(S.MANIFEST_FILE, None, (), "manifest_missing", t("validation.manifest_missing"))]
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(manifest, dict):
            raise ValueError("not a JSON object")
    except (ValueError, UnicodeDecodeError) as err:
        return {}, [Problem(S.MANIFEST_FILE, None, (), "read", t("validation.read_error", detail=str(err)[:200]))]
    problems = [
        Problem(S.MANIFEST_FILE, f, (), "manifest_field", t("validation.manifest_field"))
        for f in S.MANIFEST_FIELDS
        if f not in manifest
    ]
    if "synthetic" in manifest and not isinstance(manifest["synthetic"], bool):
        problems.append(Problem(S.MANIFEST_FILE, "synthetic", (), "manifest_field", t("validation.manifest_field")))
    waves = manifest.get("waves")
    if not isinstance(waves, list) or not all(isinstance(w, int) for w in waves):
        problems.append(Problem(S.MANIFEST_FILE, "waves", (), "manifest_field", t("validation.manifest_field")))
    elif respondents is not None and C.WAVE in respondents.columns:
        actual = sorted(int(w) for w in respondents[C.WAVE].unique())
        if sorted(waves) != actual:
            problems.append(
                Problem(
                    S.MANIFEST_FILE,
                    "waves",
                    (),
                    "manifest_waves",
                    t("validation.manifest_waves", listed=sorted(waves), actual=actual),
                )
            )
    if "checksum" in manifest and manifest["checksum"] != (actual_sum := checksum(folder)):
        problems.append(
            Problem(
                S.MANIFEST_FILE,
                "checksum",
                (),
                "checksum",
                t("validation.checksum", listed=manifest["checksum"], actual=actual_sum),
            )
        )
    return manifest, problems


def validate_dataset(folder: Path, vocab: Vocabularies | None = None) -> tuple[Dataset | None, list[Problem]]:
    """Read and validate ``folder``; return the typed dataset (None if any problem) and every problem."""
    vocab = vocab or vocabularies()
    folder = Path(folder)
    problems: list[Problem] = []
    raw: dict[str, pd.DataFrame] = {}
    files: dict[str, str] = {}
    for spec in S.TABLES:
        path = table_file(folder, spec.name)
        if path is None:
            if spec.required:
                problems.append(
                    Problem(
                        f"{spec.name}.csv",
                        None,
                        (),
                        "missing_table",
                        t("validation.missing_table", expected=f"{spec.name}.csv or .parquet"),
                    )
                )
            continue
        df, read_problems = _read(path)
        problems.extend(read_problems)
        if df is None:
            continue
        table_problems = _table_problems(df, spec, path.name, vocab)
        problems.extend(table_problems)
        files[spec.name] = path.name
        if not table_problems:
            raw[spec.name] = df
    typed = {name: _typed(df, S.TABLE_BY_NAME[name]) for name, df in raw.items()}
    problems.extend(_references(typed, files))
    for name, df in typed.items():
        if C.WAVE in df.columns or C.YEAR in df.columns:
            col = C.WAVE if C.WAVE in df.columns else C.YEAR
            bad = (df[col] < S.MIN_WAVE) | (df[col] > S.MAX_WAVE)
            problems += _flagged(files[name], col, df[col], bad, "out_of_range", low=S.MIN_WAVE, high=S.MAX_WAVE)
    manifest, manifest_problems = _manifest(folder, typed.get(T.RESPONDENTS))
    problems.extend(manifest_problems)
    if problems:
        return None, problems
    return Dataset(folder, manifest, typed), []


def load_dataset(folder: Path, vocab: Vocabularies | None = None) -> Dataset:
    """A validated dataset, or DatasetError naming every problem."""
    dataset, problems = validate_dataset(folder, vocab)
    if dataset is None:
        raise DatasetError(Path(folder), problems)
    return dataset
