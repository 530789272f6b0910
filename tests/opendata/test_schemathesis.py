"""Schemathesis against the OpenAPI document, in-process through the Flask app's WSGI interface.

Every operation (the API, the whole-dataset addresses and each indicator's own download
paths) gets schema-driven positive and negative requests: no answer may be a server error, break its documented schema, status
code, content type or headers, accept invalid data, or refuse valid data.

One refinement of `positive_data_acceptance`: two rules join two parameters and cannot be
written in OpenAPI: `from` not after `to`, and, for /api/v1/observations (which takes several
indicators), a breakdown that one of the requested indicators has. A schema-valid request
that breaks one of them gets 400 with the error code `period_order` or
`breakdown_not_available`, and only then is a 400 accepted for valid data. The per-indicator
downloads document their own breakdowns, so there the second rule is in the schema.
"""
from __future__ import annotations

import json

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

CROSS_PARAMETER_RULES = {"period_order", "breakdown_not_available"}


@schemathesis.check
def accepts_valid_data(ctx, response, case):
    """positive_data_acceptance, except 400 for a rule that joins two parameters (see above)."""
    if response.status_code == 400:
        try:
            code = json.loads(response.content)["error"]["code"]
        except (ValueError, KeyError, TypeError):
            code = None
        if code in CROSS_PARAMETER_RULES:
            return None
    return positive_data_acceptance(ctx, response, case)


schema = schemathesis.pytest.from_fixture("api_schema")
downloads = schemathesis.pytest.from_fixture("downloads_schema")


@pytest.fixture(autouse=True)
def _node_id_for_schemathesis(request):
    """schemathesis 4.32's lazy loader reads `node._nodeid`, which pytest 9 no longer sets."""
    if not hasattr(request.node, "_nodeid"):
        request.node._nodeid = request.node.nodeid


@pytest.fixture(scope="module")
def api_schema(app):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


@pytest.fixture(scope="module")
def downloads_schema(app):
    """The same document, for the per-indicator downloads: without schemathesis's coverage phase,
    which tries every value of every enum (each geography, each `with` indicator: ~200 requests
    an operation, and there are four operations per indicator). Every value of those enums is
    tried once, deterministically, by test_downloads.py::test_documented_breakdowns_and_with."""
    loaded = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    loaded.config.phases.coverage.enabled = False
    return loaded


# Each indicator's downloads have operations of their own (/data/<id>.csv|.xlsx|.json|.zip, with
# its own breakdowns and `with` values): four per indicator, run with a few examples each; the
# API and the whole-dataset addresses with many.
INDICATOR_DOWNLOAD = r"^(csv|xlsx|json|zip)_"
# The chart image (/image/{indicator}.png) is the composed site's (spi/images.py), not this app's, and
# each valid request is a Chromium render of seconds: tests/test_chart_image.py checks it through gunicorn.
NOT_HERE = r"^chartImage$"


def _call(case):
    # The in-process WSGI client does not undo gzip as an HTTP client would; compression has
    # its own test (test_api.py::test_compression).
    case.call_and_validate(headers={"Accept-Encoding": "identity"},
                           excluded_checks=[positive_data_acceptance], additional_checks=[accepts_valid_data])


@schema.exclude(operation_id_regex=f"{INDICATOR_DOWNLOAD}|{NOT_HERE}").parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_openapi_document(case):
    _call(case)


@downloads.include(operation_id_regex=INDICATOR_DOWNLOAD).parametrize()
@settings(max_examples=3, deadline=None, suppress_health_check=list(HealthCheck))
def test_indicator_downloads_conform_to_their_openapi_paths(case):
    _call(case)


@pytest.mark.parametrize("fmt", ["sdmx-json", "sdmx-json-1.0"])
def test_both_sdmx_json_versions_meet_the_schema_a_type_match_finds(client, fmt):
    """A client that matches the answer's media type without its version parameter (as
    schemathesis does: the first documented entry of that type) finds a schema each version's
    message meets; the random run above found the 1.0 message once against 2.0's alone."""
    import jsonschema
    doc = client.get("/api/v1/openapi.json").get_json()
    answer = client.get("/api/v1/observations", query_string={"format": fmt})
    assert answer.status_code == 200
    kind = answer.headers["Content-Type"].split(";", 1)[0].strip()
    content = doc["paths"]["/api/v1/observations"]["get"]["responses"]["200"]["content"]
    first = next(v["schema"] for k, v in content.items() if k.split(";", 1)[0].strip() == kind)
    jsonschema.validate(answer.get_json(force=True), first)
    with pytest.raises(jsonschema.ValidationError):   # the schema does tell a message from something else
        jsonschema.validate({"data": []}, first)
