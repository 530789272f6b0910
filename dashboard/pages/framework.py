"""Results framework: a country's framework as nested lists (pillar → outcomes → directions →
initiatives), each item with its code and the latest published national figure of every
indicator linked to it; then the country's published targets against the published figures.
What it draws is store.framework.plan, the answer /api/v1/frameworks writes.

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
        _items(m, fw.items, lang),
    ])


def _items(m, items, lang: str) -> html.Ul:
    """One level of the tree as a list; each item holds its indicators, then the next level."""
    return html.Ul(className="framework-items", children=[
        html.Li(className=f"framework-item level-{item.level}", children=[
            html.P([html.Span(_level(item.level, lang), className="muted"), " ",
                    html.Code(item.code, className="ident") if item.code else None, " ",
                    html.Strong(item.label[lang])]),
            _linked(m, item, lang) if item.indicators else None,
            _items(m, item.children, lang) if item.children else None,
        ]) for item in items])


def _level(level: str, lang: str) -> str:
    """The level's name; a level the interface has no words for is shown as the catalogue names it."""
    key = f"fw_level_{level}"
    return t(key, lang) if key in STRINGS else level


def _linked(m, item, lang: str) -> html.Ul:
    out = []
    for linked in item.indicators:
        ind = m.indicators[linked.indicator_id]
        out.append(html.Li(className="gov-indicator", children=[
            dcc.Link(ind[f"name_{lang}"], href=href("/explorer", lang, indicator=linked.indicator_id)),
            html.Span(m.geo_name(linked.country, lang), className="muted"),
            *_figure(m, linked.indicator_id, linked.latest, lang),
        ]))
    return html.Ul(out, className="gov-indicators", **{"aria-label": t("fw_linked", lang, code=item.code or
                                                                       item.label[lang])})


def _figure(m, indicator_id: str, figure, lang: str) -> list:
    """A published figure with its unit, and when it was (and its status, if it has one); or
    that none is published."""
    if figure is None:
        return [html.Span(t("fw_no_figure", lang), className="nodata-cell")]
    ind = m.indicators[indicator_id]
    when = period_phrase(figure.period, ind["measure"], lang)
    if figure.status:
        when += f" ({t('status_' + figure.status, lang)})"
    return [html.Span(fmt_value(figure.value, m.unit_of(indicator_id), lang, ind["decimals"], figure.qualifier),
                      className="num value"),
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
            html.Td(_figure(m, target.indicator_id, target.compared, lang)),
            html.Td(_figure(m, target.indicator_id, target.latest, lang)),
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
