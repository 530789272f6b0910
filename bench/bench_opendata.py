"""Open data benchmark: whole-dataset downloads, chart images, API latency under gunicorn.

    .venv/bin/python bench/bench_opendata.py                  # shipped data and 1,000,000 synthetic rows
    .venv/bin/python bench/bench_opendata.py --skip-synthetic
    .venv/bin/python bench/bench_opendata.py --synthetic-charts 6   # images of 6 synthetic indicators only (quick)
    .venv/bin/python bench/bench_opendata.py --synthetic-charts 0   # no chart images for the synthetic set

For each database (the shipped data, and bench/synthetic.py's 1,000,000-observation set,
both built into a temporary folder, never into data/):
  * seconds to make each whole-dataset file from a cold cache (CSV for Excel, CSV codes,
    Parquet, XLSX in Arabic and English, the data package);
  * seconds to draw every chart image with `spi publish` (every indicator, each breakdown,
    PNG and SVG, Arabic and English), with the time per image;
  * API latency under gunicorn (2 workers, gthread, --no-control-socket) on loopback:
    p50/p95 over sequential keep-alive requests for an indicator series (JSON, CSV, JSON-stat) and
    the CSV download, target p95 < 30 ms.
Prints a table; nothing is asserted.
"""
from __future__ import annotations

import argparse
import http.client
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))
SPI = [str(PROJECT / ".venv" / "bin" / "spi")] if (PROJECT / ".venv" / "bin" / "spi").exists() else \
    [sys.executable, "-m", "etl.cli"]


def _run(args, env=None) -> float:
    started = time.perf_counter()
    done = subprocess.run(args, cwd=PROJECT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, args))} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return time.perf_counter() - started


def dataset_files(db: Path, cache: Path) -> dict[str, float]:
    """Seconds to make each whole-dataset file, cold, in a child process (clean imports)."""
    code = f"""
import json, os, time
os.environ["SPI_DB"] = {str(db)!r}; os.environ["SPI_OPENDATA_CACHE"] = {str(cache)!r}
from api import dataset
from store.catalogue import meta
out = {{}}
t = time.perf_counter(); m = meta(); out["catalogue"] = time.perf_counter() - t
for name, make in [("all.csv (names+codes, BOM)", lambda: dataset.csv_file(m, "both", "ar", True)),
                   ("all.csv (codes, UTF-8)", lambda: dataset.csv_file(m, "codes", "ar", False)),
                   ("all.parquet", lambda: dataset.parquet_file(m)),
                   ("all.xlsx (ar)", lambda: dataset.xlsx_file(m, "ar", "both")),
                   ("all.xlsx (en)", lambda: dataset.xlsx_file(m, "en", "both")),
                   ("datapackage (json + csv)", lambda: dataset.package_dir(m))]:
    t = time.perf_counter(); path = make(); out[name] = [time.perf_counter() - t, (sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.is_dir() else path.stat().st_size)]
print(json.dumps(out))
"""
    done = subprocess.run([sys.executable, "-c", code], cwd=PROJECT, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-3000:])
    import json
    return json.loads(done.stdout.strip().splitlines()[-1])


def charts(db: Path, out: Path, indicators: list[str] | None) -> tuple[float, int]:
    env = {**os.environ, "SPI_DB": str(db), "SPI_OPENDATA_CACHE": str(out / "cache")}
    args = [*SPI, "publish", "--out", str(out / "pub"), "--no-data"]
    for ind in indicators or []:
        args += ["--indicator", ind]
    seconds = _run(args, env)
    images = len(list((out / "pub" / "charts").rglob("*.png"))) + len(list((out / "pub" / "charts").rglob("*.svg")))
    return seconds, images


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def api_latency(db: Path, cache: Path, paths: dict[str, str], n: int = 300) -> dict[str, tuple[float, float, int]]:
    port = _free_port()
    env = {**os.environ, "SPI_DB": str(db), "SPI_OPENDATA_CACHE": str(cache), "DASH_DEBUG": "false"}
    gunicorn = str(PROJECT / ".venv" / "bin" / "gunicorn")
    proc = subprocess.Popen([gunicorn, "--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads", "2",
                             "--worker-class", "gthread", "--no-control-socket", "--log-level", "warning",
                             "spi.app:server"], cwd=PROJECT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.time() + 120
        while True:
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                c.request("GET", "/api/v1/indicators")
                if c.getresponse().status == 200:
                    break
            except OSError:
                pass
            if time.time() > deadline or proc.poll() is not None:
                raise RuntimeError("gunicorn did not start: " + (proc.stderr.read().decode()[-2000:] if proc.poll() is not None else ""))
            time.sleep(0.5)
        results = {}
        for label, path in paths.items():
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            times, size = [], 0
            for i in range(n + 20):
                t = time.perf_counter()
                conn.request("GET", path, headers={"Accept-Encoding": "gzip"})
                resp = conn.getresponse()
                body = resp.read()
                elapsed = (time.perf_counter() - t) * 1000
                if resp.status != 200:
                    raise RuntimeError(f"{path}: {resp.status} {body[:200]!r}")
                if i >= 20:  # both workers warmed
                    times.append(elapsed)
                size = len(body)
            times.sort()
            results[label] = (statistics.median(times), times[int(0.95 * len(times)) - 1], size)
        return results
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def report(title: str, files: dict, chart: tuple[float, int] | None, latency: dict,
           untargeted: tuple[str, ...] = ()) -> None:
    print(f"\n== {title}")
    print(f"  catalogue read: {files.pop('catalogue') * 1000:.0f} ms")
    for name, (secs, size) in files.items():
        print(f"  {name:32s} {secs:7.2f} s  {size / 1e6:8.2f} MB")
    if chart:
        secs, images = chart
        print(f"  chart images (PNG+SVG, ar+en)    {secs:7.1f} s  {images} images, {secs / max(images, 1) * 1000:.0f} ms/image "
              "(includes starting Chromium)")
    for label, (p50, p95, size) in latency.items():
        flag = "(no target)" if label in untargeted else "ok" if p95 < 30 else "OVER 30 ms"
        print(f"  API {label:38s} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  ({size / 1000:.1f} kB gzip)  {flag}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--skip-synthetic", action="store_true")
    ap.add_argument("--observations", type=int, default=1_000_000)
    ap.add_argument("--synthetic-charts", type=int, default=None,
                    help="draw only this many synthetic indicators (default: all of them)")
    ap.add_argument("--requests", type=int, default=300)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-opendata-"))
    try:
        shipped = tmp / "shipped"
        _run([*SPI, "build", "--out", str(shipped / "db")])
        db = shipped / "db" / "indicators.duckdb"
        files = dataset_files(db, shipped / "cache")
        chart = charts(db, shipped, None)
        ind = "om_nursery_children"
        latency = api_latency(db, shipped / "cache", {
            f"series JSON ({ind})": f"/api/v1/observations?indicator={ind}&geo=OM&breakdown=total",
            f"series CSV ({ind})": f"/api/v1/observations?indicator={ind}&geo=OM&breakdown=total&format=csv",
            f"download /data/{ind}.csv": f"/data/{ind}.csv",
        }, args.requests)
        report("shipped data", files, chart, latency)
        if args.skip_synthetic:
            return 0
        from bench.synthetic import generate_source_set
        syn = tmp / "synthetic"
        started = time.perf_counter()
        generate_source_set(syn / "src", n_observations=args.observations)
        gen = time.perf_counter() - started
        build = _run([*SPI, "build", "--raw", str(syn / "src" / "raw"), "--catalogue", str(syn / "src" / "indicators.yaml"),
                      "--out", str(syn / "db")])
        print(f"\n(synthetic set: generated in {gen:.1f} s, built in {build:.1f} s)")
        db = syn / "db" / "indicators.duckdb"
        files = dataset_files(db, syn / "cache")
        import duckdb
        con = duckdb.connect(str(db), read_only=True)
        ids = [r[0] for r in con.execute("SELECT indicator_id FROM indicators ORDER BY sort_order").fetchall()]
        big = con.execute("SELECT indicator_id, geo_code, count(*) FROM observations GROUP BY ALL ORDER BY 3 DESC LIMIT 1").fetchone()
        con.close()
        drawn = ids if args.synthetic_charts is None else ids[:args.synthetic_charts]
        chart = charts(db, syn, drawn) if drawn else None
        ind, geo = big[0], big[1]
        whole = f"whole indicator JSON ({ind}: first page, 10,000 rows)"
        latency = api_latency(db, syn / "cache", {
            f"series JSON ({ind}, {geo}, totals)": f"/api/v1/observations?indicator={ind}&geo={geo}&breakdown=total",
            f"series CSV ({ind}, {geo}, totals)": f"/api/v1/observations?indicator={ind}&geo={geo}&breakdown=total&format=csv",
            f"series JSON-stat ({ind}, {geo}, totals)":
                f"/api/v1/observations?indicator={ind}&geo={geo}&breakdown=total&format=jsonstat",
            f"download /data/{ind}.csv?geo={geo}": f"/data/{ind}.csv?geo={geo}&breakdown=total",
            whole: f"/api/v1/observations?indicator={ind}",
        }, args.requests)
        report(f"synthetic: {args.observations:,} observations, {len(ids)} indicators"
               + (f" (charts for {len(drawn)} of them)" if len(drawn) < len(ids) else ""), files, chart, latency,
               untargeted=(whole,))
        return 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
