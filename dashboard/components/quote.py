"""A published quote: its words as given (marked with their language), its sector attribution in the reader's.

Quotes are published in the language the source spoke (``QUOTE_LANGUAGE``: the founding study's interviews were in
English) and are never translated; the attribution, "<sector label> representative" as published (SPEC §3), is a
sector and is written in the reader's language, "Secteur : Services frontaliers".
"""

from __future__ import annotations

from functools import cache
from typing import Final

from dash import html

from dashboard.data.vocab import vocabularies
from dashboard.i18n import DEFAULT_LANGUAGE, t

QUOTE_LANGUAGE: Final = "en"
SECTOR_VOCABULARIES: Final = ("sector", "sector_group")


@cache
def _sectors_by_attribution() -> dict[str, tuple[str, str]]:
    """Each attribution a quote may carry ("Border services representative") → (vocabulary, sector code)."""
    vocab = vocabularies()
    out = {}
    for name in SECTOR_VOCABULARIES:
        for term in vocab[name].terms:
            out[t("voices.attribution", DEFAULT_LANGUAGE, sector=term.label(DEFAULT_LANGUAGE))] = (name, term.code)
    return out


def attribution(published: str, lang: str) -> str:
    """A quote's attribution in ``lang``: its sector's label, or the published text when it names no sector."""
    found = _sectors_by_attribution().get(published.strip())
    if found is None:
        return published
    name, code = found
    return t("voices.attribution", lang, sector=vocabularies()[name].label(code, lang))


def quote_figure(text: str, published_attribution: str, lang: str, class_name: str) -> html.Figure:
    """The quote (``lang="en"``, as spoken) and its attribution (in the reader's language)."""
    return html.Figure(
        [
            html.Blockquote(html.P(text), lang=QUOTE_LANGUAGE),
            html.Figcaption(f"— {attribution(published_attribution, lang)}"),
        ],
        className=class_name,
    )
