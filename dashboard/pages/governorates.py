"""Governorates: a country's governorates on a server-rendered SVG map, shaded where a
figure exists and hatched "no data" where not, a ranked table, and the indicators of the
governorate picked (by clicking the map or the table; the choice is in the URL).

URL: /governorates?country=OM&indicator=om_spf_beneficiaries&geo=OM-BJ&lang=ar
"""
from __future__ import annotations

import functools

import dash
from dash import dcc, html

from .. import data
from ..components import RawHtml
from ..i18n import fmt_amount, norm_lang, period_phrase, t
from ..layout import error_page, href, message_box, shell, title_for
from ..svg import BLUES, NO_DATA_FILL, colour_for, governorate_map, legend_swatch

dash.register_page(__name__, path="/governorates", order=2, name="Governorates", name_ar=t("page_governorates", "ar"),
                   name_en=t("page_governorates", "en"), title=title_for("page_governorates"),
                   description="Governorate figures on a map, ranked, with each governorate's indicators.")


def governorate_indicators(country: str) -> list[str]:
    meta = data.meta()
    cov = data.geo_coverage()
    govs = {c for c, g in meta.geographies.items() if g["level"] == "governorate" and g["country"] == country}
    ids = list(dict.fromkeys(cov.loc[cov["geo_code"].isin(govs), "indicator_id"]))
    return [i for i in meta.indicators if i in ids]


@functools.lru_cache(maxsize=64)
def _content(build_id: str, lang: str, country: str, indicator: str | None, geo: str | None):
    meta = data.meta()
    country_name = meta.geo_name(country, lang)
    indicators = governorate_indicators(country)
    govs = sorted([g for g in meta.geographies.values() if g["level"] == "governorate" and g["country"] == country],
                  key=lambda g: g[f"name_{lang}"])
    countries = [c for c, g in meta.geographies.items() if g["level"] == "country"]
    picker = html.Nav(className="segmented", **{"aria-label": t("country", lang)}, children=[
        html.A(meta.geo_name(c, lang), href=href("/governorates", lang, country=c),
               className="segment spa-link" + (" active" if c == country else ""),
                 **({"aria-current": "page"} if c == country else {}))
        for c in countries])
    ind_picker = None
    if indicators:
        ind_picker = html.Nav(className="segmented", **{"aria-label": t("choose_indicator", lang)}, children=[
            html.A(meta.indicators[i][f"name_{lang}"], href=href("/governorates", lang, country=country, indicator=i, geo=geo),
                   className="segment spa-link" + (" active" if i == indicator else ""),
                     **({"aria-current": "true"} if i == indicator else {}))
            for i in indicators])

    latest = data.latest_governorate_totals(indicator, country) if indicator else {}
    ind = meta.indicators.get(indicator) if indicator else None
    unit = meta.units[ind["unit"]] if ind else {}
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
        link = href("/governorates", lang, country=country, indicator=indicator, geo=code)
        if not map_parent.get(code):
            regions.append({"code": code, "name": g[f"name_{lang}"], "value": value, "title": text.strip(),
                            "href": link, "selected": code == geo})
        ranked.append((code, g[f"name_{lang}"], value, r, link))
    ranked.sort(key=lambda x: (x[2] is None, -(x[2] or 0), x[1]))

    label = t("map_label", lang, country=country_name, indicator=ind[f"name_{lang}"] if ind else t("no_data", lang))
    map_file = meta.geographies[country].get("map_file")
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
            html.Td(fmt_amount(value, unit, lang, ind["decimals"], r.get("qualifier")) if r is not None
                    else t("no_data", lang), className="num" if r is not None else "nodata-cell"),
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
    notes = []
    for g in govs:
        if g.get("map_within"):
            notes.append(t("map_within_note", lang, name=g[f"name_{lang}"], parent=meta.geo_name(g["map_within"], lang)))
    detail = _detail(lang, geo, country) if geo else html.P(t("gov_pick", lang), className="muted")
    return [
        html.Div(className="page-head", children=[html.H1(t("gov_heading", lang)),
                                                  html.P(t("gov_intro", lang), className="lead")]),
        html.Div(className="pickers", children=[picker, ind_picker]),
        html.P(t("gov_none_country", lang, country=country_name), className="notice") if not indicators else None,
        html.Div(className="gov-grid spa-links", children=[
            html.Div(className="map-box", children=[
                RawHtml(html=svg, className="map-svg"),
                html.Ul([html.Li(RawHtml(html=item, inline=True), className="legend-item") for item in legend_items],
                        className="map-legend", **{"aria-label": t("legend", lang)}),
                html.Ul([html.Li(n) for n in notes], className="chart-notes") if notes else None,
                html.P(t("map_attribution", lang), className="attribution"),
            ]),
            html.Div(className="rank-box", children=[table]),
        ]),
        html.Section(detail, className="gov-detail", id="gov-detail"),
    ]


def _detail(lang: str, geo: str, country: str):
    meta = data.meta()
    name = meta.geo_name(geo, lang)
    cov = data.geo_coverage()
    ids = [i for i in meta.indicators if i in set(cov.loc[cov["geo_code"] == geo, "indicator_id"])]
    if not ids:
        return [html.H2(t("gov_indicators", lang, name=name)), html.P(t("gov_no_figures", lang, name=name))]
    tot = data.totals(ids)
    items = []
    for i in ids:
        ind = meta.indicators[i]
        unit = meta.units[ind["unit"]]
        rows = tot[(tot["indicator_id"] == i) & (tot["geo_code"] == geo)].sort_values("period_end")
        if rows.empty:
            continue
        r = rows.iloc[-1]
        value = fmt_amount(r["value"], unit, lang, ind["decimals"], r["qualifier"])
        unit_text = "" if unit.get("kind") == "currency" else f" {unit[f'name_{lang}']}"
        items.append(html.Li(className="gov-indicator", children=[
            dcc.Link(ind[f"name_{lang}"], href=href("/explorer", lang, indicator=i, geo=geo)),
            html.Span(f"{value}{unit_text}", className="num value"),
            html.Span(period_phrase(r["period"], ind["measure"], lang), className="muted"),
        ]))
    return [html.H2(t("gov_indicators", lang, name=name)), html.Ul(items, className="gov-indicators")]


def layout(lang: str | None = None, country: str | None = None, indicator: str | None = None,
           geo: str | None = None, **_):
    lang = norm_lang(lang if isinstance(lang, str) else None)
    try:
        meta = data.meta()
    except FileNotFoundError:
        return error_page(lang, "/governorates", "db_missing")
    messages = []
    countries = [c for c, g in meta.geographies.items() if g["level"] == "country"]
    if not isinstance(country, str) or country.upper() not in countries:
        if country:
            messages.append(t("bad_param", lang, value=str(country)[:20], param="country"))
        country = None
    if country is None and isinstance(geo, str) and geo.upper() in meta.geographies:
        country = meta.geographies[geo.upper()]["country"]
    country = (country or "OM").upper()
    if country not in countries:
        country = countries[0]
    indicators = governorate_indicators(country)
    if indicator is not None and indicator not in indicators:
        messages.append(t("bad_param", lang, value=str(indicator)[:60], param="indicator"))
        indicator = None
    indicator = indicator or (indicators[0] if indicators else None)
    if geo is not None:
        g = meta.geographies.get(str(geo).upper())
        if not g or g["level"] != "governorate" or g["country"] != country:
            messages.append(t("bad_geo", lang, value=str(geo)[:20]))
            geo = None
        else:
            geo = g["geo_code"]
    content = _content(meta.build_id, lang, country, indicator, geo)
    return shell(lang, "/governorates", [message_box(messages, lang), *content],
                 switch_params={"country": country, "indicator": indicator, "geo": geo})
