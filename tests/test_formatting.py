"""One formatter for every page (issue 15): the same published figure reads the same everywhere, in each language."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard import formatting as FMT
from dashboard.i18n import t


def test_fm001_counts_follow_each_language():
    assert FMT.count(1234567, "en") == "1,234,567"
    assert FMT.count(1234567, "fr") == "1\u00a0234\u00a0567"
    assert FMT.count(0, "fr") == "0" and FMT.count(5.0, "en") == "5"
    assert FMT.count(None, "en") == FMT.SUPPRESSED == FMT.count(math.nan, "fr")


def test_fm002_shares_keep_the_published_decimal_rounded_half_up():
    assert FMT.share(58.5, "en") == "58.5" and FMT.share(58.5, "fr") == "58,5"
    assert FMT.share(58.45, "en") == "58.5"  # half up, never to even
    assert FMT.share(58.25, "en") == "58.3"
    assert FMT.share(100, "fr") == "100,0" and FMT.share(1234.5, "en") == "1,234.5"
    assert FMT.points(-3.25, "fr") == "3,3"
    assert FMT.interval(52.25, 64.1, "en") == "52.3–64.1"
    assert FMT.decimal(-0.255, "fr") == "-0,26"


def test_fm003_percent_signs_come_from_the_catalogue():
    assert t("number.percent", "en", pct=FMT.share(58.5, "en")) == "58.5%"
    assert t("number.percent", "fr", pct=FMT.share(58.5, "fr")) == "58,5\u00a0%"


def test_fm004_plotly_separators():
    assert FMT.plotly_separators("en") == ".,"
    assert FMT.plotly_separators("fr") == ",\u00a0"


def test_fm005_dates():
    assert FMT.day("2026-12-01T10:00:00+00:00", "en") == "Dec 1, 2026"
    assert FMT.day("2026-12-01", "fr").startswith("1 déc")


@given(st.floats(min_value=0, max_value=100_000, allow_nan=False))
def test_fm006_share_reads_back_as_the_value_to_a_decimal(value):
    english = float(FMT.share(value, "en").replace(",", ""))
    french = float(FMT.share(value, "fr").replace("\u00a0", "").replace(",", "."))
    assert english == french and abs(english - value) <= 0.05 + 1e-9


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_fm007_one_published_share_reads_the_same_on_the_summary_explore_and_presentation(demo_releases, lang):
    """The headline contact share of the latest wave, as the summary, the explore strip and a slide write it."""
    from dashboard.present import slides as SL
    from dashboard.present.model import ChartSpec
    from dashboard.summary import sentences as S
    from dashboard.summary.kpis import headlines

    release = demo_releases["public"]
    contact = next(h for h in headlines(release) if h.is_share and not h.hidden)
    expected = FMT.share(contact.latest.pct, lang)
    sentence = S.headline_sentence(contact, True, lang).text
    assert t("number.percent", lang, pct=expected).replace("\u00a0", " ") in sentence.replace("\u00a0", " ")
    spec = ChartSpec((contact.item,), (), contact.latest.wave, "share", "yes", None, {"en": "", "fr": ""})
    content = SL.chart_content(spec, release, lang)
    assert content.stat is not None and content.stat.value == t("number.percent", lang, pct=expected)


def test_fm008_counts_shares_and_decimals_read_as_babel_writes_them():
    """The formatter's own grouping gives Babel's text for every number, in both languages."""
    from babel.numbers import format_decimal

    for lang, locale in FMT.LOCALES.items():
        for value in [*range(-3000, 3000, 37), 0, 999, 1000, 12345, 10**9, -(10**7)]:
            assert FMT.count(value, lang) == format_decimal(value, format="#,##0", locale=locale)
        for value in [*(v / 7 for v in range(-800, 800, 13)), 0.0, -0.0, 0.05, 99.95, 1234.56, -0.004]:
            for places, pattern in ((1, "#,##0.0"), (2, "#,##0.00"), (4, "#,##0.0000")):
                expected = format_decimal(FMT._half_up(value, places), format=pattern, locale=locale)
                assert FMT.decimal(value, lang, places) == expected, (value, lang, places)
            assert FMT.share(value, lang) == format_decimal(FMT._half_up(value, 1), format="#,##0.0", locale=locale)


def test_fm_table_values_take_the_languages_decimal_sign():
    from dashboard.formatting import table_value

    assert [table_value(v, "en") for v in (33.3, 0.436, 20, "Oui", None)] == ["33.3", "0.436", "20", "Oui", "None"]
    assert table_value(33.3, "fr") == "33,3" and table_value(0.436, "fr") == "0,436"
    assert table_value(-0.333, "fr").endswith("0,333") and table_value(float("nan"), "fr") == "nan"


def test_fm009_a_stewards_time_reads_in_the_readers_language_in_utc():
    assert (
        FMT.moment("2026-12-01T17:05:09+00:00", "en") == "Dec 1, 2026, 5:05\u202fp.m. UTC"
    )  # CLDR: a narrow no-break space
    assert FMT.moment("2026-12-01T12:05:09-05:00", "fr") == "1 déc. 2026, 17 h 05 UTC"
    assert FMT.moment("2026-12-01T17:05:09", "fr") == "1 déc. 2026, 17 h 05 UTC"  # a naive time is UTC
    assert FMT.moment("", "en") == "—" and FMT.moment(None, "fr") == "—" and FMT.moment("never", "en") == "never"
