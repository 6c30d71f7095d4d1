"""The attacker's integer programme that every release must pass before it is published (SPEC §4).

The attacker knows every relation of the system, that all values are non-negative integers, the public upper
bound of every cell, and for every published cell either its exact value or, when the system is rounded, the
interval ``[r - 4, r + 4]`` (clipped at 0) around its published value ``r``. The disclosure policy is public,
so the attacker also knows that no published cell lies in ``1 .. threshold - 1`` (such a cell would have been
suppressed): a published rounded 0 is exactly 0 when the threshold is 5, and a published 5 is at least 5.
Of a suppressed cell the attacker knows only ``0 <= x <= upper_bound``.

A primary-suppressed cell (``1 <= value < threshold``) is *at risk* when every integer solution consistent
with that knowledge puts it in ``1 .. threshold - 1``. It is safe as soon as one solution has ``x == 0`` or
``x >= threshold``; the true values are one solution by construction, so only that alternative is searched
for, with ``scipy.optimize.milp`` (HiGHS) on the connected component of the cell alone: published exact cells
are constants, so cells only interact through chains of relations between cells the attacker does not know.
Every solution found is also checked against the other cells of the component, which usually settles many of
them at once.

Why this module is longer than ~300 lines: the audit's integer programme, its LP bounds and the node-bounded search
are one algorithm.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from enum import Enum
from functools import cached_property

import numpy as np
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse.csgraph import connected_components

from dashboard.privacy.rounding import rounding_interval
from dashboard.privacy.system import CellSystem, constraint_matrix, primary_mask

_MILP_OPTIMAL = 0
_MILP_LIMIT = 1
_MILP_INFEASIBLE = 2
_LP_OPTIMAL = 0
_LP_INFEASIBLE = 2
_FEASIBILITY_TOL = 1e-9
_LP_FIRST_MIN_VARS = 100
"""Components with at least this many variables try the LP relaxation before the MILP (cheaper when large)."""
DEFAULT_NODE_LIMIT = 2_000
"""Branch-and-bound nodes one MILP search may explore. Work is bounded by nodes, never by seconds, so that the
same system gives the same verdict on a fast or a busy machine; a search stopped by the limit settles nothing
(the cell stays at risk)."""
_LP_METHOD = "highs-ds"
"""HiGHS's dual simplex (with scipy's presolve): it ends on a vertex (often integral on these tables) and, on the
audit's many programmes over one component, took a fifth to a half of the interior point's time (an 80-respondent
two-wave build's coalition tier: 72 s with the interior point, 24 s with the dual simplex). A persistent HiGHS model
warm-started from the last basis (highspy) was tried and was slower: without presolve each programme of a large
component took thousands of iterations."""
_LP_MAX_ITERATIONS = 200_000
"""Simplex iterations one LP relaxation may take (a deterministic bound, like the node limit)."""


@dataclass(frozen=True, slots=True)
class CellRisk:
    """A primary-suppressed cell the attacker can narrow to within ``1 .. threshold - 1``.

    Attributes:
        cell: Cell index.
        lower: Smallest value the attacker cannot rule out.
        upper: Largest value the attacker cannot rule out.
        proven: False when the node limit stopped the search: the cell is then reported conservatively, with
            bounds ``1 .. threshold - 1``.
    """

    cell: int
    lower: int
    upper: int
    proven: bool = True


@dataclass(frozen=True, slots=True)
class AuditResult:
    """Outcome of :func:`audit`: the cells at risk (sorted by index) and how many primary cells were checked."""

    at_risk: list[CellRisk]
    checked: int

    @property
    def passed(self) -> bool:
        """True when no primary-suppressed cell is at risk."""
        return not self.at_risk


class SolutionBook:
    """Integer solutions of a system that proved cells safe, kept so that a later audit of the same system with at
    least the same cells hidden can try them first.

    Hiding more only loosens what the attacker knows, so a solution of an earlier, smaller mask is still a solution;
    each is checked again against the later programme before it settles anything (a stale or wrong one settles
    nothing). Kept as the cells where it differs from the true values.
    """

    def __init__(self, value: np.ndarray) -> None:
        """Start an empty book for a system with true values ``value``."""
        self.value = np.asarray(value, dtype=np.float64)
        self._diffs: list[tuple[np.ndarray, np.ndarray]] = []

    def add(self, cells: np.ndarray, x: np.ndarray) -> None:
        """Keep the solution that gives ``cells`` the values ``x`` (every other cell its true value)."""
        moved = x != self.value[cells]
        self._diffs.append((cells[moved].copy(), x[moved].copy()))

    def on(self, cells: np.ndarray) -> list[np.ndarray]:
        """Every kept solution that moves one of ``cells`` (sorted), restricted to them."""
        out = []
        for where, what in self._diffs:
            pos = np.searchsorted(cells, where)
            pos = np.minimum(pos, cells.size - 1)
            inside = cells[pos] == where
            if not inside.any():
                continue
            x = self.value[cells].copy()
            x[pos[inside]] = what[inside]
            out.append(x)
        return out


class _Outcome(Enum):
    """Result of one feasibility search."""

    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    UNKNOWN = "unknown"


def _check_mask(system: CellSystem, suppressed: np.ndarray) -> np.ndarray:
    """Return ``suppressed`` as a boolean vector of the system's length, or raise ``ValueError``."""
    mask = np.asarray(suppressed)
    if mask.shape != (system.n_cells,) or mask.dtype != np.bool_:
        raise ValueError(f"suppressed must be a boolean array of shape ({system.n_cells},)")
    return mask


def attacker_domains(system: CellSystem, suppressed: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return what the attacker knows of each cell on its own, as ``(low, high, gap)``.

    The cell lies in ``[low, high]``; where ``gap`` is set it lies in ``0`` or ``threshold .. high`` (a published
    rounded 0 with a threshold between 2 and 4: 0 .. 4 without the suppressed values).
    """
    mask = _check_mask(system, suppressed)
    pub, bound = system.published_value, system.upper_bound
    assert pub is not None and bound is not None  # CellSystem.__post_init__ fills both in
    low, high = rounding_interval(pub)
    exact = ~system.rounded_mask
    low = np.where(exact, pub, low)
    high = np.where(exact, pub, high)
    high = np.minimum(high, bound)
    low = np.where(mask, 0, low)
    high = np.where(mask, bound, high)
    # Published cells that respect the policy are known to lie outside 1 .. threshold - 1.
    t = system.threshold
    known = ~mask & ~primary_mask(system) & (t > 1)
    raise_low = known & (low >= 1) & (low < t)
    low = np.where(raise_low, t, low)
    zero_only = known & (low == 0) & (high < t)
    high = np.where(zero_only, 0, high)
    gap = known & (low == 0) & (high >= t)
    return low, high, gap


class _Component:
    """The attacker's integer programme restricted to one connected component of unknown cells.

    Every search on a large component first solves the LP relaxation (HiGHS dual simplex, which returns a
    vertex): an infeasible relaxation proves the integer programme infeasible, and an integral
    relaxed solution that satisfies every constraint exactly is an integer solution (optimal too when its
    objective meets the LP bound). Only otherwise is ``scipy.optimize.milp`` called.
    """

    def __init__(
        self,
        cells: np.ndarray,
        matrix: sp.csr_matrix,
        lower: np.ndarray,
        upper: np.ndarray,
        var_low: np.ndarray,
        var_high: np.ndarray,
        node_limit: int,
        base: np.ndarray,
    ) -> None:
        """Store a component; ``cells`` are the global indices of its first variables, binaries follow; ``base`` is
        one known solution (the true counts), from which the searches near a cell start."""
        self.cells = cells
        self.var_low = var_low
        self.var_high = var_high
        self.matrix, self.lower, self.upper = matrix, lower, upper
        self.constraints = LinearConstraint(matrix, lower, upper)
        self.integrality = np.ones(var_low.size, dtype=np.int64)
        self.node_limit = int(node_limit)
        self.base = base
        equal = lower == upper
        has_upper = ~equal & np.isfinite(upper)
        has_lower = ~equal & np.isfinite(lower)
        self._a_eq = matrix[equal] if equal.any() else None
        self._b_eq = lower[equal] if equal.any() else None
        self._a_ub: sp.csr_matrix | None = None
        self._b_ub: np.ndarray | None = None
        if has_upper.any() or has_lower.any():
            self._a_ub = sp.vstack([matrix[has_upper], -matrix[has_lower]], format="csr")
            self._b_ub = np.concatenate([upper[has_upper], -lower[has_lower]])

    def local(self, cell: int) -> int:
        """Return the variable index of a global cell index."""
        return int(np.searchsorted(self.cells, cell))

    def satisfies(self, x: np.ndarray) -> bool:
        """Whether ``x`` (every variable, binaries included) is an integer solution of the component."""
        return x.size == self.var_low.size and self._satisfies(x, self.var_low, self.var_high)

    def _satisfies(self, x: np.ndarray, low: np.ndarray, high: np.ndarray) -> bool:
        """Return whether the integer vector ``x`` meets the bounds and every constraint (exact integer data)."""
        lhs = self.matrix @ x
        return bool(
            np.all(x >= low)
            and np.all(x <= high)
            and np.all(lhs >= self.lower - _FEASIBILITY_TOL)
            and np.all(lhs <= self.upper + _FEASIBILITY_TOL)
        )

    def _relaxation(
        self, objective: np.ndarray, low: np.ndarray, high: np.ndarray, need_optimum: bool
    ) -> tuple[_Outcome, np.ndarray | None]:
        """Try to settle the search with the LP relaxation alone; UNKNOWN when it cannot."""
        # scipy-stubs type `bounds` as a sequence of pairs; the (n, 2) array that scipy documents is not in them.
        lp = linprog(  # type: ignore[call-overload]
            objective,
            A_ub=self._a_ub,
            b_ub=self._b_ub,
            A_eq=self._a_eq,
            b_eq=self._b_eq,
            bounds=np.column_stack([low, high]),
            method=_LP_METHOD,
            options={"maxiter": _LP_MAX_ITERATIONS},
        )
        if lp.status == _LP_INFEASIBLE:
            return _Outcome.INFEASIBLE, None
        if lp.status != _LP_OPTIMAL or lp.x is None:
            return _Outcome.UNKNOWN, None
        x = np.rint(lp.x)
        if not self._satisfies(x, low, high):
            return _Outcome.UNKNOWN, None
        if need_optimum and objective @ x > lp.fun + _FEASIBILITY_TOL:
            return _Outcome.UNKNOWN, None
        return _Outcome.FEASIBLE, x

    def solve(
        self,
        objective: np.ndarray,
        low: np.ndarray,
        high: np.ndarray,
        need_optimum: bool = False,
        relaxation_only: bool = False,
    ) -> tuple[_Outcome, np.ndarray | None]:
        """Search for an integer solution within the given variable bounds, minimising ``objective``.

        Returns the outcome and a solution; the solution is optimal when ``need_optimum`` is set, otherwise any
        feasible one (the objective only steers it).
        """
        if np.any(low > high):
            return _Outcome.INFEASIBLE, None
        if low.size >= _LP_FIRST_MIN_VARS:
            outcome, x = self._relaxation(objective, low, high, need_optimum)
            if outcome is not _Outcome.UNKNOWN or relaxation_only:
                return outcome, x
        res = milp(
            objective,
            integrality=self.integrality,
            bounds=Bounds(low, high),
            constraints=self.constraints,
            options={"node_limit": self.node_limit, "presolve": True},
        )
        if res.x is not None and (res.status == _MILP_OPTIMAL or (res.status == _MILP_LIMIT and not need_optimum)):
            return _Outcome.FEASIBLE, np.rint(res.x)
        if res.status == _MILP_INFEASIBLE:
            return _Outcome.INFEASIBLE, None
        return _Outcome.UNKNOWN, None

    @cached_property
    def _incidence(self) -> sp.csr_matrix:
        """Rows × variables, 1 where a variable is in a relation (built on the first search near a cell)."""
        return (abs(self.matrix) > 0).astype(np.int8).tocsr()

    @cached_property
    def _by_var(self) -> sp.csr_matrix:
        return self._incidence.T.tocsr()

    def near(self, j: int, hops: int) -> np.ndarray:
        """Variables within ``hops`` relations of variable ``j`` (sorted)."""
        found = np.array([j], dtype=np.int64)
        for _ in range(hops):
            rows = np.unique(self._by_var[found].indices)
            grown = np.union1d(found, self._incidence[rows].indices)
            if grown.size == found.size:
                break
            found = grown
        return found

    def solve_near(
        self, free: np.ndarray, objective: np.ndarray, low: np.ndarray, high: np.ndarray
    ) -> np.ndarray | None:
        """A solution that differs from :attr:`base` only in the variables ``free``, or None if none was found.

        Sound for proving a cell safe: every other variable keeps its value of a known solution, so whatever this
        finds is a solution of the whole component. Finding none proves nothing (a wider search may)."""
        if np.any(low[free] > high[free]):
            return None
        rows = np.unique(self._by_var[free].indices)
        sub = self.matrix[rows]
        fixed = np.ones(self.base.size, dtype=bool)
        fixed[free] = False
        shift = sub[:, fixed] @ self.base[fixed]
        part = _Component(
            free,
            sp.csr_matrix(sub[:, free]),
            self.lower[rows] - shift,
            self.upper[rows] - shift,
            low[free],
            high[free],
            self.node_limit,
            self.base[free],
        )
        # A large neighbourhood whose relaxation settles nothing is left to the search over the whole component.
        outcome, found = part.solve(
            objective[free], low[free], high[free], relaxation_only=free.size > BATCH_MILP_MAX_VARS
        )
        if outcome is not _Outcome.FEASIBLE or found is None:
            return None
        x = self.base.copy()
        x[free] = found
        return x if self._satisfies(x, low, high) else None

    def extreme(self, cell: int, maximise: bool) -> tuple[int | None, np.ndarray | None]:
        """Return the smallest (or largest) feasible value of ``cell`` and a solution attaining it.

        ``(None, None)`` when the solver gave up.
        """
        j = self.local(cell)
        objective = np.zeros(self.var_low.size)
        objective[j] = -1.0 if maximise else 1.0
        outcome, x = self.solve(objective, self.var_low, self.var_high, need_optimum=True)
        if outcome is not _Outcome.FEASIBLE or x is None:
            return None, None
        return int(x[j]), x


class AttackerModel:
    """Everything the attacker knows about a system once the cells in ``suppressed`` are hidden."""

    def __init__(self, system: CellSystem, suppressed: np.ndarray, node_limit: int = DEFAULT_NODE_LIMIT) -> None:
        """Build the attacker's domains, constraints and the components of linked unknown cells."""
        self.system = system
        self.suppressed = _check_mask(system, suppressed)
        self.node_limit = node_limit
        self.low, self.high, self.gap = attacker_domains(system, self.suppressed)
        free = self.high > self.low
        self.free_cells = np.flatnonzero(free)
        cons = constraint_matrix(system)
        fixed_shift = cons.matrix[:, ~free] @ self.low[~free].astype(np.float64)
        matrix = cons.matrix[:, self.free_cells].tocsr()
        matrix.eliminate_zeros()
        self._matrix = matrix
        self._lower = cons.lower - fixed_shift
        self._upper = cons.upper - fixed_shift
        n_free = self.free_cells.size
        row_nnz = np.diff(matrix.indptr)
        first = np.repeat(matrix.indices[matrix.indptr[:-1][row_nnz > 0]], row_nnz[row_nnz > 0])
        graph = sp.coo_matrix((np.ones(first.size), (first, matrix.indices)), shape=(n_free, n_free))
        _, labels = connected_components(graph, directed=False)
        self._labels = labels
        self._row_label = np.full(matrix.shape[0], -1, dtype=np.int64)
        self._row_label[row_nnz > 0] = labels[matrix.indices[matrix.indptr[:-1][row_nnz > 0]]]
        self._rows_by_label = np.argsort(self._row_label, kind="stable")
        self._sorted_row_labels = self._row_label[self._rows_by_label]
        self._cache: dict[int, _Component] = {}

    def label(self, cell: int) -> int:
        """Return the component of an unknown cell, or -1 for a cell the attacker knows exactly."""
        pos = int(np.searchsorted(self.free_cells, cell))
        if pos < self.free_cells.size and self.free_cells[pos] == cell:
            return int(self._labels[pos])
        return -1

    def labels_of(self, cells: np.ndarray) -> np.ndarray:
        """Return the component of each of ``cells``, all of which must be unknown to the attacker."""
        return self._labels[np.searchsorted(self.free_cells, cells)].astype(np.int64)

    def component(self, label: int) -> _Component:
        """Return (and cache) the integer programme of one component."""
        if label in self._cache:
            return self._cache[label]
        local = np.flatnonzero(self._labels == label)
        cells = self.free_cells[local]
        start, stop = np.searchsorted(self._sorted_row_labels, [label, label + 1])
        rows = self._rows_by_label[start:stop]
        matrix = self._matrix[rows][:, local]
        lower, upper = self._lower[rows], self._upper[rows]
        var_low = self.low[cells].astype(np.float64)
        var_high = self.high[cells].astype(np.float64)
        gap_pos = np.flatnonzero(self.gap[cells])
        if gap_pos.size:
            # x is 0 or in t .. high: x - high·b <= 0 and x - t·b >= 0 with a binary b per gap cell.
            k, n = gap_pos.size, cells.size
            rows_k = np.arange(k)
            pick = sp.csr_matrix((np.ones(k), (rows_k, gap_pos)), shape=(k, n + k))
            binary = sp.csr_matrix((np.ones(k), (rows_k, n + rows_k)), shape=(k, n + k))
            high_b = sp.diags(self.high[cells[gap_pos]].astype(np.float64)) @ binary
            t_b = sp.diags(self.system.threshold[cells[gap_pos]].astype(np.float64)) @ binary
            matrix = sp.vstack([sp.hstack([matrix, sp.csr_matrix((matrix.shape[0], k))]), pick - high_b, pick - t_b])
            lower = np.concatenate([lower, np.full(k, -np.inf), np.zeros(k)])
            upper = np.concatenate([upper, np.zeros(k), np.full(k, np.inf)])
            var_low = np.concatenate([var_low, np.zeros(k)])
            var_high = np.concatenate([var_high, np.ones(k)])
        truth = self.system.value[cells].astype(np.float64)
        base = np.concatenate([truth, (truth[gap_pos] > 0).astype(np.float64)])
        comp = _Component(cells, sp.csr_matrix(matrix), lower, upper, var_low, var_high, self.node_limit, base)
        self._cache[label] = comp
        return comp

    def bounds(self, cell: int) -> tuple[int, int] | None:
        """Return the smallest and largest value of ``cell`` the attacker cannot rule out (None: solver gave up)."""
        label = self.label(cell)
        if label < 0:
            return int(self.low[cell]), int(self.high[cell])
        comp = self.component(label)
        low, high = comp.extreme(cell, maximise=False)[0], comp.extreme(cell, maximise=True)[0]
        if low is None or high is None:
            return None
        return low, high


def _resolve_component(
    model: AttackerModel,
    comp: _Component,
    targets: np.ndarray,
    report_bounds: bool = True,
    book: SolutionBook | None = None,
    cell_searches: int | None = None,
) -> list[CellRisk]:
    """Check the primary cells ``targets`` (global indices, sorted) of one component; return those at risk (with the
    attacker's bounds when ``report_bounds``, else the whole unsafe range)."""
    threshold = model.system.threshold
    local = np.searchsorted(comp.cells, targets)
    t_local = threshold[targets].astype(np.float64)
    open_ = np.ones(targets.size, dtype=bool)

    def safe(x: np.ndarray) -> np.ndarray:
        """The open targets that the solution ``x`` places at 0 or at or above their threshold."""
        values = x[local]
        return open_ & ((values <= 0) | (values >= t_local))

    def settle(x: np.ndarray) -> None:
        """Mark the open targets ``x`` settles as safe, and keep ``x`` in the book when it settled one."""
        found = safe(x)
        if book is not None and found.any():
            book.add(comp.cells, x[: comp.cells.size])
        open_[found] = False

    if book is not None:
        for x in _kept_solutions(model, comp, book):
            open_[safe(x)] = False
    if targets.size > 1:
        _batch(comp, local, open_, settle)
    risks: list[CellRisk] = []
    searched = 0
    quick = cell_searches is not None and comp.var_low.size > BATCH_MILP_MAX_VARS
    for i in range(targets.size):
        if not open_[i]:
            continue
        cell = int(targets[i])
        if cell_searches is not None and searched >= cell_searches:
            risks.append(CellRisk(cell, 1, int(threshold[cell]) - 1, proven=False))  # not searched this round
            continue
        searched += 1
        settled, proven = _search_cell(comp, int(local[i]), float(t_local[i]), local[open_], settle, quick)
        if not settled and open_[i]:
            risks.append(_risk(comp, cell, int(threshold[cell]), proven=proven, find_bounds=report_bounds))
    return risks


def _search_cell(
    comp: _Component,
    j: int,
    threshold: float,
    open_vars: np.ndarray,
    settle: Callable[[np.ndarray], None],
    quick: bool,
) -> tuple[bool, bool]:
    """Search one target: whether a solution settled it, and else whether it is proven at risk.

    The relaxation over the component first (cheap: it proves a cell at risk when it is infeasible on both sides,
    and settles it when its vertex is integral), then (unless ``quick``: a round of secondary suppression on a large
    component) a search near the cell (a short cycle of hidden cells usually unpins it), then the integer programme
    over the component."""
    relaxed = _relaxed_sides(comp, j, threshold, open_vars, settle)
    if relaxed is not _Outcome.UNKNOWN:
        return relaxed is _Outcome.FEASIBLE, True
    if quick:
        return False, False
    if _settled_near(comp, j, threshold, open_vars, settle):
        return True, True
    unknown = _search_whole(comp, j, threshold, open_vars, settle)
    return False, not unknown


def _kept_solutions(model: AttackerModel, comp: _Component, book: SolutionBook) -> Iterator[np.ndarray]:
    """The book's solutions that are still solutions of this component's programme (checked here, binaries of the
    gap cells included), restricted to its cells."""
    gap = model.gap[comp.cells]
    for x in book.on(comp.cells):
        if comp.satisfies(np.concatenate([x, (x[gap] > 0).astype(np.float64)])):
            yield x


def _batch(comp: _Component, local: np.ndarray, open_: np.ndarray, settle: Callable[[np.ndarray], None]) -> None:
    """Batch searches settle most targets at once: push all the open ones up together (again while that settles
    more), then down together. On a large component only the LP relaxation: an integral vertex settles targets, and
    where it is not integral the searches per cell are cheaper than one large MILP. Up first: on a large component
    the dual simplex maximising the targets took a tenth to a thirtieth of the time it took minimising them (0.3-0.4 s
    against 10-11 s on the 80-respondent two-wave fixture's coalition component of 33,222 unknowns)."""
    large = comp.var_low.size > BATCH_MILP_MAX_VARS
    for sign in (-1.0, 1.0):
        before = -1
        while open_.any() and int(open_.sum()) != before:
            before = int(open_.sum())
            objective = np.zeros(comp.var_low.size)
            objective[local[open_]] = sign
            outcome, x = comp.solve(objective, comp.var_low, comp.var_high, relaxation_only=large)
            if outcome is _Outcome.FEASIBLE and x is not None:
                settle(x)


BATCH_MILP_MAX_VARS = 2_000
"""Largest component whose batch searches may fall back to the MILP."""
NEIGHBOURHOOD_HOPS = (2, 4, 8)
"""Neighbourhoods tried, in relations away from a cell, before the search over its whole component: a cell is
usually unpinned by a short cycle of hidden cells around it, and a small programme finds it quickly."""


def _either_side(comp: _Component, j: int, threshold: float) -> list[tuple[np.ndarray, np.ndarray]]:
    """The component's bounds with variable ``j`` held at 0, then at or above ``threshold``: a solution in either
    proves the cell safe."""
    zero_low, zero_high = comp.var_low.copy(), comp.var_high.copy()
    zero_high[j] = min(zero_high[j], 0.0)
    up_low, up_high = comp.var_low.copy(), comp.var_high.copy()
    up_low[j] = max(up_low[j], threshold)
    return [(zero_low, zero_high), (up_low, up_high)]


def _relaxed_sides(
    comp: _Component, j: int, threshold: float, open_vars: np.ndarray, settle: Callable[[np.ndarray], None]
) -> _Outcome:
    """The LP relaxation over the whole component on both sides of the cell (at 0, at or above ``threshold``):
    FEASIBLE when an integral vertex settled it, INFEASIBLE when both sides are infeasible even relaxed (so the
    integer programme is too: the cell is at risk), UNKNOWN otherwise. Small components go straight to the MILP.
    The other open targets are pushed up, which the dual simplex solves far faster than pushing them down (see
    :func:`_batch`)."""
    if comp.var_low.size < _LP_FIRST_MIN_VARS:
        return _Outcome.UNKNOWN
    objective = np.zeros(comp.var_low.size)
    objective[open_vars] = -1.0
    infeasible = 0
    for low, high in _either_side(comp, j, threshold):
        outcome, x = comp.solve(objective, low, high, relaxation_only=True)
        if outcome is _Outcome.FEASIBLE and x is not None:
            settle(x)
            return _Outcome.FEASIBLE
        infeasible += outcome is _Outcome.INFEASIBLE
    return _Outcome.INFEASIBLE if infeasible == 2 else _Outcome.UNKNOWN


def _settled_near(
    comp: _Component, j: int, threshold: float, open_vars: np.ndarray, settle: Callable[[np.ndarray], None]
) -> bool:
    """Look for a solution with variable ``j`` at 0 or at ``threshold`` that changes only cells near it."""
    objective = np.zeros(comp.var_low.size)
    objective[open_vars] = 1.0
    previous = 0
    for hops in NEIGHBOURHOOD_HOPS:
        free = comp.near(j, hops)
        if free.size == previous or free.size == comp.var_low.size:
            return False  # no wider than before, or the whole component: the full search follows
        previous = free.size
        for low, high in _either_side(comp, j, threshold):
            x = comp.solve_near(free, objective, low, high)
            if x is not None:
                settle(x)
                return True
    return False


def _search_whole(
    comp: _Component, j: int, threshold: float, open_vars: np.ndarray, settle: Callable[[np.ndarray], None]
) -> bool:
    """Two feasibility searches over the whole component (cheaper than optimising the cell's bounds): can variable
    ``j`` be 0, or at least its threshold? Each also pushes the other open targets down, which settles many of them
    on the way. Returns whether a search stopped without an answer (node or iteration limit)."""
    unknown = False
    for low, high in _either_side(comp, j, threshold):
        objective = np.zeros(comp.var_low.size)
        objective[open_vars] = 1.0
        outcome, x = comp.solve(objective, low, high)
        if outcome is _Outcome.FEASIBLE and x is not None:
            settle(x)
            return False
        unknown |= outcome is _Outcome.UNKNOWN
    return unknown


def _risk(comp: _Component, cell: int, threshold: int, proven: bool, find_bounds: bool = True) -> CellRisk:
    """A target neither search settled: proven at risk (with the bounds the attacker reaches, for the report, when
    ``find_bounds``), or not settled within the solver's limits (reported with the whole unsafe range)."""
    low, high = 1, threshold - 1
    if proven and find_bounds:
        found_low, found_high = comp.extreme(cell, False)[0], comp.extreme(cell, True)[0]
        low = found_low if found_low is not None else low
        high = found_high if found_high is not None else high
    return CellRisk(cell, low, high, proven=proven)


def audit(
    system: CellSystem,
    suppressed: np.ndarray,
    *,
    cells: Sequence[int] | np.ndarray | None = None,
    node_limit: int = DEFAULT_NODE_LIMIT,
    time_limit: float | None = None,
    report_bounds: bool = True,
    book: SolutionBook | None = None,
    cell_searches: int | None = None,
) -> AuditResult:
    """Check that no primary-suppressed cell can be narrowed to within ``1 .. threshold - 1``.

    Args:
        system: The cells, their true values and relations.
        suppressed: Boolean mask of the cells withheld from publication.
        cells: Only check these cells (those of them that are primary); default every primary cell.
        node_limit: Branch-and-bound nodes allowed to each MILP search; a cell the solver cannot settle within
            it is reported at risk with ``proven=False``.
        time_limit: Accepted for older callers and ignored: a wall-clock limit would make the verdict depend
            on how busy the machine is.
        report_bounds: Compute the bounds the attacker reaches for each cell at risk (two more searches each);
            without it a cell at risk is reported with the whole unsafe range (secondary suppression's rounds
            only need to know which cells are at risk).
        book: Solutions of earlier audits of this system (with fewer cells hidden) to try first, each checked
            against this programme; the solutions this audit finds are added to it.
        cell_searches: Most targets of one component searched one by one after the batch searches; the rest are
            reported at risk, unproven (secondary suppression's rounds: a round hides complements for them, and the
            next round audits them again, so a large component costs a bounded number of searches a round). When
            set, a target of a component over ``BATCH_MILP_MAX_VARS`` variables that the LP relaxation does not
            settle is reported the same way, without an integer programme of its own. Default: every target, each
            searched until settled or proven.

    Returns:
        The cells at risk, sorted by index, and the number of primary cells checked. A primary cell that is not
        suppressed at all is at risk, with the bounds its published value gives.
    """
    del time_limit
    model = AttackerModel(system, suppressed, node_limit)
    primary = primary_mask(system)
    if cells is not None:
        chosen = np.zeros(system.n_cells, dtype=bool)
        chosen[np.asarray(cells, dtype=np.int64)] = True
        primary &= chosen
    targets = np.flatnonzero(primary)
    risks = [CellRisk(int(c), int(model.low[c]), int(model.high[c])) for c in targets[~model.suppressed[targets]]]
    hidden = targets[model.suppressed[targets]]
    labels = model.labels_of(hidden)
    for label in np.unique(labels):
        group = hidden[labels == label]
        risks.extend(_resolve_component(model, model.component(int(label)), group, report_bounds, book, cell_searches))
    risks.sort(key=lambda r: r.cell)
    return AuditResult(at_risk=risks, checked=int(targets.size))


def attacker_bounds(system: CellSystem, suppressed: np.ndarray, cells: Sequence[int] | np.ndarray) -> np.ndarray:
    """Return the ``(len(cells), 2)`` array of the smallest and largest value the attacker can't rule out.

    Raises ``RuntimeError`` if the solver cannot settle a bound within a generous node limit.
    """
    model = AttackerModel(system, suppressed, node_limit=100 * DEFAULT_NODE_LIMIT)
    out = np.zeros((len(cells), 2), dtype=np.int64)
    for row, cell in enumerate(np.asarray(cells, dtype=np.int64)):
        found = model.bounds(int(cell))
        if found is None:
            raise RuntimeError(f"the solver could not bound cell {int(cell)}")
        out[row] = found
    return out
