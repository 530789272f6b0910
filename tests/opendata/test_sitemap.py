"""What a search engine reads, through gunicorn (`release_site`: two public releases, a third
under embargo by the server's clock): /sitemap.xml parsed with xml.etree, every address in it
fetched (200, a page in the language it says), each page's language versions reciprocal; the
sitemap's pages against the dashboard's own page registry; /robots.txt read with
urllib.robotparser (the sitemap line, the pages allowed, the sign-in not); the embargoed
release in neither, nor in any lastmod."""
from __future__ import annotations

import json
import re
import urllib.robotparser
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from urllib.parse import parse_qs, urlsplit

import pytest

from store.releases import now

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
VALUE = "jo_psychosocial_team"


@pytest.fixture(scope="module")
def sitemap(release_site) -> dict[str, dict]:
    """loc -> {"lastmod": …, "alternates": {hreflang: href}} of the served sitemap."""
    server, _ = release_site
    answer = server.get("/sitemap.xml")
    assert answer.status == 200
    assert answer.headers["Content-Type"] == "application/xml; charset=utf-8"
    root = ET.fromstring(answer.body)
    out = {}
    for url in root.findall("s:url", NS):
        loc = url.find("s:loc", NS).text
        assert loc not in out, loc
        out[loc] = {"lastmod": url.find("s:lastmod", NS).text,
                    "alternates": {x.get("hreflang"): x.get("href") for x in url.findall("x:link", NS)
                                   if x.get("rel") == "alternate"}}
    return out


def _when(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_every_address_in_the_sitemap_answers_200_as_a_page_in_its_language(release_site, sitemap):
    server, _ = release_site
    assert all(loc.startswith(server.base + "/") for loc in sitemap)

    def fetch(loc: str):
        answer = server.get(loc[len(server.base):])
        return loc, answer.status, answer.headers.get("Content-Type", ""), answer.text[:400]

    with ThreadPoolExecutor(max_workers=2) as pool:   # the server has 2 workers
        for loc, status, kind, head in pool.map(fetch, sitemap):
            assert status == 200, (loc, status)
            assert kind.startswith("text/html"), (loc, kind)
            lang = parse_qs(urlsplit(loc).query)["lang"][0]
            assert f'<html lang="{lang}" dir="{"rtl" if lang == "ar" else "ltr"}">' in head, loc


def test_every_page_has_both_language_versions_and_x_default_reciprocally(sitemap):
    for loc, url in sitemap.items():
        alt = url["alternates"]
        assert set(alt) == {"ar", "en", "x-default"}, loc
        assert alt["x-default"] == alt["ar"]   # an address without lang is the Arabic page
        lang = parse_qs(urlsplit(loc).query)["lang"][0]
        assert alt[lang] == loc
        for code in ("ar", "en"):   # each version is itself listed, naming the same versions
            assert alt[code] in sitemap and sitemap[alt[code]]["alternates"] == alt, (loc, code)
            assert parse_qs(urlsplit(alt[code]).query)["lang"] == [code]


def test_the_sitemap_has_every_page_the_dashboard_registers_and_every_indicator(release_site, sitemap, reading):
    """Against the dashboard's registry (api/ cannot read it: the layers), so that a new page
    is not left out silently; and every indicator of the catalogue, its data page, its embed
    and an explorer address for each view the explorer offers."""
    import dash
    import dashboard.app  # noqa: F401 - registers the pages
    from api.discovery import PAGES
    server, _ = release_site
    registered = {p.get("path_template") or p["path"] for p in dash.page_registry.values()
                  if p["module"].split(".")[-1] != "not_found_404"}
    assert registered == set(PAGES)
    paths = {urlsplit(loc).path for loc in sitemap}
    indicators = [i["id"] for i in json.loads(server.get("/api/v1/indicators").body)["data"]]
    assert len(indicators) > 40
    for ind in indicators:
        assert {f"/indicator/{ind}", f"/embed/{ind}"} <= paths, ind
        assert any(parse_qs(urlsplit(loc).query).get("indicator") == [ind] and urlsplit(loc).path == "/explorer"
                   for loc in sitemap), ind
    listed = {(q["indicator"][0], q.get("view", ["time"])[0], q.get("breakdown", [None])[0])
              for q in (parse_qs(urlsplit(loc).query) for loc in sitemap if "/explorer?" in loc)}
    with reading(release_site[1].copy.served):   # the views the explorer offers, as the store says
        from store.catalogue import meta
        from store.view import views_for
        m = meta()
        offered = {(i, kind, b) for i in m.indicators for kind in views_for(m, i)
                   for b in (m.indicators[i]["breakdowns"] if kind == "breakdown" else [None])}
    assert listed == offered and {"time", "breakdown", "per_case"} <= {kind for _, kind, _ in listed}
    countries = {parse_qs(urlsplit(loc).query).get("country", [""])[0] for loc in sitemap if "/governorates?" in loc}
    assert countries == {"OM", "JO", "LB"}
    assert {"/", "/data", "/about", "/releases", "/framework", "/governorates"} <= paths


def test_no_trace_of_the_embargoed_release_and_lastmod_from_the_public_releases(release_site, sitemap):
    server, history = release_site
    body = server.get("/sitemap.xml").body
    assert history.ids[2].encode() not in body
    public = {r["release_id"]: _when(r["public_at"]) for r in json.loads(server.get("/api/v1/releases").body)["data"]}
    assert set(public) == set(history.ids[:2])
    for loc, url in sitemap.items():
        assert _when(url["lastmod"]) in public.values(), (loc, url["lastmod"])   # never the embargoed time
    first, second = (public[i] for i in history.ids[:2])
    # the indicator the second release revised changed then; one it left alone, at the first
    assert _when(sitemap[f"{server.base}/indicator/{VALUE}?lang=ar"]["lastmod"]) == second
    assert _when(sitemap[f"{server.base}/indicator/jo_child_safe_spaces?lang=en"]["lastmod"]) == first
    assert _when(sitemap[f"{server.base}/releases?release={history.ids[0]}&lang=en"]["lastmod"]) == first
    assert _when(sitemap[f"{server.base}/?lang=ar"]["lastmod"]) == second   # the live release
    assert max(_when(u["lastmod"]) for u in sitemap.values()) <= now()


def test_robots_txt_allows_the_pages_points_to_the_sitemap_and_keeps_crawlers_out_of_the_sign_in(release_site,
                                                                                               sitemap):
    server, _ = release_site
    answer = server.get("/robots.txt")
    assert answer.status == 200 and answer.headers["Content-Type"] == "text/plain; charset=utf-8"
    text = answer.text
    for line in text.splitlines():   # every Disallow says why, on the comment line above it
        if line.startswith("Disallow:"):
            above = text.splitlines()[text.splitlines().index(line) - 1]
            assert above.startswith(("#", "Disallow:")), line
    robots = urllib.robotparser.RobotFileParser()
    robots.parse(text.splitlines())
    assert robots.site_maps() == [f"{server.base}/sitemap.xml"]
    for loc in sitemap:
        assert robots.can_fetch("Googlebot", loc), loc
    for allowed in ("/releases.atom", f"/data/{VALUE}.csv", "/data/all.csv", "/api/v1/indicators",
                    "/_dash-component-suites/dash/dash-renderer/build/dash_renderer.min.js", "/assets/style.css"):
        assert robots.can_fetch("*", server.base + allowed), allowed
    for refused in ("/signin", "/signin?lang=en", "/signout", "/_dash-layout", "/_dash-update-component",
                    "/api/v1/observations?indicator=x&offset=10000"):
        assert not robots.can_fetch("*", server.base + refused), refused


@pytest.mark.parametrize("path", ["/sitemap.xml?lang=en", "/robots.txt?x=1", "/sitemap.xml?as_of=2025-01-01&page=2"])
def test_a_parameter_they_do_not_take_is_a_400(release_site, path):
    server, _ = release_site
    answer = server.get(path)
    assert answer.status == 400, (path, answer.status)
    assert json.loads(answer.body)["error"]["code"] == "unknown_parameter"


def test_without_a_public_name_the_sitemap_line_follows_the_host_asked(release_site):
    """Without SPI_PUBLIC_URL the addresses follow the Host the request came to (a local run):
    a forged Host changes only that client's answer, and the cache keys on it (nginx)."""
    server, _ = release_site
    answer = server.get("/robots.txt", headers={"Host": "example.org"})
    assert re.search(r"^Sitemap: http://example\.org/sitemap\.xml$", answer.text, re.M)
