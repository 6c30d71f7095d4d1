"""An export file as a grid of text cells: every row as written, header rows included (platforms differ there).

CSV: UTF-8 (with or without a BOM) or UTF-16 with a BOM (Excel's "Unicode text"); the delimiter is the one of
comma, semicolon and tab that the first line uses most (KoboToolbox writes ";" by default, per the
KoboconnectR documentation of its ``fsep`` export option). A workbook: its first visible worksheet, read by
openpyxl in read-only mode after ``files.sniff`` checked the container; formulas are never evaluated or kept.
"""

from __future__ import annotations

import csv
import io
import warnings
from dataclasses import dataclass, field
from typing import Any, Final

import openpyxl

from dashboard.data.validate import Problem
from dashboard.i18n import t
from dashboard.ingest import files
from dashboard.ingest.model import Limits, Rule
from dashboard.ingest.read import MAX_CELLS, Cell, cell_text, decode, sheet_rows

DELIMITERS: Final = (",", ";", "\t")
UTF16_BOMS: Final = {b"\xff\xfe": "utf-16-le", b"\xfe\xff": "utf-16-be"}
MAX_COLUMNS: Final = 2000  # no survey export is wider; a forged sheet must not make every row this long
HEADER_ROWS_MAX: Final = 3


@dataclass
class Grid:
    """The cells of one export file, row by row (rows padded to one width), and its formula cells."""

    file: str
    rows: list[list[Cell]]
    formulas: set[tuple[int, int]] = field(default_factory=set)  # (row, column) positions, read as None

    @property
    def width(self) -> int:
        return len(self.rows[0]) if self.rows else 0


def read_grid(data: bytes, file: str, limits: Limits, lang: str) -> tuple[Grid | None, list[Problem]]:
    """The grid of an export file, or None and the problems that refuse it (size, type, encoding, reading)."""
    kind, problems = files.sniff(data, file, limits, lang)
    if kind is None or problems:
        return None, problems
    try:
        if kind == files.XLSX:
            return _read_book(data, file, limits, lang)
        return _read_text(data, file, limits, lang)
    except Exception:  # a reader failure on a hostile file is a named problem, never a traceback
        return None, [Problem(file, None, (), Rule.READ, t("ingest.read.error", lang))]


def _text_of(data: bytes, file: str, lang: str) -> tuple[str | None, list[Problem]]:
    for bom, encoding in UTF16_BOMS.items():
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding), []
            except UnicodeDecodeError:
                return None, [Problem(file, None, (), Rule.ENCODING, t("ingest.encoding.utf16", lang))]
    return decode(data, file, lang)


def _read_text(data: bytes, file: str, limits: Limits, lang: str) -> tuple[Grid | None, list[Problem]]:
    text, problems = _text_of(data, file, lang)
    if text is None:
        return None, problems
    first = text.split("\n", 1)[0]
    delimiter = max(DELIMITERS, key=first.count)
    rows: list[list[Cell]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for number, record in enumerate(reader):
            if number > limits.max_rows + HEADER_ROWS_MAX:
                return None, [_too_many(file, limits, lang)]
            rows.append([c.strip() or None for c in record[:MAX_COLUMNS]])
    except csv.Error:
        return None, [Problem(file, None, (), Rule.READ, t("ingest.read.csv", lang, line=reader.line_num))]
    return _grid(file, rows, set(), lang)


def _read_book(data: bytes, file: str, limits: Limits, lang: str) -> tuple[Grid | None, list[Problem]]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    try:
        sheets = [s for s in book.worksheets if s.sheet_state == "visible"]
        if not sheets:
            return None, [Problem(file, None, (), Rule.EMPTY_FILE, t("ingest.empty_file", lang))]
        rows: list[list[Cell]] = []
        formulas: set[tuple[int, int]] = set()
        width = 0
        for _, cells in sheet_rows(sheets[0]):  # only the cells the file holds (read.py: no forged padding)
            row = _row(cells, len(rows), formulas)
            if row is None:
                text = t("exports.too_wide", lang, limit=MAX_COLUMNS)
                return None, [Problem(file, None, (), Rule.TOO_MANY_COLUMNS, text)]
            if not any(row):
                continue
            width = max(width, len(row))
            if len(rows) > limits.max_rows + HEADER_ROWS_MAX or (len(rows) + 1) * width > MAX_CELLS:
                return None, [_too_many(file, limits, lang)]
            rows.append(row)
    finally:
        book.close()
    return _grid(file, rows, formulas, lang)


def _row(cells: list[dict[str, Any]], number: int, formulas: set[tuple[int, int]]) -> list[Cell] | None:
    """One parsed row as text cells by position (None when a cell lies beyond ``MAX_COLUMNS``)."""
    present: dict[int, Cell] = {}
    for cell in cells:
        position = int(cell["column"]) - 1
        if position >= MAX_COLUMNS:
            return None
        if cell["data_type"] == "f":
            formulas.add((number, position))  # never evaluated, never kept
            present[position] = None
        else:
            present[position] = cell_text(cell["value"])
    last = max((p for p, v in present.items() if v is not None), default=-1)
    return [present.get(p) for p in range(last + 1)]


def _grid(
    file: str, rows: list[list[Cell]], formulas: set[tuple[int, int]], lang: str
) -> tuple[Grid | None, list[Problem]]:
    while rows and not any(rows[-1]):
        rows.pop()
    top = next((i for i, r in enumerate(rows) if any(r)), len(rows))  # blank lines above the header
    rows = rows[top:]
    formulas = {(r - top, c) for r, c in formulas if r >= top}
    if not rows:
        return None, [Problem(file, None, (), Rule.EMPTY_FILE, t("ingest.empty_file", lang))]
    width = max(len(r) for r in rows)
    while width and not any(len(r) >= width and r[width - 1] for r in rows):
        width -= 1  # empty columns at the right
    return Grid(file, [(r + [None] * width)[:width] for r in rows], formulas), []


def _too_many(file: str, limits: Limits, lang: str) -> Problem:
    return Problem(file, None, (), Rule.TOO_MANY_ROWS, t("ingest.too_many_rows", lang, limit=limits.max_rows))
