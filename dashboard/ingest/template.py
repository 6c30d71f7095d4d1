"""What a data steward downloads to prepare a wave: a workbook template, CSV headers and the data dictionary.

The workbook has one sheet per uploaded table (its header row, frozen), the data dictionary, and every code
each column accepts with its English and French label and definition. Ingest reads the ``respondents`` and
``encounters`` sheets and ignores the others.
"""

from __future__ import annotations

import io
from typing import Any, Final

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from dashboard.data.schema import TABLE_BY_NAME, T
from dashboard.data.vocab import LANGS, Vocabularies
from dashboard.i18n import t
from dashboard.published import export as EX
from dashboard.published.export import neutralise_value

UPLOAD_TABLES: Final = (T.RESPONDENTS, T.ENCOUNTERS)
DICTIONARY_SHEET: Final = "dictionary"
CODES_SHEET: Final = "codes"
DICTIONARY_FIELDS: Final = (
    "table",
    "column",
    "required",
    "empty_allowed",
    "type",
    "vocabulary",
    "allowed_codes",
    "description",
)
CODES_FIELDS: Final = ("vocabulary", "code", "label_en", "label_fr", "definition_en", "definition_fr")
MAX_WIDTH: Final = 60


def data_dictionary(vocab: Vocabularies, lang: str = "en") -> list[dict[str, Any]]:
    """One row per column of the uploaded tables: whether it is required, may be empty, its type and codes."""
    rows: list[dict[str, Any]] = []
    for table in UPLOAD_TABLES:
        for col in TABLE_BY_NAME[table].columns:
            codes = vocab[col.vocabulary].codes if col.vocabulary else ()
            rows.append(
                {
                    "table": table,
                    "column": col.name,
                    "required": col.required,
                    "empty_allowed": col.nullable,
                    "type": t(f"ingest.type.{col.kind}", lang),
                    "vocabulary": col.vocabulary or "",
                    "allowed_codes": ", ".join(codes),
                    "description": t(f"ingest.column.{table}.{col.name}", lang),
                }
            )
    return rows


def template_csv(table: str) -> bytes:
    """The header line of ``table`` as UTF-8, written by the one CSV writer of every download
    (``published.export.to_csv``: a BOM, so that Excel opens it as UTF-8; CRLF line ends; formulas neutralised)."""
    if table not in UPLOAD_TABLES:
        raise ValueError(f"no upload template for table {table!r}")
    return EX.to_csv(pd.DataFrame(columns=list(TABLE_BY_NAME[table].column_names))).encode("utf-8")


# The workbook is not written by ``published.export.to_xlsx``: that writer gives one sheet of one published table,
# and the template is several sheets (the two upload tables, the dictionary, the codes) with a bold, frozen header
# row and column widths. Every header and cell goes through the same neutralising function instead
# (``published.export.neutralise_value``), so a heading or a label that starts like a formula never runs as one.
def _sheet(book: Workbook, title: str, header: list[str], rows: list[list[Any]]) -> None:
    sheet = book.create_sheet(title)
    sheet.append([neutralise_value(h) for h in header])
    for row in rows:
        sheet.append([neutralise_value(v) for v in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for i, name in enumerate(header, start=1):
        longest = max([len(str(name)), *(len(str(r[i - 1])) for r in rows)])
        sheet.column_dimensions[get_column_letter(i)].width = min(MAX_WIDTH, longest + 2)


def template_xlsx(vocab: Vocabularies, lang: str = "en") -> bytes:
    """An .xlsx template: empty ``respondents`` and ``encounters`` sheets, the dictionary and the codes."""
    book = Workbook()
    if book.active is not None:  # a new workbook has one empty sheet
        book.remove(book.active)
    for table in UPLOAD_TABLES:
        _sheet(book, table, list(TABLE_BY_NAME[table].column_names), [])
    yes, no = t("ingest.dict.yes", lang), t("ingest.dict.no", lang)
    dictionary = [
        [yes if v is True else no if v is False else v for v in (row[f] for f in DICTIONARY_FIELDS)]
        for row in data_dictionary(vocab, lang)
    ]
    _sheet(book, DICTIONARY_SHEET, [t(f"ingest.dict.{f}", lang) for f in DICTIONARY_FIELDS], dictionary)
    codes: list[list[Any]] = []
    used = dict.fromkeys(c.vocabulary for table in UPLOAD_TABLES for c in TABLE_BY_NAME[table].columns if c.vocabulary)
    for name in used:
        for term in vocab[str(name)].terms:
            codes.append([name, term.code, *(term.label(x) for x in LANGS), *(term.definition(x) for x in LANGS)])
    _sheet(book, CODES_SHEET, [t(f"ingest.codes.{f}", lang) for f in CODES_FIELDS], codes)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
