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
