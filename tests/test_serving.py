"""How a worker serves: it reads its releases before its first request (``dashboard.webapp.warm``, from
``gunicorn.conf.py``), writes callback answers with the standard library's JSON, and compresses each script once per
encoding (``webapp.CompressedFiles``) while pages and callback answers are compressed afresh each time."""

from __future__ import annotations

import json
import re
import runpy
from pathlib import Path
from types import SimpleNamespace

import brotli
import flask
import plotly.io as pio

from dashboard import context, paths
from dashboard.views.state import ViewState
from dashboard.webapp import PLOTLY_BUNDLE, CompressedFiles, warm
from tests.support import requests as R

ROOT = Path(__file__).resolve().parents[1]
BUNDLE = paths.REPO_ROOT / "dashboard" / PLOTLY_BUNDLE


def test_sv001_warm_reads_every_served_tier_and_its_lookup_columns(app):
    ctx = app.server.extensions[context.EXTENSION_KEY]
    warm(app.server)
    for tier in ctx.releases.tiers:
        release = ctx.releases.get(tier)
        assert all("index" in vars(table) for table in release.tables.values())  # the cached_property is set


def test_sv002_gunicorn_calls_warm_after_loading_the_app(app, monkeypatch):
    called = []
    monkeypatch.setattr("dashboard.webapp.warm", called.append)
    hooks = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    hooks["post_worker_init"](SimpleNamespace(wsgi=app.server))
    assert called == [app.server]


def _bundle_url(client) -> str:
    page = client.get("/").get_data(as_text=True)
    return next(s for s in re.findall(r'<script src="([^"]+)"', page) if "plotly-dashboard" in s)


def test_sv004_a_script_is_compressed_once_and_served_the_same_every_time(app, client):
    url = _bundle_url(client)
    first = client.get(url, headers={"Accept-Encoding": "br"})
    again = client.get(url, headers={"Accept-Encoding": "br"})
    assert first.headers["Content-Encoding"] == again.headers["Content-Encoding"] == "br"
    assert first.get_data() == again.get_data()
    assert brotli.decompress(again.get_data()) == BUNDLE.read_bytes()
    plain = client.get(url, headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers and plain.get_data() == BUNDLE.read_bytes()
    gzipped = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert gzipped.headers["Content-Encoding"] == "gzip"  # one entry per encoding


def test_sv005_only_fixed_files_have_a_key(app):
    with app.server.test_request_context("/_dash-component-suites/dash/deps/react.v1m2.min.js"):
        assert CompressedFiles.key(flask.request) == "/_dash-component-suites/dash/deps/react.v1m2.min.js?"
    for path, method in (
        ("/", "GET"),
        ("/explore", "GET"),
        ("/_dash-update-component", "POST"),
        ("/_dash-layout", "GET"),
    ):
        with app.server.test_request_context(path, method=method):
            assert CompressedFiles.key(flask.request) == ""
    files = CompressedFiles()
    files.set("br;", b"a page")
    assert files.get("br;") is None
    files.set("br;/assets/x.css?m=1", b"css")
    assert files.get("br;/assets/x.css?m=1") == b"css"


def test_sv003_callback_answers_are_written_with_the_standard_librarys_json(app, client, demo_releases):
    assert pio.json.config.default_engine == "json"
    query = ViewState(max(demo_releases["public"].waves)).to_query()
    answer = client.post("/_dash-update-component", json=R.chart_request("sector", query))
    assert answer.status_code == 200
    assert json.loads(answer.get_data())["response"]  # one JSON document, parsed as the browser parses it
