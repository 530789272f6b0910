"""SQL for the downloads and the API: always parameterised, always through dashboard.data.db().

The only identifiers written into SQL are the breakdown column names, and those come
from the database's own `dimensions` table and are checked to be plain identifiers
(api/meta.py). Every value a request sends is a bound parameter.
"""
from __future__ import annotations

import pandas as pd

from dashboard.data import db
from dashboard.i18n import t

from .formats import Columns
from .meta import LANGS, Meta
from .params import View

# The observations table's columns, in the published order, around the breakdown columns.
HEAD = ("indicator_id", "geo_code", "period", "period_start", "period_end")
TAIL = ("value", "qualifier", "unit", "source_id", "value_as_written",
        "source_file", "source_sheet", "source_row", "source_column")

QUALIFIER_LABELS = {"more_than": {"ar": "أكثر من", "en": "more than"}}


def code_columns(m: Meta) -> list[str]:
    """The observations table's columns, exactly as published."""
    return [*HEAD, *m.dimensions, *TAIL]


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def where(m: Meta, v: View) -> tuple[str, list]:
    """The WHERE clause of a view on `observations o`, with its parameters."""
    clauses, params = [], []
    if v.indicators:
        clauses.append(f"o.indicator_id IN ({', '.join('?' * len(v.indicators))})")
        params += v.indicators
    if v.geos:
        clauses.append(f"o.geo_code IN ({', '.join('?' * len(v.geos))})")
        params += v.geos
    if v.start is not None:
        clauses.append("o.period_end >= ?")
        params.append(v.start)
    if v.end is not None:
        clauses.append("o.period_end <= ?")
        params.append(v.end)
    if "all" not in v.breakdowns:
        parts = []
        for b in v.breakdowns:
            if b == "total":
                parts.append("(" + " AND ".join(f"o.{_q(d)} IS NULL" for d in m.dimensions) + ")" if m.dimensions else "TRUE")
            else:
                others = [f"o.{_q(d)} IS NULL" for d in m.dimensions if d != b]
                parts.append("(" + " AND ".join([f"o.{_q(b)} IS NOT NULL", *others]) + ")")
        clauses.append("(" + " OR ".join(parts) + ")")
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def labelled_select(m: Meta, v: View) -> tuple[str, list]:
    """Every observation of the view with its codes and its labels in both languages.

    Columns: the published columns (code_columns), then for each coded column its labels:
    indicator_name_{ar,en}, geo_name_{ar,en}, <dimension>_label_{ar,en}, unit_name_{ar,en},
    source_name_{ar,en}, qualifier_label_{ar,en}; and `value_text` (the value written
    without a trailing .0, for CSV).
    """
    params: list = []
    dim_joins, dim_labels = [], []
    for n, d in enumerate(m.dimensions):
        alias = f"d{n}"
        dim_joins.append(f"LEFT JOIN dimensions {alias} ON {alias}.dimension = ? AND {alias}.member = o.{_q(d)}")
        params.append(d)
        for lang in LANGS:
            dim_labels.append(f"{alias}.label_{lang} AS {_q(d + '_label_' + lang)}")
    qual = []
    for lang in LANGS:
        qual.append(f"CASE WHEN o.qualifier = 'more_than' THEN ? ELSE o.qualifier END AS qualifier_label_{lang}")
    select_params = [QUALIFIER_LABELS["more_than"][lang] for lang in LANGS]
    cols = ", ".join(f"o.{_q(c)}" for c in code_columns(m))
    label_cols = ", ".join([
        "i.name_ar AS indicator_name_ar", "i.name_en AS indicator_name_en",
        "g.name_ar AS geo_name_ar", "g.name_en AS geo_name_en",
        *dim_labels,
        "u.name_ar AS unit_name_ar", "u.name_en AS unit_name_en",
        "s.publisher_ar || '، ' || s.title_ar || coalesce(' (' || s.published || ')', '') AS source_name_ar",
        "s.publisher_en || ', ' || s.title_en || coalesce(' (' || s.published || ')', '') AS source_name_en",
        *qual,
        "CASE WHEN o.value = trunc(o.value) AND abs(o.value) < 1e15 THEN CAST(CAST(o.value AS BIGINT) AS VARCHAR) "
        "ELSE CAST(o.value AS VARCHAR) END AS value_text",
    ])
    where_sql, where_params = where(m, v)
    order = ", ".join(["i.sort_order", "o.geo_code", "o.period_end", "o.period_start",
                       *(f"o.{_q(d)} NULLS FIRST" for d in m.dimensions)])
    sql = (f"SELECT {cols}, {label_cols} FROM observations o "
           "LEFT JOIN indicators i ON i.indicator_id = o.indicator_id "
           "LEFT JOIN geographies g ON g.geo_code = o.geo_code "
           "LEFT JOIN units u ON u.unit = o.unit "
           "LEFT JOIN sources s ON s.source_id = o.source_id "
           + " ".join(dim_joins) + where_sql + f" ORDER BY {order}")
    # Parameters appear in the text in this order: the SELECT list, the joins, the WHERE.
    return sql, select_params + params + where_params


# The label column that replaces each coded column in the `names` form.
LABELLED = {"indicator_id": "indicator_name", "geo_code": "geo_name", "qualifier": "qualifier_label",
            "unit": "unit_name", "source_id": "source_name"}
LABEL_MODES = ("names", "codes", "both")
PROVENANCE = ("source_file", "source_sheet", "source_row", "source_column")


def header(column: str, m: Meta, lang: str) -> str:
    """A column's header in the `names` form."""
    if column in m.dimension_names:
        return m.dimension_names[column][lang]
    return t(f"column_{column}", lang)


def label_column(column: str, m: Meta) -> str | None:
    """The name of a coded column's label column (`geo_code` -> `geo_name`), or None."""
    if column in m.dimensions:
        return f"{column}_label"
    return LABELLED.get(column)


def shaped_columns(m: Meta, labels: str, lang: str, provenance: bool = True) -> list[tuple[str, str, str]]:
    """(source column in labelled_select, output header, identifier) for each output column.

    labels: `codes` (the published columns), `names` (names instead of codes, headers in
    `lang`) or `both` (each coded column followed by its name in `lang`).
    """
    out = []
    for column in code_columns(m):
        if not provenance and column in PROVENANCE:
            continue
        lab = label_column(column, m)
        if labels == "codes" or lab is None:
            out.append((column, header(column, m, lang) if labels == "names" else column, column))
        elif labels == "names":
            out.append((f"{lab}_{lang}", header(column, m, lang), column))
        else:
            out.append((column, column, column))
            out.append((f"{lab}_{lang}", lab, lab))
    return out


def shaped_select(m: Meta, v: View, labels: str, lang: str, text_values: bool = False, provenance: bool = True,
                  extra: tuple[str, ...] = ()) -> tuple[str, list, list[str]]:
    """SQL for the view in the shape asked for; returns (sql, params, identifiers of the columns).

    text_values: `value` as exact text (6073, not 6073.0), for CSV.
    extra: further columns of labelled_select to append (e.g. indicator_id for XLSX formats).
    """
    inner, params = labelled_select(m, v)
    cols, codes = [], []
    for source, head, code in shaped_columns(m, labels, lang, provenance):
        if source == "value" and text_values:
            source = "value_text"
        expr = f"t.{_q(source)}"
        if text_values and source in ("period_start", "period_end", "source_row"):
            expr = f"CAST({expr} AS VARCHAR)"
        cols.append(f"{expr} AS {_q(head)}")
        codes.append(code)
    for n, name in enumerate(extra):
        cols.append(f"t.{_q(name)} AS {_q('_extra_' + str(n))}")
        codes.append(f"_extra_{n}")
    return f"SELECT {', '.join(cols)} FROM ({inner}) t", params, codes


def observations(m: Meta, v: View, labels: str = "codes", lang: str = "ar", text_values: bool = False,
                 limit: int | None = None, offset: int = 0, provenance: bool = True,
                 extra: tuple[str, ...] = ()) -> tuple[Columns, list[str]]:
    """The view's observations in the shape asked for, one page if a limit is given; and the
    column identifiers.

    For requests: one query on `observations` alone, the labels added from the catalogue in
    memory. A query joining every label table costs ~35 ms in DuckDB's planner, and even
    the join to `indicators` for its order ~3 ms; the catalogue order is bound as a list
    instead. The whole-dataset files use shaped_select (SQL); tests check both against the
    database.
    """
    where_sql, params = where(m, v)
    cols = ", ".join(f"o.{_q(c)}" for c in code_columns(m))
    order = ["o.geo_code", "o.period_end", "o.period_start", *(f"o.{_q(d)} NULLS FIRST" for d in m.dimensions)]
    wanted = set(v.indicators or m.indicators.index)
    ids = [i for i in m.indicators.index if i in wanted]
    if len(ids) > 1:
        order.insert(0, "list_position(CAST(? AS VARCHAR[]), o.indicator_id)")
        params = [*params, ids]
    sql = f"SELECT {cols} FROM observations o{where_sql} ORDER BY {', '.join(order)}"
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        params = [*params, limit, offset]
    return shape_columns(db().columns(sql, params), m, labels, lang, text_values, provenance, extra)


_MAPS: dict[str, dict] = {}


def label_maps(m: Meta) -> dict[str, dict]:
    """code -> label, per label column of labelled_select (e.g. 'geo_name_ar': {'OM': 'سلطنة عُمان'})."""
    found = _MAPS.get(m.version)
    if found is None:
        _MAPS.clear()
        found = _MAPS[m.version] = _label_maps(m)
    return found


def _label_maps(m: Meta) -> dict[str, dict]:
    maps: dict[str, dict] = {}
    for lang in LANGS:
        maps[f"indicator_name_{lang}"] = m.indicators[f"name_{lang}"].to_dict()
        maps[f"geo_name_{lang}"] = m.geographies[f"name_{lang}"].to_dict()
        maps[f"unit_name_{lang}"] = m.units[f"name_{lang}"].to_dict()
        sep = "، " if lang == "ar" else ", "
        maps[f"source_name_{lang}"] = {
            sid: f"{r[f'publisher_{lang}']}{sep}{r[f'title_{lang}']}"
                 + (f" ({r['published']})" if isinstance(r["published"], str) and r["published"] else "")
            for sid, r in m.sources.iterrows()}
        maps[f"qualifier_label_{lang}"] = {k: v[lang] for k, v in QUALIFIER_LABELS.items()}
        for d in m.dimensions:
            maps[f"{d}_label_{lang}"] = {code: lab[lang] for code, lab in m.members.get(d, {}).items()}
    return maps


def _value_text(x: float | None) -> str | None:
    """A value written exactly and without a trailing .0 (6073, 0.25)."""
    if x is None or x != x:
        return None
    return str(int(x)) if x.is_integer() and abs(x) < 1e15 else repr(x)


def _as_text(x) -> str | None:
    """A date or a row number as text (2021-12-31, 14)."""
    if x is None:
        return None
    return x.isoformat() if hasattr(x, "isoformat") else str(x)


def shape_columns(raw: Columns, m: Meta, labels: str, lang: str, text_values: bool = False,
                  provenance: bool = True, extra: tuple[str, ...] = ()) -> tuple[Columns, list[str]]:
    """Observations ({column: values} as DuckDB returns them: None for NULL, datetime.date
    for dates) in the shape shaped_select gives, built in memory as plain lists, and written
    out from them (api/formats.py): for the few hundred rows of a request, a DataFrame's
    per-column costs were most of the response time."""
    maps = label_maps(m) if labels != "codes" else {}
    out, codes = {}, []
    for source, head, code in shaped_columns(m, labels, lang, provenance):
        if source in raw:
            values = raw[source]
            if source == "value" and text_values:
                values = [_value_text(x) for x in values]
            elif text_values and source in ("period_start", "period_end", "source_row"):
                values = [_as_text(x) for x in values]
        else:
            base = next(c for c in code_columns(m) if source.startswith((label_column(c, m) or "\0") + "_"))
            values = list(map(maps[source].get, raw[base]))   # None (NULL) has no label: None
        out[head] = values
        codes.append(code)
    for n, name in enumerate(extra):
        out[f"_extra_{n}"] = raw[name]
        codes.append(f"_extra_{n}")
    return out, codes


def count(m: Meta, v: View) -> int:
    where_sql, params = where(m, v)
    return int(db().query(f"SELECT count(*) AS n FROM observations o{where_sql}", params)["n"].iloc[0])
