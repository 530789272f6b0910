"""The Dash app: pages from dashboard/pages/, Arabic first, served fast.

spi/app.py composes this app's Flask server with the open-data routes (api/) and the
site's request policy; gunicorn runs `spi.app:server`.

Every page's layout is wrapped once here (`_page`): that is where a page's language enters
(store.texts.lang_of: an unknown language gets the 400 page), where a missing or
unreadable database becomes a 503 notice, and where the layout is turned into Dash's wire
form. Titles read the language the layout saw.

Speed, by design:
- The requested page is rendered on the server and sent inside the first HTML response
  (#ssr), so cards, sparklines and tables paint before any JavaScript has run. Dash itself
  starts at the reader's first move (split_scripts, assets/spi.js); when React has rendered
  the same page, CSS hides the server copy.
- Charts are drawn on the server first (dashboard/chart_svg.py); the plotly.js basic bundle
  (1.2 MB) is loaded at the reader's first interaction, only on pages with a chart (assets/spi.js).
- Static files are compressed once per process and cached; views are cached per build.
"""
from __future__ import annotations

import functools
import logging
import re
from html import escape
from pathlib import Path
from urllib.parse import parse_qsl

import dash
import flask
import plotly.io
from dash import Dash
from werkzeug.datastructures import MultiDict

from store import database, linked_data, releases
from store.address import public_base
from store.catalogue import meta
from store.database import DatabaseMissing, SchemaError
from store.texts import DEFAULT_LANG, UnknownLanguage, direction, lang_of, t
from store.embed import IMAGE_HEIGHT, IMAGE_WIDTH, image_path
from store.view import View, one, parse_view

from . import guard
from .cache import view_for
from .render import to_html
from .status import bad_language, path_param, status_of_request, unavailable
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
<div class="dash-scripts">
{%config%}
{%scripts%}
{%renderer%}
</div>
</body>
</html>"""


def page_lang() -> str:
    """The language of the page being answered, as its layout read it (Arabic by default)."""
    return flask.g.get("page_lang", DEFAULT_LANG) if flask.has_request_context() else DEFAULT_LANG


class App(Dash):
    """Dash with a server-rendered first paint and the page's language on <html>."""

    def interpolate_index(self, **kw):
        ssr, title, description = server_render()
        lang = page_lang()
        kw["metas"] = meta_tags(title or kw.get("title", ""), description) + feed_links(lang) + dataset_script(lang)
        entry = f'<div id="react-entry-point"></div>\n<div id="ssr" class="ssr">{ssr}</div>'
        scripts, renderer = split_scripts(kw.get("scripts", ""), kw.get("renderer", ""))
        values = dict(kw, lang=lang, dir=direction(lang), app_entry=entry, scripts=scripts, renderer=renderer,
                      title=title or kw.get("title", ""))
        out = self.index_string
        for key, value in values.items():
            out = out.replace("{%" + key + "%}", value or "")
        return out


LATER = "text/x-dash-later"   # a script type no browser runs: assets/spi.js starts these


def split_scripts(scripts: str, renderer: str) -> tuple[str, str]:
    """Dash's script tags and its renderer's, rearranged so that a phone can show and scroll
    the page before it runs Dash: the site's own small scripts run as the page loads (assets/
    deferred, Dash's inline ones where they are); Dash's (React, its renderer, the component
    bundles, and assets/vendor/, which only they use: most of a page's script time) keep their
    place but get a type no browser runs (LATER), are prefetched once the page has loaded, and
    run at the reader's first move (assets/spi.js startDash), in this order.
    Until then the page is the server-rendered copy (#ssr): its links, downloads, copy boxes
    and tables work without Dash.

    Left out: dash_table (no page uses it) and the babel polyfill, whose only use in a current
    browser is `regeneratorRuntime`, which assets/vendor/regenerator-runtime gives."""
    tags = []
    for tag in re.findall(r"<script\b.*?</script>", scripts, flags=re.S):
        src = re.match(r'<script src="([^"]+)"></script>$', tag)
        if src is None:
            tags.append(tag)
        elif re.search(r"/(dash_table/|deps/polyfill@)", src[1]):
            continue
        elif "/_dash-component-suites/" in src[1] or "/assets/vendor/" in src[1]:
            tags.append(tag.replace("<script src=", f'<script type="{LATER}" src='))
        else:
            tags.append(tag.replace("<script src=", "<script defer src="))
    return "\n".join(tags), renderer.replace('type="application/javascript"', f'type="{LATER}"')


def meta_tags(title: str, description: str) -> str:
    """The page's description and link-preview tags; its address from the site's public one
    (SPI_PUBLIC_URL), never from a Host header when that is set. The explorer and an embed
    also name their chart's image (store.embed.image_path, served by spi/images.py), with its
    size and its title as its text, and ask for a large preview: a shared link shows the chart."""
    base = public_base(flask.request.host_url) if flask.has_request_context() else ""
    url = base + flask.request.full_path.rstrip("?") if flask.has_request_context() else ""
    tags = [("name", "description", description), ("property", "og:type", "website"), ("property", "og:url", url),
            ("property", "og:title", title), ("property", "og:description", description)]
    view = page_view()
    if view is None:
        tags.append(("name", "twitter:card", "summary"))
    else:
        alt = view_for(view)[0].title
        tags += [("property", "og:image", base + image_path(view)), ("property", "og:image:type", "image/png"),
                 ("property", "og:image:width", str(IMAGE_WIDTH)), ("property", "og:image:height", str(IMAGE_HEIGHT)),
                 ("property", "og:image:alt", alt), ("name", "twitter:card", "summary_large_image"),
                 ("name", "twitter:image:alt", alt)]
    return "\n".join(f'<meta {kind}="{key}" content="{escape(value, quote=True)}">' for kind, key, value in tags)


def page_view() -> View | None:
    """The view the explorer or an embed draws, read from its address as the page reads it;
    None on another page, or one that answers with another status than 200 (a 404 embed, a
    language the site does not have, no database)."""
    if not flask.has_request_context() or status_of_request() != 200:
        return None
    path, args = flask.request.path, flask.request.args.to_dict()
    if path.startswith("/embed/"):
        args = {**args, "indicator": path.split("/", 2)[2], "tab": "chart"}
    elif path != "/explorer":
        return None
    try:
        m = meta()
    except (DatabaseMissing, SchemaError):
        return None
    return parse_view(args, m, page_lang())


def feed_links(lang: str) -> str:
    """Feed autodiscovery (api/feeds.py): every page names the releases feed in its language;
    an indicator's data page and explorer also name that indicator's feed."""
    links = [("/releases.atom", t("feed_releases_title", lang))]
    indicator = page_indicator()
    if indicator:
        name = meta().indicators[indicator][f"name_{lang}"]
        links.append((f"/data/{indicator}.atom", t("feed_indicator_title", lang, name=name)))
    return "".join(f'\n<link rel="alternate" type="application/atom+xml" href="{escape(href, quote=True)}?lang={lang}" '
                   f'title="{escape(title, quote=True)}">' for href, title in links)


def page_indicator() -> str | None:
    """The indicator an indicator's data page or the explorer names in its address, when the
    catalogue being read has it (else None: the page says what is wrong itself)."""
    path = flask.request.path if flask.has_request_context() else ""
    indicator = (path.split("/", 2)[2] if path.startswith("/indicator/")
                 else flask.request.args.get("indicator") if path == "/explorer" else None)
    try:
        return indicator if indicator and indicator in meta().indicators else None
    except (DatabaseMissing, SchemaError):
        return None


def dataset_script(lang: str) -> str:
    """The schema.org Dataset of the page's indicator (store/linked_data.py, which the DCAT
    catalogue shares), in the page's language, for Google Dataset Search: a JSON data block,
    which no browser runs (the page's CSP lists its hash like any inline script's, harmlessly)."""
    indicator = page_indicator()
    if not indicator:
        return ""
    doc = linked_data.schema_dataset(meta(), indicator, lang, public_base(flask.request.host_url))
    return f'\n<script type="application/ld+json">{linked_data.script_json(doc)}</script>'


def _match(pathname: str) -> tuple[dict, dict]:
    """The page an address's path names (the 404 page for none) and its path variables."""
    from dash._pages import _path_to_page  # the router's own matcher
    page, variables = _path_to_page(app.strip_relative_path(pathname) or "")
    if not page:
        page = next(p for m, p in dash.page_registry.items() if m.split(".")[-1] == "not_found_404")
    return page, variables or {}


def server_render() -> tuple[str, str | None, str]:
    """HTML of the page at the request's path and query, its title and its description."""
    if not flask.has_request_context():
        return "", None, ""
    page, variables = _match(flask.request.path)
    layout = page["layout"]()
    title = page["title"](**variables) if callable(page["title"]) else page["title"]
    return to_html(layout), title, page.get("description") or t("site_tagline", page_lang())


def _address() -> tuple[str, MultiDict] | None:
    """The address a page is drawn for: the request's when the server renders it, else the
    location Dash's router sent (in-app navigation, and the live page's first draw); None
    outside a request (a layout called directly)."""
    if not flask.has_request_context():
        return None
    if flask.request.path != app.config.routes_pathname_prefix + "_dash-update-component":
        return flask.request.path, flask.request.args
    inputs = dash.ctx.inputs
    pathname, search = inputs.get("_pages_location.pathname"), inputs.get("_pages_location.search")
    if not isinstance(pathname, str) or not isinstance(search, (str, type(None))):
        raise ValueError("the router's location is not an address")
    return pathname, MultiDict(parse_qsl((search or "").lstrip("?"), keep_blank_values=True))


def _params(given: dict, path: str) -> dict | object:
    """A page's parameters, read from its address (one model for the server's copy and the
    live page): the query's (a repeated one as a list, which the pages read leniently), then
    the path's variables, which the query may not name again (the 400 page); and the release
    its `as_of` names is read from here on (store/releases.py: a bad one is a 400, in the
    router's callback too)."""
    address = _address()
    if address is None:
        return given
    pathname, query = address
    variables = _match(pathname)[1]
    params = {k: v[0] if len(v) == 1 else v for k, v in query.lists()}
    clash = next((k for k in variables if k in params), None)
    if clash:
        return path_param(DEFAULT_LANG if params.get("lang") != "en" else "en", path, clash, pathname)
    folder = database.releases()
    if folder is not None:
        releases.read_as_of(folder, one(params.get("as_of")))
    return {**params, **variables}


def _page(layout, path: str):
    """A page's layout as the router and the server render call it (see the module's docstring)."""
    @functools.wraps(layout)
    def page(**given):
        params = _params(given, path)
        if not isinstance(params, dict):
            return to_wire(params)
        try:
            lang = lang_of(params.pop("lang", None))
        except UnknownLanguage as exc:
            return to_wire(bad_language(exc.value, path))
        if flask.has_request_context():
            flask.g.page_lang = lang
        try:
            return to_wire(layout(lang=lang, **params))
        except DatabaseMissing:
            return to_wire(unavailable(lang, path, "db_missing"))
        except SchemaError as exc:
            log.error("%s", exc)
            return to_wire(unavailable(lang, path, exc.text_key))
    return page


def _title(key: str, name_of=None):
    """The page's title in the reader's language: its own words (`title_key`), or what the page's
    `title_of(lang, **path)` names from its address (an indicator's page is titled by its name)."""
    def title(**path):
        lang = page_lang()
        name = (name_of(lang, **path) if name_of else None) or t(key, lang)
        return f"{name} · {t('site_title', lang)}"
    return title


# Callback answers as UTF-8 through orjson, not \u-escaped through json (dashboard/wire.py).
plotly.io.json.config.default_engine = "orjson"

app = App(
    "dashboard",  # the package: pages are imported as dashboard.pages.<name>
    use_pages=True,
    pages_folder=str(HERE / "pages"),
    assets_folder=str(HERE / "assets"),
    # plotly.js: fetched by dcc.Graph only when a chart is drawn; signin.css: the sign-in
    # page's own (spi/reviewers.py), not one more stylesheet for every page to wait for
    assets_ignore=r"^(plotly-basic-.*\.js|signin\.css)$",
    serve_locally=True,
    suppress_callback_exceptions=True,
    update_title=None,
    title=t("site_title", DEFAULT_LANG),
    index_string=INDEX,
    compress=False,
)
app.layout = dash.page_container
for _page_entry in dash.page_registry.values():
    _page_entry["layout"] = _page(_page_entry["layout"], _page_entry.get("path") or "/")
    _page_entry["title"] = _title(_page_entry.get("title_key", "site_title"), _page_entry.get("title_of"))
server = app.server
guard.install(app)


@server.after_request
def _page_status(response: flask.Response):
    """An HTML page that is not found, refused or unavailable says so in its status."""
    if response.status_code == 200 and response.mimetype == "text/html":
        response.status_code = status_of_request()
    return response
