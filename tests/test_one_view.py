"""Chart = table = download = API: for every indicator, each view the explorer offers (over
time, each breakdown stacked, grouped and as shares, by area, per case) and a set of place
and period filters (the whole run, from its first period, to its last, one period alone,
bounds that fall inside a half-year or a year, and bounds that match nothing), the figures
drawn in the chart, the rows of the page's table, the page's own CSV download, the page's
own API address and its JSON-stat and SDMX-CSV downloads hold the same numbers. Derived numbers (sums of parts, shares, amounts per
case) are recomputed here from the downloaded rows and must equal the ones drawn.
"""
from __future__ import annotations

import csv
import html
import io
import re
from collections import Counter, defaultdict

import pytest

from contract import periods

BASE = "http://localhost"


@pytest.fixture(scope="module")
def site(served):
    from spi.app import server
    return server.test_client()


def _rows(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def _value_of(text) -> float | None:
    return None if text in (None, "") else round(float(text), 6)


def _standard_values(body: bytes, fmt: str) -> list[float | None]:
    """Every figure of a JSON-stat dataset (its sparse `value`, a null kept) or an SDMX-CSV
    message (OBS_VALUE, "OBS_VALUE: Value" with labels=both)."""
    if fmt == "jsonstat":
        import json
        return [_value_of(v) for v in json.loads(body)["value"].values()]
    rows = _rows(body)
    column = next((c for c in rows[0] if c.split(":")[0] == "OBS_VALUE"), None) if rows else None
    return [_value_of(r[column]) for r in rows]


def _filters(m, indicator: str) -> list[dict]:
    """from/to filters worth trying for an indicator's periods."""
    labels = list(m.periods_of(indicator))
    out = [{}, {"from": "2099"}, {"to": "1990"}]
    if labels:
        first, last = (periods.parse(x) for x in (labels[0], labels[-1]))
        out += [{"from": str(first.end.year)}, {"to": str(last.end.year)},
                {"from": str(last.end.year), "to": str(last.end.year)}]
    for label in labels:
        p = periods.parse(label)
        if p.start.month == 1 and p.end.month >= 6:   # a half-year or a year: bounds inside it
            out += [{"from": f"{p.end.year}-Q2"}, {"to": f"{p.end.year}-03"}, {"from": f"{p.end.year}-06"}]
    unique = {tuple(sorted(f.items())) for f in out}
    return [dict(f) for f in sorted(unique)]


def _views(m, indicator: str) -> list[dict]:
    from store.view import views_for
    out = []
    for kind in views_for(m, indicator):
        if kind == "breakdown":
            out += [{"view": kind, "breakdown": b, "mode": mode} for b in m.indicators[indicator]["breakdowns"]
                    for mode in ("stack", "group", "share")]
        else:
            out.append({"view": kind})
    return out


def _cases():
    from store.catalogue import meta
    m = meta()
    for indicator in m.indicators:
        places = [{}] + [{"geo": g} for g in m.geos_of(indicator)] if len(m.geos_of(indicator)) > 1 else [{}]
        for kind in _views(m, indicator):
            for bounds in _filters(m, indicator):
                for place in places:
                    yield {"indicator": indicator, **kind, **bounds, **place}


def _drawn(fig: dict) -> list[float]:
    """The figures a chart draws: its bars and points (not a gap's dashed connector nor a
    target line), or the one number it prints large, read back from its text (to the
    decimals it shows: see _same)."""
    values = []
    for trace in fig["data"]:
        if trace.get("hoverinfo") == "skip" or str(trace.get("legendgroup", "")).startswith("target"):
            continue
        values += [v for v in trace["x" if trace.get("orientation") == "h" else "y"] if v is not None]
    big = [a["text"] for a in fig["layout"]["annotations"] if a.get("font", {}).get("size") == 46]
    return values + [float(re.sub(r"[^0-9.]", "", text)) for text in big]


def _twin_drawn(svg: str) -> list[float]:
    """The figures the server-drawn twin shows (its wide variant): each bar's and point's
    data-value, or the one number it prints large."""
    wide = svg.split('class="chart-twin-svg narrow"')[0]
    big = re.findall(r'font-size="46"[^>]*>([^<]*)<', wide)
    return [float(v) for v in re.findall(r'data-value="([^"]+)"', wide)] + \
        [float(re.sub(r"[^0-9.]", "", html.unescape(text))) for text in big]


def _table_values(table_html: str) -> list[float]:
    """The numbers of the page's table as it is sent (each value cell's data-sort)."""
    return [float(v) for v in re.findall(r'<td[^>]* class="num" data-sort="([^"]*)"', table_html) if v]


def _expected_drawn(view, m, published: list[dict]) -> list[float]:
    """What the chart must draw, computed from the downloaded rows alone."""
    dims = m.dimension_columns
    value = lambda r: float(r["value"])  # noqa: E731
    if view.kind == "per_case":
        num, den = m.per_case(view.indicator)
        by = defaultdict(dict)
        for r in published:
            by[(r["geo_code"], r["period"][:4])][r["indicator_id"]] = value(r)
        return [v[num] / v[den] for v in by.values() if num in v and den in v and v[den]]
    if view.kind == "breakdown":
        dim = view.breakdown
        parts = [r for r in published if r[dim]]
        if view.mode != "share":
            return [value(r) for r in parts]
        totals = {r["period"]: value(r) for r in published if not r[dim]}
        sums = defaultdict(float)
        for r in parts:
            sums[r["period"]] += value(r)
        return [value(r) / (totals.get(r["period"]) or sums[r["period"]]) * 100 for r in parts
                if totals.get(r["period"]) or sums[r["period"]]]
    if published and all(any(r[d] for d in dims) for r in published):   # parts only: their sums, derived
        sums = defaultdict(float)
        for r in published:
            sums[(r["geo_code"], r["period"])] += value(r)
        return list(sums.values())
    return [value(r) for r in published]


def _same(a: list[float], b: list[float]) -> bool:
    if len(a) == len(b) == 1:   # one figure, printed as a number to its decimals
        return abs(a[0] - b[0]) <= 0.05
    return Counter(round(x, 6) for x in a) == Counter(round(x, 6) for x in b)


def test_chart_table_download_and_api_hold_the_same_figures(site):
    from dashboard.blocks import data_links
    from dashboard.cache import explorer_parts
    from dashboard.wire import to_wire
    from store.catalogue import meta
    from store.view import parse_view
    m = meta()
    checked = with_figures = 0
    seen_kinds, failures = set(), []
    for params in _cases():
        view = parse_view(params, m, "en")
        assert not view.messages, (params, view.messages)
        chart, table, _, _ = to_wire(list(explorer_parts(view, BASE)))
        twin_html, graph = (c["props"] for c in chart["props"]["children"][0]["props"]["children"])
        fig = graph["figure"]
        table_html = table["props"]["children"][1]["props"]["html"]
        links = data_links(view, m)
        download = site.get(links["csv"])
        api = site.get(links["api"] + "&labels=codes")
        assert download.status_code == api.status_code == 200, (params, links)
        published, answered = _rows(download.data), _rows(api.data)
        key = lambda r: (r["indicator_id"], r["geo_code"], r["period"], float(r["value"]))  # noqa: E731
        if sorted(map(key, published)) != sorted(map(key, answered)):
            failures.append(("download != api", params))
        for fmt in ("jsonstat", "sdmx"):   # the view in the open standards: the same figures
            answer = site.get(links[fmt])
            if not published and answer.status_code == 404:   # SDMX: no figure is a 404 (code 100)
                continue
            assert answer.status_code == 200, (fmt, params, answer.data[:300])
            if Counter(_standard_values(answer.data, fmt)) != Counter(_value_of(r["value"]) for r in published):
                failures.append((f"{fmt} != download", params))
        drawn = _drawn(fig)
        if not _same(drawn, _expected_drawn(view, m, published)):
            failures.append(("chart != download", params, drawn, [r["value"] for r in published]))
        if not _same(_twin_drawn(twin_html["html"]), drawn):
            failures.append(("server-drawn twin != chart", params, _twin_drawn(twin_html["html"]), drawn))
        shown = _table_values(table_html)
        derived_shown = [float(v) for v in re.findall(
            r'<tr[^>]* class="derived-row">.*?<td[^>]* class="num" data-sort="([^"]*)"', table_html)]
        if not _same(shown, [float(r["value"]) for r in published] + derived_shown):
            failures.append(("table != download", params, shown, [r["value"] for r in published]))
        if view.kind == "per_case" or view.mode == "share" or derived_shown:
            if not _same(derived_shown, drawn):
                failures.append(("derived table rows != chart", params, derived_shown, drawn))
        seen_kinds.add((view.kind, view.mode if view.kind == "breakdown" else ""))
        checked += 1
        with_figures += bool(published)
    assert failures == []
    assert checked > 300 and with_figures > 100
    assert {("time", ""), ("breakdown", "stack"), ("breakdown", "group"), ("breakdown", "share"),
            ("per_case", "")} <= seen_kinds


def test_a_bound_inside_a_half_year_keeps_the_figure_in_chart_and_download(site):
    """The figure of the first half of 2025 ends on 30 June: from=2025-Q2 keeps it in the
    chart and in the download alike (one rule: the period's last day is within the bounds)."""
    from dashboard.cache import view_for
    from store.catalogue import meta
    from store.view import parse_view
    view = parse_view({"indicator": "om_spf_services", "from": "2025-Q2"}, meta(), "en")
    words, fig = view_for(view)
    assert _drawn(fig) == [3120.0]
    rows = _rows(site.get(f"/data/om_spf_services.csv?geo=OM-BJ&from=2025-Q2&breakdown=total").data)
    assert [float(r["value"]) for r in rows] == [3120.0]
    nothing = parse_view({"indicator": "om_spf_services", "to": "2025-Q1"}, meta(), "en")
    assert _drawn(view_for(nothing)[1]) == [] and _rows(
        site.get("/data/om_spf_services.csv?geo=OM-BJ&to=2025-Q1&breakdown=total").data) == []
