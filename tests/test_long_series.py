"""Long series stay readable (issue 20): on a synthetic monthly set (bench/synthetic.py, 20
years x 12 months x 11 governorates, built in a temp dir), the by-area view and the
breakdown view show one period (the latest, or the one its select chooses, in the server's
copy and through the Dash callback), its chart, download and API agree, the period selects
offer a year and a month instead of one button a period, and every explorer view's page,
served by gunicorn, stays under 150 KB."""
from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
from html import unescape
from pathlib import Path

import pytest
from dash import no_update

from bench.synthetic import generate_source_set
from etl.build import build
from tests.conftest import _reading
from tests.servers import gunicorn

INDICATOR = "syn_000_sex"


@pytest.fixture(scope="module")
def monthly_db(tmp_path_factory) -> Path:
    root = generate_source_set(tmp_path_factory.mktemp("monthly"), n_observations=8_000)
    result = build(root / "raw", root / "indicators.yaml", root / "out")
    assert result.ok, "\n".join(map(str, result.issues))
    return root / "out" / "indicators.duckdb"


@pytest.fixture(scope="module")
def monthly(monthly_db):
    with _reading(monthly_db):
        from spi.app import server
        yield server.test_client()


@pytest.fixture(scope="module")
def monthly_served(monthly_db, tmp_path_factory):
    """The set served by gunicorn as `spi serve` runs it."""
    with gunicorn(monthly_db, tmp_path_factory.mktemp("monthly-log") / "gunicorn.log") as running:
        yield running


def _page(site, query: str) -> str:
    response = site.get(f"/explorer?indicator={INDICATOR}&{query}")
    assert response.status_code == 200
    return response.data.decode()


def _bars(html: str) -> list[float]:
    wide = html.split('class="chart-twin-svg narrow"')[0]
    return [float(v) for v in re.findall(r'data-value="([^"]+)"', wide)]


FIRST = "OM-BJ"   # the view's first place (the first of the indicator's, by code): a breakdown's
ONE_PERIOD = {"view=geo": "breakdown=total",                          # the governorates' totals
              "view=breakdown&breakdown=sex": f"geo={FIRST}&breakdown=sex"}   # the parts of its first place


def _figures(site, period: str, selection: str = ONE_PERIOD["view=geo"]) -> list[float]:
    """The figures one period of a view draws (`selection`: the governorates' totals, or the
    first place's parts), as its CSV download gives them (site: Flask's client or gunicorn)."""
    answer = site.get(f"/data/{INDICATOR}.csv?from={period}&to={period}&{selection}")
    body = answer.data if hasattr(answer, "data") else answer.body
    rows = csv.DictReader(io.StringIO(body.decode("utf-8-sig")))
    return sorted(float(r["value"]) for r in rows if r["geo_code"] != "OM")


@pytest.mark.parametrize("lang, latest", [("ar", "ديسمبر 2025"), ("en", "December 2025")])
def test_the_by_area_view_shows_the_latest_period_alone(monthly, lang, latest):
    html = _page(monthly, f"view=geo&lang={lang}")
    assert sorted(_bars(html)) == _figures(monthly, "2025-12") and len(_bars(html)) == 11
    assert latest in html
    from dashboard.cache import view_for
    from store.catalogue import meta
    from store.view import parse_view
    words, fig = view_for(parse_view({"indicator": INDICATOR, "view": "geo"}, meta(), lang))
    assert len(fig["data"]) == 1 and not fig["layout"]["showlegend"] and latest in words.subtitle   # one bar group
    assert len(html.encode()) < 150 * 1024


@pytest.mark.parametrize("shown", ONE_PERIOD)
def test_the_period_select_chooses_another_period_in_the_address_and_the_callback(monthly, shown):
    from dashboard.pages.explorer import update
    from store.catalogue import meta
    from store.view import parse_view
    selection = ONE_PERIOD[shown]
    html = _page(monthly, f"{shown}&period=2010-05&lang=en")
    assert sorted(_bars(html)) == _figures(monthly, "2010-05", selection) != _figures(monthly, "2025-12", selection)
    picks = html[html.index('id="explorer-period"'):html.index('id="explorer-from"')]
    assert "end of May 2010" in html and _chosen(picks) == {"explorer-pick-period-year": "2010",
                                                             "explorer-pick-period-part": "2010-05"}
    view = parse_view({"indicator": INDICATOR, **dict(p.split("=") for p in shown.split("&")), "period": "2010-05"},
                      meta(), "en")
    assert view.download_args(meta())["from"] == view.download_args(meta())["to"] == "2010-05"
    api = monthly.get(f"/api/v1/observations?{'&'.join(f'{k}={v}' for k, v in view.api_args(meta()).items())}"
                      "&format=csv")
    assert sorted(float(r["value"]) for r in csv.DictReader(io.StringIO(api.data.decode("utf-8-sig")))
                  if r["geo_code"] != "OM" and (r["sex"] or "view=geo" in shown)) == _figures(monthly, "2010-05", selection)
    # the select's choice through the callback (what assets/explorer.js sets in explorer-picked):
    # March 2014, then the year 2020 alone (its latest month); a group not a select's is ignored
    from dash._callback_context import context_value
    from dash._utils import AttributeDict
    for value, expected in (("2014-03", "2014-03"), ("2020", "2020-12")):
        picked = {"group": "period", "value": value, "n": 1}
        context_value.set(AttributeDict(triggered_inputs=[{"prop_id": "explorer-picked.data", "value": picked}]))
        out = update([], picked, {"query": view.query(), "lang": "en", "tab": "chart"})
        assert out[3]["query"]["period"] == expected
        assert sorted(_bars(json.dumps(out[0]).replace('\\"', '"'))) == _figures(monthly, expected, selection)
    picked = {"group": "geo", "value": "OM", "n": 2}
    context_value.set(AttributeDict(triggered_inputs=[{"prop_id": "explorer-picked.data", "value": picked}]))
    assert all(o is no_update for o in update([], picked, {"query": view.query(), "lang": "en", "tab": "chart"}))


def test_period_selects_offer_a_year_and_a_month(monthly):
    html = _page(monthly, "from=2012-04&lang=en")
    start = html.index('id="explorer-from"')
    picks = html[start:html.index('id="explorer-to"')]
    assert _chosen(picks) == {"explorer-pick-from-year": "2012", "explorer-pick-from-part": "2012-04"}
    assert "<option" in picks and picks.count("<option") < 40   # 20 years, then the 12 months of 2012
    assert html.count('class="toggle') < 30   # no button a period
    from dashboard.controls import period_picks
    picks = period_picks("from", ("2012-03", "2012-04", "2013-01"), "2012-04", "en", "All").html
    assert _options(picks, "year") == [("", "All"), ("2012", "2012"), ("2013", "2013")]
    assert _options(picks, "part") == [("2012", "Whole year"), ("2012-03", "March 2012"), ("2012-04", "April 2012")]
    annual = period_picks("from", ("2012", "2013"), "2012", "en", "All").html
    assert _options(annual, "part") == [] and _chosen(annual) == {"explorer-pick-from-year": "2012"}   # the year alone


def _selects(html: str) -> dict[str, str]:
    """Each period select's id and its options' markup."""
    return dict(re.findall(r'<select id="([^"]+)"[^>]*>(.*?)</select>', html))


def _chosen(html: str) -> dict[str, str]:
    """Each select's id and the value of its selected option (exactly one each)."""
    out = {}
    for ident, options in _selects(html).items():
        [value] = re.findall(r'<option value="([^"]*)" selected>', options)
        out[ident] = value
    return out


def _options(html: str, part: str) -> list[tuple[str, str]]:
    selects = [o for ident, o in _selects(html).items() if ident.endswith("-" + part)]
    return re.findall(r'<option value="([^"]*)"(?: selected)?>([^<]*)</option>', selects[0]) if selects else []


def _served(running, query: str) -> str:
    answer = running.get(f"/explorer?indicator={INDICATOR}&{query}", headers={"Accept-Encoding": "identity"})
    assert answer.status == 200, answer.status
    return answer.text


def _wide(html: str) -> str:
    """The server-drawn chart, its wide variant."""
    start = html.index('<svg class="chart-twin-svg wide"')
    return html[start:html.index('<svg class="chart-twin-svg narrow"', start)]


@pytest.mark.parametrize("lang, latest, chosen", [("ar", "ديسمبر 2025", "مايو 2010"), ("en", "December 2025", "May 2010")])
def test_the_breakdown_of_a_long_series_draws_one_period(monthly_served, lang, latest, chosen):
    """Served by gunicorn: the breakdown of a 20-year monthly series draws the latest month's
    parts, a bar each (not a bar group a month: 480 bars), its subtitle names the month, and
    the period selects (not the from and to ones) say it; period= in the address (what a
    choice on the server's copy opens) draws that month's parts instead."""
    selection = ONE_PERIOD["view=breakdown&breakdown=sex"]
    for query, period, named in (("", "2025-12", latest), ("&period=2010-05", "2010-05", chosen)):
        html = _served(monthly_served, f"view=breakdown&breakdown=sex{query}&lang={lang}")
        wide = _wide(html)
        assert wide.count("<rect") == 2 and sorted(_bars(wide)) == _figures(monthly_served, period, selection)
        assert named in re.findall(r'<text[^>]*font-size="13"[^>]*>([^<]*)</text>', wide)[0]   # the subtitle
        assert _chosen(html[html.index('id="explorer-period"'):html.index('id="explorer-from"')]) == {
            "explorer-pick-period-year": period[:4], "explorer-pick-period-part": period}
        assert re.search(r'id="explorer-period"[^>]*hidden', html) is None
        assert re.search(r'id="explorer-from"[^>]*hidden', html) and re.search(r'id="explorer-to"[^>]*hidden', html)
    assert _figures(monthly_served, "2010-05", selection) != _figures(monthly_served, "2025-12", selection)


ALL_PLACES = "geo=" + ",".join(("OM-BJ", "OM-BS", "OM-BU", "OM-DA", "OM-MA", "OM-MU", "OM-SJ", "OM-SS", "OM-WU",
                                "OM-ZA", "OM-ZU"))


@pytest.mark.parametrize("query", ["", ALL_PLACES, "view=breakdown&breakdown=sex", "tab=table", "view=geo",
                                   f"{ALL_PLACES}&tab=table"])
def test_every_view_of_a_long_series_is_a_light_page(monthly_served, query):
    """A page, not the series: each view's HTML, as gunicorn serves it, stays under 150 KB (its
    chart one path a line, a marker only where a figure is marked or alone; its table the
    latest rows; a breakdown and a by-area view one period), and the table's note links to
    the view's CSV, which holds every row the table leaves out."""
    html = _served(monthly_served, f"{query}&lang=en")
    assert len(html.encode()) <= 150 * 1024, len(html.encode())
    if "view=" in query:   # one period: a short table
        assert "The table shows the latest" not in html and html.count('<tr role="row"') < 20
        return
    lines = 11 if ALL_PLACES in query else 1
    assert _wide(html).count('fill="none"') == lines and 'class="dots"' not in _wide(html)   # a line a place, no dot
    shown = re.search(r"The table shows the latest (\d+) of ([\d,]+) rows", html)
    assert shown, "no note of the rows left out"
    anchor = re.search(r'<a [^>]*id="explorer-table-all"[^>]*>', html).group(0)
    link = re.search(r'href="([^"]+)"', anchor).group(1).replace("&amp;", "&")
    rows = list(csv.DictReader(io.StringIO(monthly_served.get(link).body.decode("utf-8-sig"))))
    assert int(shown.group(1)) == 100 and len(rows) == int(shown.group(2).replace(",", "")) == 240 * lines
    assert html.count('<tr role="row"') == 100 + 1   # the rows shown and the header


def test_a_long_line_marks_only_the_figures_a_note_marks_or_no_line_reaches(monthly):
    """Over time, a line of more than MAX_MARKED_POINTS figures has a marker only where a
    figure is marked (its hollow marker says provisional, revised…) or stands alone between
    gaps; the figure passes plotly's validation, and the server-drawn twin draws a dot for
    exactly those markers."""
    from dashboard.chart_svg import chart_svg
    from dashboard.figures import MARKER, _marker_sizes, figure_dict
    from dashboard.cache import view_for
    from store.catalogue import meta
    from store.view import parse_view
    import plotly.graph_objects as go
    assert _marker_sizes([1, None, 2, 3, None, None, 4], ["", "", "", "revised", "", "", ""]) == [
        MARKER, 0, 0, MARKER, 0, 0, MARKER]
    words, fig = view_for(parse_view({"indicator": INDICATOR, "geo": "OM-BJ,OM-MA"}, meta(), "en"))
    assert [len(t["y"]) for t in fig["data"]] == [240, 240] and all(set(t["marker"]["size"]) == {0} for t in fig["data"])
    go.Figure(fig)   # validated property by property
    line = words.series[0]   # a copy (the cache's words are read-only): the figure at index 6 alone, 100 marked
    values = [None if i in (5, 7) else v for i, v in enumerate(line.values)]
    marks = ["provisional" if i == 100 else m for i, m in enumerate(line.marks)]
    drawn = figure_dict(dataclasses.replace(words, series=[dataclasses.replace(line, values=values, marks=marks)]))
    sizes = drawn["data"][0]["marker"]["size"]
    assert [i for i, size in enumerate(sizes) if size] == [6, 100]
    dots = re.findall(r'data-value="([^"]+)"', chart_svg(drawn, "wide"))
    assert [float(v) for v in dots] == [values[6], values[100]]
    # only those points answer hover on the twin (assets/chart_hover.js), with the live
    # chart's words: the period, the figure, its status
    line = drawn["data"][0]
    tips = [unescape(tip) for tip in re.findall(r'data-tip="([^"]+)"', chart_svg(drawn, "wide"))]
    assert tips == [f"{line['x'][i]}: {line['customdata'][i]}" for i in (6, 100)] and " · " in tips[1]


def test_a_long_time_axis_is_labelled_every_few_periods_and_fewer_on_a_phone(monthly):
    """240 months: about 8 labels on a wide chart, 3 on a phone's (where 8 overlapped), in the
    figure (its texts, which assets/spi.js swaps in) and in the server-drawn twin alike, at
    the periods Plotly steps to over the line's range."""
    from dashboard.cache import view_for
    from dashboard.chart_svg import chart_svg
    from store.catalogue import meta
    from store.view import parse_view
    _, fig = view_for(parse_view({"indicator": INDICATOR}, meta(), "en"))
    texts = fig["layout"]["meta"]["texts"]
    assert (fig["layout"]["xaxis"]["nticks"], texts["wide"]["nticks"], texts["narrow"]["nticks"]) == (8, 8, 3)
    labels = {variant: re.findall(r">([A-Z][a-z]+ \d{4})</text>", chart_svg(fig, variant)) for variant in ("wide", "narrow")}
    assert labels["narrow"] == ["January 2006", "October 2012", "July 2019"]   # every 81st of the range's 240.5
    assert len(labels["wide"]) == 8 and labels["wide"][:2] == ["January 2006", "August 2008"]
