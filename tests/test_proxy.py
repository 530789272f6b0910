"""`spi serve --proxy`: nginx (Debian's package) as a caching reverse proxy in front of gunicorn,
on free loopback ports, serving releases of the shipped sources in a temp dir. A second request
for a page, an API answer or a download is a cache hit; a request with the reviewer's cookie is
never answered from the cache; the sign-in limit counts the clients behind the proxy, not the
proxy, and nginx itself refuses the sixth attempt in a row; a release made while the pair runs
is served once it goes live, within the lifetime a cache may keep the old one
(SPI_CACHE_SECONDS, short here), and any change reaches every reader within twice that; nginx's
own answers carry the site's headers; OPTIONS and HEAD answer on every kind of address; links
keep the port the client used. SIGTERM stops both. Without nginx, `spi serve --proxy` says so in
a sentence (that test never skips). nginx's configuration alone, in front of small stand-in app
machines: a reviewer's requests go to one machine, and a kept copy is served while the app cannot
be reached for as long as the app's stale-if-error says, no longer. The module skips without
nginx, except on CI (CI=true), which installs it: there it fails."""
from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import threading
import time
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from spi import proxy
from spi.cli import main as spi
from tests.servers import raw, split_raw

CACHE_SECONDS = 3
MARGIN = 2.0          # seconds for a page to be drawn and the clocks to tick, beyond the cache's lifetime
PAGE = "/explorer?indicator=jo_psychosocial_team&tab=table&lang=en"
API = "/api/v1/observations?indicator=jo_psychosocial_team"
DOWNLOAD = "/data/jo_psychosocial_team.csv?labels=codes&bom=false"
NEW_CELL = b'data-sort="45.0">45'   # the explorer's table once the revised figure is live


def get(port: int, path: str, method: str = "GET", source: str = "127.0.0.1", headers: dict | None = None):
    """(status, headers, body) of one request to the proxy, from the loopback address `source`
    (the whole 127/8 is this machine: a second client with an address of its own)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30, source_address=(source, 0))
    try:
        conn.request(method, path, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        conn.close()


def _value(port: int) -> float:
    return json.loads(get(port, API)[2])["data"][0]["value"]


# What every answer nginx makes itself carries (spi/policy.py own_headers, no https here).
OWN = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "strict-origin-when-cross-origin",
       "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
       "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'", "X-Frame-Options": "DENY"}
LIFETIME = f"public, max-age={CACHE_SECONDS}, stale-while-revalidate={CACHE_SECONDS}, stale-if-error=86400"


@pytest.fixture(scope="module")
def nginx():
    if proxy.nginx_binary() is None:
        if os.environ.get("CI") == "true":
            pytest.fail("nginx is not installed, and CI must have it (scripts/setup installs it: apt-get install nginx)")
        pytest.skip("nginx is not installed (scripts/setup installs it: apt-get install nginx)")


@pytest.fixture(scope="module")
def site(nginx, shipped_copy, tmp_path_factory, paths):
    """`spi serve --proxy` (one worker, so that the sign-in limit is one count) on the first
    release; (the copy, the proxy's port, the process, its folder of logs)."""
    copy = shipped_copy("proxy")
    copy.release("first", "2025-01-01T09:00")
    logs = tmp_path_factory.mktemp("proxy-logs")
    port = proxy.free_port()
    env = dict(os.environ, SPI_CACHE_SECONDS=str(CACHE_SECONDS), SPI_AUDIT_LOG=str(logs / "audit.log"),
               SPI_SECRET_KEY="k" * 64, SPI_STATE=str(logs / "reviewers.sqlite"))   # this run's counts only
    env.pop("SPI_NOW", None)
    with open(logs / "serve.log", "wb") as log:
        process = subprocess.Popen([str(paths.spi), "serve", "--proxy", "--db", str(copy.served), "--port", str(port),
                                    "--workers", "1"], env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 180
    while True:
        try:
            if get(port, "/healthz")[0] == 200:
                break
        except OSError:
            pass
        assert process.poll() is None and time.monotonic() < deadline, (logs / "serve.log").read_text()[-3000:]
        time.sleep(0.3)
    yield copy, port, process, logs
    if process.poll() is None:   # a test stopped half-way: stop the pair as an operator would
        process.terminate()
        process.wait(timeout=60)


@pytest.mark.parametrize("path", [PAGE, API, DOWNLOAD, "/?lang=en"])
def test_a_second_request_is_answered_from_the_cache(site, path):
    port = site[1]
    first = get(port, path)
    second = get(port, path)
    assert first[0] == second[0] == 200, path
    assert first[1]["X-Cache-Status"] == "MISS" and second[1]["X-Cache-Status"] == "HIT", path
    assert first[2] == second[2]
    assert second[1]["Cache-Control"] == LIFETIME


def test_a_client_that_takes_gzip_gets_the_cached_copy_compressed(site):
    port = site[1]
    plain = get(port, "/about?lang=en")
    packed = get(port, "/about?lang=en", headers={"Accept-Encoding": "gzip"})
    assert packed[1]["X-Cache-Status"] == "HIT" and packed[1]["Content-Encoding"] == "gzip"
    import gzip
    assert gzip.decompress(packed[2]) == plain[2] and "Content-Encoding" not in plain[1]


def test_a_request_with_the_reviewers_cookie_is_never_answered_from_the_cache(site):
    port = site[1]
    path = "/governorates?lang=en"
    cookie = {"Cookie": "session=anything"}
    for _ in range(2):
        status, headers, _ = get(port, path, headers=cookie)
        assert status == 200 and headers["X-Cache-Status"] == "BYPASS"
        assert headers["Cache-Control"] == "private, no-store"
    assert get(port, path)[1]["X-Cache-Status"] == "MISS"   # what the cookie's request got was not kept
    assert get(port, path)[1]["X-Cache-Status"] == "HIT"
    assert get(port, path, headers=cookie)[1]["X-Cache-Status"] == "BYPASS"


def test_the_sign_in_limit_counts_the_clients_behind_the_proxy(site):
    """Five attempts a minute per client: the sixth from one address is refused by nginx itself
    (so the limit holds however many app machines there are), while another client, even one
    that claims in X-Forwarded-For to be the first, still gets its own count; the app records
    the clients' addresses, not the proxy's."""
    copy, port, process, logs = site
    attempt = {"Content-Type": "application/x-www-form-urlencoded"}
    answers = [get(port, "/signin", "POST", "127.0.0.3", attempt) for _ in range(6)]
    assert [a[0] for a in answers] == [400] * 5 + [429]   # 400: no form token (each attempt still counts)
    status, headers, body = answers[-1]
    assert b"429 Too Many Requests" in body and headers["Server"] == "nginx"   # nginx's, not the app's
    assert headers["Retry-After"] == "60" and headers.get_all("Retry-After") == ["60"]
    for name, value in OWN.items():
        assert headers.get_all(name) == [value], name
    assert get(port, "/signin", source="127.0.0.3")[0] == 200   # the form itself is not limited
    assert get(port, "/signin", "POST", "127.0.0.4", {**attempt, "X-Forwarded-For": "127.0.0.3"})[0] == 400
    addresses = [json.loads(line)["addr"] for line in (logs / "audit.log").read_text().splitlines()]
    assert addresses == ["127.0.0.3"] * 5 + ["127.0.0.4"]   # the sixth never reached the app


NGINX_OWN = {
    "a request line it cannot read": (b"GARBAGE\r\n\r\n", 400),
    "no Host": (b"GET / HTTP/1.1\r\n\r\n", 400),
    "headers too large": (b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 9000 + b"\r\n\r\n", 400),
    "TRACE": (b"TRACE / HTTP/1.1\r\nHost: x\r\n\r\n", 405),
    "a body over a megabyte": (b"POST /_dash-update-component HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\n",
                               413),
    "a request line too long": (b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414),
    "a transfer coding it does not know": (b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", 501),
    "HTTP/2.0 on an HTTP/1 port": (b"GET / HTTP/2.0\r\nHost: x\r\n\r\n", 505),
    "a bad chunk size": (b"POST /_dash-update-component HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                         b"Transfer-Encoding: chunked\r\n\r\nzz\r\n", 400),
}


@pytest.mark.parametrize("case", NGINX_OWN)
def test_nginxs_own_answers_carry_the_sites_headers(site, case):
    data, status = NGINX_OWN[case]
    got, headers, body = split_raw(raw(site[1], data))
    assert got == status, (case, got, body[:200])
    assert headers["server"] == ["nginx"] and b"<center>nginx</center>" in body, case   # nginx's own page
    for name, value in OWN.items():
        assert headers.get(name.lower()) == [value], (case, name, headers.get(name.lower()))
    assert "strict-transport-security" not in headers and "retry-after" not in headers, case


def test_the_configuration_tells_nginx_the_same_headers_as_the_app():
    from spi import policy
    assert dict(policy.own_headers(False)) == OWN
    http_conf = proxy.site_config("8080", ["10.0.0.11:8050"], "/tmp/c")
    https_conf = proxy.site_config("8080", ["10.0.0.11:8050"], "/tmp/c", public_url="https://stats.example.gov.om")
    for name, value in policy.own_headers(True):
        variable = "$spi_header_" + name.lower().replace("-", "_")
        assert f"add_header {name} {variable} always;" in https_conf, name
        assert re.search(rf'map \$spi_own_answer \{variable} {{\n    1       "{re.escape(value)}";', https_conf), name
    assert "Strict-Transport-Security" in https_conf and "Strict-Transport-Security" not in http_conf


OWN_PAGE = "/explorer?indicator=om_ss_cases&tab=table&lang=en"


@pytest.mark.parametrize("path", [OWN_PAGE, "/embed/om_nursery_children?lang=en", "/api/v1/indicators?format=csv",
                                  "/data/om_ss_cases.csv?labels=codes", "/assets/style.css"])
def test_the_apps_answers_keep_their_own_headers_once_cached_or_not(site, path):
    """(Addresses no other test asks for before: the first answer is the app's, the second the cache's.)"""
    port = site[1]
    answers = [get(port, path) for _ in range(2)]
    assert [a[1]["X-Cache-Status"] for a in answers] == ["MISS", "HIT"], path
    for status, headers, body in answers:
        for name in ("X-Content-Type-Options", "Referrer-Policy", "Permissions-Policy", "Content-Security-Policy"):
            assert len(headers.get_all(name)) == 1, (path, name, headers.get_all(name))
        csp = headers["Content-Security-Policy"]
        if path.startswith("/embed/"):
            assert "frame-ancestors *" in csp and "X-Frame-Options" not in headers
        elif path == OWN_PAGE:
            assert "script-src 'self'" in csp and headers.get_all("X-Frame-Options") == ["DENY"]
        else:
            assert csp == OWN["Content-Security-Policy"] and "X-Frame-Options" not in headers, path


KINDS = {"page": "/explorer?lang=en", "embed": "/embed/om_ss_cases", "sign-in": "/signin", "API": API,
         "API index": "/api/v1/", "download": DOWNLOAD, "dataset": "/data/all.csv", "calendar": "/releases.ics",
         "health": "/healthz", "asset": "/assets/style.css", "Dash's layout": "/_dash-layout",
         "unknown page": "/nope", "unknown download": "/data/nothing.csv"}


@pytest.mark.parametrize("encoding", ["", "gzip"])
@pytest.mark.parametrize("kind", KINDS)
def test_options_and_head_answer_on_every_kind_of_address(site, kind, encoding):
    port = site[1]
    sent = {"Accept-Encoding": encoding} if encoding else {}
    status, headers, body = get(port, KINDS[kind], "OPTIONS", headers=sent)
    assert status in (200, 204) and body == b"" and "GET" in headers["Allow"], (kind, status)
    assert "Content-Encoding" not in headers and headers["X-Content-Type-Options"] == "nosniff", kind
    head, whole = get(port, KINDS[kind], "HEAD", headers=sent), get(port, KINDS[kind], headers=sent)
    assert head[0] == whole[0] and head[2] == b"" and whole[2], (kind, head[0], whole[0])
    assert head[1]["Content-Type"] == whole[1]["Content-Type"], kind
    assert head[1]["X-Content-Type-Options"] == "nosniff", kind


def test_links_keep_the_host_and_port_the_client_used_and_each_host_its_own_copy(site):
    """Without a public address, absolute links are written with the client's Host, port
    included; the cache keys on the same Host, so one host's page is never given for another."""
    port = site[1]
    path = "/explorer?indicator=om_ss_cases&lang=en"
    mine = f"http://127.0.0.1:{port}/"
    first = get(port, path)
    assert first[1]["X-Cache-Status"] == "MISS" and mine.encode() + b"explorer?indicator=om_ss_cases" in first[2]
    assert b"http://127.0.0.1/" not in first[2]
    other = get(port, path, headers={"Host": "other.example:8443"})
    assert other[1]["X-Cache-Status"] == "MISS", "another host was given the first host's copy"
    assert b"http://other.example:8443/explorer?indicator=om_ss_cases" in other[2] and mine.encode() not in other[2]
    again = get(port, path)
    assert again[1]["X-Cache-Status"] == "HIT" and again[2] == first[2]
    assert get(port, path, headers={"Host": "other.example:8443"})[2] == other[2]


def test_a_new_release_is_served_once_it_goes_live(site):
    """A release made while the pair runs, public in a few seconds: the old figures until then
    (caches keep them at most until its time), the new ones from then on, at the latest a
    cache lifetime later."""
    copy, port, process, logs = site
    assert _value(port) == 44 and NEW_CELL not in get(port, PAGE)[2]   # the page is kept now, CACHE_SECONDS
    live = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(seconds=12)
    copy.revise("jo_psychosocial_team", "45")
    copy.release("revised", live.isoformat())
    left = (live - datetime.now(timezone.utc)).total_seconds()
    assert left > 1, "making the release took longer than the time left before it goes live"
    status, headers, body = get(port, API)
    assert json.loads(body)["data"][0]["value"] == 44
    assert int(headers["Cache-Control"].split("max-age=")[1].split(",")[0]) <= left
    seen = {}
    deadline = live + timedelta(seconds=CACHE_SECONDS + MARGIN)
    while len(seen) < 2 and datetime.now(timezone.utc) < deadline + timedelta(seconds=5):
        if "api" not in seen and _value(port) == 45:
            seen["api"] = datetime.now(timezone.utc)
        if "page" not in seen and NEW_CELL in get(port, PAGE)[2]:
            seen["page"] = datetime.now(timezone.utc)
        time.sleep(0.2)
    assert set(seen) == {"api", "page"}, "the new release was not served"
    for name, when in seen.items():
        assert live <= when <= deadline, (name, when, live)


def test_a_change_reaches_every_reader_within_twice_the_cache_lifetime(site):
    """The stated bound (README, Running in production): a copy is served at most max-age +
    stale-while-revalidate after the app drew it, 2 × SPI_CACHE_SECONDS. A release that is live
    as soon as it is made changes what the app answers under the kept copies: a reader polling
    gets the new figure within the bound, and the first reader of an address nobody asked for
    since gets it too (not the old copy, STALE, while it is drawn again)."""
    copy, port, process, logs = site
    bound = 2 * CACHE_SECONDS
    polled, untouched = API, "/api/v1/observations?indicator=jo_psychosocial_team&format=csv"
    old = _value(port)
    assert get(port, untouched)[0] == 200 and get(port, untouched)[1]["X-Cache-Status"] == "HIT"
    copy.revise("jo_psychosocial_team", "47")
    copy.release("at once", datetime.now(timezone.utc).replace(microsecond=0).isoformat())
    changed = time.monotonic()   # the app answers the new figure from here on (at the latest)
    seen = []
    while time.monotonic() < changed + bound + MARGIN + 3:
        status, headers, body = get(port, polled)
        seen.append((time.monotonic() - changed, json.loads(body)["data"][0]["value"], headers["X-Cache-Status"]))
        time.sleep(0.2)
    late = [s for s in seen if s[0] > bound + MARGIN]
    assert late and all(value == 47 for _, value, _ in late), [s for s in late if s[1] != 47]
    assert old != 47 and any(value == 47 for _, value, _ in seen)
    status, headers, body = get(port, untouched)   # untouched since before the change, for longer than the bound
    assert headers["X-Cache-Status"] in ("EXPIRED", "MISS"), headers["X-Cache-Status"]
    assert b",47" in body or b",47.0" in body, body[:500]


def test_sigterm_stops_nginx_and_gunicorn(site):
    copy, port, process, logs = site
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=40) == 0
    with pytest.raises(OSError):
        get(port, "/healthz")
    assert "Traceback" not in (logs / "serve.log").read_text()


def test_without_nginx_serve_proxy_says_so_in_a_sentence(monkeypatch, capsys, built):
    monkeypatch.setattr(proxy, "nginx_binary", lambda: None)
    assert spi(["serve", "--proxy", "--db", str(built / "indicators.duckdb"), "--port", "1"]) == 1
    err = capsys.readouterr().err
    assert "nginx is not installed" in err and "apt-get install nginx" in err and "Traceback" not in err


def test_the_deployment_configuration_is_one_nginx_accepts(nginx, tmp_path, capsys):
    """`spi nginx-config` for two app machines: what an operator puts in /etc/nginx/conf.d/."""
    assert spi(["nginx-config", "--upstream", "10.0.0.11:8050", "--upstream", "10.0.0.12:8050", "--listen", "8080",
                "--cache-dir", str(tmp_path / "cache"), "--public-url", "https://stats.example.gov.om"]) == 0
    site_conf = capsys.readouterr().out
    for line in ("server 10.0.0.11:8050;", "server 10.0.0.12:8050;", "listen 8080;", "server_name stats.example.gov.om;",
                 "map $cookie_session $spi_personal", "proxy_cache_lock on;", "proxy_cache_use_stale off;",
                 "proxy_cache_background_update on;", "hash $binary_remote_addr consistent;",
                 "proxy_cache_key $scheme://$spi_host$request_uri$spi_accept_key;", "proxy_set_header Host $spi_host;",
                 "limit_req_zone $spi_signin_client zone=spi_signin:1m rate=5r/m;",
                 "add_header Strict-Transport-Security $spi_header_strict_transport_security always;"):
        assert line in site_conf, line
    assert site_conf.count("server 10.0.0.11:8050;") == 2   # in both upstreams: round robin, and by session
    assert "updating" not in site_conf.split("proxy_cache_use_stale")[1].split(";")[0]
    (tmp_path / "temp").mkdir()
    (tmp_path / "site.conf").write_text(site_conf.replace("/var/log/nginx/", f"{tmp_path}/"))
    (tmp_path / "nginx.conf").write_text(proxy._render("standalone.conf", user=""))
    done = subprocess.run([proxy.nginx_binary(), "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"),
                           "-e", "stderr"], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr


# -- the configuration alone, in front of small stand-in app machines ----------------------------

class StandIn:
    """An app machine's stand-in on a free loopback port: answers every GET with its name, the
    time it drew the answer and the Cache-Control it is given (and a Content-Security-Policy, as
    every answer of the app has); stop() takes it off the network."""

    def __init__(self, name: str, cache_control: str = "no-store"):
        self.name, self.cache_control, self.seen = name, cache_control, []
        stand_in = self

        class Handler(BaseHTTPRequestHandler):   # HTTP/1.0: one request a connection, none kept open
            def do_GET(self):
                stand_in.seen.append((self.path, self.headers.get("Cookie")))
                body = json.dumps({"machine": stand_in.name, "drawn": time.time()}).encode()
                self.send_response(200)
                for name, value in (("Content-Type", "application/json"), ("Content-Length", str(len(body))),
                                    ("Cache-Control", stand_in.cache_control), ("ETag", f'"{time.time()}"'),
                                    *OWN.items()):
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            do_POST = do_GET

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def front(nginx, tmp_path):
    """front(stand_ins): nginx with `spi nginx-config`'s configuration in front of them, on a free
    port; its port."""
    started = []

    def start(stand_ins: list[StandIn]) -> int:
        port = proxy.free_port()
        (tmp_path / "temp").mkdir()
        (tmp_path / "site.conf").write_text(proxy.site_config(
            f"127.0.0.1:{port}", [f"127.0.0.1:{s.port}" for s in stand_ins], str(tmp_path / "cache"),
            str(tmp_path / "access.log")))
        (tmp_path / "nginx.conf").write_text(proxy._render("standalone.conf", user="user root;" if os.geteuid() == 0 else ""))
        process = subprocess.Popen([proxy.nginx_binary(), "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"),
                                    "-e", "stderr", "-g", "daemon off;"], stderr=open(tmp_path / "error.log", "wb"),
                                   start_new_session=True)
        started.append(process)
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return port
            except OSError:
                assert process.poll() is None and time.monotonic() < deadline, (tmp_path / "error.log").read_text()
                time.sleep(0.1)

    yield start
    for process in started:
        process.send_signal(signal.SIGQUIT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _machine(port: int, cookie: str | None = None, path: str = "/api/v1/indicators", method: str = "GET",
             source: str = "127.0.0.1") -> str:
    status, headers, body = get(port, path, method, source,
                                headers={"Cookie": f"session={cookie}"} if cookie else {})
    assert status == 200, (status, body[:200])
    return json.loads(body)["machine"]


def test_a_reviewers_sign_in_and_requests_go_to_one_app_machine_and_public_ones_round_them(front):
    """The machine that signs a reviewer in keeps their session: the form, its POST (no cookie
    yet) and every request with the cookie go to it, by the client's address."""
    machines = [StandIn("a"), StandIn("b"), StandIn("c")]
    try:
        port = front(machines)
        public = {_machine(port) for _ in range(9)}
        assert public == {"a", "b", "c"}   # round robin (no-store: none is kept)
        homes = {}
        for n in range(12):
            client = f"127.0.1.{n + 1}"
            homes[client] = {_machine(port, path="/signin", source=client),
                             _machine(port, path="/signin", method="POST", source=client),
                             *(_machine(port, f"cookie-{n}-{i}", source=client) for i in range(4)),
                             _machine(port, f"cookie-{n}", path="/signout", method="POST", source=client)}
            assert len(homes[client]) == 1, (client, homes[client])   # always the machine that signed them in
        assert len(set().union(*homes.values())) > 1   # reviewers spread over the machines
    finally:
        for m in machines:
            m.stop()


def test_a_kept_copy_is_served_while_the_app_cannot_be_reached_as_long_as_its_stale_if_error_says(front):
    """max-age=1, stale-if-error=3: with the app gone, the copy is served (STALE) for three
    seconds after it expired, then nginx answers 502 itself (with the site's headers): nothing
    in the configuration serves a copy older than the app allows."""
    machine = StandIn("a", "public, max-age=1, stale-while-revalidate=1, stale-if-error=3")
    port = front([machine])
    first = get(port, "/api/v1/indicators")
    drawn = json.loads(first[2])["drawn"]
    assert first[1]["X-Cache-Status"] == "MISS" and get(port, "/api/v1/indicators")[1]["X-Cache-Status"] == "HIT"
    machine.stop()
    time.sleep(max(0.0, drawn + 2 - time.time()))   # expired, within stale-if-error
    status, headers, body = get(port, "/api/v1/indicators")
    assert status == 200 and headers["X-Cache-Status"] == "STALE" and json.loads(body)["drawn"] == drawn
    time.sleep(max(0.0, drawn + 1 + 3 + 1.5 - time.time()))   # past stale-if-error
    status, headers, body = get(port, "/api/v1/indicators")
    assert status == 502 and b"<center>nginx</center>" in body
    for name, value in OWN.items():
        assert headers.get_all(name) == [value], name


def test_no_copy_older_than_max_age_and_stale_while_revalidate_is_served(front):
    """A copy said to be good for 1 s and served stale for 1 s more while it is drawn again: under
    steady polling no answer was drawn more than 2 s before (and a margin) it is given, and after a
    pause the first reader gets a new drawing, not the old copy."""
    machine = StandIn("a", "public, max-age=1, stale-while-revalidate=1, stale-if-error=86400")
    try:
        port = front([machine])
        ages, statuses = [], set()
        end = time.time() + 6
        while time.time() < end:
            status, headers, body = get(port, "/api/v1/indicators")
            ages.append(time.time() - json.loads(body)["drawn"])
            statuses.add(headers["X-Cache-Status"])
            time.sleep(0.05)
        assert max(ages) < 2 + 0.5, max(ages)
        assert {"HIT", "STALE"} <= statuses, statuses   # copies were kept, and given while drawn again
        time.sleep(3)   # nobody asks: the copy is now older than 2 s
        status, headers, body = get(port, "/api/v1/indicators")
        assert headers["X-Cache-Status"] == "EXPIRED" and time.time() - json.loads(body)["drawn"] < 0.5
    finally:
        machine.stop()
