"""The Data page's form in real Chromium: choosing an indicator narrows the area, period and
breakdown lists at once (assets/data_form.js), without loading a page, in Arabic and English,
on a desktop and a phone screen; no console error, no sideways scroll, and axe-core finds no
accessibility violation of any impact."""
from __future__ import annotations

import html
import re
import urllib.request

import pytest

FORM = "#react-entry-point #data-form"
SIZES = [(1280, 800), (360, 740)]
NATIONAL, GOVERNORATE = "om_nursery_children", "om_spf_beneficiaries"   # Oman only; South Al Batinah only


def _options(page, ident: str) -> list[tuple[str, str]]:
    """(value, words) of each option of a list of the live form."""
    return page.evaluate(f"Array.from(document.querySelectorAll('{FORM} #{ident} option'))"
                         ".map(o => [o.value, o.textContent])")


def _server_lists(base: str, lang: str, indicator: str) -> dict[str, list[tuple[str, str]]]:
    """The lists the server draws when the form is sent with `indicator` (its page without JavaScript)."""
    with urllib.request.urlopen(f"{base}/data?lang={lang}&indicator={indicator}") as r:
        ssr = r.read().decode("utf-8").split('id="ssr"', 1)[1]
    out = {}
    for name in ("geo", "from", "to", "breakdown"):
        select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', ssr, re.S).group(1)
        out[name] = [(html.unescape(re.search(r'value="([^"]*)"', attrs).group(1)), html.unescape(words))
                     for attrs, words in re.findall(r"<option([^>]*)>(.*?)</option>", select)]
    return out


@pytest.mark.parametrize("width, height", SIZES)
@pytest.mark.parametrize("lang", ["ar", "en"])
def test_choosing_an_indicator_narrows_the_lists_at_once(open_page, server, lang, width, height):
    p = open_page(width, height)
    page = p.open(f"/data?lang={lang}&indicator={NATIONAL}")
    loads = []
    page.on("framenavigated", lambda frame: loads.append(frame.url) if frame == page.main_frame else None)
    page.evaluate("window.spiSameDocument = true")   # a page load would forget it
    national, governorate = _server_lists(server, lang, NATIONAL), _server_lists(server, lang, GOVERNORATE)
    assert [v for v, _ in national["geo"]] == ["", "OM"] and [v for v, _ in governorate["geo"]] == ["", "OM-BJ"]

    page.select_option(f"{FORM} #data-geo", "OM")
    page.select_option(f"{FORM} #data-from", national["from"][1][0])
    page.select_option(f"{FORM} #data-breakdown", "total")
    page.select_option(f"{FORM} #data-indicator", GOVERNORATE)
    p.until(f"document.querySelector('{FORM} #data-geo option[value=\"OM-BJ\"]')", timeout=5)
    for ident, name in (("data-geo", "geo"), ("data-from", "from"), ("data-to", "to"), ("data-breakdown", "breakdown")):
        assert _options(page, ident) == [list(o) for o in governorate[name]], ident
    values = page.evaluate(f"['geo', 'from', 'breakdown'].map(n => document.querySelector('{FORM} #data-' + n).value)")
    assert values == ["", "", "total"]   # Oman and the period are not this indicator's: back to all; totals still are
    assert page.evaluate("window.spiSameDocument") is True and loads == []

    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner, f"the page is {scroll}px wide on a {inner}px screen"
    p.screenshot(f"data_form_{lang}_{width}")
    assert p.axe() == []

    page.select_option(f"{FORM} #data-indicator", NATIONAL)
    p.until(f"document.querySelector('{FORM} #data-geo option[value=\"OM\"]')", timeout=5)
    assert _options(page, "data-geo") == [list(o) for o in national["geo"]]
    assert loads == [] and p.errors == []

    with page.expect_navigation():   # the choice is sent as before: the page is drawn for it
        page.click(f"{FORM} button[type=submit]")
    assert f"indicator={NATIONAL}" in page.url and p.errors == []


@pytest.mark.parametrize("width, height", SIZES)
@pytest.mark.parametrize("lang", ["ar", "en"])
def test_the_page_passes_axe(open_page, lang, width, height):
    """As served, with the place section: no violation of any impact."""
    p = open_page(width, height)
    page = p.open(f"/data?lang={lang}&place=OM-BJ")
    assert p.axe() == []
    assert p.errors == []


def test_a_page_drawn_anew_after_a_change_shows_its_own_lists(open_page, server):
    """Lists the script refilled are drawn anew, not patched, when the app draws the page again
    for another choice: the navbar's Data link shows the default indicator's lists."""
    p = open_page()
    page = p.open(f"/data?lang=en&indicator={GOVERNORATE}&geo=OM-BJ")
    page.select_option(f"{FORM} #data-indicator", "jo_child_safe_spaces")
    p.until(f"document.querySelector('{FORM} #data-geo option[value=\"JO\"]')", timeout=5)
    page.click("#react-entry-point nav.site-nav a.nav-link.active")
    p.until(f"document.querySelector('{FORM} #data-indicator').value === '{NATIONAL}'")
    p.until(f"document.querySelectorAll('{FORM} #data-geo option').length === 2")
    assert _options(page, "data-geo") == [list(o) for o in _server_lists(server, "en", NATIONAL)["geo"]]
    assert p.errors == []
