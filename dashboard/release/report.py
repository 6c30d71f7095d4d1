"""The steward report that goes with every release (human-readable and JSON; never served to other tiers)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from dashboard.data.dataset import Dataset
from dashboard.data.schema import C, T
from dashboard.data.vocab import Vocabularies
from dashboard.published import table as TB
from dashboard.release.linking import Linked
from dashboard.release.protect import Protection


def sample_uniques(dataset: Dataset) -> dict[str, Any]:
    """Respondents alone in their wave × city × sector × role group."""
    resp = dataset[T.RESPONDENTS]
    size = resp.groupby([C.WAVE, C.CITY, C.SECTOR, C.ROLE])[C.RESPONDENT_ID].transform("size")
    unique = size == 1
    by_wave = unique.groupby(resp[C.WAVE]).sum()
    return {
        "count": int(unique.sum()),
        "share": float(unique.mean()) if len(resp) else 0.0,
        "by_wave": {str(w): int(n) for w, n in by_wave.items()},
    }


def steward_report(
    dataset: Dataset,
    vocab: Vocabularies,
    releases: dict[str, TB.Release],
    protection: Protection,
    linked: Linked,
    value: np.ndarray,
) -> dict[str, Any]:
    del vocab
    tiers: dict[str, Any] = {}
    for tier, release in releases.items():
        ids = np.flatnonzero(protection.active[tier])
        hidden = protection.hidden[tier][ids]
        vals = value[ids]
        total = vals.sum()
        tiers[tier] = {
            "tables": len(release.tables),
            "cells": int(ids.size),
            "withheld_rows": sum(t["withheld_rows"] for t in release.meta["tables"]),
            "suppressed": int(hidden.sum()),
            "primary": int(protection.primary[tier][ids].sum()),
            "class_blocked": int(protection.class_blocked[tier][ids].sum()),
            "information_lost": float(vals[hidden].sum() / total) if total else 0.0,
            "audit": {
                "checked": protection.audits[tier].checked,
                "at_risk": len(protection.audits[tier].at_risk),
            },
        }
    return {
        "dataset": {k: dataset.manifest.get(k) for k in ("name", "version", "checksum", "synthetic")},
        "respondents": len(dataset[T.RESPONDENTS]),
        "sample_uniques": sample_uniques(dataset),
        "tiers": tiers,
    }


def _listed(title: str, intro: list[str], items: list[str]) -> list[str]:
    """A report section listing ``items`` under ``title`` and its ``intro`` (nothing when there are none)."""
    if not items:
        return []
    return [f"## {title}", "", *intro, "", *(f"- {item}" for item in items), ""]


def report_markdown(report: Mapping[str, Any]) -> str:
    """The steward report as Markdown (``steward/report.md`` of a release), from its JSON form."""
    lines = [f"# Steward report: {report['dataset']['name']} {report['dataset']['version']}", ""]
    lines += ["## Sample uniques (city × sector × role)", ""]
    lines.append(
        f"{report['sample_uniques']['count']} respondents are alone in their city × sector × role "
        f"group in their wave ({report['sample_uniques']['share']:.1%} of respondents)."
    )
    lines += ["", "| wave | sample uniques |", "| --- | --- |"]
    lines += [f"| {w} | {n} |" for w, n in report["sample_uniques"]["by_wave"].items()]
    lines += [
        "",
        "## Suppression per tier",
        "",
        "| tier | tables | cells | suppressed | primary | class disclosure | information lost |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for tier, s in report["tiers"].items():
        lines.append(
            f"| {tier} | {s['tables']} | {s['cells']} | {s['suppressed']} | {s['primary']} | "
            f"{s['class_blocked']} | {s['information_lost']:.1%} |"
        )
    lines += [
        "",
        "Information lost: the share of respondent counts (summed over non-zero cells) that a tier does not show.",
        "",
    ]
    lines += _listed(
        "Withheld by the fallback",
        [
            "Secondary suppression did not find a cheap pattern for these tiers and waves, so a wider one that",
            "is safe by construction was used (and passed the audit):",
        ],
        report.get("fallbacks", []),
    )
    lines += _listed(
        "Tables not published for a wave",
        [
            "These waves had more hidden small cells than can be protected and audited together, so their sparsest",
            "tables are not published for them (the pages say so); every table that is published is audited:",
        ],
        report.get("not_published", []),
    )
    lines += _earlier_lines(report)
    return "\n".join(lines)


def _earlier_lines(report: Mapping[str, Any]) -> list[str]:
    """The report's section on the earlier waves kept as the served release published them (issue 12, part 6)."""
    kept, changed = report.get("earlier_kept", []), report.get("earlier_changed", [])
    not_built = report.get("earlier_not_built", [])
    if not (kept or changed or not_built):
        return []
    lines = ["## Earlier waves", ""]
    if kept:
        lines.append(
            "Waves " + ", ".join(map(str, kept)) + " keep the served release's pattern: what it hid stays hidden, and"
            " what it showed is never hidden to protect the new wave, so comparing the two downloads' survey tables"
            " reveals nothing. The network and voices tables are built afresh, and the voices counts pool every"
            " wave's sources: compare them with the served release before publishing."
        )
    if not_built:
        lines.append(
            "The served release has tables this build does not make, so their published cells are not held fixed"
            " here, and someone holding both downloads can combine them with the new tables: "
            + "; ".join(not_built)
            + "."
        )
    if changed:
        lines.append(
            "The published counts of wave(s) " + ", ".join(map(str, changed)) + " still differ from the served"
            " release's (their data changed, or the fallback had to hide more): someone holding both downloads can"
            " compare them there, and the audit does not model the two versions together."
        )
    lines.append("")
    return lines
