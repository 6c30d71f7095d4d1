"""Lookups: the published rows a chart needs for a view, or the reason it cannot be shown.

A chart crosses its breakdown dimensions with the view's filters. The table crossing exactly those dimensions
must exist in the tier's release (the tier's limit on dimensions, and combinations that make no sense, such as
contact with labour sites, rule some out), the tier must publish it for the wave (a wave too sparse to protect all
of a tier's tables leaves its sparsest out), and its rows for the wave must not be withheld.

Lookups run in every request, so each published table is indexed once, on first use (``PublishedTable.index``):
its columns as plain numpy arrays (measures as floats with NaN for "not published") and, per set of filter
dimensions, a dictionary from the filter values to the row positions. A lookup is then one dictionary access and
one ``take`` per column, whatever the size of the survey behind the release.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import cached_property
from typing import Final, Protocol, TypedDict

import numpy as np
import pandas as pd

from dashboard.published import dims as D
from dashboard.published import table as TB
from dashboard.published.table import PublishedTable, Release

TOO_MANY: Final = "too_many"
NOT_COMBINABLE: Final = "not_combinable"
WITHHELD: Final = "withheld"
NOT_PUBLISHED: Final = "not_published"  # the tier does not publish the table for the wave (too sparse to protect)

NUMERIC: Final = (TB.COUNT, TB.N, TB.PCT, TB.CI_LO, TB.CI_HI)

Columns = dict[str, np.ndarray]


class Selection(Protocol):
    """What a lookup needs of a view: a wave (None: every wave) and at most one category per dimension.

    ``dashboard.views.state.ViewState`` is one; the published side does not need to know the pages' view."""

    @property
    def wave(self) -> int | None: ...

    @property
    def filters(self) -> tuple[tuple[str, str], ...]: ...


@dataclass
class TableIndex:
    """One published table as plain numpy columns, with row positions grouped by filter values (built lazily)."""

    table: PublishedTable
    columns: Columns
    _groups: dict[tuple[str, ...], dict[tuple, np.ndarray]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def of(cls, table: PublishedTable) -> TableIndex:
        frame = table.frame
        columns: Columns = {}
        for name in frame.columns:
            col = frame[name]
            if name in NUMERIC:
                columns[name] = col.to_numpy(dtype=float, na_value=np.nan)
            elif name == D.WAVE:
                columns[name] = col.to_numpy(dtype=np.int64)
            else:
                columns[name] = col.astype(object).to_numpy(dtype=object)
        return cls(table, columns)

    def __len__(self) -> int:
        return len(self.table.frame)

    def rows(self, keys: tuple[str, ...], values: tuple) -> np.ndarray | None:
        """Row positions where the columns ``keys`` equal ``values`` (None if there are none)."""
        if not keys:
            return np.arange(len(self))
        groups = self._groups.get(keys)
        if groups is None:
            with self._lock:
                groups = self._groups.get(keys)
                if groups is None:
                    grouped = pd.DataFrame({k: self.columns[k] for k in keys}).groupby(list(keys), sort=False)
                    groups = {(k if isinstance(k, tuple) else (k,)): np.asarray(v) for k, v in grouped.indices.items()}
                    self._groups[keys] = groups
        return groups.get(values)


@dataclass(frozen=True)
class View:
    """Published rows for a chart, or why there are none (``reason``)."""

    dims: tuple[str, ...]
    index: TableIndex | None = None
    positions: np.ndarray | None = None
    reason: str | None = None

    @property
    def ok(self) -> bool:
        return self.index is not None

    @cached_property
    def columns(self) -> Columns:
        """The rows as plain numpy columns: what figures, sentences and table views read."""
        assert self.index is not None and self.positions is not None
        return {name: col[self.positions] for name, col in self.index.columns.items()}

    @cached_property
    def frame(self) -> pd.DataFrame | None:
        """The rows as the published table has them (for downloads and tests)."""
        if self.index is None or self.positions is None:
            return None
        return self.index.table.frame.iloc[self.positions].reset_index(drop=True)

    def __len__(self) -> int:
        return 0 if self.positions is None else len(self.positions)


def lookup(
    release: Release, state: Selection, breakdown: tuple[str, ...], drop: tuple[str, ...] = (), all_waves: bool = False
) -> View:
    """Rows of the table ``breakdown`` × the view's filters (minus ``drop``), for the view's wave or all waves."""
    filters = [(d, v) for d, v in state.filters if d not in drop and d not in breakdown]
    dims = D.canonical([*breakdown, *(d for d, _ in filters)])
    if not D.allowed(dims):
        return View(dims, reason=NOT_COMBINABLE)
    if not release.has(*dims):
        return View(dims, reason=TOO_MANY)
    table = release.table(*dims)
    if not all_waves and state.wave is not None and state.wave in table.not_published:
        return View(dims, reason=NOT_PUBLISHED)
    index = table.index
    keys = tuple(d for d, _ in filters)
    values: tuple = tuple(v for _, v in filters)
    if not all_waves and state.wave is not None:
        keys, values = (D.WAVE, *keys), (state.wave, *values)
    positions = index.rows(keys, values)
    if positions is None or len(positions) == 0:
        return View(dims, reason=WITHHELD)
    return View(dims, index, positions)


def _number(value: float) -> int | None:
    return None if np.isnan(value) else int(value)


def _share(value: float) -> float | None:
    return None if np.isnan(value) else float(value)


class Figures(TypedDict):
    """One headline figure: the count, or k of n with its share and 95% interval (None where not published)."""

    count: int | None
    n: int | None
    pct: float | None
    ci_lo: float | None
    ci_hi: float | None
    flag: str


def headline(view: View, item: str | None = None, category: str = "yes") -> Figures | None:
    """One figure from a view: the count (no item), or k of n with its share and interval."""
    if not view.ok or len(view) == 0:
        return None
    cols = view.columns
    at = 0
    if item is not None:
        hits = np.flatnonzero(cols[item] == category)
        if len(hits) == 0:
            return None
        at = int(hits[0])
    return Figures(
        count=_number(cols[TB.COUNT][at]),
        n=_number(cols[TB.N][at]),
        pct=_share(cols[TB.PCT][at]),
        ci_lo=_share(cols[TB.CI_LO][at]),
        ci_hi=_share(cols[TB.CI_HI][at]),
        flag=str(cols[TB.PCT_FLAG][at]) if item else str(cols[TB.FLAG][at]),
    )


@dataclass
class FrameIndex:
    """An extra table of a release (network, voices) with its row positions grouped by filter values: the same
    lookup as :class:`TableIndex`, for tables that are frames rather than cubes; each grouping is built once."""

    frame: pd.DataFrame
    _groups: dict[tuple[str, ...], dict[tuple, np.ndarray]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def select(self, **where: object) -> pd.DataFrame:
        """The rows where every column named in ``where`` equals its value, in the table's order."""
        keys = tuple(sorted(where))
        if not keys:
            return self.frame.reset_index(drop=True)
        groups = self._groups.get(keys)
        if groups is None:
            with self._lock:
                groups = self._groups.get(keys)
                if groups is None:
                    by = pd.DataFrame({k: self.frame[k].astype(object).to_numpy() for k in keys})
                    grouped = by.groupby(list(keys), sort=False, dropna=False)
                    groups = {(k if isinstance(k, tuple) else (k,)): np.asarray(v) for k, v in grouped.indices.items()}
                    self._groups[keys] = groups
        positions = groups.get(tuple(where[k] for k in keys))
        return self.frame.iloc[positions if positions is not None else np.zeros(0, dtype=np.int64)].reset_index(
            drop=True
        )


def _extra_indexes(release: Release) -> dict[str, FrameIndex]:
    return {name: FrameIndex(frame) for name, frame in release.extras.items()}


def extra_rows(release: Release, name: str, **where: object) -> pd.DataFrame:
    """Rows of the release's extra table ``name`` where each column of ``where`` equals its value, through an
    index built once per release (``Release.derived``)."""
    return release.derived(_extra_indexes)[name].select(**where)
