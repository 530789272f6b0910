"""/api/v1/frameworks: a country's results frameworks and published targets, as the Framework
page shows them (both are store.framework.plan), in both languages.

JSON nests the items as the framework does (each item its linked indicators, then its
children). CSV is one table: a row per framework item and linked indicator (an item with
none has one row with no indicator), then a row per target; `section` says which.
A figure that has not been published is null (empty in CSV), never filled.
"""
from __future__ import annotations

from contract.schema import LANGS
from store.framework import walk

from .documents import bilingual
from .formats import Columns, number

CSV_COLUMNS = ("country", "section", "framework_id", "item_id", "parent_id", "depth", "level", "code",
               *(f"label_{lang}" for lang in LANGS), "indicator_id", *(f"indicator_name_{lang}" for lang in LANGS),
               "indicator_country", "unit", "target_geo", "target_period", "target_value", "target_source_id",
               "target_status", *(f"{which}_{field}" for which in ("period_figure", "latest")
                                  for field in ("value", "period", "qualifier", "status", "source_id")))


def document(m, plan) -> dict:
    """One country's plan as JSON."""
    return {
        "country": plan.country,
        "name": bilingual(m.geographies[plan.country], "name"),
        "frameworks": [{"id": fw.framework_id, "name": fw.name, "source_id": fw.source_id,
                        "items": [_item(m, item) for item in fw.items]} for fw in plan.frameworks],
        "targets": [{"indicator_id": tg.indicator_id, "name": bilingual(m.indicators[tg.indicator_id], "name"),
                     "unit": m.indicators[tg.indicator_id]["unit"], "geo": tg.geo, "period": tg.period,
                     "value": number(tg.value), "source_id": tg.source_id, "note": tg.note, "status": tg.status,
                     "period_figure": _figure(tg.compared), "latest": _figure(tg.latest)} for tg in plan.targets],
    }


def _item(m, item) -> dict:
    return {"id": item.item_id, "level": item.level, "code": item.code, "label": item.label,
            "indicators": [{"indicator_id": x.indicator_id, "name": bilingual(m.indicators[x.indicator_id], "name"),
                            "country": x.country, "unit": m.indicators[x.indicator_id]["unit"],
                            "latest": _figure(x.latest)} for x in item.indicators],
            "items": [_item(m, child) for child in item.children]}


def _figure(figure) -> dict | None:
    if figure is None:
        return None
    return {"value": number(figure.value), "period": figure.period, "qualifier": figure.qualifier,
            "status": figure.status, "source_id": figure.source_id}


def table(m, plans) -> Columns:
    """Every plan as one flat table (CSV_COLUMNS)."""
    rows = []
    for plan in plans:
        for fw in plan.frameworks:
            for depth, item in walk(fw.items):
                base = {"country": plan.country, "section": "framework", "framework_id": fw.framework_id,
                        "item_id": item.item_id, "parent_id": item.parent_id, "depth": depth, "level": item.level,
                        "code": item.code, **{f"label_{lang}": item.label[lang] for lang in LANGS}}
                rows += [{**base, **_indicator(m, x.indicator_id), "indicator_country": x.country,
                          **_flat("latest", x.latest)} for x in item.indicators] or [base]
        rows += [{"country": plan.country, "section": "target", **_indicator(m, tg.indicator_id),
                  "target_geo": tg.geo, "target_period": tg.period, "target_value": number(tg.value),
                  "target_source_id": tg.source_id, "target_status": tg.status,
                  **_flat("period_figure", tg.compared), **_flat("latest", tg.latest)} for tg in plan.targets]
    return {name: [row.get(name) for row in rows] for name in CSV_COLUMNS}


def _indicator(m, indicator_id: str) -> dict:
    ind = m.indicators[indicator_id]
    return {"indicator_id": indicator_id, **{f"indicator_name_{lang}": ind[f"name_{lang}"] for lang in LANGS},
            "unit": ind["unit"]}


def _flat(prefix: str, figure) -> dict:
    return {f"{prefix}_{k}": v for k, v in (_figure(figure) or {}).items()}
