"""Whose figures a framework page shows: under Lebanon's outcomes (its strategy links them by
theme to indicators Oman and Jordan measure) no figure reads as Lebanon's: each stands apart,
under a heading that says they are other countries' figures, and names its country; an item
with none of its own says so. An announced indicator (no figure yet) shows its target, not
"no figures" alone. The server's HTML, in both languages (the browser test draws the same)."""
from __future__ import annotations

import re

import pytest

from store.catalogue import meta
from store.texts import t

LI_TAG = re.compile(r'<li class="gov-indicator( fw-other)?"([^>]*)>(.*?)</li>', re.S)


def _linked(page: str) -> list[tuple[str, str, str, str]]:
    """(' fw-other' or '', indicator, country, body) of every linked indicator on the page."""
    out = []
    for other, attrs, body in LI_TAG.findall(page):
        out.append((other, re.search(r'data-indicator="([a-z0-9_]+)"', attrs).group(1),
                    re.search(r'data-country="([A-Z]{2})"', attrs).group(1), body))
    return out


@pytest.fixture(scope="module")
def client(served):
    from spi.app import server
    return server.test_client()


def _blocks(page: str, cls: str) -> list[str]:
    """The HTML of every <div class="{cls}"> (they hold no nested div)."""
    return re.findall(rf'<div class="{cls}">(.*?)</div>', page, re.S)


def _words(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#x27;", "'")


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_lebanons_outcomes_never_show_another_countrys_figure_as_lebanons(client, lang):
    page = client.get(f"/framework?country=LB&lang={lang}").get_data(as_text=True)
    linked = _linked(page)
    assert linked, "Lebanon's framework links indicators by theme"
    assert all(country in ("OM", "JO") for _, _, country, _ in linked)          # Lebanon publishes none
    assert all(other == " fw-other" for other, _, _, _ in linked)               # every one is another's
    others = "".join(_blocks(page, "fw-other-figures"))
    for _, indicator, country, body in linked:
        assert f'data-indicator="{indicator}"' in others                          # apart, under its heading
        assert t("fw_figure_for", lang, country=meta().geo_name(country, lang)) in _words(body)
    lebanon = t("fw_own_figures", lang, country="لبنان" if lang == "ar" else "Lebanon")
    own = _blocks(page, "fw-own-figures")
    assert own and all(lebanon in _words(b) and "fw-own-none" in b for b in own)
    assert t("fw_others", lang, country="لبنان" if lang == "ar" else "Lebanon") in _words(page)


def test_a_jordanian_figure_is_named_jordans_in_lebanons_page(client):
    page = _words(client.get("/framework?country=LB&lang=en").get_data(as_text=True))
    assert "Safe spaces for children set up Figure for Jordan 12 facilities during 2024" in page


def test_the_api_says_whose_each_linked_figure_is(client):
    from store.framework import plan, walk
    lebanon = plan(meta(), "LB")
    for fw in lebanon.frameworks:
        for _, item in walk(fw.items):
            assert not item.own and all(x.country != "LB" and not x.own for x in item.others)
    body = client.get("/api/v1/frameworks?country=LB").get_json()["data"][0]
    def linked(items):
        for item in items:
            yield from item["indicators"]
            yield from linked(item["items"])
    countries = {x["country"] for fw in body["frameworks"] for x in linked(fw["items"])}
    assert countries == {"OM", "JO"} and body["country"] == "LB"     # each linked indicator names its country


@pytest.mark.parametrize("lang, target, missing", [
    ("en", "2024: 50 persons", "Figures not yet published"),
    ("ar", "2024: 50 شخصًا", "لم تُنشر أرقامه بعد"),
    ("ar", "2024: 4 مرافق", "لم تُنشر أرقامه بعد"),   # four units: the Arabic form of 3 to 10
])
def test_an_announced_indicator_shows_its_target_and_that_its_figures_are_not_out(client, lang, target, missing):
    page = client.get(f"/framework?country=OM&lang={lang}").get_data(as_text=True)
    rows = [_words(r) for r in re.findall(r"<tr>(.*?)</tr>", page, re.S)]
    row = next(r for r in rows if target in r)
    assert row.count(missing) == 2 and t("fw_no_figure", lang) not in row
