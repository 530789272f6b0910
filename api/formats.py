"""Writers: tables as CSV, JSON and ZIP (workbooks: api/xlsx.py), and the JSON encoder.

Which columns and labels a table has is api/shape.py. Values are never rounded or
reformatted: CSV writes each value exactly (6073, not 6073.0), XLSX stores numbers as
numbers with a display format.
"""
from __future__ import annotations

import csv
import io
import math
import zipfile
from datetime import date, datetime

import orjson
import pandas as pd

from contract.schema import NUMBERS

Columns = dict[str, list]
"""A table as the request paths carry it: {header: values}, in column order, plain Python values
(None for missing, datetime.date for dates). A DataFrame costs milliseconds per column to
build and to read back, which for a request-sized answer was most of its time."""


def row_count(table: Columns) -> int:
    return len(next(iter(table.values()), []))


def csv_bytes(table: Columns, bom: bool) -> bytes:
    """CSV in UTF-8, with a byte-order mark when `bom` (what Excel needs to read Arabic).

    Missing values are empty, dates ISO, numbers as given (shape values as text first:
    api/shape.py text_values)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(list(table))
    writer.writerows(zip(*(_plain(values) for values in table.values())))
    data = buf.getvalue().encode("utf-8")
    return (b"\xef\xbb\xbf" + data) if bom else data


def _plain(values: list) -> list:
    """A column's values as CSV and JSON carry them: dates as ISO text, NaN as None (an empty
    CSV field), others as they are. A column as queried has one type (NULLs aside), so only
    date and float columns are converted."""
    kind = next((type(v) for v in values if v is not None), None)
    if kind is not None and issubclass(kind, (date, datetime)):
        return [None if v is None else v.isoformat() for v in values]
    if kind is float:
        return [None if v != v else v for v in values]
    return values


def number(value):
    """A float as JSON would best carry it: 6073 rather than 6073.0; NaN -> None."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    return value


def json_records(table: Columns, names: list[str] | None = None) -> list[dict]:
    """Rows as dicts ready for JSON, keyed by `names` (default: the headers): missing -> None,
    dates as ISO text, 6073.0 -> 6073 in `value`."""
    names = names or list(table)
    values = [[number(v) for v in col] if name in NUMBERS else _plain(col) for name, col in zip(names, table.values())]
    return [dict(zip(names, row)) for row in zip(*values)]


_ORJSON = orjson.OPT_NON_STR_KEYS | orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_PASSTHROUGH_DATETIME


def dumps(obj) -> bytes:
    """Compact UTF-8 JSON, by orjson (a tenth of the time of the json module on a series).
    Dates and timestamps go through _default (clean): a midnight timestamp is a date."""
    return orjson.dumps(obj, default=_default, option=_ORJSON)


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


def clean(value):
    """A value read from a pandas table as a plain Python one: missing (NaN, NaT, NA) -> None,
    numpy scalars -> Python scalars, a timestamp at midnight -> its date. The whole-dataset
    workbook reads its rows through pandas (a topic can hold a million rows); request paths
    carry plain values already."""
    if value is None:
        return None
    if isinstance(value, float) and value != value:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):  # lists and arrays have no single truth value
        pass
    if hasattr(value, "item") and not isinstance(value, (list, dict, str)):
        try:
            value = value.item()
        except (ValueError, AttributeError):
            pass
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, datetime) and value == datetime.combine(value.date(), datetime.min.time()):
        return value.date()
    return value
