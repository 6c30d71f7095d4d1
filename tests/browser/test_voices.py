"""The voices page in headless Chromium: charts, content note, the hide-quotes control, axe-core (public tier);
the downloads each tier's policy offers (funder: CSV, coalition: CSV and XLSX)."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard import ids
from dashboard.data.schema import C
from dashboard.published import table as TB
from dashboard.published.dims import ALL
from dashboard.published.voices_schema import TOTAL, VO, K
from tests.browser.conftest import Watched

TOGGLE = f"#{ids.VOICES_QUOTES_TOGGLE}"
BODY = f"#{ids.VOICES_QUOTES_BODY}"


def _open(watched: Watched, path: str = "/voices") -> None:
    watched.goto(path)
    watched.wait_for_charts(3)
    watched.page.wait_for_selector(f"{BODY} blockquote")


def _expect(watched: Watched, shown: bool, label: str) -> None:
    """Wait until the quotes are shown or hidden, and check the button says so to assistive technology."""
    page = watched.page
    page.wait_for_function(
        "([s, b, l]) => { const e = document.querySelector(s); const t = document.querySelector(b);"
        " return e && t && e.hidden === !l[0] && t.innerText.trim() === l[1]; }",
        arg=[BODY, TOGGLE, [shown, label]],
    )
    assert page.locator(TOGGLE).get_attribute("aria-expanded") == ("true" if shown else "false")
    assert page.locator(TOGGLE).get_attribute("aria-controls") == ids.VOICES_QUOTES_BODY
    assert page.locator(f"{BODY} blockquote").first.is_visible() is shown


def test_br301_voices_page_draws_its_charts_and_public_quotes_only(watched, demo_releases):
    _open(watched)
    page = watched.page
    assert page.locator(f"#{ids.SYNTHETIC_NOTICE}").is_visible()
    assert page.locator(f"#{ids.VOICES_METHOD} .js-plotly-plot .bars .point").count() > 0
    published = demo_releases["public"].extras
    quotes = published[VO.QUOTES]
    shown = page.locator(f"{BODY} blockquote")
    assert shown.count() == len(quotes)
    assert [shown.nth(i).inner_text().strip() for i in range(shown.count())] == list(quotes[C.TEXT])
    captions = page.locator(f"{BODY} figcaption")
    assert [captions.nth(i).inner_text() for i in range(captions.count())] == [f"— {a}" for a in quotes[C.ATTRIBUTION]]
    coalition_only = set(demo_releases["coalition"].extras[VO.QUOTES][C.TEXT]) - set(quotes[C.TEXT])
    text = page.locator("main").inner_text()
    assert coalition_only and not any(q in text for q in coalition_only)
    # the content note comes before the first quote
    order = page.evaluate(
        "([n, q]) => document.querySelector(n).compareDocumentPosition(document.querySelector(q))",
        [f"#{ids.VOICES_CONTENT_NOTE}", f"{BODY} blockquote"],
    )
    assert order & 4  # Node.DOCUMENT_POSITION_FOLLOWING
    # the method table view shows the published total of all sources
    themes = published[VO.THEMES]
    total = themes[(themes[K.BREAKDOWN] == TOTAL) & (themes[C.THEME] == ALL)][TB.COUNT].iloc[0]
    page.locator(f"#{ids.VOICES_METHOD}-title ~ details summary").click()
    first_row = page.locator(f"#{ids.VOICES_METHOD}-title ~ details table tbody tr").first.inner_text().split("\t")
    assert first_row[:2] == ["Any theme (all sources)", str(int(total))]
    assert "x: hidden to protect participants" in text
    # SPEC §4: the public tier saves chart images only; no card offers its table for download
    assert page.locator(f"[id*='{ids.VOICES_DOWNLOAD_BUTTON}']").count() == 0
    assert page.locator(f"#{ids.VOICES_METHOD}-title ~ .downloads").inner_text().startswith("Save the chart as an")
    watched.assert_clean()


def test_br302_hide_quotes_control_works_by_keyboard_and_mouse(watched):
    _open(watched)
    page = watched.page
    _expect(watched, True, "Hide quotes")
    toggle = page.locator(TOGGLE)
    toggle.focus()
    page.keyboard.press("Enter")
    _expect(watched, False, "Show quotes")
    assert page.evaluate("document.activeElement.id") == ids.VOICES_QUOTES_TOGGLE  # focus stays on the control
    page.keyboard.press("Space")
    _expect(watched, True, "Hide quotes")
    toggle.click()
    _expect(watched, False, "Show quotes")
    assert page.locator(f"#{ids.VOICES_QUOTES_STATUS}").inner_text() == "Quotes are hidden."
    assert page.locator(f"#{ids.VOICES_CONTENT_NOTE}").is_visible()  # the note stays; only the quotes go
    toggle.click()
    _expect(watched, True, "Hide quotes")
    watched.assert_clean()


def test_br303_voices_page_passes_axe_with_tables_open_and_quotes_hidden(watched):
    _open(watched)
    summaries = watched.page.locator("details.table-view summary")
    assert summaries.count() == 3
    for i in range(summaries.count()):
        summaries.nth(i).click()
    watched.assert_accessible()
    watched.page.locator(TOGGLE).click()
    _expect(watched, False, "Show quotes")
    watched.assert_accessible()
    watched.assert_clean()


def test_br304_voices_page_in_french(watched):
    _open(watched, "/voices?lang=fr")
    _expect(watched, True, "Masquer les citations")
    watched.page.locator(TOGGLE).click()
    _expect(watched, False, "Afficher les citations")
    assert watched.page.locator(f"{BODY} figure blockquote").first.get_attribute("lang") == "en"  # quotes as said
    assert "Avertissement sur le contenu" in watched.page.locator(f"#{ids.VOICES_CONTENT_NOTE}").inner_text()
    watched.assert_clean()


DOWNLOADS = f"[id*='{ids.VOICES_DOWNLOAD_BUTTON}']"


@pytest.mark.parametrize(
    ("role", "formats"), [("funder", ["Download CSV"]), ("coalition", ["Download CSV", "Download XLSX"])]
)
def test_br305_funders_and_coalition_members_download_a_card_s_published_table(login_as, demo_releases, role, formats):
    member = login_as(role)
    _open(member)
    page = member.page
    for card in (ids.VOICES_METHOD, ids.VOICES_SECTOR, ids.VOICES_CITY):
        buttons = page.locator(f"#{card}-title ~ .downloads {DOWNLOADS}")
        assert [buttons.nth(i).inner_text() for i in range(buttons.count())] == formats
    assert page.locator(DOWNLOADS).count() == 3 * len(formats)
    with page.expect_download() as info:
        page.locator(f"#{ids.VOICES_CITY}-title ~ .downloads {DOWNLOADS}", has_text="Download CSV").click()
    download = info.value
    assert download.suggested_filename == "voices_themes_city.csv"
    frame = pd.read_csv(download.path(), dtype=str, keep_default_na=False)
    themes = demo_releases[role].extras[VO.THEMES]
    published = themes[themes[K.BREAKDOWN] == C.CITY]
    assert list(frame.columns) == ["City", "City (code)", "Theme", "Theme (code)", "Sources coding the theme", "Flag"]
    assert frame["City (code)"].tolist() == published[K.CATEGORY].tolist()
    counts = ["" if pd.isna(v) else str(int(v)) for v in published[TB.COUNT]]
    assert frame["Sources coding the theme"].tolist() == counts  # the published counts, a hidden one empty
    member.assert_clean()
