"""Upload to grid for a 10,000-cell table (issue 22's bench: under 2 s): the bytes checked (kind and
zip limits, every member read once bounded), staged, and the grid made by the build's reader and
validator (etl/upload_grid.py); and the same with the recipe proposed first (`spi recipe draft`'s
drafting, then the grid of the draft), as the desk does on an upload with no recipe yet.

    .venv/bin/python bench/bench_upload.py              # 11 governorates x 900 months (9,900 figures)
    .venv/bin/python bench/bench_upload.py --runs 9

The workbook and a catalogue with one monthly indicator that names it are synthetic, in a temp dir.
Each figure is the median of --runs (5) in this process; the machine's load average is printed
before and after, since the machine is shared.
"""
from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

import openpyxl  # noqa: E402

from etl.catalogue import load_catalogue  # noqa: E402
from etl.upload import propose, stage  # noqa: E402
from etl.upload_grid import grid  # noqa: E402

GOVERNORATES = ["مسقط", "ظفار", "مسندم", "البريمي", "الداخلية", "شمال الباطنة", "جنوب الباطنة",
                "جنوب الشرقية", "شمال الشرقية", "الظاهرة", "الوسطى"]
MONTHS = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر",
          "ديسمبر"]
INDICATOR = """  om_bench_visits:
    topic: social_security
    country: OM
    files: [visits.xlsx]
    unit: services
    measure: flow
    name: {ar: الزيارات الشهرية, en: Monthly visits}
    definition: {ar: زيارات خلال الشهر., en: Visits in the month.}
"""
RECIPE = """sheet: "جدول 1"
indicator: om_bench_visits
source: om_mosd_welfare_2021
header_rows: [2, 3]
columns: [year, month]
rows: geo
"""


def workbook(years: int) -> bytes:
    """A title, a row of years (each merged over its months), a row of months, a governorate a row."""
    rnd = random.Random(7)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "جدول 1"
    ws["A1"] = "الزيارات الشهرية حسب المحافظة"
    ws["A3"] = "المحافظة"
    for y in range(years):
        first = 2 + 12 * y
        ws.cell(row=2, column=first, value=1950 + y)
        ws.merge_cells(start_row=2, start_column=first, end_row=2, end_column=first + 11)
        for m, month in enumerate(MONTHS):
            ws.cell(row=3, column=first + m, value=month)
    for r, place in enumerate(GOVERNORATES, start=4):
        ws.cell(row=r, column=1, value=place)
        for c in range(2, 2 + 12 * years):
            ws.cell(row=r, column=c, value=rnd.randrange(1, 5000))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--years", type=int, default=75, help="years of 12 months across (75: 900 columns)")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory(prefix="spi-bench-upload-") as tmp:
        tmp = Path(tmp)
        text = (PROJECT / "indicators.yaml").read_text(encoding="utf-8")
        (tmp / "indicators.yaml").write_text(text.replace("indicators:\n", "indicators:\n" + INDICATOR, 1),
                                             encoding="utf-8")
        cat = load_catalogue(tmp / "indicators.yaml")
        data = workbook(args.years)
        cells = 2 + 12 * args.years * (1 + len(GOVERNORATES)) + args.years + len(GOVERNORATES)
        print(f"workbook: {cells:,} cells ({12 * args.years * len(GOVERNORATES):,} figures), {len(data):,} bytes")
        staged = tmp / "staged"
        staged.mkdir()

        def given() -> object:
            return grid(stage(data, "visits.xlsx", staged), RECIPE, cat)

        def proposed() -> object:
            path = stage(data, "visits.xlsx", staged)
            return grid(path, propose(path, cat, source="om_mosd_welfare_2021").text, cat)

        for name, run in (("upload → grid (recipe given)", given), ("upload → propose → grid", proposed)):
            times = []
            for _ in range(args.runs):
                started = time.perf_counter()
                g = run()
                times.append(time.perf_counter() - started)
            values = sum(c.role == "value" for c in g.sheet().cells.values())
            print(f"{name:32s} median {statistics.median(times):.3f} s (min {min(times):.3f}, max {max(times):.3f}); "
                  f"{values:,} value cells, {len(g.observations):,} figures pass, {len(g.issues)} issue(s)")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
