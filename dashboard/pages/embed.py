"""Embed view: the chart alone (with its title, unit, period and source drawn on it), a
link back to the full view, for journalists' <iframe>s. Same URL parameters as the explorer.

/embed/<indicator_id>?view=..&breakdown=..&mode=..&geo=..&from=..&to=..&lang=..
An indicator the catalogue does not have is a 404 page, never another indicator's chart.
"""
from __future__ import annotations

import dash
from dash import dcc, html

from store.catalogue import meta
from store.texts import direction, t
from store.view import parse_view

from ..blocks import chart_box
from ..cache import view_for
from ..figures import graph_config
from ..layout import message_box
from ..status import not_found

dash.register_page(__name__, path_template="/embed/<indicator>", nav=False, name="Embed",
                   name_ar=t("page_embed", "ar"), name_en=t("page_embed", "en"), title_key="page_embed")


def layout(lang: str, indicator: str | None = None, **params):
    m = meta()
    if indicator not in m.indicators:
        return not_found(lang)
    view = parse_view({**params, "indicator": indicator, "tab": "chart"}, m, lang)
    words, fig = view_for(view)
    return html.Div(className="page embed", lang=lang, dir=direction(lang), children=[
        html.Main(id="main", children=[
            message_box(view.messages, lang),
            html.H1(words.title, className="visually-hidden"),   # drawn on the chart; said to screen readers
            html.Figure(className="chart-figure", children=[
                chart_box(dcc.Graph(id="embed-graph", figure=fig, config=graph_config(view.indicator, lang),
                                    className="chart", style={"height": f"{fig['layout'].get('height', 460)}px"}),
                          fig),
                html.Figcaption([html.P(words.alt, className="visually-hidden"),
                                 html.A(t("embed_open", lang), href=f"/explorer?{view.query_string()}",
                                        target="_blank", rel="noopener", className="embed-link")]),
            ]),
        ]),
    ])
