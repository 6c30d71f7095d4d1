"""Building blocks of the ingest corpus: valid rows with the labels stewards write, and CSV, XLSX and ZIP writers.

No real personal data: the only names, addresses and numbers are invented examples ("Jane Example",
@example.org, 555-01xx).
"""

from __future__ import annotations

import io
import random
import zipfile
from collections.abc import Callable

from openpyxl import Workbook

WAVE = 2026
SEED = 20260411
RESPONDENT_HEADER = ["respondent_id", "wave", "city", "sector", "role", "contact_any", "trained", "org_id"]
ENCOUNTER_HEADER = ["respondent_id", "labour_site", "victimisation_type", "victim_status"]
DEMO_ORG = "O3539c37c534"  # an organisation of the demo dataset
DEMO_RESPONDENT = "R44734b10d30"  # a respondent of the demo dataset (wave 2012)
CITY_LABELS = ["Calgary, AB", "calgary", "Edmonton", "Toronto (Ontario)", "Winnipeg", "Vancouver"]
SECTOR_LABELS = ["RCMP", "Police", "CBSA", "Shelter", "NGO / social services", "Santé", "legal"]
ROLE_LABELS = ["Frontline", "front-line", "Manager", "Other", "Gestion"]
# Invented identifying values: none of them may ever appear in a message.
JANE = "Jane Example"
EMAIL = "jane.example@example.org"
PHONE = "(403) 555-0100"
SENSITIVE = (JANE, EMAIL, PHONE, "555-0100", "example.org", "123 Example Street")

Rows = list[list[object]]


def respondent_rows(n: int = 12, wave: object = WAVE, seed: int = SEED) -> Rows:
    """``n`` valid respondents of ``wave`` with labels a steward might write; the first four report contact."""
    rng = random.Random(seed)
    rows: Rows = []
    for i in range(n):
        contact = "Y" if i < 4 else rng.choice(["No", "Don't know", "non", ""])
        rows.append(
            [
                f"N{WAVE}-{i + 1:04d}",
                wave,
                rng.choice(CITY_LABELS),
                SECTOR_LABELS[i % len(SECTOR_LABELS)],
                rng.choice(ROLE_LABELS),
                contact,
                rng.choice(["Yes", "N", "oui", ""]),
                DEMO_ORG if i % 3 == 0 else "",
            ]
        )
    return rows


def encounter_rows() -> Rows:
    return [
        [f"N{WAVE}-0001", "Farm", "Forced labour", "TFW"],
        [f"N{WAVE}-0001", "Restaurant", "forced_labour", ""],
        [f"N{WAVE}-0002", "Massage parlour", "Sex trafficking", "Citizen"],
        [f"N{WAVE}-0003", "construction", "Labour trafficking", "Don't know"],
    ]


def csv_bytes(header: list[str], rows: Rows, delimiter: str = ",", encoding: str = "utf-8") -> bytes:
    def cell(v: object) -> str:
        text = "" if v is None else str(v)
        return f'"{text}"' if any(ch in text for ch in ',"\n') else text

    lines = [delimiter.join(header), *(delimiter.join(cell(v) for v in row) for row in rows)]
    return ("\n".join(lines) + "\n").encode(encoding)


def xlsx_bytes(sheets: dict[str, tuple[list[object], Rows]], states: dict[str, str] | None = None) -> bytes:
    """A workbook with one sheet per entry (header row, then rows); ``states`` hides some of them."""
    book = Workbook()
    book.remove(book.active)
    for title, (header, rows) in sheets.items():
        sheet = book.create_sheet(title)
        sheet.append(header)
        for row in rows:
            sheet.append(row)
        sheet.sheet_state = (states or {}).get(title, "visible")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rezip(
    data: bytes,
    change: Callable[[str, bytes], bytes | None] = lambda name, body: body,
    extra: dict[str, bytes] | None = None,
    finish: Callable[[zipfile.ZipFile], None] | None = None,
) -> bytes:
    """A copy of a ZIP with each member passed through ``change`` (None drops it), ``extra`` members added, and
    ``finish`` called on the archive before it is closed."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = change(info.filename, src.read(info))
            if body is not None:
                dst.writestr(info.filename, body)
        for name, body in (extra or {}).items():
            dst.writestr(name, body)
        if finish is not None:
            finish(dst)
    return out.getvalue()
