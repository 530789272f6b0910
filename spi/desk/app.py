"""The desk's Flask application: `create()` makes it, `spi desk` runs it under gunicorn
(`spi.desk.app:create()`), on its own address and port.

It is a separate application from the public site (spi/app.py), never mounted in it: the public
server holds none of its routes, so nothing of the desk can be reached, or leaked, through the
public address. Every answer of the desk is a person's: `Cache-Control: private, no-store`, so
that no shared cache (the nginx in front of the public site, a ministry's proxy) keeps one, and
the headers of the public site (spi/policy.py BASE_HEADERS) with a policy that allows the
desk's own stylesheet and nothing else: no script, no frame, forms only to the desk.
"""
from __future__ import annotations

import os
from html import escape
from pathlib import Path

import flask
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from ..policy import BASE_HEADERS, HSTS
from ..reviewers import safe_next
from ..sessions import Unavailable
from . import auth, calendar, loading, releasing
from .page import document, lang, text, url

MAX_BODY = 1 << 20   # a form; uploads have their own limit
POLICY = ("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; "
          "base-uri 'none'")
STYLESHEET = Path(__file__).with_name("desk.css")

desk = flask.Blueprint("desk", __name__)


def create() -> flask.Flask:
    """The desk: its routes, its session cookie and secret, its rules for every answer."""
    app = flask.Flask(__name__, static_folder=None)
    key = os.environ.get("SPI_SECRET_KEY", "").strip()
    if len(key) < 32:
        raise SystemExit("spi desk needs SPI_SECRET_KEY, a long random value of at least 32 characters "
                         "(e.g. `python -c 'import secrets; print(secrets.token_hex(32))'`)")
    app.secret_key = auth.secret(key)
    app.config.update(SESSION_COOKIE_NAME=auth.DESK_COOKIE, SESSION_COOKIE_HTTPONLY=True,
                      SESSION_COOKIE_SAMESITE="Strict", SESSION_COOKIE_SECURE=auth.secure(),
                      PERMANENT_SESSION_LIFETIME=auth.SESSION_HOURS * 3600, SESSION_REFRESH_EACH_REQUEST=False,
                      MAX_CONTENT_LENGTH=loading.MAX_UPLOAD_BYTES + MAX_BODY)
    app.register_blueprint(desk)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Unavailable, _unavailable)
    app.register_error_handler(Exception, _server_error)
    if os.environ.get("SPI_BEHIND_PROXY") == "1":
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)
    return app


@desk.before_request
def _checked():
    """A body over its limit is a 413 and a POST without its form's token a 400, before any
    route looks at the request."""
    limit = loading.MAX_UPLOAD_BYTES + MAX_BODY if flask.request.endpoint == "desk.upload" else MAX_BODY
    if (flask.request.content_length or 0) > limit:
        flask.abort(413)
    if flask.request.method == "POST" and not auth.token_ok():
        auth.audit("desk_bad_token", path=flask.request.path, addr=auth.addr())
        flask.abort(400)


@desk.after_request
def _headers(response: flask.Response) -> flask.Response:
    h = response.headers
    h["Cache-Control"] = "private, no-store"
    h.pop("Expires", None)
    for name, value in BASE_HEADERS:
        h.setdefault(name, value)
    h["Content-Security-Policy"] = POLICY
    h["X-Frame-Options"] = "DENY"
    h["Cross-Origin-Opener-Policy"] = "same-origin"
    if auth.secure():
        h.setdefault(*HSTS)
    nonce = flask.g.pop("desk_signin_nonce", None)
    if nonce:
        response.set_cookie(auth.SIGNIN_COOKIE, nonce, max_age=auth.FORM_SECONDS, path="/signin", httponly=True,
                            samesite="Strict", secure=auth.secure())
    if flask.g.get("desk_dead_cookie"):
        flask.session.clear()
    return response


def _error_page(status: int) -> flask.Response:
    try:
        lang_ = lang()
    except HTTPException:
        lang_ = "ar"
    body = f'<h1>{escape(text(f"error_{status}", lang_))}</h1><p><a href="{escape(url("desk.home", lang_))}">' \
           f'{escape(text("desk", lang_))}</a></p>'
    response = flask.Response(document(lang_, text(f"error_{status}", lang_), body), status=status, mimetype="text/html")
    return _headers(response)


def _http_error(exc: HTTPException):
    status = exc.code if exc.code in (400, 401, 403, 404, 405, 413) else 400
    response = _error_page(status)
    if status == 405 and getattr(exc, "valid_methods", None):
        response.headers["Allow"] = ", ".join(exc.valid_methods)
    return response


def _unavailable(exc: Unavailable):
    print(f"spi desk: {exc}; {flask.request.method} {flask.request.path} refused with 503", flush=True)
    response = _error_page(503)
    response.headers["Retry-After"] = "60"
    return response


def _server_error(exc: Exception):
    """A fault of the desk, not of the request: a 500 page, the traceback in the server's log only."""
    flask.current_app.logger.exception("error answering %s", flask.request.full_path)
    return _error_page(500)


@desk.get("/desk.css")
def stylesheet():
    return flask.send_file(STYLESHEET, mimetype="text/css", max_age=0)


@desk.route("/signin", methods=["GET", "POST"])
def signin():
    lang_ = lang()
    next_ = safe_next(flask.request.values.get("next"))
    failed = False
    if flask.request.method == "POST":
        person = auth.sign_in()
        if person is False:
            return _signin_page(lang_, next_, "too_many"), 429, {"Retry-After": "60"}
        if person:
            response = flask.redirect(next_ if next_ != "/" else url("desk.home", lang_), 303)
            response.delete_cookie(auth.SIGNIN_COOKIE, path="/signin", httponly=True, samesite="Strict",
                                   secure=auth.secure())
            return response
        failed = True
    return _signin_page(lang_, next_, "signin_failed" if failed else None), 401 if failed else 200


def _signin_page(lang_: str, next_: str, problem: str | None) -> str:
    error = (f'<p id="signin-error" class="desk-error" role="alert">{escape(text(problem, lang_))}</p>'
             if problem else "")
    invalid = ' aria-invalid="true" aria-describedby="signin-error"' if problem == "signin_failed" else ""
    body = (f'<h1>{escape(text("signin_title", lang_))}</h1><p>{escape(text("signin_intro", lang_))}</p>{error}'
            f'<form method="post" action="{escape(url("desk.signin", lang_))}" class="desk-form">'
            f'<input type="hidden" name="csrf_token" value="{escape(auth.signin_token())}">'
            f'<input type="hidden" name="next" value="{escape(next_)}">'
            f'<label for="username">{escape(text("username", lang_))}</label>'
            f'<input id="username" name="username" autocomplete="username" autocapitalize="none" spellcheck="false" '
            f'dir="auto" required{invalid}>'
            f'<label for="password">{escape(text("password", lang_))}</label>'
            f'<input id="password" name="password" type="password" autocomplete="current-password" required{invalid}>'
            f'<button type="submit" class="button">{escape(text("signin", lang_))}</button></form>')
    return document(lang_, text("signin_title", lang_), body)


@desk.post("/signout")
def signout():
    auth.sign_out()
    return flask.redirect(url("desk.signin", lang()), 303)


releasing.register(desk)
loading.register(desk)
calendar.register(desk)
