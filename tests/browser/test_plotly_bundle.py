"""The app's own partial plotly.js (tools/plotly-bundle): it draws every trace type the pages emit, in every tier,
and no page asks for plotly.py's full bundle (which the app no longer serves)."""

import pytest

from dashboard.webapp import PLOTLY_BUNDLE
from tests.browser.test_smoke import PAGES

# The trace types registered in tools/plotly-bundle/index.js (scatter comes with plotly's core).
TRACE_TYPES = {"scatter", "bar", "heatmap", "choropleth", "scattergeo"}
FULL_BUNDLE = "/_dash-component-suites/plotly/"

# Each drawn trace: the type a figure builder asked for, and the type plotly drew. plotly.js draws a trace of a type it
# does not have as a scatter without a word (no console message at its default logging level), so compare the two.
DRAWN = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(gd => ({
    svg: gd.querySelector('.main-svg') !== null,
    traces: (gd.data || []).map((trace, i) => [trace.type || 'scatter', ((gd._fullData || [])[i] || {}).type]),
}))"""


def _check_page(w, path: str, charts: int) -> set[str]:
    requested: list[str] = []
    w.page.on("request", lambda r: requested.append(r.url))
    w.goto(path)
    w.wait_for_charts(charts)
    w.page.wait_for_load_state("networkidle")
    # a chart's SVG layer is there before its callback has drawn a trace into it (seen once on a loaded CI machine)
    w.page.wait_for_function(
        "() => Array.from(document.querySelectorAll('.js-plotly-plot')).some(gd => (gd.data || []).length > 0)",
        timeout=60_000,
    )
    graphs = w.page.evaluate(DRAWN)
    assert len(graphs) >= charts
    assert all(g["svg"] for g in graphs), graphs  # every chart has its SVG layer
    traces = [t for g in graphs for t in g["traces"]]
    assert traces and all(asked == drawn for asked, drawn in traces), traces
    assert [u for u in requested if FULL_BUNDLE in u] == []
    assert any(PLOTLY_BUNDLE.split("/")[-1].split(".")[0] in u for u in requested), requested
    w.assert_clean()
    return {asked for asked, _ in traces}


@pytest.mark.parametrize(("path", "charts"), PAGES)
def test_br_pb001_public_pages_draw_with_the_partial_bundle(watched, path, charts):
    assert _check_page(watched, path, charts) <= TRACE_TYPES


@pytest.mark.parametrize(("path", "charts"), PAGES)
def test_br_pb002_coalition_pages_draw_with_the_partial_bundle(login_as, path, charts):
    w = login_as("coalition")
    assert _check_page(w, path, charts) <= TRACE_TYPES


def test_br_pb003_bundle_has_every_trace_type_and_not_more(watched):
    """Each listed type draws as itself; a type left out (pie) would be drawn as something else, which is what
    pb001 and pb002 catch. Maps read the base map from the app's own files, as the pages' maps do."""
    watched.goto("/")
    watched.wait_for_charts(1)
    drawn_as = watched.page.evaluate(
        """async (types) => {
            const out = {};
            for (const type of types) {
                const div = document.createElement('div');
                document.body.appendChild(div);
                const trace = {type: type, values: [1, 2], x: [1, 2], y: [1, 2], z: [[1, 2]]};
                await Plotly.newPlot(div, [trace], {}, {topojsonURL: '/assets/topojson/'});
                out[type] = div._fullData[0].type;
                Plotly.purge(div);
                div.remove();
            }
            return out;
        }""",
        [*sorted(TRACE_TYPES), "pie"],
    )
    assert {t: drawn_as[t] for t in TRACE_TYPES} == {t: t for t in TRACE_TYPES}
    assert drawn_as["pie"] != "pie"
    watched.assert_clean()
