"""Betweenness at any scale: exact (igraph) in ordinary views, a seeded estimate in national-scale ones."""

import networkx as nx
import pytest

from dashboard.release import network as NW


@pytest.mark.parametrize(("n", "m", "seed"), [(3, 2, 1), (40, 80, 2), (400, 700, 3)])
def test_nb001_exact_betweenness_equals_networkx(n, m, seed):
    graph = nx.relabel_nodes(nx.gnm_random_graph(n, m, seed=seed), lambda i: f"O{i:04d}")
    ours = NW.betweenness(graph)
    reference = nx.betweenness_centrality(graph, normalized=True)
    assert set(ours) == set(reference)
    assert max(abs(ours[k] - reference[k]) for k in graph.nodes) < 1e-12


def test_nb002_large_views_are_estimated_the_same_way_every_time():
    n = NW.EXACT_BETWEENNESS_MAX + 50
    graph = nx.relabel_nodes(nx.barabasi_albert_graph(n, 2, seed=4), lambda i: f"O{i:05d}")
    first, second = NW.betweenness(graph), NW.betweenness(graph)
    assert first == second
    exact = nx.betweenness_centrality(graph, normalized=True)
    top_exact = max(exact, key=exact.get)
    assert top_exact in sorted(first, key=first.get, reverse=True)[:5]  # the main broker is still found


def test_nb003_tiny_views_have_no_brokers():
    graph = nx.Graph([("a", "b")])
    assert NW.betweenness(graph) == {"a": 0.0, "b": 0.0}
