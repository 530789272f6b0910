"""About the data: every source document, every indicator definition, how to cite."""
from __future__ import annotations

import datetime as dt
import functools

import dash
from dash import dcc, html

from .. import data
from ..i18n import fmt_date, norm_lang, t
from ..layout import error_page, href, shell, title_for

dash.register_page(__name__, path="/about", order=3, name="About the data", name_ar=t("page_about", "ar"),
                   name_en=t("page_about", "en"), title=title_for("page_about"),
                   description="Sources, definitions and how to cite the social protection statistics.")


@functools.lru_cache(maxsize=8)
def _content(build_id: str, lang: str, today: str):
    meta = data.meta()
    cov = data.geo_coverage()
    counts = cov.groupby("indicator_id")["n"].sum().to_dict()
    source_rows = []
    for sid, s in meta.sources.items():
        source_rows.append(html.Tr(id=f"source-{sid}", children=[
            html.Th(s[f"title_{lang}"], scope="row"),
            html.Td(s[f"publisher_{lang}"]),
            html.Td(fmt_date(s.get("published"), lang)),
            html.Td(s[f"reference_period_{lang}"]),
            html.Td(meta.geo_name(s["country"], lang)),
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
    for topic, trow in meta.topics.items():
        inds = [i for i in meta.indicators.values() if i["topic"] == topic]
        if not inds:
            continue
        items = []
        for ind in inds:
            unit = meta.units[ind["unit"]]
            n = int(counts.get(ind["indicator_id"], 0))
            items.append(html.Div(className="definition", id=f"def-{ind['indicator_id']}", children=[
                html.Dt(dcc.Link(ind[f"name_{lang}"], href=href("/explorer", lang, indicator=ind["indicator_id"]))),
                html.Dd([
                    html.P(ind[f"definition_{lang}"]),
                    html.P(className="muted", children=(
                        f"{t('unit', lang)}: {unit[f'name_{lang}']} · {t('measure_' + ind['measure'], lang)} · "
                        f"{meta.geo_name(ind['country'], lang)} · {t('figures_count', lang, n=n)}")),
                    html.Code(ind["indicator_id"], className="ident"),
                ]),
            ]))
        sections.append(html.Section([html.H3(trow[f"name_{lang}"]), html.Dl(items, className="definitions")]))
    example = next(iter(meta.sources.values()))
    cite_example = (f"{example[f'publisher_{lang}']}. {example[f'title_{lang}']}. "
                    f"{fmt_date(example.get('published'), lang)}.")
    return [
        html.Div(className="page-head", children=[html.H1(t("about_heading", lang)),
                                                  html.P(t("about_intro", lang), className="lead")]),
        html.Ul([html.Li(t("derived_explained", lang)), html.Li(t("digits_note", lang)),
                 html.Li(t("map_attribution", lang))], className="about-notes"),
        html.H2(t("about_sources", lang)),
        sources,
        html.H2(t("about_indicators", lang) + f" ({t('indicators_count', lang, n=len(meta.indicators))})"),
        html.Div(sections, className="definition-sections spa-links"),
        html.H2(t("how_to_cite", lang), id="cite"),
        html.P(t("cite_compilation", lang)),
        html.Blockquote(t("cite_text", lang, build=meta.build_id, date=fmt_date(today, lang)), className="cite"),
        html.P(t("cite_source", lang)),
        html.Blockquote(cite_example, className="cite"),
    ]


def layout(lang: str | None = None, **_):
    lang = norm_lang(lang if isinstance(lang, str) else None)
    try:
        content = _content(data.db().build_id, lang, dt.date.today().isoformat())
    except FileNotFoundError:
        return error_page(lang, "/about", "db_missing")
    return shell(lang, "/about", content)
