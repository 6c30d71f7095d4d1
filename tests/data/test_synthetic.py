"""The demo dataset reproduces the founding study's figures (SPEC §2) and is deterministic."""

from pathlib import Path

import pandas as pd
import pytest

from dashboard.data.synthetic import GeneratorSpec, generate, write_dataset
from dashboard.data.validate import load_dataset
from dashboard.data.vocab import vocabularies


@pytest.fixture(scope="module")
def demo():
    return load_dataset(Path(__file__).resolve().parents[2] / "data" / "demo")


def test_sy001_2012_wave_has_53_respondents_mostly_in_alberta(demo):
    resp = demo["respondents"]
    w = resp[resp["wave"] == 2012]
    assert len(w) == 53
    provinces = w["city"].map(vocabularies().province_of())
    assert (provinces == "AB").mean() > 0.5


def test_sy002_calgary_contact_item_gives_44_4_percent_as_12_of_27(demo):
    resp = demo["respondents"]
    calgary = resp[(resp["wave"] == 2012) & (resp["city"] == "calgary")]
    answered = calgary["contact_any"].notna()
    k, n = int((calgary["contact_any"] == "yes").sum()), int(answered.sum())
    assert (k, n) == (12, 27)
    assert round(100 * k / n, 1) == 44.4


def test_sy003_qualitative_sources_match_the_study(demo):
    src = demo["sources"]
    counts = src["method"].value_counts()
    fieldwork = src[src["city"].isin(["vancouver", "calgary", "winnipeg"])]
    assert counts["interview"] == 56
    assert counts["group_interview"] == 3
    assert set(fieldwork.loc[fieldwork["method"] == "interview", "city"]) == {"vancouver", "calgary", "winnipeg"}
    focus = src[src["method"] == "focus_group"]
    act = focus[(focus["city"] == "calgary")]
    assert len(focus) == 7 and len(act) == 5 and act["participants"].sum() == 18


def test_sy004_the_study_quotes_are_attributed_by_sector_only(demo):
    quotes = demo["quotes"]
    assert quotes["text"].str.contains("dozens upon dozens").any()
    assert quotes["text"].str.contains("formal training").any()
    sectors = {t.label("en") for t in vocabularies()["sector"].terms}
    assert quotes["attribution"].map(lambda a: a.removesuffix(" representative") in sectors).all()


def test_sy005_coalition_grows_to_several_hundred_in_8_cities_and_4_provinces(demo):
    resp = demo["respondents"]
    last = resp[resp["wave"] == resp["wave"].max()]
    assert sorted(resp["wave"].unique()) == [2012, 2014, 2016, 2018, 2020, 2022, 2024]
    assert len(last) >= 300
    assert last["city"].nunique() >= 8
    assert last["city"].map(vocabularies().province_of()).nunique() >= 4


def test_sy006_cross_sector_share_of_ties_grows(demo):
    ties, orgs = demo["ties"], demo["organisations"].set_index("org_id")
    cross = ties["source_org"].map(orgs["sector"]) != ties["target_org"].map(orgs["sector"])
    share = cross.groupby(ties["wave"]).mean()
    assert share.iloc[-1] > share.iloc[0] + 0.15


def test_sy007_generation_is_deterministic_and_seed_dependent():
    a, b = generate(), generate()
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name])
    c = generate(GeneratorSpec(seed=1))
    assert not a["respondents"]["respondent_id"].equals(c["respondents"]["respondent_id"])


def test_sy008_scale_generator_has_the_requested_size_and_validates(tmp_path: Path):
    spec = GeneratorSpec.for_respondents(5000)
    write_dataset(tmp_path / "big", spec, "parquet")
    ds = load_dataset(tmp_path / "big")
    assert len(ds["respondents"]) == 5000
    assert 2.0 < len(ds["encounters"]) / 5000 < 4.0  # "about 3 encounters each"
