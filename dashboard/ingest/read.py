"""Checked files to raw tables: a header and rows of stripped text cells (None for an empty cell).

CSV must be UTF-8 (a BOM is fine) and comma-separated; a workbook is read with openpyxl in read-only mode,
formulas are reported (never evaluated, never kept) and hidden sheets refuse the workbook. Rows are numbered
from 1, the first row after the header.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import warnings
from dataclasses import dataclass, field
from typing import Any, Final

import openpyxl

from dashboard.data.schema import TABLE_BY_NAME, T
from dashboard.data.validate import MAX_LISTED, Problem
from dashboard.i18n import t
from dashboard.ingest.files import looks_utf16
from dashboard.ingest.model import Limits, Notice, Rule
from dashboard.ingest.names import normalise

UTF8_BOM: Final = b"\xef\xbb\xbf"
DELIMITERS: Final = (";", "\t", "|")
WANTED_SHEETS: Final = (T.RESPONDENTS, T.ENCOUNTERS)
TEMPLATE_SHEETS: Final = frozenset({"dictionary", "dictionnaire", "codes", "instructions"})

Cell = str | None


@dataclass
class RawTable:
    """One table as read: ``file`` names it in messages ("wave.csv", "wave.xlsx[respondents]")."""

    file: str
    table: str | None
    header: list[str]
    rows: list[tuple[int, list[Cell]]] = field(default_factory=list)
    formula_cells: set[tuple[int, int]] = field(default_factory=set)  # (data row, column position), read as None


def decode(data: bytes, file: str, lang: str) -> tuple[str | None, list[Problem]]:
    """The text of a CSV file, or None and an ``encoding`` problem saying what the bytes look like."""
    if looks_utf16(data):
        return None, [Problem(file, None, (), Rule.ENCODING, t("ingest.encoding.utf16", lang))]
    body = data[len(UTF8_BOM) :] if data.startswith(UTF8_BOM) else data
    try:
        return body.decode("utf-8"), []
    except UnicodeDecodeError as err:
        position = err.start + (len(data) - len(body))
    try:
        body.decode("cp1252")
        key = "ingest.encoding.latin1"
    except UnicodeDecodeError:
        key = "ingest.encoding.invalid"
    return None, [Problem(file, None, (), Rule.ENCODING, t(key, lang, position=position))]


def read_csv(
    text: str, file: str, table: str | None, limits: Limits, lang: str
) -> tuple[RawTable | None, list[Problem]]:
    """A CSV text as a raw table, or None and the problem: no header, a wrong delimiter, ragged rows."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if header is None or not any(h.strip() for h in header):
            return None, [Problem(file, None, (), Rule.EMPTY_FILE, t("ingest.empty_file", lang))]
        header = [h.strip() for h in header]
        delimiter = _other_delimiter(header)
        if delimiter:
            return None, [Problem(file, None, (), Rule.DELIMITER, t("ingest.delimiter", lang, delimiter=delimiter))]
        raw = RawTable(file, table, header)
        ragged: list[int] = []
        for number, record in enumerate(reader, start=1):
            if number > limits.max_rows:
                return None, [_too_many(file, limits, lang)]
            if len(record) > len(header) and any(c.strip() for c in record[len(header) :]):
                ragged.append(number)
            cells = [c.strip() or None for c in record[: len(header)]]
            raw.rows.append((number, cells + [None] * (len(header) - len(cells))))
    except csv.Error:
        return None, [Problem(file, None, (), Rule.READ, t("ingest.read.csv", lang, line=reader.line_num))]
    if ragged:  # the cells of these rows are shifted: checking their values would only add noise
        return None, [Problem(file, None, tuple(ragged), Rule.RAGGED_ROW, t("ingest.ragged_row", lang))]
    return raw, []


def _other_delimiter(header: list[str]) -> str | None:
    """The delimiter a one-column header seems to use instead of commas (it splits into known names)."""
    if len(header) != 1:
        return None
    known = set(TABLE_BY_NAME[T.RESPONDENTS].column_names) | set(TABLE_BY_NAME[T.ENCOUNTERS].column_names)
    for delimiter in DELIMITERS:
        parts = header[0].split(delimiter)
        if len(parts) > 1 and any(normalise(p) in known for p in parts):
            return "tab" if delimiter == "\t" else delimiter
    return None


def _too_many(file: str, limits: Limits, lang: str) -> Problem:
    return Problem(file, None, (), Rule.TOO_MANY_ROWS, t("ingest.too_many_rows", lang, limit=limits.max_rows))


def read_xlsx(data: bytes, name: str, limits: Limits, lang: str) -> tuple[list[RawTable], list[Problem], list[Notice]]:
    """The ``respondents`` and ``encounters`` sheets of a workbook (already checked by ``files.sniff``)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    tables: list[RawTable] = []
    problems: list[Problem] = []
    notices: list[Notice] = []
    try:
        for sheet in [*book.worksheets, *book.chartsheets]:
            if sheet.sheet_state != "visible":
                problems.append(
                    Problem(name, None, (), Rule.HIDDEN_SHEET, t("ingest.hidden_sheet", lang, sheet=sheet.title[:40]))
                )
        for sheet in book.worksheets:
            wanted = normalise(sheet.title)
            if wanted in WANTED_SHEETS:
                raw, sheet_problems = _read_sheet(sheet, f"{name}[{sheet.title}]", wanted, limits, lang)
                problems.extend(sheet_problems)
                if raw is not None:
                    tables.append(raw)
            elif wanted not in TEMPLATE_SHEETS and sheet.sheet_state == "visible":
                notices.append(
                    Notice(name, None, (), Rule.SHEET_IGNORED, t("ingest.sheet_ignored", lang, sheet=sheet.title[:40]))
                )
    finally:
        book.close()
    return tables, problems, notices


def _read_sheet(sheet: Any, file: str, table: str, limits: Limits, lang: str) -> tuple[RawTable | None, list[Problem]]:
    """One worksheet as a raw table; the first non-empty row is the header. Formula cells are problems."""
    sheet.reset_dimensions()  # a forged dimension (A1:XFD1048576) must not pad every row
    raw: RawTable | None = None
    header_row = 0
    formulas: list[tuple[int, int, str]] = []
    for sheet_row, cells in enumerate(sheet.iter_rows(), start=1):  # openpyxl yields () for a missing row
        values: list[Cell] = []
        for position, cell in enumerate(cells):
            if cell.data_type == "f":
                formulas.append((sheet_row, position, cell.coordinate))
                values.append(None)  # a formula is never kept, even as text
            else:
                values.append(cell_text(cell.value))
        if raw is None:
            if any(v is not None for v in values):
                header_row, raw = sheet_row, RawTable(file, table, [v or "" for v in values])
            continue
        if sheet_row - header_row > limits.max_rows:
            return None, [_too_many(file, limits, lang)]
        raw.rows.append((sheet_row - header_row, values))
    raw = raw or RawTable(file, table, [])
    raw.formula_cells = {(r - header_row, c) for r, c, _ in formulas if r > header_row}
    width = max([len(raw.header), *(len(values) for _, values in raw.rows)])
    raw.header += [""] * (width - len(raw.header))  # cells right of the header: a column with no name
    raw.rows = [(n, values + [None] * (width - len(values))) for n, values in raw.rows]
    if not formulas:
        return raw, []
    refs = [ref for _, _, ref in formulas]
    shown = ", ".join(refs[:MAX_LISTED]) + (f" (+{len(refs) - MAX_LISTED})" if len(refs) > MAX_LISTED else "")
    rows = tuple(sorted({r - header_row for r, _, _ in formulas if r > header_row}))
    return raw, [Problem(file, None, rows, Rule.FORMULA, t("ingest.formula.cells", lang, cells=shown))]


def cell_text(value: Any) -> Cell:
    """A cell value as stripped text: 2026 and 2026.0 become "2026", dates ISO, booleans "true"/"false"."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, str):
        return value.strip() or None
    return None
