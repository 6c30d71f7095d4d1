"""Names of the published voices tables and their columns, read by the voices page and written by the builder."""

from __future__ import annotations

from typing import Final

from dashboard.data.schema import C
from dashboard.published import table as TB

# ``ALL`` (dims): category: every source; theme: whatever the themes. ``NONE``: no sector / city stated; theme: no
# coded theme.
TOTAL: Final = "total"  # breakdown of the one-category total


class VO:
    """Names of the published voices tables (``release.extras[name]``)."""

    THEMES: Final = "voices_themes"
    QUOTES: Final = "voices_quotes"


class K:
    """Columns of ``voices_themes`` besides ``C.THEME``, ``TB.COUNT`` and ``TB.FLAG``."""

    BREAKDOWN: Final = "breakdown"  # "total", "method", "sector_group" / "sector", "city"
    CATEGORY: Final = "category"  # a code of the breakdown's vocabulary, "_none", or "_all" for the total


QUOTE_COLUMNS: Final = (C.QUOTE_ID, C.THEME, C.TEXT, C.ATTRIBUTION)
THEME_COLUMNS: Final = (K.BREAKDOWN, K.CATEGORY, C.THEME, TB.COUNT, TB.FLAG)
