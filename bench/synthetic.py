"""A synthetic source set for benchmarks: long CSVs and a matching catalogue.

    from bench.synthetic import generate_source_set
    root = generate_source_set(tmp_dir, n_observations=1_000_000)
    # root/raw/*.csv and root/indicators.yaml; build with
    # spi build --raw root/raw --catalogue root/indicators.yaml --out root/out

Shape: Oman's 11 governorates x 20 years x 12 months x indicators with breakdowns
(sex, beneficiary category, service channel, case outcome, or none), one CSV per year.
Parts add up to their totals, so the set passes every check. Figures are written the
ways ministries write them: mostly plain digits, some with thousands separators, some in
Arabic-Indic digits; places, units and breakdown members as Arabic labels.

Everything is written under the directory given (a temp dir), never into data/.
Deterministic for a given n_observations and seed.
"""
from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

PROJECT = Path(__file__).resolve().parent.parent
SOURCE_ID = "synthetic_om"
FIRST_YEAR, YEARS, MONTHS = 2006, 20, 12
# How files write the 11 governorates (names and aliases the catalogue knows).
GOVERNORATES = ["مسقط", "محافظة ظفار", "مسندم", "البريمي", "الداخلية", "شمال الباطنة", "جنوب الباطنة",
                "جنوب الشرقية", "شمال الشرقية", "محافظة الظاهرة", "الوسطى"]
# (breakdown column, its members as files write them; "" is the total) and the unit.
TEMPLATES = [
    ("sex", ["", "ذكور", "إناث"], "شخص", "stock"),
    ("beneficiary_category", ["", "الأطفال", "كبار السن", "الأشخاص ذوو الإعاقة", "الأيتام والأرامل", "دعم دخل الأسرة"], "مستفيد", "stock"),
    ("service_channel", ["", "خدمات ميدانية عن بُعد", "خدمات ذاتية", "أنشطة توعوية وإعلامية", "خدمات استباقية"], "خدمة", "flow"),
    ("case_outcome", ["", "أحيلت إلى البحث الاجتماعي", "أُخلي سبيلها بتعهد", "أحيلت إلى الشرطة"], "حالة", "flow"),
    (None, [""], "ريال عماني", "flow"),
]
BREAKDOWN_COLUMNS = ["sex", "beneficiary_category", "service_channel", "case_outcome"]
UNIT_CODES = {"شخص": "persons", "مستفيد": "beneficiaries", "خدمة": "services", "حالة": "cases", "ريال عماني": "omr"}
_ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def generate_source_set(directory: str | Path, n_observations: int = 1_000_000, seed: int = 2025) -> Path:
    """Write `raw/` (one CSV per year) and `indicators.yaml` under `directory`; return `directory`."""
    root = Path(directory)
    if PROJECT / "data" in [root, *root.parents] or root == PROJECT:
        raise ValueError(f"refusing to write synthetic data inside the project ({root})")
    raw = root / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    n_geo_months = len(GOVERNORATES) * YEARS * MONTHS
    blocks, indicators, remaining, i = [], {}, n_observations, 0
    while remaining > 0:
        dim, members, unit, measure = TEMPLATES[i % len(TEMPLATES)]
        per_group = len(members)
        rows = min(remaining, n_geo_months * per_group)
        ind_id = f"syn_{i:03d}_{dim or 'total'}"
        blocks.append(_indicator_block(ind_id, dim, members, unit, rows, rng))
        indicators[ind_id] = _catalogue_entry(ind_id, dim, unit, measure, i)
        remaining -= rows
        i += 1
    table = pd.concat(blocks, ignore_index=True)
    files = []
    for year, part in table.groupby("year", sort=True):
        name = f"om_synthetic_{year}.csv"
        part.drop(columns="year").to_csv(raw / name, index=False)
        files.append(name)
    for entry in indicators.values():
        entry["files"] = files
    (root / "indicators.yaml").write_text(yaml.safe_dump(_catalogue(indicators), allow_unicode=True, sort_keys=False),
                                          encoding="utf-8")
    return root


def _indicator_block(ind_id, dim, members, unit, n_rows, rng) -> pd.DataFrame:
    """Rows for one indicator: every governorate and month, total first then its parts."""
    k = len(members)
    n_groups = -(-n_rows // k)
    group = np.arange(n_groups)
    geo, month_index = group % len(GOVERNORATES), group // len(GOVERNORATES)
    parts = rng.integers(0, 5_000, size=(n_groups, max(k - 1, 1)))
    totals = parts.sum(axis=1) if k > 1 else rng.integers(1_000, 50_000_000, size=n_groups)
    values = np.column_stack([totals, parts]) if k > 1 else totals[:, None]
    frame = pd.DataFrame({
        "indicator_id": ind_id,
        "geo": np.repeat(np.array(GOVERNORATES, dtype=object)[geo], k),
        "year": np.repeat(FIRST_YEAR + month_index // MONTHS, k),
        "month": np.repeat(month_index % MONTHS + 1, k),
        "member": np.tile(np.array(members, dtype=object), n_groups),
        "value": values.reshape(-1),
    }).iloc[:n_rows]
    frame["period"] = frame["year"].astype(str) + "-" + frame["month"].map("{:02d}".format)
    frame["value"] = _written(frame["value"].to_numpy(), rng)
    out = pd.DataFrame({"indicator_id": frame["indicator_id"], "geo": frame["geo"], "period": frame["period"],
                        "unit": unit, "value": frame["value"], "source_id": SOURCE_ID, "year": frame["year"]})
    for column in BREAKDOWN_COLUMNS:
        out[column] = frame["member"] if column == dim else ""
    return out


def _written(values: np.ndarray, rng) -> np.ndarray:
    """Numbers as ministries write them: 85% plain, 10% with separators, 5% Arabic-Indic."""
    text = values.astype(str).astype(object)
    style = rng.random(len(values))
    separated = style < 0.10
    text[separated] = [f"{v:,}" for v in values[separated]]
    arabic = (style >= 0.10) & (style < 0.15)
    text[arabic] = [s.translate(_ARABIC_DIGITS) for s in text[arabic]]
    return text


def _catalogue_entry(ind_id, dim, unit, measure, n) -> dict:
    entry = {
        "topic": "social_protection_fund", "country": "OM", "files": [], "unit": UNIT_CODES[unit], "measure": measure,
        "higher_is_better": None,
        "name": {"ar": f"مؤشر تجريبي رقم {n}", "en": f"Synthetic indicator {n}"},
        "definition": {"ar": "رقم مولَّد لقياس الأداء فقط.", "en": "A generated figure, for benchmarks only."},
    }
    if dim:
        entry["breakdowns"] = [dim]
        entry["sum_to_total"] = [dim]
    return entry


def _catalogue(indicators: dict) -> dict:
    """The shipped catalogue's units, breakdowns and places, with synthetic indicators and source."""
    shipped = yaml.safe_load((PROJECT / "indicators.yaml").read_text(encoding="utf-8"))
    return {
        "licence": shipped["licence"], **({"sdmx": shipped["sdmx"]} if "sdmx" in shipped else {}),
        "topics": shipped["topics"], "units": shipped["units"],
        "dimensions": shipped["dimensions"],
        "sources": {SOURCE_ID: {
            "country": "OM", "published": None,
            "publisher": {"ar": "بيانات مولَّدة", "en": "Generated data"},
            "title": {"ar": "مجموعة مصادر تجريبية لقياس الأداء", "en": "Synthetic source set for benchmarks"},
            "reference_period": {"ar": f"{FIRST_YEAR}-{FIRST_YEAR + YEARS - 1}", "en": f"{FIRST_YEAR}-{FIRST_YEAR + YEARS - 1}"},
        }},
        "geographies": shipped["geographies"], "indicators": indicators,
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Write a synthetic source set into a temp dir and print its path.")
    parser.add_argument("-n", type=int, default=1_000_000, help="observations (default 1,000,000)")
    parser.add_argument("--dir", type=Path, default=None, help="where (default: a new temp dir)")
    args = parser.parse_args()
    print(generate_source_set(args.dir or tempfile.mkdtemp(prefix="spi-synthetic-"), args.n))
