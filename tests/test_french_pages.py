"""No English on a French page (issue 16): every page, its callbacks' answers, the login and steward pages.

Each page is asked for as the browser asks for it (the page router's callback, then the page's own callbacks), by a
reader whose language is French, as each role; the texts a person reads are searched for English words
(``tests/support/french.py``: words of the English catalogue that no French message uses, and English function
words). What may stay English is explicit: names (the dataset's citation, organisations' own names, two proper
names in the default deck) and what a page marks ``lang="en"`` (quotes published as given, the switch to English).
"""

from __future__ import annotations

import html
import json
from typing import Any

import dash
import flask
import pytest

from dashboard import formatting as FMT
from dashboard import ids
from dashboard.i18n import t
from tests.conftest import log_in
from tests.support import french as FR
from tests.support import requests as RQ

UPDATE = "/_dash-update-component"
ROUTER = ".._pages_content.children..._pages_store.data.."
# Proper names the default deck cites in French text: a symposium's and a coalition's own names.
PROPER_NAMES = ("Responding to Human Trafficking: Towards Integrated Action", "Action Coalition on Human Trafficking")
EXPLORE_VIEWS = ("?wave=2024", "?wave=all", "?wave=2012&city=calgary", "?wave=2024&role=management&trained=yes")
ROLES = ("public", "coalition", "steward")


@pytest.fixture(scope="module")
def french(app, accounts) -> dict[str, Any]:
    """A test client per role whose reader chose French (the ``lang`` cookie the switch sets)."""
    clients = {}
    for role in ROLES:
        client = app.server.test_client()
        if role != "public":
            assert log_in(client, accounts[role]).status_code == 303
        client.set_cookie("lang", "fr")
        clients[role] = client
    return clients


@pytest.fixture(scope="module")
def keep(demo_releases) -> tuple[str, ...]:
    """What may stay English: the citation, organisations' own names (published as given, and as the graph's hover
    text writes them for plotly's markup: ``&amp;``), the deck's names."""
    names: set[str] = set()
    for release in demo_releases.values():
        nodes = release.extras.get("network_nodes")
        if nodes is not None and "name" in nodes:
            names |= {str(n) for n in nodes["name"].dropna()}
    names |= {html.escape(n, quote=False) for n in names}
    citation = demo_releases["public"].meta["dataset"]["citation"]
    return (citation, *PROPER_NAMES, *sorted(names, key=len, reverse=True))


def _english(texts: Any, keep: tuple[str, ...]) -> dict[str, list[str]]:
    found = {}
    for text in texts:
        words = FR.english_in(str(text), keep)
        if words:
            found[str(text)[:120]] = sorted(words)
    return found


def _none(found: dict[str, dict[str, list[str]]]) -> None:
    """Fail listing every English text found (where, the text, its English words), in full."""
    english = {k: v for k, v in found.items() if v}
    if english:
        pytest.fail("English on a French page:\n" + json.dumps(english, indent=1, ensure_ascii=False), pytrace=False)


def _page(client, path: str, search: str = "") -> Any:
    body = {
        "output": ROUTER,
        "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
        "inputs": [
            {"id": "_pages_location", "property": "pathname", "value": path},
            {"id": "_pages_location", "property": "search", "value": search},
        ],
        "changedPropIds": ["_pages_location.pathname"],
        "state": [],
    }
    response = client.post(UPDATE, json=body)
    assert response.status_code == 200, (path, response.get_data(as_text=True)[:300])
    return response.get_json()["response"]


def _paths() -> list[str]:
    return [p["path"] for p in dash.page_registry.values() if p["path"] != "/not-found-404"] + ["/no-such-page"]


def test_fp001_the_english_word_list_catches_english_and_passes_french():
    assert FR.english_in("Download the published table") == {"download", "the", "published"}
    assert FR.english_in("Télécharger le tableau publié") == set()
    assert FR.english_in("Calgary, Vancouver, CSV, 2024, x") == set()
    assert FR.english_in("Kaye (2013). Beyond Criminal Justice, and more", keep=("Beyond Criminal Justice",)) == {
        "and",
        "more",
    }
    layout = {"type": "Div", "namespace": "x", "props": {"children": [{"props": {"lang": "en", "children": "the"}}]}}
    assert list(FR.layout_texts(layout)) == []


@pytest.mark.parametrize("role", ROLES)
def test_fp002_every_page_and_the_shell_are_french(french, keep, role):
    client = french[role]
    found = {"shell": _english(FR.layout_texts(client.get("/_dash-layout").get_json()), keep)}
    for path in _paths():
        search = "?deck=kaye-2013&slide=1" if path == "/present" else ""
        content = _page(client, path, search)
        found[path] = _english(FR.layout_texts(content["_pages_content"]["children"]), keep)
        found[f"{path} title"] = _english([content["_pages_store"]["data"]["title"]], keep)
    _none(found)


@pytest.mark.parametrize("role", ("public", "coalition"))
def test_fp003_the_explore_callbacks_answer_in_french(french, keep, role):
    client = french[role]
    found = {}
    for view in EXPLORE_VIEWS:
        for chart in RQ.CHART_NAMES:
            answer = client.post(UPDATE, json=RQ.chart_request(chart, view))
            assert answer.status_code in (200, 204), (view, chart)
            if answer.status_code == 200:
                found[f"{view} {chart}"] = _english(FR.layout_texts(answer.get_json()["response"]), keep)
        kpis = client.post(UPDATE, json=RQ.kpi_request(view)).get_json()["response"]
        found[f"{view} kpis"] = _english(FR.layout_texts(kpis), keep)
    _none(found)


def test_fp004_a_notice_and_the_network_callbacks_answer_in_french(french, keep, app):
    client = french["coalition"]
    with app.server.test_request_context("/"):
        from dashboard.views.state import Options

        options = Options.cached(app.server.extensions["trafficking_dashboard"].releases.get("coalition"))
    from dashboard.views.state import parse

    state = parse("?wave=2024", options).state
    forged = {"type": ids.EXPLORE_CHOICE, "dim": "city", "value": "atlantis"}
    answer = client.post(UPDATE, json=RQ.choice_request(options, state, forged)).get_json()["response"]
    found = {"notice": _english(FR.layout_texts(answer), keep)}
    body = {
        "output": f"..{ids.NETWORK_CHOICE}.data...{ids.NETWORK_CONTROLS}.children...{ids.NETWORK_BODY}.children..."
        f"{ids.NETWORK_MESSAGE}.children..",
        "outputs": [
            {"id": ids.NETWORK_CHOICE, "property": "data"},
            {"id": ids.NETWORK_CONTROLS, "property": "children"},
            {"id": ids.NETWORK_BODY, "property": "children"},
            {"id": ids.NETWORK_MESSAGE, "property": "children"},
        ],
        "inputs": [
            [
                {
                    "id": {"type": ids.NETWORK_OPTION, "control": "tie_type", "value": "referral"},
                    "property": "n_clicks",
                    "value": 1,
                }
            ]
        ],
        "changedPropIds": [
            json.dumps({"control": "tie_type", "type": ids.NETWORK_OPTION, "value": "referral"}, separators=(",", ":"))
            + ".n_clicks"
        ],
        "state": [
            {"id": ids.NETWORK_CHOICE, "property": "data", "value": None},
        ],
    }
    network = client.post(UPDATE, json=body)
    assert network.status_code == 200
    found["network"] = _english(FR.layout_texts(network.get_json()["response"]), keep)
    _none(found)


def test_fp005_login_logout_and_steward_pages_are_french(french, keep):
    pages = {
        "login": french["public"].get("/login"),
        "logout": french["coalition"].get("/logout"),
        "steward": french["steward"].get("/steward"),
        "dictionary": french["steward"].get("/steward/dictionary"),
        "denied": french["coalition"].get("/steward"),
        "no such upload": french["steward"].get("/steward/uploads/nope"),
    }
    found = {}
    for name, response in pages.items():
        page = response.get_data(as_text=True)
        assert '<html lang="fr">' in page, name
        found[name] = _english(FR.html_texts(page), keep)
    _none(found)


# An upload page in each state it can show, and the mapping form: made from what the steward pages read.
UPLOAD = {"id": "u1", "files": "vague.xlsx", "by": "gestionnaire", "at": "2026-12-01T10:00:00"}
REPORT = {
    "wave": 2026,
    "rows": {"respondents": 40, "encounters": 12},
    "problems": [],
    "notices": [{"file": "vague.xlsx", "column": "courriel", "message": "", "rule": "identifying_column"}],
    "mappings": [{"column": "secteur", "raw": "GRC", "code": "law_enforcement", "rows": 3}],
}
PREVIEW = {
    "sample_uniques": {"count": 3, "share": 0.075},
    "tiers": {"public": {"tables": 9, "cells": 120, "suppressed": 4, "information_lost": 0.033}},
}
RUNNING = {"job": "prepare", "state": "running", "stage": "aggregate", "step": 4, "steps": 10, "started": 0, "at": 12}
STATES = [
    ({"state": "checking"}, {**RUNNING, "job": "check", "stage": "read", "step": 1, "steps": 3}),
    ({"state": "refused", "messages": {"fr": t("steward.error.no_file", "fr")}, "message": "x"}, None),
    ({"state": "checked"}, None),
    ({"state": "preparing"}, RUNNING),
    ({"state": "ready", "report": PREVIEW, "wave": 2026}, None),
    ({"state": "failed"}, {**RUNNING, "state": "failed"}),
    ({"state": "published", "version": "v2"}, None),
]


def _upload_page(app, state: dict, record: dict | None) -> str:
    from dashboard.steward import progress as PG

    with app.server.test_request_context("/steward/uploads/u1", headers={"Cookie": "lang=fr"}):
        notice = {**REPORT["notices"][0], "message": t("steward.error.no_file", "fr")}
        return flask.render_template(
            "steward_upload.html",
            lang="fr",
            t=t,
            fmt=FMT,
            when=FMT.moment,
            csrf_token="token",
            who="steward",
            upload_id="u1",
            upload=UPLOAD,
            report={**REPORT, "notices": [notice]},
            state=state,
            served="v1",
            progress=PG.shown(record or {}, "fr"),
            failure=PG.failure_note(record or {}, "fr"),
            shown_key="",
        )


def test_fp006_the_upload_page_is_french_in_every_state(app, keep):
    found = {}
    for state, record in STATES:
        page = _upload_page(app, state, record)
        assert "1 déc. 2026, 10 h 00 UTC" in page and "2026-12-01T" not in page  # a time as a reader writes it
        if state["state"] == "ready":  # the preview's numbers through the formatter, the tiers by their names
            assert "(7,5\u00a0%)" in page and "3,3\u00a0%" in page and "<td>grand public</td>" in page
        assert ("Rien n&#39;est encore publié" in page) == (
            state["state"] != "published"
        ) or "upload-checked" not in page
        found[state["state"]] = _english(FR.html_texts(page), keep)
    _none(found)


def test_fp_the_release_date_of_the_summary_reads_as_a_date(app):

    _released = FMT.day_or_text

    assert _released("2026-12-01", "fr") == "1 déc. 2026" and _released("2026-12-01", "en") == "Dec 1, 2026"
    assert _released("some day", "fr") == "some day"


def test_fp_all_agrees_with_the_filters_noun_in_french(app):
    from dashboard.views import charts as CH

    assert [CH.all_label(d, "fr") for d in ("city", "province", "trained", "role", "sector_group")] == [
        "Toutes",
        "Toutes",
        "Toutes",
        "Tous",
        "Tous",
    ]
    assert {CH.all_label(d, "en") for d in ("city", "role")} == {"All"}
