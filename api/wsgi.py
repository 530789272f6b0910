"""gunicorn entry point: the dashboard's Flask server with the open-data routes on it.

    gunicorn --no-control-socket api.wsgi:app

(Once dashboard/app.py calls api.register(server) itself, `dashboard.app:server` serves the
same routes and this module is only a convenience.)
"""
from __future__ import annotations

import api
from dashboard.app import server as app

api.register(app)
