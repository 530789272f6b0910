"""Embed view: the chart alone (with its title, unit, period and source drawn on it), a
link back to the full view and one to its image download, for journalists' <iframe>s. Same
URL parameters as the explorer. No Plotly toolbar: on hover it would sit over the title's
first words (an Arabic title starts at the right, where the toolbar is); the chart's PNG and
SVG, with their credit, are in the explorer's Download & share panel, one link away.

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
    explorer = f"/explorer?{view.query_string()}"
    return html.Div(className="page embed", lang=lang, dir=direction(lang), children=[
        html.Main(id="main", children=[
            message_box(view.messages, lang),
            html.H1(words.title, className="visually-hidden"),   # drawn on the chart; said to screen readers
            html.Figure(className="chart-figure", children=[
                chart_box(dcc.Graph(id="embed-graph", figure=fig, config=graph_config(lang),
                                    className="chart", style={"height": f"{fig['layout'].get('height', 460)}px"}),
                          fig),
                html.Figcaption([html.P(words.alt, className="visually-hidden"),
                                 _link(t("embed_open", lang), explorer, "embed-open"), " · ",
                                 _link(t("embed_image", lang), f"{explorer}#share-image", "embed-image")]),
            ]),
        ]),
    ])


def _link(text: str, address: str, ident: str):
    """A link out of the embed, to the explorer in a new tab (the embed stays in its article)."""
    return html.A(text, href=address, id=ident, target="_blank", rel="noopener", className="embed-link")
