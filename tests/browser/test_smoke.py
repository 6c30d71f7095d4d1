"""Every page loads, draws its charts, logs no error, stays on the app's host and passes axe-core."""

import pytest

from dashboard import ids
from tests.browser.conftest import _watch

PAGES = [("/", 6), ("/explore", 6), ("/network", 4), ("/voices", 3), ("/present?deck=kaye-2013&slide=3", 1)]


@pytest.mark.parametrize(("path", "charts"), PAGES)
def test_br001_page_loads_draws_and_stays_local(watched, path, charts):
    watched.goto(path)
    watched.wait_for_charts(charts)
    assert watched.page.locator(f"#{ids.SYNTHETIC_NOTICE}").is_visible()
    assert "How to cite" in watched.page.locator(f"#{ids.FOOTER}").inner_text()
    watched.assert_clean()


@pytest.mark.parametrize(("path", "charts"), PAGES)
def test_br002_page_passes_axe(watched, path, charts):
    watched.goto(path)
    watched.wait_for_charts(charts)
    watched.page.locator("details.table-view summary:visible").first.click()  # scan the table view too
    watched.assert_accessible()
    watched.assert_clean()


def test_br003_home_chart_shows_the_published_counts(watched, demo_releases):
    """The chart and its table view show the public release's (rounded) counts, not the microdata's."""
    published = demo_releases["public"].table().frame
    watched.goto("/")
    watched.wait_for_charts(1)
    bars = watched.page.locator(f"#{ids.HOME_RESPONDENTS_CHART} .bars .point")
    assert bars.count() == len(published)
    card = watched.page.locator("section.chart-card", has=watched.page.locator(f"#{ids.HOME_RESPONDENTS_CHART}"))
    card.locator("details.table-view summary").click()
    rows = card.locator("table.data-table tbody tr")
    shown = [rows.nth(i).inner_text().split("\t") for i in range(rows.count())]
    expected = [[str(w), str(int(c))] for w, c in zip(published["wave"], published["count"], strict=True)]
    assert shown == expected
    assert all(int(c) % 5 == 0 for _, c in expected)  # public counts are rounded to base 5
    watched.assert_clean()


def test_br004_skip_link_and_keyboard_navigation(watched):
    watched.goto("/")
    # The skip link is part of the layout Dash draws: wait for it (on a busy machine the first Tab can come first).
    watched.page.locator(f"#{ids.SKIP_LINK}").wait_for(state="attached")
    watched.wait_for_charts(1)
    watched.page.evaluate("() => document.activeElement && document.activeElement.blur()")  # Tab from the top
    watched.page.keyboard.press("Tab")
    focused = watched.page.evaluate("document.activeElement.id")
    assert focused == ids.SKIP_LINK
    watched.page.keyboard.press("Enter")
    watched.page.wait_for_function(f"() => document.activeElement && document.activeElement.id === '{ids.MAIN}'")
    watched.assert_clean()


def test_br005_unknown_address_shows_not_found(watched):
    watched.goto_missing("/nowhere")
    watched.page.get_by_text("Page not found").wait_for()
    assert watched.page.title() == "Page not found"
    watched.assert_clean()


def test_br006_the_watcher_catches_a_request_to_another_host(browser, live_server):
    """The no-outside-request check itself can fail: a fetch to a CDN is recorded (with the CSP bypassed, since the
    app's Content-Security-Policy would stop the fetch before it is made; see br006b)."""
    context = browser.new_context(bypass_csp=True)
    try:
        watched = _watch(context.new_page(), live_server)
        watched.goto("/")
        watched.page.evaluate("fetch('https://cdn.plot.ly/un/world_110m.json').catch(() => null)")
        watched.page.wait_for_timeout(500)
        assert any("cdn.plot.ly" in url for url in watched.outside_requests)
    finally:
        context.close()


def test_br006b_the_content_security_policy_stops_requests_to_other_hosts(watched):
    watched.goto("/")
    watched.page.evaluate("fetch('https://cdn.plot.ly/un/world_110m.json').catch(() => null)")
    watched.page.wait_for_timeout(500)
    assert watched.outside_requests == []
    assert any("Content Security Policy" in e for e in watched.console_errors)
