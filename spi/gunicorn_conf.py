"""gunicorn hooks: warm each worker before it takes traffic (imports, page caches, the
compressed static bundles), so the first visitor does not pay for a cold start."""
from __future__ import annotations

import re

WARM_PAGES = ("/", "/?lang=en", "/explorer", "/explorer?lang=en", "/governorates", "/about")


def warm_up(server) -> None:
    """Render the main pages once and compress the static bundles they load."""
    from dashboard.app import PLOTLY_BUNDLE, app
    client = server.test_client()
    page = None
    for url in WARM_PAGES:
        page = client.get(url)
    for src in re.findall(r'src="([^"]+)"', page.get_data(as_text=True)):
        for encoding in ("br", "gzip"):
            client.get(src, headers={"Accept-Encoding": encoding})
    client.get(app.get_asset_url(PLOTLY_BUNDLE), headers={"Accept-Encoding": "br"})


def post_worker_init(worker):  # noqa: D401 - gunicorn hook
    from spi.app import server
    try:
        warm_up(server)
    except Exception as exc:  # noqa: BLE001 - never stop a worker for this
        worker.log.warning("warm-up failed: %s", exc)
