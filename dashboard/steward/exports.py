"""Survey-tool exports on the steward's path: saved instrument mappings, and the check of an uploaded export.

Mappings live in ``uploads/instruments/NAME.yaml`` (mode 0600), one per survey. The check (in the separate
``steward-check`` process, never the web process) reads the export, picks the mapping named by the form or the
saved one whose questions are all in the export, and either checks the reshaped wave (then the upload goes on
as any other) or stops at the ``mapping`` state: the export's questions and labels (no free text, no
metadata values) and a suggested mapping are kept for the form, and the uploaded file waits in ``incoming/``.
"""

from __future__ import annotations

import io
import json
import os
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import openpyxl

from dashboard.config import Config
from dashboard.data.dataset import Dataset
from dashboard.data.vocab import Vocabularies
from dashboard.ingest import files
from dashboard.ingest.exports import (
    ExportRule,
    Instrument,
    InstrumentError,
    ingest_export,
    load_instrument,
    read_export,
    suggest,
    summary,
)
from dashboard.ingest.exports.reshape import resolve
from dashboard.ingest.mapping import label_index
from dashboard.ingest.model import Limits, Upload
from dashboard.ingest.names import normalise
from dashboard.steward import history as H
from dashboard.steward import uploads as U

INSTRUMENTS: Final = "instruments"
MAPPING: Final = "mapping"  # the upload's state while it waits for its mapping
TEMPLATE_SHEETS: Final = frozenset({"respondents", "encounters"})
# Problems the steward fixes in the mapping form (the file itself is fine).
MAPPING_RULES: Final = frozenset(
    {
        ExportRule.QUESTION_MISSING,
        ExportRule.AMBIGUOUS,
        ExportRule.NOT_KEPT,
        ExportRule.UNMAPPED_OPTION,
        ExportRule.PLATFORM,
        ExportRule.WAVE,
        ExportRule.INSTRUMENT,
    }
)


def instruments_dir(config: Config) -> Path:
    return config.upload_dir / INSTRUMENTS


def save_instrument(config: Config, instrument: Instrument) -> Path:
    folder = instruments_dir(config)
    folder.mkdir(parents=True, mode=0o700, exist_ok=True)
    path = folder / f"{instrument.name}.yaml"
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(instrument.to_yaml(), encoding="utf-8")
    tmp.chmod(0o600)
    os.replace(tmp, path)
    return path


def saved_instruments(config: Config, vocab: Vocabularies) -> list[Instrument]:
    """Every saved mapping that still loads (a hand-edited one that does not is skipped, not fatal)."""
    folder = instruments_dir(config)
    out = []
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        try:
            out.append(load_instrument(path.read_bytes(), path.name, vocab))
        except (InstrumentError, OSError):
            continue
    return out


def load_saved(config: Config, name: str, vocab: Vocabularies) -> Instrument:
    path = instruments_dir(config) / f"{name}.yaml"
    if not name or "/" in name or not path.is_file():
        raise InstrumentError([])
    return load_instrument(path.read_bytes(), path.name, vocab)


def is_export(uploads: list[Upload], limits: Limits) -> bool:
    """One file that is not a template upload: a CSV whose header is not the template's, or a (safe) workbook
    without a respondents sheet."""
    if len(uploads) != 1:
        return False
    upload = uploads[0]
    kind, problems = files.sniff(upload.data, upload.name, limits, "en")
    if kind is None or problems:
        return False  # refused by the usual checks, which say why
    if kind == files.XLSX:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                book = openpyxl.load_workbook(io.BytesIO(upload.data), read_only=True, keep_links=False)
            except Exception:  # damaged: the usual checks name it
                return False
        names = {normalise(n) for n in book.sheetnames}
        book.close()
        return not names & TEMPLATE_SHEETS
    from dashboard.ingest.exports import looks_like_export

    return looks_like_export(uploads)


def _matching(export: Any, saved: list[Instrument]) -> tuple[Instrument | None, bool]:
    """The saved mapping for this export: one whose questions are all in it (True), else the one of its platform
    naming most of them (False: the steward reviews it), else None."""
    keys = {q.key for q in export.questions}
    best, best_share = None, 0.0
    for instrument in saved:
        if instrument.platform not in (None, export.platform) or not instrument.fields:
            continue
        share = sum(m.question in keys for m in instrument.fields.values()) / len(instrument.fields)
        if share == 1.0:
            return instrument, True
        if share > best_share:
            best, best_share = instrument, share
    return best, False


@dataclass(frozen=True)
class CheckRequest:
    """Which staged upload to check and how the steward asked: the language of its report, the wave given (None:
    from the export's form) and the saved instrument named (None: the saved one that matches, if any)."""

    config: Config
    upload_id: str
    lang: str
    wave: int | None = None
    instrument_name: str | None = None


def check_export(
    request: CheckRequest, upload: Upload, base: Dataset, vocab: Vocabularies, limits: Limits
) -> tuple[bool | None, Any]:
    """Check an uploaded export: (True, result) checked, (False, result) refused, (None, None) waiting for its
    mapping (state ``mapping``)."""
    config, upload_id, lang, wave = request.config, request.upload_id, request.lang, request.wave
    export, problems = read_export(upload, limits, lang)
    if export is None:
        from dashboard.ingest.model import IngestResult

        result = IngestResult(None, problems)
        U.check(config, upload_id, U.report_of(result), None)
        return False, result
    index = label_index(vocab)
    shown = summary(export, vocab, index)
    chosen, complete = (None, False)
    if request.instrument_name:
        try:
            chosen, complete = load_saved(config, request.instrument_name, vocab), True
        except InstrumentError:
            chosen = None
    if chosen is None:
        chosen, complete = _matching(export, saved_instruments(config, vocab))
    if chosen is None or not complete or (wave is None and chosen.wave_from == "form"):
        _wait_for_mapping(request, export, shown, chosen, index)
        return None, None
    outcome = ingest_export(upload, chosen, base, vocab, wave, limits, lang)
    result = outcome.result
    if any(p.rule in MAPPING_RULES for p in result.problems):
        _wait_for_mapping(request, export, shown, chosen, index, result.problems)
        return None, None
    report = U.report_of(result) | {"export": outcome.counts, "instrument": chosen.name}
    U.check(config, upload_id, report, result.tables if result.ok else None)
    return result.ok, result


def _wait_for_mapping(
    request: CheckRequest,
    export: Any,
    shown: dict[str, Any],
    chosen: Instrument | None,
    index: Any,
    problems: list[Any] | None = None,
) -> None:
    config, upload_id = request.config, request.upload_id
    proposal = suggest(export, index, _default_name(export.file))
    instrument = chosen or proposal.instrument
    if chosen is not None and problems is None:
        _, problems = resolve(export, chosen, index, request.lang)
    meta = U.upload_meta(config, upload_id)
    meta.update(
        {
            "export": shown,
            "instrument": instrument.as_dict(),
            "ambiguous": proposal.ambiguous if chosen is None else {},
            "wave_given": request.wave,
            "mapping_problems": [p.as_dict() | {"text": str(p)} for p in problems or []],
        }
    )
    folder = U.staged_dir(config, upload_id)
    tmp = folder / f".{U.META}.{os.getpid()}.tmp"
    tmp.write_text(json.dumps(meta, indent=2, default=str) + "\n", encoding="utf-8")
    os.replace(tmp, folder / U.META)
    U.set_status(config, upload_id, state=MAPPING, at=H.now_iso())


def _default_name(file: str) -> str:
    stem = normalise(Path(file).stem).replace("_", "-")[:40].strip("-")
    return stem or "survey"
