"""The explorer's blocks: the chart with its notes and download buttons, the share boxes
(permalink, API address, embed snippet), the Sources tab, the heading and the tabs.

Every download link is the view's own selection (View.download_args / View.api_args), so
"the data behind this chart" is exactly the chart's figures.
"""
from __future__ import annotations

from urllib.parse import urlencode

from dash import dcc, html

from store import releases
from store.formats import fmt_date
from store.embed import iframe_snippet
from store.queries import calendar_from
from store.texts import t
from store.view import View
from store.wording import Described

from .figures import graph_config

TABS = ("chart", "table", "sources")


def data_links(view: View, meta) -> dict[str, str]:
    """The view's CSV and XLSX downloads and its API address (relative)."""
    q = urlencode({**view.download_args(meta), "lang": view.lang}, safe=",")
    api = urlencode({**view.api_args(meta), "format": "csv"}, safe=",")
    return {"csv": f"/data/{view.indicator}.csv?{q}", "xlsx": f"/data/{view.indicator}.xlsx?{q}",
            "api": f"/api/v1/observations?{api}"}


def chart_block(view: View, words: Described, fig: dict, meta):
    lang = view.lang
    links = data_links(view, meta)
    return html.Figure(className="chart-figure", children=[
        dcc.Graph(id="explorer-graph", figure=fig, config=graph_config(view.indicator, lang, toolbar=False),
                  className="chart", style={"height": f"{fig['layout'].get('height', 460)}px"}, responsive=True),
        html.Figcaption(className="chart-caption", children=[
            html.Ul([html.Li(n) for n in words.notes], className="chart-notes") if words.notes else None,
            html.Details(className="in-words", children=[
                html.Summary(t("in_words", lang)),
                html.P(words.alt, id="explorer-alt"),
            ]),
        ]),
        html.Div(className="download-bar", role="group", **{"aria-label": t("downloads", lang)}, children=[
            html.A(t("download_csv", lang), href=links["csv"], className="button", id="explorer-csv",
                   download=f"{view.indicator}.csv"),
            html.A(t("download_xlsx", lang), href=links["xlsx"], className="button", id="explorer-xlsx",
                   download=f"{view.indicator}.xlsx"),
            html.Button(t("download_png", lang), id="explorer-png", className="button", type="button",
                        **{"data-filename": f"{view.indicator}_{lang}"}),
        ]),
    ])


def embed_url(view: View, base: str) -> str:
    query = {k: v for k, v in view.query(tab=False).items() if k != "indicator"}
    return f"{base}/embed/{view.indicator}?{urlencode(query, safe=',')}"


def share_block(view: View, meta, base: str):
    """Permalink, API address and embed snippet, absolute from the site's public address."""
    lang = view.lang
    snippet = iframe_snippet(embed_url(view, base), meta.indicators[view.indicator][f"name_{lang}"], 560)

    def box(label, ident, value, multiline=False):
        return copy_box(label, ident, value, lang, multiline)

    return html.Div(className="share", children=[
        box(t("permalink", lang), "explorer-permalink", f"{base}/explorer?{view.query_string()}"),
        box(t("developer_api", lang), "explorer-api", base + data_links(view, meta)["api"]),
        box(t("embed", lang), "explorer-embed", snippet, multiline=True),
    ])


def sources_block(view: View, meta):
    """Definition, unit and measure of the indicator, and a card per source it cites."""
    lang = view.lang
    ind = meta.indicators[view.indicator]
    items = [
        html.Dt(t("definition", lang)), html.Dd(ind[f"definition_{lang}"]),
        html.Dt(t("unit", lang)), html.Dd(meta.unit_of(view.indicator)[f"name_{lang}"]),
        html.Dt(t("measure", lang)), html.Dd(t(f"measure_{ind['measure']}", lang)),
    ]
    cards = []
    for sid in meta.source_ids(view.indicator):
        s = meta.sources.get(sid)
        if not s:
            continue
        rows = [html.Dt(t("publisher", lang)), html.Dd(s[f"publisher_{lang}"]),
                html.Dt(t("title", lang)), html.Dd(s[f"title_{lang}"]),
                html.Dt(t("published", lang)), html.Dd(fmt_date(s.get("published"), lang)),
                html.Dt(t("reference_period", lang)), html.Dd(s[f"reference_period_{lang}"])]
        if s.get(f"note_{lang}"):
            rows += [html.Dt(t("note", lang)), html.Dd(s[f"note_{lang}"])]
        if s.get("url"):
            rows += [html.Dt("URL"), html.Dd(html.A(s["url"], href=s["url"], rel="noopener"))]
        cards.append(html.Article(html.Dl(rows, className="facts"), className="source-card", **{"data-source": sid}))
    return html.Div([
        html.H3(ind[f"name_{lang}"]),
        html.Dl(items, className="facts"),
        html.H3(t("sources", lang)),
        html.Div(cards, className="source-cards"),
    ])


def copy_box(label: str, ident: str, value: str, lang: str, multiline: bool = False):
    """A read-only field with a copy button. After a copy the button says so ("Copied") until
    the next copy or for a few seconds, and a live region tells a screen reader (assets/spi.js)."""
    field = (dcc.Textarea(id=ident, value=value, readOnly=True, className="copy-field", rows=3)
             if multiline else dcc.Input(id=ident, value=value, readOnly=True, className="copy-field", type="text"))
    return html.Div(className="copy-box", children=[
        html.Label(label, htmlFor=ident),
        html.Div(className="copy-row", children=[
            field, html.Button(t("copy", lang), type="button", className="button copy-button",
                               **{"data-copy-target": ident, "aria-label": f"{t('copy', lang)}: {label}",
                                  "data-copied-label": t("copied", lang)})]),
        html.Span(className="copy-status visually-hidden", role="status", **{"aria-live": "polite"}),
    ])


def heading(view: View, meta):
    ind = meta.indicators[view.indicator]
    lang = view.lang
    expected = [e for e in calendar_from(meta, releases.today(meta.timezone)) if view.indicator in (e["indicators"] or [])]
    return [html.H2(ind[f"name_{lang}"], className="view-title"),
            html.P(ind[f"definition_{lang}"], className="view-definition"),
            html.P(dcc.Link(t("next_expected", lang, when=expected[0]["expected_on"].isoformat(),
                              what=expected[0][f"title_{lang}"]), href=f"/releases?lang={lang}"),
                   className="next-release") if expected else None]


def tabs(view: View):
    lang = view.lang
    return html.Div(className="tabs", role="tablist", **{"aria-label": t("tabs_label", lang)}, children=[
        html.Button(t(f"tab_{tab}", lang), id=f"explorer-tab-{tab}", className="tab", role="tab", type="button",
                    **{"aria-selected": "true" if view.tab == tab else "false",
                       "aria-controls": f"explorer-panel-{tab}", "data-tab": tab},
                    tabIndex="0" if view.tab == tab else "-1")
        for tab in TABS])
