"""Indicator explorer: one indicator, tabs Chart / Table / Sources (as Our World in Data).

The URL is the state (see state.py): the page's layout is built from it on the server,
chart included, so opening a permalink shows the view without waiting for a callback.
Changing a control runs one callback that returns the new view; a clientside callback
then writes the state back into the address bar (history.replaceState, no reload), so the
address is always a permalink. Views are cached per (database build, state).
"""
from __future__ import annotations

import dataclasses
import functools
from html import escape as esc
from urllib.parse import urlencode

import dash
import flask
from dash import ALL, Input, Output, State as DState, callback, clientside_callback, ctx, dcc, html, no_update

from .. import data
from ..cache import view_for
from ..components import RawHtml
from ..figures import graph_config
from ..i18n import fmt_date, fmt_number, norm_lang, period_label, t
from ..layout import error_page, href, message_box, shell, title_for
from ..state import MODES, State, geos_for, parse, views_for
from ..views import sort_table
from ..wire import to_wire

dash.register_page(__name__, path="/explorer", order=1, name="Explorer", name_ar=t("page_explorer", "ar"),
                   name_en=t("page_explorer", "en"), title=title_for("page_explorer"),
                   description="Explore each indicator over time, by breakdown and by area; download its data.")


def _host() -> str:
    try:
        return flask.request.host_url.rstrip("/")
    except RuntimeError:
        return ""


# ---------------------------------------------------------------- pieces of the page

def view_options(state: State, lang: str) -> list[dict]:
    meta = data.meta()
    ind = meta.indicators[state.indicator]
    opts = []
    for v in views_for(ind, geos_for(state.indicator)):
        if v == "breakdown":
            for dim in ind["breakdowns"]:
                label = meta.dimensions.get(dim, {}).get(f"dimension_{lang}", dim)
                opts.append({"label": t("view_breakdown", lang, dimension=label), "value": f"breakdown:{dim}"})
        else:
            opts.append({"label": t(f"view_{v}", lang), "value": v})
    return opts


def view_value(state: State) -> str:
    return f"breakdown:{state.breakdown}" if state.view == "breakdown" else state.view


def period_options(state: State, lang: str) -> list[dict]:
    labels = data.periods(state.indicator)
    return [{"label": period_label(p, lang), "value": p} for p in labels]


def geo_options(state: State, lang: str) -> list[dict]:
    meta = data.meta()
    return [{"label": meta.geo_name(g, lang), "value": g} for g in geos_for(state.indicator)]


def data_links(state: State) -> dict[str, str]:
    params = {**state.data_params(), "lang": state.lang}
    q = urlencode(params, safe=",")
    api = {"indicator": state.indicator, **state.data_params(), "format": "csv"}
    return {"csv": f"/data/{state.indicator}.csv?{q}", "xlsx": f"/data/{state.indicator}.xlsx?{q}",
            "api": f"/api/v1/observations?{urlencode(api, safe=',')}"}


def chart_block(state: State, vd, fig_json: dict):
    lang = state.lang
    links = data_links(state)
    return html.Figure(className="chart-figure", children=[
        dcc.Graph(id="explorer-graph", figure=fig_json, config=graph_config(state.indicator, lang),
                  className="chart", style={"height": f"{fig_json['layout'].get('height', 460)}px"},
                  responsive=True),
        html.Figcaption(className="chart-caption", children=[
            html.Ul([html.Li(n) for n in vd.notes], className="chart-notes") if vd.notes else None,
            html.Details(className="in-words", children=[
                html.Summary(t("in_words", lang)),
                html.P(vd.alt, id="explorer-alt"),
            ]),
        ]),
        html.Div(className="download-bar", role="group", **{"aria-label": t("downloads", lang)}, children=[
            html.A(t("download_csv", lang), href=links["csv"], className="button", id="explorer-csv",
                   download=f"{state.indicator}.csv"),
            html.A(t("download_xlsx", lang), href=links["xlsx"], className="button", id="explorer-xlsx",
                   download=f"{state.indicator}.xlsx"),
            html.Button(t("download_png", lang), id="explorer-png", className="button", type="button",
                        **{"data-filename": f"{state.indicator}_{lang}"}),
        ]),
    ])


SORT_COLUMNS = ("period", "area", "category", "value", "source")
TABLE_MAX_ROWS = 500  # a page, not a spreadsheet: the downloads hold every row
# A table escapes ~3,500 cells, mostly the same few areas, categories, units and sources
_esc = functools.lru_cache(maxsize=8192)(esc)


def table_block(state: State, vd):
    """The exact figures as an HTML table, sortable in the browser (assets/spi.js). Written as
    one HTML string in one RawHtml component (every text escaped): a 1,000-row table costs a
    string, not thousands of Dash components."""
    lang = state.lang
    rows = sort_table(vd.table, "period", False)
    total_rows = len(rows)
    rows = rows[-TABLE_MAX_ROWS:]  # the most recent rows
    ind = data.meta().indicators[state.indicator]
    heads = [("period", t("col_period", lang)), ("area", t("col_area", lang)), ("category", t("col_category", lang)),
             ("value", t("col_value", lang)), ("unit", t("col_unit", lang)), ("source", t("col_source", lang))]
    th = []
    for n, (col, label) in enumerate(heads):
        if col == "unit":
            th.append(f'<th scope="col">{_esc(label)}</th>')
            continue
        sort = "ascending" if col == "period" else "none"
        mark = "▲" if col == "period" else "↕"
        kind = "number" if col == "value" else "text"
        th.append(f'<th scope="col" aria-sort="{sort}"><button class="sort-button" type="button" data-col="{n}" '
                  f'data-type="{kind}" title="{_esc(t("sort_by", lang, col=label))}">{_esc(label)}'
                  f'<span class="sort-mark" aria-hidden="true">{mark}</span></button></th>')
    derived = _esc(f" ({t('derived', lang)})")
    body = []
    for r in rows:
        value_key = "" if r["value"] is None else repr(float(r["value"]))
        tag = f'<span class="derived-tag">{derived}</span>' if r["derived"] else ""
        body.append(f'<tr{" class=" + chr(34) + "derived-row" + chr(34) if r["derived"] else ""}>'
                    f'<td data-sort="{_esc(r["sort_period"])}">{_esc(r["period_text"])}</td>'
                    f'<td>{_esc(r["area"])}</td><td>{_esc(r["category"])}{tag}</td>'
                    f'<td class="num" data-sort="{value_key}">{_esc(r["value_text"])}</td>'
                    f'<td>{_esc(r["unit"])}</td><td>{_esc(r["source"])}</td></tr>')
    if not body:
        body = [f'<tr><td colspan="6">{_esc(t("no_data_view", lang))}</td></tr>']
    caption = _esc(t("table_caption", lang, name=ind[f"name_{lang}"]))
    table = (f'<div class="table-wrap" tabindex="0" role="region" aria-label="{caption}">'
             f'<table class="data-table sortable"><caption>{caption}</caption><thead><tr>{"".join(th)}</tr></thead>'
             f'<tbody>{"".join(body)}</tbody></table></div>')
    more = html.P(t("table_truncated", lang, shown=fmt_number(len(rows), lang), total=fmt_number(total_rows, lang)),
                  className="muted") if total_rows > len(rows) else None
    # each source's title once, under the table, rather than on each of hundreds of rows
    titles = dict.fromkeys(f"{r['source']}: {r['source_title']}" if r["source_title"] else r["source"] for r in rows)
    cited = html.P(f"{t('sources', lang)}: " + ("؛ " if lang == "ar" else "; ").join(titles),
                   className="muted table-sources") if titles else None
    return html.Div([more, RawHtml(html=table, id="explorer-datatable"), cited])


def sources_block(state: State):
    lang = state.lang
    meta = data.meta()
    ind = meta.indicators[state.indicator]
    unit = meta.units[ind["unit"]]
    items = [
        html.Dt(t("definition", lang)), html.Dd(ind[f"definition_{lang}"]),
        html.Dt(t("unit", lang)), html.Dd(unit[f"name_{lang}"]),
        html.Dt(t("measure", lang)), html.Dd(t(f"measure_{ind['measure']}", lang)),
    ]
    cards = []
    for sid in data.source_ids_for(state.indicator):
        s = meta.sources.get(sid)
        if not s:
            continue
        rows = [html.Dt(t("publisher", lang)), html.Dd(s[f"publisher_{lang}"]),
                html.Dt(t("title", lang)), html.Dd(s[f"title_{lang}"]),
                html.Dt(t("published", lang)), html.Dd(fmt_date(s.get("published"), lang)),
                html.Dt(t("reference_period", lang)), html.Dd(s[f"reference_period_{lang}"])]
        if s.get(f"note_{lang}"):
            rows += [html.Dt(t("note", lang)), html.Dd(s[f"note_{lang}"])]
        if s.get("url"):
            rows += [html.Dt("URL"), html.Dd(html.A(s["url"], href=s["url"], rel="noopener"))]
        cards.append(html.Article(html.Dl(rows, className="facts"), className="source-card",
                                  **{"data-source": sid}))
    return html.Div([
        html.H3(ind[f"name_{lang}"]),
        html.Dl(items, className="facts"),
        html.H3(t("sources", lang)),
        html.Div(cards, className="source-cards"),
    ])


def share_block(state: State, host: str):
    lang = state.lang
    permalink = f"{host}/explorer?{state.query_string()}"
    embed_q = {k: v for k, v in state.query(tab=False).items() if k != "indicator"}
    embed_url = f"{host}/embed/{state.indicator}?{urlencode(embed_q, safe=',')}"
    ind = data.meta().indicators[state.indicator]
    snippet = (f'<iframe src="{embed_url}" title="{ind[f"name_{lang}"]}" width="100%" height="560" '
               f'style="border:0" loading="lazy"></iframe>')
    api = host + data_links(state)["api"]

    def box(label, ident, value, multiline=False):
        field = (dcc.Textarea(id=ident, value=value, readOnly=True, className="copy-field", rows=3)
                 if multiline else dcc.Input(id=ident, value=value, readOnly=True, className="copy-field", type="text"))
        return html.Div(className="copy-box", children=[
            html.Label(label, htmlFor=ident),
            html.Div(className="copy-row", children=[
                field, html.Button(t("copy", lang), type="button", className="button copy-button",
                                   **{"data-copy-target": ident, "aria-label": f"{t('copy', lang)}: {label}"})]),
        ])

    return html.Div(className="share", children=[
        box(t("permalink", lang), "explorer-permalink", permalink),
        box(t("developer_api", lang), "explorer-api", api),
        box(t("embed", lang), "explorer-embed", snippet, multiline=True),
    ])


def heading(state: State):
    lang = state.lang
    ind = data.meta().indicators[state.indicator]
    return [html.H2(ind[f"name_{lang}"], className="view-title"),
            html.P(ind[f"definition_{lang}"], className="view-definition")]


@functools.lru_cache(maxsize=256)
def _dynamic(build_id: str, state: State, host: str):
    """The parts a control click changes: chart, table, share boxes, controls (cached per build)."""
    vd, fig = view_for(state)
    return chart_block(state, vd, fig), _table(build_id, state), share_block(state, host), controls(state)


@functools.lru_cache(maxsize=256)
def _table(build_id: str, state: State):
    """table_block, kept per build and state; grouped bars have the table of stacked ones."""
    if state.mode == "group":
        return _table(build_id, dataclasses.replace(state, mode="stack"))
    return table_block(state, view_for(state)[0])


def dynamic_parts(state: State):
    return _dynamic(data.db().build_id, state, _host())


@functools.lru_cache(maxsize=256)
def _dynamic_wire(build_id: str, state: State, host: str) -> list:
    return to_wire(list(_dynamic(build_id, state, host)))


def dynamic_wire(state: State) -> list:
    """dynamic_parts in Dash's wire form, as the update callback answers (dashboard/wire.py)."""
    return _dynamic_wire(data.db().build_id, state, _host())


def panels(state: State):
    chart, table, share, _ = dynamic_parts(state)
    content = {"chart": chart, "table": table, "sources": sources_block(state)}
    return [html.Section(content[tab], id=f"explorer-panel-{tab}", className="tab-panel", role="tabpanel",
                         hidden=state.tab != tab, **{"aria-labelledby": f"explorer-tab-{tab}"})
            for tab in ("chart", "table", "sources")]


def tabs(state: State):
    lang = state.lang
    return html.Div(className="tabs", role="tablist", **{"aria-label": t("tabs_label", lang)}, children=[
        html.Button(t(f"tab_{tab}", lang), id=f"explorer-tab-{tab}", className="tab", role="tab", type="button",
                    **{"aria-selected": "true" if state.tab == tab else "false",
                       "aria-controls": f"explorer-panel-{tab}", "data-tab": tab},
                    tabIndex="0" if state.tab == tab else "-1")
        for tab in ("chart", "table", "sources")])


@functools.lru_cache(maxsize=4096)
def _toggle(group: str, value: str, label: str, pressed: bool, lang: str):
    """One control button. Memoised: a click redraws ~60 of them, nearly all the same as
    before, and a Dash component costs ~0.1 ms to build (Dash only reads them, so they can be
    shared between responses like the cached views)."""
    return html.Button(label, type="button", className="toggle" + (" on" if pressed else ""),
                       id={"type": "explorer-opt", "group": group, "value": value},
                       **{"aria-pressed": "true" if pressed else "false"})


def _group(legend: str, children, ident: str, hidden: bool = False):
    return html.Div(className="control", id=ident, hidden=hidden, role="group", **{"aria-label": legend}, children=[
        html.Div(legend, className="control-label", **{"aria-hidden": "true"}),
        html.Div(children, className="toggles"),
    ])


def _period_choices(periods: list[dict]) -> list[dict]:
    """Every period when there are few; otherwise the first, the last and each January."""
    if len(periods) <= 16:
        return periods
    keep = [p for n, p in enumerate(periods) if n in (0, len(periods) - 1) or p["value"].endswith(("-01", "-H1", "-Q1"))
            or len(p["value"]) == 4]
    return keep


def indicator_picker(state: State):
    """All indicators as links grouped by topic, in a disclosure: keyboard- and screen-reader-
    friendly, and each link is itself a permalink."""
    lang = state.lang
    meta = data.meta()
    ind = meta.indicators[state.indicator]
    groups = []
    for topic, trow in meta.topics.items():
        links = [html.Li(html.A(i[f"name_{lang}"] + f" ({meta.geo_name(i['country'], lang)})",
                                href=href("/explorer", lang, indicator=i["indicator_id"]),
                                className="spa-link" + (" current" if i["indicator_id"] == state.indicator else ""),
                                **({"aria-current": "true"} if i["indicator_id"] == state.indicator else {})))
                 for i in meta.indicators.values() if i["topic"] == topic]
        if links:
            groups.append(html.Div([html.H3(trow[f"name_{lang}"]), html.Ul(links)], className="picker-group"))
    return html.Details(className="picker control-wide", id="explorer-picker", children=[
        html.Summary([html.Span(t("choose_indicator", lang) + ": ", className="control-label"),
                      html.Strong(ind[f"name_{lang}"]), html.Span(" ▾", **{"aria-hidden": "true"})]),
        html.Div(groups, className="picker-groups"),
    ])


def controls(state: State):
    lang = state.lang
    is_breakdown = state.view == "breakdown"
    periods = _period_choices(period_options(state, lang))
    views = [_toggle("view", o["value"], o["label"], o["value"] == view_value(state), lang)
             for o in view_options(state, lang)]
    modes = [_toggle("mode", m, t(f"mode_{m}", lang), m == state.mode, lang) for m in MODES]
    geos = [_toggle("geo", o["value"], o["label"], o["value"] in state.geos, lang) for o in geo_options(state, lang)]
    from_ = [_toggle("from", "", t("all_periods", lang), not state.from_, lang)] + \
        [_toggle("from", o["value"], o["label"], o["value"] == state.from_, lang) for o in periods]
    to = [_toggle("to", "", t("all_periods", lang), not state.to, lang)] + \
        [_toggle("to", o["value"], o["label"], o["value"] == state.to, lang) for o in periods]
    return [
        _group(t("show", lang), views, "explorer-view"),
        _group(t("bar_mode", lang), modes, "explorer-mode", hidden=not is_breakdown),
        _group(t("geography", lang), geos, "explorer-geo"),
        _group(f"{t('years', lang)}: {t('from', lang)}", from_, "explorer-from"),
        _group(f"{t('years', lang)}: {t('to', lang)}", to, "explorer-to"),
    ]


def layout(**params):
    lang = norm_lang(params.get("lang") if isinstance(params.get("lang"), str) else None)
    try:
        state = parse(params)
    except FileNotFoundError:
        return error_page(lang, "/explorer", "db_missing")
    content = [
        html.Div(className="page-head", children=[html.H1(t("explorer_heading", lang))]),
        html.Div(message_box(state.messages, lang), id="explorer-messages"),
        html.Div(className="controls", children=[
            indicator_picker(state),
            html.Div(dynamic_parts(state)[3], id="explorer-controls", className="control-groups"),
        ]),
        tabs(state),
        html.Div(className="explorer-content", children=[
            *heading(state),
            html.Div(panels(state), className="panels"),
            html.Div(dynamic_parts(state)[2], id="explorer-share"),
        ]),
        dcc.Store(id="explorer-state", data={"query": state.query(), "lang": lang, "tab": state.tab}),
    ]
    return shell(lang, "/explorer", content, switch_params=state.query(), wide=True)


# ---------------------------------------------------------------- callbacks

@callback(
    Output("explorer-panel-chart", "children"),
    Output("explorer-panel-table", "children"),
    Output("explorer-share", "children"),
    Output("explorer-state", "data"),
    Output("explorer-messages", "children"),
    Output("explorer-controls", "children"),
    Input({"type": "explorer-opt", "group": ALL, "value": ALL}, "n_clicks"),
    DState("explorer-state", "data"),
    prevent_initial_call=True,
)
def update(clicks, stored):
    """A control was pressed: the new state, its view, and the controls redrawn for it."""
    trig = ctx.triggered_id
    if not isinstance(trig, dict) or not any(c for c in (clicks or []) if c):
        return (no_update,) * 6
    stored = stored or {}
    lang = norm_lang(stored.get("lang"))
    try:
        params = dict(stored.get("query") or {})
        params["lang"], params["tab"] = lang, stored.get("tab", "chart")
        group, value = trig["group"], trig["value"]
        if group == "view":
            params.pop("breakdown", None)
            params.pop("view", None)
            if value.startswith("breakdown:"):
                params["view"], params["breakdown"] = "breakdown", value.split(":", 1)[1]
            else:
                params["view"] = value
        elif group == "mode":
            params["mode"] = value
        elif group == "geo":
            geos = [g for g in (params.get("geo") or "").split(",") if g]
            geos = [g for g in geos if g != value] if value in geos else geos + [value]
            if geos:
                params["geo"] = ",".join(geos)
            else:
                params.pop("geo", None)
        elif group in ("from", "to"):
            if value:
                params[group] = value
            else:
                params.pop(group, None)
        state = parse(params)
        chart, table, share, ctrls = dynamic_wire(state)
        return (chart, table, share, {"query": state.query(), "lang": lang, "tab": state.tab},
                to_wire(message_box(state.messages, lang)), ctrls)
    except Exception:  # noqa: BLE001 - a friendly message, never a traceback
        import logging
        logging.getLogger("dashboard").exception("explorer update failed")
        return ((html.Div(html.P(t("error_generic", lang)), className="notice notice-error", role="alert"),)
                + (no_update,) * 5)


# tabs: instant, in the browser; the chosen tab goes into the stored state and the URL
clientside_callback(
    """
    function (c1, c2, c3, stored) {
        var trig = (window.dash_clientside.callback_context.triggered || [])[0];
        var tab = stored && stored.tab || "chart";
        if (trig && trig.prop_id) { tab = trig.prop_id.split(".")[0].replace("explorer-tab-", ""); }
        ["chart", "table", "sources"].forEach(function (name) {
            var b = document.getElementById("explorer-tab-" + name);
            var p = document.getElementById("explorer-panel-" + name);
            if (b) { b.setAttribute("aria-selected", name === tab ? "true" : "false"); b.tabIndex = name === tab ? 0 : -1; }
            if (p) { p.hidden = name !== tab; }
        });
        if (tab === "chart") { window.dispatchEvent(new Event("resize")); }
        var out = Object.assign({}, stored || {}); out.tab = tab;
        out.query = Object.assign({}, out.query || {});
        if (tab === "chart") { delete out.query.tab; } else { out.query.tab = tab; }
        return out;
    }
    """,
    Output("explorer-state", "data", allow_duplicate=True),
    Input("explorer-tab-chart", "n_clicks"),
    Input("explorer-tab-table", "n_clicks"),
    Input("explorer-tab-sources", "n_clicks"),
    DState("explorer-state", "data"),
    prevent_initial_call=True,
)

# the address bar always holds the current view (a permalink); no reload, no router call
clientside_callback(
    """
    function (stored) {
        if (!stored || !stored.query) { return window.dash_clientside.no_update; }
        var q = new URLSearchParams();
        Object.keys(stored.query).forEach(function (k) { q.set(k, stored.query[k]); });
        if (stored.tab && stored.tab !== "chart") { q.set("tab", stored.tab); } else { q.delete("tab"); }
        var url = window.location.pathname + "?" + q.toString().replace(/%2C/g, ",");
        if (url !== window.location.pathname + window.location.search) {
            window.history.replaceState(window.history.state, "", url);
        }
        var link = document.getElementById("explorer-permalink");
        if (link) { link.value = window.location.origin + url; }
        var sw = document.querySelector("#react-entry-point a.lang-switch");
        if (sw) {
            var other = new URLSearchParams(q); other.set("lang", sw.getAttribute("data-lang"));
            sw.setAttribute("href", window.location.pathname + "?" + other.toString().replace(/%2C/g, ","));
        }
        return window.dash_clientside.no_update;
    }
    """,
    Output("explorer-messages", "role"),
    Input("explorer-state", "data"),
)

# PNG of the chart as drawn (title, unit, period and source are part of the figure)
clientside_callback(
    """
    function (n) {
        if (!n) { return window.dash_clientside.no_update; }
        var gd = document.querySelector("#explorer-graph .js-plotly-plot");
        var b = document.getElementById("explorer-png");
        if (gd && window.Plotly) {
            window.Plotly.downloadImage(gd, {format: "png", width: 1000, height: 600, scale: 2,
                                             filename: b ? b.getAttribute("data-filename") : "chart"});
        }
        return window.dash_clientside.no_update;
    }
    """,
    Output("explorer-png", "title"),
    Input("explorer-png", "n_clicks"),
    prevent_initial_call=True,
)
