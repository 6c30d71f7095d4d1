"""An export and its instrument mapping to the two tables of a wave (SPEC §3), or the problems that stop it.

The rule, per response:
- left out as incomplete when the platform marks it unfinished (Qualtrics ``Finished`` false or a preview or
  spam ``Status``, ``Progress`` under 100 without a ``Finished`` column; LimeSurvey without ``submitdate``),
  or when it leaves city, sector or role unanswered; the notice says how many and which column said so;
- one respondent row, with a new opaque id (never the platform's id, e-mail or response id);
- when it reports contact ("yes"): one encounter per labour site × type of victimisation ticked; a site with no
  type ticked pairs with ``not_specified`` (and the other way round); its victim status goes on each row.
  Sites and types ticked without contact make no encounter (counted in a notice).
Only codes are written: no cell of the export is kept as it was.
"""

from __future__ import annotations

import difflib
import re
import secrets
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final

from dashboard.data.schema import C
from dashboard.data.validate import Problem
from dashboard.i18n import t
from dashboard.ingest.exports.instrument import INSTRUMENT_RULE, MULTI, REQUIRED, VOCABULARY, WAVE_COLUMN, Instrument
from dashboard.ingest.exports.platforms import Export, Question
from dashboard.ingest.exports.suggest import answer_counts
from dashboard.ingest.identify import value_kind
from dashboard.ingest.mapping import LabelIndex
from dashboard.ingest.model import Notice, listing
from dashboard.ingest.names import fold, label_key

NOT_SPECIFIED: Final = "not_specified"
YES: Final = "yes"
YEAR: Final = re.compile(r"(?<!\d)(19|20)\d{2}(?!\d)")
ID_PREFIX: Final = "S"
HIDDEN_LABEL: Final = "…"  # an answer that looks like identifying data is never echoed


class ExportRule:
    """Rule codes of the problems and notices about an export and its mapping."""

    UNRECOGNISED: Final = "unrecognised_export"
    INSTRUMENT: Final = INSTRUMENT_RULE
    QUESTION_MISSING: Final = "question_missing"
    AMBIGUOUS: Final = "question_ambiguous"
    NOT_KEPT: Final = "question_not_kept"
    UNMAPPED_OPTION: Final = "unmapped_option"
    PLATFORM: Final = "platform_mismatch"
    WAVE: Final = "export_wave"
    NO_RESPONSES: Final = "no_responses"
    UNUSED: Final = "question_not_mapped"
    INCOMPLETE: Final = "incomplete_left_out"
    WITHOUT_CONTACT: Final = "answers_without_contact"


def new_id() -> str:
    return ID_PREFIX + secrets.token_hex(6)


@dataclass
class Reshaped:
    """The wave's rows (codes only), what happened to the export's columns and responses, and the problems."""

    respondents: list[dict[str, str | None]] = field(default_factory=list)
    encounters: list[dict[str, str | None]] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    responses: int = 0
    incomplete: int = 0


@dataclass
class _Resolved:
    questions: dict[str, Question]
    code: dict[str, Coder]


def column_label(header: str) -> str:
    """A column's header as a notice shows it (never a value that looks identifying)."""
    header = " ".join(header.split())
    if not header or value_kind(header, "code", mapped=False) in ("email", "phone"):
        return HIDDEN_LABEL
    return header if len(header) <= 80 else header[:79] + "…"


def resolve(export: Export, instrument: Instrument, index: LabelIndex, lang: str) -> tuple[_Resolved, list[Problem]]:
    """Each mapped field's question in this export and its label-to-code function, or the problems."""
    problems: list[Problem] = []
    file = export.file

    def problem(column: str, rule: str, key: str, **values: object) -> None:
        problems.append(Problem(file, column_label(column), (), rule, t(key, lang, **values)))

    if instrument.platform and instrument.platform != export.platform:
        problem(
            instrument.name,
            ExportRule.PLATFORM,
            "exports.platform_mismatch",
            want=instrument.platform,
            got=export.platform,
        )
    resolved = _Resolved({}, {})
    for name in REQUIRED:
        if name not in instrument.fields:
            problem(name, ExportRule.INSTRUMENT, "exports.instrument.required", field=name)
    dropped = {h: rule for h, rule in export.dropped}
    for name, mapping in instrument.fields.items():
        matches = [q for q in export.questions if q.key == mapping.question] or [
            q for q in export.questions if fold(q.text).strip() == fold(mapping.question).strip()
        ]
        if len(matches) > 1:
            problem(mapping.question, ExportRule.AMBIGUOUS, "exports.ambiguous", field=name, count=len(matches))
            continue
        if not matches:
            if mapping.question in dropped:
                problem(
                    mapping.question, ExportRule.NOT_KEPT, f"exports.not_kept.{dropped[mapping.question]}", field=name
                )
                continue
            keys = [q.key for q in export.questions]
            close = difflib.get_close_matches(mapping.question, keys, n=1, cutoff=0.5)
            hint = t("exports.missing.closest", lang, question=close[0][:80]) if close else ""
            problem(mapping.question, ExportRule.QUESTION_MISSING, "exports.missing", field=name, hint=hint)
            continue
        question = matches[0]
        resolved.questions[name] = question
        resolved.code[name] = _coder(name, mapping.options, index)
        _unmapped(export, question, name, resolved.code[name], index, problem)
    column = instrument.wave_column
    if instrument.wave_from == WAVE_COLUMN and column not in export.dates and column not in export.header:
        problem(column or "", ExportRule.WAVE, "exports.wave_column_missing")
    return resolved, problems


@dataclass(frozen=True)
class Coder:
    """A field's labels to codes: the mapping's own options first (None: no answer), then the label index."""

    vocabulary: str
    explicit: dict[str, str | None]
    index: LabelIndex

    def __call__(self, label: str) -> str | None:
        key = label_key(label)
        return self.explicit[key] if key in self.explicit else self.index.code(self.vocabulary, label)

    def unmapped(self, label: str) -> bool:
        return label_key(label) not in self.explicit and self.index.code(self.vocabulary, label) is None


def _coder(name: str, options: dict[str, str | None], index: LabelIndex) -> Coder:
    return Coder(VOCABULARY[name], {label_key(k): v for k, v in options.items()}, index)


def _unmapped(
    export: Export, question: Question, name: str, code: Coder, index: LabelIndex, problem: Callable[..., None]
) -> None:
    counts = answer_counts(export, question, name in MULTI, lambda label: not code.unmapped(label))
    unknown = [label for label in counts if code.unmapped(label)]
    if unknown:
        shown = listing(HIDDEN_LABEL if value_kind(u, "code", mapped=False) else u for u in unknown)
        problem(
            question.key, ExportRule.UNMAPPED_OPTION, "exports.unmapped", field=name, labels=shown, count=len(unknown)
        )


def reshape(
    export: Export,
    instrument: Instrument,
    index: LabelIndex,
    wave: int | None,
    lang: str,
    make_id: Callable[[], str] = new_id,
) -> Reshaped:
    """The wave's rows from ``export`` (see the module's rule), with notices for every column not kept."""
    out = Reshaped(responses=len(export.rows))
    resolved, out.problems = resolve(export, instrument, index, lang)
    out.notices = _column_notices(export, resolved, instrument, lang)
    if out.problems:
        return out
    if wave is None and instrument.wave_from != WAVE_COLUMN:
        out.problems.append(Problem(export.file, C.WAVE, (), ExportRule.WAVE, t("exports.wave_needed", lang)))
        return out
    reasons: Counter[str] = Counter()
    without_contact = 0
    wave_position = export.header.index(instrument.wave_column) if instrument.wave_column in export.header else None
    for row in range(len(export.rows)):
        if row in export.unfinished:
            reasons[export.unfinished[row]] += 1
            continue
        values = {n: _single(export, resolved, n, row) for n in resolved.questions if n not in MULTI}
        missing = [n for n in (C.CITY, C.SECTOR, C.ROLE) if not values.get(n)]
        if missing:
            reasons[resolved.questions[missing[0]].key] += 1
            continue
        year = _year(export.rows[row][wave_position]) if wave is None and wave_position is not None else wave
        respondent_id = make_id()
        out.respondents.append(
            {
                C.RESPONDENT_ID: respondent_id,
                C.WAVE: None if year is None else str(year),
                C.CITY: values.get(C.CITY),
                C.SECTOR: values.get(C.SECTOR),
                C.ROLE: values.get(C.ROLE),
                C.CONTACT: values.get(C.CONTACT),
                C.TRAINED: values.get(C.TRAINED),
            }
        )
        sites, types = _multi(export, resolved, C.LABOUR_SITE, row), _multi(export, resolved, C.VICTIMISATION, row)
        if values.get(C.CONTACT) != YES:
            without_contact += bool(sites or types)
            continue
        for site, kind in _pairs(sites, types):
            out.encounters.append(
                {
                    C.RESPONDENT_ID: respondent_id,
                    C.LABOUR_SITE: site,
                    C.VICTIMISATION: kind,
                    C.VICTIM_STATUS: values.get(C.VICTIM_STATUS),
                }
            )
    out.incomplete = sum(reasons.values())
    for column, count in sorted(reasons.items()):
        out.notices.append(
            Notice(
                export.file, column_label(column), (), ExportRule.INCOMPLETE, t("exports.incomplete", lang, count=count)
            )
        )
    if without_contact:
        column = resolved.questions[C.CONTACT].key if C.CONTACT in resolved.questions else C.CONTACT
        out.notices.append(
            Notice(
                export.file,
                column_label(column),
                (),
                ExportRule.WITHOUT_CONTACT,
                t("exports.without_contact", lang, count=without_contact),
            )
        )
    if not out.respondents:
        out.problems.append(Problem(export.file, None, (), ExportRule.NO_RESPONSES, t("exports.no_responses", lang)))
    return out


def _single(export: Export, resolved: _Resolved, name: str, row: int) -> str | None:
    answers = export.answers(resolved.questions[name], row)
    codes = [c for a in answers if (c := resolved.code[name](a))]
    return codes[0] if codes else None


def _multi(export: Export, resolved: _Resolved, name: str, row: int) -> list[str]:
    if name not in resolved.questions:
        return []
    code = resolved.code[name]
    answers = export.answers(resolved.questions[name], row, lambda label: not code.unmapped(label))
    return list(dict.fromkeys(c for a in answers if (c := code(a))))


def _pairs(sites: list[str], types: list[str]) -> list[tuple[str, str]]:
    if not sites and not types:
        return []
    return [(s, v) for s in sites or [NOT_SPECIFIED] for v in types or [NOT_SPECIFIED]]


def _year(value: str | None) -> int | None:
    match = YEAR.search(value or "")
    return int(match.group(0)) if match else None


def _column_notices(export: Export, resolved: _Resolved, instrument: Instrument, lang: str) -> list[Notice]:
    """One notice per column not kept: platform metadata, free text, and questions the mapping does not use."""
    notices = [
        Notice(export.file, column_label(header), (), rule, t(f"exports.{rule}", lang))
        for header, rule in export.dropped
    ]
    used = {q.key for q in resolved.questions.values()}
    for question in export.questions:
        if question.key not in used:
            notices.append(
                Notice(
                    export.file,
                    column_label(question.key),
                    (),
                    ExportRule.UNUSED,
                    t("exports.question_not_mapped", lang),
                )
            )
    return notices
