"""The explore page's download without Dash (``dashboard.views.explore.export_of``): a chart's published rows,
as on screen, in a format the tier exports; a forged button or view gets nothing."""

import io

import pandas as pd
import pytest

from dashboard.published.export import to_csv
from dashboard.views import explore as X
from dashboard.views.downloads import Export
from dashboard.views.state import Options, ViewState


def _query(release) -> str:
    return ViewState(max(Options.cached(release).waves)).to_query()


def test_xe001_a_chart_downloads_its_published_rows(demo_releases):
    release = demo_releases["funder"]
    export = X.export_of(release, _query(release), {"chart": "sector", "fmt": "csv"}, "en")
    assert isinstance(export, Export) and (export.table, export.fmt) == ("sector", "csv")
    wave = max(Options.cached(release).waves)
    assert export.parts == (f"wave={wave}",)
    published = release.table("sector_group").frame
    downloaded = pd.read_csv(io.StringIO(to_csv(export.frame)), dtype=str)
    assert len(downloaded) == len(published[published["wave"] == wave])


@pytest.mark.parametrize(
    ("tier", "button"),
    [
        ("funder", {"chart": "nowhere", "fmt": "csv"}),
        ("funder", {"chart": ["sector"], "fmt": "csv"}),
        ("funder", {"chart": "sector", "fmt": "xlsx"}),  # funders export CSV only
        ("coalition", {"chart": "sector", "fmt": "pdf"}),
        ("public", {"chart": "sector", "fmt": "csv"}),  # chart images only
        ("funder", {}),
    ],
)
def test_xe002_a_forged_button_downloads_nothing(demo_releases, tier, button):
    release = demo_releases[tier]
    assert X.export_of(release, _query(release), button, "en") is None


def test_xe003_a_forged_view_downloads_the_nearest_allowed_one(demo_releases):
    release = demo_releases["funder"]
    forged = X.export_of(release, "?wave=1999&sector_group=atlantis", {"chart": "sector", "fmt": "csv"}, "en")
    assert forged is not None and "atlantis" not in to_csv(forged.frame)


def test_xe004_the_map_downloads_the_provinces_its_table_shows_when_no_city_is_published(demo_releases):
    # Found by an outside check: with cities not published for a view, the map's table showed provinces and its
    # download sent nothing. Every view of the demo's coalition tier with that fallback downloads what it shows.
    from dashboard.views import charts as CH

    release = demo_releases["coalition"]
    options = Options.cached(release)
    fallbacks = 0
    for wave in options.waves:
        for sector in options.categories["sector"]:
            state = ViewState(wave, (("sector", sector),))
            provinces, cities = CH.map_views(release, state)
            if cities.ok or not provinces.ok:
                continue
            fallbacks += 1
            export = X.export_of(release, state.to_query(), {"chart": "map", "fmt": "csv"}, "en")
            assert export is not None, state.to_query()
            assert export.frame.equals(CH.export_frame(provinces, "en"))
    assert fallbacks > 0  # the demo has such views (wave 2020, law enforcement)
