"""Releases built to be broken: the fixtures of SPEC §4 and issue 3, for every tier."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dashboard.data.schema import C
from dashboard.data.vocab import vocabularies
from dashboard.published import dims as D
from dashboard.published import table as TB
from dashboard.published.dims import CubeSpec
from dashboard.release.attack import attack
from dashboard.release.builder import build, write
from dashboard.release.checks import check_release
from dashboard.release.linking import cell_keys
from dashboard.release.written_attack import attack as written_attack
from tests.release.factory import SECRET, crowd, make_dataset

TIERS = ("public", "funder", "coalition")
SMALL_WAVE = 20  # respondents per wave of the determinism check's fixture


def _shown(release: TB.Release, **where: str) -> list[int]:
    """Published counts of every row matching ``where`` in every table that has those dims."""
    out = []
    for dims, table in release.tables.items():
        if set(where) <= set(dims):
            rows = table.frame
            for dim, value in where.items():
                rows = rows[rows[dim] == value]
            out += [int(c) for c in rows[TB.COUNT].dropna()]
    return out


@pytest.fixture(scope="module")
def lone_border_officer(tmp_path_factory):
    rng = np.random.default_rng(1)
    people = crowd(120, 2024, rng, cities=("calgary", "edmonton", "winnipeg"))
    people = [p for p in people if not (p[C.CITY] == "winnipeg" and p[C.SECTOR] == "border_services")]
    people.append(
        {
            C.WAVE: 2024,
            C.CITY: "winnipeg",
            C.SECTOR: "border_services",
            C.ROLE: "frontline",
            C.CONTACT: "yes",
            C.TRAINED: "no",
        }
    )
    ds = make_dataset(tmp_path_factory.mktemp("lone"), people)
    return ds, build(ds, vocabularies(), SECRET)


def test_rl001_the_only_border_officer_in_winnipeg_cannot_be_seen_or_recovered(lone_border_officer):
    _, result = lone_border_officer
    coalition = result.releases["coalition"]
    assert _shown(coalition, city="winnipeg", sector="border_services") in ([], [0]) or all(
        c != 1 for c in _shown(coalition, city="winnipeg", sector="border_services")
    )
    rows = coalition.table("city", "sector").select(city="winnipeg", sector="border_services")
    assert rows[TB.COUNT].isna().all() and (rows[TB.FLAG] == TB.SUPPRESSED).all()
    for tier in TIERS:
        assert check_release(result.releases[tier]) == []
    # by subtraction or by the attacker's integer programme, over every tier's tables
    assert attack(result.releases, vocabularies()) == []


def test_rl001b_the_independent_attacker_cannot_recover_the_lone_officer_either(lone_border_officer):
    _, result = lone_border_officer
    assert written_attack(result.releases, vocabularies()) == []


def test_rl002_the_lone_officer_is_not_recoverable_by_subtracting_margins(lone_border_officer):
    _, result = lone_border_officer
    table = result.releases["coalition"].table("city", "sector").frame
    winnipeg = table[table["city"] == "winnipeg"]
    total = result.releases["coalition"].table("city").select(city="winnipeg")[TB.COUNT].iloc[0]
    hidden = winnipeg[TB.COUNT].isna()
    assert hidden.sum() >= 2  # a single hidden cell in a row would be total minus the rest
    assert pd.notna(total) and winnipeg[TB.COUNT].fillna(0).sum() < total


@pytest.fixture(scope="module")
def three_police(tmp_path_factory):
    rng = np.random.default_rng(2)
    people = [p for p in crowd(150, 2024, rng) if not (p[C.CITY] == "vancouver" and p[C.SECTOR] == "law_enforcement")]
    for _ in range(3):
        people.append(
            {
                C.WAVE: 2024,
                C.CITY: "vancouver",
                C.SECTOR: "law_enforcement",
                C.ROLE: "frontline",
                C.CONTACT: "yes",
                C.TRAINED: "no",
            }
        )
    ds = make_dataset(tmp_path_factory.mktemp("police"), people)
    return ds, build(ds, vocabularies(), SECRET)


def test_rl003_three_police_who_gave_the_same_answer_are_not_disclosed(three_police):
    _, result = three_police
    coalition = result.releases["coalition"]
    for item in ("contact_any", "trained"):
        if coalition.has("city", "sector", item):
            rows = coalition.table("city", "sector", item).select(city="vancouver", sector="law_enforcement")
            assert rows[TB.PCT].isna().all()
            assert not ((rows[TB.COUNT] == 3) & (rows[item] == ("yes" if item == "contact_any" else "no"))).any()
    for tier in TIERS:
        assert 3 not in _shown(result.releases[tier], city="vancouver", sector="law_enforcement")
    assert attack(result.releases, vocabularies()) == []


def _waves_one_apart(folder: Path, n: int = 80):
    """``n`` respondents answering in 2022 and again in 2024, plus one newcomer in 2024."""
    rng = np.random.default_rng(3)
    base = crowd(n, 2022, rng)
    later = [dict(p, wave=2024) for p in base]
    newcomer = {
        C.WAVE: 2024,
        C.CITY: "edmonton",
        C.SECTOR: "health",
        C.ROLE: "management",
        C.CONTACT: "unsure",
        C.TRAINED: "yes",
    }
    ds = make_dataset(folder, base + later + [newcomer])
    return ds, build(ds, vocabularies(), SECRET), newcomer


@pytest.fixture(scope="module")
def waves_one_apart(tmp_path_factory):
    return _waves_one_apart(tmp_path_factory.mktemp("waves"))  # a slow build (its audit's integer programmes)


# The slow fixture and the two tests that read it are one xdist work unit, apart from the rest of this module (the
# determinism check builds its own small fixture): with ``-n 2`` the other process runs everything else meanwhile.
WAVES = pytest.mark.xdist_group("release-builder-waves-one-apart")


@pytest.mark.slow
@WAVES
def test_rl005b_the_two_wave_release_passes_the_attackers_audit(waves_one_apart):
    """The two-wave fixture passes the attacker's programme (moved from rl005, so that the small determinism check
    runs in the other process while this fixture builds; first of its unit, so that the unit's last test is short)."""
    assert attack(waves_one_apart[1].releases, vocabularies()) == []


@pytest.mark.slow
@WAVES
def test_rl004_two_waves_one_person_apart_do_not_reveal_the_newcomer(waves_one_apart):
    """Subtracting 2022 from 2024 must not single out the newcomer's answer in any published table."""
    _, result, _newcomer = waves_one_apart
    for tier in TIERS:
        for dims, table in result.releases[tier].tables.items():
            if len(dims) != 1:
                continue
            (dim,) = dims
            f = table.frame.set_index([D.WAVE, dim])[TB.COUNT]
            cats = f.index.get_level_values(1).unique()
            diffs = {
                c: f.get((2024, c)) - f.get((2022, c))
                if pd.notna(f.get((2024, c))) and pd.notna(f.get((2022, c)))
                else None
                for c in cats
            }
            known_nonzero = [c for c, d in diffs.items() if d is not None and d != 0]
            unknown = [c for c, d in diffs.items() if d is None]
            # revealed: the only category that changed is known, every other is known unchanged
            assert not (len(known_nonzero) == 1 and not unknown), (tier, dim, diffs)


@pytest.mark.slow
@pytest.mark.xdist_group("release-builder-deterministic")
def test_rl005_release_passes_its_own_written_audit_and_is_deterministic(tmp_path: Path):
    # deterministic: the same dataset built twice gives the same bytes, shown at a small size (two builds of the
    # 80-respondent fixture took four minutes; its integer programmes are bounded by node counts, not by time)
    ds, first, _ = _waves_one_apart(tmp_path / "small", SMALL_WAVE)
    second = build(ds, vocabularies(), SECRET)
    a, b = write(first, tmp_path / "a"), write(second, tmp_path / "b")
    for tier in TIERS:
        for path in sorted((a / tier).iterdir()):
            assert path.read_bytes() == (b / tier / path.name).read_bytes(), path
    assert attack(first.releases, vocabularies()) == []


def test_rl006_one_cell_shows_one_value_whatever_the_table(lone_border_officer):
    """The same respondents reached through different tables (and public vs funder) show the same count."""
    _, result = lone_border_officer
    values: dict[str, set[int]] = {}
    reached: dict[str, int] = {}
    for tier in ("public", "funder"):
        for dims, table in result.releases[tier].tables.items():
            keys = cell_keys(table.frame, CubeSpec(dims))
            for key, count in zip(keys, table.frame[TB.COUNT], strict=True):
                if pd.notna(count):
                    values.setdefault(key, set()).add(int(count))
                    reached[key] = reached.get(key, 0) + 1
    assert all(len(v) == 1 for v in values.values())
    assert sum(1 for n in reached.values() if n > 1) > 50  # many cells are reached through several tables


def test_rl007_a_filter_pair_differing_by_one_person_is_protected(tmp_path: Path):
    rng = np.random.default_rng(4)
    people = [dict(p, role="frontline" if p[C.ROLE] == "other" else p[C.ROLE]) for p in crowd(100, 2024, rng)]
    people.append(
        {C.WAVE: 2024, C.CITY: "calgary", C.SECTOR: "health", C.ROLE: "other", C.CONTACT: "yes", C.TRAINED: "no"}
    )
    ds = make_dataset(tmp_path / "pair", people)
    result = build(ds, vocabularies(), SECRET)
    for tier in TIERS:
        release = result.releases[tier]
        assert 1 not in _shown(release, role="other")
        total = release.table().frame[TB.COUNT].iloc[0]
        roles = release.table("role").frame
        if not release.meta["rounded"]:
            # "everyone" minus "frontline and management" must not give the one "other"
            assert roles[TB.COUNT].isna().sum() != 1 and not (
                roles[TB.COUNT].notna().all() and total - roles[TB.COUNT].sum() == 1
            )
    assert attack(result.releases, vocabularies()) == []


def test_rl001c_the_attackers_programme_holds_the_encounter_bounds(lone_border_officer, monkeypatch):
    """Encounters are at most their group and at most its contact = yes respondents: the written-release attacker
    of ``attack.py`` states those inequalities too, each true of its own consistent guess."""
    import dashboard.release.attack as attack_module

    _, result = lone_border_officer
    seen = []
    real_audit = attack_module.audit

    def spy(system, hidden, **kwargs):
        seen.append(system)
        return real_audit(system, hidden, **kwargs)

    monkeypatch.setattr(attack_module, "audit", spy)
    assert attack(result.releases, vocabularies()) == []
    assert len(seen) == len(TIERS)
    for system in seen:
        pairs = system.at_most
        assert pairs.shape[0] > 0
        assert (system.value[pairs[:, 0]] <= system.value[pairs[:, 1]]).all()
