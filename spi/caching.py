"""What a shared cache (a CDN, the nginx in front: deploy/nginx/) may keep, and for how long.

On release day everyone asks for the same few pages at once; a cache in front answers them,
so the app draws each page once a minute instead of once a visitor. The rules:

- Pages, the app's own JSON (Dash's layout and dependencies), downloads and API answers of the
  live release, for the public: `Cache-Control: public, max-age=N, stale-while-revalidate=N,
  stale-if-error=86400` (how long a cache may serve a copy once it expired: while it is drawn
  again, and while the app cannot be reached)
  and an ETag tied to the build of the release read (api.http.fresh, the one way validators
  are made: a page's also names the publisher's day, which its "next figures expected" line
  depends on, and this code, so a new version of the site is never answered with a 304).
  A matching If-None-Match is a 304 before the page is drawn: when a cache revalidates, the
  app pays a stat, not a page.
- N is SPI_CACHE_SECONDS (60 by default), cut to the seconds left before the next release
  goes live: a release scheduled at least N seconds ahead is served by every cache at its
  time; one made later is served at the latest N seconds after its time.
- A download whose address names a release by its id (`as_of=<release id>`, or a release's
  own files under /data/releases/<id>/) never changes: kept a day (RELEASE_SECONDS). An `as_of` day may: the release live on a day can still be
  to come.
- Personal answers are `private, no-store`: a reviewer's, a release's under embargo
  (spi/embargo.py has the last word on those), and any answer to a request that brought a
  session cookie or that starts a session. A public answer varies by no cookie
  (spi/reviewers.py), so a cache keyed without cookies serves it to everyone.
- Errors, redirects and any status but 200 and 304: `no-store` unless they say otherwise; so
  is anything that is not a GET or HEAD (Dash's callbacks, the sign-in form).
- Static files keep their own lifetimes (dashboard/static.py, SEND_FILE_MAX_AGE_DEFAULT; Dash's
  favicon, which says none, is given that one), and the addresses in OWN their own `no-store`.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

import flask

from api.http import fresh
from dashboard.status import status_of_request
from store import releases
from store.catalogue import meta
from store.database import DatabaseMissing, SchemaError
from store.database import releases as served_releases

from . import embargo, reviewers

DEFAULT_SECONDS = 60
RELEASE_SECONDS = 86400
STATIC = ("/assets/", "/_dash-component-suites/", "/_favicon.ico")
OWN = ("/healthz", "/signin", "/signout")
DATA = ("/data/", "/api/", "/releases.ics", "/releases.atom", "/sitemap.xml", "/robots.txt",
        "/catalog.jsonld", "/image/")   # their routes make
# their own validators (api/routes.py, spi/images.py)
_SOFTWARE = Path(__file__).resolve().parent.parent   # the folder of its packages: a checkout, or site-packages
_CODE = ("api", "contract", "dashboard", "spi", "store")


def cache_seconds(value: str | None) -> int:
    """SPI_CACHE_SECONDS as a number of seconds (DEFAULT_SECONDS when unset); ValueError with
    what is wrong otherwise (`spi serve` checks it before starting)."""
    if value is None or not value.strip():
        return DEFAULT_SECONDS
    try:
        seconds = int(value)
    except ValueError:
        seconds = -1
    if not 0 <= seconds <= RELEASE_SECONDS:
        raise ValueError(f"SPI_CACHE_SECONDS={value!r}: give a whole number of seconds from 0 to {RELEASE_SECONDS}")
    return seconds


def _code_digest() -> str:
    """This version of the site: its code, styles and scripts, and the locked libraries (a
    checkout's uv.lock; installed, the versions of the libraries it runs with)."""
    digest = hashlib.sha256()
    files = [p for name in _CODE for p in (_SOFTWARE / name).rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    for path in sorted([*files, _SOFTWARE / "uv.lock"]):
        if path.is_file():
            digest.update(str(path.relative_to(_SOFTWARE)).encode() + b"\0" + path.read_bytes())
    if not (_SOFTWARE / "uv.lock").is_file():
        from importlib.metadata import distributions
        digest.update("\n".join(sorted(f"{d.metadata['Name']}=={d.version}" for d in distributions())).encode())
    return digest.hexdigest()[:16]


def install(server: flask.Flask) -> None:
    """Add the rules to `server`; after spi/embargo.py (its choice of release is read here, and
    its `private, no-store` is applied after these)."""
    server.config["SPI_CACHE_SECONDS"] = cache_seconds(os.environ.get("SPI_CACHE_SECONDS"))
    server.config["SPI_CODE"] = _code_digest()
    server.before_request(_revalidate)
    server.after_request(_mark)


def _page() -> bool:
    path = flask.request.path
    return not path.startswith((*STATIC, *DATA)) and path not in OWN


def _personal() -> bool:
    """Whether the answer is one person's: a reviewer's or an embargoed release's (spi/embargo.py),
    or any answer to a request that brought the session cookie, live or not (one that is not
    live is cleared in that answer: spi/reviewers.py). Only a reviewer's sign-in starts a session,
    and it is a POST, never kept. The session itself is not looked at: Flask marks every answer
    to a request that looked at it `Vary: Cookie`, which a cache keyed without cookies cannot keep."""
    return embargo.private() or reviewers.carries_session()


def _revalidate():
    """A page's validator, and the 304 when the client (a cache) holds the page already."""
    if flask.request.method not in ("GET", "HEAD") or not _page() or _personal():
        return None
    try:
        m = meta()
    except (DatabaseMissing, SchemaError):
        return None   # the page says so (a 503), with no validator
    code = flask.current_app.config["SPI_CODE"]
    flask.g.page_etag, cached = fresh(f"{m.version}-{releases.today(m.timezone)}-{code}")
    return cached


def _mark(response: flask.Response) -> flask.Response:
    path = flask.request.path
    h = response.headers
    if path == "/_favicon.ico" and response.status_code == 200:
        h.setdefault("Cache-Control", f"public, max-age={flask.current_app.get_send_file_max_age(None)}")
    if path.startswith(STATIC) or path in OWN:
        return response
    if flask.request.method not in ("GET", "HEAD"):
        h["Cache-Control"] = "no-store"
    elif status_of_request(response.status_code) not in (200, 304):   # a page's own status is set after this
        h.setdefault("Cache-Control", "no-store")
    elif _personal():
        h["Cache-Control"] = reviewers.NO_STORE
    else:
        if response.status_code == 200 and "page_etag" in flask.g and "ETag" not in h:
            response.set_etag(flask.g.page_etag, weak=True)
        if "ETag" in h:
            h["Cache-Control"] = _lifetime()
            h.pop("Expires", None)
    return response


def _lifetime() -> str:
    choice = releases.current()
    named = choice is not None and choice.as_of == choice.release.release_id
    if flask.request.path.startswith("/data/releases/") or flask.request.path.startswith("/data/") and named:
        return f"public, max-age={RELEASE_SECONDS}"
    seconds = flask.current_app.config["SPI_CACHE_SECONDS"]
    # stale-while-revalidate: how long after it expired a copy may still be given while it is
    # drawn again (so a change reaches every reader of a cache within twice N); stale-if-error:
    # while the app cannot be reached, a day (deploy/nginx/site.conf widens neither)
    stale_if_error = 86400
    return (f"public, max-age={min(seconds, _until_next_release(seconds))}, stale-while-revalidate={seconds}, "
            f"stale-if-error={stale_if_error}")


def _until_next_release(longest: int) -> int:
    """Whole seconds until the next release goes live (`longest` when none is scheduled)."""
    folder = served_releases()
    now = releases.now()
    upcoming = [r.public_at for r in folder.all() if r.public_at > now] if folder is not None else []
    return int((min(upcoming) - now).total_seconds()) if upcoming else longest
