"""The published dataset plus a new wave, as a new dataset folder; and ingest's last check, which builds one.

``merged_dataset_folder`` is what the publish step calls before it builds a release from the new folder. The
same function, into a temporary folder, lets ``ingest`` run the project's own ``validate_dataset`` over the
whole merged dataset as a final safety net.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq

from dashboard.data.dataset import Dataset, table_file, write_manifest, write_table
from dashboard.data.schema import MANIFEST_FILE, TABLE_BY_NAME, TABLES
from dashboard.data.validate import Problem, validate_dataset
from dashboard.data.vocab import Vocabularies
from dashboard.ingest.model import IngestResult

DROPPED_MANIFEST_FIELDS = ("checksum", "generator")  # recomputed; describes how the base alone was generated
HISTORY = "history"


def _read_strings(path: Path) -> pd.DataFrame:
    """A table file as text columns, empty cells as NA (as ``validate_dataset`` reads it)."""
    if path.suffix == ".parquet":
        return pq.read_table(path).to_pandas().astype("string")
    df = pd.read_csv(path, dtype="string", keep_default_na=False, encoding="utf-8")
    return df.replace("", pd.NA)


def merged_dataset_folder(base_folder: Path, result: IngestResult, out: Path, note: dict[str, Any]) -> Path:
    """Write ``base_folder``'s dataset plus the new wave of ``result`` into the new folder ``out``.

    Tables the upload does not touch are copied byte for byte; respondents and encounters get the new rows
    appended, in the base file's format. The manifest keeps the base's fields (name, citation, licence,
    synthetic flag...), lists the new wave, gets version ``"{old}+{wave}"`` and a fresh checksum, and appends
    ``note`` (who uploaded, when, from which files: never data values) to its ``history``. The base's
    ``generator`` entry (how the synthetic base alone was generated) is dropped: it no longer describes the data.
    """
    if not result.ok or result.tables is None or result.wave is None:
        raise ValueError("only a successful ingest can be merged into a dataset")
    base_folder, out = Path(base_folder), Path(out)
    manifest = json.loads((base_folder / MANIFEST_FILE).read_text(encoding="utf-8"))
    if result.wave in manifest.get("waves", []):
        raise ValueError(f"wave {result.wave} is already in {base_folder}")
    if out.exists() and any(out.iterdir()):
        raise FileExistsError(f"{out} is not empty")
    out.mkdir(parents=True, exist_ok=True)
    for spec in TABLES:
        source = table_file(base_folder, spec.name)
        new = result.tables.get(spec.name)
        if new is None:
            if source is not None:
                shutil.copyfile(source, out / source.name)
            continue
        old = _read_strings(source) if source is not None else pd.DataFrame(columns=list(spec.column_names))
        merged = pd.concat(
            [
                old.reindex(columns=list(spec.column_names)).astype("string"),
                new.reindex(columns=list(spec.column_names)).astype("string"),
            ],
            ignore_index=True,
        )
        write_table(merged, out / (source.name if source is not None else f"{spec.name}.csv"))
    for name in DROPPED_MANIFEST_FIELDS:
        manifest.pop(name, None)
    manifest["waves"] = sorted({*(int(w) for w in manifest.get("waves", [])), result.wave})
    manifest["version"] = f"{manifest.get('version', 'dataset')}+{result.wave}"
    entry = json.loads(json.dumps({"wave": result.wave, **note}, default=str))  # dates and paths as text
    manifest[HISTORY] = [*manifest.get(HISTORY, []), entry]
    write_manifest(out, manifest)
    return out


def _materialise(base: Dataset, folder: Path) -> Path:
    """``base``'s own folder, or (for a dataset built in memory) its tables written into ``folder``."""
    if (Path(base.path) / MANIFEST_FILE).is_file() and table_file(Path(base.path), TABLES[0].name):
        return Path(base.path)
    folder.mkdir()
    for name, df in base.tables.items():
        write_table(df, folder / f"{name}.csv")
    write_manifest(folder, {k: v for k, v in base.manifest.items() if k != "checksum"})
    return folder


def verify(
    base: Dataset,
    tables: dict[str, pd.DataFrame],
    wave: int,
    vocab: Vocabularies,
    files: dict[str, str],
    row_numbers: dict[str, list[int]],
) -> list[Problem]:
    """``validate_dataset`` over base plus the new rows; its problems told in the upload's files and rows."""
    result = IngestResult(tables, wave=wave)
    with tempfile.TemporaryDirectory(prefix="ingest-") as tmp:
        base_folder = _materialise(base, Path(tmp) / "base")
        merged = merged_dataset_folder(base_folder, result, Path(tmp) / "merged", {})
        _, problems = validate_dataset(merged, vocab)
    out: list[Problem] = []
    for p in problems:
        table = next((s.name for s in TABLES if p.file.startswith(f"{s.name}.")), None)
        if table in tables and table in TABLE_BY_NAME:
            offset = len(base.tables.get(table, ()))
            numbers = row_numbers.get(table, [])
            rows = tuple(numbers[r - offset - 1] for r in p.rows if 0 < r - offset <= len(numbers))
            out.append(Problem(files.get(table, p.file), p.column, rows, p.rule, p.message))
        else:
            out.append(p)
    return out
