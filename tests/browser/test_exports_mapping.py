"""The mapping form in Chromium: a steward uploads a Google Forms export, sees every question with a suggested
mapping and the answers that have no code yet, maps the last one, saves, and the wave is checked."""

from __future__ import annotations

from dashboard.steward import exports as X
from tests.ingest import exports_fixtures as F

NAME = "browser-forms-survey"


def test_bx001_a_steward_maps_a_forms_export_and_its_wave_is_checked(login_as, app_config, tmp_path):
    rows = F.responses(16, seed=11)
    rows[0].sites = ["Farm", "Greenhouse nursery"]  # one answer the vocabularies do not know
    export = tmp_path / "Survey (Responses).csv"
    export.write_bytes(F.google_forms_csv(rows))
    saved = X.instruments_dir(app_config) / f"{NAME}.yaml"
    w = login_as("steward")
    try:
        w.goto("/steward")
        w.page.set_input_files("#upload-files", [str(export)])
        w.page.fill("#upload-wave", "2026")
        w.page.click("#upload-submit")
        w.page.wait_for_selector("#mapping-form", timeout=120_000)  # the page refreshes itself while checking
        assert "Google Forms" in w.page.locator("#mapping-intro").inner_text()
        assert w.page.locator("#q-city").input_value() == F.Q_CITY
        assert w.page.locator("#q-labour_site").input_value() == F.Q_SITES
        assert "Greenhouse nursery" in w.page.locator("#unmapped-list").inner_text()
        columns = w.page.locator("#columns-table").inner_text()
        assert "Timestamp" in columns and "Email Address" in columns and "@example.org" not in columns
        w.assert_accessible()

        w.page.fill("#instrument-name", NAME)
        label = w.page.locator("#options-labour_site label", has_text="Greenhouse nursery")
        w.page.select_option(f"#{label.get_attribute('for')}", "agriculture")
        w.page.click("#mapping-save")
        w.page.wait_for_selector("#upload-checked, #upload-refused", timeout=120_000)
        assert "gave 16 respondents" in w.page.locator("#export-counts").inner_text()
        assert "platform metadata" in w.page.locator("#notices-list").inner_text()
        assert saved.is_file() and "Greenhouse nursery: agriculture" in saved.read_text(encoding="utf-8")
    finally:
        saved.unlink(missing_ok=True)
    w.assert_clean()
