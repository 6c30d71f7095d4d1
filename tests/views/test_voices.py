"""The voices page's view (``dashboard.views.voices``): each card's published rows and their download, and the
download callback posted as each role (the tier's export policy, one ``export`` audit record)."""

import io
import json

import pandas as pd
import pytest

from dashboard import ids
from dashboard.data.schema import C
from dashboard.data.vocab import vocabularies
from dashboard.published import table as TB
from dashboard.published.export import to_csv
from dashboard.published.voices_schema import TOTAL, VO, K
from dashboard.views import voices as V
from dashboard.views.downloads import Export


def _published(release, card: str) -> pd.DataFrame:
    """The card's rows as published (the method card: each method, then the total of all sources, as its table)."""
    themes = release.extras[VO.THEMES]
    breakdowns = {V.METHOD: [C.METHOD, TOTAL], V.SECTOR: [C.SECTOR, C.SECTOR_GROUP], V.CITY: [C.CITY]}[card]
    return pd.concat([themes[themes[K.BREAKDOWN] == b] for b in breakdowns], ignore_index=True)


@pytest.mark.parametrize("tier", ["funder", "coalition"])
@pytest.mark.parametrize("card", V.CARDS)
def test_vv001_a_card_downloads_its_published_rows_unchanged(demo_releases, tier, card):
    release = demo_releases[tier]
    export = V.export_of(release, vocabularies(), {"card": card, "fmt": "csv"}, "en")
    assert isinstance(export, Export)
    assert (export.table, export.fmt, export.parts) == (VO.THEMES, "csv", (card,))
    published = _published(release, card)
    frame = pd.read_csv(io.StringIO(to_csv(export.frame)), dtype=str, keep_default_na=False)
    assert len(frame) == len(published) > 0
    counts = ["" if pd.isna(v) else str(int(v)) for v in published[TB.COUNT]]
    assert frame["Sources coding the theme"].tolist() == counts  # every number is the published one, hidden empty
    assert frame["Flag"].tolist() == published[TB.FLAG].tolist()
    assert frame["Theme (code)"].tolist() == published[C.THEME].tolist()
    assert sorted(set(frame.iloc[:, 1])) == sorted(set(published[K.CATEGORY]))  # the category codes beside labels


def test_vv002_the_sector_card_gives_the_tier_s_sector_breakdown(demo_releases):
    funder = V.export_of(demo_releases["funder"], vocabularies(), {"card": V.SECTOR, "fmt": "csv"}, "fr")
    coalition = V.export_of(demo_releases["coalition"], vocabularies(), {"card": V.SECTOR, "fmt": "xlsx"}, "fr")
    assert funder is not None and coalition is not None
    assert list(funder.frame.columns[:2]) == ["Groupe de secteurs", "Groupe de secteurs (code)"]
    assert list(coalition.frame.columns[:2]) == ["Secteur", "Secteur (code)"]
    assert list(coalition.frame.columns[2:]) == ["Thème", "Thème (code)", "Sources qui abordent le thème", "Indicateur"]


@pytest.mark.parametrize(
    ("tier", "button"),
    [
        ("public", {"card": V.METHOD, "fmt": "csv"}),  # the public tier exports chart images only
        ("funder", {"card": V.METHOD, "fmt": "xlsx"}),  # funders export CSV only
        ("coalition", {"card": V.METHOD, "fmt": "pdf"}),
        ("coalition", {"card": "quotes", "fmt": "csv"}),  # not a card: quotes are not a table
        ("coalition", {"card": ["method"], "fmt": "csv"}),
        ("coalition", {"fmt": "csv"}),
    ],
)
def test_vv003_a_forged_button_or_a_format_the_tier_does_not_export_gives_nothing(demo_releases, tier, button):
    assert V.export_of(demo_releases[tier], vocabularies(), button, "en") is None


# ----------------------------------------------------------------------------------- the callback, as each role
BUTTONS = [{"type": ids.VOICES_DOWNLOAD_BUTTON, "card": c, "fmt": f} for c in V.CARDS for f in ("csv", "xlsx")]


def _request(button: dict) -> dict:
    buttons = BUTTONS if button in BUTTONS else [*BUTTONS, button]
    changed = json.dumps(button, sort_keys=True, separators=(",", ":")) + ".n_clicks"
    return {
        "output": f"{ids.VOICES_DOWNLOAD}.data",
        "outputs": {"id": ids.VOICES_DOWNLOAD, "property": "data"},
        "inputs": [[{"id": b, "property": "n_clicks", "value": 1 if b == button else None} for b in buttons]],
        "changedPropIds": [changed],
        "state": [],
    }


def _exports(app_config) -> int:
    return app_config.audit_log.read_text(encoding="utf-8").count('"export"')


@pytest.mark.parametrize(("role", "fmt"), [("funder", "csv"), ("coalition", "csv"), ("coalition", "xlsx")])
def test_vv101_funders_and_coalition_members_download_a_card_with_one_audit_record(role_clients, app_config, role, fmt):
    before = _exports(app_config)
    response = role_clients[role].post("/_dash-update-component", json=_request(BUTTONS[0] | {"fmt": fmt}))
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    data = response.get_json()["response"][ids.VOICES_DOWNLOAD]["data"]
    assert data["filename"] == f"voices_themes_method.{fmt}"
    assert _exports(app_config) == before + 1
    last = json.loads(app_config.audit_log.read_text(encoding="utf-8").splitlines()[-1])
    assert last["event"] == "export" and last["table"] == VO.THEMES and last["format"] == fmt


@pytest.mark.parametrize(
    ("role", "button"),
    [("public", BUTTONS[0]), ("funder", BUTTONS[1]), ("coalition", {**BUTTONS[0], "fmt": "pdf"})],
)
def test_vv102_a_format_the_tier_does_not_export_sends_nothing_and_records_nothing(
    role_clients, app_config, role, button
):
    before = _exports(app_config)
    response = role_clients[role].post("/_dash-update-component", json=_request(button))
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.get_json()["response"] == {}  # no update: nothing sent
    assert _exports(app_config) == before
