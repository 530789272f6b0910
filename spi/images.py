"""Chart images served: /image/<indicator>.png?<the view's parameters>, the chart of an explorer
view or an embed as a PNG of the Open Graph size (1200 x 630), so that a link shared on a social
network or in a chat shows the chart. The explorer's and the embed's link-preview tags name it
(dashboard/app.py meta_tags; the address: store.embed.image_path).

- The same chart as the page and `spi publish`: the view is read by the pages' own parser
  (store.view.parse_view) and drawn by spi.publish.view_figure (the site's figure, with title,
  unit, period, source and the credit line: the site, the view's address and the licence),
  exported by Kaleido through the machine's Chromium.
- Strict, as the downloads are: a parameter the address does not take, given twice or too long,
  or a language the site does not have, is a 400; an indicator the catalogue does not have, a
  404; a value the page would replace by its default (and say so in a message) is a 400 that
  gives the page's message, since an image cannot carry it. Errors are JSON (spi/policy.py).
- Of the release the request reads, as every answer is (spi/embargo.py chose it before this
  runs): the public's image is of the live release, an `as_of`'s of that release, a reviewer's
  of the newest, with the embargo notice drawn on it and `private, no-store` (spi/embargo.py).
- Drawn once: an image takes Chromium seconds, so each is kept in this process's memory, keyed
  by the build read (store.releases.cache_key, which tells an embargoed reading apart), the
  view (its address, language included) and the public address its credit names; the
  KEPT most recently drawn are kept. One image is drawn at a time in a process (a lock): a
  burst of link previews on release day waits its turn rather than start a Chromium each. A
  request waits at most WAIT seconds for its turn, then is a 503 with Retry-After: a server
  thread is never held long by images others asked for (gunicorn gives a worker 4 threads).
- Cached like the site's other data answers: an ETag of the build, the address and this
  version of the site's code (a 304 before anything is drawn), and the public lifetime of
  spi/caching.py.
"""
from __future__ import annotations

import threading
from collections import OrderedDict

import flask

from api import params
from api.http import error, finish, fresh, from_param_error, language_error
from store import releases
from store.address import public_base
from store.catalogue import meta
from store.database import DatabaseMissing, SchemaError
from store.embed import IMAGE_HEIGHT, IMAGE_PARAMS, IMAGE_WIDTH, image_path
from store.texts import UnknownLanguage
from store.view import ParamError, View, indicator_id, parse_view

from .publish import KALEIDO, view_credit, view_figure

WIDTH, HEIGHT = IMAGE_WIDTH, IMAGE_HEIGHT
UNIT = 21                   # px: a taller layout's height is a multiple of it, so its width at 40:21 is whole
KEPT = 128                  # images kept per process (a PNG is some 50 to 100 kB)
WAIT = 8                    # seconds a request waits for its turn to draw (a drawing takes 3 or 4)
RETRY_AFTER = "5"

_kept: OrderedDict[tuple, bytes] = OrderedDict()
_drawing = threading.Lock()


def install(server: flask.Flask) -> None:
    server.add_url_rule("/image/<indicator>.png", "chart_image", chart_image, methods=["GET", "HEAD"])


def chart_image(indicator: str) -> flask.Response:
    """The PNG of the view the address names (see the module's docstring)."""
    try:
        m = meta()
    except (DatabaseMissing, SchemaError) as exc:
        return error(503, "no_database", str(exc))
    try:
        view = requested_view(indicator, m)
    except ParamError as exc:
        return from_param_error(exc)
    except UnknownLanguage as exc:
        return language_error(exc)
    base = public_base(flask.request.host_url)
    etag, cached = fresh(f"{m.version}-{base}-{flask.current_app.config.get('SPI_CODE', '')}")
    if cached:
        return cached
    png = kept_png(view, base, releases.cache_key(m.version))
    if png is None:
        return error(503, "busy", "other chart images are being drawn; ask again in a few seconds",
                     headers={"Retry-After": RETRY_AFTER})
    return finish(flask.Response(png, mimetype="image/png"), etag, m.built_at)


def requested_view(indicator: str, m) -> View:
    """The view the request names, read as the explorer and the embed read it; ParamError for
    anything the page would have had to replace."""
    args = flask.request.args
    params.check_known(args, IMAGE_PARAMS)
    lang = params.language(args)
    indicator = indicator_id(indicator, m)
    given = {**args.to_dict(), "indicator": indicator}
    view = parse_view(given, m, lang)
    if view.messages:
        words = " ".join(parse_view(given, m, "en").messages)   # the page's messages, in the API's language
        raise ParamError(None, f"this view cannot be drawn as asked: {words} The explorer's links give "
                               "the addresses of the images of its views.", code="invalid_view")
    return view


def kept_png(view: View, base: str, build: str) -> bytes | None:
    """The PNG of `view`, drawn once per build read, view and public address (module docstring);
    None when its turn to be drawn did not come within WAIT seconds."""
    key = (build, image_path(view), base)
    png = _kept.get(key)
    if png is not None:
        return png
    if not _drawing.acquire(timeout=WAIT):
        return None
    try:
        png = _kept.get(key)   # drawn while this request waited for its turn
        if png is None:
            png = draw_png(view, base)
            _kept[key] = png
            while len(_kept) > KEPT:
                _kept.popitem(last=False)
        _kept.move_to_end(key)
    finally:
        _drawing.release()
    return png


def og_figure(view: View, base: str):
    """(the view in words, the Figure, the scale to export it at) of the chart at WIDTH x HEIGHT px.
    A chart that fits is laid out HEIGHT px tall (its plot taller); one that needs more height
    (a long legend, a credit of several lines) is laid out taller and as much wider, in the same
    proportions, and exported scaled down to the size: it keeps its layout, in smaller type."""
    from dashboard.credit import room

    extra = room(view_credit(view, base))   # the px view_figure adds for the credit's further lines
    words, fig = view_figure(view, base, HEIGHT - extra, WIDTH)
    height = int(fig.layout.height)
    if height > HEIGHT:
        height = -(-height // UNIT) * UNIT
        words, fig = view_figure(view, base, height - extra, height * WIDTH // HEIGHT)
    return words, fig, HEIGHT / height


def draw_png(view: View, base: str) -> bytes:
    """The PNG of `view` at WIDTH x HEIGHT, by Kaleido (a Chromium started for it)."""
    import kaleido

    _, fig, scale = og_figure(view, base)
    opts = {"format": "png", "width": int(fig.layout.width), "height": int(fig.layout.height), "scale": scale}
    return kaleido.calc_fig_sync(fig, opts=opts, kopts=dict(KALEIDO))
