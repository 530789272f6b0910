"""Releases benchmark: what serving releases costs, on the 1,000,000-observation synthetic set.

    .venv/bin/python bench/bench_releases.py             # 20 releases of 1,000,000 observations
    .venv/bin/python bench/bench_releases.py -n 200000 --releases 5

The synthetic set (bench/synthetic.py) is built once as a candidate and released (`spi release`,
timed); each further release revises 1% of the figures of the one before (values × 1.01, written
straight into a copy of the release's figures, each entry chained to the one before: the same
files `spi release` writes). The served database of every release is then written (timed), and
`spi verify` checks the whole history and what the site serves (timed, median of 3). Measured in process (Flask's test client, warm,
read-only), median and p95 of 200 distinct requests each:
  * the API (an indicator's series in a place) and the explorer page of a view, served from the
    candidate's single database file (as before releases) and from the releases folder (the
    live release);
  * the same API requests with `as_of` an earlier release (target p95 < 30 ms).
Prints a table; nothing is asserted; everything is written into a temp dir.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))


def _release_copies(releases: Path, n: int) -> list[str]:
    """n - 1 releases after the first, each revising 1% of the figures of the one before, each
    entry committed to the one before it as `spi release` writes it (contract/manifest.py)."""
    import numpy as np
    import pandas as pd
    from contract.manifest import FIGURES, MANIFEST, entry_sha256
    entries = json.loads((releases / MANIFEST).read_text(encoding="utf-8"))["releases"]
    first = entries[0]
    figures = pd.read_parquet(releases / first["release_id"] / FIGURES)
    rng = np.random.default_rng(7)
    public_at = datetime.fromisoformat(first["public_at"])
    for k in range(1, n):
        revised = rng.random(len(figures)) < 0.01
        figures.loc[revised, "value"] = (figures.loc[revised, "value"] * 1.01).round()
        when = (public_at + timedelta(days=k)).isoformat()
        rid = when[:10]
        (releases / rid).mkdir()
        figures.to_parquet(releases / rid / FIGURES, index=False, compression="zstd")
        shutil.copy(releases / first["release_id"] / "indicators.yaml", releases / rid / "indicators.yaml")
        entries.append({**{k: v for k, v in first.items() if k != "previous_sha256"}, "release_id": rid,
                        "note": f"revision {k}", "public_at": when, "created_at": when,
                        "figures_sha256": hashlib.sha256((releases / rid / FIGURES).read_bytes()).hexdigest(),
                        "added": 0, "revised": int(revised.sum()), "amended": 0, "withdrawn": 0,
                        "previous_sha256": entry_sha256(entries[-1])})
    (releases / MANIFEST).write_text(json.dumps({"releases": entries}), encoding="utf-8")
    return [e["release_id"] for e in entries]


def _timed(client, urls: list[str]) -> tuple[float, float]:
    times = []
    for url in urls:
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code, response.data[:200])
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=1_000_000, help="observations (default 1,000,000)")
    parser.add_argument("--releases", type=int, default=20, help="releases (default 20)")
    args = parser.parse_args()
    from bench.synthetic import generate_source_set
    from etl.build import build
    from etl.release import make_release, write_served
    from etl.verify import verify
    with tempfile.TemporaryDirectory(prefix="spi-bench-releases-") as tmp:
        tmp = Path(tmp)
        catalogue = generate_source_set(tmp, args.n) / "indicators.yaml"
        assert build(tmp / "raw", catalogue, tmp / "out").ok
        started = time.perf_counter()
        made_at = datetime(2020, 1, 1, 5, tzinfo=timezone.utc)
        make_release("the synthetic set", "2020-01-01T09:00", tmp / "out", tmp / "releases", catalogue, by="bench",
                     now=made_at - timedelta(minutes=1))
        released = time.perf_counter() - started
        ids = _release_copies(tmp / "releases", args.releases)
        started = time.perf_counter()
        write_served(tmp / "releases", tmp / "out", catalogue)
        served = time.perf_counter() - started
        size = sum(p.stat().st_size for p in (tmp / "out" / "releases").rglob("*.duckdb")) / 2**20
        checks = []
        for _ in range(3):
            started = time.perf_counter()
            found = verify(tmp / "releases", tmp / "out", None)
            checks.append(time.perf_counter() - started)
            assert found.ok, found.problems
        figures = sum(p.stat().st_size for p in (tmp / "releases").rglob("observations.parquet")) / 2**20

        os.environ["SPI_SECRET_KEY"] = "bench" * 8
        from spi.app import server
        from store.database import use
        client = server.test_client()
        import duckdb
        con = duckdb.connect(str(tmp / "out" / "indicators.duckdb"), read_only=True)
        pairs = con.execute("SELECT DISTINCT indicator_id, geo_code FROM observations ORDER BY 1, 2 LIMIT 200").fetchall()
        con.close()
        api = [f"/api/v1/observations?indicator={i}&geo={g}" for i, g in pairs]
        pages = [f"/explorer?indicator={i}&geo={g}&tab=table" for i, g in pairs]
        rows = []
        for label, target in (("single database (before releases)", tmp / "out" / "indicators.duckdb"),
                              (f"releases folder, live release of {len(ids)}", tmp / "out" / "releases")):
            use(target)
            _timed(client, api[:5])   # open the connection
            rows.append((f"API series, {label}", *_timed(client, api)))
            rows.append((f"explorer page, {label}", *_timed(client, pages)))
        as_of = ids[len(ids) // 2]
        rows.append((f"API series, as_of={as_of}", *_timed(client, [f"{u}&as_of={as_of}" for u in api])))
        day = (datetime(2020, 1, 1, tzinfo=timezone.utc) + timedelta(days=len(ids) // 3)).date().isoformat()
        rows.append((f"API series, as_of={day} (a day)", *_timed(client, [f"{u}&as_of={day}" for u in api])))
        print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
        print(f"{args.n:,} observations, {len(ids)} releases: `spi release` of the candidate in {released:.1f} s; "
              f"their served databases written in {served:.1f} s ({size:.0f} MB)")
        print(f"spi verify (manifest, chain, {len(ids)} releases' files ({figures:.0f} MB of figures) and what the site "
              f"serves): median of 3 {statistics.median(checks):.2f} s")
        print(f"{'measure':58} {'p50 ms':>8} {'p95 ms':>8}")
        for label, p50, p95 in rows:
            print(f"{label:58} {p50:8.1f} {p95:8.1f}")


if __name__ == "__main__":
    main()
