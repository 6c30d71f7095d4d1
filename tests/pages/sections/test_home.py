"""The summary page's downloads (``dashboard.pages.sections.home``): each card sends the published rows it shows."""

import io

import pandas as pd
import pytest

from dashboard import ids
from dashboard.pages.sections import home as H
from dashboard.published import dims as D
from dashboard.published import table as TB
from tests.support import requests as R

UPDATE = "/_dash-update-component"


def _counts(frame: pd.DataFrame, heading: str) -> list[str]:
    return ["x" if pd.isna(c) or c == TB.SUPPRESSED else str(int(c)) for c in frame[heading]]


def _by_code(frame: pd.DataFrame) -> dict[str, str]:
    """An exported card's counts by the code of its last dimension (its last ``… (code)`` column)."""
    code = [c for c in frame.columns if c.endswith("(code)")][-1]
    return dict(zip(frame[code], _counts(frame, "Respondents"), strict=True))


def _published(release, dim: str, wave: int) -> dict[str, str]:
    frame = release.table(dim).frame
    rows = frame[frame[D.WAVE] == wave]
    return dict(zip(rows[dim].astype(str), _counts(rows, TB.COUNT), strict=True))


@pytest.mark.parametrize("tier", ["public", "funder", "coalition"])
@pytest.mark.parametrize("card", H.CARDS)
def test_sh001_a_card_downloads_the_published_rows_its_table_view_shows(demo_releases, tier, card):
    release = demo_releases[tier]
    found = H.export_table(release, card, "en")
    if found is None:  # nothing published for the tier: the page shows a note instead of the card
        assert card in (H.TREND_CONTACT, H.TREND_TRAINED, H.MAP)
        return
    frame, parts = found
    latest = max(release.waves)
    if card == H.RESPONDENTS:
        published = release.table().frame
        assert _counts(frame, "Respondents") == _counts(published, TB.COUNT)
        assert frame["Survey wave"].astype(int).tolist() == published[D.WAVE].astype(int).tolist()
        assert parts == []
    elif card in (H.TREND_CONTACT, H.TREND_TRAINED):  # the "yes" rows of every wave, as the card's table view
        item = D.CONTACT if card == H.TREND_CONTACT else D.TRAINED
        published = release.table(item).frame
        yes = published[published[item] == "yes"]
        assert _counts(frame, "Respondents") == _counts(yes, TB.COUNT)
        assert set(_by_code(frame)) == {"yes"} and parts == []
    elif card == H.MAP:
        dim = D.CITY if D.CITY in "".join(frame.columns).lower() else D.PROVINCE
        assert _by_code(frame) == _published(release, dim, latest) and parts == [f"wave={latest}"]
    else:
        wave = int(parts[0].removeprefix("wave="))
        assert _by_code(frame) == _published(release, card, wave)


@pytest.mark.parametrize("card", ["", "../../etc/passwd", "x" * 5000, "trend_sector"])
def test_sh002_a_name_that_is_no_card_gives_nothing(demo_releases, card):
    assert H.export_table(demo_releases["coalition"], card, "en") is None


def test_sh003_a_funder_downloads_a_card_as_csv_and_the_public_gets_nothing(client, role_clients, demo_releases):
    body = R.summary_download_request(H.RESPONDENTS, "csv", H.CARDS)
    out = role_clients["funder"].post(UPDATE, json=body)
    assert out.status_code == 200, out.get_data(as_text=True)[:300]
    sent = out.get_json()["response"][ids.SUMMARY_DOWNLOAD]["data"]
    assert sent["filename"] == "summary_respondents.csv"
    frame = pd.read_csv(io.StringIO(sent["content"]), dtype=str, keep_default_na=False)
    assert _counts(frame, "Respondents") == _counts(demo_releases["funder"].table().frame, TB.COUNT)
    for forged in (
        client.post(UPDATE, json=body),
        role_clients["funder"].post(UPDATE, json=R.summary_download_request(H.RESPONDENTS, "xlsx", H.CARDS)),
        role_clients["coalition"].post(UPDATE, json=R.summary_download_request("../x", "csv", H.CARDS)),
    ):
        assert forged.status_code in (200, 204)
        answer = forged.get_json() if forged.status_code == 200 else {"response": {}}
        assert ids.SUMMARY_DOWNLOAD not in answer["response"]


@pytest.mark.parametrize(
    "button",
    [
        {"chart": "respondents", "fmt": "xlsx"},  # funders export CSV only
        {"chart": "respondents", "fmt": "exe"},
        {"chart": ["respondents"], "fmt": "csv"},
        {"chart": "respondents"},
        {"fmt": "csv"},
    ],
)
def test_sh004_a_button_the_tier_does_not_export_gives_nothing(demo_releases, button):
    assert H.export_of(demo_releases["funder"], button, "en") is None


def test_sh005_a_valid_button_names_its_file_from_the_card(demo_releases):
    release = demo_releases["coalition"]
    export = H.export_of(release, {"chart": D.LABOUR_SITE, "fmt": "xlsx"}, "fr")
    assert export is not None and export.table == "summary_labour_site" and export.fmt == "xlsx"
    assert export.parts == (f"wave={H.H.top_categories(release, D.LABOUR_SITE).wave}",)
    assert "Répondants" in export.frame.columns
