from pathlib import Path

import pytest

from dashboard.data import vocab as V
from dashboard.data.geo import cities_outside_their_province
from dashboard.data.schema import TABLES


def test_vc001_every_code_has_both_labels_and_definitions():
    vocabs = V.vocabularies()
    for vocabulary in vocabs.by_name.values():
        for term in vocabulary.terms:
            for lang in V.LANGS:
                assert term.label(lang).strip(), (vocabulary.name, term.code, lang)
                assert term.definition(lang).strip(), (vocabulary.name, term.code, lang)


def test_vc002_every_coded_column_names_an_existing_vocabulary():
    vocabs = V.vocabularies()
    for spec in TABLES:
        for col in spec.columns:
            if col.kind == "code":
                assert col.vocabulary in vocabs.by_name, (spec.name, col.name)


def test_vc003_spec_vocabularies_are_complete():
    vocabs = V.vocabularies()
    assert len(vocabs["sector"].codes) == 12
    assert set(vocabs.sector_group_of().values()) == set(vocabs["sector_group"].codes)
    assert len(vocabs["labour_site"].codes) == 12
    assert len(vocabs["victimisation_type"].codes) == 7
    assert len(vocabs["tie_type"].codes) == 5
    assert all("ctdc" in t.extra for t in vocabs["labour_site"].terms)
    assert all("polaris" in t.extra for t in vocabs["labour_site"].terms)


def test_vc004_every_city_joins_to_a_province_by_code_and_on_the_map():
    vocabs = V.vocabularies()
    provinces = set(vocabs["province"].codes)
    assert all(p in provinces for p in vocabs.province_of().values())
    assert cities_outside_their_province(vocabs) == []


def test_vc005_a_city_missing_from_the_geography_is_refused(tmp_path: Path):
    for src in V.paths.VOCAB_DIR.glob("*.yaml"):
        (tmp_path / src.name).write_text(src.read_text(encoding="utf-8"), encoding="utf-8")
    city = tmp_path / "city.yaml"
    city.write_text(
        city.read_text(encoding="utf-8") + "  - {code: atlantis, name: Atlantis, en: A, fr: A}\n", encoding="utf-8"
    )
    with pytest.raises(V.VocabularyError, match="Atlantis"):
        V.load_vocabularies(tmp_path)


def test_vc006_a_code_without_french_is_refused(tmp_path: Path):
    for src in V.paths.VOCAB_DIR.glob("*.yaml"):
        (tmp_path / src.name).write_text(src.read_text(encoding="utf-8"), encoding="utf-8")
    role = tmp_path / "role.yaml"
    role.write_text(
        role.read_text(encoding="utf-8") + "  - {code: intern, en: Intern, definition: {en: x, fr: y}}\n",
        encoding="utf-8",
    )
    with pytest.raises(V.VocabularyError, match="French"):
        V.load_vocabularies(tmp_path)
