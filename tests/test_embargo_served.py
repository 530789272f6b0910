"""The embargo and the reviewer's view as the public and a reviewer receive them: through gunicorn
(`release_site`, as `spi serve` runs it) and through nginx in front (`spi serve --proxy`), never
only Flask's test client. The session's history: 44, then 45 (public), then 46 under embargo.

- The public, on every kind of address, gets 200, the live release's figure and nothing of the
  embargoed one (not its id, its figure, nor a notice), through gunicorn and through nginx
  (there twice: the second from its cache).
- A reviewer signed in through each sees the embargoed release on every address, marked
  ("EMBARGOED until …") and private; through nginx never from the cache.
- After sign-out, the same cookie is the public's.
- Every header of every answer is ASCII (gunicorn refuses what is not Latin-1 with a 500; HTTP
  allows only ASCII without an encoding)."""
from __future__ import annotations

import json
import os

import pytest

from tests.conftest import REVIEWER, REVIEWER_PASSWORD
from tests.servers import spi_serve

VALUE = "jo_psychosocial_team"
ROUTES = ["/", "/?lang=en", f"/explorer?indicator={VALUE}", f"/explorer?indicator={VALUE}&tab=table&lang=en",
          "/governorates?country=JO", "/data", "/about?lang=en", "/releases", "/releases?lang=en", f"/embed/{VALUE}",
          f"/data/{VALUE}.csv", f"/data/{VALUE}.json", f"/data/{VALUE}.xlsx", f"/data/{VALUE}.zip", "/data/all.csv",
          "/data/all.parquet", "/data/datapackage.json", "/data/releases.json", "/data/place/JO.csv",
          f"/api/v1/observations?indicator={VALUE}", "/api/v1/releases", f"/api/v1/indicators/{VALUE}",
          "/api/v1/openapi.json", "/releases.ics", "/framework?country=JO",
          "/releases.atom", "/releases.atom?lang=en", f"/data/{VALUE}.atom", f"/data/{VALUE}.atom?lang=en",
          "/sitemap.xml", "/robots.txt",
          f"/sdmx/data/SOCIAL_PROTECTION/{VALUE}......", f"/sdmx/data/SOCIAL_PROTECTION/all?format=sdmx-json",
          f"/api/v1/observations?indicator={VALUE}&format=sdmx-csv", "/sdmx/dataflow/all/all/latest?references=all",
          "/catalog.jsonld", f"/image/{VALUE}.png?lang=en"]


NOTICE = {"en": "EMBARGOED until 2030-01-01 09:00 (Oman Time) — not for publication",
          "ar": "محظور النشر حتى \u20662030-01-01 09:00\u2069 (توقيت عُمان) — ليس للنشر"}   # the time isolated


def _ascii_headers(answer, url: str) -> None:
    for name, value in answer.headers.items():
        assert name.isascii() and value.isascii(), (url, name, value)


def _value(answer) -> float:
    return json.loads(answer.body)["data"][0]["value"]


def _public(get, ids: tuple[str, ...]) -> None:
    third = ids[2]
    for url in ROUTES:
        answer = get(url)
        assert answer.status == 200, (url, answer.status, answer.body[:200])
        _ascii_headers(answer, url)
        assert "X-Embargo" not in answer.headers and b"EMBARGOED" not in answer.body, url
        assert third.encode() not in answer.body, url
        assert answer.headers.get("X-Release", ids[1]) == ids[1], url
    assert _value(get(f"/api/v1/observations?indicator={VALUE}")) == 45


def _reviewer(client, ids: tuple[str, ...]) -> None:
    for url in ROUTES:
        answer = client.get(url)
        assert answer.status == 200, (url, answer.status, answer.body[:200])
        _ascii_headers(answer, url)
        assert answer.headers["Cache-Control"] == "private, no-store", url
        assert answer.headers["X-Embargo"] == f"EMBARGOED until 2030-01-01T09:00+04:00 (Asia/Muscat); not for publication", url
        assert answer.headers.get("X-Release", ids[2]) == ids[2], url
        if "text/html" in answer.headers["Content-Type"]:   # the notice in the page's language
            notice = NOTICE["en" if "lang=en" in url else "ar"]
            assert notice in answer.text, url
    assert _value(client.get(f"/api/v1/observations?indicator={VALUE}")) == 46


def test_the_public_sees_nothing_of_the_embargo_through_gunicorn(release_site):
    server, history = release_site
    _public(server.get, history.ids)


def test_a_reviewer_sees_the_embargoed_release_marked_through_gunicorn_until_they_sign_out(release_site):
    server, history = release_site
    client = server.client("127.0.0.31")
    assert client.sign_in(REVIEWER, REVIEWER_PASSWORD).status == 303
    _reviewer(client, history.ids)
    kept = dict(client.cookies)
    assert client.sign_out().status == 303
    replay = server.client("127.0.0.31")
    replay.cookies.update(kept)
    assert _value(replay.get(f"/api/v1/observations?indicator={VALUE}")) == 45


@pytest.fixture(scope="module")
def proxied(release_history, tmp_path_factory):
    """`spi serve --proxy` (nginx in front of gunicorn, 2 workers) on the session's history."""
    folder = tmp_path_factory.mktemp("embargo-proxy")
    env = {**release_history.env, "SPI_STATE": str(folder / "state.sqlite"), "SPI_AUDIT_LOG": str(folder / "audit.log")}
    with spi_serve(["--proxy", "--db", str(release_history.copy.served), "--workers", "2"], folder / "serve.log",
                   env) as running:
        yield running, release_history


def test_the_public_sees_nothing_of_the_embargo_through_nginx_nor_its_cache(proxied):
    server, history = proxied
    _public(server.get, history.ids)
    _public(server.get, history.ids)   # the second time from nginx's cache
    assert server.get("/?lang=en").headers["X-Cache-Status"] == "HIT"


def test_a_reviewer_sees_the_embargoed_release_through_nginx_never_from_its_cache(proxied):
    server, history = proxied
    server.get(f"/api/v1/observations?indicator={VALUE}")   # the public's copy is in the cache
    client = server.client("127.0.0.32")
    assert client.sign_in(REVIEWER, REVIEWER_PASSWORD).status == 303
    _reviewer(client, history.ids)
    assert client.get("/?lang=en").headers["X-Cache-Status"] == "BYPASS"
    kept = dict(client.cookies)
    assert client.sign_out().status == 303
    replay = server.client("127.0.0.32")
    replay.cookies.update(kept)
    assert _value(replay.get(f"/api/v1/observations?indicator={VALUE}")) == 45
    assert "Traceback" not in server.log_text()


FEEDS = {"/releases.atom": "application/atom+xml", f"/data/{VALUE}.atom?lang=en": "application/atom+xml",
         "/sitemap.xml": "application/xml", "/robots.txt": "text/plain"}


def test_nginx_keeps_the_feeds_sitemap_and_robots_like_the_other_public_answers_and_gzips_them(proxied):
    """The feeds and discovery files (api/feeds.py, api/discovery.py) through nginx: their
    type, kept in its cache (a HIT the second time), compressed for a client that takes gzip."""
    server, _ = proxied
    for url, kind in FEEDS.items():
        server.get(url, headers={"Accept-Encoding": "gzip"})
        again = server.get(url, headers={"Accept-Encoding": "gzip"})
        assert again.status == 200 and again.headers["Content-Type"].startswith(kind), url
        assert again.headers["X-Cache-Status"] == "HIT", url
        assert again.headers["Cache-Control"].startswith("public, max-age="), url
        if len(server.get(url).body) >= 512:   # nginx's gzip_min_length
            assert again.headers.get("Content-Encoding") == "gzip", url
