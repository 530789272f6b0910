"""The web application: the dashboard (dashboard/) and the open-data service (api/) on one
Flask server, with the site's rules for every request (spi/policy.py). gunicorn runs
`spi.app:server`; `spi serve` starts it.
"""
from __future__ import annotations

import flask
from flask_compress import Compress

import api
from dashboard.app import server as _dash_server
from dashboard.static import compress_static

from . import embargo, policy, reviewers


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
    server.after_request(compress_static)
    api.register(server)   # /data/… downloads and the /api/v1 HTTP API
    reviewers.init_app(server)
    # before the policy: its after_request hook runs later, so the release's caching rules
    # (private for reviewers and embargoed releases) are the last word
    embargo.install(server)
    policy.install(server)
    return server


server = create()
