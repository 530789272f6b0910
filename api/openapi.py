"""The OpenAPI 3.1 document of the API and the download addresses, made from the current build.

Lists of valid values (indicator ids, geography codes, breakdowns, topics, countries) are
enums read from the database, so the document says exactly which values the server
accepts; a value outside them gets a 4xx JSON error. Each indicator's downloads have paths
of their own (/data/om_nursery_children.csv…), because what they accept depends on the
indicator: `breakdown` takes only its own breakdowns, `with` only other indicators of its
country. A place's downloads (/data/place/{geo}.csv|.xlsx) take the same parameters for
every place, so they share one templated path each. The API's /api/v1/observations takes
several indicators at once, so one rule joins two parameters there and is documented in
words: a breakdown that none of the requested indicators has is a 400
(`breakdown_not_available`).
"""
from __future__ import annotations

from contract.periods import FILTER_PATTERN
from contract.schema import CALENDAR_STATES, CHANGES, LANGS, REVISION_KINDS
from store.address import configured
from store.framework import STATUSES as TARGET_STATUSES
from store.view import MAX_GEOS, MAX_IDS, MODES, VIEWS, breakdowns_offered

from .params import DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET
from .shape import LABEL_MODES

NULLABLE_STRING = {"type": ["string", "null"]}
SHA256 = {"type": "string", "pattern": "^[0-9a-f]{64}$"}
BILINGUAL = {"type": "object", "required": ["ar", "en"],
             "properties": {"ar": NULLABLE_STRING, "en": NULLABLE_STRING}}
CSV_TEXT = {"type": "string"}
BINARY = {"type": "string", "contentMediaType": "application/octet-stream"}
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOWNLOADS = ("csv", "xlsx", "json", "zip")


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _param(name: str) -> dict:
    return {"$ref": f"#/components/parameters/{name}"}


# Written once under components and referred to by every operation (there are four per indicator).
HEADERS = {
    "ETag": {"description": "Validator for this answer on this database build; send it back in If-None-Match.",
             "schema": {"type": "string"}},
    "Last-Modified": {"description": "When the database was built.", "schema": {"type": "string"}},
    "Cache-Control": {"description": "How long a cache may keep this answer: `public, max-age=N, "
                                     "stale-while-revalidate=N, stale-if-error=86400` for the live release (N is a "
                                     "minute unless the server sets another, and max-age shorter when the next release "
                                     "goes live sooner; an expired copy may be given while it is fetched again for N "
                                     "seconds more, and for a day while the server cannot be reached), "
                                     "`public, max-age=86400` for a download naming a release by its id (as_of), "
                                     "`private, no-store` for a reviewer's or an embargoed release's answer.",
                      "schema": {"type": "string"}},
    "X-Release": {"description": "The release the answer was read from (when the site serves releases).",
                  "schema": {"type": "string"}},
    "X-Release-SHA256": {"description": "The hash of that release's entry in the published chain "
                                        "(/data/releases.json): keep it with a file to check it against the record.",
                         "schema": {"type": "string", "pattern": "^[0-9a-f]{64}$"}},
}
ERRORS = {"400": "A parameter is malformed, unknown, repeated, too long or out of range.",
          "404": "Unknown indicator, geography or address.",
          "405": "Only GET and HEAD are allowed.",
          "503": "The database has not been built."}
RESPONSES = {
    "304": {"description": "Not modified since the ETag sent in If-None-Match."},
    **{status: {"description": text, "content": {"application/json": {"schema": _ref("Error")}}}
       for status, text in ERRORS.items()},
}


def _ok(description: str, json_schema: dict | None = None, media: dict | None = None) -> dict:
    content = {}
    if json_schema is not None:
        content["application/json"] = {"schema": json_schema}
    for mt, schema in (media or {}).items():
        content[mt] = {"schema": schema}
    return {"description": description, "headers": {h: {"$ref": f"#/components/headers/{h}"} for h in HEADERS},
            "content": content}


def _get(summary: str, description: str, parameters: list, responses: dict, tags: list[str],
         op_id: str) -> dict:
    responses = {**responses, **{status: {"$ref": f"#/components/responses/status{status}"} for status in RESPONSES}}
    return {"get": {"summary": summary, "description": description, "operationId": op_id, "tags": tags,
                    "parameters": parameters, "responses": responses}}


def _list_param(name: str, description: str, values: list[str], max_items: int) -> dict:
    """A query parameter of comma-separated values, each one of `values`."""
    return {"name": name, "in": "query", "required": False, "style": "form", "explode": False,
            "description": description,
            "schema": {"type": "array", "minItems": 1, "maxItems": max_items, "items": {"type": "string", "enum": values}}}


BREAKDOWN_TEXT = ("`total` (totals only), `all` (totals and every breakdown) or a dimension name (that breakdown's "
                  "members only, without the total); comma-separated to combine. If no view parameter (geo, from, to, "
                  "breakdown) is given the answer is the full series (= all); if any is given and breakdown is "
                  "omitted, it is `total`.")


def _parameters(m) -> dict:
    """The parameters several operations share."""
    levels = list(dict.fromkeys(g["level"] for g in m.geographies.values()))
    period = {"type": "string", "pattern": f"^{FILTER_PATTERN}$"}
    return {
        "indicators": _list_param("indicator", "Indicator ids, comma-separated. Omitted: every indicator.",
                                  list(m.indicators), MAX_IDS),
        "geo": _list_param("geo", "Geography codes (ISO 3166), comma-separated. Only these codes: a country does not "
                                  "include its governorates. Omitted: every geography.", list(m.geographies), MAX_GEOS),
        "from": {"name": "from", "in": "query", "required": False,
                 "description": "First period (label such as 2021, 2025-H1, 2025-Q3, 2025-06). A figure is kept when "
                                "its period ends on or after the first day of this period.",
                 "schema": period},
        "to": {"name": "to", "in": "query", "required": False,
               "description": "Last period (label). A figure is kept when its period ends on or before the last day "
                              "of this period. Must not be before `from`.",
               "schema": period},
        "breakdown": _list_param("breakdown", BREAKDOWN_TEXT + " A dimension that none of the requested indicators "
                                 "is broken down by is a 400 error (breakdown_not_available).",
                                 ["total", "all", *m.dimension_columns], len(m.dimension_columns) + 2),
        "format": {"name": "format", "in": "query", "required": False, "description": "json (default) or csv.",
                   "schema": {"type": "string", "enum": ["json", "csv"], "default": "json"}},
        "observationsFormat": {"name": "format", "in": "query", "required": False,
                               "description": "json (default), csv, or jsonstat: a JSON-stat 2.0 dataset of the whole "
                                              "selection, unpaged (limit and offset do not apply), labels in `lang`, "
                                              "both languages in its extensions (api/jsonstat.py).",
                               "schema": {"type": "string", "enum": ["json", "csv", "jsonstat"], "default": "json"}},
        "lang": {"name": "lang", "in": "query", "required": False,
                 "description": "Language of names (labels=names|both) and of CSV headers (labels=names). Omitted or "
                                "empty: Arabic (the one language policy of the site). Any other value is a 400 error.",
                 "schema": {"type": "string", "enum": [*LANGS, ""], "default": "ar"}},
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
                    "schema": {"type": "string", "enum": m.countries}},
        "topic": {"name": "topic", "in": "query", "required": False, "description": "Topic id.",
                  "schema": {"type": "string", "enum": list(m.topics)}},
        "level": {"name": "level", "in": "query", "required": False, "description": "country or governorate.",
                  "schema": {"type": "string", "enum": levels}},
        "releasePath": {"name": "release_id", "in": "path", "required": True,
                        "description": "Release id, as /api/v1/releases lists them: the day it went public in the "
                                       "publisher's time zone (2025-03-01), then -2, -3... for a second release on one "
                                       "day. A release the server does not list is a 404 (unknown_release).",
                        "schema": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}(-[0-9]+)?$"}},
        "calendarLang": {"name": "lang", "in": "query", "required": False,
                         "description": "Language of the events' titles and of the calendar's name. Omitted or "
                                        "empty: Arabic. Any other value is a 400 error.",
                         "schema": {"type": "string", "enum": [*LANGS, ""], "default": "ar"}},
        "indicatorPath": {"name": "indicator", "in": "path", "required": True, "description": "Indicator id.",
                          "schema": {"type": "string", "enum": list(m.indicators)}},
        "geoPath": {"name": "geo", "in": "path", "required": True,
                    "description": "Geography code (ISO 3166) of a country or a governorate.",
                    "schema": {"type": "string", "enum": list(m.geographies)}},
    }


def _schemas(m) -> dict:
    return {
        "Error": {"type": "object", "required": ["error"], "properties": {"error": {
            "type": "object", "required": ["status", "code", "message"],
            "properties": {"status": {"type": "integer", "minimum": 400, "maximum": 599},
                           "code": {"type": "string"}, "message": {"type": "string"},
                           "parameter": {"type": "string"}, "allowed": {"type": "array"}}}}},
        "Bilingual": BILINGUAL,
        "Build": {"type": "object", "required": ["build_id", "built_at", "observations"],
                  "properties": {"build_id": {"type": "string"}, "built_at": {"type": "string"},
                                 "observations": {"type": "integer", "minimum": 0},
                                 "release": NULLABLE_STRING,
                                 "release_sha256": {**NULLABLE_STRING, "description": "The hash of the release's entry "
                                                    "in the published chain (/data/releases.json)."}}},
        "Licence": {"type": "object", "required": ["id", "name", "url"],
                    "properties": {"id": {"type": "string"}, "name": {"type": "string"}, "url": {"type": "string"},
                                   "note": BILINGUAL}},
        "Links": {"type": "object", "required": ["self", "observations", "csv", "xlsx", "json", "zip"],
                  "properties": {k: {"type": "string"} for k in ("self", "observations", "csv", "xlsx", "json", "zip")}},
        "IndicatorSummary": {"type": "object", "required": ["id", "name", "topic", "country", "unit", "measure",
                                                            "breakdowns", "decimals", "headline", "coverage", "links"],
                             "properties": {
                                 "id": {"type": "string", "enum": list(m.indicators)}, "name": _ref("Bilingual"),
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
        "International": {"type": "object", "required": ["scheme", "code", "source"],
                          "description": "An international series the indicator is (an SDG or ILO indicator), "
                                         "with the document that states the mapping.",
                          "properties": {"scheme": {"type": "string", "enum": ["SDG", "ILO"]},
                                         "code": {"type": "string"},
                                         "source": {"type": "object", "required": ["title", "url"],
                                                    "properties": {"title": {"type": "string"},
                                                                   "url": {"type": "string"}}}}},
        "IndicatorDetail": {"allOf": [_ref("IndicatorSummary"), {
            "type": "object", "required": ["definition", "sources", "targets", "licence", "build", "cite"],
            "properties": {"definition": _ref("Bilingual"),
                           "sources": {"type": "array", "items": _ref("Source")},
                           "targets": {"type": "array", "items": _ref("Target")},
                           "international": {"type": "array", "items": _ref("International")},
                           "licence": _ref("Licence"), "build": _ref("Build"), "cite": BILINGUAL,
                           "view": {"type": "object"},
                           "with": {"type": "array", "items": {"type": "object"},
                                    "description": "Downloads with `with`: each added indicator in full."}}}]},
        "Observation": {"type": "object", "required": ["indicator_id", "geo_code", "period", "value"],
                        "description": "One published figure. Keys are column identifiers; with labels=names the "
                                       "values of coded columns are names, with labels=both name columns are added "
                                       "(indicator_name, geo_name, <dimension>_label, unit_name, source_name, "
                                       "qualifier_label, status_label). Breakdown columns are null in the row of the "
                                       "total. `status`: null for a figure as published; provisional, estimated or "
                                       "break; or, with a null value, why there is no figure.",
                        "properties": {"indicator_id": {"type": "string"}, "geo_code": {"type": "string"},
                                       "period": {"type": "string"}, "period_start": NULLABLE_STRING,
                                       "period_end": NULLABLE_STRING, "value": {"type": ["number", "null"]},
                                       "qualifier": NULLABLE_STRING, "unit": NULLABLE_STRING,
                                       "status": {"type": ["string", "null"]},
                                       "source_id": NULLABLE_STRING, "value_as_written": NULLABLE_STRING,
                                       "revised_in": {"type": ["string", "null"], "description":
                                                      "The release that revised the figure (null: never revised)."},
                                       "revised_on": NULLABLE_STRING,
                                       "previous_value": {"type": ["number", "null"],
                                                          "description": "The value before that revision."},
                                       "revision_kind": {"type": ["string", "null"], "enum": [*REVISION_KINDS, None],
                                                         "description": "Why that release revised it, as Eurostat's "
                                                         "revision policy names the kinds (null: it gave no reason)."},
                                       "revision_reason_ar": {"type": ["string", "null"],
                                                              "description": "The reason, in Arabic."},
                                       "revision_reason_en": {"type": ["string", "null"],
                                                              "description": "The reason, in English."},
                                       **{d: NULLABLE_STRING for d in m.dimension_columns}}},
        "JsonStatDataset": {"type": "object", "required": ["version", "class", "id", "size", "dimension", "value"],
                            "description": "JSON-stat 2.0 (https://json-stat.org/full/): sparse value and status "
                                           "keyed by the cell's index; dimensions indicator, geo, period and one per "
                                           "breakdown, _T the total.",
                            "properties": {"version": {"type": "string", "enum": ["2.0"]},
                                           "class": {"type": "string", "enum": ["dataset"]},
                                           "id": {"type": "array", "items": {"type": "string"}},
                                           "size": {"type": "array", "items": {"type": "integer", "minimum": 0}},
                                           "dimension": {"type": "object"}, "value": {"type": "object"},
                                           "status": {"type": "object"}, "extension": {"type": "object"}}},
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
        **_framework_schemas(),
        **_release_schemas(),
        "Geography": {"type": "object", "required": ["code", "level", "country", "name", "observations"],
                      "properties": {"code": {"type": "string"}, "level": {"type": "string"},
                                     "country": {"type": "string"}, "parent": NULLABLE_STRING,
                                     "name": _ref("Bilingual"), "aliases": {"type": "array"},
                                     "map_file": NULLABLE_STRING, "map_within": NULLABLE_STRING,
                                     "observations": {"type": "integer", "minimum": 0}}},
    }


def _framework_schemas() -> dict:
    """A country's results frameworks and targets (api/frameworks.py); an item nests its children."""
    figure = {"type": ["object", "null"], "required": ["value", "period", "source_id"],
              "description": "A published total; null where none is published (never filled).",
              "properties": {"value": {"type": "number"}, "period": {"type": "string"}, "qualifier": NULLABLE_STRING,
                             "status": NULLABLE_STRING, "source_id": {"type": "string"}}}
    indicator = {"indicator_id": {"type": "string"}, "name": _ref("Bilingual"), "unit": {"type": "string"}}
    return {
        "PublishedFigure": figure,
        "FrameworkItem": {"type": "object", "required": ["id", "level", "code", "label", "indicators", "items"],
                          "properties": {
                              "id": {"type": "string"}, "level": {"type": "string"}, "code": NULLABLE_STRING,
                              "label": _ref("Bilingual"),
                              "indicators": {"type": "array", "items": {
                                  "type": "object", "required": ["indicator_id", "name", "country", "unit", "latest"],
                                  "properties": {**indicator, "country": {"type": "string"},
                                                 "latest": _ref("PublishedFigure")}}},
                              "items": {"type": "array", "items": _ref("FrameworkItem")}}},
        "CountryPlan": {"type": "object", "required": ["country", "name", "frameworks", "targets"], "properties": {
            "country": {"type": "string"}, "name": _ref("Bilingual"),
            "frameworks": {"type": "array", "items": {
                "type": "object", "required": ["id", "name", "source_id", "items"],
                "properties": {"id": {"type": "string"}, "name": _ref("Bilingual"), "source_id": {"type": "string"},
                               "items": {"type": "array", "items": _ref("FrameworkItem")}}}},
            "targets": {"type": "array", "items": {
                "type": "object", "required": ["indicator_id", "name", "unit", "geo", "period", "value", "source_id",
                                               "status", "period_figure", "latest"],
                "properties": {**indicator, "geo": {"type": "string"}, "period": {"type": "string"},
                               "value": {"type": "number"}, "source_id": {"type": "string"}, "note": BILINGUAL,
                               "status": {"type": "string", "enum": list(TARGET_STATUSES),
                                          "description": "pending until a figure for the target's period is "
                                                         "published; then whether it reaches the target"},
                               "period_figure": _ref("PublishedFigure"), "latest": _ref("PublishedFigure")}}}}},
    }


def _release_schemas() -> dict:
    """Releases (api/documents.py release, upcoming, change)."""
    figure = {"type": "object", "required": ["value", "status", "source_id"],
              "properties": {"value": {"type": ["number", "null"]}, "status": NULLABLE_STRING,
                             "source_id": NULLABLE_STRING}}
    return {
        "Release": {"type": "object", "required": ["release_id", "public_at", "public_at_local", "timezone", "note",
                                                   "released_by", "changes", "links"],
                    "properties": {
                        "release_id": {"type": "string"},
                        "public_at": {"type": "string", "description": "When it went (or goes) public, in UTC "
                                                                     "(ISO 8601)."},
                        "public_at_local": {"type": "string", "description": "The same, in the publisher's time."},
                        "pre_release_access": {
                            "type": ["object", "null"], "required": ["available", "names"],
                            "description": "Who saw the release before it was public (the reviewers who read it "
                                           "under embargo, by name, first viewer first), published at its time: "
                                           "null before then. available false: this server cannot read its audit "
                                           "log now (names null), which is not the same as nobody.",
                            "properties": {"available": {"type": "boolean"},
                                           "names": {"type": ["array", "null"], "items": {"type": "string"}}}},
                        "timezone": {"type": "string", "description": "The publisher's time zone (IANA)."},
                        "note": {**BILINGUAL, "description": "What the release brings, in Arabic and English; "
                                 "ar is null for a release made before notes had both languages (its English "
                                 "note stands for it)."},
                        "released_by": NULLABLE_STRING,
                        "changes": {"type": "object", "required": list(CHANGES), "description": "How many figures "
                                    "the release added, revised, amended and withdrew.",
                                    "properties": {c: {"type": "integer", "minimum": 0} for c in CHANGES}},
                        "scheduled_at": {"type": "string", "description": "The public time first set (UTC); "
                                         "public_at differs when the release was moved before it was public."},
                        "entry_sha256": SHA256, "figures_sha256": SHA256, "catalogue_sha256": SHA256,
                        "reasons_sha256": {**NULLABLE_STRING, "description": "The hash of its reasons file, why it "
                                           "revised, amended or withdrew figures (null: it gave no reasons)."},
                        "previous_sha256": {**NULLABLE_STRING, "description": "The hash of the entry before it in "
                                            "the chain (null for the first)."},
                        "signed": {"type": "boolean", "description": "Whether its entry is signed with the "
                                   "ministry's key."},
                        "links": {"type": "object", "required": ["changes", "observations"],
                                  "properties": {"changes": {"type": "string"}, "observations": {"type": "string"},
                                                 "figures": {"type": "string"}, "catalogue": {"type": "string"},
                                                 "reasons": {"type": "string", "description": "Only for a release "
                                                             "that gave reasons."}}}}},
        "Amendment": {"type": "object", "required": ["release_id", "action", "reason", "by", "created_at"],
                      "description": "A release cancelled, or given another public time, before it was public.",
                      "properties": {"release_id": {"type": "string"}, "action": {"enum": ["cancel", "reschedule"]},
                                     "reason": {"type": "string", "description": "Why, as the publisher wrote it, "
                                                "in one language (Arabic or English)."},
                                     "by": {"type": "string"},
                                     "created_at": {"type": "string"}, "public_at": NULLABLE_STRING,
                                     "entry_sha256": SHA256}},
        "UpcomingRelease": {"type": "object", "required": ["id", "expected_on", "title", "indicators", "languages",
                                                           "state", "sequence", "latest_change", "moved"],
                            "description": "A release announced in the catalogue's calendar. A cancelled one stays "
                                           "listed (with its reason) until its day.",
                            "properties": {"id": {"type": "string", "description": "The announcement's name, kept "
                                                  "when its date moves (the UID of its event in /releases.ics)."},
                                           "expected_on": {"type": "string", "format": "date"},
                                           "title": _ref("Bilingual"),
                                           "indicators": {"type": "array", "items": {"type": "string"}},
                                           "languages": {"type": "array", "items": {"type": "string"}},
                                           "state": {"enum": list(CALENDAR_STATES)},
                                           "sequence": {"type": "integer", "minimum": 0, "description":
                                                        "How many times its state or date changed (the event's "
                                                        "SEQUENCE in /releases.ics)."},
                                           "latest_change": {"type": ["object", "null"],
                                                             "description": "The latest change; null if none.",
                                                             "required": ["on", "changed", "reason"],
                                                             "properties": {
                                                                 "on": {"type": "string", "format": "date"},
                                                                 "changed": {"enum": ["state", "date"]},
                                                                 "reason": _ref("Bilingual")}},
                                           "moved": {"type": ["object", "null"],
                                                     "description": "The day it was last moved from, and why; null "
                                                                    "if it never moved.",
                                                     "required": ["from", "reason"],
                                                     "properties": {"from": {"type": "string", "format": "date"},
                                                                    "reason": _ref("Bilingual")}}}},
        "ReleaseList": {"type": "object", "required": ["build", "count", "data", "upcoming"],
                        "properties": {"build": _ref("Build"), "count": {"type": "integer", "minimum": 0},
                                       "data": {"type": "array", "items": _ref("Release"),
                                                "description": "Every release up to the one read, newest first."},
                                       "amendments": {"type": "array", "items": _ref("Amendment")},
                                       "chain": {"type": "string", "description": "Where the chain of entries is."},
                                       "upcoming": {"type": "array", "items": _ref("UpcomingRelease"),
                                                    "description": "The releases announced from today on."}}},
        "Change": {"type": "object", "required": ["change", "indicator_id", "geo_code", "period", "breakdown", "old",
                                                  "new", "reason"],
                   "properties": {"change": {"type": "string", "enum": list(CHANGES)},
                                  "indicator_id": {"type": "string"}, "geo_code": {"type": "string"},
                                  "period": {"type": "string"},
                                  "breakdown": {"type": "object", "additionalProperties": {"type": "string"},
                                                "description": "The figure's breakdown members; empty for a total."},
                                  "old": {**figure, "description": "Before the release (nulls for a figure added)."},
                                  "new": {**figure, "description": "After it (nulls for a figure withdrawn)."},
                                  "reason": {"type": ["object", "null"], "required": ["kind", "ar", "en"],
                                             "description": "Why the release revised, amended or withdrew the figure, "
                                                            "when it said: the kind (Eurostat's: routine, correction, "
                                                            "major) and the reason in Arabic and English.",
                                             "properties": {"kind": {"type": "string", "enum": list(REVISION_KINDS)},
                                                            "ar": {"type": "string"}, "en": {"type": "string"}}}}},
        "ReleaseChanges": {"type": "object", "required": ["release_id", "count", "data"],
                           "properties": {"release_id": {"type": "string"}, "count": {"type": "integer", "minimum": 0},
                                          "data": {"type": "array", "items": _ref("Change"),
                                                   "description": "Added, revised, amended, then withdrawn."}}},
    }


def _listing(item: str, with_licence: bool = True) -> dict:
    req = ["build", "count", "data"] + (["licence"] if with_licence else [])
    props = {"build": _ref("Build"), "count": {"type": "integer", "minimum": 0},
             "data": {"type": "array", "items": _ref(item)}}
    if with_licence:
        props["licence"] = _ref("Licence")
    return {"type": "object", "required": req, "properties": props}


def _api_paths() -> dict:
    view = [_param("geo"), _param("from"), _param("to"), _param("breakdown")]
    return {
        "/api/v1/indicators": _get(
            "Indicators", "Every indicator with its names, unit, breakdowns and coverage.",
            [_param("topic"), _param("country"), _param("format")],
            {"200": _ok("The indicators.", _listing("IndicatorSummary"), {"text/csv": CSV_TEXT})}, ["API"],
            "listIndicators"),
        "/api/v1/indicators/{indicator}": _get(
            "One indicator", "Names, definition, unit, breakdowns with their members, sources, targets, citation.",
            [_param("indicatorPath")], {"200": _ok("The indicator.", _ref("IndicatorDetail"))}, ["API"],
            "getIndicator"),
        "/api/v1/observations": _get(
            "Observations", "Published figures, filtered by indicator and view; paged by limit and offset "
            "(links.next, or the Link header for CSV; X-Total-Count gives the total).",
            [_param("indicators"), *view, _param("observationsFormat"), _param("lang"), _param("labels"), _param("bom"),
             _param("limit"), _param("offset")],
            {"200": _ok("A page of observations (format=json), or the whole selection as a JSON-stat 2.0 dataset "
                        "(format=jsonstat).", {"anyOf": [_ref("ObservationPage"), _ref("JsonStatDataset")]},
                        {"text/csv": CSV_TEXT, **SDMX_DATA_MEDIA})},
            ["API"], "listObservations"),
        "/api/v1/geographies": _get(
            "Geographies", "Countries and governorates with their names and number of figures.",
            [_param("country"), _param("level"), _param("format")],
            {"200": _ok("The geographies.", _listing("Geography", False), {"text/csv": CSV_TEXT})}, ["API"],
            "listGeographies"),
        "/api/v1/sources": _get(
            "Sources", "Every source document: publisher, title, publication date (null if not stated).",
            [_param("country"), _param("format")],
            {"200": _ok("The sources.", _listing("Source"), {"text/csv": CSV_TEXT})}, ["API"], "listSources"),
        "/api/v1/frameworks": _get(
            "Results frameworks and targets", "Per country: its results frameworks (items nested, each with the latest "
            "published national figure of every linked indicator) and its published targets with their status. CSV: "
            "one row per item and linked indicator, then one per target (column `section`).",
            [_param("country"), _param("format")],
            {"200": _ok("The countries' plans.", _listing("CountryPlan"), {"text/csv": CSV_TEXT})}, ["API"],
            "listFrameworks"),
        "/api/v1/releases": _get(
            "Releases", "Every release up to the one read (newest first: when it went public, its note, how many "
            "figures it changed) and the releases announced. CSV: the releases, one a row.",
            [_param("format")],
            {"200": _ok("The releases.", _ref("ReleaseList"), {"text/csv": CSV_TEXT})}, ["API"], "listReleases"),
        "/api/v1/releases/{release_id}/changes": _get(
            "What a release changed", "Every figure the release added, revised, amended or withdrew, with its value, "
            "status and source before and after, and why (reason: kind and reason in Arabic and English) where the "
            "release said. An unknown release is a 404 (unknown_release).",
            [_param("releasePath"), _param("format")],
            {"200": _ok("The changes.", _ref("ReleaseChanges"), {"text/csv": CSV_TEXT})}, ["API"], "releaseChanges"),
        "/data/releases.json": _get(
            "The published chain of releases", "The releases manifest's entries exactly as written, up to the latest "
            "release public now and the records of pre-release access that follow it: each entry after the first "
            "carries previous_sha256, the SHA-256 of the entry before it as canonical JSON (sorted keys, no spaces, "
            "UTF-8), and the SHA-256 of its release's files (a record: of the release's list of who saw it before "
            "publication), so anyone can check that no published release was changed since.", [],
            {"200": _ok("The chain.", {"type": "object", "required": ["releases"],
                                       "properties": {"releases": {"type": "array", "items": {"type": "object"}}}})},
            ["Downloads"], "releaseChain"),
        "/data/releases/{release_id}/observations.parquet": _get(
            "A release's figures, as released", "Byte for byte the file released: its SHA-256 is the entry's "
            "figures_sha256. A release not public is a 404.", [_param("releasePath")],
            {"200": _ok("Parquet.", None, {"application/vnd.apache.parquet": BINARY})}, ["Downloads"], "releaseFigures"),
        "/data/releases/{release_id}/indicators.yaml": _get(
            "A release's catalogue, as released", "Byte for byte the catalogue released: its SHA-256 is the entry's "
            "catalogue_sha256. A release not public is a 404.", [_param("releasePath")],
            {"200": _ok("YAML.", None, {"application/yaml": {"type": "string"}})}, ["Downloads"], "releaseCatalogue"),
        "/data/releases/{release_id}/reasons.json": _get(
            "A release's reasons, as released", "Byte for byte why the release revised, amended or withdrew figures "
            "(a row a figure: kind, reason_ar, reason_en): its SHA-256 is the entry's reasons_sha256. A release that "
            "gave no reasons is a 404 (no_reasons), one not public a 404 (unknown_release).", [_param("releasePath")],
            {"200": _ok("JSON.", {"type": "object", "required": ["reasons"],
                                  "properties": {"reasons": {"type": "array", "items": {"type": "object"}}}})},
            ["Downloads"], "releaseReasons"),
        "/releases.ics": _get(
            "Release calendar", "The announced releases as an iCalendar feed (one all-day event each) to subscribe to.",
            [_param("calendarLang")],
            {"200": _ok("iCalendar.", None, {"text/calendar": {"type": "string"}})}, ["Downloads"], "releaseCalendar"),
        "/api/v1/openapi.json": _get("This document", "The OpenAPI document.", [],
                                     {"200": _ok("OpenAPI 3.1 document.", {"type": "object"})}, ["API"], "openapi"),
    }


def _indicator_parameters(m) -> dict:
    """Per indicator, what its downloads accept: `breakdown_<id>` (total, all and its own
    breakdowns) and `with_<id>` (the other indicators of its country, if there are any)."""
    out = {}
    for indicator, ind in m.indicators.items():
        out[f"breakdown_{indicator}"] = _list_param("breakdown", BREAKDOWN_TEXT, breakdowns_offered(m, [indicator]),
                                                    len(m.dimension_columns) + 2)
        others = [i for i, r in m.indicators.items() if r["country"] == ind["country"] and i != indicator]
        if others:
            out[f"with_{indicator}"] = _list_param(
                "with", "Other indicators of the same country whose figures are added to the download (an amount "
                "per case needs the cases). Not a view parameter: with `with` alone, the full series of each.",
                others, MAX_IDS)
    return out


def _indicator_paths(indicator: str, name: str, shared: dict) -> dict:
    """/data/<indicator>.csv|.xlsx|.json|.zip (`name`: the indicator's English name), with the
    parameters of this indicator in `shared` (_indicator_parameters)."""
    params = [_param("geo"), _param("from"), _param("to"), _param(f"breakdown_{indicator}"),
              *([_param(f"with_{indicator}")] if f"with_{indicator}" in shared else []),
              _param("lang"), _param("labels")]
    csv = [*params, _param("bom")]
    kinds = {
        "csv": ("as CSV", "The full series (no view parameter) or the view. UTF-8 with a byte-order mark by default "
                "(bom=false for plain UTF-8); labels=both by default.", csv, _ok("CSV.", None, {"text/csv": CSV_TEXT})),
        "xlsx": ("as Excel", "Data sheet (frozen header, number formats, right to left in Arabic) and an About sheet.",
                 params, _ok("XLSX.", None, {XLSX_TYPE: BINARY})),
        "json": ("metadata", "Names, definition, unit, breakdowns, sources, targets; with a view, what it holds and "
                 "only the sources its figures cite.", params, _ok("Metadata.", _ref("IndicatorDetail"))),
        "zip": ("bundle", "CSV + metadata JSON + README.", csv, _ok("ZIP.", None, {"application/zip": BINARY})),
    }
    return {f"/data/{indicator}.{ext}": _get(f"{name}: {what}", text, ps, {"200": ok}, ["Downloads"],
                                             f"{ext}_{indicator}")
            for ext, (what, text, ps, ok) in kinds.items()}


def _dataset_paths() -> dict:
    dl = [_param("lang"), _param("labels")]
    place = ("Every figure of the place (every indicator, period and breakdown): the rows of "
             "/api/v1/observations?geo={geo}&breakdown=all, unpaged.")
    return {
        "/data/place/{geo}.csv": _get(
            "One place as CSV", f"{place} UTF-8 with a byte-order mark by default (bom=false for plain UTF-8); "
            "labels=both by default.", [_param("geoPath"), *dl, _param("bom")],
            {"200": _ok("CSV.", None, {"text/csv": CSV_TEXT})}, ["Downloads"], "placeCsv"),
        "/data/place/{geo}.xlsx": _get(
            "One place as Excel", f"{place} Data sheet (what it holds, its sources, licence and build above the "
            "frozen header; right to left in Arabic) and an About sheet describing every indicator in it.",
            [_param("geoPath"), *dl], {"200": _ok("XLSX.", None, {XLSX_TYPE: BINARY})}, ["Downloads"], "placeXlsx"),
        "/data/all.csv": _get(
            "Whole dataset as CSV", "Every observation.", [*dl, _param("bom")],
            {"200": _ok("CSV.", None, {"text/csv": CSV_TEXT})}, ["Downloads"], "allCsv"),
        "/data/all.xlsx": _get(
            "Whole dataset as Excel", "One sheet per topic; long topics continue on numbered sheets.", dl,
            {"200": _ok("XLSX.", None, {XLSX_TYPE: BINARY})}, ["Downloads"], "allXlsx"),
        "/data/all.parquet": _get(
            "Whole dataset as Parquet", "Codes and labels in both languages.", [],
            {"200": _ok("Parquet.", None, {"application/vnd.apache.parquet": BINARY})}, ["Downloads"], "allParquet"),
        "/data/datapackage.json": _get(
            "Frictionless Data Package", "Table schema for every resource, sources and licence.", [],
            {"200": _ok("datapackage.json", {"type": "object", "required": ["name", "resources", "licenses"]})},
            ["Downloads"], "datapackage"),
        "/data/datapackage.zip": _get(
            "Data package as ZIP", "datapackage.json and its resources.", [],
            {"200": _ok("ZIP.", None, {"application/zip": BINARY})}, ["Downloads"], "datapackageZip"),
    }


FEED_PARAMETERS = {
    "feedLang": {"name": "lang", "in": "query", "required": False,
                 "description": "Language of the feed (its titles, notes and figures; the other language's feed and "
                                "pages are linked as alternates). Omitted or empty: Arabic. Any other value is a 400 "
                                "error.",
                 "schema": {"type": "string", "enum": [*LANGS, ""], "default": "ar"}},
}


def _discovery_paths() -> dict:
    """The Atom feeds (api/feeds.py), the sitemap and robots.txt (api/discovery.py)."""
    atom = {"application/atom+xml": {"type": "string"}}
    return {
        "/releases.atom": _get(
            "Releases as an Atom feed", "One entry per public release, newest first (at most 50): its note, what it "
            "added, revised, amended and withdrew, links to its page in both languages and to its changes.",
            [_param("feedLang")], {"200": _ok("Atom feed.", None, atom)}, ["Feeds"], "releasesAtom"),
        "/data/{indicator}.atom": _get(
            "An indicator's releases as an Atom feed", "One entry per release that changed the indicator's figures, "
            "newest first (at most 20), with its latest figure of each place as that release published it and their "
            "source. An unknown indicator is a 404 (unknown_indicator).",
            [_param("indicatorPath"), _param("feedLang")], {"200": _ok("Atom feed.", None, atom)}, ["Feeds"],
            "indicatorAtom"),
        "/sitemap.xml": _get(
            "Sitemap", "Every public page in Arabic and English (sitemaps.org), each with its language versions as "
            "xhtml:link alternates (hreflang ar, en, x-default) and lastmod from the releases.", [],
            {"200": _ok("Sitemap.", None, {"application/xml": {"type": "string"}})}, ["Feeds"], "sitemap"),
        "/robots.txt": _get(
            "robots.txt", "What crawlers may read (the public site), what not (sign-in, Dash's internals, API "
            "paging), and where the sitemap is.", [],
            {"200": _ok("robots.txt.", None, {"text/plain": {"type": "string"}})}, ["Feeds"], "robots"),
    }


# -- SDMX (api/sdmx/) ---------------------------------------------------------------------------

# SDMX-JSON 2.0 (meta, data) and 1.0 (header, dataSets, structure) share a media type but for its
# version parameter, which a client matching on the type alone (schemathesis does) drops: each
# version's entry accepts either message, and says which one it is.
_SDMX_JSON = {"type": "object", "anyOf": [{"required": ["meta", "data"]},
                                          {"required": ["header", "dataSets", "structure"]}]}
SDMX_DATA_MEDIA = {"application/vnd.sdmx.data+csv; version=2.0.0": CSV_TEXT,
                   "application/vnd.sdmx.data+json; version=2.0.0": {
                       **_SDMX_JSON, "description": "SDMX-JSON 2.0: meta and data"},
                   "application/vnd.sdmx.data+json; version=1.0.0": {
                       **_SDMX_JSON, "description": "SDMX-JSON 1.0 (format=sdmx-json-1.0): header, dataSets, structure"}}


def _sdmx_parameters(m) -> dict:
    """The parameters of the /sdmx/ addresses; the values a build accepts as enums."""
    from .sdmx import structure
    flow = structure.flow_of(m)
    dims = structure.dimension_ids(m)
    position = r"([A-Za-z0-9_@$\-]+(\+[A-Za-z0-9_@$\-]+)*)?"
    period = {"type": "string", "pattern": f"^{FILTER_PATTERN.replace('H[12]', '[HS][12]')}$"}
    ids = {"dataflow": [flow.id], "datastructure": [flow.dsd], "conceptscheme": [flow.concepts],
           "codelist": list(structure.codelists(m))}
    out = {
        "sdmxFlow": {"name": "flow", "in": "path", "required": True,
                     "description": "The dataflow: ID, AGENCY,ID or AGENCY,ID,VERSION (another is a 404).",
                     "schema": {"type": "string", "enum": [flow.id, f"{flow.agency},{flow.id}",
                                                           f"{flow.agency},{flow.id},{flow.version}"]}},
        "sdmxKey": {"name": "key", "in": "path", "required": True,
                    "description": f"`all`, or the codes wanted of each dimension in order ({'.'.join(dims)}), "
                                   "dot-separated, `+` between several, empty for every code; `_T` is a total. "
                                   "A code the structure does not have, or members of two breakdowns at once, "
                                   "is a 404 (no figure has them).",
                    "schema": {"type": "string", "pattern": f"^(all|{position}(\\.{position}){{{len(dims) - 1}}})$"}},
        "sdmxAgency": {"name": "agency", "in": "path", "required": True, "description": "The maintenance agency.",
                       "schema": {"type": "string", "enum": [flow.agency, "all"]}},
        "sdmxVersion": {"name": "version", "in": "path", "required": True, "description": "The version.",
                        "schema": {"type": "string", "enum": [flow.version, "latest", "all", "~"]}},
        "sdmxReferences": {"name": "references", "in": "query", "required": False,
                           "description": "Structures referred to, added to the message: children of a dataflow is "
                                          "its data structure, descendants also the codelists and concepts.",
                           "schema": {"type": "string", "enum": ["none", "parents", "parentsandsiblings", "children",
                                                                 "descendants", "all"], "default": "none"}},
        "sdmxDetail": {"name": "detail", "in": "query", "required": False, "description": "Only `full`.",
                       "schema": {"type": "string", "enum": ["full"]}},
        "startPeriod": {"name": "startPeriod", "in": "query", "required": False,
                        "description": "First period (2021, 2021-S1, 2021-Q3, 2021-06): a figure is kept when its "
                                       "period ends on or after its first day (as `from` of the downloads).",
                        "schema": period},
        "endPeriod": {"name": "endPeriod", "in": "query", "required": False,
                      "description": "Last period: a figure is kept when its period ends on or before its last day "
                                     "(as `to`). Must not be before startPeriod.", "schema": period},
        "updatedAfter": {"name": "updatedAfter", "in": "query", "required": False,
                         "description": "An update message since this time (RFC 3339): the figures whose current "
                                        "value, status and source a release made public after it, to replace (SDMX "
                                        "action R: SDMX-CSV ACTION R, an SDMX-JSON/SDMX-ML data set of action "
                                        "Replace), and the figures a release after it withdrew, to delete (action D: "
                                        "their key only, in a data set of action Delete); neither is a 404 (no "
                                        "results). In a build that is not a release, every figure dates from the "
                                        "build and none was withdrawn.",
                         "schema": {"type": "string", "format": "date-time"}},
        "dimensionAtObservation": {"name": "dimensionAtObservation", "in": "query", "required": False,
                                   "description": "SDMX-JSON: TIME_PERIOD (series of observations by period) or "
                                                  "AllDimensions (a flat list).",
                                   "schema": {"type": "string", "enum": ["TIME_PERIOD", "AllDimensions"]}},
        "sdmxFormat": {"name": "format", "in": "query", "required": False,
                       "description": "sdmx-csv (SDMX-CSV 2.0, the default), sdmx-json (SDMX-JSON 2.0), "
                                      "sdmx-json-1.0 (SDMX-JSON 1.0, which sdmx1 and other SDMX 2.1 clients read), "
                                      "sdmx-ml-generic or sdmx-ml-ss (SDMX-ML 2.1 generic or structure-specific "
                                      "data); without it, the Accept header chooses (406 for a type none is).",
                       "schema": {"type": "string", "enum": ["sdmx-csv", "sdmx-json", "sdmx-json-1.0",
                                                             "sdmx-ml-generic", "sdmx-ml-ss"]}},
        "sdmxLabels": {"name": "labels", "in": "query", "required": False,
                       "description": "SDMX-CSV: id (codes) or both (\"code: name\" in `lang`, and headings "
                                      "\"ID: name\").", "schema": {"type": "string", "enum": ["id", "both"]}},
        "observationsFormat": {"name": "format", "in": "query", "required": False,
                               "description": "json (default), csv, jsonstat (JSON-stat 2.0), sdmx-csv, "
                                              "sdmx-json or sdmx-json-1.0 (the /sdmx/data answer of the same "
                                              "figures; unpaged).",
                               "schema": {"type": "string", "enum": ["json", "csv", "jsonstat", "sdmx-csv",
                                                                     "sdmx-json", "sdmx-json-1.0"], "default": "json"}},
    }
    for resource, names in ids.items():
        out[f"sdmxId_{resource}"] = {"name": "id", "in": "path", "required": True, "description": f"The {resource}.",
                                     "schema": {"type": "string", "enum": [*names, "all"]}}
    return out


def _sdmx_paths(m) -> dict:
    """/sdmx/<structure>/{agency}/{id}/{version} and /sdmx/data/{flow}/{key} (api/sdmx/routes.py)."""
    structure_ok = _ok("An SDMX-ML 2.1 structure message.", None,
                       {"application/vnd.sdmx.structure+xml; version=2.1": {"type": "string"}})
    not_acceptable = {"406": {"description": "The Accept header asks for no format this address answers.",
                              "content": {"application/json": {"schema": _ref("Error")}}}}
    paths = {}
    for resource in ("dataflow", "datastructure", "codelist", "conceptscheme"):
        paths[f"/sdmx/{resource}/{{agency}}/{{id}}/{{version}}"] = _get(
            f"SDMX {resource}", f"The {resource} as an SDMX-ML 2.1 structure message (names in Arabic and English).",
            [_param("sdmxAgency"), _param(f"sdmxId_{resource}"), _param("sdmxVersion"), _param("sdmxReferences"),
             _param("sdmxDetail")], {"200": structure_ok, **not_acceptable}, ["SDMX"], f"sdmx_{resource}")
    paths["/sdmx/data/{flow}/{key}"] = _get(
        "SDMX data", "The figures of a key as SDMX-CSV 2.0 or SDMX-JSON 2.0, from the same read layer as "
        "/data/<indicator>.csv (store.queries.select): the same figures, statuses (OBS_STATUS, CONF_STATUS), "
        "sources and revisions. A query no figure matches is a 404 (SDMX error 100).",
        [_param("sdmxFlow"), _param("sdmxKey"), _param("startPeriod"), _param("endPeriod"), _param("updatedAfter"),
         _param("dimensionAtObservation"), _param("sdmxFormat"), _param("sdmxLabels"), _param("lang")],
        {"200": _ok("SDMX data.", None, {**SDMX_DATA_MEDIA,
                                         "application/vnd.sdmx.genericdata+xml; version=2.1": {"type": "string"},
                                         "application/vnd.sdmx.structurespecificdata+xml; version=2.1":
                                             {"type": "string"}}), **not_acceptable}, ["SDMX"], "sdmxData")
    return paths



def _catalog_paths() -> dict:
    """The catalogue for harvesters (api/catalog.py)."""
    jsonld = {"type": "object", "required": ["@context", "@graph"],
              "properties": {"@context": {"type": "object"}, "@graph": {"type": "array", "items": {"type": "object"}}}}
    return {
        "/catalog.jsonld": _get(
            "Catalogue (DCAT-AP 3)", "The site's open data as a DCAT-AP 3 catalogue in JSON-LD (context inline) with "
            "the StatDCAT-AP additions, for open data portals (CKAN, data.europa.eu): the site as a dcat:Catalog, one "
            "dcat:Dataset per indicator (bilingual title and definition, source organisations, licence, period and "
            "places covered by its figures, topic, unit, dimensions, landing page) and one dcat:Distribution per "
            "format (CSV, XLSX, JSON, JSON-stat, ZIP) with its IANA media type. Takes no parameter.", [],
            {"200": _ok("DCAT-AP catalogue.", None, {"application/ld+json": jsonld})}, ["Feeds"], "catalog"),
    }

def _one_of(name: str, description: str, values: list[str]) -> dict:
    """A query parameter of one of `values`."""
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": {"type": "string", "enum": values}}


def _image_paths(m) -> dict:
    """The chart image of an explorer view or an embed (served by spi/images.py; its parameters:
    store.embed.IMAGE_PARAMS, read by the pages' parser, store.view.parse_view)."""
    period = {"type": "string", "pattern": f"^{FILTER_PATTERN}$"}
    view = [_param("indicatorPath"),
            _one_of("view", "time (default), breakdown, geo (by area) or per_case, as the explorer offers them for the "
                        "indicator.", list(VIEWS)),
            _one_of("breakdown", "With view=breakdown: one of the indicator's breakdowns (default: its first).",
                list(m.dimension_columns)),
            _one_of("mode", "With view=breakdown: stack (default), group or share.", list(MODES)),
            {"name": "geo", "in": "query", "required": False, "style": "form", "explode": False,
             "description": "Places of the indicator, comma-separated (default: its first; by area, all of them).",
             "schema": {"type": "array", "minItems": 1, "maxItems": MAX_GEOS,
                        "items": {"type": "string", "enum": list(m.geographies)}}},
            {"name": "from", "in": "query", "required": False, "description": "First period shown.", "schema": period},
            {"name": "to", "in": "query", "required": False, "description": "Last period shown.", "schema": period},
            {"name": "period", "in": "query", "required": False,
             "description": "With view=geo: the one period shown (a label the indicator has, or a year: its latest).",
             "schema": {"type": "string"}},
            _param("lang")]
    return {"/image/{indicator}.png": _get(
        "Chart image of a view", "The chart of an explorer view or an embed (the same parameters as /explorer "
        "and /embed/{indicator}, but tab) as a 1200 x 630 PNG (the Open Graph size), with its title, unit, "
        "period, source and the credit line (the site, the view's address, the licence) drawn on it; the "
        "explorer's and the embeds' og:image. A value the page would replace by its default is a 400 "
        "(invalid_view) that says why; an indicator the catalogue does not have, a 404. While other images "
        "are being drawn for more than a few seconds, a 503 (busy) with Retry-After.", view,
        {"200": _ok("PNG, 1200 x 630 px.", None, {"image/png": BINARY})}, ["Downloads"], "chartImage")}


def document(m) -> dict:
    parameters = {**_parameters(m), **_indicator_parameters(m), **FEED_PARAMETERS}
    paths = _api_paths()
    for indicator, ind in m.indicators.items():
        paths.update(_indicator_paths(indicator, ind["name_en"], parameters))
    paths.update(_dataset_paths())
    paths.update(_discovery_paths())
    paths.update(_catalog_paths())
    paths.update(_image_paths(m))
    if m.sdmx:
        parameters.update(_sdmx_parameters(m))
        paths.update(_sdmx_paths(m))
    return {
        "openapi": "3.1.0",
        "info": {"title": "Social protection indicators — open data", "version": "1.0.0",
                 "description": "Read-only access to every published figure with its definition, unit and source, "
                                f"in Arabic and English. Database build {m.build_id}. Values outside the documented "
                                "ones get a 4xx JSON error that names the parameter.",
                 "license": {"name": m.licence["name"], "identifier": m.licence["id"]}},
        "servers": [{"url": configured() or "/"}],   # SPI_PUBLIC_URL: never the Host header a client sends
        "paths": paths,
        "components": {"parameters": parameters, "schemas": _schemas(m), "headers": HEADERS,
                       "responses": {f"status{status}": r for status, r in RESPONSES.items()}},
    }
