from dashboard.views.explore import param_label
from dashboard.views.state import Options, ViewState, parse

OPTIONS = Options(
    waves=(2022, 2024),
    categories={
        "city": ("calgary", "winnipeg"),
        "province": ("AB", "MB"),
        "role": ("frontline", "other"),
        "sector_group": ("government",),
    },
    max_dims=2,
    sector_dim="sector_group",
)


def test_es001_a_valid_link_round_trips():
    parsed = parse("?wave=2022&city=calgary&role=other", OPTIONS)
    assert parsed.notices == []
    assert parsed.state == ViewState(2022, (("city", "calgary"), ("role", "other")))
    assert parse(parsed.state.to_query(), OPTIONS).state == parsed.state


def test_es002_bad_values_fall_back_with_a_notice():
    parsed = parse({"wave": "1999", "city": "atlantis", "colour": "red"}, OPTIONS)
    assert parsed.state == ViewState(2024)
    keys = [k for k, _ in parsed.notices]
    assert keys.count("explore.notice.bad_value") == 2 and "explore.notice.unknown_param" in keys


def test_es003_more_filters_than_the_tier_allows_are_dropped():
    parsed = parse("?city=calgary&role=other&sector_group=government", OPTIONS)
    assert len(parsed.state.filters) == 2
    assert [k for k, _ in parsed.notices] == ["explore.notice.too_many"]


def test_es004_all_waves_and_city_replaces_province():
    state = parse("?wave=all&province=AB", OPTIONS).state
    assert state.wave is None
    state = state.with_filter("city", "winnipeg")
    assert state.filters == (("city", "winnipeg"),)
    assert state.with_filter("city", "all").filters == ()


def test_es005_overlong_or_injected_values_are_refused():
    parsed = parse({"city": "<script>alert(1)</script>" * 10}, OPTIONS)
    assert parsed.state.filters == ()
    assert all(len(v["value"]) <= 60 for _, v in parsed.notices if "value" in v)


def test_es006_digits_python_reads_but_cannot_convert_fall_back_with_a_notice():
    """Found by the breaker: "²" passes str.isdigit() and then int() raised, blanking the page."""
    for raw in ("\u00b2", "9" * 5000, "\u0662\u0660\u0661\u0662"):
        parsed = parse({"wave": raw}, OPTIONS)
        assert parsed.state == ViewState(2024)
        assert [k for k, _ in parsed.notices] == ["explore.notice.bad_value"]


def test_notices_name_a_filter_by_its_label_in_the_readers_language(app):
    # a notice about the address names the filter as the page does ("Rôle"), not by its code in the address

    _param_label = param_label

    assert _param_label({"param": "role"}, "fr") == {"param": "Rôle"}
    assert _param_label({"param": "wave"}, "fr") == {"param": "Vague d'enquête"}
    assert _param_label({"param": "nope"}, "fr") == {}
