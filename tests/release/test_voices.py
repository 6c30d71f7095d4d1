"""Voices tables (issue 5): built to be broken by the only border-services source of Winnipeg and by audiences."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dashboard import paths
from dashboard.data.dataset import Dataset
from dashboard.data.schema import C, T
from dashboard.data.validate import load_dataset
from dashboard.data.vocab import vocabularies
from dashboard.privacy.audit import audit
from dashboard.privacy.rounding import round_base5
from dashboard.privacy.system import SystemBuilder
from dashboard.published import table as TB
from dashboard.published.dims import ALL, NONE
from dashboard.published.policy import policy_for
from dashboard.published.voices_schema import QUOTE_COLUMNS, THEME_COLUMNS, TOTAL, VO, K
from dashboard.release import builder
from dashboard.release import voices as V
from dashboard.release.checks import check_extras
from dashboard.release.extras_attack import attack_extras
from tests.release.factory import SECRET

LONE = "S-lone"  # the only border-services source, and the only one in Winnipeg coding "deporting the problem"
THEMES = ["contested_definition", "lack_of_training", "cross_sector_collaboration", "transnational_crime"]


def _fixture() -> Dataset:
    rng = np.random.default_rng(7)
    sources, themes = [], []
    sectors = ["ngo_social_services", "law_enforcement", "immigrant_settlement", "health"]
    for i in range(60):
        sid = f"S{i:03d}"
        sources.append((sid, "interview", ["calgary", "vancouver", "winnipeg"][i % 3], sectors[i % 4], 2012, 1))
        for theme in rng.choice(THEMES, size=2, replace=False):
            themes.append((sid, str(theme)))
    for i in range(8):  # documents: no city, no sector
        sid = f"D{i:03d}"
        sources.append((sid, "document", None, None, 2012, 0))
        themes.append((sid, THEMES[i % len(THEMES)]))
    for i in range(6):  # focus groups: a city, mixed sectors
        sid = f"F{i:03d}"
        sources.append((sid, "focus_group", "calgary", None, 2013, 6))
        themes.append((sid, "cross_sector_collaboration"))
    sources.append((LONE, "interview", "winnipeg", "border_services", 2012, 1))
    themes += [(LONE, "deporting_the_problem"), (LONE, "lack_of_training")]
    quotes = [
        ("Q1", "S000", THEMES[0], "A public quote.", "NGO / social services representative", "public"),
        ("Q2", "S001", THEMES[1], "A funder quote.", "Law enforcement representative", "funder"),
        ("Q3", LONE, "deporting_the_problem", "A coalition quote.", "Border services representative", "coalition"),
        ("Q4", "S002", THEMES[2], "A steward-only quote.", "Immigrant & settlement services representative", "steward"),
        ("Q5", "S003", THEMES[3], "A named quote.", "Constable J. Smith, Winnipeg police", "public"),
        ("Q6", "D001", THEMES[1], "A group-attributed quote.", "Government representative", "public"),
    ]
    tables = {
        T.SOURCES: pd.DataFrame(sources, columns=[C.SOURCE_ID, C.METHOD, C.CITY, C.SECTOR, C.YEAR, C.PARTICIPANTS]),
        T.THEMES: pd.DataFrame(themes, columns=[C.SOURCE_ID, C.THEME]),
        T.QUOTES: pd.DataFrame(quotes, columns=[C.QUOTE_ID, C.SOURCE_ID, C.THEME, C.TEXT, C.ATTRIBUTION, C.AUDIENCE]),
    }
    return Dataset(Path("fixture"), {"waves": [2012], "synthetic": True}, tables)


@pytest.fixture(scope="module")
def fixture() -> Dataset:
    return _fixture()


@pytest.fixture(scope="module")
def built(fixture: Dataset) -> dict[str, dict[str, pd.DataFrame]]:
    return V.build_tables(fixture, vocabularies(), SECRET)


def _truth(dataset: Dataset, level: str) -> pd.DataFrame:
    return V.with_counts(*V.theme_grid(dataset, vocabularies(), level), SECRET)


def _cell(table: pd.DataFrame, breakdown: str, category: str, theme: str) -> pd.Series:
    row = table[(table[K.BREAKDOWN] == breakdown) & (table[K.CATEGORY] == category) & (table[C.THEME] == theme)]
    assert len(row) == 1, (breakdown, category, theme)
    return row.iloc[0]


def test_vo001_every_tier_gets_both_tables_with_the_published_columns(built):
    assert set(built) == {"public", "funder", "coalition"}
    for tables in built.values():
        assert set(tables) == {VO.THEMES, VO.QUOTES}
        assert tuple(tables[VO.THEMES].columns) == THEME_COLUMNS
        assert tuple(tables[VO.QUOTES].columns) == QUOTE_COLUMNS
    pd.testing.assert_frame_equal(built["public"][VO.THEMES], built["funder"][VO.THEMES])


def test_vo002_quotes_follow_the_audience_rule(built):
    ids = {tier: set(built[tier][VO.QUOTES][C.QUOTE_ID]) for tier in built}
    # Q4: stewards only; Q5 is attributed by name and place, not by sector: never published
    assert ids == {"public": {"Q1", "Q6"}, "funder": {"Q1", "Q2", "Q6"}, "coalition": {"Q1", "Q2", "Q3", "Q6"}}
    attributions = set(built["coalition"][VO.QUOTES][C.ATTRIBUTION])
    assert attributions <= V.attributions(vocabularies()) and "Government representative" in attributions


def test_vo003_no_source_id_is_ever_published(built, fixture):
    source_ids = set(fixture[T.SOURCES][C.SOURCE_ID])
    for tables in built.values():
        for frame in tables.values():
            assert C.SOURCE_ID not in frame.columns
            values = set(frame.astype(str).to_numpy().ravel())
            assert not values & source_ids


def test_vo004_public_and_funder_show_sector_groups_coalition_sectors(built):
    groups = set(vocabularies()["sector_group"].codes) | {NONE}
    sectors = set(vocabularies()["sector"].codes)
    for tier in ("public", "funder"):
        table = built[tier][VO.THEMES]
        assert set(table[K.BREAKDOWN]) == {TOTAL, C.METHOD, C.SECTOR_GROUP, C.CITY}
        assert set(table.loc[table[K.BREAKDOWN] == C.SECTOR_GROUP, K.CATEGORY]) <= groups
        assert not set(table[K.CATEGORY]) & sectors
    coalition = built["coalition"][VO.THEMES]
    assert set(coalition[K.BREAKDOWN]) == {TOTAL, C.METHOD, C.SECTOR, C.CITY}
    assert "border_services" in set(coalition[K.CATEGORY])


@pytest.mark.parametrize("tier", ["public", "funder", "coalition"])
def test_vo005_every_small_count_is_hidden_and_flagged(built, fixture, tier):
    level = C.SECTOR if tier == "coalition" else C.SECTOR_GROUP
    truth = _truth(fixture, level)
    table = built[tier][VO.THEMES]
    assert list(table[K.CATEGORY]) == list(truth[K.CATEGORY]) and list(table[C.THEME]) == list(truth[C.THEME])
    threshold = policy_for(tier).threshold()
    small = (truth["value"] >= 1) & (truth["value"] < threshold)
    assert small.any()  # the fixture has small cells to hide
    assert table.loc[small.to_numpy(), TB.COUNT].isna().all()
    assert (table[TB.COUNT].isna() == (table[TB.FLAG] == TB.SUPPRESSED)).all()
    assert (table.loc[table[TB.COUNT].notna(), TB.FLAG] == "").all()


def test_vo006_the_lone_border_source_cannot_be_seen(built):
    coalition = built["coalition"][VO.THEMES]
    for theme in (ALL, "deporting_the_problem", "lack_of_training"):
        assert pd.isna(_cell(coalition, C.SECTOR, "border_services", theme)[TB.COUNT])


@pytest.mark.parametrize("tier", ["public", "coalition"])
def test_vo007_hidden_cells_cannot_be_recovered_from_margins(built, fixture, tier):
    level = C.SECTOR if tier == "coalition" else C.SECTOR_GROUP
    truth = _truth(fixture, level)
    table = built[tier][VO.THEMES]
    hidden = table[TB.COUNT].isna().to_numpy()
    # subtraction: no theme has exactly one hidden cell among its total and one breakdown's categories
    for (theme, breakdown), rows in table[table[K.BREAKDOWN] != TOTAL].groupby([C.THEME, K.BREAKDOWN]):
        total = _cell(table, TOTAL, ALL, theme)
        assert int(rows[TB.COUNT].isna().sum()) + int(pd.isna(total[TB.COUNT])) != 1, (theme, breakdown)
    # the attacker's integer programme over every relation of the table narrows no hidden cell to 1..threshold-1
    threshold = policy_for(tier).threshold()
    sb = SystemBuilder()
    V.add_cells(sb, truth, "t", threshold)
    values = truth["value"].to_numpy(np.int64)
    if policy_for(tier).rounded:
        system = sb.build(rounded=True, published_value=round_base5(values, truth["key"].to_numpy(np.uint32)))
    else:
        system = sb.build()
    result = audit(system, hidden)
    assert result.checked > 0 and result.passed, result.at_risk


def test_vo008_primary_suppression_alone_would_leak(fixture):
    """The fixture breaks a naive table: hiding only the small cells lets the audit recover one."""
    truth = _truth(fixture, C.SECTOR)
    sb = SystemBuilder()
    V.add_cells(sb, truth, "t", policy_for("coalition").threshold())
    system = sb.build()
    primary_only = (system.value >= 1) & (system.value < system.threshold)
    assert not audit(system, primary_only).passed


def test_vo009_public_counts_are_rounded_coalition_counts_exact(built, fixture):
    public = built["public"][VO.THEMES][TB.COUNT].dropna().astype(int)
    assert (public % 5 == 0).all()
    coalition = built["coalition"][VO.THEMES]
    assert int(_cell(coalition, TOTAL, ALL, ALL)[TB.COUNT]) == len(fixture[T.SOURCES])


def test_vo010_breakdowns_cover_sources_without_city_or_sector(built, fixture):
    coalition = built["coalition"][VO.THEMES]
    assert int(_cell(coalition, C.CITY, NONE, ALL)[TB.COUNT]) == 8  # the documents
    assert int(_cell(coalition, C.SECTOR, NONE, ALL)[TB.COUNT]) == 14  # documents and focus groups
    assert int(_cell(coalition, C.METHOD, "interview", ALL)[TB.COUNT]) == 61


def test_vo011_no_sources_publishes_nothing(fixture):
    empty = Dataset(Path("x"), {"waves": [2012]}, {k: v.iloc[0:0] for k, v in fixture.tables.items()})
    assert V.build_tables(empty, vocabularies(), SECRET) == {}


def test_vo012_demo_dataset_tables_and_registration():
    assert V.build_tables in builder.EXTRA_BUILDERS
    dataset = load_dataset(paths.DEMO_DATASET_DIR)
    out = V.build_tables(dataset, vocabularies(), SECRET)
    public_quotes = out["public"][VO.QUOTES]
    demo_quotes = dataset[T.QUOTES]
    assert set(public_quotes[C.QUOTE_ID]) == set(demo_quotes.loc[demo_quotes[C.AUDIENCE] == "public", C.QUOTE_ID])
    assert len(out["coalition"][VO.QUOTES]) > len(public_quotes)
    total = _cell(out["coalition"][VO.THEMES], TOTAL, ALL, ALL)
    assert int(total[TB.COUNT]) == len(dataset[T.SOURCES])


def test_vo013_public_and_funder_source_counts_are_0_or_at_least_5_and_the_checks_say_so(built):
    for tier in ("public", "funder"):
        shown = built[tier][VO.THEMES][TB.COUNT].dropna().astype(int)
        assert ((shown == 0) | ((shown >= 5) & (shown % 5 == 0))).all()
    for tier, tables in built.items():
        assert check_extras(tier, tables) == [], tier
    tampered = built["public"][VO.THEMES].copy()
    tampered.loc[tampered.index[tampered[TB.COUNT].isna()][0], [TB.COUNT, TB.FLAG]] = [2, ""]
    assert any("not rounded" in p for p in check_extras("public", {VO.THEMES: tampered}))


def _releases(built: dict[str, dict[str, pd.DataFrame]]) -> dict[str, TB.Release]:
    return {tier: TB.Release(tier, {"tier": tier}, extras=dict(tables)) for tier, tables in built.items()}


def test_vo014_the_written_release_attacker_passes_the_voices_tables_and_catches_a_lone_hidden_cell(built, fixture):
    assert attack_extras(_releases(built), vocabularies()) == []
    truth = _truth(fixture, C.SECTOR)
    coalition = built["coalition"][VO.THEMES].copy()
    hidden = coalition[TB.COUNT].isna() & truth["value"].between(1, 3).to_numpy()
    target = coalition[hidden & (coalition[K.BREAKDOWN] == C.SECTOR)].iloc[0]
    same = (coalition[K.BREAKDOWN] == C.SECTOR) & (coalition[C.THEME] == target[C.THEME])
    others = same & coalition[TB.COUNT].isna() & (coalition[K.CATEGORY] != target[K.CATEGORY])
    coalition.loc[others, TB.COUNT] = truth.loc[others.to_numpy(), "value"].to_numpy()  # all but one shown
    releases = _releases({**built, "coalition": {**built["coalition"], VO.THEMES: coalition}})
    found = [f for f in attack_extras(releases, vocabularies()) if f.tier == "coalition"]
    assert any(target[K.CATEGORY] in f.cell and target[C.THEME] in f.cell for f in found), found
