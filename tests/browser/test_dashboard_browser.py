"""The dashboard in real headless Chromium against gunicorn: every page in both languages,
the published figures on screen and in the downloads, permalinks, the language switch,
phone width, accessibility (axe-core) and error handling for bad addresses."""
from __future__ import annotations

import csv
import io
import json
import re
import time
import urllib.request
from urllib.parse import parse_qs, urlparse

import pytest



PAGES = {
    "overview": "/",
    "explorer": "/explorer?indicator=om_nursery_children",
    "governorates": "/governorates?country=OM&geo=OM-BJ",
    "about": "/about",
    "embed": "/embed/om_nursery_children",
}
CHARTS = {"explorer", "embed"}


def with_lang(path: str, lang: str) -> str:
    return path + ("&" if "?" in path else "?") + f"lang={lang}"


def graph_data(page, selector="#explorer-graph"):
    return page.evaluate(f"""() => {{
        const gd = document.querySelector('{selector} .js-plotly-plot');
        return {{data: gd.data.map(t => ({{type: t.type, name: t.name, x: t.x, y: t.y}})),
                 layout: {{barmode: gd.layout.barmode, yside: gd.layout.yaxis.side,
                           title: gd.layout.title.text, foot: (gd.layout.annotations[0] || {{}}).text}}}};
    }}""")


@pytest.mark.parametrize("lang", ["ar", "en"])
@pytest.mark.parametrize("name", list(PAGES))
def test_page_loads_without_console_errors_and_passes_axe(open_page, name, lang):
    """Each page in each language: right <html lang/dir>, navbar, no console error, a screenshot,
    and axe-core (injected) finds no accessibility violation of any impact."""
    p = open_page()
    page = p.open(with_lang(PAGES[name], lang), chart=name in CHARTS)
    assert page.evaluate("document.documentElement.lang") == lang
    assert page.evaluate("document.documentElement.dir") == ("rtl" if lang == "ar" else "ltr")
    # the live page is shown and the server-rendered copy hidden
    assert page.is_visible("#react-entry-point .page")
    assert not page.is_visible("#ssr")
    body = page.inner_text("#react-entry-point")
    assert "Traceback" not in body
    if name != "embed":
        nav = page.inner_text("nav.site-nav")
        for label in (("نظرة عامة", "مستكشف المؤشرات", "المحافظات", "عن البيانات") if lang == "ar"
                      else ("Overview", "Indicator explorer", "Governorates", "About the data")):
            assert label in nav
    p.screenshot(f"{name}_{lang}")
    assert p.errors == []
    bad = p.axe()
    assert bad == [], json.dumps(bad, ensure_ascii=False, indent=1)


def test_overview_cards_show_published_figures(open_page):
    page = open_page().open("/?lang=ar")
    card = page.locator('#react-entry-point article[data-indicator="om_nursery_children"]')
    text = card.inner_text()
    assert "9,018" in text and "نهاية 2023" in text          # Latin digits, Arabic text
    assert "+2,945" in text and "+48.5%" in text               # change since end of 2021, derived
    assert "محسوب" in text
    spark = card.locator("svg.sparkline")
    assert "6,073" in spark.get_attribute("aria-label") and "9,018" in spark.get_attribute("aria-label")
    assert spark.locator("polyline").count() == 0              # 2022 missing: no line across the gap
    assert spark.locator("circle").count() == 2
    target = page.locator('#react-entry-point article[data-indicator="om_dis_specialists_hired"]').inner_text()
    assert "الهدف لعام 2024: 100" in target and "بانتظار بيانات 2024" in target
    # one click opens the indicator in the explorer
    card.locator("a.card-link").click()
    page.wait_for_selector("#react-entry-point #explorer-graph .js-plotly-plot .main-svg")
    assert "indicator=om_nursery_children" in page.url


def test_overview_first_paint_is_server_rendered(server):
    with urllib.request.urlopen(server + "/?lang=en") as r:
        html = r.read().decode()
    assert '<html lang="en" dir="ltr">' in html
    ssr = html.split('id="ssr"', 1)[1]
    assert "9,018" in ssr and 'class="sparkline"' in ssr
    assert "<script defer src=" in html and "plotly-basic" not in html.split("</head>")[1]


def test_explorer_shows_nursery_enrolment(open_page):
    p = open_page()
    page = p.open("/explorer?indicator=om_nursery_children&lang=en", chart=True)
    fig = graph_data(page)
    trace = fig["data"][0]
    assert trace["x"] == ["2021", "2022", "2023"]
    assert trace["y"] == [6073, None, 9018]                    # the gap year stays empty
    assert "Children enrolled in nurseries" in fig["layout"]["title"]
    assert "Source:" in fig["layout"]["foot"] and "No figure published for: 2022" in fig["layout"]["foot"]
    svg_text = page.eval_on_selector("#explorer-graph", "e => e.textContent")
    assert "6,073" in svg_text and "9,018" in svg_text
    page.click("#explorer-tab-table")
    page.wait_for_selector("#explorer-panel-table:not([hidden])")
    table = page.inner_text("#explorer-datatable")
    assert "end of 2021" in table and "6,073" in table and "end of 2023" in table and "9,018" in table
    assert "tab=table" in page.url
    page.click("#explorer-tab-sources")
    sources = page.inner_text("#explorer-panel-sources")
    assert "Ministry of Social Development, Oman" in sources and "Stock" in sources
    assert p.errors == []


def test_explorer_arabic_chart_layout(open_page):
    """Bars over time: time still left to right, the value axis on the right. One period's
    figures: ranked bars, largest on top, named on the right, growing leftwards."""
    p = open_page()
    page = p.open("/explorer?indicator=om_associations&view=breakdown&lang=ar", chart=True)
    fig = graph_data(page)
    assert fig["layout"]["yside"] == "right"
    assert fig["data"][0]["x"] == ["2021", "2023"]
    assert page.eval_on_selector_all("#explorer-graph g.xtick text", "es => es.map(e => e.textContent)") == \
        ["2021", "2023"]
    assert "المصدر" in fig["layout"]["foot"]
    page = p.open("/explorer?indicator=om_spf_beneficiaries&breakdown=beneficiary_category&lang=ar", chart=True)
    (bars,) = graph_data(page)["data"]
    assert bars["x"] == sorted(bars["x"]) and bars["x"][-1] == 142041       # Plotly's top category is the last
    names, plot = page.evaluate("""() => {
        const gd = document.querySelector('#explorer-graph .js-plotly-plot');
        const names = [...gd.querySelectorAll('g.ytick text')].map(e => e.getBoundingClientRect().left);
        return [Math.min(...names), gd.querySelector('.nsewdrag').getBoundingClientRect().right];
    }""")
    assert names >= plot - 1                                                  # the names right of the bars
    assert "يونيو 2025" in page.inner_text("#explorer-graph")                # Omani month names
    assert p.errors == []


def test_table_sorts_by_value(open_page):
    p = open_page()
    page = p.open("/explorer?indicator=om_spf_beneficiaries&breakdown=beneficiary_category&tab=table&lang=en")
    page.click('#explorer-datatable button:has-text("Value")')
    page.wait_for_selector('#explorer-datatable th[aria-sort="ascending"] >> text=Value')
    cells = page.locator("#explorer-datatable tbody td.num").all_inner_texts()
    numbers = [float(c.replace(",", "")) for c in cells]
    assert numbers == sorted(numbers) and numbers[-1] == 169998
    page.click('#explorer-datatable button:has-text("Value")')
    page.wait_for_selector('#explorer-datatable th[aria-sort="descending"]')
    cells = page.locator("#explorer-datatable tbody td.num").all_inner_texts()
    assert cells[0] == "169,998"
    assert p.errors == []


def test_csv_download_holds_the_figures(open_page):
    p = open_page()
    page = p.open("/explorer?indicator=om_nursery_children&lang=en", chart=True)
    href = page.get_attribute("#explorer-csv", "href")
    assert href.startswith("/data/om_nursery_children.csv?") and "geo=OM" in href and "lang=en" in href
    with page.expect_download() as dl:
        page.click("#explorer-csv")
    raw = open(dl.value.path(), "rb").read()
    assert raw.startswith(b"\xef\xbb\xbf"), "the CSV for Excel starts with a UTF-8 byte order mark"
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    totals = {r["period"]: float(r["value"]) for r in rows if r["indicator_id"] == "om_nursery_children"
              and r["geo_code"] == "OM" and not r.get("sex")}
    assert totals == {"2021": 6073.0, "2023": 9018.0}


def test_permalink_reopens_the_same_view(open_page):
    p = open_page()
    page = p.open("/explorer?indicator=om_nursery_children&lang=en", chart=True)
    page.click('#explorer-view button:has-text("By Sex")')
    p.until("document.querySelector('#explorer-graph .js-plotly-plot').data[0].type === 'bar'")
    page.click('#explorer-mode button:has-text("Grouped")')
    p.until("document.querySelector('#explorer-graph .js-plotly-plot').layout.barmode === 'group'")
    page.click("#explorer-tab-table")
    p.until("location.search.includes('tab=table')")
    url = page.url
    q = parse_qs(urlparse(url).query)
    assert q["indicator"] == ["om_nursery_children"] and q["breakdown"] == ["sex"] and q["mode"] == ["group"]
    assert page.input_value("#explorer-permalink") == url
    p2 = open_page()
    again = p2.open(url[len(p2.base):])
    assert again.get_attribute("#explorer-tab-table", "aria-selected") == "true"
    assert again.is_visible("#explorer-panel-table") and not again.is_visible("#explorer-panel-chart")
    assert again.get_attribute('#explorer-view button:has-text("By Sex")', "aria-pressed") == "true"
    assert again.get_attribute('#explorer-mode button:has-text("Grouped")', "aria-pressed") == "true"
    again.click("#explorer-tab-chart")
    again.wait_for_selector("#explorer-graph .js-plotly-plot .main-svg")
    fig = graph_data(again)
    # one period with the breakdown (2021): ranked bars, largest on top (Plotly's last)
    assert fig["layout"]["barmode"] == "group" and fig["data"][0]["y"] == ["Female", "Male"]
    assert p.errors == [] and p2.errors == []


def test_language_switch_keeps_the_view(open_page):
    p = open_page()
    page = p.open("/explorer?indicator=om_nursery_children&lang=ar", chart=True)
    page.click('#explorer-view button:has-text("حسب الجنس")')
    p.until("location.search.includes('breakdown=sex')")
    page.click("#react-entry-point a.lang-switch")
    page.wait_for_url(re.compile(r".*lang=en.*"))
    p.interact()
    p.page.wait_for_selector("#react-entry-point #explorer-graph .js-plotly-plot .main-svg")
    q = parse_qs(urlparse(page.url).query)
    assert q["lang"] == ["en"] and q["indicator"] == ["om_nursery_children"] and q["breakdown"] == ["sex"]
    assert page.evaluate("document.documentElement.dir") == "ltr"
    fig = graph_data(page)
    assert fig["data"][0]["type"] == "bar" and fig["layout"]["yside"] == "left"
    assert p.errors == []


@pytest.mark.parametrize("lang", ["ar", "en"])
@pytest.mark.parametrize("name", list(PAGES))
def test_phone_width_has_no_horizontal_scroll(open_page, name, lang):
    p = open_page(width=360, height=740)
    page = p.open(with_lang(PAGES[name], lang), chart=name in CHARTS)
    page.wait_for_timeout(150)
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner, f"{name}/{lang}: page is {scroll}px wide on a {inner}px screen"
    if name in CHARTS:
        width = page.eval_on_selector(".js-plotly-plot", "e => e.getBoundingClientRect().width")
        assert width <= inner                                  # the chart resized to the phone
    p.screenshot(f"{name}_{lang}_phone")


def _tab_until(page, test: str, limit: int = 150) -> None:
    """Press Tab until the focused element passes `test` (a JavaScript expression on `el`)."""
    for _ in range(limit):
        if page.evaluate(f"(() => {{ const el = document.activeElement; return Boolean(el && ({test})); }})()"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached an element where {test}")


@pytest.mark.parametrize("width", [1280, 360])
@pytest.mark.parametrize("lang", ["ar", "en"])
def test_a_keyboard_alone_walks_the_explorer(open_page, lang, width):
    """Skip link, a view control (the chart is redrawn and the focus stays on the control),
    the tabs, and the Download & share panel, with no mouse."""
    p = open_page(width, 800)
    page = p.open(f"/explorer?indicator=om_nursery_children&lang={lang}", chart=True)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className").startswith("skip-link")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    _tab_until(page, "el.id.includes('breakdown:sex')")
    page.keyboard.press("Enter")
    p.until("location.search.includes('breakdown=sex')")
    p.until("document.querySelector('#explorer-graph .js-plotly-plot').data[0].orientation === 'h'")
    assert page.evaluate("document.activeElement.id").find("breakdown:sex") >= 0   # not lost to <body>
    _tab_until(page, "el.getAttribute('role') === 'tab'")
    page.keyboard.press("ArrowLeft" if lang == "ar" else "ArrowRight")
    page.wait_for_selector("#explorer-panel-table:not([hidden])")
    _tab_until(page, "el.id === 'explorer-csv'")
    assert "breakdown=total,sex" in page.evaluate("document.activeElement.href")   # the view's own rows
    assert p.errors == []


@pytest.mark.parametrize("lang, forward", [("en", "ArrowRight"), ("ar", "ArrowLeft")])
def test_tabs_follow_the_wai_aria_tabs_pattern(open_page, lang, forward):
    """One tab stop for the tab list; the arrow keys (mirrored in Arabic), Home and End move
    between tabs and show their panels."""
    backward = "ArrowLeft" if forward == "ArrowRight" else "ArrowRight"
    page = open_page().open(f"/explorer?indicator=om_nursery_children&lang={lang}", chart=True)
    page.focus("#explorer-tab-chart")
    active = lambda: page.evaluate("document.activeElement.id")  # noqa: E731
    for key, tab in ((forward, "table"), (forward, "sources"), (forward, "chart"), (backward, "sources"),
                     ("Home", "chart"), ("End", "sources")):
        page.keyboard.press(key)
        assert active() == f"explorer-tab-{tab}", key
        page.wait_for_selector(f"#explorer-panel-{tab}:not([hidden])")
        assert page.get_attribute(f"#explorer-tab-{tab}", "aria-selected") == "true"
        assert [page.get_attribute(f"#explorer-tab-{x}", "tabindex") for x in ("chart", "table", "sources")] == \
            ["0" if x == tab else "-1" for x in ("chart", "table", "sources")]
    page.keyboard.press("Tab")   # out of the tab list, into the panel's content
    assert not active().startswith("explorer-tab-")


@pytest.mark.parametrize("path, lang, expected, status", [
    ("/explorer?indicator=no_such_thing&lang=ar", "ar", "غير موجود في الفهرس", 200),
    ("/explorer?indicator=om_nursery_children&from=20x1&lang=en", "en", "is not valid", 200),
    ("/explorer?indicator=om_nursery_children&geo=ZZ&lang=en", "en", "has no figures", 200),
    ("/embed/no_such_thing?lang=en", "en", "There is no page at this address", 404),
    ("/governorates?country=XX&lang=ar", "ar", "ليس من الخيارات المتاحة هنا (الدولة)", 200),
    ("/no/such/page?lang=en", "en", "There is no page at this address", 404),
    ("/about?lang=fr", "ar", "is not available", 400),
])
def test_bad_url_parameters_give_a_friendly_message(open_page, path, lang, expected, status):
    p = open_page()
    page = p.open(path)
    assert p.response.status == status
    text = page.inner_text("#react-entry-point")
    assert expected in text
    assert "Traceback" not in text and "Error" not in text
    assert page.evaluate("document.documentElement.lang") == lang
    # the browser reports the page's own status as an error; nothing else may fail
    assert [e for e in p.errors if f"status of {status}" not in e] == []


def test_embed_is_chart_only_with_source(open_page):
    p = open_page()
    page = p.open("/embed/om_nursery_children?lang=en&breakdown=sex", chart=True)
    assert page.locator("nav.site-nav").count() == 0
    fig = graph_data(page, "#embed-graph")
    assert "Source:" in fig["layout"]["foot"]
    assert fig["data"][0]["y"] == ["Female", "Male"] and fig["data"][0]["x"] == [2708, 3365]
    href = page.get_attribute("a.embed-link", "href")
    assert href.startswith("/explorer?indicator=om_nursery_children") and "breakdown=sex" in href


@pytest.mark.parametrize("width, height", [(1280, 800), (360, 740)])
def test_choosing_a_governorate_brings_its_figures_into_view(open_page, width, height):
    page = open_page(width, height).open("/governorates?lang=en")
    page.click('#react-entry-point #gov-ranked a:has-text("South Al Batinah")')
    page.wait_for_selector("#react-entry-point #gov-detail h2:has-text('South Al Batinah')")
    # the figures' heading in view, with room under it (scrolled to the top, or as far as the page goes)
    heading = "document.querySelector('#react-entry-point #gov-detail h2').getBoundingClientRect().top"
    page_end = "window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 2"
    deadline = time.time() + 5
    while time.time() < deadline:
        top = page.evaluate(heading)
        if 0 <= top <= 8 or (0 <= top <= height - 150 and page.evaluate(page_end)):
            break
        time.sleep(0.1)
    assert 0 <= top <= 8 or (0 <= top <= height - 150 and page.evaluate(page_end)), top


PHONE_PAGES = ["/", "/explorer?indicator=om_spf_beneficiaries&view=breakdown&breakdown=beneficiary_category",
               "/explorer?indicator=om_ss_cases&tab=table", "/governorates?geo=OM-BJ", "/data", "/about", "/releases",
               "/embed/om_ss_cases", "/framework?country=LB", "/governorates?country=LB"]


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_no_page_scrolls_sideways_on_a_phone(open_page, lang):
    """Every page at 360 px: nothing wider than the screen, and axe finds no violation of any impact."""
    page = open_page(360, 740)
    for path in PHONE_PAGES:
        page.open(path + ("&" if "?" in path else "?") + f"lang={lang}")
        width = page.page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, (path, width)
        assert page.axe() == [], path          # and accessible at this width too


def test_the_data_page_prints_each_address_once(open_page):
    page = open_page().open("/data?indicator=om_ss_cases&lang=en")
    fields = page.evaluate("Array.from(document.querySelectorAll('#react-entry-point .copy-box input')).map(e => e.value)")
    assert fields and all(f for f in fields)
    text = page.evaluate("document.querySelector('#react-entry-point main').innerText")
    assert all(text.count(f) == 0 for f in fields)   # in their fields only, not printed again beside them


@pytest.mark.parametrize("lang, copied", [("en", "Copied ✓"), ("ar", "نُسخ ✓")])
def test_a_copy_button_says_copied_and_keeps_saying_it(open_page, lang, copied):
    page = open_page().open(f"/explorer?indicator=om_nursery_children&lang={lang}", chart=True)
    button = '#react-entry-point .copy-button[data-copy-target="explorer-permalink"]'
    label = page.inner_text(button)
    page.click(button)
    time.sleep(2)   # longer than the old 1.5 s
    assert page.inner_text(button) == copied
    status = page.evaluate(f"document.querySelector('{button}').closest('.copy-box').querySelector('[role=status]').textContent")
    assert status == copied
    page.evaluate(f"document.querySelector('{button}')._copiedTimer && 0")
    time.sleep(4.5)
    assert page.inner_text(button) == label   # back to "Copy" after a while


@pytest.mark.parametrize("lang, query, found", [
    ("ar", "اطفال حضانه", "om_nursery_children"),        # no hamza, ta marbuta as ha: still found
    ("ar", "nursery", "om_nursery_children"),            # English names searched on the Arabic page
    ("en", "الأَطْفَال", "om_nursery_children"),           # diacritics ignored
])
def test_the_indicator_picker_searches_both_languages(open_page, lang, query, found):
    page = open_page().open(f"/explorer?indicator=om_ss_cases&lang={lang}", chart=True)
    page.click("#react-entry-point #explorer-picker summary")
    page.fill("#react-entry-point #explorer-picker-search", query)
    visible = page.evaluate("""Array.from(document.querySelectorAll('#react-entry-point #explorer-picker li[data-search]'))
        .filter(li => !li.hidden).map(li => li.querySelector('a').getAttribute('href'))""")
    assert visible and all("indicator=" in h for h in visible)
    assert any(f"indicator={found}" in h for h in visible)
    assert len(visible) < 10   # the others are hidden
    page.fill("#react-entry-point #explorer-picker-search", "zzzz")
    assert page.is_visible("#react-entry-point #explorer-picker .picker-none")

