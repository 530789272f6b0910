"""Dates read in order inside Arabic (store/texts.py t() and store/formats.py fmt_time isolate
them left to right): in real headless Chromium, on the session's served history (gunicorn: two
public releases, a third embargoed for a signed-in reviewer), the glyphs of a date's year are on
screen to the LEFT of its month's, and the month's to the left of its day's, measured from the
characters' own boxes (a Range over the text node, getBoundingClientRect per character): on the
Releases page's heading, the About page's citation and a reviewer's embargo banner, in Arabic and
English, at 1280×800 and 360×740, in the server's copy (before the first move) and the live page
(after it). The same measure of the same text without its isolates finds the year on the right
(24-11-2026 as read), so the check can fail; axe finds nothing at any impact."""
from __future__ import annotations

import re

import pytest

from tests.browser.conftest import _pages
from tests.conftest import REVIEWER, REVIEWER_PASSWORD

SIZES = [(1280, 800), (360, 740)]
LRI, PDI = "\u2066", "\u2069"

# The boxes of each character of `run` in the first visible text node under `selector` that
# holds it (null when none does).
BOXES = """([selector, run]) => {
  for (const scope of document.querySelectorAll(selector)) {
    const walk = document.createTreeWalker(scope, NodeFilter.SHOW_TEXT);
    for (let node = walk.nextNode(); node; node = walk.nextNode()) {
      const at = node.data.indexOf(run);
      if (at < 0 || !node.parentElement.getClientRects().length) continue;
      return [...run].map((_, i) => {
        const range = document.createRange();
        range.setStart(node, at + i);
        range.setEnd(node, at + i + 1);
        const box = range.getBoundingClientRect();
        return {left: box.left, right: box.right, top: box.top, bottom: box.bottom};
      });
    }
  }
  return null;
}"""

# A control: the same words, without isolates, in a paragraph of the page's own kind.
CONTROL = """([text, lang]) => {
  const p = document.createElement('p');
  p.id = 'bidi-control'; p.lang = lang; p.dir = lang === 'ar' ? 'rtl' : 'ltr'; p.textContent = text;
  document.querySelector('main').appendChild(p);
}"""


@pytest.fixture
def open_history_page(browser, release_site):
    yield from _pages(browser, release_site[0].base)


def _order(p, selector: str, day: str) -> tuple[float, float, float]:
    """The left edges of a date's year, month and day on screen (YYYY-MM-DD at the start of the
    run measured), after checking that its characters sit on one line."""
    boxes = p.page.evaluate(BOXES, [selector, day])
    assert boxes, f"{day} is not shown under {selector}"
    assert max(b["top"] for b in boxes) - min(b["top"] for b in boxes) < 2, f"{day} breaks across lines: {boxes}"
    year, month, date = boxes[0:4], boxes[5:7], boxes[8:10]
    return min(b["left"] for b in year), min(b["left"] for b in month), min(b["left"] for b in date)


def _reads_in_order(p, selector: str, day: str) -> bool:
    """Whether the year is left of the month and the month left of the day, glyph for glyph."""
    year, month, date = _order(p, selector, day)
    return year < month < date


def _check_all(p, targets: list[tuple[str, str]]) -> None:
    for selector, day in targets:
        assert _reads_in_order(p, selector, day), (selector, day, _order(p, selector, day))


def _control_fails(p, text: str, day: str, lang: str) -> None:
    """The same words without isolates: in Arabic the date reads reversed; in English, in order."""
    p.page.evaluate(CONTROL, [text.replace(LRI, "").replace(PDI, ""), lang])
    try:
        assert _reads_in_order(p, "#bidi-control", day) is (lang == "en")
    finally:
        p.page.evaluate("() => document.getElementById('bidi-control').remove()")


def _both(p, path: str, targets: list[tuple[str, str]], lang: str) -> None:
    """The server's copy, then the live page after the first move: every date in order."""
    p.page.goto(p.base + path)
    p.page.wait_for_selector(targets[0][0])
    _check_all(p, targets)
    p.interact()
    p.page.wait_for_selector("#react-entry-point .page", timeout=30000)
    p.until("!document.getElementById('ssr')")
    _check_all(p, targets)


@pytest.mark.parametrize("width, height", SIZES)
@pytest.mark.parametrize("lang", ["ar", "en"])
def test_the_releases_heading_and_the_about_citation_read_the_date_in_order(open_history_page, release_site,
                                                                            lang, width, height):
    second = release_site[1].ids[1]
    p = open_history_page(width, height)
    _both(p, f"/releases?lang={lang}", [("main h2", second), ("main li.release a", second)], lang)
    heading = p.page.evaluate("([day]) => [...document.querySelectorAll('main h2')].map(h => h.textContent)"
                              ".find(t => t.includes(day))", [second])
    assert (LRI + second + PDI in heading) is (lang == "ar"), heading   # isolated in Arabic only
    _control_fails(p, heading, second, lang)
    assert p.axe() == []
    _both(p, f"/about?lang={lang}", [("main blockquote.cite", second)], lang)
    citation = p.page.inner_text("main blockquote.cite")
    _control_fails(p, citation, second, lang)
    assert p.axe() == []
    assert not p.errors, p.errors


def _sign_in(p) -> None:
    """The reviewer signed in, in the page's browser context (its cookies), through the form's
    own request with its token (the form page itself is tests/test_reviewers_served.py's)."""
    form = p.context.request.get(f"{p.base}/signin")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text()).group(1)
    done = p.context.request.post(f"{p.base}/signin", max_redirects=0,
                                  form={"csrf_token": token, "username": REVIEWER, "password": REVIEWER_PASSWORD})
    assert done.status == 303, done.status


@pytest.mark.parametrize("width, height", SIZES)
@pytest.mark.parametrize("lang", ["ar", "en"])
def test_a_reviewers_embargo_banner_reads_the_date_and_the_time_in_order(open_history_page, release_site,
                                                                         lang, width, height):
    third = release_site[1].ids[2]
    p = open_history_page(width, height)
    _sign_in(p)
    when = f"{third} 09:00"
    _both(p, f"/releases?lang={lang}", [(".embargo-banner", when), ("main h2", third)], lang)
    boxes = p.page.evaluate(BOXES, [".embargo-banner", when])
    date, time = boxes[:10], boxes[11:]
    assert max(b["right"] for b in date) <= min(b["left"] for b in time) + 0.5   # the time after the date
    banner = p.page.inner_text(".embargo-banner")
    assert ("توقيت عُمان" if lang == "ar" else "Oman Time") in banner and "Asia/Muscat" not in banner
    _control_fails(p, banner, third, lang)
    assert p.axe() == []
    assert not p.errors, p.errors
