"""Primary and secondary cell suppression over a whole :class:`~dashboard.privacy.system.CellSystem` (SPEC §4).

Secondary suppression runs in two phases. First, a fixpoint over all relations: wherever exactly one member
of a relation (its parent or one of its children) is hidden, it could be recovered by subtraction, so one more
member is hidden: a non-zero visible child (among them, one that also sits in the most other relations with a
single hidden member, which protects them at the same time, then the smallest value), else the parent, else a
zero child. Relations are taken in index order.
Second, the audit: for every cell still at risk, visible cells linked to it through the hidden cells around it are
hidden (non-zero first, detailed cells before margins, nearest first, cheapest; one the first round, twice as many
each round the cell stays at risk), the relation fixpoint is re-established, and the at-risk cells are audited again,
until the audit passes. A round searches a bounded number of cells of a component one by one; the others count as at
risk for that round. Hiding a
cell only ever removes knowledge from the attacker, so a cell once safe stays safe. Ties are broken by index,
so the result is deterministic.
"""

from __future__ import annotations

import heapq

import numpy as np
import scipy.sparse as sp

from dashboard.privacy.audit import DEFAULT_NODE_LIMIT, SolutionBook, audit
from dashboard.privacy.system import CellSystem, primary_mask, relation_matrices

__all__ = ["DEFAULT_MAX_ROUNDS", "SuppressionError", "primary_mask", "secondary_suppress"]

DEFAULT_MAX_ROUNDS = 100
"""Rounds of audit-driven suppression :func:`secondary_suppress` tries before giving up."""


ROUND_CELL_SEARCHES = 100
"""Most cells of one component a round's audit searches one by one (after its batch searches settled what they
could); the others are taken as at risk for that round and get complements (:func:`~dashboard.privacy.audit.audit`),
which bounds a round's work on a large component."""
MAX_COMPLEMENTS = 64
"""Most complements hidden for one cell at risk in one round (the number doubles each round it stays at risk)."""


class SuppressionError(RuntimeError):
    """Secondary suppression could not make the system pass the audit.

    ``at_risk`` holds the cells still at risk when it gave up (for a fallback to act on), ``mask`` the pattern
    reached by then.
    """

    def __init__(self, message: str, at_risk: np.ndarray | None = None, mask: np.ndarray | None = None) -> None:
        """Record the message, the cells still at risk and the mask reached."""
        super().__init__(message)
        self.at_risk = np.zeros(0, dtype=np.int64) if at_risk is None else np.asarray(at_risk, dtype=np.int64)
        self.mask = mask


def _pick(candidates: np.ndarray, value: np.ndarray, cost: np.ndarray | None = None) -> int:
    """Return the candidate to hide: non-zero before zero, then the lowest cost (default: the value), then index."""
    v = value[candidates]
    c = v if cost is None else cost[candidates]
    order = np.lexsort((candidates, c, v == 0))
    return int(candidates[order[0]])


class _Relations:
    """Relation incidence in the forms the suppression phases need."""

    def __init__(self, system: CellSystem) -> None:
        """Index the system's relations by relation and by cell."""
        mats = relation_matrices(system)
        self.parents = mats.parents
        self.children = mats.children
        self.members = mats.members
        self.by_cell = sp.csc_matrix(mats.members)

    def children_of(self, rel: int) -> np.ndarray:
        """Return the child cells of a relation."""
        return self.children.indices[self.children.indptr[rel] : self.children.indptr[rel + 1]]

    def members_of(self, rels: np.ndarray) -> np.ndarray:
        """Return the sorted distinct cells belonging to any of ``rels``."""
        return np.unique(self.members[rels].indices)

    def count_relations(self, cells: np.ndarray, flagged: np.ndarray) -> np.ndarray:
        """Return, for each of ``cells``, how many of the relations containing it are ``flagged``."""
        indptr, indices = self.by_cell.indptr, self.by_cell.indices
        starts, lengths = indptr[cells], indptr[cells + 1] - indptr[cells]
        offsets = np.cumsum(lengths) - lengths
        positions = np.arange(lengths.sum()) - np.repeat(offsets - starts, lengths)
        per_entry = flagged[indices[positions]].astype(np.int64)
        totals = np.zeros(cells.size, dtype=np.int64)
        np.add.at(totals, np.repeat(np.arange(cells.size), lengths), per_entry)
        return totals

    def relations_of(self, cells: np.ndarray) -> np.ndarray:
        """Return the sorted distinct relations containing any of ``cells``."""
        return np.unique(self.by_cell[:, cells].indices)


def _close_relations(
    system: CellSystem, rels: _Relations, mask: np.ndarray, eligible: np.ndarray, cost: np.ndarray | None
) -> np.ndarray:
    """Hide eligible cells until no relation has exactly one hidden member (that can be helped); return the mask."""
    mask = mask.copy()
    value = system.value
    hidden = np.asarray(rels.members @ mask.astype(np.int64)).ravel()
    heap = [int(r) for r in np.flatnonzero(hidden == 1)]
    heapq.heapify(heap)
    while heap:
        rel = heapq.heappop(heap)
        if hidden[rel] != 1:
            continue
        members = rels.members.indices[rels.members.indptr[rel] : rels.members.indptr[rel + 1]]
        alone = members[mask[members]]
        if alone.size == 1 and value[alone[0]] == 0 and not eligible[alone[0]]:
            continue  # a fixed zero (a joiner cell where no one joined): recovering it discloses nothing
        children = rels.children_of(rel)
        visible = children[~mask[children] & eligible[children]]
        parent = int(rels.parents[rel])
        nonzero = visible[value[visible] > 0]
        if nonzero.size:
            # Prefer a child that also completes other relations with a single hidden member.
            completes = rels.count_relations(nonzero, hidden == 1)
            cell = _pick(nonzero[completes == completes.max()], value, cost)
        elif not mask[parent] and eligible[parent]:
            cell = parent
        elif visible.size:
            cell = _pick(visible, value, cost)
        else:
            continue  # every other member is fixed: the audit decides whether the hidden one is at risk
        mask[cell] = True
        touched = rels.by_cell.indices[rels.by_cell.indptr[cell] : rels.by_cell.indptr[cell + 1]]
        hidden[touched] += 1
        for r in touched[hidden[touched] == 1]:
            heapq.heappush(heap, int(r))
    return mask


def _complements_for(
    cell: int,
    rels: _Relations,
    mask: np.ndarray,
    value: np.ndarray,
    eligible: np.ndarray,
    cost: np.ndarray | None,
    count: int = 1,
) -> np.ndarray:
    """Return up to ``count`` visible cells to hide to protect ``cell`` (none when no visible cell is linked to it).

    The attacker pins a cell through the hidden cells linked to it, so the candidates are the visible, eligible
    members of every relation that touches that group of linked hidden cells. They are taken non-zero before zero,
    then by the order of magnitude of their cost (detailed cells before margins), then nearest first (in relations
    away from the cell, through hidden cells), then cheapest, then by index: hiding only the nearest visible cells,
    often zeros, can take many rounds to unpin a cell whose value is fixed further away, and on a large group of
    linked hidden cells the cheapest cell anywhere is often too far to matter.
    """
    component = np.array([cell], dtype=np.int64)
    frontier = component
    seen_rels = np.zeros(0, dtype=np.int64)
    candidates = np.zeros(0, dtype=np.int64)
    levels = np.zeros(0, dtype=np.int64)
    level = 0
    while frontier.size:
        near = np.setdiff1d(rels.relations_of(frontier), seen_rels)
        if near.size == 0:
            break
        seen_rels = np.union1d(seen_rels, near)
        reached = rels.members_of(near)
        new = np.setdiff1d(reached[~mask[reached] & eligible[reached]], candidates)
        candidates = np.concatenate([candidates, new])
        levels = np.concatenate([levels, np.full(new.size, level, dtype=np.int64)])
        frontier = np.setdiff1d(reached[mask[reached]], component)
        component = np.union1d(component, frontier)
        level += 1
        if cost is None and int((value[candidates] > 0).sum()) >= count:
            break  # the nearest non-zero candidates are found: farther ones would come after them
    if candidates.size == 0:
        return candidates
    c = value[candidates] if cost is None else cost[candidates]
    magnitude = np.floor(np.log10(np.maximum(c, 1)))  # the order of a cost: margins cost tens of times more
    order = np.lexsort((candidates, c, levels, magnitude, value[candidates] == 0))
    return candidates[order[:count]]


def secondary_suppress(
    system: CellSystem,
    suppressed: np.ndarray,
    *,
    max_rounds: int = DEFAULT_MAX_ROUNDS,
    node_limit: int = DEFAULT_NODE_LIMIT,
    time_limit: float | None = None,
    eligible: np.ndarray | None = None,
    cost: np.ndarray | None = None,
    book: SolutionBook | None = None,
) -> np.ndarray:
    """Return a superset of ``suppressed`` (and of the primary cells) from which no hidden cell can be recovered.

    Args:
        system: The cells, their true values and relations (all tables of the tier, lower tiers, earlier waves).
        suppressed: Boolean mask of the cells already hidden; primary cells are added if missing.
        max_rounds: Rounds of audit-driven suppression before giving up (0: relation fixpoint only).
        node_limit: Branch-and-bound nodes allowed to each solver search of the audit (deterministic).
        time_limit: Accepted for older callers and ignored (see :func:`~dashboard.privacy.audit.audit`).
        eligible: Cells that may be hidden (default: all). Cells published by a lower tier are not eligible:
            hiding them again would change nothing for an attacker who sees the lower tier too.
        cost: Per-cell cost of hiding (default: the value); the cheapest eligible complement is chosen.
        book: Where the audit's rounds keep the solutions that proved cells safe, for a later audit of the system
            with the final mask (:class:`~dashboard.privacy.audit.SolutionBook`).

    Raises:
        SuppressionError: if the audit still fails after ``max_rounds`` rounds, or a cell at risk has no
            visible cell left in any relation linked to it.
    """
    del time_limit
    mask = np.asarray(suppressed)
    if mask.shape != (system.n_cells,) or mask.dtype != np.bool_:
        raise ValueError(f"suppressed must be a boolean array of shape ({system.n_cells},)")
    eligible = np.ones(system.n_cells, dtype=bool) if eligible is None else np.asarray(eligible, dtype=bool)
    rels = _Relations(system)
    mask = _close_relations(system, rels, mask | primary_mask(system), eligible, cost)
    pending = np.flatnonzero(primary_mask(system))
    streak: dict[int, int] = {}
    for round_ in range(max_rounds + 1):
        result = audit(
            system,
            mask,
            cells=pending,
            node_limit=node_limit,
            report_bounds=False,
            book=book,
            cell_searches=ROUND_CELL_SEARCHES,
        )
        if result.passed:
            return mask
        if round_ == max_rounds:
            break
        pending = np.array([risk.cell for risk in result.at_risk], dtype=np.int64)
        streak = {int(c): streak.get(int(c), 0) + 1 for c in pending}
        stuck = []
        for cell in pending:
            # A cell still at risk after a round gets twice as many complements the next (1, 2, 4, ...), so
            # that a cell pinned from far away is unpinned in a few rounds rather than one cell a round.
            count = min(2 ** (streak[int(cell)] - 1), MAX_COMPLEMENTS)
            extra = _complements_for(int(cell), rels, mask, system.value, eligible, cost, count)
            if extra.size == 0:
                stuck.append(int(cell))
            mask[extra] = True
        if stuck:
            # No complement is left for these: only a full search of each (not the round's bounded one) can still
            # show it safe, as when every cell around it must stay as an earlier release published it.
            full = audit(system, mask, cells=np.array(stuck), node_limit=node_limit, report_bounds=False, book=book)
            if not full.passed:
                raise SuppressionError(
                    f"cell {full.at_risk[0].cell} is at risk and no visible cell is linked to it",
                    at_risk=np.array([r.cell for r in full.at_risk], dtype=np.int64),
                    mask=mask,
                )
        mask = _close_relations(system, rels, mask, eligible, cost)
    left = np.array([risk.cell for risk in result.at_risk], dtype=np.int64)
    raise SuppressionError(
        f"the audit still fails after {max_rounds} rounds of secondary suppression", at_risk=left, mask=mask
    )
