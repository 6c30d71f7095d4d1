"""The voices page's view: which published ``voices_themes`` rows each chart card shows, their labels, and the
download a card's button asks for.

Pure functions, no Dash: a ``Release`` (and vocabularies) in, published rows and label maps out. A download holds
the card's published rows as they are (category, theme, count, flag; a hidden count stays empty), headed in the
reader's language with each code beside its label; no number is computed here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import pandas as pd

from dashboard.data.schema import C
from dashboard.data.vocab import Vocabularies
from dashboard.i18n import t
from dashboard.published import export as EX
from dashboard.published import table as TB
from dashboard.published.dims import ALL, NONE
from dashboard.published.lookup import extra_rows
from dashboard.published.table import Release
from dashboard.published.voices_schema import TOTAL, VO, K
from dashboard.views.downloads import Export, format_of, key_of

METHOD: Final = "method"
SECTOR: Final = "sector"
CITY: Final = "city"
CARDS: Final = (METHOD, SECTOR, CITY)  # the page's chart cards, in page order
EXPORT_COLUMNS: Final = (K.CATEGORY, C.THEME, TB.COUNT, TB.FLAG)


def theme_labels(vocab: Vocabularies, lang: str) -> dict[str, str]:
    return {
        ALL: t("voices.theme.all", lang),
        **vocab["theme"].label_map(lang),
        NONE: t("voices.theme.none", lang),
    }


def category_labels(vocab: Vocabularies, breakdown: str, lang: str) -> dict[str, str]:
    """Labels of a sector or city breakdown's categories, "not stated" included."""
    labels = dict(vocab[breakdown].label_map(lang))
    if breakdown in (C.SECTOR, C.SECTOR_GROUP):
        labels[NONE] = t("voices.category.none.sector", lang)
    else:
        labels[NONE] = t("voices.category.none.city", lang)
    return labels


def method_labels(vocab: Vocabularies, lang: str) -> dict[str, str]:
    """Labels of the methods, and of the total of all sources."""
    return {ALL: t("voices.col.all", lang), **vocab["method"].label_map(lang)}


def rows_of(release: Release, breakdown: str) -> pd.DataFrame:
    """The published ``voices_themes`` rows of one breakdown, through the release's index (``published.lookup``)."""
    return extra_rows(release, VO.THEMES, **{K.BREAKDOWN: breakdown})


def sector_breakdown(release: Release) -> str:
    """The sector breakdown the tier publishes: sector groups, or sectors."""
    return C.SECTOR_GROUP if len(rows_of(release, C.SECTOR_GROUP)) else C.SECTOR


def breakdown_of(release: Release, card: str) -> str:
    return {METHOD: C.METHOD, SECTOR: sector_breakdown(release), CITY: C.CITY}[card]


def card_rows(release: Release, card: str) -> pd.DataFrame:
    """The published rows a card shows (the method card: each method, then the total of all sources)."""
    rows = rows_of(release, breakdown_of(release, card))
    if card == METHOD:
        rows = pd.concat([rows, rows_of(release, TOTAL)], ignore_index=True)
    return rows


def card_categories(vocab: Vocabularies, release: Release, card: str, lang: str) -> dict[str, str]:
    breakdown = breakdown_of(release, card)
    return method_labels(vocab, lang) if card == METHOD else category_labels(vocab, breakdown, lang)


def export_frame(vocab: Vocabularies, release: Release, card: str, lang: str) -> pd.DataFrame:
    """A card's published rows as downloaded: category and theme labels beside their codes, the count and flag."""
    headings = {
        K.CATEGORY: vocab[breakdown_of(release, card)].title(lang),
        C.THEME: t("voices.col.theme", lang),
        TB.COUNT: t("voices.axis.sources", lang),
        TB.FLAG: t("explore.col.flag", lang),
    }
    labels: dict[str, Mapping[Any, str]] = {
        K.CATEGORY: card_categories(vocab, release, card, lang),
        C.THEME: theme_labels(vocab, lang),
    }
    frame = card_rows(release, card)[list(EXPORT_COLUMNS)]
    return EX.labelled(frame, headings, labels, t("export.code", lang))


def export_of(release: Release, vocab: Vocabularies, button: Mapping[str, Any], lang: str) -> Export | None:
    """The published rows of the card a download button (``{"card": …, "fmt": …}``) belongs to, in a format the
    tier exports; None for a forged card or format, or a release without the voices tables."""
    card = key_of(button, "card", CARDS)
    fmt = format_of(button, release.tier)
    if card is None or fmt is None or VO.THEMES not in release.extras:
        return None
    return Export(export_frame(vocab, release, card, lang), VO.THEMES, fmt, (card,))
