"""Draft a layout recipe from a table as the ministry printed it (`spi recipe draft FILE`).

A clerk who puts a workbook into data/raw/ should never write its recipe from nothing; but a
recipe is a statement about the table that someone must check, so the draft guesses only what
the sheet and the catalogue say, writes what it found beside each key, and lists what it could
not place instead of guessing it. How it reads the sheet, and why:

1. **The sheet**: the one named, else the only one, else the first that is not hidden and holds
   figures (a yearbook's workbook opens on its first table; the others are listed in a comment).
2. **Cells**: each is a figure (a number, or text that etl/normalise.py parse_figure reads, such as
   `1,234`, `(72675)`, `1234*`), a code in place of a figure (`..`, `-`, `غ.م`), a year (a whole
   number 1950-2100, which heads columns as often as it is a count), text, or nothing.
3. **The body** starts at the first row holding a figure that is not a year: years above it are
   headers. Its **figure columns** hold figures; the **label columns** are the columns of text (or
   years, for periods down) left of the first figure column: in a printed table the labels of a
   row come first (right to left or left to right, the same columns). A column of 1, 2, 3… beside
   them (`م`) is a serial number, left out; a column of text right of the figures (the names
   again, in English) is left out too.
4. **The header rows** are the rows right above the body (a blank row between them aside) whose
   cells over the figure columns are labels, merged cells spread as the reader spreads them; a row
   with one label over all of them is a title unless that label is a period or a place (`2024`
   over its months). Everything above them is the **title**: it is searched for the indicator's
   name, a period, a scale (`بالألف`, `in thousands`) and a unit (`(بالريال العماني)`).
5. **What each header row and label column gives**: its labels are matched against the catalogue
   by the rules the reader and the validator use (contract/periods.py fold): places (names,
   aliases and ISO codes of a country's geographies, as etl/validate.py resolves `geo`),
   breakdown members (labels and aliases), indicators (ids and names), periods (period_part: a
   year, a month of any series, a quarter, a half, with or without its year), and the words of a
   total (etl/words.py TOTAL_WORDS). The dimension that places most labels is the row's or
   column's; a label it does not place is listed as "could not place", never guessed. A year row
   over a row of months gives `[year, month]`; months with no year anywhere take the title's
   (`year:`); a table with no period at all takes the title's (`period:`).
6. **Totals**: labels that mean a total go into `totals:`; a total across years or periods
   printed whole (`Total 2023` beside `Q1 2023`…) cannot be one period's figure and is left out
   (`skip_columns:`), as is a stock's total of months (a stock is counted on a day) and an
   average. A flow's year beside its months is kept, and checked by the reader.
7. **Notes under the table** (`المصدر`, `Source`, `*`, `ملاحظة`, `Note`…) become `skip:` patterns;
   marks on headers or cells (`2023*`) give `marks:`, codes in place of figures `codes:`.
8. **The indicator and the source**: those given (checked against the catalogue), else the
   indicator the catalogue says this file carries (`files:`) or whose name the title matches
   clearly better than any other, else REPLACE_ME with the five closest names; the source is
   the only one of the indicator's country, else REPLACE_ME with the candidates.

Then the draft is read as `spi build` reads it (etl/extract.extract_file on a copy of the file
with the draft beside it, then etl/validate.py), so the preview shows the figures the build
would load and the problems it would report, one line per cause.
"""
from __future__ import annotations

import difflib
import fnmatch
import json
import re
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from contract import periods
import pandas as pd
from openpyxl.utils import get_column_letter

from .catalogue import Catalogue
from .extract import SUFFIXES, _CsvSheet, FileProblem, _read_csv_rows, extract_file
from .layouts import SUFFIX, LayoutProblem, _indicator_names, as_printed, text_of
from .messages import Both, Text
from .normalise import NO_FIGURE_CODES, PeriodPart, parse_figure, parse_period, period_part, to_latin_digits
from .report import Issue, errors
from .sheets import SheetProblem, open_workbook
from .validate import validate
from .versions import family
from .words import plain_words, total_words

REPLACE = "REPLACE_ME"
PREVIEW_ROWS = 20
# Codes printed in place of a figure: the reader's own, and the dashes offices print for "none".
CODES = {**NO_FIGURE_CODES, "-": "not_available", "–": "not_available", "—": "not_available"}
_CODE_KEYS = {plain_words(k): k for k in CODES}
# The first word of a note under a table.
NOTE_WORDS = ("المصدر", "المصادر", "مصدر", "المرجع", "ملاحظة", "ملاحظات", "ملاحظه", "تنويه", "source", "sources",
              "note", "notes", "*", "**", "†", "(*)")
_NOTE_KEYS = {plain_words(w) for w in NOTE_WORDS}
# The heading of a column of serial numbers.
SERIAL_WORDS = {plain_words(w) for w in ("م", "#", "no", "no.", "رقم", "الرقم", "ت", "التسلسل", "تسلسل", "s/n", "n")}
# Total words that are a sum (a total the reader checks) and those that are not (an average).
_SUMS = {"المجموع", "مجموع", "الإجمالي", "إجمالي", "الجملة", "جملة", "الكل", "الكلي", "total", "subtotal", "sum", "all"}
_THOUSANDS = re.compile(r"بالالف|بالاف|بالالاف|\(الف\)|in thousands|thousands|'000|\(000\)|000s")
_MILLIONS = re.compile(r"بالمليون|بالملايين|in millions|\bmillions\b")
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_STOP = {plain_words(w) for w in ("من", "في", "حسب", "و", "على", "عن", "الى", "إلى", "جدول", "the", "of", "by", "and",
                                  "in", "per", "for", "a", "table")}
_EMPTY, _NUM, _YEARISH, _CODE, _TEXT = range(5)
_DIM_WORDS = {"period": "periods", "year": "years", "month": "months", "quarter": "quarters", "half": "half-years",
              "geo": "places", "indicator": "indicators"}


_ORDER = ("sheet", "indicator", "source", "period", "year", "header_rows", "columns", "label_column", "label_columns",
          "rows", "totals", "skip_columns", "skip", "marks", "codes", "scale", "hidden")


class DraftRefused(Exception):
    """Nothing can be drafted (no such sheet, an unknown --indicator, a file that cannot be read):
    the message says why and what to do."""


@dataclass
class Draft:
    """A drafted recipe: its keys (in order), a comment for each, the lines of the comment on
    top, what could not be placed, and notes for the clerk (REPLACE_ME, what to check)."""

    recipe: dict = field(default_factory=dict)
    comments: dict = field(default_factory=dict)
    header: list = field(default_factory=list)
    unplaced: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    suggested: list = field(default_factory=list)    # commented-out keys: (key, value, comment)

    @property
    def complete(self) -> bool:
        """No REPLACE_ME left in it."""
        return REPLACE not in json.dumps(self.recipe, ensure_ascii=False)

    def text(self) -> str:
        """The recipe as YAML, a comment beside each key."""
        lines = [f"# {line}" if line else "#" for line in self.header]
        lines += [f"# could not place: {' '.join(u.split())}" for u in self.unplaced]
        lines += [f"# note: {' '.join(n.split())}" for n in self.notes]
        for key, value in sorted(self.recipe.items(), key=lambda kv: _ORDER.index(kv[0]) if kv[0] in _ORDER else 99):
            lines.append(_line(f"{key}: {_yaml(value)}", self.comments.get(key)))
        for key, value, comment in self.suggested:
            lines.append(_line(f"# {key}: {_yaml(value)}", comment))
        return "\n".join(lines) + "\n"


@dataclass
class Preview:
    """The draft read as `spi build` reads it."""

    records: int                     # figures the reader found
    observations: object             # the validator's observations (a DataFrame)
    issues: list                     # every problem, as the build reports them

    @property
    def ok(self) -> bool:
        return not errors(self.issues) and self.records > 0


def _line(text: str, comment: str | None) -> str:
    if not comment:
        return text
    comment = " ".join(str(comment).split())
    return f"{text.ljust(34)}  # {comment}"


def _yaml(value) -> str:
    """A value in YAML flow style: ids and dimension names plain, any other text double-quoted
    (JSON's escapes are YAML's)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return f"{value:g}" if isinstance(value, float) else str(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_yaml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(str(k), ensure_ascii=False)}: {_yaml(v)}" for k, v in value.items()) + "}"
    text = str(value)
    if re.fullmatch(r"[a-z][a-z0-9_]*|[A-Z]{1,3}|REPLACE_ME", text) and text not in ("true", "false", "null", "yes",
                                                                                      "no", "on", "off"):
        return text
    return json.dumps(text, ensure_ascii=False)


def _few(texts, most: int = 6) -> str:
    texts = list(dict.fromkeys(texts))
    if len(texts) <= most:
        return ", ".join(texts)
    return ", ".join(texts[:most - 1]) + f", … {texts[-1]} ({len(texts)} in all)"


def _ref(row: int, col: int) -> str:
    return f"{get_column_letter(col)}{row}"


def _unmarked(text: str) -> tuple[str, str | None]:
    """A label without the asterisks that trail it, and those asterisks."""
    m = re.fullmatch(r"(.*?)\s*(\*+)", text, flags=re.S)
    if m and m.group(1).strip():
        return m.group(1).strip(), m.group(2)
    return text, None


def _is_sum(text: str) -> bool:
    """A label that means the total of what it stands in (المجموع, الإجمالي, Total 2023)."""
    if plain_words(text) in total_words():
        return True
    word = periods.total_word(text)
    return word is not None and word in _SUMS


def _is_average(text: str) -> bool:
    word = periods.total_word(text)
    return word is not None and word not in _SUMS


# -- the sheet as printed ---------------------------------------------------------------------------

class _Grid:
    """The cells of one sheet as the reader sees them: what is printed (hidden rows and columns
    left out when the recipe will skip them), a merged label spread over the cells it spans."""

    def __init__(self, sheet, skip_hidden: bool):
        self.sheet = sheet
        self.n_rows, self.n_cols = sheet.n_rows, sheet.n_cols
        self.rows = [r for r in range(1, self.n_rows + 1) if not (skip_hidden and r in sheet.hidden_rows)]
        self.cols = [c for c in range(1, self.n_cols + 1) if not (skip_hidden and c in sheet.hidden_cols)]
        self.spans = {}
        self.unsaved: dict[tuple[int, int], str] = {}
        for block in sheet.merged:
            top = (block.min_row, block.min_col)
            for r in range(block.min_row, block.max_row + 1):
                for c in range(block.min_col, block.max_col + 1):
                    self.spans[(r, c)] = top
        self.values: dict[tuple[int, int], object] = {}
        self.kinds: dict[tuple[int, int], int] = {}
        self.marks: dict[tuple[int, int], str] = {}
        for r in self.rows:
            for c in self.cols:
                try:
                    value = as_printed(sheet.value(r, c))
                except SheetProblem as p:      # a formula never computed: it stands where a figure is
                    self.unsaved[(r, c)] = p.message
                    self.values[(r, c)], self.kinds[(r, c)] = p.value or "=", _NUM
                    continue
                if value is None:
                    continue
                kind, mark = _kind(value)
                if kind != _EMPTY:
                    self.values[(r, c)] = value
                    self.kinds[(r, c)] = kind
                    if mark:
                        self.marks[(r, c)] = mark

    def kind(self, r: int, c: int) -> int:
        return self.kinds.get((r, c), _EMPTY)

    def text(self, r: int, c: int) -> str:
        """The words printed in a cell (no merged label spread)."""
        return text_of(self.values.get((r, c)))

    def label(self, r: int, c: int) -> str:
        """A header or label cell's words, a merged label read in every cell it spans."""
        top = self.spans.get((r, c), (r, c))
        if top != (r, c):
            try:
                return text_of(as_printed(self.sheet.value(*top)))
            except SheetProblem:
                return ""
        return self.text(r, c)

    def filled(self, r: int) -> list[int]:
        return [c for c in self.cols if (r, c) in self.kinds]


def _kind(value) -> tuple[int, str | None]:
    """What a cell holds (see the module), and the mark that trails it."""
    if isinstance(value, bool) or isinstance(value, (datetime, date)):
        return _TEXT, None
    if isinstance(value, (int, float)):
        return (_YEARISH if float(value).is_integer() and 1950 <= value <= 2100 else _NUM), None
    text = text_of(value)
    if not text:
        return _EMPTY, None
    if plain_words(text) in _CODE_KEYS:
        return _CODE, None
    core, mark = _unmarked(text)
    if re.fullmatch(r"\d{4}", to_latin_digits(core)) and 1950 <= int(to_latin_digits(core)) <= 2100:
        return _YEARISH, mark
    try:
        parse_figure(core)
    except ValueError:
        return _TEXT, None
    return _NUM, mark


# -- what a row or a column of labels gives ---------------------------------------------------------

@dataclass
class _Axis:
    """One header row or label column: its labels (cell, text), what it gives, and what it does not."""

    where: str                     # "row 4" or "column A"
    span: str                      # "B4:M4"
    labels: list                   # [(cell, text)] each distinct label once, in order
    dim: str | None = None         # period (its kind decided later), geo, indicator or a breakdown
    country: str | None = None
    placed: dict = field(default_factory=dict)   # text -> code (place, member, indicator) or PeriodPart
    totals: list = field(default_factory=list)   # [(cell, text)]
    averages: list = field(default_factory=list)
    unplaced: list = field(default_factory=list)
    heading: str = ""              # a label column's heading (المحافظة), a header row's corner
    gaps: list = field(default_factory=list)     # a header row's figure columns with no label over them
    part: str | None = None        # for a period: period, year, month, quarter or half

    def describe(self) -> str:
        """What it gives, for the comment: 'years 2022, 2023*' or 'ذكور، إناث (sex), الإجمالي (the total)'."""
        shown = [t for _, t in self.labels if t in self.placed]
        if self.dim is None:
            what = "could not place " + _few(t for _, t in self.labels)
        elif self.dim == "period":
            years = all(isinstance(p, PeriodPart) and p.kind == "year" for p in self.placed.values())
            word = "years" if years else _DIM_WORDS.get(self.part or "period", "periods")
            what = f"{word if len(shown) > 1 else word[:-1]} {_few(shown)}"
        elif self.dim == "geo":
            what = f"{_few(shown)} (places of {self.country})"
        elif self.dim == "indicator":
            what = f"{_few(shown)} (indicators: {_few(dict.fromkeys(self.placed[t] for t in shown), 4)})"
        else:
            what = f"{_few(shown)} ({self.dim})"
        if self.totals:
            whose = ": the country" if self.dim == "geo" else ": the year" if self.part in ("month", "quarter", "half") \
                else ""
            what += f", {_few(t for _, t in self.totals)} (the total{whose})"
        if self.averages:
            what += f", {_few(t for _, t in self.averages)} (an average, left out)"
        if self.unplaced and self.dim is not None:
            what += f"; could not place {_few(t for _, t in self.unplaced)}"
        return f"{self.where}: {what}"


class _Matcher:
    """Labels against the catalogue, by the rules the reader and the validator apply."""

    def __init__(self, cat: Catalogue, country: str | None):
        self.cat, self.country = cat, country
        self.indicators = _indicator_names(cat)

    def meanings(self, text: str) -> dict:
        out: dict = {}
        core, _ = _unmarked(text)
        try:
            out["period"] = period_part(core)
        except ValueError:
            pass
        for country in ([self.country] if self.country else self.cat.geographies):
            code = self.cat.geo_code(country, text)
            if code:
                out[f"geo:{country}"] = code
        for dim in self.cat.dimensions:
            code = self.cat.member_code(dim, text)
            if code:
                out[dim] = code
        found = self.indicators.get(plain_words(text))
        if found:
            out["indicator"] = found
        return out

    def known(self, text: str) -> bool:
        """Whether a lone label heading the figures is a period, a place or a member (not a title)."""
        return any(k != "indicator" for k in self.meanings(text))

    def read(self, axis: _Axis, prefer: tuple = ()) -> _Axis:
        """What the axis gives: the meaning that places most of its labels (a total aside)."""
        found = {}
        for cell, text in axis.labels:
            if _is_sum(text):
                axis.totals.append((cell, text))
            elif _is_average(text):
                axis.averages.append((cell, text))
            else:
                found[(cell, text)] = self.meanings(text)
        counts = Counter(k for m in found.values() for k in m)
        order = ["period", *[k for k in counts if k.startswith("geo:")], *prefer, *self.cat.dimensions, "indicator"]
        best = max(counts, key=lambda k: (counts[k], -order.index(k) if k in order else -len(order)), default=None)
        if best is None:
            axis.unplaced = list(found)
            return axis
        axis.dim = best.split(":")[0]
        axis.country = best.split(":")[1] if best.startswith("geo:") else None
        for (cell, text), meaning in found.items():
            if best in meaning:
                axis.placed[text] = meaning[best]
            else:
                axis.unplaced.append((cell, text))
        return axis


# -- the table ------------------------------------------------------------------------------------

@dataclass
class _Table:
    body: list                  # the rows of the body (figure rows and the rows among them)
    figure_cols: list
    label_cols: list
    header_rows: list
    title_rows: list
    serial_cols: list
    text_cols: list             # text right of the figures (the names again): left out
    notes: list                 # rows under the table: (row, cell, text)


def _table(grid: _Grid, known) -> _Table:
    figure_rows = [r for r in grid.rows if any(grid.kind(r, c) in (_NUM, _CODE) for c in grid.cols)]
    if not figure_rows:
        raise DraftRefused(Text("draft.no_figures"))
    start, end = figure_rows[0], figure_rows[-1]
    body = [r for r in grid.rows if start <= r <= end]
    stats = {c: Counter(grid.kind(r, c) for r in figure_rows) for c in grid.cols}
    numeric = [c for c in grid.cols if stats[c][_NUM] + stats[c][_CODE]]
    serial = [c for c in numeric if _serial(grid, c, figure_rows)]
    numeric = [c for c in numeric if c not in serial]
    first = min(numeric) if numeric else min(grid.cols)
    labels = [c for c in grid.cols if c < first and c not in serial and (stats[c][_TEXT] or stats[c][_YEARISH])]
    figures = [c for c in grid.cols if c >= first and (stats[c][_NUM] + stats[c][_CODE] + stats[c][_YEARISH])]
    text_cols = [c for c in grid.cols if c >= first and c not in figures and stats[c][_TEXT]]
    # the header: the rows right above the body whose cells over the figure columns are labels
    # (blank rows between, and rows with a label only in the label columns: a subheading of the body)
    above = [r for r in grid.rows if r < start]
    while above and not any(c in figures for c in grid.filled(above[-1])):
        above.pop()
    header = []
    while above and _header_like(grid, above[-1], figures, known):
        header.insert(0, above.pop())
    if header:
        body = [r for r in grid.rows if header[-1] < r <= end]
    title = [r for r in grid.rows if r < (header[0] if header else start) and grid.filled(r)]
    notes = []
    for r in grid.rows:
        if r > end and grid.filled(r):
            c = grid.filled(r)[0]
            notes.append((r, c, grid.text(r, c)))
    return _Table(body, figures, labels, header, title, serial, text_cols, notes)


def _serial(grid: _Grid, col: int, rows: list[int]) -> bool:
    """A column of 1, 2, 3… (headed م, #, No. or not at all) left of a column of text."""
    values = [grid.values.get((r, col)) for r in rows]
    if len(values) < 2 or any(not isinstance(v, int) for v in values) or values != list(range(1, len(values) + 1)):
        return False
    return any(grid.kind(r, c) == _TEXT for r in rows for c in grid.cols if c > col)


def _header_like(grid: _Grid, row: int, figures: list[int], known) -> bool:
    """A row heading the figure columns: labels over them, not one title spread over the table
    (one label is a header only when it is a period or a place or member of the catalogue:
    `2024` over its months)."""
    texts = [grid.label(row, c) for c in figures]
    if not any(texts) or any(grid.kind(row, c) in (_NUM, _CODE) for c in figures):
        return False
    distinct = {t for t in texts if t}
    return len(distinct) >= 2 or known(distinct.pop())


# -- the draft ------------------------------------------------------------------------------------

def open_sheet(path: Path, name: str | None) -> tuple[object, list[str], str]:
    """The sheet to draft from (see the module), the workbook's other sheets, and why this one."""
    path = Path(path)
    if path.suffix.lower() not in SUFFIXES:
        raise DraftRefused(Text("draft.not_a_table", file=path.name))
    try:
        if path.suffix.lower() == ".csv":
            if name is not None:
                raise DraftRefused(Text("draft.csv_sheet"))
            return _CsvSheet(_read_csv_rows(path)), [], "a CSV, one sheet"
        book = open_workbook(path)
        names = book.sheet_names
        if name is not None:
            if name not in names:
                near = difflib.get_close_matches(name, names, n=1, cutoff=0.5)
                raise DraftRefused(Text("draft.no_sheet", name=name, file=path.name, sheets=names,
                                        near=Text("draft.did_you_mean", name=near[0]) if near else ""))
            return book.sheet(name), [n for n in names if n != name], "the sheet named"
        if not names:
            raise DraftRefused(Text("draft.no_sheets", file=path.name))
        if len(names) == 1:
            return book.sheet(names[0]), [], "the only sheet"
        for n in names:
            sheet = book.sheet(n)
            if sheet.hidden:
                continue
            if _has_figures(sheet):
                return sheet, [x for x in names if x != n], "the first sheet not hidden that has figures"
        raise DraftRefused(Text("draft.no_figures_sheet", file=path.name, sheets=names))
    except (SheetProblem, LayoutProblem, FileProblem) as p:
        raise DraftRefused(Text("draft.problem", file=path.name, message=p.message, expected=Text(
            "report.expected", expected=p.expected) if p.expected else "")) from None
    except OSError as exc:
        raise DraftRefused(Text("draft.unreadable", file=path.name, why=exc.strerror or type(exc).__name__)) from None


def _holds(sheet, r: int, c: int) -> bool:
    try:
        return sheet.value(r, c) is not None
    except SheetProblem:
        return True


def _has_figures(sheet) -> bool:
    try:
        rows = sheet.rows()
    except SheetProblem:
        rows = [[None if not _holds(sheet, r, c) else _safe(sheet, r, c) for c in range(1, sheet.n_cols + 1)]
                for r in range(1, sheet.n_rows + 1)]
    return any(v is not None and _kind(as_printed(v))[0] in (_NUM, _CODE) for row in rows for v in row)


def _safe(sheet, r: int, c: int):
    try:
        return sheet.value(r, c)
    except SheetProblem:
        return None


def draft(path: Path, cat: Catalogue, sheet: str | None = None, indicator: str | None = None,
          source: str | None = None) -> Draft:
    """The recipe drafted for the table in `path` (see the module). DraftRefused when nothing
    can be drafted."""
    path = Path(path)
    given_indicator = _given(indicator, cat.indicators, _indicator_names(cat), "indicator")
    given_source = _given(source, cat.sources, {}, "source")
    found, others, why = open_sheet(path, sheet)
    d = Draft()
    d.header = [f"Drafted by `spi recipe draft` from {path.name}" + (f", sheet {found.name!r}" if found.name else "")
                + ": check each line against the table, then run `spi validate`.",
                "What each key found is beside it; a label it could not place is listed, never guessed."]
    hidden_content = [r for r in sorted(found.hidden_rows) if any(_holds(found, r, c) for c in range(1, found.n_cols + 1))]
    hidden_cols = [c for c in sorted(found.hidden_cols) if any(_holds(found, r, c) for r in range(1, found.n_rows + 1))]
    grid = _Grid(found, skip_hidden=True)
    ind = given_indicator
    country = cat.indicators[ind]["country"] if ind else None
    m = _Matcher(cat, country)
    t = _table(grid, m.known)
    prefer = tuple(cat.indicators[ind]["breakdowns"]) if ind else ()

    # the sheet
    if found.name is not None:
        d.recipe["sheet"] = _escaped(found.name)
        comment = why
        if others:
            comment += f" (the others, not read: {_few(others, 8)})"
        d.comments["sheet"] = comment
    else:
        d.recipe["sheet"] = "*"
        d.comments["sheet"] = "a CSV is one sheet: the name is not read"
    # what each header row and label column gives
    columns = [m.read(_Axis(f"row {r}", _span([(r, c) for c in t.figure_cols]), _distinct(grid, [(r, c) for c in t.figure_cols])),
                      prefer) for r in t.header_rows]
    for axis, r in zip(columns, t.header_rows):
        axis.heading = " ".join(grid.label(r, c) for c in t.label_cols if grid.label(r, c))
        axis.gaps = [_ref(r, c) for c in t.figure_cols if not grid.label(r, c)]
    label_rows = [r for r in t.body if grid.filled(r)]
    note_rows = {r for r, _, _ in t.notes}
    rows = []
    for c in t.label_cols:
        cells = [(r, c) for r in label_rows]
        axis = m.read(_Axis(f"column {get_column_letter(c)}", _span(cells), _distinct(grid, cells)), prefer)
        axis.heading = " / ".join(dict.fromkeys(grid.label(r, c) for r in t.header_rows if grid.label(r, c)))
        rows.append(axis)
    # the country: the indicator's, else the places'
    if country is None:
        places = [a.country for a in columns + rows if a.dim == "geo"]
        country = places[0] if places else None
    # a dimension given twice (a header in two languages): the lowest header row, the first label column
    skip_columns: list[str] = [get_column_letter(c) for c in t.serial_cols + t.text_cols]
    skip_why = [f"{get_column_letter(c)}: serial numbers" for c in t.serial_cols] + \
        [f"{get_column_letter(c)}: labels beside the figures ({_few([grid.text(r, c) for r in t.body if grid.text(r, c)], 3)})"
         for c in t.text_cols]
    kept_rows = list(zip(t.header_rows, columns))
    for dim in {a.dim for a in columns if a.dim and a.dim != "period"}:
        same = [(r, a) for r, a in kept_rows if a.dim == dim]
        for r, a in same[:-1]:
            kept_rows.remove((r, a))
            d.notes.append(f"row {r} gives {dim} too (as row {same[-1][0]} does): the recipe reads row {same[-1][0]}")
    kept_cols = list(zip(t.label_cols, rows))
    for dim in {a.dim for a in rows if a.dim}:
        same = [(c, a) for c, a in kept_cols if a.dim == dim]
        for c, a in same[1:]:
            kept_cols.remove((c, a))
            skip_columns.append(get_column_letter(c))
            skip_why.append(f"{get_column_letter(c)}: {dim} again (as column {get_column_letter(same[0][0])})")
    # a year printed once over the columns to its right, not merged across them (a CSV cannot merge):
    # the reader reads a header cell over its own column only, so the year is the table's
    for r, a in list(kept_rows):
        years = [p for p in a.placed.values() if isinstance(p, PeriodPart) and p.kind == "year"]
        months = any(x.dim == "period" and x is not a for _, x in kept_rows) or any(x.dim == "period" for x in rows)
        if a.dim != "period" or not a.gaps or not years or len(years) != len(a.placed) or not months:
            continue
        if len(years) == 1 and not a.totals:
            kept_rows.remove((r, a))
            d.recipe["year"] = years[0].year
            d.comments["year"] = (f"row {r} prints {years[0].year} once ({a.labels[0][0]}), over the columns to its "
                                  "right: the year of the whole table")
        else:
            d.unplaced.append(f"row {r} prints {_few([t for _, t in a.labels])} each once, not merged over the columns "
                              f"it heads ({_few(a.gaps, 4)} have none): the reader reads a header cell over its own "
                              "column only; merge each year over its columns in the workbook")
    columns = [a for _, a in kept_rows]
    rows = [a for _, a in kept_cols]
    header_rows = [r for r, _ in kept_rows]
    label_cols = [c for c, _ in kept_cols]

    # the indicator
    title = [grid.text(r, c) for r in t.title_rows for c in grid.filled(r)]
    gives_indicator = any(a.dim == "indicator" for a in columns + rows)
    measure = None
    if gives_indicator:
        found_ids = list(dict.fromkeys(v for a in columns + rows if a.dim == "indicator" for v in a.placed.values()))
        if given_indicator:
            d.notes.append(f"--indicator {given_indicator} left out: the table names its indicators "
                           f"({_few(found_ids, 4)})")
        country = country or (cat.indicators[found_ids[0]]["country"] if found_ids else None)
        measures = {cat.indicators[i]["measure"] for i in found_ids}
        measure = measures.pop() if len(measures) == 1 else None
    else:
        dims = {a.dim for a in columns + rows if a.dim not in (None, "period", "geo", "indicator")}
        ind = given_indicator or _choose_indicator(d, cat, path.name, title, country, dims)
        d.recipe["indicator"] = ind
        if ind != REPLACE:
            country = cat.indicators[ind]["country"]
            measure = cat.indicators[ind]["measure"]
            wrong = sorted(a.dim for a in columns + rows if a.dim in cat.dimensions
                           and a.dim not in cat.indicators[ind]["breakdowns"])
            if wrong:
                d.unplaced.append(f"the table gives {', '.join(wrong)}, which {ind} has no breakdown by "
                                  f"(its breakdowns: {cat.indicators[ind]['breakdowns'] or 'none'}): another "
                                  "indicator, or the breakdown added to it in indicators.yaml")
        if given_indicator:
            d.comments["indicator"] = "given (--indicator)"
    # places of another country than the indicator's
    for a in columns + rows:
        if a.dim == "geo" and country and a.country != country:
            m2 = _Matcher(cat, country)
            redo = m2.read(_Axis(a.where, a.span, a.labels, heading=a.heading))
            a.__dict__.update(redo.__dict__)
    # the source
    d.recipe["source"] = given_source or _choose_source(d, cat, country)
    if given_source:
        d.comments["source"] = "given (--source)"
        if country and cat.sources[given_source]["country"] != country:
            d.unplaced.append(f"the source {given_source} is about {cat.sources[given_source]['country']}, "
                              f"the indicator about {country}")

    # the period: whole, or its parts across and down, or the title's
    _periods(d, columns, rows, title)
    # totals and what is left out
    totals: list[str] = []
    skip: list[str] = []
    for axis, where in [*((a, "column") for a in columns), *((a, "row") for a in rows)]:
        drop = list(axis.averages)
        if axis.totals:
            if axis.dim == "period" and axis.part in ("period", "year"):
                drop += axis.totals
                d.notes.append(f"{axis.where}: {_few(t for _, t in axis.totals)} is a total across "
                               f"{'years' if axis.part == 'year' else 'periods'}, not a figure of one period: left out")
            elif axis.dim == "period" and measure == "stock":
                drop += axis.totals
                d.notes.append(f"{axis.where}: {_few(t for _, t in axis.totals)} totals a stock's "
                               f"{axis.part}s (counted on a day), which is not a figure: left out")
            elif axis.dim == "indicator":
                drop += axis.totals
            else:
                totals += [t for _, t in axis.totals]
        for cell, text in drop:
            if where == "column":
                skip_columns.append(text)
                skip_why.append(f"{text}: {'an average' if (cell, text) in axis.averages else 'a total left out'}")
            else:
                skip.append("^" + re.escape(text) + "$")
    # the keys of the table
    d.recipe["header_rows"] = header_rows or [max(1, (t.body[0] if t.body else 2) - 1)]
    d.comments["header_rows"] = "; ".join(a.describe() for a in columns) or "no header row above the figures"
    d.recipe["columns"] = [_dimension(a) for a in columns] or [REPLACE]
    d.comments["columns"] = "what each header row gives, top first"
    if len(label_cols) == 1:
        d.recipe["label_column"] = get_column_letter(label_cols[0])
    else:
        d.recipe["label_columns"] = [get_column_letter(c) for c in label_cols] or ["A"]
    key = "label_column" if len(label_cols) == 1 else "label_columns"
    d.comments[key] = "the column(s) of text left of the figures" + (
        f" (column {_few([get_column_letter(c) for c in range(1, min(label_cols or [1]))])} empty)"
        if label_cols and min(label_cols) > 1 and not any(grid.kind(r, c) for r in t.body for c in range(1, min(label_cols))) else "")
    dims = [_dimension(a) for a in rows] or [REPLACE]
    d.recipe["rows"] = dims[0] if len(dims) == 1 else dims
    d.comments["rows"] = "; ".join(f"{get_column_letter(c)}{t.body[0]}:{get_column_letter(c)}{t.body[-1]}: "
                                   + a.describe().split(": ", 1)[1] + (f" (headed {a.heading})" if a.heading else "")
                                   for c, a in zip(label_cols, rows)) or "no column of labels left of the figures"
    if totals:
        d.recipe["totals"] = list(dict.fromkeys(totals))
        d.comments["totals"] = "labels that mean a total (checked against the sum of its parts)"
    if skip_columns:
        d.recipe["skip_columns"] = list(dict.fromkeys(skip_columns))
        d.comments["skip_columns"] = "left out: " + "; ".join(dict.fromkeys(skip_why))
    # notes and rows under the table
    for r, c, text in t.notes:   # the reader matches `skip:` against a row's first printed cell, in any column
        skip.append(_note_pattern(text))
    # rows of the body with a label and no figures (a subheading): left out by their first label
    # (`skip:` reads the first label column); in another label column, harmless unless it must be read
    for n, axis in enumerate(rows):
        for cell, text in list(axis.unplaced):
            r = int(re.sub(r"\D", "", cell))
            if any(grid.kind(r, c) in (_NUM, _CODE, _YEARISH) for c in t.figure_cols):
                continue
            if n == 0:
                axis.unplaced.remove((cell, text))
                skip.append("^" + re.escape(text) + "$")
            elif axis.dim not in ("period", "indicator"):
                axis.unplaced.remove((cell, text))
    if skip:
        d.recipe["skip"] = list(dict.fromkeys(skip))
        d.comments["skip"] = "rows that are notes, not figures: " + _few(
            [f"row {r}" for r, _, _ in t.notes] or ["rows without figures"])
    # marks and codes
    marked = [(r, c) for (r, c) in grid.marks if r in t.body or r in header_rows]
    marks = Counter(grid.marks[rc] for rc in marked)
    if marks:
        if set(marks) == {"*"}:
            d.recipe["marks"] = {"*": "provisional"}
            d.comments["marks"] = "marked " + _few([f"{grid.label(r, c)} ({_ref(r, c)})" for r, c in marked], 4)
        else:
            d.recipe["marks"] = {"*": "provisional"}
            other = sorted(k for k in marks if k != "*")
            d.comments["marks"] = f"also marked {', '.join(other)}: say what each means"
            d.unplaced.append(f"marks {', '.join(other)} on " + _few([_ref(*rc) for rc in marked if grid.marks[rc] != '*'], 4)
                              + ": add each to `marks:` with what it means (provisional, estimated or break)")
    codes = {}
    where_codes = []
    for r in t.body:
        for c in t.figure_cols:
            if grid.kind(r, c) == _CODE:
                printed = _CODE_KEYS[plain_words(grid.text(r, c))]
                codes[grid.text(r, c)] = CODES[printed]
                where_codes.append(_ref(r, c))
    if codes:
        d.recipe["codes"] = codes
        d.comments["codes"] = "in place of a figure in " + _few(where_codes, 5)
    # what is stated in the title, the corner and the notes
    stated = title + [a.heading for a in columns if a.heading] + [text for _, _, text in t.notes]
    scale = _scale(stated)
    if scale:
        d.recipe["scale"] = scale[0]
        d.comments["scale"] = f"the table says {scale[1]!r}"
    unit = _unit(cat, stated)
    if unit:
        d.suggested.append(("unit", unit[0], f"the table states {unit[1]!r}: give `unit: {unit[0]}` to have it "
                                             "checked against the indicator's"))
    if hidden_content or hidden_cols:
        d.recipe["hidden"] = "skip"
        d.comments["hidden"] = "hidden, not printed, left out: " + _few(
            [f"row {r}" for r in hidden_content] + [f"column {get_column_letter(c)}" for c in hidden_cols])
    elif found.name is not None and getattr(found, "hidden", False):
        d.recipe["hidden"] = "read"
        d.comments["hidden"] = "the sheet is hidden, and it was named"
    # body cells that are not figures
    bad = [(_ref(r, c), grid.text(r, c)) for r in t.body if r not in note_rows for c in t.figure_cols
           if grid.kind(r, c) == _TEXT and any(grid.kind(r, x) in (_NUM, _CODE) for x in t.figure_cols)]
    for (r, c), message in grid.unsaved.items():
        d.unplaced.append(f"{_ref(r, c)}: {message}")
    if bad:
        d.unplaced.append(f"cells that are not figures: {_few([f'{ref} {text!r}' for ref, text in bad], 5)}")
    # what could not be placed
    for axis in columns + rows:
        if axis.dim is None:
            d.unplaced.append(f"{axis.where} ({axis.span}): {_few([repr(t) for _, t in axis.labels])} match no place, "
                              "breakdown member, indicator or period of the catalogue"
                              + (f" (headed {axis.heading!r})" if axis.heading else ""))
        elif axis.unplaced:
            what = {"geo": f"a place of {axis.country}", "period": "a period", "indicator": "an indicator"}.get(
                axis.dim, f"a member of {axis.dim}")
            d.unplaced.append(f"{axis.where}: " + _few([f"{t!r} ({c})" for c, t in axis.unplaced], 5)
                              + f": not {what} of the catalogue" + _near_names(cat, axis))
    if not t.label_cols:
        d.unplaced.append("no column of labels left of the figures")
    return d


def _distinct(grid: _Grid, cells: list) -> list:
    """(cell, label) of each distinct label among the cells, a merged one once, in order."""
    out, seen = [], set()
    for r, c in cells:
        text = grid.label(r, c)
        if text and text not in seen:
            seen.add(text)
            out.append((_ref(*grid.spans.get((r, c), (r, c))), text))
    return out


def _span(cells: list) -> str:
    if not cells:
        return ""
    (r0, c0), (r1, c1) = cells[0], cells[-1]
    return f"{_ref(r0, c0)}:{_ref(r1, c1)}"


def _escaped(name: str) -> str:
    """A sheet's name as a `sheet:` pattern that matches it alone."""
    return re.sub(r"([*?\[])", r"[\1]", name)


def _dimension(axis: _Axis) -> str:
    if axis.dim is None:
        return REPLACE
    return axis.part if axis.dim == "period" else axis.dim


def _near_names(cat: Catalogue, axis: _Axis) -> str:
    if axis.dim != "geo" or not axis.country:
        return ""
    names = [n for g in cat.geography_rows() if g["country"] == axis.country for n in g["aliases"]]
    near = [x for _, t in axis.unplaced[:3] for x in difflib.get_close_matches(t, names, n=1, cutoff=0.6)]
    return f" (closest: {', '.join(near)})" if near else " (or a spelling to add to the place's `aliases:`)"


def _given(value: str | None, known: dict, names: dict, what: str) -> str | None:
    if value is None:
        return None
    if value in known:
        return value
    by_name = names.get(plain_words(value))
    if by_name:
        return by_name
    near = difflib.get_close_matches(value, list(known), n=1, cutoff=0.5)
    if not near and names:
        by = difflib.get_close_matches(plain_words(value), list(names), n=1, cutoff=0.5)
        near = [names[by[0]]] if by else []
    raise DraftRefused(Text("draft.unknown", what=Both(_WHAT_AR[what], what), value=value, section=f"{what}s",
                            near=Text("validate.did_you_mean", name=near[0]) if near else ""))


_WHAT_AR = {"indicator": "مؤشر", "source": "مصدر"}


def _words(text: str) -> set[str]:
    out = set()
    for w in re.findall(r"[^\W\d_]+", plain_words(text)):
        w = w[2:] if w.startswith("ال") and len(w) > 3 else w
        if w not in _STOP and len(w) > 1:
            out.add(w)
    return out


def _score(name: str, title: set[str]) -> float:
    words = _words(name)
    if not words or not title:
        return 0.0
    hit = sum(1 for w in words if any(w == t or (len(w) > 3 and difflib.SequenceMatcher(None, w, t).ratio() >= 0.8)
                                      for t in title))
    return hit / len(words)


def _ranked(cat: Catalogue, title: list[str], ids) -> list[tuple[float, str]]:
    words = set().union(*(_words(t) for t in title)) if title else set()
    ranked = []
    for key in ids:
        ind = cat.indicators[key]
        score = max(_score(n, words) for n in (ind["name"]["ar"], ind["name"]["en"], key.replace("_", " "),
                                                *ind.get("aliases", [])))
        ranked.append((score, key))
    return sorted(ranked, key=lambda x: -x[0])


def _choose_indicator(d: Draft, cat: Catalogue, file: str, title: list[str], country: str | None, dims: set) -> str:
    """The indicator: the one the catalogue says this file carries, else the one the title names
    clearly, else REPLACE_ME with the five closest by name."""
    file = family(file)                  # a version of the file is the file `files:` names (etl/versions.py)
    fits = [k for k, i in cat.indicators.items() if (country is None or i["country"] == country)
            and dims <= set(i["breakdowns"])] or list(cat.indicators)
    carries = [k for k in fits if file in cat.indicators[k]["files"]]
    ranked = _ranked(cat, title, carries if len(carries) > 1 else fits)
    if len(carries) == 1:
        among = " and ".join(x for x in (f"of {country}" if country else "", f"by {', '.join(sorted(dims))}" if dims else "") if x)
        d.comments["indicator"] = f"the only indicator {among + ' ' if among else ''}whose `files:` name {file}"
        return carries[0]
    if ranked and ranked[0][0] >= 0.75 and (len(ranked) == 1 or ranked[0][0] - ranked[1][0] >= 0.25):
        key = ranked[0][1]
        d.comments["indicator"] = f"the title names it ({cat.indicators[key]['name']['ar']} / " \
                                  f"{cat.indicators[key]['name']['en']})"
        if file not in cat.indicators[key]["files"]:
            d.notes.append(f"{key}'s `files:` in indicators.yaml do not name {file}: add it there, or the build "
                           "refuses its figures")
        return key
    closest = [k for _, k in _ranked(cat, title, fits)[:5]]
    listed = "; ".join(f"{k} ({cat.indicators[k]['name']['en']})" for k in closest)
    d.comments["indicator"] = f"the table does not say: the closest by name are {listed}"
    d.notes.append(f"the recipe has `indicator: {REPLACE}`, so it will not load: name the indicator "
                   f"(--indicator ID, or edit the recipe); the closest by name: {', '.join(closest)}")
    return REPLACE


def _choose_source(d: Draft, cat: Catalogue, country: str | None) -> str:
    candidates = [k for k, s in cat.sources.items() if country is None or s["country"] == country]
    if len(candidates) == 1:
        d.comments["source"] = f"the only source about {country}"
        return candidates[0]
    listed = "; ".join(f"{k} ({cat.sources[k]['title']['en']})" for k in candidates[:8])
    d.comments["source"] = f"{len(candidates)} sources about {country or 'any country'}: {listed}"
    d.notes.append(f"the recipe has `source: {REPLACE}`, so it will not load: name the source (--source ID, or edit "
                   f"the recipe); the candidates: {', '.join(candidates[:8])}")
    return REPLACE


def _periods(d: Draft, columns: list[_Axis], rows: list[_Axis], title: list[str]) -> None:
    """Decide what each period row or column gives: the whole period, or its parts (a year over
    months), with the title's year or period when the table does not print it."""
    axes = [a for a in columns + rows if a.dim == "period"]
    info = []
    for a in axes:
        parts = [p for p in a.placed.values() if isinstance(p, PeriodPart)]
        kinds = {p.kind for p in parts}
        info.append((a, parts, kinds, all(p.year is not None for p in parts)))
    stated = _title_periods(title)
    if not axes:
        if len(stated) == 1:
            (label, printed), = stated.items()
            d.recipe["period"] = label
            d.comments["period"] = f"the title says {printed!r}"
        else:
            d.recipe["period"] = REPLACE
            d.comments["period"] = "no period in the table" + (
                f"; the title gives {', '.join(stated)}" if stated else " nor in its title")
            d.unplaced.append("the period: no header row, label column or title gives one" if not stated else
                              f"the period: the title gives {len(stated)} ({', '.join(stated)})")
        return
    if len(axes) == 1:
        a, parts, kinds, complete = info[0]
        if complete:
            a.part = "period"
            return
        if len(kinds) == 1:
            a.part = next(iter(kinds))
            years = {periods.parse(label).end.year for label in stated if periods.parse(label)}
            if "year" in d.recipe or a.part == "year":
                return
            if len(years) == 1:
                d.recipe["year"] = years.pop()
                d.comments["year"] = f"the title says {_few(stated.values(), 2)}: the year of the {a.part}s"
            else:
                d.unplaced.append(f"{a.where}: {a.part}s without a year, and no year in the header or the title")
            return
        a.part = "period"
        d.unplaced.append(f"{a.where}: periods of several kinds without their year ({_few(sorted(kinds))})")
        return
    has_year = False
    for a, parts, kinds, complete in info:
        if kinds == {"year"}:
            a.part = "year"
            has_year = True
        elif len(kinds - {"year"}) == 1:
            a.part = next(iter(kinds - {"year"}))
            has_year = has_year or complete
        else:
            a.part = "period"
            d.unplaced.append(f"{a.where}: periods of several kinds ({_few(sorted(kinds))})")
    if not has_year and "year" not in d.recipe:
        years = {periods.parse(label).end.year for label in stated if periods.parse(label)}
        if len(years) == 1:
            d.recipe["year"] = years.pop()
            d.comments["year"] = f"the title says {_few(stated.values(), 2)}"
        else:
            d.unplaced.append("the year: no header row, label column or title gives it")


def _title_periods(texts: list[str]) -> dict[str, str]:
    """The periods the title prints ("مارس 2024", "عام 2023", "Q1 2024"): label -> as printed."""
    out = {}
    for text in texts:
        words = text.replace("،", " ").replace(",", " ").replace(":", " ").split()
        for n, w in enumerate(words):
            if not _YEAR.search(to_latin_digits(w)):
                continue
            for width in range(min(6, n + 1), 0, -1):
                piece = " ".join(words[n - width + 1:n + 1]).strip("()[]-–")
                try:
                    period = parse_period(piece)
                except ValueError:
                    continue
                out.setdefault(period.label, piece)
                break
    return out


def _scale(texts: list[str]) -> tuple[int, str] | None:
    for text in texts:
        folded = periods.fold(text)
        if _THOUSANDS.search(folded):
            return 1000, text
        if _MILLIONS.search(folded):
            return 1_000_000, text
    return None


def _unit(cat: Catalogue, texts: list[str]) -> tuple[str, str] | None:
    """A unit the table states in brackets or after ب / in: '(بالريال العماني)', '(in OMR)'."""
    for text in texts:
        for inner in re.findall(r"[(\[]([^()\[\]]+)[)\]]", text):
            for variant in _unit_variants(inner):
                code = cat.unit_code(variant)
                if code:
                    return code, f"({inner})"
    return None


def _unit_variants(text: str):
    text = " ".join(text.split())
    yield text
    for prefix in ("بال", "ب", "in ", "in the "):
        if text.startswith(prefix) and len(text) > len(prefix) + 1:
            rest = text[len(prefix):]
            yield rest
            yield " ".join(w[2:] if w.startswith("ال") and len(w) > 3 else w for w in rest.split())
            if rest.endswith("s"):
                yield rest[:-1]
    yield " ".join(w[2:] if w.startswith("ال") and len(w) > 3 else w for w in text.split())


def _note_pattern(label: str) -> str:
    """A `skip:` pattern for a note: its first word when that is a note's word (^المصدر), else
    its first words."""
    text = label.strip()
    for mark in ("(*)", "**", "*", "†"):
        if text.startswith(mark):
            return "^" + re.escape(mark)
    first = re.split(r"[\s:：]+", text, maxsplit=1)[0]
    if plain_words(first) in _NOTE_KEYS:
        return "^" + re.escape(first)
    return "^" + re.escape(" ".join(text.split()[:3]))


# -- the draft read as the build reads it -----------------------------------------------------------

def preview(path: Path, text: str, cat: Catalogue) -> Preview:
    """The draft read by the reader and the validator as `spi build` reads it: on a copy of the
    file in a temp folder, the draft beside it as its recipe."""
    path = Path(path)
    with tempfile.TemporaryDirectory(prefix="spi-draft-") as tmp:
        copy = Path(tmp) / path.name
        shutil.copyfile(path, copy)
        (Path(tmp) / (path.stem + SUFFIX)).write_text(text, encoding="utf-8")
        try:
            records, issues = extract_file(copy, cat)
        except Exception as exc:      # a fault of the reader: said in a sentence, never a traceback
            return Preview(0, pd.DataFrame(), [Issue(path.name, Text("draft.reader_failed", why=f"{type(exc).__name__}: {exc}"),
                                                     Text("draft.reader_fault"))])
    if records.empty:
        return Preview(0, records, issues)
    observations, found = validate(records, cat)
    return Preview(len(records), observations, issues + found)


def builtin_reads(path: Path, cat: Catalogue) -> int:
    """How many figures the built-in recipes (the long and wide layouts of etl/recipes/) read from
    the file with no recipe beside it and no error: such a file needs none (0 when they cannot)."""
    path = Path(path)
    with tempfile.TemporaryDirectory(prefix="spi-draft-") as tmp:
        copy = Path(tmp) / path.name
        shutil.copyfile(path, copy)
        try:
            records, issues = extract_file(copy, cat)
        except Exception:
            return 0
    return 0 if errors(issues) else len(records)


def preview_lines(cat: Catalogue, observations, limit: int = PREVIEW_ROWS) -> list[str]:
    """`F6 → om_ss_cases, OM-MA (مسقط), 2023, female, 950, provisional`, for the first figures."""
    names = {g["geo_code"]: g["name_ar"] for g in cat.geography_rows()}
    lines = []
    for rec in observations.head(limit).to_dict("records"):
        ind = cat.indicators[rec["indicator_id"]]
        members = [str(rec[d]) for d in ind["breakdowns"] if rec.get(d) is not None]
        breakdown = "/".join(members) if members else ("total" if ind["breakdowns"] else "-")
        value = rec["value"]
        shown = "-" if value is None or value != value else f"{value:,.10g}".replace(",", "")
        lines.append(f"{rec['source_column']}{rec['source_row']} → {rec['indicator_id']}, {rec['geo_code']} "
                     f"({names.get(rec['geo_code'], '?')}), {rec['period']}, {breakdown}, {shown}, "
                     f"{rec['status'] or '-'}")
    return lines


def recipe_target(path: Path, out: Path | None) -> Path:
    return Path(out) if out is not None else Path(path).with_name(Path(path).stem + SUFFIX)


__all__ = ["Draft", "DraftRefused", "Preview", "REPLACE", "builtin_reads", "draft", "open_sheet", "preview", "preview_lines",
           "recipe_target"]
