"""The one writer of exported tables: CSV and XLSX with spreadsheet formulas neutralised (SPEC §4, §7).

Every download of every page, and the steward's upload template, writes through these functions, so a file reads
the same whichever page gave it: CSV with CRLF line ends (RFC 4180; a CR or LF inside a cell is quoted), UTF-8,
hidden values empty unless the table already shows them as ``x``; XLSX with one sheet. A text cell, or a column
heading, that a spreadsheet would run as a formula gets a leading apostrophe. Which formats a tier may export is
its policy's ``exports`` (``dashboard.published.policy``); ``file_name`` builds every export's name, ``labelled``
every export's columns (headed in the reader's language, codes kept beside their labels). No Dash here:
``dashboard.components.download`` offers these files on a page and writes the audit record.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from typing import Any, Final

import pandas as pd

from dashboard.published.policy import policy_for

CSV: Final = "csv"
XLSX: Final = "xlsx"
FORMATS: Final = (CSV, XLSX)
MEDIA_TYPES: Final = {
    CSV: "text/csv",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r", "\0")
"""What a spreadsheet may run as a formula at the start of a cell: neutralised in every export, and flagged in an
upload's text (``ingest.identify``). The one list of them."""
MAX_NAME: Final = 120


def neutralise_value(value: object) -> object:
    """``value``, with a leading ``'`` when it is text a spreadsheet would run as a formula."""
    return f"'{value}" if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy in which every text cell and column heading starting like a formula gets a leading apostrophe."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise_value)
    out.columns = [neutralise_value(str(c)) for c in out.columns]
    return out


def labelled(
    frame: pd.DataFrame,
    headings: Mapping[str, str],
    labels: Mapping[str, Mapping[Any, str]],
    code_heading: str,
) -> pd.DataFrame:
    """A published table as a reader downloads it: every column headed in the reader's language (``headings``,
    else its published name), and each column of codes (``labels``: code → label) as two columns side by side,
    its labels under its heading, then its codes under ``code_heading`` (``"{column} (code)"``), so that a file
    reads in the reader's language and still joins with any other release, whatever the language it came in.
    A code without a label keeps the code as its label."""
    columns: dict[str, pd.Series] = {}
    for name in frame.columns:
        heading = headings.get(str(name), str(name))
        values = frame[name]
        if name in labels:
            names = labels[name]
            columns[heading] = values.map(lambda v, names=names: names.get(v, v))
            columns[code_heading.format(column=heading)] = values
        else:
            columns[heading] = values
    return pd.DataFrame(columns, index=frame.index).reset_index(drop=True)


BOM: Final = "\ufeff"  # so that Excel opens a CSV as UTF-8 ("Vague d'enquête", not mojibake)


def to_csv(frame: pd.DataFrame) -> str:
    """The table as CSV text: a BOM, then CRLF line ends; a missing value is an empty cell. Numbers keep the
    point as decimal sign (a data file, read by any program in any language); headings and labels are the
    reader's."""
    return BOM + neutralise(frame).to_csv(index=False, lineterminator="\r\n", na_rep="")


def to_xlsx(frame: pd.DataFrame, sheet: str = "data") -> bytes:
    """The table as an XLSX workbook of one sheet named ``sheet`` (the reader's word for it: "Data", "Données").

    A column of numbers with decimals shows the decimals it is published with ("30.0" stays 30,0 in a French
    spreadsheet, not 30); the spreadsheet writes them in its reader's convention."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        neutralise(frame).to_excel(writer, index=False, sheet_name=sheet[:31])
        cells = writer.sheets[sheet[:31]]
        for position, name in enumerate(frame.columns, start=1):
            places = _places(frame[name])
            if places:
                for (cell,) in cells.iter_rows(min_row=2, min_col=position, max_col=position):
                    cell.number_format = "0." + "0" * places
    return buffer.getvalue()


def _places(column: pd.Series) -> int:
    """The decimals a float column is published with (at most 6), 0 for any other column."""
    if not pd.api.types.is_float_dtype(column):
        return 0
    fractions = [repr(round(v, 6)).split(".")[1].rstrip("0") for v in column.dropna().astype(float).tolist()]
    return max((len(f) for f in fractions if "e" not in f), default=0)  # whole numbers (counts with a gap): none


def formats_for(tier: str) -> tuple[str, ...]:
    """The export formats of ``tier`` (none for the public tier: chart images only)."""
    return policy_for(tier).exports


def _slug(part: object) -> str:
    text = "".join(ch if ch.isalnum() or ch in "-=_" else "-" for ch in str(part).strip("_"))
    return text.strip("-_")


def file_name(table: str, parts: Iterable[object], fmt: str) -> str:
    """An export's file name: the table, then the parts of the view, joined by ``_``.

    For example ``network_brokers_2024_all_all.csv`` or ``sector_wave=2024_role=management.xlsx``. Every part keeps
    letters, digits, ``-``, ``=`` and ``_`` (anything else becomes ``-``; a leading or trailing ``_`` is dropped, so
    the "all" sentinel ``_all`` reads ``all``); the name before the extension is at most ``MAX_NAME`` characters.
    """
    stem = "_".join(s for s in (_slug(p) for p in (table, *parts)) if s)
    return f"{stem[:MAX_NAME]}.{fmt}"
