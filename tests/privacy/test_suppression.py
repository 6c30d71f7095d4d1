"""Tests of primary and secondary suppression, including property tests against an independent attacker."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp

from dashboard.privacy.audit import audit
from dashboard.privacy.rounding import KEY_MODULUS, round_base5
from dashboard.privacy.suppression import SuppressionError, primary_mask, secondary_suppress
from dashboard.privacy.system import CellSystem, Crosstab, SystemBuilder

THRESHOLD = 5


def _mask(n: int, cells: list[int]) -> np.ndarray:
    mask = np.zeros(n, dtype=bool)
    mask[cells] = True
    return mask


def test_relation_rule_hides_smallest_nonzero_child() -> None:
    # total 30 = 2 (primary) + 0 + 9 + 7 + 12: the 7 is the smallest non-zero visible child.
    value = np.array([30, 2, 0, 9, 7, 12])
    s = CellSystem(value=value, threshold=THRESHOLD, additive=[(0, np.arange(1, 6))])
    mask = secondary_suppress(s, np.zeros(6, dtype=bool))
    assert np.flatnonzero(mask).tolist() == [1, 4]


def test_relation_rule_prefers_a_child_shared_with_another_exposed_relation() -> None:
    # 17 = a (2, primary) + s (9) + x (6) and 19 = b (3, primary) + s (9) + y (7): hiding the shared 9 protects
    # both relations with one cell, where the smallest children (6 and 7) would take two.
    value = np.array([17, 19, 2, 3, 9, 6, 7])
    s = CellSystem(value=value, threshold=THRESHOLD, additive=[(0, np.array([2, 4, 5])), (1, np.array([3, 4, 6]))])
    mask = secondary_suppress(s, np.zeros(7, dtype=bool))
    assert np.flatnonzero(mask).tolist() == [2, 3, 4]
    assert audit(s, mask).passed


def test_relation_rule_ties_break_by_index() -> None:
    value = np.array([23, 2, 7, 7, 7])
    s = CellSystem(value=value, threshold=THRESHOLD, additive=[(0, np.arange(1, 5))])
    assert np.flatnonzero(secondary_suppress(s, np.zeros(5, dtype=bool))).tolist() == [1, 2]


def test_relation_rule_falls_back_to_parent() -> None:
    # 3 (primary) = 3 + 0: no non-zero visible child is left, so the parent goes.
    s = CellSystem(value=np.array([3, 3, 0, 40]), threshold=np.array([0, 5, 0, 0]), additive=[(0, np.array([1, 2]))])
    mask = secondary_suppress(s, np.zeros(4, dtype=bool))
    assert mask[[0, 1]].all()


def test_a_fixed_zero_alone_in_a_relation_needs_no_partner() -> None:
    # Two waves, later = earlier + J for each cell (J: who joined; hidden and not eligible, as the builder's joiner
    # cells are). Where nobody joined (J = 0) recovering J discloses nothing, so no shown cell is hidden for it;
    # where somebody did (J = 2, a small cell) a partner is hidden and the audit passes.
    value = np.array([10, 10, 0, 7, 9, 2])  # earlier a, later a, J_a; earlier b, later b, J_b
    s = CellSystem(value=value, threshold=THRESHOLD, additive=[(1, np.array([0, 2])), (4, np.array([3, 5]))])
    eligible = _mask(6, [0, 1, 3, 4])
    mask = secondary_suppress(s, _mask(6, [2, 5]), eligible=eligible)
    assert not mask[[0, 1]].any()
    assert mask[[3, 4]].any()
    assert audit(s, mask).passed


def test_result_is_superset_and_deterministic() -> None:
    b = SystemBuilder()
    b.add_crosstab("t", np.array([[1, 8, 3], [9, 0, 12], [6, 7, 2]]), THRESHOLD)
    s = b.build()
    given_mask = _mask(s.n_cells, [2])
    first = secondary_suppress(s, given_mask)
    assert (first >= given_mask).all()
    assert (first >= primary_mask(s)).all()
    assert np.array_equal(first, secondary_suppress(s, given_mask.copy()))
    assert audit(s, first).passed


def test_audit_driven_round_needed_and_cap_raises() -> None:
    # Hiding the rectangle 1, 0 / 0, 0 leaves two hidden cells in every relation, yet 1 is pinned:
    # row 1 says c + d = 0, so c = d = 0 and a = 1. Only the audit finds this.
    b = SystemBuilder()
    t = b.add_crosstab("t", np.array([[1, 0, 5], [0, 0, 6], [7, 8, 9]]), THRESHOLD)
    s = b.build()
    rectangle = _mask(s.n_cells, [int(c) for c in t.cells[:2, :2].ravel()])
    assert not audit(s, rectangle).passed
    with pytest.raises(SuppressionError, match="0 rounds"):
        secondary_suppress(s, rectangle, max_rounds=0)
    mask = secondary_suppress(s, rectangle)
    assert audit(s, mask).passed
    assert mask.sum() > rectangle.sum()


def test_bad_mask_refused() -> None:
    s = CellSystem(value=np.array([1, 2, 3]), threshold=THRESHOLD, additive=[(2, np.array([0, 1]))])
    with pytest.raises(ValueError, match="boolean array"):
        secondary_suppress(s, np.zeros(3, dtype=int))


# --- Property tests against an independently written attacker ---------------------------------------------


def _independent_range(
    counts: np.ndarray, t: Crosstab, low: np.ndarray, high: np.ndarray, cell: int
) -> tuple[float, float]:
    """Min and max of ``cell`` over integer tables with the given margins structure and cell domains.

    Written directly from the table's layout (not from the system's constraint matrix): every row total is the
    sum of its row, every column total the sum of its column, and the grand total the sum of either.
    """
    n = low.size
    rows = [{int(t.row_totals[i]): 1.0, **{int(c): -1.0 for c in t.cells[i, :]}} for i in range(counts.shape[0])]
    rows += [{int(t.column_totals[j]): 1.0, **{int(c): -1.0 for c in t.cells[:, j]}} for j in range(counts.shape[1])]
    rows.append({t.total: 1.0, **{int(c): -1.0 for c in t.row_totals}})
    rows.append({t.total: 1.0, **{int(c): -1.0 for c in t.column_totals}})
    a = np.zeros((len(rows), n))
    for r, coefs in enumerate(rows):
        for col, coef in coefs.items():
            a[r, col] = coef
    cons = LinearConstraint(a, np.zeros(len(rows)), np.zeros(len(rows)))
    out = []
    for sign in (1.0, -1.0):
        c = np.zeros(n)
        c[cell] = sign
        res = milp(c, integrality=np.ones(n), bounds=Bounds(low, high), constraints=cons)
        assert res.status == 0
        out.append(sign * res.fun)
    return out[0], out[1]


def _check_protected(counts: np.ndarray, t: Crosstab, system: CellSystem, mask: np.ndarray) -> None:
    value, pub = system.value, system.published_value
    bound = system.upper_bound
    if system.rounded:
        low = np.where(pub == 0, 0, np.maximum(pub - 4, THRESHOLD))
        high = np.where(pub == 0, 0, np.minimum(pub + 4, bound))
    else:
        low, high = value.astype(float), value.astype(float)
    low = np.where(mask, 0, low).astype(float)
    high = np.where(mask, bound, high).astype(float)
    for cell in np.flatnonzero((value >= 1) & (value < THRESHOLD)):
        assert mask[cell]
        lo, hi = _independent_range(counts, t, low, high, int(cell))
        assert lo <= value[cell] <= hi
        assert lo == 0 or hi >= THRESHOLD, f"cell {cell} pinned to {lo}..{hi}"


tables = st.tuples(st.integers(2, 5), st.integers(2, 5)).flatmap(
    lambda shape: st.lists(st.integers(0, 12), min_size=shape[0] * shape[1], max_size=shape[0] * shape[1]).map(
        lambda flat: np.array(flat, dtype=np.int64).reshape(shape)
    )
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(counts=tables)
def test_secondary_suppression_protects_random_tables(counts: np.ndarray) -> None:
    b = SystemBuilder()
    t = b.add_crosstab("t", counts, THRESHOLD)
    s = b.build()
    mask = secondary_suppress(s, primary_mask(s))
    assert audit(s, mask).passed
    _check_protected(counts, t, s, mask)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(counts=tables, seed=st.integers(0, 2**32 - 1))
def test_secondary_suppression_protects_random_rounded_tables(counts: np.ndarray, seed: int) -> None:
    b = SystemBuilder()
    t = b.add_crosstab("t", counts, THRESHOLD)
    exact = b.build()
    keys = np.random.default_rng(seed).integers(0, KEY_MODULUS, size=exact.n_cells, dtype=np.uint64)
    published = round_base5(exact.value, keys.astype(np.uint32))
    s = b.build(rounded=True, published_value=published)
    mask = secondary_suppress(s, primary_mask(s))
    assert audit(s, mask).passed
    _check_protected(counts, t, s, mask)
