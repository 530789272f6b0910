"""What the dashboard's own routes accept, so that a malformed request gets a 4xx, never a 500.

Dash answers two kinds of requests itself. A file under /_dash-component-suites/ that is not
a registered bundle is a 404 (Dash raises). A callback request (/_dash-update-component)
must be a JSON object of the shape Dash sends for one of this app's server callbacks: the
callback's output, and its inputs and states with the ids and properties it declares.
Anything else is a 400 that says what was wrong. A request of the right shape whose values
the callback still cannot use (a number where the page's address belongs…) is a 400 too,
logged as one line: such values never come from the pages themselves.
"""
from __future__ import annotations

import json
import logging

import flask
from dash.exceptions import DependencyException, PreventUpdate
from werkzeug.exceptions import HTTPException

from store.database import DatabaseMissing, SchemaError

log = logging.getLogger("dashboard")
MAX_DEPTH = 32          # the pages' callbacks send a few levels of lists and objects


def _depth(value, limit: int = MAX_DEPTH) -> int:
    """How deeply lists and objects nest in a JSON value (stops counting past `limit`)."""
    stack, deepest = [(value, 1)], 0
    while stack:
        item, level = stack.pop()
        if isinstance(item, (list, dict)):
            deepest = max(deepest, level)
            if deepest > limit:
                return deepest
            stack += [(v, level + 1) for v in (item.values() if isinstance(item, dict) else item)]
    return deepest


def _ident(value) -> bool:
    return isinstance(value, (str, dict))


def _matches(given, declared: dict) -> bool:
    """An input or state as sent, against the callback's declaration of it."""
    if declared["id"].startswith("{"):  # a pattern (ALL): a list of the matching components
        return isinstance(given, list) and all(
            isinstance(g, dict) and isinstance(g.get("id"), dict) and g.get("property") == declared["property"]
            for g in given)
    return isinstance(given, dict) and given.get("id") == declared["id"] and given.get("property") == declared["property"]


def callback_problem(body, callback_map: dict) -> str | None:
    """Why a callback request body cannot be dispatched, or None when it has the right shape."""
    if not isinstance(body, dict):
        return "the body must be a JSON object"
    if _depth(body) > MAX_DEPTH:
        return f"the body nests deeper than {MAX_DEPTH} levels"
    output = body.get("output")
    spec = callback_map.get(output) if isinstance(output, str) else None
    if spec is None or "callback" not in spec:
        return "'output' names no callback of this site"
    outputs = body.get("outputs")
    items = outputs if isinstance(outputs, list) else [outputs]
    if not items or not all(isinstance(o, dict) and _ident(o.get("id")) and isinstance(o.get("property"), str)
                            for o in items):
        return "'outputs' must describe the callback's outputs (id and property)"
    for key in ("inputs", "state"):
        given, declared = body.get(key, [] if key == "state" else None), spec[key]
        if not isinstance(given, list) or len(given) != len(declared) or not all(map(_matches, given, declared)):
            return f"'{key}' must list the callback's {len(declared)} {key} with their ids and properties"
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(isinstance(c, str) for c in changed):
        return "'changedPropIds' must be a list of strings"
    return None


def _refuse(message: str) -> flask.Response:
    body = json.dumps({"error": {"status": 400, "code": "bad_callback", "message": message}})
    return flask.Response(body, status=400, mimetype="application/json")


def install(app) -> None:
    """Wrap Dash's callback and component-suite routes of `app` with the checks above."""
    server, prefix = app.server, app.config.routes_pathname_prefix
    suites = server.view_functions[prefix + "_dash-component-suites/<string:package_name>/<path:fingerprinted_path>"]
    dispatch = server.view_functions[prefix + "_dash-update-component"]

    def serve_suite(package_name, fingerprinted_path):
        try:
            return suites(package_name, fingerprinted_path)
        except (DependencyException, OSError, KeyError, ValueError):
            flask.abort(404)

    def guarded_dispatch():
        try:   # parsed once: Dash reads the same parse from the request's cache
            body = flask.request.get_json(force=True, silent=True)
        except RecursionError:
            body = None
        if body is None and flask.request.get_data(cache=True).strip() != b"null":
            return _refuse("the body is not JSON")
        problem = callback_problem(body, app.callback_map)
        if problem:
            return _refuse(problem)
        try:
            return dispatch()
        except (PreventUpdate, HTTPException, DatabaseMissing, SchemaError):
            raise  # Dash's own answers, and the site's 503 for a database it cannot read
        except Exception as exc:  # noqa: BLE001 - a well-formed request with values the callback cannot use
            log.warning("callback %s refused %s: %s", body["output"][:80], type(exc).__name__, str(exc)[:200])
            return _refuse("the callback cannot use these values")

    server.view_functions[prefix + "_dash-component-suites/<string:package_name>/<path:fingerprinted_path>"] = serve_suite
    server.view_functions[prefix + "_dash-update-component"] = guarded_dispatch
