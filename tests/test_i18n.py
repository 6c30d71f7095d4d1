import re
from pathlib import Path

from dashboard import i18n

PACKAGE = Path(__file__).resolve().parents[1] / "dashboard"


def test_in001_every_message_has_english_and_french():
    for key, entry in i18n.catalogue().items():
        assert entry.get("en"), key
        assert entry.get("fr"), key


def test_in002_placeholders_match_between_languages():
    for key, entry in i18n.catalogue().items():
        assert set(re.findall(r"{(\w+)}", entry["en"])) == set(re.findall(r"{(\w+)}", entry["fr"])), key


def test_in003_every_key_used_in_code_exists():
    used = set()
    for path in PACKAGE.rglob("*.py"):
        used |= set(re.findall(r"\bt\(\s*\"([a-z0-9_.]+)\"", path.read_text(encoding="utf-8")))
    missing = used - set(i18n.catalogue())
    assert not missing, missing


def test_in004_french_is_served_when_asked():
    assert i18n.t("nav.summary", "fr") == "Sommaire"
    assert i18n.t("nav.summary", "xx") == "Summary"
