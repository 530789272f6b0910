"""Pages that answer with another status than 200: an unknown address or indicator (404),
a language the site does not have (400), a database that is missing or cannot be read (503).

The page is rendered as usual (in the page's language, with the navbar) and the status is
noted on the request (flask.g), which dashboard/app.py gives to the HTML answer. In-app
navigation (Dash's router callback) shows the same page; a callback answer has no status.
"""
from __future__ import annotations

from urllib.parse import urlencode

import flask
from dash import html

from store.texts import LANGS, other_lang, t

from .layout import notice_page, shell


def _status(code: int) -> None:
    if flask.has_request_context():
        flask.g.page_status = code


def status_of_request(default: int = 200) -> int:
    return getattr(flask.g, "page_status", default) if flask.has_request_context() else default


def not_found(lang: str):
    """The friendly 404 page."""
    _status(404)
    return shell(lang, "/404", [html.Div(className="page-head", children=[
        html.H1(t("page_not_found", lang)), html.P(t("not_found_text", lang), className="lead")])])


def bad_language(value: str, path: str = "/"):
    """A 400 page for ?lang=<unknown>: both languages say so, with a link to each."""
    _status(400)
    return shell("ar", path, [html.Div(className="notice notice-error", role="alert", children=[
        html.P([t("bad_lang", lang, value=value[:40]), " ",
                html.A(t("switch_lang", other_lang(lang)),  # the language's own name
                       href=f"{path}?{urlencode({'lang': lang})}", lang=lang)], lang=lang)
        for lang in LANGS])])


def path_param(lang: str, path: str, param: str, address: str):
    """A 400 page for a query parameter that the address's path already gives (/embed/X?indicator=Y)."""
    _status(400)
    return notice_page(lang, path, t("path_param", lang, param=param, path=address[:80]))


def unavailable(lang: str, path: str, message_key: str):
    """The database is missing or cannot be read: say what to do (503)."""
    _status(503)
    return notice_page(lang, path, t(message_key, lang))
