import re
from pathlib import Path

from dashboard import i18n

PACKAGE = Path(__file__).resolve().parents[1] / "dashboard"


def test_in001_every_message_has_english_and_french():
    for key, entry in i18n.catalogue().items():
        assert entry.get("en"), key
        assert entry.get("fr"), key


def test_in002_placeholders_match_between_languages():
    for key, entry in i18n.catalogue().items():
        assert set(re.findall(r"{(\w+)}", entry["en"])) == set(re.findall(r"{(\w+)}", entry["fr"])), key


def test_in003_every_key_used_in_code_exists():
    used = set()
    for path in PACKAGE.rglob("*.py"):
        used |= set(re.findall(r"\bt\(\s*\"([a-z0-9_.]+)\"", path.read_text(encoding="utf-8")))
    missing = {k for k in used if not i18n.exists(k)}
    assert not missing, missing


def test_in004_french_is_served_when_asked():
    assert i18n.t("nav.summary", "fr") == "Sommaire"
    assert i18n.t("nav.summary", "xx") == "Summary"


def test_in005_french_never_breaks_a_line_before_a_percent_sign_or_a_colon():
    """SPEC §8: "58,5 %" must not wrap between the number and its sign on a slide or a printed page."""
    import re

    from dashboard.i18n import NO_BREAK_SPACE, catalogue, t

    french = [entry["fr"] for entry in catalogue().values() if "fr" in entry]
    assert any(f"{NO_BREAK_SPACE}%" in text for text in french)
    assert [text for text in french if re.search(r" [%:;!?»]|« ", text)] == []
    assert t("number.percent", "fr", pct="58,5") == f"58,5{NO_BREAK_SPACE}%"
    assert t("number.percent", "en", pct="58.5") == "58.5%"


def test_in006_a_count_reads_in_the_languages_plural_form():
    """CLDR plural rules: English singular for 1 only, French for 0 and 1."""
    from dashboard.i18n import plural_form, t

    assert [plural_form(n, "en") for n in (0, 1, 2)] == ["other", "one", "other"]
    assert [plural_form(n, "fr") for n in (0, 1, 2, "1.5", "1,7", "1\u00a0234")] == ["one"] * 2 + ["other"] + [
        "one"
    ] * 2 + ["other"]
    assert [plural_form(n, "en") for n in ("1,234", "1.0", "x")] == ["other", "other", "other"]
    assert t("present.summary.hidden_waves", "en", count=1) == "1 wave is hidden to protect respondents."
    assert t("present.summary.hidden_waves", "en", count=3) == "3 waves are hidden to protect respondents."
    assert t("present.summary.hidden_waves", "fr", count=0).startswith("0 vague est masquée")
    assert "caractéristiques" in t("explore.limit", "fr", count=4) and "(s)" not in t("explore.limit", "en", count=4)


def test_in007_deck_and_dataset_texts_in_french_get_the_no_break_spaces_too():
    from dashboard.i18n import NO_BREAK_SPACE, localised
    from dashboard.present.model import localised as deck_text

    text = {"en": "Trafficking: beyond 44.4%", "fr": "La traite : au-delà de 44,4 %"}
    assert deck_text(text, "fr") == f"La traite{NO_BREAK_SPACE}: au-delà de 44,4{NO_BREAK_SPACE}%"
    assert localised(text, "fr") == deck_text(text, "fr") and localised(text, "en") == text["en"]
    assert deck_text({"en": "Only English : here"}, "fr") == "Only English : here"  # not French: left as given


def test_in008_a_listing_of_values_says_how_many_more_in_the_readers_language():
    from dashboard.data.validate import MAX_LISTED
    from dashboard.ingest.model import listing

    values = [f"v{i:02d}" for i in range(MAX_LISTED + 3)]
    assert listing(values, "fr").endswith("(+3 autres)") and listing(values, "en").endswith("(+3 more)")
    assert listing(values[: MAX_LISTED + 1], "fr").endswith("(+1 autre)") and "(+" not in listing(values[:2], "fr")
