"""Seeded base-5 rounding of the public and funder network tables (SPEC §4: nothing in a rounded tier is exact).

The cell-key method of the survey tables (``dashboard.privacy.rounding``), with ties and organisations as the
units instead of respondents. Every unit gets a *record key*: the first four bytes of an HMAC-SHA256 of a unit id
under the release secret (``record_keys``, the same function as for respondents). The ids carry a prefix, so that
no unit's key is that of another kind of unit:

- a **tie** is the unordered pair of organisations, id ``"tie\\x1f<a>\\x1f<b>"`` with ``a < b``. A pair has the same
  key in every wave, tie type and place, so the same set of ties always shows the same value (a view of one tie
  type whose ties are exactly those of "any type" shows the same count as "any type");
- an **organisation**: id ``"org\\x1f<organisation id>"``;
- a **component** (a connected part of a view's network) is represented by its organisation with the smallest id
  and has that organisation's key.

A cell's key is the sum of its units' record keys modulo 2**32, and its count is rounded with ``round_base5``.
Counts of 1 … threshold−1 are hidden first (the tier's threshold), so a published count is 0 or a multiple of 5 of
at least 5. Cross-sector share, E-I index and density are computed from the rounded counts only.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final, Literal, NamedTuple

import numpy as np
import pandas as pd
from pandas.api.extensions import ExtensionArray

from dashboard.privacy.rounding import KEY_MODULUS, record_keys, round_base5
from dashboard.published import table as TB
from dashboard.published.network_schema import VIEW, K

SEP: Final = "\x1f"
TIE_PREFIX: Final = f"tie{SEP}"
ORG_PREFIX: Final = f"org{SEP}"
KEY: Final = "key"  # edges: the tie's record key; matrix grid: the cell key
KEY_TIES: Final = "key_ties"  # metrics: cell keys of a view's counts
KEY_CROSS: Final = "key_cross"
KEY_ORGS: Final = "key_orgs"
KEY_COMPONENTS: Final = "key_components"
CROSS_GROUPS: Final = "cross_g"  # metrics: ties between sector groups (true count)


class MatrixMasks(NamedTuple):
    """What secondary suppression hides: matrix cells, view totals, and shares (cross or within ties hidden)."""

    grid: np.ndarray
    total: np.ndarray
    share: np.ndarray


def tie_keys(a: pd.Series, b: pd.Series, secret: bytes) -> np.ndarray:
    """The record key of every tie ``(a, b)`` (``a < b``), computed once per distinct pair."""
    codes, uniques = pd.factorize(pd.MultiIndex.from_arrays([a.astype(str), b.astype(str)]))
    ids = [f"{TIE_PREFIX}{x}{SEP}{y}" for x, y in uniques]
    return record_keys(ids, secret)[codes] if ids else np.zeros(0, dtype=np.uint32)


def org_keys(org_ids: Iterable[object], secret: bytes) -> pd.Series:
    """The record key of every organisation, indexed by its id."""
    ids = [str(o) for o in org_ids]
    keys = record_keys([f"{ORG_PREFIX}{o}" for o in ids], secret) if ids else np.zeros(0, dtype=np.uint32)
    return pd.Series(keys.astype(np.int64), index=ids)


def key_sum(keys: Iterable[int] | np.ndarray | pd.Series) -> int:
    """A cell key: the sum of record keys modulo 2**32 (exact in uint64 for fewer than 2**32 units)."""
    values = np.asarray(list(keys) if not isinstance(keys, np.ndarray | pd.Series) else keys, dtype=np.uint64)
    return int(values.sum(dtype=np.uint64) % np.uint64(KEY_MODULUS))


def group_key_sums(frame: pd.DataFrame, by: list[str], key: str = KEY) -> pd.Series:
    """Cell keys of the groups of ``frame``: the sum of the ``key`` column per group, modulo 2**32."""
    return frame.assign(_k=frame[key].astype(np.int64)).groupby(by)["_k"].sum() % KEY_MODULUS


def rounded(counts: pd.Series | np.ndarray, keys: pd.Series | np.ndarray) -> np.ndarray:
    """``round_base5`` of counts with their cell keys (any integer dtype)."""
    return round_base5(np.asarray(counts, dtype=np.int64), np.asarray(keys, dtype=np.int64).astype(np.uint32))


def rounded_matrix(grid: pd.DataFrame, hidden: np.ndarray) -> pd.DataFrame:
    """Matrix rows of a rounded tier: view, sector_a, sector_b, count (rounded; missing when hidden), flag."""
    out = grid[[*VIEW, K.SECTOR_A, K.SECTOR_B]].copy()
    out[TB.COUNT] = pd.array(rounded(grid[K.TIES], grid[KEY]), dtype="Int64")
    out.loc[hidden, TB.COUNT] = pd.NA
    out[TB.FLAG] = np.where(hidden, TB.SUPPRESSED, "")
    return out.reset_index(drop=True)


def _masked(values: np.ndarray, show: np.ndarray, dtype: Literal["Int64", "Float64"]) -> ExtensionArray:
    out = pd.array(np.where(show, values, 0), dtype=dtype)
    out[~show] = pd.NA
    return out


def rounded_metrics(metrics: pd.DataFrame, masks: MatrixMasks, threshold: int, min_orgs: int) -> pd.DataFrame:
    """Measures of a rounded tier, every one of them from rounded counts.

    A view's row is shown when its total is not hidden and it has at least ``min_orgs`` organisations; its
    cross-sector share and E-I index only when neither its cross nor its within ties are hidden; its number of
    components when it is 0 or at least ``threshold`` (the rule of every count).
    """
    ties = rounded(metrics[K.TIES], metrics[KEY_TIES])
    cross = np.minimum(rounded(metrics[CROSS_GROUPS], metrics[KEY_CROSS]), ties)
    orgs = rounded(metrics[K.ORGS], metrics[KEY_ORGS])
    components = rounded(metrics[K.COMPONENTS], metrics[KEY_COMPONENTS])
    true_orgs, true_components = metrics[K.ORGS].to_numpy(), metrics[K.COMPONENTS].to_numpy()
    show = ~masks.total & (true_orgs >= max(min_orgs, threshold))
    share = show & ~masks.share & (ties > 0)
    pairs = np.maximum(orgs * (orgs - 1) / 2, 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        pct = np.round(100 * cross / np.maximum(ties, 1), 1)
        ei = np.round((2 * cross - ties) / np.maximum(ties, 1), 3)
    out = metrics[list(VIEW)].copy()
    out[K.TIES] = _masked(ties, show, "Int64")
    out[K.ORGS] = _masked(orgs, show, "Int64")
    out[K.DENSITY] = _masked(np.round(np.minimum(ties / pairs, 1.0), 4), show, "Float64")
    out[K.CROSS_SHARE] = _masked(pct, share, "Float64")
    out[K.EI] = _masked(ei, share, "Float64")
    out[K.COMPONENTS] = _masked(components, show & ((true_components == 0) | (true_components >= threshold)), "Int64")
    out[TB.FLAG] = np.where(show, "", TB.SUPPRESSED)
    return out.reset_index(drop=True)
