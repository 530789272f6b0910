"""The site's rules for every request and every answer, pages and open data alike.

- A request body is at most MAX_BODY bytes (413 beyond it).
- Every error is a 4xx or 5xx answer in the form the address speaks: JSON under /api/,
  /data/, /image/ and Dash's own routes (api.http.error), a short page in Arabic and English
  elsewhere; never a traceback. A database that is missing or cannot be read is a 503
  that says what to do.
- Every answer carries the headers a public site needs: X-Content-Type-Options,
  Referrer-Policy, Permissions-Policy and a Content-Security-Policy. A page's policy allows
  only this site's scripts and the page's own inline scripts, by their hashes (computed from
  the page as sent), and forbids framing (frame-ancestors 'none') except under /embed/,
  which any site may frame. When the public address (SPI_PUBLIC_URL) is https, browsers are
  told to keep to https (Strict-Transport-Security). The answers the servers in front make
  themselves (gunicorn's own 400, 414, 431 and 500: spi/worker.py; nginx's own errors:
  deploy/nginx/site.conf, filled by spi/proxy.py) carry the same set: own_headers().
- A body the server cannot read (a malformed chunk, a body cut short, a client gone) is a 400.
- /healthz says whether the database can be read, and which build it is.
"""
from __future__ import annotations

import base64
import functools
import hashlib
import logging
import re
from html import escape

import flask
from werkzeug.exceptions import HTTPException

from api.http import error as json_error
from store.address import configured
from store.catalogue import meta
from store.database import DatabaseMissing, SchemaError
from store.texts import LANGS, direction, t

log = logging.getLogger("spi")
MAX_BODY = 1 << 20
JSON_PREFIXES = ("/api/", "/data/", "/_dash-", "/healthz", "/sdmx/", "/image/")
_INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S)
_MESSAGES = {400: "bad_request", 404: "not_found_text", 405: "method_not_allowed", 413: "too_large",
             503: "db_missing"}

# The headers every answer carries, the app's and those the servers in front make themselves.
BASE_HEADERS = (("X-Content-Type-Options", "nosniff"),
                ("Referrer-Policy", "strict-origin-when-cross-origin"),
                ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"))
STRICT_POLICY = "default-src 'none'; frame-ancestors 'none'"   # anything that is not one of the site's pages
HSTS = ("Strict-Transport-Security", "max-age=31536000")
try:   # what gunicorn raises while the app reads a body it cannot parse (a bad chunk size, a bad trailer)
    from gunicorn.http.errors import ParseException as _UnreadableBody
except ImportError:   # served by another WSGI server
    class _UnreadableBody(Exception):
        pass


def own_headers(https: bool) -> tuple[tuple[str, str], ...]:
    """The headers of an answer a server makes by itself (an error page, in HTML, that no one
    may frame): the base set, the strict policy, X-Frame-Options, and HSTS when the public
    address is https. The app gives its own answers the same (_headers), a page its own policy."""
    return (*BASE_HEADERS, ("Content-Security-Policy", STRICT_POLICY), ("X-Frame-Options", "DENY"),
            *((HSTS,) if https else ()))


def https_configured() -> bool:
    """Whether the public address (SPI_PUBLIC_URL) is https (ValueError when it is malformed)."""
    return (configured() or "").startswith("https://")


def install(server: flask.Flask) -> None:
    https = https_configured()  # also refuses a malformed SPI_PUBLIC_URL at start
    server.config["MAX_CONTENT_LENGTH"] = MAX_BODY
    server.before_request(_body_limit)
    server.add_url_rule("/healthz", "healthz", healthz)
    server.register_error_handler(HTTPException, _http_error)
    server.register_error_handler(DatabaseMissing, _unavailable)
    server.register_error_handler(SchemaError, _unavailable)
    server.register_error_handler(_UnreadableBody, _unreadable_body)
    server.register_error_handler(Exception, _server_error)
    server.after_request(functools.partial(_headers, https=https))


def _body_limit():
    """413 for a body over MAX_BODY on any address, before the route looks at the request
    (Flask's MAX_CONTENT_LENGTH alone only applies when a route reads the body)."""
    if (flask.request.content_length or 0) > MAX_BODY:
        flask.abort(413)


def healthz():
    try:
        m = meta()
        body, status = {"ok": True, "build_id": m.build_id, "built_at": m.built_at.isoformat(timespec="seconds"),
                        "observation_count": m.observation_count}, 200
    except (DatabaseMissing, SchemaError) as exc:
        body, status = {"ok": False, "error": str(exc)}, 503
    response = flask.jsonify(body)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


def answer(status: int, code: str, message_key: str, **fields) -> flask.Response:
    """An error in the form the address speaks: JSON for the data and Dash routes, else a page
    saying it in both languages (the text `message_key`, filled with `fields`)."""
    if flask.request.path.startswith(JSON_PREFIXES):
        return json_error(status, code, t(message_key, "en", **fields))
    lang = "en" if flask.request.args.get("lang") == "en" else "ar"
    other = "ar" if lang == "en" else "en"
    body = "".join(f'<p lang="{x}" dir="{direction(x)}">{escape(t(message_key, x, **fields))}</p>' for x in (lang, other))
    page = (f'<!DOCTYPE html><html lang="{lang}" dir="{direction(lang)}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>{escape(t("site_title", lang))}</title><link rel="icon" href="/_favicon.ico">'
            '<link rel="stylesheet" href="/assets/style.css"></head>'
            f'<body><main class="page error-page">{body}<p>'
            + " · ".join(f'<a href="/?lang={x}" lang="{x}">{escape(t("page_overview", x))}</a>' for x in LANGS)
            + "</p></main></body></html>")
    return flask.Response(page, status=status, mimetype="text/html", headers={"Cache-Control": "no-store"})


def _http_error(exc: HTTPException):
    status = exc.code or 500
    response = answer(status, (exc.name or "error").lower().replace(" ", "_"), _MESSAGES.get(status, "error_generic"))
    if status == 405 and getattr(exc, "valid_methods", None):
        response.headers["Allow"] = ", ".join(exc.valid_methods)
    return response


def _unavailable(exc: Exception):
    log.error("%s", exc)
    return answer(503, "no_database", exc.text_key)


def _unreadable_body(exc: Exception):
    """A body gunicorn could not parse as the app read it: the client's fault, a 400 (gunicorn
    then closes the connection: where the next request would start is unknown)."""
    log.warning("unreadable request body on %s: %s", flask.request.path, exc)
    return answer(400, "bad_request", "bad_request")


def _server_error(exc: Exception):
    log.exception("error answering %s", flask.request.full_path)
    return answer(500, "internal_error", "error_generic")


@functools.lru_cache(maxsize=256)
def _hash(script: bytes) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script).digest()).decode() + "'"


def page_policy(html: bytes, frameable: bool) -> str:
    """The Content-Security-Policy of a page: this site's files, and the page's inline scripts
    by hash. Styles may be inline (React and plotly.js set style attributes)."""
    scripts = " ".join(["'self'", *dict.fromkeys(_hash(s) for s in _INLINE_SCRIPT.findall(html))])
    ancestors = "*" if frameable else "'none'"
    return "; ".join([
        "default-src 'self'", f"script-src {scripts}", "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:", "font-src 'self' data:", "connect-src 'self'", "object-src 'none'",
        "base-uri 'self'", "form-action 'self'", f"frame-ancestors {ancestors}"])


def _empty(response: flask.Response) -> bool:
    """An answer that has no body: a 204, or an empty one (OPTIONS). Not a 304, which stands for
    the answer a cache holds, its headers included."""
    if response.status_code in (204, 304):
        return response.status_code == 204
    return not response.is_streamed and not response.direct_passthrough and not response.get_data()


def _headers(response: flask.Response, https: bool) -> flask.Response:
    h = response.headers
    if _empty(response) and "Content-Encoding" not in h:
        # No body: no type to read it as (Flask's default is text/html), so not a page; and
        # nothing to compress (flask-compress would send an empty body as 20 bytes of gzip,
        # which a 204 may not have and a proxy's gunzip cannot read).
        h.pop("Content-Type", None)
        if response.status_code != 204:
            h["Content-Length"] = "0"
    for name, value in BASE_HEADERS:
        h.setdefault(name, value)
    frameable = flask.request.path.startswith("/embed/")
    if response.mimetype == "text/html" and not response.direct_passthrough and "Content-Encoding" not in h:
        h["Content-Security-Policy"] = page_policy(response.get_data(), frameable)
        h["Cross-Origin-Opener-Policy"] = "same-origin"
        if not frameable:
            h["X-Frame-Options"] = "DENY"
    else:
        h.setdefault("Content-Security-Policy", STRICT_POLICY)
    if https:
        h.setdefault(*HSTS)
    return response
