"""What slides show: public-tier numbers only, hidden cells said to be hidden, quotes only when published."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from dashboard import formatting as FMT
from dashboard import paths
from dashboard.figures import explore as F
from dashboard.present import deck as DK
from dashboard.present import slides as SL
from dashboard.present.source import published
from tests.present.test_deck import with_quotes


def spec(table, draw, wave=2012, filters=(), category=None, highlight=None) -> DK.ChartSpec:
    return DK.ChartSpec(tuple(table), tuple(filters), wave, draw, category, highlight, {"en": "caption"}, True)


def test_ps001_calgary_share_is_said_hidden_when_the_public_tier_does_not_publish_it(demo_releases):
    public = demo_releases["public"]
    assert not public.has("city", "contact_any")  # the public tier publishes one dimension at a time
    deck = DK.load(paths.DECKS_DIR, "kaye-2013", published(public)).deck
    calgary = next(s for s in deck.slides if s.chart is not None and ("city", "calgary") in s.chart.filters)
    content = SL.chart_content(calgary.chart, public, "en")
    assert content.figure is None and content.stat is None
    assert content.hidden.startswith("Hidden to protect respondents")
    assert not any(ch.isdigit() for ch in content.hidden)  # never a number in its place
    fr = SL.chart_content(calgary.chart, public, "fr")
    assert fr.hidden.startswith("Masqué pour protéger les répondants")


def test_ps002_share_slide_shows_the_published_k_of_n_and_interval(demo_releases):
    public = demo_releases["public"]
    rows = public.table("contact_any").frame
    row = rows[(rows["wave"] == 2016) & (rows["contact_any"] == "yes")].iloc[0]
    content = SL.chart_content(spec(["contact_any"], "share", 2016, category="yes"), public, "en")
    assert content.hidden is None
    assert content.stat.value == f"{FMT.share(row['pct'], 'en')}%"
    assert f"{int(row['count'])} of {int(row['n'])}" in content.stat.detail
    assert f"{FMT.interval(row['ci_lo'], row['ci_hi'], 'en')}%" in content.stat.detail
    assert f"({int(row['count'])} of {int(row['n'])})" in content.summary


def test_ps003_a_share_the_public_release_hides_is_never_shown(demo_releases):
    public = demo_releases["public"]
    rows = public.table("contact_any").frame
    hidden = rows[(rows["contact_any"] == "yes") & rows["pct"].isna()]
    assert not hidden.empty, "the demo public release hides some contact share"
    wave = int(hidden["wave"].iloc[0])
    content = SL.chart_content(spec(["contact_any"], "share", wave, category="yes"), public, "en")
    assert content.stat is None and content.figure is None
    assert content.hidden == "Hidden to protect respondents: the public release does not publish this share."


def test_ps004_bars_show_rounded_public_counts_in_the_slide_theme(demo_releases):
    public = demo_releases["public"]
    content = SL.chart_content(spec(["city"], "bars", 2012, highlight="calgary"), public, "en")
    trace = content.figure["data"][0]
    shown = [x for x in trace["x"] if x is not None]
    assert shown and all(x % 5 == 0 for x in shown)  # the public tier rounds to base 5
    frame = public.table("city").frame
    calgary = frame[(frame["wave"] == 2012) & (frame["city"] == "calgary")]["count"].iloc[0]
    assert f"Calgary: {int(calgary)} respondents." in content.summary
    hidden = int(frame[frame["wave"] == 2012]["count"].isna().sum())
    assert trace["text"].count("x") == hidden
    assert [a["text"] for a in content.figure["layout"]["annotations"]] == ["x"] * hidden  # hidden bars marked x
    assert 0 not in trace["x"]  # groups with no respondent are left out of a slide
    if hidden:
        assert f"{hidden} group{'s are' if hidden > 1 else ' is'} hidden" in content.summary
    layout = content.figure["layout"]
    assert layout["paper_bgcolor"] == SL.BACKGROUND and layout["font"]["color"] == SL.FOREGROUND
    assert F.PRIMARY not in trace["marker"]["color"]  # recoloured for black
    assert F.SELECTED in trace["marker"]["color"]  # Calgary highlighted


def test_ps005_trend_summarises_published_waves_and_counts_hidden_ones(demo_releases):
    public = demo_releases["public"]
    content = SL.chart_content(spec(["contact_any"], "trend", None, category="yes"), public, "en")
    rows = public.table("contact_any").frame
    yes = rows[rows["contact_any"] == "yes"].sort_values("wave")
    shown = yes[yes["pct"].notna()]
    assert content.figure is not None
    assert f"{FMT.share(shown['pct'].iloc[0], 'en')}% in {int(shown['wave'].iloc[0])}" in content.summary
    assert f"{FMT.share(shown['pct'].iloc[-1], 'en')}% in {int(shown['wave'].iloc[-1])}" in content.summary
    missing = len(yes) - len(shown)
    assert (f"{missing} wave{'s are' if missing > 1 else ' is'} hidden" in content.summary) == (missing > 0)


def test_ps006_withheld_rows_are_said_hidden(demo_releases):
    public = demo_releases["public"]
    frame = public.table("labour_site").frame
    assert frame[frame["wave"] == 2012].empty  # withheld for 2012 in the demo public release
    content = SL.chart_content(spec(["labour_site"], "bars", 2012), public, "en")
    assert content.figure is None
    assert content.hidden.startswith("Hidden to protect respondents: the public release withholds")


def test_ps007_quote_shown_only_from_the_public_release(demo_releases):
    rows = [("Q001", "deporting_the_problem", "Public words.", "Border services representative")]
    public = with_quotes(demo_releases["public"], rows)
    assert SL.quote(public, "Q001") == SL.Quote("Public words.", "Border services representative")
    assert SL.quote(public, "Q007") is None
    bare = replace(public, extras={k: v for k, v in public.extras.items() if k != DK.QUOTES_TABLE})
    assert SL.quote(bare, "Q001") is None  # a release without a quotes table shows none
    funder = with_quotes(demo_releases["funder"], rows)
    assert SL.quote(funder, "Q001") is None  # never from another tier's release
    marked = with_quotes(demo_releases["public"], rows, audience=["funder"])
    assert SL.quote(marked, "Q001") is None  # a quote marked for a higher audience is never shown


def test_ps009_restyle_leaves_the_explore_figure_untouched(demo_releases):
    frame = demo_releases["public"].table("city").frame
    original = F.bars(frame[frame["wave"] == 2012], "city", {}, None, "Respondents")
    before = repr(original)
    styled = SL.restyle(original)
    assert repr(original) == before
    assert styled["layout"]["plot_bgcolor"] == SL.BACKGROUND
    assert "height" not in styled["layout"]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_ps010_every_chart_slide_of_the_default_deck_has_a_summary(demo_releases, lang):
    public = demo_releases["public"]
    deck = DK.load(paths.DECKS_DIR, "kaye-2013", published(public)).deck
    for slide in deck.slides:
        if slide.chart is None:
            continue
        content = SL.chart_content(slide.chart, public, lang)
        assert content.summary.strip().endswith("."), (slide.number, content.summary)
        assert (content.figure is None) or all(
            not isinstance(x, np.generic) for t in content.figure["data"] for x in (t.get("x") or [])
        )


def test_ps011_published_is_recomputed_for_another_release(demo_releases):
    public = demo_releases["public"]
    assert published(public) is published(public)
    other = with_quotes(public, [])
    assert published(other).quote_ids == frozenset()
    bare = replace(public, extras={k: v for k, v in public.extras.items() if k != DK.QUOTES_TABLE})
    assert published(bare).quote_ids is None


def test_ps012_map_slide_draws_from_local_map_files_in_the_slide_theme(demo_releases):
    public = demo_releases["public"]
    content = SL.chart_content(spec(["city"], "map", 2024, highlight="calgary"), public, "en", "/assets/geo/p.geojson")
    assert content.hidden is None
    kinds = [t["type"] for t in content.figure["data"]]
    assert "scattergeo" in kinds
    for trace in content.figure["data"]:
        if trace["type"] == "choropleth":
            assert trace["geojson"] == "/assets/geo/p.geojson"
    assert content.figure["layout"]["geo"]["bgcolor"] == SL.BACKGROUND
    frame = public.table("city").frame
    top = frame[frame["wave"] == 2024].sort_values("count", ascending=False).iloc[0]
    assert f"({int(top['count']):,}, rounded)" in content.summary


def test_ps013_a_map_needs_places(demo_releases):
    published_ = DK.Published.of(demo_releases["public"])
    head = "title: T\nslides:\n"
    bad = DK.parse(
        head + "  - {kind: chart, title: T, table: [role], wave: 2024, draw: map, caption: C}\n", "b", published_
    )
    assert [str(p) for p in bad.problems] == [
        "b.yaml: slide 1: field 'table': a map shows provinces or cities; role is not one of them"
    ]
    ok = DK.parse(
        head + "  - {kind: chart, title: T, table: [province], wave: 2024, draw: map, caption: C}\n", "o", published_
    )
    assert ok.ok


def test_ps_nullable_counts_a_published_wave_brings_still_draw(demo_releases):
    """After a steward's publish a table's counts can be a nullable integer column (``Int64``), whose hidden cells
    are ``pd.NA`` (``NA != NA`` is NA, not True): the slide marks them hidden instead of failing the whole deck."""
    import copy

    import pandas as pd

    public = copy.copy(demo_releases["public"])
    key = next(k for k in public.tables if k == ("city",))
    table = public.tables[key]
    frame = table.frame.copy()
    frame["count"] = frame["count"].astype("Int64")
    public.tables = {**public.tables, key: replace(table, frame=frame)}
    hidden_city = frame[(frame["wave"] == 2012) & frame["count"].isna()]["city"]
    highlight = str(hidden_city.iloc[0]) if len(hidden_city) else "calgary"
    content = SL.chart_content(spec(["city"], "bars", 2012, highlight=highlight), public, "fr")
    assert content.figure is not None and content.summary
    assert FMT.count(pd.NA, "fr") == "x" and FMT.share(pd.NA, "en") == "x" and FMT.decimal(pd.NA, "fr") == "x"
