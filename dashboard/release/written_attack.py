"""The independent written-release attacker: an integer programme built from the published tables alone (SPEC §4).

SPEC §4 asks for two attackers that share no code. This one imports nothing of the builder's linked system
(``dashboard.release.linking``) or of its audit (``dashboard.privacy``), and nothing of ``dashboard.release.attack``
(the written-release audit that ``python -m dashboard audit`` runs today, which reuses both). It reads the tables a
tier and the tiers below it publish, and the vocabularies, and derives every relation from the tables' dimensions:

- **one unknown per cell of every table's full grid** (wave × every category of every dimension), so a withheld
  row (a group too sparse to show, absent from the file) is an unknown inside every relation it belongs to, like a
  suppressed ``x``; the same count shown by two tiers (or two encounter tables) is one unknown;
- **what a tier shows of a cell**: an exact tier its count; a rounded tier an interval of ``r − 4 … r + 4``, and,
  since the policy is public, a shown 0 is a true 0 and a shown positive count is at least the tier's threshold;
- **margins**: a coarser table's cell is the sum of the finer table's cells it covers, for every pair of
  published tables with the same encounter dimensions where one refines the other (a dimension dropped, a city
  summed to its province, a sector to its sector group). Only the direct refinements are written; the others
  follow through the tables in between;
- **multi-response** (labour sites, victimisation types): along an encounter dimension every category is at most
  the ``_any`` cell and together they are at least it;
- **encounters come from contact**: respondents naming an encounter are at most the respondents of their group,
  and at most those who answered contact = yes (the validation rule every dataset passes).

A hidden cell (suppressed or withheld) is **at risk** when every integer solution puts it within
``1 … threshold − 1``. It is safe as soon as one solution puts it at 0 or at or above the threshold. The attacker
does not know the true counts: it looks for such a solution for every hidden cell of the attacked tier, first for
all of them at once (push down, then up), then one by one. Solver work is bounded by branch-and-bound nodes; a cell
the solver cannot settle within them is reported at risk. With ``relaxed=True`` the programme is the LP relaxation
(cheaper; its bounds are wider, so a cell it narrows is narrowed by the integer programme too).

A table's meta may list ``not_published_waves``: waves too sparse for the tier to protect every table, for which it
publishes nothing of that table (no row, no withheld row). Those waves are not in the table's grid: it writes no
unknown and no relation for them, and a relation it would have implied between two other tables is then written
directly.

Why this module is longer than ~300 lines: SPEC §4's second attacker must share no code with the builder, so its
grid, its relations and its solver live here together, and the boundary "imports nothing of linking, privacy or
attack" is one import-linter contract on one module (``pyproject.toml``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from itertools import product

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse.csgraph import connected_components

from dashboard.data.vocab import Vocabularies
from dashboard.published import table as TB
from dashboard.published.dims import ANY, ENCOUNTER_DIMS, MISSING, SENSITIVE_DIMS
from dashboard.published.tiers import TIERS_ASCENDING

NODE_LIMIT = 2_000  # branch-and-bound nodes one search may explore (never seconds: same verdict on a busy machine)
HALF_WIDTH = 4  # a rounded count r stands for r - 4 .. r + 4 (base 5)
_ENCOUNTER = "encounter"  # canonical name of "named at least one encounter", whichever encounter table shows it
_FINE_OF = {"province": "city", "sector_group": "sector"}  # a coarse dimension and the dimension it sums
_CONTACT, _YES = "contact_any", "yes"
_VOCAB_OF = {"contact_any": "contact"}  # a dimension whose vocabulary has another name
_ITEMS_WITH_MISSING = ("contact_any", "trained")  # items that can be left unanswered


# The same shape as the other attacker's Finding, written twice on purpose: SPEC §4's two attackers share no code.
@dataclass(frozen=True)
class Finding:
    """A hidden cell the attacker narrows to within ``lower .. upper`` (inside ``1 .. threshold − 1``)."""

    tier: str
    cell: str
    lower: int
    upper: int

    def __str__(self) -> str:
        return f"{self.tier}: {self.cell} can be narrowed to {self.lower}..{self.upper}"


@dataclass
class _Programme:
    """Unknowns (one per distinct cell), what is known of each, and the linear relations between them."""

    index: dict[str, int] = field(default_factory=dict)
    low: list[float] = field(default_factory=list)
    high: list[float] = field(default_factory=list)
    rows: list[tuple[np.ndarray, np.ndarray, float, float]] = field(default_factory=list)  # (vars, coefs, lo, hi)

    def ids(self, keys: Iterable[str], upper: float) -> np.ndarray:
        out = []
        for key in keys:
            var = self.index.get(key)
            if var is None:
                var = self.index[key] = len(self.low)
                self.low.append(0.0)
                self.high.append(upper)
            out.append(var)
        return np.asarray(out, dtype=np.int64)

    def relate(self, variables: np.ndarray, coefs: np.ndarray, lo: float, hi: float) -> None:
        self.rows.append((variables, coefs, lo, hi))


def _categories(vocab: Vocabularies, dim: str, seen: set[str]) -> list[str]:
    """Every category of a dimension: its vocabulary's codes, the codes a table uses for "not answered" or "any",
    and anything the tables themselves show."""
    codes = list(vocab[_VOCAB_OF.get(dim, dim)].codes)
    if dim in _ITEMS_WITH_MISSING:
        codes.append(MISSING)
    if dim in ENCOUNTER_DIMS:
        codes.append(ANY)
    return codes + sorted(seen - set(codes))


def _keys(frame: pd.DataFrame, dims: tuple[str, ...]) -> np.ndarray:
    """The canonical identity of every row: wave and (dimension=category) pairs in name order, encounter
    dimensions at ``_any`` dropped (naming victimisation v at any site is naming v), "named at least one" as one
    cell."""
    resp = sorted(d for d in dims if d not in ENCOUNTER_DIMS)
    enc = sorted(d for d in dims if d in ENCOUNTER_DIMS)
    key = frame["wave"].astype(str).to_numpy(dtype=object)
    for d in resp:
        key = key + ("|" + d + "=") + frame[d].to_numpy(dtype=object)
    if not enc:
        return key
    suffix = np.full(len(frame), "", dtype=object)
    all_any = np.ones(len(frame), dtype=bool)
    for d in enc:
        values = frame[d].to_numpy(dtype=object)
        is_any = values == ANY
        all_any &= is_any
        suffix = suffix + np.where(is_any, "", "|" + d + "=" + values.astype(str))
    return key + np.where(all_any, f"|{_ENCOUNTER}={ANY}", suffix)


@dataclass
class _Table:
    tier: str
    dims: tuple[str, ...]
    grid: pd.DataFrame  # full grid: wave, dims, count (NaN: hidden), present
    var: np.ndarray  # unknown of every grid row
    sensitive: bool
    waves: frozenset[int]  # the waves the table publishes (its meta's ``not_published_waves`` left out)

    @property
    def respondent_dims(self) -> frozenset[str]:
        return frozenset(d for d in self.dims if d not in ENCOUNTER_DIMS)

    @property
    def encounter_dims(self) -> frozenset[str]:
        return frozenset(d for d in self.dims if d in ENCOUNTER_DIMS)


def _grid(table: TB.PublishedTable, categories: Mapping[str, list[str]], waves: list[int]) -> pd.DataFrame:
    names = ["wave", *table.dims]
    axes: list[list[object]] = [list[object](waves)] + [list[object](categories[d]) for d in table.dims]
    grid = pd.DataFrame(list(product(*axes)), columns=names)
    shown = table.frame[[*names, TB.COUNT]].copy()
    shown["present"] = True
    shown["wave"] = shown["wave"].astype(np.int64)
    for d in table.dims:
        shown[d] = shown[d].astype(object)
    out = grid.merge(shown, on=names, how="left")
    out["present"] = out["present"].eq(True)
    return out


def _not_published(meta: Mapping[str, object], dims: tuple[str, ...]) -> frozenset[int]:
    """The waves a table of a release does not publish at all (too sparse to protect in its tier): no cell of them is
    in the file or withheld, so the table writes no unknown and no relation for them."""
    entries = meta.get("tables") or []
    assert isinstance(entries, list)
    for entry in entries:
        if tuple(entry.get("dims", ())) == dims:
            return frozenset(int(w) for w in entry.get("not_published_waves", ()))
    return frozenset()


def _refines(fine: _Table, coarse: _Table) -> dict[str, str] | None:
    """How ``coarse`` is a margin of ``fine`` (its dimension -> the fine dimension it sums), or None."""
    if fine.encounter_dims != coarse.encounter_dims or fine.dims == coarse.dims:
        return None
    mapping: dict[str, str] = {}
    for d in coarse.respondent_dims:
        source = d if d in fine.respondent_dims else _FINE_OF.get(d)
        if source is None or source not in fine.respondent_dims or source in mapping.values():
            return None
        mapping[d] = source
    return mapping


def _union(same: list[_Table]) -> _Table:
    """One table of the dimensions that several tiers publish: every wave any of them publishes (a tier may leave
    out a wave another shows)."""
    widest = max(same, key=lambda tb: len(tb.waves))
    if all(tb.waves <= widest.waves for tb in same):
        return widest
    grid = pd.concat([tb.grid.assign(_var=tb.var) for tb in same], ignore_index=True)
    grid = grid.drop_duplicates(subset="_var", keep="first").reset_index(drop=True)
    waves = frozenset().union(*(tb.waves for tb in same))
    return _Table(widest.tier, widest.dims, grid.drop(columns="_var"), grid["_var"].to_numpy(), widest.sensitive, waves)


class _Attack:
    """The programme of one attacked tier: the tables of that tier and of every tier below it."""

    def __init__(self, tier: str, releases: Mapping[str, TB.Release], vocab: Vocabularies) -> None:
        self.tier = tier
        self.coarsen = {"province": vocab.province_of(), "sector_group": vocab.sector_group_of()}
        self.threshold_of: dict[int, float] = {}  # hidden unknowns of the attacked tier -> their threshold
        waves = sorted({int(w) for r in releases.values() for w in r.waves})
        seen: dict[str, set[str]] = {}
        for release in releases.values():
            for dims, table in release.tables.items():
                for d in dims:
                    seen.setdefault(d, set()).update(table.frame[d].dropna().astype(str).unique())
        categories = {d: _categories(vocab, d, values) for d, values in seen.items()}
        shown = [t.frame[TB.COUNT].dropna() for r in releases.values() for t in r.tables.values()]
        self.upper = max((float(c.max()) for c in shown if len(c)), default=0.0) + HALF_WIDTH + 1
        self.p = _Programme()
        self.tables: list[_Table] = []
        for t, release in releases.items():
            for dims, table in release.tables.items():
                left_out = _not_published(release.meta, dims)
                own = [w for w in waves if w not in left_out]
                grid = _grid(table, categories, own)
                var = self.p.ids(_keys(grid, dims), self.upper)
                sensitive = any(d in SENSITIVE_DIMS for d in dims)
                self.tables.append(_Table(t, dims, grid, var, sensitive, frozenset(own)))
        self.low = np.asarray(self.p.low)
        self.high = np.asarray(self.p.high)
        for known in self.tables:
            self._know(known, releases[known.tier].meta)
        self._margins()
        self._multi_response()
        self._encounters_from_contact()

    def _know(self, table: _Table, meta: Mapping[str, object]) -> None:
        """Narrow each unknown to what this table shows of it."""
        policy = meta.get("policy") or {}
        assert isinstance(policy, dict)
        key = "suppress_below_sensitive" if table.sensitive else "suppress_below"
        threshold = float(policy.get(key) or 0)
        count = table.grid[TB.COUNT]
        shown = table.grid["present"].to_numpy() & count.notna().to_numpy()
        values = count.fillna(0).to_numpy(dtype=float)[shown]
        var = table.var[shown]
        if meta.get("rounded"):
            low = np.where(values > 0, np.maximum(values - HALF_WIDTH, threshold), 0.0)
            high = np.where(values > 0, values + HALF_WIDTH, 0.0)
        else:
            low = high = values
        np.maximum.at(self.low, var, low)
        np.minimum.at(self.high, var, high)
        if table.tier == self.tier:
            self.threshold_of.update(dict.fromkeys(table.var[~shown].tolist(), threshold))

    def _margins(self) -> None:
        """A coarser table's cell equals the sum of the finer table's cells it covers (direct refinements)."""
        by_dims: dict[tuple[str, ...], list[_Table]] = {}
        for tb in self.tables:  # the same dimensions in two tiers are the same unknowns
            by_dims.setdefault(tb.dims, []).append(tb)
        tables = [_union(same) for same in by_dims.values()]
        edges = {
            (i, j): m for i, a in enumerate(tables) for j, b in enumerate(tables) if (m := _refines(a, b)) is not None
        }
        for (i, j), mapping in edges.items():
            both = tables[i].waves & tables[j].waves
            if any((i, k) in edges and (k, j) in edges and both <= tables[k].waves for k in range(len(tables))):
                continue  # implied through the table in between (which publishes every wave they share)
            self._sum_relation(tables[i], tables[j], mapping)

    def _sum_relation(self, fine: _Table, coarse: _Table, mapping: dict[str, str]) -> None:
        frame = pd.DataFrame({"wave": fine.grid["wave"].to_numpy()})
        for d in coarse.dims:
            if d in ENCOUNTER_DIMS:
                frame[d] = fine.grid[d].to_numpy()
                continue
            source = fine.grid[mapping[d]].astype(str)
            frame[d] = (source if mapping[d] == d else source.map(self.coarsen[d])).to_numpy()
        parent_of_key = dict(zip(_keys(coarse.grid, coarse.dims), coarse.var.tolist(), strict=True))
        keys = _keys(frame, coarse.dims)
        groups = pd.Series(fine.var).groupby(keys, sort=False).agg(list)
        for key, children in groups.items():
            parent = parent_of_key.get(str(key))
            if parent is None or parent in children:
                continue
            variables = np.asarray([parent, *children], dtype=np.int64)
            coefs = np.concatenate([[-1.0], np.ones(len(children))])
            self.p.relate(variables, coefs, 0.0, 0.0)

    def _multi_response(self) -> None:
        """Along an encounter dimension, each category is at most ``_any`` and together they are at least it."""
        for table in self.tables:
            for d in table.encounter_dims:
                others = [c for c in ("wave", *table.dims) if c != d]
                is_any = (table.grid[d] == ANY).to_numpy()
                for rows in table.grid.groupby(others, sort=False).indices.values():
                    parents, children = table.var[rows[is_any[rows]]], table.var[rows[~is_any[rows]]]
                    if parents.size != 1 or not children.size:
                        continue
                    p = int(parents[0])
                    self.p.relate(
                        np.concatenate([[p], children]), np.concatenate([[-1.0], np.ones(children.size)]), 0.0, np.inf
                    )
                    for child in children.tolist():
                        self.p.relate(np.asarray([child, p]), np.asarray([1.0, -1.0]), -np.inf, 0.0)

    def _encounters_from_contact(self) -> None:
        """Respondents naming an encounter are at most their group, and at most its contact = yes respondents."""
        respondent = {tb.respondent_dims: tb for tb in self.tables if not tb.encounter_dims}
        for table in self.tables:
            if not table.encounter_dims:
                continue
            rows = np.logical_and.reduce([(table.grid[d] == ANY).to_numpy() for d in table.encounter_dims])
            sub = table.grid.loc[rows, ["wave", *sorted(table.respondent_dims)]]
            any_var = table.var[rows]
            for extra in ({}, {_CONTACT: _YES}):
                dims = table.respondent_dims | frozenset(extra)
                base = respondent.get(dims)
                if base is None or (_CONTACT in table.respondent_dims and extra):
                    continue
                frame = sub.assign(**extra)
                index = dict(zip(_keys(base.grid, base.dims), base.var.tolist(), strict=True))
                for var, key in zip(any_var.tolist(), _keys(frame, tuple(sorted(dims))), strict=True):
                    parent = index.get(str(key))
                    if parent is not None and parent != var:
                        self.p.relate(np.asarray([var, parent]), np.asarray([1.0, -1.0]), -np.inf, 0.0)

    @cached_property
    def _free_programme(self) -> _Reduced:
        """The relations over the unknowns the attacker does not know exactly, split into components."""
        return _Reduced.of(self.p.rows, self.low, self.high)

    def findings(self, relaxed: bool, node_limit: int) -> list[tuple[int, int, int]]:
        """(unknown, lower, upper) of every hidden cell of the attacked tier narrowed into 1 .. threshold − 1."""
        programme = self._free_programme
        free = programme.free
        targets = np.asarray(sorted(v for v, t in self.threshold_of.items() if t > 1 and free[v]), dtype=np.int64)
        out: list[tuple[int, int, int]] = []
        if not targets.size:
            return out
        target_labels = programme.labels[programme.local_of[targets]]
        for label in np.unique(target_labels):
            members, solver = programme.component(int(label), relaxed, node_limit)
            comp_targets = targets[target_labels == label]
            position = np.searchsorted(programme.free_vars[members], comp_targets)
            thresholds = np.asarray([self.threshold_of[int(v)] for v in comp_targets])
            for pos, lower_found, upper_found in solver.narrowed(position, thresholds):
                out.append((int(comp_targets[pos]), lower_found, upper_found))
        return out

    def range_of(self, var: int, relaxed: bool, node_limit: int) -> tuple[float, float]:
        """Minimum and maximum of one unknown over every solution (its component's programme)."""
        programme = self._free_programme
        if not programme.free[var]:
            return float(self.low[var]), float(self.high[var])
        members, solver = programme.component_of(var, relaxed, node_limit)
        low, high = solver.extremes(int(np.searchsorted(programme.free_vars[members], var)))
        if low is None or high is None:
            raise ValueError("the published tables are inconsistent: no table of counts satisfies them all")
        return low, high

    @cached_property
    def _names(self) -> dict[int, str]:
        return {v: k for k, v in self.p.index.items()}

    def name(self, var: int) -> str:
        return self._names[var]


@dataclass
class _Reduced:
    """The relations with every exactly known unknown substituted, and the components of the rest."""

    matrix: sp.csr_matrix  # rows × free unknowns
    lower: np.ndarray
    upper: np.ndarray
    low: np.ndarray  # bounds of the free unknowns
    high: np.ndarray
    free: np.ndarray  # mask over every unknown
    free_vars: np.ndarray
    local_of: np.ndarray
    labels: np.ndarray  # component of every free unknown

    @classmethod
    def of(cls, rows: list[tuple[np.ndarray, np.ndarray, float, float]], low: np.ndarray, high: np.ndarray) -> _Reduced:
        n = low.size
        if np.any(low > high):
            raise ValueError("the published tables are inconsistent: a cell has no value consistent with them all")
        free = high > low
        free_vars = np.flatnonzero(free)
        local_of = np.full(n, -1, dtype=np.int64)
        local_of[free_vars] = np.arange(free_vars.size)
        if rows:
            r = np.concatenate([np.full(v.size, i) for i, (v, _c, _a, _b) in enumerate(rows)])
            c = np.concatenate([v for v, _c, _a, _b in rows])
            k = np.concatenate([coef for _v, coef, _a, _b in rows])
            matrix = sp.csr_matrix((k, (r, c)), shape=(len(rows), n))
            lo = np.asarray([a for _v, _c, a, _b in rows], dtype=float)
            hi = np.asarray([b for _v, _c, _a, b in rows], dtype=float)
        else:
            matrix, lo, hi = sp.csr_matrix((0, n)), np.zeros(0), np.zeros(0)
        shift = matrix[:, ~free] @ low[~free]
        reduced = matrix[:, free].tocsr()
        lower, upper = lo - shift, hi - shift
        keep = np.diff(reduced.indptr) > 0
        if np.any(~keep & ((lower > 1e-9) | (upper < -1e-9))):
            raise ValueError("the published tables are inconsistent: a relation between shown counts does not hold")
        reduced, lower, upper = reduced[keep], lower[keep], upper[keep]
        incidence = sp.csr_matrix((np.ones(reduced.nnz, dtype=np.int8), reduced.indices, reduced.indptr), reduced.shape)
        _, labels = connected_components(incidence.T @ incidence, directed=False)
        return cls(reduced, lower, upper, low[free_vars], high[free_vars], free, free_vars, local_of, labels)

    def component(self, label: int, relaxed: bool, node_limit: int) -> tuple[np.ndarray, _Solver]:
        """The free unknowns of one component (positions among the free ones) and a solver over them."""
        members = np.flatnonzero(self.labels == label)
        rows = np.flatnonzero(np.asarray(self.matrix[:, members].getnnz(axis=1)).ravel() > 0)
        sub = self.matrix[rows][:, members]
        solver = _Solver(
            sub, self.lower[rows], self.upper[rows], self.low[members], self.high[members], relaxed, node_limit
        )
        return members, solver

    def component_of(self, var: int, relaxed: bool, node_limit: int) -> tuple[np.ndarray, _Solver]:
        return self.component(int(self.labels[self.local_of[var]]), relaxed, node_limit)


class _Solver:
    """Searches over one connected component of unknowns."""

    def __init__(
        self,
        matrix: sp.csr_matrix,
        lower: np.ndarray,
        upper: np.ndarray,
        low: np.ndarray,
        high: np.ndarray,
        relaxed: bool,
        node_limit: int,
    ) -> None:
        self.constraints = LinearConstraint(matrix, lower, upper) if matrix.shape[0] else None
        self.low, self.high = low.astype(float), high.astype(float)
        self.integrality = np.full(low.size, 0 if relaxed else 1, dtype=np.int64)
        self.node_limit = node_limit

    def _solve(self, objective: np.ndarray, low: np.ndarray, high: np.ndarray) -> tuple[np.ndarray | None, bool]:
        """A solution within the bounds (optimal for ``objective`` when the search finished); and whether the
        search ended without settling the question (node limit reached with no solution)."""
        if np.any(low > high):
            return None, False
        res = milp(
            objective,
            integrality=self.integrality,
            bounds=Bounds(low, high),
            constraints=self.constraints if self.constraints is not None else (),
            options={"node_limit": self.node_limit, "presolve": True},
        )
        if res.x is not None:
            return res.x, False
        return None, res.status != 2  # 2: infeasible (proven)

    def narrowed(self, targets: np.ndarray, thresholds: np.ndarray) -> list[tuple[int, int, int]]:
        """(index into targets, lower, upper) of the targets no solution places at 0 or at their threshold."""
        open_ = np.ones(targets.size, dtype=bool)
        tol = 1e-6

        def settle(x: np.ndarray) -> None:
            v = x[targets]
            open_[(v <= tol) | (v >= thresholds - tol)] = False

        for sign in (1.0, -1.0):  # everything still open down at once, then up, while that settles some
            before = -1
            while open_.any() and before != int(open_.sum()):
                before = int(open_.sum())
                objective = np.zeros(self.low.size)
                objective[targets[open_]] = sign
                x, _ = self._solve(objective, self.low, self.high)
                if x is None and sign > 0 and before == targets.size:
                    raise ValueError("the published tables are inconsistent: no table of counts satisfies them all")
                if x is not None:
                    settle(x)
        found = []
        for i in range(targets.size):
            if not open_[i]:
                continue
            j = int(targets[i])
            gave_up = False
            for side in ("zero", "threshold"):
                low, high = self.low.copy(), self.high.copy()
                if side == "zero":
                    high[j] = 0.0
                else:
                    low[j] = max(low[j], float(thresholds[i]))
                objective = np.zeros(self.low.size)
                objective[targets[open_]] = 1.0
                x, unsettled = self._solve(objective, low, high)
                gave_up |= unsettled
                if x is not None:
                    settle(x)
                    break
            if open_[i]:
                found.append((i, *self._range(j, thresholds[i], gave_up)))
        return found

    def extremes(self, j: int) -> tuple[float | None, float | None]:
        """The smallest and the largest value of variable ``j`` over every solution (None: not found)."""
        ends: list[float | None] = []
        for sign in (1.0, -1.0):
            objective = np.zeros(self.low.size)
            objective[j] = sign
            x, _ = self._solve(objective, self.low, self.high)
            ends.append(None if x is None else float(x[j]))
        return ends[0], ends[1]

    def _range(self, j: int, threshold: float, gave_up: bool) -> tuple[int, int]:
        """The values the attacker cannot rule out (the whole unsafe range when the search gave up)."""
        if gave_up:
            return 1, int(threshold) - 1
        low, high = self.extremes(j)
        low = 1.0 if low is None else low
        high = threshold - 1 if high is None else high
        return int(np.ceil(low - 1e-6)), int(np.floor(high + 1e-6))


def _seen_by(releases: Mapping[str, TB.Release], tier: str) -> dict[str, TB.Release]:
    """The releases the attacker of ``tier`` holds: its own and every lower tier's."""
    present: list[str] = [t for t in TIERS_ASCENDING if t in releases]
    return {t: releases[t] for t in present[: present.index(tier) + 1]}


def attack(
    releases: Mapping[str, TB.Release],
    vocab: Vocabularies,
    node_limit: int = NODE_LIMIT,
    *,
    relaxed: bool = False,
) -> list[Finding]:
    """Attack every tier present in ``releases`` with the tables it and the tiers below it publish."""
    findings: list[Finding] = []
    for tier in (t for t in TIERS_ASCENDING if t in releases):
        model = _Attack(tier, _seen_by(releases, tier), vocab)
        for var, lower, upper in model.findings(relaxed, node_limit):
            findings.append(Finding(tier, model.name(var), lower, upper))
    return findings


def cell_range(
    releases: Mapping[str, TB.Release],
    vocab: Vocabularies,
    tier: str,
    cell: str,
    *,
    relaxed: bool = False,
    node_limit: int = NODE_LIMIT,
) -> tuple[float, float]:
    """The smallest and largest value the attacker of ``tier`` cannot rule out for one cell, named as in a
    :class:`Finding` (``wave|dimension=category|…``, dimensions in name order). With ``relaxed`` the bounds of the
    LP relaxation (never narrower than the integer programme's)."""
    model = _Attack(tier, _seen_by(releases, tier), vocab)
    return model.range_of(model.p.index[cell], relaxed, node_limit)
