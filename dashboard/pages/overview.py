"""Overview: a card per headline indicator, grouped by topic.

No dcc.Graph here: the trend lines are server-rendered SVG, so the whole page is plain
HTML that paints from the first response (see app.py) and needs no plotly.js at all.
The layout is cached per database build and language.
"""
from __future__ import annotations

import functools

import dash
from dash import dcc, html

from store.catalogue import meta
from store.formats import join_list, period_label
from store.texts import t

from ..components import RawHtml
from ..kpi import Card, cards
from ..layout import href, shell
from ..render import to_html
from ..svg import sparkline

dash.register_page(__name__, path="/", order=0, name="Overview", name_ar=t("page_overview", "ar"),
                   name_en=t("page_overview", "en"), title_key="page_overview",
                   description="Headline social protection indicators for Oman and Jordan, in Arabic and English.")

ARROWS = {"up": "▲", "down": "▼", "flat": "▬", "none": ""}


def _card(c: Card, lang: str) -> html.Article:
    link = href("/explorer", lang, indicator=c.indicator_id, geo=c.geo)
    body = [
        html.H3(dcc.Link(c.name, href=link, className="card-link"), className="card-title"),
        html.P(f"{c.geo_name} · {c.latest_phrase}" if c.latest_period else c.geo_name, className="card-meta"),
    ]
    if c.latest_value is None:
        body.append(html.P(t("no_figure_yet", lang), className="card-value card-value-missing"))
    else:
        body.append(html.P(className="card-value", children=[
            html.Span(c.latest_text, className="num"),
            html.Span(f" {c.unit}", className="card-unit") if "ر.ع." not in c.latest_text and "OMR" not in c.latest_text else None,
        ]))
        if c.derived_total:
            body.append(html.P(t("sum_of_parts", lang), className="card-derived"))
    if c.change_text:
        body.append(html.P(className=f"card-change tone-{c.change_tone}", children=[
            html.Span(ARROWS[c.change_direction], className="arrow", **{"aria-hidden": "true"}),
            html.Span(f" {c.change_text} "),
            html.Span(f"({t('derived', lang)})", className="derived-tag"),
        ]))
        body.append(html.P(c.previous_text, className="card-previous"))
        if c.two_sources:
            body.append(html.P(t("two_publications", lang), className="card-two-sources"))
    elif c.latest_value is not None:
        body.append(html.P(t("no_previous", lang), className="card-change tone-neutral"))
    if c.spark_values:
        body.append(RawHtml(html=sparkline(c.spark_values, c.spark_label, rtl=lang == "ar", tips=c.spark_tips), className="card-spark"))
        if len(c.spark_periods) > 1:   # the years the line spans, at its ends (time runs left to right)
            body.append(html.P(className="spark-years", dir="ltr", children=[
                html.Span(period_label(c.spark_periods[0], lang)), html.Span(period_label(c.spark_periods[-1], lang))]))
        if c.gaps:
            body.append(html.P(t("gap_years", lang, periods=join_list([period_label(p, lang) for p in c.gaps], lang)),
                               className="card-gap"))
    if c.target_text:
        body.append(html.Div(className=f"card-target status-{c.target_status}", children=[
            html.Span(c.target_text, className="target-text"),
            html.Span(c.target_badge, className=f"badge badge-{c.target_status}"),
            html.P(c.target_note, className="target-note") if c.target_note else None,
            html.P(c.target_source, className="target-note") if c.target_source else None,
        ]))
    elif c.target_status == "none":
        body.append(html.P(c.target_badge, className="card-target status-none"))
    if c.source:
        body.append(html.P(c.source, className="card-source"))
    return html.Article(body, className="card", **{"data-indicator": c.indicator_id})


@functools.lru_cache(maxsize=8)
def _content(version: str, lang: str):
    m = meta()
    by_topic: dict[str, list[Card]] = {}
    for c in cards(lang):
        by_topic.setdefault(c.topic, []).append(c)
    sections = []
    for topic, topic_row in m.topics.items():
        if topic not in by_topic:
            continue
        n = min(len(by_topic[topic]), 3)
        sections.append(html.Section(className=f"topic span-{n}", children=[
            html.H2(topic_row[f"name_{lang}"], className="topic-title"),
            html.Div([_card(c, lang) for c in by_topic[topic]], className=f"cards cards-{n}"),
        ]))
    return [
        html.Div(className="page-head", children=[
            html.H1(t("overview_heading", lang)),
            html.P(t("overview_intro", lang), className="lead"),
        ]),
        # one component holding the cards' HTML: React has a few elements to create instead of
        # about a thousand, so the live page takes over from the server-rendered copy sooner
        RawHtml(html=to_html(sections), className="topics spa-links") if sections else
        html.P(t("no_headline", lang), className="notice"),
    ]


def layout(lang: str, **_):
    return shell(lang, "/", _content(meta().version, lang))
