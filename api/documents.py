"""The JSON documents the API and the downloads give: indicators, geographies, sources.

Every name comes in both languages ({"ar": …, "en": …}); codes stay as published.
"""
from __future__ import annotations

from urllib.parse import urlencode

from .formats import Columns
from .meta import Meta, clean

UNSTATED = {"ar": "غير مذكور", "en": "not stated"}


def bilingual(row, stem: str) -> dict:
    return {"ar": clean(row[f"{stem}_ar"]), "en": clean(row[f"{stem}_en"])}


def build_info(m: Meta) -> dict:
    return {"build_id": m.build_id, "built_at": m.built_at.isoformat(timespec="seconds"),
            "observations": m.observation_count}


def licence(m: Meta) -> dict:
    lic = m.licence
    return {"id": lic.get("id"), "name": lic.get("name"), "url": lic.get("path"),
            "note": {"ar": (lic.get("note") or {}).get("ar"), "en": (lic.get("note") or {}).get("en")}}


def links(indicator: str, view_args: dict | None = None) -> dict:
    q = ("?" + urlencode(view_args)) if view_args else ""
    return {
        "self": f"/api/v1/indicators/{indicator}",
        "observations": f"/api/v1/observations?{urlencode({'indicator': indicator, **(view_args or {})})}",
        "csv": f"/data/{indicator}.csv{q}",
        "xlsx": f"/data/{indicator}.xlsx{q}",
        "json": f"/data/{indicator}.json{q}",
        "zip": f"/data/{indicator}.zip{q}",
    }


def source(m: Meta, source_id: str) -> dict:
    s = m.sources.loc[source_id]
    return {
        "id": source_id,
        "country": clean(s["country"]),
        "publisher": bilingual(s, "publisher"),
        "title": bilingual(s, "title"),
        "published": clean(s["published"]),
        "url": clean(s["url"]),
        "reference_period": bilingual(s, "reference_period"),
        "note": bilingual(s, "note"),
    }


def indicator_summary(m: Meta, indicator: str) -> dict:
    ind = m.indicators.loc[indicator]
    unit = m.units.loc[ind["unit"]] if ind["unit"] in m.units.index else None
    topic = m.topics.loc[ind["topic"]] if ind["topic"] in m.topics.index else None
    cov = m.coverage.loc[indicator] if indicator in m.coverage.index else None
    return {
        "id": indicator,
        "name": bilingual(ind, "name"),
        "topic": {"id": ind["topic"], "name": bilingual(topic, "name") if topic is not None else None},
        "country": ind["country"],
        "unit": {"id": ind["unit"], "kind": clean(unit["kind"]) if unit is not None else None,
                 "name": bilingual(unit, "name") if unit is not None else None},
        "measure": ind["measure"],
        "breakdowns": [str(d) for d in ind["breakdowns"]],
        "decimals": int(ind["decimals"]),
        "higher_is_better": clean(ind["higher_is_better"]),
        "headline": bool(ind["headline"]),
        "coverage": {
            "observations": int(cov["observations"]) if cov is not None else 0,
            "first_period": clean(cov["first_period"]) if cov is not None else None,
            "last_period": clean(cov["last_period"]) if cov is not None else None,
            "geographies": [str(g) for g in cov["geos"]] if cov is not None else [],
            "sources": [str(s) for s in cov["sources"]] if cov is not None else [],
        },
        "links": links(indicator),
    }


def indicator_detail(m: Meta, indicator: str, view_args: dict | None = None, view_sources: list[str] | None = None,
                     view_rows: int | None = None) -> dict:
    """Everything about one indicator: names, definition, unit, breakdowns, sources, targets.

    With a view (view_args), also what the view holds: its parameters, its number of rows,
    and only the sources its figures cite.
    """
    ind = m.indicators.loc[indicator]
    doc = indicator_summary(m, indicator)
    doc["definition"] = bilingual(ind, "definition")
    doc["sum_to_total"] = [str(d) for d in ind["sum_to_total"]]
    doc["breakdowns"] = [{
        "dimension": d,
        "name": dict(m.dimension_names[d]),
        "members": [{"code": code, "label": dict(label)} for code, label in m.members.get(d, {}).items()],
        "sums_to_total": d in set(ind["sum_to_total"]),
    } for d in ind["breakdowns"]]
    cited = view_sources if view_sources is not None else doc["coverage"]["sources"]
    targets = m.targets[m.targets["indicator_id"] == indicator]
    target_sources = [s for s in targets["source_id"] if s not in cited]
    doc["sources"] = [source(m, s) for s in [*cited, *dict.fromkeys(target_sources)] if s in m.sources.index]
    doc["targets"] = [{
        "geo": t.geo_code, "period": t.period,
        "period_start": clean(t.period_start), "period_end": clean(t.period_end),
        "value": _num(t.value), "source_id": t.source_id,
        "note": {"ar": clean(t.note_ar), "en": clean(t.note_en)},
    } for t in targets.itertuples(index=False)]
    doc["licence"] = licence(m)
    doc["build"] = build_info(m)
    doc["cite"] = citation(m, indicator, cited)
    if view_args is not None:
        doc["view"] = {"parameters": view_args, "observations": view_rows,
                       "full_series": not view_args}
        doc["links"] = links(indicator, view_args)
    return doc


def citation(m: Meta, indicator: str, sources: list[str]) -> dict:
    ind = m.indicators.loc[indicator]
    out = {}
    for lang in ("ar", "en"):
        pubs = []
        for s in sources:
            if s in m.sources.index:
                row = m.sources.loc[s]
                pubs.append(f"{row[f'publisher_{lang}']}: {row[f'title_{lang}']}"
                            f" ({clean(row['published']) or UNSTATED[lang]})")
        sep = "؛ " if lang == "ar" else "; "
        platform = "مؤشرات الحماية الاجتماعية" if lang == "ar" else "Social protection indicators"
        out[lang] = (f"{ind[f'name_{lang}']}. {sep.join(pubs)}. {platform}, "
                     f"{m.built_at:%Y-%m-%d} ({m.licence.get('id')}).")
    return out


def geography(m: Meta, code: str, counts: dict) -> dict:
    g = m.geographies.loc[code]
    aliases = g["aliases"]
    return {
        "code": code, "level": g["level"], "country": g["country"], "parent": clean(g["parent"]),
        "name": bilingual(g, "name"),
        "aliases": [str(a) for a in aliases] if aliases is not None and not isinstance(aliases, float) else [],
        "map_file": clean(g["map_file"]), "map_within": clean(g["map_within"]),
        "observations": int(counts.get(code, 0)),
    }


def _num(value):
    value = clean(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def flat(records: list[dict]) -> Columns:
    """Nested documents as a flat table for CSV: name.ar -> name_ar, lists joined with '|';
    columns in the order first met, empty where a record lacks one."""
    rows = []
    for rec in records:
        row = {}
        _flatten(rec, "", row)
        rows.append(row)
    names = list(dict.fromkeys(k for row in rows for k in row))
    return {name: [row.get(name) for row in rows] for name in names}


def _flatten(value, prefix: str, out: dict) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            _flatten(v, f"{prefix}_{k}" if prefix else k, out)
    elif isinstance(value, list):
        out[prefix] = "|".join(str(v) for v in value if not isinstance(v, (dict, list)))
    else:
        out[prefix] = value
