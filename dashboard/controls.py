"""The explorer's controls: the indicator picker and the toggle buttons for view, bar mode,
places and periods. Each button's id says its group and value; the page's one callback
turns a press into a new view (dashboard/pages/explorer.py).
"""
from __future__ import annotations

import functools

from dash import dcc, html

from store.formats import period_label
from store.texts import t
from store.view import MODES, View, views_for

from .components import RawHtml
from .layout import href
from .render import to_html


def view_options(view: View, meta) -> list[tuple[str, str]]:
    """(value, label) of each view the indicator offers; one per breakdown."""
    lang, ind = view.lang, meta.indicators[view.indicator]
    out = []
    for kind in views_for(meta, view.indicator):
        if kind == "breakdown":
            out += [(f"breakdown:{d}", t("view_breakdown", lang, dimension=meta.dimension_name(d, lang, in_sentence=True)))
                    for d in ind["breakdowns"]]
        else:
            out.append((kind, t(f"view_{kind}", lang)))
    return out


def view_value(view: View) -> str:
    return f"breakdown:{view.breakdown}" if view.kind == "breakdown" else view.kind


@functools.lru_cache(maxsize=4096)
def _toggle(group: str, value: str, label: str, pressed: bool):
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


def _period_choices(labels: tuple[str, ...]) -> list[str]:
    """Every period when there are few; otherwise the first, the last and each January."""
    if len(labels) <= 16:
        return list(labels)
    return [p for n, p in enumerate(labels) if n in (0, len(labels) - 1) or p.endswith(("-01", "-H1", "-Q1"))
            or len(p) == 4]


def controls(view: View, meta):
    lang = view.lang
    periods = _period_choices(meta.periods_of(view.indicator))
    views = [_toggle("view", value, label, value == view_value(view)) for value, label in view_options(view, meta)]
    modes = [_toggle("mode", m, t(f"mode_{m}", lang), m == view.mode) for m in MODES]
    geos = [_toggle("geo", g, meta.geo_name(g, lang), g in view.geos) for g in meta.geos_of(view.indicator)]
    bounds = {}
    for key, current in (("from", view.first), ("to", view.last)):
        bounds[key] = [_toggle(key, "", t("all_periods", lang), not current)] + \
            [_toggle(key, p, period_label(p, lang), p == current) for p in periods]
    return [
        _group(t("show", lang), views, "explorer-view"),
        _group(t("bar_mode", lang), modes, "explorer-mode", hidden=view.kind != "breakdown"),
        _group(t("geography", lang), geos, "explorer-geo"),
        _group(f"{t('years', lang)}: {t('from', lang)}", bounds["from"], "explorer-from"),
        _group(f"{t('years', lang)}: {t('to', lang)}", bounds["to"], "explorer-to"),
    ]


def indicator_picker(view: View, meta):
    """All indicators as links grouped by topic, in a disclosure: keyboard- and screen-reader-
    friendly, and each link is itself a permalink."""
    lang = view.lang
    groups = []
    for topic, trow in meta.topics.items():
        # data-search: what a search matches, in both languages (assets/spi.js folds Arabic
        # letter forms and diacritics on both sides, so أطفال, اطفال and الأطفال all find it)
        links = [html.Li(html.A(i[f"name_{lang}"] + f" ({meta.geo_name(i['country'], lang)})",
                                href=href("/explorer", lang, indicator=key),
                                className="spa-link" + (" current" if key == view.indicator else ""),
                                **({"aria-current": "true"} if key == view.indicator else {})),
                         **{"data-search": " ".join([i["name_ar"], i["name_en"], key, trow["name_ar"], trow["name_en"],
                                                     meta.geo_name(i["country"], "ar"), meta.geo_name(i["country"], "en")])})
                 for key, i in meta.indicators.items() if i["topic"] == topic]
        if links:
            groups.append(html.Div([html.H3(trow[f"name_{lang}"]), html.Ul(links)], className="picker-group"))
    return html.Details(className="picker control-wide", id="explorer-picker", children=[
        html.Summary([html.Span(t("choose_indicator", lang) + ": ", className="control-label"),
                      html.Strong(meta.indicators[view.indicator][f"name_{lang}"]),
                      html.Span(" ▾", **{"aria-hidden": "true"})]),
        html.Div(className="picker-search-row", children=[
            html.Label(t("search_indicators", lang), htmlFor="explorer-picker-search", className="visually-hidden"),
            dcc.Input(id="explorer-picker-search", type="search", className="picker-search", debounce=False,
                      placeholder=t("search_indicators", lang), autoComplete="off"),
        ]),
        html.P(t("search_no_match", lang), className="picker-none muted", hidden=True),
        # plain links (spi.js navigates them inside the app and searches them): sent as HTML,
        # one node for React to draw instead of a component for every list item and link
        RawHtml(html=to_html(groups), className="picker-groups"),
    ])
