"""Which release each request reads, and what an answer from an embargoed release carries.

Before any route runs, the request's release is chosen (store/releases.py): the live one, the
one `as_of` names (any address takes it), or the newest for a signed-in reviewer
(spi/reviewers.py). A reviewer's answers, and anything read from a release not yet public, are
`Cache-Control: private, no-store` with an `X-Embargo` header, so no shared cache ever keeps
them; each embargoed view is written to the audit log. A public request carries no session
cookie, and its answer does not vary by one, so public answers stay fully cacheable.
"""
from __future__ import annotations

import flask

from api.http import error as json_error
from store import releases
from store.database import releases as served_releases
from store.texts import t
from store.view import ParamError

from . import reviewers
from .policy import JSON_PREFIXES, answer

# Files every page loads: neither a view of figures to audit nor an answer that differs by release.
_NOT_VIEWS = ("/assets/", "/_dash-component-suites/", "/_favicon", "/healthz", "/signin", "/signout")


def install(server: flask.Flask) -> None:
    server.before_request(_choose)
    server.teardown_request(_done)
    server.after_request(_mark)


def _choose():
    folder = served_releases()
    if folder is None or flask.request.path.startswith(("/assets/", "/_dash-component-suites/")):
        return None
    reviewer = reviewers.current_reviewer() if reviewers.carries_session() else None
    as_of = flask.request.args.get("as_of")
    try:
        choice = folder.choose(reviewer, as_of)
    except ParamError as exc:
        if flask.request.path.startswith(JSON_PREFIXES):
            return _refused(400, exc.code, exc.message)
        known = ", ".join(r.release_id for r in (folder.all() if reviewer else folder.public()))
        return answer(400, exc.code, "bad_as_of", value=as_of[:40], releases=known)
    except LookupError:
        return _refused(503, "no_release", t("no_release_yet", "en"))
    flask.g.release_token = releases.reading(choice)
    flask.g.release = choice
    if choice.embargoed and not flask.request.path.startswith(_NOT_VIEWS):
        # an audit log that cannot be written raises reviewers.Unavailable: the answer is a 503
        # (its handler, spi/reviewers.py), never shown unrecorded
        reviewers.audit("embargoed_view", reviewer=reviewer, name=reviewers.current_name(),
                        release=choice.release.release_id,
                        path=flask.request.full_path.rstrip("?"), addr=flask.request.remote_addr)
    return None


def _refused(status: int, code: str, message: str) -> flask.Response:
    """JSON with the reason for the data addresses; a page gets the site's own error page
    (spi/policy.py), in its language."""
    if not flask.request.path.startswith(JSON_PREFIXES):
        flask.abort(status)
    response = json_error(status, code, message)
    response.headers["Cache-Control"] = "no-store"
    return response


def _done(_exc=None) -> None:
    token = flask.g.pop("release_token", None)
    if token is not None:
        releases.done(token)


def private() -> bool:
    """Whether the current request is a reviewer's or reads a release still under embargo."""
    choice = flask.g.get("release")
    return choice is not None and bool(choice.embargoed or choice.reviewer)


def _mark(response: flask.Response) -> flask.Response:
    """Private answers for reviewers and embargoed releases (a public answer varies by no
    cookie: spi/reviewers.py)."""
    if private():
        response.headers["Cache-Control"] = "private, no-store"
        response.headers.pop("Expires", None)
        if flask.g.release.embargoed:   # pages and files carry the notice in both languages
            response.headers["X-Embargo"] = releases.embargo_header()
    return response
