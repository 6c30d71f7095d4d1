"""Network tables (issue 6): built to be broken by a small organisation, a non-consenting one, a lone hub."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dashboard.data.dataset import write_manifest
from dashboard.data.schema import C
from dashboard.data.validate import load_dataset
from dashboard.data.vocab import vocabularies
from dashboard.published import table as TB
from dashboard.release import builder
from dashboard.release import network as N
from dashboard.release import network_rounding as NR
from dashboard.release.checks import check_extras
from dashboard.release.extras_attack import Knowledge, add_network, attack_extras, solve
from dashboard.release.network import ALL, BETWEEN, NW, K
from tests.release.factory import SECRET

LONE_NAME = "Winnipeg Border Office (synthetic)"  # did not consent: must never appear
NAMED = "=Calgary Shelter (synthetic)"  # consented; starts like a formula (exports must neutralise it)
WAVES = (2022, 2024)


def _org_table() -> pd.DataFrame:
    rows = []
    layout = {
        "calgary": {"ngo_social_services": 8, "law_enforcement": 5, "health": 4, "provincial_municipal_government": 4},
        "winnipeg": {
            "border_services": 1,
            "ngo_social_services": 6,
            "immigrant_settlement": 4,
            "federal_government": 3,
        },
    }
    for city, sectors in layout.items():
        for sector, n in sectors.items():
            for i in range(n):
                rows.append(
                    {
                        C.ORG_ID: f"O-{city}-{sector}-{i}",
                        C.SECTOR: sector,
                        C.CITY: city,
                        C.COALITION_MEMBER: True,
                        C.NAME: None,
                        C.CONSENT_NAMED: False,
                    }
                )
    orgs = pd.DataFrame(rows)
    lone = orgs[C.ORG_ID] == "O-winnipeg-border_services-0"
    orgs.loc[lone, C.NAME] = LONE_NAME
    named = orgs[C.ORG_ID] == "O-calgary-ngo_social_services-0"
    orgs.loc[named, [C.NAME, C.CONSENT_NAMED]] = [NAMED, True]
    return orgs


def _tie_table(orgs: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    types = ["referral", "information_sharing", "joint_training", "joint_case_work", "formal_agreement"]
    calgary = orgs.loc[orgs[C.CITY] == "calgary", C.ORG_ID].tolist()
    winnipeg = orgs.loc[(orgs[C.CITY] == "winnipeg") & (orgs[C.SECTOR] != "border_services"), C.ORG_ID].tolist()
    for wave in WAVES:
        for pool, p in ((calgary, 0.35), (winnipeg, 0.3)):
            for a, b in itertools.combinations(pool, 2):
                if rng.random() < p:
                    rows.append((wave, a, b, str(rng.choice(types))))
        # the lone border office refers to four Winnipeg NGOs: enough ties, but one contributor
        for i in range(4):
            rows.append((wave, "O-winnipeg-border_services-0", f"O-winnipeg-ngo_social_services-{i}", "referral"))
        for i in range(3):  # ties between cities
            rows.append((wave, f"O-calgary-health-{i}", f"O-winnipeg-immigrant_settlement-{i}", "referral"))
    return pd.DataFrame(rows, columns=[C.WAVE, C.SOURCE_ORG, C.TARGET_ORG, C.TIE_TYPE]).drop_duplicates()


def _respondents(orgs: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    for wave in WAVES:
        for i in range(150):
            org = orgs.iloc[int(rng.integers(len(orgs)))]
            rows.append(
                {
                    C.RESPONDENT_ID: f"R{wave}-{i:04d}",
                    C.WAVE: wave,
                    C.CITY: org[C.CITY],
                    C.SECTOR: org[C.SECTOR],
                    C.ROLE: "frontline",
                    C.CONTACT: str(rng.choice(["yes", "no", "unsure"], p=[0.45, 0.45, 0.1])),
                    C.TRAINED: "yes",
                    C.ORG_ID: org[C.ORG_ID] if i % 10 else None,
                }
            )
        # the border office's only respondent, who reported contact
        rows.append(
            {
                C.RESPONDENT_ID: f"R{wave}-lone",
                C.WAVE: wave,
                C.CITY: "winnipeg",
                C.SECTOR: "border_services",
                C.ROLE: "frontline",
                C.CONTACT: "yes",
                C.TRAINED: "no",
                C.ORG_ID: "O-winnipeg-border_services-0",
            }
        )
    return pd.DataFrame(rows)


def make_network_dataset(folder: Path, seed: int = 3):
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    orgs = _org_table()
    orgs.to_csv(folder / "organisations.csv", index=False, lineterminator="\n")
    _tie_table(orgs, rng).to_csv(folder / "ties.csv", index=False, lineterminator="\n")
    _respondents(orgs, rng).to_csv(folder / "respondents.csv", index=False, lineterminator="\n")
    pd.DataFrame(columns=[C.RESPONDENT_ID, C.LABOUR_SITE, C.VICTIMISATION]).to_csv(
        folder / "encounters.csv", index=False
    )
    write_manifest(
        folder,
        {
            "name": "network fixture",
            "description": "tests",
            "synthetic": True,
            "source": "tests",
            "citation": "tests",
            "licence": "CC0",
            "waves": list(WAVES),
            "version": "1",
        },
    )
    return load_dataset(folder)


@pytest.fixture(scope="module")
def fixture_tables(tmp_path_factory):
    ds = make_network_dataset(tmp_path_factory.mktemp("network"))
    return ds, N.build_tables(ds, vocabularies(), SECRET)


def _strings(frame: pd.DataFrame) -> set[str]:
    return {str(v) for col in frame.columns for v in frame[col].dropna().tolist()} | set(map(str, frame.columns))


def test_nr001_the_extension_is_registered_without_an_import_cycle():
    assert N.build_tables in builder.EXTRA_BUILDERS
    assert builder.EXTRA_BUILDERS.count(N.build_tables) == 1


def test_nr002_the_lone_border_office_shows_no_tie_in_public_or_funder(fixture_tables):
    """Winnipeg's only enforcement organisation has four ties to NGOs: enough ties, one contributor."""
    _, out = fixture_tables
    for tier in N.GROUP_TIERS:
        matrix = out[tier][NW.MATRIX]
        rows = matrix[
            (matrix[C.CITY] == "winnipeg")
            & ((matrix[K.SECTOR_A] == "enforcement_border") | (matrix[K.SECTOR_B] == "enforcement_border"))
        ]
        assert len(rows) > 0
        assert rows[TB.COUNT].fillna(0).eq(0).all(), rows[rows[TB.COUNT].fillna(0) > 0]
        target = rows[(rows[K.SECTOR_B] == "community_settlement") & (rows[C.TIE_TYPE] == ALL)]
        assert len(target) == len(WAVES) and (target[TB.FLAG] == TB.SUPPRESSED).all()


def _subtraction_leaks(matrix: pd.DataFrame, metrics: pd.DataFrame) -> list[str]:
    """Every relation an outsider knows, checked independently: a hidden cell alone among published ones."""
    leaks = []
    hidden = matrix[TB.FLAG] == TB.SUPPRESSED
    view_cols = [C.WAVE, C.TIE_TYPE, C.CITY]
    totals = metrics.set_index(view_cols)[K.TIES]
    for view, rows in matrix.groupby(view_cols):
        n_hidden = int(hidden[rows.index].sum())
        if n_hidden == 1 and pd.notna(totals.get(view)):
            leaks.append(f"view total {view}")
    for (wave, tie_type, a, b), rows in matrix.groupby([C.WAVE, C.TIE_TYPE, K.SECTOR_A, K.SECTOR_B]):
        parent = rows[rows[C.CITY] == ALL]
        parts = rows[rows[C.CITY] != ALL]
        if parent[TB.FLAG].iloc[0] != TB.SUPPRESSED and int(hidden[parts.index].sum()) == 1:
            leaks.append(f"cities of {(wave, tie_type, a, b)}")
    return leaks


def test_nr003_no_hidden_cell_is_alone_in_a_relation(fixture_tables):
    _, out = fixture_tables
    for tier in N.GROUP_TIERS:
        assert _subtraction_leaks(out[tier][NW.MATRIX], out[tier][NW.METRICS]) == []
        assert (out[tier][NW.MATRIX][TB.FLAG] == TB.SUPPRESSED).any()


def test_nr004_small_counts_are_never_published(fixture_tables):
    _, out = fixture_tables
    for tier in N.GROUP_TIERS:
        counts = out[tier][NW.MATRIX][TB.COUNT].dropna()
        assert not counts.between(1, N.MIN_TIES - 1).any()
        metrics = out[tier][NW.METRICS]
        shown = metrics[metrics[TB.FLAG] == ""]
        assert (shown[K.ORGS] >= N.MIN_VIEW_ORGS).all()
        assert metrics.loc[metrics[TB.FLAG] == TB.SUPPRESSED, K.DENSITY].isna().all()


def test_nr005_no_organisation_below_coalition_tier(fixture_tables):
    ds, out = fixture_tables
    org_ids = set(ds["organisations"][C.ORG_ID])
    for tier in N.GROUP_TIERS:
        assert set(out[tier]) & {NW.NODES, NW.EDGES, NW.BROKERS} == set()
        for frame in out[tier].values():
            text = _strings(frame)
            assert not text & org_ids
            assert LONE_NAME not in text and NAMED not in text
    assert set(out["funder"][NW.GROUPS][K.SIZE_BAND]) <= {code for _, code in N.SIZE_BANDS}
    assert NW.GROUPS not in out["public"]


def test_nr006_coalition_names_only_consenting_organisations(fixture_tables):
    ds, out = fixture_tables
    coalition = out["coalition"]
    org_ids = set(ds["organisations"][C.ORG_ID])
    for frame in coalition.values():
        text = _strings(frame)
        assert LONE_NAME not in text
        assert not text & org_ids
    nodes = coalition[NW.NODES]
    assert set(nodes[K.NAME].dropna()) == {NAMED}
    lone = nodes[(nodes[C.SECTOR] == "border_services")]
    assert lone[K.NAME].isna().all() and set(lone[K.NODE]) == {"border_services-1"}


def test_nr007_pseudonyms_are_stable_across_views_and_builds(fixture_tables):
    ds, out = fixture_tables
    nodes = out["coalition"][NW.NODES]
    per_node = nodes.groupby(K.NODE)[[C.SECTOR, K.PSEUDONYM]].nunique()
    assert (per_node == 1).all().all()
    again = N.pseudonyms(ds["organisations"], SECRET)
    assert again.equals(N.pseudonyms(ds["organisations"], SECRET))
    other = N.pseudonyms(ds["organisations"], b"another-secret-0123456789abcdef!")
    assert not again.equals(other)  # the order depends on the secret, not on the ids


def test_nr008_metrics_match_networkx_on_a_hand_checked_view(fixture_tables):
    ds, out = fixture_tables
    metrics = out["coalition"][NW.METRICS].set_index([C.WAVE, C.TIE_TYPE, C.CITY])
    ties = ds["ties"]
    wave_ties = ties[ties[C.WAVE] == 2024]
    pairs = {tuple(sorted(p)) for p in zip(wave_ties[C.SOURCE_ORG], wave_ties[C.TARGET_ORG], strict=True)}
    row = metrics.loc[(2024, ALL, ALL)]
    assert row[K.TIES] == len(pairs)
    orgs = {o for p in pairs for o in p}
    assert row[K.ORGS] == len(orgs)
    assert row[K.DENSITY] == pytest.approx(len(pairs) / (len(orgs) * (len(orgs) - 1) / 2), abs=1e-4)
    sector = ds["organisations"].set_index(C.ORG_ID)[C.SECTOR]
    cross = sum(sector[a] != sector[b] for a, b in pairs)
    assert row[K.CROSS_SHARE] == pytest.approx(100 * cross / len(pairs), abs=0.05)
    assert row[K.EI] == pytest.approx((2 * cross - len(pairs)) / len(pairs), abs=1e-3)
    between = metrics.loc[(2024, ALL, BETWEEN)]
    assert between[K.TIES] == 3  # Calgary health to three Winnipeg settlement agencies
    brokers = out["coalition"][NW.BROKERS]
    top = brokers[(brokers[C.WAVE] == 2024) & (brokers[C.TIE_TYPE] == ALL) & (brokers[C.CITY] == ALL)]
    assert list(top[K.RANK]) == list(range(1, len(top) + 1)) and 0 < len(top) <= N.TOP_BROKERS
    assert top[K.BETWEENNESS].is_monotonic_decreasing


def test_nr009_the_join_table_protects_the_lone_respondent_and_rounds(fixture_tables):
    _, out = fixture_tables
    for tier in N.TIERS:
        contact = out[tier][NW.CONTACT]
        assert set(contact[K.BAND]) == set(N.BAND_CODES)
        for col in (TB.COUNT, TB.N):
            assert not contact[col].dropna().between(1, 4).any(), tier
        for _, rows in contact.groupby(C.WAVE):  # wave totals are published elsewhere: never one hidden cell
            assert (rows[TB.COUNT].isna().sum()) != 1 and (rows[TB.N].isna().sum()) != 1
        shown = contact[contact[TB.PCT].notna()]
        assert (shown[TB.N] >= N.policy_for(tier).min_group_size).all()
        assert (shown[TB.CI_LO] <= shown[TB.PCT]).all() and (shown[TB.PCT] <= shown[TB.CI_HI]).all()
    public = out["public"][NW.CONTACT]
    assert (public[TB.COUNT].dropna() % 5 == 0).all() and (public[TB.N].dropna() % 5 == 0).all()
    assert out["public"][NW.CONTACT][TB.FLAG].equals(out["coalition"][NW.CONTACT][TB.FLAG])


def test_nr010_class_disclosure_is_blocked(tmp_path):
    """Eleven respondents of highly connected organisations who all reported contact: not shown."""
    counts = pd.DataFrame(
        {
            C.WAVE: [2024] * 5,
            K.BAND: list(N.BAND_CODES),
            "yes": [40, 30, 20, 11, 9],
            "no": [40, 30, 25, 0, 9],
            "unsure": [5, 5, 5, 0, 2],
        }
    )
    counts["k"], counts["o"] = counts["yes"], counts["no"] + counts["unsure"]
    counts["n"] = counts["k"] + counts["o"]
    hidden = N.protect_contact(counts)
    assert hidden[3].all()  # the 6+ band: 11 of 11 said yes
    assert hidden[:, 0].sum() >= 2 and hidden[:, 1].sum() >= 2


def test_nr011_the_demo_release_publishes_every_network_table(demo_releases):
    expected = {
        "public": {NW.MATRIX, NW.METRICS, NW.CONTACT},
        "funder": {NW.MATRIX, NW.METRICS, NW.CONTACT, NW.GROUPS},
        "coalition": {NW.MATRIX, NW.METRICS, NW.CONTACT, NW.NODES, NW.EDGES, NW.BROKERS},
    }
    for tier, names in expected.items():
        assert set(demo_releases[tier].extras) >= names
        assert set(demo_releases[tier].meta["extras"]) >= names
    public = demo_releases["public"].extras
    assert _subtraction_leaks(public[NW.MATRIX], public[NW.METRICS]) == []
    groups = set(vocabularies()["sector_group"].codes)
    assert set(public[NW.MATRIX][K.SECTOR_A]) <= groups


def _one_view(ties: list[int], contributors: list[int]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One view of two groups: pairs (0, 0), (0, 1), (1, 1)."""
    view = {C.WAVE: 2024, C.TIE_TYPE: ALL, C.CITY: ALL}
    grid = pd.DataFrame([{**view, "i": i, "j": j} for i, j in ((0, 0), (0, 1), (1, 1))])
    grid[K.TIES], grid["contributors"] = ties, contributors
    metrics = pd.DataFrame([{**view, K.TIES: sum(ties), "cross_g": ties[1]}])
    return grid, metrics


def test_nr012_a_cell_with_one_contributing_organisation_is_hidden_however_many_ties():
    hidden, total_hidden, _ = N.protect_matrix(*_one_view([0, 40, 60], [0, 1, 30]), n_codes=2)
    assert hidden[1]  # 40 ties, all of one organisation: its ties would be published
    assert hidden.sum() + total_hidden.sum() >= 2  # and it cannot be recovered from the total
    hidden, total_hidden, share_hidden = N.protect_matrix(*_one_view([0, 40, 60], [0, 3, 30]), n_codes=2)
    assert not hidden.any() and not total_hidden.any() and not share_hidden.any()  # three organisations: shown
    hidden, _, share_hidden = N.protect_matrix(*_one_view([0, 4, 60], [0, 2, 30]), n_codes=2)
    assert hidden[1] and hidden.sum() >= 2  # four ties (1 … 4 in public and funder): hidden, with a complement
    assert share_hidden.all()  # the cross-sector ties are those four: no share either


def test_nr013_a_dataset_without_ties_publishes_no_network_tables(tmp_path):
    import numpy as np

    from dashboard.data.vocab import vocabularies
    from dashboard.release.network import build_tables
    from tests.release.factory import SECRET, crowd, make_dataset

    ds = make_dataset(tmp_path / "no-ties", crowd(30, 2024, np.random.default_rng(0)))
    assert build_tables(ds, vocabularies(), SECRET) == {}


# ------------------------------------------------------------------------ issue 12, part 5: one rule for every count


def _rounded_counts_ok(values: pd.Series) -> bool:
    shown = values.dropna().astype(int)
    return bool(((shown == 0) | ((shown >= 5) & (shown % 5 == 0))).all())


def test_nr014_network_counts_of_public_and_funder_are_0_or_at_least_5_and_multiples_of_5(fixture_tables):
    _, out = fixture_tables
    for tier in N.GROUP_TIERS:
        tables = out[tier]
        for name, columns in {NW.MATRIX: [TB.COUNT], NW.METRICS: [K.TIES, K.ORGS, K.COMPONENTS]}.items():
            for column in columns:
                assert _rounded_counts_ok(tables[name][column]), (tier, name, column)
                assert tables[name][column].notna().any(), (tier, name, column)  # the view stays meaningful
        assert _rounded_counts_ok(tables[NW.CONTACT][TB.COUNT]) and _rounded_counts_ok(tables[NW.CONTACT][TB.N])
        assert check_extras(tier, tables) == []
    coalition = out["coalition"][NW.MATRIX][TB.COUNT]
    assert (coalition % 5 != 0).any()  # coalition members see exact counts


def test_nr015_shares_and_density_are_computed_from_the_rounded_counts(fixture_tables):
    _, out = fixture_tables
    metrics = out["public"][NW.METRICS]
    shown = metrics[metrics[K.CROSS_SHARE].notna()]
    assert len(shown) > 0
    cross = shown[K.CROSS_SHARE].astype(float) * shown[K.TIES].astype(float) / 100
    assert ((cross - 5 * (cross / 5).round()).abs() < 0.0006 * shown[K.TIES].astype(float) + 1e-9).all()
    ties, orgs = shown[K.TIES].astype(float), shown[K.ORGS].astype(float)
    assert (shown[K.DENSITY].astype(float) - (ties / (orgs * (orgs - 1) / 2)).clip(upper=1).round(4)).abs().max() < 1e-9


def test_nr016_the_cell_key_of_a_tie_is_that_of_its_pair_under_the_secret():
    a, b = pd.Series(["O-1", "O-1", "O-2"]), pd.Series(["O-2", "O-2", "O-3"])
    keys = NR.tie_keys(a, b, SECRET)
    assert keys[0] == keys[1] != keys[2]  # the same pair (any wave, type or place): the same record key
    assert not np.array_equal(keys, NR.tie_keys(a, b, b"another-secret-0123456789abcdef!"))
    org = NR.org_keys(["O-1"], SECRET)
    assert int(org["O-1"]) != int(keys[0])  # an organisation's key is not a tie's (prefixed ids)
    assert NR.key_sum([2**32 - 1, 2]) == 1  # a cell key is the sum modulo 2**32


def test_nr017_rebuilding_gives_byte_identical_network_tables(fixture_tables, tmp_path):
    ds, out = fixture_tables
    again = N.build_tables(ds, vocabularies(), SECRET)
    for tier, tables in out.items():
        for name, frame in tables.items():
            pd.testing.assert_frame_equal(frame, again[tier][name])


def test_nr018_the_rule_checks_catch_an_exact_count_and_a_share_of_exact_counts(fixture_tables):
    _, out = fixture_tables
    matrix = out["public"][NW.MATRIX].copy()
    row = matrix.index[matrix[TB.COUNT].fillna(0) >= 5][0]
    matrix.loc[row, TB.COUNT] = int(matrix.loc[row, TB.COUNT]) + 2
    assert any("not rounded" in p for p in check_extras("public", {**out["public"], NW.MATRIX: matrix}))
    metrics = out["public"][NW.METRICS].copy()
    row = metrics.index[metrics[K.CROSS_SHARE].notna()][0]
    metrics.loc[row, K.CROSS_SHARE] = round(float(metrics.loc[row, K.CROSS_SHARE]) + 1.3, 1)
    assert any("cross-sector share" in p for p in check_extras("funder", {**out["funder"], NW.METRICS: metrics}))
    assert any("organisations published" in p for p in check_extras("public", out["coalition"]))


def _view_tables(counts: list[object], ties: object) -> tuple[pd.DataFrame, pd.DataFrame]:
    view = {C.WAVE: 2024, C.TIE_TYPE: ALL, C.CITY: ALL}
    pairs = [("g1", "g1"), ("g1", "g2"), ("g2", "g2")]
    rows = [{**view, K.SECTOR_A: a, K.SECTOR_B: b, TB.COUNT: c} for (a, b), c in zip(pairs, counts, strict=True)]
    matrix = pd.DataFrame(rows)
    metrics = pd.DataFrame([{**view, K.TIES: ties, K.CROSS_SHARE: pd.NA, K.EI: pd.NA}])
    return matrix, metrics


def test_nr019_the_written_release_attacker_recovers_a_lone_hidden_cell_of_exact_counts_not_of_rounded():
    exact = Knowledge()
    add_network(exact, *_view_tables([pd.NA, 10, 20], 33), rounded=False, floor=5)
    assert [key for key, *_ in solve(exact, 5)] == [("p", 2024, ALL, ALL, "g1", "g1")]  # 33 − 10 − 20 = 3
    rounded = Knowledge()
    add_network(rounded, *_view_tables([pd.NA, 10, 20], 35), rounded=True, floor=5)
    assert solve(rounded, 5) == []  # 35 ± 4 − (10 ± 4) − (20 ± 4) may be 0 or 5 and more


def test_nr020_the_written_release_attacker_passes_the_fixture_release(fixture_tables):
    _, out = fixture_tables
    releases = {tier: TB.Release(tier, {"tier": tier}, extras=dict(tables)) for tier, tables in out.items()}
    assert attack_extras(releases, vocabularies()) == []


def test_nr021_the_audit_command_covers_the_network_tables_of_a_written_release(fixture_tables, tmp_path, capsys):
    from dashboard.cli import main

    ds, _ = fixture_tables
    version = builder.write(builder.build(ds, vocabularies(), SECRET), tmp_path / "releases")
    assert main(["audit", str(tmp_path / "releases")]) == 0
    assert "network and voices" in capsys.readouterr().out
    path = version / "public" / TB.extra_file_name(NW.MATRIX)
    matrix = pd.read_parquet(path)
    hidden = matrix.index[matrix[TB.COUNT].isna()][0]
    matrix.loc[hidden, [TB.COUNT, TB.FLAG]] = [3, ""]  # publish an exact small count that was hidden
    matrix.to_parquet(path, index=False)
    assert main(["audit", str(version)]) == 1
    err = capsys.readouterr().err
    assert "public: network_matrix.count: 1 count(s) not rounded to base 5" in err
