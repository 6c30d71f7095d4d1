"""Ingest: a data steward's uploaded survey wave (CSV or XLSX bytes) to checked rows, safely (SPEC §3, §7).

``ingest`` is a pure library call: it reads nothing but the bytes it is given and the published dataset,
writes nothing the app serves, and reports every problem by file, column, rows and rule (``Rule``). The
publish step calls ``merged_dataset_folder`` on a successful result and builds a release from the folder.
"""

from __future__ import annotations

from dashboard.ingest.merge import merged_dataset_folder
from dashboard.ingest.model import IngestResult, Limits, Mapping, Notice, Rule, Upload
from dashboard.ingest.pipeline import ingest
from dashboard.ingest.template import data_dictionary, template_csv, template_xlsx

__all__ = [
    "IngestResult",
    "Limits",
    "Mapping",
    "Notice",
    "Rule",
    "Upload",
    "data_dictionary",
    "ingest",
    "merged_dataset_folder",
    "template_csv",
    "template_xlsx",
]
