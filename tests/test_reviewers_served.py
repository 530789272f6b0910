"""Reviewers' sign-in through the real server (gunicorn, 2 workers, as `spi serve` runs it):
what the in-process tests cannot see. A session lives in the machine's state file, not in a
worker; the sign-in limit is counted across the workers; the audit log grows by a bounded
number of lines however many attempts come; an audit log that cannot be written refuses the
embargoed answer with a 503; only a signed-in reviewer carries the session cookie.

The public reads 45 at API; a signed-in reviewer reads 46, the embargoed third release
(tests/conftest.py: release_history). Each test signs in from a loopback address of its own
(the whole 127/8 is this machine), so that no test spends another's attempts: the state file
of `release_site` is the machine's default one, kept between runs.
"""
from __future__ import annotations

import json
import random
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from unittest import mock
from urllib.parse import urlencode

import flask
import pytest
from flask.sessions import SecureCookieSessionInterface

from spi import reviewers
from tests.conftest import REVIEWER, REVIEWER_PASSWORD
from tests.servers import Client, gunicorn, request

API = "/api/v1/observations?indicator=jo_psychosocial_team"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def fresh_address() -> str:
    """A loopback address no other test (nor an earlier run) signs in from."""
    return f"127.{random.randint(1, 254)}.{random.randint(1, 254)}.{random.randint(2, 254)}"


def value(answer) -> float:
    assert answer.status == 200, (answer.status, answer.text[:300])
    return json.loads(answer.body)["data"][0]["value"]


def clears_session(answer) -> bool:
    return any(c.startswith("session=;") and ("Max-Age=0" in c or "1970" in c)
               for c in answer.headers.get_all("Set-Cookie") or [])


def audit_lines(path: Path, skip: int = 0) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()[skip:]]


def line_count(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines()) if path.exists() else 0


def signed_cookie(secret_key: str, data: dict, age: float = 0) -> str:
    """A session cookie as Flask signs it with `secret_key`, made `age` seconds ago."""
    app = flask.Flask("forger")
    app.secret_key = secret_key
    serializer = SecureCookieSessionInterface().get_signing_serializer(app)
    made = int(time.time() - age)
    with mock.patch("itsdangerous.timed.TimestampSigner.get_timestamp", lambda self: made):
        return serializer.dumps(data)


def session_id(secret_key: str, cookie: str) -> str:
    app = flask.Flask("reader")
    app.secret_key = secret_key
    return SecureCookieSessionInterface().get_signing_serializer(app).loads(cookie)["sid"]


@pytest.fixture(scope="module")
def own(release_history, tmp_path_factory):
    """A server of the same releases with a state file and an audit log of its own (the
    counting tests must start from nothing)."""
    folder = tmp_path_factory.mktemp("reviewers-served")
    env = {**release_history.env, "SPI_STATE": str(folder / "state" / "reviewers.sqlite"),
           "SPI_AUDIT_LOG": str(folder / "audit.log")}
    with gunicorn(release_history.copy.served, folder / "gunicorn.log", env, workers=2) as running:
        yield running, env


@pytest.fixture(scope="module")
def disk_full(own, release_history, tmp_path_factory):
    """A second server on the same machine (the same state file) whose audit log cannot be
    written: /dev/full answers every write with ENOSPC."""
    folder = tmp_path_factory.mktemp("reviewers-disk-full")
    env = {**own[1], "SPI_AUDIT_LOG": "/dev/full"}
    with gunicorn(release_history.copy.served, folder / "gunicorn.log", env, workers=2) as running:
        yield running


# --- sessions end on the server ---------------------------------------------------------------

def test_a_cookie_replayed_after_sign_out_is_the_public(release_site):
    server, history = release_site
    client = server.client(fresh_address())
    assert client.sign_in(REVIEWER, REVIEWER_PASSWORD).status == 303 and "session" in client.cookies
    r = client.get(API)
    assert value(r) == 46 and r.headers["X-Embargo"].startswith("EMBARGOED")
    kept = dict(client.cookies)
    before = line_count(history.audit)
    assert client.sign_out().status == 303 and "session" not in client.cookies
    replay = Client(server.port, client.source, dict(kept))
    r = replay.get(API)
    assert value(r) == 45 and "X-Embargo" not in r.headers
    assert r.headers["Cache-Control"] == "private, no-store" and clears_session(r)
    assert "session" not in replay.cookies
    replay.cookies.update(kept)   # a replayer keeps sending it: still nobody, on every worker
    for _ in range(6):
        page = replay.get("/explorer?indicator=jo_psychosocial_team&lang=en")
        assert page.status == 200 and "EMBARGOED" not in page.text and "X-Embargo" not in page.headers
        replay.cookies.update(kept)
    lines = audit_lines(history.audit, before)
    assert [x["event"] for x in lines if x.get("reviewer") == REVIEWER] == ["signout"]
    assert not any(x["event"] == "embargoed_view" for x in lines)
    assert value(replay.get(API)) == 45


@pytest.mark.parametrize("kind", ["forged", "unknown id", "expired", "no id"])
def test_a_session_cookie_that_is_not_a_live_session_is_the_public_and_is_cleared(release_site, kind):
    server, history = release_site
    key = history.env["SPI_SECRET_KEY"]
    if kind == "expired":   # a live session's id, in a cookie Flask signed 8 hours and a minute ago
        reviewer = server.client(fresh_address())
        assert reviewer.sign_in(REVIEWER, REVIEWER_PASSWORD).status == 303
        cookie = signed_cookie(key, {"_permanent": True, "sid": session_id(key, reviewer.cookies["session"])},
                               age=8 * 3600 + 60)
        assert value(reviewer.get(API)) == 46   # the session itself is live
    else:
        cookie = {"forged": "eyJzaWQiOiJ4In0.forged.cookie",
                  "unknown id": signed_cookie(key, {"_permanent": True, "sid": "not-a-session-made-here"}),
                  "no id": signed_cookie(key, {"csrf": "a token of the old sign-in form"})}[kind]
    for path in (API, "/?lang=en"):
        client = Client(server.port, fresh_address(), {"session": cookie})
        r = client.get(path)
        assert r.status == 200 and "X-Embargo" not in r.headers and "EMBARGOED" not in r.text, path
        assert r.headers["Cache-Control"] == "private, no-store" and clears_session(r), path
        assert "session" not in client.cookies
        again = client.get(path)   # the next request brings no cookie: the public's, cacheable
        assert again.headers["Cache-Control"].startswith("public, max-age="), path
        assert "cookie" not in again.headers.get("Vary", "").lower(), path
    assert value(Client(server.port, fresh_address(), {"session": cookie}).get(API)) == 45


# --- the sign-in form -------------------------------------------------------------------------

def test_the_sign_in_form_gives_no_session_cookie_and_still_checks_its_token(release_site):
    server, _ = release_site
    r = server.get("/signin")
    cookies = r.headers.get_all("Set-Cookie") or []
    assert r.status == 200 and len(cookies) == 1 and not any(c.startswith("session=") for c in cookies)
    assert cookies[0].startswith(f"{reviewers.SIGNIN_COOKIE}=") and "Path=/signin" in cookies[0]
    assert "HttpOnly" in cookies[0] and "SameSite=Lax" in cookies[0]

    client = server.client(fresh_address())
    token = client.token()
    stranger = server.client(fresh_address()).token()   # good, but made for another browser's nonce
    for sent in ({}, {"csrf_token": "forged"}, {"csrf_token": stranger}):
        answer = client.form("/signin", {"username": REVIEWER, "password": REVIEWER_PASSWORD, **sent})
        assert answer.status == 400, sent
    nonce_only = Client(server.port, fresh_address(), {})
    assert nonce_only.form("/signin", {"csrf_token": token, "username": REVIEWER,
                                       "password": REVIEWER_PASSWORD}).status == 400   # the token without its cookie
    assert "session" not in client.cookies
    # having opened the form, the visitor's pages are still the cacheable public ones
    public = client.get(API)
    assert public.headers["Cache-Control"].startswith("public, max-age=")
    assert "cookie" not in public.headers.get("Vary", "").lower() and not public.headers.get_all("Set-Cookie")
    assert client.form("/signin", {"csrf_token": token, "username": REVIEWER,
                                   "password": REVIEWER_PASSWORD}).status == 303
    assert "session" in client.cookies and value(client.get(API)) == 46


# --- the limit and the audit log, on a server of their own ------------------------------------

def test_a_flood_of_failed_attempts_adds_a_bounded_number_of_audit_lines(own):
    server, env = own
    log = Path(env["SPI_AUDIT_LOG"])
    before, size = line_count(log), log.stat().st_size if log.exists() else 0
    prefix = f"127.{random.randint(1, 254)}.{random.randint(1, 254)}"
    body = urlencode({"username": "admin", "password": "guess"}).encode()   # no token: no argon2 to wait for
    started = time.time()
    statuses = [request(server.port, "/signin", "POST", FORM, body, source=f"{prefix}.{host}").status
                for host in range(2, 62) for _ in range(6)]
    ended = time.time()
    assert len(statuses) == 360 and statuses.count(400) == 300 and statuses.count(429) == 60
    added = audit_lines(log, before)
    minutes = int(ended // 60) - int(started // 60) + 1
    bound = minutes * (reviewers.FAILED_LINES_PER_MINUTE + 1)   # itemised lines, and one summary, a minute
    assert 0 < len(added) <= bound, (len(added), bound)
    assert {x["event"] for x in added} <= {"signin", "signin_summary"}
    assert sum(x.get("reason") == "bad_csrf" for x in added) <= minutes * reviewers.FAILED_LINES_PER_MINUTE
    assert log.stat().st_size - size < bound * 1000
    assert "Traceback" not in server.log_text()


def test_the_sixth_attempt_in_a_minute_is_429_whichever_worker_answers(own):
    server, _ = own
    addr = "127.0.0.7"
    client = server.client(addr)
    token = client.token()
    cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
    body = urlencode({"csrf_token": token, "username": REVIEWER, "password": "not the password"}).encode()

    def attempt(_):
        return request(server.port, "/signin", "POST", {**FORM, "Cookie": cookie}, body, source=addr).status

    statuses = []
    for _ in range(12):   # each on a new connection, a moment apart: both workers take some
        statuses.append(attempt(None))
        time.sleep(0.25)
    with ThreadPoolExecutor(12) as pool:   # and at once
        statuses += pool.map(attempt, range(12))
    assert sum(s != 429 for s in statuses) == 5 and statuses.count(401) == 5, statuses
    assert client.sign_in(REVIEWER, REVIEWER_PASSWORD).status == 429   # even with the password
    assert server.client(fresh_address()).sign_in(REVIEWER, REVIEWER_PASSWORD).status == 303


# --- an audit log that cannot be written ------------------------------------------------------

def test_an_audit_log_that_cannot_be_written_refuses_the_embargoed_answer_with_a_503(own, disk_full):
    server, _ = own
    reviewer = server.client(fresh_address())
    assert reviewer.sign_in(REVIEWER, REVIEWER_PASSWORD).status == 303   # where the log can be written
    assert value(reviewer.get(API)) == 46
    on_full = Client(disk_full.port, reviewer.source, dict(reviewer.cookies))   # the same machine's session
    api = on_full.get(API)
    assert api.status == 503 and api.headers["Content-Type"].startswith("application/json")
    assert json.loads(api.body)["error"]["code"] == "reviewers_unavailable" and b"46" not in api.body
    download = on_full.get("/data/jo_psychosocial_team.csv")
    assert download.status == 503 and download.headers["Content-Type"].startswith("application/json")
    page = on_full.get("/explorer?indicator=jo_psychosocial_team&lang=en")
    assert page.status == 503 and page.headers["Content-Type"].startswith("text/html")
    assert "cannot be checked, or what they see recorded" in page.text and "46" not in page.text
    assert "session" in on_full.cookies   # not signed out: the session is live, the log is not
    # the public's answers do not write to the audit log
    assert value(disk_full.get(API)) == 45
    assert disk_full.get("/explorer?indicator=jo_psychosocial_team&lang=en").status == 200
    # nor can anyone sign in unrecorded
    assert disk_full.client(fresh_address()).sign_in(REVIEWER, REVIEWER_PASSWORD).status == 503
    text = disk_full.log_text()
    assert "Traceback" not in text and '" 500 ' not in text
    named = [line for line in text.splitlines() if "/dev/full" in line]
    assert len(named) == 4 and all("No space left on device" in line and "503" in line for line in named), named
