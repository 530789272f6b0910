"""`spi recipe draft FILE`: a recipe drafted from a table as printed, that `spi build` then loads.

Each table is a synthetic workbook (or CSV) written into a temp project (a copy of the shipped
sources, and the shipped catalogue with three test indicators that name the table in their
`files:`), never into data/raw/. The draft is made by `spi recipe draft` (in process through
spi.cli.main, and once as a child process of .venv/bin/spi); its keys are asserted, and then
`spi build`'s own build() loads every figure of the table right: value, place, period,
breakdown, status and the cell it came from. The tables: the README's yearbook table; a monthly
table with the year over its months in the Syriac and the standard series and in English, with
and without the year's total; months with the year in the cell, or only in the title; a
quarterly table; a transposed table (places across, indicators down); periods down and places
across; a stock beside a total of its months; a table with its labels in column B, a header in
English, a title in three rows and a scale; a CSV; and a table whose labels the catalogue does
not know (the "could not place" list, exit 1, no traceback)."""
from __future__ import annotations

import shutil
import subprocess

import duckdb
import openpyxl
import pytest
import yaml

from etl.build import build
from spi.cli import main

TEST_INDICATORS = """  om_draft_services:
    topic: social_security
    country: OM
    files: [{file}]
    unit: services
    measure: flow
    name: {ar: الخدمات المقدمة شهريا, en: Services delivered each month}
    definition: {ar: خدمات قدمت خلال الشهر., en: Services delivered in the month.}
  om_draft_cases:
    topic: social_security
    country: OM
    files: [{file}]
    unit: cases
    measure: stock
    breakdowns: [sex]
    name: {ar: حالات الرعاية حسب النوع, en: Care cases by sex}
    definition: {ar: الحالات في نهاية الفترة., en: Cases at the end of the period.}
  jo_draft_beneficiaries:
    topic: social_security
    country: JO
    files: [{file}]
    unit: beneficiaries
    measure: stock
    breakdowns: [sex]
    name: {ar: المستفيدون من المعونة حسب النوع, en: Aid beneficiaries by sex}
    definition: {ar: المستفيدون في نهاية الفترة., en: Beneficiaries at the end of the period.}
"""
SOURCE = "om_mosd_briefing_2024"
SYRIAC = ["كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول", "تشرين الأول",
          "تشرين الثاني", "كانون الأول"]
STANDARD = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر",
            "ديسمبر"]
ENGLISH = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"]
OMAN = {"OM-MA": "مسقط", "OM-ZU": "ظفار", "OM-DA": "الداخلية", "OM-BS": "محافظة شمال الباطنة"}


@pytest.fixture
def project(tmp_path, paths):
    """A project: the shipped sources in raw/ and the catalogue with the three test indicators,
    whose files are table.xlsx (`project(file)` for another name)."""
    shutil.copytree(paths.raw, tmp_path / "raw")

    def named(file: str = "table.xlsx"):
        text = paths.catalogue.read_text(encoding="utf-8")
        text = text.replace("indicators:\n", "indicators:\n" + TEST_INDICATORS.replace("{file}", file), 1)
        (tmp_path / "indicators.yaml").write_text(text, encoding="utf-8")
        return tmp_path
    named()
    return named


def _save(path, rows: list[list], merged=(), title: str = "جدول 1", hidden_cols=(), before=(), after=()):
    """A workbook whose sheet `title` holds `rows` from A1 (None: an empty cell), with merged ranges;
    sheets named in `before` and `after` hold a line of text each."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name in before:
        wb.create_sheet(name)["A1"] = "فهرس الجداول"
    ws = wb.create_sheet(title)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                ws.cell(row=r, column=c, value=value)
    for block in merged:
        ws.merge_cells(block)
    for letter in hidden_cols:
        ws.column_dimensions[letter].hidden = True
    for name in after:
        wb.create_sheet(name)["A1"] = "ملاحظات"
    wb.save(path)
    return path


def _draft(capsys, root, file, *args) -> tuple[int, str, str, dict | None]:
    """`spi recipe draft` in process: (exit, stdout, stderr, the recipe written beside the file)."""
    code = main(["--project", str(root), "recipe", "draft", str(file), *args])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    recipe = file.with_name(file.stem + ".layout.yaml")
    return code, out, err, yaml.safe_load(recipe.read_text(encoding="utf-8")) if recipe.exists() else None


def _built(root, indicator: str, *columns: str) -> set[tuple]:
    result = build(root / "raw", root / "indicators.yaml", root / "out")
    assert result.ok, "\n".join(map(str, result.issues))
    con = duckdb.connect(str(root / "out" / "indicators.duckdb"), read_only=True)
    try:
        return set(con.execute(f"SELECT {', '.join(columns)} FROM observations WHERE indicator_id = ?",
                               [indicator]).fetchall())
    finally:
        con.close()


# -- the README's yearbook table ------------------------------------------------------------------------

def _yearbook(path, govs=OMAN):
    """Cases by governorate and sex for 2022 and 2023* (provisional), a title merged over three
    rows, the governorate heading merged down the header, a total row and column, `..` for a figure
    not available, and notes under the table."""
    rows = [["جدول 3-1: حالات الرعاية حسب النوع والمحافظة"], [], [], [],
            ["المحافظة", "2022", None, None, "2023*", None, None],
            [None, "ذكور", "إناث", "الإجمالي", "ذكور", "إناث", "الإجمالي"]]
    expected, sums = {}, [0] * 6
    for n, (code, gov) in enumerate(govs.items()):
        cells = [100 + n, 80 + n, 180 + 2 * n, 110 + n, 90 + n, 200 + 2 * n]
        if n == 1:
            cells[4] = cells[5] = ".."
        rows.append([gov, *cells])
        for k, (year, sex) in enumerate([(y, s) for y in ("2022", "2023") for s in ("male", "female", None)]):
            value = cells[k] if cells[k] != ".." else None
            status = "not_available" if cells[k] == ".." else "provisional" if year == "2023" else None
            expected[(code, year, sex)] = (value, status)
            sums[k] += value or 0
    sums[5] = sums[3] + sums[4]
    rows.append(["الإجمالي", *sums])
    for k, (year, sex) in enumerate([(y, s) for y in ("2022", "2023") for s in ("male", "female", None)]):
        expected[("OM", year, sex)] = (sums[k], "provisional" if year == "2023" else None)
    rows += [[], ["المصدر: وزارة التنمية الاجتماعية، الكتاب الإحصائي السنوي"], ["* بيانات أولية"]]
    _save(path, rows, merged=("A1:G3", "A5:A6", "B5:D5", "E5:G5"), title="جدول 3-1")
    return expected


def test_the_readme_yearbook_table_is_drafted_and_loads_unedited(project, capsys):
    root = project()
    expected = _yearbook(root / "raw" / "table.xlsx")
    code, out, err, recipe = _draft(capsys, root, root / "raw" / "table.xlsx", "--source", SOURCE)
    assert code == 0, out + err
    assert recipe == {"sheet": "جدول 3-1", "indicator": "om_draft_cases", "source": SOURCE, "header_rows": [5, 6],
                      "columns": ["period", "sex"], "label_column": "A", "rows": "geo", "totals": ["الإجمالي"],
                      "skip": ["^المصدر", "^\\*"], "marks": {"*": "provisional"}, "codes": {"..": "not_available"}}
    text = (root / "raw" / "table.layout.yaml").read_text(encoding="utf-8")
    assert "# row 5: years 2022, 2023*; row 6: ذكور, إناث (sex), الإجمالي (the total)" in text
    assert "(places of OM), الإجمالي (the total: the country)" in text
    assert "B7 → om_draft_cases, OM-MA (مسقط), 2022, male, 100, -" in out
    assert "F8 → om_draft_cases, OM-ZU (ظفار), 2023, female, -, not_available" in out
    assert f"{len(expected)} figure(s) read, {len(expected)} pass every check" in out
    got = _built(root, "om_draft_cases", "geo_code", "period", "sex", "value", "status")
    assert got == {(g, p, s, v, st) for (g, p, s), (v, st) in expected.items()}
    assert _built(root, "om_draft_cases", "source_sheet", "source_row", "source_column", "value") >= \
        {("جدول 3-1", 7, "B", 100), ("جدول 3-1", 11, "D", 732), ("جدول 3-1", 8, "F", None)}


def test_the_draft_as_a_child_process_of_spi(project, paths):
    root = project()
    _yearbook(root / "raw" / "table.xlsx")
    done = subprocess.run([str(paths.spi), "recipe", "draft", "raw/table.xlsx", "--source", SOURCE], cwd=root,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "wrote raw/table.layout.yaml" in done.stdout and "Traceback" not in done.stderr
    assert "E7 → om_draft_cases, OM-MA (مسقط), 2023, male, 110, provisional" in done.stdout
    # a second draft never overwrites the first: refused, or written elsewhere with --out
    before = (root / "raw" / "table.layout.yaml").read_bytes()
    again = subprocess.run([str(paths.spi), "recipe", "draft", "raw/table.xlsx"], cwd=root, capture_output=True,
                           text=True, timeout=120)
    assert again.returncode == 1 and "is never overwritten; nothing written" in again.stderr
    assert (root / "raw" / "table.layout.yaml").read_bytes() == before
    elsewhere = subprocess.run([str(paths.spi), "recipe", "draft", "raw/table.xlsx", "--source", SOURCE, "--out",
                                str(root / "draft.yaml")], cwd=root, capture_output=True, text=True, timeout=120)
    assert elsewhere.returncode == 0, elsewhere.stderr
    assert (root / "draft.yaml").read_bytes() == before


# -- monthly tables ------------------------------------------------------------------------------------

def _monthly(path, months: list[str], *, year_row=True, year_in_cell=False, total: str | None = None,
             title="الخدمات المقدمة شهريا حسب المحافظة", govs=OMAN):
    """Governorates down, months across (a year in the row above, in each cell, or in the title
    only), figures the month × 10 + the governorate's place; a year's total when `total` heads it."""
    width = 12 + (1 if total else 0)
    rows = [[title], [], [None, "2024"] if year_row else [], ["المحافظة"]]
    rows[3] += [f"{m} 2024" if year_in_cell else m for m in months] + ([total] if total else [])
    expected = {}
    for n, (code, gov) in enumerate(govs.items()):
        cells = [m * 10 + n for m in range(1, 13)]
        expected.update({(code, f"2024-{m:02d}"): m * 10 + n for m in range(1, 13)})
        if total:
            cells.append(sum(cells))
            expected[(code, "2024")] = sum(cells[:12])
        rows.append([gov, *cells])
    rows += [[], ["المصدر: وزارة التنمية الاجتماعية"]]
    merged = [f"B3:{openpyxl.utils.get_column_letter(1 + width)}3"] if year_row else []
    _save(path, rows, merged=merged, title="جدول 5")
    return expected


@pytest.mark.parametrize("months, total", [(SYRIAC, "المجموع"), (STANDARD, None), (ENGLISH, "Total")],
                         ids=["syriac-with-total", "standard", "english-with-total"])
def test_a_year_over_its_months_with_and_without_the_years_total(project, capsys, months, total):
    root = project()
    expected = _monthly(root / "raw" / "table.xlsx", months, total=total)
    code, out, err, recipe = _draft(capsys, root, root / "raw" / "table.xlsx", "--source", SOURCE)
    assert code == 0, out + err
    assert recipe["indicator"] == "om_draft_services"        # the title names it
    assert (recipe["header_rows"], recipe["columns"], recipe["rows"]) == ([3, 4], ["year", "month"], "geo")
    assert recipe.get("totals") == ([total] if total else None)   # a flow's year beside its months: kept, checked
    assert recipe["skip"] == ["^المصدر"]
    got = _built(root, "om_draft_services", "geo_code", "period", "value")
    assert got == {(g, p, v) for (g, p), v in expected.items()}


def test_months_with_their_year_in_the_cell_or_in_the_title(project, capsys):
    root = project()
    expected = _monthly(root / "raw" / "table.xlsx", STANDARD, year_row=False, year_in_cell=True)
    code, out, err, recipe = _draft(capsys, root, root / "raw" / "table.xlsx", "--source", SOURCE)
    assert code == 0, out + err
    assert (recipe["header_rows"], recipe["columns"]) == ([4], ["period"]) and "year" not in recipe
    assert _built(root, "om_draft_services", "geo_code", "period", "value") == {(g, p, v) for (g, p), v in expected.items()}
    (root / "raw" / "table.layout.yaml").unlink()
    _monthly(root / "raw" / "table.xlsx", SYRIAC, year_row=False, title="الخدمات المقدمة شهريا، عام 2024")
    code, out, err, recipe = _draft(capsys, root, root / "raw" / "table.xlsx", "--source", SOURCE)
    assert code == 0, out + err
    assert (recipe["columns"], recipe["year"]) == (["month"], 2024)
    assert _built(root, "om_draft_services", "geo_code", "period", "value") == {(g, p, v) for (g, p), v in expected.items()}


def test_a_stock_beside_a_total_of_its_months_leaves_the_total_out(project, capsys):
    root = project()
    _monthly(root / "raw" / "table.xlsx", STANDARD, total="المجموع")
    code, out, err, recipe = _draft(capsys, root, root / "raw" / "table.xlsx", "--indicator", "om_draft_cases",
                                    "--source", SOURCE)
    assert code == 0, out + err
    assert recipe["skip_columns"] == ["المجموع"] and "totals" not in recipe
    assert "totals a stock's months (counted on a day), which is not a figure: left out" in err
    got = _built(root, "om_draft_cases", "period")
    assert {p for (p,) in got} == {f"2024-{m:02d}" for m in range(1, 13)}


def test_a_quarterly_table(project, capsys):
    root = project()
    quarters = ["الربع الأول", "الربع الثاني", "الربع الثالث", "الربع الرابع"]
    rows = [["الخدمات المقدمة شهريا حسب الربع"], [], ["المحافظة", "2023", None, None, None, "2024"], [None, *quarters * 2]]
    for n, gov in enumerate(OMAN.values()):
        rows.append([gov, *[(c + 1) * 100 + n for c in range(8)]])
    _save(root / "raw" / "table.xlsx", rows, merged=("B3:E3", "F3:I3", "A3:A4"))
    code, out, err, recipe = _draft(capsys, root, root / "raw" / "table.xlsx", "--source", SOURCE)
    assert code == 0, out + err
    assert (recipe["header_rows"], recipe["columns"], recipe["rows"]) == ([3, 4], ["year", "quarter"], "geo")
    got = _built(root, "om_draft_services", "geo_code", "period", "value")
    assert got == {(code, f"{2023 + c // 4}-Q{c % 4 + 1}", (c + 1) * 100 + n)
                   for n, code in enumerate(OMAN) for c in range(8)}


# -- any dimension across or down ------------------------------------------------------------------------

def test_a_transposed_table_places_across_indicators_down_the_period_in_the_title(project, capsys):
    root = project()
    codes = list(OMAN)[:3]
    rows = [["ملخص المؤشرات حسب المحافظة، مارس 2024"], [], ["المؤشر", *[OMAN[c] for c in codes]],
            ["الخدمات المقدمة شهريا", 5, 6, 7], ["om_draft_cases", 50, 60, 70]]
    _save(root / "raw" / "table.xlsx", rows, title="ملخص")
    code, out, err, recipe = _draft(capsys, root, root / "raw" / "table.xlsx", "--source", SOURCE)
    assert code == 0, out + err
    assert "indicator" not in recipe
    assert (recipe["period"], recipe["columns"], recipe["rows"]) == ("2024-03", ["geo"], "indicator")
    assert _built(root, "om_draft_services", "geo_code", "period", "value") == \
        {(c, "2024-03", v) for c, v in zip(codes, (5, 6, 7))}
    assert _built(root, "om_draft_cases", "geo_code", "value") == {(c, v) for c, v in zip(codes, (50, 60, 70))}


def test_periods_down_places_across_in_english(project, capsys):
    root = project()
    rows = [["Services delivered each month, by governorate"], ["Month", "Muscat", "Dhofar", "Al Wusta"]]
    for r, month in enumerate(ENGLISH[:6], start=1):
        rows.append([f"{month} 2024", r, r * 10, r * 100])
    rows += [[], ["Source: Ministry of Social Development"]]
    _save(root / "raw" / "table.xlsx", rows, title="Table 5")
    code, out, err, recipe = _draft(capsys, root, root / "raw" / "table.xlsx", "--source", SOURCE)
    assert code == 0, out + err
    assert (recipe["header_rows"], recipe["columns"], recipe["rows"], recipe["skip"]) == \
        ([2], ["geo"], "period", ["^Source"])
    assert "A3 → om_draft_services" not in out and "B3 → om_draft_services, OM-MA (مسقط), 2024-01, -, 1, -" in out
    got = _built(root, "om_draft_services", "period", "geo_code", "value")
    assert got == {(f"2024-{r:02d}", g, r * k) for r in range(1, 7) for g, k in (("OM-MA", 1), ("OM-ZU", 10),
                                                                                  ("OM-WU", 100))}


def test_labels_in_column_b_a_header_in_english_a_title_of_three_rows_and_a_scale(project, capsys):
    """Jordan: the source is the only one about Jordan; the figures are in thousands."""
    root = project()
    rows = [[None, "Table 7"], [None, "Aid beneficiaries by governorate and sex, 2024"], [None, "(in thousands)"],
            [None, "Governorate", "Male", "Female", "Total"],
            [None, "Amman", 10, 12, 22], [None, "Irbid", 5, 6, 11], [None, "Zarqa", "-", 4, "-"],
            [None, "Total", 15, 22, 37], [None, "Note: rounded figures"]]
    _save(root / "raw" / "table.xlsx", rows, title="Sheet1")
    code, out, err, recipe = _draft(capsys, root, root / "raw" / "table.xlsx")
    assert code == 0, out + err
    assert recipe == {"sheet": "Sheet1", "indicator": "jo_draft_beneficiaries", "source": "jo_emv_annual_2024",
                      "period": "2024", "header_rows": [4], "columns": ["sex"], "label_column": "B", "rows": "geo",
                      "totals": ["Total"], "skip": ["^Note"], "codes": {"-": "not_available"}, "scale": 1000}
    assert "C5 → jo_draft_beneficiaries, JO-AM (العاصمة), 2024, male, 10000, -" in out
    got = _built(root, "jo_draft_beneficiaries", "geo_code", "sex", "value", "status")
    assert ("JO-AM", "female", 12000, None) in got and ("JO-AZ", "male", None, "not_available") in got
    assert ("JO", None, 37000, None) in got and len(got) == 12


def test_a_csv_table(project, capsys):
    root = project("table.csv")
    lines = ["الخدمات المقدمة شهريا حسب المحافظة", ",2024,,", "المحافظة,كانون الثاني,شباط,آذار"]
    lines += [f"{gov},{n + 1},{n + 2},{n + 3}" for n, gov in enumerate(OMAN.values())]
    (root / "raw" / "table.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err, recipe = _draft(capsys, root, root / "raw" / "table.csv", "--source", SOURCE)
    assert code == 0, out + err
    # a CSV cannot merge: the year printed once over the months to its right is the table's year
    assert (recipe["sheet"], recipe["year"], recipe["header_rows"], recipe["columns"]) == ("*", 2024, [3], ["month"])
    assert _built(root, "om_draft_services", "geo_code", "period", "value") == \
        {(g, f"2024-{m:02d}", n + m) for n, g in enumerate(OMAN) for m in (1, 2, 3)}


# -- what it leaves out, and what it says ------------------------------------------------------------

def test_serial_numbers_names_beside_the_figures_a_hidden_column_another_sheet_and_a_unit(project, capsys):
    root = project()
    rows = [["حالات الرعاية حسب النوع، 2023 (بالريال العماني)"], [],
            ["م", "المحافظة", "ذكور", "إناث", "قديم", "Governorate"]]
    for n, (code, gov) in enumerate(OMAN.items()):
        rows.append([n + 1, gov, 10 + n, 20 + n, 999, ["Muscat", "Dhofar", "Ad Dakhiliyah", "North Al Batinah"][n]])
    _save(root / "raw" / "table.xlsx", rows, hidden_cols=("E",), title="جدول 2", before=("الفهرس",))
    code, out, err, recipe = _draft(capsys, root, root / "raw" / "table.xlsx", "--source", SOURCE)
    assert code == 0, out + err
    assert (recipe["sheet"], recipe["label_column"], recipe["skip_columns"], recipe["hidden"], recipe["period"]) == \
        ("جدول 2", "B", ["A", "F"], "skip", "2023")
    text = (root / "raw" / "table.layout.yaml").read_text(encoding="utf-8")
    assert "the others, not read: الفهرس" in text and "# unit: cases" not in text
    assert '# unit: omr' in text and "(بالريال العماني)" in text
    assert _built(root, "om_draft_cases", "geo_code", "sex", "value") == \
        {(g, s, v + n) for n, g in enumerate(OMAN) for s, v in (("male", 10), ("female", 20))}


def test_a_table_whose_labels_match_nothing_is_listed_and_does_not_load(project, capsys):
    root = project()
    rows = [["جدول بلا عنوان معروف"], [], ["المنطقة", "أ", "ب", "ج"], ["الواحة الخضراء", 1, 2, 3],
            ["المدينة الزرقاء", 4, 5, 6]]
    _save(root / "raw" / "table.xlsx", rows)
    code, out, err, recipe = _draft(capsys, root, root / "raw" / "table.xlsx")
    assert code == 1
    assert "could not place:" in out and "row 3 (B3:D3): 'أ', 'ب', 'ج' match no place" in out
    assert "column A (A4:A5): 'الواحة الخضراء', 'المدينة الزرقاء' match no place" in out
    assert recipe["indicator"] == "REPLACE_ME" and recipe["columns"] == ["REPLACE_ME"]
    assert "the recipe has `indicator: REPLACE_ME`, so it will not load" in err and "the draft does not load yet" in err
    text = (root / "raw" / "table.layout.yaml").read_text(encoding="utf-8")
    assert "# could not place: row 3 (B3:D3)" in text


def test_an_unknown_indicator_or_sheet_is_refused_with_the_closest_name(project, capsys):
    root = project()
    _yearbook(root / "raw" / "table.xlsx")
    code, out, err, recipe = _draft(capsys, root, root / "raw" / "table.xlsx", "--indicator", "om_draft_case")
    assert (code, recipe) == (1, None)
    assert "unknown indicator 'om_draft_case' (did you mean 'om_draft_cases'?)" in err and "nothing written" in err
    code, out, err, recipe = _draft(capsys, root, root / "raw" / "table.xlsx", "--sheet", "جدول 3-2")
    assert (code, recipe) == (1, None) and "did you mean 'جدول 3-1'?" in err


def test_years_printed_once_each_and_not_merged_are_listed_and_never_a_traceback(project, capsys):
    """Two years, each over its months and a total, merged over the months only: the reader reads a
    header cell over its own column, so the totals' columns have no year; the draft says so."""
    root = project()
    rows = [["الخدمات المقدمة شهريا"], [None, "2023", None, None, "2024"],
            ["المحافظة", "يناير", "فبراير", "المجموع", "يناير", "فبراير", "المجموع"], ["مسقط", 1, 2, 3, 4, 5, 9]]
    _save(root / "raw" / "table.xlsx", rows, merged=("B2:C2", "E2:F2"))
    code, out, err, recipe = _draft(capsys, root, root / "raw" / "table.xlsx", "--source", SOURCE)
    assert code == 1 and recipe["columns"] == ["year", "month"]
    assert "row 2 prints 2023, 2024 each once, not merged over the columns it heads (D2, G2 have none)" in out


def test_several_sheets_the_first_with_figures_or_the_one_named_and_the_sources_listed(project, capsys):
    root = project()
    _yearbook(root / "raw" / "table.xlsx")
    wb = openpyxl.load_workbook(root / "raw" / "table.xlsx")
    wb.create_sheet("الفهرس", 0)["A1"] = "فهرس الجداول"
    hidden = wb.copy_worksheet(wb["جدول 3-1"])
    hidden.title = "جدول 3-1 (قديم)"
    hidden.sheet_state = "hidden"
    wb.move_sheet(hidden, -2)
    other = wb.copy_worksheet(wb["جدول 3-1"])
    other.title = "جدول 3-2"
    wb.save(root / "raw" / "table.xlsx")
    code, out, err, recipe = _draft(capsys, root, root / "raw" / "table.xlsx")
    assert code == 1 and (recipe["sheet"], recipe["source"]) == ("جدول 3-1", "REPLACE_ME")
    text = (root / "raw" / "table.layout.yaml").read_text(encoding="utf-8")
    assert "the first sheet not hidden that has figures (the others, not read: جدول 3-1 (قديم), الفهرس, جدول 3-2)" in text
    assert "3 sources about OM: om_mosd_welfare_2021" in text and "om_mosd_briefing_2024" in text
    assert "the recipe has `source: REPLACE_ME`, so it will not load" in err
    (root / "raw" / "table.layout.yaml").unlink()
    code, out, err, recipe = _draft(capsys, root, root / "raw" / "table.xlsx", "--sheet", "جدول 3-2", "--source", SOURCE)
    assert code == 0 and recipe["sheet"] == "جدول 3-2", out + err


def test_a_file_the_built_in_layouts_read_needs_no_recipe_and_outside_a_project_it_says_so(project, capsys,
                                                                                           tmp_path_factory, monkeypatch):
    root = project()
    code, out, err, recipe = _draft(capsys, root, root / "raw" / "jo_social_protection_2024.csv")
    assert (code, recipe) == (0, None)
    assert "jo_social_protection_2024.csv needs no recipe: the built-in layouts" in out and "nothing written" in out
    monkeypatch.chdir(tmp_path_factory.mktemp("outside"))
    monkeypatch.delenv("SPI_PROJECT", raising=False)
    assert main(["recipe", "draft", "x.xlsx"]) == 2
    assert "spi recipe: no indicators.yaml in this folder or above it" in capsys.readouterr().err


def test_two_label_columns_a_subheading_and_a_note_the_reader_cannot_leave_out(project, capsys):
    root = project()
    rows = [["حالات الرعاية حسب النوع والمحافظة"], [], ["المحافظة", "النوع", "2022", "2023"],
            ["محافظات الساحل"], ["مسقط", "ذكور", 1, 2], [None, "إناث", 3, 4], ["ظفار", "ذكور", 5, 6], [None, "إناث", 7, 8]]
    _save(root / "raw" / "table.xlsx", rows, merged=("A5:A6", "A7:A8"))
    code, out, err, recipe = _draft(capsys, root, root / "raw" / "table.xlsx", "--source", SOURCE)
    assert code == 0, out + err
    assert (recipe["label_columns"], recipe["rows"], recipe["columns"], recipe["skip"]) == \
        (["A", "B"], ["geo", "sex"], ["period"], ["^محافظات\\ الساحل$"])
    assert _built(root, "om_draft_cases", "geo_code", "period", "sex", "value") == \
        {("OM-MA", "2022", "male", 1), ("OM-MA", "2023", "male", 2), ("OM-MA", "2022", "female", 3),
         ("OM-MA", "2023", "female", 4), ("OM-ZU", "2022", "male", 5), ("OM-ZU", "2023", "male", 6),
         ("OM-ZU", "2022", "female", 7), ("OM-ZU", "2023", "female", 8)}
    # a note left of the label column: `skip:` reads the row's first printed cell, in any column
    (root / "raw" / "table.layout.yaml").unlink()
    _save(root / "raw" / "table.xlsx", [[None, "حالات الرعاية حسب النوع، 2023"], [None, "المحافظة", "ذكور", "إناث"],
                                        [None, "مسقط", 1, 2], ["المصدر: وزارة التنمية الاجتماعية"]])
    code, out, err, recipe = _draft(capsys, root, root / "raw" / "table.xlsx", "--source", SOURCE)
    assert code == 0 and recipe["label_column"] == "B", out + err
    assert recipe["skip"] == ["^المصدر"]
    assert _built(root, "om_draft_cases", "geo_code", "sex", "value") == {("OM-MA", "male", 1), ("OM-MA", "female", 2)}