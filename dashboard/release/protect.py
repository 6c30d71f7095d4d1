"""Decide which cells each tier hides: primary and class-disclosure rules, then secondary suppression.

The attacker is modelled with exact published values in every tier: rounding is a second layer, not the
protection (SPEC §4), and a mask that resists an attacker who knows exact values also resists one who only
knows rounded values.

Tiers are protected in ascending order, each over one linked system of its own cells and every cell of the
lower tiers, which its attacker also sees: a cell a lower tier shows is known, a cell it hides is unknown.

Waves: when one wave's every count is at least the previous wave's (the data are consistent with "the same
respondents plus some joiners"), the joiners' cells ``J = B - A`` become cells of the system with their own
thresholds, so that "this wave minus the last" cannot single out the people who joined.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.privacy.audit import AuditResult, audit
from dashboard.privacy.policy import TierPolicy, policy_for
from dashboard.privacy.suppression import SuppressionError, secondary_suppress
from dashboard.privacy.system import CellSystem
from dashboard.release import dims as D
from dashboard.release.dims import CubeSpec
from dashboard.release.linking import Linked
from dashboard.release.publish import item_of

LOW_TIERS = ("public", "funder")
WITHHOLD_SHARE = 0.5
MAX_ROUNDS = 25  # audit-driven rounds with the tier's own cells before lower-tier cells may be hidden too
HIGH_TIER = "coalition"


@dataclass
class Protection:
    """The cells each tier hides, why, and the final audits."""

    hidden: dict[str, np.ndarray]  # tier -> bool mask over linked cells
    primary: dict[str, np.ndarray]
    active: dict[str, np.ndarray]  # tier -> bool mask of cells in tables the tier publishes (not withheld)
    class_blocked: dict[str, np.ndarray]
    audits: dict[str, AuditResult]
    timings: dict[str, float]


def class_disclosure_cells(
    linked: Linked, tier: str, cubes: list[tuple[CubeSpec, pd.DataFrame]], policy: TierPolicy
) -> np.ndarray:
    """Cells of groups where >= 90% give one answer to a sensitive item and the group is too small to show it."""
    blocked = np.zeros(linked.n_cells, dtype=bool)
    if policy.class_disclosure_min_group is None:
        return blocked
    for spec, frame in cubes:
        item = item_of(spec)
        if item is None or item not in D.SENSITIVE_DIMS:
            continue
        ids = linked.ids[(tier, spec)]
        group_cols = [D.WAVE, *(d for d in spec.dims if d != item)]
        counts = frame["count"].astype(float)
        if item in D.ENCOUNTER_DIMS:
            base_mask, part_mask = frame[item] == D.ANY, frame[item] != D.ANY
        else:
            base_mask = part_mask = frame[item] != D.MISSING
        keys = [frame[c] for c in group_cols]
        n = counts.where(base_mask, 0.0).groupby(keys, sort=False).transform("sum")
        top = counts.where(part_mask, 0.0).groupby(keys, sort=False).transform("max")
        risky = (n > 0) & (n < policy.class_disclosure_min_group) & (top >= policy.class_disclosure_share * n)
        blocked[ids[risky.to_numpy()]] = True  # the whole group of the item, denominator included
    return blocked


def _subsystem(
    cells: np.ndarray, value: np.ndarray, threshold: np.ndarray, linked: Linked, extra: _Joiners | None
) -> tuple[CellSystem, np.ndarray]:
    """A CellSystem over ``cells`` (global ids) with the relations among them; returns it and the local map."""
    local = np.full(linked.n_cells, -1, dtype=np.int64)
    local[cells] = np.arange(cells.size)
    additive = [(local[p], local[ch]) for p, ch in linked.additive if local[p] >= 0 and (local[ch] >= 0).all()]
    multi = [(local[p], local[ch]) for p, ch in linked.multi if local[p] >= 0 and (local[ch] >= 0).all()]
    vals, thr = value[cells], threshold[cells]
    if extra is not None:
        keep = (local[extra.later] >= 0) & (local[extra.earlier] >= 0)
        base = cells.size
        j_index = base + np.arange(int(keep.sum()))
        vals = np.concatenate([vals, extra.value[keep]])
        thr = np.concatenate([thr, extra.threshold[keep]])
        for later, earlier, j in zip(local[extra.later[keep]], local[extra.earlier[keep]], j_index, strict=True):
            additive.append((int(later), np.array([earlier, j], dtype=np.int64)))
    system = CellSystem(value=vals, threshold=thr, additive=additive, multi=multi)
    return system, local


@dataclass
class _Joiners:
    later: np.ndarray  # global id of the later wave's cell
    earlier: np.ndarray  # global id of the same cell in the earlier wave
    value: np.ndarray  # later - earlier (>= 0)
    threshold: np.ndarray


def joiners(linked: Linked, value: np.ndarray, threshold: np.ndarray, waves: list[int]) -> _Joiners | None:
    """Pairs (earlier, later) for consecutive waves whose every count grew or stayed: J = later - earlier."""
    by_key = linked.keys
    later_ids, earlier_ids = [], []
    for a, b in itertools.pairwise(waves):
        prefix_a, prefix_b = f"{a}|", f"{b}|"
        pairs = [
            (cid, by_key.get(prefix_a + key[len(prefix_b) :]))
            for key, cid in by_key.items()
            if key.startswith(prefix_b) or key == str(b)
        ]
        pairs = [(lb, ea) for lb, ea in pairs if ea is not None]
        total_b, total_a = by_key.get(str(b)), by_key.get(str(a))
        if total_b is not None and total_a is not None:
            pairs.append((total_b, total_a))
        if not pairs:
            continue
        lb, ea = np.array(pairs, dtype=np.int64).T
        if np.all(value[lb] >= value[ea]):
            later_ids.append(lb)
            earlier_ids.append(ea)
    if not later_ids:
        return None
    later, earlier = np.concatenate(later_ids), np.concatenate(earlier_ids)
    return _Joiners(later, earlier, value[later] - value[earlier], threshold[later])


def kept_rows(spec: CubeSpec, frame: pd.DataFrame, policy: TierPolicy) -> np.ndarray:
    """Rows to publish: a group of the table (one wave and one value of every dimension but the last) in which
    more than half of the non-empty cells would be primary-suppressed is withheld.

    Such a group would show mostly ``x``; it is left out of the published table (the page says it is hidden to
    protect respondents) and out of the protection system, which keeps the attacker's programme small.
    """
    t = policy.threshold(spec.sensitive)
    count = frame["count"]
    keys = [frame[D.WAVE], *(frame[d] for d in spec.dims[:-1])]
    nonzero = (count > 0).groupby(keys, sort=False).transform("sum")
    small = ((count > 0) & (count < t)).groupby(keys, sort=False).transform("sum")
    return ~((nonzero > 0) & (small > WITHHOLD_SHARE * nonzero)).to_numpy()


def _view_hidden(
    hidden: dict[str, np.ndarray], member: dict[str, np.ndarray], tier: str, cells: np.ndarray
) -> np.ndarray:
    """What ``tier``'s attacker cannot see among ``cells``: hidden in every tier up to ``tier`` that has it."""
    order = list(hidden)
    visible = np.zeros(len(next(iter(member.values()))), dtype=bool)
    for t in order[: order.index(tier) + 1]:
        visible |= member[t] & ~hidden[t]
    return ~visible[cells]


def _costs(linked: Linked, value: np.ndarray) -> np.ndarray:
    """Cost of hiding a cell: its value, times 10 for every dimension fewer than the deepest tables have.

    Complements are then taken from detailed tables before margins: hiding a city total costs a hundred times
    more than hiding a city x sector x role cell of the same size.
    """
    depth = np.zeros(linked.n_cells, dtype=np.int64)
    for key, cid in linked.keys.items():
        depth[cid] = key.count("|")
    return (value + 1) * np.power(10, depth.max() - depth)


def protect(
    linked: Linked,
    value: np.ndarray,
    tier_cubes: dict[str, list[tuple[CubeSpec, pd.DataFrame]]],
    waves: list[int],
    kept: dict[tuple[str, CubeSpec], np.ndarray],
    time_limit: float | None = 30.0,
) -> Protection:
    """Tier by tier, lowest first: each tier's attacker also sees every lower tier's publication.

    A tier decides only about its own cells that no lower tier shows (those are known whatever it does); it
    starts from its primary and class-disclosure cells, and secondary suppression adds the cheapest complements
    until the audit passes for the combined view.
    """
    sensitive = np.asarray(linked.sensitive, dtype=bool)
    cost = _costs(linked, value)
    tiers = [t for t in (*LOW_TIERS, HIGH_TIER) if t in tier_cubes]
    member: dict[str, np.ndarray] = {}
    for tier in tiers:
        mask = np.zeros(linked.n_cells, dtype=bool)
        for spec, _frame in tier_cubes[tier]:
            mask[linked.ids[(tier, spec)][kept[(tier, spec)]]] = True
        member[tier] = mask
    known = np.zeros(linked.n_cells, dtype=bool)  # shown by a lower tier
    seen = np.zeros(linked.n_cells, dtype=bool)  # cells of the tiers processed so far
    hidden: dict[str, np.ndarray] = {}
    primary: dict[str, np.ndarray] = {}
    blocked: dict[str, np.ndarray] = {}
    audits: dict[str, AuditResult] = {}
    timings: dict[str, float] = {}
    systems: dict[str, tuple[CellSystem, np.ndarray, int]] = {}
    for tier in tiers:
        clock = time.perf_counter()
        policy = policy_for(tier)
        own = member[tier]
        thr = np.where(own, np.where(sensitive, policy.threshold(True), policy.threshold(False)), 0)
        primary[tier] = own & (value >= 1) & (value < thr)
        blocked[tier] = class_disclosure_cells(linked, tier, tier_cubes[tier], policy) & own
        seen |= own
        cells = np.flatnonzero(seen)
        eligible = own & ~known
        thr_sys = np.where(eligible, thr, 0)
        system, _local = _subsystem(cells, value, thr_sys, linked, joiners(linked, value, thr_sys, waves))
        extra = system.n_cells - cells.size
        start = np.concatenate(
            [((primary[tier] | blocked[tier]) & eligible | (~own & ~known))[cells], np.ones(extra, dtype=bool)]
        )
        allowed = np.concatenate([eligible[cells], np.zeros(extra, dtype=bool)])
        costs = np.concatenate([cost[cells], np.zeros(extra, dtype=np.int64)])
        try:
            mask = secondary_suppress(
                system, start, time_limit=time_limit, eligible=allowed, cost=costs, max_rounds=MAX_ROUNDS
            )
        except SuppressionError:
            # The tier's own cells cannot protect a cell that lower tiers' published cells pin down (through
            # the finer structure this tier adds): hide lower-tier cells too, in every tier that shows them.
            everything = np.concatenate([np.ones(cells.size, dtype=bool), np.zeros(extra, dtype=bool)])
            mask = secondary_suppress(system, start, time_limit=time_limit, eligible=everything, cost=costs)
        tier_hidden = np.zeros(linked.n_cells, dtype=bool)
        tier_hidden[cells] = mask[: cells.size]
        for lower in hidden:  # cells hidden now stay hidden in the lower tiers that show them
            hidden[lower] |= tier_hidden & member[lower]
        hidden[tier] = tier_hidden & own
        known = np.zeros(linked.n_cells, dtype=bool)
        for done in hidden:
            known |= member[done] & ~hidden[done]
        systems[tier] = (system, cells, extra)
        timings[tier] = time.perf_counter() - clock
    clock = time.perf_counter()
    for tier, (system, cells, extra) in systems.items():  # the final audit, with every tier's final mask
        final = np.concatenate([_view_hidden(hidden, member, tier, cells), np.ones(extra, dtype=bool)])
        audits[tier] = audit(system, final, time_limit=time_limit)
    timings["audit"] = time.perf_counter() - clock
    return Protection(hidden, primary, member, blocked, audits, timings)
