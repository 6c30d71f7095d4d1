"""The network page's view: the choice of wave, tie type, city and node size, checked against what the tier
publishes, and the published rows and table views it shows.

Pure functions, no Dash: a ``Release`` and a choice in, DataFrames and label maps out. Every value a control may
take is one the release publishes (``allowed``); anything else parses to None (a forged or stale input).

Why this module is longer than ~300 lines: the choice, its checks and the table views all read the same published
frames and label maps; the button handlers, which only hand over to them, are in ``network_actions``.
"""

from __future__ import annotations

from typing import Any, Final, NamedTuple

import pandas as pd

from dashboard import formatting as FMT
from dashboard.data.vocab import Vocabularies
from dashboard.figures import network as F
from dashboard.i18n import t
from dashboard.published import export as EX
from dashboard.published import table as TB
from dashboard.published.dims import ALL
from dashboard.published.lookup import extra_rows
from dashboard.published.network_schema import BAND_CODES, BETWEEN, DRAW_RANK, NW, VIEW, K, X, Y
from dashboard.published.table import Release
from dashboard.views.tables import display_table

WAVE, TIE_TYPE, CITY = VIEW
SIZE_BY: Final = "size_by"
CONTROLS: Final = (WAVE, TIE_TYPE, CITY, SIZE_BY)
MEASURES: Final = (K.TIES, K.ORGS, K.DENSITY, K.CROSS_SHARE, K.EI, K.COMPONENTS)  # the metrics table's rows
PLACES: Final = {K.DENSITY: 4, K.EI: 3}  # the decimals they are published with


class Choice(NamedTuple):
    """One validated choice of view (a NamedTuple: Dash loads page modules outside ``sys.modules``)."""

    wave: int
    tie_type: str
    city: str
    size_by: str = K.DEGREE


def allowed(release: Release) -> dict[str, list[Any]]:
    """The values each control may take: exactly the views this release publishes."""
    views = release.extras[NW.METRICS][list(VIEW)]
    return {name: list(dict.fromkeys(views[name].tolist())) for name in VIEW}


def sizes(release: Release) -> tuple[str, ...]:
    """What organisations may be sized by (nothing to size below the coalition tier, which draws no organisation)."""
    return F.SIZE_BY if NW.NODES in release.extras else (K.DEGREE,)


DEFAULT_SIZE_BY: Final = K.DEGREE


def parse(release: Release, wave: object, tie_type: object, city: object, size_by: object = K.DEGREE) -> Choice | None:
    """A ``Choice`` when every value is one the release publishes, else None (forged or stale input)."""
    ok = allowed(release)
    try:
        wave_int = int(str(wave))
    except ValueError:
        return None
    if wave_int not in ok[WAVE] or tie_type not in ok[TIE_TYPE] or city not in ok[CITY]:
        return None
    if size_by not in sizes(release):
        return None
    return Choice(wave_int, str(tie_type), str(city), str(size_by))


def default_choice(release: Release) -> Choice:
    ok = allowed(release)
    return Choice(max(ok[WAVE]), ALL, ALL)


def choice_from(release: Release, data: object) -> Choice | None:
    """The choice a page's store holds (browser state: parsed again, None if it is not a published view)."""
    if not isinstance(data, dict) or NW.METRICS not in release.extras:
        return None
    return parse(release, data.get(WAVE), data.get(TIE_TYPE), data.get(CITY), data.get(SIZE_BY, K.DEGREE))


def rows(frame: pd.DataFrame, **where: object) -> pd.DataFrame:
    mask = pd.Series(True, index=frame.index)
    for col, value in where.items():
        mask &= frame[col] == value
    return frame[mask].reset_index(drop=True)


def view_tables(release: Release, choice: Choice) -> dict[str, pd.DataFrame]:
    """The published rows on screen for a choice, by table name (what a download gives)."""
    view = {WAVE: choice.wave, TIE_TYPE: choice.tie_type, CITY: choice.city}
    extras = release.extras
    out = {
        NW.MATRIX: extra_rows(release, NW.MATRIX, **view),
        NW.METRICS: extra_rows(release, NW.METRICS, **{TIE_TYPE: choice.tie_type, CITY: choice.city}),
        NW.CONTACT: extra_rows(release, NW.CONTACT, **{WAVE: choice.wave}),
    }
    for name in (NW.GROUPS, NW.NODES, NW.EDGES, NW.BROKERS):
        if name in extras:
            out[name] = extra_rows(release, name, **view)
    return out


# Every published column of the network tables, and the message that heads it in a download.
EXPORT_HEADINGS: Final = {
    WAVE: "axis.wave",
    TIE_TYPE: "network.filter.tie_type",
    CITY: "network.filter.city",
    K.SECTOR_A: "network.col.sector_a",
    K.SECTOR_B: "network.col.sector_b",
    TB.COUNT: "network.col.ties",
    TB.FLAG: "network.col.flag",
    TB.N: "network.col.answered",
    TB.PCT: "network.col.pct",
    TB.CI_LO: "explore.col.ci_lo",
    TB.CI_HI: "explore.col.ci_hi",
    TB.PCT_FLAG: "explore.col.pct_flag",
    K.BAND: "network.col.band",
    K.TIES: "network.col.ties",
    K.ORGS: "network.col.organisations",
    K.DENSITY: "network.col.density",
    K.CROSS_SHARE: "network.col.cross_share",
    K.EI: "network.col.ei_index",
    K.COMPONENTS: "network.col.components",
    K.RANK: "network.col.rank",
    K.BETWEENNESS: "network.col.betweenness",
    K.DEGREE: "network.col.degree",
    K.NODE: "export.col.node",
    K.NAME: "export.col.name",
    K.PSEUDONYM: "export.col.pseudonym",
    K.SOURCE: "network.col.organisation",
    K.TARGET: "network.col.partner",
    K.CROSS: "network.col.cross",
    K.TIE_TYPES: "network.col.tie_types",
    "sector": "network.col.sector_a",
    "sector_group": "network.col.group_a",
    K.MEMBER: "export.col.coalition_member",
    K.CROSS_TIES: "export.col.cross_ties",
    DRAW_RANK: "export.col.draw_rank",
    X: "export.col.x",
    Y: "export.col.y",
}
GROUPED_HEADINGS: Final = {K.SECTOR_A: "network.col.group_a", K.SECTOR_B: "network.col.group_b"}
TABLE_HEADINGS: Final = {NW.CONTACT: {TB.COUNT: "network.col.contact"}}  # what a count counts, where not ties


def export_table(release: Release, vocab: Vocabularies, name: str, frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A network table as downloaded: headed in the reader's language, each code beside its label."""
    keys = {**EXPORT_HEADINGS, **TABLE_HEADINGS.get(name, {})}
    if release.meta["policy"]["sector_groups"]:
        keys.update(GROUPED_HEADINGS)
    groups = group_labels(vocab, release, lang)
    yes_no = {True: t("network.yes", lang), False: t("network.no", lang)}
    labels: dict[str, dict[Any, str]] = {
        TIE_TYPE: {ALL: t("network.tie_type.all", lang), **vocab["tie_type"].label_map(lang)},
        CITY: {
            ALL: t("network.city.all", lang),
            BETWEEN: t("network.city.between", lang),
            **vocab["city"].label_map(lang),
        },
        K.SECTOR_A: dict(groups),
        K.SECTOR_B: dict(groups),
        "sector": dict(vocab["sector"].label_map(lang)),
        "sector_group": dict(vocab["sector_group"].label_map(lang)),
        K.BAND: dict(band_labels(lang)),
        K.CROSS: yes_no,
        K.MEMBER: yes_no,
    }
    headings = {col: t(key, lang) for col, key in keys.items()}
    shown = {col: m for col, m in labels.items() if col in frame.columns}
    return EX.labelled(frame, headings, shown, t("export.code", lang))


def export_parts(choice: Choice) -> tuple[object, ...]:
    """The parts of a download's file name after the table: wave, tie type, city ("2024", "all", "all")."""
    return (choice.wave, choice.tie_type, choice.city)


# ------------------------------------------------------------------------------------------------------ labels


def group_labels(vocab: Vocabularies, release: Release, lang: str) -> dict[str, str]:
    """Labels of the sector codes the tier's matrix uses (sector groups or sectors)."""
    name = "sector_group" if release.meta["policy"]["sector_groups"] else "sector"
    return vocab[name].label_map(lang)


def band_labels(lang: str) -> dict[str, str]:
    return {code: t(f"network.band.{code}", lang) for code in BAND_CODES}


def options(release: Release, vocab: Vocabularies, lang: str) -> dict[str, list[tuple[str, str]]]:
    """(value, label) of every option of every control, values as the buttons carry them (strings)."""
    ok = allowed(release)
    types = vocab["tie_type"].label_map(lang)
    cities = vocab["city"].label_map(lang)
    special = {ALL: t("network.city.all", lang), BETWEEN: t("network.city.between", lang)}
    out = {
        WAVE: [(str(w), str(w)) for w in ok[WAVE]],
        TIE_TYPE: [(v, t("network.tie_type.all", lang) if v == ALL else types[v]) for v in ok[TIE_TYPE]],
        CITY: [(v, special.get(v) or cities.get(v, v)) for v in ok[CITY]],
    }
    if NW.NODES in release.extras:
        out[SIZE_BY] = [(v, t(f"network.size.{v}", lang)) for v in F.SIZE_BY]
    return out


def caption(release: Release, key: str, lang: str) -> str:
    """A caption, with the rounding note in tiers whose counts are rounded (network counts included)."""
    text = t(key, lang)
    return f"{text} {t('network.note.rounded', lang)}" if release.meta.get("rounded") else text


# ------------------------------------------------------------------------------------------------ table views


def edge_table(nodes: pd.DataFrame, edges: pd.DataFrame, labels: list[str], lang: str) -> pd.DataFrame:
    """The table view of the ties drawn: organisation, partner, cross-sector, number of types (``labels``: the
    organisations' labels in row order, ``figures.network.org_labels``)."""
    names = dict(zip(nodes[K.NODE], labels, strict=True))
    return pd.DataFrame(
        {
            t("network.col.organisation", lang): edges[K.SOURCE].map(names),
            t("network.col.partner", lang): edges[K.TARGET].map(names),
            t("network.col.cross", lang): [t("network.yes" if c else "network.no", lang) for c in edges[K.CROSS]],
            t("network.col.tie_types", lang): edges[K.TIE_TYPES],
        }
    )


def undrawn_table(drawn: F.Capped, sectors: dict[str, str], lang: str) -> pd.DataFrame:
    """Organisations a capped graph leaves out, by sector."""
    per = F.undrawn_by_sector(drawn.rest, sectors)
    per.columns = [t("network.col.sector_a", lang), t("network.col.not_drawn", lang), t("network.col.partners", lang)]
    return per


def matrix_table(matrix: pd.DataFrame, labels: dict[str, str], lang: str) -> pd.DataFrame:
    shown = display_table(matrix[[K.SECTOR_A, K.SECTOR_B, TB.COUNT]], [TB.COUNT])
    return pd.DataFrame(
        {
            t("network.col.sector_a", lang): shown[K.SECTOR_A].map(labels),
            t("network.col.sector_b", lang): shown[K.SECTOR_B].map(labels),
            t("network.col.ties", lang): shown[TB.COUNT],
        }
    )


def metric_values(metrics: pd.DataFrame, choice: Choice) -> dict[str, Any]:
    """The network measures of the chosen wave (NA where not published)."""
    row = rows(metrics, **{WAVE: choice.wave})
    return {m: (row[m].iloc[0] if not row.empty else pd.NA) for m in MEASURES}


def _measure(name: str, value: Any, lang: str) -> str:
    if pd.isna(value):
        return TB.SUPPRESSED
    if name in (K.TIES, K.ORGS, K.COMPONENTS):
        return FMT.count(float(value), lang)
    if name == K.CROSS_SHARE:
        return t("number.percent", lang, pct=FMT.share(float(value), lang))
    if name == K.EI:
        return ei_text(float(value), lang)
    return FMT.decimal(float(value), lang, PLACES.get(name, 2))


def ei_text(value: float, lang: str) -> str:
    """The E-I index with its sign and published decimals, the same in the sentence and the table: "+0,436"."""
    return ("+" if value > 0 else "") + FMT.decimal(value, lang, PLACES[K.EI])


def metrics_table(values: dict[str, Any], lang: str) -> pd.DataFrame:
    """The measures of the chosen wave as the table shows them, each written by the formatter (``x`` if hidden)."""
    return pd.DataFrame(
        {
            t("network.col.measure", lang): [t(f"network.col.{m}", lang) for m in values],
            t("network.col.value", lang): [_measure(m, v, lang) for m, v in values.items()],
        }
    )


def broker_names(brokers: pd.DataFrame, sectors: dict[str, str]) -> list[str]:
    return [
        F.org_label(n, s, p, sectors)
        for n, s, p in zip(brokers[K.NAME], brokers["sector"], brokers[K.PSEUDONYM], strict=True)
    ]


def brokers_table(brokers: pd.DataFrame, names: list[str], sectors: dict[str, str], lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("network.col.rank", lang): brokers[K.RANK],
            t("network.col.organisation", lang): names,
            t("network.col.sector_a", lang): brokers["sector"].map(sectors),
            t("network.col.betweenness", lang): brokers[K.BETWEENNESS],
            t("network.col.degree", lang): brokers[K.DEGREE],
        }
    )


def contact_table(contact: pd.DataFrame, bands: dict[str, str]) -> pd.DataFrame:
    shown = display_table(
        contact[[K.BAND, TB.COUNT, TB.N, TB.PCT, TB.CI_LO, TB.CI_HI, TB.PCT_FLAG]],
        [TB.COUNT, TB.N, TB.PCT, TB.CI_LO, TB.CI_HI],
    )
    shown[K.BAND] = shown[K.BAND].map(bands)
    return shown


def contact_headers(lang: str) -> dict[str, str]:
    return {
        K.BAND: t("network.col.band", lang),
        TB.COUNT: t("network.col.contact", lang),
        TB.N: t("network.col.answered", lang),
        TB.PCT: t("network.col.pct", lang),
        TB.CI_LO: "95% −",
        TB.CI_HI: "95% +",
        TB.PCT_FLAG: t("network.col.flag", lang),
    }


def trend_table(metrics: pd.DataFrame) -> pd.DataFrame:
    return display_table(metrics[[WAVE, K.CROSS_SHARE, K.EI]], [K.CROSS_SHARE, K.EI])


def trend_headers(lang: str) -> dict[str, str]:
    return {
        WAVE: t("axis.wave", lang),
        K.CROSS_SHARE: t("network.col.cross_share", lang),
        K.EI: t("network.col.ei_index", lang),
    }
