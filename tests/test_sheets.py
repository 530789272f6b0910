"""etl/sheets.py: one workbook, written as .xlsx (openpyxl), .xls (xlwt) and .ods (odfpy) in a temp dir,
reads the same everywhere: every Sheet field, every cell's value, the coordinates of what cannot be read;
and the files that are refused say why (damaged, cut, encrypted, empty, not what their name says)."""
from __future__ import annotations

import re
import shutil
import struct
import zipfile
from datetime import datetime
from pathlib import Path

import pytest

from etl import sheets as sheets_module
from etl.sheets import SUFFIXES, CellRange, SheetProblem, open_workbook


class Formula:
    """A formula as each format writes it; `cached`: the value saved with it (None: never computed)."""

    def __init__(self, xlsx: str, xls: str, ods: str, cached=None):
        self.xlsx, self.xls, self.ods, self.cached = xlsx, xls, ods, cached


class Error:
    def __init__(self, text: str = "#DIV/0!"):
        self.text = text


TITLE = "جدول 3-1: حالات الضمان الاجتماعي حسب المحافظة"
MAIN = {   # (row, col) -> value; the yearbook sheet: merged title, hidden row 4 and column C
    (1, 1): TITLE,
    (2, 1): "المحافظة", (2, 2): 2021, (2, 3): 2022, (2, 4): "2023*",
    (3, 1): "مسقط", (3, 2): 10, (3, 3): 2.5, (3, 4): "1,234",
    (4, 1): "ظفار", (4, 2): 7, (4, 4): datetime(2024, 3, 1),             # (4, 3) empty
    (5, 1): "الإجمالي", (5, 2): Formula("=SUM(B3:B4)", "SUM(B3:B4)", "of:=SUM([.B3:.B4])", cached=17),
    (5, 3): -3, (5, 4): True,
    (6, 1): datetime(2024, 3, 1, 10, 20), (6, 2): False, (6, 3): 1234567.25,
    (7, 6): "المصدر: وزارة التنمية الاجتماعية",
    (8, 1): "دمج",
}
MAIN_MERGED = (CellRange(1, 1, 1, 4), CellRange(8, 1, 9, 2))
FORMULAS = {   # a sheet with a formula never computed (no hidden rows: openpyxl's read-only path)
    (1, 1): "الإجمالي", (1, 2): Formula("=2*3", "2*3", "of:=2*3", cached=6),
    (1, 3): Formula("=B1+1", "B1+1", "of:=[.B1]+1"),
    (1, 4): Error("#DIV/0!"),
    (2, 1): "بعد",
}
SHEETS = {   # name -> (cells, state, merged, hidden rows, hidden cols)
    "جدول 3-1": (MAIN, "visible", MAIN_MERGED, {4}, {3}),
    "صيغ": (FORMULAS, "visible", (), set(), set()),
    "مخفية": ({(1, 1): "سر", (2, 2): 5}, "hidden", (), set(), set()),
    "مخفية جدا": ({(2, 2): "ب"}, "veryHidden", (), set(), set()),
    "فارغة": ({}, "visible", (), set(), set()),
}


# ---------------------------------------------------------------------------------------------
# Writers

def write_xlsx(path: Path, spec=SHEETS, computed: bool = True) -> Path:
    """openpyxl writes formulas without their values (`<v/>`, or `<v></v>` when it writes with lxml);
    `computed` then saves the cached ones and drops fullCalcOnLoad, as Excel does when it saves the file."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter
    wb = Workbook()
    wb.remove(wb.active)
    cached = {}
    for n, (name, (cells, state, merged, rows, cols)) in enumerate(spec.items(), start=1):
        ws = wb.create_sheet(name)
        ws.sheet_state = state
        for (r, c), v in cells.items():
            if isinstance(v, Formula):
                ws.cell(r, c, v.xlsx)
                if v.cached is not None:
                    cached[(n, ws.cell(r, c).coordinate)] = v.cached
            elif isinstance(v, Error):
                cell = ws.cell(r, c, v.text)
                cell.data_type = "e"
            else:
                ws.cell(r, c, v)
        for m in merged:
            ws.merge_cells(start_row=m.min_row, start_column=m.min_col, end_row=m.max_row, end_column=m.max_col)
        for r in rows:
            ws.row_dimensions[r].hidden = True
        for c in cols:
            ws.column_dimensions[get_column_letter(c)].hidden = True
    wb.save(path)
    if computed:
        def edit(name, data):
            if name == "xl/workbook.xml":
                return data.replace(b' fullCalcOnLoad="1"', b"")
            sheet = re.fullmatch(r"xl/worksheets/sheet(\d+)\.xml", name)
            for (n, ref), value in cached.items():
                if sheet and int(sheet.group(1)) == n:
                    data = re.sub(rb'(<c r="' + ref.encode() + rb'"[^>]*><f>[^<]*</f>)(?:<v\s*/>|<v></v>)',
                                  rb"\g<1><v>" + str(value).encode() + b"</v>", data)
            return data
        rezip(path, edit)
    return path


def rezip(path: Path, edit) -> None:
    with zipfile.ZipFile(path) as z:
        members = [(info, edit(info.filename, z.read(info.filename))) for info in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in members:
            z.writestr(info, data)


def write_xls(path: Path, spec=SHEETS, filepass: bool = False) -> Path:
    """xlwt writes every formula with the empty string as its value; a cached value is put into the
    FORMULA record as Excel saves it (a float). `filepass`: a FILEPASS record, as an encrypted file has."""
    import xlwt
    wb = xlwt.Workbook(encoding="utf-8")
    date, stamp = xlwt.easyxf(num_format_str="yyyy-mm-dd"), xlwt.easyxf(num_format_str="yyyy-mm-dd hh:mm")
    cached = {}
    for name, (cells, state, merged, rows, cols) in spec.items():
        ws = wb.add_sheet(name)
        ws.visibility = {"visible": 0, "hidden": 1, "veryHidden": 2}[state]
        covered = {(r, c) for m in merged for r in range(m.min_row, m.max_row + 1)
                   for c in range(m.min_col, m.max_col + 1)}
        for m in merged:
            ws.write_merge(m.min_row - 1, m.max_row - 1, m.min_col - 1, m.max_col - 1, cells.get((m.min_row, m.min_col)))
        for (r, c), v in cells.items():
            if (r, c) in covered:
                continue
            if isinstance(v, Formula):
                ws.write(r - 1, c - 1, xlwt.Formula(v.xls))
                if v.cached is not None:
                    cached[(r - 1, c - 1)] = v.cached
            elif isinstance(v, Error):
                ws.row(r - 1).set_cell_error(c - 1, v.text)
            elif isinstance(v, datetime):
                ws.write(r - 1, c - 1, v, stamp if (v.hour, v.minute) != (0, 0) else date)
            else:
                ws.write(r - 1, c - 1, v)
        for r in rows:
            ws.row(r - 1).hidden = True
        for c in cols:
            ws.col(c - 1).hidden = True
    stream = bytearray(wb.get_biff_data())
    at = 0
    while at + 4 <= len(stream):              # the cached values, into the FORMULA records
        code, size = struct.unpack_from("<HH", stream, at)
        if code == 0x0006:
            r, c = struct.unpack_from("<HH", stream, at + 4)
            if (r, c) in cached:               # (cells of that place on other sheets are not formulas here)
                struct.pack_into("<d", stream, at + 10, float(cached[(r, c)]))
        at += 4 + size
    if filepass:
        bof_size = struct.unpack_from("<H", stream, 2)[0]
        record = struct.pack("<HHH", 0x002F, 6 + 48, 1) + struct.pack("<HH", 1, 1) + bytes(48)
        stream[4 + bof_size:4 + bof_size] = record
        at = 0
        while at + 4 <= len(stream):          # BOUNDSHEET: each sheet's position in the stream moves
            code, size = struct.unpack_from("<HH", stream, at)
            if code == 0x0085:
                struct.pack_into("<I", stream, at + 4, struct.unpack_from("<I", stream, at + 4)[0] + len(record))
            at += 4 + size
    from xlwt.CompoundDoc import XlsDoc
    XlsDoc().save(str(path), bytes(stream))
    return path


def write_ods(path: Path, spec=SHEETS) -> Path:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.style import Style, TableProperties
    from odf.table import CoveredTableCell, Table, TableCell, TableColumn, TableRow
    from odf.text import P
    doc = OpenDocumentSpreadsheet()
    hide = Style(name="ta_hidden", family="table")
    hide.addElement(TableProperties(display="false"))
    doc.automaticstyles.addElement(hide)

    def cell(v, **kw):
        if v is None:
            return TableCell(**kw)
        if isinstance(v, Formula):
            if v.cached is None:
                return TableCell(formula=v.ods, **kw)
            c = TableCell(formula=v.ods, valuetype="float", value=str(v.cached), **kw)
            text = str(v.cached)
        elif isinstance(v, Error):
            c = TableCell(formula="of:=1/0", valuetype="float", value="0", **kw)
            c.setAttrNS("urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0", "value-type", "error")
            text = v.text
        elif isinstance(v, bool):
            c, text = TableCell(valuetype="boolean", booleanvalue=str(v).lower(), **kw), str(v).upper()
        elif isinstance(v, (int, float)):
            c, text = TableCell(valuetype="float", value=str(v), **kw), str(v)
        elif isinstance(v, datetime):
            c, text = TableCell(valuetype="date", datevalue=v.isoformat(), **kw), v.isoformat()
        else:
            c, text = TableCell(valuetype="string", **kw), v
        c.addElement(P(text=text))
        return c

    for name, (cells, state, merged, rows, cols) in spec.items():
        table = Table(name=name, **({"stylename": hide} if state != "visible" else {}))
        n_rows = max([r for r, _ in cells] + [m.max_row for m in merged] + [0])
        n_cols = max([c for _, c in cells] + [m.max_col for m in merged] + [0])
        for c in range(1, n_cols + 1):
            table.addElement(TableColumn(**({"visibility": "collapse"} if c in cols else {})))
        covered = {(r, c) for m in merged for r in range(m.min_row, m.max_row + 1)
                   for c in range(m.min_col, m.max_col + 1) if (r, c) != (m.min_row, m.min_col)}
        spans = {(m.min_row, m.min_col): m for m in merged}
        for r in range(1, n_rows + 1):
            row = TableRow(**({"visibility": "collapse"} if r in rows else {}))
            for c in range(1, n_cols + 1):
                if (r, c) in covered:
                    row.addElement(CoveredTableCell())
                    continue
                m = spans.get((r, c))
                kw = {"numbercolumnsspanned": m.max_col - m.min_col + 1,
                      "numberrowsspanned": m.max_row - m.min_row + 1} if m else {}
                row.addElement(cell(cells.get((r, c)), **kw))
            table.addElement(row)
        doc.spreadsheet.addElement(table)
    doc.save(str(path))
    return path


WRITERS = {".xlsx": write_xlsx, ".xls": write_xls, ".ods": write_ods}


@pytest.fixture(scope="module")
def twins(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("twins")
    return {suffix: write(folder / f"yearbook{suffix}") for suffix, write in WRITERS.items()}


def expected_value(v):
    if isinstance(v, Formula):
        return v.cached
    if isinstance(v, Error):
        return v.text
    return v


def same(a, b) -> bool:
    """The same value: numbers equal whatever int or float, and a bool only a bool."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    return type(a) is type(b) and a == b


# ---------------------------------------------------------------------------------------------
# What every format reads

@pytest.mark.parametrize("suffix", WRITERS)
def test_every_sheet_field_in_every_format(twins, suffix):
    with open_workbook(twins[suffix]) as wb:
        assert wb.sheet_names == list(SHEETS)          # workbook order, hidden ones included
        main = wb.sheet("جدول 3-1")
        assert (main.name, main.hidden, main.n_rows, main.n_cols) == ("جدول 3-1", False, 8, 6)
        assert main.hidden_rows == frozenset({4}) and main.hidden_cols == frozenset({3})
        assert main.merged == MAIN_MERGED
        assert wb.sheet("مخفية").hidden and wb.sheet("مخفية جدا").hidden   # (.ods has no "very hidden")
        assert not wb.sheet("صيغ").hidden
        hidden = wb.sheet("مخفية")
        assert (hidden.n_rows, hidden.n_cols) == (2, 2) and same(hidden.value(2, 2), 5)
        assert wb.sheet("مخفية جدا").value(2, 2) == "ب" and wb.sheet("مخفية جدا").value(1, 1) is None
        empty = wb.sheet("فارغة")
        assert (empty.n_rows, empty.n_cols, empty.rows(), empty.merged) == (0, 0, [], ())
        assert empty.value(1, 1) is None


@pytest.mark.parametrize("suffix", WRITERS)
def test_every_cell_as_written(twins, suffix):
    """Each cell as saved: numbers, text (Arabic), dates, booleans, the cached value of a formula; an
    empty cell and a merged range's cells other than its top-left are None; rows() is the same."""
    with open_workbook(twins[suffix]) as wb:
        main = wb.sheet("جدول 3-1")
        rows = main.rows()
        assert len(rows) == 8 and {len(r) for r in rows} == {6}
        for r in range(1, 11):
            for c in range(1, 9):
                want = expected_value(MAIN.get((r, c)))
                got = main.value(r, c)
                assert same(got, want) or (got is None and want is None), (suffix, r, c, got, want)
                if r <= 8 and c <= 6:
                    assert same(rows[r - 1][c - 1], got) or rows[r - 1][c - 1] is got is None
        assert isinstance(main.value(4, 4), datetime) and main.value(4, 4) == datetime(2024, 3, 1)
        assert main.value(6, 1) == datetime(2024, 3, 1, 10, 20)
        assert main.value(5, 4) is True and main.value(6, 2) is False
        assert main.value(1, 2) is None and main.value(9, 2) is None      # inside merged ranges
        with pytest.raises(ValueError):
            main.value(0, 1)


def test_the_twins_give_the_same_values_cell_by_cell(twins):
    read = {}
    for suffix, path in twins.items():
        with open_workbook(path) as wb:
            read[suffix] = {name: wb.sheet(name) for name in wb.sheet_names}
    xlsx = read[".xlsx"]
    for suffix in (".xls", ".ods"):
        for name, sheet in xlsx.items():
            twin = read[suffix][name]
            assert (twin.n_rows, twin.n_cols, twin.hidden_rows, twin.hidden_cols, twin.merged) == \
                   (sheet.n_rows, sheet.n_cols, sheet.hidden_rows, sheet.hidden_cols, sheet.merged), (suffix, name)
            for r in range(1, sheet.n_rows + 1):
                for c in range(1, sheet.n_cols + 1):
                    try:
                        a = sheet.value(r, c)
                    except SheetProblem as problem:
                        with pytest.raises(SheetProblem) as other:
                            twin.value(r, c)
                        assert (other.value.row, other.value.column) == (problem.row, problem.column)
                        continue
                    b = twin.value(r, c)
                    assert same(a, b) or a is b is None, (suffix, name, r, c, a, b)


@pytest.mark.parametrize("suffix", WRITERS)
def test_a_formula_never_computed_names_its_cell_and_formula(twins, suffix):
    with open_workbook(twins[suffix]) as wb:
        sheet = wb.sheet("صيغ")
        assert (sheet.n_rows, sheet.n_cols) == (2, 4)
        assert same(sheet.value(1, 2), 6)                         # a formula with its saved value
        assert sheet.value(1, 4) == "#DIV/0!"                     # an error, as printed (not empty)
        with pytest.raises(SheetProblem) as cell:
            sheet.value(1, 3)
        with pytest.raises(SheetProblem) as whole:
            sheet.rows()
        for problem in (cell.value, whole.value):
            assert problem.message == "a formula with no saved value, which reads as an empty cell"
            assert (problem.sheet, problem.row, problem.column) == ("صيغ", 1, "C")
            # as each writes it: xlwt stores the 1 as a floating-point token, and xlrd decompiles it so
            assert problem.value == {".xlsx": "=B1+1", ".xls": "=B1+1.0", ".ods": "=[.B1]+1"}[suffix]
            assert "saved once in Excel or LibreOffice" in problem.expected


def test_xlsx_formula_on_a_sheet_with_hidden_rows(tmp_path):
    """openpyxl's full load (hidden rows) finds the formulas too."""
    spec = {"s": ({(1, 1): 1, (2, 1): Formula("=A1*2", "", ""), (3, 1): 3}, "visible", (), {3}, set())}
    with open_workbook(write_xlsx(tmp_path / "h.xlsx", spec)) as wb:
        sheet = wb.sheet("s")
        assert sheet.hidden_rows == {3} and sheet.value(1, 1) == 1
        with pytest.raises(SheetProblem, match="no saved value") as problem:
            sheet.value(2, 1)
        assert (problem.value.row, problem.value.column, problem.value.value) == (2, "A", "=A1*2")


def test_a_formula_at_the_edge_of_the_used_range_is_in_it(tmp_path):
    spec = {"s": ({(1, 1): 1, (4, 3): Formula("=A1", "A1", "of:=[.A1]")}, "visible", (), set(), set())}
    for suffix, write in WRITERS.items():
        with open_workbook(write(tmp_path / f"edge{suffix}", spec)) as wb:
            sheet = wb.sheet("s")
            assert (sheet.n_rows, sheet.n_cols) == (4, 3), suffix
            with pytest.raises(SheetProblem) as problem:
                sheet.rows()
            assert (problem.value.row, problem.value.column) == (4, "C"), suffix


def test_xlsx_written_by_a_program_that_asks_for_recalculation(tmp_path):
    """XlsxWriter saves 0 as every formula's value and sets fullCalcOnLoad: not a computed figure."""
    import xlsxwriter
    path = tmp_path / "xw.xlsx"
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("data")
    ws.write("A1", 5)
    ws.write_formula("B1", "=A1*2")
    book.close()
    with open_workbook(path) as wb:
        sheet = wb.sheet("data")
        assert sheet.value(1, 1) == 5
        with pytest.raises(SheetProblem, match="not computed by a spreadsheet") as problem:
            sheet.value(1, 2)
        assert (problem.value.row, problem.value.column, problem.value.value) == (1, "B", "=A1*2")
    uncomputed = write_xlsx(tmp_path / "calc.xlsx", {"s": ({(1, 1): Formula("=1+1", "", "", cached=2)}, "visible",
                                                         (), set(), set())}, computed=False)
    with open_workbook(uncomputed) as wb:
        with pytest.raises(SheetProblem, match="no saved value"):
            wb.sheet("s").value(1, 1)


def test_a_plain_xlsx_sheet_is_read_by_calamine_alone(tmp_path, monkeypatch):
    """No hidden rows or columns, formulas or errors in the sheet's XML: openpyxl is not opened."""
    path = write_xlsx(tmp_path / "plain.xlsx", {"data": ({(1, 1): "indicator_id", (1, 2): "value", (2, 1): "x",
                                                          (2, 2): 3.5}, "visible", (CellRange(3, 1, 3, 2),), set(), set())})

    def no_openpyxl(*a, **kw):
        raise AssertionError("openpyxl opened for a plain sheet")
    monkeypatch.setattr(sheets_module, "_openpyxl_workbook", no_openpyxl)
    with open_workbook(path) as wb:
        sheet = wb.sheet("data")
        assert sheet.rows() == [("indicator_id", "value"), ("x", 3.5)]
        assert sheet.merged == ()                       # (its top-left is outside the used range)


def test_xlsx_hidden_column_ranges_and_xlsm(tmp_path):
    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    ws.title = "s"
    for c in range(1, 8):
        ws.cell(1, c, c)
    ws.column_dimensions.group("C", "E", hidden=True)
    ws.column_dimensions["G"].hidden = True
    path = tmp_path / "cols.xlsm"
    wb.save(path)
    with open_workbook(path) as book:
        sheet = book.sheet("s")
        assert sheet.hidden_cols == {3, 4, 5, 7} and sheet.hidden_rows == frozenset()
        assert sheet.rows() == [(1, 2, 3, 4, 5, 6, 7)]


def test_ods_covered_cells_repeats_and_filtered_rows(tmp_path):
    """A covered cell that keeps a value (LibreOffice can) is None; repeated rows and columns count;
    a row hidden by a filter is hidden; hidden rows beyond the used range are left out."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body>'
        '<office:spreadsheet><table:table table:name="s">'
        '<table:table-column table:number-columns-repeated="2"/>'
        '<table:table-column table:number-columns-repeated="2" table:visibility="collapse"/>'
        '<table:table-column table:number-columns-repeated="1020"/>'
        '<table:table-header-rows><table:table-row>'
        '<table:table-cell office:value-type="string" table:number-columns-spanned="2"><text:p>عنوان</text:p></table:table-cell>'
        '<table:covered-table-cell office:value-type="float" office:value="9"><text:p>9</text:p></table:covered-table-cell>'
        '<table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="2"><text:p>1</text:p></table:table-cell>'
        '</table:table-row></table:table-header-rows>'
        '<table:table-row table:number-rows-repeated="2" table:visibility="filter">'
        '<table:table-cell office:value-type="float" office:value="2"><text:p>2</text:p></table:table-cell></table:table-row>'
        '<table:table-row><table:table-cell table:number-columns-repeated="3"/>'
        '<table:table-cell office:value-type="string"><text:p>z</text:p></table:table-cell></table:table-row>'
        '<table:table-row table:number-rows-repeated="1048572" table:visibility="collapse">'
        '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>'
        '</table:table></office:spreadsheet></office:body></office:document-content>')
    path = tmp_path / "hand.ods"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        z.writestr("content.xml", content)
        z.writestr("META-INF/manifest.xml", '<?xml version="1.0"?><manifest:manifest '
                   'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>')
    with open_workbook(path) as wb:
        sheet = wb.sheet("s")
        assert (sheet.n_rows, sheet.n_cols) == (4, 4)
        assert sheet.rows() == [("عنوان", None, 1, 1), (2, None, None, None), (2, None, None, None),
                                (None, None, None, "z")]
        assert sheet.merged == (CellRange(1, 1, 1, 2),)
        assert sheet.hidden_rows == {2, 3} and sheet.hidden_cols == {3, 4}


# ---------------------------------------------------------------------------------------------
# Refusals

def problem_of(path: Path) -> SheetProblem:
    with pytest.raises(SheetProblem) as caught:
        with open_workbook(path) as wb:
            for name in wb.sheet_names:
                wb.sheet(name).rows()
    return caught.value


def test_a_missing_sheet(twins):
    with open_workbook(twins[".xlsx"]) as wb, pytest.raises(SheetProblem, match=r"no sheet named 'x' \(found"):
        wb.sheet("x")


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_an_empty_file(tmp_path, suffix):
    path = tmp_path / f"empty{suffix}"
    path.write_bytes(b"")
    assert problem_of(path).message == "the file is empty (0 bytes)"


def test_a_damaged_zip_and_a_csv_under_the_xlsx_name(twins, tmp_path):
    data = twins[".xlsx"].read_bytes()
    (tmp_path / "cut.xlsx").write_bytes(data[: len(data) // 2])
    assert problem_of(tmp_path / "cut.xlsx").message == "not a readable Excel workbook (BadZipFile)"
    (tmp_path / "csv.xlsx").write_text("indicator_id,value\nx,1\n")
    assert problem_of(tmp_path / "csv.xlsx").message == "not a readable Excel workbook (BadZipFile)"
    (tmp_path / "cut.ods").write_bytes(twins[".ods"].read_bytes()[:300])
    assert problem_of(tmp_path / "cut.ods").message.startswith("not a readable OpenDocument spreadsheet (BadZipFile)")


@pytest.mark.parametrize("fraction", [0.1, 0.5, 0.97])
def test_a_sheet_whose_xml_is_cut(twins, tmp_path, fraction):
    """calamine reads a sheet XML cut before or after its sheetData as whole (empty, or without its
    merged cells): the part must end with its closing tag."""
    path = tmp_path / "cut.xlsx"
    shutil.copy(twins[".xlsx"], path)
    rezip(path, lambda name, data: data[: int(len(data) * fraction)] if name == "xl/worksheets/sheet1.xml" else data)
    problem = problem_of(path)
    assert problem.message.startswith("the workbook is damaged and cannot be read")
    assert problem.expected == "the workbook saved again by Excel or LibreOffice"


def test_cut_shared_strings_and_ods_content(twins, tmp_path):
    path = tmp_path / "sst.xlsx"
    write_xlsx(path, {"s": ({(1, 1): "نص"}, "visible", (), set(), set())})
    with zipfile.ZipFile(path) as z:
        assert "xl/sharedStrings.xml" not in z.namelist()      # openpyxl writes inline strings: add a table
    rezip(path, lambda name, data: data)
    with zipfile.ZipFile(path, "a") as z:
        z.writestr("xl/sharedStrings.xml", '<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/'
                   'spreadsheetml/2006/main" count="1"><si><t>x</t></si>')
    assert problem_of(path).message.startswith("the workbook is damaged")
    ods = tmp_path / "cut.ods"
    shutil.copy(twins[".ods"], ods)
    rezip(ods, lambda name, data: data[: len(data) * 2 // 3] if name == "content.xml" else data)
    assert problem_of(ods).message.startswith("the workbook is damaged")


def test_a_truncated_xls(twins, tmp_path):
    data = twins[".xls"].read_bytes()
    for n, cut in enumerate((len(data) // 2, 3000, 600)):
        path = tmp_path / f"cut{n}.xls"
        path.write_bytes(data[:cut])
        assert problem_of(path).message.startswith("the workbook is damaged and cannot be read"), cut


def test_encrypted_workbooks(twins, tmp_path):
    from msoffcrypto.format.ooxml import OOXMLFile
    with open(twins[".xlsx"], "rb") as plain, open(tmp_path / "enc.xlsx", "wb") as out:
        OOXMLFile(plain).encrypt("secret", out)
    xls = write_xls(tmp_path / "enc.xls", filepass=True)
    ods = tmp_path / "enc.ods"
    shutil.copy(twins[".ods"], ods)
    entry = b'manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    sealed = (b'manifest:full-path="content.xml" manifest:media-type="text/xml"><manifest:encryption-data '
              b'manifest:checksum-type="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0#sha256-1k" manifest:checksum="AA==">'
              b'<manifest:algorithm manifest:algorithm-name="http://www.w3.org/2001/04/xmlenc#aes256-cbc" '
              b'manifest:initialisation-vector="AA=="/></manifest:encryption-data></manifest:file-entry>')

    def encrypt(name, data):
        if name == "META-INF/manifest.xml":
            assert entry in data
            return data.replace(entry, sealed)
        return bytes(range(256)) * 8 if name == "content.xml" else data
    rezip(ods, encrypt)
    for path in (tmp_path / "enc.xlsx", xls, ods):
        problem = problem_of(path)
        assert problem.message == "the workbook is encrypted (it has a password to open)", path
        assert problem.expected == "the workbook saved without a password to open"


def test_a_file_that_is_not_what_its_name_says(twins, tmp_path):
    shutil.copy(twins[".xls"], tmp_path / "old.xlsx")
    assert problem_of(tmp_path / "old.xlsx").message == "an .xls workbook (Excel 97-2003) under the .xlsx name"
    shutil.copy(twins[".xlsx"], tmp_path / "new.xls")
    assert problem_of(tmp_path / "new.xls").message == "an .xlsx or .ods workbook under the .xls name"
    (tmp_path / "page.xls").write_text("<html><body><table><tr><td>1</td></tr></table></body></html>")
    assert problem_of(tmp_path / "page.xls").message.startswith("a web page or an XML file under the .xls name")
    shutil.copy(twins[".ods"], tmp_path / "ods.xlsx")
    assert problem_of(tmp_path / "ods.xlsx").message == "an OpenDocument spreadsheet under the .xlsx name"
    shutil.copy(twins[".xlsx"], tmp_path / "xlsx.ods")
    assert problem_of(tmp_path / "xlsx.ods").message == "an .xlsx workbook under the .ods name"
    (tmp_path / "text.ods").write_bytes(b"PK\x03\x04")
    assert problem_of(tmp_path / "text.ods").message == "not a readable OpenDocument spreadsheet (BadZipFile)"
    (tmp_path / "text.xls").write_bytes(b"\x00\x01 not a workbook at all")
    assert problem_of(tmp_path / "text.xls").message.startswith("not a readable Excel workbook")


@pytest.mark.parametrize("name", ["t.xlsb", "t.fods", "t.csv", "t.numbers", "t"])
def test_a_format_it_does_not_read(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"PK\x03\x04 something")
    problem = problem_of(path)
    assert problem.message.startswith("unsupported file type") and ".xlsx" in problem.expected


def test_formats_it_cannot_read_as_printed(twins, tmp_path):
    """A Strict Open XML workbook, and an .ods table inside a cell: refused with a sentence to save as .xlsx."""
    strict = tmp_path / "strict.xlsx"
    shutil.copy(twins[".xlsx"], strict)
    rezip(strict, lambda name, data: data.replace(b"http://schemas.openxmlformats.org/spreadsheetml/2006/main",
                                                  b"http://purl.oclc.org/ooxml/spreadsheetml/main"))
    problem = problem_of(strict)
    assert problem.message.startswith("a Strict Open XML workbook") and "(.xlsx)" in problem.expected
    nested = tmp_path / "nested.ods"
    shutil.copy(twins[".ods"], nested)
    rezip(nested, lambda name, data: data.replace(
        "<text:p>مسقط</text:p>".encode(), '<table:table table:name="sub"><table:table-row><table:table-cell/>'
        "</table:table-row></table:table>".encode(), 1) if name == "content.xml" else data)
    with open_workbook(nested) as wb:
        with pytest.raises(SheetProblem, match="a table inside a cell") as caught:
            wb.sheet("جدول 3-1")
        assert caught.value.sheet == "جدول 3-1"
        assert wb.sheet("صيغ").value(1, 1) == "الإجمالي"


def test_dates_of_a_1904_workbook_and_a_merge_larger_than_the_sheet(tmp_path):
    """A workbook counting days from 1904 gives the same dates; a merged range reaching far past the
    used range is kept (its top-left is printed) without filling a million cells."""
    from openpyxl import Workbook
    from openpyxl.utils.datetime import CALENDAR_MAC_1904
    wb = Workbook()
    wb.epoch = CALENDAR_MAC_1904
    ws = wb.active
    ws.title = "s"
    ws["A1"], ws["B1"] = datetime(2024, 3, 1), datetime(1999, 12, 31, 23, 30)
    ws["A3"] = "ملاحظة"
    ws.merge_cells("A3:B3")                 # (openpyxl makes an object of every merged cell: widened after)
    wb.save(tmp_path / "mac.xlsx")
    rezip(tmp_path / "mac.xlsx", lambda name, data: data.replace(b'ref="A3:B3"', b'ref="A3:Z1000000"'))
    with open_workbook(tmp_path / "mac.xlsx") as book:
        sheet = book.sheet("s")
        assert sheet.rows() == [(datetime(2024, 3, 1), datetime(1999, 12, 31, 23, 30)), (None, None), ("ملاحظة", None)]
        assert sheet.merged == (CellRange(3, 1, 1000000, 26),)
