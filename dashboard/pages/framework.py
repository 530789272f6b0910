"""Results framework: a country's framework as nested lists (pillar → outcomes → directions →
initiatives), each item with its code and the latest published national figure of every
indicator linked to it; then the country's published targets against the published figures.
What it draws is store.framework.plan, the answer /api/v1/frameworks writes.

An item linked (by theme) to another country's indicators lists the framework's country's
own figures first (or says that none is published), then the others apart, under a heading
that says they are other countries' figures, each named "Figure for Oman": a Jordanian figure
is never shown under a Lebanese outcome as if it were Lebanon's. An indicator with no figure
published at all says "Figures not yet published"; its target still shows, with its period
and source.

URL: /framework?country=LB&lang=ar
"""
from __future__ import annotations

import functools

import dash
from dash import dcc, html

from store.catalogue import meta
from store.formats import fmt_value, period_label, period_phrase
from store.framework import plan
from store.texts import STRINGS, t
from store.view import one

from ..layout import href, message_box, shell

dash.register_page(__name__, path="/framework", order=3, name="Results framework", name_ar=t("page_framework", "ar"),
                   name_en=t("page_framework", "en"), title_key="page_framework",
                   description="Results frameworks and published targets, with the latest published figure of "
                               "each linked indicator.")


@functools.lru_cache(maxsize=16)
def _content(version: str, lang: str, country: str):
    m = meta()
    shown = plan(m, country)
    country_name = m.geo_name(country, lang)
    picker = html.Nav(className="segmented", **{"aria-label": t("country", lang)}, children=[
        html.A(m.geo_name(c, lang), href=href("/framework", lang, country=c),
               className="segment spa-link" + (" active" if c == country else ""),
               **({"aria-current": "page"} if c == country else {}))
        for c in m.countries])
    body = [_framework(m, fw, lang) for fw in shown.frameworks]
    if shown.targets:
        body.append(_targets(m, shown.targets, lang, country_name, framed=bool(shown.frameworks)))
    return [
        html.Div(className="page-head", children=[html.H1(t("fw_heading", lang)),
                                                  html.P(t("fw_intro", lang), className="lead")]),
        html.Div(picker, className="pickers"),
        *(body or [html.P(t("fw_none", lang, country=country_name), className="notice")]),
    ]


def _framework(m, fw, lang: str) -> html.Section:
    source = m.sources[fw.source_id]
    return html.Section(className="framework", children=[
        html.H2(fw.name[lang]),
        html.P([f"{t('source', lang)}: {m.source_name(fw.source_id, lang)}. ", source.get(f"note_{lang}") or ""],
               className="muted"),
        _items(m, fw.items, lang, fw.country),
    ])


def _items(m, items, lang: str, fw_country: str) -> html.Ul:
    """One level of the tree as a list; each item holds its indicators, then the next level."""
    return html.Ul(className="framework-items", children=[
        html.Li(className=f"framework-item level-{item.level}", children=[
            html.P([html.Span(_level(item.level, lang), className="muted"), " ",
                    html.Code(item.code, className="ident") if item.code else None, " ",
                    html.Strong(item.label[lang])]),
            *(_linked(m, item, lang, fw_country) if item.indicators else ()),
            _items(m, item.children, lang, fw_country) if item.children else None,
        ]) for item in items])


def _level(level: str, lang: str) -> str:
    """The level's name; a level the interface has no words for is shown as the catalogue names it."""
    key = f"fw_level_{level}"
    return t(key, lang) if key in STRINGS else level


def _linked(m, item, lang: str, fw_country: str) -> list:
    """The item's indicators: its country's own, then, apart and named as theirs, other
    countries' (linked by theme). An item linked to its own country's indicators only is one list."""
    code = item.code or item.label[lang]
    own = html.Ul([_indicator(m, x, lang) for x in item.own], className="gov-indicators fw-own",
                  **{"aria-label": t("fw_linked", lang, code=code)}) if item.own else None
    if not item.others:
        return [own]
    country = m.geo_name(fw_country, lang)
    return [
        html.Div(className="fw-own-figures", children=[
            html.P(t("fw_own_figures", lang, country=country), className="fw-group-title muted"),
            own or html.P(t("fw_own_none", lang, country=country), className="nodata-cell fw-own-none"),
        ]),
        html.Div(className="fw-other-figures", children=[
            html.P(t("fw_others", lang, country=country), className="fw-group-title muted"),
            html.Ul([_indicator(m, x, lang, whose=True) for x in item.others], className="gov-indicators fw-others",
                    **{"aria-label": t("fw_others_linked", lang, code=code)}),
        ]),
    ]


def _indicator(m, linked, lang: str, whose: bool = False) -> html.Li:
    """A linked indicator, its country and its latest national figure; `whose`: another
    country's, said with the figure ("Figure for Oman")."""
    ind = m.indicators[linked.indicator_id]
    country = m.geo_name(linked.country, lang)
    return html.Li(className="gov-indicator" + ("" if linked.own else " fw-other"),
                   **{"data-indicator": linked.indicator_id, "data-country": linked.country}, children=[
        dcc.Link(ind[f"name_{lang}"], href=href("/explorer", lang, indicator=linked.indicator_id)),
        html.Span(t("fw_figure_for", lang, country=country) if whose else country, className="muted fw-whose"),
        *_figure(m, linked.indicator_id, linked.latest, lang, linked.announced),
    ])


def _figure(m, indicator_id: str, figure, lang: str, announced: bool = False) -> list:
    """A published figure with its unit, and when it was (and its status, if it has one); or
    that none is published: none at all yet (`announced`), or no national one."""
    if figure is None:
        return [html.Span(t("fw_not_yet_published" if announced else "fw_no_figure", lang), className="nodata-cell")]
    ind = m.indicators[indicator_id]
    when = period_phrase(figure.period, ind["measure"], lang)
    if figure.status:
        when += f" ({t('status_' + figure.status, lang)})"
    # the space between them is text: inline (a table cell) the two read "124 staff during 2023", and
    # the page's text, a screen reader's and a copy's never run them together ("124 staffduring 2023")
    return [html.Span(fmt_value(figure.value, m.unit_of(indicator_id), lang, ind["decimals"], figure.qualifier),
                      className="num value"), " ",
            html.Span(when, className="muted")]


def _targets(m, targets, lang: str, country_name: str, framed: bool) -> html.Section:
    rows = []
    for target in targets:
        ind = m.indicators[target.indicator_id]
        unit = m.unit_of(target.indicator_id)
        label = period_label(target.period, lang)
        rows.append(html.Tr([
            html.Th(dcc.Link(ind[f"name_{lang}"], href=href("/explorer", lang, indicator=target.indicator_id)),
                    scope="row"),
            html.Td([html.P(f"{label}: {fmt_value(target.value, unit, lang, ind['decimals'])}"),
                     html.P(target.note[lang], className="muted") if target.note[lang] else None]),
            html.Td(_figure(m, target.indicator_id, target.compared, lang, target.announced)),
            html.Td(_figure(m, target.indicator_id, target.latest, lang, target.announced)),
            html.Td(html.Span(t(target.status, lang, period=label), className=f"badge badge-{target.status}")),
            html.Td(m.sources[target.source_id][f"publisher_{lang}"]),
        ]))
    heading = t("fw_targets", lang, country=country_name)
    return html.Section(className="framework-targets", children=[
        html.H2(heading),
        None if framed else html.P(t("fw_no_framework", lang, country=country_name)),
        html.Div(className="table-wrap", tabIndex="0", role="region", **{"aria-label": heading},
                 children=html.Table(className="data-table", children=[
                     html.Caption(heading),
                     html.Thead(html.Tr([html.Th(t(k, lang), scope="col") for k in
                                         ("col_indicator", "target", "fw_col_figure", "fw_col_latest",
                                          "fw_col_status", "col_source")])),
                     html.Tbody(rows)])),
    ])


def layout(lang: str, country=None, **_):
    m = meta()
    country, messages = one(country), []
    if country is not None and country.upper() not in m.countries:
        messages.append(t("bad_param", lang, value=country[:20], param=t("param_country", lang)))
        country = None
    # the default: the first country with a framework (the page's subject), else with targets
    chosen = country.upper() if country else min(m.countries, key=lambda c: (not plan(m, c).frameworks,
                                                                             not plan(m, c).targets))
    return shell(lang, "/framework", [message_box(messages, lang), *_content(m.version, lang, chosen)],
                 switch_params={"country": chosen})
