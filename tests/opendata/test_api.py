"""The HTTP API: answers equal the database; bad requests get a 4xx JSON error that names
the problem; caching by ETag/Last-Modified; compression with or without flask-compress."""
from __future__ import annotations

import gzip

import flask
import pytest

NURSERY = "om_nursery_children"


def test_indicators_list_matches_catalogue(client, q):
    body = client.get("/api/v1/indicators").get_json()
    ids = list(q("SELECT indicator_id FROM indicators ORDER BY sort_order")["indicator_id"])
    assert [d["id"] for d in body["data"]] == ids and body["count"] == len(ids)
    nursery = next(d for d in body["data"] if d["id"] == NURSERY)
    assert nursery["coverage"] == {"observations": 4, "first_period": "2021", "last_period": "2023",
                                   "geographies": ["OM"], "sources": ["om_mosd_welfare_2021", "om_mosd_briefing_2024"]}
    # sources in the order of their figures, oldest first (the 2021 overview, then the 2024 briefing)
    assert nursery["links"]["csv"] == f"/data/{NURSERY}.csv"
    only = client.get("/api/v1/indicators?topic=childhood&country=OM").get_json()["data"]
    assert only and all(d["topic"]["id"] == "childhood" and d["country"] == "OM" for d in only)


def test_indicators_as_csv(client, read_csv):
    r = client.get("/api/v1/indicators?format=csv")
    assert r.mimetype == "text/csv"
    header, rows = read_csv(r.data)
    assert {"id", "name_ar", "name_en", "unit_id", "coverage_observations"} <= set(header)
    assert next(x for x in rows if x["id"] == NURSERY)["coverage_observations"] == "4"


def test_indicator_detail(client):
    doc = client.get(f"/api/v1/indicators/{NURSERY}").get_json()
    assert doc["definition"]["ar"] and doc["definition"]["en"]
    assert doc["breakdowns"][0]["dimension"] == "sex" and doc["breakdowns"][0]["sums_to_total"] is True
    assert "6073" not in str(doc)  # metadata only, no figures
    assert doc["cite"]["en"].startswith("Children enrolled in nurseries.")


def test_observations_json_equals_database(client, q):
    body = client.get(f"/api/v1/observations?indicator={NURSERY}").get_json()
    db = q("SELECT * FROM observations WHERE indicator_id = ?", [NURSERY])
    assert body["total"] == len(db) == body["count"] and body["full_series"] is True
    got = sorted((r["period"], r["sex"] or "", r["value"], r["source_id"]) for r in body["data"])
    want = sorted((p, s if isinstance(s, str) else "", v, src) for p, s, v, src in
                  db[["period", "sex", "value", "source_id"]].itertuples(index=False))
    assert got == want
    assert all(isinstance(r["value"], int) for r in body["data"])  # 6073, not 6073.0


def test_observations_view_and_labels(client):
    url = f"/api/v1/observations?indicator={NURSERY}&geo=OM&from=2021&to=2021&breakdown=sex&labels=both&lang=en"
    body = client.get(url).get_json()
    assert {(r["sex"], r["sex_label"], r["value"]) for r in body["data"]} == {("male", "Male", 3365), ("female", "Female", 2708)}
    assert body["query"]["breakdown"] == "sex" and body["full_series"] is False
    names = client.get(f"/api/v1/observations?indicator={NURSERY}&breakdown=sex&labels=names&lang=ar").get_json()
    assert {r["sex"] for r in names["data"]} == {"ذكور", "إناث"}


def test_observations_csv_matches_download_address(client, read_csv):
    """The API address the Data page shows gives the same rows as the download button."""
    view = "geo=OM&from=2021&to=2023&breakdown=total"
    api_rows = read_csv(client.get(f"/api/v1/observations?indicator={NURSERY}&{view}&format=csv&labels=both").data)[1]
    dl_rows = read_csv(client.get(f"/data/{NURSERY}.csv?{view}").data)[1]
    assert api_rows == dl_rows and [r["value"] for r in api_rows] == ["6073", "9018"]


def test_pagination_walks_every_row(client, q):
    total = int(q("SELECT count(*) AS n FROM observations")["n"].iloc[0])
    seen, url = [], "/api/v1/observations?limit=7"
    while url:
        body = client.get(url).get_json()
        assert body["total"] == total and body["count"] <= 7
        seen += [tuple(sorted(r.items())) for r in body["data"]]
        url = body["links"]["next"]
    assert len(seen) == total == len(set(seen))  # every row once, none twice
    r = client.get("/api/v1/observations?limit=5&format=csv")
    assert r.headers["X-Total-Count"] == str(total) and 'rel="next"' in r.headers["Link"]


def test_geographies_and_sources(client, q):
    geos = client.get("/api/v1/geographies?country=OM&level=governorate").get_json()["data"]
    assert len(geos) == 11 and all(g["code"].startswith("OM-") for g in geos)
    bj = next(g for g in geos if g["code"] == "OM-BJ")
    assert bj["name"] == {"ar": "جنوب الباطنة", "en": "South Al Batinah"} and bj["observations"] == 11
    sources = client.get("/api/v1/sources").get_json()["data"]
    assert {s["id"] for s in sources} == set(q("SELECT source_id FROM sources")["source_id"])
    jo = next(s for s in sources if s["id"] == "jo_emv_annual_2024")
    assert jo["published"] is None  # the source does not say; never invented


LONG = "a" * 3000
BAD = [
    # (url, status, parameter, code)
    ("/api/v1/observations?indicator=no_such", 404, "indicator", "unknown_indicator"),
    ("/api/v1/indicators/no_such", 404, "indicator_id", "unknown_indicator"),
    ("/api/v1/observations?indicator=om_ss_cases'%20OR%201=1--", 400, "indicator", "invalid_parameter"),
    ("/api/v1/observations?geo=OM;DROP%20TABLE%20observations", 400, "geo", "invalid_parameter"),
    ("/api/v1/observations?geo=XX", 404, "geo", "unknown_geography"),
    ("/api/v1/observations?from=2021-13", 400, "from", "invalid_period"),
    ("/api/v1/observations?from=21", 400, "from", "invalid_period"),
    ("/api/v1/observations?to=2021-02-30", 400, "to", "invalid_period"),
    ("/api/v1/observations?from=2023&to=2021", 400, "from", "period_order"),
    ("/api/v1/observations?breakdown=colour", 400, "breakdown", "invalid_breakdown"),
    (f"/api/v1/observations?indicator={NURSERY}&breakdown=case_outcome", 400, "breakdown", "breakdown_not_available"),
    ("/api/v1/observations?indicator=" + ",".join(["om_ss_cases"] * 51), 400, "indicator", "too_many"),
    (f"/api/v1/observations?indicator={LONG}", 400, "indicator", "too_long"),
    ("/api/v1/observations?indicator=,om_ss_cases", 400, "indicator", "invalid_parameter"),
    ("/api/v1/observations?limit=0", 400, "limit", "out_of_range"),
    ("/api/v1/observations?limit=100001", 400, "limit", "out_of_range"),
    ("/api/v1/observations?offset=-1", 400, "offset", "invalid_parameter"),
    ("/api/v1/observations?limit=1e3", 400, "limit", "invalid_parameter"),
    ("/api/v1/observations?format=xml", 400, "format", "invalid_parameter"),
    ("/api/v1/observations?labels=all", 400, "labels", "invalid_parameter"),
    ("/api/v1/observations?bom=maybe", 400, "bom", "invalid_parameter"),
    ("/api/v1/observations?year=2021", 400, "year", "unknown_parameter"),
    ("/api/v1/observations?geo=OM&geo=JO", 400, "geo", "repeated_parameter"),
    ("/api/v1/indicators?topic=nothing", 400, "topic", "invalid_parameter"),
    ("/data/om_ss_cases.csv?froms=2021", 400, "froms", "unknown_parameter"),
    ("/data/om_ss_cases.csv?breakdown=sex", 400, "breakdown", "breakdown_not_available"),
    ("/data/om_ss_paid.csv?with=jo_psychosocial_team", 400, "with", "invalid_with"),
    ("/data/om_ss_paid.csv?with=om_ss_paid", 400, "with", "invalid_with"),
    ("/data/om_ss_paid.csv?with=no_such", 404, "with", "unknown_indicator"),
    ("/data/all.parquet?lang=ar", 400, "lang", "unknown_parameter"),
    ("/data/package/secrets.csv", 404, "name", "not_found"),
    ("/api/v2/indicators", 404, None, "not_found"),
]


@pytest.mark.parametrize("url, status, parameter, code", BAD)
def test_bad_requests_get_a_json_error(client, url, status, parameter, code):
    r = client.get(url)
    assert r.status_code == status, r.data[:300]
    assert r.is_json
    err = r.get_json()["error"]
    assert err["status"] == status and err["code"] == code and err["message"]
    if parameter:
        assert err["parameter"] == parameter
    assert "Traceback" not in err["message"]


@pytest.mark.parametrize("url", [f"/data/{NURSERY}.csv", f"/data/{NURSERY}.json", f"/data/{NURSERY}.zip",
                                 "/data/all.csv", "/data/all.xlsx", "/api/v1/observations"])
def test_one_language_policy(client, url):
    """`lang` is read by store.texts.lang_of everywhere: none or empty is Arabic, ar and en are
    themselves, anything else is a 400 that names the parameter, on downloads and API alike."""
    r = client.get(f"{url}?lang=fr")
    assert r.status_code == 400 and r.is_json
    assert r.get_json()["error"] == {"status": 400, "code": "invalid_parameter", "parameter": "lang",
                                     "allowed": ["ar", "en"], "message": r.get_json()["error"]["message"]}
    assert "fr" in r.get_json()["error"]["message"]
    same = [client.get(u) for u in (f"{url}?lang=", f"{url}?lang=ar", url)]
    assert [r.status_code for r in same] == [200] * 3
    if same[0].is_json:  # the API's answer names its own address (links.self)
        assert len({str({k: v for k, v in r.get_json().items() if k != "links"}) for r in same}) == 1
    else:
        assert same[0].data == same[1].data == same[2].data


def test_database_untouched_after_injection_attempts(client, q):
    before = int(q("SELECT count(*) AS n FROM observations")["n"].iloc[0])
    for url, *_ in BAD:
        client.get(url)
    assert int(q("SELECT count(*) AS n FROM observations")["n"].iloc[0]) == before


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_read_only(client, method):
    r = getattr(client, method)("/api/v1/indicators")
    assert r.status_code == 405 and r.is_json and "GET" in r.headers["Allow"]


def test_etag_and_304(client):
    url = f"/api/v1/observations?indicator={NURSERY}"
    first = client.get(url)
    etag = first.headers["ETag"]
    assert etag and first.headers["Last-Modified"] and "no-cache" in first.headers["Cache-Control"]
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == etag
    assert client.get(url, headers={"If-None-Match": '"other"'}).status_code == 200
    since = client.get(url, headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert since.status_code == 304
    other = client.get(url + "&from=2023")
    assert other.headers["ETag"] != etag
    for dl in (f"/data/{NURSERY}.csv", "/data/all.csv", "/data/datapackage.json"):
        tag = client.get(dl).headers["ETag"]
        assert client.get(dl, headers={"If-None-Match": tag}).status_code == 304


def test_errors_are_not_cached(client):
    r = client.get("/api/v1/observations?from=bad")
    assert r.status_code == 400 and "ETag" not in r.headers and r.headers["Cache-Control"] == "no-store"
    assert r.headers["X-Content-Type-Options"] == "nosniff"


def test_caching_headers_agree(built):
    """No answer says `no-cache` and, beside it, `Expires` a day ahead: an app that sets
    SEND_FILE_MAX_AGE_DEFAULT (spi/app.py does, for the dashboard's assets) must not change the files'."""
    import api
    server = flask.Flask("cache-test")
    server.config["SEND_FILE_MAX_AGE_DEFAULT"] = 86400
    api.register(server)
    c = server.test_client()
    for url in ("/data/all.csv", "/data/all.parquet", "/data/datapackage.zip", f"/data/{NURSERY}.xlsx",
                "/api/v1/indicators"):
        for r in (c.get(url, headers={"Accept-Encoding": "identity"}), c.get(url, headers={"Accept-Encoding": "gzip"})):
            assert r.status_code == 200, url
            assert r.headers["Cache-Control"] == "public, no-cache" and "Expires" not in r.headers, url
            assert r.headers["X-Content-Type-Options"] == "nosniff"
            again = c.get(url, headers={"If-None-Match": r.headers["ETag"]})
            assert again.status_code == 304 and again.headers["Cache-Control"] == "public, no-cache"
            assert "Expires" not in again.headers
    err = c.get("/data/all.csv?lang=fr")
    assert err.headers["Cache-Control"] == "no-store" and "Expires" not in err.headers


def test_openapi_has_a_path_per_indicator_download(client, q, parameters_of):
    """No /data/{indicator}.csv template: each indicator's downloads have their own paths, with
    the breakdowns it is published by and the indicators `with` may add (same country)."""
    doc = client.get("/api/v1/openapi.json").get_json()
    paths = doc["paths"]
    # (a place's downloads, a release's own files and an indicator's feed take the same parameters
    # whatever the place, release or indicator: one templated path each)
    assert not [p for p in paths if "{" in p and p.startswith("/data/") and not p.startswith(("/data/place/",
                                                                                              "/data/releases/"))
                and p != "/data/{indicator}.atom"]
    ids = list(q("SELECT indicator_id FROM indicators ORDER BY sort_order")["indicator_id"])
    assert all(f"/data/{i}.{ext}" in paths for i in ids for ext in ("csv", "xlsx", "json", "zip"))
    named = parameters_of(doc, f"/data/{NURSERY}.csv")
    assert named["breakdown"]["items"]["enum"] == ["total", "all", "sex"]
    oman = list(q("SELECT indicator_id FROM indicators WHERE country = 'OM' AND indicator_id <> ? ORDER BY sort_order",
                  [NURSERY])["indicator_id"])
    assert named["with"]["items"]["enum"] == oman
    assert set(parameters_of(doc, f"/data/{NURSERY}.xlsx")) == {"geo", "from", "to", "breakdown", "with",
                                                                       "lang", "labels"}  # no bom: not a CSV


def _decoded(r) -> bytes:
    return gzip.decompress(r.data) if r.headers.get("Content-Encoding") == "gzip" else r.data


@pytest.mark.parametrize("with_flask_compress", [False, True])
def test_compression(built, with_flask_compress):
    import api
    server = flask.Flask("compress-test")
    if with_flask_compress:
        from flask_compress import Compress
        Compress(server)
    api.register(server)
    c = server.test_client()
    for url in ("/api/v1/indicators", f"/data/{NURSERY}.csv", "/data/all.csv"):
        plain = c.get(url, headers={"Accept-Encoding": "identity"})
        packed = c.get(url, headers={"Accept-Encoding": "gzip, br"})
        assert "Content-Encoding" not in plain.headers
        assert packed.headers.get("Content-Encoding") in ("gzip", "br"), url
        if packed.headers["Content-Encoding"] == "gzip":
            assert gzip.decompress(packed.data) == plain.data  # compressed exactly once
        assert len(packed.data) < len(plain.data)
        assert "Accept-Encoding" in packed.headers["Vary"]


def test_routes_win_over_a_dash_catch_all(built):
    """In the dashboard, Dash serves its page for any path; /api and /data must still answer JSON."""
    import dash
    import api
    server = flask.Flask("dash-test")
    app = dash.Dash(__name__, server=server, url_base_pathname="/")
    app.layout = dash.html.Div("dashboard")
    api.register(server)
    c = server.test_client()
    assert c.get("/api/v1/indicators").is_json
    missing = c.get("/api/v1/nothing/here")
    assert missing.status_code == 404 and missing.is_json
    assert c.get(f"/data/{NURSERY}.csv").mimetype == "text/csv"
    assert c.get("/some/page").mimetype == "text/html"  # the dashboard keeps every other path
