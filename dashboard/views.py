"""What a chart shows, as plain data: periods, series, notes, table rows, text alternative.

`build_view(state)` reads the figures (dashboard.data) and returns a ViewData that the
figure builder (figures.py), the table and the text alternative all use, so the chart,
its table and its description can never disagree. Missing periods stay missing: a gap in
a run of years becomes None (no line drawn across it) and a note says which periods have
no figure. Derived numbers (shares, amount per case, sum of parts) are computed here and
flagged derived.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import operator
from dataclasses import dataclass, field

import pandas as pd

from . import data
from .i18n import (amount_formatter, fmt_amount, fmt_number, fmt_percent, join_list, norm_lang, parse_period_label,
                   period_label, period_phrase, t, unit_label)
from .state import PER_CASE, State


@dataclass
class Series:
    key: str                       # geo code, member code, "total" or "derived"
    name: str
    values: list                   # one per period (None where no figure)
    texts: list                    # formatted values for hover/labels ("" where None)
    derived: bool = False


@dataclass
class ViewData:
    indicator_id: str
    lang: str
    kind: str                      # "line" or "bars"
    barmode: str | None
    periods: list[str]             # period labels on the x axis, in time order (gaps included)
    x_labels: list[str]            # the same, for people, in the page's language
    series: list[Series]
    title: str
    subtitle: str
    unit: str                      # unit label of the values shown
    source_line: str
    percent: bool = False
    derived: bool = False
    notes: list[str] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)
    table: list[dict] = field(default_factory=list)
    alt: str = ""
    totals: list = field(default_factory=list)   # breakdowns: the published total per period (None: none)

    @property
    def empty(self) -> bool:
        return not any(v is not None for s in self.series for v in s.values)


# ---------------------------------------------------------------- periods

def _freq(label: str) -> str | None:
    parsed = parse_period_label(label)
    if not parsed:
        return None
    part = parsed[1]
    if part is None:
        return "Y"
    if part.isdigit():
        return "M"
    return part[0]  # "H" or "Q"


def _next(label: str) -> str:
    year, part = parse_period_label(label)
    if part is None:
        return str(year + 1)
    if part.isdigit():
        m = int(part)
        return f"{year + 1}-01" if m == 12 else f"{year}-{m + 1:02d}"
    n, k = part[0], int(part[1])
    last = 2 if n == "H" else 4
    return f"{year + 1}-{n}1" if k == last else f"{year}-{n}{k + 1}"


def period_run(labels: list[str]) -> tuple[list[str], list[str]]:
    """All periods from the first to the last, and the ones missing from `labels`.
    Only done when every label has the same frequency; otherwise the labels as given."""
    run, gaps = _period_run(tuple(dict.fromkeys(labels)))
    return list(run), list(gaps)


@functools.lru_cache(maxsize=1024)
def _period_run(labels: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """period_run, kept per set of labels: the views of one indicator share a few."""
    freqs = {_freq(x) for x in labels}
    if len(labels) < 2 or len(freqs) != 1 or None in freqs:
        return labels, ()
    ordered = sorted(labels, key=_sort_key)
    run = [ordered[0]]
    while run[-1] != ordered[-1] and len(run) < 5000:
        run.append(_next(run[-1]))
    if run[-1] != ordered[-1]:
        return tuple(ordered), ()
    present = set(labels)
    return tuple(run), tuple(p for p in run if p not in present)


def _sort_key(label: str) -> tuple:
    parsed = parse_period_label(label)
    if not parsed:
        return (9999, label)
    year, part = parsed
    if part is None:
        return (year, 0, 0)
    if part.isdigit():
        return (year, int(part), 0)
    return (year, (int(part[1]) * (6 if part[0] == "H" else 3)), 1)


def _bound_dates(state: State) -> tuple[dt.date | None, dt.date | None]:
    start = end = None
    if state.from_:
        year, part = parse_period_label(state.from_)
        if part is None:
            start = dt.date(year, 1, 1)
        elif part.isdigit():
            start = dt.date(year, int(part), 1)
        else:
            months = 6 if part[0] == "H" else 3
            start = dt.date(year, (int(part[1]) - 1) * months + 1, 1)
    if state.to:
        year, part = parse_period_label(state.to)
        if part is None:
            end = dt.date(year, 12, 31)
        else:
            month = int(part) if part.isdigit() else int(part[1]) * (6 if part[0] == "H" else 3)
            end = (pd.Timestamp(year, month, 1) + pd.offsets.MonthEnd(0)).date()
    return start, end


def filter_periods(rows, state: State) -> list[dict]:
    """Rows whose period lies within the state's from/to (a period label's start and end)."""
    start, end = _bound_dates(state)
    if start is None and end is None:
        return list(rows)
    return [r for r in rows if (start is None or r["period_start"] >= start) and (end is None or r["period_end"] <= end)]


# ---------------------------------------------------------------- helpers

def _no_breakdown(df: pd.DataFrame) -> pd.Series:
    """DataFrame rows that are totals (no breakdown member)."""
    mask = pd.Series(True, index=df.index)
    for col in data.meta().dimension_columns:
        mask &= df[col].isna()
    return mask


def totals_of(rows) -> list[dict]:
    """The rows that are totals (no breakdown member)."""
    blank = _blank(data.meta().dimension_columns)
    return [r for r in rows if blank(r)]


def _blank(columns: list[str]):
    """A test that a row has no member in any of `columns` (one C-level lookup of them all,
    several times faster than testing them one by one over thousands of rows)."""
    if not columns:
        return lambda r: True
    members = operator.itemgetter(*columns)
    none = (None,) * len(columns) if len(columns) > 1 else None
    return lambda r: members(r) == none


def _periods_in_order(rows) -> list[str]:
    """The rows' period labels, each once, in time order (by start, then end)."""
    spans = {r["period"]: (r["period_start"], r["period_end"]) for r in rows}
    return sorted(spans, key=spans.__getitem__)


def source_line(source_ids: list[str], lang: str) -> str:
    meta = data.meta()
    parts = []
    for sid in source_ids:
        s = meta.sources.get(sid)
        if not s:
            continue
        year = str(s["published"])[:4] if s.get("published") else t("not_stated", lang)
        parts.append(f"{s[f'publisher_{lang}']} ({year})")
    return f"{t('source', lang)}: " + ("؛ " if lang == "ar" else "; ").join(parts) if parts else ""


def _formatter(unit: dict, lang: str, decimals: int):
    """A view's figure formatter: amount_formatter, with "" (not "–") for a missing figure."""
    amount = amount_formatter(unit, lang, decimals)
    return lambda value, qualifier=None: "" if value is None else amount(value, qualifier)


def _geo_phrase(geos: list[str], lang: str) -> str:
    meta = data.meta()
    return join_list([meta.geo_name(g, lang) for g in geos], lang)


def _row_maker(ind: dict, unit: dict, lang: str):
    """A function making the table rows of one indicator's figures. A breakdown view has
    thousands of rows that share a few periods, areas and sources: their texts are looked up
    once per view (in plain dicts, the cheapest cache), not once per row."""
    meta = data.meta()
    measure, decimals, default_unit = ind["measure"], ind["decimals"], unit_label(unit, lang)
    amount = _formatter(unit, lang, decimals)
    periods: dict[str, tuple[str, str]] = {}
    sources: dict[str | None, tuple[str, str]] = {}
    areas: dict[str, str] = {}

    def row(r: dict, category: str, derived: bool = False, value_text: str | None = None,
            unit_text: str | None = None) -> dict:
        period, geo, source_id = r["period"], r["geo_code"], r.get("source_id")
        period_texts = periods.get(period)
        if period_texts is None:
            end = r["period_end"]
            period_texts = periods[period] = (period_phrase(period, measure, lang),
                                              end.isoformat() if hasattr(end, "isoformat") else str(end))
        source_texts = sources.get(source_id)
        if source_texts is None:
            src = meta.sources.get(source_id or "", {})
            source_texts = sources[source_id] = (src.get(f"publisher_{lang}", source_id or ""), src.get(f"title_{lang}", ""))
        area = areas.get(geo)
        if area is None:
            area = areas[geo] = meta.geo_name(geo, lang)
        return {
            "period": period, "period_text": period_texts[0], "sort_period": period_texts[1],
            "geo": geo, "area": area,
            "category": category,
            "value": r["value"],
            "value_text": value_text if value_text is not None else amount(r["value"], r.get("qualifier")),
            "unit": unit_text if unit_text is not None else default_unit,
            "source": source_texts[0], "source_title": source_texts[1],
            "derived": derived,
        }
    return row


# ---------------------------------------------------------------- the views

def build_view(state: State) -> ViewData:
    lang = norm_lang(state.lang)
    meta = data.meta()
    ind = meta.indicators[state.indicator]
    unit = meta.units[ind["unit"]]
    if state.view == "per_case":
        return _per_case(state, lang)
    obs = filter_periods(data.records(state.indicator, state.geos), state)
    if state.view == "breakdown" and state.breakdown:
        parts = _breakdown(state, ind, unit, obs, lang)
        return shares_of(parts, state) if state.mode == "share" else parts
    if state.view == "geo":
        return _by_geo(state, ind, unit, obs, lang)
    return _time(state, ind, unit, obs, lang)


def _common(state: State, ind: dict, lang: str, rows, geos: list[str], extra_sources=()) -> dict:
    name = ind[f"name_{lang}"]
    geo_text = _geo_phrase(geos, lang)
    sources = list(dict.fromkeys([r["source_id"] for r in rows if r.get("source_id")] + list(extra_sources)))
    return {"indicator_id": state.indicator, "lang": lang, "title": f"{name} — {geo_text}" if geo_text else name,
            "source_line": source_line(sources, lang)}


def _subtitle(unit_text: str, periods: list[str], measure: str, lang: str, extra: str = "") -> str:
    span = ""
    if periods:
        first, last = period_phrase(periods[0], measure, lang), period_phrase(periods[-1], measure, lang)
        if first != last and measure != "stock":
            first, last = period_label(periods[0], lang), period_label(periods[-1], lang)
        span = first if first == last else f"{first} – {last}"
    bits = [unit_text, span] + ([extra] if extra else [])
    return " · ".join(b for b in bits if b)


def _sum_parts(rows) -> list[dict]:
    """One derived total per (area, period) from the parts (for indicators published only in parts)."""
    out: dict[tuple, dict] = {}
    blank = dict.fromkeys(data.meta().dimension_columns)
    for r in rows:
        key = (r["geo_code"], r["period"])
        if key not in out:
            out[key] = {**r, **blank, "value": 0.0, "qualifier": None}
        out[key]["value"] += r["value"]
        if r.get("qualifier"):
            out[key]["qualifier"] = "more_than"
    return list(out.values())


def _cells(by_period: dict[str, dict], periods: list[str], fmt) -> tuple[list, list, list[tuple[dict, str]]]:
    """One series over `periods`: its values and formatted texts (None and "" where no figure
    was published), and (row, text) of each published figure, in order, for the table."""
    values, texts, published = [], [], []
    for p in periods:
        r = by_period.get(p)
        if r is None:
            values.append(None)
            texts.append("")
            continue
        text = fmt(r["value"], r.get("qualifier"))
        values.append(float(r["value"]))
        texts.append(text)
        published.append((r, text))
    return values, texts, published


def _time(state: State, ind: dict, unit: dict, obs: list[dict], lang: str) -> ViewData:
    geos = list(state.geos)
    totals = totals_of(obs)
    derived = False
    notes: list[str] = []
    rows: list[dict] = []
    if not totals and obs:
        totals = _sum_parts(obs)   # published only by its parts (e.g. associations by type): derived
        derived = True
        notes.append(t("parts_no_total", lang) + " " + t("sum_of_parts", lang) + ".")
    labels = _periods_in_order(totals)
    periods, gaps = period_run(labels)
    series = []
    fmt = _formatter(unit, lang, ind["decimals"])
    category = t("sum_of_parts", lang) if derived else t("total", lang)
    table_row = _row_maker(ind, unit, lang)
    for g in geos:
        by_period = {r["period"]: r for r in totals if r["geo_code"] == g}
        values, texts, published = _cells(by_period, periods, fmt)
        rows += [table_row(r, category, derived=derived, value_text=text) for r, text in published]
        name = data.meta().geo_name(g, lang) + (f" ({t('derived', lang)})" if derived else "")
        series.append(Series(key=g, name=name, values=values, texts=texts, derived=derived))
    if gaps:
        notes.append(t("gap_years", lang, periods=join_list([period_label(p, lang) for p in gaps], lang)))
    if len(labels) == 1:
        notes.append(t("one_point_note", lang))
    unit_text = unit_label(unit, lang)
    vd = ViewData(kind="line", barmode=None, periods=periods, x_labels=[period_label(p, lang) for p in periods],
                  series=series, subtitle=_subtitle(unit_text, labels, ind["measure"], lang,
                                                   t("derived", lang) if derived else ""),
                  unit=unit_text, derived=derived, notes=notes, gaps=gaps, table=rows,
                  **_common(state, ind, lang, totals, geos))
    vd.alt = _alt(vd, ind, lang)
    return vd


def _breakdown(state: State, ind: dict, unit: dict, obs: list[dict], lang: str) -> ViewData:
    """The published parts of a breakdown, as stacked (or grouped) bars, and the totals."""
    meta = data.meta()
    dim = state.breakdown
    geo = state.geos[0] if state.geos else None
    others = [c for c in data.meta().dimension_columns if c != dim]
    blank = _blank(others)
    clean = [r for r in obs if (geo is None or r["geo_code"] == geo) and blank(r)]
    parts = [r for r in clean if r[dim] is not None]
    total_by_period = {r["period"]: r for r in clean if r[dim] is None}
    labels = _periods_in_order(clean)
    periods, gaps = period_run(labels)
    present = {r[dim] for r in parts}
    members = [m for m in meta.dimensions.get(dim, {}).get("members", {}) if m in present]
    members += [m for m in dict.fromkeys(r[dim] for r in parts) if m not in members]
    rows: list[dict] = []
    by_member: dict[str, dict[str, dict]] = {m: {} for m in members}
    for r in parts:
        by_member[r[dim]][r["period"]] = r
    series = []
    fmt = _formatter(unit, lang, ind["decimals"])
    table_row = _row_maker(ind, unit, lang)
    for m in members:
        label = meta.member_label(dim, m, lang)
        values, texts, published = _cells(by_member[m], periods, fmt)
        rows += [table_row(r, label, value_text=text) for r, text in published]
        series.append(Series(key=m, name=label, values=values, texts=texts))
    for p in periods:
        r = total_by_period.get(p)
        if r is not None:
            rows.append(table_row(r, t("total", lang)))
    totals = [float(total_by_period[p]["value"]) if p in total_by_period else None for p in periods]
    unit_text = unit_label(unit, lang)
    vd = ViewData(kind="bars", barmode="group" if state.mode == "group" else "stack", periods=periods,
                  x_labels=[period_label(p, lang) for p in periods], series=series,
                  subtitle=_subtitle(unit_text, labels, ind["measure"], lang, _breakdown_text(dim, lang)),
                  unit=unit_text, gaps=gaps, table=rows, totals=totals,
                  notes=_breakdown_notes(periods, totals, series, gaps, False, lang),
                  **_common(state, ind, lang, clean, [geo] if geo else []))
    vd.alt = _alt(vd, ind, lang)
    return vd


def shares_of(parts: ViewData, state: State) -> ViewData:
    """A breakdown as each part's share of its period's published total (or, where no total
    was published, of the sum of the parts, said in the unit): derived, from the figures of
    the stacked view `parts` (whose table lists each part's rows in series order, then the
    totals), so switching to shares formats only the percentages."""
    lang = parts.lang
    ind = data.meta().indicators[state.indicator]
    n = len(parts.periods)
    part_sums = [sum(s.values[i] for s in parts.series if s.values[i] is not None) for i in range(n)]
    published = iter(parts.table)
    rows, series, of_parts_only = [], [], False
    share_unit, share_of_parts = t("share_unit", lang), t("share_of_parts_unit", lang)
    for s in parts.series:
        values, texts = [], []
        for i, v in enumerate(s.values):
            if v is None:
                values.append(None)
                texts.append("")
                continue
            row = next(published)
            total = parts.totals[i]
            of_parts_only |= total is None
            denom = total if total is not None else part_sums[i]
            share = v / denom if denom else None
            values.append(None if share is None else share * 100)
            texts.append(fmt_percent(share, lang))
            rows += [row, {**row, "value": values[-1], "value_text": texts[-1], "derived": True,
                           "unit": share_unit if total is not None else share_of_parts}]
        series.append(Series(key=s.key, name=s.name, values=values, texts=texts, derived=True))
    rows += list(published)  # the totals
    labels = [p for i, p in enumerate(parts.periods)
              if parts.totals[i] is not None or any(s.values[i] is not None for s in parts.series)]
    unit_text = share_of_parts if of_parts_only else share_unit
    vd = dataclasses.replace(
        parts, barmode="stack", series=series, unit=unit_text, percent=True, derived=True, table=rows,
        subtitle=_subtitle(unit_text, labels, ind["measure"], lang,
                           _breakdown_text(state.breakdown, lang) + f" ({t('derived', lang)})"),
        notes=_breakdown_notes(parts.periods, parts.totals, parts.series, parts.gaps, True, lang))
    vd.alt = _alt(vd, ind, lang)
    return vd


def _breakdown_text(dim: str, lang: str) -> str:
    label = data.meta().dimensions.get(dim, {}).get(f"dimension_{lang}", dim)
    return t("view_breakdown", lang, dimension=label)


def _breakdown_notes(periods: list[str], totals: list, series: list[Series], gaps: list[str], share: bool,
                     lang: str) -> list[str]:
    notes = []
    has_parts = [any(s.values[i] is not None for s in series) for i in range(len(periods))]
    total_only = [p for p, total, part in zip(periods, totals, has_parts) if total is not None and not part]
    if total_only:
        notes.append(t("total_only", lang, periods=join_list([period_label(p, lang) for p in total_only], lang)))
    if share:
        notes.append(t("share_note", lang))
    elif any(has_parts) and all(total is None for total in totals):
        notes.append(t("parts_no_total", lang))
    if gaps:
        notes.append(t("gap_years", lang, periods=join_list([period_label(p, lang) for p in gaps], lang)))
    return notes


def _by_geo(state: State, ind: dict, unit: dict, obs: list[dict], lang: str) -> ViewData:
    meta = data.meta()
    totals = totals_of(obs)
    labels = _periods_in_order(totals)
    present = list(dict.fromkeys(r["geo_code"] for r in totals))
    geos = [g for g in state.geos if g in present] or present
    series, rows = [], []
    fmt = _formatter(unit, lang, ind["decimals"])
    table_row = _row_maker(ind, unit, lang)
    for p in labels:   # x axis: areas; one bar series per period (latest last)
        sub = {r["geo_code"]: r for r in totals if r["period"] == p}
        values = [None if g not in sub else float(sub[g]["value"]) for g in geos]
        texts = ["" if g not in sub else fmt(sub[g]["value"], sub[g].get("qualifier"))
                 for g in geos]
        rows += [table_row(sub[g], t("total", lang), value_text=text) for g, text in zip(geos, texts) if g in sub]
        series.append(Series(key=p, name=period_phrase(p, ind["measure"], lang), values=values, texts=texts))
    unit_text = unit_label(unit, lang)
    vd = ViewData(kind="bars", barmode="group", periods=geos, x_labels=[meta.geo_name(g, lang) for g in geos],
                  series=series, subtitle=_subtitle(unit_text, labels, ind["measure"], lang, t("view_geo", lang)),
                  unit=unit_text, table=rows, **_common(state, ind, lang, totals, geos))
    vd.title = ind[f"name_{lang}"]
    vd.alt = _alt(vd, ind, lang, by_geo=True)
    return vd


def _per_case(state: State, lang: str) -> ViewData:
    meta = data.meta()
    num_id, den_id = PER_CASE[state.indicator]
    num_ind, den_ind = meta.indicators[num_id], meta.indicators[den_id]
    num_unit, den_unit = meta.units[num_ind["unit"]], meta.units[den_ind["unit"]]
    geos = list(state.geos)
    # money paid during a year over the cases counted at (or during) that year, same area
    num = {(r["geo_code"], r["period"][:4]): r for r in totals_of(filter_periods(data.records(num_id, geos), state))}
    den = {(r["geo_code"], r["period"][:4]): r for r in totals_of(filter_periods(data.records(den_id, geos), state))}
    pairs = {k: (num[k], den[k]) for k in num if k in den and (not geos or k[0] in geos)}
    labels = sorted({year for _, year in pairs}, key=_sort_key)
    periods, gaps = period_run(labels)
    unit_text = t("per_case_unit", lang, unit=unit_label(num_unit, lang))
    series, rows, sources = [], [], []
    num_row, den_row = _row_maker(num_ind, num_unit, lang), _row_maker(den_ind, den_unit, lang)
    for g in geos:
        values, texts = [], []
        for p in periods:
            pair = pairs.get((g, p))
            if pair is None or not pair[1]["value"]:
                values.append(None)
                texts.append("")
                continue
            n, d = pair
            v = float(n["value"]) / float(d["value"])
            values.append(v)
            texts.append(fmt_amount(v, num_unit, lang, 1))
            sources += [n["source_id"], d["source_id"]]
            rows.append(num_row(n, num_ind[f"name_{lang}"]))
            rows.append(den_row(d, den_ind[f"name_{lang}"]))
            rows.append(num_row({**n, "value": v, "qualifier": None}, t("view_per_case", lang), derived=True,
                                value_text=texts[-1], unit_text=unit_text))
        series.append(Series(key=g, name=f"{meta.geo_name(g, lang)} ({t('derived', lang)})", values=values,
                             texts=texts, derived=True))
    notes = [t("per_case_note", lang, num=num_ind[f"name_{lang}"], den=den_ind[f"name_{lang}"])]
    if gaps:
        notes.append(t("gap_years", lang, periods=join_list(gaps, lang)))
    name = f"{num_ind[f'name_{lang}']} ÷ {den_ind[f'name_{lang}']}"
    geo_text = _geo_phrase(geos, lang)
    vd = ViewData(indicator_id=state.indicator, lang=lang, kind="line", barmode=None, periods=periods,
                  x_labels=[period_label(p, lang) for p in periods], series=series,
                  title=f"{name} — {geo_text}" if geo_text else name,
                  subtitle=_subtitle(unit_text, labels, "flow", lang, t("derived", lang)), unit=unit_text,
                  source_line=source_line(list(dict.fromkeys(sources)), lang), derived=True, notes=notes, gaps=gaps,
                  table=rows)
    vd.alt = _alt(vd, {**num_ind, f"name_{lang}": name}, lang)
    return vd


ALT_MAX_POINTS = 40   # beyond this, "every value" is no longer readable: the table has them


def _alt(vd: ViewData, ind: dict, lang: str, by_geo: bool = False) -> str:
    """The chart in one paragraph: what it shows and every value in it; for a chart of more
    than ALT_MAX_POINTS figures, the first and latest of each series and where the rest are."""
    if vd.empty:
        return t("no_data_view", lang)
    count = sum(v is not None for s in vd.series for v in s.values)
    pieces = []
    for s in vd.series:
        pts = [f"{x}: {txt}" for x, txt, v in zip(vd.x_labels, s.texts, s.values) if v is not None]
        if count > ALT_MAX_POINTS and len(pts) > 2:
            pts = [pts[0], "…", pts[-1]]
        if pts:
            prefix = f"{s.name} — " if len(vd.series) > 1 or by_geo else ""
            pieces.append(prefix + ("، " if lang == "ar" else ", ").join(pts))
    kind = t("chart_kind_line" if vd.kind == "line" else "chart_kind_bars", lang)
    text = t("chart_alt", lang, kind=kind, name=ind[f"name_{lang}"], unit=vd.unit,
             geo=vd.title.split(" — ")[-1] if " — " in vd.title else "", points=("؛ " if lang == "ar" else "; ").join(pieces))
    if count > ALT_MAX_POINTS:
        text += " " + t("alt_summary", lang, count=fmt_number(count, lang))
    if vd.gaps:
        text += " " + t("gap_years", lang, periods=join_list([period_label(p, lang) for p in vd.gaps], lang)) + "."
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

