"""A constraint system over published cells, shared by secondary suppression and the audit (SPEC §4).

Cells are indexed ``0 .. N-1`` and one system may span many tables: every table of a tier, of the lower tiers
and of earlier waves, linked through shared cells (a margin published in two tables is one cell) and through
relations between cells:

- *additive* ``(parent, children)``: ``value[parent] == value[children].sum()`` (a total and the cells it sums);
- *multi* ``(parent, children)``: a multi-response breakdown (a respondent counts once under each labour site
  they named), so ``value[child] <= value[parent]`` for each child and ``value[children].sum() >= value[parent]``.
  The builder must include a "not specified" child so that every parent member is counted at least once;
- *at most* ``(small, big)``: ``value[small] <= value[big]`` (respondents naming an encounter are at most the
  respondents of their group, and at most those of them who answered contact = yes). An inequality pins no cell
  by subtraction, so secondary suppression's relation fixpoint ignores it; the audit's programme has it.

Why this module is longer than ~300 lines: the constraint system and its builder share internal index arrays that
must not leak into other modules.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import scipy.sparse as sp

from dashboard.privacy.rounding import BASE

Relation = tuple[int, np.ndarray]
"""``(parent, children)``: a parent cell index and an array of child cell indices."""


def _int_vector(name: str, data: object, n: int | None = None) -> np.ndarray:
    """Return ``data`` as a 1-D int64 array of length ``n`` (scalars broadcast), or raise ``ValueError``."""
    arr = np.asarray(data)
    if arr.size and not np.issubdtype(arr.dtype, np.integer):
        raise TypeError(f"{name} must hold integers")
    arr = arr.astype(np.int64)
    if n is not None and arr.ndim == 0:
        arr = np.full(n, int(arr), dtype=np.int64)
    if arr.ndim != 1 or (n is not None and arr.shape[0] != n):
        raise ValueError(f"{name} must be a 1-D array of length {n}")
    return arr


@dataclass
class CellSystem:
    """Cells that may be published, their true values and the relations an attacker knows between them.

    Attributes:
        value: True count of every cell (known only to the release builder).
        threshold: Per cell: a cell with ``1 <= value < threshold`` is primary-suppressed (0 or 1: never).
        rounded: Published values are base-5 rounded: a published ``r`` only tells the attacker that the value
            lies in ``[r - 4, r + 4]``, clipped at 0.
        published_value: What would be published for every cell; defaults to ``value`` when not rounded and
            is required when rounded.
        additive: Additive relations ``(parent, children)``.
        multi: Multi-response relations ``(parent, children)``.
        at_most: Inequalities ``(small, big)``, ``value[small] <= value[big]``, as an ``(k, 2)`` array.
        upper_bound: Public upper bound the attacker may assume for every cell (a scalar broadcasts). Defaults
            to the largest published value (plus 4 when rounded), typically a published grand total; it is never
            below a true value.
    """

    value: np.ndarray
    threshold: np.ndarray
    rounded: bool | np.ndarray = False
    published_value: np.ndarray | None = None
    additive: list[Relation] = field(default_factory=list)
    multi: list[Relation] = field(default_factory=list)
    upper_bound: np.ndarray | None = None
    at_most: np.ndarray | None = None

    def __post_init__(self) -> None:
        """Normalise the arrays to int64 and validate the system against its own true values."""
        self.value = _int_vector("value", self.value)
        n = self.value.shape[0]
        if n and self.value.min() < 0:
            raise ValueError("values must be non-negative")
        self.threshold = _int_vector("threshold", self.threshold, n)
        if n and self.threshold.min() < 0:
            raise ValueError("thresholds must be non-negative")
        published = self._check_published()
        default_bound = int(published.max()) + (BASE - 1 if self.rounded_mask.any() else 0) if n else 0
        bound = default_bound if self.upper_bound is None else self.upper_bound
        self.upper_bound = _int_vector("upper_bound", bound, n)
        if np.any(self.upper_bound < self.value):
            raise ValueError("upper_bound must be at least the true value of every cell")
        self.additive = [self._relation(parent, children) for parent, children in self.additive]
        self.multi = [self._relation(parent, children) for parent, children in self.multi]
        self.at_most = self._pairs(self.at_most)
        self._check_relations()

    @property
    def n_cells(self) -> int:
        """Number of cells."""
        return int(self.value.shape[0])

    @property
    def relations(self) -> list[Relation]:
        """All relations, additive first then multi-response, in the order used by :func:`relation_matrices`."""
        return [*self.additive, *self.multi]

    def _check_published(self) -> np.ndarray:
        """Validate ``published_value`` against ``value`` and the rounding rule; return it, normalised."""
        n = self.n_cells
        rounded = self.rounded_mask
        if self.published_value is None:
            if rounded.any():
                raise ValueError("a rounded system needs published_value (see rounding.round_base5)")
            self.published_value = self.value.copy()
            return self.published_value
        self.published_value = _int_vector("published_value", self.published_value, n)
        pub, val = self.published_value, self.value
        if not np.array_equal(pub[~rounded], val[~rounded]):
            raise ValueError("published_value must equal value where the system is not rounded")
        pub, val = pub[rounded], val[rounded]
        if np.any(pub % BASE != 0) or np.any(np.abs(pub - val) >= BASE) or np.any(pub[val == 0] != 0):
            raise ValueError("published_value is not a base-5 rounding of value")
        return self.published_value

    @property
    def rounded_mask(self) -> np.ndarray:
        """Per cell: True where the published value is base-5 rounded (``rounded`` may be a bool or a mask)."""
        mask = np.asarray(self.rounded, dtype=bool)
        return np.full(self.n_cells, bool(mask), dtype=bool) if mask.ndim == 0 else mask

    def _relation(self, parent: int, children: Sequence[int] | np.ndarray) -> Relation:
        """Validate one relation and return it as ``(int, int64 array)``."""
        p = int(parent)
        ch = _int_vector("children", np.asarray(children, dtype=np.int64))
        n = self.n_cells
        if ch.size == 0:
            raise ValueError(f"relation of parent {p} has no children")
        if not (0 <= p < n) or ch.min() < 0 or ch.max() >= n:
            raise ValueError(f"relation of parent {p} refers to a cell outside 0 .. {n - 1}")
        if np.unique(ch).size != ch.size or p in ch:
            raise ValueError(f"relation of parent {p} repeats a cell")
        return p, ch

    def _pairs(self, pairs: np.ndarray | None) -> np.ndarray:
        """Validate the ``at_most`` pairs and return them as an ``(k, 2)`` int64 array."""
        if pairs is None:
            return np.zeros((0, 2), dtype=np.int64)
        arr = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
        if arr.size and (arr.min() < 0 or arr.max() >= self.n_cells):
            raise ValueError(f"an at-most relation refers to a cell outside 0 .. {self.n_cells - 1}")
        if np.any(arr[:, 0] == arr[:, 1]):
            raise ValueError("an at-most relation relates a cell to itself")
        return arr

    def _check_relations(self) -> None:
        """Check that the true values satisfy every relation (catches builder bugs early)."""
        v = self.value
        for p, ch in self.additive:
            if v[ch].sum() != v[p]:
                raise ValueError(f"additive relation of parent {p} does not hold for the true values")
        for p, ch in self.multi:
            if v[ch].max() > v[p] or v[ch].sum() < v[p]:
                raise ValueError(f"multi-response relation of parent {p} does not hold for the true values")
        at_most = self.at_most
        assert at_most is not None
        if np.any(v[at_most[:, 0]] > v[at_most[:, 1]]):
            raise ValueError("an at-most relation does not hold for the true values")


def primary_mask(system: CellSystem) -> np.ndarray:
    """Return the boolean mask of primary-suppressed cells: ``1 <= value < threshold``."""
    return (system.value >= 1) & (system.value < system.threshold)


def _incidence(relations: Sequence[Relation], n: int) -> tuple[np.ndarray, sp.csr_matrix]:
    """Return the parent of every relation and the ``(len(relations), n)`` 0/1 CSR matrix of their children."""
    parents = np.array([p for p, _ in relations], dtype=np.int64)
    sizes = np.array([ch.size for _, ch in relations], dtype=np.int64)
    cols = np.concatenate([ch for _, ch in relations]) if relations else np.zeros(0, dtype=np.int64)
    indptr = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    children = sp.csr_matrix((np.ones(cols.size), cols, indptr), shape=(len(relations), n))
    return parents, children


def _selector(columns: np.ndarray, n: int) -> sp.csr_matrix:
    """Return the ``(len(columns), n)`` matrix whose row ``i`` is the unit vector of ``columns[i]``."""
    rows = np.arange(columns.size)
    return sp.csr_matrix((np.ones(columns.size), (rows, columns)), shape=(columns.size, n))


class RelationMatrices(NamedTuple):
    """Sparse views of a system's relations (additive first, then multi-response)."""

    parents: np.ndarray
    """Parent cell of every relation."""
    children: sp.csr_matrix
    """``(n_relations, n_cells)`` 0/1 matrix of every relation's children."""
    members: sp.csr_matrix
    """``(n_relations, n_cells)`` 0/1 matrix of every relation's parent and children."""


def relation_matrices(system: CellSystem) -> RelationMatrices:
    """Return the parents and the sparse child and member incidence matrices of the system's relations."""
    parents, children = _incidence(system.relations, system.n_cells)
    members = (children + _selector(parents, system.n_cells)).tocsr()
    return RelationMatrices(parents, children, members)


class Constraints(NamedTuple):
    """Linear constraints ``lower <= matrix @ x <= upper`` implied by a system's relations."""

    matrix: sp.csr_matrix
    lower: np.ndarray
    upper: np.ndarray


def constraint_matrix(system: CellSystem) -> Constraints:
    """Return the relations as sparse linear constraints over all cells.

    Rows, in order: ``x[p] - sum(x[children]) == 0`` per additive relation; ``x[child] - x[p] <= 0`` per child
    of every multi-response relation; ``sum(x[children]) - x[p] >= 0`` per multi-response relation;
    ``x[small] - x[big] <= 0`` per at-most relation.
    """
    n = system.n_cells
    blocks: list[sp.csr_matrix] = [sp.csr_matrix((0, n))]
    lowers: list[np.ndarray] = [np.zeros(0)]
    uppers: list[np.ndarray] = [np.zeros(0)]
    if system.additive:
        parents, children = _incidence(system.additive, n)
        blocks.append(_selector(parents, n) - children)
        lowers.append(np.zeros(parents.size))
        uppers.append(np.zeros(parents.size))
    if system.multi:
        parents, children = _incidence(system.multi, n)
        per_child_parent = np.repeat(parents, np.diff(children.indptr))
        blocks.append(_selector(children.indices, n) - _selector(per_child_parent, n))
        lowers.append(np.full(children.indices.size, -np.inf))
        uppers.append(np.zeros(children.indices.size))
        blocks.append(children - _selector(parents, n))
        lowers.append(np.zeros(parents.size))
        uppers.append(np.full(parents.size, np.inf))
    pairs = system.at_most
    if pairs is not None and pairs.size:
        blocks.append(_selector(pairs[:, 0], n) - _selector(pairs[:, 1], n))
        lowers.append(np.full(pairs.shape[0], -np.inf))
        uppers.append(np.zeros(pairs.shape[0]))
    return Constraints(sp.vstack(blocks, format="csr"), np.concatenate(lowers), np.concatenate(uppers))


class Crosstab(NamedTuple):
    """Cell indices of a two-way table added with :meth:`SystemBuilder.add_crosstab`."""

    cells: np.ndarray
    """``(rows, columns)`` indices of the interior cells."""
    row_totals: np.ndarray
    """Index of every row total."""
    column_totals: np.ndarray
    """Index of every column total."""
    total: int
    """Index of the grand total."""


class SystemBuilder:
    """Assemble a :class:`CellSystem` from keyed cells, so that tables sharing a cell share its index.

    A cell added twice under the same key must have the same value; its threshold is the stricter (larger) one.
    """

    def __init__(self) -> None:
        """Start an empty system."""
        self._index: dict[Hashable, int] = {}
        self._values: list[int] = []
        self._thresholds: list[int] = []
        self._additive: list[Relation] = []
        self._multi: list[Relation] = []

    @property
    def n_cells(self) -> int:
        """Number of cells added so far."""
        return len(self._values)

    def index(self, key: Hashable) -> int:
        """Return the index of the cell added under ``key``; raise ``KeyError`` if there is none."""
        return self._index[key]

    def cell(self, key: Hashable, value: int, threshold: int) -> int:
        """Add (or find) the cell ``key`` with its true value and suppression threshold; return its index."""
        value, threshold = int(value), int(threshold)
        if key in self._index:
            i = self._index[key]
            if self._values[i] != value:
                raise ValueError(f"cell {key!r} added with two different values")
            self._thresholds[i] = max(self._thresholds[i], threshold)
            return i
        self._index[key] = len(self._values)
        self._values.append(value)
        self._thresholds.append(threshold)
        return self._index[key]

    def add_additive(self, parent: Hashable, children: Sequence[Hashable]) -> None:
        """Record that the cell ``parent`` is the sum of the cells ``children`` (all already added)."""
        self._additive.append((self._index[parent], np.array([self._index[c] for c in children], dtype=np.int64)))

    def add_multi(self, parent: Hashable, children: Sequence[Hashable]) -> None:
        """Record a multi-response breakdown of ``parent`` into ``children`` (all already added)."""
        self._multi.append((self._index[parent], np.array([self._index[c] for c in children], dtype=np.int64)))

    def add_crosstab(
        self,
        table: Hashable,
        counts: np.ndarray,
        threshold: int,
        *,
        row_total_keys: Sequence[Hashable] | None = None,
        column_total_keys: Sequence[Hashable] | None = None,
        total_key: Hashable | None = None,
    ) -> Crosstab:
        """Add a two-way table with its row, column and grand totals, and the additive relations between them.

        Interior cells are keyed ``(table, i, j)``; totals default to ``(table, "row", i)``,
        ``(table, "column", j)`` and ``(table, "total")``. Pass shared keys to link tables through a margin.
        """
        grid = np.asarray(counts, dtype=np.int64)
        if grid.ndim != 2 or grid.size == 0:
            raise ValueError("counts must be a non-empty 2-D array")
        n_rows, n_cols = grid.shape
        row_keys = list(row_total_keys) if row_total_keys is not None else [(table, "row", i) for i in range(n_rows)]
        col_keys = (
            list(column_total_keys) if column_total_keys is not None else [(table, "column", j) for j in range(n_cols)]
        )
        grand_key = total_key if total_key is not None else (table, "total")
        if len(row_keys) != n_rows or len(col_keys) != n_cols:
            raise ValueError("one total key is needed per row and per column")
        cells = np.array(
            [[self.cell((table, i, j), grid[i, j], threshold) for j in range(n_cols)] for i in range(n_rows)],
            dtype=np.int64,
        )
        rows = np.array([self.cell(k, v, threshold) for k, v in zip(row_keys, grid.sum(axis=1), strict=True)])
        cols = np.array([self.cell(k, v, threshold) for k, v in zip(col_keys, grid.sum(axis=0), strict=True)])
        total = self.cell(grand_key, grid.sum(), threshold)
        self._additive.extend((int(rows[i]), cells[i, :].copy()) for i in range(n_rows))
        self._additive.extend((int(cols[j]), cells[:, j].copy()) for j in range(n_cols))
        self._additive.append((total, rows.astype(np.int64)))
        self._additive.append((total, cols.astype(np.int64)))
        return Crosstab(cells, rows.astype(np.int64), cols.astype(np.int64), total)

    def build(
        self,
        *,
        rounded: bool | np.ndarray = False,
        published_value: np.ndarray | None = None,
        upper_bound: np.ndarray | int | None = None,
    ) -> CellSystem:
        """Return the :class:`CellSystem` of everything added so far."""
        return CellSystem(
            value=np.array(self._values, dtype=np.int64),
            threshold=np.array(self._thresholds, dtype=np.int64),
            rounded=rounded,
            published_value=published_value,
            additive=list(self._additive),
            multi=list(self._multi),
            upper_bound=None if upper_bound is None else np.asarray(upper_bound),
        )
