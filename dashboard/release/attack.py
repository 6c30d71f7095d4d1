"""The attacker's integer programme run on a *written* release, from its published tables alone.

For each tier, the attacker holds every table of that tier and of the lower tiers. What they know of a cell:
its exact count (exact tiers), a base-5 interval (rounded tiers), or nothing but ``0 .. upper bound``
(suppressed); and every relation between cells (margins, province = its cities, sector group = its sectors,
multi-response bounds, encounters at most their group and at most its contact = yes respondents). The audit
first reconstructs one integer table consistent with all of it (the attacker's own guess), then asks of every
suppressed cell whose guess lies in ``1 .. threshold−1`` whether another consistent solution puts it at 0 or at
or above the threshold. A cell for which none exists is at risk, and the release fails.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, milp

from dashboard.data.vocab import Vocabularies
from dashboard.privacy.audit import DEFAULT_NODE_LIMIT, audit
from dashboard.privacy.rounding import BASE
from dashboard.privacy.system import CellSystem
from dashboard.published import dims as D
from dashboard.published import table as TB
from dashboard.published.dims import CubeSpec
from dashboard.published.policy import policy_for
from dashboard.published.tiers import TIERS_ASCENDING
from dashboard.release.linking import Linked, link


# The same shape as the other attacker's Finding, written twice on purpose: SPEC §4's two attackers share no code.
@dataclass(frozen=True)
class Finding:
    tier: str
    cell: str
    lower: int
    upper: int

    def __str__(self) -> str:
        return f"{self.tier}: {self.cell} can be narrowed to {self.lower}..{self.upper}"


def _full_grid(table: TB.PublishedTable, dims_of: dict[str, D.Dimension], waves: list[int]) -> pd.DataFrame:
    """The table's full wave × categories grid, with the published count (NaN: suppressed) and presence."""
    axes = [waves] + [list(dims_of[d].categories) for d in table.dims]
    grid = pd.MultiIndex.from_product(axes, names=[D.WAVE, *table.dims]).to_frame(index=False)
    published = table.frame[[D.WAVE, *table.dims, TB.COUNT]].copy()
    published["_present"] = True
    out = grid.merge(published, on=[D.WAVE, *table.dims], how="left")
    out["_present"] = out["_present"].fillna(False).astype(bool)
    return out


def _reconstruct(
    low: np.ndarray,
    high: np.ndarray,
    additive: list[tuple[int, np.ndarray]],
    multi: list[tuple[int, np.ndarray]],
    at_most: np.ndarray,
) -> np.ndarray:
    """One integer solution within the bounds satisfying every relation (the attacker's consistent guess)."""
    n = low.size
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    lo_c: list[float] = []
    hi_c: list[float] = []

    def add(cells: list[int], coefs: list[float], lo: float, hi: float) -> None:
        """One constraint ``lo <= sum(coefs * x[cells]) <= hi``."""
        rows.extend([len(lo_c)] * len(cells))
        cols.extend(cells)
        vals.extend(coefs)
        lo_c.append(lo)
        hi_c.append(hi)

    for parent, children in additive:
        add([parent, *children.tolist()], [-1.0] + [1.0] * children.size, 0.0, 0.0)
    for parent, children in multi:
        add([parent, *children.tolist()], [-1.0] + [1.0] * children.size, 0.0, np.inf)
        for child in children.tolist():
            add([child, parent], [1.0, -1.0], -np.inf, 0.0)
    for small, big in at_most.tolist():
        add([small, big], [1.0, -1.0], -np.inf, 0.0)
    r = len(lo_c)
    constraints = []
    if r:
        matrix = sp.csr_matrix((vals, (rows, cols)), shape=(r, n))
        constraints.append(LinearConstraint(matrix, lo_c, hi_c))
    res = milp(np.zeros(n), integrality=np.ones(n, dtype=np.int64), bounds=Bounds(low, high), constraints=constraints)
    if res.x is None:
        raise ValueError("the published tables are inconsistent: no table of counts satisfies them all")
    return np.rint(res.x).astype(np.int64)


def attack(releases: dict[str, TB.Release], vocab: Vocabularies, node_limit: int = DEFAULT_NODE_LIMIT) -> list[Finding]:
    """Run the attacker's programme for every tier present in ``releases``; return the cells at risk."""
    dims_of = D.dimensions(vocab)
    findings: list[Finding] = []
    present_tiers = [t for t in TIERS_ASCENDING if t in releases]
    for tier in present_tiers:
        seen = present_tiers[: present_tiers.index(tier) + 1]
        findings += _attack_tier(tier, {t: releases[t] for t in seen}, dims_of, vocab, node_limit)
    return findings


def _attack_tier(
    tier: str,
    releases: dict[str, TB.Release],
    dims_of: dict[str, D.Dimension],
    vocab: Vocabularies,
    node_limit: int,
) -> list[Finding]:
    waves = releases[tier].waves
    cubes, grids = [], {}
    for t, release in releases.items():
        for dims, table in release.tables.items():
            spec = CubeSpec(dims)
            grid = _full_grid(table, dims_of, waves)
            grids[(t, spec)] = grid
            cubes.append((t, spec, grid))
    linked = link(cubes, vocab, len(waves))
    n = linked.n_cells
    present, known_exact, known_rounded, published, threshold = _shown(tier, grids, linked)
    cells = np.flatnonzero(present)
    local = np.full(n, -1, dtype=np.int64)
    local[cells] = np.arange(cells.size)
    additive = [(local[p], local[ch]) for p, ch in linked.additive if local[p] >= 0 and (local[ch] >= 0).all()]
    multi = [(local[p], local[ch]) for p, ch in linked.multi if local[p] >= 0 and (local[ch] >= 0).all()]
    pairs = local[linked.at_most] if linked.at_most.size else np.zeros((0, 2), dtype=np.int64)
    at_most = pairs[(pairs >= 0).all(axis=1)]  # encounters <= their group, <= its contact = yes respondents
    exact = known_exact[cells]
    rounded = known_rounded[cells] & ~exact
    hidden = ~exact & ~rounded
    pub = published[cells]
    thr = threshold[cells]
    upper = int(pub.max()) + BASE if pub.size else BASE
    low = np.where(exact, pub, np.where(rounded, np.maximum(pub - (BASE - 1), 0), 0))
    high = np.where(exact, pub, np.where(rounded, pub + (BASE - 1), upper))
    # the policy is public: a shown rounded 0 is a true 0, a shown positive count is at least the threshold
    low = np.where(rounded & (pub > 0), np.maximum(low, thr), low)
    high = np.where(rounded & (pub == 0), 0, high)
    guess = _reconstruct(low.astype(float), high.astype(float), additive, multi, at_most)
    system = CellSystem(
        value=guess,
        threshold=np.where(exact, 0, thr),
        rounded=rounded,
        published_value=np.where(hidden, guess, np.where(rounded, pub, guess)),
        additive=additive,
        multi=multi,
        at_most=at_most,
        upper_bound=np.full(cells.size, max(upper, int(guess.max()))),
    )
    result = audit(system, hidden, node_limit=node_limit)
    keys = {cid: key for key, cid in linked.keys.items()}
    return [Finding(tier, keys[int(cells[r.cell])], r.lower, r.upper) for r in result.at_risk]


def _shown(
    tier: str, grids: dict[tuple[str, CubeSpec], pd.DataFrame], linked: Linked
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per linked cell, what the tiers' tables show the attacker of ``tier``: present in a table, shown exact,
    shown rounded, the value shown, and the suppression threshold that applies to it."""
    n = linked.n_cells
    present = np.zeros(n, dtype=bool)
    known_exact = np.zeros(n, dtype=bool)
    known_rounded = np.zeros(n, dtype=bool)
    published = np.zeros(n, dtype=np.int64)
    threshold = np.zeros(n, dtype=np.int64)
    sensitive = np.asarray(linked.sensitive, dtype=bool)
    own = np.zeros(n, dtype=bool)
    own_threshold = np.zeros(n, dtype=np.int64)
    for (t, spec), grid in grids.items():
        ids = linked.ids[(t, spec)]
        pres = grid["_present"].to_numpy()
        count = grid[TB.COUNT]
        shown = pres & count.notna().to_numpy()
        policy = policy_for(t)
        present[ids[pres]] = True
        values = count.fillna(0).to_numpy(dtype=np.int64)
        target = known_exact if not policy.rounded else known_rounded
        target[ids[shown]] = True
        published[ids[shown]] = np.where(known_exact[ids[shown]], published[ids[shown]], values[shown])
        if not policy.rounded:
            published[ids[shown]] = values[shown]
        tier_t = np.where(sensitive[ids], policy.threshold(True), policy.threshold(False))
        if t == tier:  # what the attacked tier may see of its own cells sets their threshold
            own[ids[pres]] = True
            own_threshold[ids[pres]] = tier_t[pres]
        threshold[ids[pres]] = np.maximum(threshold[ids[pres]], tier_t[pres])
    threshold = np.where(own, own_threshold, threshold)
    return present, known_exact, known_rounded, published, threshold
