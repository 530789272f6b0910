"""Embed view: the chart alone (with its title, unit, period and source drawn on it), a
link back to the full view, for journalists' <iframe>s. Same URL parameters as the explorer.

/embed/<indicator_id>?view=..&breakdown=..&mode=..&geo=..&from=..&to=..&lang=..
"""
from __future__ import annotations

import dash
from dash import dcc, html

from ..figures import graph_config
from ..i18n import norm_lang, t
from ..layout import message_box, title_for
from ..state import parse
from ..cache import view_for

dash.register_page(__name__, path_template="/embed/<indicator>", nav=False, name="Embed",
                   name_ar=t("page_embed", "ar"), name_en=t("page_embed", "en"), title=title_for("page_embed"))


def layout(indicator: str | None = None, **params):
    lang = norm_lang(params.get("lang") if isinstance(params.get("lang"), str) else None)
    try:
        state = parse({**params, "indicator": indicator, "tab": "chart"})
        vd, fig = view_for(state)
    except FileNotFoundError:
        return html.Div(html.P(t("db_missing", lang), className="notice"), className="page embed", lang=lang,
                        dir="rtl" if lang == "ar" else "ltr")
    full = f"/explorer?{state.query_string()}"
    return html.Div(className="page embed", lang=lang, dir="rtl" if lang == "ar" else "ltr", children=[
        html.Main(id="main", children=[
            message_box(state.messages, lang),
            html.Figure(className="chart-figure", children=[
                dcc.Graph(id="embed-graph", figure=fig, config=graph_config(state.indicator, lang),
                          className="chart", style={"height": f"{fig['layout'].get('height', 460)}px"}),
                html.Figcaption([html.P(vd.alt, className="visually-hidden"),
                                 html.A(t("embed_open", lang), href=full, target="_blank", rel="noopener",
                                        className="embed-link")]),
            ]),
        ]),
    ])
