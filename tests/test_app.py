"""The app as a server: pages, headers, refusal to start on a broken dataset."""

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import instance_env

REPO = Path(__file__).resolve().parents[1]


def test_ap001_home_and_layout_are_served(client):
    assert client.get("/").status_code == 200
    layout = client.get("/_dash-layout")
    assert layout.status_code == 200
    body = layout.get_data(as_text=True)
    assert "Synthetic demonstration data" in body
    assert "How to cite" in body


def test_ap002_html_declares_its_language_and_security_headers(client):
    response = client.get("/")
    assert '<html lang="en">' in response.get_data(as_text=True)
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_ap003_an_unknown_address_answers_404_with_the_not_found_title_in_the_readers_language(client):
    english = client.get("/no-such-page", headers={"Accept-Language": "en"})
    assert english.status_code == 404 and "<title>Page not found</title>" in english.get_data(as_text=True)
    french = client.get("/no-such-page?lang=fr")
    assert french.status_code == 404 and '<html lang="fr">' in french.get_data(as_text=True)
    assert "<title>Page introuvable</title>" in french.get_data(as_text=True)
    assert french.headers["X-Content-Type-Options"] == "nosniff"  # the security headers on a 404 too
    for script in ("/_dash-component-suites/nope.js", "/_dash-nope"):
        missing = client.get(script)
        assert missing.status_code == 404 and missing.mimetype == "text/plain", script
        assert "Content-Security-Policy" in missing.headers
    assert client.get("/explore").status_code == 200 and client.get("/").status_code == 200
    asset = client.get("/assets/nope.js?lang=fr")  # Flask's own 404 and 405 pages are English HTML: not these
    assert asset.status_code == 404 and asset.get_data(as_text=True) == "Introuvable."
    wrong = client.delete("/login?lang=fr")
    assert wrong.status_code == 405 and "requête" in wrong.get_data(as_text=True) and "GET" in wrong.headers["Allow"]
    client.get("/?lang=en")


def test_ap004_assets_are_served_locally(client):
    assert client.get("/assets/style.css").status_code == 200
    assert client.get("/assets/topojson/north-america_50m.json").status_code == 200


def test_ap005_app_refuses_to_start_on_a_broken_dataset(demo_copy: Path, tmp_path: Path):
    path = demo_copy / "respondents.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df.loc[0, "sector"] = "astrology"
    df.to_csv(path, index=False, lineterminator="\n")
    out = subprocess.run(
        [sys.executable, "-c", "import app"],
        cwd=REPO,
        capture_output=True,
        text=True,
        # every file the app would write goes under tmp_path: never the repository's instance/, nor its bytecode
        env={
            **instance_env(tmp_path / "instance"),
            "DASHBOARD_DATASET": str(demo_copy),
            "PATH": "/usr/bin:/bin",
            "PYTHONDONTWRITEBYTECODE": "1",
        },
        timeout=120,
    )
    assert out.returncode == 2
    assert "astrology" in out.stderr and "respondents.csv" in out.stderr
    assert "Traceback" not in out.stderr
    releases = tmp_path / "instance" / "releases"
    assert not (releases / "current").exists() and not list(releases.glob("versions/*"))  # nothing was published


def test_ap006_scripts_are_sent_compressed(client):
    """Scripts go out compressed (plotly.js alone is 4.8 MB), so a cold page load stays within SPEC §6's 2.5 MB."""
    page = client.get("/").get_data(as_text=True)
    script = next(s for s in page.split('"') if "dash_renderer" in s and s.endswith(".js"))
    plain = client.get(script, headers={"Accept-Encoding": "identity"})
    packed = client.get(script, headers={"Accept-Encoding": "gzip"})
    assert plain.status_code == packed.status_code == 200
    assert packed.headers.get("Content-Encoding") == "gzip"
    assert len(packed.get_data()) < len(plain.get_data()) / 2


@pytest.mark.parametrize("asset", ["geo/canada_provinces.geojson", "topojson/north-america_110m.json"])
def test_ap007_map_files_are_sent_compressed(client, asset):
    """The map files too: flask-compress's own list of types leaves out GeoJSON (application/geo+json)."""
    plain = client.get(f"/assets/{asset}", headers={"Accept-Encoding": "identity"})
    packed = client.get(f"/assets/{asset}", headers={"Accept-Encoding": "br, gzip"})
    assert plain.status_code == packed.status_code == 200
    assert packed.headers.get("Content-Encoding") in ("br", "gzip")
    assert len(packed.get_data()) < len(plain.get_data()) / 2
