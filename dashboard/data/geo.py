"""Geography: provinces (polygons) and survey cities (points), loaded with geopandas."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from dashboard import paths
from dashboard.data.vocab import Vocabularies

PROVINCE_CODE = "code"


def load_provinces() -> gpd.GeoDataFrame:
    provinces = gpd.read_file(paths.PROVINCES_GEOJSON)
    return provinces.set_crs(epsg=4326, allow_override=True)


def survey_cities(vocab: Vocabularies) -> gpd.GeoDataFrame:
    """The vocabulary's cities as points, with the province the vocabulary gives them."""
    rows = [
        {"city": t.code, "province": t.extra["province"], "lat": t.extra["lat"], "lon": t.extra["lon"]}
        for t in vocab["city"].terms
    ]
    df = pd.DataFrame(rows)
    return gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(df["lon"], df["lat"]), crs="EPSG:4326")


def cities_outside_their_province(vocab: Vocabularies, tolerance_deg: float = 0.1) -> list[str]:
    """Cities whose point is not within (a small tolerance of) the polygon of the province they are said to be in.

    The tolerance allows for coastal cities that a 1:50m coastline leaves just offshore.
    """
    provinces = load_provinces()[[PROVINCE_CODE, "geometry"]]
    points = survey_cities(vocab)
    joined = gpd.sjoin(points, provinces, how="left", predicate="dwithin", distance=tolerance_deg)
    ok = joined[PROVINCE_CODE] == joined["province"]
    good = set(joined.loc[ok, "city"])
    return sorted(set(points["city"]) - good)


SIMPLIFY_TOLERANCE_DEG = 0.02


def simplified_provinces_geojson(tolerance: float = SIMPLIFY_TOLERANCE_DEG) -> str:
    """Province outlines simplified for the browser (topology kept), as GeoJSON text with ``code`` and names."""
    provinces = load_provinces()[[PROVINCE_CODE, "name_en", "name_fr", "geometry"]].copy()
    provinces["geometry"] = provinces.geometry.simplify(tolerance, preserve_topology=True)
    return provinces.to_json(drop_id=True, to_wgs84=True)
