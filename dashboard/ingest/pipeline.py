"""``ingest``: uploaded files to the checked rows of one new survey wave, or every problem that stops it.

The steps, in order: each file's size and type (``files``), reading (``read``), which table each file holds,
columns (``columns``), identifying or formula-like cells (``identify``), labels to codes (``mapping``), values,
wave and ids (``check``), and last the whole dataset with the new wave through ``validate_dataset``
(``merge``). A problem in a step leaves ``tables`` None; nothing is written anywhere the app reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath

import pandas as pd

from dashboard.data.dataset import Dataset
from dashboard.data.schema import TABLE_BY_NAME, C, T
from dashboard.data.validate import Problem
from dashboard.data.vocab import Vocabularies
from dashboard.i18n import t
from dashboard.ingest import check, files, identify, merge
from dashboard.ingest.columns import formula_mask, resolve
from dashboard.ingest.mapping import LabelIndex, label_index, map_codes
from dashboard.ingest.model import IngestResult, Limits, Mapping, Notice, Rule, Upload, display_name
from dashboard.ingest.names import normalise
from dashboard.ingest.read import RawTable, decode, read_csv, read_xlsx

UPLOAD_TABLES = (T.RESPONDENTS, T.ENCOUNTERS)
DEFAULT_LIMITS = Limits()
ENCOUNTER_HINTS = ("encounter", "rencontre")
RESPONDENT_HINTS = ("respondent", "repondant")


@dataclass
class _Checked:
    """The checked, mapped frames by table, indexed by data row; the upload's wave."""

    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    wave: int | None = None


@dataclass
class _Report:
    """What the steps found so far."""

    lang: str
    problems: list[Problem] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    mappings: list[Mapping] = field(default_factory=list)


def ingest(
    uploads: Sequence[Upload], base: Dataset, vocab: Vocabularies, limits: Limits = DEFAULT_LIMITS, lang: str = "en"
) -> IngestResult:
    """Check ``uploads`` (one workbook, or one or two CSV files) as a new wave of ``base``; never raises on bad files.

    An ``Upload.table`` hint other than "respondents" or "encounters" is a programming error (ValueError).
    """
    for upload in uploads:
        if upload.table is not None and upload.table not in UPLOAD_TABLES:
            raise ValueError(f"Upload.table must be one of {UPLOAD_TABLES}, not {upload.table!r}")
    report = _Report(lang)
    raws: list[RawTable] = []
    unread = 0
    for upload in uploads:
        file = display_name(upload.name)
        try:
            tables = _read_upload(upload, file, limits, report)
        except MemoryError:  # not the file's fault: the job's memory limit, reported as such by its supervisor
            raise
        except Exception:  # any reader failure on a bad file becomes a named problem, never a traceback
            tables = None
            report.problems.append(Problem(file, None, (), Rule.READ, t("ingest.read.error", lang)))
        unread += tables is None
        raws.extend(tables or [])
    by_table = _assign(raws, uploads, unread == 0, report)
    checked = _check_tables(by_table, base, vocab, limits, report)
    frames = checked.frames
    result = IngestResult(
        None,
        report.problems,
        report.notices,
        report.mappings,
        checked.wave,
        {name: len(frame) for name, frame in frames.items()},
    )
    if report.problems or T.RESPONDENTS not in frames or checked.wave is None:
        if not report.problems:  # defensive: never answer "no tables" without saying why
            report.problems.append(Problem("upload", None, (), Rule.READ, t("ingest.read.error", lang)))
        return result
    if T.ENCOUNTERS not in frames:
        frames[T.ENCOUNTERS] = _empty(T.ENCOUNTERS)
        result.rows[T.ENCOUNTERS] = 0
        report.notices.append(
            Notice(by_table[T.RESPONDENTS].file, None, (), Rule.NO_ENCOUNTERS, t("ingest.no_encounters", lang))
        )
    row_numbers = {name: [int(i) for i in frame.index] for name, frame in frames.items()}
    merged = {name: frame.reset_index(drop=True) for name, frame in frames.items()}
    files_of = {name: raw.file for name, raw in by_table.items()}
    report.problems.extend(merge.verify(base, merged, checked.wave, vocab, files_of, row_numbers))
    if not report.problems:
        result.tables = merged
    return result


def _read_upload(upload: Upload, file: str, limits: Limits, report: _Report) -> list[RawTable] | None:
    """The raw tables of one file (None when it cannot be read at all)."""
    kind, problems = files.sniff(upload.data, file, limits, report.lang)
    report.problems.extend(problems)
    if kind is None or problems:
        return None
    if kind == files.XLSX:
        tables, problems, notices = read_xlsx(upload.data, file, limits, report.lang)
        report.problems.extend(problems)
        report.notices.extend(notices)
        return tables
    text, problems = decode(upload.data, file, report.lang)
    report.problems.extend(problems)
    if text is None:
        return None
    raw, problems = read_csv(text, file, None, limits, report.lang)
    report.problems.extend(problems)
    if raw is None:
        return None
    raw.table = _csv_table(upload, file, raw, report)
    return [raw]


def _csv_table(upload: Upload, file: str, raw: RawTable, report: _Report) -> str:
    """The table a CSV file holds: the caller's hint, else its name, else a guess from its header (noticed)."""
    if upload.table is not None:
        return upload.table
    stem = normalise(PurePosixPath(file).stem)
    if any(h in stem for h in ENCOUNTER_HINTS):
        return T.ENCOUNTERS
    if any(h in stem for h in RESPONDENT_HINTS):
        return T.RESPONDENTS
    names = {normalise(h) for h in raw.header}
    guess = T.ENCOUNTERS if names & {C.LABOUR_SITE, C.VICTIMISATION} else T.RESPONDENTS
    report.notices.append(
        Notice(file, None, (), Rule.TABLE_GUESSED, t("ingest.table_guessed", report.lang, table=guess))
    )
    return guess


def _assign(raws: list[RawTable], uploads: Sequence[Upload], all_read: bool, report: _Report) -> dict[str, RawTable]:
    """Each table's raw table; a table given twice, or no respondents, is a problem."""
    by_table: dict[str, RawTable] = {}
    for raw in raws:
        name = raw.table or T.RESPONDENTS
        if name in by_table:
            report.problems.append(
                Problem(
                    raw.file,
                    None,
                    (),
                    Rule.DUPLICATE_TABLE,
                    t("ingest.duplicate_table", report.lang, table=name, other=by_table[name].file),
                )
            )
            continue
        by_table[name] = raw
    if T.RESPONDENTS not in by_table and all_read:
        workbooks = [u.name for u in uploads if u.data.startswith(files.ZIP_MAGIC)]
        if workbooks:
            report.problems.append(
                Problem(
                    display_name(workbooks[0]),
                    None,
                    (),
                    Rule.MISSING_SHEET,
                    t("ingest.missing_sheet", report.lang, sheet=T.RESPONDENTS),
                )
            )
        else:
            report.problems.append(
                Problem(
                    f"{T.RESPONDENTS}.csv",
                    None,
                    (),
                    Rule.MISSING_TABLE,
                    t("ingest.missing_table", report.lang, table=T.RESPONDENTS),
                )
            )
    return by_table


def _check_tables(
    by_table: dict[str, RawTable], base: Dataset, vocab: Vocabularies, limits: Limits, report: _Report
) -> _Checked:
    """Every table's own checks, then the wave, the ids and the links between the tables."""
    index = label_index(vocab)
    out = _Checked()
    masks: dict[str, pd.DataFrame] = {}
    unmapped: set[str] = set()
    for name in UPLOAD_TABLES:
        raw = by_table.get(name)
        if raw is None:
            continue
        if not any(raw.header) and not raw.rows:
            if name == T.RESPONDENTS:
                report.problems.append(Problem(raw.file, None, (), Rule.NO_ROWS, t("ingest.no_rows", report.lang)))
            continue
        checked = _check_table(raw, name, index, vocab, limits, report)
        if checked is not None and not (name == T.ENCOUNTERS and checked[0].empty):
            out.frames[name], masks[name], unknown = checked
            unmapped |= unknown
    resp = out.frames.get(T.RESPONDENTS)
    if resp is not None:
        file, mask = by_table[T.RESPONDENTS].file, masks[T.RESPONDENTS]
        out.wave, problems = check.wave(resp, file, base, mask, report.lang)
        report.problems.extend(problems)
        report.problems.extend(check.respondent_ids(resp, file, base, mask, report.lang))
        report.problems.extend(check.org_ids(resp, file, base, mask, report.lang))
    enc = out.frames.get(T.ENCOUNTERS)
    if enc is not None:
        report.problems.extend(
            check.encounters(
                enc, by_table[T.ENCOUNTERS].file, resp, masks[T.ENCOUNTERS], report.lang, C.CONTACT not in unmapped
            )
        )
    return out


def _check_table(
    raw: RawTable, name: str, index: LabelIndex, vocab: Vocabularies, limits: Limits, report: _Report
) -> tuple[pd.DataFrame, pd.DataFrame, set[str]] | None:
    """One table's columns, identifying cells, codes and empty values: the mapped frame, its mask of refused
    cells and the columns with unmapped labels (None when its columns refuse it)."""
    spec = TABLE_BY_NAME[name]
    frame, problems, notices = resolve(raw, spec, report.lang)
    report.problems.extend(problems)
    report.notices.extend(notices)
    if frame is None:
        return None
    if frame.empty and name == T.RESPONDENTS:
        report.problems.append(Problem(raw.file, None, (), Rule.NO_ROWS, t("ingest.no_rows", report.lang)))
        return None
    if len(frame) > limits.max_rows:
        report.problems.append(
            Problem(
                raw.file, None, (), Rule.TOO_MANY_ROWS, t("ingest.too_many_rows", report.lang, limit=limits.max_rows)
            )
        )
        return None

    def maps(column: str, value: str) -> bool:
        vocabulary = next(c.vocabulary for c in spec.columns if c.name == column)
        return vocabulary is not None and index.code(vocabulary, value) is not None

    problems, mask = identify.screen(frame, spec, raw.file, maps, report.lang)
    report.problems.extend(problems)
    mask |= formula_mask(raw, frame)
    report.problems.extend(check.missing_values(frame, spec, raw.file, mask, report.lang))
    mapped, mappings, problems = map_codes(frame, spec, raw.file, index, mask, vocab, report.lang)
    report.mappings.extend(mappings)
    report.problems.extend(problems)
    unknown = {str(p.column) for p in problems if p.rule == Rule.UNKNOWN_CODE}
    return mapped, mask, unknown | {c for c in mask.columns if mask[c].any()}


def _empty(name: str) -> pd.DataFrame:
    spec = TABLE_BY_NAME[name]
    return pd.DataFrame({c.name: pd.array([], dtype="string") for c in spec.columns})
