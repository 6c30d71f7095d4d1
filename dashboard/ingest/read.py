"""Checked files to raw tables: a header and rows of stripped text cells (None for an empty cell).

CSV must be UTF-8 (a BOM is fine) and comma-separated; a workbook is read with openpyxl in read-only mode,
formulas are reported (never evaluated, never kept) and hidden sheets refuse the workbook. Rows are numbered
from 1, the first row after the header.

What is read is bounded by the file's content, never by the coordinates it claims: a workbook's cells are taken
as parsed (no row padded to the sheet's width, no missing row made up), empty rows are not stored, a cell beyond
column ``MAX_COLUMNS`` refuses the sheet at once and rows × columns may not pass ``MAX_CELLS``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Final

import openpyxl
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._reader import WorkSheetParser

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
MAX_COLUMNS: Final = 256  # the widest template is about 30 columns; a sheet may be much wider, not 16,384
MAX_CELLS: Final = 10_000_000  # rows x columns kept: 5 MB of CSV holds about 2,400,000
MAX_HEADER_CHARS: Final = 256  # a longer column name is a data cell in the header row

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
        refused = _header_problem(header, file, lang)
        if refused:
            return None, [refused]
        raw = RawTable(file, table, header)
        ragged: list[int] = []
        for number, record in enumerate(reader, start=1):
            if number > limits.max_rows:
                return None, [_too_many(file, limits, lang)]
            if len(record) > len(header) and any(c.strip() for c in record[len(header) :]):
                ragged.append(number)
            cells = [c.strip() or None for c in record[: len(header)]]
            if not any(cells):
                continue  # an empty line is not stored (a million of them must cost nothing)
            if (len(raw.rows) + 1) * len(header) > MAX_CELLS:
                return None, [_too_many_cells(file, len(raw.rows) + 1, len(header), lang)]
            raw.rows.append((number, cells + [None] * (len(header) - len(cells))))
    except csv.Error:
        return None, [Problem(file, None, (), Rule.READ, t("ingest.read.csv", lang, line=reader.line_num))]
    if ragged:  # the cells of these rows are shifted: checking their values would only add noise
        return None, [Problem(file, None, tuple(ragged), Rule.RAGGED_ROW, t("ingest.ragged_row", lang))]
    return raw, []


def _header_problem(header: list[str], file: str, lang: str) -> Problem | None:
    """A CSV header too wide, with a name too long to be one, or in another delimiter; None if it can be read."""
    if len(header) > MAX_COLUMNS:
        text = t("ingest.too_many_columns.csv", lang, count=len(header), limit=MAX_COLUMNS)
        return Problem(file, None, (), Rule.TOO_MANY_COLUMNS, text)
    if any(len(h) > MAX_HEADER_CHARS for h in header):
        return Problem(file, None, (), Rule.CELL_TOO_LONG, t("ingest.header_too_long", lang, limit=MAX_HEADER_CHARS))
    delimiter = _other_delimiter(header)
    if delimiter:
        return Problem(file, None, (), Rule.DELIMITER, t("ingest.delimiter", lang, delimiter=delimiter))
    return None


def _too_many_cells(file: str, rows: int, columns: int, lang: str) -> Problem:
    text = t("ingest.too_many_cells", lang, limit=f"{MAX_CELLS:,}", rows=f"{rows:,}", columns=columns)
    return Problem(file, None, (), Rule.TOO_MANY_CELLS, text)


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
        states = [(s.title, s.sheet_state) for s in book.worksheets] + [
            (s.title, s.sheet_state) for s in book.chartsheets
        ]
        for title, state in states:
            if state != "visible":
                problems.append(
                    Problem(name, None, (), Rule.HIDDEN_SHEET, t("ingest.hidden_sheet", lang, sheet=title[:40]))
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


def sheet_rows(sheet: Any) -> Iterator[tuple[int, list[dict[str, Any]]]]:
    """A read-only worksheet's rows as parsed: (sheet row number, its cells), only rows the file holds.

    openpyxl's own ``iter_rows`` pads every row to the widest cell and makes up every missing row, so three cells
    at A1, XFD2 and A1048576 would become a million rows of 16,384 cells; its parser does neither. Each cell is a
    dict with ``column`` (from 1), ``value`` and ``data_type`` ("f" for a formula).
    """
    book = sheet.parent
    with sheet._get_source() as source:
        parser = WorkSheetParser(
            source,
            sheet._shared_strings,
            data_only=book.data_only,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        yield from parser.parse()


@dataclass
class _Sheet:
    """A worksheet as it is read: the raw table once the header is found, the formula cells, the width so far."""

    raw: RawTable | None = None
    header_row: int = 0
    width: int = 0
    last_row: int = 0
    formulas: list[tuple[int, int, str]] = field(default_factory=list)


def _row_values(cells: list[dict[str, Any]], sheet_row: int, state: _Sheet) -> list[Cell]:
    """A parsed row as text cells up to its last non-empty one (formulas noted and read as None)."""
    present: dict[int, Cell] = {}
    for cell in cells:
        position = int(cell["column"]) - 1
        if cell["data_type"] == "f":
            state.formulas.append((sheet_row, position, f"{get_column_letter(position + 1)}{sheet_row}"))
            present[position] = None  # a formula is never kept, even as text
        elif (text := cell_text(cell["value"])) is not None:
            present[position] = text
    last = max((p for p, v in present.items() if v is not None), default=-1)
    return [present.get(p) for p in range(last + 1)]


def _read_sheet(sheet: Any, file: str, table: str, limits: Limits, lang: str) -> tuple[RawTable | None, list[Problem]]:
    """One worksheet as a raw table; the first non-empty row is the header. Formula cells are problems."""
    state = _Sheet()
    for sheet_row, cells in sheet_rows(sheet):
        beyond = next((c for c in cells if int(c["column"]) > MAX_COLUMNS), None)
        if beyond is not None:
            cell = f"{get_column_letter(int(beyond['column']))}{sheet_row}"
            limit_letter = get_column_letter(MAX_COLUMNS)
            text = t("ingest.too_many_columns", lang, cell=cell, limit=MAX_COLUMNS, limit_letter=limit_letter)
            return None, [Problem(file, None, (), Rule.TOO_MANY_COLUMNS, text)]
        if sheet_row <= state.last_row:  # rows out of order or repeated: no spreadsheet writes that
            return None, [Problem(file, None, (), Rule.READ, t("ingest.read.error", lang))]
        state.last_row = sheet_row
        values = _row_values(cells, sheet_row, state)
        if not values:
            continue  # an empty row is not stored
        if state.raw is None:
            if any(len(v or "") > MAX_HEADER_CHARS for v in values):
                return None, [
                    Problem(
                        file, None, (), Rule.CELL_TOO_LONG, t("ingest.header_too_long", lang, limit=MAX_HEADER_CHARS)
                    )
                ]
            state.header_row, state.raw = sheet_row, RawTable(file, table, [v or "" for v in values])
            state.width = len(values)
            continue
        if sheet_row - state.header_row > limits.max_rows:
            return None, [_too_many(file, limits, lang)]
        state.width = max(state.width, len(values))
        if (len(state.raw.rows) + 1) * state.width > MAX_CELLS:
            return None, [_too_many_cells(file, len(state.raw.rows) + 1, state.width, lang)]
        state.raw.rows.append((sheet_row - state.header_row, values))
    return _finish(state, file, table, lang)


def _finish(state: _Sheet, file: str, table: str, lang: str) -> tuple[RawTable, list[Problem]]:
    """Every row padded to the widest (at most ``MAX_COLUMNS``), and the formula cells as one problem."""
    raw = state.raw or RawTable(file, table, [])
    header_row, width = state.header_row, max(state.width, len(raw.header))
    raw.formula_cells = {(r - header_row, c) for r, c, _ in state.formulas if r > header_row}
    raw.header += [""] * (width - len(raw.header))  # cells right of the header: a column with no name
    raw.rows = [(n, values + [None] * (width - len(values))) for n, values in raw.rows]
    if not state.formulas:
        return raw, []
    refs = [ref for _, _, ref in state.formulas]
    shown = ", ".join(refs[:MAX_LISTED]) + (f" (+{len(refs) - MAX_LISTED})" if len(refs) > MAX_LISTED else "")
    rows = tuple(sorted({r - header_row for r, _, _ in state.formulas if r > header_row}))
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
