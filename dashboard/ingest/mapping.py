"""Raw labels to vocabulary codes: the code itself, its English or French label, or a known synonym.

Matching ignores accents, case, spaces and punctuation ("Law Enforcement", "law-enforcement" and
"Forces de l'ordre" are all ``law_enforcement``). Synonyms come from ``data/synonyms.yaml``,
keyed by vocabulary name. A city may carry its province ("Calgary, AB", "Toronto (Ontario)").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import pandas as pd
import yaml

from dashboard import paths
from dashboard.data.schema import TableSpec
from dashboard.data.validate import Problem
from dashboard.data.vocab import Vocabularies
from dashboard.i18n import t
from dashboard.ingest.model import Mapping, Rule, listing, rows_of
from dashboard.ingest.names import label_key

SYNONYMS_FILE: Final = paths.DATA_DIR / "synonyms.yaml"  # not in vocabularies/: every *.yaml there is a vocabulary
CITY: Final = "city"
PROVINCE: Final = "province"
_PROVINCE_SUFFIX: Final = re.compile(r"^(?P<city>.+?)\s*(?:,|\(|/|\s-\s)\s*(?P<province>[^,()/]+?)\s*\)?\s*$")


class SynonymError(ValueError):
    """The synonyms file names an unknown vocabulary or code, or gives one label two codes."""


def load_synonyms(vocab: Vocabularies, path: Path = SYNONYMS_FILE) -> dict[str, dict[str, str]]:
    """``{vocabulary: {label key: code}}`` from the synonyms file, every code checked against the vocabulary."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    out: dict[str, dict[str, str]] = {}
    for name, entries in raw.items():
        if str(name) not in vocab.by_name or not isinstance(entries, dict):
            raise SynonymError(f"{path.name}: {name!r} is not a vocabulary with a mapping of synonyms")
        codes = set(vocab[str(name)].codes)
        keys: dict[str, str] = {}
        for label, code in entries.items():
            key = label_key(str(label))
            if str(code) not in codes:
                raise SynonymError(f"{path.name}: {name}: {label!r} maps to unknown code {code!r}")
            if not key or keys.get(key, str(code)) != str(code):
                raise SynonymError(f"{path.name}: {name}: {label!r} is empty or maps to two codes")
            keys[key] = str(code)
        out[str(name)] = keys
    return out


@dataclass(frozen=True)
class LabelIndex:
    """Every accepted label key of every vocabulary, and the code it stands for."""

    keys: dict[str, dict[str, str]]

    def code(self, vocabulary: str, raw: str) -> str | None:
        """The code ``raw`` stands for in ``vocabulary``, or None."""
        index = self.keys.get(vocabulary, {})
        found = index.get(label_key(raw))
        if found is None and vocabulary == CITY:
            match = _PROVINCE_SUFFIX.match(raw)
            if match and label_key(match["province"]) in self.keys.get(PROVINCE, {}):
                found = index.get(label_key(match["city"]))
        return found


def label_index(vocab: Vocabularies, synonyms: dict[str, dict[str, str]] | None = None) -> LabelIndex:
    """Codes, English and French labels, then synonyms; a key that would stand for two codes keeps the first."""
    synonyms = load_synonyms(vocab) if synonyms is None else synonyms
    keys: dict[str, dict[str, str]] = {}
    for name, vocabulary in vocab.by_name.items():
        index: dict[str, str] = {}
        for term in vocabulary.terms:
            index.setdefault(label_key(term.code), term.code)
        for term in vocabulary.terms:
            for label in term.labels.values():
                index.setdefault(label_key(label), term.code)
        for key, code in synonyms.get(name, {}).items():
            index.setdefault(key, code)
        keys[name] = index
    return LabelIndex(keys)


def map_codes(
    frame: pd.DataFrame,
    spec: TableSpec,
    file: str,
    index: LabelIndex,
    excluded: pd.DataFrame,
    vocab: Vocabularies,
    lang: str,
) -> tuple[pd.DataFrame, list[Mapping], list[Problem]]:
    """``frame`` with every code column mapped to codes, one ``Mapping`` per distinct label, and the problems.

    Cells in ``excluded`` (identifying or formula-like, already reported) are neither mapped nor listed.
    """
    out = frame.copy()
    mappings: list[Mapping] = []
    problems: list[Problem] = []
    for col in spec.columns:
        if col.kind != "code" or not col.vocabulary or col.name not in frame.columns:
            continue
        series = frame[col.name].where(~excluded[col.name])
        counts = series.value_counts(dropna=True)
        codes = {str(raw): index.code(col.vocabulary, str(raw)) for raw in counts.index}
        mappings.extend(Mapping(col.name, raw, code, int(counts[raw])) for raw, code in sorted(codes.items()))
        mapped = series.map(codes, na_action="ignore").astype("string")
        out[col.name] = mapped
        unknown = series.notna() & mapped.isna()
        if unknown.any():
            allowed = ", ".join(vocab[col.vocabulary].codes)
            problems.append(
                Problem(
                    file,
                    col.name,
                    rows_of(series.index[unknown]),
                    Rule.UNKNOWN_CODE,
                    t(
                        "ingest.unknown_code",
                        lang,
                        values=listing(series[unknown], lang),
                        allowed=allowed,
                        count=series[unknown].astype(str).nunique(),
                    ),
                )
            )
    return out, mappings, problems
