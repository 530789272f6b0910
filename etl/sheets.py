"""One reader of spreadsheets, every format (.xlsx/.xlsm, .xls, .ods), that knows what was printed.

The rule of the data: only what was printed is read, and every figure keeps its provenance (sheet,
row, column letter). So a reader must say, for every sheet, whether it is hidden; which rows and
columns are hidden; which cells are merged (a merged range's cells other than its top-left are
None: they were not printed, and the caller decides what they mean); and it must never let a
formula whose value was never computed read as an empty cell. No single library says all of that
for every format, so each fact is taken from a well-kept reader where one gives it, and the rest is
read from the file itself only where that is small and safe:

| fact                        | .xlsx / .xlsm                      | .xls                        | .ods                               |
|-----------------------------|------------------------------------|-----------------------------|------------------------------------|
| values                      | python-calamine                    | python-calamine             | python-calamine                    |
| sheet hidden / very hidden  | python-calamine (sheets_metadata)  | python-calamine             | python-calamine, and the table's   |
|                             |                                    |                             | style (table:display="false")      |
| merged ranges               | python-calamine                    | xlrd, and calamine agrees   | content.xml (number-*-spanned)     |
| hidden rows / columns       | openpyxl, when the sheet XML has   | xlrd (formatting_info)      | content.xml (table:visibility      |
|                             | a hidden="1"                       |                             | collapse or filter)                |
| formulas                    | openpyxl, when the sheet XML has   | the sheet's FORMULA records | content.xml (table:formula)        |
|                             | a formula element                  | (text decompiled by xlrd)   |                                    |
| error values (#DIV/0!)      | openpyxl, when the XML has t="e"   | xlrd                        | content.xml (calcext:value-type)   |

Why this split (bench/bench_sheets.py measures it): python-calamine (Rust) reads a 100,000-row
sheet's values about seven times faster than openpyxl's read-only mode, but version 0.9.1 gives
neither hidden rows and columns nor formulas, reads error cells as empty, gives no merged ranges
for .ods, and reads an .xlsx sheet whose XML is cut short after its data as if it were whole. So
an .xlsx sheet's XML is streamed once from the zip (a fraction of calamine's time): it must end
with its closing tag (else the workbook is damaged), and openpyxl is asked for the detail only
when the XML holds a hidden row or column, a formula or an error value. A big sheet with hidden
rows or formulas pays openpyxl's time; a plain one does not.

A formula "with no saved value" is one whose saved value is empty (a program such as openpyxl or
xlwt wrote the formula and no spreadsheet ever computed it; in an .xls the value a program writes
is the empty string, so a formula computed to "" reads the same and is refused too, as
etl/extract.py does today): it raises SheetProblem naming the cell and the formula, whichever
format. An .xlsx whose calcPr says fullCalcOnLoad (XlsxWriter and openpyxl write it, to ask for a
recalculation when the file is opened; a workbook saved by Excel does not carry it) holds values
its writer put there, not computed ones (XlsxWriter saves 0 for every formula): its formulas raise
too. Values are as the library gives them: int or float
for numbers (an integer-valued float stays a float), str for text, datetime for dates (a date
alone is a datetime at midnight), bool for booleans, the printed text for an error (#DIV/0!), and
None for an empty cell; the same cell gives the same value whatever the format.

Rows and columns are 1-based. n_rows and n_cols are the used range: from A1 to the last row and
column that hold a value (or a formula); hidden_rows and hidden_cols are within it, and so is the
top-left cell of every range in `merged`. Refused, each with a sentence: an empty, damaged or cut
file (a zip, an XML part or a compound file), an encrypted one, one whose content is another kind
than its name says (an .xls renamed .xlsx, a web page saved as .xls…), a Strict Open XML workbook,
an Excel 5.0/95 or older .xls, an .ods table inside a cell, and .xlsb, .fods, .numbers or CSV. Not
read: a row or column made invisible by a zero height or width rather than hidden.
"""
from __future__ import annotations

import datetime as _dt
import io
import posixpath
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree as ET
from xml.parsers import expat

import python_calamine as _calamine
import xlrd
from openpyxl import load_workbook as _openpyxl_workbook
from openpyxl.utils import get_column_letter

from .messages import Text

SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")

_SAVE_AGAIN = Text("sheets.save_again")
_AS_XLSX = Text("sheets.as_xlsx")
_FIGURE = Text("sheets.figure")
_NO_SAVED_VALUE = Text("sheets.no_saved_value")
_NOT_COMPUTED = Text("sheets.not_computed")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK"


class SheetProblem(Exception):
    """A workbook or a sheet that cannot be read as printed; names the place and what is wrong
    (as etl/layouts.py LayoutProblem: message, expected, sheet, row, column letter, value)."""

    def __init__(self, message: str, expected: str = "", sheet: str | None = None, row: int | None = None,
                 column: str | None = None, value=None):
        super().__init__(message)
        self.message, self.expected, self.sheet, self.row, self.column, self.value = \
            message, expected, sheet, row, column, value


@dataclass(frozen=True, order=True)
class CellRange:
    """A rectangle of cells, 1-based and inclusive."""
    min_row: int
    min_col: int
    max_row: int
    max_col: int

    def __contains__(self, cell: tuple[int, int]) -> bool:
        row, col = cell
        return self.min_row <= row <= self.max_row and self.min_col <= col <= self.max_col

    @property
    def ref(self) -> str:
        return (f"{get_column_letter(self.min_col)}{self.min_row}:"
                f"{get_column_letter(self.max_col)}{self.max_row}")


class Sheet:
    """One sheet as printed: its values, what is hidden and what is merged (see the module)."""

    __slots__ = ("name", "hidden", "n_rows", "n_cols", "hidden_rows", "hidden_cols", "merged", "_values", "_unsaved")

    def __init__(self, name: str, hidden: bool, values: list[tuple], hidden_rows: frozenset[int],
                 hidden_cols: frozenset[int], merged: tuple[CellRange, ...], unsaved: dict):
        self.name, self.hidden = name, hidden
        self.n_rows = len(values)
        self.n_cols = len(values[0]) if values else 0
        self.hidden_rows, self.hidden_cols, self.merged = hidden_rows, hidden_cols, merged
        self._values, self._unsaved = values, unsaved     # unsaved: (row, col) -> (message, formula)

    def __repr__(self) -> str:
        return (f"<Sheet {self.name!r} {self.n_rows}x{self.n_cols}{' hidden' if self.hidden else ''}, "
                f"{len(self.hidden_rows)} hidden rows, {len(self.hidden_cols)} hidden columns, {len(self.merged)} merged>")

    def _problem(self, row: int, col: int) -> SheetProblem:
        message, formula = self._unsaved[(row, col)]
        return SheetProblem(message, _FIGURE, self.name, row, get_column_letter(col), formula)

    def value(self, row: int, col: int):
        """The cell's value as saved (None when empty, and for a merged range's cells other than its
        top-left); SheetProblem for a formula whose value was never saved."""
        if row < 1 or col < 1:
            raise ValueError(f"rows and columns are 1-based, not ({row}, {col})")
        if (row, col) in self._unsaved:
            raise self._problem(row, col)
        if row > self.n_rows or col > self.n_cols:
            return None
        return self._values[row - 1][col - 1]

    def rows(self) -> list[tuple]:
        """Every row of the used range, each n_cols values long (the fast path of long tables);
        SheetProblem, for the first in reading order, if any formula's value was never saved."""
        if self._unsaved:
            raise self._problem(*min(self._unsaved))
        return list(self._values)


class Workbook:
    """The sheets of one workbook, read when asked for."""

    def __init__(self, reader):
        self._reader = reader
        self.sheet_names: list[str] = list(reader.sheet_names)
        self._sheets: dict[str, Sheet] = {}

    def sheet(self, name: str) -> Sheet:
        if name not in self.sheet_names:
            raise SheetProblem(Text("sheets.no_sheet", name=name, found=self.sheet_names), Text("sheets.a_sheet_named", name=name))
        if name not in self._sheets:
            self._sheets[name] = self._reader.sheet(name)
        return self._sheets[name]

    def close(self) -> None:
        self._reader.close()

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def open_workbook(path: Path) -> Workbook:
    """The workbook at `path`, read by its suffix (SUFFIXES); SheetProblem for a file that is
    empty, damaged, encrypted, not what its suffix says, or of a kind that cannot be read as printed."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise SheetProblem(Text("sheets.unsupported", suffix=suffix), Text("sheets.as_workbook", suffixes=list(SUFFIXES)))
    try:
        with open(path, "rb") as f:
            head = f.read(8)
    except OSError as exc:
        raise SheetProblem(Text("sheets.unreadable", why=type(exc).__name__), _AS_XLSX) from None
    if not head:
        raise SheetProblem(Text("sheets.empty"), Text("sheets.with_table"))
    reader = {".xls": _XlsReader, ".ods": _OdsReader}.get(suffix, _XlsxReader)
    return Workbook(reader(path, head))


# ---------------------------------------------------------------------------------------------
# What every format shares: calamine's values, cleaned, and the sheet assembled from the facts.

def _calamine_open(path: Path):
    try:
        return _calamine.CalamineWorkbook.from_path(str(path))
    except _calamine.PasswordError:
        raise _encrypted() from None
    except _calamine.ZipError as exc:
        raise SheetProblem(Text("sheets.unreadable", why=f"BadZipFile: {str(exc)[:80]}"), _AS_XLSX) from None
    except (_calamine.CalamineError, OSError, ValueError) as exc:
        raise _damaged(exc) from None


def _calamine_names(book) -> list[str]:
    """The worksheets, in workbook order (chart sheets hold no cells and are left out)."""
    return [m.name for m in book.sheets_metadata if m.typ == _calamine.SheetTypeEnum.WorkSheet]


def _calamine_sheet(book, name: str):
    """(values as lists, from A1; merged ranges 0-based, or None; hidden)"""
    meta = next(m for m in book.sheets_metadata if m.name == name)
    try:
        sheet = book.get_sheet_by_name(name)
        values = sheet.to_python(skip_empty_area=False)
        merged = sheet.merged_cell_ranges
    except (_calamine.CalamineError, ValueError, OverflowError) as exc:
        raise _damaged(exc, name) from None
    return values, merged, meta.visible != _calamine.SheetVisibleEnum.Visible


def _damaged(exc, sheet: str | None = None) -> SheetProblem:
    return SheetProblem(Text("sheets.damaged", why=f"{type(exc).__name__}: {str(exc)[:80]}"),
                        _SAVE_AGAIN, sheet)


def _encrypted() -> SheetProblem:
    return SheetProblem(Text("sheets.encrypted"), Text("sheets.no_password"))


def _assemble(name: str, hidden: bool, raw: list[list], merged: list[CellRange], hidden_rows, hidden_cols,
              formulas: dict, errors: dict, not_computed: bool = False) -> Sheet:
    """The Sheet from one format's facts. raw: rows of values from A1 ('' for empty); merged:
    every merged range; formulas: (row, col) -> formula text; errors: (row, col) -> printed text."""
    def covered(r: int, c: int) -> bool:         # a merged range's cell other than its top-left
        return any(m.min_row <= r <= m.max_row and m.min_col <= c <= m.max_col and (r, c) != (m.min_row, m.min_col)
                   for m in merged)
    formulas = {rc: f for rc, f in formulas.items() if not covered(*rc)}
    errors = {rc: e for rc, e in errors.items() if not covered(*rc)}
    n_rows, n_cols = len(raw), len(raw[0]) if raw else 0
    for r, c in (*errors, *formulas):
        n_rows, n_cols = max(n_rows, r), max(n_cols, c)
    width_gap = n_cols - (len(raw[0]) if raw else 0)
    merged = tuple(m for m in merged if m.min_row <= n_rows and m.min_col <= n_cols)
    date, datetime = _dt.date, _dt.datetime

    def clean(row: list) -> list:
        return [None if v == "" else (datetime(v.year, v.month, v.day) if type(v) is date else v) for v in row]
    if not (errors or merged or width_gap or n_rows > len(raw)):     # the long table's path: nothing to patch
        values = [tuple([None if v == "" else (datetime(v.year, v.month, v.day) if type(v) is date else v)
                         for v in row]) for row in raw]
    else:
        values = [clean(row) + [None] * width_gap for row in raw]
        values += [[None] * n_cols for _ in range(n_rows - len(raw))]
        for (r, c), text in errors.items():
            values[r - 1][c - 1] = text
        for m in merged:                               # not printed: the caller decides (within the used range)
            for r in range(m.min_row, min(m.max_row, n_rows) + 1):
                row = values[r - 1]
                for c in range(m.min_col, min(m.max_col, n_cols) + 1):
                    if (r, c) != (m.min_row, m.min_col):
                        row[c - 1] = None
        values = [tuple(row) for row in values]
    unsaved = {}
    for (r, c), formula in formulas.items():
        if (r, c) in errors:
            continue
        if values[r - 1][c - 1] is None:
            unsaved[(r, c)] = (_NO_SAVED_VALUE, formula)
        elif not_computed:
            unsaved[(r, c)] = (_NOT_COMPUTED, formula)
    return Sheet(name, hidden, values,
                 frozenset(r for r in hidden_rows if 1 <= r <= n_rows),
                 frozenset(c for c in hidden_cols if 1 <= c <= n_cols), merged, unsaved)


def _ranges0(merged) -> list[CellRange]:
    """calamine's merged ranges ((row0, col0), (row1, col1)), 0-based inclusive, as CellRanges."""
    return sorted(CellRange(a[0] + 1, a[1] + 1, b[0] + 1, b[1] + 1) for a, b in (merged or []))


def _sniff_mismatch(head: bytes, suffix: str) -> SheetProblem | None:
    """A file whose content is another kind than its name says, told in a sentence."""
    if suffix in (".xlsx", ".xlsm", ".ods") and head.startswith(_OLE):
        return None          # an encrypted workbook is an OLE file: the caller tells it apart
    if suffix == ".xls" and head.startswith(_ZIP):
        return SheetProblem(Text("sheets.xlsx_as_xls"), Text("sheets.rename_xlsx_ods"))
    if suffix == ".xls" and head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return SheetProblem(Text("sheets.web_as_xls"), Text("sheets.save_as_xlsx"))
    return None


# ---------------------------------------------------------------------------------------------
# .xlsx / .xlsm

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_STRICT = "http://purl.oclc.org/ooxml/spreadsheetml/main"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
# In a sheet's XML: a formula element (<f>…</f>, or with a prefix), a hidden row or column, an error.
_HAS_FORMULA = re.compile(rb"f>(?<=</f>)|f>(?<=:f>)|f[\s/](?<=<f[\s/])|f[\s/](?<=:f[\s/])")
_HAS_HIDDEN = re.compile(rb"hidden\s*=\s*[\"'](?:1|true)[\"']")
_ERROR_TYPE = re.compile(rb"[\s\"']t\s*=\s*$")
_CLOSES = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?(\w+)>\s*$")


class _XlsxReader:
    def __init__(self, path: Path, head: bytes):
        self.path, self._full = path, None
        if head.startswith(_OLE):
            raise _ole_problem(path, ".xlsx")
        try:
            self.zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise SheetProblem(Text("sheets.unreadable", why=type(exc).__name__), _AS_XLSX) from None
        try:
            self._read_parts()
        except SheetProblem:
            self.zip.close()
            raise
        try:
            self.book = _calamine_open(path)
        except SheetProblem:
            self.zip.close()
            raise
        self.sheet_names = _calamine_names(self.book)
        missing = [n for n in self.sheet_names if not self.parts.get(n) or self.parts[n] not in self.zip.namelist()]
        if missing:
            self.close()
            raise _damaged(ValueError(f"the sheets {missing} have no part in the zip"))

    def _read_parts(self):
        names = set(self.zip.namelist())
        main = "xl/workbook.xml"
        if "_rels/.rels" in names:
            for rel in self._xml("_rels/.rels").iter(_PKG_REL):
                if rel.get("Type", "").endswith("/officeDocument"):
                    main = rel.get("Target", main).lstrip("/")
        if main not in names:
            if "content.xml" in names:
                raise SheetProblem(Text("sheets.ods_as_xlsx"), Text("sheets.rename_ods"))
            raise SheetProblem(Text("sheets.unreadable", why=Text("sheets.no_zip_part", part=main)), _AS_XLSX)
        root = self._xml(main)
        if root.tag.startswith("{" + _STRICT):
            raise SheetProblem(Text("sheets.strict"), _AS_XLSX)
        if not root.tag.startswith("{" + _MAIN):
            raise SheetProblem(Text("sheets.unreadable", why=Text("sheets.workbook_part", tag=root.tag)), _AS_XLSX)
        calc = root.find(f"{{{_MAIN}}}calcPr")
        self.not_computed = calc is not None and calc.get("fullCalcOnLoad") in ("1", "true")
        base = posixpath.dirname(main)
        rels_part = posixpath.join(base, "_rels", posixpath.basename(main) + ".rels")
        targets = {}
        if rels_part in names:
            for rel in self._xml(rels_part).iter(_PKG_REL):
                target = rel.get("Target", "")
                targets[rel.get("Id")] = target.lstrip("/") if target.startswith("/") else \
                    posixpath.normpath(posixpath.join(base, target))
        self.parts = {}
        for sheet in root.iter(f"{{{_MAIN}}}sheet"):
            self.parts[sheet.get("name")] = targets.get(sheet.get(_REL))
        # The parts every sheet's values depend on must be whole (calamine reads a cut one silently).
        for part in sorted(names):
            if part.startswith(base + "/") and posixpath.basename(part) in ("sharedStrings.xml", "styles.xml"):
                self._scan(part, look=False)

    def _xml(self, part: str) -> ET.Element:
        try:
            return ET.fromstring(self.zip.read(part))
        except (ET.ParseError, zipfile.BadZipFile, zlib.error, EOFError, KeyError, OSError) as exc:
            raise _damaged(exc) from None

    def _scan(self, part: str, sheet: str | None = None, look: bool = True) -> set[str]:
        """Stream one XML part: that it is whole, and (look) which details it holds: formula, hidden, error."""
        found, tail = set(), b""
        try:
            with self.zip.open(part) as f:
                while chunk := f.read(1 << 20):
                    buf = tail + chunk
                    tail = buf[-256:]
                    if not look:
                        continue
                    for flag, pattern in (("formula", _HAS_FORMULA), ("hidden", _HAS_HIDDEN)):
                        if flag not in found and pattern.search(buf):
                            found.add(flag)
                    if "error" not in found and _has_error_type(buf):
                        found.add("error")
        except (zipfile.BadZipFile, zlib.error, EOFError, KeyError, OSError) as exc:
            raise _damaged(exc, sheet) from None
        closing = _CLOSES.search(tail)
        if closing is None or closing.group(1) not in (b"worksheet", b"sst", b"styleSheet"):
            raise _damaged(ValueError(f"{part} is cut short"), sheet)
        return found

    def _openpyxl(self, **kw):
        try:
            return _openpyxl_workbook(self.path, **kw)
        except Exception as exc:                        # noqa: BLE001 - any failure: cannot be read as printed
            raise _damaged(exc) from None

    def sheet(self, name: str) -> Sheet:
        part = self.parts[name]
        found = self._scan(part, name)
        raw, merged, hidden = _calamine_sheet(self.book, name)
        hidden_rows, hidden_cols, formulas, errors = set(), set(), {}, {}
        try:
            if "hidden" in found:
                if self._full is None:                   # hidden rows and columns: openpyxl's full load
                    self._full = self._openpyxl(data_only=False)
                ws = self._full[name]
                hidden_rows = {r for r, d in ws.row_dimensions.items() if d.hidden}
                for d in ws.column_dimensions.values():
                    if d.hidden and d.min:
                        hidden_cols.update(range(d.min, (d.max or d.min) + 1))
                if "formula" in found:
                    for row in ws.iter_rows():
                        for cell in row:
                            if cell.data_type == "f":
                                formulas[(cell.row, cell.column)] = _formula_text(cell.value)
            elif "formula" in found:
                wb = self._openpyxl(read_only=True, data_only=False)
                try:
                    formulas = {(c.row, c.column): _formula_text(c.value) for row in wb[name].iter_rows()
                                for c in row if c.data_type == "f"}
                finally:
                    wb.close()
            if "error" in found:
                wb = self._openpyxl(read_only=True, data_only=True)
                try:
                    errors = {(c.row, c.column): str(c.value) for row in wb[name].iter_rows()
                              for c in row if c.data_type == "e" and c.value is not None}
                finally:
                    wb.close()
        except SheetProblem as problem:
            problem.sheet = name
            raise
        except Exception as exc:                         # noqa: BLE001
            raise _damaged(exc, name) from None
        return _assemble(name, hidden, raw, _ranges0(merged), hidden_rows, hidden_cols, formulas, errors,
                         self.not_computed)

    def close(self):
        self.zip.close()
        if self._full is not None:
            self._full.close()
        self.book.close()


def _has_error_type(buf: bytes) -> bool:
    """Whether a cell of type error (t="e") is in the XML: "e" is rare, so find it, then look back."""
    for quoted in (b'"e"', b"'e'"):
        at = buf.find(quoted)
        while at != -1:
            if _ERROR_TYPE.search(buf, max(0, at - 16), at):
                return True
            at = buf.find(quoted, at + 1)
    return False


def _formula_text(value) -> str:
    """A formula as written: '=SUM(B3:B4)' (openpyxl gives array and data-table formulas as objects)."""
    text = getattr(value, "text", value)
    return str(text) if text is not None else "="


def _ole_problem(path: Path, suffix: str) -> SheetProblem:
    """An OLE (compound) file under an Office Open XML or OpenDocument name: encrypted, or an .xls."""
    try:
        doc = xlrd.compdoc.CompDoc(path.read_bytes(), logfile=io.StringIO())
        streams = {d.name for d in doc.dirlist}
    except Exception as exc:                             # noqa: BLE001 - not even a compound file
        return SheetProblem(Text("sheets.unreadable", why=type(exc).__name__), _AS_XLSX)
    if {"EncryptionInfo", "EncryptedPackage"} & streams:
        return _encrypted()
    if {"Workbook", "Book"} & streams:
        return SheetProblem(Text("sheets.xls_as_other", suffix=suffix), Text("sheets.rename_xls"))
    return SheetProblem(Text("sheets.unreadable", why=Text("sheets.ole_empty")), _AS_XLSX)


# ---------------------------------------------------------------------------------------------
# .xls

_FORMULA_RECORD, _EOF_RECORD = 0x0006, 0x000A
_BOF_RECORDS = (0x0809, 0x0409, 0x0209, 0x0009)


class _XlsReader:
    def __init__(self, path: Path, head: bytes):
        self.path = path
        mismatch = _sniff_mismatch(head, ".xls")
        if mismatch:
            raise mismatch
        if not head.startswith(_OLE):
            raise SheetProblem(Text("sheets.unreadable", why=Text("sheets.not_xls")), _AS_XLSX)
        try:
            self.xlrd = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True, logfile=io.StringIO())
        except xlrd.XLRDError as exc:
            if "encrypted" in str(exc).lower():
                raise _encrypted() from None
            raise _damaged(exc) from None
        except Exception as exc:                         # noqa: BLE001 - a cut or corrupt compound file
            raise _damaged(exc) from None
        if self.xlrd.biff_version < 80:
            raise SheetProblem(Text("sheets.old_excel", version=self.xlrd.biff_version / 10), _AS_XLSX)
        self.book = _calamine_open(path)
        self.sheet_names = _calamine_names(self.book)
        if [n for n in self.sheet_names if n not in self.xlrd.sheet_names()]:
            raise _damaged(ValueError("the readers do not agree on the sheets' names"))

    def sheet(self, name: str) -> Sheet:
        raw, merged, hidden = _calamine_sheet(self.book, name)
        index = self.xlrd.sheet_names().index(name)
        try:
            ws = self.xlrd.sheet_by_index(index)
            hidden_rows = {r + 1 for r, info in ws.rowinfo_map.items() if info.hidden}
            hidden_cols = {c + 1 for c, info in ws.colinfo_map.items() if info.hidden}
            errors = {(r + 1, c + 1): xlrd.biffh.error_text_from_code.get(ws.cell_value(r, c), "#ERROR")
                      for r in range(ws.nrows) for c, kind in enumerate(ws.row_types(r)) if kind == xlrd.XL_CELL_ERROR}
            formulas = self._formulas(index)
            xl_merged = sorted(CellRange(r0 + 1, c0 + 1, r1, c1) for r0, r1, c0, c1 in ws.merged_cells)
        except Exception as exc:                         # noqa: BLE001
            raise _damaged(exc, name) from None
        if xl_merged != _ranges0(merged):
            raise _damaged(ValueError("the readers do not agree on the merged cells"), name)
        return _assemble(name, hidden, raw, xl_merged, hidden_rows, hidden_cols, formulas, errors)

    def _formulas(self, index: int) -> dict:
        """(row, col) -> formula text of the sheet's FORMULA records (xlrd reads only their results).
        The records are walked from the sheet's BOF to its EOF (a chart inside it has its own pair)."""
        from xlrd.formula import FMLA_TYPE_CELL, decompile_formula
        book, mem = self.xlrd, self.xlrd.mem
        pos, depth, formulas = book._sh_abs_posn[index], 0, {}
        while pos + 4 <= len(mem):
            code, size = struct.unpack_from("<HH", mem, pos)
            data = mem[pos + 4:pos + 4 + size]
            pos += 4 + size
            if code in _BOF_RECORDS:
                depth += 1
            elif code == _EOF_RECORD:
                depth -= 1
                if depth <= 0:
                    break
            elif code == _FORMULA_RECORD and depth == 1 and size >= 22:
                row, col = struct.unpack_from("<HH", data)
                length = struct.unpack_from("<H", data, 20)[0]
                try:
                    text = "=" + decompile_formula(book, data[22:22 + length], length, FMLA_TYPE_CELL,
                                                   browx=row, bcolx=col)
                except Exception:                        # noqa: BLE001 - name the cell all the same
                    text = "=(a formula xlrd cannot decompile)"
                formulas[(row + 1, col + 1)] = text
        return formulas

    def close(self):
        self.xlrd.release_resources()
        self.book.close()


# ---------------------------------------------------------------------------------------------
# .ods: the structure from content.xml (and styles.xml), read with expat.

_T = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_S = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
_TEXT_P = "urn:oasis:names:tc:opendocument:xmlns:text:1.0 p"
_CALCEXT_TYPE = "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0 value-type"
_ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"


class _OdsTable:
    def __init__(self, name: str, style: str | None):
        self.name, self.style = name, style
        self.hidden_rows: list[tuple[int, int]] = []      # (first row, how many)
        self.hidden_cols: list[tuple[int, int]] = []
        self.spans: list[tuple] = []                       # (row, rows repeated, col, cols repeated, rowspan, colspan)
        self.formulas: list[tuple] = []                    # (row, rows repeated, col, cols repeated, text)
        self.errors: list[tuple] = []                      # (row, rows repeated, col, cols repeated, text)
        self.nested = False


class _OdsStructure:
    """Every table's hidden rows and columns, merged cells, formulas and error values, and the
    table styles that hide a table, in one pass of expat over the XML (no tree is built)."""

    def __init__(self):
        self.tables: list[_OdsTable] = []
        self.hidden_styles: dict[str, tuple[bool | None, str | None]] = {}   # name -> (display false?, parent)
        self._table = None
        self._depth = 0          # tables open
        self._row = self._col = 0
        self._row_rep = 1
        self._style = None
        self._error = None       # [row, rep, col, crep, text parts] while inside an error cell
        self._in_p = 0

    def parse(self, data: bytes):
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        parser.CharacterDataHandler = self._chars
        parser.Parse(data, True)

    def _start(self, tag, attrs):
        ns, _, local = tag.partition(" ")
        if ns == _S and local == "style" and attrs.get(f"{_S} family") == "table":
            self._style = attrs.get(f"{_S} name")
            self.hidden_styles[self._style] = (None, attrs.get(f"{_S} parent-style-name"))
        elif ns == _S and local == "table-properties" and self._style is not None:
            display = attrs.get(f"{_T} display")
            if display is not None:
                self.hidden_styles[self._style] = (display == "false", self.hidden_styles[self._style][1])
        if ns != _T:
            if tag == _TEXT_P and self._error is not None:
                self._in_p += 1
                if self._error[4]:
                    self._error[4].append("\n")
            return
        if local == "table":
            self._depth += 1
            if self._depth == 1:
                self._table = _OdsTable(attrs.get(f"{_T} name", ""), attrs.get(f"{_T} style-name"))
                self._row, self._col = 0, 0
            else:
                self._table.nested = True
            return
        if self._depth != 1:
            return
        if local == "table-column":
            rep = int(attrs.get(f"{_T} number-columns-repeated", "1"))
            if attrs.get(f"{_T} visibility", "visible") != "visible":
                self._table.hidden_cols.append((self._col + 1, rep))
            self._col += rep
        elif local == "table-row":
            self._row_rep = int(attrs.get(f"{_T} number-rows-repeated", "1"))
            if attrs.get(f"{_T} visibility", "visible") != "visible":
                self._table.hidden_rows.append((self._row + 1, self._row_rep))
            self._row_start, self._col = self._row + 1, 0
        elif local in ("table-cell", "covered-table-cell"):
            rep = int(attrs.get(f"{_T} number-columns-repeated", "1"))
            at = (self._row_start, self._row_rep, self._col + 1, rep)
            if local == "table-cell":
                rows = int(attrs.get(f"{_T} number-rows-spanned", "1"))
                cols = int(attrs.get(f"{_T} number-columns-spanned", "1"))
                if rows > 1 or cols > 1:
                    self._table.spans.append((*at, rows, cols))
                if f"{_T} formula" in attrs:      # of:=SUM([.B3:.B4]) is written =SUM([.B3:.B4])
                    self._table.formulas.append((*at, re.sub(r"^[a-z]+:(?==)", "", attrs[f"{_T} formula"])))
                if attrs.get(_CALCEXT_TYPE) == "error":
                    self._error = [*at, []]
            self._col += rep

    def _end(self, tag):
        ns, _, local = tag.partition(" ")
        if tag == _TEXT_P and self._in_p:
            self._in_p -= 1
        if ns == _S and local == "style":
            self._style = None
        if ns != _T:
            return
        if local == "table":
            self._depth -= 1
            if self._depth == 0:
                self.tables.append(self._table)
                self._table = None
        elif self._depth == 1 and local == "table-row":
            self._row += self._row_rep
        elif self._depth == 1 and local == "table-cell" and self._error is not None:
            *at, parts = self._error
            self._table.errors.append((*at, "".join(parts)))
            self._error = None

    def _chars(self, text):
        if self._error is not None and self._in_p:
            self._error[4].append(text)

    def hidden(self, style: str | None) -> bool:
        seen = set()
        while style and style not in seen:
            seen.add(style)
            display, parent = self.hidden_styles.get(style, (None, None))
            if display is not None:
                return display
            style = parent
        return False


def _expand(blocks, n_rows: int, n_cols: int):
    """(row, rows repeated, col, cols repeated, *rest) -> (row, col, *rest), within the used range."""
    for row, rrep, col, crep, *rest in blocks:
        for r in range(row, min(row + rrep, n_rows + 1)):
            for c in range(col, min(col + crep, n_cols + 1)):
                yield (r, c, *rest)


class _OdsReader:
    def __init__(self, path: Path, head: bytes):
        if head.startswith(_OLE):
            raise _ole_problem(path, ".ods")
        try:
            with zipfile.ZipFile(path) as z:
                names = set(z.namelist())
                mime = z.read("mimetype").strip() if "mimetype" in names else None
                if mime is not None and mime != _ODS_MIME:
                    raise SheetProblem(Text("sheets.bad_mimetype", mime=mime.decode(errors='replace')),
                                       Text("sheets.as_ods_or_xlsx"))
                if "xl/workbook.xml" in names:
                    raise SheetProblem(Text("sheets.xlsx_as_ods"), Text("sheets.rename_xlsx"))
                manifest = z.read("META-INF/manifest.xml") if "META-INF/manifest.xml" in names else b""
                if b"encryption-data" in manifest:
                    raise _encrypted()
                if "content.xml" not in names:
                    raise SheetProblem(Text("sheets.ods_unreadable", why=Text("sheets.no_zip_part", part="content.xml")), _AS_XLSX)
                structure = _OdsStructure()
                if "styles.xml" in names:
                    structure.parse(z.read("styles.xml"))
                    structure.tables = []
                structure.parse(z.read("content.xml"))
        except SheetProblem:
            raise
        except (zipfile.BadZipFile, OSError) as exc:
            raise SheetProblem(Text("sheets.ods_unreadable", why=type(exc).__name__), _AS_XLSX) from None
        except (expat.ExpatError, zlib.error, EOFError, KeyError, ValueError) as exc:
            raise _damaged(exc) from None
        self.tables = {t.name: t for t in structure.tables}
        self.structure = structure
        self.book = _calamine_open(path)
        self.sheet_names = _calamine_names(self.book)
        if self.sheet_names != [t.name for t in structure.tables]:
            raise _damaged(ValueError("the readers do not agree on the sheets' names"))

    def sheet(self, name: str) -> Sheet:
        table = self.tables[name]
        if table.nested:
            raise SheetProblem(Text("sheets.table_in_cell"), _AS_XLSX, name)
        raw, _, hidden = _calamine_sheet(self.book, name)
        hidden = hidden or self.structure.hidden(table.style)
        # The used range first (calamine's, and every formula or error cell's), then the facts within it.
        n_rows, n_cols = len(raw), len(raw[0]) if raw else 0
        big = 1 << 20
        cells = {(r, c) for r, c, _ in _expand(table.formulas + table.errors, big, big)}
        n_rows = max([n_rows, *(r for r, _ in cells)])
        n_cols = max([n_cols, *(c for _, c in cells)])
        merged = sorted(CellRange(r, c, r + rows - 1, c + cols - 1)
                        for r, c, rows, cols in _expand(table.spans, n_rows, n_cols))
        hidden_rows = {r for first, count in table.hidden_rows for r in range(first, min(first + count, n_rows + 1))}
        hidden_cols = {c for first, count in table.hidden_cols for c in range(first, min(first + count, n_cols + 1))}
        formulas = {(r, c): text for r, c, text in _expand(table.formulas, n_rows, n_cols)}
        errors = {(r, c): text for r, c, text in _expand(table.errors, n_rows, n_cols)}
        return _assemble(name, hidden, raw, merged, hidden_rows, hidden_cols, formulas, errors)

    def close(self):
        self.book.close()
