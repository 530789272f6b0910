"""The JSON documents the API and the downloads give: indicators, geographies, sources.

Every name comes in both languages ({"ar": …, "en": …}); codes stay as published. Every
value comes from the catalogue of the build (store.catalogue.meta()); the words around
them (a citation) from store.texts.
"""
from __future__ import annotations

from datetime import timezone
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from contract.schema import CHANGES, LANGS
from store import releases
from store.queries import count, sources_of
from store.texts import semicolon, separator, t

from .formats import Columns, number


def bilingual(row: dict | None, stem: str) -> dict | None:
    """{"ar": row[stem_ar], "en": row[stem_en]}; None when there is no row."""
    if row is None:
        return None
    return {lang: row.get(f"{stem}_{lang}") for lang in LANGS}


def build_info(m) -> dict:
    """What an answer was read from: the build, and the release with the hash of its entry in
    the published chain (/data/releases.json), so a reader can check it is the one on record."""
    choice = releases.current()
    return {"build_id": m.build_id, "built_at": m.built_at.isoformat(timespec="seconds"),
            "observations": m.observation_count, "release": choice.release.release_id if choice else None,
            "release_sha256": choice.release.sha256 if choice else None}


def edition(m, lang: str) -> str:
    """What a file was read from, in words, after its label (file_build): the build and, when
    the site serves releases, the release with the hash of its entry in the published chain
    (/data/releases.json), so that a file kept for years can be checked against the record."""
    text = f"{m.build_id} ({m.built_at:%Y-%m-%d %H:%M} UTC)"
    choice = releases.current()
    if choice is not None:
        text += f" · {t('file_release', lang)}: {choice.release.release_id} (SHA-256 {choice.release.sha256})"
    return text


def licence(m) -> dict:
    lic = m.licence
    return {"id": lic["id"], "name": lic["name"], "url": lic["url"],
            "note": {lang: (lic.get("note") or {}).get(lang) for lang in LANGS}}


def links(indicator: str, args: dict | None = None) -> dict:
    """The addresses of an indicator; with download parameters (`args`, which may hold
    `with`), of exactly that selection: the API takes the added indicators in `indicator`."""
    args = args or {}
    q = ("?" + urlencode(args, safe=",")) if args else ""
    ids = ",".join([indicator, *([args["with"]] if "with" in args else [])])
    view = {k: v for k, v in args.items() if k != "with"}
    return {
        "self": f"/api/v1/indicators/{indicator}",
        "observations": f"/api/v1/observations?{urlencode({'indicator': ids, **view}, safe=',')}",
        "csv": f"/data/{indicator}.csv{q}",
        "xlsx": f"/data/{indicator}.xlsx{q}",
        "json": f"/data/{indicator}.json{q}",
        "zip": f"/data/{indicator}.zip{q}",
    }


def source(m, source_id: str) -> dict:
    s = m.sources[source_id]
    return {
        "id": source_id,
        "country": s["country"],
        "publisher": bilingual(s, "publisher"),
        "title": bilingual(s, "title"),
        "published": s["published"],
        "url": s["url"],
        "reference_period": bilingual(s, "reference_period"),
        "note": bilingual(s, "note"),
    }


def cited_by(m) -> dict[str, list[str]]:
    """source -> the indicators whose figures cite it, sorted by id."""
    out: dict[str, list[str]] = {}
    for indicator, cov in m.coverage.items():
        for s in cov["sources"]:
            out.setdefault(s, []).append(indicator)
    return {s: sorted(ids) for s, ids in out.items()}


def indicator_summary(m, indicator: str) -> dict:
    ind = m.indicators[indicator]
    unit = m.units.get(ind["unit"])
    cov = m.coverage.get(indicator, {})
    return {
        "id": indicator,
        "name": bilingual(ind, "name"),
        "topic": {"id": ind["topic"], "name": bilingual(m.topics.get(ind["topic"]), "name")},
        "country": ind["country"],
        "unit": {"id": ind["unit"], "kind": unit["kind"] if unit else None, "name": bilingual(unit, "name")},
        "measure": ind["measure"],
        "breakdowns": list(ind["breakdowns"]),
        "decimals": ind["decimals"],
        "higher_is_better": ind["higher_is_better"],
        "headline": bool(ind["headline"]),
        "coverage": {
            "observations": cov.get("observations", 0),
            "first_period": cov.get("first_period"),
            "last_period": cov.get("last_period"),
            "geographies": list(cov.get("geos", ())),
            "sources": list(cov.get("sources", ())),
        },
        "links": links(indicator),
    }


def _about(m, indicator: str) -> dict:
    """An indicator in full: its summary, definition, breakdowns with their members, targets,
    international series."""
    ind = m.indicators[indicator]
    doc = indicator_summary(m, indicator)
    doc["definition"] = bilingual(ind, "definition")
    doc["sum_to_total"] = list(ind["sum_to_total"])
    doc["breakdowns"] = [{
        "dimension": d,
        "name": bilingual(m.dimensions[d], "name"),
        "members": [{"code": code, "label": bilingual(member, "label")}
                    for code, member in m.dimensions[d]["members"].items()],
        "sums_to_total": d in ind["sum_to_total"],
    } for d in ind["breakdowns"]]
    doc["targets"] = [{
        "geo": target["geo_code"], "period": target["period"],
        "period_start": target["period_start"], "period_end": target["period_end"],
        "value": number(target["value"]), "source_id": target["source_id"],
        "note": bilingual(target, "note"),
    } for target in m.targets.get(indicator, [])]
    # the international series it is, each with the document that states it (never without)
    doc["international"] = [{"scheme": x["scheme"], "code": x["code"],
                             "source": {"title": x["source_title"], "url": x["source_url"]}}
                            for x in ind["international"]]
    return doc


def indicator_detail(m, indicator: str, cited: list[str] | None = None, added: tuple[str, ...] = ()) -> dict:
    """Everything about one indicator: names, definition, unit, breakdowns, sources, targets,
    licence and how to cite it.

    cited: the sources of the figures a download holds (default: of every figure of the
    indicator); then come the sources of its targets and of the targets of the `added`
    indicators."""
    doc = _about(m, indicator)
    cited = list(m.coverage.get(indicator, {}).get("sources", ()) if cited is None else cited)
    for target in (tg for i in (indicator, *added) for tg in m.targets.get(i, [])):
        if target["source_id"] not in cited:
            cited.append(target["source_id"])
    doc["sources"] = [source(m, s) for s in cited if s in m.sources]
    doc["licence"] = licence(m)
    doc["build"] = build_info(m)
    doc["cite"] = citation(m, indicator, [s for s in cited if s in m.sources])
    return doc


def sources_cited(m, rows) -> list[str]:
    """The sources a selection's figures cite: from the catalogue for full series, else queried."""
    if not rows.full:
        return sources_of(m, rows)
    return list(dict.fromkeys(s for i in rows.indicators for s in m.coverage.get(i, {}).get("sources", ())))


def download_detail(m, indicator: str, rows) -> dict:
    """The metadata of a download (/data/<indicator>.json, and the JSON in its ZIP): the
    indicator, what the download holds (its parameters, its number of figures, only the
    sources they cite) and, when `with` added indicators, each of them in full."""
    args = rows.download_args(indicator)
    added = tuple(i for i in rows.indicators if i != indicator)
    doc = indicator_detail(m, indicator, sources_cited(m, rows), added)
    figures = (sum(m.coverage.get(i, {}).get("observations", 0) for i in rows.indicators) if rows.full
               else count(m, rows))
    doc["view"] = {"parameters": args, "observations": figures, "full_series": rows.full}
    doc["links"] = links(indicator, args)
    if added:
        doc["with"] = [_about(m, i) for i in added]
    return doc


def citation(m, indicator: str, sources: list[str]) -> dict:
    """How to cite an indicator, in each language: its name, the sources, the platform, the
    build's date and the licence."""
    ind = m.indicators[indicator]
    out = {}
    for lang in LANGS:
        pubs = [f"{m.sources[s][f'publisher_{lang}']}: {m.sources[s][f'title_{lang}']}"
                f" ({m.sources[s]['published'] or t('not_stated', lang)})" for s in sources]
        out[lang] = (f"{ind[f'name_{lang}']}. {semicolon(lang).join(pubs)}. {t('file_title', lang)}{separator(lang)}"
                     f"{releases.edition(lang, m.build_id)}, {m.built_at:%Y-%m-%d} ({m.licence['id']}).")
    return out


def geography(m, code: str) -> dict:
    g = m.geographies[code]
    return {
        "code": code, "level": g["level"], "country": g["country"], "parent": g["parent"],
        "name": bilingual(g, "name"), "aliases": list(g["aliases"]),
        "map_file": g["map_file"], "map_within": g["map_within"],
        "observations": m.geo_counts.get(code, 0),
    }


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


# -- releases and the calendar ----------------------------------------------------------------

def release(r: dict, zone: str, access) -> dict:
    """A release as the API gives it: when it went public (in UTC and the publisher's time),
    its note in both languages (ar null for a release made before notes had both), what it
    changed, and who saw it before publication (`access`: store/prerelease.py; null for a
    release whose time has not come)."""
    public_at = r["public_at"].replace(tzinfo=timezone.utc)
    return {"release_id": r["release_id"], "public_at": public_at.isoformat(),
            "public_at_local": public_at.astimezone(ZoneInfo(zone)).isoformat(), "timezone": zone,
            "note": {"ar": r["note_ar"], "en": r["note"]}, "released_by": r["released_by"],
            "changes": {c: int(r[c] or 0) for c in CHANGES},
            "scheduled_at": r["scheduled_at"].replace(tzinfo=timezone.utc).isoformat(),
            "entry_sha256": r["entry_sha256"], "previous_sha256": r["previous_sha256"], "signed": bool(r["signed"]),
            "figures_sha256": r["figures_sha256"], "catalogue_sha256": r["catalogue_sha256"],
            "reasons_sha256": r["reasons_sha256"],
            "pre_release_access": access.document() if access else None,
            "links": {"changes": f"/api/v1/releases/{r['release_id']}/changes",
                      "observations": f"/api/v1/observations?as_of={r['release_id']}",
                      "figures": f"/data/releases/{r['release_id']}/observations.parquet",
                      "catalogue": f"/data/releases/{r['release_id']}/indicators.yaml",
                      **({"reasons": f"/data/releases/{r['release_id']}/reasons.json"} if r["reasons_sha256"] else {})}}


def amendment(a: dict) -> dict:
    """A release cancelled or given another public time before it was public, and why."""
    return {"release_id": a["release_id"], "action": a["action"], "reason": a["reason"], "by": a["by"],
            "created_at": a["created_at"].replace(tzinfo=timezone.utc).isoformat(),
            "public_at": a["public_at"].replace(tzinfo=timezone.utc).isoformat() if a["public_at"] else None,
            "entry_sha256": a["entry_sha256"]}


def change(r: dict, m) -> dict:
    """A changed figure: what it is, its value, status and source before and after, and why
    the release changed it (kind and reason in both languages; None when it gave none)."""
    return {"change": r["change"], "indicator_id": r["indicator_id"], "geo_code": r["geo_code"], "period": r["period"],
            "breakdown": {d: r[d] for d in m.dimension_columns if r.get(d) is not None},
            "old": {"value": r["old_value"], "status": r["old_status"], "source_id": r["old_source_id"]},
            "new": {"value": r["new_value"], "status": r["new_status"], "source_id": r["new_source_id"]},
            "reason": {"kind": r["revision_kind"], "ar": r["revision_reason_ar"], "en": r["revision_reason_en"]}
            if r.get("revision_kind") else None}


def upcoming(e: dict) -> dict:
    """An announced release: its name (kept when it moves), day, what, languages, state, number
    of changes, the latest change (day, what it changed, why) and the day it last moved from."""
    latest = {"on": e["changed_on"].isoformat(), "changed": e["changed"],
              "reason": {"ar": e["reason_ar"], "en": e["reason_en"]}} if e["changed"] else None
    moved = {"from": e["moved_from"].isoformat(), "reason": {"ar": e["move_reason_ar"], "en": e["move_reason_en"]}} \
        if e["moved_from"] is not None else None
    return {"id": e["calendar_id"], "expected_on": e["expected_on"].isoformat(),
            "title": {"ar": e["title_ar"], "en": e["title_en"]},
            "indicators": list(e["indicators"] or []), "languages": list(e["languages"] or []),
            "state": e["state"], "sequence": int(e["sequence"]), "latest_change": latest, "moved": moved}
