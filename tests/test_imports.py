"""The import contract (issue 15), checked in a running web process.

``lint-imports`` (``pyproject.toml``, run by CI) checks the rule statically; this test checks it with code of its
own: a fresh interpreter builds the app on the session's release, imports every read-side module, serves every
page and the layout callback, then reports which modules it holds. None of the build side, the disclosure-control
solvers or the heavy libraries they use may be among them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import instance_env

REPO = Path(__file__).resolve().parents[1]
# Read-side packages besides the pages, which Dash itself imports when it builds the app (as ``pages.<name>``).
READ_SIDE = ("published", "views", "components", "figures", "summary", "present", "auth")
FORBIDDEN = ("dashboard.release", "dashboard.privacy", "scipy", "networkx", "igraph", "geopandas")
PAGES = ("/", "/explore", "/explore?wave=2012&city=vancouver", "/network", "/voices", "/present", "/summary", "/nope")

PROBE = """
import importlib, json, pkgutil, sys
import dashboard
from dashboard.webapp import create_app

app = create_app()
for name in {read_side!r}:
    package = importlib.import_module("dashboard." + name)
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        importlib.import_module(info.name)
client = app.server.test_client()
status = {{path: client.get(path).status_code for path in {pages!r}}}
status["layout"] = client.get("/_dash-layout").status_code
pages = sorted(m for m in sys.modules if m.startswith("pages."))
loaded = sorted(m for m in sys.modules if any(m == f or m.startswith(f + ".") for f in {forbidden!r}))
print(json.dumps({{"status": status, "loaded": loaded, "pages": pages}}))
"""


def test_im001_the_web_process_never_loads_the_build_side(app_config, demo_releases):
    env = {**os.environ, **instance_env(app_config.release_dir.parent), "PYTHONPATH": str(REPO)}
    code = PROBE.format(read_side=READ_SIDE, pages=PAGES, forbidden=FORBIDDEN)
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["loaded"] == [], f"the web process loaded {report['loaded']}"
    assert all(code in (200, 404) for code in report["status"].values()), report["status"]
    assert report["status"]["/"] == 200 and report["status"]["layout"] == 200
    assert {"pages.home", "pages.explore", "pages.network", "pages.voices", "pages.present"} <= set(report["pages"])


def test_im002_the_probe_sees_a_forbidden_import():
    """The probe's check can fail: a process that imports the builder is reported."""
    held = f"sorted(m for m in sys.modules if any(m == f or m.startswith(f + '.') for f in {FORBIDDEN!r}))"
    code = f"import json, sys; import dashboard.release.builder; print(json.dumps({held}))"
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=300)
    loaded = json.loads(done.stdout.strip().splitlines()[-1])
    assert "dashboard.release.builder" in loaded and "scipy" in loaded
