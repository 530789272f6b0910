"""Dashboard benchmark: first chart per page, callback latency, throughput, memory, Lighthouse.

    .venv/bin/python bench/bench_dashboard.py                   # shipped data, then 1,000,000 synthetic rows
    .venv/bin/python bench/bench_dashboard.py --skip-synthetic
    .venv/bin/python bench/bench_dashboard.py --runs 10 --synthetic-db /tmp/x/out/indicators.duckdb

For each database (the shipped data built with `spi build --out TMP`; bench/synthetic.py's
1,000,000-observation set built the same way; never into data/), gunicorn serves the app
exactly as `spi serve` does (2 workers, gthread, debug off, --no-control-socket) and we print:

* time to first chart per page, in headless Chromium (/usr/bin/chromium), each run in a
  fresh browser context (cold HTTP cache), median and p90 of --runs: "chart" is navigation
  start to the first chart drawn and visible (an SVG sparkline, the map, a chart's server-drawn
  twin, or Plotly's SVG), and the same for a minimal one-chart Dash app (bench/peer_dash_app.py)
  served alike in the same run, with each page's ratio to it,
  "usable" is navigation start to the page rendered by React with its callbacks answered
  (Dash starts at the reader's first move: the run moves the pointer at the load event);
* what a phone pays at the first move, when Dash starts (first_move): move to the page drawn
  by React, to the first chart a reader can hover (the move is made over a mark of the
  server-drawn chart: to its tooltip shown, assets/chart_hover.js), to plotly.js's interactive
  chart on a page with a chart, and the blocking time after the move, CPU slowed 4x, median
  of --runs;
* explorer callback latency over HTTP (POST /_dash-update-component, keep-alive), p50/p95,
  for states never seen before (cold: view built, figure made, serialised) and for the same
  states again (warm: served from the per-build cache);
* requests per second for the overview HTML (8 client threads, brotli, keep-alive);
* peak memory (VmHWM) of each gunicorn worker after all that;
* Lighthouse mobile performance and accessibility scores for the overview, explorer,
  governorates and embed (node_modules/.bin/lighthouse, CHROME_PATH=/usr/bin/chromium,
  --headless --no-sandbox). Lighthouse never moves: it measures the page as a reader sees it
  before touching it (the server's copy), not the cost of starting Dash at the first move.

Targets (issue 3): overview first chart < 1.0 s (median of 10), usable < 1.5 s; explorer
callback p95 < 30 ms with both databases. Nothing is asserted; the figures are printed.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))
SPI = str(PROJECT / ".venv" / "bin" / "spi")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync", "--disable-dev-shm-usage"]
LIGHTHOUSE = PROJECT / "node_modules" / ".bin" / "lighthouse"

# Marks, from navigation start: first chart visible; React has rendered the page (Dash starts
# at the reader's first move, which first_chart makes at the load event).
TIMING_SCRIPT = """
window.__spiBench = {};
(function () {
  var T = window.__spiBench;
  function visible(sel) {
    var el = document.querySelector(sel);
    if (!el) return false;
    var r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  }
  function check() {
    if (!T.chart && visible('svg.sparkline, svg.gov-map, .chart-twin > svg, .js-plotly-plot .main-svg')) {
      requestAnimationFrame(function () { T.chart = T.chart || performance.now(); });
    }
    if (!T.react && document.querySelector('#react-entry-point .page')) {
      requestAnimationFrame(function () { T.react = T.react || performance.now(); });
    }
    if (!T.plotly && visible('#react-entry-point .js-plotly-plot .main-svg')) {   /* hover, legend: plotly.js */
      requestAnimationFrame(function () { T.plotly = T.plotly || performance.now(); });
    }
    if (!T.hover && visible('.chart-tip')) {   /* the server-drawn chart's tooltip (assets/chart_hover.js) */
      requestAnimationFrame(function () { T.hover = T.hover || performance.now(); });
    }
  }
  new MutationObserver(check).observe(document, {subtree: true, childList: true, attributes: true});
})();
"""


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    if not values:
        return float("nan")
    k = (len(values) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn as `spi serve` runs it, on a free port, for one database (or, with `app`, the
    peer app in bench/, with the same gunicorn settings)."""

    def __init__(self, db: Path | None, workers: int = 2, app: str | None = None):
        from spi.serve import gunicorn_args
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ, DASH_DEBUG="false", **({"SPI_DB": str(db)} if db else {}))
        args = gunicorn_args("127.0.0.1", self.port, workers)
        if app:   # the same settings, without our warm-up hooks; the last argument names the app
            at = args.index("--config")
            args = [*args[:at], *args[at + 2:-1], app]
        self.log = tempfile.NamedTemporaryFile(prefix="bench_dashboard_", suffix=".log", delete=False)
        self.proc = subprocess.Popen([sys.executable, "-m", "gunicorn", *args], cwd=PROJECT, env=env,
                                     stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 180
        while time.time() < deadline:
            try:
                if self.get("/healthz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"server did not start; see {self.log.name}")

    def get(self, path: str, headers: dict | None = None) -> tuple[int, bytes]:
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        c.request("GET", path, headers=headers or {})
        r = c.getresponse()
        body = r.read()
        c.close()
        return r.status, body

    def workers(self) -> list[int]:
        out = subprocess.run(["pgrep", "-P", str(self.proc.pid)], capture_output=True, text=True).stdout
        return [int(x) for x in out.split()]

    def peak_memory_mb(self) -> list[float]:
        peaks = []
        for pid in self.workers():
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        peaks.append(int(line.split()[1]) / 1024)
            except OSError:
                pass
        return peaks

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()


# ---------------------------------------------------------------- browser timings

def _until(page, expression: str, failure: str) -> None:
    """Poll a JavaScript expression until it is true, at most 60 s. Through DevTools:
    wait_for_function evaluates a string, which the site's Content-Security-Policy forbids
    (the page's own timings are what is measured)."""
    deadline = time.time() + 60
    while not page.evaluate(f"() => Boolean({expression})"):
        if time.time() > deadline:
            raise TimeoutError(failure)
        time.sleep(0.02)


def first_chart(base: str, pages: dict[str, str], runs: int) -> dict[str, dict]:
    from playwright.sync_api import sync_playwright
    results = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        # one throw-away load per page, so the server's own first-hit costs are not counted
        for path in pages.values():
            ctx = browser.new_context()
            ctx.new_page().goto(base + path)
            ctx.close()
        for name, path in pages.items():
            charts, usable = [], []
            for _ in range(runs):
                ctx = browser.new_context(viewport={"width": 1366, "height": 900})
                ctx.add_init_script(TIMING_SCRIPT)
                page = ctx.new_page()
                page.goto(base + path)
                page.mouse.move(5, 5)   # a reader's first move, at the load event: Dash starts then
                _until(page, "window.__spiBench.chart && window.__spiBench.react", f"{name}: no chart within 60 s ({path})")
                # usable: React rendered and no Dash request still in flight
                page.wait_for_load_state("networkidle")
                t = page.evaluate("window.__spiBench")
                charts.append(t["chart"] / 1000)
                usable.append(t["react"] / 1000)
                ctx.close()
            results[name] = {"chart_median": statistics.median(charts), "chart_p90": pct(charts, 0.9),
                             "usable_median": statistics.median(usable), "usable_p90": pct(usable, 0.9)}
        browser.close()
    return results


LONG_TASKS = """
window.__spiLong = [];
new PerformanceObserver(function (list) {
  list.getEntries().forEach(function (e) { window.__spiLong.push([e.startTime, e.duration]); });
}).observe({type: "longtask", buffered: true});
"""


MARK = """() => { const m = Array.from(document.querySelectorAll('.chart-twin-svg [data-tip], svg.sparkline [data-tip]'))
  .find(m => m.closest('svg').getBoundingClientRect().width > 0);
  if (!m) return null; const r = m.getBoundingClientRect();
  return [r.left + r.width / 2, r.top + Math.min(r.height / 2, 6), r.bottom + scrollY]; }"""


def first_move(base: str, pages: dict[str, str], runs: int, slowdown: int = 4) -> dict[str, dict]:
    """What a phone pays at the reader's first move, when Dash starts (Lighthouse never moves,
    so its scores leave this out): from the move to the page drawn by React, to the first chart
    the reader can hover (the server-drawn chart's tooltip shown: the move is made over one of
    its marks, on a page whose chart has any) and to plotly.js's interactive chart, and the
    blocking time after the move (each long task's time over 50 ms), with the CPU slowed
    `slowdown` times as in Lighthouse's mobile run, on a phone-sized screen, the scripts
    prefetched (the overview's marks: its cards' sparklines' dots). A mark below the fold: the screen is made taller (still 412 px wide) rather
    than scrolled, as a scroll would be the first move and start Dash."""
    from playwright.sync_api import sync_playwright
    results = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for name, path in pages.items():
            ready, blocking, interactive, hover = [], [], [], []
            for _ in range(runs):
                ctx = browser.new_context(viewport={"width": 412, "height": 823})
                ctx.add_init_script(TIMING_SCRIPT + LONG_TASKS)
                page = ctx.new_page()
                ctx.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": slowdown})
                page.goto(base + path)
                page.wait_for_load_state("networkidle")
                mark = page.evaluate(MARK)
                if mark and mark[2] > 823:
                    page.set_viewport_size({"width": 412, "height": int(mark[2]) + 40})
                    page.wait_for_timeout(200)
                    mark = page.evaluate(MARK)
                moved = page.evaluate("performance.now()")
                page.mouse.move(*(mark[:2] if mark else (5, 5)))
                if mark:
                    _until(page, "window.__spiBench.hover", f"{name}: no tooltip within 60 s of a move over a mark ({path})")
                _until(page, "window.__spiBench.react", f"{name}: not drawn by React within 60 s of a move ({path})")
                page.wait_for_load_state("networkidle")
                if page.evaluate("Boolean(document.querySelector('.chart-twin'))"):   # a page with a chart
                    _until(page, "window.__spiBench.plotly", f"{name}: no interactive chart within 60 s ({path})")
                drawn, plotly, tip, long_tasks = page.evaluate("[window.__spiBench.react, window.__spiBench.plotly, "
                                                               "window.__spiBench.hover, window.__spiLong]")
                ready.append((drawn - moved) / 1000)
                if plotly:
                    interactive.append((plotly - moved) / 1000)
                if tip:
                    hover.append((tip - moved) / 1000)
                blocking.append(sum(max(0.0, d - 50) for start, d in long_tasks if start >= moved) / 1000)
                ctx.close()
            results[name] = {"ready_median": statistics.median(ready), "ready_p90": pct(ready, 0.9),
                             "blocking_median": statistics.median(blocking),
                             "hover_median": statistics.median(hover) if hover else None,
                             "interactive_median": statistics.median(interactive) if interactive else None}
        browser.close()
    return results


def print_moves(moves: dict[str, dict], runs: int) -> None:
    """first_move's figures, a row a page."""
    print(f"{'page':<14}{'move to live median':>21}{'p90':>8}{'to hoverable chart':>20}{'to plotly chart':>17}"
          f"{'blocking after move':>21}   (s; CPU 4x slower, 412 px wide, scripts prefetched; {runs} loads; "
          "target: a chart to hover < 0.4 s; -: no chart mark to hover / no plotly chart)")
    for name, r in moves.items():
        tip, chart = ("-" if r[k] is None else f"{r[k]:.3f}" for k in ("hover_median", "interactive_median"))
        print(f"{name:<14}{r['ready_median']:>21.3f}{r['ready_p90']:>8.3f}{tip:>20}{chart:>17}"
              f"{r['blocking_median']:>21.3f}")


# ---------------------------------------------------------------- callbacks over HTTP

def explorer_output(dependencies: list[dict]) -> str:
    """The explorer update callback's output key, as /_dash-dependencies lists it."""
    return next(d["output"] for d in dependencies if "explorer-panel-chart.children" in d["output"])


def callback_body(output: str, query: dict, group: str, value: str) -> dict:
    """The request Dash's renderer sends when an explorer control is pressed (also used by
    tests/test_dashboard_units.py)."""
    trig = {"type": "explorer-opt", "group": group, "value": value}
    return {
        "output": output,
        "outputs": [{"id": part.split(".", 1)[0], "property": part.split(".", 1)[1]}
                    for part in output.strip(".").split("...")],
        "inputs": [[{"id": trig, "property": "n_clicks", "value": 1}],
                   {"id": "explorer-picked", "property": "data", "value": None}],   # no period chosen
        "changedPropIds": [json.dumps(trig, separators=(",", ":"), sort_keys=True) + ".n_clicks"],
        "state": [{"id": "explorer-state", "property": "data",
                   "value": {"query": query, "lang": query.get("lang", "ar"), "tab": "chart"}}],
    }


def callback_states(db: Path, limit: int) -> list[tuple[dict, str, str]]:
    """Realistic clicks: for each indicator, each view it offers, both bar modes, each language."""
    import duckdb
    con = duckdb.connect(str(db), read_only=True)
    inds = con.execute("SELECT indicator_id, breakdowns FROM indicators ORDER BY sort_order").fetchall()
    geos = dict(con.execute("SELECT indicator_id, MIN(geo_code) FROM observations GROUP BY 1").fetchall())
    periods = dict(con.execute("SELECT indicator_id, MAX(period) FROM observations GROUP BY 1").fetchall())
    con.close()
    states = []
    for lang in ("ar", "en"):
        for ind, breakdowns in inds:
            if ind not in geos:
                continue
            q = {"indicator": ind, "lang": lang, "geo": geos[ind]}
            states.append((q, "view", "time"))
            for dim in breakdowns or []:
                states.append((q, "view", f"breakdown:{dim}"))
                states.append(({**q, "view": "breakdown", "breakdown": dim}, "mode", "group"))
                states.append(({**q, "view": "breakdown", "breakdown": dim}, "mode", "share"))
            states.append((q, "to", periods[ind]))
    return states[:limit]


def callback_latency(server: Server, states) -> dict:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    conn.request("GET", "/explorer")
    conn.getresponse().read()
    conn.request("GET", "/_dash-dependencies")
    output = explorer_output(json.loads(conn.getresponse().read()))

    def post(body) -> float:
        data = json.dumps(body)
        t0 = time.perf_counter()
        conn.request("POST", "/_dash-update-component", body=data,
                     headers={"Content-Type": "application/json", "Accept-Encoding": "br"})
        r = conn.getresponse()
        r.read()
        dt = time.perf_counter() - t0
        if r.status != 200:
            raise RuntimeError(f"callback answered {r.status}")
        return dt * 1000

    cold = [post(callback_body(output, *s)) for s in states]
    warm = []
    for _ in range(2):  # both workers see each state at least once more
        warm += [post(callback_body(output, *s)) for s in states]
    conn.close()
    return {"n": len(states), "cold_p50": pct(cold, 0.5), "cold_p95": pct(cold, 0.95),
            "warm_p50": pct(warm[len(states):], 0.5), "warm_p95": pct(warm[len(states):], 0.95)}


# ---------------------------------------------------------------- throughput

def requests_per_second(server: Server, path: str = "/", seconds: float = 5.0, threads: int = 8) -> float:
    stop = time.time() + seconds
    counts = [0] * threads

    def worker(i):
        c = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        while time.time() < stop:
            c.request("GET", path, headers={"Accept-Encoding": "br"})
            r = c.getresponse()
            r.read()
            if r.status == 200:
                counts[i] += 1
        c.close()

    ts = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    t0 = time.time()
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return sum(counts) / (time.time() - t0)


# ---------------------------------------------------------------- Lighthouse

def lighthouse(url: str, mobile: bool = True) -> dict:
    """Lighthouse's scores for a page: mobile (its default: a mid-range phone, slow 4G, CPU
    slowed 4x) or desktop."""
    if not LIGHTHOUSE.exists():
        return {"error": "node_modules/.bin/lighthouse missing (run npm ci)"}
    out = Path(tempfile.mkdtemp(prefix="lh_")) / "report.json"
    env = dict(os.environ, CHROME_PATH=CHROMIUM)
    cmd = [str(LIGHTHOUSE), url, *([] if mobile else ["--preset=desktop"]), "--only-categories=performance,accessibility",
           "--output=json", f"--output-path={out}", "--quiet",
           "--chrome-flags=--headless --no-sandbox --disable-gpu --disable-dev-shm-usage"]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=240)
    if not out.exists():
        return {"error": (done.stderr or done.stdout)[-300:]}
    report = json.loads(out.read_text())
    shutil.rmtree(out.parent, ignore_errors=True)
    cats = report["categories"]
    audits = report["audits"]
    if cats["performance"]["score"] is None:   # a metric could not be measured in this run
        missing = [k for k, a in audits.items() if a.get("errorMessage") and a.get("scoreDisplayMode") == "error"]
        return {"error": f"no performance score ({report.get('runtimeError') or ', '.join(missing[:3])})"}
    return {"performance": round(cats["performance"]["score"] * 100), "accessibility":
            round(cats["accessibility"]["score"] * 100),
            "fcp_ms": round(audits["first-contentful-paint"]["numericValue"]),
            "lcp_ms": round(audits["largest-contentful-paint"]["numericValue"]),
            "tbt_ms": round(audits["total-blocking-time"]["numericValue"])}


# ---------------------------------------------------------------- main

def build_shipped(tmp: Path) -> Path:
    out = tmp / "shipped"
    subprocess.run([SPI, "build", "--out", str(out)], cwd=PROJECT, check=True, capture_output=True)
    return out / "indicators.duckdb"


def build_synthetic(tmp: Path, n: int) -> Path:
    from bench.synthetic import generate_source_set
    root = generate_source_set(tmp / "synthetic", n_observations=n)
    subprocess.run([SPI, "build", "--raw", str(root / "raw"), "--catalogue", str(root / "indicators.yaml"),
                    "--out", str(root / "out")], cwd=PROJECT, check=True, capture_output=True)
    return root / "out" / "indicators.duckdb"


def run(label: str, db: Path, runs: int, pages: dict[str, str], callbacks: int, do_lighthouse: bool) -> None:
    import duckdb
    con = duckdb.connect(str(db), read_only=True)
    n_obs = con.execute("SELECT COUNT(*) FROM observations").fetchone()[0]
    con.close()
    print(f"\n== {label}: {n_obs:,} observations ({db})", flush=True)
    server = Server(db)
    try:
        if pages:
            peer = Server(None, app="bench.peer_dash_app:server")
            try:
                timings = first_chart(server.base, pages, runs)
                timings["dash peer"] = first_chart(peer.base, {"dash peer": "/"}, runs)["dash peer"]
            finally:
                peer.stop()
            base = timings["dash peer"]["chart_median"]
            print(f"{'page':<14}{'first chart median':>20}{'p90':>8}{'usable median':>16}{'p90':>8}{'x peer':>8}"
                  f"   (s, {runs} cold loads; x peer: first chart / the one-chart Dash app's)")
            for name, r in timings.items():
                print(f"{name:<14}{r['chart_median']:>20.3f}{r['chart_p90']:>8.3f}{r['usable_median']:>16.3f}"
                      f"{r['usable_p90']:>8.3f}{r['chart_median'] / base:>8.2f}")
            print_moves(first_move(server.base, {k: v for k, v in pages.items() if k != "overview (en)"}, runs), runs)
        states = callback_states(db, callbacks)
        cb = callback_latency(server, states)
        print(f"explorer callback over HTTP ({cb['n']} distinct clicks): cold p50 {cb['cold_p50']:.1f} ms, "
              f"p95 {cb['cold_p95']:.1f} ms; warm (cached) p50 {cb['warm_p50']:.1f} ms, p95 {cb['warm_p95']:.1f} ms")
        rps = requests_per_second(server)
        print(f"overview HTML: {rps:.0f} requests/s (8 client threads, 2 workers)")
        mem = server.peak_memory_mb()
        print("peak memory per worker (VmHWM): " + ", ".join(f"{m:.0f} MB" for m in mem))
        if do_lighthouse:
            for name in ("overview", "explorer", "governorates", "embed"):
                lh = lighthouse(server.base + pages.get(name, "/"))
                if "error" in lh:   # Lighthouse sometimes loses its trace (NO_NAVSTART): once more
                    lh = lighthouse(server.base + pages.get(name, "/"))
                if "error" in lh:
                    print(f"lighthouse {name}: failed: {lh['error']}")
                else:
                    print(f"lighthouse mobile {name}: performance {lh['performance']}, accessibility "
                          f"{lh['accessibility']} (FCP {lh['fcp_ms']} ms, LCP {lh['lcp_ms']} ms, TBT {lh['tbt_ms']} ms)")
    finally:
        server.stop()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=10, help="cold page loads per page (default 10)")
    ap.add_argument("--callbacks", type=int, default=120, help="distinct explorer clicks to time")
    ap.add_argument("--skip-synthetic", action="store_true")
    ap.add_argument("--synthetic-db", type=Path, help="an already built synthetic database")
    ap.add_argument("-n", type=int, default=1_000_000, help="synthetic observations")
    ap.add_argument("--no-lighthouse", action="store_true")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench_dashboard_"))
    try:
        shipped = build_shipped(tmp)
        pages = {"overview": "/", "explorer": "/explorer?indicator=om_nursery_children",
                 "governorates": "/governorates?country=OM", "embed": "/embed/om_nursery_children",
                 "overview (en)": "/?lang=en"}
        run("shipped data", shipped, args.runs, pages, args.callbacks, not args.no_lighthouse)
        if not args.skip_synthetic:
            syn = args.synthetic_db or build_synthetic(tmp, args.n)
            import duckdb
            con = duckdb.connect(str(syn), read_only=True)
            first = con.execute("SELECT indicator_id FROM indicators WHERE len(breakdowns) > 0 "
                                "ORDER BY sort_order LIMIT 1").fetchone()[0]
            con.close()
            # the synthetic catalogue marks no headline indicators, so its overview has no chart
            syn_pages = {"explorer": f"/explorer?indicator={first}", "governorates": "/governorates?country=OM"}
            run("synthetic data", syn, max(3, args.runs // 2), syn_pages, args.callbacks, False)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
