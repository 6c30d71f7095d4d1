"""Pure network figure builders: published rows in, figures / sentences / CSV out."""

from __future__ import annotations

import csv
import io

import numpy as np
import pandas as pd
import pytest

from dashboard.data.vocab import vocabularies
from dashboard.figures import network as F
from dashboard.figures import network_charts as FC
from dashboard.published import export as EX
from dashboard.published import network_schema as NS
from dashboard.published import table as TB
from dashboard.release import network_layout as NL
from dashboard.release.network import ALL, NW, K

GROUPS = vocabularies()["sector_group"].label_map("en")
SECTORS = vocabularies()["sector"].label_map("en")
GROUP_OF = vocabularies().sector_group_of()


def _matrix(cells: dict[tuple[str, str], float | None]) -> pd.DataFrame:
    rows = [
        {
            "wave": 2024,
            "tie_type": ALL,
            "city": ALL,
            K.SECTOR_A: a,
            K.SECTOR_B: b,
            TB.COUNT: v,
            TB.FLAG: TB.SUPPRESSED if v is None else "",
        }
        for (a, b), v in cells.items()
    ]
    frame = pd.DataFrame(rows)
    frame[TB.COUNT] = frame[TB.COUNT].astype("Int64")
    return frame


MATRIX = _matrix(
    {
        ("enforcement_border", "enforcement_border"): 12,
        ("enforcement_border", "government"): None,
        ("enforcement_border", "community_settlement"): 30,
        ("government", "government"): 0,
        ("government", "community_settlement"): None,
        ("community_settlement", "community_settlement"): 44,
    }
)


def _nodes(fig: dict) -> dict:
    """The graph's node trace (the last one: markers drawn over the lines)."""
    trace = fig["data"][-1]
    assert trace["mode"].startswith("markers")
    return trace


def _lines(fig: dict) -> list[dict]:
    return [trace for trace in fig["data"] if trace["mode"] == "lines"]


def _group_labels(fig: dict) -> dict[str, str]:
    """The count written on each line of a sector-group graph, by the pair it names on hover."""
    text = next(trace for trace in fig["data"] if trace["mode"] == "text")
    pairs = zip(text["hovertext"], text["text"], strict=True)
    return {hover.rsplit(":", 1)[0].strip(): label for hover, label in pairs}


def test_nf001_group_network_shows_published_counts_and_marks_hidden_ones():
    fig = F.group_figure(MATRIX, GROUPS)
    nodes = _nodes(fig)
    assert nodes["text"] == ["Enforcement & border", "Government", "Community & settlement services"]  # vocab order
    assert nodes["marker"]["color"] == [F.GROUP_COLOURS[c] for c in GROUPS if c != "health_legal_other"]
    labels = _group_labels(fig)
    assert "Government × Government" not in labels  # a published zero draws no line
    assert labels["Enforcement & border × Government"] == TB.SUPPRESSED
    assert labels["Enforcement & border × Community & settlement services"] == "30"
    lines = _lines(fig)
    assert len(lines) == len(labels) == 5
    dashed = [line for line in lines if line["line"]["dash"] == "dash"]
    assert len(dashed) == 2 and {line["line"]["color"] for line in dashed} == {F.HIDDEN_EDGE}
    assert max(line["line"]["width"] for line in lines) == F.EDGE_MAX  # the largest count, 44 within a group
    loop = next(line for line in lines if line["line"]["width"] == F.EDGE_MAX)
    assert len(loop["x"]) > 2 and loop["x"][0] == pytest.approx(loop["x"][-1])  # a loop: within one group
    assert all(size == F.GROUP_NODE for size in nodes["marker"]["size"])  # public: no node sizes
    assert "Ties: 44" in nodes["hovertext"][2]


def test_nf002_funder_nodes_are_sized_by_band_only():
    bands = pd.DataFrame({K.SECTOR_A: ["enforcement_border", "community_settlement"], K.SIZE_BAND: ["1-4", "25-49"]})
    nodes = _nodes(F.group_figure(MATRIX, GROUPS, bands))
    size = dict(zip(nodes["text"], nodes["marker"]["size"], strict=True))
    assert size["Enforcement & border (1-4)"] < size["Community & settlement services (25-49)"]
    assert size["Government"] == F.GROUP_NODE
    assert "Organisations: 25-49" in nodes["hovertext"][2]


def test_nf012_group_graph_is_a_circle_without_axes_drawn_the_same_every_time():
    fig = F.group_figure(MATRIX, GROUPS)
    assert fig == F.group_figure(MATRIX.sample(frac=1, random_state=3).reset_index(drop=True), GROUPS)
    nodes = _nodes(fig)
    assert nodes["x"][0] == pytest.approx(0) and nodes["y"][0] == pytest.approx(1)  # the first at the top
    assert np.hypot(nodes["x"], nodes["y"]) == pytest.approx(np.ones(3))
    layout = fig["layout"]
    for axis in ("xaxis", "yaxis"):
        assert layout[axis]["visible"] is False and layout[axis]["showgrid"] is False
    assert layout["yaxis"]["scaleanchor"] == "x" and layout["yaxis"]["scaleratio"] == 1  # equal aspect
    assert {trace["type"] for trace in fig["data"]} == {"scatter"}  # in the app's partial plotly.js
    every = [v for trace in fig["data"] for v in trace["x"] if v is not None]
    assert layout["xaxis"]["range"][0] < min(every) and max(every) < layout["xaxis"]["range"][1]


def test_nf013_group_counts_read_in_french():
    cells = {("community_settlement", "community_settlement"): 1225, ("community_settlement", "government"): None}
    fig = F.group_figure(_matrix(cells), GROUPS, lang="fr")
    labels = _group_labels(fig)
    assert labels == {
        "Community & settlement services × Government": TB.SUPPRESSED,
        "Community & settlement services × Community & settlement services": "1\u00a0225",
    }
    assert fig["layout"]["separators"] == ",\u00a0"
    assert "Liens\u00a0: 1\u00a0225" in _nodes(fig)["hovertext"][1]


def _org_view() -> tuple[pd.DataFrame, pd.DataFrame]:
    nodes = pd.DataFrame(
        {
            K.NODE: ["ngo_social_services-1", "ngo_social_services-7", "law_enforcement-2"],
            "sector": ["ngo_social_services", "ngo_social_services", "law_enforcement"],
            K.NAME: ["Shelter (synthetic)", None, None],
            K.PSEUDONYM: [1, 7, 2],
            K.DEGREE: [2, 1, 1],
            K.BETWEENNESS: [1.0, 0.0, 0.0],
        }
    )
    edges = pd.DataFrame(
        {
            K.SOURCE: ["ngo_social_services-1", "law_enforcement-2"],
            K.TARGET: ["ngo_social_services-7", "ngo_social_services-1"],
            K.CROSS: [False, True],
            K.TIE_TYPES: [1, 3],
        }
    )
    return nodes, edges


def test_nf003_organisations_named_only_with_consent_else_pseudonym():
    nodes, edges = _org_view()
    assert F.org_labels(nodes, SECTORS) == ["Shelter (synthetic)", "NGO / social services 7", "Law enforcement 2"]
    fig = F.org_figure(nodes, edges, SECTORS, GROUP_OF)
    hover = _nodes(fig)["text"]
    assert [h.split("<br>")[0] for h in hover] == [
        "Shelter (synthetic)",
        "NGO / social services 7",
        "Law enforcement 2",
    ]
    assert hover[0] == "Shelter (synthetic)<br>NGO / social services<br>Partners: 2<br>Betweenness: 1.000"
    shapes = F.sector_shapes(GROUP_OF)
    for group in set(GROUP_OF.values()):  # within a group every sector has its own shape
        members = [s for s, g in GROUP_OF.items() if g == group]
        assert len({shapes[s] for s in members}) == len(members)
    marker = _nodes(fig)["marker"]
    assert marker["symbol"] == [shapes["ngo_social_services"]] * 2 + [shapes["law_enforcement"]]
    assert marker["color"][0] == F.GROUP_COLOURS[GROUP_OF["ngo_social_services"]]
    lines = {line["line"]["color"]: line for line in _lines(fig)}  # one trace per width and colour
    assert set(lines) == {F.CROSS_EDGE, F.WITHIN_EDGE}
    assert lines[F.CROSS_EDGE]["line"]["width"] > lines[F.WITHIN_EDGE]["line"]["width"]  # 3 types against 1
    assert lines[F.WITHIN_EDGE]["x"][2] is None and len(lines[F.WITHIN_EDGE]["x"]) == 3  # segments end in None


def test_nf004_size_by_betweenness_differs_from_degree_and_rejects_other_values():
    nodes, edges = _org_view()

    def sizes(size_by: str) -> list[float]:
        return _nodes(F.org_figure(nodes, edges, SECTORS, GROUP_OF, size_by))["marker"]["size"]

    by_degree, by_between = sizes(K.DEGREE), sizes(K.BETWEENNESS)
    assert by_degree[0] == by_between[0] == F.NODE_MAX
    assert by_between[1] == F.NODE_MIN
    with pytest.raises(ValueError):
        F.org_figure(nodes, edges, SECTORS, GROUP_OF, "org_id")


def test_nf014_organisations_without_positions_are_drawn_on_a_circle_in_rank_order():
    nodes, edges = _org_view()
    x, y = F.org_positions(nodes)  # no published positions: most partners at the top
    assert (x[0], y[0]) == pytest.approx((0, 1)) and np.hypot(x, y) == pytest.approx(np.ones(3))
    assert F.org_figure(nodes, edges, SECTORS, GROUP_OF) == F.org_figure(nodes, edges, SECTORS, GROUP_OF)
    placed = nodes.assign(**{NS.X: [10.0, -20.0, 5.5], NS.Y: [3.0, 4.0, -8.0]})
    x, y = F.org_positions(placed)
    assert list(x) == [10.0, -20.0, 5.5] and list(y) == [-3.0, -4.0, 8.0]  # a screen's y runs down, plotly's up
    some = placed.assign(**{NS.X: [10.0, None, 5.5]})
    assert np.hypot(*F.org_positions(some)) == pytest.approx(np.ones(3))  # one missing: the circle for all
    fr = _nodes(F.org_figure(placed.assign(**{K.BETWEENNESS: [0.125, 0.0, 0.0]}), edges, SECTORS, GROUP_OF, lang="fr"))
    assert fr["text"][0].endswith("Partenaires\u00a0: 2<br>Intermédiarité\u00a0: 0,125")
    empty = F.org_figure(nodes.head(0), edges.head(0), SECTORS, GROUP_OF)
    assert _nodes(empty)["x"] == [] and "range" not in empty["layout"]["xaxis"]


def test_nf005_heatmap_is_symmetric_with_x_for_hidden_cells():
    fig = FC.heatmap(MATRIX, GROUPS)
    z = np.array(fig["data"][0]["z"], dtype=float)
    np.testing.assert_array_equal(np.nan_to_num(z, nan=-1), np.nan_to_num(z.T, nan=-1))
    text = np.array(fig["data"][0]["text"])
    assert (text[np.isnan(z)] == TB.SUPPRESSED).all() and np.isnan(z).sum() == 4
    assert list(fig["data"][0]["x"]) == ["Enforcement & border", "Government", "Community & settlement services"]


def test_nf006_trend_and_contact_charts_show_gaps_for_hidden_values():
    metrics = pd.DataFrame({"wave": [2020, 2022, 2024], K.CROSS_SHARE: pd.array([40.0, None, 55.5], "Float64")})
    fig = FC.share_trend(metrics)
    assert list(fig["data"][0]["text"]) == ["40.0%", TB.SUPPRESSED, "55.5%"]
    assert pd.isna(fig["data"][0]["y"][1])
    assert FC.trend_summary(metrics) == "The cross-sector share of ties went from 40.0% in 2020 to 55.5% in 2024."
    contact = pd.DataFrame(
        {
            K.BAND: ["0", "1-2", "6+"],
            TB.COUNT: pd.array([20, None, 15], "Int64"),
            TB.N: pd.array([50, 40, 20], "Int64"),
            TB.PCT: pd.array([40.0, None, 75.0], "Float64"),
            TB.CI_LO: pd.array([27.6, None, 53.1], "Float64"),
            TB.CI_HI: pd.array([53.8, None, 88.8], "Float64"),
            TB.PCT_FLAG: ["", TB.SUPPRESSED, "E"],
        }
    )
    bands = {"0": "none", "1-2": "one or two", "6+": "six or more"}
    bars = FC.contact_bars(contact, bands)
    assert list(bars["data"][0]["text"]) == [
        "40.0% (20 of 50)",
        TB.SUPPRESSED,
        "75.0% (15 of 20) E",
    ]  # "k of n", as every page
    assert FC.contact_summary(contact, bands) == "Reported contact ranged from 40.0% (none) to 75.0% (six or more)."


def test_nf007_summaries_name_the_largest_pair_and_count_hidden_cells():
    assert FC.matrix_summary(MATRIX, GROUPS) == (
        "The most frequent collaboration is within Community & settlement services (44 ties); 2 of 6 pairs are hidden."
    )
    all_hidden = MATRIX.assign(**{TB.COUNT: pd.array([None] * len(MATRIX), "Int64")})
    assert FC.matrix_summary(all_hidden, GROUPS, "fr").startswith("Aucun nombre de liens")
    nodes, edges = _org_view()
    brokers = nodes.head(1).assign(**{K.RANK: 1})
    assert FC.org_summary(nodes, edges, brokers, SECTORS) == (
        "3 organisations linked by 2 ties; 1 are named, the others shown by pseudonym; the top broker is "
        "Shelter (synthetic)."
    )


def test_nf008_csv_exports_neutralise_spreadsheet_formulas():
    frame = pd.DataFrame(
        {
            K.NAME: ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "\tTab", "\rCR", "\0nul", "Plain", None],
            TB.COUNT: pd.array([1, 2, 3, 4, 5, 6, 7, 8, None], "Int64"),
        }
    )
    text = EX.to_csv(frame)
    assert text.startswith(EX.BOM)  # Excel then reads it as UTF-8
    header, *rows = list(csv.reader(io.StringIO(text.removeprefix(EX.BOM), newline="")))
    assert header == [K.NAME, TB.COUNT] and len(rows) == len(frame)
    names = [r[0] for r in rows]
    assert all(v == "" or v[0] not in EX.FORMULA_STARTS for v in names)
    assert names[0].startswith("'=") and names[5] == "'\rCR" and names[7] == "Plain"
    assert [r[1] for r in rows] == ["1", "2", "3", "4", "5", "6", "7", "8", ""]


def test_nf009_builders_work_on_the_published_demo_tables(demo_releases):
    public = demo_releases["public"].extras[NW.MATRIX]
    view = public[(public["wave"] == 2024) & (public["tie_type"] == ALL) & (public["city"] == ALL)]
    assert len(view) == 10  # four sector groups: 4 × 5 / 2 pairs
    assert FC.matrix_summary(view, GROUPS).startswith("The most frequent collaboration")
    coalition = demo_releases["coalition"].extras
    nodes = coalition[NW.NODES]
    nodes = nodes[(nodes["wave"] == 2024) & (nodes["tie_type"] == ALL) & (nodes["city"] == ALL)]
    edges = coalition[NW.EDGES]
    edges = edges[(edges["wave"] == 2024) & (edges["tie_type"] == ALL) & (edges["city"] == ALL)]
    fig = F.org_figure(nodes, edges, SECTORS, GROUP_OF)
    assert len(_nodes(fig)["x"]) == len(nodes)
    assert sum(line["x"].count(None) for line in _lines(fig)) == len(edges)  # every tie: one segment


def test_nf010_a_large_view_draws_its_best_connected_organisations_at_their_published_positions(demo_releases):
    """Issue 17: the graph is capped, positions come with the release (preset layout), the rest is summarised."""
    coalition = demo_releases["coalition"].extras
    nodes = coalition[NW.NODES]
    nodes = nodes[(nodes["wave"] == 2024) & (nodes["tie_type"] == ALL) & (nodes["city"] == ALL)]
    edges = coalition[NW.EDGES]
    edges = edges[(edges["wave"] == 2024) & (edges["tie_type"] == ALL) & (edges["city"] == ALL)]
    assert len(nodes) > 150 and nodes[NS.X].notna().sum() == min(len(nodes), NL.LAYOUT_MAX)
    drawn = F.capped(nodes, edges, 150)
    assert len(drawn.nodes) == 150 and len(drawn.rest) == len(nodes) - 150
    assert drawn.nodes[K.DEGREE].min() >= drawn.rest[K.DEGREE].max()  # the best connected are drawn
    assert drawn.ties_not_drawn == len(edges) - len(drawn.edges) > 0
    fig = F.org_figure(drawn.nodes, drawn.edges, SECTORS, GROUP_OF)
    assert _nodes(fig)["x"] == drawn.nodes[NS.X].tolist()  # at their published positions
    assert _nodes(fig)["y"] == (-drawn.nodes[NS.Y]).tolist()
    assert sum(line["x"].count(None) for line in _lines(fig)) == len(drawn.edges)
    per = F.undrawn_by_sector(drawn.rest, SECTORS)
    assert per["organisations"].sum() == len(drawn.rest) and set(per["sector"]) <= set(SECTORS.values())


def test_nf011_positions_and_ranks_are_deterministic():
    ranks = NS.draw_ranks(pd.Series(["b", "a", "c"]), pd.Series([2, 2, 1]), pd.Series([0.1, 0.1, 0.0]))
    assert list(ranks) == [2, 1, 3]  # degree, then betweenness, then node id
    pairs = [(0, 1), (1, 2)]
    x1, y1 = NL.positions(ranks, pairs)
    x2, y2 = NL.positions(ranks, pairs)
    assert np.array_equal(x1, x2) and np.array_equal(y1, y2) and not np.isnan(x1).any()
