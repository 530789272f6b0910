"""Long series stay readable (issue 20): on a synthetic monthly set (bench/synthetic.py, 20
years x 12 months x 11 governorates, built in a temp dir), the by-area view shows one period
(the latest, or the one its select chooses, in the server's copy and through the Dash
callback), its chart, download and API agree, and the period selects offer a year and a
month instead of one button a period."""
from __future__ import annotations

import csv
import io
import json
import re

import pytest
from dash import no_update

from bench.synthetic import generate_source_set
from etl.build import build
from tests.conftest import _reading

INDICATOR = "syn_000_sex"


@pytest.fixture(scope="module")
def monthly(tmp_path_factory):
    root = generate_source_set(tmp_path_factory.mktemp("monthly"), n_observations=8_000)
    result = build(root / "raw", root / "indicators.yaml", root / "out")
    assert result.ok, "\n".join(map(str, result.issues))
    with _reading(root / "out" / "indicators.duckdb") as path:
        from spi.app import server
        yield server.test_client()


def _page(site, query: str) -> str:
    response = site.get(f"/explorer?indicator={INDICATOR}&{query}")
    assert response.status_code == 200
    return response.data.decode()


def _bars(html: str) -> list[float]:
    wide = html.split('class="chart-twin-svg narrow"')[0]
    return [float(v) for v in re.findall(r'data-value="([^"]+)"', wide)]


def _figures(site, period: str) -> list[float]:
    rows = csv.DictReader(io.StringIO(site.get(f"/data/{INDICATOR}.csv?from={period}&to={period}&breakdown=total")
                                      .data.decode("utf-8-sig")))
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


def test_the_period_select_chooses_another_period_in_the_address_and_the_callback(monthly):
    from dashboard.pages.explorer import update
    from store.catalogue import meta
    from store.view import parse_view
    html = _page(monthly, "view=geo&period=2010-05&lang=en")
    assert sorted(_bars(html)) == _figures(monthly, "2010-05") != _figures(monthly, "2025-12")
    picks = html[html.index('id="explorer-period"'):html.index('id="explorer-from"')]
    assert "end of May 2010" in html and _chosen(picks) == {"explorer-pick-period-year": "2010",
                                                             "explorer-pick-period-part": "2010-05"}
    view = parse_view({"indicator": INDICATOR, "view": "geo", "period": "2010-05"}, meta(), "en")
    assert view.download_args(meta())["from"] == view.download_args(meta())["to"] == "2010-05"
    api = monthly.get(f"/api/v1/observations?{'&'.join(f'{k}={v}' for k, v in view.api_args(meta()).items())}"
                      "&format=csv")
    assert sorted(float(r["value"]) for r in csv.DictReader(io.StringIO(api.data.decode("utf-8-sig")))
                  if r["geo_code"] != "OM") == _figures(monthly, "2010-05")
    # the select's choice through the callback (what assets/explorer.js sets in explorer-picked):
    # March 2014, then the year 2020 alone (its latest month); a group not a select's is ignored
    from dash._callback_context import context_value
    from dash._utils import AttributeDict
    for value, expected in (("2014-03", "2014-03"), ("2020", "2020-12")):
        picked = {"group": "period", "value": value, "n": 1}
        context_value.set(AttributeDict(triggered_inputs=[{"prop_id": "explorer-picked.data", "value": picked}]))
        out = update([], picked, {"query": view.query(), "lang": "en", "tab": "chart"})
        assert out[3]["query"]["period"] == expected
        assert sorted(_bars(json.dumps(out[0]).replace('\\"', '"'))) == _figures(monthly, expected)
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


@pytest.mark.parametrize("query", ["", "view=breakdown&breakdown=sex", "tab=table", "view=geo"])
def test_every_view_of_a_long_series_is_a_light_page(monthly, query):
    """A page, not the series: each view's HTML stays under 150 KB (its chart one path a line,
    a dot a point; its table the latest rows), and the table's note links to the view's CSV,
    which holds every row the table leaves out."""
    html = _page(monthly, f"{query}&lang=en")
    assert len(html.encode()) < 150 * 1024, len(html.encode())
    if "view=geo" in query:
        return
    shown = re.search(r"The table shows the latest (\d+) of ([\d,]+) rows", html)
    assert shown, "no note of the rows left out"
    anchor = re.search(r'<a [^>]*id="explorer-table-all"[^>]*>', html).group(0)
    link = re.search(r'href="([^"]+)"', anchor).group(1).replace("&amp;", "&")
    rows = list(csv.DictReader(io.StringIO(monthly.get(link).data.decode("utf-8-sig"))))
    assert int(shown.group(1)) == 100 and len(rows) == int(shown.group(2).replace(",", "")) > 100
    assert html.count('<tr role="row"') == 100 + 1   # the rows shown and the header
