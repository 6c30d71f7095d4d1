"""Slide decks: YAML files under ``data/decks/``, read into typed dataclasses and checked against the public release.

Pure: no Dash. A deck that cannot be shown gets one :class:`Problem` per fault, each naming the deck file, the
slide (numbered from 1) and the field, e.g. ``kaye-2013.yaml: slide 4: field 'filters.city': 'kalgary' is not a
city``. Every value is checked against what the public release publishes (tables, categories, waves, quotes).
The types are in ``dashboard.present.model``, the checks in ``dashboard.present.checks``; this module reads files.

A deck::

    title: {en: "...", fr: "..."}        # text, or text per language
    languages: [en, fr]                  # every per-language text must give each of them
    slides:
      - kind: text                       # chart | quote | text
        title: ...
        body: "markdown"                 # and/or bullets: [..., ...]
        notes: "speaker notes"           # optional, on every kind
      - kind: chart
        title: ...
        table: [city, contact]           # the published table, by its dimensions
        filters: {city: calgary}         # one category per dimension of the table; the others are drawn
        wave: 2012                       # a published wave, or all (trend); default: the latest wave
        draw: share                      # bars | trend | share | map
        category: "yes"                  # share / trend: the answer whose share is shown (default "yes")
        highlight: calgary               # bars: a bar to highlight (optional)
        allow_hidden: true               # the public tier may not publish this table: say it is hidden
        caption: ...
      - kind: quote
        title: ...
        quote_id: Q005                   # from the published quotes table (voices_quotes)
"""

from __future__ import annotations

from pathlib import Path

import yaml

from dashboard.i18n import t
from dashboard.present.checks import check
from dashboard.present.model import (
    DRAWS,
    KINDS,
    NAME_PATTERN,
    QUOTES_TABLE,
    ChartSpec,
    Deck,
    Loaded,
    Problem,
    Published,
    Slide,
    Text,
    localised,
)

__all__ = [
    "DRAWS",
    "KINDS",
    "QUOTES_TABLE",
    "ChartSpec",
    "Deck",
    "Loaded",
    "Problem",
    "Published",
    "Slide",
    "Text",
    "available",
    "check",
    "deck_path",
    "load",
    "localised",
    "parse",
]


def parse(text: str, name: str, published: Published, lang: str = "en") -> Loaded:
    """Read a deck from YAML text and check it."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        detail = f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else str(err)[:200]
        problem = Problem(f"{name}.yaml", None, "", t("present.error.yaml", lang, detail=detail))
        return Loaded(None, (problem,))
    return check(raw, name, published, lang)


def deck_path(folder: Path, name: str) -> Path | None:
    """The file of deck ``name`` in ``folder``, or None if the name is not a deck name or there is no such file."""
    if not NAME_PATTERN.match(name or ""):
        return None
    path = folder / f"{name}.yaml"
    return path if path.is_file() else None


def available(folder: Path) -> list[str]:
    return sorted(p.stem for p in folder.glob("*.yaml") if NAME_PATTERN.match(p.stem))


def load(folder: Path, name: str, published: Published, lang: str = "en") -> Loaded:
    """Read and check the deck ``name`` of ``folder`` (the caller has checked it exists with ``deck_path``)."""
    path = deck_path(folder, name)
    if path is None:
        raise FileNotFoundError(name)
    return parse(path.read_text(encoding="utf-8"), name, published, lang)
