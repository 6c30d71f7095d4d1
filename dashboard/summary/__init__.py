"""The funder summary (issue 5): headline figures, top categories and plain-language sentences.

Pure functions over a published release (no Dash, no I/O, no microdata): every number is read from a
published table through the explore page's lookups, and a number the release does not publish is reported as
hidden, never left out silently.
"""

from dashboard.summary.kpis import Category, Headline, Share, Top, headlines, top_categories, vintage
from dashboard.summary.sentences import Sentence, city_sentences, headline_sentences, top_sentence

__all__ = [
    "Category",
    "Headline",
    "Sentence",
    "Share",
    "Top",
    "city_sentences",
    "headline_sentences",
    "headlines",
    "top_categories",
    "top_sentence",
    "vintage",
]
