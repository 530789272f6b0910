"""Benchmark the build and the dashboard's typical queries; print a table of figures.

    .venv/bin/python bench/bench_build.py            # shipped data + 1,000,000 synthetic
    .venv/bin/python bench/bench_build.py -n 200000  # a smaller synthetic set
    .venv/bin/python bench/bench_build.py --skip-scale
    .venv/bin/python bench/bench_build.py --skip-scale --duplicates   # + a 50 MB file of repeated rows

Every build runs as a child process (`spi build`) into a temp dir; its wall time and peak
memory (the child's own max RSS, from os.wait4) are measured. Figures are medians of
several runs. Nothing is written into data/.
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

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

import duckdb  # noqa: E402

from bench.synthetic import generate_source_set  # noqa: E402

SPI = [str(PROJECT / ".venv" / "bin" / "spi")]
TARGETS = {"shipped build": 2.0, "synthetic build": 8.0, "peak memory": 1024, "query": 20.0, "refused": 10.0,
           "recipe": 1.0}


def run_child(args: list[str], expect: int = 0) -> tuple[float, float]:
    """Run a command; return (wall seconds, peak RSS in MB) of that child alone."""
    started = time.perf_counter()
    child = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    err = child.stderr.read().decode()
    child.stderr.close()
    if child.returncode != expect:
        raise SystemExit(f"{' '.join(args)} failed ({child.returncode}):\n{err}")
    return seconds, usage.ru_maxrss / 1024  # Linux reports KB


def bench_build(raw: Path, catalogue: Path, out: Path, runs: int) -> tuple[float, float]:
    times, peaks = zip(*(run_child([*SPI, "build", "--raw", str(raw), "--catalogue", str(catalogue), "--out", str(out)])
                         for _ in range(runs)))
    return statistics.median(times), max(peaks)


def duplicate_rows(tmp: Path, megabytes: int = 50) -> Path:
    """A raw folder whose Jordanian CSV repeats its rows to `megabytes` MB (synthetic, in tmp)."""
    raw = tmp / "duplicates"
    raw.mkdir()
    for path in (PROJECT / "data" / "raw").iterdir():
        (raw / path.name).write_bytes(path.read_bytes())
    header, *rows = (raw / "jo_social_protection_2024.csv").read_text(encoding="utf-8").splitlines()
    block = ("\n".join(rows) + "\n").encode()
    with open(raw / "jo_social_protection_2024.csv", "wb") as out:
        out.write((header + "\n").encode())
        while out.tell() < megabytes * 1_000_000:
            out.write(block)
    return raw


def bench_recipe(tmp: Path, rows: int = 500, columns: int = 20, runs: int = 3) -> float:
    """Median seconds to read a yearbook table of rows x columns cells (two header rows of
    years over sex) through a layout recipe, in process (synthetic values, in tmp)."""
    from openpyxl import Workbook

    from etl.catalogue import load_catalogue
    from etl.extract import extract_file
    wb = Workbook()
    ws = wb.active
    ws.title = "جدول 1"
    ws["A4"] = "المحافظة"
    for c in range(2, columns + 2):
        ws.cell(row=4, column=c, value=str(2000 + (c - 2) // 2))
        ws.cell(row=5, column=c, value="ذكور" if c % 2 == 0 else "إناث")
    for r in range(6, rows + 6):
        ws.cell(row=r, column=1, value=f"مسقط {r}")
        for c in range(2, columns + 2):
            ws.cell(row=r, column=c, value=r * c)
    wb.save(tmp / "yearbook.xlsx")
    (tmp / "yearbook.layout.yaml").write_text(
        'sheet: "جدول 1"\nindicator: om_nursery_children\nsource: om_mosd_briefing_2024\n'
        "header_rows: [4, 5]\ncolumns: [period, sex]\nrows: geo\n", encoding="utf-8")
    cat = load_catalogue(PROJECT / "indicators.yaml")
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        records, _ = extract_file(tmp / "yearbook.xlsx", cat)
        times.append(time.perf_counter() - started)
    assert len(records) == rows * columns
    return statistics.median(times)


def bench_in_process(raw: Path, catalogue: Path, out: Path, runs: int) -> float:
    """The build alone, without starting Python and importing pandas/DuckDB."""
    from etl.build import build
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        assert build(raw, catalogue, out).ok
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def bench_queries(db: Path, runs: int = 25) -> dict[str, float]:
    """Median milliseconds of the dashboard's typical queries on a read-only connection."""
    con = duckdb.connect(str(db), read_only=True)
    indicator = con.execute("SELECT indicator_id FROM observations GROUP BY ALL ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
    totals = "sex IS NULL AND beneficiary_category IS NULL AND service_channel IS NULL AND association_type IS NULL AND case_outcome IS NULL"
    queries = {
        "series by governorate (one indicator)": (
            f"""SELECT geo_code, period, period_end, value FROM observations
                WHERE indicator_id = ? AND {totals} AND geo_code LIKE '%-%' ORDER BY geo_code, period_end""", [indicator]),
        "latest value of every indicator": (
            f"""SELECT indicator_id, geo_code, period, value FROM latest_observations
                WHERE {totals} ORDER BY indicator_id, geo_code""", []),
        "one indicator's breakdown, latest period": (
            """SELECT * FROM observations WHERE indicator_id = ? AND period_end =
                 (SELECT max(period_end) FROM observations WHERE indicator_id = ?)""", [indicator, indicator]),
    }
    out = {}
    for name, (sql, params) in queries.items():
        con.execute(sql, params).fetchall()  # warm up
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            con.execute(sql, params).fetchall()
            times.append((time.perf_counter() - started) * 1000)
        out[name] = statistics.median(times)
    con.close()
    return out


def row(label: str, value: str, target: str = "", ok: bool | None = None) -> None:
    mark = "" if ok is None else ("ok" if ok else "MISSED")
    print(f"{label:<52} {value:>14} {target:>10} {mark:>7}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", type=int, default=1_000_000, help="synthetic observations (default 1,000,000)")
    parser.add_argument("--runs", type=int, default=5, help="runs of the shipped build (default 5)")
    parser.add_argument("--scale-runs", type=int, default=3, help="runs of the synthetic build (default 3)")
    parser.add_argument("--skip-scale", action="store_true")
    parser.add_argument("--duplicates", action="store_true", help="also time refusing a 50 MB file of repeated rows")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; python {sys.version.split()[0]}, "
          f"duckdb {duckdb.__version__}")
    row("measure", "figure", "target")
    with tempfile.TemporaryDirectory(prefix="spi-bench-") as tmp:
        tmp = Path(tmp)
        raw, catalogue = PROJECT / "data" / "raw", PROJECT / "indicators.yaml"
        started = time.perf_counter()
        run_child([sys.executable, "-c", "import etl.build"])
        imports = time.perf_counter() - started
        seconds, peak = bench_build(raw, catalogue, tmp / "shipped", args.runs)
        row("shipped data: `spi build` wall time (median)", f"{seconds:.2f} s", "< 2 s", seconds < TARGETS["shipped build"])
        row("  of which starting Python + imports", f"{imports:.2f} s")
        row("  build() in process (median)", f"{bench_in_process(raw, catalogue, tmp / 'shipped', args.runs):.2f} s")
        row("shipped data: peak memory", f"{peak:.0f} MB")
        seconds = bench_recipe(tmp)
        row("yearbook table of 10,000 cells read through its recipe", f"{seconds:.2f} s", "< 1 s",
            seconds < TARGETS["recipe"])
        if args.duplicates:
            raw_dup = duplicate_rows(tmp)
            seconds, peak = run_child([*SPI, "build", "--raw", str(raw_dup), "--out", str(tmp / "dup")], expect=1)
            row("50 MB of repeated rows refused: wall time", f"{seconds:.1f} s", "< 10 s", seconds < TARGETS["refused"])
            row("  peak memory", f"{peak:.0f} MB")
        if args.skip_scale:
            return
        started = time.perf_counter()
        root = generate_source_set(tmp / "synthetic", args.n)
        row(f"synthetic set: generate {args.n:,} observations", f"{time.perf_counter() - started:.1f} s")
        seconds, peak = bench_build(root / "raw", root / "indicators.yaml", root / "out", args.scale_runs)
        row(f"synthetic: `spi build` wall time (median of {args.scale_runs})", f"{seconds:.1f} s", "< 8 s", seconds < TARGETS["synthetic build"])
        row("synthetic: peak memory of the build", f"{peak:.0f} MB", "< 1024 MB", peak < TARGETS["peak memory"])
        db = root / "out" / "indicators.duckdb"
        row("synthetic: database size", f"{db.stat().st_size / 2**20:.0f} MB")
        for name, ms in bench_queries(db).items():
            row(f"query: {name}", f"{ms:.1f} ms", "< 20 ms", ms < TARGETS["query"])


if __name__ == "__main__":
    main()
