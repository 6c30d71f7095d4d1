"""Which survey tool wrote an export, told from its shape, and the export as questions and responses.

What each platform writes (looked up, not guessed; see also tests/ingest/exports_fixtures.py):
- SurveyMonkey ("all responses" CSV/XLSX): two header rows, question text then "Response" or each option's
  label, one column per option of a multi-select holding the label when ticked (the two-row header is what
  the doubleheadr and sfirke "fix_SM_dual_row_names" helpers exist for); metadata Respondent ID, Collector
  ID, Start/End Date, IP Address, Email Address, First/Last Name, Custom Data.
- Qualtrics CSV: three header rows (names such as QID or Q1, question text, ImportId JSON), as the CRAN
  kutils ``importQualtrics`` (namerow 1, questionrow 2, importidrow 3) and qualtRics ``read_survey`` read it;
  ``_TEXT`` columns are text entry ("other, please specify"); a multi-select is one comma-joined cell, or with
  "split multi-value fields into columns" one ``Q6_1`` column per choice whose text is "question - choice".
- KoboToolbox CSV/XLSX: group paths joined by "/" (the export's ``grp_sep``), a select-multiple as one cell of
  space-separated choice names and, with ``multi_sel`` "both" or "details", one 0/1 column per choice
  ("group/q/choice"); submission metadata starts with "_" (``_id``, ``_uuid``, ``_submission_time``...).
- LimeSurvey CSV (``sHeadingType`` "code"): ``Q1[SQ001]`` per subquestion of a multiple choice ("Y" when
  ticked, type M in its question types), ``Q1[other]`` and ``[comment]`` free text; id, submitdate (empty for
  an incomplete response), lastpage, startlanguage, seed, token, ipaddr, refurl.
- Google Forms and Microsoft Forms: one header of question text; Timestamp (Forms), or ID, Start time,
  Completion time, Email, Name (Microsoft); checkboxes joined by ", " (Google) or ";" (Microsoft).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final

from dashboard.ingest.exports.grid import Grid
from dashboard.ingest.identify import FORMULA_KIND, is_identifying_name, value_kind
from dashboard.ingest.names import normalise
from dashboard.ingest.read import Cell


class Platform:
    SURVEYMONKEY: Final = "surveymonkey"
    QUALTRICS: Final = "qualtrics"
    KOBO: Final = "kobotoolbox"
    LIMESURVEY: Final = "limesurvey"
    FORMS: Final = "forms"  # Google Forms or Microsoft Forms: one header row of question text


PLATFORMS: Final = (Platform.SURVEYMONKEY, Platform.QUALTRICS, Platform.KOBO, Platform.LIMESURVEY, Platform.FORMS)

# Why a column of the export is not kept (the rule of its notice).
METADATA: Final = "platform_metadata_dropped"
FREE_TEXT: Final = "free_text_dropped"

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
    Platform.FORMS: frozenset(
        {"timestamp", "horodateur", "horodatage", "marca_temporal", "email_address", "adresse_e_mail", "score"}
        | {"id", "start_time", "completion_time", "email", "name", "last_modified_time", "heure_de_debut"}
        | {"heure_de_fin", "adresse_de_messagerie", "nom", "total_points", "quiz_feedback", "points"}
    ),
}
# Words of a column name that mark metadata on any platform (timestamps, places, devices, languages).
METADATA_WORDS: Final = frozenset(
    {"ip", "ipaddr", "ipaddress", "latitude", "longitude", "lat", "lon", "lng", "altitude", "precision"}
    | {"timestamp", "device", "deviceid", "useragent", "browser", "duration", "recaptcha", "captcha"}
)
FREE_TEXT_MARKS: Final = ("please specify", "veuillez preciser", "precisez", "open-ended", "open ended")
DATE_WORDS: Final = frozenset({"date", "time", "timestamp", "horodateur", "submitdate", "startdate", "enddate"})
QUALTRICS_IMPORT_ID: Final = '{"ImportId"'
QUALTRICS_SPLIT: Final = re.compile(r"^(?P<base>.+)_(?P<choice>\d+)$")
SM_RESPONSE: Final = frozenset({"response", "reponse", "open-ended response", "réponse"})
LIME_SUBQUESTION: Final = re.compile(r"^(?P<base>.*?)\s*\[(?P<option>[^\[\]]+)\]$")
LIME_FREE: Final = frozenset({"other", "comment", "autre", "commentaire"})
TICKED: Final = frozenset({"1", "y", "yes", "true", "oui"})
UNFINISHED: Final = frozenset({"false", "0", "no", "non"})
UNTICKED: Final = UNFINISHED
QUALTRICS_TEST_STATUS: Final = frozenset({"1", "8", "survey preview", "spam", "survey test"})
TEXT_DISTINCT: Final = 60  # more distinct answers than this, in most responses: a text box, not a choice


@dataclass(frozen=True)
class Question:
    """One question of an export: its stable key (what a mapping names), its text and its columns.

    ``options`` is set for a question written as one column per option (the option of each column);
    ``separator`` for one whose several answers share a cell.
    """

    key: str
    text: str
    columns: tuple[int, ...]
    options: tuple[str, ...] = ()
    separator: str | None = None


@dataclass
class Export:
    """An export read as questions and responses; every column not in a question is listed in ``dropped``."""

    file: str
    platform: str
    header: list[str]  # the name of each column, for notices
    questions: list[Question]
    rows: list[list[Cell]]  # the responses, in order, with every cell (only questions' cells are ever read)
    dropped: list[tuple[str, str]] = field(default_factory=list)  # (column header, rule)
    dates: dict[str, int] = field(default_factory=dict)  # metadata date columns a wave can come from
    unfinished: dict[int, str] = field(default_factory=dict)  # response index -> the column that says so

    def question(self, key: str) -> Question | None:
        return next((q for q in self.questions if q.key == key), None)

    def answers(self, question: Question, row: int, known: Callable[[str], bool] | None = None) -> list[str]:
        """The answers of one response to ``question`` (several for a multi-select, split with ``known``)."""
        cells = self.rows[row]
        if question.options:
            out = []
            for position, option in zip(question.columns, question.options, strict=True):
                value = cells[position]
                if value is not None and (value.casefold() in TICKED or value == option):
                    out.append(option)
                elif value is not None and self.platform == Platform.SURVEYMONKEY:
                    out.append(value)
                elif value is not None and self.platform == Platform.QUALTRICS and value.casefold() not in UNTICKED:
                    out.append(option)  # a split Qualtrics column holds the choice's code or label when ticked
            return out
        value = cells[question.columns[0]]
        if value is None:
            return []
        if question.separator is None:
            return [value]
        return split_answers(value, question.separator, known or _never)


def _never(_: str) -> bool:
    return False


def split_answers(value: str, separator: str, known: Callable[[str], bool]) -> list[str]:
    """A multi-select cell's answers; pieces are joined back when together they make a known label
    ("Resource extraction (oil, gas, mining)" holds the separator of a Qualtrics export)."""
    pieces = [p.strip() for p in value.split(separator)] if separator != " " else value.split()
    out: list[str] = []
    i = 0
    while i < len(pieces):
        end = next((j for j in range(len(pieces), i + 1, -1) if known(separator.join(pieces[i:j]).strip())), i + 1)
        joined = separator.join(pieces[i:end]).strip()
        if joined:
            out.append(joined)
        i = end
    return out


def detect(grid: Grid) -> str | None:
    """The platform whose export ``grid`` looks like, or None."""
    head = grid.rows[0]
    names = {normalise(h) for h in head if h}
    raw = {h.strip().casefold() for h in head if h}
    if len(grid.rows) > 2 and any((c or "").startswith(QUALTRICS_IMPORT_ID) for c in grid.rows[2]):
        return Platform.QUALTRICS
    if {"responseid", "startdate"} <= names or {"responseid", "finished"} <= names:
        return Platform.QUALTRICS
    if {"respondent_id", "collector_id"} <= names:
        return Platform.SURVEYMONKEY
    if len(raw & {"_uuid", "_submission_time", "_validation_status", "_index", "_id"}) >= 2:
        return Platform.KOBO
    if {"submitdate", "lastpage"} <= names or {"startlanguage", "seed"} <= names:
        return Platform.LIMESURVEY
    forms = METADATA_NAMES[Platform.FORMS]
    if (
        names & {"timestamp", "horodateur", "horodatage", "marca_temporal"}
        or {"start_time", "completion_time"} <= names
    ):
        return Platform.FORMS
    if {"heure_de_debut", "heure_de_fin"} <= names or (len(names & forms) >= 3 and "id" in names):
        return Platform.FORMS
    return None


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
    """Whether a one-column question's answers look like typed text (many distinct, or identifying)."""
    if question.options:
        return False
    cells = [r[question.columns[0]] for r in rows if r[question.columns[0]]]
    values = [v for c in cells for v in split_answers(c, question.separator, _never)] if question.separator else cells
    distinct = set(values)
    if len(distinct) > TEXT_DISTINCT and len(distinct) > len(values) / 2:
        return True
    return any(value_kind(v, "code", mapped=False) not in (None, FORMULA_KIND) for v in distinct)


def _surveymonkey(grid: Grid) -> Export:
    top, second = grid.rows[0], grid.rows[1] if len(grid.rows) > 1 else [None] * grid.width
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
    return bool(label) and (label.casefold() == "open-ended response" or _looks_free(label))


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
    return grid.rows[0][position].count("/") >= 1 and bool(values) and values <= {"0", "1", "0.0", "1.0"}


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
