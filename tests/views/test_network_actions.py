"""The network page's callbacks without Dash (``dashboard.views.network_actions``): the next choice after a
control's button, and the download a download button asks for, forged buttons and stores included."""

import io

import pandas as pd
import pytest

from dashboard.data.vocab import vocabularies
from dashboard.published.dims import ALL
from dashboard.published.export import to_csv
from dashboard.published.network_schema import NW, K
from dashboard.views import network as V
from dashboard.views import network_actions as NA
from dashboard.views.downloads import Export


def _current(release) -> dict:
    return V.default_choice(release)._asdict()


def test_na001_a_control_button_changes_only_its_control(demo_releases):
    release = demo_releases["coalition"]
    current = _current(release)
    waves = V.allowed(release)[V.WAVE]
    other = str(min(waves))
    assert NA.next_choice(release, current, {"control": V.WAVE, "value": other}) == V.Choice(
        int(other), ALL, ALL, K.DEGREE
    )
    sized = NA.next_choice(release, current, {"control": V.SIZE_BY, "value": K.BETWEENNESS})
    assert sized == V.Choice(current["wave"], ALL, ALL, K.BETWEENNESS)


@pytest.mark.parametrize(
    ("current", "button"),
    [
        ("store", {"control": "org_id", "value": "O8fde4b536f5"}),  # not a control
        ("store", {"control": ["wave"], "value": "2012"}),  # not a name
        ("store", {"control": V.WAVE, "value": "1999"}),  # not a published wave
        ("store", {"control": V.CITY, "value": "atlantis"}),
        ("store", {"control": V.SIZE_BY, "value": K.BETWEENNESS}),  # the public tier draws no organisation
        (["not", "a", "dict"], {"control": V.WAVE, "value": "2012"}),
        ({"wave": 2024, "tie_type": ALL, "city": "2024; DROP"}, {"control": V.WAVE, "value": "2012"}),
    ],
)
def test_na002_a_forged_button_or_store_gives_no_choice(demo_releases, current, button):
    release = demo_releases["public"]
    store = _current(release) if current == "store" else current  # "store": the page's store as the layout wrote it
    assert NA.next_choice(release, store, button) is None


def test_na003_a_valid_csv_download_is_the_published_table_on_screen(demo_releases):
    release = demo_releases["coalition"]
    current = _current(release)
    export = NA.export_of(release, vocabularies(), current, {"table": NW.BROKERS, "fmt": "csv"}, "en")
    assert isinstance(export, Export)
    assert (export.table, export.fmt, export.parts) == (NW.BROKERS, "csv", (current["wave"], ALL, ALL))
    shown = V.view_tables(release, V.default_choice(release))[NW.BROKERS]
    frame = pd.read_csv(io.StringIO(to_csv(export.frame)))
    assert len(frame) == len(shown) > 0 and frame["Rank"].tolist() == shown[K.RANK].tolist()


@pytest.mark.parametrize(
    ("tier", "button"),
    [
        ("coalition", {"table": "network_secrets", "fmt": "csv"}),  # an unknown table
        ("coalition", {"table": ["network_brokers"], "fmt": "csv"}),  # a forged button: not a name
        ("coalition", {"table": NW.BROKERS, "fmt": "pdf"}),  # a bad format
        ("coalition", {"table": NW.BROKERS, "fmt": {"x": 1}}),
        ("funder", {"table": NW.MATRIX, "fmt": "xlsx"}),  # funders export CSV only
        ("funder", {"table": NW.BROKERS, "fmt": "csv"}),  # a table the funder tier does not publish
        ("public", {"table": NW.MATRIX, "fmt": "csv"}),  # the public tier exports chart images only
    ],
)
def test_na004_a_forged_download_button_gets_not_available(demo_releases, tier, button):
    release = demo_releases[tier]
    assert NA.export_of(release, vocabularies(), _current(release), button, "en") == NA.NOT_AVAILABLE


def test_na005_a_forged_store_gets_not_available(demo_releases):
    release = demo_releases["coalition"]
    button = {"table": NW.MATRIX, "fmt": "csv"}
    for store in (None, ["a"], {"wave": 1999, "tie_type": ALL, "city": ALL}):
        assert NA.export_of(release, vocabularies(), store, button, "en") == NA.NOT_AVAILABLE
