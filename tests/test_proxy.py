"""`spi serve --proxy`: nginx (Debian's package) as a caching reverse proxy in front of gunicorn,
on free loopback ports, serving releases of the shipped sources in a temp dir. A second request
for a page, an API answer or a download is a cache hit; a request with the reviewer's cookie is
never answered from the cache; the sign-in limit counts the clients behind the proxy, not the
proxy; a release made while the pair runs is served once it goes live, within the lifetime a
cache may keep the old one (SPI_CACHE_SECONDS, short here); SIGTERM stops both. Without nginx,
`spi serve --proxy` says so in a sentence (that test never skips)."""
from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import time
from datetime import datetime, timedelta, timezone

import pytest

from spi import proxy
from spi.cli import main as spi

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


@pytest.fixture(scope="module")
def nginx():
    if proxy.nginx_binary() is None:
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
               SPI_SECRET_KEY="k" * 64)
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
    assert second[1]["Cache-Control"] == f"public, max-age={CACHE_SECONDS}, stale-while-revalidate={CACHE_SECONDS}"


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
    """Five attempts a minute per client: the sixth from one address is refused, while another
    client, even one that claims in X-Forwarded-For to be the first, still gets its own count."""
    copy, port, process, logs = site
    attempt = {"Content-Type": "application/x-www-form-urlencoded"}
    statuses = [get(port, "/signin", "POST", "127.0.0.3", attempt)[0] for _ in range(6)]
    assert statuses == [400] * 5 + [429]   # 400: no form token (each attempt still counts)
    assert get(port, "/signin", "POST", "127.0.0.4", {**attempt, "X-Forwarded-For": "127.0.0.3"})[0] == 400
    addresses = [json.loads(line)["addr"] for line in (logs / "audit.log").read_text().splitlines()]
    assert addresses == ["127.0.0.3"] * 6 + ["127.0.0.4"]


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
                 "map $cookie_session $spi_personal", "proxy_cache_lock on;", "proxy_cache_use_stale error timeout updating"):
        assert line in site_conf, line
    (tmp_path / "temp").mkdir()
    (tmp_path / "site.conf").write_text(site_conf.replace("/var/log/nginx/", f"{tmp_path}/"))
    (tmp_path / "nginx.conf").write_text(proxy._render("standalone.conf", user=""))
    done = subprocess.run([proxy.nginx_binary(), "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"),
                           "-e", "stderr"], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
