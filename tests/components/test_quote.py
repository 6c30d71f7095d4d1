"""A quote keeps its words as spoken and gets its sector attribution in the reader's language (issue 16)."""

from dashboard.components.quote import QUOTE_LANGUAGE, attribution, quote_figure


def test_qu001_the_attribution_is_the_sector_in_the_readers_language():
    assert attribution("Border services representative", "fr") == "Secteur\u00a0: Services frontaliers"
    assert attribution("Border services representative", "en") == "Border services representative"
    assert attribution("Someone else", "fr") == "Someone else"  # never published; shown as given if it were


def test_qu002_the_words_are_marked_with_their_language_and_the_attribution_is_not():
    figure = quote_figure("We keep looking.", "Law enforcement representative", "fr", "voices-quote").to_plotly_json()
    quote, caption = figure["props"]["children"]
    assert quote.lang == QUOTE_LANGUAGE and getattr(caption, "lang", None) is None
    assert caption.children.startswith("— Secteur\u00a0: ")
