"""The explore page in the browser (public tier): filters, cross-filtering, downloads, permalinks, keyboard."""

from urllib.parse import parse_qs, urlparse

import pandas as pd

from dashboard import ids

SECTOR_GRAPH = ids.explore_id("graph", "sector")


def _query(watched) -> dict:
    return {k: v[0] for k, v in parse_qs(urlparse(watched.page.url).query).items()}


def _kpi_text(watched) -> str:
    return watched.page.locator(f"#{ids.EXPLORE_KPIS}").inner_text()


def test_ex001_explore_loads_draws_every_chart_and_passes_axe(watched):
    watched.goto("/explore")
    watched.wait_for_charts(6)
    assert "Respondents" in _kpi_text(watched)
    watched.page.locator("details.table-view summary").first.click()
    watched.assert_accessible()
    watched.assert_clean()


def test_ex002_clicking_a_bar_sets_the_filter_and_the_chip_removes_it(watched, demo_releases):
    watched.goto("/explore")
    watched.wait_for_charts(6)
    watched.page.evaluate(
        """(id) => { const gd = document.querySelector('#' + id + ' .js-plotly-plot');
        const code = gd.data[0].customdata[gd.data[0].customdata.length - 1];
        gd.emit('plotly_click', {points: [{customdata: code, curveNumber: 0, pointNumber: 0}]}); }""",
        SECTOR_GRAPH,
    )
    watched.page.wait_for_function("() => window.location.search.includes('sector_group=')")
    chosen = _query(watched)["sector_group"]
    assert chosen in set(demo_releases["public"].table("sector_group").frame["sector_group"])
    chip = watched.page.locator(f"#{ids.EXPLORE_ACTIVE} button.chip")
    assert chip.count() == 1
    # the public view crosses one characteristic at a time: the labour-site chart explains why it is hidden
    message = watched.page.locator(f"#{ids.explore_id('message', 'labour_site')}")
    message.get_by_text("Not available in this view").wait_for()
    chip.click()
    watched.page.wait_for_function("() => !window.location.search.includes('sector_group=')")
    assert watched.page.locator(f"#{ids.EXPLORE_ACTIVE} button.chip").count() == 0
    watched.assert_clean()


def test_ex003_clicking_the_map_sets_a_city_filter(watched):
    watched.goto("/explore")
    watched.wait_for_charts(6)
    graph = ids.explore_id("graph", "map")
    watched.page.wait_for_selector(f"#{graph} .geo .scattergeo")  # the map has drawn its cities
    for _ in range(20):  # the click handler is attached once the graph has finished its first render
        watched.page.evaluate(
            """(id) => { const gd = document.querySelector('#' + id + ' .js-plotly-plot');
            gd.emit('plotly_click', {points: [{customdata: ['city', 'calgary'], curveNumber: 1, pointNumber: 0}]});
            }""",
            graph,
        )
        if "city=calgary" in watched.page.url:
            break
        watched.page.wait_for_timeout(500)
    watched.page.wait_for_function("() => window.location.search.includes('city=calgary')")
    assert "Calgary" in watched.page.locator(f"#{ids.EXPLORE_ACTIVE}").inner_text()
    watched.assert_clean()


def test_ex004_a_filter_from_the_dropdown_changes_the_figures_and_the_url(watched, demo_releases):
    watched.goto("/explore")
    watched.wait_for_charts(6)
    before = _kpi_text(watched)
    watched.page.locator("#explore-filter-wave").get_by_role("button", name="2018").click()
    watched.page.wait_for_function("() => window.location.search.includes('wave=2018')")
    public = demo_releases["public"].table().frame
    expected = int(public.loc[public["wave"] == 2018, "count"].iloc[0])
    watched.page.wait_for_function(
        f"() => document.querySelector('#{ids.EXPLORE_KPIS}').innerText.includes('{expected:,}')"
    )
    assert _kpi_text(watched) != before
    watched.assert_clean()


def test_ex005_download_gives_the_published_table_on_screen(login_as, demo_releases):
    funder = login_as("funder")  # SPEC §4: funders export the published table on screen as CSV
    funder.goto("/explore?wave=2024")
    funder.wait_for_charts(6)
    assert funder.page.locator("button", has_text="Download XLSX").count() == 0  # XLSX is for coalition members
    button = funder.page.locator("button", has_text="Download CSV").nth(1)  # the sector chart
    with funder.page.expect_download() as info:
        button.click()
    path = info.value.path()
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    published = demo_releases["funder"].table("sector_group").frame
    published = published[published["wave"] == 2024]
    shown = [c if c != "x" else None for c in frame["Respondents"]]
    expected = [None if pd.isna(c) else str(int(c)) for c in published["count"]]
    assert shown == expected
    assert len(frame) == len(published)  # never more rows than the screen shows
    funder.assert_clean()


def test_ex005b_the_public_tier_exports_chart_images_only(watched):
    watched.goto("/explore?wave=2024")
    watched.wait_for_charts(6)
    assert watched.page.locator("button", has_text="Download CSV").count() == 0
    assert "camera button" in watched.page.locator(f"#{ids.MAIN}").inner_text()
    watched.assert_clean()


def test_ex006_a_permalink_reopens_the_same_view(watched):
    watched.goto("/explore?wave=2022&role=management")
    watched.wait_for_charts(4)
    assert _query(watched) == {"wave": "2022", "role": "management", "lang": "en"}  # the permalink keeps the language
    first = _kpi_text(watched)
    url = watched.page.url
    watched.page.goto("about:blank")
    watched.page.goto(url, wait_until="networkidle")
    watched.wait_for_charts(4)
    assert _kpi_text(watched) == first
    assert "Management" in watched.page.locator(f"#{ids.EXPLORE_ACTIVE}").inner_text()
    watched.assert_clean()


def test_ex007_an_invalid_link_falls_back_with_a_notice(watched):
    watched.goto("/explore?wave=1999&city=atlantis&role=frontline")
    watched.wait_for_charts(4)
    notice = watched.page.locator(f"#{ids.EXPLORE_NOTICE}").inner_text()
    assert "atlantis" in notice and "1999" in notice
    query = _query(watched)
    assert "city" not in query and query["wave"] == "2024"
    watched.assert_clean()


def test_ex008_filters_work_from_the_keyboard(watched):
    watched.goto("/explore")
    watched.wait_for_charts(6)
    watched.page.locator("#explore-filter-wave").get_by_role("button", name="2024").focus()
    watched.page.keyboard.press("Tab")  # to the next choice: 2022
    watched.page.keyboard.press("Enter")
    watched.page.wait_for_function("() => window.location.search.includes('wave=2022')")
    pressed = watched.page.locator("#explore-filter-wave button[aria-pressed='true']")
    assert pressed.inner_text() == "2022"
    role = watched.page.locator("#explore-filter-role").get_by_role("button", name="Management")
    role.focus()
    watched.page.keyboard.press("Space")
    watched.page.wait_for_function("() => window.location.search.includes('role=management')")
    assert role.get_attribute("aria-pressed") == "true"
    watched.assert_clean()


def test_ex009_every_filter_sets_its_value_in_the_url_and_the_chips(watched, demo_releases):
    """Each filter of the tier, one at a time (the public tier crosses one characteristic): set, shown, reset."""
    from dashboard.views.state import DIM_PARAM, Options

    options = Options.of(demo_releases["public"])
    watched.goto("/explore")
    watched.wait_for_charts(6)
    dims = [d for d in DIM_PARAM if d in options.categories]
    assert len(dims) >= 7  # province, city, sector group, role, labour site, type, contact, trained
    for dim in dims:
        value = options.categories[dim][0]
        label = watched.page.locator(f"#explore-filter-{dim} button[aria-pressed='false']").nth(1).inner_text()
        button = watched.page.locator(f"#explore-filter-{dim}").get_by_role("button", name=label, exact=True)
        button.click()
        param = DIM_PARAM[dim]
        watched.page.wait_for_function(f"() => window.location.search.includes('{param}=')")
        assert _query(watched)[param] in options.categories[dim]
        assert button.get_attribute("aria-pressed") == "true"
        assert label in watched.page.locator(f"#{ids.EXPLORE_ACTIVE}").inner_text()
        watched.page.locator(f"#{ids.EXPLORE_RESET}").click()
        watched.page.wait_for_function(f"() => !window.location.search.includes('{param}=')")
        assert value  # a published category existed for the filter
    watched.assert_clean()
