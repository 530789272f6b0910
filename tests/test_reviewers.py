"""Reviewers' sign-in (spi/reviewers.py, spi/sessions.py) on a bare Flask app: the page, the
form's token, the server-side session, the users file, the rate limit, the audit log and what
happens when the state file or the audit log cannot be used. No Dash app, no database; the
same claims through gunicorn: tests/test_reviewers_served.py."""
from __future__ import annotations

import io
import json
import os
import re
import threading
import time
from datetime import datetime
from html import unescape

import argon2
import flask
import pytest

from spi import reviewers, sessions

PASSWORD = "correct horse battery staple"
OTHER_PASSWORD = "another long password 42"


@pytest.fixture(scope="module")
def hashes() -> dict[str, str]:
    """argon2 is slow on purpose: hash each password once for the module."""
    return {PASSWORD: reviewers.hash_password(PASSWORD), OTHER_PASSWORD: reviewers.hash_password(OTHER_PASSWORD)}


@pytest.fixture
def site(tmp_path, monkeypatch, hashes):
    """A users file with one reviewer (amal), a temp audit log and state file, a fixed secret key."""
    users = tmp_path / "reviewers.json"
    _write_users(users, {"amal": {"name": "Amal Al-Harthy", "password_hash": hashes[PASSWORD]}})
    monkeypatch.setenv("SPI_REVIEWERS_FILE", str(users))
    monkeypatch.setenv("SPI_AUDIT_LOG", str(tmp_path / "logs" / "audit.log"))
    monkeypatch.setenv("SPI_STATE", str(tmp_path / "state" / "reviewers.sqlite"))
    monkeypatch.setenv("SPI_SECRET_KEY", "k" * 64)
    monkeypatch.delenv("SPI_PUBLIC_URL", raising=False)
    return tmp_path


def _write_users(path, users) -> None:
    """As a deployer should: a new file renamed over the old, so a reader never sees half of it
    (and the change is seen even where mtimes are coarse: the inode is new)."""
    new = path.with_suffix(".new")
    new.write_text(json.dumps(users), encoding="utf-8")
    os.replace(new, path)


def make_app() -> flask.Flask:
    app = flask.Flask(__name__)
    reviewers.init_app(app)
    app.add_url_rule("/whoami", "whoami", lambda: {"reviewer": reviewers.current_reviewer()})
    return app


@pytest.fixture
def client(site):
    return make_app().test_client()


def whoami(client) -> str | None:
    return client.get("/whoami").get_json()["reviewer"]


def csrf(client, url="/signin") -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(url).get_data(as_text=True)).group(1)


def sign_in(client, username="amal", password=PASSWORD, **form):
    return client.post("/signin", data={"csrf_token": csrf(client), "username": username, "password": password,
                                        **form})


def audit_lines(site) -> list[dict]:
    log = site / "logs" / "audit.log"
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()] if log.exists() else []


def clears_session(response) -> bool:
    """Whether the answer tells the browser to drop its session cookie."""
    return any(c.startswith("session=;") and "01 Jan 1970" in c for c in response.headers.getlist("Set-Cookie"))


@pytest.fixture
def clock(monkeypatch):
    """The state file's clock, at the start of a minute; `clock.now += seconds` moves it."""
    class Clock:
        now = 1_800_000_000.0   # a whole number of minutes since the epoch
    monkeypatch.setattr(sessions, "clock", lambda: Clock.now)
    return Clock


# --- the page ---------------------------------------------------------------------------------

def test_page_is_arabic_rtl_by_default_with_labelled_inputs(client):
    r = client.get("/signin")
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and r.headers["Cache-Control"] == "private, no-store"
    assert '<html lang="ar" dir="rtl">' in html
    for field in ("username", "password"):
        assert f'<label for="{field}">' in html and f'id="{field}"' in html
    assert 'autocomplete="current-password"' in html and 'type="password"' in html
    # the site's Content-Security-Policy forbids inline styles and scripts
    assert "<style" not in html and "<script" not in html and " style=" not in html
    assert '<link rel="stylesheet" href="/assets/signin.css">' in html


def test_the_page_gives_a_nonce_cookie_of_its_own_and_no_session(client):
    """nginx passes any request with the session cookie by its cache: a visitor who only opened
    the form must not carry one."""
    r = client.get("/signin")
    cookies = r.headers.getlist("Set-Cookie")
    assert len(cookies) == 1 and cookies[0].startswith(f"{reviewers.SIGNIN_COOKIE}=")
    assert "Path=/signin" in cookies[0] and "HttpOnly" in cookies[0] and "SameSite=Lax" in cookies[0]
    assert "Max-Age=3600" in cookies[0]
    assert client.get_cookie("session") is None and "Vary" not in r.headers


def test_english_page(client):
    html = client.get("/signin?lang=en").get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in html and "Reviewer sign-in" in html
    assert 'action="/signin?lang=en"' in html


@pytest.mark.parametrize("lang", ["xx", "fr", "AR"])
def test_unknown_language_is_400(client, lang):
    r = client.get(f"/signin?lang={lang}")
    assert r.status_code == 400 and r.headers["Cache-Control"] == "private, no-store"


# --- signing in -------------------------------------------------------------------------------

def test_sign_in_sets_a_cookie_that_names_the_reviewer(client):
    assert whoami(client) is None
    r = sign_in(client)
    assert r.status_code == 303 and r.headers["Location"] == "/"
    assert r.headers["Cache-Control"] == "private, no-store"
    cookie = r.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    assert whoami(client) == "amal"
    assert "Amal Al-Harthy" in client.get("/signin").get_data(as_text=True)  # signed in: a sign-out form


def test_cookie_is_secure_when_the_site_is_https(site, monkeypatch):
    monkeypatch.setenv("SPI_PUBLIC_URL", "https://stats.example.gov.om")
    client = make_app().test_client()
    r = sign_in(client)
    assert r.status_code == 303 and "Secure" in r.headers["Set-Cookie"]


@pytest.mark.parametrize("username,password", [("amal", "wrong password here"), ("nobody", PASSWORD)])
def test_wrong_user_or_password_is_401_and_does_not_say_which(client, username, password):
    r = sign_in(client, username, password)
    html = r.get_data(as_text=True)
    assert r.status_code == 401 and r.headers["Cache-Control"] == "private, no-store"
    assert re.search(r'<p id="signin-error" class="signin-error" role="alert">([^<]+)</p>', html).group(1) == \
        reviewers.TEXTS["signin_failed"][0]
    assert 'name="password"' in html and 'aria-invalid="true"' in html  # the form again
    assert PASSWORD not in html
    assert whoami(client) is None


@pytest.mark.parametrize("token", [None, "", "forged-token"])
def test_missing_or_wrong_csrf_token_is_400(client, token):
    csrf(client)  # the session holds a token, the form does not send it
    form = {"username": "amal", "password": PASSWORD} | ({"csrf_token": token} if token is not None else {})
    r = client.post("/signin", data=form)
    assert r.status_code == 400 and r.headers["Cache-Control"] == "private, no-store"
    assert whoami(client) is None


def test_csrf_token_without_its_cookie_or_with_another_is_400(site):
    token = csrf(make_app().test_client())
    r = make_app().test_client().post("/signin", data={"csrf_token": token, "username": "amal", "password": PASSWORD})
    assert r.status_code == 400
    other = make_app().test_client()
    csrf(other)   # a nonce cookie of its own, which the token was not made for
    r = other.post("/signin", data={"csrf_token": token, "username": "amal", "password": PASSWORD})
    assert r.status_code == 400 and whoami(other) is None


def test_a_form_older_than_an_hour_is_400(client, monkeypatch):
    import itsdangerous
    with monkeypatch.context() as m:   # the form's token, signed an hour and a second ago
        m.setattr(itsdangerous.timed.TimestampSigner, "get_timestamp", lambda self: int(time.time()) - 3601)
        token = csrf(client)
    r = client.post("/signin", data={"csrf_token": token, "username": "amal", "password": PASSWORD})
    assert r.status_code == 400 and whoami(client) is None


@pytest.mark.parametrize("next_,location", [
    ("/explorer?lang=en", "/explorer?lang=en"),
    ("//evil.example", "/"), ("//evil.example/path", "/"), ("/\\evil.example", "/"), ("/\t/evil.example", "/"),
    ("https://evil.example/", "/"), ("javascript:alert(1)", "/"), ("", "/"),
])
def test_next_is_followed_only_to_a_local_path(client, next_, location):
    r = sign_in(client, next=next_)
    assert r.status_code == 303 and r.headers["Location"] == location


def test_next_from_the_query_is_carried_by_the_form(client):
    html = client.get("/signin?next=/governorates").get_data(as_text=True)
    assert 'name="next" value="/governorates"' in html
    assert "//evil" not in client.get("/signin?next=//evil.example").get_data(as_text=True)


# --- sessions that must not count -------------------------------------------------------------

def test_tampered_cookie_is_nobody_and_is_cleared(client):
    sign_in(client)
    value = client.get_cookie("session").value
    client.set_cookie("session", value[:-2] + ("AA" if not value.endswith("AA") else "BB"))
    r = client.get("/whoami")
    assert r.get_json()["reviewer"] is None and clears_session(r)
    assert r.headers["Cache-Control"] == "private, no-store"
    assert client.get_cookie("session") is None


def test_cookie_signed_with_another_key_is_nobody(site, monkeypatch):
    monkeypatch.setenv("SPI_SECRET_KEY", "another secret key " * 4)
    elsewhere = make_app().test_client()
    sign_in(elsewhere)
    assert whoami(elsewhere) == "amal"
    monkeypatch.setenv("SPI_SECRET_KEY", "k" * 64)
    here = make_app().test_client()
    here.set_cookie("session", elsewhere.get_cookie("session").value)
    assert whoami(here) is None


def test_a_cookie_kept_from_before_the_sign_out_is_nobody(client, site):
    """Flask's cookie alone is stateless: the session must end on the server."""
    sign_in(client)
    kept = client.get_cookie("session").value
    assert client.post("/signout", data={"csrf_token": csrf(client)}).status_code == 303
    client.set_cookie("session", kept)   # replayed
    r = client.get("/whoami")
    assert r.get_json()["reviewer"] is None and clears_session(r)


def test_a_session_ends_after_eight_hours(client, clock):
    sign_in(client)
    clock.now += 8 * 3600 - 1
    assert whoami(client) == "amal"
    clock.now += 1
    r = client.get("/whoami")
    assert r.get_json()["reviewer"] is None and clears_session(r)


def test_a_session_lives_on_the_machine_that_made_it(client, site, monkeypatch):
    sign_in(client)
    monkeypatch.setenv("SPI_STATE", str(site / "another machine.sqlite"))   # same key, another machine
    assert whoami(client) is None


def test_a_session_cookie_brought_to_the_sign_in_is_ended(client, site):
    """Each sign-in makes a new session: a cookie planted in the browser before is not signed in."""
    sign_in(client)
    planted = client.get_cookie("session").value
    browser = make_app().test_client()
    token = csrf(browser)
    browser.set_cookie("session", planted)
    assert browser.post("/signin", data={"csrf_token": token, "username": "amal", "password": PASSWORD}).status_code == 303
    assert whoami(browser) == "amal" and browser.get_cookie("session").value != planted
    assert whoami(client) is None


def test_reviewer_removed_from_the_file_is_signed_out(client, site, hashes):
    sign_in(client)
    assert whoami(client) == "amal"
    _write_users(site / "reviewers.json", {"omar": {"name": "Omar", "password_hash": hashes[PASSWORD]}})
    r = client.get("/whoami")
    assert r.get_json()["reviewer"] is None and clears_session(r)


def test_new_password_in_the_file_ends_old_sessions(client, site, hashes):
    sign_in(client)
    _write_users(site / "reviewers.json", {"amal": {"name": "Amal Al-Harthy", "password_hash": hashes[OTHER_PASSWORD]}})
    assert whoami(client) is None
    assert sign_in(client).status_code == 401
    assert sign_in(client, password=OTHER_PASSWORD).status_code == 303


def test_current_reviewer_outside_a_request_is_none(site):
    assert reviewers.current_reviewer() is None
    with flask.Flask(__name__).test_request_context("/"):  # an app without init_app
        assert reviewers.current_reviewer() is None


def test_the_public_never_opens_the_state_file(client, site):
    """Release day's traffic: a request without the session cookie does not touch SQLite."""
    r = client.get("/whoami")
    assert r.get_json()["reviewer"] is None and "Vary" not in r.headers and "Set-Cookie" not in r.headers
    assert client.get("/signin?lang=en").status_code == 200
    assert client.post("/signout").status_code == 303
    assert not (site / "state").exists()


# --- the users file ---------------------------------------------------------------------------

def test_no_users_file_means_no_reviewers(site, monkeypatch):
    monkeypatch.delenv("SPI_REVIEWERS_FILE")
    assert sign_in(make_app().test_client()).status_code == 401


def test_missing_users_file_means_no_reviewers(site, monkeypatch, capsys):
    monkeypatch.setenv("SPI_REVIEWERS_FILE", str(site / "nowhere.json"))
    assert sign_in(make_app().test_client()).status_code == 401
    assert "nowhere.json" in capsys.readouterr().err


@pytest.mark.parametrize("content,message", [
    ("{not json", "Expecting property name"),
    ('["amal"]', "expected an object"),
    ('{"amal": {"name": "Amal"}}', "'amal' needs a name and a password_hash"),
    ('{"amal": {"name": "Amal", "password_hash": "plain text"}}', "not an argon2 hash"),
])
def test_malformed_users_file_is_refused_with_a_message(site, capsys, content, message):
    (site / "reviewers.json").write_text(content, encoding="utf-8")
    r = sign_in(make_app().test_client())
    assert r.status_code == 401 and "Traceback" not in r.get_data(as_text=True)
    err = capsys.readouterr().err
    assert message in err and "no reviewer can sign in" in err


# --- rate limit -------------------------------------------------------------------------------

def test_sixth_attempt_within_a_minute_is_429(client, site):
    token = csrf(client)
    form = {"csrf_token": token, "username": "amal", "password": "not the password"}
    assert [client.post("/signin", data=form).status_code for _ in range(5)] == [401] * 5
    r = client.post("/signin", data=form | {"password": PASSWORD})
    html = r.get_data(as_text=True)
    assert r.status_code == 429 and r.headers["Cache-Control"] == "private, no-store"
    assert reviewers.TEXTS["too_many"][0] in html and reviewers.TEXTS["too_many"][1] in html
    assert whoami(client) is None
    assert [x.get("reason") for x in audit_lines(site)] == ["wrong_password"] * 5   # the refused one: no line
    assert client.get("/signin").status_code == 200  # only POSTs count
    other = {"REMOTE_ADDR": "10.0.0.7"}
    assert client.post("/signin", data=form | {"password": PASSWORD}, environ_base=other).status_code == 303


def test_the_window_slides(client, clock):
    form = {"csrf_token": csrf(client), "username": "amal", "password": "not the password"}
    for _ in range(5):
        assert client.post("/signin", data=form).status_code == 401
        clock.now += 11
    assert client.post("/signin", data=form).status_code == 429   # 55 s after the first
    clock.now += 5
    assert client.post("/signin", data=form).status_code == 401   # the first is a minute old
    assert client.post("/signin", data=form).status_code == 429


def test_signing_in_does_not_use_up_an_attempt(client):
    for _ in range(6):
        assert sign_in(client).status_code == 303
        assert client.post("/signout", data={"csrf_token": csrf(client)}).status_code == 303
    assert [sign_in(client, password="not the password").status_code for _ in range(6)] == [401] * 5 + [429]


def test_attempts_refused_in_a_minute_are_one_summary_line(client, site, clock):
    form = {"csrf_token": csrf(client), "username": "amal", "password": "not the password"}
    for addr, attempts in (("10.0.0.1", 9), ("10.0.0.2", 7), ("127.0.0.1", 5)):
        for _ in range(attempts):
            client.post("/signin", data=form, environ_base={"REMOTE_ADDR": addr})
    assert len(audit_lines(site)) == 15   # the 5 of each address that were checked; not the 6 refused
    clock.now += 60
    assert client.post("/signin", data=form).status_code == 401   # the next minute's first attempt
    summary = audit_lines(site)[-2]
    assert summary | {"at": None} == {
        "at": None, "event": "signin_summary", "minute": "2027-01-15T08:00Z", "refused": 6, "refused_addresses": 2,
        "most_refused": {"10.0.0.1": 4, "10.0.0.2": 2}, "failed_not_itemised": 0}
    clock.now += 60
    client.post("/signin", data=form)
    assert [x["event"] for x in audit_lines(site)[-2:]] == ["signin", "signin"]   # nothing to summarise


def test_failed_attempts_have_lines_of_their_own_within_a_budget(client, site, clock, monkeypatch):
    """However many addresses an attacker has, the audit log grows by at most
    FAILED_LINES_PER_MINUTE + 1 lines a minute."""
    monkeypatch.setattr(reviewers, "FAILED_LINES_PER_MINUTE", 4)
    form = {"username": "amal", "password": "not the password"}   # no token: no argon2 either
    for i in range(10):
        assert client.post("/signin", data=form, environ_base={"REMOTE_ADDR": f"10.0.1.{i}"}).status_code == 400
    assert [x["reason"] for x in audit_lines(site)] == ["bad_csrf"] * 4
    clock.now += 60
    client.post("/signin", data=form)
    assert audit_lines(site)[4]["event"] == "signin_summary" and audit_lines(site)[4]["failed_not_itemised"] == 6
    assert audit_lines(site)[5]["reason"] == "bad_csrf"   # a new minute, a new budget


# --- audit log --------------------------------------------------------------------------------

def test_every_attempt_is_audited_without_the_password(client, site):
    sign_in(client, password="wrong password here")
    sign_in(client, "nobody", PASSWORD)
    client.post("/signin", data={"username": "amal", "password": PASSWORD})
    sign_in(client)
    client.post("/signout", data={"csrf_token": csrf(client)})
    text = (site / "logs" / "audit.log").read_text(encoding="utf-8")
    assert PASSWORD not in text and "wrong password here" not in text
    lines = audit_lines(site)
    assert [(x["event"], x.get("ok"), x.get("reason")) for x in lines] == [
        ("signin", False, "wrong_password"), ("signin", False, "unknown_user"), ("signin", False, "bad_csrf"),
        ("signin", True, None), ("signout", None, None)]
    assert all(x["addr"] == "127.0.0.1" for x in lines)
    assert [x.get("username") for x in lines[:4]] == ["amal", "nobody", "amal", "amal"]
    assert lines[-1]["reviewer"] == "amal"


def test_audit_appends_json_lines_in_utc(site):
    threads = [threading.Thread(target=lambda i=i: [reviewers.audit("embargoed_view", reviewer="amal",
                                                                    release=f"r{i}", path="/?lang=en")
                                                    for _ in range(50)]) for i in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    lines = audit_lines(site)  # the folder was made; every line is whole JSON
    assert len(lines) == 400 and {x["event"] for x in lines} == {"embargoed_view"}
    assert list(lines[0]) == ["at", "event", "reviewer", "release", "path"]
    assert datetime.fromisoformat(lines[0]["at"]).utcoffset().total_seconds() == 0


# --- files that cannot be used --------------------------------------------------------------

def _broken_state(site, how):
    if how == "its folder is a file":
        (site / "not a folder").write_text("")
        return site / "not a folder" / "reviewers.sqlite"
    (site / "garbage.sqlite").write_bytes(b"this is not SQLite " * 300)
    return site / "garbage.sqlite"


@pytest.mark.parametrize("how", ["its folder is a file", "not a database"])
def test_a_state_file_that_cannot_be_used_is_a_503_that_lets_nobody_in(client, site, monkeypatch, capsys, how):
    path = _broken_state(site, how)
    monkeypatch.setenv("SPI_STATE", str(path))
    r = sign_in(client)
    text = unescape(r.get_data(as_text=True))
    assert r.status_code == 503 and r.headers["Cache-Control"] == "private, no-store"
    assert reviewers.TEXTS["unavailable"][0] in text and reviewers.TEXTS["unavailable"][1] in text
    assert client.get_cookie("session") is None
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(path) in err and "POST /signin" in err and "Traceback" not in err
    assert whoami(client) is None   # the public: no cookie, no state file, no error


def test_a_reviewer_whose_state_file_breaks_gets_a_503_not_the_public_view(client, site, monkeypatch, capsys):
    """Fail closed, and say so: a reviewer shown the public figures would take them for the embargoed ones."""
    sign_in(client)
    monkeypatch.setenv("SPI_STATE", str(_broken_state(site, "not a database")))
    r = client.get("/whoami")
    assert r.status_code == 503 and client.get_cookie("session") is not None   # the session may well be live
    assert "garbage.sqlite" in capsys.readouterr().err
    monkeypatch.setenv("SPI_STATE", str(site / "state" / "reviewers.sqlite"))
    assert whoami(client) == "amal"


def test_an_audit_log_that_cannot_be_written_is_a_503_and_no_sign_in(client, site, monkeypatch, capsys):
    monkeypatch.setenv("SPI_AUDIT_LOG", "/dev/full")   # every write: ENOSPC
    r = sign_in(client)
    assert r.status_code == 503 and client.get_cookie("session") is None
    err = capsys.readouterr().err
    assert "/dev/full" in err and "No space left on device" in err and "Traceback" not in err
    with pytest.raises(reviewers.Unavailable, match="/dev/full"):
        reviewers.audit("embargoed_view", reviewer="amal")


# --- signing out ------------------------------------------------------------------------------

def test_sign_out_needs_the_csrf_token_and_ends_the_session(client):
    sign_in(client)
    assert client.post("/signout").status_code == 400
    assert whoami(client) == "amal"
    r = client.post("/signout", data={"csrf_token": csrf(client)})
    assert r.status_code == 303 and r.headers["Location"] == "/"
    assert r.headers["Cache-Control"] == "private, no-store"
    assert whoami(client) is None


# --- secret key and the hash helpers -----------------------------------------------------------

def test_without_a_secret_key_one_is_made_per_process_with_a_warning(site, monkeypatch, capsys):
    monkeypatch.delenv("SPI_SECRET_KEY")
    reviewers._process_key.cache_clear()
    first, second = make_app(), make_app()
    assert first.secret_key == second.secret_key and len(first.secret_key) >= 64
    assert capsys.readouterr().err.count("SPI_SECRET_KEY is not set") == 1
    client = first.test_client()
    sign_in(client)
    assert whoami(client) == "amal"


def test_hash_password_is_argon2id():
    h = reviewers.hash_password("a reviewer's password")
    assert h.startswith("$argon2id$") and argon2.PasswordHasher().verify(h, "a reviewer's password")


def test_main_hash_reads_the_password_twice(monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{PASSWORD}\n{PASSWORD}\n"))
    assert reviewers.main_hash([]) == 0
    out = capsys.readouterr().out.strip()
    assert out.startswith("$argon2id$") and argon2.PasswordHasher().verify(out, PASSWORD)


@pytest.mark.parametrize("stdin,message", [(f"{PASSWORD}\n{PASSWORD}x\n", "differ"), (f"{PASSWORD}\n", "differ"),
                                           ("short\nshort\n", "at least 12")])
def test_main_hash_refuses_different_or_short_passwords(monkeypatch, capsys, stdin, message):
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    assert reviewers.main_hash([]) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and message in captured.err
