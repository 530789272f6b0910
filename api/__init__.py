"""Open data: stable download addresses (/data/…) and a read-only HTTP API (/api/v1/…).

The app factory (spi/app.py) adds these routes to its Flask server with
`api.register(server)`. Everything is read through the read layer (store/): the catalogue
(store.catalogue), which figures a request selects (store.view), the SQL (store.queries)
and the words (store.texts). api/ never imports dashboard/, nor dashboard/ api/.

Reading order: params.py (the request's own arguments), shape.py (the columns a reader
asked for), formats.py and xlsx.py (the files), documents.py and readme.py (metadata and
words), dataset.py (whole dataset and data package), http.py (errors, caching,
compression), routes.py (addresses), openapi.py (the document that describes them), and
sdmx/ (the same figures as SDMX structures and data under /sdmx/).
"""
from __future__ import annotations

import flask


def register(server: flask.Flask) -> None:
    """Add the download and API routes to a Flask app (idempotent)."""
    from .routes import bp
    from .sdmx import routes as sdmx_routes   # adds the /sdmx/ addresses to bp
    if "opendata" not in server.blueprints:
        sdmx_routes.converters(server)
        server.register_blueprint(bp)
