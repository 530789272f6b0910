"""Read source files into raw records, one per published figure, without judging them.

How a file is laid out is said by a layout recipe (etl/layouts.py): its own, beside it
(`<stem>.layout.yaml`), or else the first built-in one that fits (etl/recipes/):
- long: one row per figure, with `indicator_id`, `geo`, `period`, `value`, `source_id`
  and optional breakdown and `unit` columns;
- wide: one row per indicator or breakdown and one column per period (the way
  ministries lay out yearbook tables). The source of each period column is given by a
  `source_id` column in the row or, in a workbook, by a `sources` sheet
  (`column`, `source_id`).
Both are `layout: columns` recipes, read here; a `layout: table` recipe (a printed table with
header rows and label columns) is read by etl/layouts.py. A CSV is one sheet whose first line
is the header; a workbook (.xlsx, .xls, .ods) is read through etl/sheets.py, which knows what
was printed (hidden sheets, rows and columns are never read unless the recipe says so). A
record keeps the cell as written, plus where it came from (file, sheet, row, column).

A `layout: columns` recipe may also give fields for the whole file (`indicator`, `source`,
`place`, `unit`: a file about one indicator need not repeat it on every row), its own status
words (`statuses:`, such as نهائي for a final figure) and the words a breakdown column prints
for the total (`totals:`). A status column and a mark or code in the figure's cell say the same
thing or the row is refused (etl/validate.py: "one status for a figure").
"""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl.utils import get_column_letter

from .layouts import FIELDS, LayoutProblem, _TableReader, as_printed, builtin_recipes, read_recipe, recipe_path
from .layouts import extract_table
from .messages import Text
from .normalise import mark_of, parse_period
from .report import WARNING, Issue
from .sheets import SUFFIXES as WORKBOOKS
from .sheets import SheetProblem, open_workbook
from .words import plain_words, status_words

SUFFIXES = (".csv", *WORKBOOKS)
RECORD_COLUMNS = ["source_file", "source_sheet", "source_row", "source_column",
                  "indicator_id", "geo", "period", "unit", "value", "status", "source_id",
                  "scale", "written"]   # scale: the table's multiplier; written: the cell as printed (recipes)
# What a `layout: columns` recipe may give for the whole file instead of a column, and the column.
CONSTANTS = {"indicator": "indicator_id", "source": "source_id", "place": "geo", "unit": "unit"}
KINDS = Text("extract.kinds")


def extract_file(path: Path, cat) -> tuple[pd.DataFrame, list[Issue]]:
    """Read one file into records (columns RECORD_COLUMNS + the catalogue's breakdowns) and
    issues, through its layout recipe: its own, or the first built-in one that fits."""
    path = Path(path)
    dimensions = list(cat.dimensions)
    own = recipe_path(path)
    try:
        if path.is_dir():
            raise FileProblem(Text("extract.a_folder"), Text("extract.data_file"))
        if not path.is_file():
            raise FileProblem(Text("extract.broken_link"), Text("extract.file_or_no_link"))
        if path.stat().st_size == 0:
            # Say so plainly: a 0-byte .xlsx is not "a broken workbook", it is empty.
            raise FileProblem(Text("extract.zero_bytes"), Text("extract.header_and_figure"))
        if path.suffix.lower() not in SUFFIXES:
            raise FileProblem(Text("extract.unsupported", suffix=path.suffix), Text("extract.file_types"))
        recipes = [read_recipe(own, cat)] if own.exists() else builtin_recipes()
        if recipes[0]["layout"] == "table":
            return _through_recipe(path, own, recipes[0], cat)
        read: dict[tuple, tuple] = {}     # recipes that read the same way read the file once
        for recipe in recipes:
            how = (recipe["sheet"], recipe.get("header_row_has"), recipe.get("header_within_rows"),
                   recipe.get("sources_sheet"), recipe.get("hidden"))
            if how not in read:
                read[how] = _read_csv(path) if path.suffix.lower() == ".csv" else _read_sheet(path, recipe, own.exists())
            table, sheet, first_row, sources, notes = read[how]
            if "when_column" not in recipe or recipe["when_column"] in _renamed(table, recipe).columns:
                break
    except (FileProblem, LayoutProblem, SheetProblem) as p:
        return _empty(dimensions), [Issue(path.name, p.message, p.expected, sheet=p.sheet,
                                          row=p.row, column=p.column, value=p.value)]
    except OSError as exc:   # unreadable (permissions, a disk error): say so, never a traceback
        return _empty(dimensions), [Issue(path.name, Text("extract.unreadable", why=exc.strerror or type(exc).__name__),
                                          Text("extract.readable_file"))]
    records, issues = _records(path.name, sheet, first_row, _renamed(table, recipe), sources, dimensions, recipe)
    return records, [Issue(path.name, note, severity=WARNING) for note in notes] + issues


def _renamed(table: pd.DataFrame, recipe: dict) -> pd.DataFrame:
    """The table with its printed headers renamed to the columns they are (the recipe's `rename`)."""
    rename = recipe.get("rename")
    return table.rename(columns=rename) if rename else table


def _through_recipe(path: Path, recipe_file: Path, recipe: dict, cat) -> tuple[pd.DataFrame, list[Issue]]:
    dimensions = list(cat.dimensions)
    if path.suffix.lower() == ".csv":      # one sheet, nothing hidden, nothing merged
        records, problems = _TableReader(_CsvSheet(_read_csv_rows(path)), recipe, cat, path.name).read()
        table = pd.DataFrame(records)
    else:
        table, problems = extract_table(path, recipe, cat)
    if problems:
        return _empty(dimensions), grouped(path.name, problems)
    if table.empty:
        return _empty(dimensions), [Issue(path.name, Text("extract.recipe_no_figures"),
                                          Text("extract.recipe_figures", recipe=recipe_file.name))]
    for column in RECORD_COLUMNS + dimensions:
        if column not in table:
            table[column] = None
    return table[RECORD_COLUMNS + dimensions].astype(object).where(table.notna(), None).reset_index(drop=True), []


def grouped(file: str, problems: list) -> list[Issue]:
    """One report line per cause: the problems that say the same thing on one sheet are one
    line, at the first of them, with how many cells share it and where the next few are."""
    out, seen = [], {}
    for p in problems:
        key = (p.message.split(":")[0], p.expected, p.sheet)   # the cause: what precedes its particulars
        if key in seen:
            seen[key].append(p)
            continue
        seen[key] = [p]
    for (_, expected, sheet), same in seen.items():
        first = same[0]
        more = tuple(f"{q.column}{q.row}" if q.column and q.row else q.row or q.column for q in same[1:Issue.MORE_ROWS + 1])
        out.append(Issue(file, first.message, expected, sheet=sheet, row=first.row, column=first.column,
                         value=first.value, count=len(same), more_rows=more))
    return out


class FileProblem(Exception):
    """A file that cannot be read at all: what was found (`message`) and what was expected."""

    def __init__(self, message: str, expected: str = "", sheet: str | None = None, row: int | None = None,
                 column: str | None = None, value=None):
        super().__init__(message)
        self.message, self.expected, self.sheet = message, expected, sheet
        self.row, self.column, self.value = row, column, value


def _empty(dimensions: list[str]) -> pd.DataFrame:
    return pd.DataFrame(columns=RECORD_COLUMNS + dimensions, dtype=object)


class _CsvSheet:
    """A CSV's rows as a sheet (etl/sheets.py's Sheet): nothing hidden or merged in a CSV."""
    name = None
    hidden = False
    hidden_rows = hidden_cols = frozenset()
    merged = ()

    def __init__(self, rows: list[list[str]]):
        self._rows = rows
        self.n_rows, self.n_cols = len(rows), max((len(r) for r in rows), default=0)

    def value(self, row: int, col: int):
        line = self._rows[row - 1] if row <= len(self._rows) else []
        return line[col - 1] if col <= len(line) and line[col - 1] != "" else None

    def rows(self) -> list[tuple]:
        return [tuple(r) for r in self._rows]


def _read_csv_rows(path: Path) -> list[list[str]]:
    """A CSV's cells, line by line, as printed (for a `layout: table` recipe)."""
    text, _ = decode_csv(path.read_bytes())
    first = text.split("\n", 1)[0]
    return list(csv.reader(io.StringIO(text), delimiter=";" if ";" in first and "," not in first else ","))


_ARABIC_LETTER = re.compile("[\u0621-\u064a]")


def decode_csv(raw: bytes) -> tuple[str, list[str]]:
    """The text of a CSV, and what had to be assumed to read it. UTF-8 (with or without a
    byte-order mark) and UTF-16 (with one) are read as they are. Arabic offices' Excel saves
    "CSV" as Windows-1256: a file that is not UTF-8 but reads as Arabic text in Windows-1256
    is read so, with a warning (every label in it is still checked against the catalogue)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), []
        except UnicodeDecodeError as exc:
            raise FileProblem(Text("extract.not_utf16", byte=exc.start), _SAVE_AS) from None
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        guess = raw.decode("cp1256", errors="replace")
        if "\ufffd" not in guess and _ARABIC_LETTER.search(guess):
            return guess, [Text("extract.cp1256")]
        raise FileProblem(Text("extract.not_utf8", byte=exc.start), _SAVE_AS) from None


_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")
_SAVE_AS = Text("extract.save_as")


def _read_csv(path: Path):
    raw = path.read_bytes()
    if not raw.strip():
        raise FileProblem(Text("extract.empty"), Text("extract.header_and_figure"))
    text, notes = decode_csv(raw)
    header_line = text.split("\n", 1)[0]
    sep = ";" if ";" in header_line and "," not in header_line else ","
    if sep == ";":
        notes.append(Text("extract.semicolons"))
    try:
        # dtype=object: plain Python strings. pandas' default (Arrow-backed) strings cost
        # seconds in conversions on a million-row source set and gain nothing here.
        # A UTF-8 file is given as its bytes: as text, pandas would encode it back to UTF-8.
        source = io.BytesIO(raw) if not notes and not raw.startswith((b"\xff\xfe", b"\xfe\xff")) else io.StringIO(text)
        table = pd.read_csv(source, sep=sep, dtype=object, keep_default_na=False, skip_blank_lines=True,
                            encoding="utf-8-sig")
    except (pd.errors.ParserError, csv.Error) as exc:
        raise FileProblem(Text("extract.not_csv", why=str(exc)), Text("extract.comma_separated")) from None
    header = next(csv.reader(io.StringIO(text), delimiter=sep), [])
    table.columns = [h.strip() for h in header] + [""] * (len(table.columns) - len(header))
    # Data start on line 2; pandas drops blank lines, so count them back in (when there are any).
    if _BLANK_LINE.search(text):
        lines = [n for n, line in enumerate(text.splitlines()[1:], start=2) if line.strip()]
        table.index = lines[: len(table)]
    else:
        table.index = range(2, 2 + len(table))
    return _named_columns(table, None), None, 2, None, notes


def _read_sheet(path: Path, recipe: dict, own: bool):
    """The recipe's sheet as a table under its header row (the first of the top rows that has
    the recipe's `header_row_has` column), and the period columns' sources. Hidden rows and
    columns are refused (naming them), left out or read, as the recipe's `hidden:` says."""
    book = open_workbook(path)
    name, sources_sheet = recipe["sheet"], recipe.get("sources_sheet")
    if name not in book.sheet_names:
        if not own:
            raise FileProblem(Text("extract.no_recipe_workbook", name=name, sheets=book.sheet_names),
                               Text("extract.recipe_beside", recipe=recipe_path(path).name, file=path.name, kinds=KINDS))
        raise FileProblem(Text("extract.no_sheet", name=name, sheets=book.sheet_names), Text("extract.sheet_recipe_names"))
    sheet = book.sheet(name)
    policy = recipe.get("hidden", "refuse")
    if sheet.hidden and policy != "read":
        raise FileProblem(Text("extract.hidden_sheet"), Text("extract.hidden_read"), name)
    rows = [[as_printed(v) for v in r] for r in sheet.rows()]
    rows = _printed_only(rows, sheet, policy)
    sources = _read_sources_sheet(book.sheet(sources_sheet), sources_sheet) \
        if sources_sheet in book.sheet_names else None
    marker, within = recipe.get("header_row_has", "indicator_id"), recipe.get("header_within_rows", 1)
    header_at = next((n for n, (_, row) in enumerate(rows[:within]) if marker in _texts(row)), None)
    if header_at is None:
        if not any(any(v is not None for v in row) for _, row in rows):
            raise FileProblem(Text("extract.empty_sheet"), Text("extract.header_and_figure"), name)
        if not own:
            raise FileProblem(Text("extract.no_recipe_sheet", marker=marker, within=within),
                               Text("extract.recipe_beside_workbook", recipe=recipe_path(path).name, file=path.name,
                                    kinds=KINDS), name)
        raise FileProblem(Text("extract.no_header", marker=marker, within=within), Text("extract.header_naming"), name)
    number, header_row = rows[header_at]
    width = max((len(r) for _, r in rows[header_at:]), default=0)
    header = [_header_text(v) for v in header_row] + [""] * (width - len(header_row))
    body = [list(r) + [None] * (width - len(r)) for _, r in rows[header_at + 1:]]
    table = pd.DataFrame(body, columns=range(width), dtype=object)
    table.columns = header
    table.index = [n for n, _ in rows[header_at + 1:]]
    return _named_columns(table, name), name, number + 1, sources, []


def _printed_only(rows: list[list], sheet, policy: str) -> list[tuple[int, list]]:
    """(row number, cells) of what the sheet prints: hidden rows and columns that hold anything
    refused (the default), left out (`hidden: skip`) or kept (`hidden: read`)."""
    numbered = list(enumerate(rows, start=1))
    if policy == "read" or not (sheet.hidden_rows or sheet.hidden_cols):
        return numbered
    if policy == "refuse":
        for n, row in numbered:
            if n in sheet.hidden_rows and any(_header_text(v) for v in row):
                raise FileProblem(Text("extract.hidden_row"), Text("extract.hidden_skip"), sheet.name, n)
        for c in sorted(sheet.hidden_cols):
            filled = next((n for n, row in numbered if c <= len(row) and _header_text(row[c - 1])), None)
            if filled is not None:
                raise FileProblem(Text("extract.hidden_column"), Text("extract.hidden_skip"), sheet.name,
                                   filled, get_column_letter(c))
    keep = [c for c in range(1, max((len(r) for r in rows), default=0) + 1) if c not in sheet.hidden_cols]
    return [(n, [row[c - 1] if c <= len(row) else None for c in keep]) for n, row in numbered if n not in sheet.hidden_rows]


def _named_columns(table: pd.DataFrame, sheet: str | None) -> pd.DataFrame:
    """The table without its unnamed columns, which must be empty: a figure under a column
    with no header cannot be read, and is refused rather than dropped."""
    unnamed = [n for n, h in enumerate(table.columns) if h == ""]
    for n in unnamed:
        filled = ~_blank_cells(table.iloc[:, [n]])[:, 0]
        if filled.any():
            row = int(table.index[filled.argmax()])
            raise FileProblem(Text("extract.no_header_column"), Text("extract.name_the_column"), sheet, row,
                               get_column_letter(n + 1),
                               table.iat[int(filled.argmax()), n])
    return table.iloc[:, [n for n in range(len(table.columns)) if n not in unnamed]]


def _texts(row) -> list[str]:
    return [_header_text(v) for v in row]


def _header_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _read_sources_sheet(sheet, name: str) -> dict[str, str]:
    rows = sheet.rows()
    if not rows:
        return {}
    header = _texts(rows[0])
    if "column" not in header or "source_id" not in header:
        raise FileProblem(Text("extract.sources_columns"), Text("extract.sources_rows"), name)
    col, src = header.index("column"), header.index("source_id")
    mapping = {}
    for n, r in enumerate(rows[1:], start=2):
        if not r or len(r) <= max(col, src) or r[col] is None:
            continue
        column = _header_text(r[col])
        if column in mapping:
            raise FileProblem(Text("extract.sources_twice", column=column, row=n), Text("extract.one_source"), name)
        mapping[column] = _header_text(r[src])
    return mapping


def _blank(value) -> bool:
    return value is None or (isinstance(value, float) and value != value) or (isinstance(value, str) and not value.strip())


def _blank_cells(table: pd.DataFrame) -> np.ndarray:
    """Which cells are blank, as a boolean array; judged once per distinct value, since a
    per-row Python test costs tens of seconds on a million-row file."""
    out = np.empty(table.shape, dtype=bool)
    for n in range(table.shape[1]):
        codes, uniques = pd.factorize(table.iloc[:, n].to_numpy(dtype=object), use_na_sentinel=False)
        out[:, n] = np.array([_blank(u) for u in uniques], dtype=bool)[codes] if len(uniques) else np.zeros(len(codes), bool)
    return out


def _column(table: pd.DataFrame, name: str | None, fill=None) -> np.ndarray:
    """A column of the table as an object array, or `fill` in every row where it has none."""
    if name is not None and name in table:
        return table[name].to_numpy(dtype=object)
    return np.full(len(table), fill, dtype=object)


def _blank_rows(table: pd.DataFrame) -> np.ndarray:
    """Which rows are blank in every column. Column by column over the rows still blank, so
    a table with no blank rows costs one column's test, not every cell's."""
    candidates = np.arange(len(table))
    for n in range(table.shape[1]):
        if not len(candidates):
            break
        candidates = candidates[_blank_cells(table.iloc[candidates, [n]])[:, 0]]
    out = np.zeros(len(table), dtype=bool)
    out[candidates] = True
    return out


def _records(file: str, sheet, first_row: int, table: pd.DataFrame, sources, dimensions: list[str], recipe: dict):
    """The figures of a `layout: columns` table: one per row from its `value` column (figures:
    value), or one per filled cell under a period heading (figures: periods)."""
    issues: list[Issue] = []
    if table.empty or not len(table.columns):
        return _empty(dimensions), [Issue(file, Text("extract.no_figures"), Text("extract.one_row"), sheet=sheet)]
    columns = list(table.columns)
    duplicated = {c for c in columns if columns.count(c) > 1}
    if duplicated:
        return _empty(dimensions), [Issue(file, Text("extract.columns_twice", columns=sorted(duplicated)), Text("extract.each_column_once"),
                                          sheet=sheet, row=first_row - 1)]
    long = recipe["figures"] == "value"
    given = {CONSTANTS[k]: recipe[k] for k in CONSTANTS if k in recipe}      # for the whole file
    twice = [f for f in given if f in columns]
    if twice:
        return _empty(dimensions), [Issue(file, Text("extract.given_twice", fields=twice), Text("extract.one_of_them"),
                                          sheet=sheet, row=first_row - 1,
                                          column=twice[0])]
    # what every figure needs, from a column or the recipe: its indicator, place, source (and
    # period, in a long file); with the recipe's own `requires` besides
    needed = ["indicator_id", "geo", *(["period", "value"] if long else []), *([] if not long else ["source_id"])]
    required = list(dict.fromkeys([*needed, *recipe.get("requires", [])]))
    missing = [c for c in required if c not in columns and c not in given]
    if missing:
        hint = Text("extract.whole_file_hint", keys=[f"`{k}:`" for k, f in CONSTANTS.items() if f in missing]) \
            if any(f in missing for f in CONSTANTS.values()) else ""
        return _empty(dimensions), [Issue(file, Text("extract.missing_columns", missing=missing),
                                          Text("extract.the_columns", required=required, hint=hint),
                                          sheet=sheet, row=first_row - 1)]
    period_columns = []
    for col in columns:
        if col in FIELDS or col in dimensions:
            continue
        if not long:
            try:
                parse_period(mark_of(col)[0])   # "2023*": the period 2023, its figures provisional
                period_columns.append(col)
                continue
            except ValueError:
                pass
        issues.append(Issue(file, Text("extract.unknown_column"),
                            Text("extract.known_column" if long else "extract.known_column_or_period"),
                            sheet=sheet, row=first_row - 1, column=col, value=col))
    if not long and not period_columns:
        # Without this a long file that lost its `value` column would be read as a wide
        # table with no period columns: zero figures and no error, so the build would
        # quietly drop the whole file.
        issues.append(Issue(file, Text("extract.no_value_column"), Text("extract.value_or_periods"),
                            sheet=sheet, row=first_row - 1))
    if issues:
        return _empty(dimensions), issues
    table = table[~_blank_rows(table)]
    # Object columns throughout: pandas would otherwise turn every column of text into Arrow
    # strings and back, a copy of each of a million cells at every step.
    base = {
        "source_file": np.full(len(table), file, dtype=object),
        "source_sheet": np.full(len(table), sheet, dtype=object), "source_row": table.index.to_numpy(),
        "indicator_id": _column(table, "indicator_id", given.get("indicator_id")),
        "geo": _column(table, "geo", given.get("geo")),
        "unit": _column(table, "unit", given.get("unit")), "scale": _column(table, None), "written": _column(table, None),
        **{dim: _totals_blank(_column(table, dim), recipe) for dim in dimensions},
    }
    if long:
        printed = {field: header for header, field in recipe.get("rename", {}).items()}.get("value", "value")
        parts = [{**base, "source_column": _column(table, None, printed), "period": _column(table, "period"),
                  "value": _column(table, "value"), "source_id": _column(table, "source_id", given.get("source_id")),
                  "status": _statuses(_column(table, "status"), recipe)}]
    else:
        row_sources = _column(table, "source_id") if "source_id" in columns else None
        parts = []
        for col in period_columns:
            filled = ~_blank_cells(table[[col]])[:, 0]
            period, status = mark_of(col)
            source = row_sources[filled] if row_sources is not None else \
                (sources or {}).get(col, (sources or {}).get(period, given.get("source_id")))
            n = int(filled.sum())
            parts.append({**{k: v[filled] for k, v in base.items()}, "source_column": np.full(n, col, dtype=object),
                          "period": np.full(n, period, dtype=object), "value": table[col].to_numpy(dtype=object)[filled],
                          "source_id": source if isinstance(source, np.ndarray) else np.full(n, source, dtype=object),
                          "status": np.full(n, status, dtype=object)})
    if not parts:
        return _empty(dimensions), issues
    out = pd.DataFrame({c: np.concatenate([p[c] for p in parts]) for c in RECORD_COLUMNS + dimensions}, dtype=object)
    out["source_row"] = out["source_row"].astype("int64")
    return out, issues


def _totals_blank(cells: np.ndarray, recipe: dict) -> np.ndarray:
    """A breakdown column with the recipe's words for the total (`totals: [المجموع]`) blanked:
    a blank breakdown is the total."""
    words = {plain_words(w) for w in recipe.get("totals", [])}
    if not words:
        return cells
    codes, uniques = pd.factorize(cells, use_na_sentinel=False)
    return np.array([None if plain_words(u) in words else u for u in uniques], dtype=object)[codes] if len(uniques) \
        else cells


def _statuses(cells: np.ndarray, recipe: dict) -> np.ndarray:
    """A status column's words as statuses, the recipe's own words (`statuses:`) with the
    built-in ones; a word neither knows is left as printed, for the validator to name."""
    if not recipe.get("statuses"):
        return cells
    words = status_words(recipe["statuses"])
    codes, uniques = pd.factorize(cells, use_na_sentinel=False)
    mapped = [words.get(plain_words(u), u) if not _blank(u) else u for u in uniques]
    return np.array(mapped, dtype=object)[codes] if len(uniques) else cells
