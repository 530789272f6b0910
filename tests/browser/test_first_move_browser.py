"""Dash starts at the reader's first move (dashboard/app.py split_scripts, assets/spi.js).

Until then the page is the server-rendered copy: complete (figures, chart, table, links,
downloads), accessible on its own, and no Dash script has run nor asked the server for
anything. The first move (a pointer, a key, a focus) starts Dash; once React has drawn the
page the copy is removed, and a reader whose focus was in it finds it on the same element of
the live page: by id, or a link by its address and words."""
from __future__ import annotations

import pytest

PAGES = ["/", "/explorer?indicator=om_spf_beneficiaries&breakdown=beneficiary_category", "/governorates?country=OM",
         "/embed/om_nursery_children", "/data", "/framework"]
DASH_RAN = ("Boolean(window.React || window.DashRenderer || document.querySelector('#react-entry-point *') || "
            "document.querySelector('script[src*=\"_dash-component-suites\"]:not([type=\"text/x-dash-later\"])'))")


def _quiet(p, path: str) -> list[str]:
    """Open `path` and wait without moving; the addresses of Dash's requests to the app made
    (its layout, dependencies, callbacks; its scripts are only prefetched)."""
    asked: list[str] = []
    p.page.on("request", lambda r: asked.append(r.url)
              if "/_dash-" in r.url and "/_dash-component-suites/" not in r.url else None)
    p.response = p.page.goto(p.base + path)
    p.page.wait_for_load_state("networkidle")
    p.page.wait_for_timeout(500)
    return asked


def _live(p) -> None:
    """Wait until React has drawn the page and the server's copy is gone."""
    p.page.wait_for_selector("#react-entry-point .page", timeout=30000)
    p.until("!document.getElementById('ssr')")


@pytest.mark.parametrize("width", [1280, 360])
@pytest.mark.parametrize("lang", ["ar", "en"])
@pytest.mark.parametrize("path", PAGES)
def test_before_the_first_move_the_page_is_the_servers_and_accessible(open_page, path, lang, width):
    p = open_page(width, 800)
    asked = _quiet(p, f"{path}{'&' if '?' in path else '?'}lang={lang}")
    assert p.response.status == 200
    assert not p.page.evaluate(DASH_RAN) and asked == [], asked   # no Dash script, no layout, no callback
    # but its scripts are fetched once the page has loaded, ready for the first move
    assert p.page.evaluate("document.querySelectorAll('link[rel=prefetch][href*=dash_renderer]').length") == 1
    assert p.page.locator("#ssr .page").is_visible()
    assert p.page.evaluate("document.querySelector('#ssr main h1, #ssr h1').textContent.trim().length > 0")
    assert p.axe() == []
    assert p.errors == []


def test_the_copy_already_serves_figures_and_downloads(open_page, server):
    """The explorer before any move: its table's figures and its download links are there."""
    p = open_page()
    _quiet(p, "/explorer?indicator=om_nursery_children&tab=table&lang=en")
    assert p.page.locator("#ssr #explorer-panel-table td[data-sort]").count() > 0
    for ident, ext in (("explorer-csv", ".csv"), ("explorer-xlsx", ".xlsx")):
        href = p.page.get_attribute(f"#ssr #{ident}", "href")
        assert href and ext in href
    assert not p.page.evaluate(DASH_RAN)


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_a_key_starts_dash_and_the_focus_moves_to_the_live_page(open_page, lang):
    """Tab from the top: the skip link of the copy takes the focus, Dash starts, and the
    focus is then on the live page's skip link (not on <body>)."""
    p = open_page()
    _quiet(p, f"/explorer?indicator=om_nursery_children&lang={lang}")
    p.page.keyboard.press("Tab")
    assert p.page.evaluate("document.activeElement.classList.contains('skip-link')")
    _live(p)
    assert p.page.evaluate("document.activeElement.classList.contains('skip-link') && "
                           "document.getElementById('react-entry-point').contains(document.activeElement)")
    assert p.errors == []


@pytest.mark.parametrize("selector, same", [
    ("#ssr #explorer-full-csv", "document.activeElement.id === 'explorer-full-csv'"),
    ("#ssr #explorer-tab-table", "document.activeElement.id === 'explorer-tab-table'"),
    ("#ssr header a[href*='/about']",
     "document.activeElement.tagName === 'A' && document.activeElement.getAttribute('href').includes('/about')"),
])
def test_the_focus_in_the_copy_moves_to_the_same_element_of_the_live_page(open_page, selector, same):
    p = open_page()
    _quiet(p, "/explorer?indicator=om_nursery_children&lang=en")
    p.page.focus(selector)   # a focus is a move: Dash starts
    _live(p)
    assert p.page.evaluate(f"({same}) && document.getElementById('react-entry-point').contains(document.activeElement)")
    assert p.errors == []


def test_a_button_pressed_in_the_copy_is_pressed_in_the_live_page(open_page):
    """A reader who presses a view button before Dash runs gets that view once it does (the
    press is replayed on the same button of the live page)."""
    p = open_page()
    _quiet(p, "/explorer?indicator=om_spf_beneficiaries&lang=en")
    choice = p.page.locator("#ssr #explorer-view button[aria-pressed=false]").first
    label = choice.text_content()
    choice.click()   # the pointer's move starts Dash; the press lands in the copy
    _live(p)
    p.until(f"[...document.querySelectorAll('#explorer-view button[aria-pressed=true]')]"
            f".some(b => b.textContent === {label!r})")
    assert "view=" in p.page.evaluate("location.search")
    assert p.errors == []


def test_choices_made_in_the_copy_are_carried_to_the_live_form(open_page):
    """The Data page's form, used before Dash runs: the indicator chosen (its lists follow it,
    assets/data_form.js) and another list's choice are the live form's once Dash has drawn it."""
    p = open_page()
    _quiet(p, "/data?lang=en")
    p.page.select_option("#ssr #data-indicator", "jo_psychosocial_team")
    p.page.select_option("#ssr #data-labels", "codes")
    periods = p.page.evaluate("[...document.querySelectorAll('#ssr #data-from option')].map(o => o.value)")
    assert p.page.evaluate("!!document.getElementById('ssr')")   # still the copy: the choices were made in it
    p.interact()
    _live(p)
    assert p.page.input_value("#data-indicator") == "jo_psychosocial_team"
    assert p.page.input_value("#data-labels") == "codes"
    assert p.page.evaluate("[...document.querySelectorAll('#data-from option')].map(o => o.value)") == periods
    assert p.errors == []


def test_a_search_typed_in_the_copy_is_kept(open_page):
    """The explorer's indicator search, typed into before Dash has drawn the page: the live
    search box holds the words, the picker stays open, and the list is filtered alike."""
    p = open_page()
    _quiet(p, "/explorer?indicator=om_nursery_children&lang=en")
    p.page.evaluate("document.querySelector('#ssr #explorer-picker').open = true")
    p.page.fill("#ssr #explorer-picker-search", "nursery")   # the focus starts Dash
    shown = p.page.evaluate("[...document.querySelectorAll('#explorer-picker li[data-search]')].filter(li => !li.hidden).length")
    _live(p)
    assert p.page.input_value("#explorer-picker-search") == "nursery"
    assert p.page.evaluate("document.getElementById('explorer-picker').open")
    p.until("[...document.querySelectorAll('#explorer-picker li[data-search]')].filter(li => !li.hidden).length"
            f" === {shown}")
    assert 0 < shown < p.page.locator("#explorer-picker li[data-search]").count()
    assert p.errors == []


@pytest.mark.parametrize("width", [1280, 360])
def test_a_reader_who_scrolled_stays_where_they_were(open_page, width):
    """Scrolling is a first move: the live page takes the copy's place under the reader, the
    part at the top of the screen stays there."""
    p = open_page(width, 740)
    _quiet(p, "/explorer?indicator=om_spf_beneficiaries&breakdown=beneficiary_category&lang=en")
    p.page.mouse.wheel(0, 900)   # a reader scrolling down (Dash starts)
    p.until("window.scrollY > 0")
    part, top, copy = p.page.evaluate("""() => {
        const el = [...document.querySelectorAll('#ssr [id]')].find(e => {
            const r = e.getBoundingClientRect();
            return r.height > 0 && r.top >= 0 && r.top < innerHeight;
        });   // the first part with an id on the screen
        return [el.id, el.getBoundingClientRect().top, Boolean(document.getElementById('ssr'))];
    }""")
    assert copy   # measured in the server's copy
    _live(p)
    p.page.wait_for_timeout(300)
    after = p.page.evaluate(f"document.getElementById({part!r}).getBoundingClientRect().top")
    assert abs(after - top) <= 4, (part, top, after)


def test_an_address_with_a_part_named_opens_on_it_before_and_after_dash(open_page):
    """/governorates?…#gov-detail (a place chosen on the map): that part is brought into view
    and focused in the server's copy, and again, the same part, once the live page has it."""
    p = open_page(1280, 740)
    p.response = p.page.goto(p.base + "/governorates?country=OM&geo=OM-BJ&lang=en#gov-detail")
    _live(p)   # the focus the address gives is a first move
    p.until("document.activeElement && document.activeElement.id === 'gov-detail'")
    top = p.page.evaluate("document.getElementById('gov-detail').getBoundingClientRect().top")
    assert p.page.evaluate("document.getElementById('react-entry-point').contains(document.activeElement)")
    assert 0 <= top < 740 / 2 and p.page.evaluate("window.scrollY") > 0
    assert p.errors == []
