"""Filesystem locations. Imports nothing from the package, on purpose."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_ROOT / "data"
VOCAB_DIR = DATA_DIR / "vocabularies"
GEO_DIR = DATA_DIR / "geo"
DEMO_DATASET_DIR = DATA_DIR / "demo"
MESSAGES_FILE = DATA_DIR / "messages.yaml"
MESSAGES_DIR = DATA_DIR / "messages"
VARIABLES_FILE = DATA_DIR / "variables.yaml"
CITIES_CSV = GEO_DIR / "canada_cities.csv"
PROVINCES_GEOJSON = GEO_DIR / "canada_provinces.geojson"
ASSETS_DIR = REPO_ROOT / "assets"
PROVINCES_ASSET = "geo/canada_provinces.geojson"  # the simplified outlines, under ASSETS_DIR (served by the app)
DECKS_DIR = DATA_DIR / "decks"
