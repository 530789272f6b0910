"""Tables as ministries print them, read by one model (etl/layouts.py): what the header rows
give across, what the label columns give down, what is the same for the whole table.

Synthetic workbooks and CSVs written into temp dirs (never data/raw/), each built on a copy of
the shipped sources with two test indicators (a monthly flow of services and a stock of cases
by sex). Every case of issue 19: only what was printed is read (hidden sheets, rows and
columns; a second sheet the pattern matches; a merged body cell), marks in one grammar, months
in both Arabic series and English, quarters, a year over months, totals checked against their
parts, a transposed table, periods down, a long CSV about one indicator with words of its own,
and the messages a clerk acts on. A refused table leaves the previous build byte-identical."""
from __future__ import annotations

import shutil

import duckdb
import openpyxl
import pytest

from etl.build import build
from etl.catalogue import load_catalogue

INDICATORS = """  om_test_services:
    topic: social_security
    country: OM
    files: [{file}]
    unit: services
    measure: flow
    name: {ar: خدمات الاختبار الشهرية, en: Monthly test services}
    definition: {ar: خدمات قدمت خلال الشهر., en: Services delivered in the month.}
  om_test_cases:
    topic: social_security
    country: OM
    files: [{file}]
    unit: cases
    measure: stock
    breakdowns: [sex]
    name: {ar: حالات الاختبار حسب النوع, en: Test cases by sex}
    definition: {ar: الحالات في نهاية الفترة., en: Cases at the end of the period.}
"""
SOURCE = "om_mosd_briefing_2024"
SYRIAC = ["كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول", "تشرين الأول",
          "تشرين الثاني", "كانون الأول"]
STANDARD = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر",
            "ديسمبر"]
ENGLISH = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"]


def _catalogue(root, paths, file: str | None = "table.xlsx") -> None:
    """The shipped catalogue, with the two test indicators reading `file` (None: without them)."""
    text = paths.catalogue.read_text(encoding="utf-8")
    if file is not None:
        text = text.replace("indicators:\n", "indicators:\n" + INDICATORS.replace("{file}", file), 1)
    (root / "indicators.yaml").write_text(text, encoding="utf-8")


@pytest.fixture
def project(tmp_path, paths):
    """A copy of the shipped sources and the catalogue with the two test indicators (reading
    table.xlsx); the governorates of Oman (code -> Arabic name)."""
    shutil.copytree(paths.raw, tmp_path / "raw")
    _catalogue(tmp_path, paths)
    cat = load_catalogue(tmp_path / "indicators.yaml")
    return tmp_path, {code: g["ar"] for code, g in cat.geographies["OM"]["governorates"].items()}


def _build(root):
    return build(root / "raw", root / "indicators.yaml", root / "out")


def _rows(root, indicator: str, *columns: str) -> list[tuple]:
    con = duckdb.connect(str(root / "out" / "indicators.duckdb"), read_only=True)
    try:
        return con.execute(f"SELECT {', '.join(columns)} FROM observations WHERE indicator_id = ? ORDER BY ALL",
                           [indicator]).fetchall()
    finally:
        con.close()


def _errors(result) -> list[str]:
    return [str(i) for i in result.issues if i.severity == "error"]


def _refused(root, fingerprint, words: str, file: str = "table.xlsx") -> list[str]:
    """A build of the shipped sources first (without the table); then with the table in place:
    refused with `words`, and that earlier build untouched."""
    from tests.conftest import CATALOGUE
    aside = root / "aside"
    aside.mkdir(exist_ok=True)
    table = root / "raw" / file
    kept = (root / "indicators.yaml").read_text(encoding="utf-8")
    table.rename(aside / file)
    (root / "indicators.yaml").write_text(CATALOGUE.read_text(encoding="utf-8"), encoding="utf-8")
    assert _build(root).ok
    before = {p.name: fingerprint(p) for p in (root / "out").iterdir() if p.is_file() and not p.name.startswith(".")}
    (aside / file).rename(table)
    (root / "indicators.yaml").write_text(kept, encoding="utf-8")
    result = _build(root)
    errors = _errors(result)
    assert not result.ok and any(words in e for e in errors), errors
    assert {p.name: fingerprint(p) for p in (root / "out").iterdir()
            if p.is_file() and not p.name.startswith(".")} == before
    return errors


def _recipe(root, text: str, name: str = "table") -> None:
    (root / "raw" / f"{name}.layout.yaml").write_text(text, encoding="utf-8")


def _monthly(root, govs: dict, months: list[str], *, year_row: bool = True, year_in_cell: bool = False,
             total: str | None = None, sheet: str = "جدول 5") -> dict:
    """Governorates down, months across (a year in the row above, or in each cell), figures
    the month's number × 10 + the governorate's place; a total column when `total` names it."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    ws["A1"] = "الخدمات المقدمة شهريًا حسب المحافظة"
    ws["A3"] = "المحافظة"
    if year_row:
        ws["B3"] = "2024"
        ws.merge_cells(start_row=3, start_column=2, end_row=3, end_column=13 + (1 if total else 0))
    expected = {}
    for m, name in enumerate(months, start=1):
        ws.cell(row=4, column=1 + m, value=f"{name} 2024" if year_in_cell else name)
    if total:
        ws.cell(row=4, column=14, value=total)
    for n, (code, gov) in enumerate(govs.items()):
        row = 5 + n
        ws.cell(row=row, column=1, value=gov)
        for m in range(1, 13):
            ws.cell(row=row, column=1 + m, value=m * 10 + n)
            expected[(code, f"2024-{m:02d}")] = m * 10 + n
        if total:
            ws.cell(row=row, column=14, value=sum(m * 10 + n for m in range(1, 13)))
            expected[(code, "2024")] = sum(m * 10 + n for m in range(1, 13))
    ws.cell(row=5 + len(govs), column=1, value="المصدر: وزارة التنمية الاجتماعية")
    wb.save(root / "raw" / "table.xlsx")
    return expected


MONTHLY = """sheet: "جدول 5"
indicator: om_test_services
source: om_mosd_briefing_2024
header_rows: [3, 4]
columns: [year, month]
rows: geo
skip: ["^المصدر"]
"""


@pytest.mark.parametrize("months", [SYRIAC, STANDARD, ENGLISH], ids=["syriac", "standard", "english"])
def test_a_monthly_table_with_the_year_over_its_months_loads_every_figure(project, months):
    root, govs = project
    expected = _monthly(root, govs, months)
    _recipe(root, MONTHLY)
    result = _build(root)
    assert result.ok, "\n".join(map(str, result.issues))
    got = {(g, p): v for g, p, v in _rows(root, "om_test_services", "geo_code", "period", "value")}
    assert got == expected
    assert _rows(root, "om_test_services", "source_sheet", "source_row", "source_column")[0] == ("جدول 5", 5, "B")


def test_months_with_their_year_in_the_cell_or_the_year_in_the_recipe(project):
    root, govs = project
    expected = _monthly(root, govs, STANDARD, year_row=False, year_in_cell=True)
    _recipe(root, MONTHLY.replace("header_rows: [3, 4]\ncolumns: [year, month]", "header_rows: [4]\ncolumns: [period]"))
    assert _build(root).ok
    assert {(g, p): v for g, p, v in _rows(root, "om_test_services", "geo_code", "period", "value")} == expected
    _monthly(root, govs, SYRIAC, year_row=False)
    _recipe(root, MONTHLY.replace("header_rows: [3, 4]\ncolumns: [year, month]", "header_rows: [4]\ncolumns: [month]\nyear: 2024"))
    assert _build(root).ok
    assert {(g, p): v for g, p, v in _rows(root, "om_test_services", "geo_code", "period", "value")} == expected


def test_a_month_without_its_year_anywhere_is_refused_at_its_header_cell(project, fingerprint):
    root, govs = project
    _monthly(root, govs, STANDARD, year_row=False)
    _recipe(root, MONTHLY.replace("header_rows: [3, 4]\ncolumns: [year, month]", "header_rows: [4]\ncolumns: [month]"))
    errors = _refused(root, fingerprint, "has no year")
    # one line for the cause, at the first month's header cell, with the others counted
    assert len([e for e in errors if "has no year" in e]) == 1, errors
    line = next(e for e in errors if "has no year" in e)
    assert "sheet 'جدول 5', row 4, column 'B'" in line and "11 more cell(s) like it: C4, D4, E4, F4, G4, …" in line


def test_a_year_total_beside_its_months_is_the_years_figure_when_it_is_their_sum(project, fingerprint):
    root, govs = project
    expected = _monthly(root, govs, STANDARD, total="المجموع")
    _recipe(root, MONTHLY + "totals: [المجموع]\n")
    assert _build(root).ok
    assert {(g, p): v for g, p, v in _rows(root, "om_test_services", "geo_code", "period", "value")} == expected
    wb = openpyxl.load_workbook(root / "raw" / "table.xlsx")
    wb.active.cell(row=6, column=14, value=999)                       # a total that is not the sum of the row
    wb.save(root / "raw" / "table.xlsx")
    _refused(root, fingerprint, "the total 999 is not the sum of the 12 figures it totals beside it")


def test_a_total_column_a_recipe_does_not_name_is_said_to_be_a_total(project, fingerprint):
    root, govs = project
    _monthly(root, govs, STANDARD, total="المجموع")
    _recipe(root, MONTHLY)
    _refused(root, fingerprint, "reads as a total: add 'المجموع' to the recipe's `totals:`")
    _recipe(root, MONTHLY + "skip_columns: [المجموع]\n")                # or leave it out
    assert _build(root).ok
    assert not [p for (p,) in _rows(root, "om_test_services", "period") if p == "2024"]


def test_a_quarterly_table_with_the_year_over_its_quarters(project):
    root, govs = project
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "جدول 5"
    ws["A3"], ws["B3"], ws["F3"] = "المحافظة", "2023", "2024"
    ws.merge_cells("B3:E3")
    ws.merge_cells("F3:I3")
    for c, q in enumerate(["الربع الأول", "الربع الثاني", "الربع الثالث", "الربع الرابع"] * 2, start=2):
        ws.cell(row=4, column=c, value=q)
    code, gov = next(iter(govs.items()))
    ws["A5"] = gov
    for c in range(2, 10):
        ws.cell(row=5, column=c, value=c * 100)
    wb.save(root / "raw" / "table.xlsx")
    _recipe(root, MONTHLY.replace("[year, month]", "[year, quarter]"))
    assert _build(root).ok
    assert _rows(root, "om_test_services", "period", "value") == \
        [("2023-Q1", 200), ("2023-Q2", 300), ("2023-Q3", 400), ("2023-Q4", 500),
         ("2024-Q1", 600), ("2024-Q2", 700), ("2024-Q3", 800), ("2024-Q4", 900)]


# -- only what was printed --------------------------------------------------------------------

def _yearbook(root, govs: dict, sheets=("جدول 3-1",)) -> None:
    """Cases by governorate and sex, 2023, with a total row and a total column."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title in sheets:
        ws = wb.create_sheet(title)
        ws["A3"], ws["B3"] = "المحافظة", "2023"
        ws.merge_cells("B3:D3")
        ws["B4"], ws["C4"], ws["D4"] = "ذكور", "إناث", "الإجمالي"
        males = females = 0
        for n, gov in enumerate(govs.values()):
            m, f = 100 + n, 80 + n
            ws.cell(row=5 + n, column=1, value=gov)
            ws.cell(row=5 + n, column=2, value=m)
            ws.cell(row=5 + n, column=3, value=f)
            ws.cell(row=5 + n, column=4, value=m + f)
            males, females = males + m, females + f
        last = 5 + len(govs)
        ws.cell(row=last, column=1, value="الإجمالي")
        for c, v in ((2, males), (3, females), (4, males + females)):
            ws.cell(row=last, column=c, value=v)
    wb.save(root / "raw" / "table.xlsx")


YEARBOOK = """sheet: "جدول 3-*"
indicator: om_test_cases
source: om_mosd_briefing_2024
header_rows: [3, 4]
columns: [period, sex]
rows: geo
totals: [الإجمالي]
"""


def test_a_yearbook_table_with_its_totals_checked_loads(project):
    root, govs = project
    _yearbook(root, govs)
    _recipe(root, YEARBOOK)
    result = _build(root)
    assert result.ok, "\n".join(map(str, result.issues))
    rows = _rows(root, "om_test_cases", "geo_code", "sex", "value")
    assert ("OM", None, sum(180 + 2 * n for n in range(len(govs)))) in rows and len(rows) == 3 * (len(govs) + 1)


def test_a_total_row_that_is_not_the_sum_of_the_governorates_is_refused_with_both_figures(project, fingerprint):
    root, govs = project
    _yearbook(root, govs)
    wb = openpyxl.load_workbook(root / "raw" / "table.xlsx")
    ws = wb.active
    ws.cell(row=5 + len(govs), column=2, value=5)
    wb.save(root / "raw" / "table.xlsx")
    _recipe(root, YEARBOOK)
    males = sum(100 + n for n in range(len(govs)))
    _refused(root, fingerprint, f"the total 5 is not the sum of the {len(govs)} figures it totals beside it ({males:,})")


def test_a_recipe_without_its_totals_says_the_label_is_a_total(project, fingerprint):
    root, govs = project
    _yearbook(root, govs)
    _recipe(root, YEARBOOK.replace("totals: [الإجمالي]\n", ""))
    errors = _refused(root, fingerprint, "reads as a total: add 'الإجمالي' to the recipe's `totals:`")
    assert not [e for e in errors if "did you mean" in e], errors


def test_a_hidden_sheet_the_pattern_matches_is_refused_or_left_out(project, fingerprint):
    root, govs = project
    _yearbook(root, govs, sheets=("جدول 3-1", "جدول 3-1 (قديم)"))
    wb = openpyxl.load_workbook(root / "raw" / "table.xlsx")
    wb["جدول 3-1 (قديم)"].sheet_state = "hidden"
    wb.save(root / "raw" / "table.xlsx")
    _recipe(root, YEARBOOK)
    _refused(root, fingerprint, "are hidden: nobody reading the workbook sees them")
    _recipe(root, YEARBOOK + "hidden: skip\n")
    assert _build(root).ok
    assert {s for (s,) in _rows(root, "om_test_cases", "source_sheet")} == {"جدول 3-1"}


def test_a_pattern_matching_two_tables_is_refused_unless_every_sheet_is_meant(project, fingerprint):
    root, govs = project
    _yearbook(root, govs, sheets=("جدول 3-1", "جدول 3-10"))
    _recipe(root, YEARBOOK)
    _refused(root, fingerprint, "'جدول 3-*' matches 2 sheets (['جدول 3-1', 'جدول 3-10'])")


def test_a_hidden_column_or_row_is_refused_or_left_out(project, fingerprint):
    root, govs = project
    _yearbook(root, govs)
    wb = openpyxl.load_workbook(root / "raw" / "table.xlsx")
    ws = wb.active
    ws.cell(row=3, column=5, value="2022")     # an old year's column, hidden
    ws.cell(row=4, column=5, value="ذكور")
    for n in range(len(govs) + 1):
        ws.cell(row=5 + n, column=5, value=7)
    ws.column_dimensions["E"].hidden = True
    wb.save(root / "raw" / "table.xlsx")
    _recipe(root, YEARBOOK)
    _refused(root, fingerprint, "column 'E'")
    _recipe(root, YEARBOOK + "hidden: skip\n")
    assert _build(root).ok
    assert {p for (p,) in _rows(root, "om_test_cases", "period")} == {"2023"}


def test_a_merged_cell_in_the_body_is_refused_naming_it(project, fingerprint):
    root, govs = project
    _yearbook(root, govs)
    wb = openpyxl.load_workbook(root / "raw" / "table.xlsx")
    ws = wb.active
    ws.cell(row=7, column=2, value=None)
    ws.merge_cells("B6:B7")
    wb.save(root / "raw" / "table.xlsx")
    _recipe(root, YEARBOOK)
    _refused(root, fingerprint, "a merged cell in the body of the table (B6:B7)")


def test_two_marks_on_a_cell_are_refused_in_a_recipe_table_as_in_a_wide_file(project, fingerprint):
    root, govs = project
    _yearbook(root, govs)
    wb = openpyxl.load_workbook(root / "raw" / "table.xlsx")
    wb.active.cell(row=5, column=2, value="100**")
    wb.save(root / "raw" / "table.xlsx")
    _recipe(root, YEARBOOK + 'marks: {"*": provisional}\n')
    _refused(root, fingerprint, "carries more than one mark")


# -- any dimension across or down ----------------------------------------------------------------

def test_a_transposed_table_places_across_indicators_down(project):
    root, govs = project
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "ملخص"
    codes = list(govs)[:3]
    ws["A2"] = "المؤشر"
    for c, code in enumerate(codes, start=2):
        ws.cell(row=2, column=c, value=govs[code])
    ws["A3"] = "خدمات الاختبار الشهرية"            # the indicator by its Arabic name
    ws["A4"] = "om_test_cases"                     # or its id
    for c in range(2, 2 + len(codes)):
        ws.cell(row=3, column=c, value=c)
        ws.cell(row=4, column=c, value=c * 10)
    wb.save(root / "raw" / "table.xlsx")
    _recipe(root, "sheet: ملخص\nsource: om_mosd_briefing_2024\nheader_rows: [2]\ncolumns: [geo]\nrows: indicator\n"
                  "period: 2024-03\n")
    result = _build(root)
    assert result.ok, "\n".join(map(str, result.issues))
    assert _rows(root, "om_test_services", "geo_code", "period", "value") == \
        sorted((code, "2024-03", c) for c, code in enumerate(codes, start=2))
    assert _rows(root, "om_test_cases", "geo_code", "value") == sorted((code, c * 10) for c, code in enumerate(codes, start=2))


def test_periods_down_places_across(project):
    root, govs = project
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "جدول 5"
    codes = list(govs)[:2]
    for c, code in enumerate(codes, start=2):
        ws.cell(row=1, column=c, value=govs[code])
    for r, month in enumerate(SYRIAC[:3], start=2):
        ws.cell(row=r, column=1, value=f"{month} 2024")
        for c in range(2, 4):
            ws.cell(row=r, column=c, value=r * c)
    wb.save(root / "raw" / "table.xlsx")
    _recipe(root, "sheet: جدول 5\nindicator: om_test_services\nsource: om_mosd_briefing_2024\nheader_rows: [1]\n"
                  "columns: [geo]\nrows: period\n")
    assert _build(root).ok
    assert _rows(root, "om_test_services", "period", "geo_code", "value") == \
        sorted((f"2024-{r - 1:02d}", code, r * c) for r in range(2, 5) for c, code in enumerate(codes, start=2))


# -- a long CSV about one indicator, with its own words --------------------------------------------

def test_a_long_csv_for_one_indicator_with_its_own_status_and_total_words(project, paths):
    root, govs = project
    _catalogue(root, paths, "table.csv")
    code = next(iter(govs))
    (root / "raw" / "table.csv").write_text(
        "المحافظة,الفترة,النوع,القيمة,الحالة\n"
        f"{code},2024,ذكور,10,نهائي\n{code},2024,إناث,12,أولي\n{code},2024,المجموع,22,نهائي\n", encoding="utf-8")
    _recipe(root, "layout: columns\nsheet: data\nfigures: value\nindicator: om_test_cases\n"
                  "source: om_mosd_briefing_2024\nrename: {المحافظة: geo, الفترة: period, النوع: sex, القيمة: value, "
                  "الحالة: status}\nstatuses: {نهائي: final}\ntotals: [المجموع]\n")
    result = _build(root)
    assert result.ok, "\n".join(map(str, result.issues))
    assert _rows(root, "om_test_cases", "sex", "value", "status") == \
        [("female", 12, "provisional"), ("male", 10, None), (None, 22, None)]


def test_a_columns_recipe_without_the_indicator_says_what_to_add(project, paths):
    root, govs = project
    _catalogue(root, paths, "table.csv")
    code = next(iter(govs))
    (root / "raw" / "table.csv").write_text(f"geo,period,value,source_id\n{code},2024,10,{SOURCE}\n", encoding="utf-8")
    _recipe(root, "layout: columns\nsheet: data\nfigures: value\n")
    result = _build(root)
    assert not result.ok
    assert any("missing column(s) ['indicator_id']" in e and "`indicator:`" in e for e in _errors(result)), _errors(result)


def test_a_status_column_and_a_code_in_the_cell_that_disagree_are_refused(project, paths):
    root, govs = project
    _catalogue(root, paths, "table.csv")
    code = next(iter(govs))
    (root / "raw" / "table.csv").write_text(
        f"indicator_id,geo,period,value,source_id,status\nom_test_services,{code},2024-01,..,{SOURCE},أولي\n",
        encoding="utf-8")
    result = _build(root)
    assert any("the cell says not_available, its row or column provisional" in e for e in _errors(result)), \
        _errors(result)


# -- messages a clerk acts on ------------------------------------------------------------------------

def test_a_workbook_no_recipe_reads_says_how_to_describe_it(project):
    root, govs = project
    _yearbook(root, govs)
    result = _build(root)
    line = next(e for e in _errors(result) if "table.xlsx" in e)
    assert "no recipe reads this workbook" in line and "spi recipe draft table.xlsx" in line
    assert "table.layout.yaml" in line and "long layout" in line and "rename" not in line


def test_a_mistyped_indicator_in_a_recipe_gets_the_closest_name(project):
    root, govs = project
    _yearbook(root, govs)
    _recipe(root, YEARBOOK.replace("om_test_cases", "om_test_case"))
    assert any("unknown indicator 'om_test_case' (did you mean 'om_test_cases'?)" in e for e in _errors(_build(root)))


def test_a_recipe_changed_alone_is_another_build(project):
    """The build id (which every cache and ETag keys on) takes in the recipes as well as the files."""
    root, govs = project
    _yearbook(root, govs)
    _recipe(root, YEARBOOK)
    assert _build(root).ok
    first = duckdb.connect(str(root / "out" / "indicators.duckdb"), read_only=True).execute(
        "SELECT build_id, files FROM build_info").fetchone()
    _recipe(root, YEARBOOK + "# a comment\n")
    assert _build(root).ok
    second = duckdb.connect(str(root / "out" / "indicators.duckdb"), read_only=True).execute(
        "SELECT build_id FROM build_info").fetchone()[0]
    assert second != first[0] and "table.layout.yaml" in first[1]


def _xls_twin(xlsx, xls) -> None:
    """The same sheets, cells and merged ranges written as a legacy .xls (Excel 97-2003)."""
    import xlwt
    wb = openpyxl.load_workbook(xlsx)
    book = xlwt.Workbook(encoding="utf-8")
    for ws in wb.worksheets:
        sheet = book.add_sheet(ws.title)
        merged = {(r.min_row, r.min_col): r for r in ws.merged_cells.ranges}
        covered = {(row, col) for r in ws.merged_cells.ranges for row in range(r.min_row, r.max_row + 1)
                   for col in range(r.min_col, r.max_col + 1)}
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is None:
                    continue
                if (cell.row, cell.column) in merged:
                    r = merged[(cell.row, cell.column)]
                    sheet.write_merge(r.min_row - 1, r.max_row - 1, r.min_col - 1, r.max_col - 1, cell.value)
                elif (cell.row, cell.column) not in covered:
                    sheet.write(cell.row - 1, cell.column - 1, cell.value)
    book.save(str(xls))


def test_a_legacy_xls_twin_gives_the_same_figures_and_cells(project, paths):
    root, govs = project
    _yearbook(root, govs)
    _recipe(root, YEARBOOK)
    assert _build(root).ok
    columns = ("geo_code", "period", "sex", "value", "status", "source_sheet", "source_row", "source_column")
    from_xlsx = _rows(root, "om_test_cases", *columns)
    _xls_twin(root / "raw" / "table.xlsx", root / "raw" / "table.xls")
    (root / "raw" / "table.xlsx").unlink()
    _catalogue(root, paths, "table.xls")
    result = _build(root)
    assert result.ok, "\n".join(map(str, result.issues))
    assert _rows(root, "om_test_cases", *columns) == from_xlsx and len(from_xlsx) == 3 * (len(govs) + 1)


def test_an_ods_twin_gives_the_same_figures_and_cells(project, paths):
    from etl.sheets import CellRange
    from tests.test_sheets import write_ods
    root, govs = project
    _yearbook(root, govs)
    _recipe(root, YEARBOOK)
    assert _build(root).ok
    columns = ("geo_code", "period", "sex", "value", "status", "source_sheet", "source_row", "source_column")
    from_xlsx = _rows(root, "om_test_cases", *columns)
    ws = openpyxl.load_workbook(root / "raw" / "table.xlsx").active
    cells = {(c.row, c.column): c.value for row in ws.iter_rows() for c in row if c.value is not None}
    merged = tuple(CellRange(r.min_row, r.min_col, r.max_row, r.max_col) for r in ws.merged_cells.ranges)
    write_ods(root / "raw" / "table.ods", {ws.title: (cells, "visible", merged, set(), set())})
    (root / "raw" / "table.xlsx").unlink()
    _catalogue(root, paths, "table.ods")
    result = _build(root)
    assert result.ok, "\n".join(map(str, result.issues))
    assert _rows(root, "om_test_cases", *columns) == from_xlsx


def test_two_label_columns_give_two_dimensions_down(project):
    """A governorate in column B (column A empty but for a title), its sex in C, half-years across."""
    root, govs = project
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "جدول 7"
    ws["A1"] = "الحالات حسب المحافظة والنوع"
    ws["B3"], ws["C3"], ws["D3"], ws["E3"] = "المحافظة", "النوع", "النصف الأول 2024", "النصف الثاني 2024"
    codes = list(govs)[:2]
    expected = []
    for n, code in enumerate(codes):
        for k, (sex, member) in enumerate((("ذكور", "male"), ("إناث", "female"))):
            row = 4 + 2 * n + k
            ws.cell(row=row, column=2, value=govs[code] if k == 0 else None)
            ws.cell(row=row, column=3, value=sex)
            for c, half in ((4, "2024-H1"), (5, "2024-H2")):
                ws.cell(row=row, column=c, value=row * c)
                expected.append((code, half, member, row * c))
        ws.merge_cells(start_row=4 + 2 * n, start_column=2, end_row=5 + 2 * n, end_column=2)   # the governorate spans its rows
    wb.save(root / "raw" / "table.xlsx")
    _recipe(root, "sheet: جدول 7\nindicator: om_test_cases\nsource: om_mosd_briefing_2024\nheader_rows: [3]\n"
                  "columns: [period]\nlabel_columns: [B, C]\nrows: [geo, sex]\n")
    result = _build(root)
    assert result.ok, "\n".join(map(str, result.issues))
    assert _rows(root, "om_test_cases", "geo_code", "period", "sex", "value") == sorted(expected)


def test_a_printed_table_saved_as_csv_reads_through_the_same_recipe(project, paths):
    root, govs = project
    code, gov = next(iter(govs.items()))
    (root / "raw" / "table.csv").write_text(f"المحافظة,2023,2024*\n{gov},10,12\nالمصدر: الوزارة,,\n", encoding="utf-8")
    _catalogue(root, paths, "table.csv")
    _recipe(root, "sheet: data\nindicator: om_test_services\nsource: om_mosd_briefing_2024\nheader_rows: [1]\n"
                  "columns: [period]\nrows: geo\nskip: ['^المصدر']\n")
    result = _build(root)
    assert result.ok, "\n".join(map(str, result.issues))
    assert _rows(root, "om_test_services", "geo_code", "period", "value", "status", "source_row", "source_column") == \
        [(code, "2023", 10, None, 2, "B"), (code, "2024", 12, "provisional", 2, "C")]


def _sheet(root, rows: list[list], merged=(), title: str = "جدول 9") -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for r, values in enumerate(rows, start=1):
        for c, v in enumerate(values, start=1):
            if v is not None:
                ws.cell(row=r, column=c, value=v)
    for block in merged:
        ws.merge_cells(block)
    wb.save(root / "raw" / "table.xlsx")


def test_a_year_merged_down_over_the_sex_row_is_its_total(project):
    """2021 merged over both header rows beside 2022 over ذكور / إناث: 2021 is not split by sex."""
    root, govs = project
    code, gov = next(iter(govs.items()))
    _sheet(root, [["المحافظة", "2021", "2022", None], [None, None, "ذكور", "إناث"], [gov, 30, 12, 14]],
           merged=("A1:A2", "B1:B2", "C1:D1"))
    _recipe(root, "sheet: جدول 9\nindicator: om_test_cases\nsource: om_mosd_briefing_2024\nheader_rows: [1, 2]\n"
                  "columns: [period, sex]\nrows: geo\n")
    result = _build(root)
    assert result.ok, "\n".join(map(str, result.issues))
    assert _rows(root, "om_test_cases", "period", "sex", "value") == [("2021", None, 30), ("2022", "female", 14),
                                                                      ("2022", "male", 12)]


def test_month_headers_stored_as_dates_and_a_year_printed_once_in_a_csv(project, paths):
    from datetime import datetime
    root, govs = project
    code, gov = next(iter(govs.items()))
    _sheet(root, [["المحافظة", datetime(2024, 1, 1), datetime(2024, 2, 1)], [gov, 5, 6]])
    _recipe(root, "sheet: جدول 9\nindicator: om_test_services\nsource: om_mosd_briefing_2024\nheader_rows: [1]\n"
                  "columns: [period]\nrows: geo\n")
    assert _build(root).ok
    assert _rows(root, "om_test_services", "period", "value") == [("2024-01", 5), ("2024-02", 6)]
    (root / "raw" / "table.xlsx").unlink()
    (root / "raw" / "table.csv").write_text(f",2024,,2025,\nالمحافظة,يناير,فبراير,يناير,فبراير\n{gov},1,2,3,4\n",
                                            encoding="utf-8")
    _catalogue(root, paths, "table.csv")
    _recipe(root, "sheet: data\nindicator: om_test_services\nsource: om_mosd_briefing_2024\nheader_rows: [1, 2]\n"
                  "columns: [year, month]\nrows: geo\nfill_headers: true\n")
    result = _build(root)
    assert result.ok, "\n".join(map(str, result.issues))
    assert _rows(root, "om_test_services", "period", "value") == \
        [("2024-01", 1), ("2024-02", 2), ("2025-01", 3), ("2025-02", 4)]


def test_a_second_table_below_is_left_out_by_last_row(project):
    root, govs = project
    (code, gov), (other, gov2) = list(govs.items())[:2]
    _sheet(root, [["المحافظة", "2024"], [gov, 5], [None, None], ["جدول آخر", "2023"], [gov2, 9]])
    recipe = ("sheet: جدول 9\nindicator: om_test_services\nsource: om_mosd_briefing_2024\nheader_rows: [1]\n"
              "columns: [period]\nrows: geo\n")
    _recipe(root, recipe)
    assert not _build(root).ok                            # "جدول آخر" is no place
    _recipe(root, recipe + "last_row: 2\n")
    assert _build(root).ok
    assert _rows(root, "om_test_services", "geo_code", "value") == [(code, 5)]


def test_a_total_row_of_indicators_or_a_column_with_no_period_is_refused_not_a_traceback(project, fingerprint):
    root, govs = project
    code, gov = next(iter(govs.items()))
    _sheet(root, [["المؤشر", gov], ["om_test_services", 3], ["om_test_cases", 4], ["المجموع", 7]])
    _recipe(root, "sheet: جدول 9\nsource: om_mosd_briefing_2024\nheader_rows: [1]\ncolumns: [geo]\nrows: indicator\n"
                  "period: '2024'\ntotals: [المجموع]\n")
    _refused(root, fingerprint, "is a total across indicators, which is not a figure of one")
    _sheet(root, [[None, "2024", None, None], ["المحافظة", "يناير", "فبراير", "المجموع"], [gov, 1, 2, 3]],
           merged=("B1:C1",))
    _recipe(root, MONTHLY.replace('sheet: "جدول 5"', "sheet: جدول 9").replace("[3, 4]", "[1, 2]")
            + "totals: [المجموع]\n")
    _refused(root, fingerprint, "no period: no header row nor label over this cell gives one")


def test_two_marks_in_a_cell_say_so_and_what_is_expected(project):
    root, govs = project
    _yearbook(root, govs)
    wb = openpyxl.load_workbook(root / "raw" / "table.xlsx")
    wb.active.cell(row=5, column=2, value="100**")
    wb.save(root / "raw" / "table.xlsx")
    _recipe(root, YEARBOOK)
    line = next(e for e in _errors(_build(root)) if "more than one mark" in e)
    assert "(expected one mark a cell)" in line and "period" not in line
