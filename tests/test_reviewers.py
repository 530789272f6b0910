"""Reviewers' sign-in (spi/reviewers.py) on a bare Flask app: the page, the session, the users
file, the rate limit and the audit log. No Dash app, no database."""
from __future__ import annotations

import io
import json
import os
import re
import threading
from datetime import datetime

import argon2
import flask
import pytest

from spi import reviewers

PASSWORD = "correct horse battery staple"
OTHER_PASSWORD = "another long password 42"


@pytest.fixture(scope="module")
def hashes() -> dict[str, str]:
    """argon2 is slow on purpose: hash each password once for the module."""
    return {PASSWORD: reviewers.hash_password(PASSWORD), OTHER_PASSWORD: reviewers.hash_password(OTHER_PASSWORD)}


@pytest.fixture
def site(tmp_path, monkeypatch, hashes):
    """A users file with one reviewer (amal), a temp audit log, a fixed secret key."""
    users = tmp_path / "reviewers.json"
    _write_users(users, {"amal": {"name": "Amal Al-Harthy", "password_hash": hashes[PASSWORD]}})
    monkeypatch.setenv("SPI_REVIEWERS_FILE", str(users))
    monkeypatch.setenv("SPI_AUDIT_LOG", str(tmp_path / "logs" / "audit.log"))
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
    return [json.loads(line) for line in (site / "logs" / "audit.log").read_text(encoding="utf-8").splitlines()]


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


def test_csrf_token_without_a_session_is_400(site):
    token = csrf(make_app().test_client())
    r = make_app().test_client().post("/signin", data={"csrf_token": token, "username": "amal", "password": PASSWORD})
    assert r.status_code == 400


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

def test_tampered_cookie_is_nobody(client):
    sign_in(client)
    value = client.get_cookie("session").value
    client.set_cookie("session", value[:-2] + ("AA" if not value.endswith("AA") else "BB"))
    assert whoami(client) is None


def test_cookie_signed_with_another_key_is_nobody(site, monkeypatch):
    monkeypatch.setenv("SPI_SECRET_KEY", "another secret key " * 4)
    elsewhere = make_app().test_client()
    sign_in(elsewhere)
    assert whoami(elsewhere) == "amal"
    monkeypatch.setenv("SPI_SECRET_KEY", "k" * 64)
    here = make_app().test_client()
    here.set_cookie("session", elsewhere.get_cookie("session").value)
    assert whoami(here) is None


def test_reviewer_removed_from_the_file_is_signed_out(client, site, hashes):
    sign_in(client)
    assert whoami(client) == "amal"
    _write_users(site / "reviewers.json", {"omar": {"name": "Omar", "password_hash": hashes[PASSWORD]}})
    assert whoami(client) is None


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
    assert audit_lines(site)[-1] | {"at": None} == {"at": None, "event": "signin", "ok": False,
                                                     "reason": "rate_limited", "username": "amal",
                                                     "addr": "127.0.0.1"}
    assert client.get("/signin").status_code == 200  # only POSTs count
    other = {"REMOTE_ADDR": "10.0.0.7"}
    assert client.post("/signin", data=form | {"password": PASSWORD}, environ_base=other).status_code == 303


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
