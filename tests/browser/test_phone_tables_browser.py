"""Tables fit the screen (issue 20, defect 4): the Releases changes, the Data page's downloads
and the explorer's Table tab, in real Chromium, in Arabic and English at 1280x800 and 360x740,
the server's copy (before the first move) and the live page after it. Every value cell's text
is inside the viewport and inside its row (on a phone, its card); the document never scrolls
sideways; a card is not mostly blank; a download's address is the link's and its copy button's
in full; the explorer's tabs do not move when the live page takes over (the browser's own
layout-shift entries)."""
from __future__ import annotations

import pytest

from tests.browser.conftest import _pages

SIZES = [(1280, 800), (360, 740)]
ROWS_MEASURED = 40   # the first rows of a table: enough to meet every kind of row, not the 500 of a long one

# For each of the first rows of `table`: its box, the box of each `cell`'s text (a Range over
# its contents), and how much of the row's height its texts cover (the union of their lines).
GEOMETRY = """([table, cell, n]) => {
  const rows = [...document.querySelectorAll(table + ' tbody tr')].slice(0, n);
  const out = rows.map(tr => {
    const r = tr.getBoundingClientRect(), lines = [];
    tr.querySelectorAll('th, td').forEach(c => {
      const range = document.createRange(); range.selectNodeContents(c);
      [...range.getClientRects()].forEach(b => { if (b.height > 0) lines.push([b.top, b.bottom]); });
    });
    lines.sort((a, b) => a[0] - b[0]);
    let covered = 0, end = -Infinity;
    lines.forEach(([top, bottom]) => {
      const from = Math.max(top, end, r.top), to = Math.min(bottom, r.bottom);
      if (to > from) covered += to - from;
      end = Math.max(end, bottom);
    });
    const values = [...tr.querySelectorAll(cell)].map(c => {
      const range = document.createRange(); range.selectNodeContents(c);
      const b = range.getBoundingClientRect();
      return {text: c.innerText.trim(), left: b.left, right: b.right, top: b.top, bottom: b.bottom};
    });
    return {left: r.left, right: r.right, top: r.top, bottom: r.bottom, height: r.height,
            covered: covered / r.height, values: values};
  });
  return {rows: out, width: window.innerWidth, scroll: document.documentElement.scrollWidth,
          client: document.documentElement.clientWidth};
}"""

# The browser's layout-shift entries from the first paint on, each with whether one of the
# nodes it moved is the explorer's tabs or inside them. Run before the page's own scripts.
SHIFTS = """
window.__shifts = [];
new PerformanceObserver(list => list.getEntries().forEach(e => window.__shifts.push({
  value: e.value, tabs: e.sources.some(s => s.node && s.node.closest && Boolean(s.node.closest('.tabs')))
}))).observe({type: 'layout-shift', buffered: true});
"""


@pytest.fixture
def open_history_page(browser, release_site):
    yield from _pages(browser, release_site[0].base)


def _fits(p, root: str, table: str, cell: str, width: int) -> list[dict]:
    """The checks of a table as the page shows it now; its rows' measures, for more checks."""
    g = p.page.evaluate(GEOMETRY, [f"{root} {table}", cell, ROWS_MEASURED])
    assert g["rows"], f"{root} {table} has no rows"
    assert g["scroll"] <= g["client"], g["scroll"]               # no sideways scroll of the document
    for row in g["rows"]:
        assert row["values"] and all(v["text"] for v in row["values"]), row
        for v in row["values"]:
            assert 0 <= v["left"] - 0.5 and v["right"] <= g["width"] + 0.5, (v, g["width"])   # on screen
            assert row["left"] - 0.5 <= v["left"] and v["right"] <= row["right"] + 0.5, (v, row)   # in its row
            assert row["top"] - 0.5 <= v["top"] and v["bottom"] <= row["bottom"] + 0.5, (v, row)
        if width < 600:   # a card, not a tall row of mostly blank cells
            assert row["height"] < 240 and row["covered"] > 0.5, row
    return g["rows"]


def _both(p, path: str, table: str, cell: str, width: int) -> tuple[list[dict], list[dict]]:
    """The server's copy, then the live page after the first move."""
    p.page.goto(p.base + path)
    p.page.wait_for_selector(f"#ssr {table}")
    before = _fits(p, "#ssr", table, cell, width)
    assert p.axe() == []
    p.interact()
    p.page.wait_for_selector(f"#react-entry-point {table}", timeout=30000)
    p.until("!document.getElementById('ssr')")
    after = _fits(p, "#react-entry-point", table, cell, width)
    assert p.axe() == []
    return before, after


@pytest.mark.parametrize("width, height", SIZES)
@pytest.mark.parametrize("lang", ["ar", "en"])
def test_the_releases_changes_show_old_and_new_values_on_screen(open_history_page, lang, width, height):
    p = open_history_page(width, height)
    before, after = _both(p, f"/releases?lang={lang}", "#release-changes", "td.num", width)
    shown = [v["text"] for row in after for v in row["values"]]
    assert "44" in shown and "45" in shown, shown     # jo_psychosocial_team's revision, before and after
    assert [v["text"] for row in before for v in row["values"]] == shown
    assert p.errors == []


@pytest.mark.parametrize("width, height", SIZES)
@pytest.mark.parametrize("lang", ["ar", "en"])
def test_the_data_pages_addresses_sit_behind_copy_buttons_that_copy_them_whole(open_page, lang, width, height):
    p = open_page(width, height)
    p.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=p.base)
    # the button's text on screen and in its card (an address is cut short on purpose: its
    # text runs on under the ellipsis, so its box, not its text, is what must fit)
    _both(p, f"/data?lang={lang}", "#data-downloads", ".copy-button", width)
    links = p.page.evaluate("""() => [...document.querySelectorAll('#react-entry-point #data-downloads .copy-inline')]
        .map(s => { const a = s.querySelector('a'), box = a.getBoundingClientRect(),
                          row = s.closest('tr').getBoundingClientRect();
                    return {href: a.href, shown: a.innerText, copy: s.querySelector('.copy-button').getAttribute('data-copy'),
                            lines: a.getClientRects().length, width: box.width,
                            inside: box.left >= row.left - 0.5 && box.right <= row.right + 0.5 && box.left >= 0
                                    && box.right <= window.innerWidth + 0.5}; })""")
    assert len(links) == 6, links
    for link in links:
        assert link["href"] == link["copy"] == p.base + link["shown"], link   # the full address, the path shown
        assert link["lines"] == 1 and link["inside"] and link["width"] > 40, link
    buttons = p.page.locator("#react-entry-point #data-downloads .copy-button")
    for n, link in enumerate(links):
        buttons.nth(n).click()
        assert p.page.evaluate("() => navigator.clipboard.readText()") == link["copy"]
    assert p.errors == []


@pytest.mark.parametrize("width, height", SIZES)
@pytest.mark.parametrize("lang", ["ar", "en"])
def test_the_table_tab_puts_the_value_first_and_its_tabs_do_not_move(open_page, lang, width, height):
    p = open_page(width, height)
    p.page.add_init_script(SHIFTS)
    before, after = _both(p, f"/explorer?indicator=om_ss_cases&tab=table&lang={lang}", "#explorer-panel-table table",
                          "td.num, td.unit, td.source", width)
    assert [[v["text"] for v in r["values"]] for r in before] == [[v["text"] for v in r["values"]] for r in after]
    if width < 600:   # the card opens on the value, its unit beside it
        for row in after:
            value, unit = row["values"][0], row["values"][1]
            assert value["top"] - row["top"] < 20 and abs(value["bottom"] - unit["bottom"]) < 8, row
    p.page.wait_for_timeout(500)   # late stylesheets and images of the live page
    shifts = p.page.evaluate("() => window.__shifts")
    assert sum(s["value"] for s in shifts if s["tabs"]) == 0, shifts
    assert p.errors == []
