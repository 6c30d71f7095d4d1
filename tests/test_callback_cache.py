"""The answers the app keeps for its pure callbacks (``dashboard.callback_cache``): the same answer as without the
cache, never one of another role, language or release, never for a download or a refused request."""

from __future__ import annotations

import json

import pytest

from dashboard import ids
from dashboard.callback_cache import CACHE_KEY, Answer, CallbackCache, cacheable, is_cacheable
from dashboard.views.state import Options, ViewState
from tests.support import requests as R

UPDATE = "/_dash-update-component"


def _cache(app) -> CallbackCache:
    cache = app.server.extensions[CACHE_KEY]
    assert cache is not None, "the cache is on by default"
    return cache


def _post(client, payload: dict, **headers: str):
    return client.post(UPDATE, data=json.dumps(payload), content_type="application/json", headers=headers)


@pytest.fixture(scope="module")
def options(app, demo_releases) -> Options:
    return Options.of(demo_releases["public"])


def test_cc001_a_view_asked_again_gets_the_same_answer_from_the_cache(app, client, options):
    cache = _cache(app)
    query = ViewState(min(options.waves)).to_query()
    first = _post(client, R.chart_request("sector", query))
    hits = cache.hits
    again = _post(client, R.chart_request("sector", query))
    assert first.status_code == again.status_code == 200
    assert again.get_data() == first.get_data()
    assert cache.hits == hits + 1
    assert again.headers["Content-Security-Policy"] == first.headers["Content-Security-Policy"]


def test_cc002_each_role_and_language_has_its_own_answers(app, role_clients, options):
    """A coalition member's answer is never given to a visitor of a lower tier, nor an English one in French."""
    query = ViewState(max(options.waves)).to_query()
    payload = R.chart_request("sector", query)
    answers = {}
    for role in ("coalition", "funder", "public"):  # the highest tier asks first
        for lang in ("en", "fr"):
            first = _post(role_clients[role], payload, **{"Accept-Language": lang}).get_data()
            again = _post(role_clients[role], payload, **{"Accept-Language": lang}).get_data()
            assert first == again
            answers[role, lang] = first
    assert answers["coalition", "en"] != answers["public", "en"]  # sector (coalition) against sector groups (public)
    assert answers["public", "en"] != answers["public", "fr"]


def test_cc003_a_refused_request_is_never_kept(app, client, options):
    cache = _cache(app)
    payload = R.chart_request("sector", ViewState(max(options.waves)).to_query())
    payload["inputs"].append(payload["inputs"][0])  # one input more than the callback declares
    kept = len(cache)
    for _ in range(2):
        assert _post(client, payload).status_code == 400
    assert len(cache) == kept


def test_cc004_downloads_are_not_cached_each_one_is_audited(app, role_clients, options, app_config):
    query = ViewState(max(options.waves)).to_query()
    payload = R.download_request("sector", "csv", query)
    before = app_config.audit_log.read_text(encoding="utf-8").count('"export"')
    for _ in range(2):
        response = _post(role_clients["coalition"], payload)
        assert response.status_code == 200
    after = app_config.audit_log.read_text(encoding="utf-8").count('"export"')
    assert after == before + 2


def test_cc005_only_marked_callbacks_are_cacheable(app):
    marked = {o for o in app.callback_map if is_cacheable(app.callback_map, o)}
    assert f"{ids.EXPLORE_KPIS}.children" in marked
    assert f"{ids.EXPLORE_DOWNLOAD}.data" not in marked
    assert not any("steward" in o or "_pages_content" in o for o in marked)


def test_cc006_a_new_release_version_empties_the_cache():
    version = ["v1"]
    cache = CallbackCache(1024, lambda: version[0])
    cache._version = "v1"
    cache.put(b"k", Answer(b"answer", "application/json"))
    assert cache.get(b"k") is not None
    assert cache.key(b"{}") == cache.key(b"{}") != cache.key(b"[]")
    assert len(cache) == 1
    version[0] = "v2"
    key = cache.key(b"{}")
    assert len(cache) == 0
    assert cache.get(b"k") is None
    version[0] = "v1"
    assert cache.key(b"{}") != key


def test_cc007_least_recently_used_answers_go_first_and_no_answer_takes_most_of_it():
    cache = CallbackCache(800, lambda: "v")
    for name in (b"a", b"b", b"c"):
        cache.put(name, Answer(b"x" * 100, "application/json"))
    assert cache.get(b"a") is not None  # a is now the most recently used
    for name in (b"d", b"e", b"f", b"g", b"h", b"i"):  # nine in all: one too many
        cache.put(name, Answer(b"x" * 100, "application/json"))
    assert cache.get(b"b") is None and cache.get(b"a") is not None
    assert cache._bytes <= 800
    cache.put(b"big", Answer(b"x" * 101, "application/json"))  # more than an eighth of the whole: not kept
    assert cache.get(b"big") is None


def test_cc008_the_mark_is_an_attribute_dash_copies():
    @cacheable
    def pure(x: int) -> int:
        return x

    assert pure(3) == 3
    assert is_cacheable({"out.children": {"callback": pure}}, "out.children")
    assert not is_cacheable({"out.children": {"callback": lambda: None}}, "out.children")
    assert not is_cacheable({}, "out.children")
