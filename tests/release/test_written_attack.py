"""The written-release attacker (``dashboard.release.written_attack``) on small hand-made releases: it must find what
subtraction recovers, withheld rows included, and clear what it cannot."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.data.vocab import vocabularies
from dashboard.published import table as TB
from dashboard.release.written_attack import attack, cell_range

VOCAB = vocabularies()
CITIES = VOCAB["city"].codes
ROLES = VOCAB["role"].codes
ALBERTA = [c for c in CITIES if VOCAB.province_of()[c] == "AB"]
POLICY = {"suppress_below": 5, "suppress_below_sensitive": 5}


def _table(dims: tuple[str, ...], rows: list[tuple[object, ...]]) -> TB.PublishedTable:
    """A published table from rows of (wave, *categories, count), count None for a suppressed ``x``."""
    frame = pd.DataFrame(rows, columns=["wave", *dims, TB.COUNT])
    frame[TB.COUNT] = frame[TB.COUNT].astype("Int64")
    frame[TB.FLAG] = frame[TB.COUNT].isna().map({True: TB.SUPPRESSED, False: ""})
    return TB.PublishedTable(dims, frame, None, False)


def _release(*tables: TB.PublishedTable, tier: str = "coalition") -> dict[str, TB.Release]:
    meta = {"tier": tier, "rounded": False, "waves": [2014], "policy": POLICY, "dataset": {}, "tables": []}
    release = TB.Release(tier, meta)
    for table in tables:
        release.tables[table.dims] = table
    return {tier: release}


def _city_counts(hidden: dict[str, int | None]) -> list[tuple[object, ...]]:
    """Every city 0 but the given ones (None: suppressed)."""
    return [(2014, c, hidden.get(c, 0)) for c in CITIES]


def test_at001_a_city_recovered_by_subtraction_from_the_total_is_found():
    releases = _release(
        _table((), [(2014, 12)]),
        _table(("city",), _city_counts({"calgary": 10, "edmonton": None})),
    )
    findings = attack(releases, VOCAB)
    assert [(f.cell, f.lower, f.upper) for f in findings] == [("2014|city=edmonton", 2, 2)]
    assert cell_range(releases, VOCAB, "coalition", "2014|city=edmonton", relaxed=True) == (2.0, 2.0)


def test_at002_two_hidden_cities_of_one_total_are_safe():
    releases = _release(
        _table((), [(2014, 12)]),
        _table(("city",), _city_counts({"calgary": 8, "edmonton": None, "red_deer": None})),
    )
    assert attack(releases, VOCAB) == []
    assert attack(releases, VOCAB, relaxed=True) == []
    low, high = cell_range(releases, VOCAB, "coalition", "2014|city=edmonton")
    assert (low, high) == (0.0, 4.0)


def test_at003_a_withheld_row_is_an_unknown_in_every_relation_it_belongs_to():
    # city × role: the Edmonton rows are withheld (absent from the file), the rest shown. Edmonton's total and the
    # role totals are published, so Edmonton "other" = role "other" minus the other cities' "other".
    rows = []
    for c in CITIES:
        if c == "edmonton":
            continue
        for r in ROLES:
            rows.append((2014, c, r, {"calgary": {"frontline": 6, "management": 5, "other": 0}}.get(c, {}).get(r, 0)))
    releases = _release(
        _table(("city",), _city_counts({"calgary": 11, "edmonton": 9})),
        _table(("role",), [(2014, "frontline", 10), (2014, "management", 8), (2014, "other", 2)]),
        _table(("city", "role"), rows),
    )
    found = {(f.cell, f.lower, f.upper) for f in attack(releases, VOCAB)}
    assert ("2014|city=edmonton|role=other", 2, 2) in found
    assert cell_range(releases, VOCAB, "coalition", "2014|city=edmonton|role=other", relaxed=True) == (2.0, 2.0)


def test_at004_a_province_is_the_sum_of_its_cities():
    shown = {c: 0 for c in ALBERTA}
    shown.update({ALBERTA[0]: 20, ALBERTA[1]: None})
    releases = _release(
        _table(("province",), [(2014, p, 23 if p == "AB" else 0) for p in VOCAB["province"].codes]),
        _table(("city",), _city_counts(shown)),
    )
    assert [(f.cell, f.lower, f.upper) for f in attack(releases, VOCAB)] == [(f"2014|city={ALBERTA[1]}", 3, 3)]


def test_at005_tables_that_contradict_each_other_are_an_error_not_a_pass():
    releases = _release(_table((), [(2014, 12)]), _table(("city",), _city_counts({"calgary": 10})))
    with pytest.raises(ValueError, match="inconsistent"):
        attack(releases, VOCAB)


def test_at006_a_rounded_lower_tier_narrows_what_the_higher_tier_hides():
    # the public tier shows the total 10 (so 6 .. 14, and at least 5); coalition shows Calgary 9 and hides Edmonton,
    # every other city 0: Edmonton lies in 0 .. 5, not narrowed into 1 .. 4.
    public = _release(_table((), [(2014, 10)]), tier="public")
    public["public"].meta["rounded"] = True
    coalition = _release(_table(("city",), _city_counts({"calgary": 9, "edmonton": None})))
    assert attack({**public, **coalition}, VOCAB) == []
    assert cell_range({**public, **coalition}, VOCAB, "coalition", "2014|city=edmonton") == (0.0, 5.0)


def _meta_entry(release: TB.Release, dims: tuple[str, ...], not_published: list[int]) -> None:
    release.meta["tables"].append({"dims": list(dims), "not_published_waves": not_published})


def test_at007_a_wave_a_table_does_not_publish_is_no_target_and_its_relations_are_written_directly():
    # The city table is not published for 2014 (too sparse for the tier): none of its cells is a target. The
    # province table is not published for 2014 either, so "cities sum to the total" is written directly rather
    # than implied through the provinces: a city hidden in a published wave is still found by subtraction.
    releases = _release(
        _table((), [(2014, 12), (2016, 12)]),
        _table(("province",), [(2016, p, 12 if p == "AB" else 0) for p in sorted(set(VOCAB.province_of().values()))]),
        _table(("city",), [(2016, c, {"calgary": 10, "edmonton": None}.get(c, 0)) for c in CITIES]),
    )
    release = releases["coalition"]
    release.meta["waves"] = [2014, 2016]
    _meta_entry(release, ("province",), [2014])
    _meta_entry(release, ("city",), [2014])
    findings = attack(releases, VOCAB, relaxed=True)
    assert [(f.cell, f.lower, f.upper) for f in findings] == [("2016|city=edmonton", 2, 2)]
    assert "2014|city=edmonton" not in {f.cell for f in findings}


def test_at008_cities_of_a_wave_the_provinces_do_not_publish_still_sum_to_the_total():
    releases = _release(
        _table((), [(2014, 12)]),
        _table(("province",), []),
        _table(("city",), _city_counts({"calgary": 10, "edmonton": None})),
    )
    _meta_entry(releases["coalition"], ("province",), [2014])
    _meta_entry(releases["coalition"], ("city",), [])
    assert cell_range(releases, VOCAB, "coalition", "2014|city=edmonton", relaxed=True) == (2.0, 2.0)
