"""The funder summary's pure functions: figures read from published tables, sentences from the catalogue.

Expectations are derived from the release tables themselves (never hard-coded demo numbers), so the tests keep
holding when the release builder publishes more; small hand-built releases check the hidden and French cases.
"""

from __future__ import annotations

import re
import string

import pandas as pd
import pytest

from dashboard import formatting as FMT
from dashboard.i18n import catalogue
from dashboard.published import dims as D
from dashboard.published import table as TB
from dashboard.published.table import PublishedTable, Release
from dashboard.summary import city_sentences, headline_sentences, headlines, top_categories, top_sentence, vintage

TIERS = ("public", "funder", "coalition")


def _row(release: Release, dims: tuple[str, ...], wave: int, **values: str) -> pd.Series | None:
    frame = release.table(*dims).frame
    mask = frame[D.WAVE] == wave
    for dim, value in values.items():
        mask &= frame[dim] == value
    rows = frame[mask]
    return None if rows.empty else rows.iloc[0]


def _published(row: pd.Series | None) -> bool:
    return row is not None and all(pd.notna(row[m]) for m in (TB.COUNT, TB.N, TB.PCT, TB.CI_LO, TB.CI_HI))


# --- against the demo releases --------------------------------------------------------------------------------


@pytest.mark.parametrize("tier", TIERS)
def test_su001_headlines_are_the_published_figures_of_the_latest_wave(demo_releases, tier):
    release = demo_releases[tier]
    latest = max(release.waves)
    by_key = {h.key: h for h in headlines(release)}
    assert set(by_key) == {"respondents", "contact", "trained"}
    total = _row(release, (), latest)
    assert by_key["respondents"].latest.count == int(total[TB.COUNT])
    for key, item in (("contact", D.CONTACT), ("trained", D.TRAINED)):
        h, row = by_key[key], _row(release, (item,), latest, **{item: "yes"})
        assert h.latest.wave == latest
        assert h.hidden == (not _published(row))
        if not h.hidden:
            assert (h.latest.count, h.latest.n) == (int(row[TB.COUNT]), int(row[TB.N]))
            assert (h.latest.pct, h.latest.ci_lo, h.latest.ci_hi) == (row[TB.PCT], row[TB.CI_LO], row[TB.CI_HI])
            assert h.latest.flag == row[TB.PCT_FLAG]
            assert h.latest.ci_lo <= h.latest.pct <= h.latest.ci_hi


@pytest.mark.parametrize("tier", TIERS)
def test_su002_change_is_the_difference_of_two_published_shares_or_hidden(demo_releases, tier):
    release = demo_releases[tier]
    latest, previous = sorted(release.waves)[-1], sorted(release.waves)[-2]
    for h in headlines(release):
        assert h.previous is not None and h.previous.wave == previous
        if h.item is None:
            expected = int(_row(release, (), latest)[TB.COUNT]) - int(_row(release, (), previous)[TB.COUNT])
            assert h.change == expected
            continue
        now, before = (_row(release, (h.item,), w, **{h.item: "yes"}) for w in (latest, previous))
        if _published(now) and _published(before):
            assert h.change == pytest.approx(float(now[TB.PCT]) - float(before[TB.PCT]), abs=0.051)
            assert not h.change_hidden
        else:
            assert h.change is None and h.change_hidden


@pytest.mark.parametrize("tier", TIERS)
def test_su003_headline_sentences_give_k_of_n_share_and_interval(demo_releases, tier):
    release = demo_releases[tier]
    rounded = bool(release.meta["rounded"])
    sentences = headline_sentences(release, "en")
    by_key = {s.key.removeprefix("summary.sentence.").removesuffix("_hidden"): s for s in sentences}
    for h in headlines(release):
        text = by_key[h.key].text
        assert str(h.latest.wave) in text
        if h.hidden:
            assert by_key[h.key].hidden and "hidden to protect respondents" in text
        elif h.item is not None:
            k_of_n = f"{FMT.count(h.latest.count, 'en')} of {FMT.count(h.latest.n, 'en')}"
            assert (f"about {k_of_n}" in text) == rounded and k_of_n in text
            pct, lo, hi = (FMT.share(v, "en") for v in (h.latest.pct, h.latest.ci_lo, h.latest.ci_hi))
            interval = f"({pct}%, 95% CI {lo}–{hi}%)"
            assert interval in text
        if h.change_hidden:
            assert f"The change since {h.previous.wave} is hidden" in text
    assert any("rounded to a multiple of 5" in s.text for s in sentences) == rounded


@pytest.mark.parametrize("tier", TIERS)
@pytest.mark.parametrize("dim", [D.LABOUR_SITE, D.VICTIMISATION])
def test_su004_top_categories_are_the_largest_published_counts(demo_releases, tier, dim):
    release = demo_releases[tier]
    latest = max(release.waves)
    frame = release.table(dim).frame
    rows = frame[(frame[D.WAVE] == latest) & (frame[dim] != D.ANY)]
    top = top_categories(release, dim)
    counts = [c.count for c in top.shown]
    assert counts == sorted(counts, reverse=True) and 0 < len(counts) <= 5
    published = rows[rows[TB.COUNT].notna()][TB.COUNT].astype(int).sort_values(ascending=False).tolist()
    assert counts == published[: len(counts)]
    assert set(top.hidden) == set(rows.loc[rows[TB.COUNT].isna(), dim])
    sentence = top_sentence(top, release, "en").text
    assert all(f"({FMT.share(c.pct, 'en')}%)" in sentence for c in top.shown)
    if top.hidden:
        assert "hidden to protect respondents" in sentence


@pytest.mark.parametrize("tier", TIERS)
def test_su005_city_sentences_only_where_the_release_crosses_city_and_contact(demo_releases, tier):
    release = demo_releases[tier]
    by_wave = city_sentences(release, "en")
    if not release.has(D.CITY, D.CONTACT):
        assert by_wave == {}
        return
    assert list(by_wave) == [max(release.waves), min(release.waves)]
    for wave, sentences in by_wave.items():
        assert sentences, wave
        for s in sentences:
            row = _row(release, (D.CITY, D.CONTACT), wave, **{D.CITY: s.city, D.CONTACT: "yes"})
            if _published(row):
                assert not s.hidden and f"({FMT.share(row[TB.PCT], 'en')}%, 95% CI" in s.text
            else:
                assert s.hidden and s.text.endswith(f"in {wave} is hidden to protect respondents.")


def test_su006_vintage_reads_the_release_metadata(demo_releases):
    release = demo_releases["funder"]
    v = vintage(release)
    assert (v["first_wave"], v["latest_wave"]) == (min(release.waves), max(release.waves))
    assert v["citation"] == release.meta["dataset"]["citation"] and v["source"] == release.meta["dataset"]["source"]
    assert v["rounded"] is True and vintage(release)["tier"] == "funder"


# --- hand-built releases that hide a number -------------------------------------------------------------------

COLUMNS = [TB.COUNT, TB.FLAG, TB.N, TB.PCT, TB.CI_LO, TB.CI_HI, TB.PCT_FLAG]


def _frame(dims: tuple[str, ...], rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=[D.WAVE, *dims, *COLUMNS])
    for col in (TB.COUNT, TB.N):
        frame[col] = frame[col].astype("Int64")
    for col in (TB.PCT, TB.CI_LO, TB.CI_HI):
        frame[col] = frame[col].astype("Float64")
    return frame


H = (None, "x", None, None, None, None, "x")  # a hidden cell


def _release(rounded: bool = False) -> Release:
    """Two waves. 2012: Calgary 12 of 27 published, Winnipeg hidden, contact share hidden. 2014: all published."""
    tables = {
        (): _frame((), [(2012, 53, "", None, None, None, None, ""), (2014, 60, "", None, None, None, None, "")]),
        (D.CONTACT,): _frame(
            (D.CONTACT,),
            [
                (2012, "yes", *H),
                (2014, "yes", 30, "", 60, 50.0, 37.7, 62.3, ""),
            ],
        ),
        (D.TRAINED,): _frame(
            (D.TRAINED,),
            [
                (2012, "yes", 10, "", 50, 20.0, 11.2, 33.0, "E"),
                (2014, "yes", 15, "", 60, 25.0, 15.8, 37.1, "E"),
            ],
        ),
        (D.CITY, D.CONTACT): _frame(
            (D.CITY, D.CONTACT),
            [
                (2012, "calgary", "yes", 12, "", 27, 44.4, 27.6, 62.7, "E"),
                (2012, "calgary", "no", 15, "", 27, 55.6, 37.3, 72.4, "E"),
                (2012, "winnipeg", "yes", *H),
                (2012, "winnipeg", "no", *H),
                (2012, "toronto", "yes", 0, "", None, None, None, None, "x"),
                (2012, "toronto", "no", 0, "", None, None, None, None, "x"),
                (2014, "calgary", "yes", 10, "", 25, 40.0, 23.4, 59.3, "E"),
                (2014, "calgary", "no", 15, "", 25, 60.0, 40.7, 76.6, "E"),
            ],
        ),
        (D.LABOUR_SITE,): _frame(
            (D.LABOUR_SITE,),
            [
                (2014, "sex_industry", 12, "", 30, 40.0, 24.6, 57.7, "E"),
                (2014, "agriculture", 15, "", 30, 50.0, 33.2, 66.8, "E"),
                (2014, "construction", *H),
                (2014, D.ANY, 30, "", None, None, None, None, ""),
            ],
        ),
    }
    meta = {
        "tier": "coalition",
        "rounded": rounded,
        "waves": [2012, 2014],
        "dataset": {"name": "t", "synthetic": True, "source": "S", "citation": "C", "licence": "L", "version": "1"},
    }
    return Release(
        "coalition", meta, {k: PublishedTable(k, v, k[-1] if k else None, rounded) for k, v in tables.items()}
    )


def test_su007_hidden_city_share_is_said_to_be_hidden():
    sentences = city_sentences(_release(), "en")
    assert list(sentences) == [2014, 2012]
    texts = [s.text for s in sentences[2012]]
    assert texts[0].startswith(
        "In Calgary in 2012, 12 of 27 respondents (44.4%, 95% CI 27.6–62.7%) had contact with at least one person "
        "victimised by trafficking."
    )
    assert "The share for Winnipeg in 2012 is hidden to protect respondents." in texts
    assert not any("Toronto" in s for s in texts)  # no respondents there: nothing to hide
    assert [s.hidden for s in sentences[2012]] == [False, True]


def test_su008_hidden_previous_wave_hides_the_change():
    release = _release()
    contact = {h.key: h for h in headlines(release)}["contact"]
    assert not contact.hidden and contact.change is None and contact.change_hidden
    text = next(s.text for s in headline_sentences(release) if s.key == "summary.sentence.contact")
    assert "30 of 60 respondents (50.0%, 95% CI 37.7–62.3%)" in text
    assert "The change since 2012 is hidden" in text
    trained = next(s.text for s in headline_sentences(release) if s.key == "summary.sentence.trained")
    assert "5.0 percentage points more than in 2012 (20.0%)" in trained and "(E)" in trained


def test_su009_hidden_latest_share_is_said_to_be_hidden():
    release = _release()
    release.meta["waves"] = [2012]  # the latest wave is now 2012, whose contact share is hidden
    contact = {h.key: h for h in headlines(release)}["contact"]
    assert contact.hidden and contact.previous is None
    sentence = next(s for s in headline_sentences(release) if "contact" in s.key)
    assert sentence.hidden and sentence.text == (
        "The share of respondents who had contact with at least one person victimised by trafficking in 2012 "
        "is hidden to protect respondents."
    )


def test_su010_top_categories_name_the_hidden_ones():
    release = _release()
    top = top_categories(release, D.LABOUR_SITE)
    assert [c.code for c in top.shown] == ["agriculture", "sex_industry"] and top.hidden == ("construction",)
    assert top.base == 30
    text = top_sentence(top, release, "en").text
    assert "Agriculture (50.0%) and Sex industry (40.0%)" in text
    assert "One other category is hidden to protect respondents." in text


def test_su011_french_sentences():
    release = _release()
    texts = [s.text for s in city_sentences(release, "fr")[2012]]
    assert texts[0].startswith(
        "À Calgary en 2012, 12 sur 27 répondants (44,4\u00a0%, IC à 95\u00a0% 27,6–62,7\u00a0%) ont eu un contact"
    )
    assert "La proportion pour Winnipeg en 2012 est masquée afin de protéger les répondants." in texts
    contact = next(s.text for s in headline_sentences(release, "fr") if s.key == "summary.sentence.contact")
    assert "La variation depuis 2012 est masquée" in contact
    top = top_sentence(top_categories(release, D.LABOUR_SITE), release, "fr").text
    assert "Une autre catégorie est masquée" in top and " et " in top


def test_su012_rounded_release_says_about_and_that_counts_are_rounded():
    release = _release(rounded=True)
    sentences = headline_sentences(release)
    assert "about 30 of 60 respondents" in sentences[1].text
    assert "about 60 service providers" in sentences[0].text
    assert "rounded to a multiple of 5" in sentences[-1].text
    assert "In Calgary in 2012, about 12 of 27" in city_sentences(release)[2012][0].text
    assert not any("rounded" in s.text for s in headline_sentences(_release(rounded=False)))


def test_su013_numbers_are_formatted_per_language():
    assert FMT.share(58.45, "en") == "58.5" and FMT.share(44.4, "en") == "44.4" and FMT.share(27.65, "fr") == "27,7"
    assert FMT.count(1234, "en") == "1,234" and FMT.count(1234, "fr") == "1\u00a0234"


def test_su014_summary_messages_have_both_languages_and_the_same_placeholders():
    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    keys = [k for k in catalogue() if k.startswith("summary.")]
    assert len(keys) > 40
    for key in keys:
        entry = catalogue()[key]
        assert set(entry) == {"en", "fr"}, key
        assert fields(entry["en"]) == fields(entry["fr"]), key
        assert not re.search(r"\s$", entry["en"]), key
