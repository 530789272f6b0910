"""Any unknown address: a friendly page in the page's language, with the navbar (status 404)."""
from __future__ import annotations

import dash

from store.texts import t

from ..status import not_found

dash.register_page(__name__, path="/404", nav=False, name="Not found", name_ar=t("page_not_found", "ar"),
                   name_en=t("page_not_found", "en"), title_key="page_not_found")


def layout(lang: str, **_):
    return not_found(lang)
