"""The Data page (/data): every download, the CSV encodings for Excel, the Labels choice, the
exact download and API addresses for a chosen view ("Developer API", as in the OECD data
explorer), and every figure of one place (country or governorate) as CSV, Excel and API call.

The page is plain GET forms: choosing an indicator, geography, periods, breakdown, labels
and encoding (or a place) and pressing the button reloads /data with those parameters, so
the page state is in the URL (a permalink) and it works without JavaScript; each form sends
the other's choices along. The geography, period and breakdown lists offer only what the
chosen indicator has; with JavaScript they follow a new indicator at once
(assets/data_form.js, from the form's data-choices). Invalid parameters are replaced by
defaults with a notice in the page's language. The addresses themselves are served by the
`api` package (api/routes.py), which this page only describes.
"""
from __future__ import annotations

import functools
import json
from urllib.parse import urlencode

import dash
import flask
from dash import dcc, html

from contract import periods
from store.address import public_base
from store.catalogue import meta
from store.texts import t
from store.view import Rows, one

from ..blocks import copy_box
from ..layout import href, shell
from ..table import phone_table

dash.register_page(__name__, path="/data", order=4, name="Data", name_ar=t("data_page", "ar"), name_en=t("data_page", "en"),
                   title_key="data_title", description="Downloads (CSV, Excel, Parquet, data package) "
                   "and the read-only API of the social protection statistics.")


def choice(query: dict, lang: str) -> tuple[dict, list[str]]:
    """The forms' values from the URL, each checked; invalid ones replaced with a notice. A
    place, period or breakdown the indicator has no figures for is one the form cannot offer
    (_lists), so it is left out too."""
    m = meta()
    notes = []
    ind = one(query.get("indicator"))
    if ind is not None and ind not in m.indicators:
        notes.append(t("data_bad_indicator", lang, v=ind[:60]))
        ind = None
    ind = ind or m.default_indicator
    lists = _lists(m, ind)
    geo = one(query.get("geo")) or ""
    if geo and geo not in lists["geo"]:
        notes.append(t("data_bad_geo", lang, v=geo[:30]))
        geo = ""
    bounds = {}
    for key in ("from", "to"):
        value = one(query.get(key)) or ""
        if value and periods.parse_filter(value) is None:
            notes.append(t("data_bad_period", lang, v=value[:30]))
            value = ""
        elif value and value not in lists["period"]:
            notes.append(t("place_period_absent", lang, v=value[:30]))
            value = ""
        bounds[key] = value
    frm, to = bounds["from"], bounds["to"]
    if frm and to and periods.parse_filter(frm).start > periods.parse_filter(to).end:
        notes.append(t("data_bad_order", lang))
        frm = to = ""
    breakdown = one(query.get("breakdown")) or "full"
    if breakdown not in ("full", "total", *lists["breakdown"]):
        notes.append(t("data_bad_breakdown", lang, v=breakdown[:30]))
        breakdown = "total"
    labels = one(query.get("labels"))
    labels = labels if labels in ("both", "names", "codes") else "both"
    bom = one(query.get("bom")) != "false"
    place = one(query.get("place")) or ""
    if place and place not in m.geographies:
        notes.append(t("place_bad", lang, v=place[:30], name=m.geo_name(_default_place(m), lang)))
        place = ""
    return {"indicator": ind, "geo": geo, "from": frm, "to": to, "breakdown": breakdown, "labels": labels,
            "bom": bom, "lists": lists, "place": place}, notes


def _lists(m, ind: str) -> dict[str, list[str]]:
    """What the form's lists offer for an indicator after their fixed first choices (_fixed):
    its places, its periods and its breakdowns (then "all of them", when it has any), so
    that no choice leads to an empty download."""
    dims = list(m.indicators[ind]["breakdowns"])
    return {"geo": list(m.geos_of(ind)), "period": list(m.periods_of(ind)), "breakdown": dims + ["all"] * bool(dims)}


def _default_place(m) -> str:
    """The place the place downloads show before one is chosen: the country of the indicator
    the dashboard opens on (as Governorates)."""
    return m.indicators[m.default_indicator]["country"]


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


def place_addresses(geo: str, lang: str, host: str = "") -> dict[str, str]:
    """The files and the API call of every figure of a place, which give the same rows (the
    contract of api/routes.py data_place)."""
    files = urlencode({"lang": lang})
    return {"csv": f"{host}/data/place/{geo}.csv?{files}", "xlsx": f"{host}/data/place/{geo}.xlsx?{files}",
            "api": f"{host}/api/v1/observations?{urlencode({'geo': geo, 'breakdown': 'all'})}"}


def _options(options: list[tuple[str, str]], value: str) -> list:
    return [html.Option(text, value=v, selected=(v == value)) for v, text in options]


def _select(ident: str, label: str, options: list, name: str, **data):
    """A labelled list (`options`: html.Option or html.Optgroup); `data`: its data-* attributes."""
    return html.Div(className="field", children=[
        html.Label(label, htmlFor=ident),
        html.Select(id=ident, name=name, children=options, **data),
    ])


def _hidden(values: dict[str, str]) -> list:
    """The other form's choices, sent along so that neither form forgets them."""
    return [dcc.Input(type="hidden", name=k, value=v) for k, v in values.items() if v]


def _fixed(lang: str) -> dict[str, list[tuple[str, str]]]:
    """The first choices of each list, whatever the indicator: every place, no limit, the full
    series or its totals."""
    return {"geo": [("", t("data_all_geos", lang))], "period": [("", t("data_any", lang))],
            "breakdown": [("full", t("data_full", lang)), ("total", t("data_total", lang))]}


@functools.lru_cache(maxsize=8)
def _labels(version: str, lang: str) -> dict[str, dict[str, str]]:
    """The words of the lists' choices (a period is its own label), once per build and language."""
    m = meta()
    breakdowns = {d: t("data_by", lang, dim=m.dimension_name(d, lang)) for d in m.dimension_columns}
    return {"geo": {g: f"{m.geo_name(g, lang)} ({g})" for g in m.geographies},
            "breakdown": {**breakdowns, "all": t("data_all", lang)}}


@functools.lru_cache(maxsize=8)
def _choices(version: str, lang: str) -> str:
    """Every indicator's lists (_lists) and their words, as the JSON in the form's data-choices:
    with it, assets/data_form.js narrows the lists as soon as the indicator changes, with no
    request and no inline script (the site's Content-Security-Policy allows none). A list many
    indicators share (the same eleven places, the same 240 months) is written once, in `sets`,
    and `of` gives each indicator's list by its place there: a hundred monthly indicators would
    otherwise make the page half a megabyte of the same months."""
    m = meta()
    sets: dict[str, list[list[str]]] = {}
    where: dict[tuple, int] = {}
    of = {}
    for ind in m.indicators:
        of[ind] = {}
        for name, values in _lists(m, ind).items():
            key = (name, *values)
            if key not in where:
                where[key] = len(sets.setdefault(name, []))
                sets[name].append(values)
            of[ind][name] = where[key]
    return json.dumps({"labels": _labels(version, lang), "sets": sets, "of": of}, ensure_ascii=False,
                      separators=(",", ":"))


def _whole(lang: str, host: str):
    """The whole dataset's files: a row a file (on a phone a card a file), each with its
    address behind a copy button."""
    m = meta()
    files = [
        ("csv_excel", "csv_excel_what", f"/data/all.csv?lang={lang}"),
        ("csv_plain", "csv_plain_what", "/data/all.csv?labels=codes&bom=false"),
        ("xlsx_ar", "xlsx_what", "/data/all.xlsx?lang=ar"),
        ("xlsx_en", "xlsx_what", "/data/all.xlsx?lang=en"),
        ("parquet", "parquet_what", "/data/all.parquet"),
        ("package", "package_what", "/data/datapackage.json"),
    ]
    what = {w: t(f"data_{w}", lang) for _, w, _ in files}
    what["package_what"] = [what["package_what"], " · ", html.A("ZIP", href="/data/datapackage.zip")]
    rows = [[html.A(t(f"data_{k}", lang), href=url, download=""), what[w],
             _address(url, host, t(f"data_{k}", lang), lang)] for k, w, url in files]
    return html.Section(id="data-whole", children=[
        html.H2(t("data_whole", lang)),
        html.P(t("data_whole_note", lang, n=f"{m.observation_count:,}", build=m.build_id)),
        phone_table("data-downloads", t("data_whole", lang), [t(f"data_{k}", lang) for k in ("file", "what", "address")],
                    rows, row_header=0),
    ])


def _address(url: str, host: str, name: str, lang: str):
    """A long address behind its copy button: the site's path shown (on one line, cut short
    where it does not fit), the full address the link's href and what the button copies
    (assets/spi.js reads data-copy); without JavaScript the link still works."""
    full = host + url
    label = f"{t('data_address', lang)}: {name}"
    return html.Span(className="copy-inline", children=[
        html.A(html.Code(url, dir="ltr"), href=full, className="address", title=full),
        html.Button(t("copy", lang), type="button", className="button copy-button",
                    **{"data-copy": full, "aria-label": f"{t('copy', lang)}: {label}", "data-copied-label": t("copied", lang)}),
        html.Span(className="copy-status visually-hidden", role="status", **{"aria-live": "polite"}),
    ])


def _form(c: dict, lang: str):
    m = meta()
    options = [(i, f"{m.topics[ind['topic']][f'name_{lang}']} — {ind[f'name_{lang}']}")
               for topic in m.topics for i, ind in m.indicators.items() if ind["topic"] == topic]
    fixed, labels = _fixed(lang), _labels(m.version, lang)

    def narrowed(ident: str, key: str, list_name: str):
        """A list that follows the indicator (assets/data_form.js reads data-list and data-fixed)."""
        offered = fixed[list_name] + [(v, labels.get(list_name, {}).get(v, v)) for v in c["lists"][list_name]]
        return _select(ident, t(f"data_{key}", lang), _options(offered, c[key]), key,
                       **{"data-list": list_name, "data-fixed": str(len(fixed[list_name]))})

    return html.Form(id="data-form", method="get", action="/data", className="data-form",
                     **{"data-choices": _choices(m.version, lang)}, children=[
        dcc.Input(type="hidden", name="lang", value=lang, id="data-lang"),
        *_hidden({"place": c["place"]}),
        _select("data-indicator", t("data_indicator", lang), _options(options, c["indicator"]), "indicator"),
        narrowed("data-geo", "geo", "geo"),
        narrowed("data-from", "from", "period"),
        narrowed("data-to", "to", "period"),
        narrowed("data-breakdown", "breakdown", "breakdown"),
        _select("data-labels", t("data_labels", lang),
                _options([(v, t(f"data_labels_{v}", lang)) for v in ("both", "names", "codes")], c["labels"]),
                "labels"),
        _select("data-bom", t("data_encoding", lang),
                _options([("true", t("data_bom_yes", lang)), ("false", t("data_bom_no", lang))],
                         "true" if c["bom"] else "false"), "bom"),
        html.Button(t("data_show", lang), type="submit", className="button"),
    ])


def _results(c: dict, lang: str, host: str):
    urls = addresses(c, lang)
    full = addresses(c, lang, host)
    items = [html.Li(html.A(t(f"data_dl_{k}", lang), href=urls[k], download="")) for k in ("csv", "xlsx", "json", "zip")]
    # what the figures mean (definition, sources, revisions) is the indicator's own page
    about = html.P(html.A(t("page_indicator_more", lang), href=href(f"/indicator/{c['indicator']}", lang),
                          id="data-indicator-page"))
    return html.Section(id="data-view", children=[
        html.H3(t("data_downloads", lang)),
        html.Ul(items, className="download-list"),
        about,
        copy_box(f"{t('data_address', lang)} (CSV)", "data-csv-url", full["csv"], lang),
        html.H3(t("data_api", lang), id="data-api"),
        copy_box(t("data_api", lang), "data-api-url", full["api"], lang),
        html.P([t("data_api_note", lang), " ", html.A("/api/v1/openapi.json", href="/api/v1/openapi.json")]),
        html.Details([html.Summary(t("data_curl", lang)),
                      html.Pre(html.Code(f'curl -sS --compressed "{full["api"]}"', dir="ltr"))]),
    ])


def _place(c: dict, lang: str, host: str, keep: dict[str, str]):
    """Every figure of one country or governorate: a list of every place (a GET form like the
    one above, which it keeps) and the CSV, the workbook and the API call of its figures."""
    m = meta()
    geo = c["place"] or _default_place(m)
    names = _labels(m.version, lang)["geo"]
    groups = [html.Optgroup(label=m.geo_name(country, lang), children=_options(
        [(g, names[g]) for g in m.geographies if m.geographies[g]["country"] == country], geo))
        for country in m.countries]
    urls = place_addresses(geo, lang)
    return html.Section(id="data-place", children=[
        html.H2(t("place_heading", lang)), html.P(t("place_intro", lang)),
        html.Form(id="data-place-form", method="get", action="/data", className="data-form", children=[
            dcc.Input(type="hidden", name="lang", value=lang),
            *_hidden({**keep, "bom": "" if c["bom"] else "false"}),
            _select("data-place-geo", t("place_label", lang), groups, "place"),
            html.Button(t("data_show", lang), type="submit", className="button"),
        ]),
        html.H3(t("gov_all_figures", lang, name=m.geo_name(geo, lang))),
        html.P(t("data_rows", lang, n=f"{m.geo_counts.get(geo, 0):,}")),
        html.Ul([html.Li(html.A(t(f"data_dl_{k}", lang), href=urls[k], download="", id=f"data-place-{k}"))
                 for k in ("csv", "xlsx")], className="download-list"),
        copy_box(f"{t('data_api', lang)}: {m.geo_name(geo, lang)}", "data-place-api", host + urls["api"], lang),
    ])


def _explain(lang: str):
    endpoints = ["/api/v1/indicators", "/api/v1/indicators/om_nursery_children",
                 "/api/v1/observations?indicator=om_nursery_children&breakdown=sex",
                 "/api/v1/geographies", "/api/v1/sources", "/api/v1/frameworks",
                 "/api/v1/openapi.json"]
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
    keep = {k: c[k] for k in ("indicator", "geo", "from", "to", "breakdown", "labels")}
    content = [
        html.Div(className="page-head", children=[
            html.H1(t("data_title", lang)),
            html.P(t("data_lead", lang, licence=m.licence["id"]), className="lead")]),
        html.Div(className="notice", role="status", children=[html.P(n) for n in notes]) if notes else None,
        _whole(lang, host),
        html.Section(id="data-one", children=[
            html.H2(t("data_one", lang)), html.P(t("data_one_intro", lang)), _form(c, lang),
            _results(c, lang, host)]),
        _place(c, lang, host, keep),
        *_explain(lang),
    ]
    return shell(lang, "/data", content, switch_params={**keep, "place": c["place"]})
