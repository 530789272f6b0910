"""No two texts of a chart overlap, in either language, at desktop and phone widths: the
bounding box of every visible SVG text of the drawn chart (title, subtitle, legend, value
labels, axis ticks, notes, source line) is measured in headless Chromium and compared with
every other. A label too small to read is hidden, never drawn over another."""
from __future__ import annotations

import json

import pytest

VIEWS = {
    "grouped_categories": "/explorer?indicator=om_spf_beneficiaries&view=breakdown&breakdown=beneficiary_category&mode=group",
    "stacked_categories": "/explorer?indicator=om_spf_beneficiaries&view=breakdown&breakdown=beneficiary_category",
    "stacked_two_years": "/explorer?indicator=om_associations&view=breakdown",
    "by_sex": "/explorer?indicator=om_nursery_children&view=breakdown&breakdown=sex",
    "two_points": "/explorer?indicator=om_ss_cases",
    "per_case": "/explorer?indicator=om_ss_paid&view=per_case",
    "one_figure": "/explorer?indicator=jo_psychosocial_team",
    "shares": "/explorer?indicator=om_associations&view=breakdown&mode=share",
}
SIZES = {"desktop": (1280, 800), "phone": (360, 740)}

# every visible text of the chart with its box; pairs whose boxes overlap by more than 2 px
# both ways (glyph boxes of neighbouring lines may touch)
OVERLAPS = """() => {
  const gd = document.querySelector('#explorer-graph .js-plotly-plot');
  const shown = n => {
    for (let e = n; e && e !== gd; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.display === 'none' || s.visibility === 'hidden' || s.opacity === '0') return false;
    }
    return true;
  };
  const boxes = [...gd.querySelectorAll('text')]
    .filter(n => n.textContent.trim() && !n.closest('.hoverlayer') && shown(n))
    .map(n => ({text: n.textContent, r: n.getBoundingClientRect()}))
    .filter(b => b.r.width > 0 && b.r.height > 0);
  const out = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i].r, b = boxes[j].r;
    const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
    const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
    if (w > 2 && h > 2) out.push([boxes[i].text, boxes[j].text, Math.round(w), Math.round(h)]);
  }
  return {count: boxes.length, overlaps: out};
}"""


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("lang", ["ar", "en"])
@pytest.mark.parametrize("name", list(VIEWS))
def test_no_two_chart_texts_overlap(open_page, name, lang, size):
    p = open_page(*SIZES[size])
    page = p.open(f"{VIEWS[name]}&lang={lang}", chart=True)
    page.wait_for_timeout(400)   # the narrow texts are swapped in after the first draw
    found = page.evaluate(OVERLAPS)
    p.screenshot(f"chart_text_{name}_{lang}_{size}")
    assert found["count"] >= 3, found   # title, subtitle, source line at least
    assert found["overlaps"] == [], json.dumps(found["overlaps"], ensure_ascii=False)
