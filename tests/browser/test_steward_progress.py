"""The steward's progress in Chromium (issue 17, item 5): a wave uploaded and prepared from the steward page shows
its stage, step k of n and a progress bar while the preparation runs, and all stages done afterwards."""

from __future__ import annotations

import re

import pytest

from dashboard.steward import progress as PG
from tests.steward.conftest import write_wave

STAGE_LINE = re.compile(r"stage (\d+) of (\d+): (.+) \(\d+ s so far\)")


@pytest.mark.slow  # a preparation: a full build (of the small dataset plus a wave, on the small release's server)
def test_bp001_a_preparation_shows_its_stage_and_progress_then_all_stages_done(small_steward, tmp_path):
    files = write_wave(tmp_path / "wave", 70)
    w = small_steward
    w.goto("/steward")
    w.page.set_input_files("#upload-files", [str(p) for p in files])
    w.page.click("#upload-submit")
    w.page.wait_for_selector("#prepare-submit", timeout=120_000)  # the page reloads itself when the check ends
    checked = w.page.locator("#progress-text").inner_text()
    assert f"finished all {len(PG.STAGES[PG.CHECK])} stages" in checked
    w.page.click("#prepare-submit")
    assert "waiting to start" in w.page.locator("#progress-text").inner_text()  # recorded before the job starts
    # the page reloads when the build (several seconds) moves to another stage
    w.page.wait_for_function(
        "() => /is at stage/.test(document.querySelector('#progress-text')?.textContent || '')", timeout=60_000
    )
    found = STAGE_LINE.search(w.page.locator("#progress-text").inner_text())
    assert found, w.page.locator("#progress-text").inner_text()
    step, steps = int(found.group(1)), int(found.group(2))
    assert steps == len(PG.STAGES[PG.PREPARE]) and 1 <= step <= steps
    bar = w.page.locator("#progress-bar")
    assert int(bar.get_attribute("value")) == step and int(bar.get_attribute("max")) == steps
    # no timed <meta refresh> (WCAG 2.2.1): a script asks the progress JSON and reloads when the stage changes
    assert w.page.locator("meta[http-equiv='refresh']").count() == 0
    assert w.page.locator("script[src='/assets/steward-refresh.js']").count() == 1
    w.page.wait_for_selector("#publish-submit", timeout=240_000)
    done = w.page.locator("#progress-text").inner_text()
    assert f"finished all {len(PG.STAGES[PG.PREPARE])} stages" in done
    assert w.page.locator("#progress-bar").get_attribute("value") == str(len(PG.STAGES[PG.PREPARE]))
    w.assert_accessible()
    w.assert_clean()
