"""The results framework and the targets (store/framework.py), on the shipped data built into a
temp dir: the tree as the catalogue gives it, every linked indicator with its latest published
national figure (missing stays missing), the targets with their status; the Framework page and
/api/v1/frameworks (JSON and CSV) hold the same numbers; bad requests are 4xx; and the
Governorates page of a country with no governorate figures points here instead of a blank map."""
from __future__ import annotations

import csv
import html
import io
import re

import pytest

EXPECTED_LEVELS = ["pillar", "outcome", "direction", "initiative"]


@pytest.fixture(scope="module")
def m(served):
    from store.catalogue import meta
    return meta()


@pytest.fixture(scope="module")
def lebanon(m):
    from store.framework import plan
    return plan(m, "LB")


@pytest.fixture(scope="module")
def client(served):
    from spi.app import server
    c = server.test_client()
    c.get("/")  # Dash registers its page router on the first request
    return c


def _text(client, url: str) -> str:
    """The server-rendered page as text (tags out, entities decoded)."""
    r = client.get(url)
    assert r.status_code == 200, url
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", r.get_data(as_text=True))))


def _csv_rows(client, url: str) -> list[dict]:
    r = client.get(url)
    assert r.status_code == 200 and r.mimetype == "text/csv", url
    return list(csv.DictReader(io.StringIO(r.get_data(as_text=True))))


def _latest_national(db, indicator_id: str, country: str, dims) -> tuple | None:
    """The newest published total of an indicator in its country, read straight from the database."""
    no_breakdown = " AND ".join(f'"{d}" IS NULL' for d in dims)
    return db.execute(f"SELECT value, period, qualifier FROM latest_observations WHERE indicator_id = ? "
                      f"AND geo_code = ? AND {no_breakdown}", [indicator_id, country]).fetchone()


# ---------------------------------------------------------------- the tree

def test_the_tree_has_every_item_parent_before_child_in_sort_order(lebanon, db):
    from store.framework import walk
    rows = db.execute("SELECT item_id, parent_id, level, code, sort_order FROM frameworks "
                      "WHERE framework_id = 'lb_nsps_welfare' ORDER BY sort_order").fetchall()
    assert [fw.framework_id for fw in lebanon.frameworks] == ["lb_nsps_welfare"]
    walked = list(walk(lebanon.frameworks[0].items))
    assert sorted(i.item_id for _, i in walked) == sorted(r[0] for r in rows)
    seen, sort_order = set(), {r[0]: r[4] for r in rows}
    for depth, item in walked:
        assert item.parent_id is None if depth == 0 else item.parent_id in seen   # parent first
        seen.add(item.item_id)
        assert [sort_order[c.item_id] for c in item.children] == sorted(sort_order[c.item_id] for c in item.children)
        assert all(c.parent_id == item.item_id for c in item.children)
    # the levels as the catalogue nests them: pillar, its outcomes and directions, their initiatives
    depth_of = {item.level: depth for depth, item in walked}
    assert sorted(depth_of, key=EXPECTED_LEVELS.index) == EXPECTED_LEVELS
    assert depth_of == {"pillar": 0, "outcome": 1, "direction": 1, "initiative": 2}
    assert walked[0][1].code == "S3" and walked[1][1].code == "S3 O1"


def test_every_linked_indicator_is_under_its_item(lebanon, db):
    from store.framework import walk
    links = set(db.execute("SELECT item_id, indicator_id FROM indicator_frameworks").fetchall())
    found = {(item.item_id, x.indicator_id) for _, item in walk(lebanon.frameworks[0].items) for x in item.indicators}
    assert found == links and len(found) >= 10


def test_the_latest_figure_is_the_published_one_and_missing_stays_missing(lebanon, db, m):
    from store.framework import walk
    checked = missing = 0
    for _, item in walk(lebanon.frameworks[0].items):
        for x in item.indicators:
            expected = _latest_national(db, x.indicator_id, x.country, m.dimension_columns)
            if expected is None:
                assert x.latest is None, x.indicator_id
                missing += 1
            else:
                assert (x.latest.value, x.latest.period, x.latest.qualifier) == expected, x.indicator_id
                checked += 1
    assert checked >= 10 and missing >= 1
    spf = next(x for _, i in walk(lebanon.frameworks[0].items) for x in i.indicators
               if x.indicator_id == "om_spf_beneficiaries")
    assert spf.latest is None   # published for a governorate only: not a national figure, and not filled in


def test_targets_of_a_country_without_a_framework(m, db):
    from store.framework import plan
    oman = plan(m, "OM")
    assert oman.frameworks == ()
    published = db.execute("SELECT indicator_id, period, value, source_id FROM targets "
                           "WHERE geo_code = 'OM'").fetchall()
    assert sorted((t.indicator_id, t.period, t.value, t.source_id) for t in oman.targets) == sorted(published)
    hired = next(t for t in oman.targets if t.indicator_id == "om_dis_specialists_hired")
    assert hired.compared is None and hired.status == "pending"           # no 2024 figure yet
    assert (hired.latest.value, hired.latest.period) == (124.0, "2023")   # the latest, shown beside it
    assert plan(m, "JO").targets == () and plan(m, "JO").frameworks == ()


@pytest.mark.parametrize("higher, target, figure, status", [
    (True, 100, None, "pending"), (True, 100, 100, "on_track"), (True, 100, 99, "off_track"),
    (False, 10, 9, "on_track"), (False, 10, 11, "off_track"), (None, 4, 5, "on_track"),
])
def test_target_status(higher, target, figure, status):
    from store.framework import target_status
    assert target_status(higher, target, figure) == status


# ---------------------------------------------------------------- the API and the page: the same numbers

def _json_items(items, depth=0):
    for item in items:
        yield depth, item
        yield from _json_items(item["items"], depth + 1)


def test_the_api_json_and_csv_hold_the_plan(client, lebanon):
    from store.framework import walk
    body = client.get("/api/v1/frameworks?country=LB").get_json()
    assert body["count"] == 1 and body["data"][0]["country"] == "LB"
    fw = body["data"][0]["frameworks"][0]
    got = [(d, i["id"], i["level"], i["code"], [(x["indicator_id"], x["latest"] and x["latest"]["value"])
                                                for x in i["indicators"]]) for d, i in _json_items(fw["items"])]
    want = [(d, i.item_id, i.level, i.code, [(x.indicator_id, x.latest and x.latest.value) for x in i.indicators])
            for d, i in walk(lebanon.frameworks[0].items)]
    assert got == want
    rows = _csv_rows(client, "/api/v1/frameworks?country=LB&format=csv")
    from_csv = [(r["item_id"], r["indicator_id"], r["latest_value"]) for r in rows if r["indicator_id"]]
    from_json = [(i["id"], x["indicator_id"], "" if x["latest"] is None else str(x["latest"]["value"]))
                 for _, i in _json_items(fw["items"]) for x in i["indicators"]]
    assert from_csv == from_json
    assert {r["section"] for r in rows} == {"framework"}
    assert "ركيزة الرعاية الاجتماعية" in {r["label_ar"] for r in rows}


def test_the_api_gives_targets_with_their_status_in_json_and_csv(client):
    data = client.get("/api/v1/frameworks").get_json()["data"]
    assert [d["country"] for d in data] == ["OM", "JO", "LB"]
    targets = data[0]["targets"]
    rows = [r for r in _csv_rows(client, "/api/v1/frameworks?format=csv") if r["section"] == "target"]
    assert [(r["indicator_id"], r["target_value"], r["target_status"], r["latest_value"]) for r in rows] == \
        [(t["indicator_id"], str(t["value"]), t["status"], "" if t["latest"] is None else str(t["latest"]["value"]))
         for t in targets]


def test_the_page_shows_the_numbers_of_the_api(client, m):
    from store.formats import fmt_value
    for lang in ("ar", "en"):
        text = _text(client, f"/framework?country=LB&lang={lang}")
        fw = client.get("/api/v1/frameworks?country=LB").get_json()["data"][0]["frameworks"][0]
        for _, item in _json_items(fw["items"]):
            for x in item["indicators"]:
                ind = m.indicators[x["indicator_id"]]
                assert ind[f"name_{lang}"] in text
                if x["latest"]:
                    assert fmt_value(x["latest"]["value"], m.units[x["unit"]], lang, ind["decimals"],
                                     x["latest"]["qualifier"]) in text, x["indicator_id"]
        assert ("No national figure published" if lang == "en" else "لم يُنشر رقم وطني") in text
    oman = _text(client, "/framework?country=OM&lang=en")
    for t in client.get("/api/v1/frameworks?country=OM").get_json()["data"][0]["targets"]:
        assert f"2024: {fmt_value(t['value'], m.units[t['unit']], 'en')}" in oman
    assert "Awaiting 2024 figure" in oman and "124 staff" in oman


@pytest.mark.parametrize("query", ["country=XX", "country=lb", "foo=1", "format=xml", "country=LB&country=OM",
                                   "lang=en"])
def test_a_bad_request_is_a_400_in_json(client, query):
    r = client.get(f"/api/v1/frameworks?{query}")
    assert r.status_code == 400 and r.is_json and r.get_json()["error"]["message"]


def test_the_api_is_in_the_openapi_document(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert "/api/v1/frameworks" in doc["paths"] and "FrameworkItem" in doc["components"]["schemas"]


# ---------------------------------------------------------------- the page

@pytest.mark.parametrize("lang", ["ar", "en"])
def test_the_page_lists_every_item_with_its_code_in_the_language(client, lebanon, lang):
    from store.framework import walk
    from store.texts import t
    r = client.get(f"/framework?country=LB&lang={lang}")
    page = html.unescape(r.get_data(as_text=True))
    text = _text(client, f"/framework?country=LB&lang={lang}")
    assert f'<html lang="{lang}"' in page
    for _, item in walk(lebanon.frameworks[0].items):
        assert item.label[lang] in text and f">{item.code}</code>" in page
        assert t(f"fw_level_{item.level}", lang) in text
    assert lebanon.frameworks[0].name[lang] in text
    assert f'href="/explorer?indicator=jo_child_safe_spaces&amp;lang={lang}"' in r.get_data(as_text=True)
    # nested lists: an initiative's list sits inside its direction's item
    assert re.search(r'<li class="framework-item level-direction">.*?<ul class="framework-items">'
                     r'<li class="framework-item level-initiative">', page, re.S)


def test_a_bad_country_is_explained_and_the_default_shown(client):
    text = _text(client, "/framework?country=zz&lang=en")
    assert "“zz” is not a country this page offers" in text and "Social welfare pillar" in text
    assert "Social welfare pillar" in _text(client, "/framework?country=lb&lang=en")
    assert "No results framework or published targets for Jordan yet." in _text(client, "/framework?country=JO&lang=en")


def test_the_page_is_in_the_navigation(client):
    text = _text(client, "/?lang=en")
    assert "Results framework" in text and 'href="/framework?lang=en"' in client.get("/?lang=en").get_data(as_text=True)


# ---------------------------------------------------------------- governorates

def test_a_country_without_governorate_figures_gets_links_not_a_blank_map(client):
    page = client.get("/governorates?country=LB&lang=en").get_data(as_text=True)
    assert "map-box" not in page and "rank-box" not in page and "<svg" not in page   # neither map nor table
    assert "No governorate-level figures have been published for Lebanon yet." in html.unescape(page)
    assert 'href="/framework?country=LB&amp;lang=en"' in page
    jordan = client.get("/governorates?country=JO&lang=en").get_data(as_text=True)
    assert "map-box" not in jordan and 'href="/explorer?indicator=jo_' in jordan
    assert 'href="/framework?country=JO' not in jordan   # Jordan has no framework or targets to point to
    oman = client.get("/governorates?country=OM&lang=en").get_data(as_text=True)
    assert "map-box" in oman and "rank-box" in oman and "<svg" in oman   # a country with figures: unchanged
