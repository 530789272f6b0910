"""Release day: many people open the site at once. The same load through nginx's cache
(`spi serve --proxy`) and then straight to its gunicorn, for comparison.

    .venv/bin/python bench/bench_release_day.py                          # 200 clients, 60 s each way
    .venv/bin/python bench/bench_release_day.py --clients 50 --seconds 15

The shipped data and release are built into a temp dir (`spi build --out TMP`; never into
data/) and served by `spi serve --proxy` on free loopback ports (2 workers, as `spi serve`).
The load comes from wrk (Debian's `wrk`, installed by scripts/setup), a separate C process
whose cost is small next to the server's: one keep-alive connection per client, each asking,
as fast as answers come, for a mix of addresses (overview 30%, explorer views 30%, downloads
20%, API 20%; gzip accepted) until the time is up. Only 127.0.0.1 is ever asked. Printed for
each run: errors (failed connections, time-outs and answers of 400 and above), latency
p50/p95/p99, requests/s, the cache's hit ratio (X-Cache-Status), how many requests a second
reached the app, and the machine's load average. Nothing is asserted (issue 12 asks 0 errors
and p95 < 100 ms through the proxy).

wrk runs on the same 2 cores as nginx and gunicorn, so its figures include its own share of
the machine: an upper bound for a load generator on another machine.
"""
from __future__ import annotations

import argparse
import csv
import io
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))
from bench.bench_dashboard import SPI, free_port  # noqa: E402 - after the path is set
from spi.proxy import nginx_binary  # noqa: E402

HOST = "127.0.0.1"                       # loopback only, whatever the arguments
APP_STATUSES = {"MISS", "EXPIRED", "BYPASS", "REVALIDATED", "-"}   # X-Cache-Status of a request the app answered


LEAD = 5.0   # seconds of the release-day run before the new release goes live
SHARES = {"overview": 30, "explorer": 30, "downloads": 20, "api": 20}   # per cent of the requests


def mix(port: int) -> dict[str, list[str]]:
    """The addresses of each kind asked for: the overview, explorer views (over time, by
    breakdown, embedded), downloads and API answers of the live release's indicators."""
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    conn.request("GET", "/api/v1/indicators")
    indicators = [i for i in json.loads(conn.getresponse().read())["data"] if (i.get("coverage") or {}).get("observations")]
    conn.close()
    ids = [i["id"] for i in indicators]
    return {
        "overview": ["/", "/?lang=en"],
        "explorer": [f"/explorer?indicator={i}{lang}" for i in ids for lang in ("", "&lang=en")]
                    + [f"/explorer?indicator={i['id']}&view=breakdown&breakdown={b}" for i in indicators
                       for b in i["breakdowns"]] + [f"/embed/{i}" for i in ids],
        "downloads": [f"/data/{i}.{ext}" for i in ids for ext in ("csv", "xlsx")] + ["/data/all.csv"],
        "api": [f"/api/v1/observations?indicator={i}" for i in ids] + ["/api/v1/indicators", "/api/v1/releases"],
    }


# wrk's script: each request picks a kind by its share, then one of its addresses; each answer's
# X-Cache-Status is counted per thread; at the end one JSON line with the figures.
WRK_SCRIPT = """
local urls, kinds, weights = URLS, KINDS, WEIGHTS
local threads, counter = {}, 0
function setup(thread)
  counter = counter + 1
  thread:set("seed", counter)
  table.insert(threads, thread)
end
function init(args)
  math.randomseed(seed * 7919 + os.time())
  cache = {}
end
local total = 0
for _, w in ipairs(weights) do total = total + w end
function request()
  local r, kind = math.random() * total, kinds[#kinds]
  for i, w in ipairs(weights) do
    if r < w then kind = kinds[i] break end
    r = r - w
  end
  local list = urls[kind]
  return wrk.format("GET", list[math.random(#list)], {["Accept-Encoding"] = "gzip"})
end
function response(status, headers, body)
  local s = headers["X-Cache-Status"] or headers["x-cache-status"] or "-"
  cache[s] = (cache[s] or 0) + 1
end
function done(summary, latency, requests)
  local merged = {}
  for _, t in ipairs(threads) do
    for k, v in pairs(t:get("cache")) do merged[k] = (merged[k] or 0) + v end
  end
  local parts = {}
  for k, v in pairs(merged) do table.insert(parts, string.format("%q:%d", k, v)) end
  local e = summary.errors
  io.write(string.format(
    'WRK {"requests":%d,"seconds":%f,"p50":%d,"p95":%d,"p99":%d,"connect":%d,"read":%d,"write":%d,'
    .. '"status":%d,"timeout":%d,"cache":{%s}}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), e.connect, e.read, e.write, e.status, e.timeout, table.concat(parts, ",")))
end
"""


def lua_table(value) -> str:
    """A Python list or dict of strings and numbers as a Lua table constructor."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"[{json.dumps(k)}] = {lua_table(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "{" + ", ".join(lua_table(v) for v in value) + "}"
    return json.dumps(value)


def load(label: str, port: int, urls: dict[str, list[str]], clients: int, seconds: float, tmp: Path,
         access_log: Path | None = None) -> None:
    """wrk with `clients` connections on `port` for `seconds`; one line of figures. The app's
    requests are counted in nginx's access log (`access_log`: every request it sent upstream,
    background updates included); straight to gunicorn, every request is one."""
    script = tmp / "mix.lua"
    script.write_text(WRK_SCRIPT.replace("URLS", lua_table(urls)).replace("KINDS", lua_table(list(SHARES)))
                      .replace("WEIGHTS", lua_table(list(SHARES.values()))))
    logged = access_log.stat().st_size if access_log else 0
    run = subprocess.run(["wrk", f"-t{min(os.cpu_count() or 1, clients)}", f"-c{clients}", f"-d{seconds:g}s",
                          "--timeout", "30s", "-s", str(script), f"http://{HOST}:{port}/"],
                         capture_output=True, text=True, check=True)
    found = re.search(r"^WRK (.*)$", run.stdout, re.M)
    if not found:
        raise SystemExit(f"wrk printed no figures:\n{run.stdout}{run.stderr}")
    figures = json.loads(found.group(1))
    answered, elapsed, cache = figures["requests"], figures["seconds"], figures["cache"]
    errors = {k: figures[k] for k in ("connect", "read", "write", "timeout", "status") if figures[k]}
    through_cache = "-" not in cache
    hits = sum(n for status, n in cache.items() if status not in APP_STATUSES)
    to_app = _upstream_requests(access_log, logged) if access_log else answered
    ratio = f"{hits / answered:6.1%}" if through_cache and answered else "     -"
    print(f"{label:<26}{answered:>10,}{sum(errors.values()):>7,}{figures['p50'] / 1000:>8.1f}{figures['p95'] / 1000:>8.1f}"
          f"{figures['p99'] / 1000:>8.1f}{answered / elapsed:>11,.0f}   {ratio}{to_app / elapsed:>10,.1f}"
          f"   {os.getloadavg()[0]:>5.2f}", flush=True)
    if errors:
        print(f"  errors: {errors} (status: answers of 400 and above)")
    if through_cache:
        print(f"  X-Cache-Status: {dict(sorted(cache.items(), key=lambda kv: -kv[1]))}")


def _upstream_requests(access_log: Path, offset: int) -> int:
    """Requests nginx sent to the app since `offset` in its access log (site.conf's format:
    `upstream=<seconds>` for those, `upstream=-` for answers from the cache)."""
    with open(access_log, "rb") as log:
        log.seek(offset)
        return sum(1 for line in log if b" upstream=" in line and b" upstream=- " not in line)


def revise_and_release(sources: Path, at: datetime) -> None:
    """A new release of the temp copy, live at `at`: one published figure changed (+1), built
    and released as the statistics unit would (`spi build`, `spi release --at`)."""
    path = sources / "raw" / "jo_social_protection_2024.csv"
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    rows[0]["value"] = str(float(rows[0]["value"]) + 1)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    where = ["--out", str(sources / "out"), "--releases", str(sources / "releases"), "--catalogue",
             str(sources / "indicators.yaml")]
    subprocess.run([SPI, "build", "--raw", str(sources / "raw"), *where], cwd=PROJECT, check=True, capture_output=True)
    subprocess.run([SPI, "release", "--note", "release day (bench)", "--at", at.isoformat(), "--by", "bench", *where],
                   cwd=PROJECT, check=True, capture_output=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2, as `spi serve`)")
    args = parser.parse_args()
    if nginx_binary() is None:
        print("nginx is not installed (scripts/setup installs it)", file=sys.stderr)
        return 1
    if shutil.which("wrk") is None:
        print("wrk is not installed (scripts/setup installs it)", file=sys.stderr)
        return 1
    tmp = Path(tempfile.mkdtemp(prefix="bench_release_day_"))
    serving = None
    try:
        sources = tmp / "sources"
        shutil.copytree(PROJECT / "data" / "raw", sources / "raw")
        shutil.copytree(PROJECT / "data" / "releases", sources / "releases")
        shutil.copy(PROJECT / "indicators.yaml", sources / "indicators.yaml")
        subprocess.run([SPI, "build", "--raw", str(sources / "raw"), "--catalogue", str(sources / "indicators.yaml"),
                        "--out", str(sources / "out"), "--releases", str(sources / "releases")],
                       cwd=PROJECT, check=True, capture_output=True)
        port = free_port()
        log_path = tmp / "serve.log"   # spi serve --proxy sends nginx's access log to its output
        with open(log_path, "w") as log:
            serving = subprocess.Popen([SPI, "serve", "--proxy", "--db", str(sources / "out" / "releases"), "--host",
                                        HOST, "--port", str(port), "--workers", str(args.workers)],
                                       cwd=PROJECT, stdout=log, stderr=subprocess.STDOUT)
        app_port = _app_port(log_path, serving)
        urls = mix(port)
        live = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(seconds=args.seconds + LEAD + 15)
        revise_and_release(sources, live)
        print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} before; {args.clients} clients "
              f"× {args.seconds:g} s a run, {sum(map(len, urls.values()))} addresses; "
              f"gunicorn {args.workers} workers × 4 threads")
        print(f"{'':<26}{'requests':>10}{'errors':>7}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}{'requests/s':>11}   "
              f"{'hits':>6}{'app req/s':>10}   {'load':>5}")
        load("nginx, empty cache", port, urls, args.clients, args.seconds, tmp, log_path)
        time.sleep(max(0.0, (live - datetime.now(timezone.utc)).total_seconds() - LEAD))
        load(f"nginx, release live at {LEAD:g} s", port, urls, args.clients, args.seconds, tmp, log_path)
        load("gunicorn directly", app_port, urls, args.clients, args.seconds, tmp)
        return 0
    finally:
        if serving is not None:
            serving.send_signal(signal.SIGTERM)
            serving.wait(timeout=60)
        shutil.rmtree(tmp, ignore_errors=True)


def _app_port(log: Path, serving: subprocess.Popen) -> int:
    """The loopback port of gunicorn behind the proxy, from the line `spi serve --proxy` prints
    once both answer."""
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and serving.poll() is None:
        found = re.search(r"in front of gunicorn on 127\.0\.0\.1:(\d+)", log.read_text())
        if found:
            return int(found.group(1))
        time.sleep(0.3)
    raise SystemExit(f"spi serve --proxy did not start:\n{log.read_text()[-2000:]}")


if __name__ == "__main__":
    sys.exit(main())
