"""Plausibility bounds per unit (`units.<unit>.plausible_max` in indicators.yaml, one number or
one per country): a figure above its unit's bound in its country is a warning naming the cell,
the figure as written and where the bound is set; a bound that is not a positive number, or for
a country the catalogue does not declare, is a catalogue error with its line."""
from __future__ import annotations

import re

import pytest
from openpyxl import load_workbook

from etl.build import build, validate_files
from etl.catalogue import CatalogueError, load_catalogue
from etl.report import WARNING
from spi.cli import main as spi

JO = "jo_social_protection_2024.csv"
NAT = "om_mosd_national.xlsx"
STAFF = "  staff: {kind: count, ar: موظف, en: staff, aliases: [موظفون, employees], plausible_max: {OM: 200000, JO: 500000, LB: 300000}, forms: {ar: {two: موظفان, few: موظفين, many: موظفًا}}}"


def _set_jo(raw, indicator: str, value: str) -> int:
    """Give the indicator's one row of the Jordanian CSV another value; the row's line number."""
    lines = (raw / JO).read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    hits = [n for n, line in enumerate(lines) if line.split(",")[0] == indicator]
    assert len(hits) == 1
    cells = lines[hits[0]].split(",")
    cells[header.index("value")] = value
    lines[hits[0]] = ",".join(cells)
    (raw / JO).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return hits[0] + 1


def _staff_line(catalogue) -> int:
    return catalogue.read_text(encoding="utf-8").splitlines().index(STAFF) + 1


def _bounded(issues):
    return [i for i in issues if "plausible maximum" in i.message]


@pytest.mark.parametrize("written, read", [("999 مليار", "999,000,000,000"), ("999999999999", "999,999,999,999")])
def test_a_figure_above_its_bound_warns_with_its_words(source_copy, capfd, written, read):
    row = _set_jo(source_copy.raw, "jo_psychosocial_team", written)
    line = _staff_line(source_copy.catalogue)
    capfd.readouterr()
    assert spi(["build", *source_copy.cli_args()]) == 0       # a warning, not an error: the figure is published
    report = capfd.readouterr()
    text = report.out + report.err
    print(text)
    expected = (f"WARNING: {JO}, row {row}, column 'value': value {written!r}: read as {read}, is above the plausible "
                f"maximum for staff in Jordan (500,000): check the figure (expected at most 500,000, the bound "
                f"`units.staff.plausible_max.JO` sets in indicators.yaml (line {line}); or that bound raised there, "
                "if the figure is right)")
    assert expected in text.splitlines()


def test_a_figure_below_its_bound_does_not_warn(source_copy):
    _set_jo(source_copy.raw, "jo_psychosocial_team", "499999")
    result = build(source_copy.raw, source_copy.catalogue, source_copy.out)
    assert result.ok and _bounded(result.issues) == []
    _set_jo(source_copy.raw, "jo_psychosocial_team", "500000")                    # the bound itself is plausible
    assert _bounded(build(source_copy.raw, source_copy.catalogue, source_copy.out).issues) == []


def test_the_shipped_figures_are_within_their_bounds(paths, tmp_path):
    result = build(paths.raw, paths.catalogue, tmp_path / "out")
    assert result.ok and _bounded(result.issues) == []
    cat = load_catalogue(paths.catalogue)
    assert all(cat.plausible_max(ind["unit"], ind["country"]) for ind in cat.indicators.values()), \
        "every shipped indicator's unit has a bound in its country"


def test_a_cell_of_a_workbook_is_named_with_its_sheet(source_copy):
    wb = load_workbook(source_copy.raw / NAT)
    ws = wb["data"]
    header = [c.value for c in ws[3]]
    row = next(r[0].row for r in ws.iter_rows(min_row=4) if r[0].value == "om_ss_cases" and r[header.index("sex")].value is None)
    ws.cell(row=row, column=header.index("2023") + 1, value="79597000")
    wb.save(source_copy.raw / NAT)
    found = _bounded(build(source_copy.raw, source_copy.catalogue, source_copy.out).issues)
    assert len(found) == 1, found
    issue = found[0]
    assert (issue.file, issue.sheet, issue.row, issue.column, issue.value, issue.severity) == \
        (NAT, "data", row, "2023", "79597000", WARNING)
    assert "is above the plausible maximum for cases in Oman (6,000,000): check the figure" in issue.message
    assert "`units.cases.plausible_max.OM`" in issue.expected


def test_one_bound_for_every_country(source_copy):
    """plausible_max: 100 bounds staff in Oman (124 specialists hired is above it) and Jordan alike."""
    text = source_copy.catalogue.read_text(encoding="utf-8")
    source_copy.catalogue.write_text(text.replace(STAFF, STAFF.replace("{OM: 200000, JO: 500000, LB: 300000}", "100")),
                                     encoding="utf-8")
    found = _bounded(build(source_copy.raw, source_copy.catalogue, source_copy.out).issues)
    assert found and any("for staff in Oman (100)" in i.message for i in found)
    assert all("`units.staff.plausible_max` sets" in i.expected for i in found)


def test_validate_warns_too(source_copy):
    _set_jo(source_copy.raw, "jo_psychosocial_team", "999 مليار")
    passed, issues = validate_files([source_copy.raw / JO], load_catalogue(source_copy.catalogue), source_copy.raw)
    assert passed > 0 and len(_bounded(issues)) == 1


BAD = [
    ("negative", "-5", r"units\.staff\.plausible_max: -5 is less than or equal to the minimum of 0"),
    ("zero", "0", r"units\.staff\.plausible_max: 0 is less than or equal to the minimum of 0"),
    ("words", "lots", r"units\.staff\.plausible_max: 'lots' is not of type 'number', 'object'"),
    ("true", "true", r"units\.staff\.plausible_max: True is not of type 'number', 'object'"),
    ("empty mapping", "{}", r"units\.staff\.plausible_max: \{\} should be non-empty"),
    ("a country's negative", "{OM: -1}", r"units\.staff\.plausible_max\.OM: -1 is less than or equal to the minimum of 0"),
    ("a country's words", "{OM: many}", r"units\.staff\.plausible_max\.OM: 'many' is not of type 'number'"),
    ("not a code", "{oman: 10}", r"units\.staff\.plausible_max: 'oman' does not match"),
    ("undeclared country", "{OM: 10, SY: 10}",
     r"units\.staff\.plausible_max\.SY: 'SY' is not a country of the catalogue \(one of \['JO', 'LB', 'OM'\]"),
    ("not a number", ".nan", r"units\.staff\.plausible_max: nan is not a positive number"),
    ("infinite", ".inf", r"units\.staff\.plausible_max: inf is not a positive number"),
]


@pytest.mark.parametrize("bound, message", [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_a_bad_bound_is_a_catalogue_error_with_its_line(source_copy, bound, message):
    text = source_copy.catalogue.read_text(encoding="utf-8")
    line = _staff_line(source_copy.catalogue)
    source_copy.catalogue.write_text(text.replace(STAFF, STAFF.replace("{OM: 200000, JO: 500000, LB: 300000}", bound)),
                                     encoding="utf-8")
    with pytest.raises(CatalogueError) as exc:
        load_catalogue(source_copy.catalogue)
    print(exc.value)
    assert re.match(rf"indicators\.yaml: line {line}: {message}", str(exc.value)), str(exc.value)


def test_rows_of_one_cause_are_one_warning(source_copy, tmp_path):
    """A bound every figure of a unit is above (cases: 10) gives one warning per file, sheet,
    column and indicator, with how many rows share it, as the errors do."""
    text = source_copy.catalogue.read_text(encoding="utf-8")
    cases = "plausible_max: {OM: 6000000, JO: 12000000, LB: 7000000}"
    line = next(n for n in text.splitlines() if n.startswith("  cases: "))
    source_copy.catalogue.write_text(text.replace(line, line.replace(cases, "plausible_max: 10")), encoding="utf-8")
    found = _bounded(build(source_copy.raw, source_copy.catalogue, source_copy.out).issues)
    assert any(i.count > 1 and len(i.more_rows) == min(i.count - 1, 5) for i in found)
    import duckdb
    built = build(source_copy.raw, source_copy.catalogue, tmp_path / "again")
    con = duckdb.connect(str(tmp_path / "again" / "indicators.duckdb"), read_only=True)
    above = con.execute("SELECT count(*) FROM observations WHERE unit = 'cases' AND value > 10").fetchone()[0]
    assert sum(i.count for i in _bounded(built.issues)) == above > len(found)
    print("\n".join(map(str, found)))
