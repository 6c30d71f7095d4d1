"""The attacker's integer programme on the network and voices tables of a *written* release (issue 12, part 5).

Like ``dashboard.release.attack`` for the survey tables, and sharing no code with the builders' own protection
(``network.protect_matrix``, ``network.protect_contact``, ``voices.protect_*``): it reads only published tables
and derives every relation from their dimensions and the vocabularies. A reader of a tier holds that tier's tables
and those of the lower tiers. What they know of a cell: its exact count (exact tiers), a base-5 interval (rounded
tiers: ``r − 4 … r + 4``, and never 1 … threshold−1, since the policy is public), or nothing (hidden). A cell
published in two tiers is one cell; the reader intersects what the tiers say of it.

- network (public, funder): every matrix cell and, per view, its ties, cross-sector and within-sector ties (the
  cross-sector share and E-I index give the rounded cross ties), with: the matrix sums to the ties, cross = the
  off-diagonal cells, within = the diagonal, ties = cross + within; a tie type is at most "any type" and the types
  together at least it; all cities = every city + between cities. The coalition network is published in full.
- contact by cross-sector partners (every tier): per wave and band, contact "yes" (k), answered (n) and the rest
  (o = n − k), whose bands add up to the wave's contact counts published in the survey table ``contact``.
- voices themes (every tier): every breakdown adds up to its theme's total; the themes of a category are a
  multi-response breakdown of its sources; a coalition reader also sees the public table, whose method, city and
  total cells are the coalition's and whose sector-group cells are sums of sectors.

The audit first finds one integer table consistent with all of it (the attacker's guess), then asks of every hidden
cell whose guess lies in 1 … threshold−1 whether another consistent solution puts it at 0 or at least the threshold.

Why this module is longer than ~300 lines: an attacker of the network and voices tables that must share no code with
the builder: it keeps its own relations here.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, milp

from dashboard.data.vocab import Vocabularies
from dashboard.privacy.audit import audit
from dashboard.privacy.rounding import BASE
from dashboard.privacy.system import CellSystem
from dashboard.published import table as TB
from dashboard.published.dims import ALL
from dashboard.published.network_schema import NW, VIEW, K
from dashboard.published.policy import policy_for
from dashboard.published.tiers import TIERS_ASCENDING, Tier
from dashboard.published.voices_schema import VO
from dashboard.release.attack import Finding
from dashboard.release.voices import K as VK

EXACT, ROUNDED, HIDDEN = 2, 1, 0  # what a reader knows of a cell, most first
CONTACT_TABLE = ("contact",)
ANSWERS = ("yes", "no", "unsure")


@dataclass
class Knowledge:
    """Cells a reader knows something of, and the relations between them.

    Per cell: what is known (``EXACT``, ``ROUNDED`` or ``HIDDEN``), the bounds that gives, the published value,
    the threshold of the tier that published it rounded (a shown positive value is at least that; a shown 0 is 0),
    an upper bound a hidden cell is known to respect, and whether it is a *target*: a count that a table would
    show were it not hidden (a total never published, such as ``ties − cross``, is no target when its parts show).
    """

    keys: list[Hashable] = field(default_factory=list)
    index: dict[Hashable, int] = field(default_factory=dict)
    kind: list[int] = field(default_factory=list)
    low: list[int] = field(default_factory=list)
    high: list[int] = field(default_factory=list)
    published: list[int] = field(default_factory=list)
    floor: list[int] = field(default_factory=list)
    cap: list[int | None] = field(default_factory=list)
    target: list[bool] = field(default_factory=list)
    additive: list[tuple[int, list[int]]] = field(default_factory=list)
    multi: list[tuple[int, list[int]]] = field(default_factory=list)

    def _at(self, key: Hashable) -> int:
        """The index of ``key``, adding it as an unknown, non-target cell if new."""
        if key not in self.index:
            self.index[key] = len(self.keys)
            self.keys.append(key)
            self.kind.append(HIDDEN)
            self.low.append(0)
            self.high.append(-1)  # unbounded until the end
            self.published.append(0)
            self.floor.append(0)
            self.cap.append(None)
            self.target.append(False)
        return self.index[key]

    def cell(self, key: Hashable, value: float | None, rounded: bool, floor: int) -> int:
        """Record what a published value (missing: hidden) says of the cell ``key``, intersected with before."""
        i = self._at(key)
        if pd.isna(value):
            self.target[i] = True
            return i
        v = int(value)
        if rounded:
            low = 0 if v == 0 else max(v - (BASE - 1), floor)
            high = (0 if floor >= BASE else BASE - 1) if v == 0 else v + BASE - 1
        else:
            low = high = v
        kind = ROUNDED if rounded else EXACT
        if kind > self.kind[i]:
            self.kind[i], self.published[i], self.floor[i] = kind, v, floor if rounded else 0
        self.low[i] = max(self.low[i], low)
        self.high[i] = high if self.high[i] < 0 else min(self.high[i], high)
        return i

    def unknown(self, key: Hashable, target: bool, cap: int | None = None) -> int:
        """A cell never published directly, a target or not, with an upper bound the reader knows."""
        i = self._at(key)
        self.target[i] = self.target[i] or target
        if cap is not None:
            prev = self.cap[i]
            self.cap[i] = cap if prev is None else min(prev, cap)
        return i

    def known(self, key: Hashable) -> bool:
        return key in self.index

    def add(self, parent: Hashable, children: Iterable[Hashable]) -> None:
        """``parent`` is the sum of ``children`` (cells not yet known are added as unknowns)."""
        kids = [self._at(c) for c in children]
        if kids:
            self.additive.append((self._at(parent), kids))

    def add_multi(self, parent: Hashable, children: Iterable[Hashable]) -> None:
        """``children`` are a multi-response breakdown of ``parent``: each at most it, together at least it."""
        kids = [self._at(c) for c in children]
        if kids:
            self.multi.append((self._at(parent), kids))


# --------------------------------------------------------------------------------------------------------- solving


def _bounds(k: Knowledge) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    kind = np.array(k.kind, dtype=np.int64)
    low = np.array(k.low, dtype=np.int64)
    high = np.array(k.high, dtype=np.int64)
    # No count exceeds all the units of a table together: at most the sum of what is known, plus a margin.
    ceiling = int(high[kind != HIDDEN].sum()) + BASE
    caps = np.array([ceiling if c is None else min(c, ceiling) for c in k.cap], dtype=np.int64)
    high = np.where(kind == HIDDEN, caps, high)
    return kind, low, np.maximum(high, low)


def _guess(k: Knowledge, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """One integer table within the bounds that satisfies every relation (the attacker's consistent guess)."""
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    lower: list[float] = []
    upper: list[float] = []
    relations = [(p, ch, 0.0, 0.0) for p, ch in k.additive] + [(p, ch, 0.0, np.inf) for p, ch in k.multi]
    for p, ch, lo, hi in relations:
        r = len(lower)
        rows += [r] * (len(ch) + 1)
        cols += [p, *ch]
        vals += [-1.0] + [1.0] * len(ch)
        lower.append(lo)
        upper.append(hi)
    for p, ch in k.multi:  # each child at most its parent
        for c in ch:
            r = len(lower)
            rows += [r, r]
            cols += [c, p]
            vals += [1.0, -1.0]
            lower.append(-np.inf)
            upper.append(0.0)
    n = len(k.keys)
    constraints = []
    if lower:
        constraints.append(LinearConstraint(sp.csr_matrix((vals, (rows, cols)), shape=(len(lower), n)), lower, upper))
    res = milp(np.zeros(n), integrality=np.ones(n, dtype=np.int64), bounds=Bounds(low, high), constraints=constraints)
    if res.x is None:
        raise ValueError("the published network or voices tables are inconsistent: no table of counts fits them")
    return np.rint(res.x).astype(np.int64)


def solve(k: Knowledge, threshold: int) -> list[tuple[Hashable, int, int]]:
    """The hidden target cells the reader can narrow into 1 … threshold−1, and the bounds they narrow them to."""
    if not k.keys:
        return []
    kind, low, high = _bounds(k)
    guess = _guess(k, low, high)
    hidden = kind == HIDDEN
    rounded = kind == ROUNDED
    targets = hidden & np.array(k.target, dtype=bool)
    system = CellSystem(
        value=guess,
        threshold=np.where(targets, threshold, np.where(rounded, np.array(k.floor, dtype=np.int64), 0)),
        rounded=rounded,
        published_value=np.where(rounded, np.array(k.published, dtype=np.int64), guess),
        additive=[(p, np.array(ch, dtype=np.int64)) for p, ch in k.additive],
        multi=[(p, np.array(ch, dtype=np.int64)) for p, ch in k.multi],
        upper_bound=np.maximum(np.where(hidden, high, int(high.max())), guess),
    )
    result = audit(system, hidden)  # solver work bounded by the audit's own node limit, never by seconds
    return [(k.keys[r.cell], r.lower, r.upper) for r in result.at_risk]


# --------------------------------------------------------------------------------------------------------- network


def cross_candidates(ties: int, share: float, ei: float) -> list[int]:
    """The multiples of 5 cross-sector ties out of ``ties`` that give a share (1 decimal) and E-I index (3)."""
    if ties <= 0:
        return []
    centre = round(share * ties / 100 / BASE)
    crosses = [BASE * m for m in range(max(centre - 2, 0), centre + 3) if BASE * m <= ties]
    return [
        c for c in crosses if abs(100 * c / ties - share) <= 0.05 + 1e-9 and abs((2 * c - ties) / ties - ei) <= 5e-4
    ]


def _add_view_totals(k: Knowledge, metrics: pd.DataFrame, rounded: bool, floor: int) -> None:
    """Per view: its ties, and the cross-sector ties its share and E-I index give (within: ties − cross)."""
    for row in metrics.itertuples(index=False):
        view = tuple(getattr(row, c) for c in VIEW)
        ties = getattr(row, K.TIES)
        k.cell(("t", *view), ties, rounded, floor)
        share, ei = getattr(row, K.CROSS_SHARE), getattr(row, K.EI)
        found = [] if pd.isna(share) or pd.isna(ties) else cross_candidates(int(ties), float(share), float(ei))
        if len(found) == 1:
            k.cell(("c", *view), found[0], rounded, floor)
        elif found:  # a share of a large view can fit several multiples of 5: an upper bound only
            k.unknown(("c", *view), target=False, cap=max(found) + BASE - 1)
        k.unknown(("c", *view), target=not found)
        k.unknown(("w", *view), target=not found)


def add_network(k: Knowledge, matrix: pd.DataFrame, metrics: pd.DataFrame, rounded: bool, floor: int) -> None:
    """The matrix and measures of one tier, and every relation between them."""
    pairs: dict[tuple, list[tuple[str, str]]] = {}
    for row in matrix.itertuples(index=False):
        view = tuple(getattr(row, c) for c in VIEW)
        a, b = getattr(row, K.SECTOR_A), getattr(row, K.SECTOR_B)
        k.cell(("p", *view, a, b), getattr(row, TB.COUNT), rounded, floor)
        pairs.setdefault(view, []).append((a, b))
    _add_view_totals(k, metrics, rounded, floor)
    for view, cells in pairs.items():
        for name in ("t", "c", "w"):
            if not k.known((name, *view)):  # a view without measures: its totals are unknown counts
                k.unknown((name, *view), target=True)
        k.add(("t", *view), [("p", *view, a, b) for a, b in cells])
        k.add(("t", *view), [("c", *view), ("w", *view)])
        k.add(("c", *view), [("p", *view, a, b) for a, b in cells if a != b])
        k.add(("w", *view), [("p", *view, a, b) for a, b in cells if a == b])
    _add_view_relations(k, pairs)


def _add_view_relations(k: Knowledge, pairs: dict[tuple, list[tuple[str, str]]]) -> None:
    """Tie types within "any type" (multi-response) and cities within all cities (additive), for every cell."""
    views = list(pairs)
    waves = list(dict.fromkeys(v[0] for v in views))
    types = [t for t in dict.fromkeys(v[1] for v in views) if t != ALL]
    cities = [c for c in dict.fromkeys(v[2] for v in views) if c != ALL]
    suffixes = {cell for cells in pairs.values() for cell in cells}
    names = [("t",), ("c",), ("w",), *(("p", a, b) for a, b in sorted(suffixes))]

    def key(wave: object, tie_type: str, city: str, name: tuple) -> tuple:
        return (name[0], wave, tie_type, city, *name[1:])

    for wave in waves:
        for name in names:
            for city in [ALL, *cities]:
                k.add_multi(key(wave, ALL, city, name), [key(wave, t, city, name) for t in types])
            for tie_type in [ALL, *types]:
                k.add(key(wave, tie_type, ALL, name), [key(wave, tie_type, c, name) for c in cities])


# --------------------------------------------------------------------------------------------------------- contact


def _add_contact(k: Knowledge, release: TB.Release) -> None:
    """Contact by band of one tier, and the wave's contact counts of the survey table it must add up to."""
    policy = policy_for(release.tier)
    rounded, floor = policy.rounded, policy.threshold(sensitive=True)
    contact = release.extras[NW.CONTACT]
    bands = list(dict.fromkeys(contact[K.BAND]))
    for row in contact.itertuples(index=False):
        wave, band = row.wave, getattr(row, K.BAND)
        k.cell(("k", wave, band), getattr(row, TB.COUNT), rounded, floor)
        k.cell(("n", wave, band), getattr(row, TB.N), rounded, floor)
        k.unknown(("o", wave, band), target=True)  # no or unsure: n − k
        k.add(("n", wave, band), [("k", wave, band), ("o", wave, band)])
    totals = release.tables[CONTACT_TABLE].frame if CONTACT_TABLE in release.tables else None
    for wave in dict.fromkeys(contact["wave"]):
        for part in ("k", "n", "o"):
            k.add((part, wave, "total"), [(part, wave, b) for b in bands])
        k.add(("n", wave, "total"), [("k", wave, "total"), ("o", wave, "total")])
        if totals is None:
            continue
        rows = totals[totals["wave"] == wave].set_index("contact")[TB.COUNT]
        for answer in ANSWERS:
            k.cell(("answer", wave, answer), rows.get(answer, pd.NA), rounded, floor)
        k.add(("k", wave, "total"), [("answer", wave, "yes")])
        k.add(("o", wave, "total"), [("answer", wave, "no"), ("answer", wave, "unsure")])


# ---------------------------------------------------------------------------------------------------------- voices


def _add_themes(k: Knowledge, themes: pd.DataFrame, rounded: bool, threshold: int) -> None:
    """One voices table: every breakdown adds up to the theme's total; themes are a multi-response breakdown."""
    cells = list(themes[[VK.BREAKDOWN, VK.CATEGORY, "theme"]].itertuples(index=False, name=None))
    for (b, c, th), value in zip(cells, themes[TB.COUNT], strict=True):
        k.cell(("v", b, c, th), value, rounded, threshold)
    total = "total"
    by_theme: dict[str, dict[str, list[str]]] = {}
    for b, c, th in cells:
        by_theme.setdefault(th, {}).setdefault(b, []).append(c)
    for th, breakdowns in by_theme.items():
        for b, cats in breakdowns.items():
            if b != total:
                k.add(("v", total, ALL, th), [("v", b, c, th) for c in cats])
    themes_of: dict[tuple[str, str], list[str]] = {}
    for b, c, th in cells:
        if th != ALL:
            themes_of.setdefault((b, c), []).append(th)
    for (b, c), names in themes_of.items():
        if ("v", b, c, ALL) in k.index:
            k.add_multi(("v", b, c, ALL), [("v", b, c, th) for th in names])


def _link_sector_groups(k: Knowledge, low: pd.DataFrame, high: pd.DataFrame, group_of: dict[str, str]) -> None:
    """A sector group's cell is the sum of its sectors' cells (sources with no sector: ``_none`` in both)."""
    sectors = high[high[VK.BREAKDOWN] == "sector"]
    for g, th in low.loc[low[VK.BREAKDOWN] == "sector_group", [VK.CATEGORY, "theme"]].itertuples(index=False):
        parts = sectors[(sectors["theme"] == th) & (sectors[VK.CATEGORY].map(lambda s: group_of.get(s, s)) == g)]
        if not parts.empty:
            k.add(("v", "sector_group", g, th), [("v", "sector", s, th) for s in parts[VK.CATEGORY]])


# ------------------------------------------------------------------------------------------------------------ tiers


def attack_extras(releases: dict[str, TB.Release], vocab: Vocabularies) -> list[Finding]:
    """Run the attacker of the network and voices tables for every tier present (with its lower tiers)."""
    present = [t for t in TIERS_ASCENDING if t in releases]
    findings: list[Finding] = []
    for i, tier in enumerate(present):
        seen = {t: releases[t] for t in present[: i + 1]}
        findings += _attack_network(tier, seen)
        findings += _attack_contact(tier, seen)
        findings += _attack_voices(tier, seen, vocab)
    return findings


def _findings(tier: str, table: str, risks: list[tuple[Hashable, int, int]]) -> list[Finding]:
    return [Finding(tier, f"{table} {key}", lo, hi) for key, lo, hi in risks]


def _attack_network(tier: str, seen: dict[Tier, TB.Release]) -> list[Finding]:
    if not policy_for(tier).sector_groups:
        return []  # coalition members see every organisation and tie: nothing is hidden from them
    k = Knowledge()
    for t, release in seen.items():
        if NW.MATRIX in release.extras and NW.METRICS in release.extras:
            policy = policy_for(t)
            add_network(k, release.extras[NW.MATRIX], release.extras[NW.METRICS], policy.rounded, policy.threshold())
    return _findings(tier, NW.MATRIX, solve(k, policy_for(tier).threshold()))


def _attack_contact(tier: str, seen: dict[Tier, TB.Release]) -> list[Finding]:
    k = Knowledge()
    for release in seen.values():
        if NW.CONTACT in release.extras:
            _add_contact(k, release)
    return _findings(tier, NW.CONTACT, solve(k, policy_for(tier).threshold(sensitive=True)))


def _attack_voices(tier: str, seen: dict[Tier, TB.Release], vocab: Vocabularies) -> list[Finding]:
    k = Knowledge()
    tables = {t: r.extras[VO.THEMES] for t, r in seen.items() if VO.THEMES in r.extras}
    for t, themes in tables.items():
        policy = policy_for(t)
        _add_themes(k, themes, policy.rounded, policy.threshold())
    grouped = [f for t, f in tables.items() if policy_for(t).sector_groups]
    detailed = [f for t, f in tables.items() if not policy_for(t).sector_groups]
    if grouped and detailed:
        _link_sector_groups(k, grouped[0], detailed[-1], vocab.sector_group_of())
    return _findings(tier, VO.THEMES, solve(k, policy_for(tier).threshold()))
