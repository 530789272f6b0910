"""The web application: the dashboard (dashboard/) and the open-data service (api/) on one
Flask server, with the site's rules for every request (spi/policy.py) and for caches
(spi/caching.py). gunicorn runs `spi.app:server`; `spi serve` starts it.

Behind a reverse proxy (SPI_BEHIND_PROXY=1, which `spi serve --proxy` and `--behind-proxy`
set), the client's address and scheme are read from the X-Forwarded-For and -Proto headers
the one proxy in front sets (werkzeug's ProxyFix), so that the reviewers' sign-in limit counts
clients, not the proxy. Only then: anyone could send those headers to a server reached directly.
"""
from __future__ import annotations

import os

import flask
from flask_compress import Compress
from werkzeug.middleware.proxy_fix import ProxyFix

import api
from dashboard.app import server as _dash_server
from dashboard.static import compress_static

from . import caching, embargo, images, policy, preview, reviewers


def create() -> flask.Flask:
    """The composed server (the dashboard's Flask app, which Dash creates once per process)."""
    server = _dash_server
    if "spi" in server.extensions:
        return server
    server.extensions["spi"] = True
    server.config.update(
        SEND_FILE_MAX_AGE_DEFAULT=86400,
        COMPRESS_MIMETYPES=["text/html", "text/css", "text/csv", "application/javascript", "text/javascript",
                            "application/json", "image/svg+xml"],
        COMPRESS_ALGORITHM=["br", "gzip"], COMPRESS_LEVEL=6,
        # brotli level 4 for dynamic answers: a fifth more bytes than level 5, in half the time
        COMPRESS_BR_LEVEL=4)
    # after_request hooks run last-registered first: the policy sees each answer before it is
    # compressed (it hashes a page's inline scripts), and static files are compressed (once,
    # kept in memory) before flask-compress would compress them again on every request
    Compress(server)
    preview.install(server)   # `spi serve --preview` only: its wall first, its private headers last
    server.after_request(compress_static)
    api.register(server)   # /data/… downloads and the /api/v1 HTTP API
    images.install(server)   # /image/<indicator>.png: a view's chart, for link previews
    reviewers.init_app(server)
    # before the policy: its after_request hook runs later, so the release's caching rules
    # (private for reviewers and embargoed releases) are the last word
    embargo.install(server)
    policy.install(server)
    caching.install(server)   # after the embargo's choice of release; its after_request runs first
    if os.environ.get("SPI_BEHIND_PROXY") == "1":
        server.wsgi_app = ProxyFix(server.wsgi_app, x_for=1, x_proto=1)
    return server


server = create()
