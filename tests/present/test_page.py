"""The /present page: URL values fall back with a notice, a malformed deck is explained on the page (no 500)."""

from __future__ import annotations

import json

import dash
import pytest
import yaml

from dashboard import ids, paths

BROKEN = """title: Broken
languages: [en]
slides:
  - {kind: text, title: One, body: Hello}
  - {kind: chart, title: Two, table: [city], filters: {city: kalgary}, draw: bars, caption: C}
"""


@pytest.fixture
def present_layout(app):
    page = next(p for p in dash.page_registry.values() if p["path"] == "/present")
    assert page["name"] == "nav.present" and page["order"] == 4

    def render(**query: str) -> str:
        with app.server.test_request_context("/present"):
            return json.dumps(
                page["layout"](**query).to_plotly_json(), default=lambda o: o.to_plotly_json(), ensure_ascii=False
            )

    return render


def test_pp001_a_slide_url_opens_that_slide(present_layout):
    out = present_layout(deck="kaye-2013", slide="3", lang="en")
    total = yaml.safe_load((paths.DECKS_DIR / "kaye-2013.yaml").read_text(encoding="utf-8"))["slides"]
    assert f'"children": "3 / {len(total)}"' in out
    assert (
        f'"id": "{ids.present_slide_id(3)}", "className": "present-slide present-slide-chart", "hidden": false' in out
    )
    assert f'"id": "{ids.present_slide_id(1)}", "className": "present-slide present-slide-text", "hidden": true' in out
    assert '"data-current": "3"' in out


def test_pp002_invalid_values_fall_back_with_a_notice(present_layout):
    out = present_layout(deck="../etc/passwd", slide="99", lang="xx", extra="ignored")
    assert "There is no deck called" in out
    assert "There is no slide" in out
    assert "This deck is not written in" in out
    assert '"data-deck": "kaye-2013"' in out and '"data-current": "1"' in out


def test_pp003_french_deck_and_interface(present_layout):
    out = present_layout(deck="kaye-2013", slide="2", lang="fr")
    assert "Méthodes" in out and "Suivante" in out
    assert '"lang": "fr"' in out


def test_pp004_a_malformed_deck_is_explained_on_the_page(present_layout, tmp_path, monkeypatch):
    (tmp_path / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    monkeypatch.setattr(paths, "DECKS_DIR", tmp_path)
    out = present_layout(deck="broken")
    assert ids.PRESENT_ERRORS in out
    assert "broken.yaml: slide 2: field 'filters.city': 'kalgary' is not a city" in out
    assert f'"id": "{ids.PRESENT_ROOT}"' not in out  # no slides: the keyboard script stays idle


def test_pp005_an_unexpected_failure_is_a_message_not_a_500(present_layout, monkeypatch):
    from dashboard.present import slides

    def boom(*_args, **_kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(slides, "chart_content", boom)
    out = present_layout(deck="kaye-2013")
    assert ids.PRESENT_ERRORS in out and "boom" not in out


def test_pp006_the_page_is_served(client):
    response = client.get("/present?deck=kaye-2013&slide=2")
    assert response.status_code == 200
    assert client.get("/assets/present.js").status_code == 200
    assert client.get("/assets/present.css").status_code == 200
