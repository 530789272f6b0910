"""The chart image a shared link shows (spi/images.py): the explorer's and an embed's link-preview
tags name /image/<indicator>.png?<the view>, and that address answers the chart as a 1200 x 630
PNG with its credit drawn, through gunicorn as `spi serve` runs it (one worker: each process
keeps its own images, and the second request must find the first one's). Rendering takes
Chromium seconds, so the views are few: a chart over time and one by a breakdown, in both
languages. The embargo's side (the public's image is of the live release, a reviewer's private
and marked) is in tests/test_embargo_served.py, whose ROUTES include an image.
"""
from __future__ import annotations

import html
import json
import io
import re
import struct
import time

import numpy as np
import pytest
from PIL import Image

from tests.servers import gunicorn

PAGES = ["/explorer?indicator=om_spf_beneficiaries&view=breakdown&breakdown=beneficiary_category",
         "/embed/om_nursery_children"]
PUBLIC = "https://stats.example.org"
META = re.compile(r'<meta (?:property|name)="([^"]+)" content="([^"]*)">')


@pytest.fixture(scope="module")
def site(built, tmp_path_factory):
    with gunicorn(built / "indicators.duckdb", tmp_path_factory.mktemp("og") / "gunicorn.log",
                  {"SPI_PUBLIC_URL": PUBLIC}, workers=1) as running:
        yield running


def _tags(page: str) -> dict[str, str]:
    head = page.split("</head>", 1)[0]
    return {key: html.unescape(value) for key, value in META.findall(head)}


def _png_size(body: bytes) -> tuple[int, int]:
    assert body[:8] == b"\x89PNG\r\n\x1a\n" and body[12:16] == b"IHDR"
    return struct.unpack(">II", body[16:24])


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_the_pages_name_their_chart_and_its_address_answers_it_drawn_once(site, lang):
    for page in PAGES:
        answer = site.get(f"{page}{'&' if '?' in page else '?'}lang={lang}")
        assert answer.status == 200, page
        tags = _tags(answer.text)
        assert tags["twitter:card"] == "summary_large_image", page
        assert (tags["og:image:width"], tags["og:image:height"]) == ("1200", "630"), page
        title = re.search(r'<h1[^>]*class="visually-hidden"[^>]*>([^<]+)</h1>', answer.text) if "/embed/" in page else None
        if title:   # the embed's chart title, which its image draws
            assert tags["og:image:alt"] == html.unescape(title[1]), page
        assert tags["og:image:alt"] and (re.search("[\u0600-\u06ff]", tags["og:image:alt"]) is not None) == (lang == "ar")
        image = tags["og:image"]
        assert image.startswith(f"{PUBLIC}/image/") and f"lang={lang}" in image, image   # absolute, from the public address
        path = image[len(PUBLIC):]
        if "breakdown" in page:
            assert "view=breakdown" in path and "breakdown=beneficiary_category" in path
        first = site.get(path)
        assert first.status == 200 and first.headers["Content-Type"] == "image/png", (path, first.body[:300])
        assert _png_size(first.body) == (1200, 630)
        assert first.headers["Cache-Control"].startswith("public, max-age=")
        started = time.perf_counter()
        again = site.get(path)
        assert time.perf_counter() - started < 1.0, "the second request is answered from the kept copy"
        assert again.status == 200 and again.body == first.body and again.headers["ETag"] == first.headers["ETag"]
        held = site.get(path, headers={"If-None-Match": first.headers["ETag"]})
        assert held.status == 304 and not held.body
        _is_drawn(first.body)


def _is_drawn(png: bytes) -> None:
    """Not blank: a white card with the palette's colours and text, and ink at its foot, where
    the source and the credit line are."""
    with Image.open(io.BytesIO(png)) as im:
        img = np.asarray(im.convert("RGB")).astype(int)
    assert (np.abs(img - 255).max(axis=2) <= 2).mean() > 0.6, "a white background"
    assert (np.abs(img - (0x00, 0x72, 0xB2)).max(axis=2) <= 12).sum() > 200, "the palette's first colour"
    foot = img[int(img.shape[0] * 0.85):]
    assert (foot.sum(axis=2) < 450).sum() > 500, "the source and the credit under the chart"


def test_the_image_carries_its_credit_and_licence(served):
    """Before it is rendered: the figure's foot names the licence, the site and the view's
    address under the public address; exported at 1200 x 630 (a tall chart scaled to it)."""
    from spi.images import og_figure
    from store.catalogue import meta
    from store.view import parse_view
    m = meta()
    for params, lang in (({"indicator": "om_nursery_children"}, "en"),
                         ({"indicator": "om_associations", "view": "breakdown"}, "ar")):
        view = parse_view(params, m, lang)
        _, fig, scale = og_figure(view, PUBLIC)
        foot = fig.layout.annotations[0].text
        assert m.licence["id"] in foot and PUBLIC + "/explorer?" in foot
        assert ("إحصاءات الحماية الاجتماعية" if lang == "ar" else "Social protection statistics") in foot
        assert (round(fig.layout.width * scale), round(fig.layout.height * scale)) == (1200, 630)
        assert fig.layout.width * 630 == fig.layout.height * 1200


BAD = {"/image/no_such_indicator.png": 404, "/image/No-Such.png": 404,
       "/image/om_nursery_children.png?view=nonsense": 400, "/image/om_nursery_children.png?geo=ZZ": 400,
       "/image/om_nursery_children.png?from=soon": 400, "/image/om_nursery_children.png?lang=fr": 400,
       "/image/om_nursery_children.png?tab=table": 400, "/image/om_nursery_children.png?lang=en&lang=ar": 400}


def test_a_bad_address_is_a_4xx_that_says_why(site):
    for url, status in BAD.items():
        answer = site.get(url)
        assert answer.status == status, (url, answer.status, answer.body[:300])
        assert answer.headers["Content-Type"].startswith("application/json") and "message" in answer.text, url
        assert answer.headers["Cache-Control"] == "no-store", url
    assert site.get("/image/om_nursery_children.png", method="POST").status == 405
    assert "Traceback" not in site.log_text(), site.log_text()[-3000:]


def test_the_openapi_document_describes_the_address_as_served(site):
    from store.embed import IMAGE_PARAMS
    doc = json.loads(site.get("/api/v1/openapi.json").body)
    operation = doc["paths"]["/image/{indicator}.png"]["get"]
    shared = doc["components"]["parameters"]
    names = {(shared[p["$ref"].rsplit("/", 1)[1]] if "$ref" in p else p)["name"] for p in operation["parameters"]}
    assert names == {"indicator", *IMAGE_PARAMS}
    assert set(operation["responses"]["200"]["content"]) == {"image/png"} and "400" in operation["responses"]


def test_a_request_waits_for_its_turn_to_draw_a_few_seconds_only(served, monkeypatch):
    """While another image is being drawn (the lock held) past WAIT, the answer is a 503 that
    says when to ask again, never kept; nothing was drawn for it."""
    from spi import images
    from spi.app import server
    monkeypatch.setattr(images, "WAIT", 0.2)
    monkeypatch.setattr(images, "_kept", type(images._kept)())   # none kept: this one must be drawn
    monkeypatch.setattr(images, "draw_png", lambda *_: pytest.fail("drawn without its turn"))
    with images._drawing:
        answer = server.test_client().get("/image/om_nursery_children.png?lang=en")
    assert answer.status_code == 503 and answer.headers["Retry-After"] == images.RETRY_AFTER
    assert answer.headers["Cache-Control"] == "no-store" and answer.get_json()["error"]["code"] == "busy"
