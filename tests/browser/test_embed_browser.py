"""The embed (/embed/<indicator>) in real Chromium, in Arabic and English, at desktop and phone
widths, before and after the reader's first move: no Plotly toolbar (its camera covered the
first word of an Arabic title on hover), nothing over the title's first word, and the image
download one link away, in the explorer view's Download & share panel."""
from __future__ import annotations

import pytest

PATHS = ["/embed/om_nursery_children?", "/embed/om_spf_beneficiaries?view=breakdown&breakdown=beneficiary_category&"]
# The title's first word: the box of its first letters (getExtentOfChar, in the page's
# coordinates), and whether the element at each of their middles is the title or one of its
# own containers (plotly.js draws its texts with pointer-events off, so the point finds the
# chart's box under them; a toolbar or anything else over the word would be found instead).
FIRST_WORD = """(sel) => {
  const t = [...document.querySelectorAll(sel)].find(x => x.getBoundingClientRect().width > 0), s = t.textContent;
  let i = 0;
  while (i < s.length && /[\\u2066-\\u2069\\s]/.test(s[i])) i++;
  let j = i;
  while (j < s.length && !/[\\u2066-\\u2069\\s]/.test(s[j])) j++;
  const m = t.getScreenCTM(), hits = [];
  for (let k = i; k < j; k++) {
    const e = t.getExtentOfChar(k);
    if (!e.width) continue;
    const p = new DOMPoint(e.x + e.width / 2, e.y + e.height / 2).matrixTransform(m);
    const el = document.elementFromPoint(p.x, p.y);
    hits.push({x: p.x, y: p.y, ok: Boolean(el && (t.contains(el) || el.contains(t))),
               at: el ? el.tagName + '.' + (el.getAttribute('class') || '') : null});
  }
  return {word: s.slice(i, j), hits: hits};
}"""
# Plotly's toolbar and its buttons (plotly.js keeps an empty, zero-height .modebar-container either way)
MODEBAR = "document.querySelectorAll('.modebar, .modebar-btn').length"


def _title_uncovered(page, selector: str) -> str:
    found = page.evaluate(FIRST_WORD, selector)
    assert found["word"] and found["hits"], found
    assert all(h["ok"] for h in found["hits"]), found   # each letter of the first word is the title's, on top
    return found["word"]


@pytest.mark.parametrize("width, height", [(1280, 800), (360, 740)])
@pytest.mark.parametrize("lang", ["ar", "en"])
@pytest.mark.parametrize("path", PATHS)
def test_the_embed_has_no_toolbar_and_its_title_is_uncovered(open_page, path, lang, width, height):
    p = open_page(width, height)
    page = p.page
    p.response = page.goto(f"{p.base}{path}lang={lang}")
    # the server's copy, before the first move: its chart is the server-drawn twin
    twin = f"#ssr .chart-twin svg.{'narrow' if width < 600 else 'wide'}"   # the variant shown at this width
    page.wait_for_selector(twin)
    word = _title_uncovered(page, f"{twin} > text:first-of-type")   # the visible twin's title
    assert page.evaluate(MODEBAR) == 0
    link = page.get_attribute("#ssr #embed-image", "href")
    assert link.startswith(f"/explorer?indicator={path.split('/embed/')[1].split('?')[0]}") and link.endswith("#share-image")
    assert p.axe() == []
    # the live page, the interactive chart hovered where the toolbar would be and over a bar
    p.interact()
    page.wait_for_selector("#react-entry-point #embed-graph .js-plotly-plot .main-svg", timeout=30000)
    plot = page.locator("#react-entry-point #embed-graph .js-plotly-plot").bounding_box()
    for x, y in ((plot["x"] + plot["width"] - 20, plot["y"] + 20), (plot["x"] + 20, plot["y"] + 20),
                 (plot["x"] + plot["width"] / 2, plot["y"] + plot["height"] / 2)):
        page.mouse.move(x, y)
        page.wait_for_timeout(150)
        assert page.evaluate(MODEBAR) == 0
    assert _title_uncovered(page, "#react-entry-point #embed-graph .gtitle") == word
    assert page.get_attribute("#react-entry-point #embed-image", "href") == link
    assert p.axe() == []
    assert p.errors == []


# Where the image downloads of a page are: the group's heading and its two buttons (null: not in the page)
IMAGE_GROUP = """(root) => {
  const r = document.querySelector(root);
  if (!r) return null;
  const box = (sel) => { const e = r.querySelector(sel); if (!e) return null;
    const b = e.getBoundingClientRect(); return {x: b.x, y: b.y, w: b.width, h: b.height}; };
  return {heading: box('#share-image'), png: box('#explorer-png'), svg: box('#explorer-svg')};
}"""


def _on_screen(found: dict, width: int, height: int) -> None:
    assert found and all(found.values()), found
    assert 0 <= found["heading"]["y"] < height, found       # scrolled to, in the window
    for b in found.values():
        assert b["w"] > 0 and b["x"] >= 0 and b["x"] + b["w"] <= width + 0.5, found


@pytest.mark.parametrize("width, height", [(1280, 800), (360, 740)])
@pytest.mark.parametrize("lang", ["ar", "en"])
def test_the_embeds_image_link_lands_on_the_image_downloads(open_page, lang, width, height):
    """The embed has no toolbar; its image link must land on the explorer view's PNG and SVG
    buttons, on screen at that width: in the server's copy as it arrives, and still there
    once the live page has taken over (the reader is not thrown back to the top)."""
    p = open_page(width, height)
    page = p.page
    p.response = page.goto(f"{p.base}{PATHS[1]}lang={lang}")
    link = page.get_attribute("#ssr #embed-image", "href")
    page.goto(f"{p.base}{link}")
    _on_screen(page.evaluate(IMAGE_GROUP, "#ssr"), width, height)
    p.interact()
    page.wait_for_selector("#react-entry-point #explorer-png", timeout=30000)
    page.wait_for_timeout(500)
    _on_screen(page.evaluate(IMAGE_GROUP, "#react-entry-point"), width, height)
    assert p.errors == []
