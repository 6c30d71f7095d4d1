"""Hostile uploads (issue 14): files of a few kilobytes that claim far more than they hold, and cells built to make
patterns backtrack. Each function returns the list of ``Upload`` a browser would send; no real personal data.

Workbooks are written part by part (``sheet_workbook``) so that a test controls every cell coordinate and the
claimed dimension; openpyxl reads them like any other workbook.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable

from dashboard.ingest import Upload
from tests.ingest.builders import ENCOUNTER_HEADER, RESPONDENT_HEADER, csv_bytes, respondent_rows

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
XLSX_LAST_ROW = 1_048_576
XLSX_LAST_COLUMN = "XFD"
LONG_CELL = "a." * 30_000  # 60,000 characters: 40 s of backtracking per cell for the old e-mail pattern
PARTS = {
    "[Content_Types].xml": (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
    ),
    "_rels/.rels": (
        f'<Relationships xmlns="{PKG_REL_NS}"><Relationship Id="rId1" '
        f'Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        f'<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><sheets>'
        '<sheet name="respondents" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        f'<Relationships xmlns="{PKG_REL_NS}"><Relationship Id="rId1" '
        f'Type="{REL_NS}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
    ),
}


def _cell(ref: str, value: str | int) -> str:
    if isinstance(value, int):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


def sheet_workbook(rows: Iterable[tuple[int, list[tuple[str, str | int]]]], dimension: str = "A1") -> bytes:
    """A one-sheet workbook ("respondents") holding exactly ``rows``: (row number, [(column letters, value)])."""
    body = "".join(
        f'<row r="{number}">' + "".join(_cell(f"{col}{number}", value) for col, value in cells) + "</row>"
        for number, cells in rows
    )
    sheet = f'<worksheet xmlns="{MAIN_NS}"><dimension ref="{dimension}"/><sheetData>{body}</sheetData></worksheet>'
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in {**PARTS, "xl/worksheets/sheet1.xml": sheet}.items():
            archive.writestr(name, text)
    return out.getvalue()


def sparse_workbook(last_row: int = XLSX_LAST_ROW, far_column: str | None = XLSX_LAST_COLUMN) -> list[Upload]:
    """Cells at A1, XFD2 (``far_column``) and A``last_row`` only: a few KB claiming 16,384 × ``last_row`` cells."""
    rows: list[tuple[int, list[tuple[str, str | int]]]] = [(1, [("A", "respondent_id")])]
    if far_column:
        rows.append((2, [(far_column, 1)]))
    rows.append((last_row, [("A", "x")]))
    return [Upload("sparse.xlsx", sheet_workbook(rows, dimension=f"A1:XFD{XLSX_LAST_ROW}"))]


def wide_rows_workbook(rows: int, column: str = "IV") -> list[Upload]:
    """A header and ``rows`` rows each holding one cell in ``column`` (the 256th): within the column cap, but
    rows × columns past the cell budget."""
    body = [(1, [("A", "respondent_id")])] + [(n, [(column, 1)]) for n in range(2, rows + 2)]
    return [Upload("wide.xlsx", sheet_workbook(body))]


def long_id_cells() -> list[Upload]:
    """Six respondent ids of "a." × 30,000 in an otherwise valid CSV (360 KB)."""
    rows = respondent_rows(12)
    for row in rows[:6]:
        row[0] = LONG_CELL
    return [Upload("respondents.csv", csv_bytes(RESPONDENT_HEADER, rows))]


def long_city_cells() -> list[Upload]:
    """A city label of 60,000 characters with commas: what the province-suffix lookup would backtrack on."""
    rows = respondent_rows(12)
    city = RESPONDENT_HEADER.index("city")
    rows[0][city] = "a , " * 15_000
    return [Upload("respondents.csv", csv_bytes(RESPONDENT_HEADER, rows))]


def wide_csv_header(columns: int = 5_000) -> list[Upload]:
    header = [*RESPONDENT_HEADER, *(f"extra_{i}" for i in range(columns))]
    return [Upload("respondents.csv", csv_bytes(header, []))]


def blank_lines_csv(lines: int = 1_000_000) -> list[Upload]:
    """A valid table followed by a million empty records (",,,,"): nothing of them may be stored."""
    data = csv_bytes(RESPONDENT_HEADER, respondent_rows(12)) + b"," * (len(RESPONDENT_HEADER) - 1) + b"\n"
    return [
        Upload("respondents.csv", data + (b"," * (len(RESPONDENT_HEADER) - 1) + b"\n") * lines),
        Upload("encounters.csv", csv_bytes(ENCOUNTER_HEADER, [])),
    ]
