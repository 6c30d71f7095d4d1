"""Which organisations the coalition network graph draws, and where: decided when the release is built (issue 17).

A view of a national network can hold thousands of organisations; no browser draws that in time, and a force layout
computed in the browser costs seconds even for a few hundred. So the builder ranks every
organisation of a view (most partners first, then betweenness, then the published node id: deterministic) and
lays out the ``LAYOUT_MAX`` best ranked with a Fruchterman–Reingold layout (igraph, in C) from fixed start
positions on a circle and igraph's random numbers from a fixed seed: the same data always give the same
picture. The page draws the first ``DASHBOARD_NETWORK_NODES`` of them at these positions, as a plotly figure
(``dashboard.figures.network.org_figure``: nothing is laid out in the browser), and summarises the rest by sector.
"""

from __future__ import annotations

import random
from typing import Final

import igraph as ig
import numpy as np

LAYOUT_MAX: Final = 300  # organisations per view that get positions (the most the page may draw)
LAYOUT_ITERATIONS: Final = 300
LAYOUT_SEED: Final = 20130411  # igraph's layout draws random displacements: from this seed, every view
LAYOUT_SCALE: Final = 100.0  # positions are published rounded to 0.1 on roughly this scale


def _circle(n: int) -> list[list[float]]:
    angles = 2 * np.pi * np.arange(n) / max(n, 1)
    return np.column_stack([np.cos(angles), np.sin(angles)]).tolist()


def _layout(graph: ig.Graph) -> np.ndarray:
    """Fruchterman–Reingold from a circle, with igraph's random numbers drawn from ``LAYOUT_SEED``."""
    ig.set_random_number_generator(random.Random(LAYOUT_SEED))
    try:
        layout = graph.layout_fruchterman_reingold(seed=_circle(graph.vcount()), niter=LAYOUT_ITERATIONS, grid=False)
    finally:
        ig.set_random_number_generator(random)
    return np.asarray(layout.coords, dtype=float)


def positions(ranks: np.ndarray, pairs: list[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
    """x, y of the organisations ranked up to ``LAYOUT_MAX`` (NaN beyond), from the ties among them.

    ``pairs`` are ties as row positions of ``ranks``. Start positions lie on a circle in rank order, so the
    layout depends on the data alone.
    """
    n = len(ranks)
    x, y = np.full(n, np.nan), np.full(n, np.nan)
    placed = np.flatnonzero(ranks <= LAYOUT_MAX)
    if placed.size == 0:
        return x, y
    placed = placed[np.argsort(ranks[placed])]
    local = {int(row): i for i, row in enumerate(placed)}
    ties = [(local[a], local[b]) for a, b in pairs if a in local and b in local]
    graph = ig.Graph(n=placed.size, edges=ties)
    if placed.size == 1:
        coords = np.zeros((1, 2))
    else:
        coords = _layout(graph)
        coords -= coords.mean(axis=0)
        span = float(np.abs(coords).max()) or 1.0
        coords *= LAYOUT_SCALE / span * np.sqrt(placed.size)
    x[placed], y[placed] = np.round(coords[:, 0], 1), np.round(coords[:, 1], 1)
    return x, y
