"""The second pass over a view: its numbers (store/series.py) put into words.

`describe(chart, meta)` gives what the dashboard and the chart images draw: title,
subtitle, unit, axis labels, series names, each figure formatted, notes, the source line,
the table's texts, and the chart in one paragraph (its text alternative). All words come
from the catalogue (names, units, sources) and store/texts.py (interface texts).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field

from contract.schema import NO_FIGURE

from .formats import (LRI, PDI, amount_formatter, fmt_amount, fmt_number, fmt_percent, join_list, period_label, period_phrase,
                      unit_label)
from .series import Chart
from .texts import semicolon, separator, t

ALT_MAX_POINTS = 40   # beyond this, "every value" is no longer readable: the table has them


@dataclass
class Line:
    """A series with its words."""

    key: str
    name: str
    values: list
    texts: list          # each figure formatted ("" where there is none)
    derived: bool = False
    marks: list = field(default_factory=list)   # each figure's status in words ("" as published)


@dataclass
class Described:
    """A chart in words, as the figure builder, the table and the text alternative use it."""

    indicator_id: str
    lang: str
    kind: str
    barmode: str | None
    periods: list[str]             # the x categories as codes (periods or places)
    x_labels: list[str]            # the same, for people
    series: list[Line]
    title: str
    subtitle: str
    unit: str
    source_line: str
    percent: bool = False
    derived: bool = False
    notes: list[str] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)
    targets: list[tuple[float, str]] = field(default_factory=list)   # (value, words) drawn as lines
    # by area: the country beside its governorates, (value, words, mark) per period drawn as a reference
    reference: list[tuple[float, str, str]] = field(default_factory=list)
    alt: str = ""
    x_is: str = "period"           # what the x categories are: "period" or "geo"
    numbers: Chart | None = field(default=None, repr=False, compare=False)
    meta: object = field(default=None, repr=False, compare=False)

    @property
    def empty(self) -> bool:
        return not any(v is not None for s in self.series for v in s.values)

    @property
    def shape(self) -> str:
        """How the chart is drawn. Sparse views are drawn as good statistical sites draw them:
        "number" (one figure: the number itself, large, with its unit and period, not a chart
        of one dot), "ranked" (one period, several figures: horizontal bars, largest first),
        else `kind` ("line" over time, "bars")."""
        slots = len(self.periods) * len(self.series)
        if sum(v is not None for s in self.series for v in s.values) == 1 and slots <= 1:
            return "number"
        if slots > 1 and (len(self.periods) == 1 or (len(self.series) == 1 and self.x_is == "geo")):
            return "ranked"
        return self.kind

    def ranked(self) -> list[tuple[str, float | None, str, str]]:
        """The figures of a "ranked" chart as (label, value, text, mark), largest first; a
        place or category without a figure comes last, as missing."""
        if len(self.periods) == 1:
            items = [(s.name, s.values[0], s.texts[0], s.marks[0] if s.marks else "") for s in self.series]
        else:
            s = self.series[0]
            items = list(zip(self.x_labels, s.values, s.texts, s.marks or [""] * len(s.values)))
        return sorted(items, key=lambda item: (item[1] is None, -(item[1] or 0)))

    @functools.cached_property
    def table(self) -> list[dict]:
        """Every row of the table with its words, in the numbers' order."""
        return table_texts(self.numbers, self.meta, self.unit)

    def latest(self, n: int) -> list[dict]:
        """The table's latest `n` rows in time order (what a page shows), worded: a view of
        thousands of figures words only the rows it shows."""
        return table_texts(self.numbers, self.meta, self.unit, latest=n)


def source_line(meta, source_ids: list[str], lang: str) -> str:
    """'Source: Ministry of Social Development, Oman (2022); …'."""
    parts = []
    for sid in source_ids:
        s = meta.sources.get(sid)
        if s:
            year = str(s["published"])[:4] if s.get("published") else t("not_stated", lang)
            parts.append(f"{s[f'publisher_{lang}']} ({year})")
    return f"{t('source', lang)}: " + semicolon(lang).join(parts) if parts else ""


def _periods(labels: list[str], lang: str) -> str:
    return join_list([period_label(p, lang) for p in labels], lang)


def _unit_text(chart: Chart, meta, lang: str) -> str:
    if chart.unit == "share":
        return t("share_unit", lang)
    if chart.unit == "share_of_parts":
        return t("share_of_parts_unit", lang)
    if chart.unit == "per_case":
        num = meta.per_case(chart.view.indicator)[0]
        return t("per_case_unit", lang, unit=unit_label(meta.unit_of(num), lang))
    return unit_label(meta.unit_of(chart.view.indicator), lang)


def _subtitle(unit_text: str, labels: list[str], measure: str, lang: str, extra: str = "") -> str:
    span = ""
    if labels:
        first, last = period_phrase(labels[0], measure, lang), period_phrase(labels[-1], measure, lang)
        if first != last and measure != "stock":
            first, last = period_label(labels[0], lang), period_label(labels[-1], lang)
        span = first if first == last else f"{first} – {last}"
    return " · ".join(b for b in (unit_text, span, extra) if b)


def status_words(status: str | None, revision: tuple | None, fmt, lang: str) -> str:
    """A figure's status and revision in words ("" for a figure as first published), with why
    it was revised when the release said (its kind and reason): the same words wherever a
    figure is shown (charts, their words, the map and its table)."""
    words = [t(f"status_{status}", lang)] if status else []
    if revision:
        when, previous, why = revision
        words.append(t("revised_mark", lang, when=f"{when:%Y-%m-%d}",
                       previous=fmt(previous) if previous is not None else t("status_not_available", lang)))
        if why:
            words.append(revision_why(why, lang))
    return " · ".join(words)


def revision_why(why: tuple, lang: str) -> str:
    """Why a release revised a figure, in the page's language: 'correction: a typing error
    corrected', 'تصحيح — السبب: …' (why: the kind, the reason in Arabic, in English)."""
    kind, reason_ar, reason_en = why
    return t("revision_why", lang, kind=t(f"revision_kind_{kind}", lang), reason=reason_ar if lang == "ar" else reason_en)


def _note(note: tuple, meta, lang: str, x_words: dict[str, str]) -> str:
    kind, *data = note
    if kind == "revised":
        return t("note_revised", lang, periods=join_list([x_words[x] for x in data[0]], lang))
    if kind == "status":
        status, where = data
        key = "note_no_figure" if status in NO_FIGURE else "note_marked"
        return t(key, lang, status=t(f"status_{status}", lang), periods=join_list([x_words[x] for x in where], lang))
    if kind == "parts_summed":
        return t("parts_no_total", lang) + " " + t("sum_of_parts", lang) + "."
    if kind == "gaps":
        return t("gap_years", lang, periods=_periods(data[0], lang))
    if kind == "total_only":
        return t("total_only", lang, periods=_periods(data[0], lang))
    if kind == "per_case":
        return t("per_case_note", lang, num=meta.indicators[data[0]][f"name_{lang}"],
                 den=meta.indicators[data[1]][f"name_{lang}"])
    return t({"one_point": "one_point_note", "share": "share_note", "parts_no_total": "parts_no_total"}[kind], lang)


def _title_and_extra(chart: Chart, meta, lang: str) -> tuple[str, str]:
    """The chart's title, and what its subtitle adds after the unit and the period."""
    view, name = chart.view, meta.indicators[chart.view.indicator][f"name_{lang}"]
    derived = t("derived", lang)
    if view.kind == "per_case":
        num, den = meta.per_case(view.indicator)
        name, extra = f"{meta.indicators[num][f'name_{lang}']} ÷ {meta.indicators[den][f'name_{lang}']}", derived
    elif view.kind == "breakdown":
        extra = t("view_breakdown", lang, dimension=meta.dimension_name(view.breakdown, lang, in_sentence=True))
        extra += f" ({derived})" if chart.percent else ""
    elif view.kind == "geo":
        return name, t("view_geo", lang)
    else:
        extra = derived if chart.derived else ""
    geos = view.geos[:1] if view.kind == "breakdown" else view.geos
    places = join_list([meta.geo_name(g, lang) for g in geos], lang)
    return (f"{name} — {places}" if places else name), extra


def _series_name(chart: Chart, key: str, meta, lang: str) -> str:
    view = chart.view
    if view.kind == "breakdown":
        return meta.member_label(view.breakdown, key, lang)
    if view.kind == "geo":
        return period_phrase(key, chart.measure, lang)
    return meta.geo_name(key, lang) + (f" ({t('derived', lang)})" if chart.derived else "")


def describe(chart: Chart, meta) -> Described:
    """The words of a chart (see the module's docstring)."""
    view, lang = chart.view, chart.view.lang
    unit_text = _unit_text(chart, meta, lang)
    if chart.percent:
        fmt = lambda v, q=None: "" if v is None else fmt_percent(v / 100, lang)  # noqa: E731
    elif chart.unit == "per_case":
        num_unit = meta.unit_of(meta.per_case(view.indicator)[0])
        fmt = lambda v, q=None: "" if v is None else fmt_amount(v, num_unit, lang, 1)  # noqa: E731
    else:
        amount = amount_formatter(meta.unit_of(view.indicator), lang, chart.decimals)
        fmt = lambda v, q=None: "" if v is None else amount(v, q)  # noqa: E731
    lines = [Line(key=s.key, name=_series_name(chart, s.key, meta, lang), values=s.values,
                  texts=[fmt(v, q) for v, q in zip(s.values, s.qualifiers)], derived=s.derived,
                  marks=[status_words(st, rev, fmt, lang) for st, rev in zip(s.statuses, s.revisions or [None] * len(s.statuses))])
             for s in chart.series]
    title, extra = _title_and_extra(chart, meta, lang)
    x_labels = ([meta.geo_name(g, lang) for g in chart.x] if chart.x_is == "geo"
                else [period_label(p, lang) for p in chart.x])
    out = Described(indicator_id=view.indicator, lang=lang, kind=chart.kind, barmode=chart.barmode, periods=chart.x,
                    x_labels=x_labels, series=lines, title=title,
                    subtitle=_subtitle(unit_text, chart.drawn, chart.measure, lang, extra), unit=unit_text,
                    source_line=source_line(meta, chart.sources, lang), percent=chart.percent, derived=chart.derived,
                    notes=[_note(n, meta, lang, {**dict(zip(chart.x, x_labels)),
                                                 **{r.key: meta.geo_name(r.key, lang) for r in chart.reference}})
                           for n in chart.notes], gaps=chart.gaps,
                    targets=_targets(chart, meta, lang), reference=_reference(chart, meta, lang, fmt), x_is=chart.x_is,
                    numbers=chart, meta=meta)
    out.alt = alt_text(out, meta.indicators[view.indicator][f"name_{lang}"] if view.kind != "per_case" else title.split(" — ")[0],
                       by_geo=view.kind == "geo")
    return out


def _reference(chart: Chart, meta, lang: str, fmt) -> list[tuple[float, str, str]]:
    """The country of a by-area chart of its governorates, in words: "Oman (national): 420,998"
    (with the period when the chart draws several), and the figure's mark."""
    out = []
    periods = [s.key for s in chart.series]
    drawn = chart.drawn
    for ref in chart.reference:
        place = meta.geo_name(ref.key, lang)
        for i, (p, v) in enumerate(zip(periods, ref.values)):
            if v is None:
                continue
            q = ref.qualifiers[i] if ref.qualifiers else None
            words = (t("reference_national", lang, place=place, value=fmt(v, q)) if len(drawn) <= 1 else
                     t("reference_national_period", lang, place=place, value=fmt(v, q),
                       period=period_phrase(p, chart.measure, lang)))
            out.append((v, words, status_words(ref.statuses[i] if ref.statuses else None,
                                        ref.revisions[i] if ref.revisions else None, fmt, lang)))
    return out


def _targets(chart: Chart, meta, lang: str) -> list[tuple[float, str]]:
    """The published targets of an over-time view of one place, in the chart's unit: the same
    targets the overview's cards show, with their source."""
    view = chart.view
    if view.kind != "time" or chart.percent or chart.unit != "unit":
        return []
    # a view with no figure yet (an indicator announced with its target) still has its place
    places = {s.key for s in chart.series} or set(view.geos) or {meta.indicators[view.indicator]["country"]}
    unit = meta.unit_of(view.indicator)
    decimals = meta.indicators[view.indicator]["decimals"]
    out = []
    for target in meta.targets.get(view.indicator, []):
        if target["geo_code"] in places:
            source = meta.sources.get(target["source_id"], {}).get(f"publisher_{lang}", "")
            words = t("target_for", lang, period=period_label(target["period"], lang),
                      value=fmt_amount(target["value"], unit, lang, decimals))
            out.append((float(target["value"]), f"{words} ({source})" if source else words))
    return out


def citation(vd: Described, edition: str, address: str, licence: str) -> str:
    """How to cite a chart: what it shows, its sources, the site and the release read, and an
    address that gives the same figures again."""
    lang = vd.lang
    isolate = (lambda x: f"{LRI}{x}{PDI}") if lang == "ar" else str   # an address reads left to right  # noqa: E731
    return t("cite_chart", lang, title=vd.title, subtitle=vd.subtitle, source=vd.source_line,
             site=t("site_title", lang), edition=edition, address=isolate(address), licence=isolate(licence))


def table_texts(chart: Chart, meta, chart_unit: str, latest: int | None = None) -> list[dict]:
    """The table's rows with their words: all of them in the numbers' order, or the `latest`
    in time order (as sort_table orders them by period). A breakdown view has thousands of
    rows that share a few indicators, periods, places, sources and categories: each text is
    looked up once per view (plain dicts, the cheapest cache), not once per row."""
    lang = chart.view.lang
    per_indicator: dict[str, tuple] = {}   # indicator -> (its period texts, measure, formatters, unit)
    areas: dict[str, str] = {}
    categories: dict[tuple, str] = {}
    keys = []
    for r in chart.table:
        ind_id, period, geo = r["indicator_id"], r["period"], r["geo"]
        bundle = per_indicator.get(ind_id)
        if bundle is None:
            ind, unit = meta.indicators[ind_id], meta.unit_of(ind_id)
            # the values without the currency sign: the table's unit column names it once per row
            bundle = per_indicator[ind_id] = ({}, ind["measure"],
                                              amount_formatter(unit, lang, ind["decimals"], sign=False),
                                              amount_formatter(unit, lang, 1, sign=False), unit_label(unit, lang))
        texts = bundle[0].get(period)
        if texts is None:
            texts = bundle[0][period] = (period_phrase(period, bundle[1], lang), r["period_end"].isoformat())
        area = areas.get(geo)
        if area is None:
            area = areas[geo] = meta.geo_name(geo, lang)
        key = (r["category"], r["member"], ind_id)
        category = categories.get(key)
        if category is None:
            category = categories[key] = _category(r, meta, lang)
        keys.append((texts[1], area, category))
    order = range(len(keys))
    if latest is not None:
        order = sorted(order, key=keys.__getitem__)[-latest:]
    sources: dict[str | None, tuple[str, str]] = {}
    derived_units = {"share": t("share_unit", lang), "share_of_parts": t("share_of_parts_unit", lang),
                     "per_case": chart_unit}
    out = []
    for n in order:
        r, (sort_period, area, category) = chart.table[n], keys[n]
        period_texts, _, amount, per_case, unit = per_indicator[r["indicator_id"]]
        source_id = r["source_id"]
        source = sources.get(source_id)
        if source is None:
            found = meta.sources.get(source_id or "", {})
            source = sources[source_id] = (found.get(f"publisher_{lang}", source_id or ""), found.get(f"title_{lang}", ""))
        kind = r["unit"]
        if r["value"] is None:   # the source says there is no figure; the status says why
            value_text = t(f"status_{r['status']}", lang) if r["status"] else ""
        elif kind == "unit":
            value_text = amount(r["value"], r["qualifier"])
        else:
            unit = derived_units[kind]
            value_text = per_case(r["value"]) if kind == "per_case" else fmt_percent(r["value"] / 100, lang)
        out.append({"period": r["period"], "period_text": period_texts[r["period"]][0], "sort_period": sort_period,
                    "geo": r["geo"], "area": area, "category": category, "value": r["value"], "value_text": value_text,
                    "unit": unit, "source": source[0], "source_title": source[1], "derived": r["derived"],
                    "status": status_words(r["status"] if r["value"] is not None else None, r.get("revision"),
                                    lambda v: amount(v, None) if kind == "unit" else str(v), lang)})
    return out


def _category(r: dict, meta, lang: str) -> str:
    kind = r["category"]
    if kind in ("member", "share"):
        return meta.member_label(r["dimension"], r["member"], lang)
    if kind == "indicator":
        return meta.indicators[r["indicator_id"]][f"name_{lang}"]
    return t({"total": "total", "sum_of_parts": "sum_of_parts", "per_case": "view_per_case"}[kind], lang)


def empty_words(vd: Described) -> list[str]:
    """What a chart with no figure says: that there is none, and the targets it will be
    measured against (an indicator announced with a target and no figure yet)."""
    return [t("no_data_view", vd.lang)] + [words for _, words in vd.targets]


def alt_text(vd: Described, name: str, by_geo: bool = False) -> str:
    """The chart in one paragraph: what it shows and every value in it; for a chart of more
    than ALT_MAX_POINTS figures, the first and latest of each series and where the rest are."""
    lang = vd.lang
    if vd.empty:
        return " ".join(empty_words(vd))
    count = sum(v is not None for s in vd.series for v in s.values)
    pieces = []
    for s in vd.series:
        pts = [f"{x}: {txt}" for x, txt, v in zip(vd.x_labels, s.texts, s.values) if v is not None]
        if count > ALT_MAX_POINTS and len(pts) > 2:
            pts = [pts[0], "…", pts[-1]]
        if pts:
            prefix = f"{s.name} — " if len(vd.series) > 1 or by_geo else ""
            pieces.append(prefix + separator(lang).join(pts))
    kind = t("chart_kind_line" if vd.kind == "line" else "chart_kind_bars", lang)
    text = t("chart_alt", lang, kind=kind, name=name, unit=vd.unit,
             geo=vd.title.split(" — ")[-1] if " — " in vd.title else "", points=semicolon(lang).join(pieces))
    if count > ALT_MAX_POINTS:
        text += " " + t("alt_summary", lang, count=fmt_number(count, lang))
    if vd.reference:
        text += " " + semicolon(lang).join(words for _, words, _ in vd.reference) + "."
    if vd.gaps:
        text += " " + t("gap_years", lang, periods=_periods(vd.gaps, lang)) + "."
    return text


def sort_table(rows: list[dict], column: str | None, descending: bool) -> list[dict]:
    """Rows sorted by period (default), area, category, value or source; missing values last."""
    keys = {"period": lambda r: (r["sort_period"], r["area"], r["category"]),
            "area": lambda r: (r["area"], r["sort_period"]),
            "category": lambda r: (r["category"], r["sort_period"]),
            "value": lambda r: (r["value"] is None, r["value"] or 0),
            "source": lambda r: (r["source"], r["sort_period"])}
    key = keys.get(column or "period", keys["period"])
    if column == "value":
        present = sorted([r for r in rows if r["value"] is not None], key=key, reverse=descending)
        return present + [r for r in rows if r["value"] is None]
    return sorted(rows, key=key, reverse=descending)
