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

from api.meta import meta as api_meta
from api.params import ParamError, period_bounds

from .. import data
from ..i18n import norm_lang, t
from ..layout import current_lang, error_page, shell



def _title(**_):
    lang = current_lang()
    return f"{t('data_title', lang)} · {t('site_title', lang)}"


dash.register_page(__name__, path="/data", order=4, name="Data", name_ar=t("data_page", "ar"), name_en=t("data_page", "en"),
                   title=_title, description="Downloads (CSV, Excel, Parquet, data package) "
                   "and the read-only API of the social protection statistics.")


def _host() -> str:
    try:
        return flask.request.host_url.rstrip("/")
    except RuntimeError:
        return ""


def _first(value):
    if isinstance(value, (list, tuple)):
        return value[0] if value else None
    return value if isinstance(value, str) else None


def choice(query: dict, lang: str) -> tuple[dict, list[str]]:
    """The form's values from the URL, each checked; invalid ones replaced with a notice."""
    m = api_meta()
    notes = []
    ind = _first(query.get("indicator"))
    if ind is not None and ind not in m.indicators.index:
        notes.append(t("data_bad_indicator", lang, v=ind[:60]))
        ind = None
    if ind is None:
        headline = m.indicators[m.indicators["headline"]].index
        ind = "om_nursery_children" if "om_nursery_children" in m.indicators.index else (
            headline[0] if len(headline) else m.indicators.index[0])
    geos_ok = list(m.coverage.at[ind, "geos"]) if ind in m.coverage.index else []
    geo = _first(query.get("geo")) or ""
    if geo and geo not in geos_ok:
        notes.append(t("data_bad_geo", lang, v=geo[:30]))
        geo = ""
    bounds = {}
    for key in ("from", "to"):
        value = _first(query.get(key)) or ""
        if value:
            try:
                bounds[key] = period_bounds(value, key)
            except ParamError:
                notes.append(t("data_bad_period", lang, v=value[:30]))
                value = ""
        query_value = value
        bounds[key + "_label"] = query_value
    frm, to = bounds["from_label"], bounds["to_label"]
    if frm and to and bounds["from"][0] > bounds["to"][1]:
        notes.append(t("data_bad_order", lang))
        frm = to = ""
    dims = [str(d) for d in m.indicators.at[ind, "breakdowns"]]
    breakdown = _first(query.get("breakdown")) or "full"
    if breakdown not in ("full", "total", "all", *dims):
        notes.append(t("data_bad_breakdown", lang, v=breakdown[:30]))
        breakdown = "total"
    labels = _first(query.get("labels"))
    labels = labels if labels in ("both", "names", "codes") else "both"
    bom = _first(query.get("bom")) != "false"
    return {"indicator": ind, "geo": geo, "from": frm, "to": to, "breakdown": breakdown, "labels": labels,
            "bom": bom, "dims": dims, "geos": geos_ok}, notes


def addresses(c: dict, lang: str, host: str = "") -> dict[str, str]:
    """The download and API addresses of a choice (the contract of api/routes.py)."""
    view = {}
    if c["geo"]:
        view["geo"] = c["geo"]
    if c["from"]:
        view["from"] = c["from"]
    if c["to"]:
        view["to"] = c["to"]
    if c["breakdown"] != "full":
        view["breakdown"] = c["breakdown"]
    elif view:  # a geography or period was chosen: keep every breakdown, as "full" promises
        view["breakdown"] = "all"
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


def _copy_box(label: str, ident: str, value: str, lang: str):
    """A read-only field with a copy button, and the address as text (shown before scripts run)."""
    return html.Div(className="copy-box", children=[
        html.Label(label, htmlFor=ident),
        html.Div(className="copy-row", children=[
            dcc.Input(id=ident, value=value, readOnly=True, className="copy-field", type="text"),
            html.Button(t("copy", lang), type="button", className="button copy-button",
                        **{"data-copy-target": ident, "aria-label": f"{t('copy', lang)}: {label}"})]),
        html.Code(value, id=f"{ident}-text", className="ident address", dir="ltr"),
    ])


def _select(ident: str, label: str, options: list[tuple[str, str]], value: str, name: str):
    return html.Div(className="field", children=[
        html.Label(label, htmlFor=ident),
        html.Select(id=ident, name=name, children=[html.Option(text, value=v, selected=(v == value))
                                                   for v, text in options]),
    ])


@functools.lru_cache(maxsize=8)
def _periods(build_id: str) -> list[str]:
    frame = data.db().query("SELECT period, min(period_start) AS s FROM observations GROUP BY period ORDER BY s, period")
    return [str(p) for p in frame["period"]]


def _whole(lang: str, host: str):
    m = api_meta()
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
    m = api_meta()
    options = []
    for topic in m.topics.index:
        ids = m.indicators.index[m.indicators["topic"] == topic]
        options += [(i, f"{m.topics.at[topic, f'name_{lang}']} — {m.indicators.at[i, f'name_{lang}']}") for i in ids]
    geos = [("", t("data_all_geos", lang))] + [(g, f"{m.geographies.at[g, f'name_{lang}']} ({g})") for g in c["geos"]]
    periods = [("", t("data_any", lang))] + [(p, p) for p in _periods(m.build_id)]
    breakdowns = [("full", t("data_full", lang)), ("total", t("data_total", lang))]
    breakdowns += [(d, t("data_by", lang, dim=m.dimension_names[d][lang])) for d in c["dims"]]
    if c["dims"]:
        breakdowns.append(("all", t("data_all", lang)))
    return html.Form(id="data-form", method="get", action="/data", className="data-form", children=[
        dcc.Input(type="hidden", name="lang", value=lang, id="data-lang"),
        _select("data-indicator", t("data_indicator", lang), options, c["indicator"], "indicator"),
        _select("data-geo", t("data_geo", lang), geos, c["geo"], "geo"),
        _select("data-from", t("data_from", lang), periods, c["from"], "from"),
        _select("data-to", t("data_to", lang), periods, c["to"], "to"),
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
        _copy_box(f"{t('data_address', lang)} (CSV)", "data-csv-url", full["csv"], lang),
        html.H3(t("data_api", lang), id="data-api"),
        _copy_box(t("data_api", lang), "data-api-url", full["api"], lang),
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


def layout(lang: str | None = None, **query):
    lang = norm_lang(lang if isinstance(lang, str) else None)
    try:
        m = api_meta()
        c, notes = choice(query, lang)
    except FileNotFoundError:
        return error_page(lang, "/data", "db_missing")
    host = _host()
    keep = {k: v for k, v in (("indicator", c["indicator"]), ("geo", c["geo"]), ("from", c["from"]),
                              ("to", c["to"]), ("breakdown", c["breakdown"]), ("labels", c["labels"]))}
    content = [
        html.Div(className="page-head", children=[
            html.H1(t("data_title", lang)),
            html.P(t("data_lead", lang, licence=m.licence.get("id", "")), className="lead")]),
        html.Div(className="notice", role="status", children=[html.P(n) for n in notes]) if notes else None,
        _whole(lang, host),
        html.Section(id="data-one", children=[
            html.H2(t("data_one", lang)), html.P(t("data_one_intro", lang)), _form(c, lang), _results(c, lang, host)]),
        *_explain(lang),
    ]
    return shell(lang, "/data", content, switch_params=keep)
