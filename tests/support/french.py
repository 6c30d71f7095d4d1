"""Finding English in a French page (issue 16): the texts a reader sees, and the words that give English away.

Pure helpers for ``tests/test_french_pages.py``: the texts of a Dash layout (children, the attributes a screen
reader or a tooltip reads, a figure's titles, axis titles, legend names, hover templates and tick labels) or of an
HTML page, and the English words among them.

A word is English when it appears in the English side of the message catalogue and nowhere in the French side (so
"Table", "Source", "Organisations" or "Calgary" are not), or is one of a few English function words. What may
stay English on a French page is listed in ``ALLOWED`` and passed as ``keep`` (the dataset's citation: a title is
cited in the language it was published in).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import cache
from html.parser import HTMLParser
from typing import Any

import yaml

from dashboard import ids, paths
from dashboard.data.vocab import vocabularies
from dashboard.i18n import catalogue

# Attributes of a component (or an HTML element) that a person reads: a tooltip, a screen reader, a placeholder.
READ_PROPS = frozenset(
    {"title", "aria-label", "aria-roledescription", "aria-valuetext", "placeholder", "alt", "label", "data-counter"}
)
# Where a plotly figure keeps text: titles, axis titles, legend names, hover templates and hover texts, texts and
# tick labels.
FIGURE_KEYS = frozenset(
    {"text", "hovertext", "name", "hovertemplate", "texttemplate", "ticktext", "title", "legendgrouptitle"}
)
# English function words: a sentence written in code rather than in the catalogue has some of these.
FUNCTION_WORDS = frozenset(
    [
        "the",
        "of",
        "and",
        "to",
        "with",
        "for",
        "from",
        "by",
        "this",
        "that",
        "these",
        "those",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "not",
        "no",
        "all",
        "none",
        "any",
        "show",
        "hide",
        "here",
        "there",
        "which",
        "who",
        "what",
        "when",
        "where",
        "how",
        "why",
        "or",
        "per",
        "than",
        "more",
        "less",
        "most",
        "least",
        "about",
        "into",
        "over",
        "under",
        "our",
        "your",
        "their",
        "its",
        "it",
        "you",
        "we",
        "they",
        "has",
        "have",
        "had",
        "can",
        "may",
        "will",
        "would",
        "should",
        "could",
    ]
)
# Words that are the same in both languages or are names: proper nouns, codes, brands and units.
ALLOWED = frozenset(
    {
        "csv",
        "xlsx",
        "pdf",
        "plotly",
        "dash",
        "kaye",
        "act",
        "ctdc",
        "polaris",
        "cc0",
        "e-i",
        "ei",
        "n",
        "x",
        "e",
        "f",
        "k",
        "min",
        "max",
    }
)
# Props that hold no text a person reads: ids, stored state, styles, a graph's config.
SKIPPED_PROPS = frozenset({"id", "data", "style", "config", "layout", "aria-pressed", "className", "customdata", "ids"})
# Stores whose data are texts a script shows (the voices page's "Hide quotes" / "Show quotes").
TEXT_STORES = frozenset({ids.VOICES_QUOTES_LABELS})
WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", re.UNICODE)
PLACEHOLDER = re.compile(r"{[^}]*}")


def _words(text: str) -> set[str]:
    return {w.lower() for w in WORD.findall(PLACEHOLDER.sub(" ", text))}


@cache
def french_words() -> frozenset[str]:
    """Every word of the French catalogue and of the vocabularies' French labels and definitions (city names too)."""
    out: set[str] = set()
    for entry in catalogue().values():
        out |= _words(entry.get("fr", ""))
    for deck in paths.DECKS_DIR.glob("*.yaml"):  # decks are written in French by people, as the catalogue
        out |= _words(" ".join(_french_of(yaml.safe_load(deck.read_text(encoding="utf-8")))))
    for vocab in vocabularies().by_name.values():
        out |= _words(vocab.title("fr"))
        for term in vocab.terms:
            out |= _words(term.label("fr"))
    return frozenset(out)


def _french_of(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "fr" and isinstance(value, str):
                yield value
            else:
                yield from _french_of(value)
    elif isinstance(node, list):
        for item in node:
            yield from _french_of(item)


@cache
def english_words() -> frozenset[str]:
    """Words of the English catalogue that no French message uses, and English function words."""
    out: set[str] = set()
    for entry in catalogue().values():
        out |= _words(entry["en"])
    return frozenset((out - french_words()) | (FUNCTION_WORDS - french_words())) - ALLOWED


def english_in(text: str, keep: Iterable[str] = ()) -> set[str]:
    """The English words of ``text`` once every string of ``keep`` (allowed to stay English) is taken out."""
    for allowed in keep:
        if allowed:
            text = text.replace(allowed, " ")
    return _words(text) & english_words()


# --------------------------------------------------------------------------------------------------- Dash layouts


def _figure_texts(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in FIGURE_KEYS and isinstance(value, str):
                yield value
            elif key in FIGURE_KEYS and isinstance(value, list) and all(isinstance(v, str) for v in value):
                yield from value
            else:
                yield from _figure_texts(value)
    elif isinstance(node, list):
        for item in node:
            yield from _figure_texts(item)


def layout_texts(node: Any, lang: str = "fr") -> Iterator[str]:
    """Every text a reader meets in a Dash layout (as JSON: ``{"type", "namespace", "props"}`` nodes) or in a
    callback's response (``{output id: {prop: value}}``), leaving out the parts marked as written in another
    language than ``lang`` (``lang="en"`` on a quote, on the switch)."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, list):
        for item in node:
            yield from layout_texts(item, lang)
    elif isinstance(node, dict):
        props = node["props"] if "props" in node and "type" in node else node
        if props.get("lang") in (None, lang):
            if str(props.get("id")) in TEXT_STORES and isinstance(props.get("data"), dict):
                yield from (str(v) for v in props["data"].values())
            for key, value in props.items():
                yield from _prop_texts(key, value, lang)


def _prop_texts(key: str, value: Any, lang: str) -> Iterator[str]:
    if key == "children":
        yield from layout_texts(value, lang)
    elif key == "figure":
        yield from _figure_texts(value)
    elif key in READ_PROPS:
        if isinstance(value, str):
            yield value
    elif key == "options" and isinstance(value, list):  # a dropdown's options
        for item in value:
            if isinstance(item, dict):
                yield str(item.get("label", ""))
    elif isinstance(value, dict | list) and key not in SKIPPED_PROPS:
        yield from layout_texts(value, lang)


# --------------------------------------------------------------------------------------------------- HTML pages


class _Texts(HTMLParser):
    def __init__(self, lang: str) -> None:
        super().__init__(convert_charrefs=True)
        self.lang = lang
        self.texts: list[str] = []
        self._skip: list[str] = []  # the open elements whose content is left out (scripts, another language)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if (
            self._skip
            or tag in ("script", "style", "code")
            or (tag != "html" and values.get("lang") not in (None, self.lang))
        ):
            self._skip.append(tag)
            return
        for name, value in attrs:
            if value and name in READ_PROPS:
                self.texts.append(value)

    def handle_endtag(self, tag: str) -> None:
        if self._skip and self._skip[-1] == tag:
            self._skip.pop()

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.texts.append(data)


def html_texts(page: str, lang: str = "fr") -> list[str]:
    """Every text of an HTML page a reader meets (not scripts or styles, nor codes in ``<code>``, nor what is marked
    as written in another language), with the attributes they read."""
    parser = _Texts(lang)
    parser.feed(page)
    return parser.texts
