"""An indicator's data page in real headless Chromium against gunicorn, in Arabic and English, on a
desktop and a phone: one h1, every section, no sideways scroll, no console error, axe-core finds
no violation of any impact, and the server's copy (before the first move) and the live page
(after it) say the same figures and words."""
from __future__ import annotations

import json

import pytest

SIZES = {"desktop": (1280, 800), "phone": (360, 740)}
INDICATORS = ("om_ss_cases", "om_dis_specialists_hired", "om_women_leadership_participants")
# what a reader reads: every heading, fact, list item and paragraph, and the citation's and API's fields
READ = """root => [...root.querySelectorAll('h1, h2, h3, dt, dd, li, p, th, td')].map(e => e.innerText.trim())
    .concat([...root.querySelectorAll('textarea, input')].map(e => e.value))"""


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("lang", ["ar", "en"])
@pytest.mark.parametrize("indicator", INDICATORS)
def test_the_page_fits_reads_alike_before_and_after_the_first_move_and_passes_axe(open_page, indicator, lang, size):
    width, height = SIZES[size]
    p = open_page(width, height)
    page = p.page
    page.goto(f"{p.base}/indicator/{indicator}?lang={lang}")
    assert page.evaluate("document.documentElement.lang") == lang
    assert page.evaluate("document.documentElement.dir") == ("rtl" if lang == "ar" else "ltr")
    before = page.eval_on_selector("#ssr main", READ)
    assert page.locator("#ssr h1").count() == 1
    p.screenshot(f"datapage_{indicator}_{lang}_{size}_server")
    p.interact()
    page.wait_for_selector("#react-entry-point .page", timeout=30000)
    p.until("document.getElementById('ssr') === null || !document.getElementById('ssr').offsetParent")
    after = page.eval_on_selector("#react-entry-point main", READ)
    assert after == before
    assert page.locator("#react-entry-point h1").count() == 1
    for key in ("facts", "latest", "sources", "next"):
        assert page.is_visible(f"#react-entry-point #dp-{key} h2"), key
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner, f"{indicator}/{lang}/{size}: the page is {scroll}px wide on a {inner}px screen"
    p.screenshot(f"datapage_{indicator}_{lang}_{size}_live")
    assert p.errors == []
    found = p.axe()
    assert found == [], json.dumps(found, ensure_ascii=False, indent=1)


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_the_latest_figure_is_the_explorers_and_its_link_leads_there(open_page, lang):
    p = open_page(360, 740)
    page = p.open(f"/indicator/om_ss_cases?lang={lang}")
    value = page.get_attribute("#react-entry-point #dp-latest-value", "data-value")
    assert float(value) == 79597
    page.click("#react-entry-point #dp-explorer")
    page.wait_for_url(f"**/explorer?indicator=om_ss_cases&lang={lang}")
    p.interact()   # a new page: its server copy until the reader's first move there
    page.wait_for_selector("#react-entry-point .page", timeout=30000)
    assert "79,597" in page.inner_text("#react-entry-point main")
    assert p.errors == []
