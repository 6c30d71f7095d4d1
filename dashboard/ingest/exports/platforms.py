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

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final

from dashboard.ingest.exports.grid import Grid
from dashboard.ingest.names import normalise
from dashboard.ingest.read import Cell


class Platform:
    SURVEYMONKEY: Final = "surveymonkey"
    QUALTRICS: Final = "qualtrics"
    KOBO: Final = "kobotoolbox"
    LIMESURVEY: Final = "limesurvey"
    FORMS: Final = "forms"  # Google Forms or Microsoft Forms: one header row of question text


PLATFORMS: Final = (Platform.SURVEYMONKEY, Platform.QUALTRICS, Platform.KOBO, Platform.LIMESURVEY, Platform.FORMS)

QUALTRICS_IMPORT_ID: Final = '{"ImportId"'
FORMS_METADATA: Final = frozenset(
    {"timestamp", "horodateur", "horodatage", "marca_temporal", "email_address", "adresse_e_mail", "score"}
    | {"id", "start_time", "completion_time", "email", "name", "last_modified_time", "heure_de_debut"}
    | {"heure_de_fin", "adresse_de_messagerie", "nom", "total_points", "quiz_feedback", "points"}
)
TICKED: Final = frozenset({"1", "y", "yes", "true", "oui"})
UNFINISHED: Final = frozenset({"false", "0", "no", "non"})
UNTICKED: Final = UNFINISHED
# The most pieces one known label may be made of when a multi-select cell is split ("Resource extraction (oil, gas,
# mining)" is three at ", "): the join search looks no further, so a cell costs linear time, not cubic.
MAX_LABEL_PIECES: Final = 16


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
        return split_answers(value, question.separator, known or never)


def never(_: str) -> bool:
    return False


def split_answers(value: str, separator: str, known: Callable[[str], bool]) -> list[str]:
    """A multi-select cell's answers; pieces are joined back when together they make a known label
    ("Resource extraction (oil, gas, mining)" holds the separator of a Qualtrics export)."""
    pieces = [p.strip() for p in value.split(separator)] if separator != " " else value.split()
    out: list[str] = []
    i = 0
    while i < len(pieces):
        last = min(len(pieces), i + MAX_LABEL_PIECES)
        end = next((j for j in range(last, i + 1, -1) if known(separator.join(pieces[i:j]).strip())), i + 1)
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
    forms = FORMS_METADATA
    if (
        names & {"timestamp", "horodateur", "horodatage", "marca_temporal"}
        or {"start_time", "completion_time"} <= names
    ):
        return Platform.FORMS
    if {"heure_de_debut", "heure_de_fin"} <= names or (len(names & forms) >= 3 and "id" in names):
        return Platform.FORMS
    return None
