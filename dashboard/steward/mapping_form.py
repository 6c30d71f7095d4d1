"""The instrument mapping as a form: what the page shows for an export, and the mapping read back from a post.

Works from what the check kept (``exports.summary``: each question's key, text and answers), never from the
export itself. Form names: ``q.FIELD`` (the question's key), ``oq.FIELD`` (the question the options below were
shown for), ``o.FIELD.N`` (the code for the N-th answer of that question), ``wave``, ``wave_from``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final

from dashboard.data.vocab import Vocabularies
from dashboard.i18n import t
from dashboard.ingest.exports import FIELDS, MULTI, FieldMap, Instrument, InstrumentError, load_instrument
from dashboard.ingest.exports.instrument import REQUIRED, VOCABULARY, WAVE_COLUMN, WAVE_FORM
from dashboard.ingest.mapping import LabelIndex
from dashboard.ingest.names import label_key

NO_ANSWER: Final = "-"  # the option's value for "leave unanswered"
COLUMN_PREFIX: Final = "column:"
MAX_WAVE_CHARS: Final = 8


@dataclass
class FieldView:
    name: str
    label: str
    required: bool
    multi: bool
    question: str
    options: list[dict[str, Any]] = field(default_factory=list)  # {index, label, code, mapped}
    codes: list[tuple[str, str]] = field(default_factory=list)  # (code, label)


@dataclass
class FormView:
    fields: list[FieldView]
    questions: list[dict[str, Any]]  # every question: key, text, answered, field (or None)
    unmapped: list[tuple[str, str, str]]  # (field, question, label)
    wave: str
    wave_from: str
    dates: list[str]
    name: str


def _answers(summary: dict[str, Any], key: str, multi: bool) -> list[str]:
    question = next((q for q in summary["questions"] if q["key"] == key), None)
    if question is None:
        return []
    return list(question["parts"] if multi else question["labels"])


def view(
    summary: dict[str, Any], instrument: Instrument, vocab: Vocabularies, index: LabelIndex, wave: str, lang: str
) -> FormView:
    """The form for ``summary`` filled with ``instrument`` (a suggestion, a saved mapping, or the last post)."""
    fields, unmapped = [], []
    for name in FIELDS:
        mapping = instrument.fields.get(name, FieldMap(""))
        vocabulary = vocab[VOCABULARY[name]]
        explicit = {label_key(k): v for k, v in mapping.options.items()}
        options = []
        for i, label in enumerate(_answers(summary, mapping.question, name in MULTI)):
            key = label_key(label)
            code = explicit[key] if key in explicit else index.code(vocabulary.name, label)
            mapped = key in explicit or code is not None
            options.append({"index": i, "label": label, "code": code if mapped else "", "mapped": mapped})
            if not mapped:
                unmapped.append((name, mapping.question, label))
        fields.append(
            FieldView(
                name,
                t(f"exports.form.field.{name}", lang),
                name in REQUIRED,
                name in MULTI,
                mapping.question,
                options,
                [(term.code, term.labels.get(lang) or term.code) for term in vocabulary.terms],
            )
        )
    used = {f.question: f.name for f in fields if f.question}
    questions = [{**q, "field": used.get(q["key"])} for q in summary["questions"]]
    column = instrument.wave_column if instrument.wave_from == WAVE_COLUMN else None
    wave_from = COLUMN_PREFIX + column if column else WAVE_FORM
    return FormView(fields, questions, unmapped, wave, wave_from, list(summary["dates"]), instrument.name)


def from_post(form: Any, summary: dict[str, Any], vocab: Vocabularies) -> tuple[Instrument, str]:
    """The mapping the form posted (options kept only for the question they were shown for), and the wave."""
    keys = {q["key"] for q in summary["questions"]}
    wave_from = str(form.get("wave_from", WAVE_FORM))[:200]
    column = wave_from.removeprefix(COLUMN_PREFIX) if wave_from.startswith(COLUMN_PREFIX) else None
    instrument = Instrument(
        str(form.get("instrument", ""))[:64].strip(),
        summary["platform"],
        WAVE_COLUMN if column in summary["dates"] else WAVE_FORM,
        column if column in summary["dates"] else None,
    )
    for name in FIELDS:
        question = str(form.get(f"q.{name}", ""))
        if question not in keys:
            continue
        options: dict[str, str | None] = {}
        if form.get(f"oq.{name}") == question:
            codes = set(vocab[VOCABULARY[name]].codes)
            for i, label in enumerate(_answers(summary, question, name in MULTI)):
                value = str(form.get(f"o.{name}.{i}", ""))
                if value == NO_ANSWER:
                    options[label] = None
                elif value in codes:
                    options[label] = value
        instrument.fields[name] = FieldMap(question, options)
    return instrument, str(form.get("wave", "")).strip()[:MAX_WAVE_CHARS]


def checked(instrument: Instrument, form_view: FormView, vocab: Vocabularies, lang: str) -> list[str]:
    """What stops the posted mapping from being saved: the file's own rules, then every unmapped label."""
    messages: list[str] = []
    try:
        load_instrument(instrument.to_yaml(), f"{instrument.name or '?'}.yaml", vocab, lang)
    except InstrumentError as err:
        messages.extend(p.message for p in err.problems)
    for name, question, label in form_view.unmapped:
        messages.append(t("exports.form.unmapped", lang, field=name, question=question[:80], label=label[:60]))
    return messages
