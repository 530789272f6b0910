"""Every exported chart image keeps every text inside it, the credit's licence whole: the
Download & share panel's PNG and SVG (assets/explorer.js) and `spi publish`'s files
(spi/publish.py), in Arabic and English, for views whose address is long (the breakdowns of
om_spf_beneficiaries and the shares of om_spf_services: their credit once ran off the image,
"CC-BY-4.0" lost at the right edge in English and the left in Arabic).

An SVG is opened in Chromium and every <text>'s box is measured against the image's; a PNG's
edge columns and its last rows must be the white background (no ink cut off at an edge)."""
from __future__ import annotations

import io
import os
import struct
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.browser.conftest import REPO, SPI

VIEWS = ["/explorer?indicator=om_spf_beneficiaries&view=breakdown&breakdown=beneficiary_category",
         "/explorer?indicator=om_spf_services&view=breakdown&breakdown=service_channel&mode=share",
         "/explorer?indicator=om_ss_cases"]
LICENCE = "CC-BY-4.0"
INVISIBLE = str.maketrans("", "", "\u2066\u2067\u2068\u2069")   # the bidi isolates
PUBLIC = "https://statistics.social-development.example.gov.om"   # a long public address, for spi publish
BOXES = """() => {
  const svg = document.querySelector('svg'), r = svg.getBoundingClientRect();
  return {width: r.width, height: r.height, texts: [...svg.querySelectorAll('text')]
    .filter(t => t.textContent.trim() && t.getBoundingClientRect().width > 0)
    .map(t => { const b = t.getBoundingClientRect();
      return {text: t.textContent, left: b.left - r.left, right: b.right - r.left, top: b.top - r.top,
              bottom: b.bottom - r.top}; })};
}"""


def _outside(browser, svg: str) -> tuple[list[dict], list[dict]]:
    """(the texts of the SVG drawn outside it, every text), measured by Chromium."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    try:
        page.set_content(f'<!doctype html><meta charset="utf-8"><body style="margin:0">{svg}')
        found = page.evaluate(BOXES)
    finally:
        page.close()
    w, h = found["width"], found["height"]
    out = [t for t in found["texts"] if t["left"] < -0.5 or t["top"] < -0.5 or t["right"] > w + 0.5 or t["bottom"] > h + 0.5]
    return out, found["texts"]


def _check_svg(browser, svg: str) -> str:
    """Every text inside the image, the licence whole; the image's texts, isolates left out."""
    out, texts = _outside(browser, svg)
    assert out == [], out
    assert any(LICENCE in t["text"] for t in texts), [t["text"] for t in texts][-4:]
    return "".join(t["text"] for t in texts).translate(INVISIBLE)


def _check_png(data: bytes) -> None:
    """The edge columns and the last rows are background: no text runs off the image."""
    with Image.open(io.BytesIO(data)) as im:
        px = np.asarray(im.convert("RGB")).astype(int)
    for name, strip in (("left", px[:, :3]), ("right", px[:, -3:]), ("bottom", px[-3:, :])):
        assert (strip >= 245).all(), f"ink at the {name} edge"
    assert (px[-80:] < 160).any(), "the credit is drawn at the foot"


@pytest.mark.parametrize("width, height", [(1280, 800), (360, 740)])
@pytest.mark.parametrize("lang", ["ar", "en"])
@pytest.mark.parametrize("path", VIEWS)
def test_the_panels_images_keep_every_text_inside(open_page, browser, path, lang, width, height):
    p = open_page(width, height)
    page = p.open(f"{path}&lang={lang}", chart=True)
    with page.expect_download() as svg:
        page.click("#react-entry-point #explorer-svg")
    drawn = _check_svg(browser, open(svg.value.path(), encoding="utf-8").read())
    assert page.input_value("#react-entry-point #explorer-permalink") in drawn   # the address whole, on its lines
    with page.expect_download() as png:
        page.click("#react-entry-point #explorer-png")
    data = open(png.value.path(), "rb").read()
    assert struct.unpack(">II", data[16:24])[0] == 2000
    _check_png(data)
    assert p.errors == []


@pytest.fixture(scope="module")
def published(db_dir, tmp_path_factory) -> Path:
    """`spi publish` of the two indicators' charts, with a long public address."""
    out = tmp_path_factory.mktemp("images")
    env = {**os.environ, "SPI_DB": str(db_dir / "indicators.duckdb"), "SPI_OPENDATA_CACHE": str(out / "cache")}
    done = subprocess.run([str(SPI), "publish", "--out", str(out / "pub"), "--no-data", "--base-url", PUBLIC,
                           "--indicator", "om_spf_beneficiaries", "--indicator", "om_spf_services"],
                          capture_output=True, text=True, cwd=REPO, env=env, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    return out / "pub" / "charts"


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_spi_publish_images_keep_every_text_inside(published, browser, lang):
    svgs = sorted(published.rglob(f"*.{lang}.svg"))
    assert len(svgs) == 4, svgs   # each indicator's default chart and its breakdown
    for path in svgs:
        drawn = _check_svg(browser, path.read_text(encoding="utf-8"))
        assert f"{PUBLIC}/explorer?indicator=" in drawn, path
        _check_png(path.with_suffix(".png").read_bytes())
