"""A permalink to a past release shows that release before and after the live page takes over
(dashboard/app.py reads the router's location, as_of included): the session's history served by
gunicorn (44, then 45 live, then 46 under embargo), opened with as_of=<the first release>,
in real headless Chromium; after the first move the live page still reads the first release,
and a control pressed there keeps it."""
from __future__ import annotations

import pytest

from tests.browser.conftest import _pages

VALUE = "jo_psychosocial_team"


@pytest.fixture
def open_history_page(browser, release_site):
    yield from _pages(browser, release_site[0].base)


def _cells(p) -> list[str]:
    return p.page.evaluate("() => [...document.querySelectorAll('#react-entry-point table.data-table td.num')]"
                           ".map(td => td.innerText.trim())")


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_live_explorer_of_a_past_release_reads_that_release(open_history_page, release_site, lang):
    first, second = release_site[1].ids[:2]
    p = open_history_page()
    copy = p.page.goto(f"{p.base}/explorer?indicator={VALUE}&tab=table&lang={lang}&as_of={first}")
    assert copy.status == 200 and 'data-sort="44.0"' in copy.text() and 'data-sort="45.0"' not in copy.text()
    p.open(f"/explorer?indicator={VALUE}&tab=table&lang={lang}&as_of={first}")
    p.until("!document.getElementById('ssr')")
    assert "44" in _cells(p) and "45" not in _cells(p), _cells(p)
    text = p.page.inner_text("#react-entry-point")
    assert first in text and second not in text.replace(f"as_of={second}", "")
    p.page.click("#explorer-tab-chart")        # a control: the view stays the page's release
    p.page.click("#explorer-tab-table")
    assert "44" in _cells(p) and "45" not in _cells(p)
    assert not p.errors, p.errors


def test_the_live_embed_of_a_past_release_draws_that_release(open_history_page, release_site):
    first = release_site[1].ids[0]
    p = open_history_page()
    p.open(f"/embed/{VALUE}?lang=en&as_of={first}")   # one figure: drawn as a number, not a chart
    p.until("!document.getElementById('ssr')")
    shown = p.page.inner_text("#react-entry-point")
    assert "44" in shown and "45" not in shown, shown
    assert not p.errors, p.errors


def test_a_bad_as_of_is_a_400_page_that_the_live_page_does_not_replace(open_history_page):
    p = open_history_page()
    response = p.page.goto(f"{p.base}/explorer?indicator={VALUE}&as_of=garbage&lang=en")
    assert response.status == 400
    words = p.page.inner_text("body")
    assert "«garbage» names no release this site has published (as_of)" in words and "2025-01-01, 2025-03-01" in words
    p.interact()   # the error page has no live page to take over
    assert "«garbage» names no release" in p.page.inner_text("body")
    assert [e for e in p.errors if "status of 400" not in e] == [], p.errors   # the page's own status only
