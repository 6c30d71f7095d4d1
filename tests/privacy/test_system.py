"""Tests of the cell constraint system and its builder."""

from __future__ import annotations

import numpy as np
import pytest

from dashboard.privacy.system import (
    CellSystem,
    SystemBuilder,
    constraint_matrix,
    primary_mask,
    relation_matrices,
)


def _satisfied(system: CellSystem, x: np.ndarray) -> bool:
    cons = constraint_matrix(system)
    lhs = cons.matrix @ x.astype(float)
    return bool(np.all(lhs >= cons.lower - 1e-9) and np.all(lhs <= cons.upper + 1e-9))


def test_defaults_and_primary_mask() -> None:
    s = CellSystem(value=np.array([0, 1, 4, 5, 9]), threshold=5, additive=[(3, np.array([0, 1, 2]))])
    assert s.published_value.tolist() == [0, 1, 4, 5, 9]
    assert s.upper_bound.tolist() == [9] * 5
    assert s.threshold.tolist() == [5] * 5
    assert primary_mask(s).tolist() == [False, True, True, False, False]


@pytest.mark.parametrize(
    ("value", "kwargs"),
    [
        ([1, 2, 4, 4], {"additive": [(3, np.array([0, 1]))]}),  # 1 + 2 != 4
        ([1, 2, 5, 4], {"multi": [(3, np.array([0, 1, 2]))]}),  # child 5 above its parent 4
        ([1, 2, 4, 4], {"multi": [(2, np.array([0, 1]))]}),  # 1 + 2 < 4: a parent member counted nowhere
        ([1, 2, 4, 4], {"additive": [(3, np.array([0, 3]))]}),  # parent among its children
        ([1, 2, 4, 4], {"additive": [(3, np.array([0, 0]))]}),  # repeated child
        ([1, 2, 4, 4], {"additive": [(3, np.array([0, 7]))]}),  # out of range
        ([1, 2, 4, 4], {"additive": [(3, np.array([], dtype=np.int64))]}),  # no children
        ([1, 2, 4, 4], {"upper_bound": 3}),  # below a true value
        ([1, 2, 4, 4], {"rounded": True}),  # rounded without published values
        ([1, 2, 4, 4], {"published_value": np.array([1, 2, 4, 5])}),  # exact system publishes the truth
        ([1, 2, 4, 4], {"rounded": True, "published_value": np.array([0, 0, 5, 10])}),  # 4 cannot become 10
        ([1, 2, 4, 4], {"rounded": True, "published_value": np.array([0, 0, 5, 4])}),  # 4 is not a multiple of 5
        ([1, -2, 4, 4], {}),  # negative count
    ],
)
def test_invalid_systems_are_refused(value: list[int], kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        CellSystem(value=np.array(value), threshold=5, **kwargs)  # type: ignore[arg-type]


def test_rounded_zero_must_stay_zero() -> None:
    with pytest.raises(ValueError, match="not a base-5 rounding"):
        CellSystem(value=np.array([0, 3]), threshold=5, rounded=True, published_value=np.array([5, 5]))
    ok = CellSystem(value=np.array([0, 3]), threshold=5, rounded=True, published_value=np.array([0, 0]))
    assert ok.published_value.tolist() == [0, 0]


def test_constraint_matrix_holds_for_true_values_only() -> None:
    # Parent 10 with multi-response children 6, 5, 2 (sum 13 >= 10); total 13 = 6 + 5 + 2 additive.
    value = np.array([10, 6, 5, 2, 13])
    s = CellSystem(value=value, threshold=0, additive=[(4, np.array([1, 2, 3]))], multi=[(0, np.array([1, 2, 3]))])
    cons = constraint_matrix(s)
    assert cons.matrix.shape == (1 + 3 + 1, 5)
    assert _satisfied(s, value)
    assert not _satisfied(s, np.array([10, 11, 0, 2, 13]))  # a child above its parent
    assert not _satisfied(s, np.array([10, 3, 3, 2, 8]))  # children sum below the parent
    assert not _satisfied(s, np.array([10, 6, 5, 2, 14]))  # additive total broken


def test_relation_matrices() -> None:
    s = CellSystem(value=np.array([3, 1, 2, 3]), threshold=0, additive=[(0, np.array([1, 2]))], multi=[(3, [1, 2])])
    mats = relation_matrices(s)
    assert mats.parents.tolist() == [0, 3]
    assert mats.children.toarray().tolist() == [[0, 1, 1, 0], [0, 1, 1, 0]]
    assert mats.members.toarray().tolist() == [[1, 1, 1, 0], [0, 1, 1, 1]]


def test_builder_links_tables_through_shared_keys() -> None:
    b = SystemBuilder()
    t1 = b.add_crosstab("sector", np.array([[1, 4], [2, 3]]), 5, row_total_keys=["city0", "city1"], total_key="all")
    t2 = b.add_crosstab("role", np.array([[5, 0], [1, 4]]), 5, row_total_keys=["city0", "city1"], total_key="all")
    assert t1.row_totals.tolist() == t2.row_totals.tolist()
    assert t1.total == t2.total == b.index("all")
    s = b.build()
    assert s.n_cells == 4 + 2 + 2 + 1 + 4 + 2
    assert s.value[t1.total] == 10
    assert s.value[t2.column_totals].tolist() == [6, 4]
    assert _satisfied(s, s.value)


def test_builder_refuses_conflicting_shared_cell() -> None:
    b = SystemBuilder()
    b.add_crosstab("a", np.array([[1, 2]]), 5, row_total_keys=["x"])
    with pytest.raises(ValueError, match="two different values"):
        b.add_crosstab("b", np.array([[1, 3]]), 5, row_total_keys=["x"])


def test_builder_keeps_stricter_threshold() -> None:
    b = SystemBuilder()
    i = b.cell("c", 4, 4)
    assert b.cell("c", 4, 5) == i
    assert b.build().threshold[i] == 5
