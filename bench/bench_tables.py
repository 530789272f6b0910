"""What reading a table as printed costs (a `layout: table` recipe, etl/layouts.py), and drafting its
recipe (`spi recipe draft`, etl/draft.py):

1. a 10,000-cell table (months down, governorates and sexes across, a total column per month) read
   by the reader `spi build` uses (etl/extract.extract_file), then also checked (etl/validate.py);
2. `spi recipe draft` on it: in process (draft, then the preview, which reads and checks the draft
   as the build would) and as a child process of .venv/bin/spi (Python's start and imports included);
3. a workbook of 200 sheets, each a small table, of which the recipe's pattern matches one: read,
   and drafted with --sheet; and drafted without --sheet from a workbook whose only sheet with
   figures is the last of 200 (every sheet before it is opened and looked at).

    .venv/bin/python bench/bench_tables.py            # median of 5
    .venv/bin/python bench/bench_tables.py --runs 3

Targets: (1) < 1 s, (2) < 2 s, (3) < 3 s. The workbooks are synthetic, written to a temp dir with
a catalogue that adds one test indicator to the shipped one. Each figure is the median of --runs,
each run opening the file anew; the load average is printed before and after, the machine being
shared.
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

import openpyxl  # noqa: E402

from etl.catalogue import load_catalogue  # noqa: E402
from etl.draft import draft, preview  # noqa: E402
from etl.extract import extract_file  # noqa: E402
from etl.validate import validate  # noqa: E402

GOVERNORATES = ["مسقط", "ظفار", "مسندم", "البريمي", "الداخلية", "شمال الباطنة", "جنوب الباطنة",
                "جنوب الشرقية", "شمال الشرقية", "الظاهرة", "الوسطى"]
MONTHS = ["كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول", "تشرين الأول",
          "تشرين الثاني", "كانون الأول"]
INDICATOR = """  om_bench_cases:
    topic: social_security
    country: OM
    files: [big.xlsx, book.xlsx, notes.xlsx]
    unit: cases
    measure: stock
    breakdowns: [sex]
    name: {ar: حالات الرعاية حسب النوع, en: Care cases by sex}
    definition: {ar: الحالات في نهاية الشهر., en: Cases at the end of the month.}
"""
RECIPE = """sheet: "{sheet}"
indicator: om_bench_cases
source: om_mosd_briefing_2024
header_rows: [3, 4]
columns: [geo, sex]
label_column: A
rows: period
totals: [الإجمالي]
skip: ["^المصدر"]
"""


def table(ws, months: int, govs: list[str], first_year: int = 1990) -> int:
    """Months down, each governorate over ذكور / إناث across and the country's total; returns the cells."""
    ws["A1"] = "حالات الرعاية حسب النوع والمحافظة"
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=1 + 2 * (len(govs) + 1))
    ws["A3"] = "الشهر"
    for n, gov in enumerate([*govs, "الإجمالي"]):
        ws.cell(row=3, column=2 + 2 * n, value=gov)
        ws.merge_cells(start_row=3, start_column=2 + 2 * n, end_row=3, end_column=3 + 2 * n)
        ws.cell(row=4, column=2 + 2 * n, value="ذكور")
        ws.cell(row=4, column=3 + 2 * n, value="إناث")
    cells = 0
    for m in range(months):
        row = 5 + m
        ws.cell(row=row, column=1, value=f"{MONTHS[m % 12]} {first_year + m // 12}")
        males = females = 0
        for n in range(len(govs)):
            male, female = 100 + (m * 7 + n * 13) % 900, 90 + (m * 11 + n * 5) % 800
            ws.cell(row=row, column=2 + 2 * n, value=male)
            ws.cell(row=row, column=3 + 2 * n, value=female)
            males, females = males + male, females + female
        ws.cell(row=row, column=2 + 2 * len(govs), value=males)
        ws.cell(row=row, column=3 + 2 * len(govs), value=females)
        cells += 2 * (len(govs) + 1)
    ws.cell(row=6 + months, column=1, value="المصدر: بيانات تجريبية للقياس")
    return cells


def setup(root: Path) -> tuple[Path, Path, int]:
    raw = root / "raw"
    raw.mkdir()
    text = (PROJECT / "indicators.yaml").read_text(encoding="utf-8")
    (root / "indicators.yaml").write_text(text.replace("indicators:\n", "indicators:\n" + INDICATOR, 1), encoding="utf-8")
    wb = openpyxl.Workbook()
    wb.active.title = "جدول 1"
    cells = table(wb.active, 420, GOVERNORATES)              # 35 years of months × 24 columns: 10,080 cells
    wb.save(raw / "big.xlsx")
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for n in range(1, 201):
        table(wb.create_sheet(f"جدول {n}"), 12, GOVERNORATES[:3], first_year=2000 + n % 20)
    wb.save(raw / "book.xlsx")
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for n in range(1, 200):
        ws = wb.create_sheet(f"ملاحظات {n}")
        for r in range(1, 11):
            ws.cell(row=r, column=1, value=f"ملاحظة {r} على الجدول {n}")
    table(wb.create_sheet("جدول 200"), 12, GOVERNORATES[:3])
    wb.save(raw / "notes.xlsx")
    return raw / "big.xlsx", raw / "book.xlsx", cells


def timed(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} cores)")
    with tempfile.TemporaryDirectory(prefix="bench-tables-") as tmp:
        root = Path(tmp)
        big, book, cells = setup(root)
        cat = load_catalogue(root / "indicators.yaml")
        recipe = big.with_name("big.layout.yaml")

        def read():
            records, issues = extract_file(big, cat)
            assert not issues and len(records) == cells, issues[:3]
            return records

        recipe.write_text(RECIPE.format(sheet="جدول 1"), encoding="utf-8")
        t_read = timed(read, args.runs)
        t_checked = timed(lambda: validate(read(), cat), args.runs)
        recipe.unlink()

        def drafted(path: Path, sheet=None):
            d = draft(path, cat, sheet=sheet, source="om_mosd_briefing_2024")
            shown = preview(path, d.text(), cat)
            assert shown.ok, [str(i) for i in shown.issues[:3]]
            return shown

        t_draft = timed(lambda: drafted(big), args.runs)
        spi = [str(PROJECT / ".venv" / "bin" / "spi"), "--project", str(root), "recipe", "draft", str(big), "--source",
               "om_mosd_briefing_2024", "--out"]
        outs = iter(range(1000))

        def child():
            done = subprocess.run([*spi, str(root / f"draft-{next(outs)}.yaml")], capture_output=True, text=True)
            assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
        t_child = timed(child, args.runs)

        book.with_name("book.layout.yaml").write_text(RECIPE.format(sheet="جدول 137"), encoding="utf-8")

        def read_book():
            records, issues = extract_file(book, cat)
            assert not issues and len(records) == 12 * 8, issues[:3]
        t_book = timed(read_book, args.runs)
        book.with_name("book.layout.yaml").unlink()
        t_book_draft = timed(lambda: drafted(book, "جدول 137"), args.runs)
        t_scan = timed(lambda: drafted(root / "raw" / "notes.xlsx"), args.runs)

    print(f"1. a table of {cells:,} cells (420 months down, 24 columns) read by the build's reader: {t_read:.3f} s "
          f"(target < 1 s); read and checked by the validator: {t_checked:.3f} s")
    print(f"2. spi recipe draft on it: {t_draft:.3f} s in process (draft, then the preview: read and checked); "
          f"{t_child:.3f} s as a child process of .venv/bin/spi (target < 2 s)")
    print(f"3. a workbook of 200 sheets (96 cells each), the recipe's pattern matching one: read {t_book:.3f} s "
          f"(target < 3 s); drafted with --sheet: {t_book_draft:.3f} s; without --sheet, in a workbook whose only "
          f"sheet with figures is the last of 200 (199 of notes before it): {t_scan:.3f} s")
    print(f"median of {args.runs}; load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
