import io

import openpyxl
import pandas as pd

from dashboard.components import download as DL
from dashboard.components.toggles import clicked
from dashboard.published import export as EX
from dashboard.published.export import neutralise, to_csv, to_xlsx
from dashboard.published.policy import policy_for
from dashboard.published.tiers import Tier


def test_ex001_formulas_are_neutralised_in_csv_and_xlsx():
    frame = pd.DataFrame(
        {"city": ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "\tx", "calgary"], "count": [1, 2, 3, 4, 5, 6]}
    )
    safe = neutralise(frame)
    assert list(safe["city"][:5]) == ['\'=HYPERLINK("http://x")', "'+1", "'-2", "'@SUM(A1)", "'\tx"]
    assert safe["city"].iloc[5] == "calgary" and list(safe["count"]) == [1, 2, 3, 4, 5, 6]
    assert "'=HYPERLINK" in to_csv(frame)
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx(frame))).active
    values = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert values[0].startswith("'=") and sheet.cell(2, 1).data_type == "s"


def test_ex002_one_writer_one_line_end_and_hidden_values_empty():
    frame = pd.DataFrame({"city": ["a\nb", "c"], "count": pd.array([1, None], "Int64")})
    text = to_csv(frame)
    assert text == '\ufeffcity,count\r\n"a\nb",1\r\nc,\r\n'  # a BOM: Excel opens it as UTF-8


def test_ex003_every_page_exports_what_the_tier_policy_says():
    """SPEC §4: the public tier exports chart images only, funders CSV, coalition members CSV and XLSX."""
    assert EX.formats_for("public") == ()
    assert EX.formats_for("funder") == ("csv",)
    assert EX.formats_for("coalition") == ("csv", "xlsx")
    assert all(set(policy_for(tier).exports) <= set(EX.FORMATS) for tier in Tier)


def test_ex004_export_names_are_built_one_way():
    assert EX.file_name("network_brokers", (2024, "_all", "_all"), "csv") == "network_brokers_2024_all_all.csv"
    assert EX.file_name("sector", ("wave=2024", "role=management"), "xlsx") == "sector_wave=2024_role=management.xlsx"
    forged = EX.file_name("../../etc/passwd", ("a b", "<x>"), "csv")
    assert "/" not in forged and " " not in forged and "<" not in forged
    assert len(EX.file_name("t", ["x" * 500], "csv")) == EX.MAX_NAME + len(".csv")


def test_ex005_download_buttons_follow_the_tier():
    assert DL.download_buttons("t", {"chart": "c"}, "public", "en", images=False) is None
    note = DL.download_buttons("t", {"chart": "c"}, "public", "en")
    assert "camera button" in note.children
    buttons = DL.download_buttons("t", {"chart": "c"}, "coalition", "fr").children
    assert [b.id for b in buttons] == [{"type": "t", "chart": "c", "fmt": f} for f in ("csv", "xlsx")]
    assert [b.children for b in buttons] == ["Télécharger CSV", "Télécharger XLSX"]


def test_ex006_a_click_counts_only_when_it_was_made():
    button = {"type": "t", "table": "x", "fmt": "csv"}
    assert clicked(button, [{"prop_id": "…", "value": 1}]) == button
    assert clicked(button, [{"prop_id": "…", "value": 0}]) is None
    assert clicked(button, [{"prop_id": "…", "value": True}]) is None
    assert clicked("not-a-pattern", [{"prop_id": "…", "value": 1}]) is None
    assert clicked(button, []) is None


def test_ex101_labelled_heads_columns_and_keeps_codes_beside_their_labels():
    from dashboard.published.export import labelled

    frame = pd.DataFrame({"wave": [2024, 2024], "city": ["calgary", "zz"], "count": [10, 5]})
    out = labelled(
        frame,
        {"wave": "Vague", "city": "Ville", "count": "Répondants"},
        {"city": {"calgary": "Calgary"}},
        "{column} (code)",
    )
    assert list(out.columns) == ["Vague", "Ville", "Ville (code)", "Répondants"]
    assert out["Ville"].tolist() == ["Calgary", "zz"]  # a code without a label stays itself
    assert out["Ville (code)"].tolist() == ["calgary", "zz"]
    assert "Ville (code)" in to_csv(out).splitlines()[0]


def test_ex102_a_network_table_downloads_in_french(demo_releases):
    from dashboard.data.vocab import vocabularies
    from dashboard.published.network_schema import NW
    from dashboard.views import network as V

    release = demo_releases["coalition"]
    frame = release.extras[NW.MATRIX].head(3)
    out = V.export_table(release, vocabularies(), NW.MATRIX, frame, "fr")
    assert list(out.columns)[:5] == [
        "Vague d'enquête",
        "Type de collaboration",
        "Type de collaboration (code)",
        "Ville",
        "Ville (code)",
    ]
    assert out["Type de collaboration"].iloc[0] == "Tout type" and out["Liens"].tolist() == frame["count"].tolist()
    network = {c for name, table in release.extras.items() if name.startswith("network_") for c in table.columns}
    assert network - set(V.EXPORT_HEADINGS) == set()  # every column a download can hold has its heading


def test_ex_xlsx_numbers_keep_their_published_decimals():
    frame = pd.DataFrame({"share": [30.0, 37.5], "index": [0.436, -0.1], "count": [5.0, None], "n": [1, 2]})
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx(frame, "Données"))).active
    assert sheet.title == "Données"
    assert [sheet.cell(2, c).number_format for c in range(1, 5)] == ["0.0", "0.000", "General", "General"]
    assert sheet.cell(2, 1).value == 30 and sheet.cell(3, 2).value == -0.1  # the values themselves unchanged
