"""Writers: tables in the shape a reader asked for (labels), as CSV, XLSX, JSON and ZIP.

Labels (as in the OECD data explorer):
  * `codes`: the published columns and codes (`indicator_id`, `geo_code`, `sex`, `unit`,
    `source_id`…), headers as in the database. For programs.
  * `names`: the same columns with names instead of codes, in the chosen language, and
    headers in that language. For reading in Excel.
  * `both`: the code columns with, after each coded column, its name in the chosen
    language (`indicator_name`, `geo_name`, `sex_label`, `unit_name`, `source_name`,
    `qualifier_label`); headers are identifiers.
The shaping itself is SQL (api/queries.py shaped_select). Values are never rounded or
reformatted: CSV writes each value exactly (6073, not 6073.0), XLSX stores numbers as
numbers with a display format.
"""
from __future__ import annotations

import csv
import io
import json
import math
import zipfile
from datetime import date, datetime

import pandas as pd

from .meta import Meta, clean

def csv_bytes(table: pd.DataFrame, bom: bool) -> bytes:
    """CSV in UTF-8, with a byte-order mark when `bom` (what Excel needs to read Arabic).

    Written with the csv module (pandas' to_csv has a fixed cost of several ms per call);
    missing values are empty, dates ISO, numbers as given (shape text_values first)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([str(c) for c in table.columns])
    columns = []
    for col in table.columns:
        series = table[col]
        if pd.api.types.is_datetime64_any_dtype(series):
            series = series.dt.strftime("%Y-%m-%d")
        columns.append(series.tolist())
    for row in zip(*columns):
        writer.writerow(["" if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and v != v) else v
                         for v in row])
    data = buf.getvalue().encode("utf-8")
    return (b"\xef\xbb\xbf" + data) if bom else data


def number(value):
    """A float as JSON would best carry it: 6073 rather than 6073.0; NaN -> None."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    return value


def json_records(table: pd.DataFrame) -> list[dict]:
    """Rows as dicts ready for JSON: missing -> None, dates as ISO text, 6073.0 -> 6073.

    Converted a column at a time (vectorised), not a value at a time: a series of a few
    hundred rows is then a few milliseconds, not tens."""
    columns = list(table.columns)
    values = [_json_column(c, table[c]) for c in columns]
    return [dict(zip(columns, row)) for row in zip(*values)]


def _json_column(name: str, series: pd.Series) -> list:
    if pd.api.types.is_datetime64_any_dtype(series):
        dates_only = bool((series.dropna() == series.dropna().dt.normalize()).all())
        series = series.dt.strftime("%Y-%m-%d") if dates_only else series.map(lambda v: v.isoformat())
    elif series.dtype == object:
        series = series.map(lambda v: v.isoformat() if isinstance(v, (date, datetime)) else v)
    out = series.astype(object).where(series.notna(), None).tolist()
    return [number(v) for v in out] if name == "value" else out


def dumps(obj) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), default=_default).encode("utf-8")


def _default(value):
    value = clean(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if hasattr(value, "tolist"):
        return value.tolist()
    if value is None:
        return None
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def zip_bytes(members: dict[str, bytes], when: datetime | None = None) -> bytes:
    """A ZIP of the members; every member dated `when` (the build), so equal inputs give equal bytes."""
    stamp = (when.year, when.month, when.day, when.hour, when.minute, when.second) if when else (1980, 1, 1, 0, 0, 0)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    return buf.getvalue()
