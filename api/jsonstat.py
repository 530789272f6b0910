"""A selection of figures as a JSON-stat 2.0 dataset (https://json-stat.org/full/).

The rows are the same `store.queries.select` rows that the CSV, the workbook and the JSON
of a request are made from, so a JSON-stat answer cannot disagree with them. The cube's
dimensions are `indicator` (the metric, with its unit), `geo`, `period` (time) and one per
breakdown of the catalogue, whose member `_T` (SDMX's code for a total) is a figure with no
breakdown. `value` and `status` are sparse (objects keyed by the cell's index): a cube of
every combination would be mostly empty, and a cell the sources never published is absent,
not zero. A row the source says has no figure is a `null` value with its status.

Labels are in the language asked for; each dimension's `extension.label` and
`extension.category_label` carry both languages (Arabic first). The dataset's `extension`
holds the build and release read, each revised figure's revision and each figure's source.
"""
from __future__ import annotations

from contract.schema import LANGS
from store.texts import t

from . import documents
from .formats import Columns, number
from .shape import header

TOTAL = "_T"   # SDMX's code for "no breakdown"


def _categories(values: list, order=None) -> list:
    """The distinct values of a column, in `order` (a sort key) or as they first appear."""
    seen = list(dict.fromkeys(values))
    return sorted(seen, key=order) if order else seen


def _dimension(label: dict[str, str], codes: list, names: dict[str, dict], lang: str, role_unit=None) -> dict:
    """One dimension: its label and categories in `lang`, both languages in its extension."""
    category = {"index": {c: n for n, c in enumerate(codes)}, "label": {c: names[lang][c] for c in codes}}
    if role_unit:
        category["unit"] = role_unit
    return {"label": label[lang], "category": category,
            "extension": {"label": label, "category_label": {la: {c: names[la][c] for c in codes} for la in LANGS}}}


def dataset(raw: Columns, m, lang: str) -> dict:
    """`raw` (the columns of store.queries.select) as a JSON-stat 2.0 dataset in `lang`."""
    dims = [d for d in m.dimension_columns if any(v is not None for v in raw[d])]
    starts = dict(zip(raw["period"], raw["period_start"]))
    ids = ["indicator", "geo", "period", *dims]
    cats = {
        "indicator": _categories(raw["indicator_id"]),
        "geo": _categories(raw["geo_code"]),
        "period": _categories(raw["period"], order=lambda p: (starts[p], p)),
    }
    for d in dims:
        present = set(raw[d])   # once per dimension, not once per member (a full series has 1,000,000 rows)
        cats[d] = [TOTAL, *(c for c in m.dimensions[d]["members"] if c in present)]
    columns = {"indicator": raw["indicator_id"], "geo": raw["geo_code"], "period": raw["period"],
               **{d: [TOTAL if v is None else v for v in raw[d]] for d in dims}}

    both = {la: la for la in LANGS}
    dimension = {
        "indicator": _dimension({la: header("indicator_id", m, la) for la in both}, cats["indicator"],
                                {la: {i: m.indicators[i][f"name_{la}"] for i in cats["indicator"]} for la in both},
                                lang, role_unit={i: _unit(m, i, lang) for i in cats["indicator"]}),
        "geo": _dimension({la: header("geo_code", m, la) for la in both}, cats["geo"],
                          {la: {g: m.geo_name(g, la) for g in cats["geo"]} for la in both}, lang),
        "period": _dimension({la: header("period", m, la) for la in both}, cats["period"],
                             {la: {p: p for p in cats["period"]} for la in both}, lang),
    }
    for d in dims:
        dimension[d] = _dimension({la: m.dimension_name(d, la) for la in both}, cats[d],
                                  {la: {c: t("total", la) if c == TOTAL else m.member_label(d, c, la) for c in cats[d]}
                                   for la in both}, lang)

    size = [len(cats[d]) for d in ids]
    positions = [{c: n for n, c in enumerate(cats[d])} for d in ids]
    strides = [1] * len(ids)
    for k in range(len(ids) - 2, -1, -1):
        strides[k] = strides[k + 1] * size[k + 1]
    keys = [0] * len(raw["indicator_id"])
    for d, pos, stride in zip(ids, positions, strides):
        keys = [k + pos[c] * stride for k, c in zip(keys, columns[d])]
    keys = [str(k) for k in keys]

    value = {k: number(v) for k, v in zip(keys, raw["value"])}
    status = {k: s for k, s in zip(keys, raw["status"]) if s is not None}
    revision = {k: {"revised_in": r, "revised_on": o.isoformat() if o else None, "previous_value": number(p),
                    **({"kind": kind, "reason": {"ar": ar, "en": en}} if kind else {})}
                for k, r, o, p, kind, ar, en in zip(keys, raw["revised_in"], raw["revised_on"], raw["previous_value"],
                                                    raw["revision_kind"], raw["revision_reason_ar"],
                                                    raw["revision_reason_en"]) if r}
    cited = list(dict.fromkeys(raw["source_id"]))
    return {
        "version": "2.0", "class": "dataset",
        "label": "، ".join(dimension["indicator"]["category"]["label"].values()) if lang == "ar"
                 else ", ".join(dimension["indicator"]["category"]["label"].values()),
        "source": "; ".join(m.source_name(s, lang) for s in cited),
        "updated": m.built_at.isoformat(timespec="seconds"),
        "id": ids, "size": size,
        "role": {"metric": ["indicator"], "geo": ["geo"], "time": ["period"]},
        "dimension": dimension,
        "value": value,
        "status": status,
        "extension": {
            "build": documents.build_info(m), "licence": documents.licence(m),
            "status_label": {la: {s: t(f"status_{s}", la) for s in set(status.values())} for la in LANGS},
            "revision": revision,
            "source": {k: s for k, s in zip(keys, raw["source_id"])},
            "sources": {s: {la: m.source_name(s, la) for la in LANGS} for s in cited},
        },
    }


def _unit(m, indicator: str, lang: str) -> dict:
    """A metric category's unit as JSON-stat has it: its label and decimals."""
    unit = m.unit_of(indicator)
    return {"label": unit[f"name_{lang}"], "decimals": m.indicators[indicator]["decimals"]}
