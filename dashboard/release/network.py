"""Published tables of the collaboration network (issue 6; SPEC §4, network rows), built with the release.

A *view* is one wave, one tie type (or ``_all``: any type) and one place: ``_all`` cities, one city (ties between
two organisations of that city) or ``_between`` (ties between organisations of different cities), so that every
tie of a wave is in exactly one city view or in ``_between``. Ties are organisation pairs: undirected, and a pair
with several tie types counts once in ``_all``.

- public and funder: a sector-group × sector-group tie matrix per view, with the view's metrics (ties,
  organisations, density, share of ties between sector groups, E-I index, components); funder adds each sector
  group's number of organisations in bands. No organisation appears. A matrix cell is hidden when it holds 1–2
  ties or when its ties involve fewer than 3 organisations of either group (the threshold rule of business
  statistics: an organisation must not learn another's ties by subtracting its own); secondary suppression over
  every relation an outsider knows (totals, tie types within ``_all``, cities within ``_all``) and the audit's
  integer programme make sure no hidden cell can be recovered. Metrics are published only for views of at least
  ``MIN_VIEW_ORGS`` organisations.
- coalition: organisations as nodes (named only when they consented, otherwise a stable pseudonym: sector and a
  number ranked by an HMAC of the id under the release secret, so ids never leave the builder), ties as edges,
  degree and betweenness (estimated from seeded pivots in views of more than ``EXACT_BETWEENNESS_MAX``
  organisations), the top brokers, a sector × sector matrix and the same metrics, exact.
- every tier: respondents who reported contact by the number of cross-sector partners of their organisation in
  that wave (bands), protected as a survey table (threshold, class disclosure, seeded rounding in public and
  funder, shares from published counts with Wilson intervals), with one suppression pattern for every tier.

Why this module is longer than ~300 lines: every network table of every tier is built from the same tie views in one
pass; its schema is in published/network_schema.
"""

from __future__ import annotations

import hashlib
import hmac
import random
from collections.abc import Iterable
from typing import Any, Final

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd

from dashboard.data.dataset import Dataset
from dashboard.data.schema import C, T
from dashboard.data.vocab import Vocabularies
from dashboard.privacy.intervals import quality_flag, wilson
from dashboard.privacy.rounding import cell_keys, record_keys, round_base5
from dashboard.privacy.suppression import SuppressionError, secondary_suppress
from dashboard.privacy.system import CellSystem, SystemBuilder
from dashboard.published import network_schema as NS
from dashboard.published import table as TB
from dashboard.published.dims import ALL
from dashboard.published.network_schema import BAND_CODES, BETWEEN, CROSS_BANDS, NO_ORG, NW, VIEW, K
from dashboard.published.policy import CLASS_DISCLOSURE_SHARE, policy_for
from dashboard.published.tiers import PUBLISHED_TIERS, ROUNDED_TIERS, Tier
from dashboard.release import network_layout as NL
from dashboard.release import network_rounding as NR
from dashboard.release.checks import require_extras

TIERS: Final = PUBLISHED_TIERS
GROUP_TIERS: Final = ROUNDED_TIERS

# A matrix cell of 1 .. MIN_TIES-1 ties is hidden in public and funder tiers: their threshold for every count.
MIN_TIES: Final = max(policy_for(t).threshold() for t in GROUP_TIERS)
MIN_CONTRIBUTORS: Final = 3  # ... and so is a cell whose ties involve fewer organisations of either group
MIN_VIEW_ORGS: Final = 10  # metrics of a view with fewer organisations are not published (public, funder)
TOP_BROKERS: Final = 5
# Betweenness is exact up to this many organisations in a view; above it, it is estimated from this many source
# organisations chosen with a fixed seed (Brandes' pivots: the same data always give the same estimate). Exact
# betweenness costs O(organisations × ties) per view: minutes for the views of a national network of thousands.
EXACT_BETWEENNESS_MAX: Final = 2000
BETWEENNESS_PIVOTS: Final = 256
BETWEENNESS_SEED: Final = 20130411

# Funder tier: organisations per sector group, in bands (lower bound, code).
SIZE_BANDS: Final = ((1, "1-4"), (5, "5-9"), (10, "10-24"), (25, "25-49"), (50, "50+"))


_A, _B = "a", "b"


def band_of(values: np.ndarray, bands: Iterable[tuple[int, str]]) -> np.ndarray:
    """The code of the band every value falls in (``bands`` ascending by lower bound; values below all: "")."""
    out = np.full(len(values), "", dtype=object)
    for low, code in bands:
        out[np.asarray(values) >= low] = code
    return out


def tie_edges(dataset: Dataset) -> pd.DataFrame:
    """Every tie in every view it belongs to: wave, tie_type, city, a, b (a < b), tie_types (pair weight)."""
    ties = dataset[T.TIES]
    src, tgt = ties[C.SOURCE_ORG].astype(str).to_numpy(), ties[C.TARGET_ORG].astype(str).to_numpy()
    typed = pd.DataFrame(
        {
            C.WAVE: ties[C.WAVE].astype(int).to_numpy(),
            C.TIE_TYPE: ties[C.TIE_TYPE].astype(str).to_numpy(),
            _A: np.minimum(src, tgt),
            _B: np.maximum(src, tgt),
        }
    ).drop_duplicates()
    typed[K.TIE_TYPES] = 1
    weight = typed.groupby([C.WAVE, _A, _B], as_index=False)[K.TIE_TYPES].sum()
    edges = pd.concat([weight.assign(**{C.TIE_TYPE: ALL}), typed], ignore_index=True)
    city = dataset[T.ORGANISATIONS].set_index(C.ORG_ID)[C.CITY].astype(str)
    city_a, city_b = edges[_A].map(city), edges[_B].map(city)
    local = city_a == city_b
    return pd.concat(
        [
            edges.assign(**{C.CITY: ALL}),
            edges[local].assign(**{C.CITY: city_a[local]}),
            edges[~local].assign(**{C.CITY: BETWEEN}),
        ],
        ignore_index=True,
    )[[*VIEW, _A, _B, K.TIE_TYPES]]


def view_index(dataset: Dataset, vocab: Vocabularies) -> pd.DataFrame:
    """Every view published, in display order (zero-tie views included: a zero is information too)."""
    present = set(dataset[T.ORGANISATIONS][C.CITY].astype(str))
    cities = [ALL, BETWEEN, *(c for c in vocab["city"].codes if c in present)]
    types = [ALL, *vocab["tie_type"].codes]
    index = pd.MultiIndex.from_product([dataset.waves, types, cities], names=list(VIEW))
    return index.to_frame(index=False)


def _level_pairs(edges: pd.DataFrame, level: pd.Series, codes: list[str]) -> pd.DataFrame:
    """Tie counts and contributors per view and unordered pair of levels (sector or sector group), all pairs."""
    pos = pd.Series(np.arange(len(codes)), index=codes)
    la = edges[_A].map(level).map(pos).to_numpy()
    lb = edges[_B].map(level).map(pos).to_numpy()
    swap = la > lb
    frame = edges[list(VIEW)].copy()
    frame["i"], frame["j"] = np.where(swap, lb, la), np.where(swap, la, lb)
    org_i, org_j = np.where(swap, edges[_B], edges[_A]), np.where(swap, edges[_A], edges[_B])
    keys = [*VIEW, "i", "j"]
    ties = frame.groupby(keys).size().rename(K.TIES)
    parts = [ties]
    if NR.KEY in edges:  # cell keys of the rounded tiers: the sum of the ties' record keys
        parts.append(NR.group_key_sums(frame.assign(**{NR.KEY: edges[NR.KEY].to_numpy()}), keys).rename(NR.KEY))
    diagonal = (frame["i"] == frame["j"]).to_numpy()
    sides = pd.concat(
        [frame.assign(org=org_i, side=0), frame.assign(org=org_j, side=np.where(diagonal, 0, 1))], ignore_index=True
    )
    contributors = sides.groupby([*keys, "side"])["org"].nunique().groupby(level=keys).min().rename("contributors")
    return pd.concat([*parts, contributors], axis=1).reset_index()


def matrix_grid(edges: pd.DataFrame, views: pd.DataFrame, level: pd.Series, codes: list[str]) -> pd.DataFrame:
    """The full matrix of every view: one row per view and pair ``i <= j`` with its ties and contributors."""
    pairs = pd.DataFrame([(i, j) for i in range(len(codes)) for j in range(i, len(codes))], columns=["i", "j"])
    grid = views.merge(pairs, how="cross")
    counts = _level_pairs(edges, level, codes)
    grid = grid.merge(counts, on=[*VIEW, "i", "j"], how="left")
    filled = [c for c in (K.TIES, "contributors", NR.KEY) if c in grid]
    grid[filled] = grid[filled].fillna(0).astype(np.int64)
    grid[K.SECTOR_A] = np.asarray(codes, dtype=object)[grid["i"].to_numpy()]
    grid[K.SECTOR_B] = np.asarray(codes, dtype=object)[grid["j"].to_numpy()]
    return grid


EMPTY_VIEW: Final = {
    K.TIES: 0,
    K.ORGS: 0,
    K.DENSITY: np.nan,
    K.COMPONENTS: 0,
    "cross_s": 0,
    NR.CROSS_GROUPS: 0,
    **dict.fromkeys((NR.KEY_TIES, NR.KEY_CROSS, NR.KEY_ORGS, NR.KEY_COMPONENTS), 0),
}


def _view_keys(e: pd.DataFrame, graph: nx.Graph, cross: pd.Series, org_key: pd.Series | None) -> dict[str, int]:
    """Cell keys of a view's counts: its ties, cross-group ties, organisations and components (see ``NR``)."""
    if org_key is None or NR.KEY not in e:
        return {}
    components = [min(map(str, part)) for part in nx.connected_components(graph)]
    return {
        NR.KEY_TIES: NR.key_sum(e[NR.KEY]),
        NR.KEY_CROSS: NR.key_sum(e.loc[cross.to_numpy(), NR.KEY]),
        NR.KEY_ORGS: NR.key_sum(org_key.reindex([str(o) for o in graph.nodes]).to_numpy()),
        NR.KEY_COMPONENTS: NR.key_sum(org_key.reindex(components).to_numpy()),
    }


def view_metrics(
    edges: pd.DataFrame, views: pd.DataFrame, sector: pd.Series, group: pd.Series, org_key: pd.Series | None = None
) -> pd.DataFrame:
    """Per view: ties, organisations, density, components and cross shares / E-I at sector and group level.

    With ``org_key`` (organisations' record keys) and tie keys in ``edges``, also the cell keys of the counts.
    """
    rows = []
    by_view = dict(iter(edges.groupby(list(VIEW), sort=False)))
    for view in views.itertuples(index=False, name=None):
        e = by_view.get(view)
        row = dict(zip(VIEW, view, strict=True))
        if e is None or e.empty:
            rows.append({**row, **EMPTY_VIEW})
            continue
        graph: nx.Graph[str] = nx.Graph()
        graph.add_edges_from(zip(e[_A], e[_B], strict=True))
        cross_g = e[_A].map(group) != e[_B].map(group)
        row.update(
            {
                K.TIES: len(e),
                K.ORGS: graph.number_of_nodes(),
                K.DENSITY: nx.density(graph),
                K.COMPONENTS: nx.number_connected_components(graph),
                "cross_s": int((e[_A].map(sector) != e[_B].map(sector)).sum()),
                NR.CROSS_GROUPS: int(cross_g.sum()),
                **_view_keys(e, graph, cross_g, org_key),
            }
        )
        rows.append(row)
    return pd.DataFrame(rows)


def shares(ties: pd.Series, cross: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Cross-sector share (percent) and E-I index ``(E - I) / (E + I)`` from ties and cross ties; NaN if no tie."""
    t = ties.astype("Float64")
    c = cross.astype("Float64")
    valid = t > 0
    pct = (100 * c / t.where(valid)).round(1)
    ei = ((2 * c - t) / t.where(valid)).round(3)
    return pct, ei


# ---------------------------------------------------------------------------------------------- public and funder


def protect_matrix(grid: pd.DataFrame, metrics: pd.DataFrame, n_codes: int) -> NR.MatrixMasks:
    """Hide matrix cells and view totals so that no small or few-organisation cell is shown or recoverable.

    Returns the hidden masks of the grid's rows, of the metrics rows (the view's tie total) and of their shares
    (cross or within ties hidden). The attacker is assumed to know every cell that is not hidden exactly, as if it
    were not rounded (also totals of views whose metrics are not shown), every relation between them, and that
    counts are non-negative integers: a conservative model, so the pattern also holds against rounded values.
    """
    sb = SystemBuilder()
    pair_keys = [("p", *v) for v in grid[[*VIEW, "i", "j"]].itertuples(index=False, name=None)]
    for key, ties, contrib in zip(pair_keys, grid[K.TIES], grid["contributors"], strict=True):
        few = 0 < contrib < MIN_CONTRIBUTORS and ties >= MIN_TIES
        sb.cell(key, int(ties), int(ties) + 1 if few else MIN_TIES)
    total_keys = []
    for view, ties, cross in zip(
        metrics[list(VIEW)].itertuples(index=False, name=None), metrics[K.TIES], metrics[NR.CROSS_GROUPS], strict=True
    ):
        total_keys.append(("t", *view, "total"))
        sb.cell(("t", *view, "total"), int(ties), MIN_TIES)
        sb.cell(("t", *view, "cross"), int(cross), MIN_TIES)
        sb.cell(("t", *view, "within"), int(ties - cross), MIN_TIES)
    pairs = [(i, j) for i in range(n_codes) for j in range(i, n_codes)]
    suffixes = [*pairs, "total", "cross", "within"]

    def cell_key(view: tuple, suffix: object) -> tuple:
        return ("p", *view, *suffix) if isinstance(suffix, tuple) else ("t", *view, suffix)

    for view in metrics[list(VIEW)].itertuples(index=False, name=None):
        sb.add_additive(cell_key(view, "total"), [cell_key(view, p) for p in pairs])
        sb.add_additive(cell_key(view, "total"), [cell_key(view, "cross"), cell_key(view, "within")])
        sb.add_additive(cell_key(view, "cross"), [cell_key(view, p) for p in pairs if p[0] != p[1]])
        sb.add_additive(cell_key(view, "within"), [cell_key(view, p) for p in pairs if p[0] == p[1]])
    waves, types, cities = (list(dict.fromkeys(metrics[c])) for c in VIEW)
    for wave in waves:
        for city in cities:  # tie types within "any type": each type <= any, and the types together >= any
            for suffix in suffixes:
                parts = [cell_key((wave, ty, city), suffix) for ty in types if ty != ALL]
                if parts:
                    sb.add_multi(cell_key((wave, ALL, city), suffix), parts)
        for ty in types:  # every tie is in one city or between cities
            for suffix in suffixes:
                parts = [cell_key((wave, ty, c), suffix) for c in cities if c != ALL]
                if parts:
                    sb.add_additive(cell_key((wave, ty, ALL), suffix), parts)
    system: CellSystem = sb.build()
    mask = secondary_suppress(system, np.zeros(system.n_cells, dtype=bool))
    grid_mask = mask[[sb.index(k) for k in pair_keys]]
    total_mask = mask[[sb.index(k) for k in total_keys]]
    share_mask = mask[[sb.index((*k[:-1], "cross")) for k in total_keys]]
    share_mask |= mask[[sb.index((*k[:-1], "within")) for k in total_keys]]
    return NR.MatrixMasks(grid_mask, total_mask, share_mask)


def published_matrix(grid: pd.DataFrame) -> pd.DataFrame:
    """Matrix rows of the coalition tier (exact): view, sector_a, sector_b, count, flag."""
    out = grid[[*VIEW, K.SECTOR_A, K.SECTOR_B]].copy()
    out[TB.COUNT] = pd.array(grid[K.TIES].to_numpy(), dtype="Int64")
    out[TB.FLAG] = ""
    return out.reset_index(drop=True)


def published_metrics(metrics: pd.DataFrame, cross_col: str) -> pd.DataFrame:
    """Metrics rows of the coalition tier (exact), every view."""
    out = metrics[list(VIEW)].copy()
    pct, ei = shares(metrics[K.TIES], metrics[cross_col])
    out[K.TIES] = metrics[K.TIES].astype("Int64")
    out[K.ORGS] = metrics[K.ORGS].astype("Int64")
    out[K.DENSITY] = metrics[K.DENSITY].round(4).astype("Float64")
    out[K.CROSS_SHARE] = pct
    out[K.EI] = ei
    out[K.COMPONENTS] = metrics[K.COMPONENTS].astype("Int64")
    out[TB.FLAG] = ""
    return out.reset_index(drop=True)


def low_tables(group_grid: pd.DataFrame, metrics: pd.DataFrame, n_groups: int) -> dict[str, pd.DataFrame]:
    """The matrix and measures public and funder tiers publish: protected, then rounded (``network_rounding``)."""
    try:
        masks = protect_matrix(group_grid, metrics, n_groups)
    except SuppressionError:  # no safe pattern found: publish no count rather than a risky one
        every = np.ones(len(metrics), dtype=bool)
        masks = NR.MatrixMasks(np.ones(len(group_grid), dtype=bool), every, every)
    return {
        NW.MATRIX: NR.rounded_matrix(group_grid, masks.grid),
        NW.METRICS: NR.rounded_metrics(metrics, masks, MIN_TIES, MIN_VIEW_ORGS),
    }


def group_bands(edges: pd.DataFrame, group: pd.Series) -> pd.DataFrame:
    """Funder tier: organisations per sector group in every view, banded (groups with none are absent)."""
    ends = pd.concat([edges[[*VIEW, _A]].rename(columns={_A: "org"}), edges[[*VIEW, _B]].rename(columns={_B: "org"})])
    ends[K.SECTOR_A] = ends["org"].map(group)
    n = ends.groupby([*VIEW, K.SECTOR_A])["org"].nunique().rename("n").reset_index()
    n[K.SIZE_BAND] = band_of(n["n"].to_numpy(), SIZE_BANDS)
    return n[[*VIEW, K.SECTOR_A, K.SIZE_BAND]]


# ------------------------------------------------------------------------------------------------------ coalition


def pseudonyms(orgs: pd.DataFrame, secret: bytes) -> pd.Series:
    """A stable number per organisation within its sector, ranked by an HMAC of its id (ids never published)."""
    digest = [hmac.digest(secret, str(o).encode("utf-8"), hashlib.sha256).hex() for o in orgs[C.ORG_ID]]
    ranked = pd.DataFrame({C.SECTOR: orgs[C.SECTOR].to_numpy(), "h": digest}, index=orgs[C.ORG_ID].to_numpy())
    return ranked.groupby(C.SECTOR)["h"].rank(method="first").astype(int)


def betweenness(graph: nx.Graph) -> dict:
    """Normalised betweenness of every organisation, computed with igraph (Brandes' algorithm in C).

    Exact in views of up to ``EXACT_BETWEENNESS_MAX`` organisations. In larger ones it is estimated from the
    shortest paths of ``BETWEENNESS_PIVOTS`` source organisations drawn with a fixed seed, scaled up by
    organisations / pivots (Brandes and Pich's pivot estimate): the same data always give the same estimate.
    """
    nodes = list(graph.nodes)
    n = len(nodes)
    if n < 3:
        return dict.fromkeys(nodes, 0.0)
    position = {node: i for i, node in enumerate(nodes)}
    network = ig.Graph(n=n, edges=[(position[a], position[b]) for a, b in graph.edges])
    scale = 2.0 / ((n - 1) * (n - 2))  # networkx's normalisation for undirected graphs
    if n <= EXACT_BETWEENNESS_MAX:
        raw = network.betweenness(directed=False)
    else:
        pivots = sorted(random.Random(BETWEENNESS_SEED).sample(range(n), BETWEENNESS_PIVOTS))
        raw = network.betweenness(directed=False, sources=pivots, targets=None)
        scale *= n / BETWEENNESS_PIVOTS
    return {node: value * scale for node, value in zip(nodes, raw, strict=True)}


def _place(nodes: pd.DataFrame, e: pd.DataFrame, node_id: pd.Series) -> None:
    """Add every organisation's drawing rank and, for the best ranked, its position (``network_layout``)."""
    ranks = NS.draw_ranks(nodes["org"].map(node_id), nodes[K.DEGREE], nodes[K.BETWEENNESS])
    row_of = {org: i for i, org in enumerate(nodes["org"])}
    pairs = [(row_of[a], row_of[b]) for a, b in zip(e[_A], e[_B], strict=True)]
    nodes[NS.DRAW_RANK] = ranks
    nodes[NS.X], nodes[NS.Y] = NL.positions(ranks, pairs)


def org_tables(edges: pd.DataFrame, orgs: pd.DataFrame, group: pd.Series, secret: bytes) -> dict[str, pd.DataFrame]:
    """Coalition tier: nodes (named only with consent), edges and top brokers of every view."""
    edges = edges.reset_index(drop=True)
    info = orgs.set_index(C.ORG_ID)
    number = pseudonyms(orgs, secret)
    node_id = info[C.SECTOR].astype(str) + "-" + number.reindex(info.index).astype(str)
    consent = info[C.CONSENT_NAMED].fillna(False).astype(bool) if C.CONSENT_NAMED in info else False
    raw_name = info[C.NAME] if C.NAME in info else pd.Series(pd.NA, index=info.index)
    name = raw_name.where(consent & raw_name.notna() & (raw_name.astype(str).str.strip() != ""))
    sector = info[C.SECTOR].astype(str)
    is_cross = (edges[_A].map(sector) != edges[_B].map(sector)).to_numpy()
    node_rows, broker_rows = [], []
    for view, e in edges.groupby(list(VIEW), sort=False):
        graph: nx.Graph[str] = nx.Graph()
        graph.add_edges_from(zip(e[_A], e[_B], strict=True))
        between = betweenness(graph)
        cross = is_cross[e.index.to_numpy()]
        cross_n = pd.concat([e.loc[cross, _A], e.loc[cross, _B]]).value_counts()
        nodes = pd.DataFrame({"org": list(graph.nodes)})
        nodes[K.DEGREE] = [graph.degree(o) for o in nodes["org"]]
        nodes[K.BETWEENNESS] = [round(between[o], 4) for o in nodes["org"]]
        nodes[K.CROSS_TIES] = nodes["org"].map(cross_n).fillna(0).astype(int)
        _place(nodes, e, node_id)
        view_values: tuple[Any, ...] = view  # the group's (wave, tie type, city)
        for col, value in zip(VIEW, view_values, strict=True):
            nodes[col] = value
        node_rows.append(nodes)
        top = nodes[nodes[K.BETWEENNESS] > 0].sort_values([K.BETWEENNESS, K.DEGREE], ascending=False)
        top = top.assign(_id=top["org"].map(node_id)).sort_values([K.BETWEENNESS, K.DEGREE, "_id"], ascending=False)
        broker_rows.append(top.head(TOP_BROKERS).assign(**{K.RANK: np.arange(1, min(len(top), TOP_BROKERS) + 1)}))
    nodes = pd.concat(node_rows, ignore_index=True)
    brokers = pd.concat(broker_rows, ignore_index=True)

    def describe(frame: pd.DataFrame) -> pd.DataFrame:
        org = frame["org"]
        frame = frame.assign(
            **{
                K.NODE: org.map(node_id),
                C.SECTOR: org.map(sector),
                C.SECTOR_GROUP: org.map(group),
                K.NAME: org.map(name).astype(object),
                K.PSEUDONYM: org.map(number).astype(int),
                K.MEMBER: org.map(info[C.COALITION_MEMBER].astype(bool)),
            }
        )
        return frame.drop(columns="org")

    nodes = describe(nodes)[
        [
            *VIEW,
            K.NODE,
            C.SECTOR,
            C.SECTOR_GROUP,
            K.NAME,
            K.PSEUDONYM,
            K.MEMBER,
            K.DEGREE,
            K.BETWEENNESS,
            K.CROSS_TIES,
            NS.DRAW_RANK,
            NS.X,
            NS.Y,
        ]
    ]
    brokers = describe(brokers)[[*VIEW, K.RANK, K.NODE, C.SECTOR, K.NAME, K.PSEUDONYM, K.BETWEENNESS, K.DEGREE]]
    out_edges = pd.DataFrame(
        {
            **{c: edges[c].to_numpy() for c in VIEW},
            K.SOURCE: edges[_A].map(node_id).to_numpy(),
            K.TARGET: edges[_B].map(node_id).to_numpy(),
            K.CROSS: is_cross,
            K.TIE_TYPES: edges[K.TIE_TYPES].to_numpy(),
        }
    )
    return {NW.NODES: nodes.reset_index(drop=True), NW.EDGES: out_edges, NW.BROKERS: brokers.reset_index(drop=True)}


# ---------------------------------------------------------------------------------- respondents joined to the network


def cross_partners(edges: pd.DataFrame, sector: pd.Series) -> pd.Series:
    """Per (wave, org): number of partner organisations of another sector (any tie type, all cities)."""
    e = edges[(edges[C.TIE_TYPE] == ALL) & (edges[C.CITY] == ALL)]
    e = e[e[_A].map(sector) != e[_B].map(sector)]
    ends = pd.concat([e[[C.WAVE, _A]].rename(columns={_A: "org"}), e[[C.WAVE, _B]].rename(columns={_B: "org"})])
    return ends.groupby([C.WAVE, "org"]).size()


def contact_counts(dataset: Dataset, partners: pd.Series, secret: bytes) -> pd.DataFrame:
    """Per wave and band: yes / no / unsure respondents and the cell keys of yes (k), answered (n) and o = n - k."""
    resp = dataset[T.RESPONDENTS]
    org = resp[C.ORG_ID] if C.ORG_ID in resp else pd.Series(pd.NA, index=resp.index)
    lookup = pd.MultiIndex.from_arrays([resp[C.WAVE].astype(int), org.astype(str)])
    n_partners = partners.reindex(lookup).fillna(0).to_numpy()
    band = np.where(org.isna().to_numpy(), NO_ORG, band_of(n_partners, CROSS_BANDS))
    waves = dataset.waves
    code = pd.Series(np.arange(len(waves)), index=waves)[resp[C.WAVE].astype(int)].to_numpy() * len(BAND_CODES)
    code = code + pd.Series(np.arange(len(BAND_CODES)), index=BAND_CODES)[band].to_numpy()
    keys = record_keys(resp[C.RESPONDENT_ID].to_numpy(dtype=str), secret)
    contact = resp[C.CONTACT].astype(object)
    n_groups = len(waves) * len(BAND_CODES)
    out = pd.MultiIndex.from_product([waves, BAND_CODES], names=[C.WAVE, K.BAND]).to_frame(index=False)
    answered = contact.notna().to_numpy()
    for name, sel in (("yes", contact == "yes"), ("no", contact == "no"), ("unsure", contact == "unsure")):
        out[name] = np.bincount(code[sel.to_numpy()], minlength=n_groups)
    for name, chosen in (("k", (contact == "yes").to_numpy()), ("n", answered), ("o", answered & (contact != "yes"))):
        out[f"key_{name}"] = cell_keys(code[chosen], keys[chosen], n_groups)
    out["k"], out["o"] = out["yes"], out["no"] + out["unsure"]
    out["n"] = out["k"] + out["o"]
    return out


def protect_contact(counts: pd.DataFrame) -> np.ndarray:
    """One suppression pattern for every tier (the strictest rules), over k, n and the implied o = n - k.

    Wave totals are published elsewhere in the release, so they are known to the attacker and never hidden here.
    """
    threshold = max(policy_for(t).threshold(sensitive=True) for t in TIERS)
    class_min = max(policy_for(t).class_disclosure_min_group or 0 for t in TIERS)
    sb = SystemBuilder()
    mask_keys: list[tuple] = []
    columns = [C.WAVE, K.BAND, "k", "n", "o", "yes", "no", "unsure"]
    for wave, band, k, n, o, yes, no, unsure in counts[columns].itertuples(index=False, name=None):
        for part, value in (("k", k), ("n", n), ("o", o)):
            sb.cell((part, wave, band), value, threshold)
        sb.add_additive(("n", wave, band), [("k", wave, band), ("o", wave, band)])
        top = max(yes, no, unsure)
        if 0 < n < class_min and top >= CLASS_DISCLOSURE_SHARE * n:
            mask_keys += [(part, wave, band) for part in ("k", "n", "o")]
    for wave, rows in counts.groupby(C.WAVE, sort=False):
        for part in ("k", "n", "o"):
            sb.cell((part, wave, "total"), int(rows[part].sum()), 0)
            sb.add_additive((part, wave, "total"), [(part, wave, b) for b in rows[K.BAND]])
        sb.add_additive(("n", wave, "total"), [("k", wave, "total"), ("o", wave, "total")])
    system = sb.build()
    start = np.zeros(system.n_cells, dtype=bool)
    start[[sb.index(k) for k in mask_keys]] = True
    eligible = np.ones(system.n_cells, dtype=bool)
    eligible[[sb.index((p, w, "total")) for w in counts[C.WAVE].unique() for p in ("k", "n", "o")]] = False
    mask = secondary_suppress(system, start, eligible=eligible)
    hidden_k = mask[[sb.index(("k", w, b)) for w, b in zip(counts[C.WAVE], counts[K.BAND], strict=True)]]
    hidden_n = mask[[sb.index(("n", w, b)) for w, b in zip(counts[C.WAVE], counts[K.BAND], strict=True)]]
    return np.stack([hidden_k, hidden_n], axis=1)


def published_contact(counts: pd.DataFrame, hidden: np.ndarray, tier: str) -> pd.DataFrame:
    """The join table of one tier: k (``count``) of n with a share and Wilson interval only from published counts."""
    policy = policy_for(tier)
    k, n = counts["k"].to_numpy(np.int64), counts["n"].to_numpy(np.int64)
    if policy.rounded:
        n = round_base5(n, counts["key_n"].to_numpy(np.uint32))
        k = np.minimum(round_base5(k, counts["key_k"].to_numpy(np.uint32)), n)
    hide_k, hide_n = hidden[:, 0], hidden[:, 1]
    out = counts[[C.WAVE, K.BAND]].copy()
    out[TB.COUNT] = pd.array(np.where(hide_k, 0, k), dtype="Int64")
    out.loc[hide_k, TB.COUNT] = pd.NA
    out[TB.FLAG] = np.where(hide_k, TB.SUPPRESSED, "")
    out[TB.N] = pd.array(np.where(hide_n, 0, n), dtype="Int64")
    out.loc[hide_n, TB.N] = pd.NA
    ok = ~hide_k & ~hide_n & (n > 0) & (n >= max(policy.min_group_size, 1))
    lo, hi = wilson(np.where(ok, k, 0), np.where(ok, n, 1))
    out[TB.PCT] = pd.array(np.where(ok, np.round(100 * k / np.maximum(n, 1), 1), np.nan), dtype="Float64")
    out[TB.CI_LO] = pd.array(np.where(ok, np.round(100 * lo, 1), np.nan), dtype="Float64")
    out[TB.CI_HI] = pd.array(np.where(ok, np.round(100 * hi, 1), np.nan), dtype="Float64")
    flags = np.asarray(quality_flag(np.where(ok, k, 0), np.where(ok, n, 1)), dtype=object)
    out[TB.PCT_FLAG] = np.where(ok, flags, TB.SUPPRESSED)
    return out.reset_index(drop=True)


# ---------------------------------------------------------------------------------------------------------- builder


def build_tables(dataset: Dataset, vocab: Vocabularies, secret: bytes) -> dict[str, dict[str, pd.DataFrame]]:
    """The release builder's extension point: ``{tier: {table name: published table}}`` for every tier."""
    orgs = dataset[T.ORGANISATIONS]
    if orgs.empty or dataset[T.TIES].empty:
        return {}  # no network reported: the page says so
    sector = orgs.set_index(C.ORG_ID)[C.SECTOR].astype(str)
    group = sector.map(vocab.sector_group_of())
    edges = tie_edges(dataset)
    edges[NR.KEY] = NR.tie_keys(edges[_A], edges[_B], secret)
    views = view_index(dataset, vocab)
    metrics = view_metrics(edges, views, sector, group, NR.org_keys(orgs[C.ORG_ID], secret))
    groups = list(vocab["sector_group"].codes)
    low = low_tables(matrix_grid(edges, views, group, groups), metrics, len(groups))
    sector_grid = matrix_grid(edges, views, sector, list(vocab["sector"].codes))
    counts = contact_counts(dataset, cross_partners(edges, sector), secret)
    try:
        contact_hidden = protect_contact(counts)
    except SuppressionError:
        contact_hidden = np.ones((len(counts), 2), dtype=bool)
    out: dict[str, dict[str, pd.DataFrame]] = {
        Tier.PUBLIC: dict(low),
        Tier.FUNDER: {**low, NW.GROUPS: group_bands(edges, group)},
        Tier.COALITION: {
            NW.MATRIX: published_matrix(sector_grid),
            NW.METRICS: published_metrics(metrics, "cross_s"),
            **org_tables(edges, orgs, group, secret),
        },
    }
    for tier in TIERS:
        out[tier][NW.CONTACT] = published_contact(counts, contact_hidden, tier)
    return require_extras(out)
