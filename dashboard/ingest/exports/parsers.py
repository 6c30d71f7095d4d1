"""Each platform's export parsed into questions, responses and dropped columns (the formats: ``platforms``).

Every column that is not a question is dropped here and named with its rule: platform metadata (by platform name
lists and words such as ip, latitude, timestamp, device, and the identifying-name test of ``identify``) or free
text (text-entry columns, "other, please specify", and questions whose answers look typed or identifying).

Why this module is longer than ~300 lines: one small reader per survey platform; splitting them would scatter the
shared header rules they all use.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Final

from dashboard.ingest.exports.grid import Grid
from dashboard.ingest.exports.platforms import (
    FORMS_METADATA,
    QUALTRICS_IMPORT_ID,
    UNFINISHED,
    Export,
    Platform,
    Question,
    never,
    split_answers,
)
from dashboard.ingest.identify import FORMULA_KIND, MAX_CELL_CHARS, is_identifying_name, value_kind
from dashboard.ingest.names import normalise
from dashboard.ingest.read import Cell

# Why a column of the export is not kept (the rule of its notice).
METADATA: Final = "platform_metadata_dropped"
FREE_TEXT: Final = "free_text_dropped"
MAX_PIECES_PER_CELL: Final = 128
MAX_MULTI_CELL_CHARS: Final = 4096  # a multi-select cell holding every option of the longest vocabulary, and more

METADATA_NAMES: Final = {
    Platform.SURVEYMONKEY: frozenset(
        {"respondent_id", "collector_id", "start_date", "end_date", "ip_address", "email_address", "first_name"}
        | {"last_name", "custom_data"}
    ),
    Platform.QUALTRICS: frozenset(
        {"startdate", "enddate", "status", "ipaddress", "progress", "duration_in_seconds", "finished"}
        | {"recordeddate", "responseid", "recipientlastname", "recipientfirstname", "recipientemail"}
        | {"externalreference", "externaldatareference", "locationlatitude", "locationlongitude"}
        | {"distributionchannel", "userlanguage"}
    ),
    Platform.KOBO: frozenset(
        {"start", "end", "today", "deviceid", "subscriberid", "simserial", "phonenumber", "username", "audit"}
        | {"meta_instanceid", "meta_instancename", "meta_deprecatedid", "meta_rootuuid", "version", "formhub_uuid"}
    ),
    Platform.LIMESURVEY: frozenset(
        {"id", "submitdate", "lastpage", "startlanguage", "seed", "token", "startdate", "datestamp", "ipaddr"}
        | {"refurl", "interviewtime"}
    ),
    Platform.FORMS: FORMS_METADATA,
}
# Words of a column name that mark metadata on any platform (timestamps, places, devices, languages).
METADATA_WORDS: Final = frozenset(
    {"ip", "ipaddr", "ipaddress", "latitude", "longitude", "lat", "lon", "lng", "altitude", "precision"}
    | {"timestamp", "device", "deviceid", "useragent", "browser", "duration", "recaptcha", "captcha"}
)
FREE_TEXT_MARKS: Final = ("please specify", "veuillez preciser", "precisez", "open-ended", "open ended")
DATE_WORDS: Final = frozenset({"date", "time", "timestamp", "horodateur", "submitdate", "startdate", "enddate"})
QUALTRICS_SPLIT: Final = re.compile(r"^(?P<base>.+)_(?P<choice>\d+)$")
SM_RESPONSE: Final = frozenset({"response", "reponse", "open-ended response", "réponse"})
LIME_SUBQUESTION: Final = re.compile(r"^(?P<base>.*?)\s*\[(?P<option>[^\[\]]+)\]$")
LIME_FREE: Final = frozenset({"other", "comment", "autre", "commentaire"})
QUALTRICS_TEST_STATUS: Final = frozenset({"1", "8", "survey preview", "spam", "survey test"})
TEXT_DISTINCT: Final = 60  # more distinct answers than this, in most responses: a text box, not a choice


def parse(grid: Grid, platform: str) -> Export:
    """The export of ``platform`` in ``grid``: its questions, responses, dropped columns and dates."""
    parser = {
        Platform.SURVEYMONKEY: _surveymonkey,
        Platform.QUALTRICS: _qualtrics,
        Platform.KOBO: _kobo,
        Platform.LIMESURVEY: _limesurvey,
        Platform.FORMS: _forms,
    }[platform]
    export = parser(grid)
    _mark_unfinished(export)
    return export


def _is_metadata(platform: str, header: str) -> bool:
    name = normalise(header)
    if platform == Platform.KOBO and header.startswith("_"):
        return True
    if platform == Platform.SURVEYMONKEY and name.startswith("custom_data"):
        return True
    if platform == Platform.QUALTRICS and name.startswith("q_"):
        return True  # Qualtrics' own quality fields (Q_RecaptchaScore, Q_RelevantIDDuplicate...)
    if platform == Platform.LIMESURVEY and name.endswith("time") and name != "time":
        return True  # LimeSurvey's timings (interviewtime, groupTime..., Q1Time)
    words = set(name.split("_"))
    return name in METADATA_NAMES[platform] or bool(words & METADATA_WORDS) or is_identifying_name(name)


def _is_date(header: str) -> bool:
    words = set(normalise(header).split("_"))
    return bool(words & DATE_WORDS) or normalise(header).replace("_", "") in DATE_WORDS


def _looks_free(header: str) -> bool:
    folded = normalise(header).replace("_", " ")
    return any(normalise(m).replace("_", " ") in folded for m in FREE_TEXT_MARKS)


class _Builder:
    """Collects an export's questions and dropped columns while a parser walks its header."""

    def __init__(self, grid: Grid, platform: str, header: list[str], body: int) -> None:
        self.export = Export(grid.file, platform, header, [], grid.rows[body:])

    def drop(self, position: int, rule: str) -> None:
        header = self.export.header[position]
        self.export.dropped.append((header, rule))
        if rule == METADATA and _is_date(header):
            self.export.dates[header] = position

    def column(self, position: int) -> bool:
        """Drop the column if it is metadata or empty; True when it may hold a question."""
        header = self.export.header[position]
        if not header and not any(r[position] for r in self.export.rows):
            return False
        if _is_metadata(self.export.platform, header):
            self.drop(position, METADATA)
            return False
        return True

    def add(self, question: Question) -> None:
        if _free_answers(self.export.rows, question):
            for position in question.columns:
                self.drop(position, FREE_TEXT)
            return
        self.export.questions.append(question)


def _free_answers(rows: list[list[Cell]], question: Question) -> bool:
    """Whether a question's answers look like typed text (a one-column question: many distinct, or identifying;
    a question of one column per option: any cell identifying, as when the option columns hold what was typed)."""
    if question.options:
        pairs = list(zip(question.columns, question.options, strict=True))
        distinct = {v for r in rows for p, option in pairs if (v := r[p]) and v != option}
        return any(value_kind(v, "code", mapped=False) not in (None, FORMULA_KIND) for v in distinct)
    cells = [v for r in rows if (v := r[question.columns[0]])]
    limit = MAX_MULTI_CELL_CHARS if question.separator else MAX_CELL_CHARS
    if any(len(c) > limit for c in cells):
        return True  # typed, or built to make the split slow: dropped before it is split
    split = [split_answers(c, question.separator, never) for c in cells] if question.separator else [[c] for c in cells]
    if any(len(answers) > MAX_PIECES_PER_CELL for answers in split):
        return True  # more answers in one cell than any vocabulary has labels: not a multi-select
    values = [v for answers in split for v in answers]
    distinct = set(values)
    if len(distinct) > TEXT_DISTINCT and len(distinct) > len(values) / 2:
        return True
    return any(value_kind(v, "code", mapped=False) not in (None, FORMULA_KIND) for v in distinct)


def _surveymonkey(grid: Grid) -> Export:
    top = grid.rows[0]
    second: list[Cell] = grid.rows[1] if len(grid.rows) > 1 else [None] * grid.width
    header = [_sm_header(top, second, i) for i in range(grid.width)]
    build = _Builder(grid, Platform.SURVEYMONKEY, header, 2)
    position = 0
    while position < grid.width:
        end = position + 1
        while end < grid.width and not top[end] and second[end]:
            end += 1  # the other options of the same question (its text is written above the first only)
        text = top[position] or ""
        if not build.column(position):
            position = end
            continue
        positions = [p for p in range(position, end) if not _sm_free(second[p])]
        for p in range(position, end):
            if _sm_free(second[p]):
                build.drop(p, FREE_TEXT)
        single = len(positions) == 1 and (second[positions[0]] or "").casefold() in SM_RESPONSE
        if _looks_free(text):
            for p in positions:
                build.drop(p, FREE_TEXT)
        elif single:
            build.add(Question(text, text, (positions[0],)))
        elif positions:
            options = tuple(second[p] or "" for p in positions)
            build.add(Question(text, text, tuple(positions), options))
        position = end
    return build.export


def _sm_header(top: list[Cell], second: list[Cell], position: int) -> str:
    """A SurveyMonkey column's name for a notice: its question text, with its option when it has one."""
    question = next((top[p] for p in range(position, -1, -1) if top[p]), "") or ""
    option = second[position]
    if top[position] and (not option or option.casefold() in SM_RESPONSE):
        return question
    return f"{question} [{option}]" if option else question


def _sm_free(label: Cell) -> bool:
    return label is not None and label != "" and (label.casefold() == "open-ended response" or _looks_free(label))


def _qualtrics(grid: Grid) -> Export:
    names = [c or "" for c in grid.rows[0]]
    texts = grid.rows[1] if len(grid.rows) > 1 else [None] * grid.width
    body = 3 if len(grid.rows) > 2 and any((c or "").startswith(QUALTRICS_IMPORT_ID) for c in grid.rows[2]) else 2
    build = _Builder(grid, Platform.QUALTRICS, names, body)
    groups: dict[tuple[str, str], list[tuple[int, str]]] = {}
    for position, name in enumerate(names):
        if not build.column(position):
            continue
        text = texts[position] or name
        if name.upper().endswith("_TEXT") or _looks_free(text):
            build.drop(position, FREE_TEXT)
            continue
        split = QUALTRICS_SPLIT.match(name)
        if split and " - " in text:  # "split multi-value fields into columns": Q6_1 "Question - Option"
            question, option = text.rsplit(" - ", 1)
            groups.setdefault((split["base"], question), []).append((position, option))
            continue
        build.add(Question(name, text, (position,), separator=","))
    for (base, question), members in groups.items():
        if len(members) == 1:
            position, option = members[0]
            build.add(Question(names[position], f"{question} - {option}", (position,), separator=","))
            continue
        build.add(Question(base, question, tuple(p for p, _ in members), tuple(o for _, o in members)))
    return build.export


def _kobo(grid: Grid) -> Export:
    header = [c or "" for c in grid.rows[0]]
    build = _Builder(grid, Platform.KOBO, header, 1)
    present = set(header)
    details: dict[str, list[int]] = {}
    for position, name in enumerate(header):
        parent = name.rsplit("/", 1)[0] if "/" in name else None
        if parent and (parent in present or _is_kobo_detail(grid, position)):
            details.setdefault(parent, []).append(position)  # a 0/1 column of one choice of a select-multiple
    detail_positions = {p for ps in details.values() for p in ps}
    for position, name in enumerate(header):
        if position in detail_positions or not build.column(position):
            continue
        if name.endswith(("_other", "/other")) or _looks_free(name):
            build.drop(position, FREE_TEXT)
            continue
        separator = " " if name in details else None
        build.add(Question(name, name.rsplit("/", 1)[-1], (position,), separator=separator))
    for parent, positions in details.items():
        if parent in present:
            continue  # the space-separated column is read; its 0/1 columns say the same
        options = tuple(header[p].rsplit("/", 1)[-1] for p in positions)
        build.add(Question(parent, parent.rsplit("/", 1)[-1], tuple(positions), options))
    return build.export


def _is_kobo_detail(grid: Grid, position: int) -> bool:
    """A column holding only 0 and 1 under a "group/question/choice" path."""
    values = {r[position] for r in grid.rows[1:] if r[position] is not None}
    return (grid.rows[0][position] or "").count("/") >= 1 and bool(values) and values <= {"0", "1", "0.0", "1.0"}


def _limesurvey(grid: Grid) -> Export:
    header = [c or "" for c in grid.rows[0]]
    build = _Builder(grid, Platform.LIMESURVEY, header, 1)
    groups: dict[str, list[tuple[int, str]]] = {}
    for position, name in enumerate(header):
        if not build.column(position):
            continue
        match = LIME_SUBQUESTION.match(name)
        if (match and match["option"].casefold() in LIME_FREE) or _looks_free(name):
            build.drop(position, FREE_TEXT)
        elif match:
            groups.setdefault(match["base"], []).append((position, match["option"]))
        else:
            build.add(Question(name, name, (position,)))
    for base, members in groups.items():
        build.add(Question(base, base, tuple(p for p, _ in members), tuple(o for _, o in members)))
    return build.export


def _forms(grid: Grid) -> Export:
    header = [c or "" for c in grid.rows[0]]
    build = _Builder(grid, Platform.FORMS, header, 1)
    for position, name in enumerate(header):
        if not build.column(position):
            continue
        if _looks_free(name):
            build.drop(position, FREE_TEXT)
            continue
        cells = [r[position] or "" for r in build.export.rows]
        separator = ";" if any(";" in c for c in cells) else ","
        build.add(Question(name, name, (position,), separator=separator))
    return build.export


def _mark_unfinished(export: Export) -> None:
    """Responses the platform itself marks unfinished: Qualtrics Finished false (or Progress under 100 without
    a Finished column) or a preview/spam Status; LimeSurvey without a submitdate."""
    names = {normalise(h): i for i, h in enumerate(export.header) if h}
    rules: list[tuple[str, Callable[[str | None], bool]]] = []
    if export.platform == Platform.QUALTRICS:
        if "finished" in names:
            rules.append(("finished", lambda v: (v or "").casefold() in UNFINISHED))
        elif "progress" in names:
            rules.append(("progress", lambda v: (v or "0").replace(".0", "") != "100"))
        if "status" in names:
            rules.append(("status", lambda v: (v or "").casefold() in QUALTRICS_TEST_STATUS))
    if export.platform == Platform.LIMESURVEY and "submitdate" in names:
        rules.append(("submitdate", lambda v: not v))
    for name, unfinished in rules:
        position = names[name]
        for row, cells in enumerate(export.rows):
            if row not in export.unfinished and unfinished(cells[position]):
                export.unfinished[row] = export.header[position]
