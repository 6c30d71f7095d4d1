"""Controlled vocabularies, read from ``data/vocabularies/*.yaml``.

Every code has an English and a French label and a definition. City codes carry the province they belong
to, joined from the geography file, so a city that does not join is an error when vocabularies load.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from dashboard import paths

LANGS = ("en", "fr")


class VocabularyError(ValueError):
    """A vocabulary file is malformed or does not join to the geography."""


@dataclass(frozen=True)
class Term:
    code: str
    labels: Mapping[str, str]
    definitions: Mapping[str, str]
    extra: Mapping[str, Any] = field(default_factory=dict)

    def label(self, lang: str = "en") -> str:
        return self.labels.get(lang) or self.labels["en"]

    def definition(self, lang: str = "en") -> str:
        return self.definitions.get(lang) or self.definitions["en"]


@dataclass(frozen=True)
class Vocabulary:
    name: str
    labels: Mapping[str, str]
    terms: tuple[Term, ...]
    every: Mapping[str, str] | None = None  # the "All" of its filter, where French needs it to agree ("Toutes")

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(t.code for t in self.terms)

    def term(self, code: str) -> Term:
        for t in self.terms:
            if t.code == code:
                return t
        raise KeyError(f"{code!r} is not a code of vocabulary {self.name!r}")

    def label(self, code: str, lang: str = "en") -> str:
        return self.term(code).label(lang)

    def label_map(self, lang: str = "en") -> dict[str, str]:
        return {t.code: t.label(lang) for t in self.terms}

    def title(self, lang: str = "en") -> str:
        return self.labels.get(lang) or self.labels["en"]

    def all_label(self, lang: str) -> str | None:
        """The vocabulary's own word for "all of them" (``all:`` in its file), or None for the catalogue's."""
        return self.every.get(lang) if self.every else None


def _as_lang_map(value: Any, where: str) -> dict[str, str]:
    if not isinstance(value, Mapping) or any(not str(value.get(lang) or "").strip() for lang in LANGS):
        raise VocabularyError(f"{where}: needs both an English (en) and a French (fr) text")
    return {lang: str(value[lang]) for lang in LANGS}


def _read_vocabulary(path: Path, cities: pd.DataFrame, provinces: Vocabulary | None) -> Vocabulary:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    name = raw.get("name") if isinstance(raw, dict) else None
    if name != path.stem:
        raise VocabularyError(f"{path.name}: 'name' must be {path.stem!r}")
    terms: list[Term] = []
    seen: set[str] = set()
    for i, entry in enumerate(raw.get("codes") or []):
        where = f"{path.name}, entry {i + 1}"
        code = str(entry.get("code", ""))
        if not code:
            raise VocabularyError(f"{where}: missing code")
        if code in seen:
            raise VocabularyError(f"{where}: duplicate code {code!r}")
        seen.add(code)
        labels = _as_lang_map({"en": entry.get("en"), "fr": entry.get("fr")}, where)
        extra = {k: v for k, v in entry.items() if k not in {"code", "en", "fr", "definition"}}
        if name == "city":
            match = cities[cities["city"] == entry.get("name")]
            if match.empty:
                raise VocabularyError(f"{where}: city {entry.get('name')!r} is not in {paths.CITIES_CSV.name}")
            row = match.iloc[0]
            province = str(row["province"])
            if provinces is None or province not in provinces.codes:
                raise VocabularyError(f"{where}: city {code!r} does not join to a province")
            extra.update(province=province, lat=float(row["lat"]), lon=float(row["lon"]))
            pname = provinces.term(province)
            definitions = {lang: f"{labels[lang]}, {pname.label(lang)}" for lang in LANGS}
        elif name == "province" and "definition" not in entry:
            definitions = {
                "en": f"The province or territory of {labels['en']}.",
                "fr": f"La province ou le territoire : {labels['fr']}.",
            }
        else:
            definitions = _as_lang_map(entry.get("definition"), f"{where} definition")
        terms.append(Term(code, labels, definitions, extra))
    if not terms:
        raise VocabularyError(f"{path.name}: no codes")
    every = _as_lang_map(raw["all"], f"{path.name} all") if "all" in raw else None
    return Vocabulary(name, _as_lang_map(raw.get("label"), f"{path.name} label"), tuple(terms), every)


@dataclass(frozen=True)
class Vocabularies:
    by_name: Mapping[str, Vocabulary]

    def __getitem__(self, name: str) -> Vocabulary:
        return self.by_name[name]

    def sector_group_of(self) -> dict[str, str]:
        return {t.code: str(t.extra["group"]) for t in self["sector"].terms}

    def province_of(self) -> dict[str, str]:
        return {t.code: str(t.extra["province"]) for t in self["city"].terms}


def load_vocabularies(folder: Path = paths.VOCAB_DIR) -> Vocabularies:
    cities = pd.read_csv(paths.CITIES_CSV, encoding="utf-8")
    provinces = _read_vocabulary(folder / "province.yaml", cities, None)
    out: dict[str, Vocabulary] = {"province": provinces}
    for path in sorted(folder.glob("*.yaml")):
        if path.stem != "province":
            out[path.stem] = _read_vocabulary(path, cities, provinces)
    groups = set(out["sector_group"].codes)
    for t in out["sector"].terms:
        if t.extra.get("group") not in groups:
            raise VocabularyError(f"sector.yaml: {t.code!r} has no valid sector group")
    return Vocabularies(out)


@cache
def vocabularies() -> Vocabularies:
    """The project's vocabularies, read once per process."""
    return load_vocabularies()
