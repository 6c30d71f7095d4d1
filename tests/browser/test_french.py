"""The dashboard in French, in headless Chromium (issue 16): every page, axe-clean; the switch keeps the slide; a
French permalink reopens the same view; no control's text is cut at 1,400 and 800 px wide, in either language.

The texts themselves are checked without a browser (``tests/test_french_pages.py``); here: what only a browser shows.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from dashboard import ids

DECK = "kaye-2013"
# (address, charts drawn): every page of the public site, in French
PAGES = [
    ("/?lang=fr", 6),
    ("/explore?lang=fr", 6),
    ("/network?lang=fr", 4),
    ("/voices?lang=fr", 3),
    (f"/present?deck={DECK}&slide=3&lang=fr", 1),
    ("/nowhere?lang=fr", 0),
    ("/login?lang=fr", 0),
]
ENGLISH_MODEBAR = {"Share chart...", "Download plot as a png", "Zoom in", "Zoom out", "Pan", "Reset axes", "Autoscale"}
FILTER_PAGES = [("/explore", 6), ("/network", 4)]
WIDTHS = (1400, 800)

# Controls whose text is cut: wider or taller than their own box, or outside an ancestor that hides its overflow.
CLIPPED = """() => {
  const controls = document.querySelectorAll(
    'button, a, label, legend, summary, select, .chip, [role=button]');
  const cut = [];
  for (const el of controls) {
    if (el.closest('.js-plotly-plot, .skip-link, [hidden]') || !el.getClientRects().length) { continue; }
    const name = (el.innerText || el.getAttribute('aria-label') || '').trim().slice(0, 60);
    const style = getComputedStyle(el);
    if (style.display !== 'inline' && (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1)) {
      cut.push(['overflows its box', name, el.scrollWidth, el.clientWidth]);
      continue;
    }
    const box = el.getBoundingClientRect();
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      const s = getComputedStyle(up);
      if ([s.overflowX, s.overflowY].every(v => v === 'visible')) { continue; }
      const r = up.getBoundingClientRect();
      if (box.left < r.left - 1 || box.right > r.right + 1 || box.top < r.top - 1 || box.bottom > r.bottom + 1) {
        cut.push(['cut by ' + (up.id || up.className || up.tagName), name]);
      }
      break;
    }
  }
  if (document.documentElement.scrollWidth > window.innerWidth + 1) {
    cut.push(['page wider than the window', document.documentElement.scrollWidth, window.innerWidth]);
  }
  return cut;
}"""


def _query(page) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(page.url).query).items()}


def _french(watched) -> None:
    watched.page.wait_for_function("() => document.documentElement.lang === 'fr'")


@pytest.mark.parametrize(("path", "charts"), PAGES)
def test_bf001_every_page_in_french_draws_and_passes_axe(watched, path, charts):
    if path.startswith("/nowhere"):
        watched.goto_missing(path)
        assert watched.page.title() == "Page introuvable"
    else:
        watched.goto(path)
    _french(watched)
    if charts:
        watched.wait_for_charts(charts)
        # the mode bar speaks French too (plotly's French dictionary, served by the app)
        titles = watched.page.eval_on_selector_all(".modebar-btn", "els => els.map(e => e.dataset.title)")
        assert "Télécharger le graphique en fichier PNG" in titles or path.startswith("/present"), titles
        assert not set(titles) & ENGLISH_MODEBAR, titles  # and offers no upload to a chart server
    # while a page's layout loads, dash-renderer's "Loading..." reads in French
    loading = watched.page.evaluate(
        """() => { const e = document.createElement('div'); e.className = '_dash-loading'; e.textContent = 'Loading...';
        document.body.appendChild(e); const s = getComputedStyle(e, '::after').content;
        const size = getComputedStyle(e).fontSize; e.remove(); return [s, size]; }"""
    )
    dash_page = watched.page.locator("#react-entry-point").count() == 1  # /login is a plain form
    assert loading == ['"Chargement…"', "0px"] or not dash_page, loading
    if watched.page.locator("details.table-view summary:visible").count():
        watched.page.locator("details.table-view summary:visible").first.click()  # scan the table view too
    switch = watched.page.locator(f"a.present-lang, #{ids.LANG_SWITCH}").locator("visible=true").first
    assert switch.inner_text() == "English" and switch.get_attribute("lang") == "en"
    assert "lang=en" in (switch.get_attribute("href") or "") and "_dash" not in (switch.get_attribute("href") or "")
    watched.assert_accessible()
    watched.assert_clean()


def test_bf002_the_switch_keeps_the_slide_and_sets_the_cookie(watched):
    """The presentation hides the site's header: its own language link (in the controls) is its switch."""
    watched.goto(f"/present?deck={DECK}&slide=3&lang=en")
    watched.page.wait_for_function(f"() => document.getElementById('{ids.PRESENT_COUNTER}') !== null")
    watched.page.keyboard.press("ArrowRight")
    watched.page.wait_for_function("() => window.location.search.includes('slide=4')")
    watched.page.locator("a.present-lang[hreflang=fr]").click()
    _french(watched)
    query = _query(watched.page)
    assert query["slide"] == "4" and query["lang"] == "fr" and query["deck"] == DECK
    counter = watched.page.locator(f"#{ids.PRESENT_COUNTER}").inner_text()
    assert counter.startswith("4 ")
    assert watched.page.locator(f"#{ids.present_slide_id(4)}").is_visible()
    assert {c["name"]: c["value"] for c in watched.page.context.cookies()}.get("lang") == "fr"
    watched.page.locator("a.present-lang[hreflang=en]").click()  # and back, still on slide 4
    watched.page.wait_for_function("() => document.documentElement.lang === 'en'")
    assert _query(watched.page)["slide"] == "4"
    watched.assert_clean()


def test_bf003_a_french_permalink_reopens_the_same_filters_in_french(browser, live_server, watched):
    watched.goto("/explore?wave=2018&city=calgary&lang=fr")
    _french(watched)
    watched.wait_for_charts(6)
    active = watched.page.locator(f"#{ids.EXPLORE_ACTIVE}").inner_text()
    assert "Filtres actifs" in active and "Ville\u00a0: Calgary" in active, active
    pressed = watched.page.locator('#explore-filter-wave button[aria-pressed="true"]').inner_text()
    assert pressed == "2018"
    watched.page.locator("#explore-filter-wave").get_by_role("button", name="2016").click()
    watched.page.wait_for_function("() => window.location.search.includes('wave=2016')")
    link = watched.page.url  # the address a reader copies
    assert _query(watched.page) == {"wave": "2016", "city": "calgary", "lang": "fr"}
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # someone else opens the link
    try:
        page = context.new_page()
        page.goto(link, wait_until="networkidle")
        page.wait_for_function("() => document.documentElement.lang === 'fr'")
        page.wait_for_function(f"() => document.querySelector('#{ids.EXPLORE_KPIS}')?.innerText.includes('Répondants')")
        assert page.locator('#explore-filter-wave button[aria-pressed="true"]').inner_text() == "2016"
        assert page.locator(f"#{ids.EXPLORE_ACTIVE}").inner_text() == active
        assert page.locator("#explore-filter-wave legend").inner_text() == "Vague d'enquête"
    finally:
        context.close()
    watched.assert_clean()


@pytest.mark.parametrize("lang", ("en", "fr"))
@pytest.mark.parametrize("width", WIDTHS)
def test_bf004_no_control_is_cut_on_the_filter_pages(browser, live_server, login_as, width, lang):
    """At 1,400 and 800 px wide, in both languages, every control of explore and network shows its whole text (the
    coalition tier: the most filters and the longest labels)."""
    member = login_as("coalition")
    member.page.set_viewport_size({"width": width, "height": 900})
    found = {}
    for path, charts in FILTER_PAGES:
        member.goto(f"{path}?lang={lang}")
        member.page.wait_for_function(f"() => document.documentElement.lang === '{lang}'")
        member.wait_for_charts(charts)
        found[path] = member.page.evaluate(CLIPPED)
    assert {k: v for k, v in found.items() if v} == {}, (width, lang)
    member.assert_clean()


def test_bf005_the_clipping_check_finds_a_cut_control(watched):
    """The check of bf004 can fail: the explore filters in a fixed-height scroll box (as they once were) are found."""
    watched.goto("/explore?lang=fr")
    watched.wait_for_charts(6)
    watched.page.add_style_tag(content="#explore-filter-wave { max-height: 2rem; overflow: auto; }")
    found = watched.page.evaluate(CLIPPED)
    assert any(item[0] == "cut by explore-filter-wave" for item in found), found
    watched.assert_clean()


def test_bf006_a_page_keeps_its_language_when_another_tab_changes_the_cookie(watched, live_server):
    # tab A reads /explore in English; tab B (same browser, same cookies) opens a French page, which sets the lang
    # cookie to French. Tab A's next filter click is still answered in English: its requests name the page's language.
    watched.goto("/explore?lang=en&wave=2024")
    watched.wait_for_charts(6)
    other = watched.page.context.new_page()
    other.goto(f"{live_server}/?lang=fr", wait_until="networkidle")
    assert {c["name"]: c["value"] for c in watched.page.context.cookies()}.get("lang") == "fr"
    other.close()
    watched.page.locator("#explore-filter-wave").get_by_role("button", name="2012").click()
    watched.page.wait_for_function("() => window.location.search.includes('wave=2012')")
    watched.page.wait_for_function(
        f"() => document.querySelector('#{ids.EXPLORE_KPIS}').innerText.includes('Respondents')"
    )
    assert "Répondants" not in watched.page.locator(f"#{ids.EXPLORE_KPIS}").inner_text()
    watched.assert_clean()
