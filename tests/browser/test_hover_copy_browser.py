"""The server-drawn chart answers hover from the first paint (assets/chart_hover.js): before
Dash or plotly.js has run, a pointer over a mark, or a tap on it, shows that mark's figure as
the live chart's hover gives it (its series, its period or place, its figure), the same
figure the table under the chart shows; nothing moves when it shows; the live page's twin
does the same until plotly.js has drawn; then the twin and its tooltip are gone.
The overview's sparklines answer hover alike, each dot with its period and figure.

Any pointer move starts Dash (assets/spi.js), so these tests keep the server's copy by
refusing Dash's bundles (page.route): the copy is then the page for as long as the test
needs, as it is on a slow phone for the seconds after the first move."""
from __future__ import annotations

import re

import pytest


BAR = "/explorer?indicator=om_associations&view=breakdown"     # stacked bars over time, a legend
LINE = "/explorer?indicator=om_ss_cases"                        # a line
RANKED = "/explorer?indicator=om_spf_beneficiaries&breakdown=beneficiary_category"   # horizontal bars
EMBED = "/embed/om_nursery_children"                            # a line, alone in its frame
BLOCKED = "console.error: Failed to load resource: net::ERR_FAILED"   # the refused bundles' own messages
ISOLATES = dict.fromkeys(map(ord, "\u2066\u2067\u2068\u2069"))  # Arabic names are isolated for the SVG

SHIFTS = """
window.__shift = 0;
new PerformanceObserver(function (list) {
  list.getEntries().forEach(function (e) { if (window.__hovering) window.__shift += e.value; });
}).observe({type: "layout-shift", buffered: true});
"""

MARKS = """() => Array.from(document.querySelectorAll('#ssr .chart-twin-svg [data-tip]'))
  .filter(m => m.closest('svg.chart-twin-svg').getBoundingClientRect().width > 0)
  .map(m => { const g = m.closest('[data-name]'); return {tip: m.getAttribute('data-tip'),
    name: g ? g.getAttribute('data-name') : '', value: m.getAttribute('data-value')}; })"""

AT = """(i) => { const m = Array.from(document.querySelectorAll('#ssr .chart-twin-svg [data-tip]'))
  .filter(m => m.closest('svg.chart-twin-svg').getBoundingClientRect().width > 0)[i];
  m.closest('svg').scrollIntoView({block: 'center'}); const r = m.getBoundingClientRect();
  return [r.left + r.width / 2, r.top + Math.min(r.height / 2, 6)]; }"""

TIP = """() => { const t = document.querySelector('.chart-tip'); if (!t || t.hidden) return null;
  const r = t.getBoundingClientRect(), box = t.parentNode.getBoundingClientRect();
  return {text: t.innerText, hidden: t.getAttribute('aria-hidden'), left: r.left - box.left,
          right: box.right - r.right, width: r.width}; }"""

ROWS = """() => Array.from(document.querySelectorAll('#ssr table.data-table tbody tr')).map(tr =>
  Array.from(tr.cells).map(td => [td.textContent.trim(), td.classList.contains('num'), td.getAttribute('data-sort')]))"""


def _copy_page(page, path: str, lang: str):
    """The page with Dash's bundles refused: the server's copy stays the page."""
    page.page.route("**/_dash-component-suites/**", lambda route: route.abort())
    page.context.add_init_script(SHIFTS)
    page.page.goto(f"{page.base}{path}{'&' if '?' in path else '?'}lang={lang}")
    return page.page


def _in_table(rows: list, mark: dict) -> bool:
    """Is the tooltip's figure a row of the table: its period or place in a cell, its value the
    row's value (as shown, and as the mark's own data-value), its series' name in a cell?"""
    where, words = mark["tip"].split(": ", 1)
    shown = words.split(" · ")[0]
    name = mark["name"].translate(ISOLATES)
    for cells in rows:
        texts = [text for text, _, _ in cells]
        value = next(((text, sort) for text, num, sort in cells if num), None)
        if (value and value[0] == shown and float(value[1]) == float(mark["value"])
                and any(where.translate(ISOLATES) in text for text in texts) and (not name or name in texts)):
            return True
    return False


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("lang", ["ar", "en"])
@pytest.mark.parametrize("path", [BAR, LINE, RANKED, EMBED])
def test_a_pointer_over_a_mark_of_the_copy_shows_its_figure(open_page, path, lang, width):
    p = open_page(width=width, height=800)
    page = _copy_page(p, path, lang)
    marks = page.evaluate(MARKS)
    assert len(marks) >= 2
    rows = page.evaluate(ROWS) if "/embed/" not in path else None
    page.evaluate("window.__hovering = true")
    for i, mark in enumerate(marks):
        x, y = page.evaluate(AT, i)
        page.mouse.move(x, y)
        tip = page.evaluate(TIP)
        assert tip, (i, mark)
        assert tip["hidden"] == "true"
        assert tip["text"].split("\n") == ([mark["name"]] if mark["name"] else []) + [mark["tip"]]
        assert tip["left"] >= -0.5 and tip["right"] >= -0.5, tip   # inside the chart's box at this width
        if rows is not None:
            assert _in_table(rows, mark), (mark, rows)
    page.mouse.move(2, 2)   # off the chart: the tooltip goes
    assert page.evaluate(TIP) is None
    assert page.evaluate("window.__shift") == 0
    assert page.evaluate("!window.DashRenderer && !document.querySelector('#react-entry-point .page')")
    assert [e for e in p.errors if e != BLOCKED] == []


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_the_copy_with_a_tooltip_shown_passes_axe(open_page, lang):
    p = open_page(width=360, height=800)
    page = _copy_page(p, BAR, lang)
    page.mouse.move(*page.evaluate(AT, 0))
    assert page.evaluate(TIP)
    assert p.axe() == []


def test_a_tap_on_a_mark_shows_its_figure_on_a_phone(browser, server):
    ctx = browser.new_context(viewport={"width": 360, "height": 800}, has_touch=True)
    try:
        page = ctx.new_page()
        page.route("**/_dash-component-suites/**", lambda route: route.abort())
        page.goto(f"{server}{LINE}&lang=ar")
        mark = page.evaluate(MARKS)[-1]
        x, y = page.evaluate(AT, len(page.evaluate(MARKS)) - 1)
        page.touchscreen.tap(x, y)
        tip = page.evaluate(TIP)
        assert tip and tip["text"].split("\n")[-1] == mark["tip"] and re.search(r"\d", mark["tip"])
    finally:
        ctx.close()


@pytest.mark.parametrize("path", [BAR, EMBED])
def test_once_plotly_has_drawn_the_copy_and_its_tooltip_are_gone(open_page, path):
    """The live chart's own hover takes over: the twin (and any tooltip in it) is hidden or
    gone, and the reader's hover over the chart shows no tooltip of the twin's."""
    p = open_page(width=1280, height=800)
    p.open(f"{path}{'&' if '?' in path else '?'}lang=en", chart=True)
    box = p.page.evaluate("(() => { const r = document.querySelector('#react-entry-point .chart-box')"
                          ".getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2]; })()")
    p.page.mouse.move(*box)
    assert p.page.evaluate("!document.querySelector('#ssr') && !Array.from(document.querySelectorAll('.chart-tip'))"
                           ".some(t => t.getClientRects().length)")
    assert p.errors == []


@pytest.mark.parametrize("lang, status", [("ar", "أولي"), ("en", "provisional")])
def test_a_marked_figure_says_its_status_as_the_live_charts_hover_does(open_status_page, lang, status):
    """A provisional figure's tooltip on the copy says so, in the words plotly.js's hover gives
    the same point once the live chart has drawn (its x and customdata)."""
    path = "/explorer?indicator=om_nursery_children"
    p = open_status_page(width=360, height=800)
    page = _copy_page(p, path, lang)
    marks = page.evaluate(MARKS)
    marked = [i for i, m in enumerate(marks) if " · " in m["tip"]]
    assert len(marked) == 1
    page.mouse.move(*page.evaluate(AT, marked[0]))
    shown = page.evaluate(TIP)["text"].split("\n")[-1]
    live = open_status_page(width=360, height=800).open(f"{path}&lang={lang}", chart=True)
    words = live.evaluate("(() => { const d = document.querySelector('#explorer-graph .js-plotly-plot').data[0];"
                          " return d.x.map((x, i) => x + ': ' + d.customdata[i]); })()")
    assert shown in words and shown.endswith(status)


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_the_live_pages_twin_answers_hover_until_plotly_has_drawn(open_page, lang):
    """Between React's page and plotly.js's chart (seconds on a phone) the twin in the live
    page is the chart: it answers hover too (plotly.js refused here, so it never comes)."""
    p = open_page(width=360, height=800)
    p.page.route("**/plotly-basic-*.js", lambda route: route.abort())
    p.open(f"{LINE}&lang={lang}")
    marks = p.page.evaluate(MARKS.replace("#ssr", "#react-entry-point"))
    assert len(marks) >= 2
    p.page.mouse.move(*p.page.evaluate(AT.replace("#ssr", "#react-entry-point"), len(marks) - 1))
    assert p.page.evaluate("Boolean(document.querySelector('#react-entry-point .chart-twin .chart-tip'))")
    assert p.page.evaluate(TIP)["text"].split("\n")[-1] == marks[-1]["tip"]
    assert [e for e in p.errors if e != BLOCKED] == []


SPARKS = """() => Array.from(document.querySelectorAll('#ssr .card')).filter(c => c.querySelector('svg.sparkline [data-tip]'))
  .map(c => ({latest: c.querySelector('.card-value .num').textContent.trim(),
              label: c.querySelector('svg.sparkline').getAttribute('aria-label'),
              tips: Array.from(c.querySelectorAll('svg.sparkline [data-tip]')).map(m => m.getAttribute('data-tip'))}))"""

DOT = """([card, i]) => { const c = Array.from(document.querySelectorAll('#ssr .card'))
  .filter(c => c.querySelector('svg.sparkline [data-tip]'))[card];
  const m = c.querySelectorAll('svg.sparkline [data-tip]')[i]; m.closest('svg').scrollIntoView({block: 'center'});
  const r = m.getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2]; }"""


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("lang", ["ar", "en"])
def test_the_overviews_sparklines_answer_hover_in_the_copy(open_page, lang, width):
    """Each dot of a card's sparkline shows its period and figure (the words of the
    sparkline's text alternative); the last is the card's latest figure; nothing overflows."""
    p = open_page(width=width, height=800)
    page = _copy_page(p, "/", lang)
    cards = page.evaluate(SPARKS)
    assert len(cards) >= 2
    page.evaluate("window.__hovering = true")
    for n, card in enumerate(cards):
        assert card["latest"] in card["tips"][-1]
        for i, words in enumerate(card["tips"]):
            assert words in card["label"]
            page.mouse.move(*page.evaluate(DOT, [n, i]))
            tip = page.evaluate(TIP)
            assert tip and tip["text"] == words and tip["hidden"] == "true", (card, i, tip)
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    assert page.evaluate("window.__shift") == 0
    assert [e for e in p.errors if e != BLOCKED] == []
