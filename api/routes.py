"""Routes: the stable download addresses (/data/…) and the read-only HTTP API (/api/v1/…).

Downloads (what a "view" is: store/view.py; `with` adds other indicators' figures):
  /data/<indicator>.csv   ?geo&from&to&breakdown&with&lang&labels&bom   the full series, or the view
  /data/<indicator>.xlsx  ?geo&from&to&breakdown&with&lang&labels
  /data/<indicator>.json  ?geo&from&to&breakdown&with&lang&labels       metadata (bilingual)
  /data/<indicator>.zip   ?geo&from&to&breakdown&with&lang&labels&bom   CSV + metadata + README
  /data/place/<geo>.csv ?lang&labels&bom · /data/place/<geo>.xlsx ?lang&labels
                          every figure of one place, every breakdown (= the API's geo=<geo>&breakdown=all)
  /data/all.csv ?lang&labels&bom · /data/all.xlsx ?lang&labels · /data/all.parquet
  /data/datapackage.json (+ /data/package/<table>.csv) · /data/datapackage.zip
Defaults for downloads: lang=ar, labels=both, bom=true (Excel reads Arabic correctly).

API (JSON by default, CSV with format=csv; labels=codes, lang=ar, bom=false by default):
  /api/v1/indicators ?topic&country&format · /api/v1/indicators/<id>
  /api/v1/observations ?indicator&geo&from&to&breakdown&format&lang&labels&bom&limit&offset
  /api/v1/geographies ?country&level&format · /api/v1/sources ?country&format
  /api/v1/releases ?format · /api/v1/releases/<id>/changes ?format · /releases.ics ?lang
  /data/releases.json   the published chain of releases (the manifest's entries, as written)
  /data/releases/<id>/observations.parquet|indicators.yaml   a release's own files, as released
  /api/v1/frameworks ?country&format   results frameworks and targets (the Framework page's numbers)
  /api/v1/openapi.json
Feeds and discovery (api/feeds.py, api/discovery.py):
  /releases.atom ?lang   the public releases as an Atom feed (newest first)
  /data/<indicator>.atom ?lang   the releases that changed an indicator, with its latest figures as
                          each published them (under /data/: one more file of the indicator, beside its .csv)
  /sitemap.xml   every public page in both languages (hreflang alternates) · /robots.txt
SDMX (api/sdmx/routes.py): /sdmx/dataflow|datastructure|codelist|conceptscheme/…, /sdmx/data/{flow}/{key}
Catalogue for harvesters (api/catalog.py):
  /catalog.jsonld   DCAT-AP 3 (+ StatDCAT-AP) in JSON-LD: the site, one dataset per indicator, its files
Every address also takes as_of (a day, YYYY-MM-DD, or a release id): the figures as that
release published them (store/releases.py).
"""
from __future__ import annotations

import functools
import logging
from dataclasses import replace
from urllib.parse import urlencode

import pandas as pd
from flask import Blueprint, Response, request, send_file

from store import prerelease, releases
from store.address import public_base
from store.catalogue import meta
from store.database import DatabaseMissing, SchemaError
from store.framework import plan
from store.database import releases as releases_folder
from store.queries import amendment_list, calendar_from, count, release_changes, release_list, select
from store.texts import UnknownLanguage, t
from store.view import VIEW_PARAMS, ParamError, indicator_id, indicator_ids, parse_download, parse_rows

from . import catalog, dataset, discovery, documents, feeds, frameworks, jsonstat, kept, openapi, params
from .calendar import calendar_feed
from .formats import Columns, csv_bytes, dumps, json_records, row_count, zip_bytes
from .http import error, finish, fresh, from_param_error, language_error
from .readme import readme, view_text
from .sdmx import answers as sdmx_answers, structure as sdmx_structure
from .shape import LABEL_MODES, shape
from .xlsx import EXCEL_MAX_ROWS, indicator_workbook, place_workbook

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
            except (DatabaseMissing, SchemaError) as exc:
                return error(503, "no_database", str(exc))
            try:
                return view(m, **kwargs)
            except ParamError as exc:
                return from_param_error(exc)
            except UnknownLanguage as exc:
                return language_error(exc)
            except Exception:  # noqa: BLE001 - the answer must stay JSON
                log.exception("error answering %s", request.full_path)
                return error(500, "internal_error", "the server could not answer this request; it has been logged")
        bp.add_url_rule(rule, view.__name__, handler, methods=[*ALL_METHODS, "OPTIONS"],
                        provide_automatic_options=False)
        return handler
    return wrap


def _fresh(m) -> tuple[str, Response | None]:
    """The validator of an answer that depends on the build `m` alone (and the address)."""
    return fresh(m.version, m.built_at)


# -- per-indicator downloads --------------------------------------------------------------------

@endpoint("/data/<indicator>.<any(csv, xlsx, json, zip):ext>")
def data_indicator(m, indicator, ext):
    ind = indicator_id(indicator, m)
    args = request.args
    params.check_known(args, (*VIEW_PARAMS, "with", "lang", "labels", *(("bom",) if ext in ("csv", "zip") else ())))
    lang = params.language(args)
    labels = params.choice(args, "labels", LABEL_MODES, "both")
    bom = params.flag(args, "bom", True)
    rows = parse_download(args, m, ind)
    etag, cached = _fresh(m)
    if cached:
        return cached
    if ext == "json":
        return finish(Response(dumps(documents.download_detail(m, ind, rows)), mimetype="application/json"), etag,
                      m.built_at)
    raw = select(m, rows)
    table, codes = shape(raw, m, labels, lang, text_values=ext != "xlsx")
    if ext == "csv":
        return finish(Response(csv_bytes(table, bom), mimetype=CSV_TYPE), etag, m.built_at, f"{ind}.csv")
    if ext == "xlsx":
        _fits_excel(table, f"narrow the view (geo, from, to, breakdown) or download /data/{ind}.csv")
        data = indicator_workbook(pd.DataFrame(table), codes, _decimals(m, raw), m, rows.indicators, lang,
                                  view_text(m, rows, ind, lang, t("file_full", lang)), documents.sources_cited(m, rows))
        return finish(Response(data, mimetype=XLSX_TYPE), etag, m.built_at, f"{ind}.xlsx")
    doc = documents.download_detail(m, ind, rows)
    members = {
        f"{ind}.csv": csv_bytes(table, bom),
        f"{ind}.json": dumps(doc),
        "README.md": readme(m, ind, rows, doc, labels, lang, bom).encode("utf-8"),
    }
    return finish(Response(zip_bytes(members, m.built_at), mimetype="application/zip"), etag, m.built_at, f"{ind}.zip")


def _fits_excel(table: Columns, instead: str) -> None:
    """Rows that would not fit on one sheet below a workbook's heading rows are a 400 that says
    what to download `instead`, not a broken file."""
    if row_count(table) + 8 > EXCEL_MAX_ROWS:
        raise ParamError(None, f"{row_count(table):,} rows do not fit on an Excel sheet (1,048,576 rows); {instead} "
                         "or /data/all.parquet", code="too_large_for_excel")


def _decimals(m, raw: Columns) -> list[int]:
    """The catalogue's decimals of each row, which a workbook's number formats show."""
    return [m.indicators[i]["decimals"] for i in raw["indicator_id"]]


@endpoint("/data/place/<geo>.<any(csv, xlsx):ext>")
def data_place(m, geo, ext):
    """Every figure of one place, every indicator, with every breakdown: the rows of
    /api/v1/observations?geo=<geo>&breakdown=all, as a file (Governorates and the Data page
    link to it). Unpaged, and with the downloads' defaults (labels=both, bom=true)."""
    args = request.args
    params.check_known(args, ("lang", "labels", *(("bom",) if ext == "csv" else ())))
    lang = params.language(args)
    labels = params.choice(args, "labels", LABEL_MODES, "both")
    bom = params.flag(args, "bom", True)
    rows = parse_rows({"geo": geo, "breakdown": "all"}, m, [])
    etag, cached = _fresh(m)
    if cached:
        return cached
    raw = select(m, rows)
    table, codes = shape(raw, m, labels, lang, text_values=ext == "csv")
    if ext == "csv":
        return _csv(m, table, etag, f"{geo}.csv", bom)
    _fits_excel(table, f"download /data/place/{geo}.csv")
    data = place_workbook(pd.DataFrame(table), codes, _decimals(m, raw), m, geo,
                          tuple(dict.fromkeys(raw["indicator_id"])), lang, view_text(m, rows, "", lang, ""),
                          documents.sources_cited(m, rows))
    return finish(Response(data, mimetype=XLSX_TYPE), etag, m.built_at, f"{geo}.xlsx")


# -- whole dataset ------------------------------------------------------------------------------

def _send_file(m, make_path, mimetype: str, filename: str | None, compressible: bool = False) -> Response:
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
    resp = send_file(path, mimetype=mimetype, conditional=False, etag=False)
    return finish(resp, etag, m.built_at, filename)


@endpoint("/data/all.csv")
def all_csv(m):
    params.check_known(request.args, ("lang", "labels", "bom"))
    lang = params.language(request.args)
    labels = params.choice(request.args, "labels", LABEL_MODES, "both")
    bom = params.flag(request.args, "bom", True)
    return _send_file(m, lambda: dataset.csv_file(m, labels, lang, bom), "text/csv",
                      "social-protection-indicators.csv", compressible=True)


@endpoint("/data/all.xlsx")
def all_xlsx(m):
    params.check_known(request.args, ("lang", "labels"))
    lang = params.language(request.args)
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
                 ".json|.zip; per place: /data/place/<geo>.csv|.xlsx; whole dataset: /data/all.csv|.xlsx|.parquet, "
                 "/data/datapackage.json")


# -- API ------------------------------------------------------------------------------------------

def _api_format(allowed_extra: tuple[str, ...]) -> str:
    params.check_known(request.args, (*allowed_extra, "format"))
    return params.choice(request.args, "format", ("json", "csv"), "json")


def _optional_choice(name: str, options) -> str | None:
    """A filter parameter: one of `options`, or None when it is not given."""
    return params.choice(request.args, name, tuple(options), "") if name in request.args else None


def _json(m, body: dict, etag: str) -> Response:
    return finish(Response(dumps(body), mimetype="application/json"), etag, m.built_at)


def _csv(m, table: Columns, etag: str, filename: str, bom: bool = False) -> Response:
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
                      "/api/v1/geographies", "/api/v1/sources", "/api/v1/frameworks", "/api/v1/openapi.json"],
    }, etag)


@endpoint("/api/v1/indicators")
def api_indicators(m):
    fmt = _api_format(("topic", "country"))
    topic = _optional_choice("topic", m.topics)
    country = _optional_choice("country", m.countries)
    etag, cached = _fresh(m)
    if cached:
        return cached
    data = [documents.indicator_summary(m, i) for i, r in m.indicators.items()
            if topic in (None, r["topic"]) and country in (None, r["country"])]
    if fmt == "csv":
        return _csv(m, documents.flat(data), etag, "indicators.csv")
    return _json(m, {"build": documents.build_info(m), "licence": documents.licence(m), "count": len(data),
                     "data": data}, etag)


@endpoint("/api/v1/indicators/<indicator>")
def api_indicator(m, indicator):
    ind = indicator_id(indicator, m)
    params.check_known(request.args, ())
    etag, cached = _fresh(m)
    if cached:
        return cached
    return _json(m, documents.indicator_detail(m, ind), etag)


@endpoint("/api/v1/observations")
def api_observations(m):
    args = request.args
    params.check_known(args, ("indicator", *VIEW_PARAMS, "format", "lang", "labels", "bom", "limit", "offset"))
    fmt = params.choice(args, "format", ("json", "csv", "jsonstat", *sdmx_answers.FORMATS), "json")
    lang = params.language(args)
    labels = params.choice(args, "labels", LABEL_MODES, "codes")
    bom = params.flag(args, "bom", False)
    limit = params.integer(args, "limit", params.DEFAULT_LIMIT, 1, params.MAX_LIMIT)
    offset = params.integer(args, "offset", 0, 0, params.MAX_OFFSET)
    ids = indicator_ids(args.get("indicator"), m)
    rows = parse_rows(args, m, ids)
    etag, cached = _fresh(m)
    if cached:
        return cached
    if fmt == "jsonstat":   # a cube is the whole selection: unpaged (api/jsonstat.py), kept (api/kept.py)
        return kept.served(etag, lambda: Response(dumps(jsonstat.dataset(select(m, rows), m, lang)),
                                                  mimetype="application/json"),
                           lambda resp: finish(resp, etag, m.built_at))
    if fmt in sdmx_answers.FORMATS:   # unpaged, as the /sdmx/data answer of the same figures (api/sdmx/)
        return _sdmx_observations(m, rows, fmt, labels, lang, etag)
    table, codes = shape(select(m, rows, limit, offset), m, labels, lang, text_values=fmt == "csv")
    # The page tells the total when it is not the whole answer; otherwise count it.
    n = row_count(table)
    total = offset + n if (n < limit and (n or offset == 0)) else count(m, rows)
    nxt = None
    if offset + n < total:
        q = {k: args[k] for k in args}
        q["offset"] = str(offset + limit)
        nxt = f"/api/v1/observations?{urlencode(q)}"
    # A view's breakdown defaults to the totals: say so, and how to get the rest, rather than
    # let "all figures of a place" silently be its totals.
    more = None
    if not rows.full and "breakdown" not in args:
        every = replace(rows, breakdowns=("all",))
        extra = count(m, every) - total
        if extra > 0:
            q = {k: args[k] for k in args if k != "offset"}
            more = {"figures": extra, "link": f"/api/v1/observations?{urlencode({**q, 'breakdown': 'all'})}"}
    if fmt == "csv":
        resp = _csv(m, table, etag, "observations.csv", bom)
        resp.headers["X-Total-Count"] = str(total)
        links = [f'<{nxt}>; rel="next"'] if nxt else []
        if more:
            links.append(f'<{more["link"]}>; rel="alternate"; title="breakdown=all: {more["figures"]} more figures"')
            resp.headers["X-Breakdowns-Left-Out"] = str(more["figures"])
        if links:
            resp.headers["Link"] = ", ".join(links)
        return resp
    query = {"indicator": ids, **rows.args(), "format": fmt, "lang": lang, "labels": labels,
             "limit": limit, "offset": offset}
    return _json(m, {
        "build": documents.build_info(m), "licence": documents.licence(m), "query": query,
        "full_series": rows.full, "total": total, "limit": limit, "offset": offset, "count": n,
        "links": {"self": request.full_path.rstrip("?"), "next": nxt, **({"all_breakdowns": more["link"]} if more else {})},
        **({"note": f"totals only (breakdown=total, the default of a view); {more['figures']} more figures by breakdown: "
                    "add breakdown=all"} if more else {}),
        "data": json_records(table, codes),
    }, etag)


def _sdmx_observations(m, rows, fmt: str, labels: str, lang: str, etag: str) -> Response:
    """The selection as SDMX-CSV or SDMX-JSON (labels=both gives "code: name"); SDMX-style 4xx."""
    try:
        return kept.served(etag, lambda: sdmx_answers.answer(m, sdmx_structure.flow_of(m), select(m, rows), fmt,
                                                             "both" if labels == "both" else "id", lang,
                                                             sdmx_structure.TIME),
                           lambda resp: finish(resp, etag, m.built_at))
    except ParamError as exc:
        return sdmx_answers.sdmx_error(exc)


@endpoint("/api/v1/geographies")
def api_geographies(m):
    fmt = _api_format(("country", "level"))
    country = _optional_choice("country", m.countries)
    level = _optional_choice("level", dict.fromkeys(g["level"] for g in m.geographies.values()))
    etag, cached = _fresh(m)
    if cached:
        return cached
    data = [documents.geography(m, c) for c, g in m.geographies.items()
            if country in (None, g["country"]) and level in (None, g["level"])]
    if fmt == "csv":
        return _csv(m, documents.flat(data), etag, "geographies.csv")
    return _json(m, {"build": documents.build_info(m), "count": len(data), "data": data}, etag)


@endpoint("/api/v1/sources")
def api_sources(m):
    fmt = _api_format(("country",))
    country = _optional_choice("country", m.countries)
    etag, cached = _fresh(m)
    if cached:
        return cached
    cited_by = documents.cited_by(m)
    data = [{**documents.source(m, s), "indicators": cited_by.get(s, [])} for s, r in m.sources.items()
            if country in (None, r["country"])]
    if fmt == "csv":
        return _csv(m, documents.flat(data), etag, "sources.csv")
    return _json(m, {"build": documents.build_info(m), "licence": documents.licence(m), "count": len(data),
                     "data": data}, etag)


@endpoint("/api/v1/releases")
def api_releases(m):
    """Every release up to the one read (newest first), and the releases announced."""
    fmt = _api_format(())
    today = releases.today(m.timezone)
    now = releases.now()
    data = [documents.release(r, m.timezone,
                              prerelease.access(r["release_id"], r["public_at"], now, build_id=r["build_id"]))
            for r in reversed(release_list())]
    # the announced releases end with the day; the lists of pre-release access come from the
    # audit log: the validator takes them in (what they say, never the log's size, which would
    # tell of reviewers at work), and If-Modified-Since is not honoured (a list unavailable a
    # moment ago may be read now)
    etag, cached = fresh(f"{m.version}-{today}-{[r['pre_release_access'] for r in data]}")
    if cached:
        return cached
    if fmt == "csv":
        return _csv(m, documents.flat(data), etag, "releases.csv")
    return _json(m, {"build": documents.build_info(m), "count": len(data), "data": data,
                     "amendments": [documents.amendment(a) for a in amendment_list()],
                     "chain": "/data/releases.json",
                     "upcoming": [documents.upcoming(e) for e in calendar_from(m, today)]}, etag)


@endpoint("/data/releases.json")
def data_releases(m):
    """The published chain: the releases manifest's entries as they were written, up to the
    latest release public now (a reviewer's: all), so that anyone can check each entry commits
    to the one before it, and each release's files against the hashes its entry records
    (contract/manifest.py says how)."""
    params.check_known(request.args, ())
    served = releases_folder()
    if served is None:
        return error(404, "no_releases", "this site serves one build, not releases")
    choice = releases.current()
    entries = served.chain(choice.reviewer if choice else None)
    etag, cached = fresh(f"{m.version}-{len(entries)}-{entries[-1].get('created_at') if entries else ''}")
    if cached:
        return cached
    return finish(Response(dumps({"releases": entries}), mimetype="application/json"), etag, None)


@endpoint("/data/releases/<release_id>/<any(observations.parquet, indicators.yaml, reasons.json):name>")
def data_release_file(m, release_id, name):
    """A release's own file, byte for byte as released: its SHA-256 is the one its entry records."""
    params.check_known(request.args, ())
    served = releases_folder()
    choice = releases.current()
    folder = served.files(release_id, choice.reviewer if choice else None) if served is not None else None
    if folder is not None and name == "reasons.json" and not (folder / name).is_file():
        return error(404, "no_reasons", f"release {release_id} gave no reasons for its revisions (its entry in "
                                        "/data/releases.json has no reasons_sha256)")
    if folder is None or not (folder / name).is_file():
        return error(404, "unknown_release", f"no release {release_id[:60]!r} is public; see /data/releases.json")
    etag, cached = fresh(f"{release_id}-{name}")
    if cached:
        return cached
    mimetype = {"parquet": "application/vnd.apache.parquet", "yaml": "application/yaml",
                "json": "application/json"}[name.rsplit(".", 1)[1]]
    resp = send_file(folder / name, mimetype=mimetype, conditional=False, etag=False)
    return finish(resp, etag, None, f"{release_id}-{name}")


@endpoint("/api/v1/releases/<release_id>/changes")
def api_release_changes(m, release_id):
    fmt = _api_format(())
    if release_id not in {r["release_id"] for r in release_list()}:
        return error(404, "unknown_release", f"no release {release_id[:60]!r}; see /api/v1/releases")
    etag, cached = _fresh(m)
    if cached:
        return cached
    data = [documents.change(r, m) for r in release_changes(m, release_id)]
    if fmt == "csv":
        return _csv(m, documents.flat(data), etag, f"changes-{release_id}.csv")
    return _json(m, {"release_id": release_id, "count": len(data), "data": data}, etag)


@endpoint("/api/v1/frameworks")
def api_frameworks(m):
    """Results frameworks and targets, per country (store.framework.plan, as the Framework page)."""
    fmt = _api_format(("country",))
    country = _optional_choice("country", m.countries)
    etag, cached = _fresh(m)
    if cached:
        return cached
    plans = [plan(m, c) for c in ([country] if country else m.countries)]
    if fmt == "csv":
        return _csv(m, frameworks.table(m, plans), etag, "frameworks.csv")
    return _json(m, {"build": documents.build_info(m), "licence": documents.licence(m), "count": len(plans),
                     "data": [frameworks.document(m, p) for p in plans]}, etag)


@endpoint("/releases.ics")
def releases_ics(m):
    """The announced releases as an iCalendar feed a journalist can subscribe to."""
    params.check_known(request.args, ("lang",))
    lang = params.language(request.args)
    today = releases.today(m.timezone)
    etag, cached = fresh(f"{m.version}-{today}-{lang}", m.built_at)
    if cached:
        return cached
    return finish(Response(calendar_feed(m, calendar_from(m, today), lang, public_base(request.host_url)), mimetype="text/calendar"),
                  etag, m.built_at, "releases.ics")


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


# -- feeds and discovery (api/feeds.py, api/discovery.py) -------------------------------------------

def _feed_answer(m, make) -> Response:
    """An Atom feed in `lang`: its validator from the release read, the language and the public
    address its links start with (a feed names no day: a release going live changes the build read)."""
    params.check_known(request.args, ("lang",))
    lang = params.language(request.args)
    base = public_base(request.host_url)
    etag, cached = fresh(f"{m.version}-{lang}-{base}", m.built_at)
    if cached:
        return cached
    return finish(Response(make(lang, base), mimetype=feeds.MEDIA_TYPE), etag, m.built_at)


@endpoint("/releases.atom")
def releases_atom(m):
    """The public releases as an Atom feed (newest first), in the language asked for."""
    return _feed_answer(m, lambda lang, base: feeds.releases_feed(m, release_list(), lang, base))


@endpoint("/data/<indicator>.atom")
def data_indicator_atom(m, indicator):
    """The releases that changed an indicator's figures, each with its latest figures as published then."""
    ind = indicator_id(indicator, m)
    return _feed_answer(m, lambda lang, base: feeds.indicator_feed(m, ind, release_list(), lang, base))


@endpoint("/sitemap.xml")
def sitemap_xml(m):
    """Every public page in both languages, for search engines (api/discovery.py)."""
    params.check_known(request.args, ())
    base = public_base(request.host_url)
    etag, cached = fresh(f"{m.version}-{base}", m.built_at)
    if cached:
        return cached
    return finish(Response(discovery.sitemap(m, release_list(), base), mimetype="application/xml"), etag, m.built_at)


@endpoint("/robots.txt")
def robots_txt(m):
    """What crawlers may read, and where the sitemap is (api/discovery.py)."""
    params.check_known(request.args, ())
    base = public_base(request.host_url)
    etag, cached = fresh(base, m.built_at)
    if cached:
        return cached
    return finish(Response(discovery.robots(base), mimetype="text/plain"), etag, m.built_at)


# -- the catalogue for harvesters (api/catalog.py) ------------------------------------------------

@endpoint("/catalog.jsonld")
def catalog_jsonld(m):
    """The site's datasets and their files as DCAT-AP 3 in JSON-LD, for open data portals."""
    params.check_known(request.args, ())
    base = public_base(request.host_url)
    etag, cached = fresh(f"{m.version}-{base}", m.built_at)
    if cached:
        return cached
    return finish(Response(catalog.catalogue_bytes(m, base), mimetype=catalog.MEDIA_TYPE), etag, m.built_at)
