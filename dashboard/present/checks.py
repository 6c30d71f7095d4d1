"""Checks of a deck read from YAML: every fault named with the deck file, the slide and the field.

Pure: no Dash, no I/O. Values are checked against what the public release publishes (tables, categories, waves,
quotes); a YAML ``yes``/``no`` is read back as the category code it stands for.

Why this module is longer than ~300 lines: every rule a deck must pass, in the order a steward reads the problems;
each check is a short function.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeGuard

from dashboard.i18n import LANGUAGES, t
from dashboard.parsing import ascii_digits
from dashboard.present.model import (
    ALIASES,
    COMMON_FIELDS,
    DECK_FIELDS,
    DRAWS,
    EXTERNAL_IMAGE,
    KIND_FIELDS,
    KINDS,
    MAP_DIMS,
    ChartSpec,
    Deck,
    Loaded,
    Problem,
    Published,
    Slide,
    Text,
)
from dashboard.published import dims as D
from dashboard.views.state import ALL, PARAMS


def _vocab_categories() -> dict[str, tuple[str, ...]]:
    from dashboard.data.vocab import vocabularies

    return {name: dim.categories for name, dim in D.dimensions(vocabularies()).items()}


@dataclass
class _Checker:
    deck: str
    published: Published
    lang: str
    languages: tuple[str, ...] = ("en",)
    problems: list[Problem] = field(default_factory=list)
    slide: int | None = None

    def fail(self, where: str, key: str, **values: Any) -> None:
        self.problems.append(Problem(self.deck, self.slide, where, t(key, self.lang, **values)))

    def one_of(self, raw: Any, where: str, allowed: Collection[str]) -> TypeGuard[str]:
        """Whether the field ``where`` is given and one of ``allowed`` (else ``present.error.<where>`` says so)."""
        if raw is None:
            self.fail(where, "present.error.missing")
            return False
        if raw not in allowed:
            self.fail(where, f"present.error.{where}", value=str(raw)[:40])
            return False
        return True

    def fields(self, raw: Mapping[str, Any], allowed: tuple[str, ...]) -> None:
        for key in raw:
            if key not in allowed:
                self.fail(str(key), "present.error.unknown_field", expected=", ".join(allowed))

    def text(self, raw: Any, where: str, required: bool = True) -> Text | None:
        if raw is None:
            if required:
                self.fail(where, "present.error.missing")
            return None
        if isinstance(raw, str | int | float) and not isinstance(raw, bool):
            value = str(raw).strip()
            if not value:
                self.fail(where, "present.error.empty")
                return None
            return dict.fromkeys(self.languages, value)
        if isinstance(raw, Mapping):
            out: dict[str, str] = {}
            for lang_key, value in raw.items():
                if lang_key not in self.languages:
                    self.fail(f"{where}.{lang_key}", "present.error.language", value=str(lang_key)[:20])
                elif not isinstance(value, str) or not value.strip():
                    self.fail(f"{where}.{lang_key}", "present.error.empty")
                else:
                    out[str(lang_key)] = value.strip()
            for lang in self.languages:
                if lang not in raw:
                    self.fail(where, "present.error.missing_language", language=lang)
            return out if len(out) == len(self.languages) else None
        self.fail(where, "present.error.not_text", languages=", ".join(self.languages))
        return None

    def markdown(self, raw: Any, where: str, required: bool = True) -> Text | None:
        value = self.text(raw, where, required)
        if value and any(EXTERNAL_IMAGE.search(v) for v in value.values()):
            self.fail(where, "present.error.external_image")
            return None
        return value

    def category(self, dim: str, raw: Any, where: str) -> str | None:
        value = _code(raw)
        allowed = self.published.categories.get(dim) or _vocab_categories().get(dim, ())
        if value not in allowed:
            noun = t(f"present.noun.{dim}", self.lang)
            self.fail(where, "present.error.not_category", value=value[:40], noun=noun)
            return None
        return value


def _code(raw: Any) -> str:
    """A category as written in YAML (``yes``/``no`` are booleans to YAML 1.1: read them back as codes)."""
    if isinstance(raw, bool):
        return "yes" if raw else "no"
    return str(raw).strip()


def _check_chart(ck: _Checker, raw: Mapping[str, Any]) -> ChartSpec | None:
    """A chart slide's spec, or None when a field is wrong (each fault recorded, in the order of the fields)."""
    table, allow_hidden, ok = _check_table(ck, raw)
    filters, filters_ok = _check_filters(ck, raw.get("filters") or {}, table)
    draw = raw.get("draw")
    draw_ok = ck.one_of(draw, "draw", DRAWS)
    wave = _check_wave(ck, raw.get("wave"), draw)
    ok = ok and filters_ok and draw_ok and wave is not False
    spec_filters = tuple((d, filters[d]) for d in table if d in filters)
    breakdown = tuple(d for d in table if d not in filters)
    category = highlight = None
    if ok and draw in DRAWS:
        category, highlight, ok = _check_breakdown(ck, raw, draw, breakdown)
    caption = ck.text(raw.get("caption"), "caption")
    if not ok or caption is None or wave is False:
        return None
    return ChartSpec(table, spec_filters, wave, str(draw), category, highlight, caption, allow_hidden)


def _check_table(ck: _Checker, raw: Mapping[str, Any]) -> tuple[tuple[str, ...], bool, bool]:
    """The chart's table (canonical dims), ``allow_hidden``, and whether both are right."""
    dims, ok = _check_dims(ck, raw.get("table"))
    table = D.canonical(dims)
    if ok and (len(table) != len(dims) or not D.allowed(table)):
        ck.fail("table", "present.error.not_combinable", dims=" × ".join(table))
        ok = False
    allow_hidden = raw.get("allow_hidden", False)
    if not isinstance(allow_hidden, bool):
        ck.fail("allow_hidden", "present.error.bool")
        ok, allow_hidden = False, False
    if ok and table not in ck.published.tables and not allow_hidden:
        ck.fail("table", "present.error.not_published", dims=" × ".join(table))
        ok = False
    return table, allow_hidden, ok


def _check_dims(ck: _Checker, table_raw: Any) -> tuple[list[str], bool]:
    """The dimensions a ``table`` list names, and whether every one is a dimension."""
    if table_raw is None:
        ck.fail("table", "present.error.missing")
        return [], False
    if not isinstance(table_raw, list) or not table_raw:
        ck.fail("table", "present.error.not_list")
        return [], False
    dims: list[str] = []
    ok = True
    for i, name in enumerate(table_raw):
        dim = ALIASES.get(str(name))
        if dim is None:
            ck.fail(f"table[{i}]", "present.error.not_dimension", value=str(name)[:40], expected=", ".join(PARAMS))
            ok = False
        else:
            dims.append(dim)
    return dims, ok


def _check_filters(ck: _Checker, filters_raw: Any, table: tuple[str, ...]) -> tuple[dict[str, str], bool]:
    """The chart's filters (dim -> category code), and whether every one is right."""
    if not isinstance(filters_raw, Mapping):
        ck.fail("filters", "present.error.not_mapping")
        return {}, False
    filters: dict[str, str] = {}
    ok = True
    for name, value in filters_raw.items():
        dim = ALIASES.get(str(name))
        if dim is None or dim not in table:
            ck.fail(f"filters.{name}", "present.error.filter_not_in_table", dim=str(name)[:40])
            ok = False
            continue
        code = ck.category(dim, value, f"filters.{name}")
        if code is None:
            ok = False
        else:
            filters[dim] = code
    return filters, ok


def _check_breakdown(
    ck: _Checker, raw: Mapping[str, Any], draw: str, breakdown: tuple[str, ...]
) -> tuple[str | None, str | None, bool]:
    """The category and highlight of a chart whose other fields are right, and whether the draw fits the table."""
    if len(breakdown) != 1:
        ck.fail("filters", "present.error.draw_dims", draw=draw, left=len(breakdown))
        return None, None, False
    dim = breakdown[0]
    if draw in ("trend", "share"):
        if dim not in D.ITEM_DIMS:
            ck.fail("table", "present.error.item", draw=draw, dim=dim)
            return None, None, False
        category = ck.category(dim, raw.get("category", "yes"), "category")
        return category, None, category is not None
    if draw == "map" and dim not in MAP_DIMS:
        ck.fail("table", "present.error.map", dim=dim)
        return None, None, False
    if raw.get("highlight") is not None:
        highlight = ck.category(dim, raw["highlight"], "highlight")
        return None, highlight, highlight is not None
    return None, None, True


def _check_wave(ck: _Checker, raw: Any, draw: Any) -> int | bool | None:
    """The wave (None: all waves), or False when it is wrong (and a problem was recorded)."""
    waves = ck.published.waves
    if raw is None:
        return None if draw == "trend" else (max(waves) if waves else None)
    if str(raw) == ALL:
        if draw in ("bars", "share", "map"):
            ck.fail("wave", "present.error.single_wave", draw=draw)
            return False
        return None
    text = str(raw)
    if isinstance(raw, bool) or not ascii_digits(text, 4) or int(text) not in waves:
        ck.fail("wave", "present.error.wave", value=str(raw)[:20], waves=", ".join(map(str, waves)))
        return False
    if draw == "trend":
        ck.fail("wave", "present.error.trend_wave")
        return False
    return int(raw)


def _check_slide(ck: _Checker, number: int, raw: Any) -> Slide | None:
    ck.slide = number
    if not isinstance(raw, Mapping):
        ck.fail("", "present.error.not_mapping")
        return None
    kind = raw.get("kind")
    if not ck.one_of(kind, "kind", KINDS):
        return None
    before = len(ck.problems)
    ck.fields(raw, (*COMMON_FIELDS, *KIND_FIELDS[kind]))
    title = ck.text(raw.get("title"), "title")
    notes = ck.text(raw.get("notes"), "notes", required=False)
    slide = Slide(number, kind, title or {}, notes)
    if kind == "chart":
        chart = _check_chart(ck, raw)
        slide = Slide(number, kind, title or {}, notes, chart=chart)
    elif kind == "quote":
        quote_id = _check_quote(ck, raw.get("quote_id"))
        if quote_id is not None:
            slide = Slide(number, kind, title or {}, notes, quote_id=quote_id)
    else:
        body, bullets = _check_text(ck, raw)
        slide = Slide(number, kind, title or {}, notes, body=body, bullets=bullets)
    return slide if len(ck.problems) == before else None


def _check_quote(ck: _Checker, quote_id: Any) -> str | None:
    """The id of a quote the release publishes, or None (and a problem recorded)."""
    if quote_id is None or not str(quote_id).strip():
        ck.fail("quote_id", "present.error.missing")
        return None
    if ck.published.quote_ids is not None and str(quote_id) not in ck.published.quote_ids:
        ck.fail("quote_id", "present.error.quote", value=str(quote_id)[:40])
        return None
    return str(quote_id).strip()


def _check_text(ck: _Checker, raw: Mapping[str, Any]) -> tuple[Text | None, tuple[Text, ...]]:
    """A text slide's body and bullets (Markdown without external images)."""
    body = ck.markdown(raw.get("body"), "body", required=False)
    bullets_raw = raw.get("bullets") or []
    bullets: list[Text] = []
    if not isinstance(bullets_raw, list):
        ck.fail("bullets", "present.error.not_list")
    else:
        for i, item in enumerate(bullets_raw):
            value = ck.markdown(item, f"bullets[{i}]")
            if value:
                bullets.append(value)
    if body is None and not bullets_raw and "body" not in raw:
        ck.fail("body", "present.error.text_empty")
    return body, tuple(bullets)


def check(raw: Any, name: str, published: Published, lang: str = "en") -> Loaded:
    """Check a deck as read from YAML against what the public release publishes."""
    file_name = f"{name}.yaml"
    ck = _Checker(file_name, published, lang)
    if not isinstance(raw, Mapping):
        ck.fail("", "present.error.deck_shape")
        return Loaded(None, tuple(ck.problems))
    ck.fields(raw, DECK_FIELDS)
    languages = raw.get("languages", ["en"])
    if isinstance(languages, str):
        languages = [languages]
    if not isinstance(languages, list) or not languages:
        ck.fail("languages", "present.error.not_list")
        languages = ["en"]
    bad = [str(x) for x in languages if x not in LANGUAGES]
    for value in bad:
        ck.fail("languages", "present.error.language", value=value[:20])
    ck.languages = tuple(dict.fromkeys(str(x) for x in languages if x in LANGUAGES)) or ("en",)
    title = ck.text(raw.get("title"), "title")
    slides_raw = raw.get("slides")
    slides: list[Slide] = []
    if slides_raw is None:
        ck.fail("slides", "present.error.missing")
    elif not isinstance(slides_raw, list) or not slides_raw:
        ck.fail("slides", "present.error.empty_slides")
    else:
        for i, item in enumerate(slides_raw, start=1):
            slide = _check_slide(ck, i, item)
            if slide is not None:
                slides.append(slide)
    if ck.problems or title is None:
        return Loaded(None, tuple(ck.problems))
    return Loaded(Deck(name, title, ck.languages, tuple(slides)))
