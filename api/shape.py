"""The shape of a table a reader asked for: which columns, under which headers, with which labels.

`labels` (as in the OECD data explorer):
  * `codes`: the published columns and codes (`indicator_id`, `geo_code`, `sex`, `unit`,
    `source_id`…), headers as in the database. For programs.
  * `names`: the same columns with names instead of codes, in the chosen language, and
    headers in that language. For reading in Excel.
  * `both`: the code columns with, after each coded column, its name in the chosen
    language (`indicator_name`, `geo_name`, `sex_label`, `unit_name`, `source_name`,
    `qualifier_label`); headers are identifiers.

One description of the columns (shaped_columns) serves both ways a table is made: requests
shape the rows of store.queries.select in memory (shape), the whole-dataset files have
DuckDB pick the same columns from store.queries.labelled_select (file_columns). Label
columns are named as labelled_select names them: `<label column>_<lang>`.
"""
from __future__ import annotations

from contract.schema import LANGS, NUMBERS, PROVENANCE, REVISION_KINDS, STATUSES, observation_columns
from store.texts import t

from .formats import Columns

LABEL_MODES = ("names", "codes", "both")
# The label column that follows (both) or replaces (names) each coded column.
LABELLED = {"indicator_id": "indicator_name", "geo_code": "geo_name", "qualifier": "qualifier_label",
            "status": "status_label", "unit": "unit_name", "source_id": "source_name",
            "revision_kind": "revision_kind_label"}
TEXT_COLUMNS = ("period_start", "period_end", "source_row")  # written as text in CSV


def code_columns(m) -> list[str]:
    """The observations table's columns, exactly as published."""
    return observation_columns(m.dimension_columns)


def header(column: str, m, lang: str) -> str:
    """A column's header in the `names` form."""
    if column in m.dimensions:
        return m.dimension_name(column, lang)
    return t(f"column_{column}", lang)


def label_column(column: str, m) -> str | None:
    """The name of a coded column's label column (`geo_code` -> `geo_name`), or None."""
    if column in m.dimensions:
        return f"{column}_label"
    return LABELLED.get(column)


def shaped_columns(m, labels: str, lang: str, provenance: bool = True) -> list[tuple[str, str, str]]:
    """(column of labelled_select, output header, identifier) for each output column, in order.

    provenance=False leaves out where in the source file a figure sat (source_file…)."""
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


def file_columns(m, labels: str, lang: str, text_values: bool = False,
                 provenance: bool = True) -> tuple[list[tuple[str, str]], list[str]]:
    """The columns of store.queries.labelled_columns for a whole-dataset file, as (column of
    labelled_select, header) pairs, and their identifiers. text_values: `value` as exact
    text (6073, not 6073.0), for CSV."""
    pairs, codes = [], []
    for source, head, code in shaped_columns(m, labels, lang, provenance):
        pairs.append((f"{source}_text" if source in NUMBERS and text_values else source, head))
        codes.append(code)
    return pairs, codes


_MAPS: dict[str, dict] = {}


def label_maps(m) -> dict[str, dict]:
    """code -> label, per label column of labelled_select (e.g. 'geo_name_ar': {'OM': 'سلطنة عُمان'});
    made once per build."""
    found = _MAPS.get(m.version)
    if found is None:
        _MAPS.clear()
        found = _MAPS[m.version] = _label_maps(m)
    return found


def _label_maps(m) -> dict[str, dict]:
    """The labels labelled_select joins in SQL, as Python dicts (same texts, same separators)."""
    maps: dict[str, dict] = {}
    for lang in LANGS:
        maps[f"indicator_name_{lang}"] = {i: r[f"name_{lang}"] for i, r in m.indicators.items()}
        maps[f"geo_name_{lang}"] = {g: r[f"name_{lang}"] for g, r in m.geographies.items()}
        maps[f"unit_name_{lang}"] = {u: r[f"name_{lang}"] for u, r in m.units.items()}
        maps[f"source_name_{lang}"] = {s: m.source_name(s, lang) for s in m.sources}
        maps[f"qualifier_label_{lang}"] = {"more_than": t("qualifier_label_more_than", lang)}
        maps[f"status_label_{lang}"] = {code: t(f"status_{code}", lang) for code in STATUSES}
        maps[f"revision_kind_label_{lang}"] = {k: t(f"revision_kind_{k}", lang) for k in REVISION_KINDS}
        for d, dim in m.dimensions.items():
            maps[f"{d}_label_{lang}"] = {code: member[f"label_{lang}"] for code, member in dim["members"].items()}
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


def shape(raw: Columns, m, labels: str, lang: str, text_values: bool = False) -> tuple[Columns, list[str]]:
    """Observations as store.queries.select gives them ({column: values}; None for NULL,
    datetime.date for dates) in the shape asked for, and the identifiers of its columns.

    Built in memory as plain lists: for the few hundred rows of a request, a DataFrame's
    per-column costs were most of the response time, and a query joining every label
    table costs ~35 ms in DuckDB's planner. text_values: values, dates and row numbers as
    the text a CSV writes (6073, not 6073.0)."""
    maps = label_maps(m) if labels != "codes" else {}
    out, codes = {}, []
    for source, head, code in shaped_columns(m, labels, lang):
        if source in raw:
            values = raw[source]
            if source in NUMBERS and text_values:
                values = [_value_text(x) for x in values]
            elif text_values and source in TEXT_COLUMNS:
                values = [_as_text(x) for x in values]
        else:
            coded = next(c for c in code_columns(m) if source == f"{label_column(c, m)}_{lang}")
            values = list(map(maps[source].get, raw[coded]))   # None (NULL) has no label: None
        out[head] = values
        codes.append(code)
    return out, codes
