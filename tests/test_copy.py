"""Words on the pages as a reader meets them (issue 11's copy defects): a breakdown named
inside a sentence, a notice about a bad address that names no parameter, a footer in the
page's own font whose ids and dates never break across lines."""
from __future__ import annotations

import re

import pytest



@pytest.fixture(scope="module")
def client(served):
    from spi.app import server
    return server.test_client()


def _words(client, url: str) -> str:
    return re.sub(r"<[^>]+>", " ", client.get(url).get_data(as_text=True))


def test_a_breakdown_is_named_as_in_a_sentence(client):
    text = _words(client, "/explorer?indicator=om_spf_beneficiaries&view=breakdown&breakdown=beneficiary_category&lang=en")
    assert "By beneficiary category" in text and "By Beneficiary category" not in text


@pytest.mark.parametrize("url, expected", [
    ("/explorer?indicator=om_nursery_children&view=geo&lang=ar", "«geo» ليس من الخيارات المتاحة هنا (طريقة العرض)"),
    ("/explorer?indicator=om_nursery_children&view=geo&lang=en", "“geo” is not a view this page offers; showing the default."),
    ("/explorer?indicator=om_nursery_children&tab=x&lang=en", "“x” is not a tab this page offers"),
])
def test_a_bad_address_is_explained_without_parameter_names(client, url, expected):
    text = _words(client, url)
    assert expected in text
    assert "«view»" not in text and "“view”" not in text and "“tab”" not in text


def test_the_footer_is_in_the_page_font_and_keeps_ids_and_dates_whole(client):
    from pathlib import Path
    css = (Path(__file__).resolve().parent.parent / "dashboard" / "assets" / "style.css").read_text(encoding="utf-8")
    rule = re.search(r"\.build-info \{([^}]*)\}", css).group(1)
    assert "monospace" not in rule
    assert re.search(r"\.nowrap \{[^}]*white-space: nowrap", css)
    page = client.get("/?lang=ar").get_data(as_text=True)
    footer = re.search(r'<p class="build-info">(.*?)</p>', page, re.S).group(1)
    dates = re.findall(r'<span class="nowrap" dir="ltr">([^<]+)</span>', footer)
    assert dates and all(re.fullmatch(r"[0-9a-f]{16}|\d{4}-\d{2}-\d{2}( \d{2}:\d{2})?", d) for d in dates)


def test_all_figures_of_a_place_from_the_governorates_page_and_the_api(client):
    """A view of a place alone is its totals; the page offers every figure with every
    breakdown, and the API's answer says what it left out and how to get it."""
    import io
    import csv as csvlib
    page = client.get("/governorates?geo=OM-BJ&lang=en").get_data(as_text=True)
    assert "All figures for South Al Batinah" in page
    url = re.search(r'<a [^>]*download="OM-BJ.csv" href="([^"]+)"', page).group(1).replace("&amp;", "&")
    rows = list(csvlib.DictReader(io.StringIO(client.get(url).get_data(as_text=True).lstrip("\\ufeff"))))
    assert len(rows) == 11 and {r["geo_code"] for r in rows} == {"OM-BJ"}
    totals = client.get("/api/v1/observations?geo=OM-BJ")
    body = totals.get_json()
    assert body["total"] == 2 and "add breakdown=all" in body["note"]
    assert client.get(body["links"]["all_breakdowns"]).get_json()["total"] == 11
    csv = client.get("/api/v1/observations?geo=OM-BJ&format=csv")
    assert csv.headers["X-Breakdowns-Left-Out"] == "9" and "breakdown=all" in csv.headers["Link"]
    assert "note" not in client.get("/api/v1/observations?geo=OM-BJ&breakdown=all").get_json()


def test_the_embed_snippet_sizes_its_iframe_from_the_embedded_page(client):
    """The snippet's script sets the height of the one iframe whose window posted it, within
    bounds; the embedded page posts its height (assets/spi.js)."""
    import json
    from pathlib import Path

    from dashboard.blocks import share_block
    from dashboard.wire import to_wire
    from store.catalogue import meta
    from store.embed import MESSAGE, iframe_snippet
    from store.view import parse_view
    view = parse_view({"indicator": "om_nursery_children"}, meta(), "ar")
    from dashboard.cache import view_for
    words = {lang: view_for(parse_view({"indicator": "om_nursery_children"}, meta(), lang))[0] for lang in ("ar", "en")}
    shared = json.dumps(to_wire(share_block(view, meta(), "https://stats.example", words)), ensure_ascii=False)
    assert 'data-spi-embed' in shared and "https://stats.example/embed/om_nursery_children" in shared
    made = iframe_snippet("https://stats.example/embed/x?lang=ar", "a & b", 560)
    assert made.startswith('<iframe src="https://stats.example/embed/x?lang=ar" title="a &amp; b"')
    assert "data-spi-embed" in made and "e.source" in made and f"d.{MESSAGE}" in made and "4000" in made
    js = (Path(__file__).resolve().parent.parent / "dashboard" / "assets" / "spi.js").read_text(encoding="utf-8")
    assert f"postMessage({{{MESSAGE}: h}}" in js
