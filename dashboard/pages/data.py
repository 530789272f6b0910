"""The Data page (/data): every download, the CSV encodings for Excel, the Labels choice, and
the exact download and API addresses for a chosen view ("Developer API", as in the OECD
data explorer).

The page is a plain GET form: choosing an indicator, geography, periods, breakdown, labels
and encoding and pressing the button reloads /data with those parameters, so the page state
is in the URL (a permalink) and it works without JavaScript. Invalid parameters are replaced
by defaults with a notice in the page's language. The addresses themselves are served by
the `api` package (api/routes.py), which this page only describes.
"""
from __future__ import annotations

import functools
from urllib.parse import urlencode

import dash
import flask
from dash import dcc, html

from contract import periods
from store import queries
from store.address import public_base
from store.catalogue import meta
from store.texts import t
from store.view import Rows, one

from ..blocks import copy_box
from ..layout import shell

dash.register_page(__name__, path="/data", order=4, name="Data", name_ar=t("data_page", "ar"), name_en=t("data_page", "en"),
                   title_key="data_title", description="Downloads (CSV, Excel, Parquet, data package) "
                   "and the read-only API of the social protection statistics.")


def choice(query: dict, lang: str) -> tuple[dict, list[str]]:
    """The form's values from the URL, each checked; invalid ones replaced with a notice."""
    m = meta()
    notes = []
    ind = one(query.get("indicator"))
    if ind is not None and ind not in m.indicators:
        notes.append(t("data_bad_indicator", lang, v=ind[:60]))
        ind = None
    ind = ind or m.default_indicator
    geos_ok = list(m.geos_of(ind))
    geo = one(query.get("geo")) or ""
    if geo and geo not in geos_ok:
        notes.append(t("data_bad_geo", lang, v=geo[:30]))
        geo = ""
    bounds = {}
    for key in ("from", "to"):
        value = one(query.get(key)) or ""
        if value and periods.parse_filter(value) is None:
            notes.append(t("data_bad_period", lang, v=value[:30]))
            value = ""
        bounds[key] = value
    frm, to = bounds["from"], bounds["to"]
    if frm and to and periods.parse_filter(frm).start > periods.parse_filter(to).end:
        notes.append(t("data_bad_order", lang))
        frm = to = ""
    dims = list(m.indicators[ind]["breakdowns"])
    breakdown = one(query.get("breakdown")) or "full"
    if breakdown not in ("full", "total", "all", *dims):
        notes.append(t("data_bad_breakdown", lang, v=breakdown[:30]))
        breakdown = "total"
    labels = one(query.get("labels"))
    labels = labels if labels in ("both", "names", "codes") else "both"
    bom = one(query.get("bom")) != "false"
    return {"indicator": ind, "geo": geo, "from": frm, "to": to, "breakdown": breakdown, "labels": labels,
            "bom": bom, "dims": dims, "geos": geos_ok}, notes


def selection(c: dict) -> Rows:
    """The rows a choice asks for: the full series, or a view ("full" with a place or a period
    keeps every breakdown, as "full" promises)."""
    if c["breakdown"] == "full" and not (c["geo"] or c["from"] or c["to"]):
        return Rows(indicators=(c["indicator"],))
    return Rows(indicators=(c["indicator"],), geos=(c["geo"],) if c["geo"] else (), first=c["from"] or None,
                last=c["to"] or None, breakdowns=("all",) if c["breakdown"] == "full" else (c["breakdown"],),
                full=False)


def addresses(c: dict, lang: str, host: str = "") -> dict[str, str]:
    """The download and API addresses of a choice (the contract of api/routes.py)."""
    view = selection(c).args()
    fmt = {"lang": lang, "labels": c["labels"]}
    bom = {} if c["bom"] else {"bom": "false"}
    ind = c["indicator"]
    q = lambda *parts: urlencode({k: v for p in parts for k, v in p.items()}, safe=",")  # noqa: E731
    api = {"indicator": ind, **view, "format": "csv"}
    if c["labels"] != "codes":
        api.update(labels=c["labels"], lang=lang)
    return {
        "csv": f"{host}/data/{ind}.csv?{q(view, fmt, bom)}",
        "xlsx": f"{host}/data/{ind}.xlsx?{q(view, fmt)}",
        "json": f"{host}/data/{ind}.json" + (f"?{q(view)}" if view else ""),
        "zip": f"{host}/data/{ind}.zip?{q(view, fmt, bom)}",
        "api": f"{host}/api/v1/observations?{q(api)}",
    }


def _select(ident: str, label: str, options: list[tuple[str, str]], value: str, name: str):
    return html.Div(className="field", children=[
        html.Label(label, htmlFor=ident),
        html.Select(id=ident, name=name, children=[html.Option(text, value=v, selected=(v == value))
                                                   for v, text in options]),
    ])


@functools.lru_cache(maxsize=8)
def _periods(version: str) -> list[str]:
    return queries.all_periods()


def _whole(lang: str, host: str):
    m = meta()
    rows = [
        ("csv_excel", "csv_excel_what", f"/data/all.csv?lang={lang}"),
        ("csv_plain", "csv_plain_what", "/data/all.csv?labels=codes&bom=false"),
        ("xlsx_ar", "xlsx_what", "/data/all.xlsx?lang=ar"),
        ("xlsx_en", "xlsx_what", "/data/all.xlsx?lang=en"),
        ("parquet", "parquet_what", "/data/all.parquet"),
        ("package", "package_what", "/data/datapackage.json"),
    ]
    body = [html.Tr([html.Th(html.A(t(f"data_{k}", lang), href=url, download=""), scope="row"), html.Td(t(f"data_{w}", lang)),
                     html.Td(html.Code(host + url, className="ident", dir="ltr"))]) for k, w, url in rows]
    body[-1].children[1].children = [t("data_package_what", lang), " · ", html.A("ZIP", href="/data/datapackage.zip")]
    return html.Section(id="data-whole", children=[
        html.H2(t("data_whole", lang)),
        html.P(t("data_whole_note", lang, n=f"{m.observation_count:,}", build=m.build_id)),
        html.Div(className="table-wrap", tabIndex="0", role="region", **{"aria-label": t("data_whole", lang)}, children=
                 html.Table(className="data-table", id="data-downloads", children=[
                     html.Thead(html.Tr([html.Th(t(f"data_{k}", lang), scope="col") for k in ("file", "what", "address")])),
                     html.Tbody(body)])),
    ])


def _form(c: dict, lang: str):
    m = meta()
    options = [(i, f"{m.topics[ind['topic']][f'name_{lang}']} — {ind[f'name_{lang}']}")
               for topic in m.topics for i, ind in m.indicators.items() if ind["topic"] == topic]
    geos = [("", t("data_all_geos", lang))] + [(g, f"{m.geo_name(g, lang)} ({g})") for g in c["geos"]]
    choices = [("", t("data_any", lang))] + [(p, p) for p in _periods(m.version)]
    breakdowns = [("full", t("data_full", lang)), ("total", t("data_total", lang))]
    breakdowns += [(d, t("data_by", lang, dim=m.dimension_name(d, lang))) for d in c["dims"]]
    if c["dims"]:
        breakdowns.append(("all", t("data_all", lang)))
    return html.Form(id="data-form", method="get", action="/data", className="data-form", children=[
        dcc.Input(type="hidden", name="lang", value=lang, id="data-lang"),
        _select("data-indicator", t("data_indicator", lang), options, c["indicator"], "indicator"),
        _select("data-geo", t("data_geo", lang), geos, c["geo"], "geo"),
        _select("data-from", t("data_from", lang), choices, c["from"], "from"),
        _select("data-to", t("data_to", lang), choices, c["to"], "to"),
        _select("data-breakdown", t("data_breakdown", lang), breakdowns, c["breakdown"], "breakdown"),
        _select("data-labels", t("data_labels", lang), [(v, t(f"data_labels_{v}", lang)) for v in ("both", "names", "codes")],
                c["labels"], "labels"),
        _select("data-bom", t("data_encoding", lang), [("true", t("data_bom_yes", lang)), ("false", t("data_bom_no", lang))],
                "true" if c["bom"] else "false", "bom"),
        html.Button(t("data_show", lang), type="submit", className="button"),
    ])


def _results(c: dict, lang: str, host: str):
    urls = addresses(c, lang)
    full = addresses(c, lang, host)
    items = [html.Li(html.A(t(f"data_dl_{k}", lang), href=urls[k], download="")) for k in ("csv", "xlsx", "json", "zip")]
    return html.Section(id="data-view", children=[
        html.H3(t("data_downloads", lang)),
        html.Ul(items, className="download-list"),
        copy_box(f"{t('data_address', lang)} (CSV)", "data-csv-url", full["csv"], lang),
        html.H3(t("data_api", lang), id="data-api"),
        copy_box(t("data_api", lang), "data-api-url", full["api"], lang),
        html.P([t("data_api_note", lang), " ", html.A("/api/v1/openapi.json", href="/api/v1/openapi.json")]),
        html.Details([html.Summary(t("data_curl", lang)),
                      html.Pre(html.Code(f'curl -sS --compressed "{full["api"]}"', dir="ltr"))]),
    ])


def _explain(lang: str):
    endpoints = ["/api/v1/indicators", "/api/v1/indicators/om_nursery_children",
                 "/api/v1/observations?indicator=om_nursery_children&breakdown=sex",
                 "/api/v1/geographies", "/api/v1/sources", "/api/v1/openapi.json"]
    return [
        html.Section(id="data-encodings", children=[
            html.H2(t("data_encodings", lang)),
            html.P(t("data_enc_1", lang)), html.P(t("data_enc_2", lang)), html.P(t("data_enc_3", lang))]),
        html.Section(id="data-labels", children=[html.H2(t("data_labels_h", lang)), html.P(t("data_labels_1", lang))]),
        html.Section(id="data-rules", children=[
            html.H2(t("data_rules", lang)), html.P(t("data_rules_1", lang)), html.P(t("data_rules_2", lang))]),
        html.Section(id="data-endpoints", children=[
            html.H2(t("data_endpoints", lang)),
            html.Ul([html.Li(html.A(html.Code(e, dir="ltr"), href=e)) for e in endpoints])]),
    ]


def layout(lang: str, **query):
    m = meta()
    c, notes = choice(query, lang)
    host = public_base(flask.request.host_url if flask.has_request_context() else None)
    keep = {k: v for k, v in (("indicator", c["indicator"]), ("geo", c["geo"]), ("from", c["from"]),
                              ("to", c["to"]), ("breakdown", c["breakdown"]), ("labels", c["labels"]))}
    content = [
        html.Div(className="page-head", children=[
            html.H1(t("data_title", lang)),
            html.P(t("data_lead", lang, licence=m.licence["id"]), className="lead")]),
        html.Div(className="notice", role="status", children=[html.P(n) for n in notes]) if notes else None,
        _whole(lang, host),
        html.Section(id="data-one", children=[
            html.H2(t("data_one", lang)), html.P(t("data_one_intro", lang)), _form(c, lang), _results(c, lang, host)]),
        *_explain(lang),
    ]
    return shell(lang, "/data", content, switch_params=keep)
