"""Presentation mode (/present, issue 5) in headless Chromium: keys, notes, a URL per slide, no outside request."""

from __future__ import annotations

import re

import pytest

from dashboard import ids, paths
from dashboard.present import deck as DK

DECK = "kaye-2013"


@pytest.fixture(scope="module")
def deck(demo_releases) -> DK.Deck:
    loaded = DK.load(paths.DECKS_DIR, DECK, DK.Published.of(demo_releases["public"]))
    assert loaded.ok, [str(p) for p in loaded.problems]
    return loaded.deck


def open_slide(watched, n: int, total: int, lang: str = "en") -> None:
    watched.goto(f"/present?deck={DECK}&slide={n}&lang={lang}")
    expect_slide(watched, n, total)


def expect_slide(watched, n: int, total: int) -> None:
    page = watched.page
    page.wait_for_function(
        f"() => (document.getElementById('{ids.PRESENT_COUNTER}') || {{}}).textContent === '{n} / {total}'",
        timeout=10000,
    )
    assert page.locator(f"#{ids.present_slide_id(n)}").is_visible()
    assert page.locator(".present-slide:not([hidden])").count() == 1
    assert re.search(rf"[?&]slide={n}(&|$)", page.url), page.url
    assert f"deck={DECK}" in page.url


def test_br401_keyboard_walks_the_whole_default_deck(watched, deck):
    total = len(deck.slides)
    open_slide(watched, 1, total)
    keyboard = watched.page.keyboard
    for n in range(2, total + 1):
        keyboard.press("ArrowRight" if n % 2 else "Space")
        expect_slide(watched, n, total)
    live = watched.page.locator(f"#{ids.PRESENT_LIVE}").inner_text()
    assert live.startswith(f"Slide {total} of {total}: ")
    keyboard.press("ArrowRight")  # past the end: stays on the last slide
    expect_slide(watched, total, total)
    keyboard.press("Home")
    expect_slide(watched, 1, total)
    keyboard.press("ArrowLeft")  # before the start: stays on the first
    expect_slide(watched, 1, total)
    keyboard.press("End")
    expect_slide(watched, total, total)
    for n in range(total - 1, 0, -1):
        keyboard.press("ArrowLeft")
        expect_slide(watched, n, total)
    watched.assert_clean()


def test_br402_buttons_move_between_slides_and_the_url_follows(watched, deck):
    total = len(deck.slides)
    open_slide(watched, 2, total)
    page = watched.page
    page.locator(f"#{ids.PRESENT_NEXT}").click()
    expect_slide(watched, 3, total)
    page.locator(f"#{ids.PRESENT_PREV}").click()
    page.locator(f"#{ids.PRESENT_PREV}").click()
    expect_slide(watched, 1, total)
    assert page.locator(f"#{ids.PRESENT_PREV}").get_attribute("aria-disabled") == "true"
    page.go_back()  # history: one entry per slide
    expect_slide(watched, 2, total)
    watched.assert_clean()


def test_br403_n_toggles_the_speaker_notes(watched, deck):
    total = len(deck.slides)
    open_slide(watched, 2, total)
    page = watched.page
    notes = page.locator(f"#{ids.present_slide_id(2)} .present-notes")
    assert notes.count() == 1 and not notes.is_visible()
    page.keyboard.press("n")
    assert notes.is_visible()
    expected = deck.slides[1].notes["en"][:30]
    # the notes are Markdown, drawn once dcc.Markdown's script has loaded (lazily): wait for their text
    page.wait_for_function(
        "([sel, text]) => document.querySelector(sel).innerText.includes(text)",
        arg=[f"#{ids.present_slide_id(2)} .present-notes", expected],
    )
    assert page.locator(f"#{ids.PRESENT_NOTES_TOGGLE}").get_attribute("aria-pressed") == "true"
    page.keyboard.press("ArrowRight")  # notes stay on from slide to slide
    expect_slide(watched, 3, total)
    assert page.locator(f"#{ids.present_slide_id(3)} .present-notes").is_visible()
    page.keyboard.press("n")
    assert not page.locator(f"#{ids.present_slide_id(3)} .present-notes").is_visible()
    assert page.locator(f"#{ids.PRESENT_NOTES_TOGGLE}").get_attribute("aria-pressed") == "false"
    page.locator(f"#{ids.PRESENT_NOTES_TOGGLE}").click()  # the button does the same for mouse users
    assert page.locator(f"#{ids.present_slide_id(3)} .present-notes").is_visible()
    page.keyboard.press("f")  # full screen on, then off: granted or refused, never an error
    page.keyboard.press("f")
    page.wait_for_timeout(200)
    expect_slide(watched, 3, total)
    watched.assert_clean()


def test_br404_reload_reopens_the_slide(watched, deck):
    total = len(deck.slides)
    open_slide(watched, 5, total)
    watched.page.keyboard.press("ArrowRight")
    expect_slide(watched, 6, total)
    watched.page.wait_for_load_state("networkidle")  # a reload aborts what the first load still fetches (favicon)
    watched.page.reload(wait_until="networkidle")
    expect_slide(watched, 6, total)
    assert watched.page.locator(f"#{ids.present_slide_id(6)} h2").inner_text() == deck.slides[5].title["en"]
    watched.assert_clean()


def test_br405_charts_draw_locally_and_hidden_figures_say_so(watched, deck):
    total = len(deck.slides)
    charts = [s for s in deck.slides if s.kind == "chart"]
    calgary = next(s for s in charts if ("city", "calgary") in s.chart.filters)
    drawn = next(s for s in charts if s.chart.draw == "bars")
    open_slide(watched, drawn.number - 1, total)  # the chart is laid out while its slide is hidden
    watched.page.keyboard.press("ArrowRight")
    expect_slide(watched, drawn.number, total)
    watched.wait_for_charts(1)
    svg = watched.page.locator(f"#{ids.present_slide_id(drawn.number)} .main-svg").first
    selector = f"#{ids.present_slide_id(drawn.number)} .main-svg"
    watched.page.wait_for_function(f"() => document.querySelector('{selector}').getBoundingClientRect().width > 900")
    box = svg.bounding_box()
    assert box["width"] > 900 and box["height"] >= 240  # sized to the slide, not to a hidden box
    summary = watched.page.locator(f"#{ids.present_slide_id(drawn.number)}-summary").inner_text()
    assert summary.startswith("In 2012, ")
    for _ in range(calgary.number - drawn.number):
        watched.page.keyboard.press("ArrowRight")
    expect_slide(watched, calgary.number, total)
    text = watched.page.locator(f"#{ids.present_slide_id(calgary.number)}").inner_text()
    assert "Hidden to protect respondents" in text
    assert "44" not in text  # never a number the public release does not publish
    watched.assert_clean()


def test_br406_keys_typed_in_a_field_are_not_taken(watched, deck):
    total = len(deck.slides)
    open_slide(watched, 3, total)
    page = watched.page
    page.evaluate(
        "() => { const i = document.createElement('input'); i.id = 'probe'; i.setAttribute('aria-label', 'probe');"
        " document.getElementById('present').appendChild(i); }"
    )
    page.locator("#probe").focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("End")
    page.keyboard.type("n ")
    assert page.locator("#probe").input_value() == "n "
    assert page.locator(f"#{ids.PRESENT_COUNTER}").inner_text() == f"3 / {total}"
    assert page.locator(".present-notes:visible").count() == 0
    watched.assert_clean()


def test_br407_bad_url_values_fall_back_with_a_notice(watched, deck):
    total = len(deck.slides)
    watched.goto("/present?deck=nope&slide=zzz&lang=de")
    watched.page.wait_for_function(
        f"() => (document.getElementById('{ids.PRESENT_COUNTER}') || {{}}).textContent === '1 / {total}'"
    )
    notice = watched.page.locator(f"#{ids.PRESENT_NOTICE}").inner_text()
    assert "There is no deck called “nope”" in notice and "There is no slide “zzz”" in notice
    watched.page.keyboard.press("ArrowRight")
    expect_slide(watched, 2, total)
    watched.assert_clean()


def test_br408_french_slides(watched, deck):
    total = len(deck.slides)
    open_slide(watched, 2, total, lang="fr")
    assert watched.page.locator(f"#{ids.present_slide_id(2)} h2").inner_text() == deck.slides[1].title["fr"]
    assert watched.page.locator(f"#{ids.PRESENT_NEXT}").inner_text() == "Suivante"
    watched.page.keyboard.press("ArrowRight")
    expect_slide(watched, 3, total)
    assert "lang=fr" in watched.page.url
    english = watched.page.locator("a.present-lang")
    assert english.inner_text() == "English"
    assert "slide=3" in english.get_attribute("href") and "lang=en" in english.get_attribute("href")
    english.click()
    watched.page.wait_for_selector(f"#{ids.PRESENT_ROOT}[data-lang='en']")
    expect_slide(watched, 3, total)
    assert watched.page.locator(f"#{ids.present_slide_id(3)} h2").inner_text() == deck.slides[2].title["en"]
    watched.assert_clean()


def test_br409_present_passes_axe(watched, deck):
    total = len(deck.slides)
    chart = next(s for s in deck.slides if s.kind == "chart" and s.chart.draw == "bars")
    open_slide(watched, chart.number, total)
    watched.wait_for_charts(1)
    watched.page.keyboard.press("n")  # scan the speaker notes too
    watched.assert_accessible()
    quote = next(s for s in deck.slides if s.kind == "quote")
    watched.page.keyboard.press("Home")
    for _ in range(quote.number - 1):
        watched.page.keyboard.press("ArrowRight")
    expect_slide(watched, quote.number, total)
    watched.assert_accessible()
    watched.assert_clean()


def test_br410_a_malformed_deck_is_explained_on_the_page(watched, tmp_path, monkeypatch):
    """The live server runs in this process: point it at a folder holding a broken deck."""
    (tmp_path / "broken.yaml").write_text(
        "title: Broken\nslides:\n  - {kind: text, title: One, body: Hi}\n"
        "  - {kind: chart, title: Two, table: [city], filters: {city: kalgary}, draw: bars, caption: C}\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(paths, "DECKS_DIR", tmp_path)
    watched.goto("/present?deck=broken&slide=2")
    errors = watched.page.locator(f"#{ids.PRESENT_ERRORS}")
    errors.wait_for()
    assert "broken.yaml: slide 2: field 'filters.city': 'kalgary' is not a city" in errors.inner_text()
    assert watched.page.locator(f"#{ids.PRESENT_ROOT}").count() == 0
    watched.page.keyboard.press("ArrowRight")  # the keyboard script stays idle without slides
    assert "slide=2" in watched.page.url
    watched.assert_accessible()
    watched.assert_clean()


def test_br411_the_page_keeps_the_site_notices_a_smoke_test_expects(watched, deck):
    open_slide(watched, 1, len(deck.slides))
    assert watched.page.locator(f"#{ids.SYNTHETIC_NOTICE}").is_visible()
    assert "How to cite" in watched.page.locator(f"#{ids.FOOTER}").inner_text()
    assert not watched.page.locator(".site-header").is_visible()  # the slides take the screen
    charts = sum(1 for s in deck.slides if s.kind == "chart" and s.chart.draw != "share")
    watched.wait_for_charts(1)
    drawn = watched.page.evaluate("document.querySelectorAll('.js-plotly-plot .main-svg').length")
    assert drawn >= 1 and charts >= 3
    watched.assert_clean()
