"""The SDMX REST addresses (the SDMX REST specification's v1 paths, which sdmx1 speaks):

  /sdmx/dataflow|datastructure|codelist|conceptscheme[/{agency}[/{id}[/{version}]]]
        ?references=none|parents|parentsandsiblings|children|descendants|all &detail=full
        an SDMX-ML 2.1 structure message (`all` for any agency or id; `latest`, `all`, `~` for
        the version)
  /sdmx/data/{flow}[/{key}[/all]]   flow: ID, AGENCY,ID or AGENCY,ID,VERSION; key: structure/data.py
        ?startPeriod&endPeriod&updatedAfter&dimensionAtObservation=TIME_PERIOD|AllDimensions
         &format=sdmx-csv|sdmx-json|sdmx-json-1.0|sdmx-ml-generic|sdmx-ml-ss &labels=id|both &lang=ar|en &as_of
        SDMX-CSV 2.0 (the default), SDMX-JSON 2.0, SDMX-JSON 1.0 (which sdmx1 reads), or SDMX-ML 2.1
        generic or structure-specific data (what sdmx1's Client asks for when given the structure),
        chosen by `format` or the Accept header (application/vnd.sdmx.data+csv;version=2.0.0[;labels=both],
        text/csv, application/vnd.sdmx.data+json;version=2.0.0 (or version=1.0.0), application/json,
        application/vnd.sdmx.genericdata+xml;version=2.1, application/xml,
        application/vnd.sdmx.structurespecificdata+xml;version=2.1).

Every answer reads the release the request reads (store/releases.py: the public one, or
`as_of`), through store.queries.select, like /data/<indicator>.csv. Errors are 4xx JSON with our
`error` object and SDMX's `errors` list (SDMX error codes: 100 no results, 140 syntax error,
150 semantic error, 406 not acceptable): 404 for an unknown flow or code and for a query that
matches no figure, 400 for a malformed key or parameter, 406 for an Accept header none of
the formats meets.

A data answer is kept in memory by its ETag (api/kept.py, bounded): a harvester asking a key
again without If-None-Match gets the same bytes without the query being run again.

updatedAfter answers what a harvester must do to its copy made at that time: the figures whose
current value, status and source a release made public after it (the database's vintages:
store.queries.changed_after), with SDMX's action R (replace), and the figures a release after it
withdrew that no later one published again (store.queries.withdrawn_after), with action D
(delete: their key, nothing else); neither is a 404. Outside releases (a plain build) every
figure was last changed when the build was made, and none was withdrawn.
"""
from __future__ import annotations

from datetime import timezone

from flask import Response, request
from werkzeug.routing import PathConverter

from store.queries import changed_after, select, withdrawn_after
from contract.schema import LANGS
from store.texts import UnknownLanguage
from store.view import ParamError

from .. import kept, params
from ..http import finish, fresh
from ..routes import endpoint
from . import data, structure
from .answers import ACCEPT, FORMATS, STRUCTURE_ACCEPT, XML_FORMATS, STRUCTURE_TYPE, answer, negotiate, prepared, sdmx_error

class AnyPath(PathConverter):
    """A path that may hold any character, a line break too (werkzeug's `path` stops at one,
    and the address would fall through to a 404 page that is not SDMX's)."""
    regex = r"[^/][\s\S]*?"


def converters(server) -> None:
    """The converters the /sdmx/ rules use; before the blueprint is registered (api.register)."""
    server.url_map.converters.setdefault("sdmxpath", AnyPath)


REFERENCES = ("none", "parents", "parentsandsiblings", "children", "descendants", "all")


def _sdmx(view):
    """SDMX errors for a view (endpoint() still answers other methods and unexpected failures)."""
    def wrapped(m, **kwargs):
        try:
            return view(m, **kwargs)
        except ParamError as exc:
            return sdmx_error(exc)
        except UnknownLanguage as exc:
            return sdmx_error(ParamError("lang", str(exc), allowed=list(LANGS)))
    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


# ---------------------------------------------------------------- structures

def _matches(value: str, own: str, wildcards: tuple[str, ...]) -> bool:
    return value in wildcards or value == own


def _structures(m, resource: str, agency: str, ident: str, version: str) -> Response:
    params.check_known(request.args, ("references", "detail"))
    references = params.choice(request.args, "references", REFERENCES, "none")
    params.choice(request.args, "detail", ("full",), "full")
    negotiate(STRUCTURE_ACCEPT, "structure")
    flow = structure.flow_of(m)
    ids = {"dataflow": [flow.id], "datastructure": [flow.dsd], "conceptscheme": [flow.concepts],
           "codelist": list(structure.codelists(m))}[resource]
    chosen = [i for i in ids if _matches(ident, i, ("all", "*"))]
    if not (_matches(agency, flow.agency, ("all", "*")) and _matches(version, flow.version, ("latest", "all", "~", "*", "+"))
            and chosen):
        raise ParamError(None, f"no {resource} {agency}/{ident}/{version}; this service has {resource} "
                               f"{flow.agency}/{ids[0] if len(ids) == 1 else 'all'}/{flow.version}",
                         status=404, code="no_results")
    parts = {resource}   # the structures refer: dataflow -> datastructure -> codelists, concept scheme
    if references in ("children", "descendants", "all"):
        parts |= {"dataflow": {"datastructure"}, "datastructure": {"codelist", "conceptscheme"}}.get(resource, set())
    if references in ("descendants", "all") and resource == "dataflow":
        parts |= {"codelist", "conceptscheme"}
    if references in ("parents", "parentsandsiblings", "all"):
        parts |= {"datastructure": {"dataflow"}, "codelist": {"datastructure"},
                  "conceptscheme": {"datastructure"}}.get(resource, set())
    if references in ("parentsandsiblings", "all") and resource in ("codelist", "conceptscheme"):
        parts |= {"codelist", "conceptscheme"}
    only = set(chosen) if resource == "codelist" and "datastructure" not in parts else None
    etag, cached = fresh(m.version, m.built_at)
    if cached:
        return cached
    body = structure.message(m, flow, tuple(parts), prepared(m), only)
    return finish(Response(body, content_type=STRUCTURE_TYPE), etag, m.built_at)


@endpoint("/sdmx/<any(dataflow, datastructure, codelist, conceptscheme):resource>")
@_sdmx
def sdmx_structures(m, resource):
    return _structures(m, resource, "all", "all", "latest")


@endpoint("/sdmx/<any(dataflow, datastructure, codelist, conceptscheme):resource>/<sdmxpath:rest>")
@_sdmx
def sdmx_structure(m, resource, rest):
    parts = rest.split("/")
    if len(parts) > 3 or "" in parts:
        raise ParamError(None, f"/sdmx/{resource}/{rest[:100]} is not a structure address; use "
                               f"/sdmx/{resource}/{{agency}}/{{id}}/{{version}}", status=404, code="not_found")
    agency, ident, version = (*parts, "all", "latest")[:3] if len(parts) == 1 else (*parts, "latest")[:3]
    return _structures(m, resource, agency, ident, version)


# ---------------------------------------------------------------- data

def _flow(m, ref: str) -> structure.Flow:
    """The dataflow named by ID, AGENCY,ID or AGENCY,ID,VERSION (404 for another)."""
    flow = structure.flow_of(m)
    parts = ref.split(",")
    given = dict(zip(("id",) if len(parts) == 1 else ("agency", "id", "version"), parts))
    if len(parts) > 3 or given.get("id") != flow.id or given.get("agency", flow.agency) not in (flow.agency, "all") \
            or given.get("version", flow.version) not in (flow.version, "latest", "~", "all"):
        raise ParamError(None, f"no dataflow {ref[:100]!r}; this service has {flow.agency},{flow.id},{flow.version} "
                               "(/sdmx/dataflow)", status=404, code="no_results")
    return flow


def _utc(since):
    return since.astimezone(timezone.utc).replace(tzinfo=None)


def _changed(m, since, raw: str) -> frozenset | None:
    """The figures changed after `since` (store.queries.changed_after: the release that made
    each one's value, status and source public); None for every figure asked for. Outside
    releases, the build is when every figure was last changed: all of them if it was made
    after `since`, else 404."""
    changed = changed_after(m, _utc(since))
    if changed is None:
        built = m.built_at.replace(tzinfo=timezone.utc)
        if since >= built:
            raise ParamError("updatedAfter", f"no figure was changed after {raw[:40]}; this build was made at "
                                             f"{built.isoformat()}", status=404, code="no_results")
    return changed


def _data(m, ref: str, key: str) -> Response:
    args = request.args
    params.check_known(args, ("startPeriod", "endPeriod", "updatedAfter", "dimensionAtObservation", "detail",
                              "format", "labels", "lang"))
    flow = _flow(m, ref)
    lang = params.language(args)
    at_observation = params.choice(args, "dimensionAtObservation", (structure.TIME, "AllDimensions"), structure.TIME)
    params.choice(args, "detail", ("full",), "full")
    if "format" in args:
        fmt, accept_args = params.choice(args, "format", (*FORMATS, *XML_FORMATS), "sdmx-csv"), {}
    else:
        fmt, accept_args = negotiate(ACCEPT, "sdmx-csv")
    labels = params.choice(args, "labels", ("id", "both"), accept_args.get("labels", "id"))
    wanted = data.query(m, key, args.get("startPeriod"), args.get("endPeriod"))
    since = data.updated_after(args.get("updatedAfter"))
    etag, cached = fresh(f"{m.version}|{fmt}|{labels}", m.built_at)
    if cached:
        return cached
    changed = None if since is None else _changed(m, since, args["updatedAfter"])

    def make() -> Response:
        raw = data.kept(select(m, wanted.rows), wanted.members)
        if changed is not None:
            raw = data.among(raw, m, changed)
        deleted = None if since is None else data.kept(withdrawn_after(m, wanted.rows, _utc(since)), wanted.members)
        return answer(m, flow, raw, fmt, labels, lang, at_observation, deleted)

    def finished(resp: Response) -> Response:
        resp.headers["Vary"] = "Accept"
        return finish(resp, etag, m.built_at)
    return kept.served(etag, make, finished)


@endpoint("/sdmx/data/<ref>")
@_sdmx
def sdmx_data_all(m, ref):
    return _data(m, ref, "all")


@endpoint("/sdmx/data/<ref>/<sdmxpath:rest>")
@_sdmx
def sdmx_data(m, ref, rest):
    key, _, provider = rest.partition("/")
    if provider not in ("", "all"):
        raise ParamError(None, f"no data provider {provider[:60]!r}; this service has one (use 'all' or leave it out)",
                         status=404, code="no_results")
    return _data(m, ref, key)


@endpoint("/sdmx/<sdmxpath:rest>")
@_sdmx
def sdmx_not_found(m, rest):
    raise ParamError(None, f"no SDMX address /sdmx/{rest[:100]}; see /sdmx/dataflow and /api/v1/openapi.json",
                     status=404, code="not_found")
