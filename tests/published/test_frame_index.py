"""``published.lookup.extra_rows``: the indexed rows of an extra table are those a plain filter gives."""

import pandas as pd
import pytest

from dashboard.published.lookup import FrameIndex, extra_rows
from dashboard.published.network_schema import NW


def _filtered(frame: pd.DataFrame, **where: object) -> pd.DataFrame:
    mask = pd.Series(True, index=frame.index)
    for col, value in where.items():
        mask &= frame[col] == value
    return frame[mask].reset_index(drop=True)


@pytest.mark.parametrize("tier", ["public", "coalition"])
def test_fi001_indexed_rows_equal_a_plain_filter(demo_releases, tier):
    release = demo_releases[tier]
    for name in (NW.MATRIX, NW.METRICS, NW.CONTACT):
        frame = release.extras[name]
        keys = [c for c in ("wave", "tie_type", "city") if c in frame.columns]
        for values in frame[keys].drop_duplicates().head(12).itertuples(index=False):
            where = dict(zip(keys, values, strict=True))
            pd.testing.assert_frame_equal(extra_rows(release, name, **where), _filtered(frame, **where))
        assert extra_rows(release, name, **{keys[0]: "no such value"}).empty


def test_fi002_values_of_another_type_or_missing_match_nothing_or_the_same_rows():
    frame = pd.DataFrame({"wave": [2020, 2021, 2021], "city": ["a", None, "b"], "n": [1, 2, 3]})
    index = FrameIndex(frame)
    assert index.select(wave="2021").empty  # a string is not the wave 2021, as with ==
    pd.testing.assert_frame_equal(index.select(wave=2021), _filtered(frame, wave=2021))
    pd.testing.assert_frame_equal(index.select(wave=2021, city="b"), _filtered(frame, wave=2021, city="b"))
    pd.testing.assert_frame_equal(index.select(), frame)
