"""Small hand-made datasets for release tests: respondents given as tuples, encounters derived."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from dashboard.data.dataset import Dataset, write_manifest
from dashboard.data.schema import C
from dashboard.data.validate import load_dataset

SECRET = b"release-tests-secret-0123456789ab"


def make_dataset(folder: Path, respondents: list[dict], seed: int = 0) -> Dataset:
    """Write a valid dataset folder from respondent dicts (wave, city, sector, role, contact_any, trained).

    A respondent who reported contact names the labour sites in ``_sites`` (random ones if it is absent).
    """
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    sites_of = [p.get("_sites") for p in respondents]
    resp = pd.DataFrame([{k: v for k, v in p.items() if k != "_sites"} for p in respondents])
    resp.insert(0, C.RESPONDENT_ID, [f"R{i:06d}" for i in range(len(resp))])
    resp[C.ORG_ID] = None
    sites = ["sex_industry", "agriculture", "construction", "domestic_work"]
    types = {
        "sex_industry": "sexual_exploitation",
        "agriculture": "forced_labour",
        "construction": "forced_labour",
        "domestic_work": "domestic_servitude",
    }
    enc_rows = []
    for rid, contact, chosen in zip(resp[C.RESPONDENT_ID], resp[C.CONTACT], sites_of, strict=True):
        if contact == "yes":
            if chosen is None:
                chosen = rng.choice(sites, size=int(rng.integers(1, 3)), replace=False)
            for site in chosen:
                enc_rows.append((rid, site, types[site]))
    enc = pd.DataFrame(enc_rows, columns=[C.RESPONDENT_ID, C.LABOUR_SITE, C.VICTIMISATION])
    resp.to_csv(folder / "respondents.csv", index=False, lineterminator="\n")
    enc.to_csv(folder / "encounters.csv", index=False, lineterminator="\n")
    pd.DataFrame(columns=[C.ORG_ID, C.SECTOR, C.CITY, C.COALITION_MEMBER]).to_csv(
        folder / "organisations.csv", index=False
    )
    pd.DataFrame(columns=[C.WAVE, C.SOURCE_ORG, C.TARGET_ORG, C.TIE_TYPE]).to_csv(folder / "ties.csv", index=False)
    write_manifest(
        folder,
        {
            "name": "fixture",
            "description": "test fixture",
            "synthetic": True,
            "source": "tests",
            "citation": "tests",
            "licence": "CC0",
            "waves": sorted(int(w) for w in resp[C.WAVE].unique()),
            "version": "1",
        },
    )
    return load_dataset(folder)


def crowd(n: int, wave: int, rng: np.random.Generator, cities=("calgary", "edmonton", "vancouver")) -> list[dict]:
    """``n`` ordinary respondents spread over a few cities and the common sectors."""
    sectors = ["law_enforcement", "ngo_social_services", "immigrant_settlement", "health"]
    sites = ["sex_industry", "agriculture", "construction", "domestic_work"]
    return [
        {
            C.WAVE: wave,
            C.CITY: str(rng.choice(cities)),
            C.SECTOR: str(rng.choice(sectors)),
            C.ROLE: str(rng.choice(["frontline", "management", "other"], p=[0.6, 0.3, 0.1])),
            C.CONTACT: str(rng.choice(["yes", "no", "unsure"], p=[0.45, 0.45, 0.1])),
            C.TRAINED: str(rng.choice(["yes", "no"])),
            "_sites": [str(x) for x in rng.choice(sites, size=int(rng.integers(1, 3)), replace=False)],
        }
        for _ in range(n)
    ]
