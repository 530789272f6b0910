"""An indicator's data page, for people who read rather than click (as Our World in Data's data
pages): what it measures, what you should know, the latest figures, the target, the sources
with their documents, the revisions, the next release, the citation and the downloads.

/indicator/<indicator_id>?lang=ar|en[&as_of=…]. The figures are the explorer's over-time
view of every place (store/datapage.py view), its card the overview's (dashboard/kpi.py), so
no figure here is computed a second way. An indicator the catalogue does not have is the 404
page; one announced with no figures yet has a page too, saying so. The page is plain HTML
(a definition list of key facts, sections with headings): the server's copy is the page, and
the live page draws the same layout.
"""
from __future__ import annotations

import functools
from urllib.parse import urlencode

import dash
import flask
from dash import html

from store import datapage, releases
from store.address import public_base
from store.catalogue import meta
from store.formats import fmt_date, fmt_number, fmt_time, period_label
from store.framework import announced
from store.texts import separator, t
from store.view import one
from store.wording import citation

from ..blocks import copy_box, pinned
from ..cache import view_for
from ..kpi import card
from ..layout import href, shell
from ..status import not_found

dash.register_page(__name__, path_template="/indicator/<indicator>", nav=False, name="Indicator",
                   name_ar=t("page_indicator", "ar"), name_en=t("page_indicator", "en"), title_key="page_indicator",
                   title_of=lambda lang, indicator=None, **_: meta().indicators.get(indicator, {}).get(f"name_{lang}"),
                   description="One indicator in words: definition, latest figures, sources, revisions, citation, downloads.")


def layout(lang: str, indicator: str | None = None, **params):
    m = meta()
    if indicator not in m.indicators:
        return not_found(lang)
    as_of = one(params.get("as_of"))
    base = public_base(flask.request.host_url if flask.has_request_context() else None)
    content = _content(releases.cache_key(m.version), indicator, lang, as_of, releases.today(m.timezone), base)
    return shell(lang, f"/indicator/{indicator}", content, switch_params={"as_of": as_of} if as_of else None)


@functools.lru_cache(maxsize=128)
def _content(version: str, indicator: str, lang: str, as_of: str | None, today, base: str) -> list:
    """The page's sections, kept per build, indicator, language, release and day."""
    m = meta()
    ind = m.indicators[indicator]
    view = datapage.view(m, indicator, lang, as_of)
    words, _ = view_for(view)
    waiting = announced(m, indicator)
    explorer = href("/explorer", lang, indicator=indicator, as_of=as_of)
    return [
        html.Div(className="page-head", children=[
            html.H1(ind[f"name_{lang}"]),
            html.P(html.A(t("open_in_explorer", lang), href=explorer, id="dp-explorer")),
        ]),
        _section("facts", lang, _facts(m, indicator, lang)),
        _section("know", lang, html.Ul([html.Li(s) for s in datapage.know(m, indicator, lang)]))
        if datapage.know(m, indicator, lang) else None,
        _section("latest", lang, _latest(m, indicator, lang, words, waiting)),
        _section("target", lang, _target(m, indicator, lang), heading="target") if m.targets.get(indicator) else None,
        _section("sources", lang, _sources(m, indicator, lang), heading="sources"),
        None if waiting else _section("revisions", lang, _revisions(m, indicator, lang)),
        _section("next", lang, _next(m, indicator, lang, today)),
        None if waiting else _section("cite", lang, _cite(m, indicator, lang, words, view, base)),
        None if waiting else _section("downloads", lang, _downloads(indicator, lang, as_of, base)),
    ]


def _section(key: str, lang: str, body, heading: str | None = None) -> html.Section:
    """A section of the page with its heading (the texts' dp_<key>, or `heading`); `body` is a
    component or a list of them, laid out flat after the heading (React draws no list in a list)."""
    ident = f"dp-{key}"
    return html.Section(id=ident, className="dp-section", **{"aria-labelledby": f"{ident}-h"}, children=[
        html.H2(t(heading or f"dp_{key}", lang), id=f"{ident}-h"), *(body if isinstance(body, list) else [body])])


def _facts(m, indicator: str, lang: str) -> html.Dl:
    """What the indicator is, in a definition list."""
    ind = m.indicators[indicator]
    dims = [m.dimension_name(d, lang) for d in ind["breakdowns"]]
    periods = m.periods_of(indicator)
    span = (period_label(periods[0], lang) if len(periods) == 1 else
            f"{period_label(periods[0], lang)} – {period_label(periods[-1], lang)}") if periods else t("dp_not_yet", lang)
    count = m.coverage.get(indicator, {}).get("observations", 0)
    facts = [("dp_measures", ind[f"definition_{lang}"]),
             ("unit", m.unit_of(indicator)[f"name_{lang}"]),
             ("measure", t(f"measure_{ind['measure']}", lang)),
             ("country", m.geo_name(ind["country"], lang)),
             ("col_topic", m.topics[ind["topic"]][f"name_{lang}"]),
             ("dp_breakdowns", separator(lang).join(dims) if dims else t("dp_totals_only", lang)),
             ("dp_periods", span),
             ("dp_count", fmt_number(count, lang)),
             ("dp_code", html.Code(indicator, dir="ltr", className="ident"))]
    return html.Dl(className="facts", children=[part for key, value in facts
                                                for part in (html.Dt(t(key, lang)), html.Dd(value))])


def _latest(m, indicator: str, lang: str, words, waiting: bool) -> list:
    """The latest figure as the overview's card says it (change, previous figure, source), and
    the latest of every place where there are several."""
    c = card(m, indicator, lang)
    if waiting or c.latest_value is None:
        return [html.P(t("dp_not_yet", lang), className="dp-not-yet")]
    derived = [" ", html.Span(f"({t('derived', lang)})", className="muted")] if c.derived_total else []
    facts = [
        (t("dp_latest_figure", lang), html.Span([html.Strong(c.latest_text, id="dp-latest-value",
                                                             **{"data-value": repr(c.latest_value)}),
                                                 f" {c.unit}", *derived])),
        (t("dp_period", lang), c.latest_phrase),
        (t("dp_place", lang), c.geo_name),
        (t("dp_change", lang), html.Span([c.change_text, html.Br(), c.previous_text] if c.change_text
                                         else t("no_previous", lang), id="dp-change")),
    ]
    out = [html.Dl(className="facts", id="dp-latest-facts", children=[
        part for label, value in facts for part in (html.Dt(label), html.Dd(value))]),
        html.P(c.source, className="muted")]
    places = datapage.latest_by_place(words, m)
    if len(places) > 1:
        out.append(_places(places, lang))
    return out


def _places(places, lang: str) -> html.Div:
    """The latest figure of every place, one row each: place, figure, period and status."""
    rows = [html.Tr([html.Th(p.area, scope="row"), html.Td(p.text, className="num", **{"data-value": repr(p.value)}),
                     html.Td(p.period_text), html.Td(p.mark or t("dp_as_published", lang))],
                    **{"data-geo": p.geo}) for p in places]
    head = html.Tr([html.Th(t(k, lang), scope="col") for k in ("dp_place", "dp_latest_figure", "dp_period", "dp_status")])
    return html.Div(className="table-wrap", tabIndex="0", role="region", **{"aria-label": t("dp_by_place", lang)},
                    children=html.Table(className="data-table dp-places", id="dp-places", children=[
                        html.Caption(t("dp_by_place", lang)), html.Thead(head), html.Tbody(rows)]))


def _target(m, indicator: str, lang: str) -> list:
    """The target as the overview's card compares it (store/framework.py target_status)."""
    c = card(m, indicator, lang)
    status = [html.Span(c.target_badge, className=f"badge badge-{c.target_status}", id="dp-target-status"),
              " ", c.target_note]
    facts = [(t("target", lang), c.target_text), (t("dp_target_against", lang), html.Span(status))]
    return [html.Dl(className="facts", children=[part for label, value in facts
                                                 for part in (html.Dt(label), html.Dd(value))]),
            html.P(c.target_source, className="muted") if c.target_source else None]


def _sources(m, indicator: str, lang: str) -> html.Div:
    """Each source of the indicator's figures and targets: its title, publisher, date, the period
    it covers, its note and a link to the document where one is published."""
    cards = []
    for sid in m.source_ids(indicator):
        s = m.sources[sid]
        document = (html.A(s["url"], href=s["url"], rel="noopener", dir="ltr") if s.get("url")
                    else t("dp_no_document", lang))
        facts = [("publisher", s[f"publisher_{lang}"]), ("published", fmt_date(s.get("published"), lang)),
                 ("reference_period", s[f"reference_period_{lang}"]), ("note", s.get(f"note_{lang}")),
                 ("dp_document", document)]
        cards.append(html.Article(className="source-card", **{"data-source": sid}, children=[
            html.H3(s[f"title_{lang}"]),
            html.Dl(className="facts", children=[part for key, value in facts if value
                                                 for part in (html.Dt(t(key, lang)), html.Dd(value))])]))
    return html.Div(cards, className="source-cards")


def _revisions(m, indicator: str, lang: str):
    """What each release revised in the indicator's figures; said so when none did, or when the
    figures served are a build that is not a release."""
    if releases.current() is None:
        return html.P(t("dp_not_released", lang))
    found = datapage.revisions(m, indicator, lang)
    if not found:
        return html.P(t("dp_revisions_none", lang))
    return html.Ol(className="dp-revisions", children=[
        html.Li([html.Strong(t("dp_release", lang, release=r["release_id"],
                               when=fmt_time(r["public_at"], r["timezone"] or m.timezone, lang))),
                 html.Ul([html.Li(words) for words in changes])], **{"data-release": r["release_id"]})
        for r, changes in found])


def _next(m, indicator: str, lang: str, today) -> list:
    """When its next figures are expected, where the catalogue's calendar announces it."""
    found = datapage.expected(m, indicator, today)
    said = datapage.next_words(found[0], lang) if found else t("dp_next_none", lang)
    return [html.P(said, id="dp-next-text"),
            html.P([html.A(t("page_releases", lang), href=href("/releases", lang)), " · ",
                    html.A(t("releases_subscribe", lang), href=f"/releases.ics?lang={lang}")])]


def _cite(m, indicator: str, lang: str, words, view, base: str) -> list:
    """The citation of the figures read, its address pinned to the release read."""
    as_of = pinned(view).as_of
    address = f"{base}/indicator/{indicator}?{urlencode({'lang': lang, **({'as_of': as_of} if as_of else {})})}"
    text = citation(words, releases.edition(lang, m.build_id), address, m.licence["id"])
    return [html.P(t("dp_cite_note", lang)), copy_box(t("dp_citation", lang), "dp-citation", text, lang,
                                                      multiline=True, prose=lang)]


def _downloads(indicator: str, lang: str, as_of: str | None, base: str) -> list:
    """The full series as files, and the API call that gives the same rows."""
    links = datapage.downloads(indicator, lang, as_of)
    files = [("download_csv", "csv"), ("download_xlsx", "xlsx"), ("dp_download_json", "json"),
             ("dp_download_zip", "zip")]
    return [
        html.P(t("dp_downloads_intro", lang)),
        html.Div(className="download-bar", children=[
            html.A(t(key, lang), href=links[ext], className="button", id=f"dp-{ext}", download=f"{indicator}.{ext}")
            for key, ext in files]),
        copy_box(t("developer_api", lang), "dp-api", base + links["api"], lang),
        html.P(html.A(t("dp_data_page", lang), href=href("/data", lang, indicator=indicator))),
    ]
