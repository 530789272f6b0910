"""Indicator explorer: one indicator, tabs Chart / Table / Sources (as Our World in Data).

The URL is the view (store/view.py): the page's layout is built from it on the server,
chart included, so opening a permalink shows the view without waiting for a callback.
Changing a control runs one callback that returns the new view's parts (dashboard/cache.py
keeps them per build and view); clientside callbacks (assets/explorer.js) switch tabs,
write the view back into the address bar; the panel's image buttons are handled there too.
"""
from __future__ import annotations

import logging

import dash
import flask
from dash import ALL, ClientsideFunction, Input, Output, State, callback, clientside_callback, ctx, dcc, html, no_update

from store import database, releases
from store.address import public_base
from store.catalogue import meta
from store.texts import lang_of, t
from store.view import View, one, parse_view

from ..blocks import TABS, heading, sources_block, tabs
from ..cache import explorer_parts, explorer_picker, explorer_wire
from ..components import RawHtml
from ..layout import message_box, shell
from ..render import to_html
from ..wire import to_wire

log = logging.getLogger(__name__)
dash.register_page(__name__, path="/explorer", order=1, name="Explorer", name_ar=t("page_explorer", "ar"),
                   name_en=t("page_explorer", "en"), title_key="page_explorer",
                   description="Explore each indicator over time, by breakdown and by area; download its data.")


def base() -> str:
    """The site's public address (SPI_PUBLIC_URL), else the one this request came to."""
    return public_base(flask.request.host_url if flask.has_request_context() else None)


def panels(view: View):
    chart, table, _, _ = explorer_parts(view, base())
    # the Sources tab is plain text: sent as HTML, one node for React to draw (dashboard/render.py)
    content = {"chart": chart, "table": table, "sources": RawHtml(html=to_html(sources_block(view, meta())))}
    return [html.Section(content[tab], id=f"explorer-panel-{tab}", className="tab-panel", role="tabpanel",
                         hidden=view.tab != tab, **{"aria-labelledby": f"explorer-tab-{tab}"})
            for tab in TABS]


def layout(lang: str, **params):
    m = meta()
    view = parse_view(params, m, lang)
    _, _, share, ctrls = explorer_parts(view, base())
    content = [
        html.Div(className="page-head", children=[html.H1(t("explorer_heading", lang))]),
        html.Div(message_box(view.messages, lang), id="explorer-messages"),
        html.Div(className="controls", children=[
            explorer_picker(view),
            html.Div(ctrls, id="explorer-controls", className="control-groups"),
        ]),
        tabs(view),
        html.Div(className="explorer-content", children=[
            html.Div(heading(view, m), id="explorer-heading"),
            html.Div(panels(view), className="panels"),
            html.Div(share, id="explorer-share"),
        ]),
        dcc.Store(id="explorer-state", data={"query": view.query(), "lang": lang, "tab": view.tab}),
        dcc.Store(id="explorer-picked"),   # a period select's choice, set by assets/explorer.js
    ]
    return shell(lang, "/explorer", content, switch_params=view.query(), wide=True)


PICKED = ("from", "to", "period")   # the groups of the period selects (dashboard/controls.py period_picks)


def pressed(params: dict, group: str, value: str) -> dict:
    """The view's parameters after a control button (group, value) was pressed."""
    params = dict(params)
    if group == "view":
        params.pop("breakdown", None)
        params["view"] = value
        if value.startswith("breakdown:"):
            params["view"], params["breakdown"] = "breakdown", value.split(":", 1)[1]
    elif group == "mode":
        params["mode"] = value
    elif group == "geo":
        geos = [g for g in str(params.get("geo") or "").split(",") if g]
        geos = [g for g in geos if g != value] if value in geos else geos + [value]
        params["geo"] = ",".join(geos)
    elif group in PICKED:
        params[group] = value
    return {k: v for k, v in params.items() if v not in (None, "")}


@callback(
    Output("explorer-panel-chart", "children"),
    Output("explorer-panel-table", "children"),
    Output("explorer-share", "children"),
    Output("explorer-state", "data"),
    Output("explorer-messages", "children"),
    Output("explorer-controls", "children"),
    Output("explorer-heading", "children"),
    Input({"type": "explorer-opt", "group": ALL, "value": ALL}, "n_clicks"),
    Input("explorer-picked", "data"),
    State("explorer-state", "data"),
    prevent_initial_call=True,
)
def update(clicks, picked, stored):
    """A control was pressed or a period chosen: the new view, its parts, and the controls and
    heading redrawn for it."""
    trig = ctx.triggered_id
    chosen = trig == "explorer-picked"
    if chosen and isinstance(picked, dict) and picked.get("group") in PICKED:   # a select's choice (assets/explorer.js)
        group, value = picked["group"], picked.get("value")
    elif isinstance(trig, dict) and any(c for c in (clicks or []) if c):
        group, value = trig.get("group"), trig.get("value")
    else:   # buttons drawn anew, not pressed; or not a choice of ours
        return (no_update,) * 7
    stored = stored if isinstance(stored, dict) else {}
    lang = lang_of(stored.get("lang"))
    query = stored.get("query") if isinstance(stored.get("query"), dict) else {}
    folder = database.releases()
    if folder is not None:   # the page's release: its view's as_of (a callback's address has none)
        releases.read_as_of(folder, one(query.get("as_of")))
    params = pressed({**query, "tab": stored.get("tab", "chart")}, str(group), str(value or ""))
    view = parse_view(params, meta(), lang)
    if chosen and view == parse_view({**query, "tab": stored.get("tab", "chart")}, meta(), lang):
        return (no_update,) * 7   # the same period again
    chart, table, share, ctrls = explorer_wire(view, base())
    return (chart, table, share, {"query": view.query(), "lang": lang, "tab": view.tab},
            to_wire(message_box(view.messages, lang)), ctrls, to_wire(heading(view, meta())))


clientside_callback(
    ClientsideFunction(namespace="explorer", function_name="tab"),
    Output("explorer-state", "data", allow_duplicate=True),
    Input("explorer-tab-chart", "n_clicks"),
    Input("explorer-tab-table", "n_clicks"),
    Input("explorer-tab-sources", "n_clicks"),
    State("explorer-state", "data"),
    prevent_initial_call=True,
)
clientside_callback(
    ClientsideFunction(namespace="explorer", function_name="address"),
    Output("explorer-messages", "role"),
    Input("explorer-state", "data"),
)
