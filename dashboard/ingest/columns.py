"""A raw table's header matched to the schema: known columns kept, everything else stripped with a notice.

Column names match when they are equal after normalisation ("Respondent ID" is ``respondent_id``). A column
that suggests identifying data, or that the data model does not know, is stripped: its values never leave
this module. A schema column given twice, or a required one missing, refuses the table.
"""

from __future__ import annotations

from collections import defaultdict

import pandas as pd
from openpyxl.utils import get_column_letter

from dashboard.data.schema import TableSpec
from dashboard.data.validate import Problem
from dashboard.i18n import t
from dashboard.ingest.identify import is_identifying_name, value_kind
from dashboard.ingest.model import Notice, Rule, listing, short
from dashboard.ingest.names import normalise
from dashboard.ingest.read import RawTable

MAX_HEADER_CHARS = 40


def _header_label(raw: RawTable, position: int) -> str:
    """A column's header as shown to the steward, or its position ("#3 (C)") when it has none or when it looks
    like identifying data itself (a file without a header row has a data row in its place)."""
    header = raw.header[position]
    if header and value_kind(header, "code", mapped=False) is None:
        return short(header, MAX_HEADER_CHARS)
    return f"#{position + 1} ({get_column_letter(position + 1)})"


def _has_values(raw: RawTable, position: int) -> bool:
    return any(cells[position] is not None for _, cells in raw.rows)


def resolve(raw: RawTable, spec: TableSpec, lang: str) -> tuple[pd.DataFrame | None, list[Problem], list[Notice]]:
    """The table's schema columns as a string frame indexed by data row (None when a column problem refuses it)."""
    problems: list[Problem] = []
    notices: list[Notice] = []
    positions: dict[str, list[int]] = defaultdict(list)
    for i, header in enumerate(raw.header):
        name = normalise(header)
        if name in spec.column_names:
            positions[name].append(i)
        elif name or _has_values(raw, i):  # an unnamed, empty column is dropped silently
            rule = (
                Rule.IDENTIFYING_COLUMN_STRIPPED
                if name and is_identifying_name(name)
                else Rule.UNEXPECTED_COLUMN_STRIPPED
            )
            notices.append(Notice(raw.file, _header_label(raw, i), (), rule, t(f"ingest.{rule}", lang)))
    for name, where in positions.items():
        if len(where) > 1:
            headers = listing((raw.header[i] for i in where), lang)
            problems.append(
                Problem(
                    raw.file,
                    name,
                    (),
                    Rule.DUPLICATE_COLUMN,
                    t("ingest.duplicate_column", lang, headers=headers, count=len(where)),
                )
            )
    for col in spec.columns:
        if col.required and col.name not in positions:
            problems.append(
                Problem(raw.file, col.name, (), Rule.MISSING_COLUMN, t("ingest.missing_column", lang, table=spec.name))
            )
    if problems:
        return None, problems, notices
    index = pd.Index([n for n, _ in raw.rows], dtype="int64")
    data = {
        c.name: pd.array(
            [cells[positions[c.name][0]] for _, cells in raw.rows] if c.name in positions else [None] * len(raw.rows),
            dtype="string",
        )
        for c in spec.columns
    }
    frame = pd.DataFrame(data, index=index)
    return frame[frame.notna().any(axis=1)], problems, notices


def formula_mask(raw: RawTable, frame: pd.DataFrame) -> pd.DataFrame:
    """The kept cells that held a formula (reported already, so later checks leave them out)."""
    mask = pd.DataFrame(False, index=frame.index, columns=frame.columns)
    for row, position in raw.formula_cells:
        name = normalise(raw.header[position]) if position < len(raw.header) else ""
        if name in mask.columns and row in mask.index:
            mask.loc[row, name] = True
    return mask
