"""The Atom feeds as a feed reader gets them: through gunicorn (`release_site`: the session's
history of three releases of jo_psychosocial_team, 44, 45 and 46, the third under embargo by
the server's clock), parsed with feedparser (an independent reader), each entry checked
against /api/v1/releases and the figures against the API as each release published them.
The embargoed release is in no public feed; a signed-in reviewer's feed has it, private."""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from datetime import datetime, timezone

import feedparser
import pytest

from tests.conftest import REVIEWER, REVIEWER_PASSWORD

VALUE = "jo_psychosocial_team"
ATOM = "{http://www.w3.org/2005/Atom}"


def _feed(server, path: str):
    """The feed at `path` through the server, parsed; the answer too."""
    answer = server.get(path)
    assert answer.status == 200, (path, answer.status, answer.body[:200])
    assert answer.headers["Content-Type"] == "application/atom+xml; charset=utf-8", path
    parsed = feedparser.parse(answer.body)
    assert not parsed.bozo, (path, parsed.get("bozo_exception"))
    return parsed, answer


def _api(server, path: str) -> dict:
    answer = server.get(path)
    assert answer.status == 200, path
    return json.loads(answer.body)


def _when(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _links(item, rel: str) -> dict[str | None, str]:
    """hreflang -> href of an entry's or a feed's links of one rel, text/html or Atom."""
    return {link.get("hreflang"): link["href"] for link in item.get("links", []) if link["rel"] == rel}


@pytest.mark.parametrize("lang", ["ar", "en", None])
def test_the_releases_feed_has_one_entry_per_public_release_as_the_api_gives_it(release_site, lang):
    server, history = release_site
    query = f"?lang={lang}" if lang else ""
    feed, _ = _feed(server, f"/releases.atom{query}")
    lang = lang or "ar"   # Arabic by default
    other = "en" if lang == "ar" else "ar"
    api = _api(server, "/api/v1/releases")["data"]          # newest first, the public's
    assert [r["release_id"] for r in api] == list(reversed(history.ids[:2]))
    assert feed.feed.language == lang
    assert _links(feed.feed, "self") == {lang: f"{server.base}/releases.atom?lang={lang}"}
    alternates = [(x["type"], x.get("hreflang"), x["href"]) for x in feed.feed.links if x["rel"] == "alternate"]
    assert ("application/atom+xml", other, f"{server.base}/releases.atom?lang={other}") in alternates
    assert ("text/html", lang, f"{server.base}/releases?lang={lang}") in alternates
    assert ("text/html", other, f"{server.base}/releases?lang={other}") in alternates
    assert feed.feed.author and "creativecommons.org/licenses/by/4.0" in feed.feed.rights
    assert _when(feed.feed.updated) == _when(api[0]["public_at"])
    assert len(feed.entries) == len(api)
    for entry, release in zip(feed.entries, api):
        rid = release["release_id"]
        assert entry.id.startswith("tag:127.0.0.1,") and entry.id.endswith(f":releases/{rid}/{lang}")
        assert _when(entry.updated) == _when(entry.published) == _when(release["public_at"])
        assert rid in entry.title
        pages = _links(entry, "alternate")
        assert pages == {code: f"{server.base}/releases?release={rid}&lang={code}" for code in (lang, other)}
        note = release["note"][lang] or release["note"]["en"]   # the second has its English note only
        assert note in entry.content[0].value
        if release["note"][lang] is None:
            assert f'<p dir="ltr" lang="en">{note}</p>' in entry.content[0].value   # as feedparser writes it
        for kind, n in release["changes"].items():   # the counts of /api/v1/releases, in words
            said = {"ar": {"added": f"أُضيف {n}", "revised": f"عُدِّل {n}"}, "en": {"added": f"{n} added",
                                                                                   "revised": f"{n} revised"}}
            if n and kind in said[lang]:
                assert said[lang][kind] in entry.summary, (rid, kind, entry.summary)


def test_an_indicator_feed_gives_each_release_that_changed_it_with_its_figure_as_published_then(release_site):
    """jo_psychosocial_team: added at 44 by the first release, revised to 45 by the second; each
    entry's figure is the API's as_of that release, not the live one."""
    server, history = release_site
    feed, _ = _feed(server, f"/data/{VALUE}.atom?lang=en")
    assert [e.id.rsplit("/", 2)[-2] for e in feed.entries] == list(reversed(history.ids[:2]))
    api = {r["release_id"]: r for r in _api(server, "/api/v1/releases")["data"]}
    for entry, expected, change in zip(feed.entries, ("45", "44"), ("1 revised", "1 added")):
        rid = entry.id.rsplit("/", 2)[-2]
        row = _api(server, f"/api/v1/observations?indicator={VALUE}&geo=JO&as_of={rid}")["data"][0]
        assert str(int(row["value"])) == expected
        assert f": {expected} " in entry.title and f"release {rid}" in entry.title, entry.title
        assert change in entry.summary
        assert _when(entry.updated) == _when(api[rid]["public_at"])
        assert _links(entry, "alternate") == {code: f"{server.base}/indicator/{VALUE}?as_of={rid}&lang={code}"
                                              for code in ("en", "ar")}
        assert "Source:" in entry.content[0].value
    arabic, _ = _feed(server, f"/data/{VALUE}.atom")
    assert arabic.feed.language == "ar" and len(arabic.entries) == 2
    assert "٤٥" in arabic.entries[0].title or "45" in arabic.entries[0].title


def test_the_feeds_are_atom_as_written_ids_dates_and_languages(release_site):
    """Read without feedparser's leniency: every id a tag: URI, every date RFC 3339 in UTC, one
    alternate per type and language (RFC 4287 4.1.1), xml:lang on the feed."""
    server, _ = release_site
    for path in ("/releases.atom", "/releases.atom?lang=en", f"/data/{VALUE}.atom", f"/data/{VALUE}.atom?lang=en"):
        root = ET.fromstring(server.get(path).body)
        assert root.tag == f"{ATOM}feed"
        assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == ("en" if "lang=en" in path else "ar")
        own = server.base + (path if "lang=" in path else f"{path}?lang=ar")
        assert root.find(f"{ATOM}id").text == own   # a feed's id is its own address
        for item in root.findall(f"{ATOM}entry"):
            assert re.fullmatch(r"tag:127\.0\.0\.1,\d{4}-\d\d-\d\d:(releases|data)/[^ ]+/(ar|en)",
                                item.find(f"{ATOM}id").text)
        for item in [root, *root.findall(f"{ATOM}entry")]:
            stamp = item.find(f"{ATOM}updated").text
            assert stamp.endswith("Z") and datetime.fromisoformat(stamp.replace("Z", "+00:00")).tzinfo == timezone.utc
            kinds = [(x.get("type"), x.get("hreflang")) for x in item.findall(f"{ATOM}link") if x.get("rel") == "alternate"]
            assert len(kinds) == len(set(kinds)), (path, kinds)
            assert all(x.get("href").startswith(server.base) for x in item.findall(f"{ATOM}link")
                       if x.get("rel") != "license")


def test_no_public_feed_names_the_embargoed_release_and_a_reviewers_does_privately(release_site):
    server, history = release_site
    embargoed = history.ids[2]
    for path in ("/releases.atom", "/releases.atom?lang=en", f"/data/{VALUE}.atom", f"/data/{VALUE}.atom?lang=en"):
        feed, answer = _feed(server, path)
        assert embargoed.encode() not in answer.body, path
        assert not any(": 46 " in e.title for e in feed.entries), path
        assert all(_when(e.updated) < datetime(2030, 1, 1, tzinfo=timezone.utc) for e in feed.entries)
        assert answer.headers["Cache-Control"].startswith("public"), path
    client = server.client("127.0.0.33")
    assert client.sign_in(REVIEWER, REVIEWER_PASSWORD).status == 303
    answer = client.get(f"/data/{VALUE}.atom?lang=en")
    feed = feedparser.parse(answer.body)
    assert answer.headers["Cache-Control"] == "private, no-store"
    assert feed.entries[0].id.rsplit("/", 2)[-2] == embargoed and ": 46 " in feed.entries[0].title
    assert client.sign_out().status == 303


@pytest.mark.parametrize("path, status, code", [
    ("/releases.atom?lang=fr", 400, "invalid_parameter"),
    ("/releases.atom?format=rss", 400, "unknown_parameter"),
    ("/releases.atom?lang=en&lang=ar", 400, "repeated_parameter"),
    (f"/data/{VALUE}.atom?from=2020", 400, "unknown_parameter"),
    ("/data/no_such_indicator.atom", 404, "unknown_indicator"),
    ("/data/%D8%A3.atom", 404, "unknown_indicator"),
    (f"/data/{VALUE}.atom?as_of=not-a-day", 400, "invalid_as_of"),
    ("/releases.atom?as_of=not-a-day", 400, None),   # the site's own 400 page, as for /releases.ics
])
def test_a_bad_feed_address_is_a_4xx_that_says_why(release_site, path, status, code):
    server, _ = release_site
    answer = server.get(path)
    assert answer.status == status, (path, answer.body[:200])
    if code:
        assert json.loads(answer.body)["error"]["code"] == code
    assert all(v.isascii() for v in answer.headers.values())


def test_a_feed_reader_holding_the_feed_gets_a_304(release_site):
    server, _ = release_site
    first = server.get("/releases.atom?lang=en")
    again = server.get("/releases.atom?lang=en", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status == 304 and again.body == b""
    other = server.get("/releases.atom?lang=ar", headers={"If-None-Match": first.headers["ETag"]})
    assert other.status == 200   # each language its own validator


def test_the_feeds_sitemap_and_robots_are_operations_of_the_openapi_document(release_site, parameters_of):
    """Documented as served: each address, the parameters its route takes and its media type."""
    server, _ = release_site
    doc = json.loads(server.get("/api/v1/openapi.json").body)
    expected = {"/releases.atom": ({"lang"}, "application/atom+xml"),
                "/data/{indicator}.atom": ({"indicator", "lang"}, "application/atom+xml"),
                "/sitemap.xml": (set(), "application/xml"), "/robots.txt": (set(), "text/plain")}
    for path, (parameters, kind) in expected.items():
        assert set(parameters_of(doc, path)) == parameters, path
        assert set(doc["paths"][path]["get"]["responses"]["200"]["content"]) == {kind}, path
        served = server.get(path.replace("{indicator}", VALUE))
        assert served.headers["Content-Type"].split(";")[0] == kind, path


def test_a_site_of_one_build_has_feeds_without_entries_and_a_sitemap_dated_by_its_build(client, q):
    """No releases served (the open-data app on one build): the feeds are valid and empty,
    dated by the build; the sitemap lists no release page and every lastmod is the build's."""
    built = q("SELECT built_at FROM build_info")["built_at"][0].to_pydatetime()
    for path in ("/releases.atom", f"/data/{VALUE}.atom?lang=en"):
        answer = client.get(path)
        feed = feedparser.parse(answer.data)
        assert answer.status_code == 200 and not feed.bozo and feed.entries == [], path
        assert _when(feed.feed.updated) == built.replace(microsecond=0, tzinfo=timezone.utc), path
    root = ET.fromstring(client.get("/sitemap.xml").data)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [u.find("s:loc", ns).text for u in root.findall("s:url", ns)]
    assert locs and not any("release=" in loc for loc in locs)
    assert {_when(u.find("s:lastmod", ns).text) for u in root.findall("s:url", ns)} == {
        built.replace(microsecond=0, tzinfo=timezone.utc)}


def test_pages_name_their_feeds_for_feed_readers_to_find(release_site):
    """Autodiscovery: every page links the releases feed in its language in its <head>; an
    indicator's data page and explorer also its own feed; the Releases page shows the link.
    Each address so named answers a feed."""
    server, _ = release_site
    found = {}
    for page in ("/releases?lang=en", f"/indicator/{VALUE}?lang=en", f"/explorer?indicator={VALUE}",
                 "/explorer?indicator=no_such_indicator", "/about?lang=en"):
        head = server.get(page).text.split("</head>")[0]
        found[page] = re.findall(r'<link rel="alternate" type="application/atom\+xml" href="([^"]+)"', head)
    releases_en, releases_ar = "/releases.atom?lang=en", "/releases.atom?lang=ar"
    assert found == {"/releases?lang=en": [releases_en],
                     f"/indicator/{VALUE}?lang=en": [releases_en, f"/data/{VALUE}.atom?lang=en"],
                     f"/explorer?indicator={VALUE}": [releases_ar, f"/data/{VALUE}.atom?lang=ar"],
                     "/explorer?indicator=no_such_indicator": [releases_ar], "/about?lang=en": [releases_en]}
    for href in {h for hrefs in found.values() for h in hrefs}:
        _feed(server, href)
    assert f'<a id="releases-atom" href="{releases_en}">' in server.get("/releases?lang=en").text


@pytest.mark.parametrize("clock, cut", [("2030-01-01T04:59:30+00:00", True), ("2030-01-01T05:00:30+00:00", False)])
def test_the_embargoed_release_enters_the_feeds_at_its_time_and_not_a_cached_second_later(release_history,
                                                                                      tmp_path, clock, cut):
    """The same history served by gunicorn with its clock 30 s before the third release goes
    live (09:00 Asia/Muscat), then 30 s after: before, no entry and a lifetime cut to the
    seconds left, so no cache keeps the old feed past the release; after, its entry is first,
    with its figure, with no restart."""
    from tests.servers import gunicorn
    third = release_history.ids[2]
    with gunicorn(release_history.copy.served, tmp_path / "gunicorn.log", {**release_history.env, "SPI_NOW": clock},
                  workers=1) as server:
        releases_feed, answer = _feed(server, "/releases.atom?lang=en")
        indicator_feed, _ = _feed(server, f"/data/{VALUE}.atom?lang=en")
        sitemap = server.get("/sitemap.xml").body
    ids = [e.id.rsplit("/", 2)[-2] for e in releases_feed.entries]
    if cut:
        assert third not in ids and third.encode() not in sitemap
        assert answer.headers["Cache-Control"].startswith("public, max-age=30,"), answer.headers["Cache-Control"]
    else:
        assert ids[0] == third and third.encode() in sitemap
        assert indicator_feed.entries[0].id.rsplit("/", 2)[-2] == third
        assert ": 46 " in indicator_feed.entries[0].title
        assert answer.headers["Cache-Control"].startswith("public, max-age=60,")
