"""gunicorn's threaded worker, whose own answers carry the site's headers.

gunicorn answers some requests itself, before or after the app: a request line it cannot read
(400), one too long (414), headers too large (431), a request it refuses (403, 417, 501), and
its own 500 when the app fails outside Flask. Its answer is a short HTML page with no headers
but its own; this worker adds the ones every answer of the site carries (spi/policy.py
own_headers: the same set the app and nginx give), keeping gunicorn's choice of status and text.
`spi serve` runs it (spi/serve.py: --worker-class spi.worker.Worker).
"""
from __future__ import annotations

from gunicorn.workers.gthread import ThreadWorker

from .policy import https_configured, own_headers


def _header_block(https: bool) -> bytes:
    return b"".join(f"{name}: {value}\r\n".encode("latin-1") for name, value in own_headers(https))


class _WithHeaders:
    """The client's socket as gunicorn's error writer uses it (gettimeout, setblocking,
    sendall): the site's headers go in after the status line of the answer it writes."""

    def __init__(self, sock, headers: bytes):
        self._sock = sock
        self._headers = headers
        self._first = True

    def sendall(self, data: bytes, *args):
        if self._first and data.startswith(b"HTTP/"):
            status, _, rest = data.partition(b"\r\n")
            data = status + b"\r\n" + self._headers + rest
        self._first = False
        return self._sock.sendall(data, *args)

    def __getattr__(self, name):
        return getattr(self._sock, name)


class Worker(ThreadWorker):
    """gthread, with the site's headers on gunicorn's own error answers, and one answer per
    request: a body the app left unread is drained after its answer, and when that body turns
    out malformed (a bad chunk size), gunicorn would write a second answer, a 400 no one asked
    for, on the same connection; here the connection is just closed."""

    _own_headers: bytes | None = None

    def handle_request(self, req, conn):
        keepalive = super().handle_request(req, conn)
        req.spi_answered = True
        return keepalive

    def handle_error(self, req, client, addr, exc):
        if getattr(req, "spi_answered", False):
            self.log.warning("after its answer, the rest of the request from ip=%s could not be read: %s",
                             (addr or ("",))[0], exc)
            return
        if self._own_headers is None:
            self._own_headers = _header_block(https_configured())
        super().handle_error(req, _WithHeaders(client, self._own_headers), addr, exc)
