"""Routes: the stable download addresses (/data/…) and the read-only HTTP API (/api/v1/…).

Downloads (see api/params.py for what a "view" is):
  /data/<indicator>.csv   ?geo&from&to&breakdown&lang&labels&bom   the full series, or the view
  /data/<indicator>.xlsx  ?geo&from&to&breakdown&lang&labels
  /data/<indicator>.json  ?geo&from&to&breakdown                   metadata (bilingual)
  /data/<indicator>.zip   ?geo&from&to&breakdown&lang&labels&bom   CSV + metadata + README
  /data/all.csv ?lang&labels&bom · /data/all.xlsx ?lang&labels · /data/all.parquet
  /data/datapackage.json (+ /data/package/<table>.csv) · /data/datapackage.zip
Defaults for downloads: lang=ar, labels=both, bom=true (Excel reads Arabic correctly).

API (JSON by default, CSV with format=csv; labels=codes, lang=ar, bom=false by default):
  /api/v1/indicators ?topic&country&format · /api/v1/indicators/<id>
  /api/v1/observations ?indicator&geo&from&to&breakdown&format&lang&labels&bom&limit&offset
  /api/v1/geographies ?country&level&format · /api/v1/sources ?country&format
  /api/v1/openapi.json
"""
from __future__ import annotations

import functools
import logging
from urllib.parse import urlencode

import pandas as pd
from flask import Blueprint, Response, request, send_file

from . import dataset, documents, openapi, params
from .formats import Columns, csv_bytes, dumps, json_records, row_count, zip_bytes
from .http import error, etag_for, finish, from_param_error, not_modified
from .meta import LANGS, Meta, meta
from .params import VIEW_PARAMS, ParamError, View
from .queries import LABEL_MODES, count, observations
from .xlsx import EXCEL_MAX_ROWS, indicator_workbook

log = logging.getLogger(__name__)
bp = Blueprint("opendata", __name__)
ALL_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "TRACE"]
ALLOW = "GET, HEAD, OPTIONS"
CSV_TYPE = "text/csv"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def endpoint(rule: str):
    """Register a read-only route: other methods get 405 JSON; errors become 4xx JSON, never a 500 page."""
    def wrap(view):
        @functools.wraps(view)
        def handler(**kwargs):
            if request.method == "OPTIONS":
                return Response(status=204, headers={"Allow": ALLOW})
            if request.method not in ("GET", "HEAD"):
                return error(405, "method_not_allowed", f"{request.method} is not allowed here; this is a read-only "
                             f"address ({ALLOW})", headers={"Allow": ALLOW})
            try:
                m = meta()
            except FileNotFoundError as exc:
                return error(503, "no_database", str(exc))
            try:
                return view(m, **kwargs)
            except ParamError as exc:
                return from_param_error(exc)
            except Exception:  # noqa: BLE001 - the answer must stay JSON
                log.exception("error answering %s", request.full_path)
                return error(500, "internal_error", "the server could not answer this request; it has been logged")
        bp.add_url_rule(rule, view.__name__, handler, methods=[*ALL_METHODS, "OPTIONS"],
                        provide_automatic_options=False)
        return handler
    return wrap


def _fresh(m: Meta) -> tuple[str, Response | None]:
    etag = etag_for(m.version)
    return etag, not_modified(etag, m.built_at)


def _download_options(m: Meta, ext: str) -> tuple[str, str, bool]:
    allowed = (*VIEW_PARAMS, "lang", "labels") + (("bom",) if ext in ("csv", "zip") else ())
    params.check_known(request.args, allowed)
    lang = params.choice(request.args, "lang", LANGS, "ar")
    labels = params.choice(request.args, "labels", LABEL_MODES, "both")
    bom = params.flag(request.args, "bom", True)
    return lang, labels, bom


# -- per-indicator downloads --------------------------------------------------------------------

def _indicator_download(m: Meta, indicator: str, ext: str) -> Response:
    ind = params.indicator_id(indicator, m)
    lang, labels, bom = _download_options(m, ext)
    v = params.view(request.args, m, [ind])
    etag, cached = _fresh(m)
    if cached:
        return cached
    if ext == "json":
        return finish(Response(dumps(_indicator_json(m, ind, v)), mimetype="application/json"), etag, m.built_at)
    table, codes = observations(m, v, labels, lang, text_values=ext != "xlsx")
    if ext == "csv":
        return finish(Response(csv_bytes(table, bom), mimetype=CSV_TYPE), etag, m.built_at, f"{ind}.csv")
    if ext == "xlsx":
        if row_count(table) + 8 > EXCEL_MAX_ROWS:
            raise ParamError(None, f"{row_count(table):,} rows do not fit on an Excel sheet (1,048,576 rows); narrow the view "
                             f"(geo, from, to, breakdown) or download /data/{ind}.csv or /data/all.parquet",
                             code="too_large_for_excel")
        data = indicator_workbook(pd.DataFrame(table), codes, m, ind, lang, view_text(m, v, lang),
                                  _sources(m, ind, v), _targets(m, ind))
        return finish(Response(data, mimetype=XLSX_TYPE), etag, m.built_at, f"{ind}.xlsx")
    meta_doc = _indicator_json(m, ind, v)
    members = {
        f"{ind}.csv": csv_bytes(table, bom),
        f"{ind}.json": dumps(meta_doc),
        "README.md": readme(m, ind, v, meta_doc, labels, lang, bom).encode("utf-8"),
    }
    return finish(Response(zip_bytes(members, m.built_at), mimetype="application/zip"), etag, m.built_at, f"{ind}.zip")


def _indicator_json(m: Meta, ind: str, v: View) -> dict:
    if v.full:
        return documents.indicator_detail(m, ind, view_args={}, view_rows=_coverage_rows(m, ind))
    cited = _view_sources(m, v)
    return documents.indicator_detail(m, ind, view_args=v.query_args(), view_sources=cited, view_rows=count(m, v))


def _coverage_rows(m: Meta, ind: str) -> int:
    return int(m.coverage.at[ind, "observations"]) if ind in m.coverage.index else 0


def _view_sources(m: Meta, v: View) -> list[str]:
    from .queries import where
    where_sql, p = where(m, v)
    found = m_query(f"SELECT DISTINCT o.source_id FROM observations o{where_sql} ORDER BY 1", p)
    return [str(s) for s in found["source_id"]]


def m_query(sql: str, p: list) -> pd.DataFrame:
    from dashboard.data import db
    return db().query(sql, p)


def _sources(m: Meta, ind: str, v: View) -> pd.DataFrame:
    ids = _view_sources(m, v) if not v.full else list(m.coverage.at[ind, "sources"]) if ind in m.coverage.index else []
    return m.sources.loc[[s for s in ids if s in m.sources.index]]


def _targets(m: Meta, ind: str) -> pd.DataFrame:
    return m.targets[m.targets["indicator_id"] == ind]


VIEW_WORDS = {
    "geo": {"ar": "النطاق الجغرافي", "en": "geography"}, "from": {"ar": "من", "en": "from"},
    "to": {"ar": "إلى", "en": "to"}, "breakdown": {"ar": "التصنيف", "en": "breakdown"},
    "total": {"ar": "المجموع", "en": "total"}, "all": {"ar": "المجموع وكل التصنيفات", "en": "total and every breakdown"},
    "every_geo": {"ar": "كل النطاقات", "en": "every geography"},
}


def view_text(m: Meta, v: View, lang: str) -> str | None:
    """The view in words, for the head of a workbook or README; None for the full series."""
    if v.full:
        return None
    w = lambda k: VIEW_WORDS[k][lang]  # noqa: E731
    geos = ", ".join(str(m.geographies.at[g, f"name_{lang}"]) for g in v.geos) if v.geos else w("every_geo")
    parts = [f"{w('geo')}: {geos}"]
    if v.period_from:
        parts.append(f"{w('from')} {v.period_from}")
    if v.period_to:
        parts.append(f"{w('to')} {v.period_to}")
    bd = [w(b) if b in ("total", "all") else m.dimension_names[b][lang] for b in v.breakdowns]
    parts.append(f"{w('breakdown')}: {', '.join(bd)}")
    return " · ".join(parts)


def readme(m: Meta, ind: str, v: View, doc: dict, labels: str, lang: str, bom: bool) -> str:
    """A short README for the ZIP, in Arabic and in English."""
    out = []
    for lg in ("ar", "en") if lang == "ar" else ("en", "ar"):
        unit = doc["unit"]["name"][lg] if doc["unit"]["name"] else doc["unit"]["id"]
        src = "\n".join(f"- {s['publisher'][lg]}: {s['title'][lg]} ({s['published'] or documents.UNSTATED[lg]})"
                        for s in doc["sources"])
        if lg == "ar":
            out.append(f"# {doc['name']['ar']}\n\n{doc['definition']['ar']}\n\n"
                       f"- الوحدة: {unit}\n- ما يشمله الملف: {view_text(m, v, 'ar') or 'السلسلة الكاملة'}\n"
                       f"- عدد الأرقام: {doc['view']['observations']}\n"
                       f"- {ind}.csv: البيانات (الترميز UTF-8{' مع علامة BOM ليقرأه Excel' if bom else ''}؛ "
                       f"التسميات: {labels})\n- {ind}.json: البيانات الوصفية (التعريف والوحدة والتصنيفات والمصادر والمستهدفات)\n\n"
                       f"## المصادر\n{src}\n\n## الترخيص والاستشهاد\n{m.licence.get('name')} ({m.licence.get('id')}).\n"
                       f"{doc['cite']['ar']}\n")
        else:
            out.append(f"# {doc['name']['en']}\n\n{doc['definition']['en']}\n\n"
                       f"- Unit: {unit}\n- What the file holds: {view_text(m, v, 'en') or 'the full series'}\n"
                       f"- Figures: {doc['view']['observations']}\n"
                       f"- {ind}.csv: the data (UTF-8{' with a byte-order mark so that Excel reads Arabic' if bom else ''}; "
                       f"labels: {labels})\n- {ind}.json: metadata (definition, unit, breakdowns, sources, targets)\n\n"
                       f"## Sources\n{src}\n\n## Licence and citation\n{m.licence.get('name')} ({m.licence.get('id')}).\n"
                       f"{doc['cite']['en']}\n")
    out.append(f"Build {m.build_id}, {m.built_at:%Y-%m-%d %H:%M} UTC. Every figure was published by the source "
               "named beside it; nothing is estimated or filled.\n")
    return "\n---\n\n".join(out)


@endpoint("/data/<indicator>.<any(csv, xlsx, json, zip):ext>")
def data_indicator(m, indicator, ext):
    return _indicator_download(m, indicator, ext)


# -- whole dataset ------------------------------------------------------------------------------

def _send_file(m: Meta, make_path, mimetype: str, filename: str | None, compressible: bool = False) -> Response:
    """A whole-dataset file: 304 when the client has this build's copy, else the file that
    `make_path()` makes (or finds in the per-build cache). Parameters are checked before."""
    etag, cached = _fresh(m)
    if cached:
        return cached
    path = make_path()
    if compressible and request.accept_encodings.quality("gzip") > 0:
        # Small enough to compress in memory? Large CSVs go uncompressed (streamed from disk).
        if path.stat().st_size <= 64 << 20:
            resp = Response(path.read_bytes(), mimetype=mimetype)
            return finish(resp, etag, m.built_at, filename)
    resp = send_file(path, mimetype=mimetype, conditional=False, etag=False, max_age=None)
    return finish(resp, etag, m.built_at, filename)


@endpoint("/data/all.csv")
def all_csv(m):
    params.check_known(request.args, ("lang", "labels", "bom"))
    lang = params.choice(request.args, "lang", LANGS, "ar")
    labels = params.choice(request.args, "labels", LABEL_MODES, "both")
    bom = params.flag(request.args, "bom", True)
    return _send_file(m, lambda: dataset.csv_file(m, labels, lang, bom), "text/csv",
                      "social-protection-indicators.csv", compressible=True)


@endpoint("/data/all.xlsx")
def all_xlsx(m):
    params.check_known(request.args, ("lang", "labels"))
    lang = params.choice(request.args, "lang", LANGS, "ar")
    labels = params.choice(request.args, "labels", LABEL_MODES, "both")
    return _send_file(m, lambda: dataset.xlsx_file(m, lang, labels), XLSX_TYPE,
                      f"social-protection-indicators-{lang}.xlsx")


@endpoint("/data/all.parquet")
def all_parquet(m):
    params.check_known(request.args, ())
    return _send_file(m, lambda: dataset.parquet_file(m), "application/vnd.apache.parquet",
                      "social-protection-indicators.parquet")


@endpoint("/data/datapackage.json")
def datapackage(m):
    params.check_known(request.args, ())
    return _send_file(m, lambda: dataset.package_dir(m) / "datapackage.json", "application/json", None,
                      compressible=True)


@endpoint("/data/package/<name>.csv")
def package_resource(m, name):
    params.check_known(request.args, ())
    tables = ("observations", *dataset.PACKAGE_TABLES)
    if name not in tables:
        raise ParamError("name", f"no resource {name[:60]!r} in the data package; resources: {', '.join(tables)}",
                         status=404, code="not_found")
    return _send_file(m, lambda: dataset.package_dir(m) / "package" / f"{name}.csv", "text/csv", f"{name}.csv",
                      compressible=True)


@endpoint("/data/datapackage.zip")
def datapackage_zip(m):
    params.check_known(request.args, ())
    return _send_file(m, lambda: dataset.package_zip(m), "application/zip",
                      "social-protection-indicators-datapackage.zip")


@endpoint("/data/<path:rest>")
def data_not_found(m, rest):
    return error(404, "not_found", f"no download at /data/{rest[:100]}; per indicator: /data/<indicator>.csv|.xlsx|"
                 ".json|.zip; whole dataset: /data/all.csv|.xlsx|.parquet, /data/datapackage.json")


# -- API ------------------------------------------------------------------------------------------

def _api_format(allowed_extra: tuple[str, ...]) -> str:
    params.check_known(request.args, (*allowed_extra, "format"))
    return params.choice(request.args, "format", ("json", "csv"), "json")


def _json(m: Meta, body: dict, etag: str) -> Response:
    return finish(Response(dumps(body), mimetype="application/json"), etag, m.built_at)


def _csv(m: Meta, table: Columns, etag: str, filename: str, bom: bool = False) -> Response:
    return finish(Response(csv_bytes(table, bom), mimetype=CSV_TYPE), etag, m.built_at, filename)


@endpoint("/api/v1/")
def api_index(m):
    params.check_known(request.args, ())
    etag, cached = _fresh(m)
    if cached:
        return cached
    return _json(m, {
        "name": "Social protection indicators API", "version": "v1", "build": documents.build_info(m),
        "licence": documents.licence(m), "documentation": "/api/v1/openapi.json",
        "endpoints": ["/api/v1/indicators", "/api/v1/indicators/{indicator}", "/api/v1/observations",
                      "/api/v1/geographies", "/api/v1/sources", "/api/v1/openapi.json"],
    }, etag)


@endpoint("/api/v1/indicators")
def api_indicators(m):
    fmt = _api_format(("topic", "country"))
    topic = params.choice(request.args, "topic", tuple(m.topics.index), "") if "topic" in request.args else None
    countries = tuple(m.geographies.index[m.geographies["level"] == "country"])
    country = params.choice(request.args, "country", countries, "") if "country" in request.args else None
    etag, cached = _fresh(m)
    if cached:
        return cached
    ind = m.indicators
    ids = [i for i in ind.index if (topic is None or ind.at[i, "topic"] == topic)
           and (country is None or ind.at[i, "country"] == country)]
    data = [documents.indicator_summary(m, i) for i in ids]
    if fmt == "csv":
        return _csv(m, documents.flat(data), etag, "indicators.csv")
    return _json(m, {"build": documents.build_info(m), "licence": documents.licence(m), "count": len(data),
                     "data": data}, etag)


@endpoint("/api/v1/indicators/<indicator>")
def api_indicator(m, indicator):
    ind = params.indicator_id(indicator, m)
    params.check_known(request.args, ())
    etag, cached = _fresh(m)
    if cached:
        return cached
    return _json(m, documents.indicator_detail(m, ind), etag)


@endpoint("/api/v1/observations")
def api_observations(m):
    args = request.args
    params.check_known(args, ("indicator", *VIEW_PARAMS, "format", "lang", "labels", "bom", "limit", "offset"))
    fmt = params.choice(args, "format", ("json", "csv"), "json")
    lang = params.choice(args, "lang", LANGS, "ar")
    labels = params.choice(args, "labels", LABEL_MODES, "codes")
    bom = params.flag(args, "bom", False)
    limit = params.integer(args, "limit", params.DEFAULT_LIMIT, 1, params.MAX_LIMIT)
    offset = params.integer(args, "offset", 0, 0, params.MAX_OFFSET)
    ids = params.indicator_ids(args.get("indicator"), m)
    v = params.view(args, m, ids)
    etag, cached = _fresh(m)
    if cached:
        return cached
    table, codes = observations(m, v, labels, lang, text_values=fmt == "csv", limit=limit, offset=offset)
    # The page tells the total when it is not the whole answer; otherwise count it.
    rows = row_count(table)
    total = offset + rows if (rows < limit and (rows or offset == 0)) else count(m, v)
    nxt = None
    if offset + rows < total:
        q = {k: args[k] for k in args}
        q["offset"] = str(offset + limit)
        nxt = f"/api/v1/observations?{urlencode(q)}"
    if fmt == "csv":
        resp = _csv(m, table, etag, "observations.csv", bom)
        resp.headers["X-Total-Count"] = str(total)
        if nxt:
            resp.headers["Link"] = f'<{nxt}>; rel="next"'
        return resp
    query = {"indicator": ids, **v.query_args(), "format": fmt, "lang": lang, "labels": labels,
             "limit": limit, "offset": offset}
    return _json(m, {
        "build": documents.build_info(m), "licence": documents.licence(m), "query": query,
        "full_series": v.full, "total": total, "limit": limit, "offset": offset, "count": rows,
        "links": {"self": request.full_path.rstrip("?"), "next": nxt},
        "data": json_records(table, codes),
    }, etag)


@endpoint("/api/v1/geographies")
def api_geographies(m):
    fmt = _api_format(("country", "level"))
    countries = tuple(m.geographies.index[m.geographies["level"] == "country"])
    country = params.choice(request.args, "country", countries, "") if "country" in request.args else None
    levels = tuple(dict.fromkeys(m.geographies["level"]))
    level = params.choice(request.args, "level", levels, "") if "level" in request.args else None
    etag, cached = _fresh(m)
    if cached:
        return cached
    counts = m_query("SELECT geo_code, count(*) AS n FROM observations GROUP BY geo_code", []) \
        .set_index("geo_code")["n"].to_dict()
    g = m.geographies
    codes = [c for c in g.index if (country is None or g.at[c, "country"] == country)
             and (level is None or g.at[c, "level"] == level)]
    data = [documents.geography(m, c, counts) for c in codes]
    if fmt == "csv":
        return _csv(m, documents.flat(data), etag, "geographies.csv")
    return _json(m, {"build": documents.build_info(m), "count": len(data), "data": data}, etag)


@endpoint("/api/v1/sources")
def api_sources(m):
    fmt = _api_format(("country",))
    countries = tuple(m.geographies.index[m.geographies["level"] == "country"])
    country = params.choice(request.args, "country", countries, "") if "country" in request.args else None
    etag, cached = _fresh(m)
    if cached:
        return cached
    used = m_query("SELECT source_id, list(DISTINCT indicator_id ORDER BY indicator_id) AS ids FROM observations "
                   "GROUP BY source_id", []).set_index("source_id")["ids"].to_dict()
    data = []
    for s in m.sources.index:
        if country is not None and m.sources.at[s, "country"] != country:
            continue
        doc = documents.source(m, s)
        doc["indicators"] = [str(i) for i in used.get(s, [])]
        data.append(doc)
    if fmt == "csv":
        return _csv(m, documents.flat(data), etag, "sources.csv")
    return _json(m, {"build": documents.build_info(m), "licence": documents.licence(m), "count": len(data),
                     "data": data}, etag)


@endpoint("/api/v1/openapi.json")
def api_openapi(m):
    params.check_known(request.args, ())
    etag, cached = _fresh(m)
    if cached:
        return cached
    return _json(m, openapi.document(m), etag)


@endpoint("/api/<path:rest>")
def api_not_found(m, rest):
    return error(404, "not_found", f"no API address /api/{rest[:100]}; see /api/v1/openapi.json")
