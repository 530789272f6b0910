"""The first chart comes with the page: the explorer and the embed send the chart of their
view drawn on the server (dashboard/chart_svg.py), shown before any script runs, and the
interactive chart takes its place in the same box, at the same height (no jump), once the
reader moves: neither Dash nor plotly.js runs before."""
from __future__ import annotations

import pytest

VIEWS = ["/explorer?indicator=om_associations&view=breakdown", "/explorer?indicator=om_ss_cases",
         "/explorer?indicator=om_spf_beneficiaries&breakdown=beneficiary_category", "/embed/jo_psychosocial_team"]


def _box(page) -> float:
    return page.evaluate("document.querySelector('.chart-box').getBoundingClientRect().height")


@pytest.mark.parametrize("width", [1280, 360])
@pytest.mark.parametrize("lang", ["ar", "en"])
@pytest.mark.parametrize("path", VIEWS)
def test_the_chart_is_in_the_first_html_and_is_replaced_without_a_jump(browser, server, path, lang, width):
    address = f"{server}{path}{'&' if '?' in path else '?'}lang={lang}"
    still = browser.new_context(viewport={"width": width, "height": 800}, java_script_enabled=False)
    try:
        page = still.new_page()
        page.goto(address)
        twin = page.locator("#ssr .chart-twin svg[role=img]:visible")
        assert twin.count() == 1                       # the variant for this width, and only it
        title = twin.get_attribute("aria-label")
        assert title and twin.locator("rect, [data-value], text").count() >= 3
        before = _box(page)
    finally:
        still.close()
    live = browser.new_context(viewport={"width": width, "height": 800})
    try:
        page = live.new_page()
        page.goto(address)
        page.wait_for_timeout(1500)
        # nothing runs until the reader moves, neither Dash nor plotly.js: the page is the
        # server's, its chart the twin, at the chart's height
        assert page.evaluate("!document.querySelector('script[src*=plotly-basic], "
                             "script[src*=_dash-component-suites]:not([type=\"text/x-dash-later\"])')"
                             " && !window.DashRenderer && !window.React && !document.querySelector('#react-entry-point *')")
        assert page.locator("#ssr .chart-twin > svg:visible").count() == 1
        assert abs(_box(page) - before) <= 2
        page.mouse.move(5, 5)
        page.wait_for_selector("#react-entry-point .chart-box .js-plotly-plot .main-svg", timeout=30000)
        page.wait_for_timeout(300)                     # the narrow texts swapped in on a phone
        assert not page.locator("#react-entry-point .chart-twin").is_visible()
        after = _box(page)
    finally:
        live.close()
    assert abs(after - before) <= 2, (before, after)
