"""The edges of the site as gunicorn serves it (the `release_site` fixture: `spi serve`'s options,
its worker class, two workers), over real sockets: what gunicorn answers by itself carries the
site's headers; a body gunicorn cannot parse is a 400, never a 500, and gets one answer; OPTIONS
and HEAD answer properly on every kind of address, compressed or not; and no malformed query
string on any page or data address is a 5xx or leaves a traceback in the server's log."""
from __future__ import annotations

import json
import socket
from urllib.parse import quote

import pytest

from spi import policy
from tests.servers import raw, request, split_raw

# What every answer a server makes by itself carries (spi/policy.py own_headers), written out
# here so that a header dropped or changed there is caught.
OWN = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "strict-origin-when-cross-origin",
       "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
       "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'", "X-Frame-Options": "DENY"}


def _assert_own_headers(headers: dict[str, list[str]], what: str) -> None:
    for name, value in OWN.items():
        assert headers.get(name.lower()) == [value], (what, name, headers.get(name.lower()))
    assert "strict-transport-security" not in headers, what   # no https public address here


def test_the_test_knows_the_sites_own_headers():
    assert dict(policy.own_headers(False)) == OWN
    assert dict(policy.own_headers(True)) == {**OWN, "Strict-Transport-Security": "max-age=31536000"}


# -- gunicorn's own answers ---------------------------------------------------------------------

GUNICORN_OWN = {
    "a request line it cannot read": (b"GARBAGE\r\n\r\n", 400, b"Invalid Request Line"),
    "a request line too long": (b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414, b"too large"),
    "headers too large": (b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 9000 + b"\r\n\r\n", 431,
                          b"limit request headers"),
    "a header name it refuses": (b"GET / HTTP/1.1\r\nHost: x\r\nBad Name: 1\r\n\r\n", 400, b"header name"),
    "a transfer coding it does not know": (b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", 400,
                                           b"TRANSFER-ENCODING"),
    "an HTTP version it does not speak": (b"GET / HTTP/2.0\r\nHost: x\r\n\r\n", 400, b"Invalid HTTP Version"),
}


@pytest.mark.parametrize("case", GUNICORN_OWN)
def test_gunicorns_own_answers_carry_the_sites_headers(release_site, case):
    data, status, text = GUNICORN_OWN[case]
    got, headers, body = split_raw(raw(release_site[0].port, data))
    assert got == status, (case, got)
    assert text in body, (case, body[:300])
    assert headers["content-type"] == ["text/html"]
    _assert_own_headers(headers, case)


@pytest.mark.parametrize("public_url", [None, "https://stats.example.gov.om"])
def test_gunicorns_own_500_carries_the_sites_headers(monkeypatch, public_url):
    """gunicorn's answer to an error outside the app (none can be caused from outside, so the
    worker's error handler is called as gunicorn calls it, on a socket); with an https public
    address, HSTS too."""
    from spi.worker import Worker
    if public_url:
        monkeypatch.setenv("SPI_PUBLIC_URL", public_url)
    else:
        monkeypatch.delenv("SPI_PUBLIC_URL", raising=False)

    class Log:
        def exception(self, *args, **kwargs):
            pass
        warning = debug = access = exception

    worker = Worker.__new__(Worker)
    worker.log = Log()
    ours, theirs = socket.socketpair()
    with ours, theirs:
        worker.handle_error(None, ours, ("127.0.0.1", 1), RuntimeError("boom"))
        ours.shutdown(socket.SHUT_WR)
        theirs.settimeout(5)
        answer = b"".join(iter(lambda: theirs.recv(65536), b""))
    status, headers, body = split_raw(answer)
    assert status == 500 and b"Internal Server Error" in body and b"boom" not in body
    for name, value in OWN.items():
        assert headers.get(name.lower()) == [value], name
    assert headers.get("strict-transport-security") == (["max-age=31536000"] if public_url else None)


# -- bodies gunicorn cannot parse ---------------------------------------------------------------

def _chunked(path: str, body: bytes, content_type: str = "application/json") -> bytes:
    return (f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: {content_type}\r\nTransfer-Encoding: chunked\r\n\r\n"
            .encode() + body)


def _sent_then_closed(port: int, data: bytes) -> bytes:
    """Bytes sent, then the client's side shut (a client gone half-way); what came back."""
    with socket.create_connection(("127.0.0.1", port), timeout=20) as s:
        s.sendall(data)
        s.shutdown(socket.SHUT_WR)
        return b"".join(iter(lambda: s.recv(65536), b""))


BAD_BODIES = {
    "a bad chunk size": (_chunked("/_dash-update-component", b"zz\r\n"), False),
    "a bad chunk extension": (_chunked("/_dash-update-component", b"2;=\r\n{}\r\n0\r\n\r\n"), False),
    "a chunk without its end": (_chunked("/_dash-update-component", b"2\r\n{}XX0\r\n\r\n"), False),
    "a chunked body cut short": (_chunked("/_dash-update-component", b"10\r\n{\"output\""), True),
    "a chunked form cut short": (_chunked("/signin", b"10\r\nusername=a", "application/x-www-form-urlencoded"), True),
    "a bad chunk size in a form": (_chunked("/signin", b"zz\r\n", "application/x-www-form-urlencoded"), False),
    "a body shorter than its length": (b"POST /_dash-update-component HTTP/1.1\r\nHost: x\r\nContent-Type: "
                                       b"application/json\r\nContent-Length: 100\r\n\r\n{\"output\"", True),
}


@pytest.mark.parametrize("case", BAD_BODIES)
def test_a_body_that_cannot_be_read_is_a_400(release_site, case):
    running = release_site[0]
    data, client_gone = BAD_BODIES[case]
    start = len(running.log_text())
    answer = _sent_then_closed(running.port, data) if client_gone else raw(running.port, data)
    status, headers, body = split_raw(answer)
    assert status == 400, (case, answer[:300])
    assert answer.count(b"HTTP/1.1 ") == 1, case
    assert headers["x-content-type-options"] == ["nosniff"]
    assert "Traceback" not in running.log_text()[start:], case


@pytest.mark.parametrize("path", ["/", "/api/v1/indicators", "/data/om_ss_cases.csv"])
def test_an_unread_body_that_turns_out_malformed_gets_no_second_answer(release_site, path):
    """A POST the app refuses without reading its body (405): gunicorn drains the body after the
    answer, finds it malformed, and must not write a 400 after the 405 on the same connection."""
    answer = raw(release_site[0].port, _chunked(path, b"zz\r\n"))
    assert answer.startswith(b"HTTP/1.1 405 ") and answer.count(b"HTTP/1.1 ") == 1, answer[-400:]


# -- OPTIONS and HEAD ---------------------------------------------------------------------------

KINDS = {"page": "/explorer?lang=en", "overview": "/", "embed": "/embed/om_ss_cases", "sign-in": "/signin",
         "API": "/api/v1/indicators", "download": "/data/om_ss_cases.csv", "dataset": "/data/all.csv",
         "calendar": "/releases.ics", "health": "/healthz", "asset": "/assets/style.css",
         "Dash's layout": "/_dash-layout", "unknown page": "/nope", "unknown API": "/api/v9/nothing"}


@pytest.mark.parametrize("encoding", ["", "gzip", "br"])
@pytest.mark.parametrize("kind", KINDS)
def test_options_is_an_empty_answer_with_allow(release_site, kind, encoding):
    r = request(release_site[0].port, KINDS[kind], "OPTIONS", headers={"Accept-Encoding": encoding} if encoding else {})
    assert r.status in (200, 204), (kind, r.status)
    assert r.body == b"" and "Content-Encoding" not in r.headers, (kind, r.headers)
    assert "GET" in r.headers["Allow"] and "OPTIONS" in r.headers["Allow"], kind
    assert r.headers.get("Content-Length", "0") == "0" and "Content-Type" not in r.headers, (kind, r.headers)
    assert r.headers["Content-Security-Policy"] == OWN["Content-Security-Policy"], kind
    assert r.headers["X-Content-Type-Options"] == "nosniff", kind


@pytest.mark.parametrize("kind", KINDS)
def test_head_answers_as_get_would_without_the_body(release_site, kind):
    port = release_site[0].port
    for encoding in ("", "gzip"):
        sent = {"Accept-Encoding": encoding} if encoding else {}
        head = request(port, KINDS[kind], "HEAD", headers=sent)
        get = request(port, KINDS[kind], headers=sent)
        assert head.status == get.status and head.body == b"", (kind, head.status, get.status)
        assert head.headers.get("Content-Type") == get.headers.get("Content-Type"), kind
        assert head.headers.get("Cache-Control") == get.headers.get("Cache-Control"), kind
        assert head.headers["X-Content-Type-Options"] == "nosniff", kind


# -- malformed query strings --------------------------------------------------------------------

PAGES = ["/", "/explorer", "/governorates", "/framework", "/about", "/data", "/releases", "/embed/om_ss_cases",
         "/signin"]
DATA = ["/api/v1/", "/api/v1/indicators", "/api/v1/indicators/om_ss_cases", "/api/v1/observations",
        "/api/v1/geographies", "/api/v1/sources", "/api/v1/frameworks", "/api/v1/releases",
        "/api/v1/releases/{release}/changes", "/api/v1/openapi.json", "/data/om_ss_cases.csv",
        "/data/om_ss_cases.xlsx", "/data/om_ss_cases.json", "/data/om_ss_cases.zip", "/data/place/OM.csv",
        "/data/all.csv", "/data/datapackage.json", "/releases.ics"]
QUERIES = {
    "indicator twice": "indicator=a&indicator=b",
    "a real indicator twice": "indicator=om_ss_cases&indicator=om_ss_paid",
    "lang twice": "lang=en&lang=ar",
    "as_of twice": "as_of=x&as_of=y",
    "geo twice": "geo=OM&geo=JO",
    "tab, view, breakdown twice": "tab=table&tab=chart&view=per_case&view=breakdown&breakdown=sex&breakdown=total",
    "country twice": "country=OM&country=JO",
    "5,000 characters": "indicator=" + "x" * 5000,
    "as long as a request line may be": "as_of=" + "9" * 3900,
    "a long lang": "lang=" + "e" * 3900,
    "control characters": "indicator=%00%01%1b%7f&lang=en%0d%0aX-Injected:%201&geo=%09",
    "invalid UTF-8": "indicator=%ff%fe&lang=%c3%28&%ff%fe=%80",
    "broken escapes": "indicator=%zz&lang=%&as_of=%e2%82",
    "a script": "indicator=" + quote("<script>alert(1)</script>") + "&geo=<script>&lang=en",
    "an empty name": "=x&=&&&lang=en",
    "3,000 parameters": "&".join(f"p{i}=1" for i in range(3000)),
    "600 parameters": "&".join(f"p{i}=" for i in range(600)),
    "brackets and dots": "indicator[]=a&indicator.x=1&lang[0]=en",
}


@pytest.fixture(scope="module")
def fuzzed(release_site):
    """Every page and data address with every malformed query string: {(address, case): status}
    (the address as PAGES and DATA write it), and what the server's log gained meanwhile."""
    running, history = release_site
    start = len(running.log_text())
    statuses = {}
    for path in PAGES + DATA:
        for case, query in QUERIES.items():
            sent = f"{path.replace('{release}', history.ids[0])}?{query}"
            statuses[path, case] = request(running.port, sent, timeout=120).status
    return statuses, running.log_text()[start:]


def test_no_malformed_query_string_is_a_server_error(fuzzed):
    statuses, log = fuzzed
    errors = {key: status for key, status in statuses.items() if status >= 500}
    assert not errors, errors
    assert "Traceback" not in log, log[log.find("Traceback") - 200:][:3000]


def test_overlong_request_lines_are_414(fuzzed):
    for (path, case), status in fuzzed[0].items():
        if case in ("5,000 characters", "3,000 parameters"):
            assert status == 414, (path, case, status)


def test_an_embed_given_other_indicators_in_its_query_is_refused(fuzzed):
    """An embed draws the indicator its address names: `indicator` given twice besides is a 400."""
    assert 400 <= fuzzed[0]["/embed/om_ss_cases", "indicator twice"] < 500


@pytest.mark.parametrize("path", [p for p in PAGES if p != "/signin"] + DATA)
def test_lang_given_twice_is_a_400(fuzzed, path):
    assert fuzzed[0][path, "lang twice"] == 400


# -- the releases' operations, as the document describes them ------------------------------------

def test_the_releases_answers_are_what_the_openapi_document_says(release_site):
    from jsonschema import Draft202012Validator
    running, history = release_site
    components = json.loads(request(running.port, "/api/v1/openapi.json").body)["components"]

    def check(path: str, schema: str) -> dict:
        r = request(running.port, path)
        assert r.status == 200 and r.headers["Content-Type"].startswith("application/json"), (path, r.status)
        body = json.loads(r.body)
        errors = list(Draft202012Validator({"$ref": f"#/components/schemas/{schema}",
                                            "components": components}).iter_errors(body))
        assert not errors, (path, [e.message for e in errors[:5]])
        assert {"ETag", "Last-Modified", "Cache-Control"} <= set(r.headers), path
        return body

    listed = check("/api/v1/releases", "ReleaseList")
    assert [r["release_id"] for r in listed["data"]] == list(reversed(history.ids[:2]))   # the public's two
    changed = check(f"/api/v1/releases/{history.ids[1]}/changes", "ReleaseChanges")
    assert any(c["change"] == "revised" and c["new"]["value"] == 45 for c in changed["data"])
    missing = request(running.port, "/api/v1/releases/2099-01-01/changes")
    assert missing.status == 404 and json.loads(missing.body)["error"]["code"] == "unknown_release"
    calendar = request(running.port, "/releases.ics?lang=en")
    assert calendar.status == 200 and calendar.headers["Content-Type"].startswith("text/calendar")
    assert calendar.body.startswith(b"BEGIN:VCALENDAR")
