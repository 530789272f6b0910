"""KPI cards for the overview: latest value, change since the previous figure, trend,
target. Totals in (store.series.totals: the published totals, or the derived sum of the
parts), plain data out, so tests can check the numbers and the overview page only lays
them out.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from contract import periods
from store.catalogue import meta
from store.framework import target_status
from store.formats import fmt_amount, fmt_number, fmt_percent, join_list, period_label, period_phrase, unit_label
from store.series import totals
from store.texts import separator, t
from store.wording import source_line


@dataclass
class Card:
    indicator_id: str
    topic: str
    name: str
    geo: str | None
    geo_name: str
    unit: str
    latest_value: float | None = None
    latest_text: str = ""
    latest_period: str | None = None
    latest_phrase: str = ""
    derived_total: bool = False
    previous_value: float | None = None
    previous_period: str | None = None
    previous_text: str = ""              # "2021: 72,675", printed on the card (not only on hover)
    two_sources: bool = False            # the change compares figures of two publications
    change_abs: float | None = None
    change_pct: float | None = None
    change_text: str = ""
    change_direction: str = "none"       # up | down | flat | none
    change_tone: str = "neutral"         # good | bad | neutral
    spark_values: list = field(default_factory=list)
    spark_periods: list = field(default_factory=list)
    spark_label: str = ""
    spark_tips: list = field(default_factory=list)   # each period's words on hover ("period: figure"), None in a gap
    gaps: list = field(default_factory=list)
    target_text: str = ""
    target_status: str | None = None     # on_track | off_track | pending
    target_badge: str = ""
    target_note: str = ""
    target_source: str = ""
    source: str = ""


def cards(lang: str) -> list[Card]:
    """One card per headline indicator, in catalogue order."""
    m = meta()
    return [card(m, key, lang) for key, ind in m.indicators.items() if ind["headline"]]


def card(m, indicator_id: str, lang: str) -> Card:
    ind = m.indicators[indicator_id]
    unit = m.unit_of(indicator_id)
    found = totals(m, indicator_id)
    geos = list(dict.fromkeys(r["geo_code"] for r in found))
    geo = ind["country"] if ind["country"] in geos else (geos[0] if geos else ind["country"])
    recs = [r for r in found if r["geo_code"] == geo]
    c = Card(indicator_id=indicator_id, topic=ind["topic"], name=ind[f"name_{lang}"], geo=geo,
             geo_name=m.geo_name(geo, lang), unit=unit_label(unit, lang))
    if recs:
        last = recs[-1]
        c.latest_value = float(last["value"])
        c.latest_period = last["period"]
        c.latest_phrase = period_phrase(last["period"], ind["measure"], lang) + \
            (f" ({t('status_' + last['status'], lang)})" if last.get("status") else "")
        c.latest_text = fmt_amount(last["value"], unit, lang, ind["decimals"], last.get("qualifier"))
        c.unit = unit_label(unit, lang, round(c.latest_value, ind["decimals"]))   # 12 مرفقًا, 7 مرافق
        c.derived_total = bool(last.get("derived"))
        # the publications the card's figures are from: both when its change compares two
        c.source = source_line(m, list(dict.fromkeys(r["source_id"] for r in recs[-2:][::-1])), lang)
        if len(recs) > 1:
            prev = recs[-2]
            c.previous_value, c.previous_period = float(prev["value"]), prev["period"]
            c.previous_text = t("previous_figure", lang, period=period_label(prev["period"], lang),
                                value=fmt_amount(prev["value"], unit, lang, ind["decimals"], prev.get("qualifier")))
            c.two_sources = prev.get("source_id") != last.get("source_id")
            c.change_abs = c.latest_value - c.previous_value
            c.change_pct = c.change_abs / c.previous_value if c.previous_value else None
            c.change_direction = "up" if c.change_abs > 0 else "down" if c.change_abs < 0 else "flat"
            hib = ind.get("higher_is_better")
            if hib is not None and c.change_direction != "flat":
                good = (c.change_direction == "up") == bool(hib)
                c.change_tone = "good" if good else "bad"
            number = fmt_number(c.change_abs, lang, ind["decimals"], signed=True)
            if unit.get("kind") == "currency":
                number = f"{number} {unit_label(unit, lang)}"
            pct = f" ({fmt_percent(c.change_pct, lang, signed=True)})" if c.change_pct is not None else ""
            c.change_text = (f"{number}{pct} · "
                             + t("change_since", lang, period=period_label(prev["period"], lang)))
    if len(recs) > 1:   # a trend needs two figures: a single one would be a lone dot
        run, gaps = periods.run(tuple(r["period"] for r in recs))
        by = {r["period"]: float(r["value"]) for r in recs}
        c.spark_periods = list(run)
        c.spark_values = [by.get(p) for p in run]
        c.gaps = list(gaps)
        c.spark_tips = [f"{period_label(p, lang)}: {fmt_amount(by[p], unit, lang, ind['decimals'])}" if p in by else None
                        for p in run]
        c.spark_label = t("trend_alt", lang, points=separator(lang).join(tip for tip in c.spark_tips if tip))
        if gaps:
            c.spark_label += ". " + t("gap_years", lang, periods=join_list([period_label(p, lang) for p in gaps], lang))
    # target: compare only with a figure for the target's own period
    for target in m.targets.get(indicator_id, []):
        if target["geo_code"] != geo and geos:
            continue
        tp = target["period"]
        c.target_text = t("target_for", lang, period=period_label(tp, lang),
                          value=fmt_amount(target["value"], unit, lang, ind["decimals"]))
        src = m.sources.get(target["source_id"], {})
        c.target_source = t("target_source", lang, publisher=src.get(f"publisher_{lang}", "")) if src else ""
        actual = [float(r["value"]) for r in recs if r["period"] == tp]
        c.target_status = target_status(ind.get("higher_is_better"), target["value"], actual[-1] if actual else None)
        if c.target_status == "pending":
            c.target_badge = t("pending", lang, period=period_label(tp, lang))
            c.target_note = t("pending_long", lang, period=period_label(tp, lang))
        else:
            c.target_badge = t(c.target_status, lang)
            c.target_note = f"{period_label(tp, lang)}: {fmt_amount(actual[-1], unit, lang, ind['decimals'])}"
        break
    else:   # no target: said so, not left blank like a missing figure
        c.target_status, c.target_badge = "none", t("no_target", lang)
    return c
