"""The explorer's Download & share panel in real Chromium, in Arabic and English, at desktop
and phone widths, driven by the keyboard alone: Tab reaches the image buttons, Enter saves
the chart as SVG and PNG, and the image carries the site's name, the view's address and the
licence under its source; the citations name the release and its address; axe finds no
violation of any impact. And the embed snippet, pasted into another site's page, sizes its
iframe to the chart."""
from __future__ import annotations

import struct
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

SITE = {"ar": "إحصاءات الحماية الاجتماعية", "en": "Social protection statistics"}
TITLE = {"ar": "حالات الضمان الاجتماعي", "en": "Social security cases"}


def _tab_to(page, ident: str, limit: int = 120) -> None:
    """Press Tab until the element `ident` has the focus (the keyboard's way there)."""
    for _ in range(limit):
        if page.evaluate("document.activeElement && document.activeElement.id") == ident:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached #{ident}")


@pytest.mark.parametrize("width, height", [(1280, 800), (360, 740)])
@pytest.mark.parametrize("lang", ["ar", "en"])
def test_the_panel_saves_images_that_say_where_they_came_from(open_page, lang, width, height):
    p = open_page(width, height)
    page = p.open(f"/explorer?indicator=om_ss_cases&lang={lang}", chart=True)
    permalink = page.input_value("#react-entry-point #explorer-permalink")
    assert permalink.endswith(f"/explorer?indicator=om_ss_cases&geo=OM&lang={lang}")
    page.focus("#react-entry-point #explorer-tab-chart")
    _tab_to(page, "explorer-png")
    with page.expect_download() as png:
        page.keyboard.press("Enter")
    data = open(png.value.path(), "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24])[0] == 2000   # 1000 px wide at scale 2, whatever the screen
    _tab_to(page, "explorer-svg")
    with page.expect_download() as svg:
        page.keyboard.press("Enter")
    assert svg.value.suggested_filename == f"om_ss_cases_{lang}.svg"
    text = open(svg.value.path(), encoding="utf-8").read()
    for words in (SITE[lang], TITLE[lang], permalink.replace("&", "&amp;"), "CC-BY-4.0", "79,597"):
        assert words in text, (words, text[-3000:])
    # the citations, one a language, each naming its own address
    for code in ("ar", "en"):
        cite = page.input_value(f"#react-entry-point #explorer-cite-{code}")
        assert SITE[code] in cite and TITLE[code] in cite and f"lang={code}" in cite
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner
    assert p.axe() == []
    assert p.errors == []


@contextmanager
def _article(html_text: str):
    """A second web site on its own port (another origin), serving one article page."""
    body = html_text.encode("utf-8")

    class Article(BaseHTTPRequestHandler):
        def do_GET(self):   # noqa: N802 - the name http.server calls
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    site = ThreadingHTTPServer(("127.0.0.1", 0), Article)
    threading.Thread(target=site.serve_forever, daemon=True).start()
    try:
        yield f"http://localhost:{site.server_address[1]}/article.html"
    finally:
        site.shutdown()


@pytest.mark.parametrize("width", [1280, 360])
def test_the_embed_snippet_sizes_its_iframe_to_the_chart(open_page, server, width):
    """The panel's snippet, pasted into an article on another site: the iframe takes the
    embedded page's own height (the chart and its source line), not the snippet's 560 px."""
    from store.embed import iframe_snippet
    snippet = iframe_snippet(f"{server}/embed/om_nursery_children?lang=ar&view=breakdown", "chart", 560)
    with _article(f'<!doctype html><meta charset="utf-8"><meta name="viewport" content="width=device-width">'
                  f"<h1>Article</h1>{snippet}<p>After the chart</p>") as address:
        p = open_page(width, 800)
        page = p.page
        page.goto(address)
        frame = page.frame_locator("iframe[data-spi-embed]")
        frame.locator(".chart-twin > svg").first.wait_for(state="attached", timeout=30000)   # the chart, drawn on the server
        embedded = next(f for f in page.frames if "/embed/" in f.url)
        deadline = time.monotonic() + 15   # the iframe follows the embedded page's height (it may still be laid out)
        # (the embedded page lays itself out again a frame after its iframe is resized: until then
        # its scrollHeight is the old 560 px window's)
        while True:
            height = page.evaluate("document.querySelector('iframe').getBoundingClientRect().height")
            content = embedded.evaluate("Math.ceil(document.querySelector('.embed').getBoundingClientRect().height)")
            scrolled = embedded.evaluate("document.documentElement.scrollHeight")
            if abs(height - content) <= 1 and height != 560 and scrolled <= height + 1 or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        assert abs(height - content) <= 1 and height != 560, (height, content)
        assert scrolled <= height + 1, (scrolled, height)   # nothing cut off
        assert embedded.locator("text=المصدر").count() >= 1   # the source line is inside, not cut off
