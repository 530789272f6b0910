"""The Dash app: pages from dashboard/pages/, Arabic first, served fast.

`server` (the Flask app) is what gunicorn runs (`dashboard.app:server`); the open-data
routes (api.register) are added to it here.

Speed, by design:
- The requested page is rendered on the server and sent inside the first HTML response
  (#ssr), so cards, sparklines and tables paint before any JavaScript has run; the scripts
  are deferred. When React has rendered the same page, CSS hides the server copy.
- Charts use the plotly.js basic bundle (1.2 MB, loaded only by pages with a chart).
- Responses are compressed (flask-compress), static files cached, views cached per build.
<html lang dir> is set on the server from ?lang= (Arabic by default, right to left).
"""
from __future__ import annotations

import functools
import logging
import re
import time
from pathlib import Path
from urllib.parse import urlencode

import dash
import flask
import plotly.io
from dash import Dash, html
from flask_compress import Compress

import api

from . import data
from .i18n import direction, norm_lang, t
from .render import to_html
from .wire import to_wire

HERE = Path(__file__).resolve().parent
PLOTLY_BUNDLE = "vendor/plotly-basic-4.1.1.min.js"
log = logging.getLogger("dashboard")

INDEX = """<!DOCTYPE html>
<html lang="{%lang%}" dir="{%dir%}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
{%metas%}
<title>{%title%}</title>
{%favicon%}
{%css%}
</head>
<body>
{%app_entry%}
<footer class="dash-scripts">
{%config%}
{%scripts%}
{%renderer%}
</footer>
</body>
</html>"""


class App(Dash):
    """Dash with a server-rendered first paint and the page's language on <html>."""

    def interpolate_index(self, **kw):
        lang = norm_lang(flask.request.args.get("lang")) if flask.has_request_context() else "ar"
        ssr, title = server_render()
        scripts = re.sub(r"<script src=", "<script defer src=", kw.get("scripts", ""))
        # no page uses dash_table: leave its bundle out
        scripts = re.sub(r'<script defer src="[^"]*/dash_table/[^"]*"></script>\s*', "", scripts)
        renderer = kw.get("renderer", "")
        renderer = renderer.replace("var renderer = new DashRenderer();",
                                    "document.addEventListener('DOMContentLoaded', function () "
                                    "{ window.renderer = new DashRenderer(); });")
        head_extra = ""
        if flask.has_request_context() and flask.request.path.startswith(("/explorer", "/embed")):
            # the chart's plotly.js bundle downloads while React starts, not after
            head_extra = (f'<link rel="preload" as="script" href="{self.get_asset_url(PLOTLY_BUNDLE)}">')
        kw["css"] = kw.get("css", "") + head_extra
        entry = ('<div id="react-entry-point"></div>\n'
                 f'<div id="ssr" class="ssr">{ssr}</div>')
        values = dict(kw, lang=lang, dir=direction(lang), app_entry=entry, scripts=scripts, renderer=renderer,
                      title=title or kw.get("title", ""))
        out = self.index_string
        for key, value in values.items():
            out = out.replace("{%" + key + "%}", value or "")
        return out


def server_render() -> tuple[str, str | None]:
    """HTML of the page at the request's path and query, and its title (never raises)."""
    if not flask.has_request_context():
        return "", None
    lang = norm_lang(flask.request.args.get("lang"))
    try:
        from dash._pages import _path_to_page  # the router's own matcher
        path = app.strip_relative_path(flask.request.path) or ""
        page, variables = _path_to_page(path)
        if not page:
            page = next((p for m, p in dash.page_registry.items() if m.split(".")[-1] == "not_found_404"), {})
        layout = page.get("layout")
        params = {k: v[0] if len(v) == 1 else v for k, v in flask.request.args.lists()}
        if callable(layout):
            layout = layout(**{**(variables or {}), **params})
        title = page.get("title")
        if callable(title):
            title = title(**(variables or {}))
        return to_html(layout), title
    except Exception:  # noqa: BLE001 - the React page will still render; log and carry on
        log.exception("server render failed for %s", flask.request.full_path)
        return f'<div class="page"><p class="notice">{t("error_generic", lang)}</p></div>', None


# Callback answers as UTF-8 through orjson, not \u-escaped through json (dashboard/wire.py).
plotly.io.json.config.default_engine = "orjson"

app = App(
    "dashboard",  # the package: pages are imported as dashboard.pages.<name>
    use_pages=True,
    pages_folder=str(HERE / "pages"),
    assets_folder=str(HERE / "assets"),
    assets_ignore=r"^plotly-basic-.*\.js$",  # fetched by dcc.Graph only when a chart is drawn
    serve_locally=True,
    suppress_callback_exceptions=True,
    update_title=None,
    title=t("site_title", "ar"),
    index_string=INDEX,
    compress=False,
)
server = app.server
server.config["SEND_FILE_MAX_AGE_DEFAULT"] = 86400
server.config["COMPRESS_MIMETYPES"] = ["text/html", "text/css", "text/csv", "application/javascript",
                                       "text/javascript", "application/json", "image/svg+xml"]
server.config["COMPRESS_ALGORITHM"] = ["br", "gzip"]
server.config["COMPRESS_LEVEL"] = 6
server.config["COMPRESS_BR_LEVEL"] = 4
Compress(server)
api.register(server)  # open data: /data/… downloads and the /api/v1 HTTP API
app.layout = dash.page_container


def _in_wire_form(layout):
    """A page's layout function answering in Dash's wire form (dashboard/wire.py), so the
    router's answer on each in-app navigation is serialised in one orjson pass."""
    @functools.wraps(layout)
    def wired(**params):
        return to_wire(layout(**params))
    return wired


for _page in dash.page_registry.values():
    if callable(_page["layout"]):
        _page["layout"] = _in_wire_form(_page["layout"])

# Static files (Dash's bundles, our assets) are compressed once per process and kept in
# memory; flask-compress would otherwise re-compress ~1 MB of JavaScript on every request.
_STATIC_PREFIXES = ("/_dash-component-suites/", "/assets/")
_STATIC_TYPES = {"application/javascript", "text/javascript", "text/css", "image/svg+xml", "application/json"}
_static_cache: dict[tuple[str, str, str], bytes] = {}


@server.after_request  # registered after Compress, so it runs first
def _compress_static(response: flask.Response):
    req = flask.request
    if (req.method != "GET" or response.status_code != 200 or not req.path.startswith(_STATIC_PREFIXES)
            or response.mimetype not in _STATIC_TYPES or "Content-Encoding" in response.headers):
        return response
    accept = req.headers.get("Accept-Encoding", "")
    algo = "br" if "br" in accept else "gzip" if "gzip" in accept else None
    if algo is None:
        return response
    key = (req.full_path, algo, response.headers.get("ETag", "") + response.headers.get("Last-Modified", ""))
    body = _static_cache.get(key)
    if body is None:
        response.direct_passthrough = False
        raw = response.get_data()
        if algo == "br":
            import brotli
            body = brotli.compress(raw, quality=9, lgwin=22)
        else:
            import gzip
            body = gzip.compress(raw, compresslevel=9)
        if len(_static_cache) < 512:
            _static_cache[key] = body
    response.direct_passthrough = False
    response.set_data(body)
    response.headers["Content-Encoding"] = algo
    response.headers["Content-Length"] = str(len(body))
    vary = response.headers.get("Vary")
    response.headers["Vary"] = "Accept-Encoding" if not vary else f"{vary}, Accept-Encoding"
    if req.path.startswith("/_dash-component-suites/") or "/vendor/" in req.path:
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


@server.route("/healthz")
def healthz():
    try:
        return flask.jsonify({"ok": True, **data.status()})
    except Exception as exc:  # noqa: BLE001
        return flask.jsonify({"ok": False, "error": str(exc)}), 503


@server.errorhandler(500)
def _server_error(_exc):
    lang = norm_lang(flask.request.args.get("lang"))
    body = (f'<!DOCTYPE html><html lang="{lang}" dir="{direction(lang)}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{t("site_title", lang)}</title>'
            f'</head><body><main><p>{t("error_generic", lang)}</p><p><a href="/?{urlencode({"lang": lang})}">'
            f'{t("page_overview", lang)}</a></p></main></body></html>')
    return body, 500, {"Content-Type": "text/html; charset=utf-8"}


def warm_up() -> None:
    """Render the main pages once and compress the static bundles (called per worker)."""
    client = server.test_client()
    for url in ("/", "/?lang=en", "/explorer", "/explorer?lang=en", "/governorates", "/about"):
        page = client.get(url)
    for src in re.findall(r'src="([^"]+)"', page.get_data(as_text=True)):
        client.get(src, headers={"Accept-Encoding": "br"})
        client.get(src, headers={"Accept-Encoding": "gzip"})
    client.get(app.get_asset_url(PLOTLY_BUNDLE), headers={"Accept-Encoding": "br"})


_started = time.time()
__all__ = ["app", "server", "html"]
