"""Seeded survey-tool exports built by code (never real data), and the template upload they must equal.

Every export holds the same invented responses: the labels a survey would offer, plus platform metadata and
free text that must never be kept (names, e-mail addresses and numbers are invented examples: @example.org,
192.0.2.x, 555-01xx).
"""

from __future__ import annotations

import io
import json
import random
from dataclasses import dataclass, field

from openpyxl import Workbook

from tests.ingest.builders import ENCOUNTER_HEADER, RESPONDENT_HEADER, csv_bytes

SEED = 20261201
WAVE = 2026
CITIES = ["Calgary", "Edmonton", "Toronto", "Vancouver", "Winnipeg"]
SECTORS = ["Police", "NGO", "Health care", "Settlement agency", "Legal aid"]
ROLES = ["Frontline", "Manager", "Other"]
CONTACT = ["Yes", "No", "Not sure"]
TRAINED = ["Yes", "No"]
SITES = ["Farm", "Restaurant", "Construction", "Massage parlour"]
TYPES = ["Forced labour", "Sexual exploitation"]
STATUSES = ["Temporary foreign worker", "Citizen", "Refugee claimant"]
SECRET_VALUES = ("jane.example", "@example.org", "192.0.2.", "Jane", "Example", "555-01", "R_secret", "uuid-secret")

Q_CITY = "In which city do you work?"
Q_SECTOR = "Which sector is your organisation in?"
Q_ROLE = "What is your role?"
Q_CONTACT = "Have you had contact with a person victimised by trafficking?"
Q_TRAINED = "Have you received formal training on what constitutes trafficking?"
Q_SITES = "In which labour sites did you meet them?"
Q_TYPES = "Which types of victimisation?"
Q_STATUS = "What was the immigration status of the person?"
Q_COMMENT = "Any comments?"


@dataclass
class Response:
    city: str
    sector: str
    role: str
    contact: str
    trained: str
    sites: list[str] = field(default_factory=list)
    types: list[str] = field(default_factory=list)
    status: str = ""
    comment: str = ""


def responses(n: int = 24, seed: int = SEED) -> list[Response]:
    """``n`` complete invented responses; contact "Yes" ones tick sites and types (sometimes only one of them)."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        contact = CONTACT[0] if i % 3 == 0 else rng.choice(CONTACT[1:])
        sites = rng.sample(SITES, rng.randint(1, 2)) if contact == "Yes" else []
        types = rng.sample(TYPES, rng.randint(0 if i % 2 else 1, 2)) if contact == "Yes" else []
        out.append(
            Response(
                rng.choice(CITIES),
                SECTORS[i % len(SECTORS)],
                rng.choice(ROLES),
                contact,
                rng.choice(TRAINED),
                sorted(sites, key=SITES.index),
                sorted(types, key=TYPES.index),
                rng.choice(STATUSES) if contact == "Yes" else "",
                f"I met Jane Example ({i}) and she told me a long story about her work" if i % 4 == 0 else "",
            )
        )
    return out


def template_upload(rows: list[Response]) -> tuple[bytes, bytes]:
    """The same wave as the two template tables (the README's rule: sites × types, not_specified for none)."""
    respondents, encounters = [], []
    for i, r in enumerate(rows):
        rid = f"T{i:04d}"
        respondents.append([rid, WAVE, r.city, r.sector, r.role, r.contact, r.trained, ""])
        if r.contact != "Yes":
            continue
        for site in r.sites or ["Not specified"]:
            for kind in r.types or ["Not specified"]:
                encounters.append([rid, site, kind, r.status])
    return csv_bytes(RESPONDENT_HEADER, respondents), csv_bytes(ENCOUNTER_HEADER, encounters)


def _secret(i: int) -> dict[str, str]:
    return {
        "email": f"jane.example{i}@example.org",
        "ip": f"192.0.2.{i % 250}",
        "first": "Jane",
        "last": "Example",
        "date": f"{WAVE}-03-{i % 28 + 1:02d} 10:{i % 60:02d}:00",
        "us_date": f"03/{i % 28 + 1:02d}/{WAVE} 10:{i % 60:02d}:00 AM",
    }


def _csv(rows: list[list[object]], delimiter: str = ",") -> bytes:
    out = io.StringIO()
    import csv

    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def workbook(rows: list[list[object]], title: str = "Sheet1") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# SurveyMonkey: two header rows; one column per option of a multi-select, holding the label when ticked.
def surveymonkey_grid(rows: list[Response]) -> list[list[object]]:
    meta = ["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address", "Email Address", "First Name"]
    meta += ["Last Name", "Custom Data 1"]
    singles = [Q_CITY, Q_SECTOR, Q_ROLE, Q_CONTACT, Q_TRAINED]
    top = meta + singles + [Q_SITES, "", "", "", "", Q_TYPES, "", Q_STATUS, Q_COMMENT]
    second = [""] * len(meta) + ["Response"] * len(singles) + SITES + ["Other (please specify)"] + TYPES
    second += ["Response", "Open-Ended Response"]
    grid: list[list[object]] = [top, second]
    for i, r in enumerate(rows):
        s = _secret(i)
        line: list[object] = [f"1{i:09d}", "400001", s["us_date"], s["us_date"], s["ip"], s["email"], s["first"]]
        line += [s["last"], "R_secret", r.city, r.sector, r.role, r.contact, r.trained]
        line += [o if o in r.sites else "" for o in SITES] + ["my uncle's farm near Jane Example's" if i == 0 else ""]
        line += [o if o in r.types else "" for o in TYPES] + [r.status, r.comment]
        grid.append(line)
    return grid


# Qualtrics: names, question texts, ImportId JSON; multi-select labels joined by commas in one cell.
QUALTRICS_META = ["StartDate", "EndDate", "Status", "IPAddress", "Progress", "Duration (in seconds)", "Finished"]
QUALTRICS_META += ["RecordedDate", "ResponseId", "RecipientLastName", "RecipientFirstName", "RecipientEmail"]
QUALTRICS_META += ["ExternalReference", "LocationLatitude", "LocationLongitude", "DistributionChannel", "UserLanguage"]


def qualtrics_csv(rows: list[Response], unfinished: int = 1) -> bytes:
    names = [*QUALTRICS_META, "Q1", "Q2", "Q3", "Q4", "Q5", "Q6", "Q6_5_TEXT", "Q7", "Q8", "Q9"]
    texts = [*QUALTRICS_META, Q_CITY, Q_SECTOR, Q_ROLE, Q_CONTACT, Q_TRAINED, Q_SITES]
    texts += [f"{Q_SITES} - Other - Text", Q_TYPES, Q_STATUS, Q_COMMENT]
    import_ids = [json.dumps({"ImportId": n}) for n in names]
    grid: list[list[object]] = [names, texts, import_ids]
    for i, r in enumerate(rows + rows[:unfinished]):
        s = _secret(i)
        done = i < len(rows)
        line: list[object] = [s["date"], s["date"], "IP Address", s["ip"], 100 if done else 40, 300]
        line += ["True" if done else "False", s["date"], f"R_secret{i}", s["last"], s["first"], s["email"], ""]
        line += ["51.0447", "-114.0719", "anonymous", "EN", r.city, r.sector, r.role, r.contact, r.trained]
        line += [",".join(r.sites), "", ",".join(r.types), r.status, r.comment]
        grid.append(line)
    return _csv(grid)


# KoboToolbox: group paths; a select-multiple as space-separated choice names plus one 0/1 column per choice.
KOBO_SITES = {
    "Farm": "farm",
    "Restaurant": "restaurant",
    "Construction": "construction",
    "Massage parlour": "massage_parlour",
}
KOBO_TYPES = {"Forced labour": "forced_labour", "Sexual exploitation": "sexual_exploitation"}
KOBO_CONTACT = {"Yes": "yes", "No": "no", "Not sure": "unsure"}
KOBO_STATUS = {
    "Temporary foreign worker": "temporary_foreign_worker",
    "Citizen": "citizen",
    "Refugee claimant": "refugee_claimant",
}


def kobo_grid(rows: list[Response]) -> list[list[object]]:
    header = ["start", "end", "today", "deviceid", "profile/city", "profile/sector", "profile/role"]
    header += ["experience/contact_any", "experience/trained", "experience/sites"]
    header += [f"experience/sites/{c}" for c in KOBO_SITES.values()] + ["experience/sites_other", "experience/types"]
    header += [f"experience/types/{c}" for c in KOBO_TYPES.values()] + ["experience/status", "_gps_latitude"]
    header += ["_gps_longitude", "_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status"]
    header += ["_submitted_by", "__version__", "_tags", "_index"]
    grid: list[list[object]] = [header]
    for i, r in enumerate(rows):
        s = _secret(i)
        sites = [KOBO_SITES[x] for x in r.sites]
        types = [KOBO_TYPES[x] for x in r.types]
        line: list[object] = [s["date"], s["date"], s["date"][:10], f"collect:uuid-secret{i}"]
        line += [r.city.lower(), r.sector.lower().replace(" ", "_"), r.role.lower(), KOBO_CONTACT[r.contact]]
        line += [r.trained.lower(), " ".join(sites)] + [int(c in sites) for c in KOBO_SITES.values()]
        line += ["", " ".join(types)] + [int(c in types) for c in KOBO_TYPES.values()]
        line += [KOBO_STATUS.get(r.status, ""), "51.04", "-114.07", 1000 + i, f"uuid-secret-{i}", s["date"], ""]
        line += ["", "submitted_via_web", "jane_example", "vSecret", "", i + 1]
        grid.append(line)
    return grid


# LimeSurvey, headings as codes: answer codes for list questions, Q6[SQ001] "Y" per ticked subquestion.
LIME_CODES = {
    "city": {c: f"A{i + 1}" for i, c in enumerate(CITIES)},
    "sector": {c: f"A{i + 1}" for i, c in enumerate(SECTORS)},
    "role": {c: f"A{i + 1}" for i, c in enumerate(ROLES)},
    "contact": {c: f"A{i + 1}" for i, c in enumerate(CONTACT)},
    "trained": {"Yes": "Y", "No": "N"},
    "sites": {c: f"SQ00{i + 1}" for i, c in enumerate(SITES)},
    "types": {c: f"SQ00{i + 1}" for i, c in enumerate(TYPES)},
    "status": {c: f"A{i + 1}" for i, c in enumerate(STATUSES)},
}
LIME_INSTRUMENT = """\
instrument: lime-wave
platform: limesurvey
wave: {from: column, column: submitdate}
fields:
  city: {question: Q1, options: {A1: calgary, A2: edmonton, A3: toronto, A4: vancouver, A5: winnipeg}}
  sector:
    question: Q2
    options: {A1: law_enforcement, A2: ngo_social_services, A3: health, A4: immigrant_settlement, A5: legal}
  role: {question: Q3, options: {A1: frontline, A2: management, A3: other}}
  contact_any: {question: Q4, options: {A1: "yes", A2: "no", A3: unsure}}
  trained: {question: Q5, options: {Y: "yes", N: "no"}}
  labour_site:
    question: Q6
    options: {SQ001: agriculture, SQ002: hospitality_food, SQ003: construction, SQ004: sex_industry}
  victimisation_type: {question: Q7, options: {SQ001: forced_labour, SQ002: sexual_exploitation}}
  victim_status:
    question: Q8
    options: {A1: temporary_foreign_worker, A2: citizen, A3: refugee_claimant}
"""


def limesurvey_csv(rows: list[Response], incomplete: int = 1) -> bytes:
    sites = [f"Q6[{c}]" for c in LIME_CODES["sites"].values()]
    types = [f"Q7[{c}]" for c in LIME_CODES["types"].values()]
    header = ["id", "submitdate", "lastpage", "startlanguage", "seed", "token", "ipaddr", "Q1", "Q2", "Q3", "Q4"]
    header += ["Q5", *sites, "Q6[other]", *types, "Q8", "Q9"]
    grid: list[list[object]] = [header]
    for i, r in enumerate(rows + rows[:incomplete]):
        s = _secret(i)
        line: list[object] = [i + 1, s["date"] if i < len(rows) else "", 3, "en", 12345, "tok-secret", s["ip"]]
        line += [LIME_CODES[k][v] for k, v in (("city", r.city), ("sector", r.sector), ("role", r.role))]
        line += [LIME_CODES["contact"][r.contact], LIME_CODES["trained"][r.trained]]
        line += ["Y" if x in r.sites else "" for x in SITES] + [""]
        line += ["Y" if x in r.types else "" for x in TYPES] + [LIME_CODES["status"].get(r.status, ""), r.comment]
        grid.append(line)
    return _csv(grid)


# Google Forms (CSV, checkboxes joined by ", ") and Microsoft Forms (XLSX, joined by ";" with a trailing one).
def google_forms_csv(rows: list[Response]) -> bytes:
    header = ["Timestamp", "Email Address", Q_CITY, Q_SECTOR, Q_ROLE, Q_CONTACT, Q_TRAINED, Q_SITES, Q_TYPES]
    grid: list[list[object]] = [[*header, Q_STATUS, Q_COMMENT]]
    for i, r in enumerate(rows):
        s = _secret(i)
        grid.append([s["us_date"], s["email"], r.city, r.sector, r.role, r.contact, r.trained, ", ".join(r.sites)])
        grid[-1] += [", ".join(r.types), r.status, r.comment]
    return _csv(grid)


def microsoft_forms_xlsx(rows: list[Response]) -> bytes:
    header = ["ID", "Start time", "Completion time", "Email", "Name", Q_CITY, Q_SECTOR, Q_ROLE, Q_CONTACT]
    grid: list[list[object]] = [[*header, Q_TRAINED, Q_SITES, Q_TYPES, Q_STATUS, Q_COMMENT]]
    for i, r in enumerate(rows):
        s = _secret(i)
        line: list[object] = [i + 1, s["date"], s["date"], s["email"], "Jane Example", r.city, r.sector, r.role]
        line += [r.contact, r.trained, "".join(f"{x};" for x in r.sites), "".join(f"{x};" for x in r.types)]
        line += [r.status, r.comment]
        grid.append(line)
    return workbook(grid, "Form1")


def exports(rows: list[Response]) -> dict[str, tuple[str, bytes]]:
    """Every platform's export of ``rows``: name -> (file name, bytes)."""
    return {
        "surveymonkey_csv": ("Survey wave.csv", _csv(surveymonkey_grid(rows))),
        "surveymonkey_xlsx": ("Survey wave.xlsx", workbook(surveymonkey_grid(rows))),
        "qualtrics_csv": ("Trafficking+survey_December+1.csv", qualtrics_csv(rows)),
        "kobo_xlsx": ("aXk_kobo_2026.xlsx", workbook(kobo_grid(rows), "Trafficking survey")),
        "kobo_csv": ("aXk_kobo_2026.csv", _csv(kobo_grid(rows), ";")),
        "limesurvey_csv": ("results-survey123456.csv", limesurvey_csv(rows)),
        "google_forms_csv": ("Survey (Responses) - Form Responses 1.csv", google_forms_csv(rows)),
        "microsoft_forms_xlsx": ("Survey(1-24).xlsx", microsoft_forms_xlsx(rows)),
    }
