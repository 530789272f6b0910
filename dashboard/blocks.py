"""The explorer's blocks: the chart with its notes, its Download & share panel (images, data,
permalink, embed snippet, API address, citations), the Sources tab, the heading and the tabs.

Every download link is the view's own selection (View.download_args / View.api_args), so
"the data behind this chart" is exactly the chart's figures.
"""
from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlencode

from dash import dcc, html

from store import datapage, releases
from store.formats import fmt_date
from store.embed import iframe_snippet
from store.texts import direction, t
from store.view import View
from store.wording import Described, citation

from .chart_svg import twin
from .components import RawHtml
from .credit import image_credit, room
from .figures import graph_config
from .layout import href

TABS = ("chart", "table", "sources")


def data_links(view: View, meta) -> dict[str, str]:
    """The view's CSV and XLSX downloads, its API address, and the same figures in the open
    standards statistical tools read: JSON-stat 2.0 and, when the catalogue publishes SDMX,
    SDMX-CSV 2.0 (relative addresses; the API writes both from the same rows as the CSV)."""
    q = urlencode({**view.download_args(meta), "lang": view.lang}, safe=",")

    def api(fmt: str) -> str:
        return f"/api/v1/observations?{urlencode({**view.api_args(meta), 'format': fmt}, safe=',')}"
    links = {"csv": f"/data/{view.indicator}.csv?{q}", "xlsx": f"/data/{view.indicator}.xlsx?{q}",
             "api": api("csv"), "jsonstat": api("jsonstat") + f"&lang={view.lang}"}
    if meta.sdmx:
        links["sdmx"] = api("sdmx-csv") + f"&lang={view.lang}&labels=both"
    return links


def full_links(view: View) -> dict[str, str]:
    """The indicator's full series (every place, period and breakdown) as CSV and XLSX."""
    q = urlencode({"lang": view.lang, **({"as_of": view.as_of} if view.as_of else {})})
    return {"csv": f"/data/{view.indicator}.csv?{q}", "xlsx": f"/data/{view.indicator}.xlsx?{q}"}


def chart_block(view: View, words: Described, fig: dict, meta):
    lang = view.lang
    return html.Figure(className="chart-figure", children=[
        chart_box(dcc.Graph(id="explorer-graph", figure=fig, config=graph_config(lang),
                            className="chart", style={"height": f"{fig['layout'].get('height', 460)}px"},
                            responsive=True), fig),
        html.Figcaption(className="chart-caption", children=[
            html.Ul([html.Li(n) for n in words.notes], className="chart-notes") if words.notes else None,
            html.Details(className="in-words", children=[
                html.Summary(t("in_words", lang)),
                html.P(words.alt, id="explorer-alt"),
            ]),
        ]),
    ])


def chart_box(graph, fig: dict):
    """The interactive chart over its server-drawn twin (dashboard/chart_svg.py): the twin is
    in the first HTML and stays until plotly.js has drawn the chart in the same box."""
    return html.Div(className="chart-box", children=[RawHtml(html=twin(fig), className="chart-twin"), graph])


def embed_url(view: View, base: str) -> str:
    query = {k: v for k, v in view.query(tab=False).items() if k != "indicator"}
    return f"{base}/embed/{view.indicator}?{urlencode(query, safe=',')}"


def pinned(view: View) -> View:
    """The view at the release it reads, for a citation: the cited address gives the same
    figures after later releases."""
    choice = releases.current()
    return replace(view, as_of=choice.release.release_id) if choice is not None and not view.as_of else view


def share_block(view: View, meta, base: str, words: dict[str, Described]):
    """One Download & share panel per chart (as Our World in Data has): the chart as PNG or
    SVG with the site, its address and the licence drawn under the source; the data of this
    view and of the full series; the permalink, the embed snippet and the API call; and a
    citation in both languages (`words`: the view described in each)."""
    lang = view.lang
    links, full = data_links(view, meta), full_links(view)
    permalink = f"{base}/explorer?{view.query_string()}"
    licence = meta.licence["id"]
    edition = {code: releases.edition(code, meta.build_id) for code in words}
    snippet = iframe_snippet(embed_url(view, base), meta.indicators[view.indicator][f"name_{lang}"], 560)

    def box(label, ident, value, multiline=False, prose=None):
        return copy_box(label, ident, value, lang, multiline, prose)

    def group(key, *children):
        return html.Div(className="share-group", role="group", **{"aria-labelledby": f"share-{key}"}, children=[
            html.H4(t(f"share_{key}", lang), id=f"share-{key}"), *children])

    def file(text, href, ident, name):
        return html.A(t(text, lang), href=href, className="button", id=ident, download=name)

    credit = image_credit(lang, permalink, licence)   # drawn under the source by assets/explorer.js
    image = {"data-credit": credit, "data-credit-room": str(room(credit)), "data-filename": f"{view.indicator}_{lang}"}
    return html.Section(className="share-panel", **{"aria-labelledby": "share-heading"}, children=[
        html.H3(t("share_panel", lang), id="share-heading"),
        group("image", html.Div(className="download-bar", children=[
            html.Button(t(f"download_{fmt}", lang), id=f"explorer-{fmt}", className="button", type="button",
                        **image, **{"data-image-format": fmt}) for fmt in ("png", "svg")])),
        group("view_data", html.Div(className="download-bar", children=[
            file("download_csv", links["csv"], "explorer-csv", f"{view.indicator}.csv"),
            file("download_xlsx", links["xlsx"], "explorer-xlsx", f"{view.indicator}.xlsx"),
            file("download_jsonstat", links["jsonstat"], "explorer-jsonstat", f"{view.indicator}.jsonstat.json"),
            *([file("download_sdmx", links["sdmx"], "explorer-sdmx", f"{view.indicator}.sdmx.csv")]
              if "sdmx" in links else [])])),
        group("full_data", html.Div(className="download-bar", children=[
            file("download_csv", full["csv"], "explorer-full-csv", f"{view.indicator}_full.csv"),
            file("download_xlsx", full["xlsx"], "explorer-full-xlsx", f"{view.indicator}_full.xlsx")])),
        group("link", box(t("permalink", lang), "explorer-permalink", permalink),
              box(t("embed", lang), "explorer-embed", snippet, multiline=True),
              box(t("developer_api", lang), "explorer-api", base + links["api"])),
        # a view with no figure has nothing to cite ("(persons). . In: …" said nothing true)
        None if words[lang].empty else group("cite", *(box(t(f"cite_{code}", lang), f"explorer-cite-{code}", citation(
            words[code], edition[code], f"{base}/explorer?{pinned(view).query_string(lang=code, tab=False)}", licence),
            multiline=True, prose=code) for code in words)),
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


def copy_box(label: str, ident: str, value: str, lang: str, multiline: bool = False, prose: str | None = None):
    """A read-only field with a copy button. After a copy the button says so ("Copied") until
    the next copy or for a few seconds, and a live region tells a screen reader (assets/spi.js).
    prose: the language of a text to read (a citation), set in the page's font and direction;
    else the field holds code (an address, a snippet), left to right in a monospace font."""
    words = {"lang": prose, "dir": direction(prose)} if prose else {}
    field = (dcc.Textarea(id=ident, value=value, readOnly=True, className="copy-field" + (" prose" if prose else ""),
                          rows=4 if prose else 3, **words)
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
    """The view's name and definition (a view per case is a derived amount, named as such, not
    the indicator it was opened from), and when its next figures are expected."""
    ind = meta.indicators[view.indicator]
    lang = view.lang
    name, definition = ind[f"name_{lang}"], ind[f"definition_{lang}"]
    if view.kind == "per_case":
        num, den = (meta.indicators[i][f"name_{lang}"] for i in meta.per_case(view.indicator))
        name, definition = t("per_case_title", lang, num=num), t("per_case_note", lang, num=num, den=den)
    expected = datapage.expected(meta, view.indicator, releases.today(meta.timezone))
    more = dcc.Link(t("page_indicator_more", lang), href=href(f"/indicator/{view.indicator}", lang, as_of=view.as_of),
                    className="to-data-page")
    return [html.H2(name, className="view-title"),
            html.P([definition, " ", more], className="view-definition"),
            html.P(dcc.Link(datapage.next_words(expected[0], lang), href=f"/releases?lang={lang}"),
                   className="next-release") if expected else None]


def tabs(view: View):
    lang = view.lang
    return html.Div(className="tabs", role="tablist", **{"aria-label": t("tabs_label", lang)}, children=[
        html.Button(t(f"tab_{tab}", lang), id=f"explorer-tab-{tab}", className="tab", role="tab", type="button",
                    **{"aria-selected": "true" if view.tab == tab else "false",
                       "aria-controls": f"explorer-panel-{tab}", "data-tab": tab},
                    tabIndex="0" if view.tab == tab else "-1")
        for tab in TABS])
