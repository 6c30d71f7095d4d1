"""Every message of the catalogue is used (issue 16): by a literal key in the code or a template, or under one of
the dynamic prefixes the code builds keys from (``f"tier.{tier}"``, ``"steward.state." ~ state``).

A dynamic prefix must be declared in ``DYNAMIC`` with where its suffixes come from, so that a key built at run time
is a decision, not a way to hide an unused message; the test also fails on a declared prefix the code no longer
builds.
"""

from __future__ import annotations

import ast
import re

from dashboard import i18n, paths

PACKAGE = paths.REPO_ROOT / "dashboard"
TEMPLATES = PACKAGE / "templates"
KEY = re.compile(r"^[a-z][a-z0-9_]*(\.[a-zA-Z0-9_]+)+$")
PREFIX = re.compile(r"^[a-z][a-z0-9_]*(\.[a-zA-Z0-9_]*)+$")
# A Jinja key built by concatenation: "steward.state." ~ s
JINJA_PREFIX = re.compile(r"[\"']([a-z][a-z0-9_.]*\.)[\"']\s*~")
JINJA_LITERAL = re.compile(r"[\"']([a-z][a-z0-9_]*(?:\.[a-zA-Z0-9_]+)+)[\"']")

# Every prefix a key is built under, and where the rest of the key comes from.
DYNAMIC = {
    "auth.role.": "the account roles (accounts.store)",
    "download.": "the export formats (published.export.FORMATS)",
    "explore.bars.": "the tier's sector dimension (views.charts.TITLE_KEYS)",
    "explore.col.": "the published measures (published.table.MEASURES)",
    "explore.trend.": "the trend charts' items, contact and trained (pages.sections.home)",
    "exports.": "the rule code of a column an export drops (ingest.exports.reshape, steward_mapping.html)",
    "exports.form.field.": "the fields of an instrument mapping (steward.mapping_form)",
    "exports.not_kept.": "why a mapped question is not kept (ingest.exports.reshape)",
    "exports.platform.": "the survey platforms recognised (ingest.exports.platforms)",
    "guard.items.": "what a forged callback request sends: inputs or states (auth.guard._check_items)",
    "ingest.": "the rule code of a notice on an uploaded column (ingest.columns)",
    "ingest.codes.": "the codes sheet's fields (ingest.template.CODES_FIELDS)",
    "ingest.column.": "<table>.<column> of the uploaded tables (ingest.template)",
    "ingest.dict.": "the data dictionary's fields (ingest.template.DICTIONARY_FIELDS, steward_dictionary.html)",
    "ingest.kind.": "the kinds of identifying data (ingest.identify)",
    "ingest.type.": "the column kinds (data.schema)",
    "lang.switch.": "the languages (i18n.LANGUAGES)",
    "network.band.": "the contact bands (views.network BAND_CODES)",
    "present.error.": "the fields the deck checker reports on (present.checks)",
    "network.col.": "the network measures (views.network MEASURES)",
    "network.filter.": "the network page's controls (pages.sections.network LEGENDS)",
    "network.size.": "what node sizes can show (figures.network.SIZE_BY)",
    "present.language.": "the languages a deck is written in (pages.present)",
    "present.noun.": "the dimensions a deck's chart may name (present.checks)",
    "progress.": "a job's state (steward_upload.html)",
    "progress.job.": "the steward's jobs: check, prepare, publish (steward.progress)",
    "progress.stage.": "<job>.<stage> of each job (steward.progress.STAGES)",
    "steward.action.": "the release history's actions (steward.history)",
    "steward.job.": "a job stopped by a limit: its kind and outcome (steward.jobs)",
    "steward.state.": "the upload states (steward.uploads, steward.html, steward_upload.html)",
    "summary.chart.": "the summary page's breakdown charts (pages.sections.home)",
    "summary.change.count_": "the direction of a count's change: up, down, same (summary.sentences)",
    "summary.change.pp_": "the direction of a share's change: up, down, same (summary.sentences)",
    "summary.col.": "the published measures (pages.sections.home)",
    "summary.flag.": "the quality flags E and F (summary.sentences)",
    "summary.kpi.": "the headline figures (summary.kpis)",
    "summary.sentence.": "the headline figures, shown or hidden (summary.sentences)",
    "summary.top.": "the dimensions of the most-named sentences (summary.sentences)",
    "tier.": "the audience tiers (published.policy)",
    "validation.": "the rule codes of the dataset validation (data.validate)",
    "voices.": "the voices breakdowns: method, sector, city (pages.voices)",
}


def _python_keys() -> tuple[set[str], set[str]]:
    """(literal keys, dynamic prefixes) of every Python module of the package."""
    literals: set[str] = set()
    prefixes: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                value = node.value
                if KEY.match(value):
                    literals.add(value)
                elif "{" in value and KEY.match(value.split("{")[0] + "x"):  # "explore.bars.{sector}.title"
                    prefixes.add(value.split("{")[0])
            elif isinstance(node, ast.JoinedStr) and node.values:
                first = node.values[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    head = first.value
                    if "." in head and PREFIX.match(head):  # f"tier.{tier}", f"summary.change.pp_{direction}"
                        prefixes.add(head)
    return literals, prefixes


def _template_keys() -> tuple[set[str], set[str]]:
    literals: set[str] = set()
    prefixes: set[str] = set()
    for path in TEMPLATES.glob("*.html"):
        text = path.read_text(encoding="utf-8")
        literals |= set(JINJA_LITERAL.findall(text))
        prefixes |= set(JINJA_PREFIX.findall(text))
    return literals, prefixes


def _used() -> tuple[set[str], set[str]]:
    """(literal keys, prefixes of message keys): a prefix no message starts with (a form field's "q.") is not one."""
    py_literals, py_prefixes = _python_keys()
    tpl_literals, tpl_prefixes = _template_keys()
    keys = i18n.catalogue()
    prefixes = {p for p in py_prefixes | tpl_prefixes if any(k.startswith(p) for k in keys)}
    literals = py_literals | tpl_literals
    # a message read with count= is written once per plural form: the literal key uses key.one and key.other
    plurals = {f"{k}.{form}" for k in literals for form in i18n.PLURAL_FORMS}
    return literals | plurals, prefixes


def test_cu001_every_key_built_at_run_time_has_a_declared_prefix():
    _, prefixes = _used()
    undeclared = sorted(p for p in prefixes if p not in DYNAMIC)
    assert undeclared == [], f"declare these prefixes in DYNAMIC (where do their suffixes come from?): {undeclared}"
    stale = sorted(d for d in DYNAMIC if d not in prefixes)
    assert stale == [], f"no code builds keys under these declared prefixes any more: {stale}"


def test_cu002_every_message_is_used():
    literals, prefixes = _used()
    unused = sorted(
        key for key in i18n.catalogue() if key not in literals and not any(key.startswith(p) for p in prefixes)
    )
    assert unused == [], f"messages no code or template uses (use them or delete them): {unused}"
