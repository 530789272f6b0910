"""Any unknown address: a friendly page in the page's language, with the navbar."""
from __future__ import annotations

import dash
from dash import html

from ..i18n import norm_lang, t
from ..layout import shell, title_for

dash.register_page(__name__, path="/404", nav=False, name="Not found", name_ar=t("page_not_found", "ar"),
                   name_en=t("page_not_found", "en"), title=title_for("page_not_found"))


def layout(lang: str | None = None, **_):
    lang = norm_lang(lang if isinstance(lang, str) else None)
    return shell(lang, "/404", [html.Div(className="page-head", children=[
        html.H1(t("page_not_found", lang)), html.P(t("not_found_text", lang), className="lead")])])
