"""The deck format as typed data: what a checked deck holds, and what the public release publishes for it.

Pure: no Dash, no I/O. ``dashboard.present.checks`` builds these from YAML; ``dashboard.present.deck`` reads files.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from dashboard.data.schema import C
from dashboard.i18n import t, typeset
from dashboard.published import dims as D
from dashboard.published.table import Release
from dashboard.views.state import PARAMS, Options

KINDS: Final = ("chart", "quote", "text")
DRAWS: Final = ("bars", "trend", "share", "map")
MAP_DIMS: Final = (D.PROVINCE, D.CITY)
QUOTES_TABLE: Final = "voices_quotes"  # dashboard.release.voices.VO.QUOTES
NAME_PATTERN: Final = re.compile(r"^[a-z0-9][a-z0-9_-]{0,60}$")
EXTERNAL_IMAGE: Final = re.compile(r"!\[[^\]]*\]\(\s*(?:[a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)

DECK_FIELDS: Final = ("title", "languages", "slides", "description")
COMMON_FIELDS: Final = ("kind", "title", "notes")
KIND_FIELDS: Final = {
    "chart": ("table", "filters", "wave", "draw", "category", "highlight", "allow_hidden", "caption"),
    "quote": ("quote_id",),
    "text": ("body", "bullets"),
}
# Names a deck may use for a dimension: the published column names, and the explore page's URL names.
ALIASES: Final = {**{d: d for d in D.CANONICAL_ORDER}, **PARAMS}

Text = Mapping[str, str]  # language -> text


@dataclass(frozen=True)
class ChartSpec:
    table: tuple[str, ...]  # canonical order
    filters: tuple[tuple[str, str], ...]
    wave: int | None  # None: all waves
    draw: str
    category: str | None
    highlight: str | None
    caption: Text
    allow_hidden: bool = False

    @property
    def breakdown(self) -> tuple[str, ...]:
        """The dimensions drawn: the table's, less the filtered ones."""
        filtered = {d for d, _ in self.filters}
        return tuple(d for d in self.table if d not in filtered)


@dataclass(frozen=True)
class Slide:
    number: int
    kind: str
    title: Text
    notes: Text | None = None
    chart: ChartSpec | None = None
    quote_id: str | None = None
    body: Text | None = None
    bullets: tuple[Text, ...] = ()


@dataclass(frozen=True)
class Deck:
    name: str
    title: Text
    languages: tuple[str, ...]
    slides: tuple[Slide, ...]


@dataclass(frozen=True)
class Problem:
    """One fault of a deck: where it is (file, slide, field) and what is wrong, in words."""

    deck: str
    slide: int | None
    field: str
    message: str

    def text(self, lang: str = "en") -> str:
        where = [self.deck]
        if self.slide is not None:
            where.append(t("present.error.slide", lang, n=self.slide))
        if self.field:
            where.append(t("present.error.field", lang, field=self.field))
        return ": ".join([*where, self.message])

    def __str__(self) -> str:
        return self.text()


@dataclass(frozen=True)
class Loaded:
    deck: Deck | None
    problems: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        return self.deck is not None and not self.problems


@dataclass(frozen=True)
class Published:
    """What the public release publishes, as far as a deck needs to know."""

    tables: frozenset[tuple[str, ...]]
    categories: Mapping[str, tuple[str, ...]]
    waves: tuple[int, ...]
    quote_ids: frozenset[str] | None  # None: the release has no quotes table

    @classmethod
    def of(cls, release: Release) -> Published:
        options = Options.cached(release)
        quotes = release.extras.get(QUOTES_TABLE)
        quote_ids = None if quotes is None else frozenset(str(q) for q in quotes[C.QUOTE_ID])
        return cls(frozenset(release.tables), options.categories, tuple(release.waves), quote_ids)


def localised(text: Text | None, lang: str) -> str:
    """A deck text in ``lang`` (decks give every language they declare; fall back to any)."""
    if not text:
        return ""
    return typeset(text[lang], lang) if text.get(lang) else next(iter(text.values()))
