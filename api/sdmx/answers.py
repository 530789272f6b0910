"""SDMX answers that more than the /sdmx/ addresses give: the media types, content
negotiation, SDMX-style errors and a data message from selected rows (also
/api/v1/observations?format=sdmx-csv|sdmx-json, api/routes.py)."""
from __future__ import annotations

from flask import Response, request

from store.address import public_base
from store.view import ParamError

from ..formats import dumps
from . import data, structure

CSV_TYPE = "application/vnd.sdmx.data+csv; version=2.0.0; charset=utf-8"
JSON_TYPE = "application/vnd.sdmx.data+json; version=2.0.0; charset=utf-8"
JSON_1_TYPE = "application/vnd.sdmx.data+json; version=1.0.0; charset=utf-8"
STRUCTURE_TYPE = "application/vnd.sdmx.structure+xml; version=2.1"
FORMATS = ("sdmx-csv", "sdmx-json", "sdmx-json-1.0")   # also /api/v1/observations
XML_FORMATS = ("sdmx-ml-generic", "sdmx-ml-ss")   # SDMX-ML 2.1 generic, structure-specific (sdmx1's Client)
GENERIC_TYPE = "application/vnd.sdmx.genericdata+xml; version=2.1"
SS_TYPE = "application/vnd.sdmx.structurespecificdata+xml; version=2.1"
# Accept media types (without parameters) -> format
ACCEPT = {"application/vnd.sdmx.data+csv": "sdmx-csv", "text/csv": "sdmx-csv",
          "application/vnd.sdmx.data+json": "sdmx-json", "application/json": "sdmx-json",
          "application/vnd.sdmx.genericdata+xml": "sdmx-ml-generic", "application/xml": "sdmx-ml-generic",
          "text/xml": "sdmx-ml-generic", "application/vnd.sdmx.structurespecificdata+xml": "sdmx-ml-ss"}
STRUCTURE_ACCEPT = {"application/vnd.sdmx.structure+xml": "structure", "application/xml": "structure",
                    "text/xml": "structure"}
SDMX_CODES = {404: (100, "No results found"), 400: (140, "Syntax error"), 406: (406, "Not acceptable")}


def sdmx_error(exc: ParamError) -> Response:
    """A 4xx as our JSON error, with SDMX's `errors` list beside it."""
    code, title = SDMX_CODES.get(exc.status, (150, "Semantic error"))
    body = {**exc.as_json(), "errors": [{"code": code, "title": title, "detail": exc.message}]}
    resp = Response(dumps(body), status=exc.status, mimetype="application/json")
    resp.headers["Cache-Control"] = "no-store"
    resp.headers["X-Content-Type-Options"] = "nosniff"
    return resp


def _accepted() -> list[tuple[str, dict]]:
    """The Accept header's media types, best first (by q, then as written), each with its
    parameters; those of q=0 left out."""
    found = []
    for n, part in enumerate(p for p in request.headers.get("Accept", "").split(",") if p.strip()):
        kind, *rest = [x.strip() for x in part.split(";")]
        args = dict(x.split("=", 1) for x in rest if "=" in x)
        try:
            q = float(args.pop("q", "1"))
        except ValueError:
            q = 0.0
        if q > 0:
            found.append((-q, n, kind.lower(), args))
    return [(kind, args) for _, _, kind, args in sorted(found)]


def negotiate(offers: dict[str, str], default: str) -> tuple[str, dict]:
    """The format the Accept header asks for, with its media type's parameters: `default` for
    no Accept or */*; 406 when none of its types can be answered."""
    wanted = _accepted()
    if not wanted:
        return default, {}
    for kind, args in wanted:
        if kind in ("*/*", "application/*"):
            return default, args
        if kind in offers and args.get("version", "2").startswith("2"):
            return offers[kind], args
        if offers.get(kind) == "sdmx-json" and args.get("version", "").startswith("1"):   # SDMX-JSON 1.0
            return "sdmx-json-1.0", args
    raise ParamError(None, f"none of the media types accepted ({request.headers.get('Accept', '')[:200]}) can be "
                           f"answered here; this address answers: {', '.join(offers)}", status=406,
                     code="not_acceptable", allowed=list(offers))


def prepared(m) -> str:
    """A message's preparation time: when the build was made (equal requests, equal bytes)."""
    return m.built_at.replace(microsecond=0).isoformat() + "Z"


def answer(m, flow: structure.Flow, raw, fmt: str, labels: str, lang: str, at_observation: str,
           deleted=None) -> Response:
    """The rows `raw` (store.queries.select) as an SDMX data message; 404 when there are none.
    deleted: for an updatedAfter answer, the figures withdrawn since (store.queries.withdrawn_after),
    answered as deletions beside the figures changed (data._components)."""
    if not raw["indicator_id"] and not (deleted and deleted["indicator_id"]):
        raise ParamError(None, "no figure matches this query", status=404, code="no_results")
    if fmt == "sdmx-csv":
        return Response(data.sdmx_csv(m, flow, raw, labels, lang, deleted), content_type=CSV_TYPE)
    if fmt in XML_FORMATS:
        return Response(data.sdmx_ml(m, flow, raw, at_observation, prepared(m), fmt == "sdmx-ml-generic", deleted),
                        content_type=GENERIC_TYPE if fmt == "sdmx-ml-generic" else SS_TYPE)
    link = f"{public_base(request.host_url)}/sdmx/dataflow/{flow.agency}/{flow.id}/{flow.version}"
    version = "1.0" if fmt == "sdmx-json-1.0" else "2.0"
    return Response(data.sdmx_json(m, flow, raw, lang, at_observation, prepared(m), link, deleted, version),
                    content_type=JSON_1_TYPE if version == "1.0" else JSON_TYPE)
