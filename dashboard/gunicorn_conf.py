"""gunicorn hooks: warm each worker before it takes traffic (imports, page caches, the
compressed static bundles), so the first visitor does not pay for a cold start."""
from __future__ import annotations


def post_worker_init(worker):  # noqa: D401 - gunicorn hook
    try:
        from dashboard.app import warm_up
        warm_up()
    except Exception as exc:  # noqa: BLE001 - never stop a worker for this
        worker.log.warning("warm-up failed: %s", exc)
