"""Turn a protected cube (exact counts, suppression mask, cell keys) into its published table.

Counts are rounded (public and funder tiers) or exact; suppressed cells carry no count and the flag ``x``.
Shares are computed only from published counts: the numerator is a published cell, the denominator is a
published cell (``_any`` for encounter items) or the sum of the published answered categories, and the group
must reach the tier's minimum size. In rounded tiers the share and its Wilson interval therefore come from
rounded counts, so no exact count can be worked back from them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.privacy.intervals import quality_flag, wilson
from dashboard.privacy.rounding import round_base5
from dashboard.published import dims as D
from dashboard.published import table as TB
from dashboard.published.dims import CubeSpec
from dashboard.published.policy import TierPolicy


def item_of(spec: CubeSpec) -> str | None:
    """The dimension a share is computed over: the last item dimension of the table, if any."""
    items = [d for d in spec.dims if d in D.ITEM_DIMS]
    return items[-1] if items else None


def published_table(
    spec: CubeSpec,
    frame: pd.DataFrame,
    suppressed: np.ndarray,
    policy: TierPolicy,
    not_published: frozenset[int] = frozenset(),
) -> TB.PublishedTable:
    """The published form of one cube. ``frame`` has wave, dims, ``count`` and ``cell_key`` columns;
    ``not_published``: the waves the tier does not publish the table for (``frame`` has no row of them)."""
    counts = frame["count"].to_numpy(dtype=np.int64)
    shown = round_base5(counts, frame["cell_key"].to_numpy(dtype=np.uint32)) if policy.rounded else counts
    out = frame[[D.WAVE, *spec.dims]].copy()
    out[TB.COUNT] = pd.array(np.where(suppressed, 0, shown), dtype="Int64")
    out.loc[suppressed, TB.COUNT] = pd.NA
    out[TB.FLAG] = np.where(suppressed, TB.SUPPRESSED, "")
    item = item_of(spec)
    _add_shares(out, spec, item, policy)
    return TB.PublishedTable(spec.dims, out.reset_index(drop=True), item, policy.rounded, not_published)


def _add_shares(out: pd.DataFrame, spec: CubeSpec, item: str | None, policy: TierPolicy) -> None:
    n_rows = len(out)
    if item is None:
        for col in (TB.N, TB.PCT, TB.CI_LO, TB.CI_HI):
            out[col] = pd.array([pd.NA] * n_rows, dtype="Float64" if col != TB.N else "Int64")
        out[TB.PCT_FLAG] = ""
        return
    group_cols = [D.WAVE, *(d for d in spec.dims if d != item)]
    count = out[TB.COUNT].astype("Float64")
    if item in D.ENCOUNTER_DIMS:
        is_base = out[item] == D.ANY
        is_part = ~is_base
    else:
        is_base = out[item] != D.MISSING
        is_part = is_base
    base_vals = count.where(is_base, 0.0)
    # a denominator exists only if every base cell of the group is published
    base_missing = (count.isna() & is_base).groupby([out[c] for c in group_cols], sort=False).transform("any")
    n = base_vals.groupby([out[c] for c in group_cols], sort=False).transform("sum")
    n = n.where(~base_missing.astype(bool))
    k = count.where(is_part)
    ok = k.notna() & n.notna() & (n > 0) & (n >= max(policy.min_group_size, 1))
    k_arr = np.minimum(k.fillna(0).to_numpy(dtype=float), n.fillna(0).to_numpy(dtype=float))
    n_arr = n.fillna(0).to_numpy(dtype=float)
    ok_arr = ok.fillna(False).to_numpy(dtype=bool)
    with np.errstate(invalid="ignore", divide="ignore"):
        pct = np.where(ok_arr, 100 * k_arr / np.where(n_arr > 0, n_arr, 1), np.nan)
        lo, hi = wilson(k_arr.astype(np.int64), n_arr.astype(np.int64))
    out[TB.N] = pd.array(np.where(n.notna() & is_part, n_arr, np.nan), dtype="Float64").astype("Int64")
    out[TB.PCT] = pd.array(np.round(pct, 1), dtype="Float64")
    out[TB.CI_LO] = pd.array(np.where(ok_arr, np.round(100 * lo, 1), np.nan), dtype="Float64")
    out[TB.CI_HI] = pd.array(np.where(ok_arr, np.round(100 * hi, 1), np.nan), dtype="Float64")
    flags = np.asarray(quality_flag(k_arr.astype(np.int64), n_arr.astype(np.int64)), dtype=object)
    out[TB.PCT_FLAG] = np.where(ok_arr, flags, np.where(is_part.to_numpy(), TB.SUPPRESSED, ""))
