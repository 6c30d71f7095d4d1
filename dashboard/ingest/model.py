"""The vocabulary of an ingest: limits, uploads, notices, mappings, the result, and the rule codes.

Every problem or notice an ingest reports carries one of the ``Rule`` codes, so that the web page, the logs and
the tests can tell problems apart without parsing messages.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Final

import pandas as pd

from dashboard.data.validate import MAX_LISTED, Problem
from dashboard.i18n import DEFAULT_LANGUAGE, t

MAX_NAME_CHARS: Final = 120  # a file name longer than this is shortened before it appears in a message
MAX_VALUE_CHARS: Final = 40  # a listed value longer than this is shortened


class Rule:
    """Rule codes of ingest problems and notices."""

    # before parsing
    TOO_LARGE: Final = "too_large"
    EMPTY_FILE: Final = "empty_file"
    NOT_XLSX: Final = "not_xlsx"
    MACRO_WORKBOOK: Final = "macro_workbook"
    UNSUPPORTED_TYPE: Final = "unsupported_type"
    ZIP_BOMB: Final = "zip_bomb"
    XML_ENTITIES: Final = "xml_entities"
    ENCODING: Final = "encoding"
    DELIMITER: Final = "delimiter"
    READ: Final = "read"
    # which table a file holds
    MISSING_TABLE: Final = "missing_table"
    DUPLICATE_TABLE: Final = "duplicate_table"
    MISSING_SHEET: Final = "missing_sheet"
    HIDDEN_SHEET: Final = "hidden_sheet"
    FORMULA: Final = "formula"
    # columns and rows
    NO_ROWS: Final = "no_rows"
    TOO_MANY_ROWS: Final = "too_many_rows"
    TOO_MANY_COLUMNS: Final = "too_many_columns"
    TOO_MANY_CELLS: Final = "too_many_cells"
    CELL_TOO_LONG: Final = "cell_too_long"
    RAGGED_ROW: Final = "ragged_row"
    MISSING_COLUMN: Final = "missing_column"
    DUPLICATE_COLUMN: Final = "duplicate_column"
    IDENTIFYING_VALUE: Final = "identifying_value"
    # values
    MISSING_VALUE: Final = "missing_value"
    UNKNOWN_CODE: Final = "unknown_code"
    WAVE: Final = "wave"
    WAVE_EXISTS: Final = "wave_exists"
    DUPLICATE_ID: Final = "duplicate_id"
    ID_EXISTS: Final = "id_exists"
    UNKNOWN_RESPONDENT: Final = "unknown_respondent"
    ENCOUNTER_WITHOUT_CONTACT: Final = "encounter_without_contact"
    DUPLICATE_KEY: Final = "duplicate_key"
    UNKNOWN_ORG: Final = "unknown_org"
    # notices (the upload goes on, the steward is told)
    IDENTIFYING_COLUMN_STRIPPED: Final = "identifying_column_stripped"
    UNEXPECTED_COLUMN_STRIPPED: Final = "unexpected_column_stripped"
    SHEET_IGNORED: Final = "sheet_ignored"
    TABLE_GUESSED: Final = "table_guessed"
    NO_ENCOUNTERS: Final = "no_encounters"


@dataclass(frozen=True)
class Limits:
    """Resource limits applied before and while a file is read."""

    max_bytes: int = 20 * 1024 * 1024
    max_uncompressed: int = 200 * 1024 * 1024
    max_ratio: int = 100
    max_rows: int = 2_000_000


@dataclass(frozen=True)
class Upload:
    """One uploaded file: its name as the browser sent it, its bytes, and optionally the table it holds."""

    name: str
    data: bytes
    table: str | None = None  # "respondents" or "encounters"; None: guessed from the file name or header


@dataclass(frozen=True)
class Notice(Problem):
    """Something the ingest changed that the steward must know (a column stripped, a sheet ignored): told where and
    why as a problem is (the same fields, ``as_dict`` and text), but it refuses nothing."""


@dataclass
class Mapping:
    """One distinct raw label seen in a code column and the vocabulary code it maps to (None: unmapped)."""

    column: str
    raw: str
    code: str | None
    rows: int


@dataclass
class IngestResult:
    """What an ingest found. ``tables`` holds the clean new rows, or None when there is any problem."""

    tables: dict[str, pd.DataFrame] | None
    problems: list[Problem] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    mappings: list[Mapping] = field(default_factory=list)
    wave: int | None = None
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.tables is not None and not self.problems


def rows_of(index: Iterable[Any]) -> tuple[int, ...]:
    """Sorted distinct row numbers (the frames of an ingest are indexed by data row, counted from 1)."""
    return tuple(sorted({int(i) for i in index}))


def listing(values: Iterable[Any], lang: str = DEFAULT_LANGUAGE) -> str:
    """Up to ``MAX_LISTED`` distinct values, quoted and shortened, for a message (never for identifying data),
    and how many more there are, in ``lang``."""
    vals = sorted({str(v) for v in values})
    shown = ", ".join(repr(short(v, MAX_VALUE_CHARS)) for v in vals[:MAX_LISTED])
    more = len(vals) - MAX_LISTED
    return shown + (" " + t("ingest.more", lang, count=more) if more > 0 else "")


def short(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters (with an ellipsis when cut)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def display_name(name: str) -> str:
    """The base name of an uploaded file, safe to show: no folders, no control characters, bounded length."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    clean = "".join(ch for ch in base if ch.isprintable()).strip()
    return short(clean or "upload", MAX_NAME_CHARS)
