"""A dataset: a folder of tidy tables (CSV or Parquet) plus ``manifest.json`` (SPEC §3)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from dashboard.data.schema import MANIFEST_FILE, TABLES

TABLE_SUFFIXES = (".csv", ".parquet")


@dataclass(frozen=True)
class Dataset:
    """A validated dataset: typed tables and the manifest that describes them."""

    path: Path
    manifest: dict[str, Any]
    tables: dict[str, pd.DataFrame]

    def __getitem__(self, table: str) -> pd.DataFrame:
        return self.tables[table]

    @property
    def synthetic(self) -> bool:
        return bool(self.manifest.get("synthetic"))

    @property
    def waves(self) -> list[int]:
        return [int(w) for w in self.manifest["waves"]]


def table_file(folder: Path, table: str) -> Path | None:
    """The file holding ``table`` in ``folder`` (CSV preferred over Parquet), or None."""
    for suffix in TABLE_SUFFIXES:
        candidate = folder / f"{table}{suffix}"
        if candidate.is_file():
            return candidate
    return None


def table_files(folder: Path) -> list[Path]:
    found = (table_file(folder, spec.name) for spec in TABLES)
    return [p for p in found if p is not None]


def checksum(folder: Path) -> str:
    """SHA-256 over the table files (name and bytes, in table order)."""
    digest = hashlib.sha256()
    for path in table_files(folder):
        digest.update(path.name.encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return "sha256:" + digest.hexdigest()


def write_manifest(folder: Path, manifest: dict[str, Any]) -> None:
    body = dict(manifest, checksum=checksum(folder))
    (folder / MANIFEST_FILE).write_text(json.dumps(body, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def write_table(df: pd.DataFrame, path: Path) -> None:
    """Write one table deterministically (same frame, same bytes)."""
    if path.suffix == ".parquet":
        df.to_parquet(path, index=False, compression="zstd")
    else:
        df.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")
