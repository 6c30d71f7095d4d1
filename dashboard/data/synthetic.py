"""Seeded synthetic dataset: the demo data and the scale generator for benchmarks.

The 2012 wave reproduces the founding study (SPEC §2): 53 respondents of the ACT network in Alberta, of
whom 12 of the 27 Calgary respondents who answered the contact item (44.4%) reported contact; the study's
qualitative sources (56 interviews, 3 group interviews and 2 focus groups in Vancouver, Calgary and Winnipeg;
5 focus groups with 18 participants) and its quotes. Later waves, every two years to 2024, are invented but
plausible. Everything is drawn from one ``numpy`` generator seeded with ``seed``, so the same arguments
always write the same bytes.

Why this module is longer than ~300 lines: the seeded demo generator: its calibration constants and the steps that
use them read top to bottom as one recipe.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard.data.dataset import write_manifest, write_table
from dashboard.data.schema import C, T
from dashboard.data.vocab import Vocabularies, vocabularies

DEFAULT_SEED = 20130411  # the symposium's date
WAVES = (2012, 2014, 2016, 2018, 2020, 2022, 2024)
DEMO_WAVE_SIZES = (53, 96, 150, 214, 290, 380, 480)
STUDY_WAVE = 2012
# 12 of 27 = 44.4%. "Unsure" and "not answered" are 5 each: large enough to be published in every tier, so that
# the share's denominator (every answer) is published and the founding figure can be shown as "k of n".
CALGARY_2012 = {"n": 32, "missing": 5, "yes": 12, "no": 10, "unsure": 5}
CITATION = (
    "Kaye, J. (2013). Anti-Trafficking and Insecurity: Moving Beyond Criminal Justice to Cross-Sector "
    "Collaboration. Symposium 'Responding to Human Trafficking: Towards Integrated Action', 11 April 2013."
)

# City weights per wave: the ACT network in Alberta first, then partners in the western provinces.
CITY_WEIGHTS: dict[str, tuple[float, ...]] = {
    #               2012  2014  2016  2018  2020  2022  2024
    "calgary": (0, 30, 26, 22, 20, 18, 17),
    "edmonton": (12, 20, 18, 16, 15, 14, 13),
    "red_deer": (5, 6, 5, 4, 4, 4, 3),
    "lethbridge": (3, 5, 4, 4, 3, 3, 3),
    "medicine_hat": (2, 3, 3, 2, 2, 2, 2),
    "fort_mcmurray": (0, 3, 4, 4, 4, 4, 4),
    "brooks": (0, 2, 3, 3, 3, 3, 3),
    "vancouver": (0, 12, 12, 12, 12, 12, 12),
    "abbotsford": (0, 0, 3, 4, 4, 4, 4),
    "kelowna": (0, 0, 2, 3, 3, 3, 3),
    "victoria": (0, 0, 0, 2, 3, 3, 3),
    "winnipeg": (0, 10, 10, 10, 10, 10, 10),
    "brandon": (0, 0, 2, 2, 2, 2, 2),
    "regina": (0, 0, 4, 5, 5, 5, 5),
    "saskatoon": (0, 0, 4, 5, 6, 6, 6),
    "toronto": (0, 0, 0, 2, 4, 6, 8),
}
SECTOR_WEIGHTS = {
    "law_enforcement": 14,
    "border_services": 5,
    "federal_government": 5,
    "provincial_municipal_government": 8,
    "ngo_social_services": 22,
    "immigrant_settlement": 14,
    "health": 9,
    "legal": 6,
    "faith_based": 5,
    "labour_union": 4,
    "education_research": 5,
    "other": 3,
}
# Probability of reporting contact, by sector (2012 level; it rises a little as awareness grows).
CONTACT_P = {
    "law_enforcement": 0.55,
    "border_services": 0.5,
    "federal_government": 0.25,
    "provincial_municipal_government": 0.3,
    "ngo_social_services": 0.52,
    "immigrant_settlement": 0.48,
    "health": 0.32,
    "legal": 0.42,
    "faith_based": 0.28,
    "labour_union": 0.38,
    "education_research": 0.15,
    "other": 0.2,
}
TRAINED_P_2012 = {"law_enforcement": 0.45, "border_services": 0.4}
ROLE_P = (0.62, 0.26, 0.12)  # frontline, management, other
LABOUR_BASE = {
    "sex_industry": 30,
    "agriculture": 9,
    "construction": 8,
    "domestic_work": 9,
    "hospitality_food": 10,
    "manufacturing_processing": 6,
    "resource_extraction": 4,
    "transportation": 3,
    "retail_personal_services": 6,
    "illicit_activities": 5,
    "other": 2,
    "not_specified": 4,
}
LABOUR_CITY_BOOST = {
    "fort_mcmurray": {"resource_extraction": 25, "construction": 10},
    "brooks": {"manufacturing_processing": 30},
    "abbotsford": {"agriculture": 30},
    "kelowna": {"agriculture": 25, "hospitality_food": 6},
    "lethbridge": {"agriculture": 10},
    "toronto": {"retail_personal_services": 8, "domestic_work": 6},
    "vancouver": {"domestic_work": 6, "hospitality_food": 5},
}
VICTIMISATION_BY_SITE = {
    "sex_industry": {"sexual_exploitation": 90, "forced_marriage": 3, "other": 3, "not_specified": 4},
    "domestic_work": {"domestic_servitude": 70, "forced_labour": 20, "forced_marriage": 6, "not_specified": 4},
    "illicit_activities": {"forced_criminality": 75, "forced_labour": 15, "not_specified": 10},
    "not_specified": {"not_specified": 50, "forced_labour": 25, "sexual_exploitation": 25},
}
VICTIMISATION_DEFAULT = {"forced_labour": 85, "other": 5, "sexual_exploitation": 4, "not_specified": 6}
STATUS_BY_SITE = {
    "agriculture": {"temporary_foreign_worker": 70, "undocumented": 10, "permanent_resident": 5, "unknown": 15},
    "resource_extraction": {"temporary_foreign_worker": 60, "citizen": 10, "unknown": 30},
    "sex_industry": {
        "citizen": 45,
        "international_student": 10,
        "permanent_resident": 10,
        "undocumented": 10,
        "unknown": 25,
    },
}
STATUS_DEFAULT = {
    "temporary_foreign_worker": 35,
    "international_student": 12,
    "refugee_claimant": 8,
    "permanent_resident": 8,
    "citizen": 10,
    "undocumented": 12,
    "unknown": 15,
}
TIE_TYPE_WEIGHTS = {
    "referral": 35,
    "information_sharing": 30,
    "joint_training": 12,
    "joint_case_work": 15,
    "formal_agreement": 8,
}
STUDY_QUOTES = (
    (
        "deporting_the_problem",
        "I myself have been responsible for removing dozens upon dozens of people who "
        "were victims of human trafficking.",
        "border_services",
        "public",
    ),
    (
        "lack_of_training",
        "I never received any formal training on what constituted human trafficking.",
        "law_enforcement",
        "public",
    ),
    (
        "cross_sector_collaboration",
        "The social agencies are probably getting a bigger picture than the enforcement agencies.",
        "law_enforcement",
        "public",
    ),
    (
        "cross_sector_collaboration",
        "The investigative group should not be doing the support piece.",
        "law_enforcement",
        "public",
    ),
)
SYNTHETIC_QUOTES = (
    (
        "contested_definition",
        "Half the people we see would never call themselves victims. They came to work "
        "and the work turned into something else.",
        "ngo_social_services",
        "public",
    ),
    (
        "border_securitisation",
        "Every new rule about the border makes people more afraid to come forward, not less.",
        "immigrant_settlement",
        "funder",
    ),
    (
        "criminalising_victims",
        "She was sending money home every month, and that was used to say she was not really controlled.",
        "legal",
        "coalition",
    ),
    (
        "transnational_crime",
        "We keep looking for the international ring, and miss the farm down the road.",
        "labour_union",
        "funder",
    ),
)


@dataclass(frozen=True)
class GeneratorSpec:
    wave_sizes: tuple[int, ...] = DEMO_WAVE_SIZES
    seed: int = DEFAULT_SEED
    encounters_per_contact: float = 2.2  # mean number of site × type pairs a respondent with contact names
    calibrate_2012: bool = True

    @classmethod
    def for_respondents(cls, n: int, seed: int = DEFAULT_SEED) -> GeneratorSpec:
        """Same shape as the demo at ``n`` respondents in all (about 3 encounters each)."""
        if n == sum(DEMO_WAVE_SIZES):
            return cls(seed=seed)
        shares = np.array(DEMO_WAVE_SIZES, dtype=float) / sum(DEMO_WAVE_SIZES)
        sizes = np.floor(shares * n).astype(int)
        sizes[-1] += n - sizes.sum()
        return cls(tuple(int(s) for s in sizes), seed, encounters_per_contact=8.5, calibrate_2012=False)


def _weights(d: Mapping[str, float]) -> tuple[np.ndarray, np.ndarray]:
    keys = np.array(list(d))
    w = np.array(list(d.values()), dtype=float)
    return keys, w / w.sum()


def _ids(rng: np.random.Generator, prefix: str, n: int) -> np.ndarray:
    """``n`` distinct opaque ids such as ``R3f9a0c21d7``."""
    raw = np.unique(rng.integers(0, 2**44, size=int(n * 1.05) + 16))
    rng.shuffle(raw)
    if raw.size < n:  # pragma: no cover - vanishingly unlikely
        raise RuntimeError("id space exhausted")
    return np.char.add(prefix, np.char.zfill(np.char.mod("%x", raw[:n]).astype(str), 11))


def _pick(rng: np.random.Generator, d: Mapping[str, float], n: int) -> np.ndarray:
    keys, p = _weights(d)
    return keys[rng.choice(len(keys), size=n, p=p)]


def _respondents(rng: np.random.Generator, spec: GeneratorSpec) -> pd.DataFrame:
    frames = []
    for w_index, (wave, size) in enumerate(zip(WAVES, spec.wave_sizes, strict=True)):
        fixed = spec.calibrate_2012 and wave == STUDY_WAVE
        n_fixed = CALGARY_2012["n"] if fixed else 0
        weights = {c: ws[w_index] for c, ws in CITY_WEIGHTS.items() if ws[w_index] > 0}
        if not spec.calibrate_2012 and wave == STUDY_WAVE:
            weights["calgary"] = 30
        city = np.concatenate([np.full(n_fixed, "calgary"), _pick(rng, weights, size - n_fixed)])
        sector = _pick(rng, SECTOR_WEIGHTS, size)
        role = np.array(["frontline", "management", "other"])[rng.choice(3, size=size, p=ROLE_P)]
        lift = 0.015 * w_index
        p_contact = np.array([CONTACT_P[s] for s in sector]) + lift
        u = rng.random(size)
        contact = np.where(u < p_contact, "yes", np.where(u < p_contact + 0.08, "unsure", "no")).astype(object)
        contact[rng.random(size) < 0.04] = None
        if fixed:
            c = CALGARY_2012
            block = ["yes"] * c["yes"] + ["no"] * c["no"] + ["unsure"] * c["unsure"] + [None] * c["missing"]
            contact[:n_fixed] = rng.permutation(np.array(block, dtype=object))
        p_trained = np.array([TRAINED_P_2012.get(s, 0.2) for s in sector]) + 0.06 * w_index
        trained = np.where(rng.random(size) < p_trained, "yes", "no").astype(object)
        trained[rng.random(size) < 0.03] = None
        frames.append(
            pd.DataFrame(
                {C.WAVE: wave, C.CITY: city, C.SECTOR: sector, C.ROLE: role, C.CONTACT: contact, C.TRAINED: trained}
            )
        )
    df = pd.concat(frames, ignore_index=True)
    df.insert(0, C.RESPONDENT_ID, _ids(rng, "R", len(df)))
    return df


def _organisations(rng: np.random.Generator, resp: pd.DataFrame, vocab: Vocabularies) -> pd.DataFrame:
    """One pool of organisations per city × sector; respondents link to one (10% leave it blank)."""
    cells = resp.groupby([C.CITY, C.SECTOR], sort=True).size()
    n_orgs = np.minimum(np.ceil(cells.to_numpy() / 3).astype(int), 40)
    org_city = np.repeat(cells.index.get_level_values(0).to_numpy(), n_orgs)
    org_sector = np.repeat(cells.index.get_level_values(1).to_numpy(), n_orgs)
    org_ids = _ids(rng, "O", len(org_city))
    consent = rng.random(len(org_ids)) < 0.4
    sector_label = vocab["sector"].label_map("en")
    city_label = vocab["city"].label_map("en")
    names = np.array(
        [
            f"{city_label[c]} {sector_label[s]} organisation {i + 1} (synthetic)" if ok else None
            for i, (c, s, ok) in enumerate(zip(org_city, org_sector, consent, strict=True))
        ],
        dtype=object,
    )
    orgs = pd.DataFrame(
        {
            C.ORG_ID: org_ids,
            C.SECTOR: org_sector,
            C.CITY: org_city,
            C.COALITION_MEMBER: rng.random(len(org_ids)) < 0.8,
            C.NAME: names,
            C.CONSENT_NAMED: consent,
        }
    )
    # assign each respondent to an organisation of its own city and sector (skewed towards the first ones)
    start = np.concatenate([[0], np.cumsum(n_orgs)[:-1]])
    cell_pos = pd.Series(np.arange(len(cells)), index=cells.index)
    keys = pd.MultiIndex.from_arrays([resp[C.CITY], resp[C.SECTOR]])
    pos = cell_pos.reindex(keys).to_numpy()
    offset = np.floor(n_orgs[pos] * rng.random(len(resp)) ** 1.5).astype(int)
    org_of = org_ids[start[pos] + offset].astype(object)
    org_of[rng.random(len(resp)) < 0.1] = None
    resp[C.ORG_ID] = org_of
    return orgs


def _ties(rng: np.random.Generator, resp: pd.DataFrame, orgs: pd.DataFrame, vocab: Vocabularies) -> pd.DataFrame:
    province = vocab.province_of()
    org_sector = orgs.set_index(C.ORG_ID)[C.SECTOR]
    org_prov = orgs.set_index(C.ORG_ID)[C.CITY].map(province)
    frames = []
    for w_index, wave in enumerate(WAVES):
        active = np.sort(resp.loc[(resp[C.WAVE] == wave) & resp[C.ORG_ID].notna(), C.ORG_ID].unique())
        if active.size < 2:
            continue
        n_ties = round(1.6 * active.size)
        p_cross = 0.3 + 0.06 * w_index  # the coalition's cross-sector share grows
        src = active[rng.integers(0, active.size, n_ties)]
        want_cross = rng.random(n_ties) < p_cross
        tgt = np.empty(n_ties, dtype=object)
        pending = np.ones(n_ties, dtype=bool)
        sec_a, prov_a = org_sector.reindex(src).to_numpy(), org_prov.reindex(src).to_numpy()
        for attempt in range(30):  # rejection sampling: same province preferred, then anywhere
            idx = np.flatnonzero(pending)
            if idx.size == 0:
                break
            cand = active[rng.integers(0, active.size, idx.size)]
            sec_b, prov_b = org_sector.reindex(cand).to_numpy(), org_prov.reindex(cand).to_numpy()
            ok = (cand != src[idx]) & ((sec_b != sec_a[idx]) == want_cross[idx])
            if attempt < 20:
                ok &= prov_b == prov_a[idx]
            tgt[idx[ok]] = cand[ok]
            pending[idx[ok]] = False
        keep = ~pending
        ties = pd.DataFrame(
            {
                C.WAVE: wave,
                C.SOURCE_ORG: src[keep],
                C.TARGET_ORG: tgt[keep],
                C.TIE_TYPE: _pick(rng, TIE_TYPE_WEIGHTS, int(keep.sum())),
            }
        )
        frames.append(ties.drop_duplicates([C.SOURCE_ORG, C.TARGET_ORG, C.TIE_TYPE]))
    return pd.concat(frames, ignore_index=True)


def _encounters(rng: np.random.Generator, resp: pd.DataFrame, mean_pairs: float) -> pd.DataFrame:
    yes = resp.loc[resp[C.CONTACT] == "yes"]
    k = 1 + rng.poisson(mean_pairs - 1, size=len(yes))
    rid = np.repeat(yes[C.RESPONDENT_ID].to_numpy(), k)
    city = np.repeat(yes[C.CITY].to_numpy(), k)
    wave_index = np.repeat(yes[C.WAVE].map({w: i for i, w in enumerate(WAVES)}).to_numpy(), k)
    site = np.empty(len(rid), dtype=object)
    for c in np.unique(city):
        for w in np.unique(wave_index):
            rows = np.flatnonzero((city == c) & (wave_index == w))
            if rows.size == 0:
                continue
            weights = dict(LABOUR_BASE)
            weights["sex_industry"] = max(LABOUR_BASE["sex_industry"] - 2.5 * w, 10)  # labour trafficking
            for s, boost in LABOUR_CITY_BOOST.get(c, {}).items():  # becomes more visible
                weights[s] += boost
            site[rows] = _pick(rng, weights, rows.size)
    vict = np.empty(len(rid), dtype=object)
    status = np.empty(len(rid), dtype=object)
    for s in np.unique(site):
        rows = np.flatnonzero(site == s)
        vict[rows] = _pick(rng, VICTIMISATION_BY_SITE.get(s, VICTIMISATION_DEFAULT), rows.size)
        status[rows] = _pick(rng, STATUS_BY_SITE.get(s, STATUS_DEFAULT), rows.size)
    enc = pd.DataFrame({C.RESPONDENT_ID: rid, C.LABOUR_SITE: site, C.VICTIMISATION: vict, C.VICTIM_STATUS: status})
    return enc.drop_duplicates([C.RESPONDENT_ID, C.LABOUR_SITE, C.VICTIMISATION], ignore_index=True)


def _qualitative(rng: np.random.Generator, vocab: Vocabularies) -> tuple[pd.DataFrame, ...]:
    rows: list[tuple[str, str | None, str | None, int, int]] = []
    interview_sectors = _weights(SECTOR_WEIGHTS)
    for city, n in (("vancouver", 19), ("calgary", 20), ("winnipeg", 17)):  # 56 interviews
        for _ in range(n):
            sector = str(interview_sectors[0][rng.choice(len(interview_sectors[0]), p=interview_sectors[1])])
            rows.append(("interview", city, sector, 2012, 1))
    for city in ("vancouver", "calgary", "winnipeg"):  # 3 group interviews
        rows.append(("group_interview", city, "ngo_social_services", 2012, int(rng.integers(2, 5))))
    rows += [("focus_group", "vancouver", None, 2012, 7), ("focus_group", "winnipeg", None, 2012, 6)]
    for participants in (4, 4, 3, 4, 3):  # the ACT focus groups: 5 groups, 18 participants
        rows.append(("focus_group", "calgary", None, 2012, participants))
    for _ in range(14):  # documents and policy analysis
        rows.append(("document", None, None, int(rng.choice([2011, 2012, 2013])), 0))
    sources = pd.DataFrame(rows, columns=[C.METHOD, C.CITY, C.SECTOR, C.YEAR, C.PARTICIPANTS])
    sources.insert(0, C.SOURCE_ID, [f"S{i + 1:03d}" for i in range(len(sources))])
    themes_vocab = vocab["theme"].codes
    theme_p = np.array([14, 8, 7, 6, 10, 6, 12], dtype=float)
    theme_rows = []
    for sid in sources[C.SOURCE_ID]:
        k = int(rng.integers(1, 5))
        for th in rng.choice(len(themes_vocab), size=k, replace=False, p=theme_p / theme_p.sum()):
            theme_rows.append((sid, themes_vocab[th]))
    themes = pd.DataFrame(theme_rows, columns=[C.SOURCE_ID, C.THEME]).sort_values([C.SOURCE_ID, C.THEME])
    quote_rows = []
    sector_vocab = vocab["sector"]
    for i, (theme, text, sector, audience) in enumerate(STUDY_QUOTES + SYNTHETIC_QUOTES):
        candidates = sources.loc[sources[C.SECTOR] == sector, C.SOURCE_ID]
        sid = candidates.iloc[0] if len(candidates) else sources[C.SOURCE_ID].iloc[0]
        if not ((themes[C.SOURCE_ID] == sid) & (themes[C.THEME] == theme)).any():
            themes = pd.concat([themes, pd.DataFrame({C.SOURCE_ID: [sid], C.THEME: [theme]})])
        attribution = f"{sector_vocab.label(sector)} representative"
        quote_rows.append((f"Q{i + 1:03d}", sid, theme, text, attribution, audience))
    quotes = pd.DataFrame(quote_rows, columns=[C.QUOTE_ID, C.SOURCE_ID, C.THEME, C.TEXT, C.ATTRIBUTION, C.AUDIENCE])
    themes = themes.drop_duplicates().sort_values([C.SOURCE_ID, C.THEME], ignore_index=True)
    return sources, themes, quotes


def generate(spec: GeneratorSpec = GeneratorSpec(), vocab: Vocabularies | None = None) -> dict[str, pd.DataFrame]:
    """All tables of a synthetic dataset, deterministically from ``spec.seed``."""
    vocab = vocab or vocabularies()
    rng = np.random.default_rng(spec.seed)
    resp = _respondents(rng, spec)
    orgs = _organisations(rng, resp, vocab)
    ties = _ties(rng, resp, orgs, vocab)
    enc = _encounters(rng, resp, spec.encounters_per_contact)
    sources, themes, quotes = _qualitative(rng, vocab)
    return {
        T.RESPONDENTS: resp,
        T.ENCOUNTERS: enc,
        T.ORGANISATIONS: orgs,
        T.TIES: ties,
        T.SOURCES: sources,
        T.THEMES: themes,
        T.QUOTES: quotes,
    }


def manifest_for(spec: GeneratorSpec) -> dict[str, object]:
    demo = spec == GeneratorSpec(seed=spec.seed)
    return {
        "name": "demo" if demo else f"synthetic-{sum(spec.wave_sizes)}",
        "description": {
            "en": (
                "Synthetic demonstration data for the trafficking-trends dashboard. The 2012 wave reproduces the "
                "published figures of the founding study; later waves are invented. It describes no real person "
                "or organisation."
            ),
            "fr": (
                "Données de démonstration synthétiques du tableau de bord des tendances de la traite. La vague de "
                "2012 reproduit les chiffres publiés de l'étude fondatrice; les vagues suivantes sont inventées. "
                "Elles ne décrivent aucune personne ni organisation réelle."
            ),
        },
        "synthetic": True,
        "source": {  # the text in each official language (dashboard.i18n.localised); a plain string is shown as given
            "en": "Generated by `python -m dashboard demo` (seeded), calibrated to Kaye (2013)",
            "fr": "Générées par `python -m dashboard demo` (avec une graine fixe), calibrées sur Kaye (2013)",
        },
        "citation": CITATION,  # cited in the language the work was published in
        "licence": {"en": "CC0 1.0 (synthetic data)", "fr": "CC0 1.0 (données synthétiques)"},
        "waves": list(WAVES),
        "version": f"seed-{spec.seed}",
        "generator": {"seed": spec.seed, "wave_sizes": list(spec.wave_sizes)},
    }


def write_dataset(out: Path, spec: GeneratorSpec = GeneratorSpec(), fmt: str = "csv") -> Path:
    """Generate and write a dataset folder (``fmt`` is ``csv`` or ``parquet``)."""
    out.mkdir(parents=True, exist_ok=True)
    for name, df in generate(spec).items():
        for stale in out.glob(f"{name}.*"):
            stale.unlink()
        write_table(df, out / f"{name}.{fmt}")
    write_manifest(out, manifest_for(spec))
    return out
