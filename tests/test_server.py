"""The web server as a public site: every malformed request gets a 4xx (never a 5xx), every
answer carries the headers a public site needs, `lang` has one policy everywhere, and
absolute links come from the configured public address, never from the Host header."""
from __future__ import annotations

import base64
import hashlib
import json
import re

import pytest

PAGES = ["/", "/?lang=en", "/explorer", "/explorer?indicator=om_ss_paid&view=per_case&lang=en",
         "/explorer?indicator=om_spf_beneficiaries&breakdown=beneficiary_category&mode=share&tab=table",
         "/governorates", "/governorates?country=OM&geo=OM-BJ&lang=en", "/governorates?country=JO", "/about",
         "/data", "/data?indicator=om_ss_cases&geo=OM&breakdown=total&lang=en", "/embed/om_nursery_children",
         "/embed/om_nursery_children?lang=en&view=breakdown&breakdown=sex", "/framework?country=LB",
         "/framework?country=OM&lang=en", "/governorates?country=LB", "/data?place=OM-BJ&lang=en"]


@pytest.fixture(scope="module")
def client(served):
    from spi.app import server
    c = server.test_client()
    c.get("/")  # Dash registers its page router on the first request
    return c


def _inline_hashes(html: bytes) -> set[str]:
    scripts = re.findall(rb"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, re.S)
    return {"'sha256-" + base64.b64encode(hashlib.sha256(s).digest()).decode() + "'" for s in scripts}


def _check_basics(r, path: str) -> None:
    h = r.headers
    assert h.get("X-Content-Type-Options") == "nosniff", path
    assert h.get("Referrer-Policy") == "strict-origin-when-cross-origin", path
    assert "Content-Security-Policy" in h, path
    cache = h.get("Cache-Control", "")
    if "no-cache" in cache or "no-store" in cache:
        assert "Expires" not in h, (path, cache, h.get("Expires"))


# ---------------------------------------------------------------- pages

@pytest.mark.parametrize("path", PAGES)
def test_every_page_answers_with_a_strict_content_security_policy(client, path):
    r = client.get(path)
    assert r.status_code == 200, path
    _check_basics(r, path)
    csp = r.headers["Content-Security-Policy"]
    policy = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    script_src = set(policy["script-src"].split())
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert _inline_hashes(r.data) <= script_src                      # every inline script allowed by its hash
    assert policy["default-src"] == "'self'" and policy["object-src"] == "'none'"
    if path.startswith("/embed/"):
        assert policy["frame-ancestors"] == "*" and "X-Frame-Options" not in r.headers
    else:
        assert policy["frame-ancestors"] == "'none'" and r.headers["X-Frame-Options"] == "DENY"


def test_unknown_pages_are_404_with_the_friendly_page(client):
    for path, text in (("/nope", "There is no page at this address"), ("/explorer/extra", "There is no page"),
                       ("/embed/xyz", "There is no page at this address")):
        r = client.get(path + "?lang=en")
        assert r.status_code == 404, path
        assert text in r.get_data(as_text=True) and "site-nav" in r.get_data(as_text=True)
        _check_basics(r, path)


# ---------------------------------------------------------------- one language policy

@pytest.mark.parametrize("path", ["/", "/explorer?indicator=om_ss_cases", "/governorates", "/about", "/data",
                                  "/embed/om_nursery_children", "/data/om_ss_cases.csv", "/data/all.csv",
                                  "/api/v1/indicators", "/api/v1/observations?indicator=om_ss_cases"])
def test_an_unknown_language_is_refused_everywhere(client, path):
    sep = "&" if "?" in path else "?"
    for bad in ("fr", "AR", "ar&lang=en"):
        r = client.get(f"{path}{sep}lang={bad}")
        assert r.status_code == 400, (path, bad)
        _check_basics(r, path)
        if path.startswith(("/data/", "/api/")):
            assert r.get_json()["error"]["parameter"] == "lang"
        else:   # a page in both languages that names the language and links to the two the site has
            body = r.get_data(as_text=True)
            assert "is not available" in body and "غير متاحة" in body and "lang=en" in body
    if path != "/api/v1/indicators":   # the one address here that takes no lang at all (its answer is bilingual)
        assert client.get(f"{path}{sep}lang=en").status_code == 200


# ---------------------------------------------------------------- Dash's own routes

@pytest.mark.parametrize("path", ["/_dash-component-suites/dash/nope.js", "/_dash-component-suites/x/y",
                                  "/_dash-component-suites/dash/../../etc/passwd",
                                  "/_dash-component-suites/dash/deps/react@99.min.js"])
def test_unknown_component_files_are_404(client, path):
    r = client.get(path)
    assert r.status_code == 404, path
    _check_basics(r, path)


def _explorer_body(client) -> dict:
    from bench.bench_dashboard import callback_body, explorer_output
    client.get("/explorer")
    output = explorer_output(client.get("/_dash-dependencies").get_json())
    return callback_body(output, {"indicator": "om_nursery_children", "lang": "en"}, "view", "breakdown:sex")


def test_callbacks_of_the_wrong_shape_are_400(client):
    good = _explorer_body(client)
    router = {"output": ".._pages_content.children..._pages_store.data..",
              "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
              "inputs": [{"id": "_pages_location", "property": "pathname", "value": "/"},
                         {"id": "_pages_location", "property": "search", "value": "?lang=en"}],
              "changedPropIds": ["_pages_location.pathname"]}
    bodies = ["null", "[]", '"x"', "{}", "1", "not json", "[" * 5000 + "]" * 5000,
              json.dumps({**good, "output": "nope.children"}),
              json.dumps({**good, "output": 5}),
              json.dumps({**good, "inputs": "x"}),
              json.dumps({**good, "inputs": []}),
              json.dumps({**good, "inputs": [{"id": "other", "property": "n_clicks", "value": 1}]}),
              json.dumps({**good, "state": [{"id": "explorer-state", "property": "nope"}]}),
              json.dumps({**good, "outputs": None}),
              json.dumps({**good, "changedPropIds": [1]}),
              json.dumps({**good, "state": [{"id": "explorer-state", "property": "data",
                                             "value": {"lang": "fr", "query": {}}}]}),
              json.dumps({**router, "inputs": [router["inputs"][0], {**router["inputs"][1], "value": 12}]}),
              json.dumps({**router, "inputs": [router["inputs"][0], {**router["inputs"][1], "value": [[[[1]]]]}]}),
              json.dumps({**good, "inputs": [[{"id": "x", "property": "n_clicks", "value": 1}]]})]
    for body in bodies:
        r = client.post("/_dash-update-component", data=body, content_type="application/json")
        assert r.status_code == 400, (body[:120], r.status_code, r.get_data(as_text=True)[:300])
        assert r.get_json()["error"]["status"] == 400
        _check_basics(r, "callback")
    ok = client.post("/_dash-update-component", data=json.dumps(good), content_type="application/json")
    assert ok.status_code == 200
    nav = client.post("/_dash-update-component", data=json.dumps(router), content_type="application/json")
    assert nav.status_code == 200 and "Headline indicators" in nav.get_data(as_text=True)


def test_a_request_body_over_one_megabyte_is_413(client):
    for path in ("/_dash-update-component", "/api/v1/indicators", "/explorer"):
        r = client.post(path, data=b"x" * (20 << 20), content_type="application/json")
        assert r.status_code == 413, path
        _check_basics(r, path)


def test_other_methods_on_pages_are_405(client):
    for method in ("post", "put", "delete"):
        r = getattr(client, method)("/about")
        assert r.status_code == 405 and "GET" in r.headers["Allow"]


# ---------------------------------------------------------------- every route

def _routes(client) -> list[str]:
    from store.catalogue import meta
    m = meta()
    out = list(PAGES) + ["/healthz", "/api/v1/", "/api/v1/indicators", "/api/v1/geographies", "/api/v1/sources",
                         "/api/v1/openapi.json", "/api/v1/observations?indicator=om_ss_cases&breakdown=all",
                         "/data/all.csv", "/data/all.csv?labels=codes&bom=false", "/data/all.parquet",
                         "/data/all.xlsx?lang=en", "/data/datapackage.json", "/data/datapackage.zip",
                         "/data/package/observations.csv", "/data/nope", "/api/v2/x", "/assets/style.css",
                         "/_dash-layout", "/_dash-dependencies"]
    for ind in m.indicators:
        out += [f"/api/v1/indicators/{ind}", f"/explorer?indicator={ind}&lang=en", f"/embed/{ind}"]
        out += [f"/data/{ind}.{ext}" for ext in ("csv", "xlsx", "json", "zip")]
    html = client.get("/").get_data(as_text=True)
    out += re.findall(r'<script defer src="([^"]+)"', html) + re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    return out


def test_a_crawl_of_every_route_finds_no_server_error_and_the_basic_headers(client):
    seen = 0
    for path in _routes(client):
        r = client.get(path, headers={"Accept-Encoding": "gzip, br"})
        assert r.status_code < 500, (path, r.status_code)
        assert r.status_code in (200, 404), (path, r.status_code)
        _check_basics(r, path)
        seen += 1
    assert seen > 300


def test_health_check(client):
    r = client.get("/healthz")
    body = r.get_json()
    assert r.status_code == 200 and body["ok"] and len(body["build_id"]) == 16 and body["observation_count"] > 0
    assert r.headers["Cache-Control"] == "no-store"
    _check_basics(r, "/healthz")


# ---------------------------------------------------------------- the public address

def _navigate(client, pathname: str, search: str, headers=None) -> str:
    """A page as Dash's router sends it on in-app navigation (JSON text)."""
    body = {"output": ".._pages_content.children..._pages_store.data..",
            "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
            "inputs": [{"id": "_pages_location", "property": "pathname", "value": pathname},
                       {"id": "_pages_location", "property": "search", "value": search}],
            "changedPropIds": ["_pages_location.pathname"]}
    r = client.post("/_dash-update-component", data=json.dumps(body), content_type="application/json",
                    headers=headers or {})
    assert r.status_code == 200
    return json.dumps(r.get_json(), ensure_ascii=False)   # Dash writes "/" as \u002f


def test_absolute_links_come_from_the_public_address_not_the_host_header(client, monkeypatch):
    monkeypatch.setenv("SPI_PUBLIC_URL", "https://stats.example.org/")
    headers = {"Host": "evil.example.com"}
    page = client.get("/explorer?indicator=om_nursery_children&lang=en", headers=headers).get_data(as_text=True)
    assert "evil.example.com" not in page
    assert 'content="https://stats.example.org/explorer?indicator=om_nursery_children&amp;lang=en"' in page
    # the share boxes, as in-app navigation sends the page
    page = _navigate(client, "/explorer", "?indicator=om_nursery_children&lang=en", headers)
    assert "evil.example.com" not in page
    assert "https://stats.example.org/explorer?indicator=om_nursery_children" in page
    assert "https://stats.example.org/embed/om_nursery_children" in page
    assert "https://stats.example.org/api/v1/observations?indicator=om_nursery_children" in page
    data_page = client.get("/data?lang=en", headers=headers).get_data(as_text=True)
    assert "evil.example.com" not in data_page and "https://stats.example.org/data/all.csv" in data_page
    spec = client.get("/api/v1/openapi.json", headers=headers).get_json()
    assert spec["servers"] == [{"url": "https://stats.example.org"}]


def test_a_malformed_public_address_is_refused(monkeypatch):
    from store.address import checked
    for bad in ("stats.example.org", "ftp://x", "https://", "https://x/?q=1"):
        with pytest.raises(ValueError):
            checked(bad)
    assert checked(" https://x.org/ ") == "https://x.org" and checked("") is None


# ---------------------------------------------------------------- the API's description

def test_every_api_address_is_in_the_openapi_document(client):
    """Every route under /api/v1/ and /releases.ics (but the index and the catch-all 404s) is an
    operation of the document, with the parameters its route takes."""
    from spi.app import server
    doc = client.get("/api/v1/openapi.json").get_json()
    routes = {re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule) for rule in server.url_map.iter_rules()
              if rule.rule.startswith("/api/v1/") or rule.rule == "/releases.ics"}
    routes -= {"/api/v1/"}
    assert routes and routes <= set(doc["paths"]), routes - set(doc["paths"])

    def names(path: str) -> set[str]:
        found = set()
        for p in doc["paths"][path]["get"]["parameters"]:
            p = doc["components"]["parameters"][p["$ref"].rsplit("/", 1)[1]] if "$ref" in p else p
            found.add((p["name"], p["in"]))
        return found
    assert names("/api/v1/releases") == {("format", "query")}
    assert names("/api/v1/releases/{release_id}/changes") == {("release_id", "path"), ("format", "query")}
    assert names("/releases.ics") == {("lang", "query")}
    changes = doc["paths"]["/api/v1/releases/{release_id}/changes"]["get"]["responses"]
    assert set(changes["200"]["content"]) == {"application/json", "text/csv"} and "404" in changes
    assert set(changes["200"]["headers"]) == {"ETag", "Last-Modified", "Cache-Control", "X-Release", "X-Release-SHA256"}
    assert set(doc["paths"]["/releases.ics"]["get"]["responses"]["200"]["content"]) == {"text/calendar"}
    assert doc["components"]["schemas"]["Change"]["properties"]["change"]["enum"] == [
        "added", "revised", "amended", "withdrawn"]


def test_an_empty_answer_is_neither_typed_nor_compressed(client):
    for path in ("/api/v1/indicators", "/data/all.csv", "/", "/healthz"):
        r = client.options(path, headers={"Accept-Encoding": "gzip, br"})
        assert r.status_code in (200, 204) and r.data == b"", path
        assert "Content-Encoding" not in r.headers and "Content-Type" not in r.headers, (path, r.headers)
        assert r.headers["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'", path
