"""Survey-tool exports (SPEC §5): SurveyMonkey, Qualtrics, KoboToolbox, LimeSurvey, Google and Microsoft Forms.

``read_export`` reads a file and tells its platform from its shape (``platforms``); an ``Instrument``
(``instrument``) maps its questions to fields and its option labels to codes; ``ingest_export`` reshapes it
(``reshape``) into the two tables of a wave and sends them through the same checks as a template upload
(``dashboard.ingest.ingest``). Platform metadata and free text are dropped before anything is kept, each column
named in a notice.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final

from dashboard.data.dataset import Dataset
from dashboard.data.schema import TABLE_BY_NAME, T
from dashboard.data.validate import Problem
from dashboard.data.vocab import Vocabularies
from dashboard.i18n import t
from dashboard.ingest.exports.grid import read_grid
from dashboard.ingest.exports.instrument import (
    FIELDS,
    MULTI,
    FieldMap,
    Instrument,
    InstrumentError,
    load_instrument,
)
from dashboard.ingest.exports.parsers import parse
from dashboard.ingest.exports.platforms import PLATFORMS, Export, detect
from dashboard.ingest.exports.reshape import ExportRule, Reshaped, column_label, new_id, reshape
from dashboard.ingest.exports.suggest import Suggestion, answer_counts, knows, suggest
from dashboard.ingest.identify import EMAIL_KIND, IP_KIND, PHONE_KIND, TOO_LONG_KIND, value_kind
from dashboard.ingest.mapping import LabelIndex, label_index
from dashboard.ingest.model import IngestResult, Limits, Upload, display_name
from dashboard.ingest.names import normalise
from dashboard.ingest.pipeline import ingest

TEMPLATE_COLUMNS: Final = frozenset(TABLE_BY_NAME[T.RESPONDENTS].column_names) | frozenset(
    TABLE_BY_NAME[T.ENCOUNTERS].column_names
)
MAX_SUMMARY_LABELS: Final = 200
DEFAULT_LIMITS: Final = Limits()

__all__ = [
    "FIELDS",
    "MULTI",
    "PLATFORMS",
    "Export",
    "ExportResult",
    "ExportRule",
    "FieldMap",
    "Instrument",
    "InstrumentError",
    "Suggestion",
    "ingest_export",
    "load_instrument",
    "looks_like_export",
    "read_export",
    "suggest",
    "summary",
]


@dataclass
class ExportResult:
    """The ingest of a reshaped export, and what the export gave (its platform, responses, rows, left out)."""

    result: IngestResult
    counts: dict[str, Any] = field(default_factory=dict)


def looks_like_export(uploads: list[Upload]) -> bool:
    """Whether the upload is one file that is not a template table (then it is read as a survey-tool export)."""
    if len(uploads) != 1:
        return False
    head = uploads[0].data[:8192]
    if head.startswith(b"PK"):
        return True  # a workbook: an export unless it has the template's sheets (decided once it is read)
    first = head.decode("utf-8", "ignore").lstrip("\ufeff").splitlines()[:1]
    names = {normalise(n) for n in (first[0].replace(";", ",").replace("\t", ",").split(",") if first else [])}
    return len(names & TEMPLATE_COLUMNS) < 2


def read_export(upload: Upload, limits: Limits, lang: str) -> tuple[Export | None, list[Problem]]:
    """The export in ``upload`` with its platform, or None and the problems (unreadable, unrecognised)."""
    file = display_name(upload.name)
    grid, problems = read_grid(upload.data, file, limits, lang)
    if grid is None:
        return None, problems
    platform = detect(grid)
    if platform is None:
        return None, [Problem(file, None, (), ExportRule.UNRECOGNISED, t("exports.unrecognised", lang))]
    export = parse(grid, platform)
    formula_columns = sorted({export.header[c] if c < len(export.header) else f"#{c + 1}" for _, c in grid.formulas})
    if formula_columns:
        return None, [
            Problem(file, column_label(h), (), "formula", t("ingest.formula.text", lang)) for h in formula_columns
        ]
    return export, []


def ingest_export(
    upload: Upload,
    instrument: Instrument,
    base: Dataset,
    vocab: Vocabularies,
    wave: int | None,
    limits: Limits = DEFAULT_LIMITS,
    lang: str = "en",
    make_id: Callable[[], str] = new_id,
) -> ExportResult:
    """Read, reshape and check one export as a new wave of ``base``; never raises on a bad file."""
    export, problems = read_export(upload, limits, lang)
    if export is None:
        return ExportResult(IngestResult(None, problems))
    shaped = reshape(export, instrument, label_index(vocab), wave, lang, make_id)
    counts = {
        "file": export.file,
        "platform": export.platform,
        "responses": shaped.responses,
        "incomplete": shaped.incomplete,
        "respondents": len(shaped.respondents),
        "encounters": len(shaped.encounters),
    }
    if shaped.problems:
        return ExportResult(IngestResult(None, shaped.problems, shaped.notices), counts)
    result = ingest(_tables_as_uploads(shaped, export.file), base, vocab, limits, lang)
    result.notices[:0] = shaped.notices
    return ExportResult(result, counts)


def _tables_as_uploads(shaped: Reshaped, file: str) -> list[Upload]:
    """The reshaped rows as the two CSV tables of a template upload (so that every check is the same)."""
    out = []
    for table, rows in ((T.RESPONDENTS, shaped.respondents), (T.ENCOUNTERS, shaped.encounters)):
        columns = [c.name for c in TABLE_BY_NAME[table].columns if c.name != "org_id"]
        text = io.StringIO()
        text.write(",".join(columns) + "\n")
        for row in rows:
            text.write(",".join(row.get(c) or "" for c in columns) + "\n")
        out.append(Upload(f"{file} ({table})", text.getvalue().encode("utf-8"), table))
    return out


IDENTIFYING_KINDS: Final = frozenset({EMAIL_KIND, PHONE_KIND, IP_KIND, TOO_LONG_KIND})


def _shown(labels: dict[str, int]) -> list[str]:
    """The answers the form may keep and show: never an e-mail address, phone number, IP address or overlong cell
    (the parsers drop such questions; this is the last guard before anything is written to the upload's folder).
    A long label stays: the vocabularies have some."""
    safe = (label for label in labels if value_kind(label, "code", mapped=False) not in IDENTIFYING_KINDS)
    return sorted(safe)[:MAX_SUMMARY_LABELS]


def summary(export: Export, vocab: Vocabularies, index: LabelIndex | None = None) -> dict[str, Any]:
    """What the mapping form shows (no free text, no metadata values): each question's key, text and answers."""
    index = index or label_index(vocab)
    questions = []
    for question in export.questions:
        whole = answer_counts(export, question, False, knows(index, "city"))
        parts = answer_counts(export, question, True, lambda label: any(index.code(v, label) for v in index.keys))
        questions.append(
            {
                "key": question.key,
                "text": question.text,
                "labels": _shown(whole),
                "parts": _shown(parts),
                "answered": sum(whole.values()),
            }
        )
    return {
        "file": export.file,
        "platform": export.platform,
        "responses": len(export.rows),
        "questions": questions,
        "dropped": [{"column": column_label(h), "rule": rule} for h, rule in export.dropped],
        "dates": sorted(export.dates),
    }
