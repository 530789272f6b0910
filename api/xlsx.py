"""Excel workbooks: one indicator, one place, or the whole dataset with one sheet per topic.

Every data sheet has: a title row, rows saying the unit/definition/source (one
indicator), the sources (one place) or where the sources are (whole dataset), two header
rows (names in the workbook's language, then the column identifiers), frozen above the
data; numbers stored as numbers with a thousands format and the catalogue's decimals;
dates as dates. Arabic workbooks are right to left. A sheet holds at most 1,048,576 rows:
a longer topic continues on sheets named "<topic> (2)", "<topic> (3)"…, and the read-me sheet says so.
"""
from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import xlsxwriter

from store.texts import semicolon, separator, t

from .documents import edition
from .formats import clean
from .shape import code_columns, header, label_column

EXCEL_MAX_ROWS = 1_048_576


def _formats(wb: xlsxwriter.Workbook, rtl: bool) -> dict:
    base = {"font_name": "Arial", "font_size": 10}
    if rtl:
        base["reading_order"] = 2
    f = {
        "title": wb.add_format({**base, "bold": True, "font_size": 14}),
        "label": wb.add_format({**base, "bold": True, "font_color": "#444444"}),
        "text": wb.add_format({**base, "text_wrap": False}),
        "head": wb.add_format({**base, "bold": True, "bg_color": "#DDE7F0", "border": 1, "text_wrap": True, "valign": "top"}),
        "code": wb.add_format({**base, "italic": True, "font_color": "#555555", "bg_color": "#F2F5F8", "border": 1}),
        "date": wb.add_format({**base, "num_format": "yyyy-mm-dd"}),
    }
    for d in range(0, 7):
        f[f"num{d}"] = wb.add_format({**base, "num_format": "#,##0" + ("." + "0" * d if d else "")})
    return f


def _sheet_name(name: str, used: set[str]) -> str:
    name = re.sub(r"[\[\]:*?/\\]", " ", name).strip()[:31] or "Sheet"
    candidate, n = name, 2
    while candidate.lower() in used:
        suffix = f" ({n})"
        candidate = name[:31 - len(suffix)] + suffix
        n += 1
    used.add(candidate.lower())
    return candidate


def _cell(value):
    value = clean(value)
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if isinstance(value, datetime):
        return value.date()
    return value


def _widths(ws, table: pd.DataFrame, first_col: int = 0, cap: int = 60) -> None:
    sample = table.head(200)
    for n, col in enumerate(table.columns):
        lengths = [len(str(col))] + [len(str(v)) for v in sample[col].tolist() if v is not None]
        ws.set_column(first_col + n, first_col + n, min(cap, max(8, max(lengths) + 2)))


def human_header(code: str, m, lang: str) -> str:
    """The header of a column in words, for the first header row: `geo_name` -> "Geography (name)"."""
    for column in code_columns(m):
        if code == column:
            return header(column, m, lang)
        lab = label_column(column, m)
        if lab and code == lab:
            return f"{header(column, m, lang)} ({t('file_name_suffix', lang)})"
    return code


def _write_table(ws, f: dict, table: pd.DataFrame, m, lang: str, start_row: int, decimals: list[int],
                 codes: list[str]) -> int:
    """Two header rows (names, identifiers) and the rows; returns the row after the last."""
    # Row by row: in constant-memory mode a row cannot be revisited once the next is begun.
    for n, code in enumerate(codes):
        ws.write_string(start_row, n, human_header(code, m, lang), f["head"])
    for n, code in enumerate(codes):
        ws.write_string(start_row + 1, n, code, f["code"])
    value_col = codes.index("value")
    date_cols = {n for n, code in enumerate(codes) if code in ("period_start", "period_end")}
    row = start_row + 2
    for values, dec in zip(table.itertuples(index=False, name=None), decimals):
        for n, val in enumerate(values):
            val = _cell(val)
            if val is None:
                continue
            if n == value_col:
                ws.write_number(row, n, float(val), f[f"num{min(max(int(dec), 0), 6)}"])
            elif n in date_cols:
                if isinstance(val, str):
                    val = date.fromisoformat(val)
                ws.write_datetime(row, n, datetime(val.year, val.month, val.day), f["date"])
            elif isinstance(val, (int, float)):
                ws.write_number(row, n, val)
            else:
                ws.write_string(row, n, str(val))
        row += 1
    return row


def indicator_workbook(table: pd.DataFrame, codes: list[str], decimals: list[int], m, indicators: tuple[str, ...],
                       lang: str, view_text: str, sources: list[str]) -> bytes:
    """The figures of a per-indicator download (shaped by api.shape.shape; `decimals` per row)
    and what they mean, as an .xlsx file. indicators: the download's indicator, then those
    `with` added; sources: the sources its figures cite."""
    ind = m.indicators[indicators[0]]
    lines = [f"{t('unit', lang)}: {_unit(m, ind, lang)} · {t('measure', lang)}: {t('file_' + ind['measure'], lang)}",
             f"{t('definition', lang)}: {ind[f'definition_{lang}']}",
             _sources_line(m, sources, lang), _view_line(m, view_text, lang)]
    return _figures_workbook(table, codes, decimals, m, lang, (ind[f"name_{lang}"], ind[f"definition_{lang}"]), lines,
                             _About(indicators, 1, "file_about", sources))


def place_workbook(table: pd.DataFrame, codes: list[str], decimals: list[int], m, geo: str,
                   indicators: tuple[str, ...], lang: str, view_text: str, sources: list[str]) -> bytes:
    """Every figure of one place (/data/place/<geo>.xlsx), laid out as an indicator's workbook
    so a reader finds the same things in the same places: what the rows hold, their sources,
    the licence and the build above them, and an About sheet with every indicator the rows
    belong to (its definition, unit, breakdowns and targets). The unit is in each row."""
    title = t("gov_all_figures", lang, name=m.geo_name(geo, lang))
    lines = [_sources_line(m, sources, lang), _view_line(m, view_text, lang)]
    return _figures_workbook(table, codes, decimals, m, lang, (title, view_text), lines,
                             _About(indicators, len(indicators), "place_about", sources))


@dataclass(frozen=True)
class _About:
    """What the About sheet describes: the indicators, of which the first `own` are the
    download's own (the rest were added by `with`), under the sheet name `title_key`."""

    indicators: tuple[str, ...]
    own: int
    title_key: str
    sources: list[str]


def _sources_line(m, sources: list[str], lang: str) -> str:
    return f"{t('sources', lang)}: " + semicolon(lang).join(_source_line(m, s, lang) for s in sources)


def _view_line(m, view_text: str, lang: str) -> str:
    return f"{t('file_view', lang)}: {view_text} · {t('file_licence', lang)}: {m.licence['id']} · {t('file_build', lang)}: {edition(m, lang)}"


def _figures_workbook(table: pd.DataFrame, codes: list[str], decimals: list[int], m, lang: str,
                      heading: tuple[str, str], lines: list[str], about: _About) -> bytes:
    """A data sheet (the title of `heading`, `lines` saying what the figures are, a blank row,
    two header rows frozen above the rows) and the About sheet, as .xlsx bytes. heading:
    (title, subject) of the sheet and of the file's properties."""
    title, subject = heading
    rtl = lang == "ar"
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
                                   "strings_to_urls": False})
    wb.set_properties({"title": title, "subject": subject,
                       "comments": f"build {m.build_id}; licence {m.licence['id']}"})
    f = _formats(wb, rtl)
    used: set[str] = set()
    ws = wb.add_worksheet(_sheet_name(t("file_data", lang), used))
    if rtl:
        ws.right_to_left()
    ws.write_string(0, 0, title, f["title"])
    for n, line in enumerate(lines, start=1):
        ws.write_string(n, 0, line, f["text"])
    top = len(lines) + 2
    rows = len(table)
    if top + 2 + rows > EXCEL_MAX_ROWS:
        raise ValueError(f"{rows:,} rows do not fit on one Excel sheet; download the CSV or Parquet")
    end = _write_table(ws, f, table, m, lang, top, decimals, codes)
    if rows == 0:
        ws.write_string(end, 0, t("file_no_rows", lang), f["text"])
    ws.freeze_panes(top + 2, 0)
    _widths(ws, table)
    ws.set_column(0, 0, max(24, min(60, len(str(title)))))
    if rows:
        ws.autofilter(top + 1, 0, end - 1, len(table.columns) - 1)
    _about_sheet(wb, f, m, about, lang, used)
    wb.close()
    return buf.getvalue()


def _unit(m, ind: dict, lang: str) -> str:
    unit = m.units.get(ind["unit"])
    return unit[f"name_{lang}"] if unit else ind["unit"]


def _source_line(m, source_id: str, lang: str) -> str:
    s = m.sources[source_id]
    when = s["published"] or t("file_date_not_stated", lang)
    return f"{s[f'publisher_{lang}']}{separator(lang)}{s[f'title_{lang}']} ({when})"


def _about_sheet(wb, f, m, about: _About, lang: str, used) -> None:
    """What the workbook holds, as label/text rows: each indicator (the added ones named as
    such) with its definition, unit, breakdowns and targets; the sources; licence; build."""
    ws = wb.add_worksheet(_sheet_name(t(about.title_key, lang), used))
    if lang == "ar":
        ws.right_to_left()
    rows = []
    for n, indicator in enumerate(about.indicators):
        ind = m.indicators[indicator]
        unit = _unit(m, ind, lang)
        dims = [m.dimension_name(d, lang) for d in ind["breakdowns"]]
        if n:
            rows.append(("", ""))
        rows += [
            (t("file_indicators" if n < about.own else "file_with", lang), ind[f"name_{lang}"]),
            ("id", indicator),
            (t("definition", lang), ind[f"definition_{lang}"]),
            (t("unit", lang), unit),
            (t("measure", lang), t("file_" + ind["measure"], lang)),
            (t("file_breakdowns", lang), separator(lang).join(dims) or t("file_none", lang)),
        ]
        for target in m.targets.get(indicator, []):
            rows.append((t("file_targets", lang), f"{target['period']} ({target['geo_code']}): "
                         f"{target['value']:,.{ind['decimals']}f} {unit}"
                         + (f" — {target[f'note_{lang}']}" if target[f"note_{lang}"] else "")))
    rows.append(("", ""))
    for s in about.sources:
        rows.append((t("source", lang), _source_line(m, s, lang)))
        if m.sources[s][f"note_{lang}"]:
            rows.append(("", m.sources[s][f"note_{lang}"]))
    rows.append((t("file_licence", lang), f"{m.licence['name']} ({m.licence['id']}) {m.licence['url']}"))
    note = (m.licence.get("note") or {}).get(lang)
    if note:
        rows.append(("", note))
    rows.append((t("file_build", lang), edition(m, lang)))
    ws.set_column(0, 0, 22)
    ws.set_column(1, 1, 110)
    for n, (k, v) in enumerate(rows):
        ws.write_string(n, 0, str(k), f["label"])
        ws.write_string(n, 1, str(v), f["text"])


def dataset_workbook(path: Path, m, lang: str, topic_tables) -> dict:
    """The whole dataset, one sheet per topic, written to `path` (streamed, constant memory).

    topic_tables: iterable of (topic, table, codes, decimals per row), in topic order; tables
    with the columns of api.shape.file_columns.
    Returns {"sheets": [...], "split": [topics split over several sheets]}.
    """
    rtl = lang == "ar"
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False,
                                         "strings_to_formulas": False, "strings_to_urls": False})
    wb.set_properties({"title": t("file_title", lang), "comments": f"build {m.build_id}; licence {m.licence['id']}"})
    f = _formats(wb, rtl)
    used: set[str] = set()
    readme = wb.add_worksheet(_sheet_name(t("file_readme", lang), used))
    if rtl:
        readme.right_to_left()
    sheets, split = [], []
    per_sheet = EXCEL_MAX_ROWS - 5
    for topic, table, codes, decimals in topic_tables:
        title = m.topics[topic][f"name_{lang}"]
        parts = max(1, math.ceil(len(table) / per_sheet))
        if parts > 1:
            split.append(topic)
        for part in range(parts):
            chunk = table.iloc[part * per_sheet:(part + 1) * per_sheet]
            name = _sheet_name(title if part == 0 else f"{title} ({part + 1})", used)
            ws = wb.add_worksheet(name)
            if rtl:
                ws.right_to_left()
            _widths(ws, chunk)
            heading = title if part == 0 else f"{title} — {t('file_continued', lang)} ({part + 1}/{parts})"
            ws.write_string(0, 0, heading, f["title"])
            ws.write_string(1, 0, t("file_see_sources", lang), f["text"])
            ws.write_string(2, 0, f"{t('file_licence', lang)}: {m.licence['id']} · {t('file_build', lang)}: {edition(m, lang)}", f["text"])
            ws.freeze_panes(5, 0)
            _write_table(ws, f, chunk, m, lang, 3, decimals[part * per_sheet:(part + 1) * per_sheet], codes)
            sheets.append({"sheet": name, "topic": topic, "rows": len(chunk)})
    _catalogue_sheets(wb, f, m, lang, used)
    # The read-me sheet last in writing order but first in the workbook.
    lines = [t("file_title", lang), "",
             f"{t('file_licence', lang)}: {m.licence['name']} ({m.licence['id']}) {m.licence['url']}",
             (m.licence.get("note") or {}).get(lang) or "",
             f"{t('file_build', lang)}: {edition(m, lang)}",
             t("file_see_sources", lang), t("file_split", lang) if split else "", ""]
    lines += [f"{s['sheet']}: {s['rows']:,}" for s in sheets]
    readme.set_column(0, 0, 120)
    for n, line in enumerate(lines):
        readme.write_string(n, 0, line, f["title"] if n == 0 else f["text"])
    wb.close()
    return {"sheets": sheets, "split": split}


def _catalogue_sheets(wb, f, m, lang: str, used: set) -> None:
    """The indicators and the sources, one row each, for the whole-dataset workbook."""
    rows = [[i, r[f"name_{lang}"], m.topics[r["topic"]][f"name_{lang}"], r["country"], _unit(m, r, lang),
             t("file_" + r["measure"], lang), ", ".join(r["breakdowns"]), r["decimals"], r[f"definition_{lang}"]]
            for i, r in m.indicators.items()]
    heads = ["indicator_id", f"name_{lang}", "topic", "country", "unit", "measure", "breakdowns", "decimals",
             f"definition_{lang}"]
    _simple_sheet(wb, f, t("file_indicators", lang), heads, rows, lang, used)
    rows = [[i, s["country"], s[f"publisher_{lang}"], s[f"title_{lang}"], s["published"] or "",
             s[f"reference_period_{lang}"] or "", s[f"note_{lang}"] or "", s["url"] or ""] for i, s in m.sources.items()]
    heads = ["source_id", "country", f"publisher_{lang}", f"title_{lang}", "published", f"reference_period_{lang}",
             f"note_{lang}", "url"]
    _simple_sheet(wb, f, t("sources", lang), heads, rows, lang, used)


def _simple_sheet(wb, f, title, heads, rows, lang, used) -> None:
    ws = wb.add_worksheet(_sheet_name(title, used))
    if lang == "ar":
        ws.right_to_left()
    for n, h in enumerate(heads):
        ws.set_column(n, n, 40 if n in (2, 3, len(heads) - 1) else 16)
        ws.write_string(0, n, h, f["head"])
    ws.freeze_panes(1, 0)
    for r, row in enumerate(rows, start=1):
        for c, v in enumerate(row):
            if isinstance(v, (int, float)):
                ws.write_number(r, c, v)
            else:
                ws.write_string(r, c, str(v))
