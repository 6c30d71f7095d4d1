"""The network page in headless Chromium: public tier (anonymous) and coalition tier (a coalition account)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from dashboard import ids
from dashboard.published import table as TB
from dashboard.release.network import NW
from tests.browser.conftest import Watched

REPO = Path(__file__).resolve().parents[2]
GRAPH_SUMMARY = f"#{ids.NETWORK_GRAPH}-card-summary"


def _choose(page, control_id: str, label: str) -> None:
    """Press the option button ``label`` of a control from the keyboard (focus, then Enter)."""
    button = page.locator(f"#{control_id}").get_by_role("button", name=label, exact=True)
    button.focus()
    button.press("Enter")
    page.wait_for_selector(f"#{control_id} button[aria-pressed='true']:text-is('{label}')")


def _changes(page, selector: str, before: str) -> str:
    page.wait_for_function(
        "([s, b]) => { const e = document.querySelector(s); return e && e.innerText && e.innerText !== b; }",
        arg=[selector, before],
    )
    return page.locator(selector).inner_text()


PLOT = f"#{ids.NETWORK_GRAPH} .js-plotly-plot"  # the graph is a dcc.Graph: plotly draws in a div inside it
GRAPH_DRAWN = f"{PLOT} .main-svg .scatterlayer .trace"
# The graph's nodes as plotly drew them: the last trace (markers over the lines), its points, and every trace's type.
NODES_DRAWN = f"""() => {{
    const gd = document.querySelector('{PLOT}');
    const points = gd.querySelectorAll('.scatterlayer .trace:last-child .points path.point');
    return {{ points: points.length, types: gd._fullData.map(t => t.type) }};
}}"""
NODE_SIZES = f"document.querySelector('{PLOT}')?.data?.at(-1)?.marker?.size?.join()"


def _wait_graph(watched: Watched) -> None:
    """The network graph (a plotly figure) and the page's three charts drawn."""
    watched.page.wait_for_selector(GRAPH_DRAWN, state="attached")
    watched.wait_for_charts(4)


def test_nw001_public_network_renders_groups_without_organisations(watched, demo_releases):
    watched.goto("/network")
    _wait_graph(watched)
    text = watched.page.locator("main").inner_text()
    assert "Community & settlement services" in text
    assert "(synthetic)" not in text  # consented organisation names exist in the data: never in the public tier
    assert watched.page.locator(f"[id*='{ids.NETWORK_DOWNLOAD_BUTTON}']").count() == 0  # SPEC §4: images only
    public = demo_releases["public"].extras[NW.MATRIX]
    view = public[(public["wave"] == 2024) & (public["tie_type"] == "_all") & (public["city"] == "_all")]
    best = int(view[TB.COUNT].max())
    assert f"({best} ties)" in watched.page.locator(GRAPH_SUMMARY).inner_text()
    assert best % 5 == 0 and "Every count of this release is rounded to a multiple of 5" in text  # issue 12
    assert "About " in watched.page.locator(f"#{ids.NETWORK_METRICS}").inner_text()
    drawn = watched.page.evaluate(NODES_DRAWN)
    assert drawn["points"] == 4 and set(drawn["types"]) == {"scatter"}  # the four sector groups, no cytoscape
    assert watched.page.locator(f"#{ids.NETWORK_GRAPH} canvas").count() == 0
    watched.assert_clean()


def test_nw002_graph_responds_to_every_filter(watched):
    watched.goto("/network")
    _wait_graph(watched)
    page = watched.page
    before = page.locator(GRAPH_SUMMARY).inner_text()
    _choose(page, ids.NETWORK_WAVE, "2012")
    after_wave = _changes(page, GRAPH_SUMMARY, before)
    _choose(page, ids.NETWORK_TIE_TYPE, "Referral")
    after_type = _changes(page, GRAPH_SUMMARY, after_wave)
    _choose(page, ids.NETWORK_WAVE, "2024")
    after_type_2024 = _changes(page, GRAPH_SUMMARY, after_type)
    _choose(page, ids.NETWORK_CITY, "Calgary")
    after_city = _changes(page, GRAPH_SUMMARY, after_type_2024)
    assert len({before, after_wave, after_type, after_type_2024, after_city}) == 5
    _wait_graph(watched)
    assert page.locator(f"#{ids.NETWORK_MESSAGE}").inner_text() == ""
    watched.assert_clean()


def test_nw003_network_page_passes_axe_with_table_views_open(watched):
    watched.goto("/network")
    _wait_graph(watched)
    summaries = watched.page.locator("details.table-view summary")
    for i in range(summaries.count()):
        summaries.nth(i).click()
    watched.assert_accessible()
    watched.assert_clean()


CURRENT = {"wave": 2024, "tie_type": "_all", "city": "_all", "size_by": "degree"}


def _update_request(control: str, value: str, current: object = CURRENT) -> dict:
    button = {"control": control, "type": ids.NETWORK_OPTION, "value": value}
    outputs = [
        (ids.NETWORK_CHOICE, "data"),
        (ids.NETWORK_CONTROLS, "children"),
        (ids.NETWORK_BODY, "children"),
        (ids.NETWORK_MESSAGE, "children"),
    ]
    return {
        "output": ".." + "...".join(f"{i}.{p}" for i, p in outputs) + "..",
        "outputs": [{"id": i, "property": p} for i, p in outputs],
        "inputs": [[{"id": button, "property": "n_clicks", "value": 1}]],
        "state": [
            {"id": ids.NETWORK_CHOICE, "property": "data", "value": current},
        ],
        "changedPropIds": [json.dumps(button, sort_keys=True, separators=(",", ":")) + ".n_clicks"],
    }


def _post(watched: Watched, payload: dict):
    return watched.page.request.post(
        watched.base_url + "/_dash-update-component",
        data=json.dumps(payload),
        headers={"Content-Type": "application/json"},
    )


def test_nw004_a_forged_filter_value_gets_not_available_not_a_500(watched):
    watched.goto("/network")
    _wait_graph(watched)
    forged = [
        _update_request("wave", "1999"),
        _update_request("city", "atlantis"),
        _update_request("tie_type", "<script>"),
        _update_request("org_id", "O8fde4b536f5"),
        _update_request("size_by", "betweenness"),  # the public tier publishes no organisation to size
        _update_request("wave", "2012", current={"wave": 2024, "tie_type": "_all", "city": "2024; DROP"}),
        _update_request("wave", "2012", current=["not", "a", "dict"]),
    ]
    for payload in forged:
        response = _post(watched, payload)
        assert response.status == 200, (payload["inputs"], response.status)
        body = response.json()["response"]
        assert body[ids.NETWORK_MESSAGE]["children"] == "This choice is not available in this release.", payload
        assert body[ids.NETWORK_BODY]["children"] == []
    ok = _post(watched, _update_request("wave", "2012"))
    assert ok.status == 200
    answer = ok.json()["response"]
    assert answer[ids.NETWORK_MESSAGE]["children"] == "" and answer[ids.NETWORK_CHOICE]["data"]["wave"] == 2012
    watched.assert_clean()


# ------------------------------------------------------------------------------------- coalition tier (logged in)


@pytest.fixture
def coalition(login_as) -> Watched:
    return login_as("coalition")


def test_nw005_coalition_shows_organisations_named_only_with_consent(coalition, demo_dir):
    coalition.goto("/network")
    _wait_graph(coalition)
    page = coalition.page
    assert "organisations linked by" in page.locator(GRAPH_SUMMARY).inner_text()
    notice = page.locator(f"#{ids.NETWORK_GRAPH}-capped").inner_text()  # issue 17: the graph is capped
    assert "The graph draws the 150 organisations with the most partners, of " in notice
    page.locator(f"#{ids.NETWORK_GRAPH}-card details.table-view summary").click()
    table_text = page.locator(f"#{ids.NETWORK_GRAPH}-card table").first.inner_text()
    assert "Organisations not drawn" in page.locator(f"#{ids.NETWORK_GRAPH}-card details.table-view").inner_text()
    orgs = pd.read_csv(demo_dir / "organisations.csv")
    named = set(orgs.loc[orgs["consent_named"].astype(bool), "name"].dropna())
    assert any(name in table_text for name in named)
    assert not any(org_id in page.content() for org_id in orgs["org_id"])  # opaque ids never reach the browser
    assert "NGO / social services " in table_text  # pseudonyms for the others
    before = page.locator(f"#{ids.NETWORK_BROKERS}-summary").inner_text()
    drawn = page.evaluate(NODES_DRAWN)
    assert drawn["points"] == 150 and set(drawn["types"]) == {"scatter"}  # the capped graph's organisations
    by_degree = page.evaluate(f"() => {NODE_SIZES}")
    _choose(page, ids.NETWORK_SIZE_BY, "Brokerage (betweenness)")
    page.wait_for_function(f"(before) => {{ const now = {NODE_SIZES}; return now && now !== before; }}", arg=by_degree)
    page.wait_for_selector(GRAPH_DRAWN, state="attached")
    assert page.locator(f"#{ids.NETWORK_BROKERS}-summary").inner_text() == before  # same view, other sizes
    coalition.assert_accessible()
    coalition.assert_clean()


def test_nw006_coalition_downloads_the_published_table_on_screen(coalition):
    coalition.goto("/network")
    _wait_graph(coalition)
    page = coalition.page
    with page.expect_download() as info:
        page.locator(f"#{ids.NETWORK_BROKERS} button", has_text="Download CSV").click()  # coalition: CSV or XLSX
    download = info.value
    assert download.suggested_filename == "network_brokers_2024_all_all.csv"
    frame = pd.read_csv(download.path())
    # headed in the reader's language, each code beside its label (dashboard.published.export.labelled)
    expected = ["Survey wave", "Type of collaboration", "Type of collaboration (code)", "City", "City (code)", "Rank"]
    assert list(frame.columns[:6]) == expected
    assert list(frame["Type of collaboration (code)"].unique()) == ["_all"]
    assert list(frame["Rank"]) == list(range(1, len(frame) + 1)) and len(frame) > 0
    assert "org_id" not in frame.columns
    coalition.assert_clean()
