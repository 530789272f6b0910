"""The period selects (issue 20, long series), in real Chromium through gunicorn, on a synthetic
monthly set (bench/synthetic.py: monthly figures for 11 governorates, built in a temp dir), in
Arabic and English at 1280x800 and 360x740: the by-area view, and the breakdown of the long
series, show one period, the live chart the same as the server's copy; choosing a year,
then a month, in the live page redraws the chart with that month's figures (those of its CSV
download), writes the choice into the address and keeps the keyboard on the select; the same
choice on the server's copy, before the live page, opens that view's address. The selects are
the browser's own, inside the screen, with no axe violation at any impact."""
from __future__ import annotations

import csv
import io
import urllib.request

import pytest

from bench.synthetic import generate_source_set
from tests.browser.conftest import _pages, serving_build

INDICATOR = "syn_000_sex"
SIZES = [(1280, 800), (360, 740)]
BARS = """(root) => [...document.querySelectorAll(root + ' svg.chart-twin-svg.wide [data-value]')]
                   .map(e => Number(e.getAttribute('data-value'))).sort((a, b) => a - b)"""
CHOSEN = """(root) => Object.fromEntries([...document.querySelectorAll(root + ' #explorer-period select')]
                   .map(s => [s.id, s.value]))"""


@pytest.fixture(scope="module")
def monthly_site(tmp_path_factory):
    root = generate_source_set(tmp_path_factory.mktemp("monthly-site"), n_observations=8_000)
    with serving_build(root / "raw", root / "indicators.yaml", root / "out", "period-select.log") as base:
        yield base


@pytest.fixture
def open_monthly(browser, monthly_site):
    yield from _pages(browser, monthly_site)


def _figures(base: str, period: str, selection: str = "breakdown=total") -> list[float]:
    """The figures of one period (the governorates' totals, or `selection`), as the view's CSV
    download gives them."""
    with urllib.request.urlopen(f"{base}/data/{INDICATOR}.csv?from={period}&to={period}&{selection}") as r:
        rows = csv.DictReader(io.StringIO(r.read().decode("utf-8-sig")))
        return sorted(float(row["value"]) for row in rows if row["geo_code"] != "OM")


def _inside(p, root: str) -> None:
    """Every select is shown, a finger's height, and inside the screen; nothing scrolls sideways."""
    boxes = p.page.evaluate("""(root) => [...document.querySelectorAll(root + ' #explorer-period select')].map(s => {
        const b = s.getBoundingClientRect(); return {left: b.left, right: b.right, height: b.height}; })""", root)
    assert boxes, root
    width = p.page.evaluate("() => window.innerWidth")
    for box in boxes:
        assert box["left"] >= 0 and box["right"] <= width + 0.5 and box["height"] >= 44, (box, width)
    assert p.page.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")


@pytest.mark.parametrize("width, height", SIZES)
@pytest.mark.parametrize("lang", ["ar", "en"])
def test_a_year_then_a_month_chosen_in_the_live_page(open_monthly, lang, width, height):
    p = open_monthly(width, height)
    p.page.goto(f"{p.base}/explorer?indicator={INDICATOR}&view=geo&lang={lang}")
    assert p.page.evaluate(CHOSEN, "#ssr") == {"explorer-pick-period-year": "2025", "explorer-pick-period-part": "2025-12"}
    assert p.page.evaluate(BARS, "#ssr") == _figures(p.base, "2025-12")
    _inside(p, "#ssr")
    assert p.axe() == []
    p.interact()
    p.page.wait_for_selector("#react-entry-point #explorer-pick-period-year", timeout=30000)
    p.until("!document.getElementById('ssr')")
    live = "#react-entry-point"
    # the year alone: that year's latest month
    p.page.select_option(f"{live} #explorer-pick-period-year", "2010")
    p.until("new URLSearchParams(location.search).get('period') === '2010-12'")
    p.until("document.querySelector('#explorer-pick-period-part').value === '2010-12'")
    assert p.page.evaluate(BARS, live) == _figures(p.base, "2010-12")
    # then a month of it, chosen from the keyboard's select: the keyboard stays there after the redraw
    p.page.focus(f"{live} #explorer-pick-period-part")
    p.page.select_option(f"{live} #explorer-pick-period-part", "2010-05")
    p.until("new URLSearchParams(location.search).get('period') === '2010-05'")
    p.until("document.querySelector('#explorer-pick-period-part').value === '2010-05'")
    assert p.page.evaluate(BARS, live) == _figures(p.base, "2010-05") != _figures(p.base, "2010-12")
    assert p.page.evaluate("() => document.activeElement && document.activeElement.id") == "explorer-pick-period-part"
    _inside(p, live)
    assert p.axe() == []
    assert p.errors == []


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_a_choice_on_the_servers_copy_opens_its_view(open_monthly, lang):
    p = open_monthly(360, 740)
    p.page.goto(f"{p.base}/explorer?indicator={INDICATOR}&view=geo&lang={lang}")
    with p.page.expect_navigation():
        p.page.select_option("#ssr #explorer-pick-period-year", "2012")   # no pointer move: the page is the server's copy
    assert "period=2012" in p.page.url and f"lang={lang}" in p.page.url
    assert p.page.evaluate(CHOSEN, "#ssr") == {"explorer-pick-period-year": "2012", "explorer-pick-period-part": "2012-12"}
    assert p.page.evaluate(BARS, "#ssr") == _figures(p.base, "2012-12")
    assert p.errors == []


LIVE = "document.querySelector('#react-entry-point .chart-box .js-plotly-plot')"
SUBTITLE = """(root) => [...document.querySelectorAll(root + ' svg.chart-twin-svg')]
                   .find(s => getComputedStyle(s).display !== 'none')
                   .querySelector('text[font-size="13"]').textContent"""


@pytest.mark.parametrize("width, height", SIZES)
@pytest.mark.parametrize("lang, latest", [("ar", "ديسمبر 2025"), ("en", "December 2025")])
def test_a_long_breakdown_shows_one_period_before_and_after_the_first_move(open_monthly, lang, latest, width, height):
    """The breakdown by sex of the monthly series: the server's copy draws the latest month's
    two parts and names the month; after the first move the live chart draws the same parts,
    a bar each, and names the same month."""
    p = open_monthly(width, height)
    p.page.goto(f"{p.base}/explorer?indicator={INDICATOR}&view=breakdown&breakdown=sex&lang={lang}")
    parts = _figures(p.base, "2025-12", "geo=OM-BJ&breakdown=sex")   # its first place's parts
    assert len(parts) == 2 and p.page.evaluate(BARS, "#ssr") == parts
    assert latest in p.page.evaluate(SUBTITLE, "#ssr")
    p.interact()
    p.page.wait_for_selector("#react-entry-point .chart-box .js-plotly-plot .main-svg", timeout=30000)
    p.until("!document.getElementById('ssr')")
    live = p.page.evaluate(f"""() => {LIVE}.data.filter(t => t.type === 'bar')
                              .flatMap(t => t.orientation === 'h' ? t.x : t.y).filter(v => v !== null)
                              .sort((a, b) => a - b)""")
    assert live == parts
    assert p.page.locator("#react-entry-point .chart-box .js-plotly-plot .bars .point").count() == 2
    assert latest in p.page.evaluate(f"() => {LIVE}.querySelector('.gtitle-subtitle').textContent")
    assert p.errors == []


INSIDE = """(root) => { const svg = [...document.querySelectorAll(root + ' svg.chart-twin-svg')]
                   .find(s => getComputedStyle(s).display !== 'none');
                 const box = svg.getBoundingClientRect();
                 return [...svg.querySelectorAll(':scope > text')].map(t => { const b = t.getBoundingClientRect();
                   return {text: t.textContent, out: b.left < box.left - 0.5 || b.right > box.right + 0.5}; }); }"""


@pytest.mark.parametrize("width, height", SIZES)
@pytest.mark.parametrize("lang, first", [("ar", "2006"), ("en", "2006")])
def test_the_long_line_s_labels_are_whole_inside_the_server_drawn_chart(open_monthly, lang, first, width, height):
    """Over time, 240 months: every text of the server-drawn chart (the first month's label under
    the axis's very end too, which centred on its tick ran off a phone's left edge in Arabic) is
    inside the chart."""
    p = open_monthly(width, height)
    p.page.goto(f"{p.base}/explorer?indicator={INDICATOR}&lang={lang}")
    texts = p.page.evaluate(INSIDE, "#ssr")
    assert any(first in t["text"] for t in texts), texts
    assert [t["text"] for t in texts if t["out"]] == []
    assert p.errors == []
