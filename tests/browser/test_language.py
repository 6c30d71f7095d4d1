"""The reader's language in the browser (issue 16): the EN/FR switch keeps the view, sets the cookie, is legible."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from dashboard import ids


def _contrast(rgb_a: str, rgb_b: str) -> float:
    def luminance(rgb: str) -> float:
        parts = [int(x) / 255 for x in rgb[rgb.index("(") + 1 : rgb.index(")")].split(",")[:3]]
        lin = [p / 12.92 if p <= 0.03928 else ((p + 0.055) / 1.055) ** 2.4 for p in parts]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    a, b = sorted((luminance(rgb_a), luminance(rgb_b)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def test_bl001_the_switch_keeps_explores_filters_and_sets_the_cookie(watched):
    watched.goto("/explore?wave=2024")
    watched.wait_for_charts(4)
    watched.page.locator('button[id*=\'"value":"2018"\']').first.click()
    watched.page.wait_for_function("() => window.location.search.includes('wave=2018')")
    switch = watched.page.locator(f"#{ids.LANG_SWITCH}")
    colour = switch.evaluate("e => getComputedStyle(e).color")
    header = watched.page.locator(".site-header").evaluate("e => getComputedStyle(e).backgroundColor")
    assert _contrast(colour, header) >= 4.5, (colour, header)
    switch.click()
    watched.page.wait_for_function("() => document.documentElement.lang === 'fr'")
    query = {k: v[0] for k, v in parse_qs(urlparse(watched.page.url).query).items()}
    assert query.get("wave") == "2018" and query.get("lang") == "fr"
    watched.wait_for_charts(4)
    assert "Répondants" in watched.page.locator(f"#{ids.EXPLORE_KPIS}").inner_text()
    cookies = {c["name"]: c["value"] for c in watched.page.context.cookies()}
    assert cookies.get("lang") == "fr"
    watched.goto("/network")  # the cookie carries the language to a page opened without ?lang=
    watched.page.wait_for_function("() => document.documentElement.lang === 'fr'")
    assert watched.page.locator(f"#{ids.LANG_SWITCH}").inner_text() == "English"
    watched.assert_clean()


def test_bl004_the_switch_keeps_the_network_pages_view(watched):
    """Wave, type of tie and city live in the address, so the switch (and a copied link) reopens the same view."""
    from tests.browser.test_network import _choose, _wait_graph

    watched.goto("/network")
    _wait_graph(watched)
    page = watched.page
    _choose(page, ids.NETWORK_WAVE, "2012")
    _choose(page, ids.NETWORK_TIE_TYPE, "Referral")
    _choose(page, ids.NETWORK_CITY, "Calgary")
    page.wait_for_function("() => window.location.search.includes('city=calgary')")
    before = {k: v[0] for k, v in parse_qs(urlparse(page.url).query).items()}
    assert (
        before.get("wave") == "2012"
        and before.get("city") == "calgary"
        and before.get("tie_type") not in (None, "_all")
    )
    page.locator(f"#{ids.LANG_SWITCH}").click()
    page.wait_for_function("() => document.documentElement.lang === 'fr'")
    _wait_graph(watched)
    after = {k: v[0] for k, v in parse_qs(urlparse(page.url).query).items()}
    assert after == {**before, "lang": "fr"}
    for control, label in ((ids.NETWORK_WAVE, "2012"), (ids.NETWORK_CITY, "Calgary")):
        page.wait_for_selector(f"#{control} button[aria-pressed='true']:text-is('{label}')")
    assert page.locator(f"#{ids.NETWORK_TIE_TYPE} button[aria-pressed='true']").inner_text() == "Aiguillage"
    watched.assert_clean()
