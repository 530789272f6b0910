"""Which reads a plain .xlsx table faster: openpyxl's read-only mode or python-calamine; and what
etl/sheets.py costs on top of calamine (the sheet XML streamed from the zip, values cleaned), and when
it must ask openpyxl for detail (a hidden row: the full load; a formula: a read-only pass).

    .venv/bin/python bench/bench_sheets.py                 # 100,000 rows x 8, and a 10,000-cell yearbook sheet
    .venv/bin/python bench/bench_sheets.py --rows 20000 --runs 3

Workbooks are synthetic, written to a temp dir. Each figure is the median of --runs (5) in this process,
each run opening the file anew; the machine's load average is printed before and after, since the
machine is shared.
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from openpyxl import Workbook, load_workbook  # noqa: E402
from python_calamine import CalamineWorkbook  # noqa: E402

from etl.sheets import open_workbook  # noqa: E402

GOVERNORATES = ["مسقط", "ظفار", "مسندم", "البريمي", "الداخلية", "شمال الباطنة", "جنوب الباطنة",
                "جنوب الشرقية", "شمال الشرقية", "الظاهرة", "الوسطى"]


def long_table(path: Path, rows: int, hidden_row: bool = False, formula: bool = False) -> Path:
    """A long table as a program exports it (XlsxWriter: shared strings and a <dimension>, as Excel
    writes; openpyxl's write-only mode writes no <dimension>, which makes its own read-only mode some
    three times slower): 8 columns of text, integers and floats."""
    import xlsxwriter
    rnd = random.Random(7)
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("data")
    ws.write_row(0, 0, ["indicator_id", "geo", "period", "sex", "value", "status", "source_id", "note"])
    for i in range(rows):
        ws.write_row(i + 1, 0, [f"om_ind_{i % 97}", GOVERNORATES[i % 11], 2000 + i % 26, ("ذكور", "إناث")[i % 2],
                                round(rnd.random() * 1e5, 1) if i % 3 else rnd.randrange(100000),
                                "" if i % 7 else "provisional", "om_mosd_yearbook",
                                "بيانات أولية" if i % 5 == 0 else None])
    if hidden_row:
        ws.set_row(rows // 2, None, None, {"hidden": True})
    if formula:
        ws.write_formula(rows + 1, 4, f"=SUM(E2:E{rows + 1})")
    wb.close()
    return path


def yearbook(path: Path, cells: int = 10_000) -> Path:
    """A yearbook sheet: a merged title, a header of two rows (years over sex, merged), a row per place
    and notes under it; about `cells` cells."""
    wb = Workbook()
    ws = wb.active
    ws.title = "جدول 3-1"
    years = list(range(2000, 2025))
    ws.cell(1, 1, "جدول 3-1: حالات الضمان الاجتماعي حسب المحافظة والجنس")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=1 + 3 * len(years))
    ws.cell(3, 1, "المحافظة")
    for n, year in enumerate(years):
        col = 2 + 3 * n
        ws.cell(3, col, str(year))
        ws.merge_cells(start_row=3, start_column=col, end_row=3, end_column=col + 2)
        for k, sex in enumerate(("ذكور", "إناث", "الإجمالي")):
            ws.cell(4, col + k, sex)
    width = 1 + 3 * len(years)
    rnd = random.Random(3)
    rows = max(1, cells // width - 6)
    for r in range(rows):
        ws.cell(5 + r, 1, GOVERNORATES[r % 11] + (f" {r // 11}" if r >= 11 else ""))
        for c in range(2, width + 1):
            ws.cell(5 + r, c, rnd.randrange(10000))
    ws.cell(6 + rows, 1, "المصدر: وزارة التنمية الاجتماعية")
    wb.save(path)
    return path


def median_seconds(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def openpyxl_read_only(path: Path, name: str):
    wb = load_workbook(path, read_only=True, data_only=True)
    rows = list(wb[name].iter_rows(values_only=True))
    wb.close()
    return rows


def openpyxl_full(path: Path, name: str):
    wb = load_workbook(path, data_only=True)
    ws = wb[name]
    return [r for r in ws.iter_rows(values_only=True)], {k for k, d in ws.row_dimensions.items() if d.hidden}


def calamine(path: Path, name: str):
    with CalamineWorkbook.from_path(str(path)) as wb:
        return wb.get_sheet_by_name(name).to_python(skip_empty_area=False)


def sheets_rows(path: Path, name: str):
    with open_workbook(path) as wb:
        return wb.sheet(name).rows()


def sheets_fields(path: Path, name: str):
    """What a recipe reads: every cell through value(), with the merged and hidden facts."""
    with open_workbook(path) as wb:
        sheet = wb.sheet(name)
        return [sheet.value(r, c) for r in range(1, sheet.n_rows + 1) for c in range(1, sheet.n_cols + 1)]


def sheets_formula(path: Path, name: str):
    with open_workbook(path) as wb:
        sheet = wb.sheet(name)
        try:
            sheet.rows()
        except Exception:                                       # noqa: BLE001 - XlsxWriter's formula: not computed
            pass
        return sheet


def zip_scan(path: Path):
    with zipfile.ZipFile(path) as z, z.open("xl/worksheets/sheet1.xml") as f:
        while f.read(1 << 20):
            pass


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--skip-detail", action="store_true", help="skip the long table with a hidden row / a formula")
    args = ap.parse_args()
    load = os.getloadavg()
    print(f"machine: {os.cpu_count()} cores, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; "
          f"median of {args.runs} runs, seconds")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        plain = long_table(tmp / "long.xlsx", args.rows)
        book = yearbook(tmp / "yearbook.xlsx")
        with open_workbook(book) as wb:
            s = wb.sheet("جدول 3-1")
            yearbook_shape = f"{s.n_rows} x {s.n_cols} = {s.n_rows * s.n_cols:,} cells, {len(s.merged)} merged"
        cases = [
            (f"long table, {args.rows:,} rows x 8 ({plain.stat().st_size / 1e6:.1f} MB)", plain, "data", [
                ("openpyxl read_only, values", openpyxl_read_only),
                ("python-calamine, values", calamine),
                ("  the sheet XML streamed from the zip", lambda p, n: zip_scan(p)),
                ("etl.sheets: Sheet.rows()", sheets_rows)]),
            (f"yearbook sheet, {yearbook_shape}", book, "جدول 3-1", [
                ("openpyxl read_only, values", openpyxl_read_only),
                ("openpyxl full load (merged, hidden)", openpyxl_full),
                ("python-calamine, values", calamine),
                ("etl.sheets: Sheet.rows()", sheets_rows),
                ("etl.sheets: every Sheet.value()", sheets_fields)]),
        ]
        if not args.skip_detail:
            hidden = long_table(tmp / "hidden.xlsx", args.rows, hidden_row=True)
            formula = long_table(tmp / "formula.xlsx", args.rows, formula=True)
            cases.append((f"long table, {args.rows:,} rows x 8, when openpyxl must be asked", None, "data", [
                ("one hidden row: etl.sheets (openpyxl full load)", lambda p, n: sheets_rows(hidden, n)),
                ("one formula: etl.sheets (openpyxl read-only pass)", lambda p, n: sheets_formula(formula, n))]))
        for title, path, name, measures in cases:
            print(f"\n{title}")
            for label, fn in measures:
                seconds = median_seconds(lambda: fn(path, name), args.runs)
                print(f"  {label:<52} {seconds:8.3f}")
    load = os.getloadavg()
    print(f"\nload average after: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
