"""Charts a reader can read, in real Chromium, in Arabic and English at 1280×800 and 360×740,
on the server's copy (before the first move: the server-drawn chart) and on the live page
(after it: plotly's chart) — issue 20, part h1:

- a breakdown drawn for one period names it (nursery children by sex: 2021), and a subtitle
  names only the periods drawn;
- every text of a chart lies inside the chart's box, and the longest bar's label inside the
  plot, on a phone too; horizontal bars have numbers on their axis;
- a by-area chart draws its governorates, the country's total as a labelled reference (and in
  the text alternative), never as a bar that shrinks theirs to stubs;
- the server-drawn chart marks the same figures as the live chart (provisional, estimated…).
"""
from __future__ import annotations

import shutil

import pytest

from tests.browser.conftest import _pages, serving_build
from tests.conftest import CATALOGUE, RAW

SIZES = {"desktop": (1280, 800), "phone": (360, 740)}
BY_SEX = "/explorer?indicator=om_nursery_children&view=breakdown&breakdown=sex"
RANKED = {"by_sex": BY_SEX,
          "shares_one_period": "/explorer?indicator=om_spf_services&view=breakdown&breakdown=service_channel&mode=share",
          "categories_one_period": "/explorer?indicator=om_spf_beneficiaries&view=breakdown&breakdown=beneficiary_category"}

# the visible variant of the server-drawn chart (CSS shows one of the two)
VISIBLE_TWIN = """(() => [...document.querySelectorAll('#ssr .chart-twin svg.chart-twin-svg')]
                    .find(s => getComputedStyle(s).display !== 'none'))()"""
LIVE = "document.querySelector('#react-entry-point .chart-box .js-plotly-plot')"

# every text of a chart (not a hover label) with its box, and the chart's box
TEXTS = """chart => {
  const box = chart.getBoundingClientRect();
  const texts = [...chart.querySelectorAll('text')]
    .filter(n => n.textContent.trim() && !n.closest('.hoverlayer') && n.getBoundingClientRect().width > 0)
    .map(n => { const r = n.getBoundingClientRect();
                return {text: n.textContent, left: r.left, right: r.right, top: r.top, bottom: r.bottom}; });
  return {box: {left: box.left, right: box.right, top: box.top, bottom: box.bottom}, texts};
}"""

# the plot area's left and right, and each horizontal bar's label: server-drawn (the nested
# svg's viewport holds the plot; its client box is only its content's) and live (plotly's size)
TWIN_PLOT = """svg => { const o = svg.getBoundingClientRect(), n = svg.querySelector('svg');
  const left = o.left + n.x.baseVal.value; return {left, right: left + n.width.baseVal.value}; }"""
LIVE_PLOT = """gd => { const s = gd._fullLayout._size, r = gd.getBoundingClientRect();
  return {left: r.left + s.l, right: r.left + s.l + s.w}; }"""
LIVE_BAR_LABELS = """gd => [...gd.querySelectorAll('.bars .point text')].map(n => {
  const r = n.getBoundingClientRect(); return {text: n.textContent, left: r.left, right: r.right}; })"""


def _address(path: str, lang: str) -> str:
    return f"{path}{'&' if '?' in path else '?'}lang={lang}"


def _inside(found: dict, slack: float = 1) -> list:
    b = found["box"]
    return [t["text"] for t in found["texts"] if t["left"] < b["left"] - slack or t["right"] > b["right"] + slack
            or t["top"] < b["top"] - slack or t["bottom"] > b["bottom"] + slack]


def _live(p, page) -> None:
    p.interact()
    page.wait_for_selector("#react-entry-point .chart-box .js-plotly-plot .main-svg", timeout=30000)
    page.wait_for_timeout(400)   # the narrow texts are swapped in on a phone


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("lang", ["ar", "en"])
def test_a_breakdown_of_one_period_names_it_before_and_after_the_first_move(open_page, lang, size):
    p = open_page(*SIZES[size])
    page = p.page
    page.goto(p.base + _address(BY_SEX, lang))
    twin = page.evaluate_handle(VISIBLE_TWIN)
    # the subtitle: the server-drawn chart's lines in the subtitle's size, before the plot
    subtitle = twin.evaluate("s => [...s.children].filter(e => e.tagName === 'text' "
                             "&& e.getAttribute('font-size') === '13').map(e => e.textContent).join(' ')")
    assert "2021" in subtitle and "2023" not in subtitle, subtitle
    labels = twin.evaluate("s => [...s.querySelectorAll('text')].map(e => e.textContent)")
    assert any("3,365" in x for x in labels) and any("2,708" in x for x in labels)
    _live(p, page)
    live_subtitle = page.evaluate(f"{LIVE}.querySelector('.gtitle-subtitle').textContent")
    assert "2021" in live_subtitle and "2023" not in live_subtitle, live_subtitle
    assert p.errors == []


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("lang", ["ar", "en"])
@pytest.mark.parametrize("name", list(RANKED))
def test_every_text_inside_the_chart_and_the_longest_label_inside_the_plot(open_page, name, lang, size):
    p = open_page(*SIZES[size])
    page = p.page
    page.goto(p.base + _address(RANKED[name], lang))
    twin = page.evaluate_handle(VISIBLE_TWIN)
    assert _inside(twin.evaluate(TEXTS)) == []
    plot = twin.evaluate(TWIN_PLOT)
    values = twin.evaluate("s => [...s.querySelectorAll('rect[data-value]')].map(r => +r.dataset.value)")
    # each bar's label is a text of the plot's rows; the longest bar's is the one furthest out
    labels = twin.evaluate("s => [...s.children].filter(e => e.tagName === 'text' && e.getAttribute('font-size') === '12'"
                           " && e.getAttribute('fill') === '#1b1f24' && /[0-9]/.test(e.textContent))"
                           ".map(e => { const r = e.getBoundingClientRect();"
                           " return {text: e.textContent, left: r.left, right: r.right}; })")
    assert values and labels
    assert all(plot["left"] - 1 <= b["left"] and b["right"] <= plot["right"] + 1 for b in labels), (plot, labels)
    _live(p, page)
    gd = page.evaluate_handle(LIVE)
    assert _inside(gd.evaluate(TEXTS)) == []
    plot, bars = gd.evaluate(LIVE_PLOT), gd.evaluate(LIVE_BAR_LABELS)
    assert bars and all(plot["left"] - 1 <= b["left"] and b["right"] <= plot["right"] + 1 for b in bars), (plot, bars)
    # the value axis has numbers, not gridlines alone
    ticks = gd.evaluate("g => [...g.querySelectorAll('.xaxislayer-above .xtick text')].map(t => t.textContent)")
    assert len([x for x in ticks if x.strip()]) >= 2, ticks
    assert p.errors == []


# -- a by-area chart: Jordan's four governorates beside the country ---------------------------

AREA_ROWS = "".join(f"jo_psychosocial_team,{place},2024,موظف,{value},jo_emv_annual_2024\n"
                    for place, value in (("العاصمة", "21"), ("إربد", "11"), ("الزرقاء", "7*"), ("العقبة", "5")))
AREA = "/explorer?indicator=jo_psychosocial_team&view=geo"
NATIONAL = {"ar": "الأردن (المستوى الوطني): 44", "en": "Jordan (national): 44"}


@pytest.fixture(scope="module")
def area_server(tmp_path_factory):
    """The site on the shipped sources with Amman, Irbid, Zarqa (provisional) and Aqaba's
    psychosocial teams for 2024 (21, 11, 7, 5) beside Jordan's 44."""
    root = tmp_path_factory.mktemp("area_site")
    raw = root / "raw"
    shutil.copytree(RAW, raw)
    with (raw / "jo_social_protection_2024.csv").open("a", encoding="utf-8") as fh:
        fh.write(AREA_ROWS)
    with serving_build(raw, CATALOGUE, root / "out", "area_server.log") as base:
        yield base


@pytest.fixture
def open_area_page(browser, area_server):
    yield from _pages(browser, area_server)


def _alt(page) -> str:
    """The chart in words (in "The chart in words", folded: its text, shown or not)."""
    return page.evaluate("document.querySelector('#react-entry-point #explorer-alt, #ssr #explorer-alt').textContent")


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("lang", ["ar", "en"])
def test_a_by_area_chart_draws_its_governorates_and_the_country_as_their_reference(open_area_page, lang, size):
    p = open_area_page(*SIZES[size])
    page = p.page
    page.goto(p.base + _address(AREA, lang))
    twin = page.evaluate_handle(VISIBLE_TWIN)
    bars = twin.evaluate("s => [...s.querySelectorAll('rect[data-value]')].map(r => "
                         "({v: +r.dataset.value, w: r.getBoundingClientRect().width}))")
    assert sorted(b["v"] for b in bars) == [5, 7, 11, 21]               # the country is not a bar
    assert min(b["w"] for b in bars) >= 12, bars                        # the shortest readable on a phone too
    texts = twin.evaluate("s => [...s.querySelectorAll('text')].map(e => e.textContent)")
    assert any(NATIONAL[lang] in x for x in texts), texts               # the country's total, labelled
    assert _inside(twin.evaluate(TEXTS)) == []
    assert NATIONAL[lang] in _alt(page)                                 # and said in the text alternative
    _live(p, page)
    gd = page.evaluate_handle(LIVE)
    assert sorted(x for t in gd.evaluate("g => g.data.map(t => t.x)") for x in t) == [5, 7, 11, 21]
    widths = gd.evaluate("g => [...g.querySelectorAll('.bars .point path')].map(n => n.getBoundingClientRect().width)")
    assert len(widths) == 4 and min(widths) >= 12, widths
    assert NATIONAL[lang] in gd.evaluate("g => g.textContent")
    assert _inside(gd.evaluate(TEXTS)) == []
    assert NATIONAL[lang] in _alt(page)
    assert p.axe() == []
    assert p.errors == []


# -- status marks: the server-drawn chart marks what the live chart marks ---------------------

# every view of the `marked` database with a marked figure drawn as a mark (a bar or a point)
MARKED_VIEWS = ["/explorer?indicator=om_nursery_children",
                "/explorer?indicator=om_ss_cases",
                "/explorer?indicator=om_associations&view=breakdown",
                "/explorer?indicator=om_associations&view=breakdown&mode=share",
                "/explorer?indicator=om_nursery_children&view=breakdown&breakdown=sex&mode=group",
                "/explorer?indicator=om_ss_paid&view=per_case"]

TWIN_MARKED = """s => [...s.querySelectorAll('[data-value]')].map(e => [+e.dataset.value, e.dataset.marked === '1'])"""
# the live chart's figures (not a gap's connector nor a target line), each with whether it is
# drawn marked: a lighter bar or a hollow point
LIVE_MARKED = """gd => gd.data.filter(t => t.hoverinfo !== 'skip' && !String(t.legendgroup || '').startsWith('target'))
  .flatMap(t => { const values = t.orientation === 'h' ? t.x : t.y, m = t.marker || {};
    return values.map((v, i) => [v, (Array.isArray(m.opacity) ? m.opacity[i] : (m.opacity ?? 1)) < 1
      || String(Array.isArray(m.symbol) ? m.symbol[i] : (m.symbol || '')).endsWith('-open')])
      .filter(([v]) => v !== null && v !== undefined); })"""


def _rounded(pairs) -> list:
    return sorted((round(v, 6), marked) for v, marked in pairs)


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("lang", ["ar", "en"])
def test_the_server_drawn_chart_marks_what_the_live_chart_marks(open_status_page, lang, size):
    p = open_status_page(*SIZES[size])
    page = p.page
    any_marked = 0
    for path in MARKED_VIEWS:
        page.goto(p.base + _address(path, lang))
        twin = page.evaluate_handle(VISIBLE_TWIN)
        served = _rounded(twin.evaluate(TWIN_MARKED))
        star = twin.evaluate("s => [...s.querySelectorAll('text')].some(e => e.textContent.includes('*'))")
        _live(p, page)
        live = _rounded(page.evaluate_handle(LIVE).evaluate(LIVE_MARKED))
        assert served == live, (path, served, live)
        marked = sum(m for _, m in live)
        any_marked += marked
        if marked and len(served) <= 14:   # labelled: the mark is on the label too, in both drawings
            assert star and page.evaluate_handle(LIVE).evaluate(
                "g => [...g.querySelectorAll('text')].some(e => e.textContent.includes('*'))"), path
    assert any_marked >= 3
    assert p.errors == []
