"""The pieces under ingest: identifying names and values, label matching, synonyms, and the XML defences."""

from __future__ import annotations

import io
import zipfile

import pytest

from dashboard.ingest import identify as I
from dashboard.ingest import mapping as MP
from dashboard.ingest.model import Limits
from dashboard.ingest.names import label_key, normalise
from dashboard.ingest.read import cell_text, read_xlsx
from tests.ingest import builders as B
from tests.ingest import corpus as K


@pytest.mark.parametrize(
    "header",
    [
        "Name",
        "First name",
        "LastName",
        "full_name",
        "Email",
        "E-mail",
        "courriel",
        "Phone",
        "Tel.",
        "Cell",
        "Telephone number",
        "Address",
        "Adresse",
        "DOB",
        "Date of birth",
        "Comments",
        "Notes",
        "Remarks",
        "Description",
        "Nom",
        "Prénom",
        "Contact name",
    ],
)
def test_im001_identifying_column_names(header):
    assert I.is_identifying_name(normalise(header))


@pytest.mark.parametrize("header", ["respondent_id", "wave", "city", "sector", "Favourite colour", "province", "age"])
def test_im002_other_column_names_are_not_identifying(header):
    assert not I.is_identifying_name(normalise(header))


@pytest.mark.parametrize(
    ("value", "kind", "expected"),
    [
        (B.EMAIL, "id", I.EMAIL_KIND),
        ("contact: a.b+c@example.org", "code", I.EMAIL_KIND),
        (B.PHONE, "code", I.PHONE_KIND),
        ("403-555-0100", "id", I.PHONE_KIND),
        ("+1 403 555 0100", "code", I.PHONE_KIND),
        ("4035550100", "code", I.PHONE_KIND),
        ("555-0100", "code", I.PHONE_KIND),
        (B.JANE, "id", I.NAME_KIND),
        ("She told me about her employer and the farm where she worked", "code", I.TEXT_KIND),
        ("=1+1", "id", I.FORMULA_KIND),
        ("R44734b10d30", "id", None),
        ("N2026-0001", "id", None),
        ("4035550100", "id", None),  # a long numeric id is an id
        ("2026", "int", None),
        ("Calgary, AB", "code", None),
    ],
)
def test_im003_value_kinds(value, kind, expected):
    assert I.value_kind(value, kind, mapped=False) == expected


def test_im004_a_long_known_label_is_not_free_text(vocab):
    index = MP.label_index(vocab)
    label = "Extraction des ressources (pétrole, gaz, mines)"
    assert index.code("labour_site", label) == "resource_extraction"
    assert I.value_kind(label, "code", mapped=True) is None


@pytest.mark.parametrize(
    ("vocabulary", "raw", "code"),
    [
        ("sector", "Law Enforcement", "law_enforcement"),
        ("sector", "law-enforcement", "law_enforcement"),
        ("sector", "Forces de l'ordre", "law_enforcement"),
        ("sector", "  rcmp ", "law_enforcement"),
        ("sector", "ASFC", "border_services"),
        ("sector", "IRCC", "federal_government"),
        ("sector", "Shelter", "ngo_social_services"),
        ("contact", "Don't know", "unsure"),
        ("contact", "ne sais pas", "unsure"),
        ("contact", "OUI", "yes"),
        ("trained", "N", "no"),
        ("role", "Front line", "frontline"),
        ("city", "Calgary, AB", "calgary"),
        ("city", "Calgary (Alberta)", "calgary"),
        ("city", "Red Deer, Alberta", "red_deer"),
        ("city", "Fort McMurray", "fort_mcmurray"),
        ("labour_site", "Farm", "agriculture"),
        ("labour_site", "Restaurant", "hospitality_food"),
        ("labour_site", "Massage parlour", "sex_industry"),
        ("labour_site", "Hôtellerie et restauration", "hospitality_food"),
        ("victim_status", "TFW", "temporary_foreign_worker"),
        ("city", "Calgary, Narnia", None),
        ("city", "Montréal", None),  # not a city of the survey
        ("sector", "Atlantis", None),
    ],
)
def test_im005_labels_map_to_codes(vocab, vocabulary, raw, code):
    assert MP.label_index(vocab).code(vocabulary, raw) == code


def test_im006_synonyms_file_is_valid_and_checked(vocab, tmp_path):
    synonyms = MP.load_synonyms(vocab)
    assert synonyms["sector"][label_key("RCMP")] == "law_enforcement"
    bad = tmp_path / "synonyms.yaml"
    bad.write_text('sector: {"RCMP": police}\n', encoding="utf-8")
    with pytest.raises(MP.SynonymError, match="unknown code"):
        MP.load_synonyms(vocab, bad)
    bad.write_text('sector: {"Police": law_enforcement, "police!": health}\n', encoding="utf-8")
    with pytest.raises(MP.SynonymError, match="two codes"):
        MP.load_synonyms(vocab, bad)
    bad.write_text('colour: {"blue": x}\n', encoding="utf-8")
    with pytest.raises(MP.SynonymError):
        MP.load_synonyms(vocab, bad)


def test_im007_openpyxl_itself_refuses_entities_behind_the_scan():
    """Defence in depth: were the byte scan bypassed, openpyxl (through defusedxml) still refuses the file."""
    import openpyxl.xml
    from defusedxml import EntitiesForbidden

    assert openpyxl.xml.DEFUSEDXML
    with pytest.raises(ValueError) as raised:
        read_xlsx(K.xml_entities()[0].data, "wave.xlsx", Limits(), "en")
    assert isinstance(raised.value.__cause__, EntitiesForbidden)


def test_im008_cell_values_become_text():
    import datetime as dt

    assert [cell_text(v) for v in (2026, 2026.0, 2.5, True, None, "  x ", "", dt.date(2026, 1, 2))] == [
        "2026",
        "2026",
        "2.5",
        "true",
        None,
        "x",
        None,
        "2026-01-02",
    ]


def test_im009_forged_dimension_does_not_pad_rows():
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "respondents"
    sheet.append(B.RESPONDENT_HEADER)
    sheet.append(B.respondent_rows(1)[0])
    out = io.BytesIO()
    book.save(out)
    honest, forged = b'<dimension ref="A1:H2" />', b'<dimension ref="A1:XFD1048576" />'
    data = B.rezip(out.getvalue(), lambda n, b: b.replace(honest, forged))
    assert forged in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    tables, problems, _ = read_xlsx(data, "wave.xlsx", Limits(), "en")
    assert problems == [] and len(tables[0].header) == 8 and len(tables[0].rows) == 1
