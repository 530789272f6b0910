"""Open data: stable download addresses (/data/…) and a read-only HTTP API (/api/v1/…).

dashboard/app.py adds these routes to the dashboard's Flask server with
`api.register(server)`.

Reading order: params.py (what a request may ask), queries.py (the SQL), formats.py and
xlsx.py (the files), dataset.py (whole dataset and data package), routes.py (addresses),
openapi.py (the document that describes them).
"""
from __future__ import annotations

import flask


def register(server: flask.Flask) -> None:
    """Add the download and API routes to a Flask app (idempotent)."""
    from .routes import bp
    if "opendata" not in server.blueprints:
        server.register_blueprint(bp)
