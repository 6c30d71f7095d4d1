"""The summary page (``/``) and its one-pager: figures as published, a 1–2 page PDF, print button, print styles.

Expected figures are read from the public release's tables (the tier the test app serves), not hard-coded.
"""

from __future__ import annotations

import subprocess
import unicodedata
from pathlib import Path

import pandas as pd
import pytest
from pypdf import PdfReader

from dashboard import ids
from dashboard.published import dims as D
from dashboard.published import table as TB
from dashboard.summary import headline_sentences

from .conftest import CHROMIUM_ARGS

CHARTS = 6  # respondents, two trends, map, labour sites, types of victimisation


def _latest_row(release, dims: tuple[str, ...], **values: str) -> pd.Series:
    frame = release.table(*dims).frame
    mask = frame[D.WAVE] == max(release.waves)
    for dim, value in values.items():
        mask &= frame[dim] == value
    return frame[mask].iloc[0]


def _open(watched, path: str = "/") -> None:
    watched.goto(path)
    watched.wait_for_charts(CHARTS)


def _flat(text: str) -> str:
    """PDF text as one line, with ligatures (ﬁ, ﬃ) unfolded."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def test_br501_kpis_show_the_published_figures(watched, demo_releases):
    public = demo_releases["public"]
    _open(watched)
    page = watched.page
    total = _latest_row(public, ())
    assert page.locator(f"#{ids.summary_kpi_id('respondents')} .kpi-value").inner_text() == f"{int(total[TB.COUNT]):,}"
    for key, item in (("contact", D.CONTACT), ("trained", D.TRAINED)):
        row = _latest_row(public, (item,), **{item: "yes"})
        kpi = page.locator(f"#{ids.summary_kpi_id(key)}")
        value = kpi.locator(".kpi-value").inner_text()
        if pd.isna(row[TB.PCT]):
            assert value == TB.SUPPRESSED
            continue
        assert value == f"{float(row[TB.PCT]):.1f}% {row[TB.PCT_FLAG]}".strip()
        detail = kpi.inner_text()
        assert f"about {int(row[TB.COUNT])} of {int(row[TB.N])}" in detail  # public counts are rounded
        assert f"95% CI {float(row[TB.CI_LO]):.1f}–{float(row[TB.CI_HI]):.1f}%" in detail
    findings = page.locator(f"#{ids.SUMMARY_FINDINGS}").inner_text()
    for sentence in headline_sentences(public, "en"):
        assert sentence.text in findings
    assert "City shares are not part of the public release" in page.locator(f"#{ids.SUMMARY_CITIES}").inner_text()
    vintage = page.locator(f"#{ids.SUMMARY_VINTAGE}").inner_text()
    assert public.meta["dataset"]["citation"] in vintage and public.meta["dataset"]["source"]["en"] in vintage
    watched.assert_accessible()
    watched.assert_clean()


def test_br502_print_to_pdf_gives_one_or_two_pages_with_the_figures_and_source(
    watched, demo_releases, live_server, chromium_path, tmp_path: Path
):
    public = demo_releases["public"]
    _open(watched)
    assert watched.page.locator(f"#{ids.SUMMARY_PRINT}").is_visible()
    out = tmp_path / "summary.pdf"
    args = [a for a in CHROMIUM_ARGS if a.startswith("--host-resolver-rules")]
    command = [
        str(chromium_path),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--run-all-compositor-stages-before-draw",
        "--virtual-time-budget=15000",
        *args,
        f"--print-to-pdf={out}",
        f"{live_server}/",
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=120)
    reader = PdfReader(out)
    assert 1 <= len(reader.pages) <= 2, len(reader.pages)
    text = _flat(" ".join(p.extract_text() for p in reader.pages))
    contact = next(s for s in headline_sentences(public, "en") if "contact" in s.key)
    assert contact.text in text
    assert f"Source: {public.meta['dataset']['source']['en']}" in text
    assert "How to cite: Kaye" in text
    assert "Print / save as PDF" not in text and "Table view" not in text  # buttons and table views are left out
    watched.assert_clean()


def test_br503_print_button_works_from_the_keyboard(watched):
    _open(watched)
    page = watched.page
    page.evaluate("() => { window.__prints = 0; window.print = () => { window.__prints += 1; }; }")
    for _ in range(40):  # Tab through the page until the button has focus
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == ids.SUMMARY_PRINT:
            break
    assert page.evaluate("document.activeElement.id") == ids.SUMMARY_PRINT
    page.keyboard.press("Enter")
    page.wait_for_function("() => window.__prints === 1")
    page.keyboard.press("Space")
    page.wait_for_function("() => window.__prints === 2")
    watched.assert_clean()


def test_br504_printing_scales_charts_and_hides_controls(watched):
    _open(watched)
    page = watched.page
    figures = ".summary-page .chart-card [role=figure]"
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    zooms = page.eval_on_selector_all(figures, "els => els.map(e => parseFloat(e.style.zoom))")
    assert len(zooms) == CHARTS and all(0 < z < 1 for z in zooms)
    page.emulate_media(media="print")
    hidden = (f"#{ids.NAV}", f"#{ids.SKIP_LINK}", f"#{ids.SUMMARY_PRINT}", "details.table-view", f"#{ids.LANG_SWITCH}")
    for selector in (*hidden, f"#{ids.LOGIN_LINK}"):
        assert not page.locator(selector).first.is_visible(), selector
    for selector in (f"#{ids.SUMMARY_KPIS}", f"#{ids.SUMMARY_FINDINGS}", f"#{ids.SUMMARY_VINTAGE}"):
        assert page.locator(selector).is_visible(), selector
    page.emulate_media(media="screen")
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    assert page.eval_on_selector_all(figures, "els => els.map(e => e.style.zoom)") == [""] * CHARTS
    assert page.locator(f"#{ids.NAV}").is_visible()
    watched.assert_clean()


@pytest.mark.parametrize(("lang", "heading", "word"), [("fr", "Les tendances de la traite", "répondants")])
def test_br505_summary_in_french(watched, demo_releases, lang, heading, word):
    _open(watched, f"/?lang={lang}")
    page = watched.page
    assert heading in page.locator("h1").inner_text()
    findings = page.locator(f"#{ids.SUMMARY_FINDINGS}").inner_text()
    for sentence in headline_sentences(demo_releases["public"], lang):
        assert sentence.text in findings
    assert word in findings and "Imprimer" in page.locator(f"#{ids.SUMMARY_PRINT}").inner_text()
    watched.assert_accessible()
    watched.assert_clean()


def test_br506_a_funder_downloads_a_cards_published_table(login_as, demo_releases):
    """Every page offers the table on screen in the tier's formats: funders CSV from the summary's cards too."""
    funder = login_as("funder")
    _open(funder)
    page = funder.page
    assert page.locator("button", has_text="Download XLSX").count() == 0  # XLSX is for coalition members
    card = page.locator(f"#{ids.HOME_RESPONDENTS_CHART}").locator("xpath=ancestor::section[1]")
    with page.expect_download() as info:
        card.locator("button", has_text="Download CSV").click()
    assert info.value.suggested_filename == "summary_respondents.csv"
    frame = pd.read_csv(info.value.path(), dtype=str, keep_default_na=False)
    published = demo_releases["funder"].table().frame
    expected = ["x" if pd.isna(c) else str(int(c)) for c in published[TB.COUNT]]
    assert frame["Respondents"].tolist() == expected
    funder.assert_clean()


def test_br507_the_public_summary_offers_chart_images_only(watched):
    _open(watched)
    assert watched.page.locator("button", has_text="Download CSV").count() == 0
    watched.assert_clean()
