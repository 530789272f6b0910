"""HTTP plumbing shared by the routes: errors as JSON, caching from the build, compression.

* Every answer carries `ETag` (from the database build, the address and the query) and
  `Last-Modified` (when the build was made); `If-None-Match` or `If-Modified-Since` that
  still match get `304 Not Modified` before any query runs (`fresh`, which the site's pages
  use too: spi/caching.py). `Cache-Control: public, no-cache` lets browsers and proxies keep
  the bytes but ask again (cheaply) after a rebuild; it is the only caching header an answer
  carries (no `Expires`, whatever made the body). The composed site gives public answers a
  freshness lifetime in its place (spi/caching.py). Errors are `Cache-Control: no-store`.
* Every answer of these routes, errors included, is `X-Content-Type-Options: nosniff`.
* Compression: answers are gzip-compressed here when the client accepts it, unless a
  Content-Encoding is already set; if the app also runs flask-compress, it sees the
  Content-Encoding and leaves the answer alone, so the routes work with or without it.
  Already-compressed formats (XLSX, ZIP, Parquet, PNG) are never recompressed.
"""
from __future__ import annotations

import gzip
import hashlib
from email.utils import format_datetime
from datetime import timezone

from flask import Response, request

from contract.schema import LANGS
from store import releases
from store.texts import UnknownLanguage
from store.view import ParamError

from .formats import dumps

API_REVISION = "opendata-5"  # bump when the shape of any answer changes, to invalidate ETags
COMPRESSIBLE = ("application/json", "text/csv", "text/plain", "text/html", "application/schema+json",
                "application/atom+xml", "application/xml",
                "application/vnd.sdmx.data+csv", "application/vnd.sdmx.data+json", "application/vnd.sdmx.structure+xml",
                "application/vnd.sdmx.genericdata+xml", "application/vnd.sdmx.structurespecificdata+xml",
                "application/ld+json")
MIN_COMPRESS = 512


def error(status: int, code: str, message: str, parameter: str | None = None, allowed=None, headers=None) -> Response:
    """A JSON error: {"error": {"status", "code", "message", "parameter", "allowed"}}, never cached."""
    err = ParamError(parameter, message, status=status, code=code, allowed=allowed)
    resp = Response(dumps(err.as_json()), status=status, mimetype="application/json")
    resp.headers["Cache-Control"] = "no-store"
    resp.headers["X-Content-Type-Options"] = "nosniff"
    for k, v in (headers or {}).items():
        resp.headers[k] = v
    return resp


def from_param_error(exc: ParamError) -> Response:
    return error(exc.status, exc.code, exc.message, exc.parameter, exc.allowed)


def language_error(exc: UnknownLanguage) -> Response:
    """A `lang` the language policy refuses (store.texts.lang_of): 400, as for any bad value."""
    return error(400, "invalid_parameter", str(exc), "lang", list(LANGS))


def etag_for(version: str) -> str:
    """A validator for this exact request on this build (path + query string)."""
    h = hashlib.sha256()
    for part in (API_REVISION, version, request.path, request.query_string.decode("latin-1")):
        h.update(part.encode("utf-8", "surrogateescape"))
        h.update(b"\0")
    return h.hexdigest()[:32]


def fresh(version: str, built_at=None) -> tuple[str, Response | None]:
    """This request's validator on `version` (the build read, and whatever else the answer
    depends on), and the 304 to answer instead when the client holds that version already.
    A reading of a release still under embargo has validators of its own (its answers carry
    the embargo notice). Without `built_at`, If-Modified-Since is not honoured (for answers
    that change with more than the build)."""
    etag = etag_for(releases.cache_key(version))
    return etag, not_modified(etag, built_at)


def not_modified(etag: str, built_at) -> Response | None:
    """A 304 answer if the client already holds this version, else None."""
    if request.if_none_match:
        if request.if_none_match.contains_weak(etag):
            return _304(etag, built_at)
        return None
    if request.if_modified_since is not None and built_at is not None:
        built = built_at.replace(tzinfo=timezone.utc, microsecond=0)
        if request.if_modified_since >= built:
            return _304(etag, built_at)
    return None


def _304(etag: str, built_at) -> Response:
    resp = Response(status=304)
    resp.set_etag(etag, weak=True)
    _cache_headers(resp, built_at)
    return resp


def _cache_headers(resp: Response, built_at) -> None:
    """The one place a successful answer's caching headers are set (and nosniff). Flask's
    send_file adds an `Expires` (and a max-age) from the app's SEND_FILE_MAX_AGE_DEFAULT,
    which would contradict `no-cache`; the whole Cache-Control is replaced and `Expires`
    removed here, so every answer says the same thing."""
    if built_at is not None:
        resp.headers["Last-Modified"] = format_datetime(built_at.replace(tzinfo=timezone.utc, microsecond=0), usegmt=True)
    resp.headers["Cache-Control"] = "public, no-cache"
    resp.headers.pop("Expires", None)
    resp.headers["X-Content-Type-Options"] = "nosniff"
    vary = resp.headers.get("Vary")
    if not vary:
        resp.headers["Vary"] = "Accept-Encoding"
    elif "accept-encoding" not in vary.lower():
        resp.headers["Vary"] = f"{vary}, Accept-Encoding"


def finish(resp: Response, etag: str, built_at, filename: str | None = None) -> Response:
    """Cache validators, download name, the release it was read from and, where it pays,
    compression. Every answer names its release and the hash of that release's entry in the
    published chain (/data/releases.json): a file downloaded today can be checked against the
    record years later."""
    resp.set_etag(etag, weak=True)
    _cache_headers(resp, built_at)
    choice = releases.current()
    if choice is not None:
        resp.headers["X-Release"] = choice.release.release_id
        resp.headers["X-Release-SHA256"] = choice.release.sha256
    if filename:
        if releases.embargo_notice("en"):   # a reviewer's file of a release not yet public says so in its name
            filename = f"EMBARGOED-{filename}"
        resp.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return compress(resp)


def compress(resp: Response) -> Response:
    if (request.method == "HEAD" or resp.direct_passthrough or resp.is_streamed
            or "Content-Encoding" in resp.headers or resp.status_code < 200 or resp.status_code in (204, 304)
            or resp.mimetype not in COMPRESSIBLE):
        return resp
    accepted = request.accept_encodings
    if not accepted or accepted["gzip"] <= 0 and accepted["*"] <= 0:
        return resp
    data = resp.get_data()
    if len(data) < MIN_COMPRESS:
        return resp
    resp.set_data(gzip.compress(data, compresslevel=6, mtime=0))
    resp.headers["Content-Encoding"] = "gzip"
    return resp
