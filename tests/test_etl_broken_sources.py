"""A corpus of broken source files: each is refused with a clear error, and the
database a previous build published is left byte-identical.

Each case starts from a copy of the shipped data/raw, breaks one thing, and names the
report line it expects: the file, sheet, row and column, the value found, and the
reason. Rows are located by their content (indicator and breakdown), not hard-coded,
so the corpus survives rows being added to the shipped files.
"""
from __future__ import annotations

import csv
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from etl.build import build
from spi.cli import main as spi

JO = "jo_social_protection_2024.csv"
SPF = "om_spf_south_batinah.csv"
NAT = "om_mosd_national.xlsx"


# ---------------------------------------------------------------- editing helpers

def _read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def _write_csv(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\r\n").writerows(rows)


def _find_csv_row(rows: list[list[str]], match: dict) -> int:
    header = rows[0]
    hits = [n for n, r in enumerate(rows[1:], start=1) if all(r[header.index(k)] == v for k, v in match.items())]
    assert len(hits) == 1, f"{match} matches {len(hits)} rows"
    return hits[0]


def at(file: str, row: int | None = None, column: str | None = None, value=None, sheet: str | None = None) -> str:
    """How a report line starts for a problem in this place (see etl.report.Issue)."""
    parts = [file] + ([f"sheet {sheet!r}"] if sheet else []) + ([f"row {row}"] if row else []) + ([f"column {column!r}"] if column else [])
    return "ERROR: " + ", ".join(parts) + (f": value {value!r}" if value is not None else "") + ": "


def csv_row(raw: Path, name: str, match: dict) -> int:
    """The line number of the one row of a CSV matching `match`."""
    return _find_csv_row(_read_csv(raw / name), match) + 1


def set_csv(raw: Path, name: str, match: dict, column: str, value: str) -> str:
    """Set one cell of a CSV (the row found by `match`); return the report prefix for it."""
    rows = _read_csv(raw / name)
    n = _find_csv_row(rows, match)
    rows[n][rows[0].index(column)] = value
    _write_csv(raw / name, rows)
    return at(name, n + 1, column, value)


def _find_xlsx_row(ws, indicator: str, breakdown: dict) -> int:
    header = [c.value for c in ws[3]]
    assert header[0] == "indicator_id"
    dims = ("sex", "association_type", "case_outcome")
    hits = [row[0].row for row in ws.iter_rows(min_row=4)
            if row[0].value == indicator and all(row[header.index(d)].value == breakdown.get(d) for d in dims)]
    assert len(hits) == 1, f"{indicator} {breakdown} matches {len(hits)} rows"
    return hits[0]


def set_xlsx(raw: Path, indicator: str, breakdown: dict, column: str, value, report_column: str | None = None) -> str:
    """Set one cell of the national workbook's data sheet; return the report prefix."""
    wb = load_workbook(raw / NAT)
    ws = wb["data"]
    row = _find_xlsx_row(ws, indicator, breakdown)
    header = [c.value for c in ws[3]]
    ws.cell(row=row, column=header.index(column) + 1, value=value)
    wb.save(raw / NAT)
    return at(NAT, row, report_column or column, value, sheet="data")


def edit_csv(raw: Path, name: str, edit: Callable[[list[list[str]]], None]) -> None:
    rows = _read_csv(raw / name)
    edit(rows)
    _write_csv(raw / name, rows)


# ---------------------------------------------------------------- the cases

def text_in_number_cell(raw):
    return set_xlsx(raw, "om_ss_cases", {}, "2023", "تسعة وسبعون ألفًا")


def text_in_number_cell_csv(raw):
    return set_csv(raw, JO, {"indicator_id": "jo_child_safe_spaces"}, "value", "twelve")


def unknown_governorate(raw):
    return set_csv(raw, SPF, {"indicator_id": "om_spf_services", "service_channel": "خدمات استباقية"}, "geo", "الرستاق")


def misspelt_governorate(raw):
    return set_csv(raw, SPF, {"indicator_id": "om_spf_services", "service_channel": "خدمات استباقية"}, "geo", "جنوب الباطنةة")


def governorate_of_another_country(raw):
    return set_csv(raw, JO, {"indicator_id": "jo_family_integration"}, "geo", "مسقط")


def unknown_indicator(raw):
    return set_csv(raw, JO, {"indicator_id": "jo_psychosocial_team"}, "indicator_id", "jo_psychosocial_teams")


def indicator_in_the_wrong_file(raw):
    return set_csv(raw, JO, {"indicator_id": "jo_psychosocial_team"}, "indicator_id", "om_ss_cases")


def duplicate_row(raw):
    rows = _read_csv(raw / JO)
    n = _find_csv_row(rows, {"indicator_id": "jo_residential_care_children"})
    edit_csv(raw, JO, lambda r: r.append(list(rows[n])))
    return at(JO, len(rows) + 1, "value", "580")


def duplicate_stock_with_another_period_label(raw):
    """A stock at 2024-12-31 given as "2024" and as "2024-12" is one count, twice."""
    rows = _read_csv(raw / JO)
    n = _find_csv_row(rows, {"indicator_id": "jo_psychosocial_team"})
    copy = list(rows[n])
    copy[rows[0].index("period")] = "ديسمبر 2024"
    edit_csv(raw, JO, lambda r: r.append(copy))
    return at(JO, len(rows) + 1, "value", "44")


def negative_count(raw):
    return set_csv(raw, JO, {"indicator_id": "jo_residential_care_children"}, "value", "-580")


def negative_amount(raw):
    return set_xlsx(raw, "om_ss_paid", {}, "2023", "−122,178,206")


def parts_not_summing(raw):
    """Every part is flagged, at its breakdown cell; the message gives both sums."""
    set_csv(raw, SPF, {"indicator_id": "om_spf_beneficiaries", "beneficiary_category": "الأطفال"}, "value", "142 ألفًا و40")
    row = csv_row(raw, SPF, {"indicator_id": "om_spf_beneficiaries", "beneficiary_category": "الأطفال"})
    return at(SPF, row, "beneficiary_category", "الأطفال")


def partial_parts_exceed_total(raw):
    """Only some members given: they may not add up to more than the total."""
    wb = load_workbook(raw / NAT)
    ws = wb["data"]
    ws.delete_rows(_find_xlsx_row(ws, "om_ccc_children", {"sex": "إناث"}))
    wb.save(raw / NAT)
    set_xlsx(raw, "om_ccc_children", {"sex": "ذكور"}, "2021", "(99)")
    row = _find_xlsx_row(load_workbook(raw / NAT)["data"], "om_ccc_children", {"sex": "ذكور"})
    return at(NAT, row, "sex", "ذكور", sheet="data")


def wide_column_without_source(raw):
    wb = load_workbook(raw / NAT)
    ws = wb["sources"]
    rows = [r[0].row for r in ws.iter_rows(min_row=2) if str(r[0].value) == "2023"]
    ws.delete_rows(rows[0])
    wb.save(raw / NAT)
    row = _find_xlsx_row(load_workbook(raw / NAT)["data"], "om_ss_cases", {})
    return at(NAT, row, "2023", "79597", sheet="data")


def sources_sheet_names_a_column_twice(raw):
    wb = load_workbook(raw / NAT)
    ws = wb["sources"]
    ws.append(["2023", "om_mosd_welfare_2021", "a second, conflicting source for 2023"])
    wb.save(raw / NAT)
    return f"ERROR: {NAT}, sheet 'sources': "


def long_row_with_empty_source(raw):
    return set_csv(raw, SPF, {"indicator_id": "om_spf_services", "service_channel": "خدمات استباقية"}, "source_id", "")


def unknown_source_id(raw):
    return set_csv(raw, JO, {"indicator_id": "jo_children_reunified"}, "source_id", "jo_emv_annual_2025")


def source_about_another_country(raw):
    return set_csv(raw, JO, {"indicator_id": "jo_children_reunified"}, "source_id", "om_mosd_briefing_2024")


def empty_csv(raw):
    (raw / JO).write_bytes(b"")
    return at(JO)


def header_only_csv(raw):
    (raw / JO).write_text("indicator_id,geo,period,unit,value,source_id\n", encoding="utf-8")
    return at(JO)


def empty_xlsx(raw):
    (raw / NAT).write_bytes(b"")
    return at(NAT)


def xlsx_with_an_empty_data_sheet(raw):
    wb = Workbook()
    wb.active.title = "data"
    wb.save(raw / NAT)
    return at(NAT, sheet="data")


def wrong_sheet_name(raw):
    wb = load_workbook(raw / NAT)
    wb["data"].title = "Sheet1"
    wb.save(raw / NAT)
    return at(NAT)


def not_excel_named_xlsx(raw):
    shutil.copy(raw / JO, raw / NAT)
    return at(NAT)


def mixed_digits(raw):
    return set_xlsx(raw, "om_ss_cases", {}, "2023", "79٥97")


def value_of_10_to_the_15(raw):
    return set_csv(raw, JO, {"indicator_id": "jo_residential_care_children"}, "value", "1000000000000000")


def wrong_unit(raw):
    return set_csv(raw, JO, {"indicator_id": "jo_residential_care_children"}, "unit", "ريال")


def unknown_breakdown_member(raw):
    return set_csv(raw, SPF, {"indicator_id": "om_spf_beneficiaries", "beneficiary_category": "الأطفال"},
                   "beneficiary_category", "الشباب")


def breakdown_the_indicator_does_not_have(raw):
    return set_xlsx(raw, "om_ss_cases", {}, "sex", "ذكور")


def fractional_count(raw):
    return set_csv(raw, JO, {"indicator_id": "jo_psychosocial_team"}, "value", "44.5")


def malformed_period(raw):
    return set_csv(raw, JO, {"indicator_id": "jo_psychosocial_team"}, "period", "2024-13")


def malformed_period_column(raw):
    wb = load_workbook(raw / NAT)
    ws = wb["data"]
    header = [c.value for c in ws[3]]
    ws.cell(row=3, column=header.index("2023") + 1, value="FY2023")
    wb.save(raw / NAT)
    return at(NAT, 3, "FY2023", "FY2023", sheet="data")


def csv_not_utf8(raw):
    """Western Windows text (no Arabic to recognise Windows-1256 by) is not guessed at."""
    (raw / JO).write_bytes("indicator_id,geo,period,unit,value,source_id,note\n"
                           "jo_child_safe_spaces,Jordan,2024,facilities,12,jo_emv_annual_2024,café\n".encode("cp1252"))
    return at(JO)


def missing_source_id_column(raw):
    edit_csv(raw, JO, lambda rows: [r.pop(rows[0].index("source_id")) for r in rows[::-1]])
    return at(JO, 1)


def missing_value_column(raw):
    """Without `value` a long file must not pass as a wide one with no periods."""
    edit_csv(raw, JO, lambda rows: [r.pop(rows[0].index("value")) for r in rows[::-1]])
    return at(JO, 1)


def unknown_column(raw):
    edit_csv(raw, SPF, lambda rows: rows[0].__setitem__(rows[0].index("beneficiary_category"), "beneficiary_categry"))
    return at(SPF, 1, "beneficiary_categry", "beneficiary_categry")


def truncated_number_words(raw):
    return set_csv(raw, SPF, {"indicator_id": "om_spf_beneficiaries", "beneficiary_category": "الأيتام والأرامل"},
                   "value", "ألفًا و")


def arabic_and_persian_digits(raw):
    return set_csv(raw, JO, {"indicator_id": "jo_child_safe_spaces"}, "value", "١۲")


def named_file_missing(raw):
    """A file the catalogue names is gone from data/raw: its figures must not vanish quietly."""
    (raw / JO).unlink()
    return "ERROR: indicators.yaml, column 'files': value 'jo_social_protection_2024.csv': "


def folder_named_like_a_csv(raw):
    (raw / "x.csv").mkdir()
    return at("x.csv")


def dangling_link(raw):
    (raw / "gone.csv").symlink_to(raw / "nowhere.csv")
    return at("gone.csv")


def cut_workbook(raw):
    """The data sheet's XML cut in half (a copy interrupted, a disk full)."""
    import zipfile
    whole = raw / NAT
    cut = raw / "cut.tmp"
    with zipfile.ZipFile(whole) as zin, zipfile.ZipFile(cut, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            zout.writestr(info, data[:len(data) // 2] if info.filename == "xl/worksheets/sheet1.xml" else data)
    cut.replace(whole)
    return at(NAT, sheet="data")


def formula_without_a_saved_value(raw):
    """openpyxl, like any program but Excel or LibreOffice, writes a formula without its value."""
    wb = load_workbook(raw / NAT)
    ws = wb["data"]
    row = _find_xlsx_row(ws, "om_ss_cases", {})
    header = [c.value for c in ws[3]]
    column = header.index("2023") + 1
    ws.cell(row=row, column=column, value="=79000+597")
    wb.save(raw / NAT)
    return at(NAT, row, get_column_letter(column), "=79000+597", sheet="data")


def figure_under_no_header_xlsx(raw):
    wb = load_workbook(raw / NAT)
    ws = wb["data"]
    row = _find_xlsx_row(ws, "om_ss_cases", {})
    column = ws.max_column + 2
    ws.cell(row=row, column=column, value=81234)
    wb.save(raw / NAT)
    return at(NAT, row, get_column_letter(column), 81234, sheet="data")


def figure_under_no_header_csv(raw):
    rows = _read_csv(raw / JO)
    n = _find_csv_row(rows, {"indicator_id": "jo_child_safe_spaces"})

    def add(r):
        for i, row in enumerate(r):
            row.append("" if i != n else "15")
    edit_csv(raw, JO, add)
    return at(JO, n + 1, get_column_letter(len(rows[0]) + 1), "15")


def _with_status_column(raw, indicator: str, value: str, status: str) -> int:
    def edit(rows):
        rows[0].append("status")
        for r in rows[1:]:
            r.append(status if r[0] == indicator else "")
            if r[0] == indicator:
                r[rows[0].index("value")] = value
    edit_csv(raw, JO, edit)
    return csv_row(raw, JO, {"indicator_id": indicator})


def unknown_status(raw):
    return at(JO, _with_status_column(raw, "jo_child_safe_spaces", "12", "مؤقت"), "status", "مؤقت")


def two_statuses_for_a_figure(raw):
    return at(JO, _with_status_column(raw, "jo_child_safe_spaces", "12*", "estimated"), "value", "12*")


def a_figure_said_to_be_missing(raw):
    return at(JO, _with_status_column(raw, "jo_child_safe_spaces", "12", "not available"), "value", "12")


@dataclass
class Case:
    id: str
    description: str
    make: Callable[[Path], str]  # breaks a copy of data/raw; returns the report line's start
    reason: str                  # and the words that must follow it on that line
    via_subprocess: bool = False


CASES = [
    Case("text-number", "text in a number cell (xlsx)", text_in_number_cell, "is not a number", via_subprocess=True),
    Case("text-number-csv", "text in a number cell (csv)", text_in_number_cell_csv, "is not a number (cannot read 'twelve')"),
    Case("unknown-governorate", "a wilayat where a governorate belongs", unknown_governorate, "unknown governorate or country for OM"),
    Case("foreign-governorate", "an Omani governorate in a Jordanian row", governorate_of_another_country, "unknown governorate or country for JO"),
    Case("unknown-indicator", "a misspelt indicator id", unknown_indicator,
         "unknown indicator (did you mean 'jo_psychosocial_team'?) (expected an indicator id declared under `indicators:`"),
    Case("indicator-wrong-file", "an indicator in a file the catalogue does not name", indicator_in_the_wrong_file, "indicator is not expected in this file"),
    Case("duplicate-row", "the same row twice", duplicate_row, "duplicate figure", via_subprocess=True),
    Case("duplicate-stock", "a stock given for 2024 and for December 2024", duplicate_stock_with_another_period_label, "duplicate figure"),
    Case("negative-count", "a negative count", negative_count, "negative figure"),
    Case("negative-amount", "a negative amount (Unicode minus)", negative_amount, "negative figure"),
    Case("parts-not-summing", "categories that do not add up to the total", parts_not_summing, "add up to 169,997, not the published total 169,998"),
    Case("parts-exceed-total", "some parts given, adding up to more than the total", partial_parts_exceed_total, "add up to 99, not the published total 98"),
    Case("wide-no-source", "a period column with no row in the sources sheet", wide_column_without_source, "the figure has no source"),
    Case("sources-twice", "a sources sheet naming one column twice", sources_sheet_names_a_column_twice, "names column '2023' twice"),
    Case("long-empty-source", "a row with an empty source_id", long_row_with_empty_source, "the figure has no source"),
    Case("unknown-source", "a source id the catalogue does not declare", unknown_source_id,
         "unknown source 'jo_emv_annual_2025' (did you mean 'jo_emv_annual_2024'?)"),
    Case("misspelt-governorate", "a governorate with a letter too many", misspelt_governorate,
         "unknown governorate or country for OM (did you mean 'جنوب الباطنة'?) (expected a governorate or country name of "
         "OM, or this spelling added to the place's `aliases:`"),
    Case("foreign-source", "an Omani source cited for a Jordanian figure", source_about_another_country, "is about another country"),
    Case("empty-csv", "a 0-byte CSV", empty_csv, "the file is empty"),
    Case("header-only-csv", "a CSV with a header and no rows", header_only_csv, "the file has no figures"),
    Case("empty-xlsx", "a 0-byte .xlsx", empty_xlsx, "the file is empty"),
    Case("empty-data-sheet", "a workbook whose data sheet is empty", xlsx_with_an_empty_data_sheet, "the sheet is empty"),
    Case("wrong-sheet", "the data sheet renamed", wrong_sheet_name,
         "no recipe reads this workbook: it has no sheet 'data' of the built-in layouts (its sheets: ['Sheet1', 'sources'])"),
    Case("not-excel", "a CSV saved under the .xlsx name", not_excel_named_xlsx, "not a readable Excel workbook",
         via_subprocess=True),
    Case("mixed-digits", "Arabic-Indic and Latin digits in one number", mixed_digits, "mixes Arabic-Indic and Latin digits"),
    Case("huge-value", "a 10^15 value", value_of_10_to_the_15, "larger than the plausible maximum"),
    Case("wrong-unit", "rials for a count of children", wrong_unit, "wrong unit for this indicator"),
    Case("unknown-member", "a beneficiary category the catalogue lacks", unknown_breakdown_member, "unknown breakdown member"),
    Case("breakdown-not-declared", "a sex breakdown for an indicator without one", breakdown_the_indicator_does_not_have, "this indicator has no such breakdown"),
    Case("fractional-count", "half a member of staff", fractional_count, "a count with a fraction"),
    Case("bad-period", "month 13", malformed_period, "has no month 13"),
    Case("bad-period-column", "a period column headed FY2023", malformed_period_column, "unknown column"),
    Case("not-utf8", "a CSV saved as Windows-1252", csv_not_utf8, "not UTF-8 text (byte 119), nor Arabic text in Windows-1256"),
    Case("missing-source-column", "a long CSV without its source_id column", missing_source_id_column, "missing column(s) ['source_id']"),
    Case("missing-value-column", "a long CSV without its value column", missing_value_column, "no 'value' column and no period columns"),
    Case("unknown-column", "a misspelt breakdown column", unknown_column, "unknown column"),
    Case("truncated-words", "a number in words cut short", truncated_number_words, "ends with 'و'"),
    Case("unknown-status", "a status the platform does not know", unknown_status, "is not a status"),
    Case("two-statuses", "a provisional mark on an estimated figure", two_statuses_for_a_figure,
         "the cell says provisional, its row or column estimated"),
    Case("figure-said-missing", "a figure in a row that says there is none", a_figure_said_to_be_missing,
         "a figure with the status not_available"),
    Case("persian-digits", "Arabic-Indic and Persian digits in one number", arabic_and_persian_digits,
         "mixes Arabic-Indic and Eastern Arabic-Indic (Persian) digits"),
    Case("named-file-missing", "a data file the catalogue names is missing", named_file_missing,
         "the catalogue names a data file that is not in the raw folder", via_subprocess=True),
    Case("folder-named-csv", "a folder named x.csv in data/raw", folder_named_like_a_csv, "is a folder, not a file"),
    Case("dangling-link", "a link to a file that is gone", dangling_link, "is a link to a file that does not exist"),
    Case("cut-workbook", "a workbook whose sheet XML is cut", cut_workbook, "the workbook is damaged", via_subprocess=True),
    Case("formula-no-value", "a formula with no saved value", formula_without_a_saved_value,
         "a formula with no saved value"),
    Case("no-header-xlsx", "a figure under a column with no header (xlsx)", figure_under_no_header_xlsx,
         "a figure under a column with no header"),
    Case("no-header-csv", "a figure under a column with no header (csv)", figure_under_no_header_csv,
         "a figure under a column with no header"),
]


@pytest.fixture(scope="module")
def published(tmp_path_factory, paths) -> Path:
    """A database built from the shipped sources, as the broken builds will find it."""
    out = tmp_path_factory.mktemp("published")
    assert build(paths.raw, paths.catalogue, out).ok
    return out


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_broken_source_is_refused_and_the_database_kept(case, source_copy, published, fingerprint, paths, capfd):
    shutil.copytree(published, source_copy.out, copy_function=shutil.copy2)
    files = sorted(p.name for p in source_copy.out.iterdir())
    before = {name: fingerprint(source_copy.out / name) for name in files}
    line_start = case.make(source_copy.raw)

    if case.via_subprocess:
        run = subprocess.run([str(paths.spi), "build", *source_copy.cli_args()], capture_output=True, text=True, timeout=120)
        code, report = run.returncode, run.stderr
    else:
        code = spi(["build", *source_copy.cli_args()])
        report = capfd.readouterr().err

    assert code == 1, f"{case.description}: exit code {code}\n{report}"
    assert "the database was not changed" in report
    lines = [line for line in report.splitlines() if line.startswith(line_start)]
    assert lines, f"{case.description}: no report line starts with {line_start!r}:\n{report}"
    assert any(case.reason in line for line in lines), f"{case.description}: {case.reason!r} not in {lines}"
    assert sorted(p.name for p in source_copy.out.iterdir()) == files, "a failed build left files behind"
    assert {name: fingerprint(source_copy.out / name) for name in files} == before


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 15 and sum(c.via_subprocess for c in CASES) >= 3


def test_the_unbroken_copy_builds(source_copy, capfd):
    """The cases' starting point is sound: each failure above is the one its case made."""
    assert spi(["build", *source_copy.cli_args()]) == 0
    assert "0 error" not in capfd.readouterr().err


@pytest.mark.parametrize("encoding, separator, warning", [
    ("cp1256", ",", "read as Windows-1256 (Arabic Windows)"),
    ("utf-16", ",", None),
    ("utf-8", ";", "columns separated by ';'"),
])
def test_csv_as_arabic_offices_save_it_is_read(source_copy, capfd, encoding, separator, warning):
    """Excel's "CSV" in Arabic Windows (Windows-1256), UTF-16 text, ';' between columns: the
    same figures as the UTF-8 original, with a warning where the reading had to assume."""
    rows = _read_csv(source_copy.raw / SPF)
    with (source_copy.raw / SPF).open("w", encoding=encoding, newline="") as f:
        csv.writer(f, delimiter=separator, lineterminator="\r\n").writerows(rows)
    assert spi(["build", *source_copy.cli_args()]) == 0
    out = capfd.readouterr()
    assert "read om_spf_south_batinah.csv: 11 figures" in out.out
    notes = [line for line in (out.out + out.err).splitlines() if line.startswith(f"WARNING: {SPF}")]
    assert len(notes) == (1 if warning else 0) and all(warning in n for n in notes)


def test_a_cause_many_rows_share_is_one_line_with_a_count(source_copy, capfd):
    """A file of repeated rows is refused with one line per cause (its first row, how many
    rows share it, the next few), not one line per row."""
    rows = _read_csv(source_copy.raw / JO)
    edit_csv(source_copy.raw, JO, lambda r: r.extend(rows[1:] * 30))
    assert spi(["build", *source_copy.cli_args()]) == 1
    report = [line for line in capfd.readouterr().err.splitlines() if line.startswith("ERROR: ")]
    assert len(report) == len(rows) - 1                       # one per original row, each repeated 30 times
    first = report[0]
    assert first.startswith(at(JO, len(rows) + 1, "value")) and "duplicate figure" in first
    assert f"; 29 more row(s) like it: {2 * len(rows)}, " in first and first.endswith(", …")


def test_a_jump_beyond_the_plausible_change_is_a_warning_with_both_figures(source_copy, capfd):
    set_xlsx(source_copy.raw, "om_nursery_children", {}, "2023", 90180)
    assert spi(["build", *source_copy.cli_args()]) == 0            # a warning, not an error
    out = capfd.readouterr().out
    row = _find_xlsx_row(load_workbook(source_copy.raw / NAT)["data"], "om_nursery_children", {})
    assert (f"WARNING: {NAT}, sheet 'data', row {row}, column '2023': value '90180': changes by +1385% from 2021 "
            "(6,073 → 90,180): check the figure (expected a change of at most ±100% from one period to the next") in out
    # an indicator may allow more than the catalogue's default
    text = source_copy.catalogue.read_text(encoding="utf-8")
    source_copy.catalogue.write_text(text.replace("  om_nursery_children:\n", "  om_nursery_children:\n    plausible_change: 20\n"),
                                     encoding="utf-8")
    assert spi(["build", *source_copy.cli_args()]) == 0
    assert "changes by" not in capfd.readouterr().out


@pytest.mark.parametrize("muscat, ok", [("900", True), ("901", False)])
def test_governorates_add_up_to_the_country_when_the_catalogue_says_so(source_copy, capfd, muscat, ok):
    """`sum_to_country: true`: the governorates' figures (all of them published) must add up
    to the national figure."""
    from etl.catalogue import load_catalogue
    governorates = list(load_catalogue(source_copy.catalogue).geographies["JO"]["governorates"])
    text = source_copy.catalogue.read_text(encoding="utf-8")
    source_copy.catalogue.write_text(text.replace("  jo_child_safe_spaces:\n", "  jo_child_safe_spaces:\n    sum_to_country: true\n"),
                                     encoding="utf-8")
    rows = _read_csv(source_copy.raw / JO)
    n = _find_csv_row(rows, {"indicator_id": "jo_child_safe_spaces"})
    header = rows[0]
    national = list(rows[n])
    national[header.index("value")] = str(900 + 100 * (len(governorates) - 1))
    rows[n] = national
    for k, code in enumerate(governorates):
        row = list(national)
        row[header.index("geo")] = code
        row[header.index("value")] = muscat if k == 0 else "100"
        rows.append(row)
    _write_csv(source_copy.raw / JO, rows)
    assert spi(["build", *source_copy.cli_args()]) == (0 if ok else 1)
    if not ok:
        assert (f"ERROR: {JO}, row {len(rows) - len(governorates) + 1}, column 'geo': value '{governorates[0]}': "
                "the governorates of jo_child_safe_spaces (2024) add up to 2,001, not the national figure 2,000 "
                f"(expected parts that add up to the total); {len(governorates) - 1} more row(s) like it") \
            in capfd.readouterr().err


@pytest.mark.parametrize("cell, ok", [("40", True), ("70", False)])
def test_cross_classified_cells_add_up_to_their_margins(source_copy, capfd, cell, ok):
    """Figures by sex and by channel at once (male × self-service) must add up to their margin
    (male), as plain parts add up to the total, when both breakdowns are in `sum_to_total`."""
    text = source_copy.catalogue.read_text(encoding="utf-8")
    source_copy.catalogue.write_text(text.replace("indicators:\n", """indicators:
  om_cross_services:
    topic: social_protection_fund
    country: OM
    files: [om_spf_south_batinah.csv]
    unit: services
    measure: flow
    breakdowns: [sex, service_channel]
    sum_to_total: [sex, service_channel]
    name: {ar: خدمات حسب النوع والقناة, en: Services by sex and channel}
    definition: {ar: خدمات مقدمة حسب نوع المستفيد وقناة التقديم., en: Services by the beneficiary's sex and the channel.}
""", 1), encoding="utf-8")
    rows = [r + [""] for r in _read_csv(source_copy.raw / SPF)]   # a sex column, empty for the shipped rows
    rows[0][-1] = "sex"
    header = rows[0]

    def row(sex, channel, value):
        cells = dict.fromkeys(header, "")
        cells.update(indicator_id="om_cross_services", geo="جنوب الباطنة", period="2025-H1", sex=sex,
                     service_channel=channel, unit="خدمة", value=value, source_id="om_spf_south_batinah_2025")
        return [cells[h] for h in header]
    rows += [row("", "", "100"), row("ذكور", "", "60"), row("إناث", "", "40"),
             row("", "خدمات ذاتية", "50"), row("ذكور", "خدمات ذاتية", cell)]
    _write_csv(source_copy.raw / SPF, rows)
    assert spi(["build", *source_copy.cli_args()]) == (0 if ok else 1)
    if not ok:
        assert ("the service_channel parts of om_cross_services (OM-BJ, 2025-H1, sex=male) add up to 70, not the "
                "published total 60 (expected parts no larger than the total)") in capfd.readouterr().err
