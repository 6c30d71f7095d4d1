"""A worker reads its releases before its first request (``dashboard.webapp.warm``, from ``gunicorn.conf.py``)."""

from __future__ import annotations

import runpy
from pathlib import Path
from types import SimpleNamespace

from dashboard import context
from dashboard.webapp import warm

ROOT = Path(__file__).resolve().parents[1]


def test_wm001_warm_reads_every_served_tier_and_its_lookup_columns(app):
    ctx = app.server.extensions[context.EXTENSION_KEY]
    warm(app.server)
    for tier in ctx.releases.tiers:
        release = ctx.releases.get(tier)
        assert all("index" in vars(table) for table in release.tables.values())  # the cached_property is set


def test_wm002_gunicorn_calls_warm_after_loading_the_app(app, monkeypatch):
    called = []
    monkeypatch.setattr("dashboard.webapp.warm", called.append)
    hooks = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    hooks["post_worker_init"](SimpleNamespace(wsgi=app.server))
    assert called == [app.server]
