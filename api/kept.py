"""Answers kept in memory by their ETag, for the open-standard data answers (SDMX, JSON-stat).

A harvester or a statistical client asks for the same series again and again, most often
without If-None-Match (R's and Python's clients keep no HTTP cache): the second time it gets
the bytes made the first time, compressed once, without the query being run or the document
written again. The key is the answer's ETag (api/http.py `fresh`: the release read, embargoed
or not, the address, the query and whatever else the caller folds in, such as a negotiated
format) and the public base of its links. Bounded in number and in bytes; an answer larger
than LARGEST_KEPT is made every time (one request must not push every other one out).
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Callable

from flask import Response, request

from store.address import public_base

KEPT_ANSWERS, KEPT_BYTES, LARGEST_KEPT = 64, 64 << 20, 8 << 20
_kept: OrderedDict[tuple, list] = OrderedDict()   # key -> [body, content type, gzip of the body or None]
_lock = threading.Lock()


def served(etag: str, make: Callable[[], Response], finish: Callable[[Response], Response]) -> Response:
    """The answer kept for `etag` on this public base, or `make()` kept; then `finish` (the
    route's headers and compression), whose gzip is kept too so it is compressed only once."""
    key = (etag, public_base(request.host_url))
    resp = _kept_answer(key)
    if resp is None:
        resp = make()
        if resp.status_code == 200:
            _keep(key, resp)
    resp = finish(resp)
    if resp.status_code == 200 and resp.headers.get("Content-Encoding") == "gzip":
        _keep_gzip(key, resp.get_data())
    return resp


def _kept_answer(key: tuple) -> Response | None:
    """The kept answer, gzip-compressed already when the client takes gzip and it was once."""
    with _lock:
        found = _kept.get(key)
        if found is not None:
            _kept.move_to_end(key)
    if found is None:
        return None
    body, content_type, zipped = found
    takes = request.accept_encodings
    if zipped is not None and request.method == "GET" and (takes["gzip"] > 0 or takes["*"] > 0):
        resp = Response(zipped, content_type=content_type)
        resp.headers["Content-Encoding"] = "gzip"
        return resp
    return Response(body, content_type=content_type)


def _keep(key: tuple, resp: Response) -> None:
    body = resp.get_data()
    if len(body) > LARGEST_KEPT:
        return
    with _lock:
        _kept[key] = [body, resp.content_type, None]
        while len(_kept) > KEPT_ANSWERS or sum(len(e[0]) + len(e[2] or b"") for e in _kept.values()) > KEPT_BYTES:
            _kept.popitem(last=False)


def _keep_gzip(key: tuple, zipped: bytes) -> None:
    with _lock:
        found = _kept.get(key)
        if found is not None and found[2] is None:
            found[2] = zipped

