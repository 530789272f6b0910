"""Layout recipes: a yearbook table read as the ministry publishes it (merged title rows, a
two-row header of years over ذكور / إناث / الإجمالي, governorates in Arabic with a total row,
`2023*` for preliminary figures, `..` where there is none, numbers stored as text in
Arabic-Indic digits, notes under the table) gives the same figures as its twin reshaped by
hand, each pointing at its cell. Synthetic values, written into a temp dir."""
from __future__ import annotations

import csv
import shutil

import duckdb
import pytest
from openpyxl import Workbook

from etl.build import build
from etl.catalogue import load_catalogue
from spi.cli import main as spi

YEARBOOK = "om_yearbook_2023.xlsx"
RECIPE = """# جدول 3-1 of the yearbook: governorates by sex, 2022 and 2023 (preliminary)
sheet: "جدول 3-*"
indicator: om_yearbook_cases
source: om_mosd_briefing_2024
header_rows: [4, 5]
columns: [period, sex]
rows: geo
totals: [الإجمالي]
skip: ["^المصدر", "^\\\\*"]
marks: {"*": provisional}
codes: {"..": not_available}
"""
INDICATOR = """  om_yearbook_cases:
    topic: social_security
    country: OM
    files: [om_yearbook_2023.xlsx]
    unit: cases
    measure: stock
    breakdowns: [sex]
    sum_to_total: [sex]
    sum_to_country: true
    name: {ar: حالات الضمان حسب المحافظة, en: Social security cases by governorate}
    definition: {ar: عدد الحالات في نهاية السنة حسب المحافظة والنوع., en: Cases at the end of the year by governorate and sex.}
"""
ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def _figures(governorates: list[str]) -> dict:
    """(governorate, year) -> (male, female), or None where the yearbook prints `..`."""
    out = {}
    for n, code in enumerate(governorates):
        out[(code, "2022")] = None if code == "OM-MU" else (1000 + 37 * n, 900 + 29 * n)
        out[(code, "2023")] = (1100 + 41 * n, 950 + 31 * n)
    return out


@pytest.fixture
def yearbook(tmp_path, paths):
    """A copy of the sources and the catalogue with the yearbook, its recipe and its twin."""
    root = tmp_path
    shutil.copytree(paths.raw, root / "raw")
    text = paths.catalogue.read_text(encoding="utf-8")
    (root / "indicators.yaml").write_text(text.replace("indicators:\n", "indicators:\n" + INDICATOR, 1), encoding="utf-8")
    cat = load_catalogue(root / "indicators.yaml")
    govs = cat.geographies["OM"]["governorates"]
    figures = _figures(list(govs))
    wb = Workbook()
    ws = wb.active
    ws.title = "جدول 3-1"
    ws["A1"] = "جدول 3-1: حالات الضمان الاجتماعي حسب المحافظة والنوع"
    ws.merge_cells("A1:G1")
    ws["A2"] = "(بالعدد)"
    ws["A4"] = "المحافظة"
    ws.merge_cells("A4:A5")
    ws["B4"], ws["E4"] = "2022", "2023*"
    ws.merge_cells("B4:D4")
    ws.merge_cells("E4:G4")
    for col, label in zip("BCDEFG", ["ذكور", "إناث", "الإجمالي"] * 2):
        ws[f"{col}5"] = label
    totals = {"2022": [0, 0], "2023": [0, 0]}
    for row, (code, gov) in enumerate(govs.items(), start=6):
        ws[f"A{row}"] = gov["ar"]
        for year, cols in (("2022", "BCD"), ("2023", "EFG")):
            pair = figures[(code, year)]
            if pair is None:
                for col in cols:
                    ws[f"{col}{row}"] = ".."
                continue
            male, female = pair
            totals[year][0] += male
            totals[year][1] += female
            ws[f"{cols[0]}{row}"] = male
            ws[f"{cols[1]}{row}"] = str(female).translate(ARABIC_DIGITS) if row % 2 else female   # text, Arabic digits
            ws[f"{cols[2]}{row}"] = male + female
    total_row = 6 + len(govs)
    ws[f"A{total_row}"] = "الإجمالي"
    for year, cols in (("2022", "BCD"), ("2023", "EFG")):
        male, female = totals[year]
        for col, value in zip(cols, (male, female, male + female)):
            ws[f"{col}{total_row}"] = value
    ws[f"A{total_row + 1}"] = "المصدر: وزارة التنمية الاجتماعية، الكتاب الإحصائي"
    ws[f"A{total_row + 2}"] = "* بيانات أولية"
    wb.save(root / "raw" / YEARBOOK)
    (root / "raw" / "om_yearbook_2023.layout.yaml").write_text(RECIPE, encoding="utf-8")
    return root, cat, figures, total_row


def _observations(out) -> list[tuple]:
    con = duckdb.connect(str(out / "indicators.duckdb"), read_only=True)
    rows = con.execute("SELECT geo_code, period, sex, value, status, source_sheet, source_row, source_column "
                       "FROM observations WHERE indicator_id = 'om_yearbook_cases' "
                       "ORDER BY geo_code, period, sex NULLS FIRST").fetchall()
    con.close()
    return rows


def test_a_yearbook_table_loads_through_its_recipe(yearbook, paths):
    root, cat, figures, total_row = yearbook
    result = build(root / "raw", root / "indicators.yaml", root / "out")
    assert result.ok, "\n".join(map(str, result.issues))
    got = {(g, p, s): (v, st) for g, p, s, v, st, *_ in _observations(root / "out")}
    for (code, year), pair in figures.items():
        status = "provisional" if year == "2023" else None
        if pair is None:
            assert got[(code, year, "male")] == (None, "not_available")
            continue
        male, female = pair
        assert got[(code, year, "male")] == (male, status) and got[(code, year, "female")] == (female, status)
        assert got[(code, year, None)] == (male + female, status)
    assert got[("OM", "2023", None)][1] == "provisional" and ("OM", "2022", "male") in got
    # provenance: the cell of the published table, by sheet, row and column letter
    where = {(g, p, s): (sheet, row, col) for g, p, s, _, _, sheet, row, col in _observations(root / "out")}
    assert where[("OM-MA", "2023", "female")] == ("جدول 3-1", 6, "F")
    assert where[("OM", "2022", None)] == ("جدول 3-1", total_row, "D")


def test_the_same_figures_as_the_table_reshaped_by_hand(yearbook):
    root, cat, figures, total_row = yearbook
    assert build(root / "raw", root / "indicators.yaml", root / "through_recipe").ok
    (root / "raw" / YEARBOOK).unlink()
    (root / "raw" / "om_yearbook_2023.layout.yaml").unlink()
    with open(root / "raw" / "om_yearbook_twin.csv", "w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(["indicator_id", "geo", "period", "sex", "value", "status", "source_id"])
        sums = {}
        for (code, year), pair in figures.items():
            status = "أولي" if year == "2023" else ""
            if pair is None:
                out.writerows([["om_yearbook_cases", code, year, sex, "", "غير متوفر", "om_mosd_briefing_2024"]
                               for sex in ("ذكور", "إناث", "")])
                continue
            for sex, value in zip(("ذكور", "إناث", ""), (*pair, sum(pair))):
                out.writerow(["om_yearbook_cases", code, year, sex, value, status, "om_mosd_briefing_2024"])
                sums[(year, sex)] = sums.get((year, sex), 0) + value
        for (year, sex), value in sums.items():
            out.writerow(["om_yearbook_cases", "سلطنة عُمان", year, sex, value, "أولي" if year == "2023" else "",
                          "om_mosd_briefing_2024"])
    text = (root / "indicators.yaml").read_text(encoding="utf-8")
    (root / "indicators.yaml").write_text(text.replace("files: [om_yearbook_2023.xlsx]",
                                                       "files: [om_yearbook_twin.csv]"), encoding="utf-8")
    result = build(root / "raw", root / "indicators.yaml", root / "by_hand")
    assert result.ok, "\n".join(map(str, result.issues))
    figures_of = lambda out: [r[:5] for r in _observations(out)]  # noqa: E731
    assert figures_of(root / "through_recipe") == figures_of(root / "by_hand")


@pytest.mark.parametrize("edit, line", [
    (lambda r, wb: r.replace("indicator: om_yearbook_cases", "indicator: om_yearbook_kases"),
     "ERROR: om_yearbook_2023.xlsx: the layout recipe om_yearbook_2023.layout.yaml: unknown indicator 'om_yearbook_kases'"),
    (lambda r, wb: r.replace("header_rows: [4, 5]", "header_rows: four"),
     "ERROR: om_yearbook_2023.xlsx: the layout recipe om_yearbook_2023.layout.yaml: line 5: header_rows: 'four' is not of type 'array'"),
    (lambda r, wb: r.replace('skip: ["^المصدر"', 'skip: ["^(المصدر"'),
     "ERROR: om_yearbook_2023.xlsx: the layout recipe om_yearbook_2023.layout.yaml: skip: '^(المصدر' is not a regular expression"),
    (lambda r, wb: r.replace("rows: geo", "rows: period"),
     "ERROR: om_yearbook_2023.xlsx: the layout recipe om_yearbook_2023.layout.yaml: period given by more than one "
     "header row or label column"),
    (lambda r, wb: r + "scale: 1.0e+300\n",
     "ERROR: om_yearbook_2023.xlsx, sheet 'جدول 3-1', row 6, column 'B': value 1000: the figure times the table's scale "
     "is larger than the plausible maximum"),
    (lambda r, wb: r.replace('sheet: "جدول 3-*"', 'sheet: "جدول 4-*"'),
     "ERROR: om_yearbook_2023.xlsx: no sheet matches 'جدول 4-*'"),
    (lambda r, wb: wb.active.cell(row=20, column=3, value=77) and r,
     "ERROR: om_yearbook_2023.xlsx, sheet 'جدول 3-1', row 20, column 'C': value 77: a figure in a row with no label"),
    (lambda r, wb: wb.active.cell(row=8, column=9, value=55) and r,
     "ERROR: om_yearbook_2023.xlsx, sheet 'جدول 3-1', row 8, column 'I': value 55: a figure under a column with no header"),
    (lambda r, wb: wb.active.cell(row=9, column=2, value="=1+1") and r,
     "ERROR: om_yearbook_2023.xlsx, sheet 'جدول 3-1', row 9, column 'B': value '=1+1': a formula with no saved value"),
])
def test_a_recipe_or_a_table_that_cannot_be_read_is_a_report_line(yearbook, capfd, edit, line):
    from openpyxl import load_workbook
    root, *_ = yearbook
    recipe = root / "raw" / "om_yearbook_2023.layout.yaml"
    wb = load_workbook(root / "raw" / YEARBOOK)
    recipe.write_text(edit(recipe.read_text(encoding="utf-8"), wb), encoding="utf-8")
    wb.save(root / "raw" / YEARBOOK)
    assert spi(["build", "--raw", str(root / "raw"), "--catalogue", str(root / "indicators.yaml"),
                "--out", str(root / "out")]) == 1
    assert any(l.startswith(line) for l in capfd.readouterr().err.splitlines()), line


# -- Tables whose header row names the columns: the long and wide layouts are two such
#    recipes built in (etl/recipes/); a file may bring its own (another sheet, Arabic headers).

ARABIC_HEADERS = {"indicator_id": "المؤشر", "geo": "المحافظة", "period": "الفترة", "beneficiary_category": "الفئة",
                  "service_channel": "قناة الخدمة", "unit": "الوحدة", "value": "القيمة", "source_id": "المصدر"}
COLUMNS_RECIPE = "layout: columns\nsheet: data\nfigures: value\nrename:\n" + "".join(
    f"  {printed}: {field}\n" for field, printed in ARABIC_HEADERS.items())


def _db_rows(out, *columns, file: str = "%") -> list[tuple]:
    con = duckdb.connect(str(out / "indicators.duckdb"), read_only=True)
    try:
        return con.execute(f"SELECT {', '.join(columns)} FROM observations WHERE source_file LIKE ? ORDER BY ALL",
                           [file]).fetchall()
    finally:
        con.close()


def test_the_long_and_wide_layouts_are_recipes_in_the_project(paths):
    from etl.layouts import BUILTIN, builtin_recipes
    assert sorted(p.name for p in BUILTIN.glob("*.layout.yaml")) == ["long.layout.yaml", "wide.layout.yaml"]
    long, wide = builtin_recipes()
    assert (long["layout"], long["figures"], long["when_column"]) == ("columns", "value", "value")
    assert long["requires"] == ["indicator_id", "geo", "period", "value", "source_id"]
    assert (wide["figures"], wide["sheet"], wide["sources_sheet"]) == ("periods", "data", "sources")


def test_a_csv_with_arabic_headers_reads_through_its_own_recipe(source_copy):
    name = "om_spf_south_batinah.csv"
    before = build(source_copy.raw, source_copy.catalogue, source_copy.root / "before")
    assert before.ok
    path = source_copy.raw / name
    lines = path.read_text(encoding="utf-8").split("\n")
    header = lines[0].split(",")
    path.write_text("\n".join([",".join(ARABIC_HEADERS[h] for h in header), *lines[1:]]), encoding="utf-8")
    (source_copy.raw / "om_spf_south_batinah.layout.yaml").write_text(COLUMNS_RECIPE, encoding="utf-8")
    result = build(source_copy.raw, source_copy.catalogue, source_copy.out)
    assert result.ok, "\n".join(map(str, result.issues))
    figures = ("indicator_id", "geo_code", "period", "beneficiary_category", "value", "source_id", "source_row")
    assert _db_rows(source_copy.out, *figures) == _db_rows(source_copy.root / "before", *figures)
    # provenance names the column as printed
    assert {c for (c,) in _db_rows(source_copy.out, "source_column") if c != "value"} >= {"القيمة"}


def test_a_workbook_with_another_sheet_and_header_row_reads_through_its_own_recipe(source_copy):
    from openpyxl import load_workbook
    name = "om_mosd_national.xlsx"
    assert build(source_copy.raw, source_copy.catalogue, source_copy.root / "before").ok
    wb = load_workbook(source_copy.raw / name)
    wb["data"].title, wb["sources"].title = "الجدول", "المصادر"
    wb["الجدول"].insert_rows(1, amount=12)       # a title block above the header
    wb["الجدول"]["A1"] = "المؤشرات الوطنية"
    wb.save(source_copy.raw / name)
    (source_copy.raw / "om_mosd_national.layout.yaml").write_text(
        "layout: columns\nsheet: الجدول\nsources_sheet: المصادر\nheader_row_has: indicator_id\n"
        "header_within_rows: 20\nfigures: periods\n", encoding="utf-8")
    result = build(source_copy.raw, source_copy.catalogue, source_copy.out)
    assert result.ok, "\n".join(map(str, result.issues))
    figures = ("indicator_id", "geo_code", "period", "value", "status", "source_id", "source_column")
    assert _db_rows(source_copy.out, *figures) == _db_rows(source_copy.root / "before", *figures)
    # provenance: the sheet as named and the row as it is now, 12 rows further down
    key = ("indicator_id", "geo_code", "period", "source_column")
    assert _db_rows(source_copy.out, *key, "source_row - 12", "source_sheet", file=name) == \
        [(*r, "الجدول") for r in _db_rows(source_copy.root / "before", *key, "source_row", file=name)]


@pytest.mark.parametrize("recipe, line", [
    (COLUMNS_RECIPE + "header_rows: [1]\n",
     "ERROR: om_spf_south_batinah.csv: the layout recipe om_spf_south_batinah.layout.yaml: header_rows belong to the other "
     "layout than `layout: columns`"),
    (COLUMNS_RECIPE.replace("geo\n", "place\n"),
     "ERROR: om_spf_south_batinah.csv: the layout recipe om_spf_south_batinah.layout.yaml: rename: 'المحافظة' to 'place', "
     "which is not a column the build reads"),
    (COLUMNS_RECIPE.replace("figures: value", "figures: cells"),
     "ERROR: om_spf_south_batinah.csv: the layout recipe om_spf_south_batinah.layout.yaml: line 3: figures: 'cells' is not one of"),
    ("layout: columns\nsheet: data\nfigures: value\nrequires: [indicator_id, geo, period, value, source_id, status]\n",
     "ERROR: om_spf_south_batinah.csv, row 1: missing column(s) ['status']"),
])
def test_a_columns_recipe_that_does_not_fit_is_a_report_line(source_copy, capfd, recipe, line):
    (source_copy.raw / "om_spf_south_batinah.layout.yaml").write_text(recipe, encoding="utf-8")
    assert spi(["build", *source_copy.cli_args()]) == 1
    err = capfd.readouterr().err
    assert any(l.startswith(line) for l in err.splitlines()), err
