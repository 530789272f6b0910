"""The sheet as a grid of what every cell became, for the desk (issue 22, "Load a table").

The grid tells what a build would do with the file and its recipe, because it is made by the
build's own code: the file is read by etl/extract.py with the recipe beside it (on a copy in a
temp folder, as `spi recipe draft` previews it) and the records are checked by etl/validate.py.
Each record names the cell its figure came from (sheet, row, column: a letter for a `layout:
table` recipe, the printed heading for a `layout: columns` one, mapped here to its letter); the
cells that gave it its coordinates follow from the recipe (the header rows over its column, the
label columns of its row; for `layout: columns`, the cells of its row under each field's column).

A cell's role is what it became:
- `value`: a figure read (with the value the validator read, when it passed);
- `indicator`, `place`, `period`, `breakdown`, `status`, `source`, `unit`: it gave that to a figure;
- `note`: text the recipe reads as no figure and no coordinate (a title above the table, the
  heading of a label column or of the value column, a note under the table, a `label_ar` column);
- `ignored`: left out by the recipe (`skip_columns:`, rows after `last_row:`, a sheet it does not
  read, a hidden row, column or sheet, which is never read unless the recipe says `hidden: read`);
- `unplaced`: a non-empty cell the recipe cannot place (under no header, with no label, or in a
  table the reader refused: the issues say why);
- `empty`: a cell with nothing in it that an issue names (a missing place in a long file).
Every issue of the reader and the validator is attached to each cell it names: the validator's to
every record it concerns (etl/validate.py validate_records), not only the few rows its line shows.
An issue that names no cell (a recipe that cannot be read) is in `loose`.
"""
from __future__ import annotations

import fnmatch
import functools
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pandas as pd
from openpyxl.utils import column_index_from_string, get_column_letter

from .catalogue import Catalogue
from .extract import _CsvSheet, _read_csv_rows, extract_file
from .layouts import PERIOD_PARTS, LayoutProblem, _Printed, _TableReader, as_printed, builtin_recipes, read_recipe
from .layouts import recipe_path, text_of
from .messages import Text
from .report import Issue
from .sheets import SheetProblem, open_workbook
from .validate import validate_records

ROLES = ("indicator", "place", "period", "breakdown", "status", "source", "unit", "value", "note", "ignored",
         "unplaced", "empty")
_FIELD_ROLE = {"indicator_id": "indicator", "geo": "place", "period": "period", "status": "status",
               "source_id": "source", "unit": "unit"}
_NOTE_FIELDS = ("label_ar", "label_en", "note", "value")
_LETTERS = re.compile(r"[A-Z]{1,3}")
_CELL = re.compile(r"([A-Z]{1,3})([0-9]+)")


@dataclass
class Cell:
    """One cell: its A1 reference, the text it shows, what it became, and the issues on it."""

    ref: str
    row: int
    col: int
    text: str
    role: str
    hidden: bool = False
    value: float | None = None        # for a `value` cell, the figure the validator read (None: refused)
    gives: str | None = None          # which field it gave: value, indicator_id, geo, period, a breakdown…
    issues: list[Issue] = field(default_factory=list)


@dataclass
class SheetGrid:
    name: str | None                  # None for a CSV
    hidden: bool
    read: bool                        # whether the recipe reads this sheet
    n_rows: int = 0
    n_cols: int = 0
    hidden_rows: frozenset = frozenset()
    hidden_cols: frozenset = frozenset()
    cells: dict[str, Cell] = field(default_factory=dict)

    def cell(self, ref: str) -> Cell | None:
        return self.cells.get(ref)

    def at(self, row: int, col: int) -> Cell | None:
        """The cell at a row and column (1-based), for drawing the sheet; None for an empty one."""
        return self.cells.get(f"{_letter(col)}{row}")


@dataclass
class Grid:
    file: str
    sheets: list[SheetGrid]
    records: pd.DataFrame
    observations: pd.DataFrame
    issues: list[Issue]
    loose: list[Issue] = field(default_factory=list)

    def sheet(self, name: str | None = None) -> SheetGrid:
        """The sheet of that name; without one, the first the recipe reads (else the first)."""
        if name is not None:
            return next(s for s in self.sheets if s.name == name)
        return next((s for s in self.sheets if s.read), self.sheets[0] if self.sheets else SheetGrid(None, False, False))

    def cell(self, ref: str, sheet: str | None = None) -> Cell | None:
        return self.sheet(sheet).cell(ref)


def _shown(value) -> str:
    """A cell as a reader of the table sees it."""
    if type(value) is int:                 # most cells of a table: the fast way
        return str(value)
    value = as_printed(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value == datetime(value.year, value.month, value.day) else value.isoformat()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return text_of(value)


def _values(sheet) -> dict[tuple[int, int], str]:
    """The non-empty cells of a sheet, as shown (a formula with no saved value shows as '=…')."""
    out = {}
    try:
        rows = sheet.rows()
    except SheetProblem:
        rows = None
    for r in range(1, sheet.n_rows + 1):
        for c in range(1, sheet.n_cols + 1):
            if rows is not None:
                line = rows[r - 1]
                value = line[c - 1] if c <= len(line) else None
            else:
                try:
                    value = sheet.value(r, c)
                except SheetProblem as p:
                    value = p.value
            text = _shown(value) if value is not None else ""
            if text:
                out[(r, c)] = text
    return out


def grid(path: Path, recipe_text: str | None, cat: Catalogue) -> Grid:
    """The grid of an uploaded file read with `recipe_text` beside it (None or "": the built-in
    layouts), by the build's reader and validator (see the module)."""
    path = Path(path)
    with tempfile.TemporaryDirectory(prefix="spi-grid-") as tmp:
        copy = Path(tmp) / path.name
        shutil.copyfile(path, copy)
        own = recipe_path(copy)
        if recipe_text and recipe_text.strip():
            own.write_text(recipe_text, encoding="utf-8")
        try:
            records, issues = extract_file(copy, cat)
        except Exception as exc:          # noqa: BLE001 - a fault of the reader: said in a sentence, never a traceback
            records = pd.DataFrame(columns=["source_file", "source_sheet", "source_row", "source_column"])
            issues = [Issue(path.name, Text("draft.reader_failed", why=f"{type(exc).__name__}: {exc}"),
                            Text("draft.reader_fault"))]
        recipe = _recipe(own, cat, records)
        sheets = _read_sheets(copy)
    observations, found, positions = validate_records(records, cat) if len(records) else (pd.DataFrame(), [], [])
    g = Grid(path.name, [], records, observations, issues + found)
    if recipe is None:                 # the recipe cannot be read: its issue says why
        g.loose = list(g.issues)
        g.sheets = [_plain(name, sheet, False, "unplaced") for name, sheet in sheets]
        return g
    _Placer(g, recipe, cat, sheets, observations).place(issues, found, positions)
    return g


def _recipe(own: Path, cat: Catalogue, records: pd.DataFrame) -> dict | None:
    """The recipe the reader used: the file's own (None when it cannot be read), else the
    built-in one that fits (the long layout when the records come from a `value` column)."""
    if own.exists():
        try:
            return read_recipe(own, cat)
        except LayoutProblem:
            return None
    long, wide = builtin_recipes()
    return long if not len(records) or set(records["source_column"]) == {"value"} else wide


def _read_sheets(path: Path) -> list[tuple[str | None, object]]:
    """(name, sheet) of every sheet (None for a sheet the reader refuses; none at all for a file it
    cannot open: its issue says why). A hidden sheet's cells reach the grid only when the recipe
    reads it (_plain)."""
    if path.suffix.lower() == ".csv":
        try:
            return [(None, _CsvSheet(_read_csv_rows(path)))]
        except Exception:                 # noqa: BLE001 - the reader's issue says why
            return []
    try:
        book = open_workbook(path)
    except SheetProblem:
        return []
    out = []
    with book:
        for name in book.sheet_names:
            try:
                out.append((name, book.sheet(name)))
            except SheetProblem:
                out.append((name, None))
    return out


def _plain(name, sheet, read: bool, role: str) -> SheetGrid:
    """A sheet's grid, each non-empty cell given `role`; a hidden sheet's cells are not read
    unless the recipe reads it (`hidden: read`)."""
    if sheet is None:                  # a sheet the reader refuses: its issue says why
        return SheetGrid(name, False, read)
    s = SheetGrid(name, sheet.hidden, read, sheet.n_rows, sheet.n_cols, sheet.hidden_rows, sheet.hidden_cols)
    if read or not sheet.hidden:
        for (r, c), text in _values(sheet).items():
            ref = f"{_letter(c)}{r}"
            s.cells[ref] = Cell(ref, r, c, text, role, hidden=r in sheet.hidden_rows or c in sheet.hidden_cols)
    return s


class _Placer:
    """Gives every cell its role and its issues (see the module)."""

    def __init__(self, g: Grid, recipe: dict, cat: Catalogue, sheets, observations: pd.DataFrame):
        self.g, self.recipe, self.cat = g, recipe, cat
        self.table = recipe["layout"] == "table"
        self.policy = recipe.get("hidden", "refuse")
        self.sheets = {name: sheet for name, sheet in sheets}
        self.by_name: dict[str | None, SheetGrid] = {}
        self.letters: dict[str | None, dict[str, int]] = {}     # columns layout: field or heading -> column
        self.header_row: dict[str | None, int] = {}
        self._spans: dict[str | None, _Printed] = {}
        self._axes: dict[tuple, dict] = {}               # the cells over a column, beside a row
        pattern = recipe.get("sheet")
        for name, sheet in sheets:
            read = name is None or (pattern is not None and fnmatch.fnmatchcase(name, pattern))
            read = read and (sheet is None or not sheet.hidden or self.policy == "read")
            s = _plain(name, sheet, read, "")
            self.by_name[name] = s
            g.sheets.append(s)
            if read and sheet is not None and not self.table:
                self._headings(name, sheet)
        self.figures = {}
        if len(observations):
            o = observations
            for sheet, row, column, value in zip(o["source_sheet"], o["source_row"], o["source_column"], o["value"]):
                self.figures[(sheet if isinstance(sheet, str) else None, int(row), column)] = \
                    None if value != value else float(value)

    # columns layout: the heading of each column
    def _headings(self, name, sheet) -> None:
        marker = self.recipe.get("header_row_has", "indicator_id")
        within = self.recipe.get("header_within_rows", 1)
        values = _values(sheet)
        header = 1 if name is None else next(
            (r for r in range(1, min(within, sheet.n_rows) + 1) if r not in sheet.hidden_rows or self.policy == "read"
             if any(values.get((r, c)) == marker for c in range(1, sheet.n_cols + 1))), None)
        if header is None:
            return
        rename = self.recipe.get("rename", {})
        letters = {}
        for c in range(1, sheet.n_cols + 1):
            if c in sheet.hidden_cols and self.policy != "read":
                continue
            heading = values.get((header, c), "")
            if heading:
                letters.setdefault(heading, c)
                letters.setdefault(rename.get(heading, heading), c)
        self.letters[name], self.header_row[name] = letters, header

    # where each record's cells are
    def _cells_of(self, sheet, row: int, column: str) -> tuple[tuple[int, int] | None, dict[str, tuple[int, int]]]:
        """(the figure's cell, {field: the cell that gave it}) of one record, from where it came."""
        fields = {}
        if self.table:
            col = _index(column)
            return (row, col), {**self._across(sheet, col), **self._down(sheet, row)}
        letters = self.letters.get(sheet, {})
        col = letters.get(column)
        for name in ("indicator_id", "geo", "period", "status", "unit", "source_id", *self.cat.dimensions):
            if name in letters and name != column:
                fields[name] = (row, letters[name])
        if self.recipe["figures"] == "periods" and col is not None:
            fields["period"] = (self.header_row[sheet], col)
        return ((row, col) if col else None), fields

    def _across(self, sheet, col: int) -> dict:
        """{field: cell} of the header rows over a column (a merged label: its top-left cell)."""
        key = (sheet, "column", col)
        if key not in self._axes:
            spans = self._printed(sheet).spans
            self._axes[key] = {_field(part): spans.get((r, col), (r, col))
                               for r, part in zip(self.recipe["header_rows"], self.recipe["columns"])}
        return self._axes[key]

    def _down(self, sheet, row: int) -> dict:
        """{field: cell} of the label columns of a row."""
        key = (sheet, "row", row)
        if key not in self._axes:
            spans = self._printed(sheet).spans
            self._axes[key] = {_field(part): spans.get((row, c), (row, c))
                               for c, part in zip(map(_index, self.recipe["label_columns"]), self.recipe["rows"])}
        return self._axes[key]

    def _printed(self, sheet) -> _Printed:
        """The sheet's merged labels, spread as the reader spreads them."""
        if sheet not in self._spans:
            self._spans[sheet] = _Printed(self.sheets[sheet], self.policy, 1, frozenset())
        return self._spans[sheet]

    def _put(self, sheet, rc, role: str, **kw) -> Cell | None:
        s = self.by_name.get(sheet)
        if s is None or rc is None:
            return None
        ref = f"{_letter(rc[1])}{rc[0]}"
        cell = s.cells.get(ref)
        if cell is None:
            cell = s.cells[ref] = Cell(ref, rc[0], rc[1], "", "empty")
        if role and (cell.role in ("", "empty") or role == "value"):
            cell.role = role
            for k, v in kw.items():
                setattr(cell, k, v)
        return cell

    def place(self, issues: list[Issue], found: list[Issue], positions: list) -> None:
        r = self.g.records
        provenance = list(zip([x if isinstance(x, str) else None for x in r["source_sheet"]],
                              [int(x) for x in r["source_row"]], list(r["source_column"])))
        located = []
        for sheet, row, column in provenance:
            value_at, fields = self._cells_of(sheet, row, column)
            located.append((sheet, value_at, fields))
            self._put(sheet, value_at, "value", value=self.figures.get((sheet, row, column)), gives="value")
            for name, rc in fields.items():
                self._put(sheet, rc, _role(name, self.cat), gives=name)
        self._the_rest()
        for issue in issues:
            self._attach(issue, self._issue_cells(issue))
        by_cell = {where: at for where, (_, at, _) in zip(provenance, located)}
        for issue, where in zip(found, positions):
            if where is None:          # a warning on the observations: its own cells
                sheet = issue.sheet
                cells = [by_cell.get((sheet, row, issue.column)) for row in (issue.row, *issue.more_rows)]
                self._attach(issue, [(sheet, c) for c in cells if c])
                continue
            cells = []
            for p in where:
                sheet, value_at, fields = located[p]
                cells.append((sheet, fields.get(issue.column, value_at)))
            self._attach(issue, cells)

    def _attach(self, issue: Issue, cells: list) -> None:
        seen = set()
        for sheet, rc in cells:
            if rc is None or (sheet, rc) in seen:
                continue
            seen.add((sheet, rc))
            cell = self._put(sheet, rc, "")
            if cell is not None:
                cell.issues.append(issue)
        if not seen:
            self.g.loose.append(issue)

    def _issue_cells(self, issue: Issue) -> list:
        """The cells a reader's issue names: its row and column, and the next few it lists."""
        sheet = issue.sheet if issue.sheet in self.by_name else (None if None in self.by_name else issue.sheet)
        col = self._column(sheet, issue.column)
        out = []
        if issue.row is not None and col is not None:
            out.append((sheet, (issue.row, col)))
        elif (issue.row is None) != (col is None) and sheet in self.by_name:   # a row or a column: its first cell
            line = [c for c in self.by_name[sheet].cells.values() if (c.row == issue.row if col is None else c.col == col)]
            out += [(sheet, (c.row, c.col)) for c in sorted(line, key=lambda c: (c.row, c.col))[:1]]
        for more in issue.more_rows:
            m = _CELL.fullmatch(str(more))
            if m:
                out.append((sheet, (int(m[2]), column_index_from_string(m[1]))))
            elif isinstance(more, int) and col is not None:
                out.append((sheet, (more, col)))
        return out

    def _column(self, sheet, column) -> int | None:
        if not column:
            return None
        if not self.table and column in self.letters.get(sheet, {}):
            return self.letters[sheet][column]
        return column_index_from_string(column) if _LETTERS.fullmatch(str(column)) else None

    # the cells no record used
    def _the_rest(self) -> None:
        for name, s in self.by_name.items():
            sheet = self.sheets.get(name)
            if sheet is None:
                continue
            if not s.read:
                role = "source" if name == self.recipe.get("sources_sheet") else "ignored"
                for cell in s.cells.values():
                    cell.role = cell.role or role
                continue
            reader = _TableReader(sheet, self.recipe, self.cat, self.g.file) if self.table else None
            for cell in s.cells.values():
                if cell.role:
                    continue
                if cell.hidden and self.policy != "read":
                    cell.role = "ignored"
                elif self.table:
                    cell.role = self._in_table(reader, s, cell)
                else:
                    cell.role = self._in_columns(name, cell)

    def _in_table(self, reader: _TableReader, s: SheetGrid, cell: Cell) -> str:
        recipe = self.recipe
        header_rows = recipe["header_rows"]
        labels = {column_index_from_string(c) for c in recipe["label_columns"]}
        if cell.row < min(header_rows):
            return "note"                          # a title above the table
        if cell.row > recipe.get("last_row", cell.row):
            return "ignored"
        skip = set(recipe.get("skip_columns", []))
        headings = {s.cells[ref].text for ref in (f"{_letter(cell.col)}{r}" for r in header_rows)
                    if ref in s.cells}
        skipped = _letter(cell.col) in skip or bool(headings & skip)
        if cell.row <= max(header_rows):
            if cell.col in labels or cell.row not in header_rows:
                return "note"                      # a label column's heading
            return "ignored" if skipped else "unplaced"
        if reader._note(cell.row):
            return "note"
        return "ignored" if skipped else "unplaced"

    def _in_columns(self, name, cell: Cell) -> str:
        header = self.header_row.get(name)
        if header is None or cell.row < header:
            return "note"
        letters = {c: h for h, c in self.letters.get(name, {}).items()}
        heading = letters.get(cell.col)
        rename = self.recipe.get("rename", {})
        heading = rename.get(heading, heading)
        if cell.row == header:
            if heading in _NOTE_FIELDS:
                return "note"
            if heading in _FIELD_ROLE or heading in self.cat.dimensions:
                return _role(heading, self.cat)
            return "unplaced"
        return "note" if heading in _NOTE_FIELDS else "unplaced"


_letter = functools.cache(get_column_letter)
_index = functools.cache(column_index_from_string)


def _field(part: str) -> str:
    """The record's field a header row or label column gives."""
    return {"geo": "geo", "indicator": "indicator_id"}.get(part, "period" if part in ("period", *PERIOD_PARTS) else part)


def _role(name: str, cat: Catalogue) -> str:
    return _FIELD_ROLE.get(name, "breakdown" if name in cat.dimensions else "note")


__all__ = ["Cell", "Grid", "ROLES", "SheetGrid", "grid"]
