"""Governorates: a country's governorates on a server-rendered SVG map, shaded where a
figure exists and hatched "no data" where not, a ranked table, and the indicators of the
governorate picked (by clicking the map or the table; the choice is in the URL).

A figure that is provisional (or has another status) or was revised by a later release is
marked as the charts mark it: * beside it in the table and on the map, its status in words
for a screen reader and in the map's titles, and a note under the table naming the marked
governorates in the charts' words (store/texts.py note_marked, note_revised).

URL: /governorates?country=OM&indicator=om_spf_beneficiaries&geo=OM-BJ&lang=ar
"""
from __future__ import annotations

import functools
from urllib.parse import urlencode

import dash
from dash import dcc, html

from contract.schema import STATUSES
from store import queries
from store.catalogue import meta
from store.formats import fmt_amount, join_list, period_phrase
from store.framework import plan
from store.series import revision, totals
from store.texts import t
from store.view import one
from store.wording import status_words

from ..components import RawHtml
from ..figures import MARK
from ..layout import href, message_box, shell
from ..svg import BLUES, NO_DATA_FILL, colour_for, governorate_map, legend_swatch

dash.register_page(__name__, path="/governorates", order=2, name="Governorates", name_ar=t("page_governorates", "ar"),
                   name_en=t("page_governorates", "en"), title_key="page_governorates",
                   description="Governorate figures on a map, ranked, with each governorate's indicators.")


def governorate_indicators(m, country: str) -> list[str]:
    """Indicators with figures for at least one governorate of the country, in catalogue order."""
    govs = {c for c, g in m.geographies.items() if g["level"] == "governorate" and g["country"] == country}
    return [i for i in m.indicators if govs & set(m.geos_of(i))]


@functools.lru_cache(maxsize=64)
def _content(version: str, lang: str, country: str, indicator: str | None, geo: str | None):
    m = meta()
    country_name = m.geo_name(country, lang)
    indicators = governorate_indicators(m, country)
    govs = sorted([g for g in m.geographies.values() if g["level"] == "governorate" and g["country"] == country],
                  key=lambda g: g[f"name_{lang}"])
    countries = [c for c, g in m.geographies.items() if g["level"] == "country"]
    picker = html.Nav(className="segmented", **{"aria-label": t("country", lang)}, children=[
        html.A(m.geo_name(c, lang), href=href("/governorates", lang, country=c),
               className="segment spa-link" + (" active" if c == country else ""),
                 **({"aria-current": "page"} if c == country else {}))
        for c in countries])
    ind_picker = None
    if indicators:
        ind_picker = html.Nav(className="segmented", **{"aria-label": t("choose_indicator", lang)}, children=[
            html.A(m.indicators[i][f"name_{lang}"], href=href("/governorates", lang, country=country, indicator=i, geo=geo),
                   className="segment spa-link" + (" active" if i == indicator else ""),
                     **({"aria-current": "true"} if i == indicator else {}))
            for i in indicators])
    head = [html.Div(className="page-head", children=[html.H1(t("gov_heading", lang)),
                                                      html.P(t("gov_intro", lang), className="lead")]),
            html.Div(className="pickers", children=[picker, ind_picker])]
    if not indicators:   # no map of "no data" areas and no empty table: where the country's figures are instead
        return [*head, _published_elsewhere(m, lang, country, country_name),
                html.Section(_detail(m, lang, geo), className="gov-detail", id="gov-detail") if geo else None]

    latest = queries.latest_governorate_totals(m, indicator, country) if indicator else {}
    ind = m.indicators.get(indicator) if indicator else None
    unit = m.units[ind["unit"]] if ind else {}
    marked = _marked_figures(m, indicator, latest) if indicator else {}
    marks = _mark_words(m, lang, indicator, marked) if marked else {}
    regions, ranked = [], []
    map_parent = {g["geo_code"]: g.get("map_within") for g in govs}
    for g in govs:
        code = g["geo_code"]
        r = latest.get(code)
        value = float(r["value"]) if r is not None else None
        text = (f"{g[f'name_{lang}']}: {fmt_amount(value, unit, lang, ind['decimals'], r.get('qualifier'))} "
                f"{unit.get(f'name_{lang}', '') if unit.get('kind') != 'currency' else ''} "
                f"({period_phrase(r['period'], ind['measure'], lang)})").replace("  ", " ") if r is not None \
            else f"{g[f'name_{lang}']}: {t('no_data', lang)}"
        # "#gov-detail": choosing a governorate brings its figures into view (assets/spi.js)
        link = href("/governorates", lang, country=country, indicator=indicator, geo=code) + "#gov-detail"
        if not map_parent.get(code):
            regions.append({"code": code, "name": g[f"name_{lang}"], "value": value, "title": text.strip(),
                            "href": link, "selected": code == geo, "mark": marks.get(code, "")})
        ranked.append((code, g[f"name_{lang}"], value, r, link))
    ranked.sort(key=lambda x: (x[2] is None, -(x[2] or 0), x[1]))

    label = t("map_label", lang, country=country_name, indicator=ind[f"name_{lang}"] if ind else t("no_data", lang))
    map_file = m.geographies[country].get("map_file")
    svg = governorate_map(map_file, regions, label) if map_file else ""
    values = [v for _, _, v, _, _ in ranked if v is not None]
    legend_items = []
    if values:
        lo, hi = min(values), max(values)
        if hi > lo:
            for n, colour in enumerate(BLUES):
                a = lo + (hi - lo) * n / len(BLUES)
                b = lo + (hi - lo) * (n + 1) / len(BLUES)
                legend_items.append(legend_swatch(colour, f"{fmt_amount(a, unit, lang)} – {fmt_amount(b, unit, lang)}"))
        else:
            legend_items.append(legend_swatch(colour_for(lo, lo, hi), fmt_amount(lo, unit, lang)))
    legend_items.append(legend_swatch(NO_DATA_FILL, t("no_data", lang)))

    rows = []
    for n, (code, name, value, r, link) in enumerate(ranked, start=1):
        rows.append(html.Tr(className="selected" if code == geo else None, children=[
            html.Td(str(n) if value is not None else "–", className="num"),
            html.Th(dcc.Link(name, href=link), scope="row"),
            html.Td(_with_mark(fmt_amount(value, unit, lang, ind["decimals"], r.get("qualifier")), marks.get(code))
                    if r is not None else t("no_data", lang), className="num" if r is not None else "nodata-cell"),
            html.Td(period_phrase(r["period"], ind["measure"], lang) if r is not None else ""),
        ]))
    table = html.Div(className="table-wrap", tabIndex="0", role="region", **{"aria-label": t("ranked_table", lang)},
                     children=html.Table(className="data-table", id="gov-ranked", children=[
                         html.Caption(f"{t('ranked_table', lang)}: {ind[f'name_{lang}']} ({unit.get(f'name_{lang}', '')})"
                                      if ind else t("ranked_table", lang)),
                         html.Thead(html.Tr([html.Th(t("col_rank", lang), scope="col"),
                                             html.Th(t("col_area", lang), scope="col"),
                                             html.Th(t("col_value", lang), scope="col"),
                                             html.Th(t("col_period", lang), scope="col")])),
                         html.Tbody(rows)]))
    notes_marked = _mark_notes(m, lang, marked)
    notes = []
    for g in govs:
        if g.get("map_within"):
            notes.append(t("map_within_note", lang, name=g[f"name_{lang}"], parent=m.geo_name(g["map_within"], lang)))
    detail = _detail(m, lang, geo) if geo else html.P(t("gov_pick", lang), className="muted")
    return [
        *head,
        html.Div(className="gov-grid spa-links", children=[
            html.Div(className="map-box", children=[
                RawHtml(html=svg, className="map-svg"),
                html.Ul([html.Li(RawHtml(html=item, inline=True), className="legend-item") for item in legend_items],
                        className="map-legend", **{"aria-label": t("legend", lang)}),
                html.Ul([html.Li(n) for n in notes], className="chart-notes") if notes else None,
                html.P(t("map_attribution", lang), className="attribution"),
            ]),
            html.Div(className="rank-box", children=[
                table, html.Ul([html.Li(n) for n in notes_marked], className="chart-notes", id="gov-marks")
                if notes_marked else None]),
        ]),
        html.Section(detail, className="gov-detail", id="gov-detail"),
    ]


def _marked_figures(m, indicator: str, latest: dict[str, dict]) -> dict[str, dict]:
    """{governorate: its latest figure} for the figures that have a status or a revision (the
    figure as the charts read it, store/series.py totals, which carries both)."""
    figures = {(r["geo_code"], r["period"]): r for r in totals(m, indicator)}
    found = {code: figures.get((code, r["period"]), {}) for code, r in latest.items()}
    return {code: f for code, f in found.items() if f.get("status") or revision(f)}


def _mark_words(m, lang: str, indicator: str, marked: dict[str, dict]) -> dict[str, str]:
    """{governorate: its figure's status and revision in words}, worded as a chart words them."""
    ind = m.indicators[indicator]
    unit = m.units[ind["unit"]]
    return {code: status_words(f.get("status"), revision(f), lambda v: fmt_amount(v, unit, lang, ind["decimals"]), lang)
            for code, f in marked.items()}


def _mark_notes(m, lang: str, marked: dict[str, dict]) -> list[str]:
    """The notes under the table, as under a chart: the governorates whose figure has each
    status, and those whose figure a later release revised."""
    def names(codes) -> str:
        return join_list(sorted((m.geo_name(c, lang) for c in codes)), lang)

    notes = [t("note_marked", lang, status=t(f"status_{status}", lang),
               periods=names(c for c, f in marked.items() if f.get("status") == status))
             for status in STATUSES if any(f.get("status") == status for f in marked.values())]
    revised = [c for c, f in marked.items() if revision(f)]
    return notes + ([t("note_revised", lang, periods=names(revised))] if revised else [])


def _with_mark(text: str, words: str | None):
    """A table cell's figure with the charts' mark, its words said to a screen reader."""
    if not words:
        return text
    return [text, html.Span([html.Span(MARK, **{"aria-hidden": "true"}),
                             html.Span(f" ({words})", className="visually-hidden")], className="figure-mark", title=words)]


def _published_elsewhere(m, lang: str, country: str, country_name: str):
    """A country with no governorate figures: the notice, and links to its results framework or
    targets (when it has them) and to its national figures (when it has any)."""
    links = []
    shown = plan(m, country)
    if shown.frameworks or shown.targets:
        links.append(dcc.Link(t("gov_framework_link", lang, country=country_name),
                              href=href("/framework", lang, country=country), id="gov-framework-link"))
    national = [i for i in m.indicators if country in m.geos_of(i)]
    if national:
        links.append(dcc.Link(t("gov_national_link", lang, country=country_name),
                              href=href("/explorer", lang, indicator=national[0]), id="gov-national-link"))
    return html.Div(className="notice", children=[html.P(t("gov_none_country", lang, country=country_name)),
                                                  html.Ul([html.Li(link) for link in links]) if links else None])


def _detail(m, lang: str, geo: str):
    """The latest figure of every indicator published for one governorate."""
    name = m.geo_name(geo, lang)
    ids = [i for i in m.indicators if geo in m.geos_of(i)]
    if not ids:
        return [html.H2(t("gov_indicators", lang, name=name)), html.P(t("gov_no_figures", lang, name=name))]
    items = []
    for i in ids:
        ind = m.indicators[i]
        unit = m.units[ind["unit"]]
        rows = [r for r in totals(m, i) if r["geo_code"] == geo]
        if not rows:
            continue
        r = rows[-1]
        value = fmt_amount(r["value"], unit, lang, ind["decimals"], r["qualifier"])
        unit_text = "" if unit.get("kind") == "currency" else f" {unit[f'name_{lang}']}"
        items.append(html.Li(className="gov-indicator", children=[
            dcc.Link(ind[f"name_{lang}"], href=href("/explorer", lang, indicator=i, geo=geo)),
            html.Span(f"{value}{unit_text}", className="num value"),
            html.Span(period_phrase(r["period"], ind["measure"], lang), className="muted"),
        ]))
    return [html.H2(t("gov_indicators", lang, name=name)), html.Ul(items, className="gov-indicators"),
            _all_figures(m, lang, geo, name)]


def _all_figures(m, lang: str, geo: str, name: str):
    """Every figure of the place, with every breakdown: the CSV and the workbook of
    /data/place/<geo> and the API call that returns the same rows (a view of a place alone
    would give its totals only)."""
    api = f"/api/v1/observations?{urlencode({'geo': geo, 'breakdown': 'all'})}"
    files = {ext: f"/data/place/{geo}.{ext}?{urlencode({'lang': lang})}" for ext in ("csv", "xlsx")}
    return html.Div(className="place-downloads", children=[
        html.H3(t("gov_all_figures", lang, name=name)),
        html.P([html.A(t("gov_all_figures_csv", lang), href=files["csv"], download=f"{geo}.csv", id="gov-all-csv"),
                " · ", html.A(t("gov_all_figures_xlsx", lang), href=files["xlsx"], download=f"{geo}.xlsx",
                              id="gov-all-xlsx"),
                " · ", html.A(t("gov_all_figures_api", lang), href=api, id="gov-all-api")]),
    ])


def layout(lang: str, country=None, indicator=None, geo=None, **_):
    m = meta()
    country, indicator, geo = one(country), one(indicator), one(geo)
    messages = []
    if country is not None and country.upper() not in m.countries:
        messages.append(t("bad_param", lang, value=country[:20], param=t("param_country", lang)))
        country = None
    if country is None and geo is not None and geo.upper() in m.geographies:
        country = m.geographies[geo.upper()]["country"]
    # the default: the country of the indicator the dashboard opens on
    country = (country or m.indicators[m.default_indicator]["country"]).upper()
    indicators = governorate_indicators(m, country)
    if indicator is not None and indicator not in indicators:
        messages.append(t("bad_param", lang, value=indicator[:60], param=t("param_indicator", lang)))
        indicator = None
    indicator = indicator or (indicators[0] if indicators else None)
    if geo is not None:
        g = m.geographies.get(geo.upper())
        if not g or g["level"] != "governorate" or g["country"] != country:
            messages.append(t("bad_geo", lang, value=geo[:20]))
            geo = None
        else:
            geo = g["geo_code"]
    content = _content(m.version, lang, country, indicator, geo)
    return shell(lang, "/governorates", [message_box(messages, lang), *content],
                 switch_params={"country": country, "indicator": indicator, "geo": geo})
