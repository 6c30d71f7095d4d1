"""Decks: the default deck is valid against the demo public release; a malformed deck names slide and field."""

from __future__ import annotations

import re
from dataclasses import replace

import pandas as pd
import pytest

from dashboard import paths
from dashboard.present import deck as DK

DEFAULT = "kaye-2013"
HEAD = "title: Test deck\nlanguages: [en]\nslides:\n"
GOOD_TEXT = "  - {kind: text, title: Opening, body: Hello}\n"


def with_quotes(release, rows: list[tuple[str, str, str, str]], **extra_columns: list) -> object:
    """The demo release with a hand-built published quotes table (as dashboard/release/voices.py publishes it)."""
    frame = pd.DataFrame(rows, columns=["quote_id", "theme", "text", "attribution"])
    for name, values in extra_columns.items():
        frame[name] = values
    return replace(release, extras={**release.extras, DK.QUOTES_TABLE: frame})


@pytest.fixture(scope="module")
def public(demo_releases):
    return DK.Published.of(demo_releases["public"])


def test_pd001_default_deck_validates_against_the_public_release(public):
    loaded = DK.load(paths.DECKS_DIR, DEFAULT, public)
    assert loaded.problems == ()
    assert loaded.ok
    deck = loaded.deck
    assert deck.languages == ("en", "fr")
    assert len(deck.slides) >= 9
    assert {s.kind for s in deck.slides} == {"chart", "quote", "text"}
    assert all(s.title["en"] and s.title["fr"] for s in deck.slides)
    assert all(s.notes and s.notes["en"] and s.notes["fr"] for s in deck.slides)  # speaker notes on every slide


def test_pd002_default_deck_retells_the_talk_in_order(public):
    deck = DK.load(paths.DECKS_DIR, DEFAULT, public).deck
    titles = [s.title["en"].lower() for s in deck.slides]
    topics = [
        "methods",
        "contested definition",
        "border securitisation",
        "deporting the problem",
        "criminalising trafficked persons",
        "calgary",
        "cross-sector collaboration",
        "acknowledgements",
    ]
    firsts = [next(i for i, title in enumerate(titles) if topic in title) for topic in topics]
    assert firsts == sorted(firsts), list(zip(topics, firsts, strict=True))


def test_pd003_calgary_slide_asks_for_the_published_contact_share(public):
    deck = DK.load(paths.DECKS_DIR, DEFAULT, public).deck
    calgary = [s for s in deck.slides if s.kind == "chart" and ("city", "calgary") in s.chart.filters]
    assert len(calgary) == 1
    spec = calgary[0].chart
    assert spec.table == ("city", "contact_any")
    assert (spec.wave, spec.draw, spec.category) == (2012, "share", "yes")


def test_pd004_text_slides_cite_only_the_studys_methods_counts(public):
    """Text slides hard-code no figure of the data: only the study's methods counts, its date, and nothing else."""
    allowed = {"56", "3", "2", "53", "5", "18", "2013", "11"}
    deck = DK.load(paths.DECKS_DIR, DEFAULT, public).deck
    for slide in deck.slides:
        if slide.kind != "text":
            continue
        texts = [*slide.title.values(), *(slide.body or {}).values(), *(v for b in slide.bullets for v in b.values())]
        numbers = {n for text in texts for n in re.findall(r"\d+(?:[.,]\d+)?", text)}
        assert numbers <= allowed, (slide.number, numbers - allowed)


def _problems(public, slides: str, head: str = HEAD) -> list[str]:
    loaded = DK.parse(head + GOOD_TEXT + slides, "bad", public)
    assert not loaded.ok
    assert loaded.deck is None
    return [str(p) for p in loaded.problems]


MALFORMED = [
    (
        "  - {kind: chart, title: T, table: [city], filters: {city: kalgary}, draw: bars, caption: C}\n",
        "filters.city",
        "'kalgary' is not a city",
    ),
    ("  - {kind: graph, title: T}\n", "kind", "'graph' is not a slide kind"),
    ("  - {kind: text, body: Hi}\n", "title", "required field is missing"),
    (
        "  - {kind: chart, title: T, table: [city, colour], draw: bars, caption: C}\n",
        "table[1]",
        "'colour' is not a dimension",
    ),
    (
        "  - {kind: chart, title: T, table: [city, contact], filters: {city: calgary}, draw: share, caption: C}\n",
        "table",
        "the public release does not publish a table by city × contact_any",
    ),
    (
        "  - {kind: chart, title: T, table: [contact, labour_site], draw: bars, caption: C, allow_hidden: true}\n",
        "table",
        "cannot be crossed",
    ),
    (
        "  - {kind: chart, title: T, table: [city], wave: 1999, draw: bars, caption: C}\n",
        "wave",
        "'1999' is not a published wave",
    ),
    ("  - {kind: chart, title: T, table: [city], draw: pie, caption: C}\n", "draw", "'pie' is not a way to draw"),
    ("  - {kind: chart, title: T, table: [city], wave: all, draw: trend, caption: C}\n", "table", "city is not one"),
    ("  - {kind: chart, title: T, table: [city], wave: all, draw: bars, caption: C}\n", "wave", "bars shows one wave"),
    (
        "  - {kind: chart, title: T, table: [contact], wave: 2012, draw: trend, caption: C}\n",
        "wave",
        "a trend shows every wave",
    ),
    ("  - {kind: chart, title: T, table: [city], draw: bars}\n", "caption", "required field is missing"),
    (
        "  - {kind: chart, title: T, table: [city], filters: {role: frontline}, draw: bars, caption: C}\n",
        "filters.role",
        "not a dimension of this slide's table",
    ),
    (
        "  - {kind: chart, title: T, table: [city], filters: {city: calgary}, draw: bars, caption: C}\n",
        "filters",
        "bars needs exactly one dimension",
    ),
    ("  - {kind: chart, title: T, tabel: [city], draw: bars, caption: C}\n", "tabel", "unknown field"),
    ("  - {kind: quote, title: T}\n", "quote_id", "required field is missing"),
    ("  - {kind: text, title: T}\n", "body", "a text slide needs a body or bullets"),
    (
        "  - {kind: text, title: T, body: '![x](https://cdn.example.org/x.png)'}\n",
        "body",
        "images must be served by the app itself",
    ),
    ("  - {kind: text, title: T, body: B, allow_hidden: true}\n", "allow_hidden", "unknown field"),
]


@pytest.mark.parametrize(("slide", "field", "message"), MALFORMED)
def test_pd005_a_malformed_slide_is_named_with_its_field(public, slide, field, message):
    problems = _problems(public, slide)
    assert any(p.startswith(f"bad.yaml: slide 2: field '{field}': ") and message in p for p in problems), problems


def test_pd006_the_brief_example_message_reads_as_documented(public):
    slides = GOOD_TEXT * 2 + (
        "  - {kind: chart, title: T, table: [city, contact], filters: {city: kalgary}, allow_hidden: true,"
        " draw: share, caption: C}\n"
    )
    problems = _problems(public, slides)
    assert "bad.yaml: slide 4: field 'filters.city': 'kalgary' is not a city" in problems


def test_pd007_every_fault_is_reported_not_just_the_first(public):
    problems = _problems(
        public,
        "  - {kind: graph, title: T}\n  - {kind: chart, title: T, table: [city], wave: 1999, draw: pie}\n",
    )
    assert any("slide 2: field 'kind'" in p for p in problems)
    assert any("slide 3: field 'wave'" in p for p in problems)
    assert any("slide 3: field 'draw'" in p for p in problems)
    assert any("slide 3: field 'caption'" in p for p in problems)


@pytest.mark.parametrize(
    ("head", "field", "message"),
    [
        ("title: {en: T}\nlanguages: [en, fr]\nslides:\n", "title", "no text in fr"),
        ("title: {en: T, fr: T}\nlanguages: [en, de]\nslides:\n", "languages", "'de' is not a language"),
        ("languages: [en]\nslides:\n", "title", "required field is missing"),
    ],
)
def test_pd008_deck_level_faults_name_the_field(public, head, field, message):
    loaded = DK.parse(
        head + GOOD_TEXT.replace("Opening", "{en: O, fr: O}").replace("Hello", "{en: H, fr: H}"), "bad", public
    )
    problems = [str(p) for p in loaded.problems]
    assert any(p.startswith(f"bad.yaml: field '{field}': ") and message in p for p in problems), problems


def test_pd009_per_language_text_must_give_every_language(public):
    head = "title: {en: T, fr: T}\nlanguages: [en, fr]\nslides:\n"
    slides = "  - {kind: text, title: {en: A, fr: B}, body: {en: Hello}, notes: {en: N, fr: N}}\n"
    problems = [str(p) for p in DK.parse(head + slides, "bad", public).problems]
    assert problems == ["bad.yaml: slide 1: field 'body': no text in fr"]


def test_pd010_yaml_errors_and_wrong_shapes_are_reported(public):
    broken = DK.parse("title: [unclosed\nslides: x\n", "bad", public)
    assert not broken.ok and "not valid YAML (line" in str(broken.problems[0])
    assert "a deck is a mapping" in str(DK.parse("- just a list\n", "bad", public).problems[0])
    empty = DK.parse("title: T\nslides: []\n", "bad", public)
    assert "field 'slides': a deck needs a list of at least one slide" in str(empty.problems[0])


def test_pd011_yes_and_no_are_read_as_categories_not_booleans(public):
    slides = "  - {kind: chart, title: T, table: [contact], wave: all, draw: trend, category: yes, caption: C}\n"
    loaded = DK.parse(HEAD + slides, "ok", public)
    assert loaded.ok, [str(p) for p in loaded.problems]
    assert loaded.deck.slides[0].chart.category == "yes"
    assert loaded.deck.slides[0].chart.wave is None


def test_pd012_a_quote_not_published_for_the_public_tier_is_refused(demo_releases):
    release = with_quotes(
        demo_releases["public"], [("Q001", "deporting_the_problem", "Public words.", "Border services representative")]
    )
    published = DK.Published.of(release)
    ok = DK.parse(HEAD + "  - {kind: quote, title: T, quote_id: Q001}\n", "ok", published)
    assert ok.ok and ok.deck.slides[0].quote_id == "Q001"
    refused = DK.parse(HEAD + "  - {kind: quote, title: T, quote_id: Q007}\n", "bad", published)
    assert [str(p) for p in refused.problems] == [
        "bad.yaml: slide 1: field 'quote_id': quote 'Q007' is not published for the public tier"
    ]


def test_pd013_deck_names_are_checked_before_any_file_is_opened(tmp_path):
    (tmp_path / "talk.yaml").write_text(HEAD + GOOD_TEXT, encoding="utf-8")
    assert DK.deck_path(tmp_path, "talk") == tmp_path / "talk.yaml"
    for name in ("../talk", "talk.yaml", "", "Talk", "missing", "/etc/passwd"):
        assert DK.deck_path(tmp_path, name) is None, name
    assert DK.available(tmp_path) == ["talk"]
    assert DEFAULT in DK.available(paths.DECKS_DIR)


def test_pd014_messages_come_in_french_too(public):
    problems = DK.parse(HEAD + "  - {kind: graph, title: T}\n", "bad", public, lang="fr").problems
    assert str(problems[0].text("fr")).startswith("bad.yaml: diapositive 1: champ 'kind': ")


def test_pd015_default_deck_quotes_are_published_for_the_public_tier(demo_releases):
    quotes = demo_releases["public"].extras.get(DK.QUOTES_TABLE)
    if quotes is None:
        pytest.skip("this release has no published quotes table yet")
    deck = DK.load(paths.DECKS_DIR, DEFAULT, DK.Published.of(demo_releases["public"])).deck
    ids = [s.quote_id for s in deck.slides if s.kind == "quote"]
    assert ids and set(ids) <= set(quotes["quote_id"].astype(str))


def test_pd016_every_message_key_the_presentation_uses_exists():
    import re as _re

    from dashboard import i18n
    from dashboard.published import dims as D

    sources = [
        *(paths.REPO_ROOT / "dashboard" / "present").glob("*.py"),
        paths.REPO_ROOT / "dashboard/pages/present.py",
    ]
    used = {k for p in sources for k in _re.findall(r"\"(present\.[a-z0-9_.]+)\"", p.read_text(encoding="utf-8"))}
    assert len(used) > 40
    used |= {f"present.noun.{d}" for d in D.CANONICAL_ORDER} | {f"present.language.{lang}" for lang in i18n.LANGUAGES}
    missing = {k for k in used if not i18n.exists(k)}
    assert not missing, missing
