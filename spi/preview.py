"""The public site as releasing the candidate would make it, for the statistics unit only:
`spi serve --preview` runs the site's own software on the candidate (the database `spi build`
writes, data/processed/indicators.duckdb) with SPI_PREVIEW=1, which `install` reads.

Why a server of its own and not a page of the desk: the site is the Dash application, with its
scripts and its own Content-Security-Policy, and the desk allows no script at all. Served apart,
the preview is exactly the software the public will be served, on the figures the public will
see, and the desk stays script-free; the desk links to it (SPI_PREVIEW_URL).

What makes it private: nothing is answered to a visitor who is not signed in as a person of the
reviewers' file, whatever their roles (the same people and passwords as the desk, through the
reviewers' sign-in of the site) but the sign-in page, the software's own static files and the
health check (which names the build, no figure); a page is a redirect to sign in, a data address
a 401 in JSON. Every answer is `private, no-store` (no shared cache keeps one) and `noindex`,
and every page says at its top, in Arabic and English, that it is a preview of figures not yet
published. Each page seen is a line in the audit log naming the build it showed, as an embargoed
view is: whoever saw the candidate's figures is on the list of pre-release access published with
the release made of that build (store/prerelease.py).
"""
from __future__ import annotations

import os
from html import escape
from urllib.parse import urlencode

import flask

from api.http import error as json_error
from store.database import db
from store.texts import direction, other_lang

from . import reviewers
from .policy import JSON_PREFIXES

ENV = reviewers.PREVIEW_ENV
OPEN = ("/signin", "/signout", "/healthz")         # the way in and out; whether the database reads
FILES = ("/assets/", "/_dash-component-suites/", "/_favicon")   # the software's code and styles, no figure
BANNER = {"ar": "معاينة: الموقع كما سيبدو بعد نشر الإصدار المرشَّح. هذه الأرقام لم تُنشر بعد، فلا تتداولها.",
          "en": "Preview: the site as it would look once the candidate is released. These figures are not "
                "published yet: do not share them."}
LABEL = {"ar": "معاينة", "en": "Preview"}   # a landmark of its own: every content in one (axe)
_SIGN_IN = {"ar": "سجِّل الدخول لمعاينة الإصدار المرشَّح.", "en": "Sign in to preview the candidate."}


def on(environ=os.environ) -> bool:
    return environ.get(ENV) == "1"


def install(server: flask.Flask) -> None:
    """The wall around a preview server (nothing at all on the public site). Installed before
    the site's other rules: its before_request runs first and its after_request last."""
    if not on():
        return
    server.before_request(_wall)
    server.after_request(_private)


def _wall():
    path = flask.request.path
    if path in OPEN or path.startswith(FILES):
        return None
    who = reviewers.current_reviewer()
    if who is None:
        if path.startswith(JSON_PREFIXES):
            return json_error(401, "preview_signin", _SIGN_IN["en"])
        lang = "en" if flask.request.args.get("lang") == "en" else "ar"
        query = {"next": flask.request.full_path.rstrip("?"), **({"lang": "en"} if lang == "en" else {})}
        return flask.redirect("/signin?" + urlencode(query), 303)
    if not path.startswith(JSON_PREFIXES):   # a page: the build it shows, for the list of pre-release access
        reviewers.audit("preview_view", reviewer=who, name=reviewers.current_name(), build=db().build_id,
                        path=path[:200], addr=reviewers.addr())
    return None


def _private(response: flask.Response) -> flask.Response:
    response.headers["Cache-Control"] = reviewers.NO_STORE
    response.headers.pop("Expires", None)
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    if response.mimetype == "text/html" and not response.direct_passthrough and response.status_code == 200:
        body = response.get_data(as_text=True)
        response.set_data(body.replace("<body>", "<body>" + banner(_lang_of(body)), 1))
    return response


def _lang_of(page: str) -> str:
    return "en" if '<html lang="en"' in page[:400] else "ar"


def banner(lang: str) -> str:
    """The notice at the top of every page of the preview, in its language and then the other."""
    said = "".join(f'<span lang="{x}" dir="{direction(x)}">{escape(BANNER[x])}</span>' for x in (lang, other_lang(lang)))
    return f'<section class="preview-banner" aria-label="{escape(LABEL[lang])}">{said}</section>'
