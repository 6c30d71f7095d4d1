"""The instrument mapping: which question of a survey gives which field, and which code each option stands for.

Saved once per survey (a YAML file the steward may also write by hand) and reused for every wave::

    instrument: coalition-survey          # letters, digits, "-" and "_"
    platform: qualtrics                   # optional: the platform the export must come from
    wave: {from: form}                    # or {from: column, column: StartDate} (the year of that date)
    fields:
      city: {question: Q1, options: {"Calgary (AB)": calgary}}
      labour_site: {question: Q6, options: {"Ferme": agriculture, "None of these": null}}

``question`` is the question's key in the export (its QID name, column header or question text); an option
not listed maps through the vocabularies' labels and ``data/synonyms.yaml``; ``null`` leaves it unanswered.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Final

import yaml

from dashboard.data.schema import TABLE_BY_NAME, C, T
from dashboard.data.validate import Problem
from dashboard.data.vocab import Vocabularies
from dashboard.i18n import t

# The fields a mapping can fill, in the order the form shows them; the multi-select ones make encounters.
FIELDS: Final = (C.CITY, C.SECTOR, C.ROLE, C.CONTACT, C.TRAINED, C.LABOUR_SITE, C.VICTIMISATION, C.VICTIM_STATUS)
MULTI: Final = frozenset({C.LABOUR_SITE, C.VICTIMISATION})
REQUIRED: Final = (C.CITY, C.SECTOR, C.ROLE, C.CONTACT)
VOCABULARY: Final = {
    c.name: c.vocabulary
    for table in (T.RESPONDENTS, T.ENCOUNTERS)
    for c in TABLE_BY_NAME[table].columns
    if c.name in FIELDS and c.vocabulary
}
WAVE_FORM: Final = "form"
WAVE_COLUMN: Final = "column"
NAME_PATTERN: Final = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
TOP_KEYS: Final = frozenset({"instrument", "platform", "wave", "fields"})
FIELD_KEYS: Final = frozenset({"question", "options"})
MAX_FILE_BYTES: Final = 1024 * 1024
INSTRUMENT_RULE: Final = "instrument_invalid"
MAX_DEPTH: Final = 8  # a mapping file nests four levels (fields / field / options / label); more is hostile


class _Hostile(yaml.composer.ComposerError):
    """An alias or a nesting past ``MAX_DEPTH``: refused with its own message."""


class _MappingLoader(yaml.SafeLoader):
    """The safe loader without aliases (a mapping never needs them; "billion laughs" makes a 1 KB file expand to
    gigabytes once its values are turned into text) and with a nesting limit (else a 100 KB "[[[[..." file ends
    in RecursionError, not a message)."""

    depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            raise _Hostile(None, None, "alias", self.peek_event().start_mark)
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise _Hostile(None, None, "too deep", self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


@dataclass
class FieldMap:
    """One field's question and its explicit option labels (label -> code, None: no answer)."""

    question: str
    options: dict[str, str | None] = field(default_factory=dict)


@dataclass
class Instrument:
    name: str
    platform: str | None = None
    wave_from: str = WAVE_FORM
    wave_column: str | None = None
    fields: dict[str, FieldMap] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """The mapping as the YAML file writes it."""
        wave: dict[str, str] = {"from": self.wave_from}
        if self.wave_from == WAVE_COLUMN and self.wave_column:
            wave["column"] = self.wave_column
        data: dict[str, Any] = {"instrument": self.name}
        if self.platform:
            data["platform"] = self.platform
        data["wave"] = wave
        data["fields"] = {
            name: {"question": m.question, "options": dict(m.options)} if m.options else {"question": m.question}
            for name, m in self.fields.items()
        }
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Instrument:
        """A mapping from ``as_dict``'s form, unchecked (a suggestion may still lack fields)."""
        wave = data.get("wave") or {}
        fields = {
            str(k): FieldMap(str(v.get("question", "")), dict(v.get("options") or {}))
            for k, v in (data.get("fields") or {}).items()
            if isinstance(v, dict)
        }
        return cls(
            str(data.get("instrument", "")),
            data.get("platform"),
            wave.get("from", WAVE_FORM),
            wave.get("column"),
            fields,
        )

    def to_yaml(self) -> str:
        header = '# Instrument mapping: which question gives which field (README, "Survey-tool exports").\n'
        return header + yaml.safe_dump(self.as_dict(), sort_keys=False, allow_unicode=True, width=110)


class InstrumentError(ValueError):
    """A mapping file that cannot be used; ``problems`` names every field, question and option at fault."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


def load_instrument(text: str | bytes, file: str, vocab: Vocabularies, lang: str = "en") -> Instrument:
    """The mapping in ``text``, checked against the vocabularies; InstrumentError names what is wrong."""
    problem = _problem_factory(file, lang)
    if isinstance(text, bytes):
        if len(text) > MAX_FILE_BYTES:
            raise InstrumentError([problem(None, "exports.instrument.too_large")])
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InstrumentError([problem(None, "exports.instrument.encoding")]) from None
    try:
        data = yaml.load(text, Loader=_MappingLoader)  # a safe loader, stricter still
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        key = "exports.instrument.hostile" if isinstance(err, _Hostile) else "exports.instrument.yaml"
        raise InstrumentError([problem(None, key, line=line)]) from None
    if not isinstance(data, dict):
        raise InstrumentError([problem(None, "exports.instrument.not_mapping")])
    problems: list[Problem] = []
    unknown = sorted(str(k) for k in data if k not in TOP_KEYS)
    if unknown:
        problems.append(problem(None, "exports.instrument.unknown_key", keys=", ".join(unknown), count=len(unknown)))
    name = str(data.get("instrument") or "")
    if not NAME_PATTERN.fullmatch(name):
        problems.append(problem(None, "exports.instrument.name", name=name[:40]))
    instrument = Instrument(name, str(data["platform"]) if data.get("platform") else None)
    _load_wave(data.get("wave"), instrument, problems, problem)
    _load_fields(data.get("fields"), instrument, vocab, problems, problem)
    if problems:
        raise InstrumentError(problems)
    return instrument


def _problem_factory(file: str, lang: str) -> Any:
    def make(column: str | None, key: str, **values: object) -> Problem:
        return Problem(file, column, (), INSTRUMENT_RULE, t(key, lang, **values))

    return make


def _load_wave(raw: Any, instrument: Instrument, problems: list[Problem], problem: Any) -> None:
    if raw is None:
        return
    source = raw.get("from") if isinstance(raw, dict) else None
    if source == WAVE_FORM:
        return
    column = raw.get("column") if isinstance(raw, dict) else None
    if source == WAVE_COLUMN and isinstance(column, str) and column.strip():
        instrument.wave_from, instrument.wave_column = WAVE_COLUMN, column.strip()
        return
    problems.append(problem(None, "exports.instrument.wave"))


def _load_fields(raw: Any, instrument: Instrument, vocab: Vocabularies, problems: list[Problem], problem: Any) -> None:
    if not isinstance(raw, dict):
        problems.append(problem(None, "exports.instrument.no_fields", fields=", ".join(FIELDS)))
        return
    for name, entry in raw.items():
        name = str(name)
        if name not in FIELDS:
            problems.append(problem(name, "exports.instrument.unknown_field", field=name, fields=", ".join(FIELDS)))
            continue
        if isinstance(entry, str):
            entry = {"question": entry}
        question = entry.get("question") if isinstance(entry, dict) else None
        if not isinstance(question, str | int) or not str(question).strip():
            problems.append(problem(name, "exports.instrument.no_question", field=name))
            continue
        extra = sorted(str(k) for k in entry if k not in FIELD_KEYS)
        if extra:
            problems.append(
                problem(
                    name, "exports.instrument.unknown_field_key", field=name, keys=", ".join(extra), count=len(extra)
                )
            )
        options = _load_options(name, str(question).strip(), entry.get("options"), vocab, problems, problem)
        instrument.fields[name] = FieldMap(str(question).strip(), options)
    for name in REQUIRED:
        if name not in instrument.fields:
            problems.append(problem(name, "exports.instrument.required", field=name))
    _check_shared_questions(instrument, problems, problem)


def _load_options(
    name: str, question: str, raw: Any, vocab: Vocabularies, problems: list[Problem], problem: Any
) -> dict[str, str | None]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        problems.append(problem(question, "exports.instrument.options", field=name, question=question))
        return {}
    codes = vocab[VOCABULARY[name]].codes
    out: dict[str, str | None] = {}
    for label, code in raw.items():
        code = None if code is None or code == "" else str(code)
        if code is not None and code not in codes:
            problems.append(
                problem(
                    question,
                    "exports.instrument.bad_code",
                    field=name,
                    question=question,
                    option=str(label)[:60],
                    code=code[:40],
                    codes=", ".join(codes),
                )
            )
            continue
        out[str(label)] = code
    return out


def _check_shared_questions(instrument: Instrument, problems: list[Problem], problem: Any) -> None:
    by_question: dict[str, list[str]] = {}
    for name, mapping in instrument.fields.items():
        by_question.setdefault(mapping.question, []).append(name)
    for question, names in by_question.items():
        if len(names) > 1:
            problems.append(problem(question, "exports.instrument.shared", question=question, fields=", ".join(names)))
