"""The statistics unit's desk (`spi desk`): how long its pages take to paint, and a build of
the candidate with its diff from pressing the button.

    .venv/bin/python bench/bench_desk.py [--runs 7]

A copy of the shipped project (sources and releases, one figure revised so that there is a
change to show) in a temp dir, never data/; `spi desk` serves it under gunicorn as it runs in
production. Printed, median and worst of --runs, with the load average:

* first paint of each desk page (sign-in, home, changes, build) in headless Chromium
  (/usr/bin/chromium), signed in as an editor, each run a fresh browser context: the
  navigation's first-contentful-paint;
* upload to grid: a 10,000-cell workbook (bench/bench_upload.py's: 11 governorates x 900
  months) sent as a browser sends it (multipart, with the form's token), from the POST to the
  grid page answered (its recipe drafted, every cell placed and checked), through the server;
* build and diff: from the POST that starts the build to the page of changes answered, the
  build page polled every 100 ms as a browser would be refreshed by it.

Targets (issue 22): pages first paint < 1 s; upload to grid of a 10,000-cell table < 2 s; build
and diff of the shipped data < 3 s. Nothing is asserted; the figures are printed.
"""
from __future__ import annotations

import argparse
import html
import http.client
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))
SPI = str(PROJECT / ".venv" / "bin" / "spi")

from bench.bench_upload import INDICATOR as UPLOADED, RECIPE as VISITS_RECIPE, workbook  # noqa: E402
PASSWORD = "bench-editor-password"
PAGES = ("/signin", "/", "/changes", "/build")
BOUNDARY = "----spi-bench"
# the navigation's first-contentful-paint, once the browser has recorded it (it may follow `load`)
FCP = """new Promise(done => {
  new PerformanceObserver(list => {
    const paint = list.getEntriesByName('first-contentful-paint')[0];
    if (paint) done(paint.startTime);
  }).observe({type: 'paint', buffered: true});
  setTimeout(() => done(null), 5000);
})"""


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Session:
    """Requests to the desk with a cookie jar."""

    def __init__(self, port: int):
        self.port, self.cookies = port, {}

    def request(self, path: str, method: str = "GET", fields: dict | None = None,
                upload: tuple[str, bytes] | None = None) -> tuple[int, str, dict]:
        """A GET, or a POST of `fields` (with `upload`, a file's name and bytes: as multipart)."""
        con = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}
        body = None
        if upload is not None:
            body = b"".join(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
                            for k, v in (fields or {}).items())
            body += (f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="{upload[0]}"\r\n'
                     "Content-Type: application/octet-stream\r\n\r\n").encode() + upload[1] + f"\r\n--{BOUNDARY}--\r\n".encode()
            headers["Content-Type"] = f"multipart/form-data; boundary={BOUNDARY}"
        elif fields is not None:
            body, headers["Content-Type"] = urlencode(fields).encode(), "application/x-www-form-urlencoded"
        con.request(method, path, body=body, headers=headers)
        answer = con.getresponse()
        text = answer.read().decode("utf-8", "replace")
        for line in answer.headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(line)
            self.cookies.update({k: m.value for k, m in jar.items()})
        con.close()
        return answer.status, text, dict(answer.headers)

    def token(self, path: str) -> str:
        return re.search(r'name="csrf_token" value="([^"]+)"', self.request(path)[1]).group(1)

    def post(self, path: str, page: str, **fields) -> int:
        return self.request(path, "POST", {"csrf_token": self.token(page), **fields})[0]


def _project(root: Path) -> Path:
    """The shipped project, one figure revised, and the uploaded workbook's indicator with its first year."""
    for part in ("raw", "releases", "geo"):
        shutil.copytree(PROJECT / "data" / part, root / "data" / part)
    text = (PROJECT / "indicators.yaml").read_text(encoding="utf-8")
    (root / "indicators.yaml").write_text(text.replace("indicators:\n", "indicators:\n" + UPLOADED, 1), encoding="utf-8")
    (root / "data" / "raw" / "visits.xlsx").write_bytes(workbook(1))   # its first year: the upload is a new version
    (root / "data" / "raw" / "visits.layout.yaml").write_text(VISITS_RECIPE, encoding="utf-8")
    path = root / "data" / "raw" / "jo_social_protection_2024.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",موظف,44,", ",موظف,45,", 1), encoding="utf-8")
    subprocess.run([SPI, "build", "--project", str(root)], check=True, capture_output=True)
    return root


def _first_paints(port: int, cookie: str, runs: int) -> dict[str, list[float]]:
    from playwright.sync_api import sync_playwright
    found: dict[str, list[float]] = {p: [] for p in PAGES}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        for _ in range(runs):
            for path in PAGES:
                context = browser.new_context()
                if path != "/signin":
                    context.add_cookies([{"name": "spi_desk", "value": cookie, "url": f"http://127.0.0.1:{port}"}])
                page = context.new_page()
                page.goto(f"http://127.0.0.1:{port}{path}", wait_until="load")
                fcp = page.evaluate(FCP)
                found[path].append(fcp / 1000 if fcp is not None else float("nan"))
                context.close()
        browser.close()
    return found


def _upload_to_grid(session: Session, data: bytes) -> tuple[float, float]:
    """(upload to the grid of the recipe proposed, whose source the clerk must name; that recipe
    saved with its source to the grid of every figure read and checked), in seconds."""
    token = session.token("/load")
    start = time.perf_counter()
    status, _, headers = session.request("/load", "POST", {"csrf_token": token}, upload=("visits.xlsx", data))
    assert status == 303, status
    where = headers["Location"]
    status, text, _ = session.request(where)
    uploaded = time.perf_counter() - start
    assert status == 200 and 'id="s0-B4"' in text, text[:500]
    recipe = html.unescape(re.search(r'<textarea id="recipe"[^>]*>(.*?)</textarea>', text, re.S).group(1))
    fields = {"csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', text).group(1),
              "recipe": re.sub(r"^source: REPLACE_ME", "source: om_mosd_welfare_2021", recipe, count=1, flags=re.M)}
    start = time.perf_counter()
    assert session.request(where + "/recipe", "POST", fields)[0] == 303
    status, text, _ = session.request(where + "?lang=en")
    saved = time.perf_counter() - start
    assert status == 200 and "The validator found no problem" in text, text[-1500:]
    return uploaded, saved


def _build_and_diff(session: Session) -> float:
    start = time.perf_counter()
    assert session.post("/build", "/") == 303
    while "has ended" not in session.request("/build?lang=en")[1]:
        time.sleep(0.1)
    status, text, _ = session.request("/changes?lang=en")
    assert status == 200 and "1 revised" in text, text[:500]
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    from spi.reviewers import hash_password
    with tempfile.TemporaryDirectory() as tmp:
        root = _project(Path(tmp) / "project")
        people = Path(tmp) / "people.json"
        people.write_text(json.dumps({"editor": {"name": "Editor", "password_hash": hash_password(PASSWORD),
                                                 "roles": ["editor"]}}))
        port = _port()
        env = dict(os.environ, SPI_SECRET_KEY="b" * 40, SPI_REVIEWERS_FILE=str(people),
                   SPI_AUDIT_LOG=str(Path(tmp) / "audit.log"))
        desk = subprocess.Popen([SPI, "desk", "--port", str(port), "--project", str(root)], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if Session(port).request("/signin")[0] == 200:
                        break
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.2)
            session = Session(port)
            session.post("/signin", "/signin", username="editor", password=PASSWORD)
            print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} before")
            paints = _first_paints(port, session.cookies["spi_desk"], args.runs)
            for path, times in paints.items():
                print(f"first paint {path:10} median {statistics.median(times):.3f} s, worst {max(times):.3f} s "
                      f"(target < 1 s, {len(times)} runs)")
            data = workbook(75)
            uploads = [_upload_to_grid(session, data) for _ in range(args.runs)]
            for n, what in enumerate(("upload to grid (recipe proposed)", "recipe saved to grid (every figure checked)")):
                times = [u[n] for u in uploads]
                print(f"{what}, 10,000 cells, through the server: median {statistics.median(times):.2f} s, worst "
                      f"{max(times):.2f} s (target < 2 s, {len(times)} runs)")
            builds = [_build_and_diff(session) for _ in range(args.runs)]
            print(f"build and diff of the shipped data: median {statistics.median(builds):.2f} s, worst "
                  f"{max(builds):.2f} s (target < 3 s, {len(builds)} runs)")
            print(f"load average after: {os.getloadavg()[0]:.2f}")
        finally:
            os.killpg(desk.pid, signal.SIGTERM)
            desk.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
