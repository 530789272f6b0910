"""Layout recipes: read a table as a ministry publishes it, with no reshaping by hand.

A yearbook table has title rows, a header of several rows (years over ذكور / إناث /
الإجمالي, merged across columns), a row per governorate and a total row, marks such as
`2023*` for preliminary figures, codes such as `..` where there is no figure, and notes
(`المصدر: …`, `* بيانات أولية`) under it. A recipe beside the file (`<file>.layout.yaml`,
checked against layout.schema.json) says which sheets, which rows head the columns and what
each gives (the period, a breakdown), what a row is (a place, or a breakdown), which labels
mean the total, which rows are notes, the unit and scale, and what marks and codes mean.

A table whose header row names its columns (`indicator_id`, `geo`, a breakdown…) is read by
a recipe of the other kind, `layout: columns` (etl/extract.py reads it): its figures are in a
`value` column or in columns headed by periods. The long and wide layouts of files with no
recipe beside them are two such recipes, built in (etl/recipes/).

Every recipe gives the same records, so every check of etl/validate.py applies; each points
at its cell in the published file: the sheet, the row and the column letter.
"""
from __future__ import annotations

import fnmatch
import re
import xml.etree.ElementTree as ET
import zipfile
import zlib
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.utils import column_index_from_string, get_column_letter

from .checked_yaml import YamlFileError, read_checked
from .normalise import mark_of

SUFFIX = ".layout.yaml"
BUILTIN = Path(__file__).resolve().parent / "recipes"
BUILTIN_ORDER = ("long.layout.yaml", "wide.layout.yaml")
# The columns a `layout: columns` table may have besides breakdowns: each a field of the record.
FIELDS = ("indicator_id", "geo", "period", "value", "status", "unit", "source_id", "label_ar", "label_en", "note")
_COLUMNS_ONLY = {"figures", "requires", "when_column", "header_row_has", "header_within_rows", "sources_sheet", "rename"}
_TABLE_ONLY = {"indicator", "source", "sources", "unit", "scale", "header_rows", "columns", "label_column", "rows",
               "place", "totals", "skip", "marks", "codes"}


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
    where = f"the layout recipe {path.name}"
    stray = sorted(set(recipe) & (_TABLE_ONLY if recipe["layout"] == "columns" else _COLUMNS_ONLY))
    if stray:
        raise LayoutProblem(f"{where}: {', '.join(stray)} belong to the other layout than `layout: {recipe['layout']}`",
                            "the keys of one layout (layout.schema.json)")
    if recipe["layout"] == "columns":
        fields = (*FIELDS, *cat.dimensions)
        for printed, field in recipe.get("rename", {}).items():
            if field not in fields:
                raise LayoutProblem(f"{where}: rename: {printed!r} to {field!r}, which is not a column the build reads",
                                    f"one of {list(fields)}")
        return recipe
    if recipe["indicator"] not in cat.indicators:
        raise LayoutProblem(f"{where}: unknown indicator {recipe['indicator']!r}", "an indicator of indicators.yaml")
    breakdowns = cat.indicators[recipe["indicator"]]["breakdowns"]
    if len(recipe["columns"]) != len(recipe["header_rows"]):
        raise LayoutProblem(f"{where}: {len(recipe['header_rows'])} header rows but {len(recipe['columns'])} columns",
                            "one entry of `columns` per header row")
    for part in [*recipe["columns"], recipe["rows"]]:
        if part not in ("period", "geo", *breakdowns):
            raise LayoutProblem(f"{where}: {part!r} is not the period, geo or a breakdown of {recipe['indicator']}",
                                f"period, geo or one of {breakdowns}")
    if recipe["rows"] == "period":
        raise LayoutProblem(f"{where}: rows give places or a breakdown; the period comes from a header row",
                            "rows: geo, or a breakdown")
    for pattern in recipe.get("skip", []):
        try:
            re.compile(pattern)
        except re.error as exc:
            raise LayoutProblem(f"{where}: skip: {pattern!r} is not a regular expression ({exc})",
                                "a pattern such as '^المصدر'") from None
    if "period" not in recipe["columns"]:
        raise LayoutProblem(f"{where}: no header row gives the period", "period among `columns`")
    if ("source" in recipe) == ("sources" in recipe):
        raise LayoutProblem(f"{where}: say the source once: `source`, or `sources` by period", "source or sources")
    return recipe


def _shaped(path: Path) -> dict:
    """The recipe checked against layout.schema.json, with its layout named (table by default)."""
    try:
        recipe = read_checked(path, "layout.schema.json")
    except YamlFileError as exc:
        raise LayoutProblem(f"the layout recipe {path.name}: {exc}", "a recipe as layout.schema.json describes") from None
    return {"layout": "table", **recipe}


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


class _Sheet:
    """A worksheet's values with merged cells filled in (every cell a merge spans reads as
    its top-left cell), and formulas whose values were never saved found out."""

    def __init__(self, values_ws, formulas_ws):
        self.title = values_ws.title
        self.ws, self.formulas = values_ws, formulas_ws
        self.merged = {}
        for block in values_ws.merged_cells.ranges:
            top = (block.min_row, block.min_col)
            for r in range(block.min_row, block.max_row + 1):
                for c in range(block.min_col, block.max_col + 1):
                    self.merged[(r, c)] = top

    def value(self, row: int, col: int):
        r, c = self.merged.get((row, col), (row, col))
        value = self.ws.cell(row=r, column=c).value
        written = self.formulas.cell(row=r, column=c).value
        if value is None and isinstance(written, str) and written.startswith("="):
            raise LayoutProblem("a formula with no saved value, which reads as an empty cell",
                                "the figure itself, or the file opened and saved once in Excel or LibreOffice",
                                self.title, r, get_column_letter(c), written)
        return value


def extract_table(path: Path, recipe: dict, cat) -> pd.DataFrame:
    """The figures of the sheets the recipe names, as records (see etl/extract.py)."""
    try:
        values, formulas = load_workbook(path, data_only=True), load_workbook(path, data_only=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ET.ParseError, zlib.error, EOFError) as exc:
        raise LayoutProblem(f"not a readable Excel workbook ({type(exc).__name__})",
                            "an .xlsx workbook saved by Excel or LibreOffice") from None
    names = [n for n in values.sheetnames if fnmatch.fnmatchcase(n, recipe["sheet"])]
    if not names:
        raise LayoutProblem(f"no sheet matches {recipe['sheet']!r} (found {values.sheetnames})",
                            "the sheet the recipe names")
    parts = [_sheet_records(_Sheet(values[n], formulas[n]), recipe, cat, path.name) for n in names]
    return pd.DataFrame([r for part in parts for r in part])


def _sheet_records(sheet: _Sheet, recipe: dict, cat, file: str) -> list[dict]:
    ind = cat.indicators[recipe["indicator"]]
    marks, codes = recipe.get("marks", {}), recipe.get("codes", {})
    totals = set(recipe.get("totals", []))
    skip = [re.compile(p) for p in recipe.get("skip", [])]
    label_col = column_index_from_string(recipe.get("label_column", "A"))
    last_header = max(recipe["header_rows"])
    width = sheet.ws.max_column
    # What every column gives, from the header rows.
    heads: dict[int, dict] = {}
    for col in range(1, width + 1):
        if col == label_col:
            continue
        head, status = {}, None
        for row, part in zip(recipe["header_rows"], recipe["columns"]):
            label = _text(sheet.value(row, col))
            if part == "period":
                label, status = mark_of(label, marks)
            head[part] = None if label in totals else label
        if head.get("period"):
            heads[col] = {**head, "status": status}
    records = []
    for row in range(last_header + 1, sheet.ws.max_row + 1):
        label = _text(sheet.value(row, label_col))
        cells = {col: sheet.value(row, col) for col in range(1, width + 1) if col != label_col}
        filled = {col: v for col, v in cells.items() if _text(v)}
        if not label and not filled:
            continue
        if label and any(p.search(label) for p in skip):
            continue                    # a note under the table (المصدر: …, * بيانات أولية)
        if not label:
            col = min(filled)
            raise LayoutProblem("a figure in a row with no label", "a label in the recipe's label column",
                                sheet.title, row, get_column_letter(col), filled[col])
        for col, value in filled.items():
            head = heads.get(col)
            if head is None:
                raise LayoutProblem("a figure under a column with no header", "a header naming the column",
                                    sheet.title, row, get_column_letter(col), value)
            written = _text(value)
            status = head["status"]
            if written in codes:
                value, status = "", codes[written]
            elif isinstance(value, str):
                value, cell_status = mark_of(written, marks)
                status = cell_status or status
            record = {"source_file": file, "source_sheet": sheet.title, "source_row": row,
                      "source_column": get_column_letter(col), "indicator_id": recipe["indicator"],
                      "period": head["period"], "unit": recipe.get("unit"), "value": value, "status": status,
                      "source_id": recipe.get("source") or recipe["sources"].get(head["period"]),
                      "scale": recipe.get("scale"), "written": written}
            record.update({part: text for part, text in head.items() if part not in ("period", "status")})
            row_value = None if label in totals else label
            if recipe["rows"] == "geo":
                record["geo"] = row_value or ind["country"]
            else:
                record[recipe["rows"]] = row_value
                record["geo"] = recipe.get("place") or ind["country"]
            records.append(record)
    return records
