"""Lookups: the published rows a chart needs for a view, or the reason it cannot be shown.

A chart crosses its breakdown dimensions with the view's filters. The table crossing exactly those dimensions
must exist in the tier's release (the tier's limit on dimensions, and combinations that make no sense, such as
contact with labour sites, rule some out), and its rows for the wave must not be withheld.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd

from dashboard.explore.state import ViewState
from dashboard.release import dims as D
from dashboard.release import table as TB
from dashboard.release.table import Release

TOO_MANY: Final = "too_many"
NOT_COMBINABLE: Final = "not_combinable"
WITHHELD: Final = "withheld"


@dataclass(frozen=True)
class View:
    """Published rows for a chart (``frame``), or why there are none (``reason``)."""

    dims: tuple[str, ...]
    frame: pd.DataFrame | None
    reason: str | None = None

    @property
    def ok(self) -> bool:
        return self.frame is not None


def lookup(
    release: Release, state: ViewState, breakdown: tuple[str, ...], drop: tuple[str, ...] = (), all_waves: bool = False
) -> View:
    """Rows of the table ``breakdown`` × the view's filters (minus ``drop``), for the view's wave or all waves."""
    filters = [(d, v) for d, v in state.filters if d not in drop and d not in breakdown]
    dims = D.canonical([*breakdown, *(d for d, _ in filters)])
    if not D.allowed(dims):
        return View(dims, None, NOT_COMBINABLE)
    if not release.has(*dims):
        return View(dims, None, TOO_MANY)
    frame = release.table(*dims).frame
    mask = np.ones(len(frame), dtype=bool)
    for dim, value in filters:
        mask &= frame[dim].to_numpy() == value
    if not all_waves and state.wave is not None:
        mask &= frame[D.WAVE].to_numpy() == state.wave
    rows = frame[mask]
    if rows.empty:
        return View(dims, None, WITHHELD)
    return View(dims, rows.reset_index(drop=True))


def headline(view: View, item: str | None = None, category: str = "yes") -> dict[str, object] | None:
    """One figure from a view: the count (no item), or k of n with its share and interval."""
    if not view.ok:
        return None
    frame = view.frame
    if item is not None:
        frame = frame[frame[item] == category]
    if frame.empty:
        return None
    row = frame.iloc[0]
    return {
        "count": None if pd.isna(row[TB.COUNT]) else int(row[TB.COUNT]),
        "n": None if pd.isna(row[TB.N]) else int(row[TB.N]),
        "pct": None if pd.isna(row[TB.PCT]) else float(row[TB.PCT]),
        "ci_lo": None if pd.isna(row[TB.CI_LO]) else float(row[TB.CI_LO]),
        "ci_hi": None if pd.isna(row[TB.CI_HI]) else float(row[TB.CI_HI]),
        "flag": str(row[TB.PCT_FLAG]) if item else str(row[TB.FLAG]),
    }
