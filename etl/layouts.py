"""Layout recipes: read a table as a ministry publishes it, with no reshaping by hand.

A recipe beside the file (`<file>.layout.yaml`, checked against layout.schema.json) describes
one of two kinds of table:

- `layout: table` (the default): a printed table. Its header rows head the columns; its label
  columns name the rows. Each header row and each label column gives one *dimension* of the
  figures under it: the period (or a part of it: the year, the month, the quarter, the half),
  the place (`geo`), the indicator, or a breakdown (`sex`…). So a yearbook table (years over
  ذكور / إناث, governorates down), a monthly table (a year over months across, places down),
  a transposed one (places across, indicators down) and a table of periods down are the same
  model: what is across, what is down, and what is constant for the whole table (`indicator`,
  `source`, `place`, `period`, `year`, `unit`, `scale`). Labels that mean the total of the
  dimension they stand in (`totals: [الإجمالي]`) give the total; a total printed beside its
  parts is checked against their sum (an error with both figures when they differ).
- `layout: columns`: a table whose header row names its columns (`indicator_id`, `geo`, a
  breakdown…), read by etl/extract.py. The long and wide layouts of files with no recipe
  beside them are two such recipes, built in (etl/recipes/).

Only what was printed is read: a hidden sheet, row or column is an error that names it unless
the recipe says `hidden: skip` (leave it out) or `hidden: read`; a sheet pattern that matches
more than one sheet is an error listing them unless `every_sheet: true`; a merged cell in the
body of a table is an error naming it (in the header and the label columns, a merged label
spans its cells). Every figure points at its cell: the sheet, the row and the column letter.
"""
from __future__ import annotations

import fnmatch
import functools
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pandas as pd

from .checked_yaml import SCHEMAS, YamlFileError, closest, read_checked
from .messages import Both, Text, text
from .normalise import PeriodPart, compose, mark_of, parse_figure, parse_period, period_part
from .sheets import Sheet, SheetProblem, open_workbook
from .words import plain_words, status_words, total_words

SUFFIX = ".layout.yaml"
BUILTIN = Path(__file__).resolve().parent / "recipes"
BUILTIN_ORDER = ("long.layout.yaml", "wide.layout.yaml")
# The columns a `layout: columns` table may have besides breakdowns: each a field of the record.
FIELDS = ("indicator_id", "geo", "period", "value", "status", "unit", "source_id", "label_ar", "label_en", "note")
PERIOD_PARTS = ("year", "half", "quarter", "month")
HIDDEN = ("refuse", "skip", "read")
_COLUMNS_ONLY = {"figures", "requires", "when_column", "header_row_has", "header_within_rows", "sources_sheet", "rename"}
_TABLE_ONLY = {"sources", "scale", "header_rows", "columns", "label_column", "label_columns", "rows", "skip",
               "skip_columns", "every_sheet", "check_totals", "year", "period", "fill_headers", "last_row"}


class LayoutProblem(Exception):
    """The recipe, or the table it describes, cannot be read; names the place and what is wrong."""

    def __init__(self, message: str, expected: str = "", sheet: str | None = None, row: int | None = None,
                 column: str | None = None, value=None):
        super().__init__(message)
        self.message, self.expected, self.sheet, self.row, self.column, self.value = \
            message, expected, sheet, row, column, value


def recipe_path(path: Path) -> Path:
    """Where the recipe of a data file is: beside it, `<stem>.layout.yaml`."""
    return path.with_name(path.stem + SUFFIX)


def builtin_recipes() -> list[dict]:
    """The recipes of files that have none beside them, in the order they are tried: the long
    layout (a `value` column), then the wide one (etl/recipes/)."""
    return [_shaped(BUILTIN / name) for name in BUILTIN_ORDER]


def read_recipe(path: Path, cat) -> dict:
    """The recipe, checked for shape (schema) and meaning (the catalogue's names)."""
    recipe = _shaped(path)
    where = Text("layout.where", recipe=path.name)
    stray = sorted(set(recipe) & (_TABLE_ONLY if recipe["layout"] == "columns" else _COLUMNS_ONLY))
    if stray:
        raise LayoutProblem(Text("layout.stray_keys", where=where, keys=stray, layout=recipe['layout']),
                            Text("layout.one_layout"))
    if "indicator" in recipe and recipe["indicator"] not in cat.indicators:
        raise LayoutProblem(Text("layout.unknown_indicator", where=where, indicator=recipe['indicator'],
                                 near=closest(recipe['indicator'], cat.indicators)), Text("layout.an_indicator"))
    for key in ("source", *(recipe.get("sources") or {}).values()):
        source = recipe.get("source") if key == "source" else key
        if source is not None and source not in cat.sources:
            raise LayoutProblem(Text("layout.unknown_source", where=where, source=source, near=closest(source, cat.sources)),
                                Text("validate.source_expected"))
    if recipe["layout"] == "columns":
        fields = (*FIELDS, *cat.dimensions)
        for printed, target in recipe.get("rename", {}).items():
            if target not in fields:
                raise LayoutProblem(Text("layout.rename", where=where, printed=printed, target=target,
                                         near=closest(target, fields)), Text("layout.one_of", choices=list(fields)))
        return recipe
    return _checked_table(recipe, cat, where)


def _checked_table(recipe: dict, cat, where: Text) -> dict:
    """A `layout: table` recipe's meaning: every dimension given once, by one means."""
    recipe["rows"] = [recipe["rows"]] if isinstance(recipe["rows"], str) else list(recipe["rows"])
    labels = recipe.get("label_columns") or [recipe.get("label_column", "A")]
    if len(labels) != len(recipe["rows"]):
        raise LayoutProblem(Text("layout.label_columns", where=where, n=len(recipe['rows']), rows=recipe['rows'],
                                 m=len(labels), labels=labels), Text("layout.label_per_row"))
    recipe["label_columns"] = labels
    if len(recipe["columns"]) != len(recipe["header_rows"]):
        raise LayoutProblem(Text("layout.header_rows", where=where, n=len(recipe['header_rows']), m=len(recipe['columns'])),
                            Text("layout.column_per_header"))
    given = [*recipe["columns"], *recipe["rows"]]
    if "indicator" in given and "indicator" in recipe:
        raise LayoutProblem(Text("layout.indicator_twice", where=where, axis=Text(
            "layout.axis_rows" if 'indicator' in recipe['rows'] else "layout.axis_columns")), Text("layout.one_of_them"))
    if "indicator" not in given and "indicator" not in recipe:
        raise LayoutProblem(Text("layout.no_indicator", where=where), Text("layout.indicator_how"))
    breakdowns = cat.indicators[recipe["indicator"]]["breakdowns"] if "indicator" in recipe else list(cat.dimensions)
    allowed = ("period", *PERIOD_PARTS, "geo", "indicator", *breakdowns)
    for part in given:
        if part not in allowed:
            raise LayoutProblem(Text("layout.not_a_dimension", where=where, part=part, near=closest(part, allowed)),
                                Text("layout.one_of_list", choices=list(allowed)))
    repeated = sorted({p for p in given if given.count(p) > 1 and p not in PERIOD_PARTS})
    if repeated:
        raise LayoutProblem(Text("layout.repeated", where=where, parts=repeated), Text("layout.each_dimension_once"))
    parts = [p for p in given if p in PERIOD_PARTS]
    ways = ["period" in given, bool(parts), "period" in recipe]
    if sum(ways) != 1:
        raise LayoutProblem(Text("layout.period_one_place", where=where), Text("layout.one_of_these"))
    if "year" in recipe and "year" in parts:
        raise LayoutProblem(Text("layout.year_twice", where=where), Text("layout.one_of_them"))
    if "geo" in given and "place" in recipe:
        raise LayoutProblem(Text("layout.place_twice", where=where), Text("layout.one_of_them"))
    for pattern in recipe.get("skip", []):
        try:
            re.compile(pattern)
        except re.error as exc:
            raise LayoutProblem(Text("layout.bad_skip", where=where, pattern=pattern, why=str(exc)),
                                Text("layout.skip_example")) from None
    if ("source" in recipe) == ("sources" in recipe):
        raise LayoutProblem(Text("layout.source_once", where=where), Text("layout.source_or_sources"))
    if "period" in recipe:
        try:
            parse_period(recipe["period"])
        except ValueError as exc:
            raise LayoutProblem(Text("layout.bad_period", where=where, period=recipe['period'], reason=_reason(exc)),
                                Text("layout.period_example")) from None
    return recipe


def _shaped(path: Path) -> dict:
    """The recipe checked against layout.schema.json, with its layout named (table by default);
    a key it does not know gets the closest one it does."""
    try:
        recipe = read_checked(path, "layout.schema.json")
    except YamlFileError as exc:
        # jsonschema's English, with the key closest to one it did not expect (the Arabic has it)
        english = re.sub(r"\('([^']+)' was unexpected\)", lambda m: f"({m.group(1)!r} was unexpected"
                         f"{closest(m.group(1), _recipe_keys()).replace(' (', '; ').replace('?)', '?')})", str(exc))
        said = Both(text(exc.args[0], "ar"), english)
        raise LayoutProblem(Text("layout.schema", recipe=path.name, text=said),
                            "" if "(expected" in english else Text("layout.as_schema")) from None
    return {"layout": "table", **recipe}


@functools.cache
def _recipe_keys() -> tuple[str, ...]:
    return tuple(json.loads((SCHEMAS / "layout.schema.json").read_text(encoding="utf-8"))["properties"])


def as_printed(value):
    """A cell's value as a reader of the table sees it: a whole number stored as a float
    (every number, in some formats) is that whole number."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _label_text(value) -> str:
    """A label as words; a date (a header cell Excel stores as the month's first day, shown
    as Jan-24) as its month, which the period readers read."""
    if isinstance(value, datetime):
        return f"{value.year}-{value.month:02d}"
    return text_of(value)


def text_of(value) -> str:
    """A cell as the words printed in it (a whole number without its ".0")."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


# -- what was printed ----------------------------------------------------------------------------

def printed_sheets(path: Path, pattern: str, recipe: dict, open_sheets=open_workbook) -> list[Sheet]:
    """The sheets a recipe reads: those its pattern matches, hidden ones as `hidden:` says (an
    error naming them by default), and more than one only when `every_sheet` says so."""
    book = open_sheets(path)
    names = [n for n in book.sheet_names if fnmatch.fnmatchcase(n, pattern)]
    if not names:
        raise LayoutProblem(Text("layout.no_sheet", pattern=pattern, found=book.sheet_names,
                                 near=closest(pattern, book.sheet_names)), Text("layout.the_sheet"))
    sheets = [book.sheet(n) for n in names]
    policy = recipe.get("hidden", "refuse")
    hidden = [s.name for s in sheets if s.hidden]
    if hidden and policy == "refuse":
        raise LayoutProblem(Text("layout.hidden_sheets", hidden=hidden, pattern=pattern), Text("layout.hidden_skip_sheets"),
                            hidden[0])
    if policy == "skip":
        sheets = [s for s in sheets if not s.hidden]
    if len(sheets) > 1 and not recipe.get("every_sheet"):
        raise LayoutProblem(Text("layout.many_sheets", pattern=pattern, n=len(sheets), sheets=[s.name for s in sheets]),
                            Text("layout.one_sheet"),
                            sheets[0].name)
    return sheets


@dataclass
class _Printed:
    """A sheet as printed: merged labels spread over the cells they span (header rows and label
    columns only), hidden rows and columns left out or refused as the recipe says."""
    sheet: Sheet
    policy: str
    body_from: int               # the first row of the body (after the header rows)
    label_cols: frozenset[int]
    spans: dict = field(default_factory=dict)      # (row, col) -> the top-left of its merged range

    def __post_init__(self):
        for block in self.sheet.merged:
            top = (block.min_row, block.min_col)
            for r in range(block.min_row, block.max_row + 1):
                for c in range(block.min_col, block.max_col + 1):
                    self.spans[(r, c)] = top

    def label(self, row: int, col: int) -> str:
        """A label cell's words (a merged label reads in every cell it spans)."""
        r, c = self.spans.get((row, col), (row, col))
        return _label_text(self._value(r, c))

    def header(self, row: int, col: int) -> str:
        """A header cell's words. A label merged across spans its columns; one merged down from
        the header row above gives nothing to the rows below it (`2021` over two header rows
        beside `2022` over ذكور / إناث: 2021 is not split by sex, so its figure is the total)."""
        r, c = self.spans.get((row, col), (row, col))
        return "" if r < row else _label_text(self._value(r, c))

    def figure(self, row: int, col: int):
        """A body cell: what it holds; a merged range there is an error naming it."""
        top = self.spans.get((row, col))
        if top is not None and col not in self.label_cols:
            block = next(b for b in self.sheet.merged if (b.min_row, b.min_col) == top)
            raise LayoutProblem(Text("layout.merged_body", cells=f"{_letter(block.min_col)}{block.min_row}:"
                                     f"{_letter(block.max_col)}{block.max_row}"), Text("layout.unmerge"), self.sheet.name,
                                top[0], _letter(top[1]), self._value(*top))
        return self._value(row, col)

    def cell(self, row: int, col: int):
        """What a cell holds, as printed (no merged label spread)."""
        return self._value(row, col)

    def _value(self, row: int, col: int):
        try:
            return as_printed(self.sheet.value(row, col))
        except SheetProblem as p:
            raise LayoutProblem(p.message, p.expected, p.sheet, p.row, p.column, p.value) from None

    def kept(self, index: int, hidden: frozenset[int], what: str, filled) -> bool:
        """Whether a row or column is read: a hidden one that holds anything is refused (an
        error naming it), left out or read, as the recipe's `hidden:` says."""
        if index not in hidden or self.policy == "read":
            return True
        if self.policy == "skip" or not filled():
            return False
        where = {"row": index} if what == "row" else {"column": _letter(index)}
        raise LayoutProblem(Text(f"layout.hidden_{what}"), Text("layout.hidden_skip"),
                            self.sheet.name, **where)


def _letter(col: int) -> str:
    from openpyxl.utils import get_column_letter
    return get_column_letter(col)


def _column_index(letter: str) -> int:
    from openpyxl.utils import column_index_from_string
    return column_index_from_string(letter)


# -- the dimensions a header cell or a label gives ---------------------------------------------------

class _Axis:
    """What the header rows (or the label columns) give, read cell by cell into coordinates:
    the period (whole, or its parts), the place, the indicator, a breakdown's member, or
    nothing for a label that means the total of its dimension."""

    def __init__(self, parts: list[str], recipe: dict, cat, marks: dict):
        self.parts, self.recipe, self.cat, self.marks = parts, recipe, cat, marks
        self.totals = {plain_words(t) for t in recipe.get("totals", [])}
        self.indicators = _indicator_names(cat)

    def read(self, labels: list[str]) -> dict:
        """The coordinates the labels give (one label per part, in order): {"period": a whole
        Period, "parts": [PeriodPart…] when only parts are printed, "status": a mark's,
        "totals": the dimensions whose total the labels give, <dim>: value}. ValueError (for
        the caller to place) naming what cannot be read."""
        out: dict = {"status": None, "totals": set(), "parts": []}
        for part, label in zip(self.parts, labels):
            if part in ("period", *PERIOD_PARTS):
                label, status = mark_of(label, self.marks)
                out["status"] = out["status"] or status
            words = plain_words(label)
            if words in self.totals:
                out["totals"].add(part)
                if part not in ("period", *PERIOD_PARTS):
                    out[part] = None
                continue
            if words in total_words():
                raise ValueError(Text("layout.unlisted_total", label=label, part=part))
            if part == "period":
                out["period"] = parse_period(label, year=self.recipe.get("year"))
            elif part in PERIOD_PARTS:
                if label:
                    out["parts"].append(period_part(label))
            elif part == "indicator":
                found = self.indicators.get(words)
                if found is None:
                    raise ValueError(Text("layout.not_indicator", near=closest(label, self.indicators)))
                out["indicator"] = found
            else:
                out[part] = label
        if "indicator" in out["totals"]:
            raise ValueError(Text("layout.total_indicators"))
        if {"year", "period"} & out["totals"]:
            raise ValueError(Text("layout.total_years"))
        return out

    def composed(self, coords: dict) -> dict:
        """The coordinates with their period parts composed into the period (a year over a
        month), when these labels print all of it."""
        if not coords["parts"] or "period" in coords:
            return coords
        parts = coords.pop("parts")
        coords["period"] = compose(_with_year(parts, self.recipe))
        coords["parts"] = []
        return coords


def _with_year(parts: list, recipe: dict) -> list:
    """The period parts, with the recipe's `year:` first when it gives the year."""
    return [PeriodPart("year", None, int(recipe["year"])), *parts] if "year" in recipe else parts


def _indicator_names(cat) -> dict[str, str]:
    """The words that name an indicator in a table: its id and its Arabic and English names."""
    names = {}
    for key, ind in cat.indicators.items():
        for name in (key, ind["name"]["ar"], ind["name"]["en"], *ind.get("aliases", [])):
            names[plain_words(name)] = key
    return names


# -- reading a table -------------------------------------------------------------------------------

def extract_table(path: Path, recipe: dict, cat, open_sheets=open_workbook) -> tuple[pd.DataFrame, list[LayoutProblem]]:
    """The figures of the sheets the recipe names, as records (see etl/extract.py), and every
    problem found (one per cell or label: etl/extract.py groups them by cause)."""
    records, problems = [], []
    for sheet in printed_sheets(path, recipe["sheet"], recipe, open_sheets):
        found, wrong = _TableReader(sheet, recipe, cat, path.name).read()
        records += found
        problems += wrong
    return pd.DataFrame(records), problems


class _CellProblem(ValueError):
    def __init__(self, message: str, expected: str):
        super().__init__(message)
        self.message, self.expected = message, expected


class _TableReader:
    """One sheet of a `layout: table` recipe: its columns' coordinates from the header rows, its
    rows' from the label columns, and a record for every figure where they cross."""

    def __init__(self, sheet: Sheet, recipe: dict, cat, file: str):
        self.recipe, self.cat, self.file = recipe, cat, file
        self.label_cols = [_column_index(c) for c in recipe["label_columns"]]
        self.header_rows = list(recipe["header_rows"])
        self.printed = _Printed(sheet, recipe.get("hidden", "refuse"), max(self.header_rows) + 1,
                                frozenset(self.label_cols))
        self.sheet = sheet
        self.marks = recipe.get("marks", {"*": "provisional"})
        self.codes = {plain_words(k): v for k, v in recipe.get("codes", {}).items()}
        self.statuses = status_words(recipe.get("statuses"))
        self.skip = [re.compile(p) for p in recipe.get("skip", [])]
        # a period whose parts are printed some across and some down is composed cell by cell
        self.split_period = all(any(p in PERIOD_PARTS for p in recipe[axis]) for axis in ("columns", "rows"))
        self.last_row = min(recipe.get("last_row", sheet.n_rows), sheet.n_rows)   # a second table below is not this one
        self.problems: list[LayoutProblem] = []

    def problem(self, message, expected, row=None, col=None, value=None):
        self.problems.append(LayoutProblem(message, expected, self.sheet.name, row,
                                           _letter(col) if col else None, value))

    def read(self) -> tuple[list[dict], list[LayoutProblem]]:
        try:
            self.notes = {row for row in range(self.printed.body_from, self.last_row + 1) if self._note(row)}
            columns = self._columns()
            rows = self._rows(columns)
            records = self._cells(columns, rows)
        except LayoutProblem as p:
            return [], [*self.problems, p]
        records = self._totals_checked(records)
        return records, self.problems

    def _note(self, row: int) -> bool:
        """A row whose first printed cell, in whatever column, matches a `skip:` pattern."""
        first = next((text_of(self.printed.cell(row, c)) for c in range(1, self.sheet.n_cols + 1)
                      if text_of(self.printed.cell(row, c))), "")
        return bool(first) and any(p.search(first) for p in self.skip)

    def _header(self, row: int, col: int) -> str:
        """A header cell's words; with `fill_headers`, an empty one takes the label to its left
        in the same row (a CSV export prints a year once over the columns it heads)."""
        label = self.printed.header(row, col)
        if label or not self.recipe.get("fill_headers"):
            return label
        for left in range(col - 1, 0, -1):
            if left in self.label_cols:
                return ""
            label = self.printed.header(row, left)
            if label:
                return label
        return ""

    # what each column is
    def _columns(self) -> dict[int, dict]:
        axis = _Axis(self.recipe["columns"], self.recipe, self.cat, self.marks)
        skipped = {plain_words(s) for s in self.recipe.get("skip_columns", [])}
        out = {}
        for col in range(1, self.sheet.n_cols + 1):
            if col in self.label_cols:
                continue
            labels = [self._header(r, col) for r in self.header_rows]
            body = lambda c=col: any(text_of(self.printed.cell(r, c)) for r in range(self.printed.body_from,
                                                                                   self.last_row + 1)
                                     if r not in self.notes)
            if not self.printed.kept(col, self.sheet.hidden_cols, "column", body):
                continue
            if _letter(col) in self.recipe.get("skip_columns", []) or any(plain_words(x) in skipped for x in labels if x):
                continue
            if not any(labels):
                if body():
                    first = next(r for r in range(self.printed.body_from, self.last_row + 1)
                                 if r not in self.notes and text_of(self.printed.cell(r, col)))
                    self.problem(Text("extract.no_header_column"), Text("layout.header_or_skip"), first, col,
                                 self.printed.cell(first, col))
                continue
            try:
                coords = axis.read(labels)
                out[col] = coords if self.split_period else axis.composed(coords)
            except ValueError as exc:
                row = next((r for r, x in zip(self.header_rows, labels) if x), self.header_rows[0])
                self.problem(Text("layout.bad_header", reason=_reason(exc)), _expected(self.recipe["columns"]), row, col,
                             " / ".join(x for x in labels if x))
        return out

    # what each row is
    def _rows(self, columns: dict[int, dict]) -> dict[int, dict]:
        axis = _Axis(self.recipe["rows"], self.recipe, self.cat, self.marks)
        out = {}
        for row in range(self.printed.body_from, self.last_row + 1):
            labels = [self.printed.label(row, c) for c in self.label_cols]
            filled = lambda r=row: any(text_of(self.printed.cell(r, c)) for c in columns)
            if not self.printed.kept(row, self.sheet.hidden_rows, "row", filled):
                continue
            if row in self.notes:
                continue                    # a note under the table (المصدر: …, * بيانات أولية)
            if not any(labels):
                if filled():
                    col = next(c for c in columns if text_of(self.printed.cell(row, c)))
                    self.problem(Text("layout.no_label"), Text("layout.label_needed"),
                                 row, col, self.printed.cell(row, col))
                continue
            try:
                coords = axis.read(labels)
                out[row] = coords if self.split_period else axis.composed(coords)
            except ValueError as exc:
                col = self.label_cols[next((n for n, x in enumerate(labels) if x), 0)]
                self.problem(Text("layout.bad_label", reason=_reason(exc)), _expected(self.recipe["rows"]), row, col,
                             " / ".join(x for x in labels if x))
        return out

    # a record where they cross
    def _cells(self, columns: dict[int, dict], rows: dict[int, dict]) -> list[dict]:
        records = []
        for row, down in rows.items():
            for col, across in columns.items():
                value = self.printed.figure(row, col)
                written = text_of(value)
                if not written:
                    continue
                try:
                    records.append(self._record(row, col, value, written, across, down))
                except _CellProblem as exc:
                    self.problem(exc.message, exc.expected, row, col, written)
        return records

    def _record(self, row: int, col: int, value, written: str, across: dict, down: dict) -> dict:
        recipe, cat = self.recipe, self.cat
        period = across.get("period") or down.get("period")
        if period is None:
            parts = _with_year([*across["parts"], *down["parts"]], recipe)
            try:
                period = compose(parts) if parts else parse_period(recipe["period"]) if "period" in recipe else None
            except ValueError as exc:
                raise _CellProblem(_reason(exc), Text("layout.period_together")) from None
            if period is None:
                raise _CellProblem(Text("layout.no_period"), Text("layout.period_how"))
        coords = {k: v for k, v in {**across, **down}.items() if k not in ("status", "totals", "parts", "period")}
        indicator = coords.pop("indicator", recipe.get("indicator"))
        status = across["status"] or down["status"]
        code = self.codes.get(plain_words(written))
        if code is not None:
            value, status = "", code
        elif isinstance(value, str):
            try:
                value, cell_status = mark_of(written, self.marks)
            except ValueError as exc:
                raise _CellProblem(Text("layout.bad_figure", reason=_reason(exc)), Text("layout.one_mark")) from None
            status = cell_status or status
        ind = cat.indicators[indicator]
        return {"source_file": self.file, "source_sheet": self.sheet.name, "source_row": row,
                "source_column": _letter(col), "indicator_id": indicator, "period": period.label,
                "unit": recipe.get("unit"), "value": value, "status": status,
                "source_id": recipe.get("source") or recipe["sources"].get(period.label),
                "scale": recipe.get("scale"), "written": written,
                **coords, "geo": coords.get("geo") or recipe.get("place") or ind["country"],
                "_totals": across["totals"] | down["totals"], "_period": period}

    # totals printed beside their parts
    def _totals_checked(self, records: list[dict]) -> list[dict]:
        """A total printed beside its parts (a row of the country under its governorates, a
        column of the year beside its months, a breakdown's total beside its members) must be
        their sum: an error on the total's cell with both figures, unless `check_totals:
        false`. A year's total beside its months is their sum only for a flow; beside a stock's
        (counted on a day) it must be left out by the recipe."""
        out = []
        for rec in records:
            of_period = rec["_totals"] & set(PERIOD_PARTS)
            if of_period:
                if self.cat.indicators[rec["indicator_id"]]["measure"] != "flow":
                    self.problem(Text("layout.stock_total", parts="/".join(sorted(of_period)), indicator=rec['indicator_id']),
                                 Text("layout.leave_total"), rec["source_row"],
                                 _column_index(rec["source_column"]), rec["written"])
                    continue
                rec["period"] = str(rec["_period"].end.year)   # the months' year, as a whole
            out.append(rec)
        if self.recipe.get("check_totals", True):
            for dim in sorted({d for rec in out for d in rec["_totals"]}):
                self._check_sums(out, dim)
        for rec in out:
            del rec["_totals"], rec["_period"]
        return out

    def _check_sums(self, records: list[dict], dim: str) -> None:
        """Each total of `dim` against the figures printed beside it that differ from it in
        `dim` alone (the same indicator, place, period and other breakdowns; for a total of
        months, the same year)."""
        def key(rec: dict) -> tuple:
            when = rec["_period"].end.year if dim in PERIOD_PARTS else rec["period"]
            return (rec["indicator_id"], when, *(rec.get(d) for d in ("geo", *self.cat.dimensions) if d != dim))
        totals = {key(r): r for r in records if dim in r["_totals"]}
        parts: dict[tuple, list[dict]] = {}
        for rec in records:
            if dim not in rec["_totals"] and key(rec) in totals:
                parts.setdefault(key(rec), []).append(rec)
        scale = float(self.recipe.get("scale") or 1)
        for k, beside in parts.items():
            total = totals[k]
            whole, values = _number(total), [_number(p) for p in beside]
            if whole is None or None in values:
                continue          # a code or an unreadable cell: the validator says which
            added = sum(values)
            # a table in thousands rounds each figure: half a unit each way, per figure
            tolerance = 0.5 * len(beside) if "scale" in self.recipe else 1e-9
            if abs(added - whole) > tolerance:
                self.problem(Text("layout.total_off", total=whole * scale, n=len(beside), sum=added * scale),
                             Text("layout.total_expected"),
                             total["source_row"], _column_index(total["source_column"]), total["written"])


def _number(record: dict) -> float | None:
    try:
        return parse_figure(record["value"]).value
    except ValueError:
        return None


def _expected(parts: list[str]) -> Text:
    known = ("period", "year", "month", "quarter", "half", "geo", "indicator")
    words = [Text(f"layout.expect_{p}") if p in known else Text("layout.expect_member", dimension=p)
             for p in dict.fromkeys(parts)]
    return Text("layout.expect_totals", words=functools.reduce(lambda a, b: Text("layout.expect_join", a=a, b=b), words))


def _reason(exc: ValueError):
    """What a reader's ValueError says: its message (a Text of etl/messages.py), or its text."""
    return exc.args[0] if exc.args and isinstance(exc.args[0], str) else str(exc)


__all__ = ["BUILTIN", "FIELDS", "LayoutProblem", "SUFFIX", "TOTAL_WORDS", "builtin_recipes", "closest",
           "extract_table", "printed_sheets", "read_recipe", "recipe_path", "text_of"]
