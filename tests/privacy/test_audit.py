"""Tests of the attacker's integer programme, on small systems built to break it."""

from __future__ import annotations

import numpy as np
import pytest

from dashboard.privacy.audit import AttackerModel, SolutionBook, attacker_bounds, attacker_domains, audit
from dashboard.privacy.suppression import secondary_suppress
from dashboard.privacy.system import CellSystem, SystemBuilder, primary_mask

THRESHOLD = 5


def _mask(n: int, cells: list[int]) -> np.ndarray:
    mask = np.zeros(n, dtype=bool)
    mask[cells] = True
    return mask


def _protected(system: CellSystem, mask: np.ndarray, cell: int) -> bool:
    low, high = attacker_bounds(system, mask, [cell])[0]
    return bool(low == 0 or high >= system.threshold[cell])


def test_two_by_two_table_needs_secondary_suppression() -> None:
    b = SystemBuilder()
    t = b.add_crosstab("t", np.array([[1, 7], [6, 9]]), THRESHOLD)
    s = b.build()
    hidden = int(t.cells[0, 0])
    primary = primary_mask(s)
    assert np.flatnonzero(primary).tolist() == [hidden]

    result = audit(s, primary)
    assert not result.passed
    assert result.checked == 1
    assert [(r.cell, r.lower, r.upper, r.proven) for r in result.at_risk] == [(hidden, 1, 1, True)]

    mask = secondary_suppress(s, primary)
    assert audit(s, mask).passed
    low, high = attacker_bounds(s, mask, [hidden])[0]
    assert low == 0
    assert high >= THRESHOLD
    # The four interior cells go; the margins stay published.
    assert mask[t.cells].all()
    assert not mask[t.row_totals].any()
    assert not mask[t.column_totals].any()
    assert not mask[t.total]


def test_only_border_services_respondent_in_winnipeg() -> None:
    # Cities x sectors; Winnipeg (row 2) has one border-services respondent (column 1).
    counts = np.array([[12, 6, 9, 5], [7, 8, 11, 6], [9, 1, 14, 10]])
    b = SystemBuilder()
    t = b.add_crosstab("city x sector", counts, THRESHOLD)
    s = b.build()
    cell = int(t.cells[2, 1])
    assert not audit(s, primary_mask(s)).passed
    mask = secondary_suppress(s, primary_mask(s))
    assert audit(s, mask).passed
    assert mask[cell]
    assert _protected(s, mask, cell)


def _linked_tables(with_role_table: bool) -> tuple[CellSystem, np.ndarray, int]:
    """City x sector and (optionally) city x role, sharing the city totals and the grand total."""
    b = SystemBuilder()
    cities = ["city", "Calgary"], ["city", "Winnipeg"]
    city_keys = [tuple(c) for c in cities]
    sector = b.add_crosstab("sector", np.array([[6, 9], [1, 9]]), THRESHOLD, row_total_keys=city_keys, total_key="all")
    if with_role_table:
        b.add_crosstab("role", np.array([[10, 5], [5, 5]]), THRESHOLD, row_total_keys=city_keys, total_key="all")
    s = b.build(upper_bound=100)
    hidden = int(sector.cells[1, 0])
    # Hide the 1, Winnipeg's total, the enforcement total and the grand total: safe within the sector table.
    mask = _mask(s.n_cells, [hidden, int(sector.row_totals[1]), int(sector.column_totals[0]), sector.total])
    return s, mask, hidden


def test_linked_tables_sharing_a_margin() -> None:
    alone, mask_alone, hidden_alone = _linked_tables(with_role_table=False)
    assert audit(alone, mask_alone).passed
    low, high = attacker_bounds(alone, mask_alone, [hidden_alone])[0]
    assert low == 0
    assert high >= THRESHOLD

    linked, mask, hidden = _linked_tables(with_role_table=True)
    result = audit(linked, mask)
    assert [(r.cell, r.lower, r.upper) for r in result.at_risk] == [(hidden, 1, 1)]

    protected = secondary_suppress(linked, mask)
    assert (protected >= mask).all()
    assert audit(linked, protected).passed
    assert _protected(linked, protected, hidden)


def _labour_sites(additive: bool, site_bound: int | None = None) -> CellSystem:
    """Respondents reporting contact (12) broken down by labour site named (6, 5, 3; they sum to 14)."""
    value = np.array([12, 6, 5, 3])
    relation = [(0, np.array([1, 2, 3]))]
    bound = np.array([100, 100, 100, site_bound if site_bound is not None else 100])
    if additive:
        return CellSystem(value=value, threshold=THRESHOLD, additive=relation, upper_bound=bound)
    return CellSystem(value=value, threshold=THRESHOLD, multi=relation, upper_bound=bound)


def test_multi_response_is_not_additive() -> None:
    with pytest.raises(ValueError, match="does not hold"):
        _labour_sites(additive=True)  # 6 + 5 + 3 != 12: the data are not additive at all
    s = _labour_sites(additive=False)
    mask = _mask(4, [3])
    # Assuming additivity, an attacker would conclude 12 - 6 - 5 = 1 (wrongly: the truth is 3). The correct
    # knowledge is 12 - 6 - 5 <= x <= 12: at least 1 (every respondent named a site), at most the parent.
    assert attacker_bounds(s, mask, [3]).tolist() == [[1, 12]]
    assert audit(s, mask).passed


def test_multi_response_lower_bound_can_still_disclose() -> None:
    # With a public bound of 4 on the site (e.g. a published margin elsewhere), the site is pinned to 1 .. 4.
    s = _labour_sites(additive=False, site_bound=4)
    result = audit(s, _mask(4, [3]))
    assert [(r.cell, r.lower, r.upper) for r in result.at_risk] == [(3, 1, 4)]


def test_multi_response_child_cannot_exceed_parent() -> None:
    # Parent 3 (hidden, primary) with children 3 and 2: each child <= parent pins the parent to 3 .. 3+.
    s = CellSystem(value=np.array([3, 3, 2, 20]), threshold=np.array([5, 0, 0, 0]), multi=[(0, np.array([1, 2]))])
    assert attacker_bounds(s, _mask(4, [0]), [0]).tolist() == [[3, 5]]
    assert audit(s, _mask(4, [0])).passed  # 5 is reachable: 3 + 2 >= x >= 3
    tight = CellSystem(value=np.array([3, 3, 0, 20]), threshold=np.array([5, 0, 0, 0]), multi=[(0, np.array([1, 2]))])
    result = audit(tight, _mask(4, [0]))
    assert [(r.cell, r.lower, r.upper) for r in result.at_risk] == [(0, 3, 3)]


def _total_of_two(rounded: bool, published_b: int = 10) -> CellSystem:
    """Total 10 = A 1 + B 9; A is primary."""
    value = np.array([10, 1, 9])
    published = np.array([10, 0, published_b]) if rounded else None
    return CellSystem(
        value=value,
        threshold=THRESHOLD,
        rounded=rounded,
        published_value=published,
        additive=[(0, np.array([1, 2]))],
    )


def test_rounding_interval_protects_where_exact_counts_disclose() -> None:
    exact = _total_of_two(rounded=False)
    assert [(r.cell, r.lower, r.upper) for r in audit(exact, _mask(3, [1])).at_risk] == [(1, 1, 1)]

    rounded = _total_of_two(rounded=True)
    # Total in 6 .. 14, B in 6 .. 14: A = total - B lies anywhere in 0 .. 8.
    assert attacker_bounds(rounded, _mask(3, [1]), [1]).tolist() == [[0, 8]]
    assert audit(rounded, _mask(3, [1])).passed

    rounded_down = _total_of_two(rounded=True, published_b=5)
    # B published 5 is 5 .. 9 (1 .. 4 would have been suppressed); A lies in 0 .. 9.
    assert attacker_bounds(rounded_down, _mask(3, [1]), [1]).tolist() == [[0, 9]]


def test_attacker_domains_under_rounding() -> None:
    # value, threshold, published
    cells = [
        (1, 1, 0),  # a 1 that is not suppressed, rounded down: 0 .. 4
        (1, 1, 5),  # the same 1 rounded up: 1 .. 9
        (0, 5, 0),  # a published 0 with threshold 5: exactly 0
        (7, 5, 5),  # a published 5 with threshold 5: 5 .. 9
        (0, 3, 0),  # a published 0 with threshold 3: 0, 3 or 4
        (3, 5, 5),  # primary and hidden: 0 .. upper bound
    ]
    value, threshold, published = (np.array(col) for col in zip(*cells, strict=True))
    s = CellSystem(value=value, threshold=threshold, rounded=True, published_value=published, upper_bound=50)
    low, high, gap = attacker_domains(s, _mask(len(cells), [5]))
    assert low.tolist() == [0, 1, 0, 5, 0, 0]
    assert high.tolist() == [4, 9, 0, 9, 4, 50]
    assert gap.tolist() == [False, False, False, False, True, False]


def test_gap_domain_is_modelled_exactly() -> None:
    # P (5, published 5) = Z (0, threshold 3, published 0) + A (5, hidden). Z can be 0, 3 or 4 but not 1 or 2.
    s = CellSystem(
        value=np.array([5, 0, 5]),
        threshold=np.array([1, 3, 3]),
        rounded=True,
        published_value=np.array([5, 0, 5]),
        additive=[(0, np.array([1, 2]))],
    )
    model = AttackerModel(s, _mask(3, [2]))
    comp = model.component(model.label(1))
    j = comp.local(1)
    feasible = []
    for z in range(5):
        low, high = comp.var_low.copy(), comp.var_high.copy()
        low[j] = high[j] = z
        feasible.append(comp.solve(np.zeros(low.size), low, high)[0].value == "feasible")
    assert feasible == [True, False, False, True, True]


def test_waves_differing_by_one_person() -> None:
    # 2012, 2013 and "all waves" tables, linked cell by cell (all = 2012 + 2013). In 2013 a single respondent
    # is in cell (0, 0): protecting it within the 2013 table is not enough, since all waves minus 2012 shows it.
    w12 = np.array([[6, 5], [8, 7]])
    w13 = np.array([[1, 6], [7, 5]])
    keys = [(2013, i, j) for i in range(2) for j in range(2)]
    keys += [(2013, "row", i) for i in range(2)] + [(2013, "column", j) for j in range(2)] + [(2013, "total")]

    alone = SystemBuilder()
    alone.add_crosstab(2013, w13, THRESHOLD)
    alone_system = alone.build()
    alone_mask = secondary_suppress(alone_system, primary_mask(alone_system))
    hidden_keys = [k for k in keys if alone_mask[alone.index(k)]]
    assert (2013, 0, 0) in hidden_keys

    b = SystemBuilder()
    b.add_crosstab(2012, w12, THRESHOLD)
    b.add_crosstab(2013, w13, THRESHOLD)
    b.add_crosstab("all", w12 + w13, THRESHOLD)
    for i in range(2):
        for j in range(2):
            b.add_additive(("all", i, j), [(2012, i, j), (2013, i, j)])
    s = b.build()
    newcomer = b.index((2013, 0, 0))
    within_2013_only = _mask(s.n_cells, [b.index(k) for k in hidden_keys])
    result = audit(s, within_2013_only)
    assert [(r.cell, r.lower, r.upper) for r in result.at_risk] == [(newcomer, 1, 1)]

    mask = secondary_suppress(s, within_2013_only)
    assert audit(s, mask).passed
    assert _protected(s, mask, newcomer)


def test_unsuppressed_primary_cell_is_at_risk() -> None:
    s = CellSystem(value=np.array([3, 9, 12]), threshold=THRESHOLD, additive=[(2, np.array([0, 1]))])
    result = audit(s, np.zeros(3, dtype=bool))
    assert [(r.cell, r.lower, r.upper) for r in result.at_risk] == [(0, 3, 3)]


def test_audit_cells_argument_restricts_the_check() -> None:
    s = CellSystem(value=np.array([3, 2, 9, 14]), threshold=THRESHOLD, additive=[(3, np.array([0, 1, 2]))])
    mask = _mask(4, [0])
    assert audit(s, mask).checked == 2
    assert audit(s, mask, cells=[1]).checked == 1
    assert [r.cell for r in audit(s, mask, cells=[0]).at_risk] == [0]
    assert [r.cell for r in audit(s, mask, cells=[1]).at_risk] == [1]
    with pytest.raises(ValueError, match="boolean array of shape"):
        audit(s, np.zeros(3, dtype=bool))


def test_isolated_hidden_cell_is_safe() -> None:
    s = CellSystem(value=np.array([2, 40]), threshold=THRESHOLD)
    result = audit(s, _mask(2, [0]))
    assert result.passed
    assert result.checked == 1
    assert attacker_bounds(s, _mask(2, [0]), [0, 1]).tolist() == [[0, 40], [40, 40]]


def test_solver_giving_up_is_reported_conservatively(monkeypatch: pytest.MonkeyPatch) -> None:
    class _GaveUp:
        status = 1
        x = None

    monkeypatch.setattr("dashboard.privacy.audit.milp", lambda *args, **kwargs: _GaveUp())
    s = CellSystem(value=np.array([1, 7, 6, 9, 8, 17, 15]), threshold=THRESHOLD, additive=[(5, np.array([0, 1, 3]))])
    result = audit(s, _mask(7, [0, 1]), node_limit=1)
    assert not result.passed
    assert [(r.cell, r.lower, r.upper, r.proven) for r in result.at_risk] == [(0, 1, 4, False)]


def _random_crosstabs(seed: int) -> tuple[CellSystem, np.ndarray]:
    """A 15 × 15 crosstab with its primary cells and one in twelve of the others hidden: some cells at risk, some
    safe, in components larger than the nearest neighbourhood."""
    rng = np.random.default_rng(seed)
    b = SystemBuilder()
    b.add_crosstab("a", rng.poisson(9, size=(15, 15)), THRESHOLD)
    s = b.build()
    mask = primary_mask(s)
    others = np.flatnonzero(~mask)
    mask[rng.choice(others, size=others.size // 12, replace=False)] = True
    return s, mask


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_the_search_near_a_cell_changes_no_verdict(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    # The neighbourhood search only adds certificates (a solution that differs from the true table near the cell
    # is a solution of the whole system): without it, the same cells are at risk, with the same bounds.
    import dashboard.privacy.audit as audit_module

    system, mask = _random_crosstabs(seed)
    with_near = audit(system, mask)
    monkeypatch.setattr(audit_module, "NEIGHBOURHOOD_HOPS", ())
    without = audit(system, mask)
    assert with_near.checked == without.checked > len(with_near.at_risk) > 0
    assert with_near.at_risk == without.at_risk


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_audit_without_bounds_names_the_same_cells(seed: int) -> None:
    system, mask = _random_crosstabs(seed)
    full, quick = audit(system, mask), audit(system, mask, report_bounds=False)
    assert full.at_risk and [r.cell for r in quick.at_risk] == [r.cell for r in full.at_risk]
    assert all((r.lower, r.upper) == (1, system.threshold[r.cell] - 1) for r in quick.at_risk)


def test_an_at_most_relation_narrows_a_cell_and_is_in_the_programme() -> None:
    # total 6 = a + b, both hidden (a = 2, b = 4); shown e = 2 <= a <= f = 2 (say encounters <= contact = yes):
    # a is 2. Without the two inequalities a could be 0 or 6.
    value = np.array([6, 2, 4, 2, 2])
    threshold = np.array([0, 3, 0, 0, 0])
    additive = [(0, np.array([1, 2]))]
    loose = CellSystem(value=value, threshold=threshold, additive=additive)
    tight = CellSystem(value=value, threshold=threshold, additive=additive, at_most=np.array([[3, 1], [1, 4]]))
    mask = _mask(5, [1, 2])
    assert audit(loose, mask).passed
    result = audit(tight, mask)
    assert [(r.cell, r.lower, r.upper) for r in result.at_risk] == [(1, 2, 2)]
    assert audit(tight, _mask(5, [1, 2, 3])).passed  # with e hidden too, a can be 0 again


def test_an_at_most_relation_must_hold_for_the_true_values() -> None:
    with pytest.raises(ValueError, match="at-most"):
        CellSystem(value=np.array([3, 2]), threshold=np.array([0, 0]), at_most=np.array([[0, 1]]))


def test_a_wrong_solution_in_the_book_settles_nothing() -> None:
    # 2 x 2 table, only the small cell hidden: it is pinned by its margins. A kept "solution" that puts it at 0
    # breaks those margins, so the audit must check it again and still find the cell at risk.
    b = SystemBuilder()
    t = b.add_crosstab("t", np.array([[1, 7], [6, 9]]), THRESHOLD)
    s = b.build()
    hidden = int(t.cells[0, 0])
    book = SolutionBook(s.value)
    forged = s.value.astype(np.float64).copy()
    forged[hidden] = 0
    book.add(np.arange(s.n_cells), forged)
    result = audit(s, primary_mask(s), book=book)
    assert [r.cell for r in result.at_risk] == [hidden]


def test_the_book_keeps_the_solutions_that_proved_cells_safe_and_they_settle_a_later_audit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    b = SystemBuilder()
    t = b.add_crosstab("t", np.array([[1, 7], [6, 9]]), THRESHOLD)
    s = b.build()
    hidden = int(t.cells[0, 0])
    mask = _mask(s.n_cells, [int(c) for c in t.cells.ravel()])
    book = SolutionBook(s.value)
    assert audit(s, mask, book=book).passed
    kept = book.on(np.arange(s.n_cells))
    assert kept and all(x[hidden] in (0,) or x[hidden] >= THRESHOLD for x in kept)

    # With the solver unable to answer, only the book's checked solution can settle the cell.
    class _GaveUp:
        status = 1
        x = None

    monkeypatch.setattr("dashboard.privacy.audit.milp", lambda *args, **kwargs: _GaveUp())
    assert audit(s, mask, book=book).passed
    assert not audit(s, mask).passed
