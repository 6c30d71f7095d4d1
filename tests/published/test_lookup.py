from dashboard.published import table as TB
from dashboard.published.lookup import NOT_COMBINABLE, TOO_MANY, headline, lookup
from dashboard.views.state import Options, ViewState


def test_ev001_lookup_reads_the_published_rows_for_the_wave(demo_releases):
    public = demo_releases["public"]
    view = lookup(public, ViewState(2024), ("sector_group",))
    assert view.ok and set(view.frame["wave"]) == {2024}
    published = public.table("sector_group").frame
    expected = published[published["wave"] == 2024].reset_index(drop=True)
    assert view.frame[TB.COUNT].equals(expected[TB.COUNT])


def test_ev002_crossing_more_than_the_tier_allows_is_refused(demo_releases):
    view = lookup(demo_releases["public"], ViewState(2024, (("city", "calgary"),)), ("sector_group",))
    assert not view.ok and view.reason == TOO_MANY
    view = lookup(demo_releases["funder"], ViewState(2024, (("city", "calgary"),)), ("sector_group",))
    assert view.ok and set(view.frame["city"]) == {"calgary"}


def test_ev003_contact_is_never_crossed_with_labour_sites(demo_releases):
    view = lookup(demo_releases["coalition"], ViewState(2024, (("contact_any", "yes"),)), ("labour_site",))
    assert view.reason == NOT_COMBINABLE


def test_ev004_headline_gives_k_of_n_from_the_release(demo_releases):
    coalition = demo_releases["coalition"]
    h = headline(lookup(coalition, ViewState(2024), ("contact_any",)), "contact_any")
    table = coalition.table("contact_any").frame
    answered = table[(table["wave"] == 2024) & (table["contact_any"].isin(["yes", "no", "unsure"]))]
    assert h["count"] == int(answered.loc[answered["contact_any"] == "yes", "count"].iloc[0])
    assert h["n"] == int(answered["count"].sum())
    assert abs(h["pct"] - 100 * h["count"] / h["n"]) < 0.06 and h["ci_lo"] < h["pct"] < h["ci_hi"]


def test_ev005_options_list_only_published_categories(demo_releases):
    public = Options.of(demo_releases["public"])
    assert public.max_dims == 1 and public.sector_dim == "sector_group"
    assert "sector" not in public.categories and "_any" not in public.categories["labour_site"]
    assert Options.of(demo_releases["coalition"]).sector_dim == "sector"
