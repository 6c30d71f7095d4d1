import json

import pandas as pd

from dashboard.data.geo import simplified_provinces_geojson
from dashboard.figures import explore as F
from dashboard.paths import ASSETS_DIR


def _frame():
    return pd.DataFrame(
        {
            "wave": [2024] * 3,
            "sector_group": ["government", "enforcement_border", "_any"],
            "count": pd.array([40, None, 90], dtype="Int64"),
        }
    )


def test_fe001_bars_leave_hidden_cells_out_and_label_them_x():
    fig = F.bars(_frame(), "sector_group", {"government": "Government"}, "government", "Respondents")
    trace = fig["data"][0]
    assert "_any" not in trace["customdata"]
    assert trace["text"] == ["x", "40"] and trace["x"] == [None, 40.0]
    assert trace["marker"]["color"][1] == F.SELECTED


def test_fe002_trend_draws_share_and_interval():
    frame = pd.DataFrame(
        {
            "wave": [2022, 2024, 2022, 2024],
            "contact_any": ["yes", "yes", "no", "no"],
            "count": [10, 20, 30, 20],
            "n": [40, 40, 40, 40],
            "pct": [25.0, 50.0, 75.0, 50.0],
            "ci_lo": [14.0, 35.0, 60.0, 35.0],
            "ci_hi": [40.0, 65.0, 86.0, 65.0],
        }
    )
    fig = F.trend(frame, "contact_any", "yes", "Share")
    assert fig["data"][-1]["y"] == [25.0, 50.0] and fig["data"][0]["y"] == [40.0, 65.0]
    assert fig["data"][-1]["customdata"] == ["10 of 40", "20 of 40"]


def test_fe003_map_uses_the_local_province_file():
    provinces = pd.DataFrame({"wave": [2024], "province": ["AB"], "count": pd.array([100], dtype="Int64")})
    fig = F.map_figure(provinces, None, {"AB": "Alberta"}, {}, "/assets/geo/canada_provinces.geojson", None)
    assert fig["data"][0]["geojson"].startswith("/assets/")
    assert "http" not in json.dumps(fig)


def test_fe004_the_served_province_file_is_the_simplified_geography():
    served = (ASSETS_DIR / "geo" / "canada_provinces.geojson").read_text(encoding="utf-8")
    assert served == simplified_provinces_geojson()
    codes = {f["properties"]["code"] for f in json.loads(served)["features"]}
    assert {"AB", "BC", "MB", "SK", "ON"} <= codes
