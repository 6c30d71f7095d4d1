"""Downloads of published tables: CSV and XLSX, with spreadsheet formulas neutralised (SPEC §7)."""

from __future__ import annotations

import io
from typing import Final

import pandas as pd

FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r", "\0")


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy in which every text cell starting like a formula gets a leading apostrophe."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(lambda v: f"'{v}" if isinstance(v, str) and v.startswith(FORMULA_STARTS) else v)
    out.columns = [f"'{c}" if str(c).startswith(FORMULA_STARTS) else c for c in out.columns]
    return out


def to_csv(frame: pd.DataFrame) -> str:
    return neutralise(frame).to_csv(index=False, lineterminator="\n")


def to_xlsx(frame: pd.DataFrame, sheet: str = "data") -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        neutralise(frame).to_excel(writer, index=False, sheet_name=sheet[:31])
    return buffer.getvalue()
