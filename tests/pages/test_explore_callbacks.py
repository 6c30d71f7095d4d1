"""Explore callbacks posted as a client would, forged ones included: a refusal or a fallback, never a 500."""

import io
import json

import pandas as pd
import pytest

from dashboard import ids
from dashboard.views.state import Options, ViewState
from tests.support import requests as R

UPDATE = "/_dash-update-component"


@pytest.fixture(scope="module")
def options(app, demo_releases):
    return Options.of(demo_releases["public"])


def _post(client, payload) -> dict:
    response = client.post(UPDATE, json=payload)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response.get_json()["response"]


def _text(component) -> str:
    return json.dumps(component)


def test_ec001_a_filter_click_sets_the_filter_and_the_pressed_buttons(client, options):
    state = ViewState(max(options.waves))
    city = options.categories["city"][0] if "city" in options.categories else None
    dim, value = ("city", city) if city else ("sector_group", options.categories["sector_group"][0])
    out = _post(client, R.choice_request(options, state, {"type": ids.EXPLORE_CHOICE, "dim": dim, "value": value}))
    assert out[ids.EXPLORE_STATE]["data"] == state.with_filter(dim, value).to_query()
    pressed = [json.loads(k) for k, v in out.items() if v.get("aria-pressed") == "true"]
    by_dim = {p["dim"]: p["value"] for p in pressed}
    assert len(by_dim) == len(pressed)  # one pressed button per filter
    assert by_dim[dim] == value and by_dim["wave"] == str(state.wave)
    assert all(v == "all" for d, v in by_dim.items() if d not in (dim, "wave"))


@pytest.mark.parametrize(
    ("dim", "value"),
    [
        ("sector_group", "atlantis"),  # not a published category
        ("sector", "law_enforcement"),  # a dimension the public tier does not publish
        ("wave", "1999"),
        ("wave", "<script>"),
        ("role", "x" * 5000),
        ("__proto__", "1"),
    ],
)
def test_ec002_a_forged_filter_value_is_refused_and_changes_nothing(client, options, dim, value):
    state = ViewState(max(options.waves))
    out = _post(client, R.choice_request(options, state, {"type": ids.EXPLORE_CHOICE, "dim": dim, "value": value}))
    assert out[ids.EXPLORE_STATE]["data"] == state.to_query()
    assert "not available" in _text(out[ids.EXPLORE_NOTICE]).lower()


@pytest.mark.parametrize(
    "query",
    ["?wave=1999&sector_group=atlantis", {"wave": [2024]}, ["?wave=2024"], 12, None, "?" + "city=x&" * 500],
)
def test_ec003_a_forged_view_in_a_chart_request_draws_a_valid_view(client, options, query):
    out = _post(client, R.chart_request("sector", query))
    figure = out[ids.explore_id("graph", "sector")]["figure"]
    assert figure["data"] and figure["data"][0]["type"] == "bar"
    kpis = _post(client, R.kpi_request(query))
    assert "Respondents" in _text(kpis[ids.EXPLORE_KPIS])


def test_ec004_a_chart_and_its_download_show_the_same_published_rows(role_clients, options, demo_releases):
    query = ViewState(max(options.waves)).to_query()
    out = _post(role_clients["funder"], R.download_request("sector", "csv", query))
    downloaded = pd.read_csv(io.StringIO(out[ids.EXPLORE_DOWNLOAD]["data"]["content"]), dtype=str)
    published = demo_releases["funder"].table("sector_group").frame
    rows = published[published["wave"] == max(options.waves)]
    assert len(downloaded) == len(rows)
    expected = ["x" if pd.isna(c) else str(int(c)) for c in rows["count"]]
    assert downloaded["Respondents"].tolist() == expected
    assert list(downloaded.columns[:3]) == ["Survey wave", "Sector group", "Sector group (code)"]
    assert set(downloaded["Sector group (code)"]) <= set(rows["sector_group"])


def test_ec004b_a_french_download_is_headed_in_french_with_the_codes_beside_the_labels(app, accounts, options):
    from tests.conftest import log_in

    client = app.server.test_client()
    assert log_in(client, accounts["coalition"]).status_code == 303
    client.set_cookie("lang", "fr")
    query = ViewState(max(options.waves)).to_query()
    out = _post(client, R.download_request("labour_site", "csv", query))
    frame = pd.read_csv(io.StringIO(out[ids.EXPLORE_DOWNLOAD]["data"]["content"]), dtype=str, keep_default_na=False)
    assert list(frame.columns[:3]) == ["Vague d'enquête", "Lieu de travail", "Lieu de travail (code)"]
    assert "Répondants" in frame.columns and "count" not in frame.columns
    row = frame[frame["Lieu de travail (code)"] == "agriculture"].iloc[0]
    assert row["Lieu de travail"] == "Agriculture" and row["Vague d'enquête"] == str(max(options.waves))

    xlsx = _post(client, R.download_request("labour_site", "xlsx", query))[ids.EXPLORE_DOWNLOAD]
    import base64

    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(xlsx["data"]["content"])))
    assert book.sheetnames == ["Données"] and book.active["A1"].value == "Vague d'enquête"


@pytest.mark.parametrize(
    ("chart", "fmt"),
    [("sector", "exe"), ("../../etc/passwd", "csv"), ("map", "<b>"), ("sector", "csv"), ("map", "xlsx")],
)
def test_ec005_a_forged_download_gives_nothing(client, options, chart, fmt):
    """Including a CSV or XLSX asked for by a visitor who is not logged in: the public tier exports images only."""
    query = ViewState(max(options.waves)).to_query()
    response = client.post(UPDATE, json=R.download_request(chart, fmt, query))
    assert response.status_code in (200, 204)
    body = response.get_json() if response.status_code == 200 else {"response": {}}
    assert ids.EXPLORE_DOWNLOAD not in body["response"]


def test_ec_rounded_headlines_say_about_as_the_summary_does(client, role_clients, options):
    """The public tier's counts are rounded: its headline boxes read "about 250 of 460", like the summary page."""
    query = ViewState(max(options.waves)).to_query()
    public = _text(_post(client, R.kpi_request(query))[ids.EXPLORE_KPIS])
    coalition = _text(_post(role_clients["coalition"], R.kpi_request(query))[ids.EXPLORE_KPIS])
    assert public.count("about ") >= 2 and "about " not in coalition
