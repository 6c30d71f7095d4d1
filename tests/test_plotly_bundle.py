"""The committed plotly.js bundle (tools/plotly-bundle) is the plotly.js version plotly.py bundles, and the app serves
it in place of the full bundle."""

import json
import re

from plotly.offline import get_plotlyjs_version

from dashboard import paths
from dashboard.webapp import PLOTLY_BUNDLE

BUNDLE_DIR = paths.REPO_ROOT / "tools" / "plotly-bundle"
BUNDLE = paths.REPO_ROOT / "dashboard" / PLOTLY_BUNDLE


def test_pb001_bundle_is_plotly_pys_plotly_js_version():
    banner = BUNDLE.read_text(encoding="utf-8")[:300]
    found = re.search(r"plotly\.js v(\d+\.\d+\.\d+)", banner)
    assert found, banner
    assert found.group(1) == get_plotlyjs_version()
    package = json.loads((BUNDLE_DIR / "package.json").read_text(encoding="utf-8"))
    lock = json.loads((BUNDLE_DIR / "package-lock.json").read_text(encoding="utf-8"))
    assert package["devDependencies"]["plotly.js"] == get_plotlyjs_version()
    assert lock["packages"]["node_modules/plotly.js"]["version"] == get_plotlyjs_version()


def test_pb002_pages_load_the_partial_bundle_not_the_full_one(client):
    page = client.get("/").get_data(as_text=True)
    scripts = re.findall(r'<script src="([^"]+)"', page)
    ours = [s for s in scripts if "/_dash-component-suites/dashboard/vendor/plotly-dashboard" in s]
    assert len(ours) == 1, scripts
    assert not [s for s in scripts if "/plotly/" in s], scripts
    served = client.get(ours[0])
    assert served.status_code == 200
    assert served.get_data()[:200] == BUNDLE.read_bytes()[:200]
    assert client.get("/_dash-component-suites/plotly/package_data/plotly.min.js").status_code != 200


def test_pb003_the_french_mode_bar_dictionary_is_served_after_the_bundle_at_the_same_version(client):
    from dashboard.webapp import PLOTLY_LOCALES

    for script in PLOTLY_LOCALES:
        banner = (paths.REPO_ROOT / "dashboard" / script).read_text(encoding="utf-8")[:300]
        assert f"plotly.js v{get_plotlyjs_version()}" in banner, banner
    scripts = re.findall(r'<script src="([^"]+)"', client.get("/?lang=fr").get_data(as_text=True))
    bundle = next(i for i, s in enumerate(scripts) if "/vendor/plotly-dashboard" in s)
    locale = next(i for i, s in enumerate(scripts) if "/vendor/plotly-locale-fr" in s)
    assert bundle < locale, scripts
    served = client.get(scripts[locale])
    assert served.status_code == 200 and b'name:"fr"' in served.get_data()


def test_pb004_no_page_loads_dash_cytoscape(role_clients):
    """Issue 17, item 2: the network graph is a plotly figure, so no page of any tier loads dash-cytoscape's script
    (Dash switches pages without a reload: a library's script in one page's HTML would be in every page's)."""
    for role in ("public", "funder", "coalition"):
        for path in ("/", "/explore", "/network", "/voices", "/present"):
            response = role_clients[role].get(path)
            assert response.status_code == 200, (role, path)
            page = response.get_data(as_text=True)
            scripts = re.findall(r'<script src="([^"]+)"', page)
            assert scripts and not [s for s in scripts if "cytoscape" in s.lower()], (role, path, scripts)
            assert "cytoscape" not in page.lower(), (role, path)
        layout = role_clients[role].get("/_dash-layout").get_data(as_text=True)
        assert "dash_cytoscape" not in layout and "Cytoscape" not in layout, role
    assert role_clients["public"].get("/_dash-component-suites/dash_cytoscape/dash_cytoscape.min.js").status_code != 200
