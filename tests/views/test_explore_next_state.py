"""The explore page's state transitions (``dashboard.views.explore``), without Dash or a request."""

from dataclasses import replace

import pytest

from dashboard import ids
from dashboard.views import explore as X
from dashboard.views.state import ViewState
from tests.views.test_state import OPTIONS as BASE

OPTIONS = replace(
    BASE,
    categories={
        **BASE.categories,
        "sector_group": ("government", "health_legal_other"),
        "labour_site": ("agriculture",),
    },
)
START = ViewState(2022, (("city", "calgary"),))


def _choice(dim: str, value: str) -> X.Trigger:
    return X.trigger_of({"type": ids.EXPLORE_CHOICE, "dim": dim, "value": value}, [None] * len(X.CLICK_CHARTS))


def test_xs001_reset_goes_to_the_latest_wave_without_filters():
    state, notices = X.next_state(START, OPTIONS, X.trigger_of(ids.EXPLORE_RESET, []))
    assert state == ViewState(2024) and notices == []


def test_xs002_a_chip_removes_its_filter():
    trigger = X.trigger_of({"type": ids.EXPLORE_REMOVE, "dim": "city"}, [])
    assert X.next_state(START, OPTIONS, trigger) == (ViewState(2022), [])


def test_xs003_wave_buttons_choose_a_published_wave_or_all():
    assert X.next_state(START, OPTIONS, _choice("wave", "2024"))[0] == ViewState(2024, START.filters)
    assert X.next_state(START, OPTIONS, _choice("wave", "all"))[0] == ViewState(None, START.filters)
    assert X.next_state(START, OPTIONS, _choice("wave", "1999")) == (START, [(X.REFUSED, {})])


@pytest.mark.parametrize(("dim", "value"), [("role", "boss"), ("sector", "police"), ("__proto__", "1")])
def test_xs004_a_value_the_tier_does_not_publish_is_refused(dim, value):
    assert X.next_state(START, OPTIONS, _choice(dim, value)) == (START, [(X.REFUSED, {})])


def test_xs005_a_filter_button_sets_its_filter_up_to_the_tier_limit():
    state, _ = X.next_state(START, OPTIONS, _choice("role", "other"))
    assert state.value("role") == "other" and state.value("city") == "calgary"
    again, notices = X.next_state(state, OPTIONS, _choice("sector_group", "government"))
    assert again == state and notices == [(X.TOO_MANY, {"param": "sector_group", "count": "2"})]
    assert X.next_state(state, OPTIONS, _choice("role", "all"))[0] == START  # "all" clears the filter


def test_xs006_clicks_on_charts_stand_for_filters():
    clicks = [None] * len(X.CLICK_CHARTS)
    clicks[X.CLICK_CHARTS.index("map")] = {"points": [{"customdata": ["province", "MB"]}]}
    trigger = X.trigger_of(ids.explore_id("graph", "map"), clicks)
    assert X.next_state(START, OPTIONS, trigger)[0] == ViewState(2022, (("province", "MB"),))  # replaces the city
    heat = {"points": [{"customdata": ["government", "agriculture"]}]}
    state, notices = X.next_state(ViewState(2024), OPTIONS, X.Trigger(X.CLICK, chart="heatmap", click=heat))
    assert state.filters == (("sector_group", "government"), ("labour_site", "agriculture")) and notices == []
    assert X.click_filters("sector", {"points": [{"customdata": "government"}]}, OPTIONS) == [
        ("sector_group", "government")
    ]


@pytest.mark.parametrize("click", [None, {}, {"points": []}, {"points": ["x"]}, {"points": [{"customdata": 7}]}])
def test_xs007_a_forged_click_changes_nothing(click):
    assert X.next_state(START, OPTIONS, X.Trigger(X.CLICK, chart="sector", click=click)) == (START, [])


def test_xs008_an_unknown_trigger_changes_nothing():
    assert X.trigger_of("explore-graph-trend_contact", [None] * 5) is None
    assert X.trigger_of({"type": "other"}, []) is None
    assert X.next_state(START, OPTIONS, None) == (START, [])


def test_xs009_the_pressed_option_of_each_group():
    assert X.selected(START, "wave") == "2022" and X.selected(ViewState(None), "wave") == "all"
    assert X.selected(START, "city") == "calgary" and X.selected(START, "role") == "all"
