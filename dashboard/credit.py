"""The credit an exported chart image carries under its source: the site, the view's address
and the licence, so that a chart printed or pasted elsewhere says where it came from and on
what terms. Used by the Download & share panel (dashboard/blocks.py, drawn by
assets/explorer.js) and by `spi publish` (spi/publish.py); dashboard.figures.for_export puts
it under the source line."""
from __future__ import annotations

from store.formats import LRI, PDI
from store.texts import t


def image_credit(lang: str, address: str, licence: str) -> str:
    """The line an exported image adds under its source: the site, the view's address and the
    licence, so a printed chart says where it came from and on what terms."""
    return t("image_credit", lang, site=t("site_title", lang), address=f"{LRI}{address}{PDI}", licence=licence)
