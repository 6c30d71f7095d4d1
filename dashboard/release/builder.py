"""Build the published release of every tier from a validated dataset: aggregate, protect, audit, write.

``build(dataset, secret)`` returns the releases in memory (nothing written); ``write(result, out)`` writes them
atomically as a new version under ``out/versions/`` and then points ``out/current`` at it. A build whose audit
fails raises ``ReleaseAuditError`` and writes nothing.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from dashboard.data.dataset import Dataset
from dashboard.data.schema import C, T
from dashboard.data.vocab import Vocabularies
from dashboard.privacy.audit import DEFAULT_NODE_LIMIT
from dashboard.privacy.rounding import record_keys
from dashboard.published import dims as D
from dashboard.published import table as TB
from dashboard.published.policy import policy_for
from dashboard.published.store import fsync_dir, switch_current
from dashboard.published.tiers import PUBLISHED_TIERS, Tier
from dashboard.release import network, voices
from dashboard.release.checks import ExtrasRuleError, check_release
from dashboard.release.counts import Counter
from dashboard.release.earlier import EarlierPattern, changed_waves, earlier_pattern
from dashboard.release.linking import Linked, link
from dashboard.release.protect import Protection, kept_rows, protect
from dashboard.release.publish import published_table
from dashboard.release.report import report_markdown, steward_report

BUILT_TIERS = PUBLISHED_TIERS

ExtraBuilder = Callable[[Dataset, Vocabularies, bytes], dict[str, dict[str, pd.DataFrame]]]
# Builders of other published tables (network, qualitative themes): each returns {tier: {name: table}}, with its
# own disclosure control applied, and must never return microdata.
EXTRA_BUILDERS: list[ExtraBuilder] = [network.build_tables, voices.build_tables]


class ReleaseAuditError(Exception):
    """The release failed its audit: nothing was written. ``problems`` names the cells at risk."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("the release failed its audit:\n" + "\n".join(f"  - {p}" for p in problems[:50]))


@dataclass
class BuildResult:
    releases: dict[str, TB.Release]
    report: dict[str, Any]
    timings: dict[str, float] = field(default_factory=dict)


def _dataset_meta(dataset: Dataset) -> dict[str, Any]:
    m = dataset.manifest
    return {
        k: m.get(k)
        for k in ("name", "description", "synthetic", "source", "citation", "licence", "version", "checksum")
    }


def _protect_all(
    specs: Mapping[Tier, tuple[D.CubeSpec, ...]],
    frames: dict[D.CubeSpec, pd.DataFrame],
    vocab: Vocabularies,
    waves: list[int],
    node_limit: int,
    previous: Mapping[str, TB.Release] | None = None,
) -> tuple[Linked, np.ndarray, dict[tuple[Tier, D.CubeSpec], np.ndarray], Protection, EarlierPattern | None]:
    """Link every tier's tables into one system and protect it (primary, secondary, fallback ladder, audit), keeping
    the ``previous`` release's pattern of the waves it shares with this build.

    Returns the linked system, every linked cell's true count, the rows each table keeps, the protection and the
    earlier pattern kept (None without ``previous``); a table's rows of a wave it does not publish are not kept."""
    cubes = [(tier, spec, frames[spec]) for tier in BUILT_TIERS for spec in specs[tier]]
    linked = link(cubes, vocab, len(waves))
    value = np.zeros(linked.n_cells, dtype=np.int64)
    for (_tier, spec), ids in linked.ids.items():
        value[ids] = frames[spec]["count"].to_numpy()
    tier_cubes = {tier: [(s, frames[s]) for s in specs[tier]] for tier in BUILT_TIERS}
    kept = {
        (tier, spec): kept_rows(spec, frames[spec], policy_for(tier)) for tier in BUILT_TIERS for spec in specs[tier]
    }
    earlier = earlier_pattern(previous, linked, specs, waves) if previous else None
    protection = protect(linked, value, tier_cubes, waves, kept, node_limit=node_limit, earlier=earlier)
    return linked, value, protection.kept, protection, earlier


def build(
    dataset: Dataset,
    vocab: Vocabularies,
    secret: bytes,
    node_limit: int = DEFAULT_NODE_LIMIT,
    *,
    extras: bool = True,
    progress: Callable[[str], None] | None = None,
    previous: Mapping[str, TB.Release] | None = None,
) -> BuildResult:
    """Aggregate, protect and audit every tier's tables (and, with ``extras``, the network and voices tables).

    ``node_limit`` bounds each solver search of the audit by branch-and-bound nodes, never by seconds, so the
    same dataset and secret give the same release on a fast or a busy machine. Raises ``ReleaseAuditError``
    when a published table breaks a rule of its tier; secondary suppression itself always ends with a pattern
    the audit passes (see ``protect``'s fallback ladder). ``progress``, if given, is told the name of each stage
    as it starts: ``aggregate``, ``protect``, ``audit``, ``tables``, ``extras``, ``rules``. ``previous``, the served
    release per tier, keeps its pattern for the waves it shares with this build (:mod:`dashboard.release.earlier`);
    the report names any of those waves whose published rows still differ from it.
    """
    stage = progress or (lambda name: None)
    timings: dict[str, float] = {}
    stage("aggregate")
    clock = time.perf_counter()
    keys = record_keys(dataset[T.RESPONDENTS][C.RESPONDENT_ID].to_numpy(dtype=str), secret)
    counter = Counter(dataset, vocab, keys)
    specs = {tier: D.cubes_for(policy_for(tier)) for tier in BUILT_TIERS}
    frames = {spec: counter.count(spec).frame for tier in BUILT_TIERS for spec in specs[tier]}
    timings["aggregate"] = time.perf_counter() - clock

    stage("protect")
    clock = time.perf_counter()
    linked, value, kept, protection, earlier = _protect_all(specs, frames, vocab, dataset.waves, node_limit, previous)
    timings["protect"] = time.perf_counter() - clock
    timings.update({f"protect_{tier}": s for tier, s in protection.timings.items()})

    stage("audit")
    clock = time.perf_counter()
    failures = [
        f"{tier}: cell {linked_key(linked, r.cell)} can be narrowed to {r.lower}..{r.upper}"
        for tier, result in protection.audits.items()
        for r in result.at_risk
    ]
    if failures:
        raise ReleaseAuditError(failures)
    stage("tables")
    releases: dict[str, TB.Release] = {}
    for tier in BUILT_TIERS:
        policy = policy_for(tier)
        mask = protection.hidden[tier]
        meta: dict[str, Any] = {
            "tier": tier,
            "rounded": policy.rounded,
            "waves": dataset.waves,
            "dataset": _dataset_meta(dataset),
            "policy": {
                "max_dimensions": policy.max_dimensions,
                "sector_groups": policy.sector_groups,
                "min_group_size": policy.min_group_size,
                "suppress_below": policy.suppress_below,
                "suppress_below_sensitive": policy.suppress_below_sensitive,
                "class_disclosure_min_group": policy.class_disclosure_min_group,
            },
            "tables": [],
        }
        release = TB.Release(tier, meta)
        for spec in specs[tier]:
            frame = frames[spec]
            keep = kept[(tier, spec)]
            suppressed = mask[linked.ids[(tier, spec)]][keep]
            left_out = protection.waves_not_published(tier, spec.dims)
            release.tables[spec.dims] = table = published_table(spec, frame[keep], suppressed, policy, left_out)
            meta["tables"].append(
                {
                    "dims": list(spec.dims),
                    "file": TB.table_file_name(spec.dims),
                    "item": table.item,
                    "rows": len(table.frame),
                    "suppressed": int(suppressed.sum()),
                    "withheld_rows": int((~keep).sum()),
                    "not_published_waves": sorted(table.not_published),
                }
            )
        releases[tier] = release
    timings["publish"] = time.perf_counter() - clock
    stage("extras")
    for extra_builder in EXTRA_BUILDERS if extras else []:
        clock = time.perf_counter()
        try:
            built = extra_builder(dataset, vocab, secret)
        except ExtrasRuleError as err:
            raise ReleaseAuditError(err.problems) from None
        for extra_tier, tables in built.items():
            if extra_tier in releases:
                releases[extra_tier].extras.update(tables)
                releases[extra_tier].meta.setdefault("extras", []).extend(sorted(tables))
        timings[extra_builder.__module__.rsplit(".", 1)[-1]] = time.perf_counter() - clock
    stage("rules")
    problems = [f"{tier}: {p}" for tier, release in releases.items() for p in check_release(release)]
    if problems:  # the rules on every published table of every tier, survey tables and extras alike
        raise ReleaseAuditError(problems)
    report = steward_report(dataset, vocab, releases, protection, linked, value)
    report.update(
        fallbacks=[f.describe() for f in protection.fallbacks],
        not_published=[n.describe() for n in protection.not_published],
        earlier_kept=list(earlier.waves) if earlier is not None else [],
        earlier_changed=changed_waves(previous, releases, earlier.shared) if previous and earlier is not None else [],
        earlier_not_built=list(earlier.not_built) if earlier is not None else [],
    )
    return BuildResult(releases, report, timings)


def served_releases(folder: Path) -> dict[str, TB.Release]:
    """The release served from ``folder`` (its current version), per tier; empty when none is served there.

    A tier that is served but cannot be read raises ReleaseError: a build that went on without it would not keep
    what that tier published of the earlier waves, and someone holding both downloads could difference them.
    """
    base = TB.served_base(folder)
    out: dict[str, TB.Release] = {}
    for tier in BUILT_TIERS:
        if not (base / tier).exists():
            continue
        try:
            out[tier] = TB.Release.load(folder, tier)
        except (TB.ReleaseError, OSError, ValueError, KeyError) as err:
            why = type(err).__name__
            raise TB.ReleaseError(f"the served {tier} release in {folder} cannot be read ({why})") from err
    return out


def linked_key(linked: Any, cell: int) -> str:
    for key, cid in linked.keys.items():
        if cid == cell:
            return key
    return f"#{cell} (joiners between waves)"


def write(result: BuildResult, out: Path) -> Path:
    """Write the releases as a new version and switch ``out/current`` to it atomically. Returns the version dir.

    A crash before the switch leaves the previous version serving; the switch is one ``os.replace`` of a link.
    """
    out.mkdir(parents=True, exist_ok=True)
    versions = out / TB.VERSIONS
    versions.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=versions))
    try:
        for tier, release in result.releases.items():
            tier_dir = staging / tier
            tier_dir.mkdir()
            for dims, table in release.tables.items():
                table.frame.to_parquet(tier_dir / TB.table_file_name(dims), index=False, compression="zstd")
            for name, frame in release.extras.items():
                frame.to_parquet(tier_dir / TB.extra_file_name(name), index=False, compression="zstd")
            (tier_dir / TB.RELEASE_META).write_text(
                json.dumps(release.meta, indent=2, default=str) + "\n", encoding="utf-8"
            )
        steward = staging / Tier.STEWARD
        steward.mkdir()
        (steward / "report.json").write_text(json.dumps(result.report, indent=2, default=str) + "\n", encoding="utf-8")
        (steward / "report.md").write_text(report_markdown(result.report), encoding="utf-8")
        _fsync_tree(staging)
        final = versions / stamp
        os.replace(staging, final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    switch_current(out, stamp)
    return final


def _fsync_tree(root: Path) -> None:
    for path in sorted(root.rglob("*"), reverse=True):
        if path.is_file():
            with open(path, "rb") as fh:
                os.fsync(fh.fileno())
    fsync_dir(root)
