"""Catalogue benchmark: /catalog.jsonld (api/catalog.py) of a catalogue of 1,000 indicators.

    .venv/bin/python bench/bench_catalog.py              # 1,000 indicators, 20 runs
    .venv/bin/python bench/bench_catalog.py -n 200 --runs 10

A synthetic source set (bench/synthetic.py's indicators, breakdowns and places; each indicator
with two years of monthly figures in the 11 governorates) is written and built in a temp dir,
never into data/. Prints medians of: the document alone (catalogue(), in memory), its bytes, and
a whole answer through the Flask app without a validator, made afresh (the first request after
a build) and kept (the document is kept per build and base), gzip-compressed, and with a
validator (304). Target: an answer < 200 ms. Nothing is asserted.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from bench.synthetic import GOVERNORATES, TEMPLATES, _catalogue, _catalogue_entry, _indicator_block  # noqa: E402

MONTHS_EACH = 24


def generate(root: Path, n_indicators: int, seed: int = 2025) -> Path:
    """raw/ and indicators.yaml of `n_indicators` small synthetic indicators under `root`."""
    raw = root / "raw"
    raw.mkdir(parents=True)
    rng = np.random.default_rng(seed)
    blocks, indicators = [], {}
    for i in range(n_indicators):
        dim, members, unit, measure = TEMPLATES[i % len(TEMPLATES)]
        ind_id = f"syn_{i:04d}_{dim or 'total'}"
        blocks.append(_indicator_block(ind_id, dim, members, unit, len(GOVERNORATES) * MONTHS_EACH * len(members), rng))
        indicators[ind_id] = _catalogue_entry(ind_id, dim, unit, measure, i)
    table = pd.concat(blocks, ignore_index=True)
    files = []
    for year, part in table.groupby("year", sort=True):
        files.append(f"om_synthetic_{year}.csv")
        part.drop(columns="year").to_csv(raw / files[-1], index=False)
    for entry in indicators.values():
        entry["files"] = files
    (root / "indicators.yaml").write_text(yaml.safe_dump(_catalogue(indicators), allow_unicode=True, sort_keys=False),
                                          encoding="utf-8")
    return root


def _median_ms(make, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        make()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=1000, help="indicators (default 1,000)")
    ap.add_argument("--runs", type=int, default=20)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="spi-bench-catalog-") as tmp:
        root = generate(Path(tmp), args.n)
        spi = PROJECT / ".venv" / "bin" / "spi"
        cmd = [str(spi)] if spi.exists() else [sys.executable, "-m", "spi.cli"]
        started = time.perf_counter()
        subprocess.run([*cmd, "build", "--raw", str(root / "raw"), "--catalogue", str(root / "indicators.yaml"),
                        "--out", str(root / "out")], check=True, capture_output=True, cwd=PROJECT)
        print(f"{args.n} indicators built in {time.perf_counter() - started:.1f} s")
        os.environ["SPI_DB"] = str(root / "out" / "indicators.duckdb")
        import flask

        import api
        from api import catalog
        from store.catalogue import meta
        m = meta()
        assert len(m.indicators) == args.n, len(m.indicators)
        server = flask.Flask("bench-catalog")
        api.register(server)
        client = server.test_client()
        first = client.get("/catalog.jsonld")
        etag = first.headers["ETag"]
        base = "https://stats.example.org"
        rows = [
            ("document (catalogue())", _median_ms(lambda: catalog.catalogue(m, base), args.runs)),
            ("document + bytes", _median_ms(lambda: (catalog._kept.clear(), catalog.catalogue_bytes(m, base)),
                                            args.runs)),
            ("GET, made afresh (200)", _median_ms(lambda: (catalog._kept.clear(), client.get("/catalog.jsonld")),
                                                 args.runs)),
            ("GET, kept for the build (200)", _median_ms(lambda: client.get("/catalog.jsonld"), args.runs)),
            ("GET, kept, gzip", _median_ms(
                lambda: client.get("/catalog.jsonld", headers={"Accept-Encoding": "gzip"}), args.runs)),
            ("GET with its ETag (304)", _median_ms(
                lambda: client.get("/catalog.jsonld", headers={"If-None-Match": etag}), args.runs)),
        ]
        print(f"answer: {len(first.data) / 1e6:.1f} MB, {first.status_code}; medians of {args.runs} runs "
              f"(target < 200 ms):")
        for label, ms in rows:
            print(f"  {label:<28} {ms:8.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
