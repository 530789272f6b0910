"""The OpenAPI 3.1 document of the API and the download addresses, made from the current build.

Lists of valid values (indicator ids, geography codes, breakdowns, topics, countries) are
enums read from the database, so the document always says exactly which values the server
accepts; a value outside them gets a 4xx JSON error.
"""
from __future__ import annotations

from .meta import LANGS, Meta
from .params import DEFAULT_LIMIT, MAX_GEOS, MAX_IDS, MAX_LIMIT, MAX_OFFSET, PERIOD_PATTERN
from .queries import LABEL_MODES

NULLABLE_STRING = {"type": ["string", "null"]}
BILINGUAL = {"type": "object", "required": ["ar", "en"],
             "properties": {"ar": NULLABLE_STRING, "en": NULLABLE_STRING}}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _param(name: str) -> dict:
    return {"$ref": f"#/components/parameters/{name}"}


def _headers() -> dict:
    return {
        "ETag": {"description": "Validator for this answer on this database build; send it back in If-None-Match.",
                 "schema": {"type": "string"}},
        "Last-Modified": {"description": "When the database was built.", "schema": {"type": "string"}},
    }


def _errors(*codes: int) -> dict:
    text = {400: "A parameter is malformed, unknown, repeated, too long or out of range.",
            404: "Unknown indicator, geography or address.",
            405: "Only GET and HEAD are allowed.",
            503: "The database has not been built."}
    return {str(c): {"description": text[c], "content": {"application/json": {"schema": _ref("Error")}}} for c in codes}


def _ok(description: str, json_schema: dict | None = None, media: dict | None = None) -> dict:
    content = {}
    if json_schema is not None:
        content["application/json"] = {"schema": json_schema}
    for mt, schema in (media or {}).items():
        content[mt] = {"schema": schema}
    return {"description": description, "headers": _headers(), "content": content}


def _get(summary: str, description: str, parameters: list, responses: dict, tags: list[str],
         op_id: str) -> dict:
    responses = {**responses, "304": {"description": "Not modified since the ETag sent in If-None-Match."},
                 **_errors(400, 404, 405, 503)}
    return {"get": {"summary": summary, "description": description, "operationId": op_id, "tags": tags,
                    "parameters": parameters, "responses": responses}}


def document(m: Meta) -> dict:
    ids = list(m.indicators.index)
    geos = list(m.geographies.index)
    dims = list(m.dimensions)
    countries = list(m.geographies.index[m.geographies["level"] == "country"])
    topics = list(m.topics.index)
    levels = list(dict.fromkeys(m.geographies["level"]))
    csv_text = {"type": "string"}
    binary = {"type": "string", "contentMediaType": "application/octet-stream"}

    parameters = {
        "indicators": {"name": "indicator", "in": "query", "required": False, "style": "form", "explode": False,
                       "description": "Indicator ids, comma-separated. Omitted: every indicator.",
                       "schema": {"type": "array", "minItems": 1, "maxItems": MAX_IDS,
                                  "items": {"type": "string", "enum": ids}}},
        "geo": {"name": "geo", "in": "query", "required": False, "style": "form", "explode": False,
                "description": "Geography codes (ISO 3166), comma-separated. Only these codes: a country does not "
                               "include its governorates. Omitted: every geography.",
                "schema": {"type": "array", "minItems": 1, "maxItems": MAX_GEOS,
                           "items": {"type": "string", "enum": geos}}},
        "from": {"name": "from", "in": "query", "required": False,
                 "description": "First period (label such as 2021, 2025-H1, 2025-Q3, 2025-06). A figure is kept when "
                                "its period ends on or after the first day of this period.",
                 "schema": {"type": "string", "pattern": f"^{PERIOD_PATTERN}$"}},
        "to": {"name": "to", "in": "query", "required": False,
               "description": "Last period (label). A figure is kept when its period ends on or before the last day "
                              "of this period. Must not be before `from`.",
               "schema": {"type": "string", "pattern": f"^{PERIOD_PATTERN}$"}},
        "breakdown": {"name": "breakdown", "in": "query", "required": False, "style": "form", "explode": False,
                      "description": "`total` (totals only), `all` (totals and every breakdown) or a dimension name "
                                     "(that breakdown's members only, without the total); comma-separated to combine. "
                                     "If no view parameter (geo, from, to, breakdown) is given the answer is the full "
                                     "series (= all); if any is given and breakdown is omitted, it is `total`. A "
                                     "dimension the requested indicators are not broken down by is a 400 error.",
                      "schema": {"type": "array", "minItems": 1, "maxItems": len(dims) + 2,
                                 "items": {"type": "string", "enum": ["total", "all", *dims]}}},
        "format": {"name": "format", "in": "query", "required": False, "description": "json (default) or csv.",
                   "schema": {"type": "string", "enum": ["json", "csv"], "default": "json"}},
        "lang": {"name": "lang", "in": "query", "required": False,
                 "description": "Language of names (labels=names|both) and of CSV headers (labels=names).",
                 "schema": {"type": "string", "enum": list(LANGS), "default": "ar"}},
        "labels": {"name": "labels", "in": "query", "required": False,
                   "description": "codes: published codes; names: names instead of codes; both: codes and, after "
                                  "each coded column, its name.",
                   "schema": {"type": "string", "enum": list(LABEL_MODES)}},
        "bom": {"name": "bom", "in": "query", "required": False,
                "description": "CSV only: start with a UTF-8 byte-order mark, which Excel needs to show Arabic.",
                "schema": {"type": "boolean"}},
        "limit": {"name": "limit", "in": "query", "required": False, "description": "Rows per page.",
                  "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT}},
        "offset": {"name": "offset", "in": "query", "required": False, "description": "Rows to skip.",
                   "schema": {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET, "default": 0}},
        "country": {"name": "country", "in": "query", "required": False, "description": "Country code.",
                    "schema": {"type": "string", "enum": countries}},
        "topic": {"name": "topic", "in": "query", "required": False, "description": "Topic id.",
                  "schema": {"type": "string", "enum": topics}},
        "level": {"name": "level", "in": "query", "required": False, "description": "country or governorate.",
                  "schema": {"type": "string", "enum": levels}},
        "indicatorPath": {"name": "indicator", "in": "path", "required": True, "description": "Indicator id.",
                          "schema": {"type": "string", "enum": ids}},
    }
    view = [_param("geo"), _param("from"), _param("to"), _param("breakdown")]
    schemas = {
        "Error": {"type": "object", "required": ["error"], "properties": {"error": {
            "type": "object", "required": ["status", "code", "message"],
            "properties": {"status": {"type": "integer", "minimum": 400, "maximum": 599},
                           "code": {"type": "string"}, "message": {"type": "string"},
                           "parameter": {"type": "string"}, "allowed": {"type": "array"}}}}},
        "Bilingual": BILINGUAL,
        "Build": {"type": "object", "required": ["build_id", "built_at", "observations"],
                  "properties": {"build_id": {"type": "string"}, "built_at": {"type": "string"},
                                 "observations": {"type": "integer", "minimum": 0}}},
        "Licence": {"type": "object", "required": ["id", "name", "url"],
                    "properties": {"id": {"type": "string"}, "name": {"type": "string"}, "url": {"type": "string"},
                                   "note": BILINGUAL}},
        "Links": {"type": "object", "required": ["self", "observations", "csv", "xlsx", "json", "zip"],
                  "properties": {k: {"type": "string"} for k in ("self", "observations", "csv", "xlsx", "json", "zip")}},
        "IndicatorSummary": {"type": "object", "required": ["id", "name", "topic", "country", "unit", "measure",
                                                            "breakdowns", "decimals", "headline", "coverage", "links"],
                             "properties": {
                                 "id": {"type": "string", "enum": ids}, "name": _ref("Bilingual"),
                                 "topic": {"type": "object", "required": ["id"],
                                           "properties": {"id": {"type": "string"}, "name": {"type": ["object", "null"]}}},
                                 "country": {"type": "string"},
                                 "unit": {"type": "object", "required": ["id"], "properties": {
                                     "id": {"type": "string"}, "kind": NULLABLE_STRING,
                                     "name": {"type": ["object", "null"]}}},
                                 "measure": {"type": "string", "enum": ["stock", "flow"]},
                                 "breakdowns": {"type": "array"},
                                 "decimals": {"type": "integer", "minimum": 0},
                                 "higher_is_better": {"type": ["boolean", "null"]},
                                 "headline": {"type": "boolean"},
                                 "coverage": {"type": "object", "required": ["observations", "geographies", "sources"],
                                              "properties": {"observations": {"type": "integer", "minimum": 0},
                                                             "first_period": NULLABLE_STRING,
                                                             "last_period": NULLABLE_STRING,
                                                             "geographies": {"type": "array", "items": {"type": "string"}},
                                                             "sources": {"type": "array", "items": {"type": "string"}}}},
                                 "links": _ref("Links")}},
        "Source": {"type": "object", "required": ["id", "country", "publisher", "title", "published",
                                                  "reference_period"],
                   "properties": {"id": {"type": "string"}, "country": NULLABLE_STRING,
                                  "publisher": _ref("Bilingual"), "title": _ref("Bilingual"),
                                  "published": {"type": ["string", "null"],
                                                "description": "null when the source does not state it"},
                                  "url": NULLABLE_STRING, "reference_period": _ref("Bilingual"),
                                  "note": _ref("Bilingual"),
                                  "indicators": {"type": "array", "items": {"type": "string"}}}},
        "Target": {"type": "object", "required": ["geo", "period", "value", "source_id"],
                   "properties": {"geo": {"type": "string"}, "period": {"type": "string"},
                                  "period_start": NULLABLE_STRING, "period_end": NULLABLE_STRING,
                                  "value": {"type": "number"}, "source_id": {"type": "string"}, "note": BILINGUAL}},
        "IndicatorDetail": {"allOf": [_ref("IndicatorSummary"), {
            "type": "object", "required": ["definition", "sources", "targets", "licence", "build", "cite"],
            "properties": {"definition": _ref("Bilingual"),
                           "sources": {"type": "array", "items": _ref("Source")},
                           "targets": {"type": "array", "items": _ref("Target")},
                           "licence": _ref("Licence"), "build": _ref("Build"), "cite": BILINGUAL,
                           "view": {"type": "object"}}}]},
        "Observation": {"type": "object", "required": ["indicator_id", "geo_code", "period", "value"],
                        "description": "One published figure. Keys are column identifiers; with labels=names the "
                                       "values of coded columns are names, with labels=both name columns are added "
                                       "(indicator_name, geo_name, <dimension>_label, unit_name, source_name, "
                                       "qualifier_label). Breakdown columns are null in the row of the total.",
                        "properties": {"indicator_id": {"type": "string"}, "geo_code": {"type": "string"},
                                       "period": {"type": "string"}, "period_start": NULLABLE_STRING,
                                       "period_end": NULLABLE_STRING, "value": {"type": ["number", "null"]},
                                       "qualifier": NULLABLE_STRING, "unit": NULLABLE_STRING,
                                       "source_id": NULLABLE_STRING, "value_as_written": NULLABLE_STRING,
                                       **{d: NULLABLE_STRING for d in dims}}},
        "ObservationPage": {"type": "object", "required": ["build", "licence", "query", "total", "limit", "offset",
                                                           "count", "links", "data", "full_series"],
                            "properties": {"build": _ref("Build"), "licence": _ref("Licence"),
                                           "query": {"type": "object"}, "full_series": {"type": "boolean"},
                                           "total": {"type": "integer", "minimum": 0},
                                           "limit": {"type": "integer"}, "offset": {"type": "integer"},
                                           "count": {"type": "integer", "minimum": 0},
                                           "links": {"type": "object", "required": ["self", "next"], "properties": {
                                               "self": {"type": "string"}, "next": NULLABLE_STRING}},
                                           "data": {"type": "array", "items": _ref("Observation")}}},
        "Geography": {"type": "object", "required": ["code", "level", "country", "name", "observations"],
                      "properties": {"code": {"type": "string"}, "level": {"type": "string"},
                                     "country": {"type": "string"}, "parent": NULLABLE_STRING,
                                     "name": _ref("Bilingual"), "aliases": {"type": "array"},
                                     "map_file": NULLABLE_STRING, "map_within": NULLABLE_STRING,
                                     "observations": {"type": "integer", "minimum": 0}}},
    }

    def listing(item: str, with_licence: bool = True) -> dict:
        req = ["build", "count", "data"] + (["licence"] if with_licence else [])
        props = {"build": _ref("Build"), "count": {"type": "integer", "minimum": 0},
                 "data": {"type": "array", "items": _ref(item)}}
        if with_licence:
            props["licence"] = _ref("Licence")
        return {"type": "object", "required": req, "properties": props}

    dl = [_param("lang"), _param("labels")]
    paths = {
        "/api/v1/indicators": _get(
            "Indicators", "Every indicator with its names, unit, breakdowns and coverage.",
            [_param("topic"), _param("country"), _param("format")],
            {"200": _ok("The indicators.", listing("IndicatorSummary"), {"text/csv": csv_text})}, ["API"],
            "listIndicators"),
        "/api/v1/indicators/{indicator}": _get(
            "One indicator", "Names, definition, unit, breakdowns with their members, sources, targets, citation.",
            [_param("indicatorPath")], {"200": _ok("The indicator.", _ref("IndicatorDetail"))}, ["API"],
            "getIndicator"),
        "/api/v1/observations": _get(
            "Observations", "Published figures, filtered by indicator and view; paged by limit and offset "
            "(links.next, or the Link header for CSV; X-Total-Count gives the total).",
            [_param("indicators"), *view, _param("format"), _param("lang"), _param("labels"), _param("bom"),
             _param("limit"), _param("offset")],
            {"200": _ok("A page of observations.", _ref("ObservationPage"), {"text/csv": csv_text})}, ["API"],
            "listObservations"),
        "/api/v1/geographies": _get(
            "Geographies", "Countries and governorates with their names and number of figures.",
            [_param("country"), _param("level"), _param("format")],
            {"200": _ok("The geographies.", listing("Geography", False), {"text/csv": csv_text})}, ["API"],
            "listGeographies"),
        "/api/v1/sources": _get(
            "Sources", "Every source document: publisher, title, publication date (null if not stated).",
            [_param("country"), _param("format")],
            {"200": _ok("The sources.", listing("Source"), {"text/csv": csv_text})}, ["API"], "listSources"),
        "/api/v1/openapi.json": _get("This document", "The OpenAPI document.", [],
                                     {"200": _ok("OpenAPI 3.1 document.", {"type": "object"})}, ["API"], "openapi"),
        "/data/{indicator}.csv": _get(
            "Indicator as CSV", "The full series (no view parameter) or the view. UTF-8 with a byte-order mark by "
            "default (bom=false for plain UTF-8); labels=both by default.",
            [_param("indicatorPath"), *view, *dl, _param("bom")], {"200": _ok("CSV.", None, {"text/csv": csv_text})},
            ["Downloads"], "indicatorCsv"),
        "/data/{indicator}.xlsx": _get(
            "Indicator as Excel", "Data sheet (frozen header, number formats, right to left in Arabic) and an "
            "About sheet.", [_param("indicatorPath"), *view, *dl],
            {"200": _ok("XLSX.", None, {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": binary})},
            ["Downloads"], "indicatorXlsx"),
        "/data/{indicator}.json": _get(
            "Indicator metadata", "Names, definition, unit, breakdowns, sources, targets; with a view, what it holds "
            "and only the sources its figures cite.", [_param("indicatorPath"), *view, *dl],
            {"200": _ok("Metadata.", _ref("IndicatorDetail"))}, ["Downloads"], "indicatorJson"),
        "/data/{indicator}.zip": _get(
            "Indicator bundle", "CSV + metadata JSON + README.", [_param("indicatorPath"), *view, *dl, _param("bom")],
            {"200": _ok("ZIP.", None, {"application/zip": binary})}, ["Downloads"], "indicatorZip"),
        "/data/all.csv": _get(
            "Whole dataset as CSV", "Every observation.", [*dl, _param("bom")],
            {"200": _ok("CSV.", None, {"text/csv": csv_text})}, ["Downloads"], "allCsv"),
        "/data/all.xlsx": _get(
            "Whole dataset as Excel", "One sheet per topic; long topics continue on numbered sheets.", dl,
            {"200": _ok("XLSX.", None, {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": binary})},
            ["Downloads"], "allXlsx"),
        "/data/all.parquet": _get(
            "Whole dataset as Parquet", "Codes and labels in both languages.", [],
            {"200": _ok("Parquet.", None, {"application/vnd.apache.parquet": binary})}, ["Downloads"], "allParquet"),
        "/data/datapackage.json": _get(
            "Frictionless Data Package", "Table schema for every resource, sources and licence.", [],
            {"200": _ok("datapackage.json", {"type": "object", "required": ["name", "resources", "licenses"]})},
            ["Downloads"], "datapackage"),
        "/data/datapackage.zip": _get(
            "Data package as ZIP", "datapackage.json and its resources.", [],
            {"200": _ok("ZIP.", None, {"application/zip": binary})}, ["Downloads"], "datapackageZip"),
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "Social protection indicators — open data", "version": "1.0.0",
                 "description": "Read-only access to every published figure with its definition, unit and source, "
                                f"in Arabic and English. Database build {m.build_id}. Values outside the documented "
                                "ones get a 4xx JSON error that names the parameter.",
                 "license": {"name": m.licence.get("name", ""), "identifier": m.licence.get("id", "")}},
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {"parameters": parameters, "schemas": schemas},
    }
