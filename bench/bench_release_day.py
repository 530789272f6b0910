"""Release day: many people open the site at once. The same load through nginx's cache
(`spi serve --proxy`) and then straight to its gunicorn, for comparison.

    .venv/bin/python bench/bench_release_day.py                          # 200 clients, 60 s each way
    .venv/bin/python bench/bench_release_day.py --clients 50 --seconds 15

The shipped data and release are built into a temp dir (`spi build --out TMP`; never into
data/) and served by `spi serve --proxy` on free loopback ports (2 workers, as `spi serve`).
Each client is a thread with a keep-alive connection that asks, as fast as answers come, for
a mix of addresses (overview 30%, explorer views 30%, downloads 20%, API 20%; gzip accepted)
until the time is up or it has made --max-requests. Only 127.0.0.1 is ever asked. Printed
for each run: errors (failed connections and answers of 400 and above), latency p50/p95,
requests/s, the cache's hit ratio (X-Cache-Status), how many requests a second reached the
app, and the machine's load average. Nothing is asserted (issue 12 asks 0 errors and
p95 < 100 ms through the proxy).

The clients are Python threads on the same machine as nginx and gunicorn: the latency they
measure includes waiting for the interpreter's lock and for a core, so it is an upper bound.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))
from bench.bench_dashboard import SPI, free_port, pct  # noqa: E402 - after the path is set
from spi.proxy import nginx_binary  # noqa: E402

HOST = "127.0.0.1"                       # loopback only, whatever the arguments
APP_STATUSES = {"MISS", "EXPIRED", "BYPASS", "REVALIDATED", None}   # X-Cache-Status of a request the app answered


@dataclass
class Tally:
    """What one client saw."""
    latencies: list[float] = field(default_factory=list)
    cache: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)


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


def client(port: int, urls: dict[str, list[str]], start: threading.Event, deadline: list[float], max_requests: int,
           seed: int, tally: Tally) -> None:
    rnd = random.Random(seed)
    kinds, weights = list(SHARES), list(SHARES.values())
    conn = None
    start.wait()
    for _ in range(max_requests):
        if time.monotonic() >= deadline[0]:
            break
        url = rnd.choice(urls[rnd.choices(kinds, weights)[0]])
        t0 = time.perf_counter()
        try:
            conn = conn or http.client.HTTPConnection(HOST, port, timeout=30)
            conn.request("GET", url, headers={"Accept-Encoding": "gzip"})
            response = conn.getresponse()
            response.read()
        except (OSError, http.client.HTTPException) as exc:
            tally.errors[type(exc).__name__] += 1
            if conn:
                conn.close()
            conn = None
            continue
        tally.latencies.append(time.perf_counter() - t0)
        tally.cache[response.headers.get("X-Cache-Status")] += 1
        if response.status >= 400:
            tally.errors[f"HTTP {response.status}"] += 1
    if conn:
        conn.close()


def load(label: str, port: int, urls: dict[str, list[str]], clients: int, seconds: float, max_requests: int) -> None:
    """`clients` clients on `port` for `seconds`; one line of figures."""
    tallies = [Tally() for _ in range(clients)]
    start, deadline = threading.Event(), [0.0]
    threads = [threading.Thread(target=client, args=(port, urls, start, deadline, max_requests, n, tallies[n]),
                                daemon=True) for n in range(clients)]
    for t in threads:
        t.start()
    t0 = time.monotonic()
    deadline[0] = t0 + seconds
    start.set()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - t0
    latencies = [x for t in tallies for x in t.latencies]
    cache = sum((t.cache for t in tallies), Counter())
    errors = sum((t.errors for t in tallies), Counter())
    answered = len(latencies)
    hits = sum(n for status, n in cache.items() if status not in APP_STATUSES)
    to_app = answered - hits
    ratio = f"{hits / answered:6.1%}" if None not in cache and answered else "     -"
    print(f"{label:<22}{answered:>9,}{sum(errors.values()):>8,}{pct(latencies, 0.5) * 1000:>9.1f}"
          f"{pct(latencies, 0.95) * 1000:>9.1f}{answered / elapsed:>11,.0f}   {ratio}{to_app / elapsed:>11,.0f}"
          f"   {os.getloadavg()[0]:>5.2f}", flush=True)
    if errors:
        print(f"  errors: {dict(errors)}")
    if None not in cache:
        print(f"  X-Cache-Status: {dict(cache.most_common())}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2, as `spi serve`)")
    parser.add_argument("--max-requests", type=int, default=100_000, help="per client, at most")
    args = parser.parse_args()
    if nginx_binary() is None:
        print("nginx is not installed (scripts/setup installs it)", file=sys.stderr)
        return 1
    tmp = Path(tempfile.mkdtemp(prefix="bench_release_day_"))
    serving = None
    try:
        subprocess.run([SPI, "build", "--out", str(tmp / "out")], cwd=PROJECT, check=True, capture_output=True)
        port = free_port()
        with open(tmp / "serve.log", "w") as log:
            serving = subprocess.Popen([SPI, "serve", "--proxy", "--db", str(tmp / "out" / "releases"), "--host", HOST,
                                        "--port", str(port), "--workers", str(args.workers)],
                                       cwd=PROJECT, stdout=log, stderr=subprocess.STDOUT)
        app_port = _app_port(tmp / "serve.log", serving)
        urls = mix(port)
        print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} before; {args.clients} clients "
              f"× {args.seconds:g} s each way, {sum(map(len, urls.values()))} addresses; "
              f"gunicorn {args.workers} workers × 4 threads")
        print(f"{'':<22}{'requests':>9}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'requests/s':>11}   "
              f"{'hits':>6}{'app req/s':>11}   {'load':>5}")
        load("through nginx", port, urls, args.clients, args.seconds, args.max_requests)
        load("gunicorn directly", app_port, urls, args.clients, args.seconds, args.max_requests)
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
