"""The explorer's controls: the indicator picker, the toggle buttons for view, bar mode and
places, and the period selects (a year, then a month, quarter or half of it). Each button's
id says its group and value, each select's its group; the page's one callback turns a press
or a choice into a new view (dashboard/pages/explorer.py).
"""
from __future__ import annotations

import functools
from html import escape as _esc

from dash import dcc, html

from store.formats import period_label
from store.texts import t
from store.view import MODES, View, period_choices, shows_one_period, views_for

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


def period_picks(group: str, labels: tuple[str, ...], current: str | None, lang: str, every: str | None = None):
    """The year and sub-period selects of one period (from, to, or the one period a view shows),
    whatever the series' frequency: the year select lists the years of `labels` (after
    `every`, the option for no bound, when given); when the chosen year has periods within it
    (months, quarters, halves), a second select lists them, after the whole year. An annual
    series has the year select alone. Two selects of a few dozen options stay small however
    long the series is (a button a period did not).

    Native <select>s, written as HTML (RawHtml): the browser's own control, which every
    keyboard, screen reader and phone knows (Dash's dcc.Dropdown renders a focusable input
    that is aria-hidden). assets/explorer.js hands a choice to the page's callback, or, on the
    server's copy, opens the view's address with it."""
    years = list(dict.fromkeys(p[:4] for p in labels))
    year = current[:4] if current else None
    options = ([("", every)] if every else []) + [(y, period_label(y, lang)) for y in years]
    picks = [_select(group, "year", t("pick_year", lang), options, year or "")]
    within = [p for p in labels if year and p[:4] == year]
    if any(p != year for p in within):
        # a bound may be a whole year; a view's one period must be one of its periods
        whole = [(year, t("whole_year", lang))] if every else []
        parts = whole + [(p, period_label(p, lang)) for p in within if not (every and p == year)]
        picks.append(_select(group, "part", t("pick_part", lang), parts, current))
    return RawHtml(html="".join(picks), className="picks")


def _select(group: str, part: str, label: str, options: list[tuple[str, str]], value: str | None) -> str:
    """One select; its label wraps it (names it), its option values are the periods the view
    reads (explorer.py pressed)."""
    opts = "".join(f'<option value="{_esc(key)}"{" selected" if key == value else ""}>{_esc(text)}</option>'
                   for key, text in options)
    return (f'<label class="pick"><span class="pick-label">{_esc(label)}</span>'
            f'<select id="explorer-pick-{group}-{part}" class="pick-select" data-group="{group}">{opts}</select></label>')


def controls(view: View, meta):
    lang = view.lang
    labels = meta.periods_of(view.indicator)
    views = [_toggle("view", value, label, value == view_value(view)) for value, label in view_options(view, meta)]
    modes = [_toggle("mode", m, t(f"mode_{m}", lang), m == view.mode) for m in MODES]
    geos = [_toggle("geo", g, meta.geo_name(g, lang), g in view.geos) for g in meta.geos_of(view.indicator)]
    choices = period_choices(meta, view.kind, view.indicator, view.breakdown)
    one = shows_one_period(view.kind, choices)   # the period selects, or the from and to selects
    return [
        _group(t("show", lang), views, "explorer-view"),
        _group(t("bar_mode", lang), modes, "explorer-mode", hidden=view.kind != "breakdown"),
        _group(t("geography", lang), geos, "explorer-geo"),
        _group(t("period_shown", lang), period_picks("period", choices, view.period, lang), "explorer-period",
               hidden=not one),
        _group(f"{t('years', lang)}: {t('from', lang)}",
               period_picks("from", labels, view.first, lang, t("all_periods", lang)), "explorer-from", hidden=one),
        _group(f"{t('years', lang)}: {t('to', lang)}",
               period_picks("to", labels, view.last, lang, t("all_periods", lang)), "explorer-to", hidden=one),
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
