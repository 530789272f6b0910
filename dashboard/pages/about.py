"""About the data: every source document, every indicator definition, how to cite."""
from __future__ import annotations

import datetime as dt
import functools

import dash
from dash import dcc, html

from store import releases
from store.catalogue import meta
from store.formats import fmt_date
from store.texts import parts, t

from ..layout import href, shell

dash.register_page(__name__, path="/about", order=3, name="About the data", name_ar=t("page_about", "ar"),
                   name_en=t("page_about", "en"), title_key="page_about",
                   description="Sources, definitions and how to cite the social protection statistics.")


@functools.lru_cache(maxsize=8)
def _content(version: str, lang: str, today: str, edition: str):
    m = meta()
    source_rows = []
    for sid, s in m.sources.items():
        source_rows.append(html.Tr(id=f"source-{sid}", children=[
            html.Th(s[f"title_{lang}"], scope="row"),
            html.Td(s[f"publisher_{lang}"]),
            html.Td(fmt_date(s.get("published"), lang)),
            html.Td(s[f"reference_period_{lang}"]),
            html.Td(m.geo_name(s["country"], lang)),
            html.Td([s.get(f"note_{lang}") or "",
                     html.A(s["url"], href=s["url"], rel="noopener") if s.get("url") else None]),
        ]))
    sources = html.Div(className="table-wrap", tabIndex="0", role="region", **{"aria-label": t("about_sources", lang)},
                       children=html.Table(className="data-table", id="about-sources", children=[
                           html.Caption(t("about_sources", lang)),
                           html.Thead(html.Tr([html.Th(t(k, lang), scope="col") for k in
                                               ("title", "publisher", "published", "reference_period", "country", "note")])),
                           html.Tbody(source_rows)]))
    sections = []
    for topic, trow in m.topics.items():
        inds = [i for i in m.indicators.values() if i["topic"] == topic]
        if not inds:
            continue
        items = []
        for ind in inds:
            unit = m.units[ind["unit"]]
            n = m.coverage.get(ind["indicator_id"], {}).get("observations", 0)
            items.append(html.Div(className="definition", id=f"def-{ind['indicator_id']}", children=[
                html.Dt(dcc.Link(ind[f"name_{lang}"], href=href("/explorer", lang, indicator=ind["indicator_id"]))),
                html.Dd([
                    html.P([ind[f"definition_{lang}"], " ", dcc.Link(
                        t("page_indicator_more", lang), href=href(f"/indicator/{ind['indicator_id']}", lang))]),
                    html.P(className="muted", children=(
                        f"{t('unit', lang)}: {unit[f'name_{lang}']} · {t('measure_' + ind['measure'], lang)} · "
                        f"{m.geo_name(ind['country'], lang)} · {t('figures_count', lang, n=n)}")),
                    html.Code(ind["indicator_id"], className="ident"),
                ]),
            ]))
        sections.append(html.Section([html.H3(trow[f"name_{lang}"]), html.Dl(items, className="definitions")]))
    example = next(iter(m.sources.values()))
    cite_example = (f"{example[f'publisher_{lang}']}. {example[f'title_{lang}']}. "
                    f"{fmt_date(example.get('published'), lang)}.")
    return [
        html.Div(className="page-head", children=[html.H1(t("about_heading", lang)),
                                                  html.P(t("about_intro", lang), className="lead")]),
        html.Ul([html.Li(t("derived_explained", lang)), html.Li(t("digits_note", lang)),
                 html.Li(t("map_attribution", lang))], className="about-notes"),
        html.H2(t("about_sources", lang)),
        sources,
        html.H2(t("about_indicators", lang) + f" ({t('indicators_count', lang, n=len(m.indicators))})"),
        html.Div(sections, className="definition-sections spa-links"),
        html.H2(t("how_to_cite", lang), id="cite"),
        html.P(t("cite_compilation", lang)),
        # the edition on one line: a phone would break "release 2025-03-01" at its hyphens
        html.Blockquote(parts("cite_text", lang, build=html.Span(edition, className="nowrap"),
                              date=fmt_date(today, lang)), className="cite"),
        html.P(t("cite_source", lang)),
        html.Blockquote(cite_example, className="cite"),
    ]


def layout(lang: str, **_):
    m = meta()
    return shell(lang, "/about", _content(m.version, lang, dt.date.today().isoformat(), releases.edition(lang, m.build_id)))
