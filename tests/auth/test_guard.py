"""Every callback, as every role, with crafted and forged requests: no 5xx, nothing above the role's tier.

The callbacks are enumerated from ``/_dash-dependencies`` as a client sees them, so a callback added later is
covered without editing this file.
"""

from __future__ import annotations

import json
from types import SimpleNamespace

import flask
import pytest

from dashboard.auth import guard
from dashboard.data.vocab import vocabularies

UPDATE = "/_dash-update-component"
ROLES = ("public", "funder", "coalition", "steward")
FORGED_VALUES = [None, 0, -1, 1e308, "", "x" * 5000, [], {}, {"a": [1, {"b": None}]}, True, "?wave=1999&sector=zz"]


def _server_callbacks(client) -> list[dict]:
    deps = client.get("/_dash-dependencies").get_json()
    return [d for d in deps if not d.get("clientside_function")]


def _item(spec: dict, value: object) -> dict | list:
    ident = spec["id"]
    if ident.startswith("{"):  # pattern-matching: one made-up component matching the wildcard
        pattern = json.loads(ident)
        one = {k: ("x" if isinstance(v, list) else v) for k, v in pattern.items()}
        return [{"id": one, "property": spec["property"], "value": value}]
    return {"id": ident, "property": spec["property"], "value": value}


def _outputs(output: str) -> list | dict:
    """The outputs part of a request, as the renderer sends it, from Dash's name of the callback's outputs."""
    multi = output.startswith("..")
    parts = output.strip(".").split("...") if multi else [output]
    out = []
    for part in parts:
        ident, prop = part.rsplit(".", 1) if "}" not in part else (part[: part.rindex("}") + 1], part.rsplit(".", 1)[1])
        if ident.startswith("{"):
            pattern = json.loads(ident)
            one = {k: ("x" if isinstance(v, list) else v) for k, v in pattern.items()}
            out.append([{"id": one, "property": prop}])
        else:
            out.append({"id": ident, "property": prop})
    return out if multi else out[0]


def _changed(item: dict | list) -> str:
    """The renderer's name of a changed input: its id (a pattern-matching id as sorted, compact JSON), a dot, the
    property."""
    one = item[0] if isinstance(item, list) else item
    ident = one["id"] if isinstance(one["id"], str) else json.dumps(one["id"], sort_keys=True, separators=(",", ":"))
    return f"{ident}.{one['property']}"


def _body(dep: dict, value: object) -> dict:
    inputs = [_item(s, value) for s in dep["inputs"]]
    return {
        "output": dep["output"],
        "outputs": _outputs(dep["output"]),
        "inputs": inputs,
        "state": [_item(s, value) for s in dep.get("state", [])],
        "changedPropIds": [_changed(inputs[0])],
    }


def _fine_sector_codes() -> list[str]:
    groups = set(vocabularies()["sector_group"].codes)
    return [c for c in vocabularies()["sector"].codes if c not in groups and c != "other"]


def test_gd001_every_callback_has_a_role_mark(app, client):
    client.get("/")
    deps = _server_callbacks(client)
    assert len(deps) >= 10
    unmarked = [d["output"] for d in deps if guard.required_role(app, d["output"]) is None]
    assert unmarked == []


@pytest.mark.parametrize("role", ROLES)
def test_gd002_every_callback_as_every_role_with_forged_values_never_fails_and_never_leaks(role, role_clients):
    client = role_clients[role]
    fine_codes = _fine_sector_codes()
    answered = 0
    for dep in _server_callbacks(client):
        for value in FORGED_VALUES:
            response = client.post(UPDATE, json=_body(dep, value))
            assert response.status_code < 500, (dep["output"], value, response.status_code)
            answered += response.status_code in (200, 204)
            text = response.get_data(as_text=True)
            assert "Traceback" not in text and 'File "' not in text
            if role in ("public", "funder") and response.status_code == 200:
                leaked = [c for c in fine_codes if f'"{c}"' in text]
                assert leaked == [], (dep["output"], value, leaked)
    assert answered > len(FORGED_VALUES) * 10  # the requests reached the callbacks (not all refused up front)


@pytest.mark.parametrize(
    ("headers", "data", "status"),
    [
        ({"Content-Type": "text/plain"}, '{"output": "explore-kpis.children"}', 415),
        ({"Content-Type": "application/x-www-form-urlencoded"}, "output=explore-kpis.children", 415),
        ({"Content-Type": "application/json"}, "{not json", 400),
        ({"Content-Type": "application/json"}, "[" * 5000 + "]" * 5000, 400),
        (
            {"Content-Type": "application/json"},
            json.dumps({"output": "x", "inputs": [[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]}),
            400,
        ),
        ({"Content-Type": "application/json"}, json.dumps({"output": "explore-kpis.children", "inputs": "no"}), 400),
        ({"Content-Type": "application/json"}, json.dumps({"output": "no-such.children", "inputs": []}), 404),
        ({"Content-Type": "application/json"}, json.dumps({"output": "explore-kpis.children", "inputs": []}), 400),
        ({"Content-Type": "application/json"}, json.dumps([1, 2, 3]), 400),
        (
            {"Content-Type": "application/json"},
            json.dumps({"output": "explore-kpis.children", "x": "y" * 600_000}),
            413,
        ),
    ],
)
def test_gd003_malformed_requests_get_a_clear_4xx(client, headers, data, status):
    client.get("/")
    response = client.post(UPDATE, data=data, headers=headers)
    assert response.status_code == status
    assert response.get_json()["message"]


def test_gd004_inputs_that_are_not_the_callbacks_own_are_refused(client):
    body = {
        "output": "explore-kpis.children",
        "inputs": [{"id": "network-choice", "property": "data", "value": None}],
        "changedPropIds": [],
    }
    response = client.post(UPDATE, json=body)
    assert response.status_code == 400 and "does not match" in response.get_json()["message"]


def _stub_app(callback) -> SimpleNamespace:
    return SimpleNamespace(callback_map={"out.children": {"callback": callback, "inputs": [], "state": []}})


def test_gd005_an_unmarked_callback_is_refused_and_a_marked_one_checks_the_role():
    server = flask.Flask("guard-test")
    body = json.dumps(
        {
            "output": "out.children",
            "outputs": {"id": "out", "property": "children"},
            "inputs": [],
            "state": [],
            "changedPropIds": [],
        }
    )

    def unmarked() -> None: ...

    @guard.allow("steward")
    def stewards_only() -> None: ...

    @guard.allow("public")
    def anyone() -> None: ...

    with server.test_request_context("/", method="POST", data=body, content_type="application/json"):
        with pytest.raises(guard.Refused) as refused:
            guard.check(_stub_app(unmarked), flask.request)
        assert refused.value.status == 403
        with pytest.raises(guard.Refused) as refused:
            guard.check(_stub_app(stewards_only), flask.request)
        assert refused.value.status == 403
        guard.check(_stub_app(anyone), flask.request)  # no exception


def test_gd006_a_funder_never_gets_coalition_breakdowns_from_a_forged_view(role_clients):
    from tests.support import requests as R

    query = "?wave=2024&sector=law_enforcement&city=calgary&role=frontline"
    for role in ("public", "funder"):
        response = role_clients[role].post(UPDATE, json=R.chart_request("sector", query))
        assert response.status_code == 200
        text = response.get_data(as_text=True)
        assert "law_enforcement" not in text and "Law enforcement" not in text


def _download_body(changed: list[object], outputs: object = None) -> dict:
    button = {"type": "voices-download-button", "card": "method", "fmt": "csv"}
    body = {
        "output": "voices-download.data",
        "inputs": [[{"id": button, "property": "n_clicks", "value": 1}]],
        "changedPropIds": changed,
        "state": [],
    }
    if outputs is not None:
        body["outputs"] = outputs
    return body


@pytest.mark.parametrize(
    ("changed", "outputs"),
    [
        (["{x.n_clicks"], {"id": "voices-download", "property": "data"}),  # not JSON: ctx.triggered_id would fail
        (["{" * 5000 + ".n_clicks"], {"id": "voices-download", "property": "data"}),
        (
            ['{"card":"city","fmt":"csv","type":"voices-download-button"}.n_clicks'],
            {"id": "voices-download", "property": "data"},
        ),
        ([["not", "a", "name"]], {"id": "voices-download", "property": "data"}),
        (["no-dot-at-all"], {"id": "voices-download", "property": "data"}),
        (['{"card":"method","fmt":"csv","type":"voices-download-button"}.n_clicks'], None),  # no outputs
        (['{"card":"method","fmt":"csv","type":"voices-download-button"}.n_clicks'], []),
        (['{"card":"method","fmt":"csv","type":"voices-download-button"}.n_clicks'], "voices-download.data"),
    ],
)
def test_gd007_a_forged_changed_input_or_missing_outputs_are_refused_up_front_without_a_traceback(
    role_clients, caplog, changed, outputs
):
    # Found by an outside check: these reached Dash, which raised, and each left a traceback in the log.
    client = role_clients["coalition"]
    with caplog.at_level("ERROR"):
        response = client.post(UPDATE, json=_download_body(changed, outputs))
    assert response.status_code == 400 and response.get_json()["message"]
    assert not [r for r in caplog.records if r.exc_info]


def test_gd008_the_renderers_own_request_still_downloads(role_clients):
    changed = ['{"card":"method","fmt":"csv","type":"voices-download-button"}.n_clicks']
    response = role_clients["coalition"].post(
        UPDATE, json=_download_body(changed, {"id": "voices-download", "property": "data"})
    )
    assert response.status_code == 200 and "voices_themes" in response.get_data(as_text=True)
