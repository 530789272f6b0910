"""Who is signed in to the desk, what they may do, and the forms' tokens.

The people are those of the reviewers' file (SPI_REVIEWERS_FILE, spi/reviewers.py), with their
`roles`: an editor loads tables and prepares releases, an approver approves or sends back a
release someone else prepared, a reviewer reads embargoed releases. Every route names the role
it needs (`needs`), checked on the server for every request.

Why it is built this way, beside the public site's sign-in (spi/reviewers.py):
- Its own session cookie (DESK_COOKIE, SameSite=Strict, HttpOnly, Secure when the desk's
  address SPI_DESK_URL is https) and its own sessions file (the project's data/processed/
  desk.sqlite, or SPI_DESK_STATE): a desk session is never a reviewer's session on the public
  site, and the other way round, though the two run on one host (cookies do not keep to ports).
- The secret is derived from SPI_SECRET_KEY for the desk alone, so a cookie signed by one
  application is nothing to the other.
- Every form carries a token: the sign-in form's is bound to a nonce cookie (as the reviewers'
  sign-in is), every other form's to the session's id. A POST without the right one is a 400
  before its route runs.
- Sign-in attempts are limited per client address as the reviewers' are (spi/sessions.py),
  and every sign-in, sign-out and refusal is a line in the audit log.
"""
from __future__ import annotations

import functools
import hashlib
import hmac
import os
from pathlib import Path

import flask
from itsdangerous import BadData, URLSafeTimedSerializer

from contract.project import default as default_project

from .. import sessions
from ..reviewers import (FORM_SECONDS, MAX_USERNAME, SESSION_HOURS, SIGNIN_LIMIT, SIGNIN_WINDOW, Reviewer, addr,
                         audit, fingerprint, nonce_token, nonce_token_ok, people, verify)

DESK_COOKIE = "spi_desk"
SIGNIN_COOKIE = "spi_desk_signin"


def secret(key: str) -> str:
    """The desk's own signing secret, derived from SPI_SECRET_KEY (`key`)."""
    return hmac.new(key.encode(), b"spi-desk", hashlib.sha256).hexdigest()


def state() -> Path:
    return Path(os.environ.get("SPI_DESK_STATE", "").strip() or default_project().processed / "desk.sqlite")


def secure() -> bool:
    return os.environ.get("SPI_DESK_URL", "").strip().startswith("https://")


def user() -> Reviewer | None:
    """The person signed in to this request, looked up once; None for a visitor, and for a
    cookie that is forged, expired, revoked, or names someone no longer in the file (or whose
    password changed)."""
    if "desk_user" not in flask.g:
        flask.g.desk_user = _look_up()
    return flask.g.desk_user


def _look_up() -> Reviewer | None:
    sid = flask.session.get("sid") if DESK_COOKIE in flask.request.cookies else None
    if not isinstance(sid, str):
        return None
    found = sessions.find(state(), sid)
    person = people().get(found.reviewer) if found else None
    if person is None or not hmac.compare_digest(fingerprint(person.password_hash), found.fingerprint):
        flask.g.desk_dead_cookie = True
        return None
    return person


def needs(*roles: str):
    """A route for people with one of `roles`: a visitor is sent to sign in (a GET) or
    refused (401), a person without the role refused (403), in the audit log either way."""
    def wrap(view):
        @functools.wraps(view)
        def guarded(*args, **kwargs):
            person = user()
            if person is None:
                if flask.request.method in ("GET", "HEAD"):
                    return flask.redirect(flask.url_for("desk.signin", next=flask.request.full_path.rstrip("?"),
                                                        **_lang_arg()), 303)
                flask.abort(401)
            if not set(roles) & set(person.roles):
                audit("desk_refused", username=person.username, action=flask.request.endpoint,
                      needs=list(roles), addr=addr())
                flask.abort(403)
            return view(*args, **kwargs)
        return guarded
    return wrap


def _lang_arg() -> dict:
    return {"lang": "en"} if flask.request.args.get("lang") == "en" else {}


# --- tokens -----------------------------------------------------------------------------------

def _serializer(form: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(flask.current_app.secret_key, salt=f"spi-desk-{form}")


def form_token() -> str:
    """The token of every form of a signed-in person: their session id, signed."""
    return _serializer("form").dumps(flask.session["sid"])


def signin_token() -> str:
    """The sign-in form's token, bound to the browser's nonce cookie (a new one when it has none)."""
    token, flask.g.desk_signin_nonce = nonce_token(_serializer("signin"), SIGNIN_COOKIE)
    return token


def token_ok() -> bool:
    """Whether a POST carries the token of its form: the sign-in's for /signin, else the session's."""
    sent = flask.request.form.get("csrf_token", "")
    try:
        if flask.request.endpoint == "desk.signin":
            return nonce_token_ok(_serializer("signin"), SIGNIN_COOKIE)
        sid = flask.session.get("sid")
        value = _serializer("form").loads(sent, max_age=SESSION_HOURS * 3600)
        return isinstance(sid, str) and isinstance(value, str) and hmac.compare_digest(value, sid)
    except BadData:
        return False


# --- signing in and out -----------------------------------------------------------------------

def sign_in() -> Reviewer | None | bool:
    """Check the sign-in form: the person signed in (their session opened, in the audit log),
    None for a wrong username or password, False when this address has tried too often."""
    path = state()
    attempt = sessions.take_attempt(path, addr(), SIGNIN_LIMIT, SIGNIN_WINDOW, report=limit_summary)
    if attempt is None:
        return False
    username = flask.request.form.get("username", "")[:MAX_USERNAME]
    person = verify(people(), username, flask.request.form.get("password", ""))
    if person is None:
        audit("desk_signin", ok=False, username=username, addr=addr())
        return None
    sessions.refund(path, attempt)
    old = flask.session.get("sid")
    if isinstance(old, str):
        sessions.revoke(path, old)
    sid = sessions.open_session(path, person.username, fingerprint(person.password_hash), SESSION_HOURS * 3600)
    try:
        audit("desk_signin", ok=True, username=person.username, roles=list(person.roles), addr=addr())
    except sessions.Unavailable:
        sessions.revoke(path, sid)   # a sign-in not recorded is no sign-in
        raise
    flask.session.clear()
    flask.session["sid"] = sid
    flask.session.permanent = True
    flask.g.desk_user = person
    return person


def limit_summary(summary: dict) -> None:
    """A minute's refusals by the desk's limits (sign-in per address, uploads per person), in
    one audit line."""
    audit("desk_limit_summary", **summary)


def sign_out() -> None:
    person = user()
    if person is not None:
        sessions.revoke(state(), flask.session["sid"])
        audit("desk_signout", username=person.username, addr=addr())
    flask.session.clear()
