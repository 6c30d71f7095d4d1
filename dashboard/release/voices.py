"""Published tables of the qualitative sources (issue 5, "Voices"; SPEC §3 and §4), built with the release.

The unit is the *qualitative source* (an interview, group interview, focus group or document), never a person.

- ``voices_themes`` (every tier): the number of sources coding each theme, broken down one way at a time:
  ``total`` (every source), by ``method``, by sector (``sector_group`` in public and funder tiers, ``sector`` in
  coalition) and by ``city``. A source with no sector or no city (documents, mixed focus groups) counts under
  ``_none``, so each breakdown adds up to the total. ``theme == "_all"`` is the number of sources in the category
  whatever their themes; a source codes several themes, so the theme rows of a category are a multi-response
  breakdown of it (``_none``: sources with no coded theme, present only when there are some).
- ``voices_quotes`` (every tier): the approved quotes the tier may see (a quote's ``audience`` is the lowest tier
  allowed to see it: public sees public; funder sees funder and public; coalition sees every approved quote except
  those kept for stewards), with ``quote_id``, ``theme``, ``text`` and ``attribution`` only. ``source_id`` is never
  published: it would link a quote to a city and method. A quote is published only when its attribution is a sector
  label, "<sector or sector group label> representative" (as in SPEC §3); any other attribution (a name, a role, a
  place) withholds the quote from every tier. Approving a quote for an audience is the steward's decision: a
  published quote shows that at least one source of its sector coded its theme, which the themes table's
  suppression does not model (the quote itself discloses that much).

Protection, like every other table of the release (SPEC §4):

- public and funder (one table for both): a count of ``1 .. threshold - 1`` sources (``policy_for(tier)``:
  1–4) is hidden (primary suppression); then secondary suppression (``privacy.suppression.secondary_suppress``)
  over every relation an outsider knows: each breakdown sums to the total of its theme, and the themes of a
  category are a multi-response breakdown of the category's sources. The attacker's integer programme
  (``privacy.audit``) must not narrow any hidden cell to ``1 .. threshold - 1``. Shown counts are then rounded to
  base 5 with the seeded cell-key method (a source's record key is an HMAC of its id under the release secret).
- coalition: exact counts, threshold 4 (1–3 hidden), protected the same way, in one system that also holds the
  public cells the coalition member can see (rounded, fixed): public method, city and total cells equal the
  coalition ones and a public sector-group cell is the sum of its sectors, so nothing hidden in coalition can be
  recovered with the help of the public table.
- Hidden cells publish no count (missing) and the flag ``x``. If no safe pattern is found, every count is hidden.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import pandas as pd

from dashboard.data.dataset import Dataset
from dashboard.data.schema import C, T
from dashboard.data.vocab import Vocabularies
from dashboard.privacy.rounding import cell_keys, record_keys, round_base5
from dashboard.privacy.suppression import SuppressionError, secondary_suppress
from dashboard.privacy.system import SystemBuilder
from dashboard.published import table as TB
from dashboard.published.dims import ALL, NONE
from dashboard.published.policy import policy_for
from dashboard.published.tiers import PUBLISHED_TIERS, TIERS_ASCENDING, Tier, rank
from dashboard.published.voices_schema import QUOTE_COLUMNS, TOTAL, VO, K
from dashboard.release.checks import require_extras

TIERS: Final = PUBLISHED_TIERS
AUDIENCE_RANK: Final = {str(t): rank(t) for t in TIERS_ASCENDING}
ATTRIBUTION_SUFFIX: Final = "representative"  # attributions are "<sector label> representative" (SPEC §3)

CELL: Final = [K.BREAKDOWN, K.CATEGORY, C.THEME]


def _ordered(values: pd.Series, codes: tuple[str, ...]) -> list[str]:
    """The vocabulary codes that occur in ``values``, in vocabulary order, then ``NONE`` if a value is missing."""
    present = set(values.dropna().astype(str))
    out = [c for c in codes if c in present]
    return [*out, NONE] if values.isna().any() else out


def theme_grid(dataset: Dataset, vocab: Vocabularies, sector_level: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every cell of the themes table at one sector level, and which sources belong to each cell (``cell``)."""
    sources = dataset[T.SOURCES]
    themes = dataset.tables.get(T.THEMES, pd.DataFrame(columns=[C.SOURCE_ID, C.THEME]))
    sid = sources[C.SOURCE_ID].astype(str)
    sector = sources[C.SECTOR].astype(object)
    if sector_level == C.SECTOR_GROUP:
        sector = sector.map(vocab.sector_group_of())  # a missing sector stays missing
    by = {
        C.METHOD: sources[C.METHOD].astype(object),
        sector_level: sector,
        C.CITY: sources[C.CITY].astype(object),
    }
    categories = {TOTAL: [ALL]}
    codes = {C.METHOD: vocab["method"].codes, sector_level: vocab[sector_level].codes, C.CITY: vocab["city"].codes}
    for name, values in by.items():
        categories[name] = _ordered(values, codes[name])
    coded = themes[themes[C.SOURCE_ID].astype(str).isin(set(sid))]
    theme_list = [c for c in vocab["theme"].codes if c in set(coded[C.THEME].astype(str))]
    untagged = ~sid.isin(set(coded[C.SOURCE_ID].astype(str)))
    theme_list = [ALL, *theme_list, *([NONE] if untagged.any() else [])]
    # membership: one row per source and category it belongs to, then per theme it codes
    cats = [pd.DataFrame({C.SOURCE_ID: sid, K.BREAKDOWN: TOTAL, K.CATEGORY: ALL})]
    for name, values in by.items():
        cats.append(pd.DataFrame({C.SOURCE_ID: sid, K.BREAKDOWN: name, K.CATEGORY: values.fillna(NONE).astype(str)}))
    per_source_themes = pd.concat(
        [
            pd.DataFrame({C.SOURCE_ID: sid, C.THEME: ALL}),
            pd.DataFrame({C.SOURCE_ID: coded[C.SOURCE_ID].astype(str), C.THEME: coded[C.THEME].astype(str)}),
            pd.DataFrame({C.SOURCE_ID: sid[untagged], C.THEME: NONE}),
        ],
        ignore_index=True,
    ).drop_duplicates()
    members = pd.concat(cats, ignore_index=True).merge(per_source_themes, on=C.SOURCE_ID)
    grid = pd.DataFrame(
        [(b, c, th) for b, cs in categories.items() for c in cs for th in theme_list], columns=CELL
    ).reset_index(names="cell")
    members = members.merge(grid, on=CELL, how="inner")
    return grid, members


def with_counts(grid: pd.DataFrame, members: pd.DataFrame, secret: bytes) -> pd.DataFrame:
    """The grid with each cell's true count and cell key (sum of its sources' record keys mod 2^32)."""
    out = grid.copy()
    codes = members["cell"].to_numpy(np.int64)
    out["value"] = np.bincount(codes, minlength=len(grid)).astype(np.int64)
    out["key"] = cell_keys(codes, record_keys(members[C.SOURCE_ID].to_numpy(dtype=str), secret), len(grid))
    return out


def add_cells(sb: SystemBuilder, grid: pd.DataFrame, prefix: str, threshold: int) -> list[tuple]:
    """Add every cell of ``grid`` under ``(prefix, breakdown, category, theme)`` and the relations between them."""
    keys = [(prefix, *row) for row in grid[CELL].itertuples(index=False, name=None)]
    for key, value in zip(keys, grid["value"], strict=True):
        sb.cell(key, int(value), threshold)
    themes = list(dict.fromkeys(grid[C.THEME]))
    breakdowns = {b: list(dict.fromkeys(rows[K.CATEGORY])) for b, rows in grid.groupby(K.BREAKDOWN, sort=False)}
    for theme in themes:  # every breakdown adds up to the total of the theme
        for b, cats in breakdowns.items():
            if b != TOTAL:
                sb.add_additive((prefix, TOTAL, ALL, theme), [(prefix, b, c, theme) for c in cats])
    parts = [th for th in themes if th != ALL]
    for b, cats in breakdowns.items():  # themes of a category: a multi-response breakdown of its sources
        for c in cats:
            if parts:
                sb.add_multi((prefix, b, c, ALL), [(prefix, b, c, th) for th in parts])
    return keys


def protect_low(grid: pd.DataFrame) -> np.ndarray:
    """Hidden mask of the public / funder table (their policies are the same: one pattern for both)."""
    policy = policy_for(Tier.PUBLIC)
    threshold = max(policy.threshold(), policy_for(Tier.FUNDER).threshold())
    sb = SystemBuilder()
    keys = add_cells(sb, grid, "low", threshold)
    published = round_base5(grid["value"].to_numpy(np.int64), grid["key"].to_numpy(np.uint32))
    system = sb.build(rounded=True, published_value=published)
    mask = secondary_suppress(system, np.zeros(system.n_cells, dtype=bool))
    return mask[[sb.index(k) for k in keys]]


def protect_coalition(
    grid: pd.DataFrame, low: pd.DataFrame, low_hidden: np.ndarray, group_of: dict[str, str]
) -> np.ndarray:
    """Hidden mask of the coalition table, with the public cells it can be combined with as fixed knowledge."""
    sb = SystemBuilder()
    keys = add_cells(sb, grid, "coal", policy_for(Tier.COALITION).threshold())
    n_coal = sb.n_cells
    coal_cells = set(keys)
    low_threshold = policy_for(Tier.PUBLIC).threshold()
    published = [int(v) for v in grid["value"]]  # coalition cells are exact
    shown = low[~low_hidden]
    low_values = round_base5(shown["value"].to_numpy(np.int64), shown["key"].to_numpy(np.uint32))
    for (b, c, th), value, rounded in zip(
        shown[CELL].itertuples(index=False, name=None), shown["value"], low_values, strict=True
    ):
        if b == C.SECTOR_GROUP:
            children = [k for k in coal_cells if k[1] == C.SECTOR and k[3] == th and group_of.get(k[2], NONE) == c]
        else:
            children = [("coal", b, c, th)] if ("coal", b, c, th) in coal_cells else []
        if not children:
            continue
        sb.cell(("low", b, c, th), int(value), low_threshold)
        published.append(int(rounded))
        sb.add_additive(("low", b, c, th), sorted(children))
    rounded_mask = np.arange(sb.n_cells) >= n_coal  # the public cells: rounded, already published
    system = sb.build(rounded=rounded_mask, published_value=np.array(published, dtype=np.int64))
    start = np.zeros(system.n_cells, dtype=bool)
    mask = secondary_suppress(system, start, eligible=~rounded_mask)
    return mask[[sb.index(k) for k in keys]]


def published_themes(grid: pd.DataFrame, hidden: np.ndarray, rounded: bool) -> pd.DataFrame:
    """The themes table as published: counts (rounded in rounded tiers), missing and flagged ``x`` when hidden."""
    values = grid["value"].to_numpy(np.int64)
    if rounded:
        values = round_base5(values, grid["key"].to_numpy(np.uint32))
    out = grid[CELL].copy()
    out[TB.COUNT] = pd.array(values, dtype="Int64")
    out.loc[hidden, TB.COUNT] = pd.NA
    out[TB.FLAG] = np.where(hidden, TB.SUPPRESSED, "")
    return out.reset_index(drop=True)


def attributions(vocab: Vocabularies) -> frozenset[str]:
    """The attributions a quote may carry: "<sector label> representative" (or a sector group's), in English."""
    labels = [*vocab["sector"].label_map("en").values(), *vocab["sector_group"].label_map("en").values()]
    return frozenset(f"{label} {ATTRIBUTION_SUFFIX}" for label in labels)


def published_quotes(dataset: Dataset, vocab: Vocabularies, tier: str) -> pd.DataFrame:
    """The approved quotes ``tier`` may see: quote_id, theme, text, attribution (never the source)."""
    quotes = dataset.tables.get(T.QUOTES)
    if quotes is None or quotes.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in QUOTE_COLUMNS})
    rank = quotes[C.AUDIENCE].astype(str).map(AUDIENCE_RANK)
    themes = list(vocab["theme"].codes)
    sector_only = quotes[C.ATTRIBUTION].astype(str).str.strip().isin(attributions(vocab))
    keep = quotes[(rank <= AUDIENCE_RANK[tier]).fillna(False) & quotes[C.THEME].isin(themes) & sector_only].copy()
    keep["_order"] = keep[C.THEME].map({c: i for i, c in enumerate(themes)})
    keep = keep.sort_values(["_order", C.QUOTE_ID], kind="stable")
    out = keep[list(QUOTE_COLUMNS)].astype(str)
    out[C.ATTRIBUTION] = out[C.ATTRIBUTION].str.strip()
    return out.reset_index(drop=True)


def build_tables(dataset: Dataset, vocab: Vocabularies, secret: bytes) -> dict[str, dict[str, pd.DataFrame]]:
    """The release builder's extension point: ``{tier: {table name: published table}}`` for every tier."""
    sources = dataset.tables.get(T.SOURCES)
    if sources is None or sources.empty:
        return {}  # no qualitative sources: the page says so
    low = with_counts(*theme_grid(dataset, vocab, C.SECTOR_GROUP), secret)
    coal = with_counts(*theme_grid(dataset, vocab, C.SECTOR), secret)
    try:
        low_hidden = protect_low(low)
    except SuppressionError:  # no safe pattern found: publish no count rather than a risky one
        low_hidden = np.ones(len(low), dtype=bool)
    try:
        coal_hidden = protect_coalition(coal, low, low_hidden, vocab.sector_group_of())
    except SuppressionError:
        coal_hidden = np.ones(len(coal), dtype=bool)
    low_table = published_themes(low, low_hidden, rounded=policy_for(Tier.PUBLIC).rounded)
    out: dict[str, dict[str, pd.DataFrame]] = {
        Tier.PUBLIC: {VO.THEMES: low_table},
        Tier.FUNDER: {VO.THEMES: low_table.copy()},
        Tier.COALITION: {VO.THEMES: published_themes(coal, coal_hidden, rounded=policy_for(Tier.COALITION).rounded)},
    }
    for tier in TIERS:
        out[tier][VO.QUOTES] = published_quotes(dataset, vocab, tier)
    return require_extras(out)
