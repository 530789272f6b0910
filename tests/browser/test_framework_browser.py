"""The Framework page in real headless Chromium against gunicorn, in Arabic and English, on a
desktop and a phone: no sideways scroll, no console error, and axe-core finds no violation of
any impact; and the Governorates page of Lebanon (no governorate figures) leads to it."""
from __future__ import annotations

import json

import pytest

SIZES = {"desktop": (1280, 800), "phone": (360, 740)}
PATHS = {"lebanon": "/framework?country=LB", "oman": "/framework?country=OM"}


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("lang", ["ar", "en"])
@pytest.mark.parametrize("name", list(PATHS))
def test_the_page_fits_reads_and_passes_axe(open_page, name, lang, size):
    width, height = SIZES[size]
    p = open_page(width, height)
    page = p.open(f"{PATHS[name]}&lang={lang}")
    assert page.evaluate("document.documentElement.lang") == lang
    assert page.evaluate("document.documentElement.dir") == ("rtl" if lang == "ar" else "ltr")
    assert page.is_visible("#react-entry-point h1")
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner, f"{name}/{lang}/{size}: the page is {scroll}px wide on a {inner}px screen"
    p.screenshot(f"framework_{name}_{lang}_{size}")
    assert p.errors == []
    found = p.axe()
    assert found == [], json.dumps(found, ensure_ascii=False, indent=1)


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_lebanon_governorates_show_no_map_but_lead_to_the_framework(open_page, lang):
    p = open_page(360, 740)
    page = p.open(f"/governorates?country=LB&lang={lang}")
    assert page.locator("#react-entry-point .map-box").count() == 0
    assert page.locator("#react-entry-point .rank-box").count() == 0
    link = page.locator("#gov-framework-link")
    assert link.get_attribute("href") == f"/framework?country=LB&lang={lang}"
    link.click()
    page.wait_for_url(f"**/framework?country=LB&lang={lang}")
    p.until("document.querySelector('#react-entry-point .framework-items') !== null")
    assert p.errors == []
