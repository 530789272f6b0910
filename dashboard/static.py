"""Static files (Dash's bundles, our assets) compressed once per process and kept in memory.

flask-compress would otherwise re-compress ~1 MB of JavaScript on every request. Bundles
with a fingerprint in their address, and our vendored plotly.js, never change under the
same address: browsers and proxies may keep them for a year.
"""
from __future__ import annotations

import gzip

import brotli
import flask

PREFIXES = ("/_dash-component-suites/", "/assets/")
TYPES = {"application/javascript", "text/javascript", "text/css", "image/svg+xml", "application/json"}
_cache: dict[tuple[str, str, str], bytes] = {}


def compress_static(response: flask.Response) -> flask.Response:
    """after_request: brotli or gzip for static files, from the in-memory copy when there is one."""
    req = flask.request
    if (req.method != "GET" or response.status_code != 200 or not req.path.startswith(PREFIXES)
            or response.mimetype not in TYPES or "Content-Encoding" in response.headers):
        return response
    accept = req.headers.get("Accept-Encoding", "")
    algo = "br" if "br" in accept else "gzip" if "gzip" in accept else None
    if algo is None:
        return response
    key = (req.full_path, algo, response.headers.get("ETag", "") + response.headers.get("Last-Modified", ""))
    body = _cache.get(key)
    if body is None:
        response.direct_passthrough = False
        raw = response.get_data()
        body = brotli.compress(raw, quality=9, lgwin=22) if algo == "br" else gzip.compress(raw, compresslevel=9)
        if len(_cache) < 512:
            _cache[key] = body
    response.direct_passthrough = False
    response.set_data(body)
    response.headers["Content-Encoding"] = algo
    response.headers["Content-Length"] = str(len(body))
    vary = response.headers.get("Vary")
    response.headers["Vary"] = "Accept-Encoding" if not vary else f"{vary}, Accept-Encoding"
    if req.path.startswith("/_dash-component-suites/") or "/vendor/" in req.path:
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
