"""One way to write a published figure in each language: counts, shares, percentage points, intervals, dates.

Every page, chart label, text summary, one-pager, slide and export reads its numbers through these functions, so
the same published figure reads the same everywhere: shares with the one decimal they are published with
("58.5" / "58,5"), counts grouped by the language's convention ("1,234" / "1 234", Babel's CLDR data for
Canadian English and French). The percent sign, and the space French puts before it, are in the message
catalogue ("{pct}%" / "{pct} %"). Rounding is half up, as readers expect, never to even.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from typing import Final

import numpy as np
import pandas as pd
from babel.dates import format_date, format_time
from babel.numbers import get_decimal_symbol, get_group_symbol, get_minus_sign_symbol

LOCALES: Final = {"en": "en_CA", "fr": "fr_CA"}
SHARE_PLACES: Final = 1  # shares and their bounds are published with one decimal
SUPPRESSED: Final = "x"  # a count or share that is not published (SPEC §4)


def _missing(value: object) -> bool:
    """NaN, or pandas' NA (a nullable column's hidden cell, whose ``!=`` is NA, not a bool); callers test None."""
    return value is pd.NA or (isinstance(value, (float, np.floating)) and value != value)


def _locale(lang: str) -> str:
    return LOCALES.get(lang, LOCALES["en"])


def _half_up(value: float, places: int) -> Decimal:
    return Decimal(str(float(value))).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


@cache
def _symbols(lang: str) -> dict[int, str]:
    """Python's grouping, decimal point and minus sign mapped to the language's (Babel's CLDR data), read once."""
    locale = _locale(lang)
    return str.maketrans(
        {",": get_group_symbol(locale), ".": get_decimal_symbol(locale), "-": get_minus_sign_symbol(locale)}
    )


def _grouped(value: int | Decimal, places: int, lang: str) -> str:
    """``value`` grouped in threes with ``places`` decimals, in the language's symbols.

    The same text as Babel's ``format_decimal(value, "#,##0.0…")`` (``tests/test_formatting.py`` checks it), written
    with Python's own grouping: chart labels write hundreds of numbers a request, and Babel takes about 20 µs each.
    """
    return f"{value:,.{places}f}".translate(_symbols(lang))


def count(value: float | None, lang: str) -> str:
    """A count of respondents, organisations or ties: "1,234" / "1 234"; "x" when not published."""
    if value is None or _missing(value):
        return SUPPRESSED
    return _grouped(int(value), 0, lang)


def share(value: float | None, lang: str, places: int = SHARE_PLACES) -> str:
    """A share in percent without its sign, with the published decimal: "58.5" / "58,5"; "x" when not published."""
    if value is None or _missing(value):
        return SUPPRESSED
    return _grouped(_half_up(value, places), places, lang)


def points(value: float, lang: str) -> str:
    """The size of a change in percentage points, without its sign: "3.2" / "3,2"."""
    return share(abs(float(value)), lang)


def interval(low: float | None, high: float | None, lang: str) -> str:
    """A 95% interval of a share: "52.3–64.1" / "52,3–64,1"."""
    return f"{share(low, lang)}–{share(high, lang)}"


def decimal(value: float | None, lang: str, places: int = 2) -> str:
    """Any other number (an index, a density): "0.25" / "0,25"."""
    if value is None or _missing(value):
        return SUPPRESSED
    return _grouped(_half_up(value, places), places, lang)


def moment(value: datetime | str | None, lang: str) -> str:
    """A time of the steward's record (ISO, UTC) as a reader writes it: "Dec 1, 2026, 5:05 p.m. UTC" /
    "1 déc. 2026, 17 h 05 UTC"; "—" when there is none, the text itself when it is not a time."""
    if value is None or value == "":
        return "—"
    try:
        when = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    when = when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
    locale = _locale(lang)
    return f"{format_date(when, 'medium', locale=locale)}, {format_time(when, 'short', tzinfo=UTC, locale=locale)} UTC"


def day(value: date | datetime | str, lang: str) -> str:
    """A date in the language's medium format: "Dec 1, 2026" / "1 déc. 2026"."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return format_date(value, format="medium", locale=_locale(lang))


@cache
def plotly_separators(lang: str) -> str:
    """Plotly's ``layout.separators`` (decimal, then thousands) for hover text and axes in the language."""
    locale = _locale(lang)
    return get_decimal_symbol(locale) + get_group_symbol(locale)


def table_value(value: object, lang: str) -> str:
    """A value of a table view as written: a number with the language's decimal sign and minus (``33,3``,
    ``−0,333`` in French), the digits as published; anything else as text."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        return str(value)
    if isinstance(value, (float, np.floating)) and not np.isfinite(value):
        return str(value)
    return str(value).translate(_symbols(lang))


def day_or_text(value: str, lang: str) -> str:
    """A date as the reader writes it ("Dec 1, 2026" / "1 déc. 2026"), or ``value`` as given if it is no date."""
    try:
        return day(value, lang)
    except ValueError:
        return value
