"""Schemathesis against the OpenAPI document, in-process through the Flask app's WSGI interface.

Every operation (the API and the download addresses) gets schema-driven positive and
negative requests: no answer may be a server error, break its documented schema, status
code, content type or headers, accept invalid data, or refuse valid data.

One refinement of `positive_data_acceptance`: two rules join two parameters and cannot be
written in OpenAPI (`from` not after `to`; a breakdown the requested indicator has). A
schema-valid request that breaks one of them gets 400 with the error codes `period_order` or
`breakdown_not_available`, and only then is a 400 accepted for valid data.
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


@pytest.fixture(autouse=True)
def _node_id_for_schemathesis(request):
    """schemathesis 4.32's lazy loader reads `node._nodeid`, which pytest 9 no longer sets."""
    if not hasattr(request.node, "_nodeid"):
        request.node._nodeid = request.node.nodeid


@pytest.fixture(scope="module")
def api_schema(app):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_openapi_document(case):
    # The in-process WSGI client does not undo gzip as an HTTP client would; compression has
    # its own test (test_api.py::test_compression).
    case.call_and_validate(headers={"Accept-Encoding": "identity"},
                           excluded_checks=[positive_data_acceptance], additional_checks=[accepts_valid_data])
