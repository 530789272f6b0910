"""SDMX and JSON-stat benchmark: one indicator's full series at 1,000,000 observations.

    .venv/bin/python bench/bench_sdmx.py                       # builds bench/synthetic.py's 1,000,000 observations
    .venv/bin/python bench/bench_sdmx.py -n 100000             # a quicker set
    .venv/bin/python bench/bench_sdmx.py --synthetic-db /tmp/x/out/indicators.duckdb --requests 100

Builds the synthetic set into a temp dir (never into data/) unless given one, serves it with
gunicorn as bench_opendata.py does (2 workers, gthread, loopback, keep-alive), and prints
p50 (the median) and p95 over sequential requests of /sdmx/data/SOCIAL_PROTECTION/<indicator>.......
(every place, period and breakdown of the indicator with the most figures) as SDMX-CSV and
SDMX-JSON and of the same figures as JSON-stat (/api/v1/observations?format=jsonstat), beside
/data/<indicator>.csv. Target: p95 < 30 ms. Nothing is
asserted; the figures are printed.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_dashboard import build_synthetic  # noqa: E402
from bench.bench_opendata import api_latency  # noqa: E402


def largest_series(db: Path) -> tuple[str, str, int, int]:
    """The SDMX address of the indicator with the most figures, the indicator, its figure
    count, and the database's."""
    import duckdb
    con = duckdb.connect(str(db), read_only=True)
    try:
        ind, n = con.execute("SELECT indicator_id, count(*) FROM observations GROUP BY 1 ORDER BY 2 DESC, 1 "
                             "LIMIT 1").fetchone()
        total = con.execute("SELECT count(*) FROM observations").fetchone()[0]
        dims = con.execute("SELECT count(DISTINCT dimension) FROM dimensions").fetchone()[0]
        flow = con.execute("SELECT sdmx_dataflow FROM site").fetchone()[0]
    finally:
        con.close()
    if not flow:
        raise SystemExit("the synthetic catalogue has no sdmx: block (bench/synthetic.py copies the shipped one's)")
    return f"/sdmx/data/{flow}/{ind}{'.' * (dims + 1)}", ind, n, total


def cold(db: Path, key: str, runs: int = 10) -> dict[str, float]:
    """Median ms, in-process, of making each answer afresh (no answer kept): the query
    (store.queries.select) and each format's writing (JSON-stat with its own query, as
    /api/v1/observations makes it); what the first request of an address pays."""
    import os
    import statistics
    import time
    os.environ["SPI_DB"] = str(db)
    from api import jsonstat
    from api.sdmx import data, structure
    from store.catalogue import meta
    from store.queries import select
    m = meta()
    flow = structure.flow_of(m)
    wanted = data.query(m, key, None, None)
    times: dict[str, list[float]] = {"query (select)": [], "SDMX-CSV": [], "SDMX-CSV labels=both": [], "SDMX-JSON": [],
                                     "JSON-stat (query + document)": []}
    for _ in range(runs):
        t = time.perf_counter()
        raw = data.kept(select(m, wanted.rows), wanted.members)
        times["query (select)"].append(time.perf_counter() - t)
        for label, make in (("SDMX-CSV", lambda: data.sdmx_csv(m, flow, raw, "id", "ar")),
                            ("SDMX-CSV labels=both", lambda: data.sdmx_csv(m, flow, raw, "both", "ar")),
                            ("SDMX-JSON", lambda: data.sdmx_json(m, flow, raw, "ar", structure.TIME, "", "")),
                            ("JSON-stat (query + document)", lambda: jsonstat.dataset(select(m, wanted.rows), m, "ar"))):
            t = time.perf_counter()
            make()
            times[label].append(time.perf_counter() - t)
    return {label: statistics.median(v) * 1000 for label, v in times.items()}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=1_000_000, help="synthetic observations (default 1,000,000)")
    ap.add_argument("--synthetic-db", type=Path, help="an already built synthetic database")
    ap.add_argument("--requests", type=int, default=300)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench_sdmx_") as tmp:
        db = args.synthetic_db or build_synthetic(Path(tmp), args.n)
        path, ind, n, total = largest_series(db)
        latency = api_latency(db, Path(tmp) / "cache", {
            f"SDMX-CSV {ind} ({n:,} figures)": path,
            f"SDMX-CSV labels=both {ind}": f"{path}?labels=both",
            f"SDMX-JSON {ind}": f"{path}?format=sdmx-json",
            f"JSON-stat {ind}": f"/api/v1/observations?indicator={ind}&format=jsonstat",
            f"/data/{ind}.csv (the same figures)": f"/data/{ind}.csv",
        }, args.requests)
        made = cold(db, path.rsplit("/", 1)[1])
    print(f"== SDMX key query and JSON-stat of one indicator's full series; {total:,} observations in the database")
    print("  made afresh (in-process, median of 10; a key's first request):")
    for label, ms in made.items():
        print(f"    {label:40s} {ms:6.1f} ms")
    print(f"  through gunicorn, {args.requests} requests each (the answer kept after the first):")
    for label, (p50, p95, size) in latency.items():
        flag = "(reference)" if label.startswith("/data/") else "ok" if p95 < 30 else "OVER 30 ms"
        print(f"    {label:42s} median {p50:6.1f} ms  p95 {p95:6.1f} ms  ({size / 1000:.1f} kB gzip)  {flag}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
