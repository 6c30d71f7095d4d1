"""Decide which cells each tier hides: primary and class-disclosure rules, then secondary suppression.

The attacker is modelled with exact published values in every tier: rounding is a second layer, not the
protection (SPEC §4), and a mask that resists an attacker who knows exact values also resists one who only
knows rounded values.

Tiers are protected in ascending order, each over one linked system of its own cells and every cell of the
lower tiers, which its attacker also sees: a cell a lower tier shows is known, a cell it hides is unknown.

Waves: when one wave's every count is at least the previous wave's (the data are consistent with "the same
respondents plus some joiners"), the joiners' cells ``J = B - A`` become cells of the system with their own
thresholds, so that "this wave minus the last" cannot single out the people who joined.

Why this module is longer than ~300 lines: primary suppression, the secondary search and the fallback ladder act on
one state; splitting them would pass that state around.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from dashboard.privacy.audit import DEFAULT_NODE_LIMIT, AuditResult, SolutionBook, audit
from dashboard.privacy.suppression import DEFAULT_MAX_ROUNDS, SuppressionError, secondary_suppress
from dashboard.privacy.system import CellSystem
from dashboard.published import dims as D
from dashboard.published.dims import CubeSpec
from dashboard.published.policy import TierPolicy, policy_for
from dashboard.published.tiers import ROUNDED_TIERS, Tier
from dashboard.release.earlier import EarlierPattern
from dashboard.release.linking import Linked
from dashboard.release.publish import item_of

LOW_TIERS = ROUNDED_TIERS
WITHHOLD_SHARE = 0.5
MAX_ROUNDS = 25  # audit-driven rounds of the cheap pattern before the fallback ladder takes over
FALLBACK_ROUNDS = 10  # audit-driven rounds allowed to each wider step of the fallback ladder
MAX_WITHHELD_TARGETS = 600
"""Hidden small cells (primary or withheld) of one tier and wave beyond which that wave's sparsest tables are not
published in the tier (deepest first, then those with the most small cells; :func:`_sparse_tables`): the audit settles
this many cells linked through one wave's tables, withheld rows included, in reasonable time (issue 12). Decided from
counts alone, so the same data give the same pattern; the steward report names every table and wave left out."""
HIGH_TIER = Tier.COALITION


@dataclass
class Protection:
    """The cells each tier hides, why, and the final audits."""

    hidden: dict[str, np.ndarray]  # tier -> bool mask over linked cells
    primary: dict[str, np.ndarray]
    active: dict[str, np.ndarray]  # tier -> bool mask of cells in tables the tier publishes (not withheld)
    class_blocked: dict[str, np.ndarray]
    audits: dict[str, AuditResult]
    timings: dict[str, float]
    fallbacks: list[Fallback] = field(default_factory=list)
    not_published: list[NotPublished] = field(default_factory=list)
    kept: dict[tuple[Tier, CubeSpec], np.ndarray] = field(default_factory=dict)  # rows each table publishes

    def waves_not_published(self, tier: str, dims: tuple[str, ...]) -> frozenset[int]:
        """The waves the table ``dims`` of ``tier`` does not publish (too sparse to protect in the tier)."""
        return frozenset(left.wave for left in self.not_published if left.tier == tier and dims in left.tables)


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
    pairs = local[linked.at_most] if linked.at_most.size else np.zeros((0, 2), dtype=np.int64)
    at_most = pairs[(pairs >= 0).all(axis=1)]
    vals, thr = value[cells], threshold[cells]
    if extra is not None:
        keep = _kept_joiners(extra, local)
        base = cells.size
        j_index = base + np.arange(int(keep.sum()))
        vals = np.concatenate([vals, extra.value[keep]])
        thr = np.concatenate([thr, extra.threshold[keep]])
        for later, earlier, j in zip(local[extra.later[keep]], local[extra.earlier[keep]], j_index, strict=True):
            additive.append((int(later), np.array([earlier, j], dtype=np.int64)))
    system = CellSystem(value=vals, threshold=thr, additive=additive, multi=multi, at_most=at_most)
    return system, local


def _kept_joiners(found: _Joiners, local: np.ndarray) -> np.ndarray:
    """The joiner pairs :func:`_subsystem` keeps (both cells in the system), in its order."""
    return (local[found.later] >= 0) & (local[found.earlier] >= 0)


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


@dataclass(frozen=True)
class CellAttributes:
    """What the fallback ladder needs to know of every linked cell, read once from its key."""

    wave: np.ndarray  # the cell's wave
    depth: np.ndarray  # dimensions the cell crosses besides the wave


def cell_attributes(linked: Linked) -> CellAttributes:
    """Wave and depth of every linked cell, from the keys ``wave|dim=category|...``."""
    wave = np.zeros(linked.n_cells, dtype=np.int64)
    depth = np.zeros(linked.n_cells, dtype=np.int64)
    for key, cid in linked.keys.items():
        wave[cid] = int(key.partition("|")[0])
        depth[cid] = key.count("|")
    return CellAttributes(wave, depth)


def _costs(depth: np.ndarray, value: np.ndarray) -> np.ndarray:
    """Cost of hiding a cell: its value, times 10 for every dimension fewer than the deepest tables have.

    Complements are then taken from detailed tables before margins: hiding a city total costs a hundred times
    more than hiding a city x sector x role cell of the same size.
    """
    return (value + 1) * np.power(10, depth.max(initial=0) - depth)


@dataclass(frozen=True)
class Fallback:
    """A step of the fallback ladder taken for one tier because the cheap pattern did not converge."""

    tier: str
    step: str  # FALLBACK_STEPS
    waves: tuple[int, ...]

    def describe(self) -> str:
        """Plain words for the steward report."""
        what = {
            "lower": "complements chosen among the lower tiers' counts too",
            "deepest": "every cell of its most detailed tables (and complements among the lower tiers' counts)",
            "tier": "every count it alone shows (and complements among the lower tiers' counts)",
            "wave": "every count of the wave in this tier and the tiers below",
        }[self.step]
        waves = ", ".join(map(str, self.waves))
        verb = "use" if self.step == "lower" else "withhold"
        return f"{self.tier}: wave(s) {waves} {verb} {what}, as secondary suppression did not converge"


@dataclass(frozen=True)
class NotPublished:
    """Tables a tier does not publish for one wave: the wave had too many hidden small cells to protect them all."""

    tier: str
    wave: int
    targets: int  # hidden small cells of the wave before these tables were left out
    tables: tuple[tuple[str, ...], ...]  # dims of every table left out for the wave

    def describe(self) -> str:
        """Plain words for the steward report."""
        depths = sorted({len(t) for t in self.tables}, reverse=True)
        parts = ", ".join(f"{sum(len(t) == d for t in self.tables)} of {d} dimension(s)" for d in depths)
        return (
            f"{self.tier}: wave {self.wave} had {self.targets:,} hidden small cells (more than {MAX_WITHHELD_TARGETS:,}"
            f" can be protected and audited together), so {len(self.tables)} of its sparsest tables ({parts}) are not"
            " published for that wave; its other tables are, protected and audited with their withheld rows"
        )


FALLBACK_STEPS = ("lower", "deepest", "tier", "wave")
"""Ever wider patterns, each safe by construction more surely than the last; the last hides the whole wave."""


@dataclass
class _TierProblem:
    """One tier's protection problem over the cells it and the lower tiers show (joiner cells appended)."""

    system: CellSystem
    cells: np.ndarray  # global ids of the first ``cells.size`` system cells (joiner cells follow)
    start: np.ndarray  # cells hidden from the outset
    allowed: np.ndarray  # cells the tier may hide
    costs: np.ndarray
    wave: np.ndarray  # per system cell
    depth: np.ndarray  # per system cell (joiners: -1)
    book: SolutionBook | None = None  # solutions the audits found, tried first by the later ones (checked again)
    kept_shown: np.ndarray | None = None  # cells the served release showed in an earlier wave: never complements


def _ladder(tier: str, problem: _TierProblem, node_limit: int) -> tuple[np.ndarray, Fallback | None]:
    """Secondary suppression, then ever wider safe patterns for the waves that still fail; never raises."""
    try:
        mask = secondary_suppress(
            problem.system,
            problem.start,
            node_limit=node_limit,
            eligible=problem.allowed,
            cost=problem.costs,
            max_rounds=MAX_ROUNDS,
            book=problem.book,
        )
        return mask, None
    except SuppressionError as error:
        failing = np.unique(problem.wave[error.at_risk]) if error.at_risk.size else np.unique(problem.wave)
    real = np.zeros(problem.system.n_cells, dtype=bool)
    real[: problem.cells.size] = True
    hideable = real if problem.kept_shown is None else real & ~problem.kept_shown
    for step in FALLBACK_STEPS:
        in_waves = np.isin(problem.wave, failing)
        rounds = FALLBACK_ROUNDS
        if step == "lower":  # the tier's own cells cannot protect a cell that lower tiers' cells pin down
            start, rounds = problem.start, DEFAULT_MAX_ROUNDS
        elif step == "deepest":
            deepest = problem.depth == problem.depth[problem.allowed].max(initial=0)
            start = problem.start | (problem.allowed & in_waves & deepest)
        elif step == "tier":
            start = problem.start | (problem.allowed & in_waves)
        else:
            start = problem.start | (real & in_waves)
        try:
            mask = secondary_suppress(
                problem.system,
                start,
                node_limit=node_limit,
                eligible=hideable,
                cost=problem.costs,
                max_rounds=rounds,
                book=problem.book,
            )
            return mask, Fallback(tier, step, tuple(int(w) for w in failing))
        except SuppressionError as error:
            if error.at_risk.size:
                failing = np.union1d(failing, problem.wave[error.at_risk])
    # Nothing of the failing waves can be shown at all: hide every cell of them (and their joiners).
    mask = problem.start | np.isin(problem.wave, failing) | ~real
    return mask, Fallback(tier, "wave", tuple(int(w) for w in failing))


def _sparse_tables(
    tier: Tier,
    linked: Linked,
    cubes: list[tuple[CubeSpec, pd.DataFrame]],
    listed: dict[tuple[Tier, CubeSpec], np.ndarray],
    small: np.ndarray,
    attrs: CellAttributes,
) -> list[NotPublished]:
    """For every wave of ``tier`` with more than :data:`MAX_WITHHELD_TARGETS` hidden small cells (``small``: mask
    over linked cells, withheld rows included), the tables the tier leaves out for that wave, chosen greedily from
    the deepest and, among equally deep tables, those with the most small cells, until the cells still shown or
    withheld hold no more than the cap (moving up the hierarchy, as tau-ARGUS does: a coarser table is always
    protectable). The table without dimensions is never left out. Marks the left-out rows in
    ``listed`` (the rows each table lists) as not listed.
    """
    waves, per_wave = np.unique(attrs.wave[small], return_counts=True)
    heavy = per_wave > MAX_WITHHELD_TARGETS
    out: list[NotPublished] = []
    for wave, targets in zip(waves[heavy].tolist(), per_wave[heavy].tolist(), strict=True):
        rows = {spec: frame[D.WAVE].to_numpy() == wave for spec, frame in cubes}
        cells = {spec: linked.ids[(tier, spec)][rows[spec]] for spec, _frame in cubes}
        cover = np.zeros(linked.n_cells, dtype=np.int64)
        for spec, _frame in cubes:
            np.add.at(cover, cells[spec], 1)
        ranked = sorted(
            (spec for spec, _frame in cubes if spec.dims),
            key=lambda s: (-len(s.dims), -int(small[cells[s]].sum()), s.dims),
        )
        left = int(targets)
        dropped: list[tuple[str, ...]] = []
        for spec in ranked:
            if left <= MAX_WITHHELD_TARGETS:
                break
            np.subtract.at(cover, cells[spec], 1)
            gone = np.unique(cells[spec][cover[cells[spec]] == 0])
            left -= int(small[gone].sum())
            small = small.copy()
            small[gone] = False
            listed[(tier, spec)] = listed[(tier, spec)] & ~rows[spec]
            dropped.append(spec.dims)
        out.append(NotPublished(tier, int(wave), int(targets), tuple(dropped)))
    return out


def _leave_out(
    tier: Tier,
    tier_cubes: dict[Tier, list[tuple[CubeSpec, pd.DataFrame]]],
    rows: tuple[dict[tuple[Tier, CubeSpec], np.ndarray], dict[tuple[Tier, CubeSpec], np.ndarray]],
    masks: tuple[dict[str, np.ndarray], dict[str, np.ndarray]],
    linked: Linked,
    small: tuple[np.ndarray, CellAttributes],
) -> list[NotPublished]:
    """The tables of ``tier`` left out for a wave (:func:`_sparse_tables`); their rows are then neither kept nor
    listed (``rows``: kept, listed), and the tier's masks of the cells it publishes and of its tables' cells
    (``masks``: member, tables) no longer hold them."""
    kept, listed = rows
    left_out = _sparse_tables(tier, linked, tier_cubes[tier], listed, *small)
    if left_out:
        for spec, _frame in tier_cubes[tier]:
            kept[(tier, spec)] = kept[(tier, spec)] & listed[(tier, spec)]
        member, tables = masks
        member[tier] = _members(linked, [tier], tier_cubes, kept)[tier]
        tables[tier] = _members(linked, [tier], tier_cubes, listed)[tier]
    return left_out


def _members(
    linked: Linked,
    tiers: list[Tier],
    tier_cubes: dict[Tier, list[tuple[CubeSpec, pd.DataFrame]]],
    kept: dict[tuple[Tier, CubeSpec], np.ndarray] | None,
) -> dict[str, np.ndarray]:
    """Per tier, the mask of linked cells in the rows its tables publish (withheld rows left out; every row of
    its tables when ``kept`` is None)."""
    member: dict[str, np.ndarray] = {}
    for tier in tiers:
        mask = np.zeros(linked.n_cells, dtype=bool)
        for spec, _frame in tier_cubes[tier]:
            ids = linked.ids[(tier, spec)]
            mask[ids if kept is None else ids[kept[(tier, spec)]]] = True
        member[tier] = mask
    return member


def _final_audits(
    systems: dict[Tier, tuple[CellSystem, np.ndarray, int, SolutionBook | None]],
    hidden: dict[str, np.ndarray],
    member: dict[str, np.ndarray],
    node_limit: int,
) -> dict[str, AuditResult]:
    """The audit of every tier's programme with every tier's final mask."""
    audits: dict[str, AuditResult] = {}
    for tier, (system, cells, extra, book) in systems.items():
        final = np.concatenate([_view_hidden(hidden, member, tier, cells), np.ones(extra, dtype=bool)])
        audits[tier] = audit(system, final, node_limit=node_limit, book=book)
    return audits


def _tier_problem(
    system: CellSystem,
    cells: np.ndarray,
    masks: tuple[np.ndarray, np.ndarray, np.ndarray],
    cost: np.ndarray,
    attrs: CellAttributes,
    joiner_wave: np.ndarray,
) -> _TierProblem:
    """One tier's problem from masks over the linked cells: ``(start, allowed, kept_shown)``; the joiner cells that
    follow the tier's cells start hidden, may not be hidden as complements and cost nothing."""
    start, allowed, kept_shown = masks
    extra = system.n_cells - cells.size
    return _TierProblem(
        system,
        cells,
        np.concatenate([start[cells], np.ones(extra, dtype=bool)]),
        np.concatenate([allowed[cells], np.zeros(extra, dtype=bool)]),
        np.concatenate([cost[cells], np.zeros(extra, dtype=np.int64)]),
        np.concatenate([attrs.wave[cells], joiner_wave]),
        np.concatenate([attrs.depth[cells], np.full(extra, -1, dtype=np.int64)]),
        SolutionBook(system.value),
        np.concatenate([kept_shown[cells], np.zeros(extra, dtype=bool)]),
    )


def protect(
    linked: Linked,
    value: np.ndarray,
    tier_cubes: dict[Tier, list[tuple[CubeSpec, pd.DataFrame]]],
    waves: list[int],
    kept: dict[tuple[Tier, CubeSpec], np.ndarray],
    node_limit: int = DEFAULT_NODE_LIMIT,
    earlier: EarlierPattern | None = None,
) -> Protection:
    """Tier by tier, lowest first: each tier's attacker also sees every lower tier's publication.

    A tier decides only about its own cells that no lower tier shows (those are known whatever it does); it
    starts from its primary and class-disclosure cells, and secondary suppression adds the cheapest complements
    until the audit passes for the combined view. Where it does not converge, the fallback ladder
    (:func:`_ladder`) takes over, so every dataset gets a pattern the audit passes. With ``earlier`` (the served
    release's pattern of the waves it shares with this build), those cells start hidden where it hid them and are
    never chosen as complements where it showed them (:mod:`dashboard.release.earlier`).
    """
    sensitive = np.asarray(linked.sensitive, dtype=bool)
    attrs = cell_attributes(linked)
    cost = _costs(attrs.depth, value)
    tiers = [t for t in (*LOW_TIERS, HIGH_TIER) if t in tier_cubes]
    member = _members(linked, tiers, tier_cubes, kept)
    kept, listed = dict(kept), {key: np.ones(rows.size, dtype=bool) for key, rows in kept.items()}  # listed: rows
    tables = _members(linked, tiers, tier_cubes, listed)  # withheld rows included
    # known: shown by a lower tier; seen: cells of the tiers processed so far, withheld rows included
    known, seen = np.zeros(linked.n_cells, dtype=bool), np.zeros(linked.n_cells, dtype=bool)
    hidden: dict[str, np.ndarray] = {}
    primary: dict[str, np.ndarray] = {}
    blocked: dict[str, np.ndarray] = {}
    timings: dict[str, float] = {}
    fallbacks: list[Fallback] = []
    not_published: list[NotPublished] = []
    systems: dict[Tier, tuple[CellSystem, np.ndarray, int, SolutionBook | None]] = {}
    no_cells, no_waves = np.zeros(linked.n_cells, dtype=bool), np.zeros(0, dtype=np.int64)
    kept_shown = no_cells if earlier is None else earlier.shown_anywhere(linked.n_cells)
    for tier in tiers:
        clock = time.perf_counter()
        policy = policy_for(tier)
        tier_thr = np.where(sensitive, policy.threshold(True), policy.threshold(False))
        small = (value >= 1) & (value < tier_thr) & tables[tier] & ~known
        not_published += _leave_out(tier, tier_cubes, (kept, listed), (member, tables), linked, (small, attrs))
        own, withheld = member[tier], tables[tier] & ~member[tier] & ~known  # withheld: unknowns of every relation
        thr = np.where(own | withheld, tier_thr, 0)
        primary[tier], blocked[tier] = (
            own & (value >= 1) & (value < thr),
            class_disclosure_cells(linked, tier, tier_cubes[tier], policy) & own,
        )
        seen |= own | withheld
        cells = np.flatnonzero(seen)
        eligible = (own | withheld) & ~known
        thr_sys = np.where(eligible, thr, 0)
        found = joiners(linked, value, thr_sys, waves)
        system, _local = _subsystem(cells, value, thr_sys, linked, found)
        was_hidden = (earlier.hidden.get(tier, no_cells) if earlier is not None else no_cells) & own
        starts = (primary[tier] | blocked[tier] | was_hidden) & eligible | (~own & ~known)
        joiner_wave = attrs.wave[found.later[_kept_joiners(found, _local)]] if found is not None else no_waves
        masks = (starts, eligible & own & ~kept_shown, kept_shown)
        problem = _tier_problem(system, cells, masks, cost, attrs, joiner_wave)
        mask, fallback = _ladder(tier, problem, node_limit)
        fallbacks.extend([] if fallback is None else [fallback])
        tier_hidden = np.zeros(linked.n_cells, dtype=bool)
        tier_hidden[cells] = mask[: cells.size]
        for lower in hidden:  # cells hidden now stay hidden in the lower tiers that show them
            hidden[lower] |= tier_hidden & member[lower]
        hidden[tier] = tier_hidden & own
        known = np.zeros(linked.n_cells, dtype=bool)
        for done in hidden:
            known |= member[done] & ~hidden[done]
        systems[tier] = (system, cells, system.n_cells - cells.size, problem.book)
        timings[tier] = time.perf_counter() - clock
    clock = time.perf_counter()
    audits = _final_audits(systems, hidden, member, node_limit)
    timings["audit"] = time.perf_counter() - clock
    return Protection(hidden, primary, member, blocked, audits, timings, fallbacks, not_published, kept)
