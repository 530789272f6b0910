"""What a shared cache may keep (spi/caching.py), through Flask's test client: every kind of
address of the live release is public with a short lifetime and a validator, answered 304
when the validator still matches; a download naming a release is kept a day; the lifetime
ends when the next release goes live, and the validators change then; a reviewer's answers,
an embargoed release's, errors and Dash's callbacks are never kept. Two releases of the
shipped sources in a temp dir: the live one, and one embargoed until 2030."""
from __future__ import annotations

import json
import os
import re
import subprocess

import pytest

from spi import caching, reviewers

BEFORE, LIVE, AFTER = "2026-01-01T00:00:00+00:00", "2030-01-01T09:00", "2030-01-02T00:00:00+00:00"
JUST_BEFORE = "2030-01-01T04:59:30+00:00"   # 30 s before LIVE (09:00 Asia/Muscat)
PASSWORD = "a long reviewers' password"
PUBLIC = {"page": "/?lang=en", "explorer": "/explorer?indicator=jo_psychosocial_team&lang=en",
          "embed": "/embed/jo_psychosocial_team", "dash layout": "/_dash-layout",
          "api": "/api/v1/observations?indicator=jo_psychosocial_team", "api index": "/api/v1/",
          "download": "/data/jo_psychosocial_team.csv", "whole dataset": "/data/all.csv", "calendar": "/releases.ics"}


@pytest.fixture(scope="module")
def history(shipped_copy):
    """The shipped figures released on 2025-01-01, then jo_psychosocial_team 44 revised to
    45, embargoed until LIVE."""
    copy = shipped_copy("cache")
    first = copy.release("first", "2025-01-01T09:00")
    copy.revise("jo_psychosocial_team", "45")
    second = copy.release("revised", LIVE)
    return copy, first, second


@pytest.fixture
def client(history, reading, monkeypatch, tmp_path):
    copy = history[0]
    from spi.app import server
    monkeypatch.setenv("SPI_NOW", BEFORE)
    monkeypatch.setenv("SPI_AUDIT_LOG", str(tmp_path / "audit.log"))
    with reading(copy.served):
        c = server.test_client()
        c.get("/")   # Dash registers its page router on the first request
        yield c


def _value(client, url="/api/v1/observations?indicator=jo_psychosocial_team") -> float:
    return client.get(url).get_json()["data"][0]["value"]


@pytest.mark.parametrize("kind", PUBLIC)
def test_a_public_answer_has_a_short_lifetime_and_a_validator_a_cache_can_use(client, kind):
    url = PUBLIC[kind]
    r = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert r.status_code == 200, url
    assert r.headers["Cache-Control"] == "public, max-age=60, stale-while-revalidate=60, stale-if-error=86400", url
    assert "Expires" not in r.headers and "Set-Cookie" not in r.headers, url
    # varies by nothing a cache does not key: compression only
    assert [v.strip() for v in r.headers["Vary"].split(",")] == ["Accept-Encoding"], url
    etag = r.headers["ETag"]
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == etag, url
    assert again.headers["Cache-Control"] == r.headers["Cache-Control"]
    assert client.get(url, headers={"If-None-Match": 'W/"another"'}).status_code == 200


def test_a_page_is_not_drawn_again_for_a_cache_that_holds_it(client, monkeypatch):
    etag = client.get(PUBLIC["explorer"]).headers["ETag"]
    import dashboard.app

    def drawn(*args, **kwargs):
        raise AssertionError("the page was drawn")
    monkeypatch.setattr(dashboard.app, "server_render", drawn)
    assert client.get(PUBLIC["explorer"], headers={"If-None-Match": etag}).status_code == 304


def test_pages_have_validators_of_their_own_address(client):
    tags = {client.get(url).headers["ETag"] for url in ("/", "/?lang=en", "/explorer", "/about")}
    assert len(tags) == 4


def test_a_download_naming_a_release_is_kept_a_day_and_an_as_of_day_a_minute(client, history):
    copy, first, second = history
    named = client.get(f"/data/jo_psychosocial_team.csv?as_of={first}")
    assert named.status_code == 200 and named.headers["Cache-Control"] == "public, max-age=86400"
    assert client.get(f"/data/jo_psychosocial_team.csv?as_of={first}",
                      headers={"If-None-Match": named.headers["ETag"]}).status_code == 304
    # a day may yet gain a release; the embargoed release's id is a day too, for the public
    for as_of in ("2025-06-01", second):
        assert client.get(f"/data/jo_psychosocial_team.csv?as_of={as_of}").headers["Cache-Control"].startswith(
            "public, max-age=60,"), as_of
    assert client.get(f"/explorer?indicator=jo_psychosocial_team&as_of={first}").headers["Cache-Control"] \
        .startswith("public, max-age=60,")


def test_the_lifetime_ends_when_the_next_release_goes_live(client, monkeypatch):
    monkeypatch.setenv("SPI_NOW", JUST_BEFORE)
    for url in (PUBLIC["page"], PUBLIC["api"], PUBLIC["download"]):
        assert client.get(url).headers["Cache-Control"] == "public, max-age=30, stale-while-revalidate=60, stale-if-error=86400", url


def test_the_validators_change_when_a_new_release_goes_live(client, monkeypatch):
    before = {url: client.get(url) for url in PUBLIC.values()}
    assert _value(client) == 44
    monkeypatch.setenv("SPI_NOW", AFTER)   # the same server, once the embargo has ended
    for url, old in before.items():
        new = client.get(url, headers={"If-None-Match": old.headers["ETag"]})
        assert new.status_code == 200 and new.headers["ETag"] != old.headers["ETag"], url
    assert _value(client) == 45


def _signed_in(tmp_path, monkeypatch, server):
    users = tmp_path / "reviewers.json"
    users.write_text(json.dumps({"amal": {"name": "Amal", "password_hash": reviewers.hash_password(PASSWORD)}}))
    monkeypatch.setenv("SPI_REVIEWERS_FILE", str(users))
    client = server.test_client()
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/signin").get_data(as_text=True)).group(1)
    response = client.post("/signin", data={"csrf_token": token, "username": "amal", "password": PASSWORD})
    assert response.status_code == 303
    return client, response


def test_a_reviewers_answers_and_an_embargoed_releases_are_private(client, history, tmp_path, monkeypatch):
    from spi.app import server
    reviewer, signed_in = _signed_in(tmp_path, monkeypatch, server)
    # the browser drops the public pages it kept, so the embargoed release shows at once
    assert signed_in.headers["Clear-Site-Data"] == '"cache"'
    public_etag = client.get(PUBLIC["explorer"]).headers["ETag"]
    for url in PUBLIC.values():
        r = reviewer.get(url, headers={"If-None-Match": public_etag})
        assert r.status_code == 200 and r.headers["Cache-Control"] == "private, no-store", url
    assert _value(reviewer) == 45
    monkeypatch.setenv("SPI_NOW", AFTER)   # live now, but still a reviewer's own answer
    assert reviewer.get(PUBLIC["page"]).headers["Cache-Control"] == "private, no-store"


def test_a_request_with_a_session_cookie_gets_a_private_answer(client):
    """Whatever the cookie: nginx passes such a request by its cache, and the app agrees."""
    from spi.app import server
    other = server.test_client()
    for url in PUBLIC.values():
        other.set_cookie(reviewers.SESSION_COOKIE, "not-a-session")   # each answer clears it
        r = other.get(url)
        assert r.status_code == 200 and r.headers["Cache-Control"] == "private, no-store", url
    other.set_cookie(reviewers.SESSION_COOKIE, "not-a-session")
    assert _value(other) == 44


def test_errors_and_callbacks_are_not_kept(client):
    from bench.bench_dashboard import callback_body, explorer_output
    for url in ("/nope", "/?lang=fr", "/explorer?indicator=om_ss_cases&as_of=yesterday", "/api/v1/observations?from=x",
                "/data/nope.csv", "/api/v1/nope"):
        r = client.get(url)
        assert 400 <= r.status_code < 500 and r.headers["Cache-Control"] == "no-store", url
        assert "ETag" not in r.headers, url
    output = explorer_output(client.get("/_dash-dependencies").get_json())
    body = callback_body(output, {"indicator": "jo_psychosocial_team", "lang": "en"}, "view", "time")
    r = client.post("/_dash-update-component", data=json.dumps(body), content_type="application/json")
    assert r.status_code == 200 and r.headers["Cache-Control"] == "no-store"
    assert client.get("/healthz").headers["Cache-Control"] == "no-store"


def test_static_files_keep_their_own_lifetimes(client):
    r = client.get("/assets/style.css")
    assert r.status_code == 200 and r.headers["Cache-Control"] == "public, max-age=86400"
    icon = client.get("/_favicon.ico")   # Dash's own answer says nothing: it gets the same
    assert icon.status_code == 200 and icon.headers["Cache-Control"] == "public, max-age=86400"


@pytest.mark.parametrize("value,seconds", [(None, 60), ("", 60), ("5", 5), ("0", 0)])
def test_the_lifetime_is_set_by_spi_cache_seconds(value, seconds):
    assert caching.cache_seconds(value) == seconds


@pytest.mark.parametrize("value", ["abc", "-1", "1.5", "86401"])
def test_a_wrong_spi_cache_seconds_is_refused_in_a_sentence(value, paths, history):
    done = subprocess.run([str(paths.spi), "serve", "--db", str(history[0].served), "--port", "1"],
                          env={**os.environ, "SPI_CACHE_SECONDS": value}, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and f"SPI_CACHE_SECONDS={value!r}" in done.stderr and "Traceback" not in done.stderr


def test_the_api_description_says_what_a_cache_reads(client):
    headers = client.get("/api/v1/openapi.json").get_json()["components"]["headers"]
    assert {"ETag", "Last-Modified", "Cache-Control"} <= set(headers)
    for lifetime in ("public, max-age=N, stale-while-revalidate=N", "public, max-age=86400", "private, no-store"):
        assert lifetime in headers["Cache-Control"]["description"]


KEPT = {"JSON-stat": "/api/v1/observations?indicator=jo_psychosocial_team&geo=JO&format=jsonstat",
        "SDMX-CSV of the API": "/api/v1/observations?indicator=jo_psychosocial_team&geo=JO&format=sdmx-csv",
        "SDMX data": "/sdmx/data/SOCIAL_PROTECTION/jo_psychosocial_team.JO....."}


def _figure(body: bytes, kind: str) -> str:
    """jo_psychosocial_team's one figure in a JSON-stat or SDMX-CSV answer."""
    if kind == "JSON-stat":
        values = list(json.loads(body)["value"].values())
        assert len(values) == 1, values
        return str(int(values[0]))
    import csv, io
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8"))))
    assert len(rows) == 1, rows
    return rows[0]["OBS_VALUE"]


@pytest.mark.parametrize("kind", KEPT)
def test_a_kept_open_standard_answer_is_made_once_and_ends_with_its_release(client, history, tmp_path, monkeypatch,
                                                                           kind):
    """api/kept.py: the second request of a JSON-stat or SDMX answer is the first one's bytes
    (the query is not run again, gzip made once); the copy is of the release it was read from,
    so it is not served once the embargoed release is live, and a reviewer's copy of the
    embargoed release never reaches the public."""
    import gzip
    from api import kept
    from spi.app import server
    url, made = KEPT[kind], []
    real = kept._keep   # count the answers actually made
    monkeypatch.setattr(kept, "_keep", lambda key, resp: (made.append(key), real(key, resp)))
    kept._kept.clear()
    first = client.get(url)
    assert first.status_code == 200 and _figure(first.data, kind) == "44", first.data[:300]
    zipped = client.get(url, headers={"Accept-Encoding": "gzip"})
    unzipped = gzip.decompress(zipped.data) if zipped.headers.get("Content-Encoding") == "gzip" else zipped.data
    assert unzipped == first.data and client.get(url).data == first.data
    assert client.get(url, headers={"Accept-Encoding": "gzip"}).data == zipped.data
    assert len(made) == 1, made
    reviewer, _ = _signed_in(tmp_path, monkeypatch, server)
    assert _figure(reviewer.get(url).data, kind) == "45"       # the embargoed release, for a reviewer
    assert _figure(client.get(url).data, kind) == "44"         # never for the public
    monkeypatch.setenv("SPI_NOW", AFTER)                       # the embargo ends: a new answer, of 45
    assert _figure(client.get(url).data, kind) == "45" and len(made) == 3, made
