"""A suggested mapping for an export: each field's likeliest question, from its text (English and French
keywords) and from how many of its answers the field's vocabulary already knows (labels and synonyms)."""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final

from dashboard.data.schema import C
from dashboard.ingest.exports.instrument import FIELDS, MULTI, VOCABULARY, FieldMap, Instrument
from dashboard.ingest.exports.platforms import Export, Question
from dashboard.ingest.mapping import LabelIndex
from dashboard.ingest.names import fold
from dashboard.ingest.read import Cell

KEYWORDS: Final = {
    C.CITY: ("city", "ville", "municipal", "town", "where do you work", "ou travaillez"),
    C.SECTOR: ("sector", "secteur", "organisation", "organization", "agency", "organisme"),
    C.ROLE: ("role", "position", "poste", "fonction", "job title"),
    C.CONTACT: ("contact", "encounter", "rencontre", "worked with", "victim", "victime"),
    C.TRAINED: ("training", "trained", "formation"),
    C.LABOUR_SITE: ("labour site", "labor site", "industr", "lieu de travail", "work site", "workplace", "site"),
    C.VICTIMISATION: ("type of trafficking", "victimi", "exploitation", "forms of", "type de traite", "forme de"),
    C.VICTIM_STATUS: ("status", "statut", "immigration"),
}
OPTION_WEIGHT: Final = 2.0
MIN_SCORE: Final = 1.0
TIE: Final = 0.01
MAX_LABELS: Final = 200
KNOWN_CACHE: Final = 65_536  # label lookups remembered while one question's answers are counted


@dataclass
class Suggestion:
    """The suggested mapping, and the fields left unmapped because two questions looked equally likely."""

    instrument: Instrument
    ambiguous: dict[str, list[str]] = field(default_factory=dict)  # field -> the questions' keys
    unmapped: dict[str, list[str]] = field(default_factory=dict)  # field -> answers no code was found for


def answer_counts(export: Export, question: Question, multi: bool, known: Callable[[str], bool]) -> Counter[str]:
    """How often each answer (each option, for a multi-select: ``known`` labels keep their separators) appears."""
    whole = question if multi or question.options else _whole(question)
    known = functools.lru_cache(maxsize=KNOWN_CACHE)(known)
    first: dict[tuple[Cell, ...], int] = {}  # each distinct answer is split once (a split tries label lookups)
    times: Counter[tuple[Cell, ...]] = Counter()
    for row, cells in enumerate(export.rows):
        key = tuple(cells[p] for p in question.columns)
        first.setdefault(key, row)
        times[key] += 1
    counts: Counter[str] = Counter()
    for key, row in first.items():
        for answer in export.answers(whole, row, known):
            counts[answer] += times[key]
    return counts


def knows(index: LabelIndex, vocabulary: str) -> Callable[[str], bool]:
    """Whether the label index maps a label in ``vocabulary``."""
    return lambda label: index.code(vocabulary, label) is not None


def _whole(question: Question) -> Question:
    return Question(question.key, question.text, question.columns, question.options, None)


def suggest(export: Export, index: LabelIndex, name: str) -> Suggestion:
    """Each field's best question (a question serves one field), with options mapped where the index knows them."""
    counted = _Counted(export, index)
    scores = {
        f: sorted(((_score(q, f, index, counted.of(q, f in MULTI)), q.key) for q in export.questions), reverse=True)
        for f in FIELDS
    }
    out = Suggestion(Instrument(name, export.platform))
    taken: set[str] = set()
    for name_ in sorted(FIELDS, key=lambda f: -(scores[f][0][0] if scores[f] else 0)):
        ranked = [(s, k) for s, k in scores[name_] if k not in taken and s >= MIN_SCORE]
        if not ranked:
            continue
        if len(ranked) > 1 and ranked[0][0] - ranked[1][0] < TIE:
            out.ambiguous[name_] = [ranked[0][1], ranked[1][1]]
            continue
        key = ranked[0][1]
        question = export.question(key)
        if question is None or sum(1 for q in export.questions if q.key == key) > 1:
            out.ambiguous[name_] = [key, key]
            continue
        taken.add(key)
        counts = answer_counts(export, question, name_ in MULTI, knows(index, VOCABULARY[name_]))
        codes = {label: index.code(VOCABULARY[name_], label) for label in sorted(counts)[:MAX_LABELS]}
        out.instrument.fields[name_] = FieldMap(key, {k: v for k, v in codes.items() if v is not None})
        unmapped = [k for k, v in codes.items() if v is None]
        if unmapped:
            out.unmapped[name_] = unmapped
    out.instrument.fields = {f: out.instrument.fields[f] for f in FIELDS if f in out.instrument.fields}
    return out


class _Counted:
    """Each question's answer counts, read once: whole cells, and split for a multi-select (by any vocabulary)."""

    def __init__(self, export: Export, index: LabelIndex) -> None:
        self.export = export
        self.known = lambda label: any(index.code(v, label) is not None for v in index.keys)
        self.cache: dict[tuple[str, bool], Counter[str]] = {}

    def of(self, question: Question, multi: bool) -> Counter[str]:
        key = (question.key, multi or bool(question.options))
        if key not in self.cache:
            self.cache[key] = answer_counts(self.export, question, multi, self.known)
        return self.cache[key]


def _score(question: Question, name: str, index: LabelIndex, counts: Counter[str]) -> float:
    text = fold(f"{question.key} {question.text}")
    keyword = 1.0 if any(k in text for k in KEYWORDS[name]) else 0.0
    if not counts:
        return keyword
    vocabulary = VOCABULARY[name]
    known = sum(n for label, n in counts.items() if index.code(vocabulary, label) is not None)
    return keyword + OPTION_WEIGHT * known / sum(counts.values())
