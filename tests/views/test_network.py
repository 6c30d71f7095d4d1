"""The network page's view (``dashboard.views.network``): choices checked against the published views."""

import pytest

from dashboard.published.dims import ALL
from dashboard.published.network_schema import NW, K
from dashboard.views import network as V


@pytest.mark.parametrize("tier", ["public", "coalition"])
def test_nv001_the_default_choice_is_the_latest_wave_of_everything(demo_releases, tier):
    release = demo_releases[tier]
    choice = V.default_choice(release)
    assert choice == V.Choice(max(V.allowed(release)[V.WAVE]), ALL, ALL)
    assert V.parse(release, str(choice.wave), ALL, ALL) == choice
    assert V.choice_from(release, choice._asdict()) == choice


@pytest.mark.parametrize(
    "values",
    [("1999", ALL, ALL), ("x", ALL, ALL), ("2024", "<b>", ALL), ("2024", ALL, "atlantis"), ("2024", ALL, ALL, "org")],
)
def test_nv002_a_forged_choice_parses_to_none(demo_releases, values):
    assert V.parse(demo_releases["coalition"], *values) is None


def test_nv003_sizing_by_betweenness_only_where_organisations_are_drawn(demo_releases):
    assert V.parse(demo_releases["coalition"], "2024", ALL, ALL, K.BETWEENNESS) is not None
    assert V.parse(demo_releases["public"], "2024", ALL, ALL, K.BETWEENNESS) is None
    assert V.SIZE_BY not in V.options(demo_releases["public"], _vocab(), "en")


def test_nv004_view_tables_hold_only_the_rows_on_screen(demo_releases):
    release = demo_releases["coalition"]
    choice = V.default_choice(release)
    tables = V.view_tables(release, choice)
    assert set(tables[NW.MATRIX]["wave"]) == {choice.wave} and set(tables[NW.CONTACT]["wave"]) == {choice.wave}
    assert set(tables[NW.BROKERS]["city"]) == {ALL} and NW.NODES in tables
    assert V.export_parts(choice) == (choice.wave, ALL, ALL)
    assert V.options(release, _vocab(), "fr")[V.WAVE][0] == (str(V.allowed(release)[V.WAVE][0]),) * 2


def _vocab():
    from dashboard.data.vocab import vocabularies

    return vocabularies()
