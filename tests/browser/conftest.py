"""Browser tests: the real server (gunicorn, debug off) on a database built into a temp
dir, driven by Debian's headless Chromium through Python Playwright.

Screenshots go to tests/artifacts/ (ignored by git). Nothing here writes to data/.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SPI = REPO / ".venv" / "bin" / "spi"
ARTIFACTS = REPO / "tests" / "artifacts"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync", "--disable-dev-shm-usage"]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(url: str, timeout: float = 120) -> None:
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=3) as r:
                if r.status == 200:
                    return
        except Exception as exc:  # noqa: BLE001 - keep polling until the deadline
            last = exc
        time.sleep(0.3)
    raise RuntimeError(f"server did not answer {url} within {timeout}s: {last}")


@pytest.fixture(scope="session")
def db_dir(tmp_path_factory) -> Path:
    """`spi build --out TMP`: the shipped sources built into a temp folder."""
    out = tmp_path_factory.mktemp("dash_db")
    subprocess.run([str(SPI), "build", "--out", str(out)], check=True, cwd=REPO, capture_output=True)
    return out


@contextmanager
def serving(db: Path, log_name: str):
    """gunicorn serving spi.app:server on a free loopback port (2 workers, debug off) for `db`."""
    from spi.serve import gunicorn_args
    port = free_port()
    env = dict(os.environ, SPI_DB=str(db), DASH_DEBUG="false")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with open(ARTIFACTS / log_name, "wb") as fh:
        proc = subprocess.Popen([sys.executable, "-m", "gunicorn", *gunicorn_args("127.0.0.1", port, 2)],
                                cwd=REPO, env=env, stdout=fh, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_ready(base + "/healthz")
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


@contextmanager
def serving_build(raw: Path, catalogue: Path, out: Path, log_name: str):
    """`raw` built with `catalogue` into `out` (the build must succeed), then served as `serving` does."""
    from etl.build import build
    result = build(raw, catalogue, out)
    assert result.ok, "\n".join(map(str, result.issues))
    with serving(out / "indicators.duckdb", log_name) as base:
        yield base


@pytest.fixture(scope="session")
def server(db_dir):
    """The site on the shipped data."""
    with serving(db_dir / "indicators.duckdb", "server.log") as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Page:
    """A Playwright page that records console errors and uncaught exceptions."""

    def __init__(self, browser, base: str, width: int = 1280, height: int = 900):
        self.base = base
        self.context = browser.new_context(viewport={"width": width, "height": height}, accept_downloads=True)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("console", lambda m: self.errors.append(f"console.{m.type}: {m.text}")
                     if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))

    def open(self, path: str, chart: bool = False):
        self.response = self.page.goto(self.base + path)
        self.interact()
        # React has rendered the page (the server-rendered copy is then gone)
        self.page.wait_for_selector("#react-entry-point .page", timeout=30000)
        if chart:
            self.page.wait_for_selector("#react-entry-point .js-plotly-plot .main-svg", timeout=30000)
        return self.page

    def interact(self) -> None:
        """A reader's first move: Dash starts then, and plotly.js loads on a page with a chart,
        not before (assets/spi.js); until then the page is the server-rendered copy and a chart
        its server-drawn twin."""
        self.page.mouse.move(3, 3)
        self.page.mouse.move(6, 6)

    def until(self, expression: str, timeout: float = 30) -> None:
        """Wait until a JavaScript expression is true. (Not page.wait_for_function: it evaluates
        a string with `new Function`, which the site's Content-Security-Policy forbids, as it
        should; page.evaluate goes through DevTools.)"""
        deadline = time.time() + timeout
        while not self.page.evaluate(f"() => Boolean({expression})"):
            if time.time() > deadline:
                raise TimeoutError(f"still false after {timeout} s: {expression}")
            time.sleep(0.05)

    def axe(self) -> list[dict]:
        """axe-core's violations of any impact on the page as it is now. Evaluated through
        DevTools, not a <script> tag: the page's Content-Security-Policy allows no script but
        its own (and must keep doing so while axe runs)."""
        assert AXE.exists(), "node_modules/axe-core/axe.min.js is missing: run `npm ci` (scripts/setup does)"
        self.page.evaluate(AXE.read_text(encoding="utf-8"))
        result = self.page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        return [{"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
                for v in result["violations"]]

    def screenshot(self, name: str):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    def close(self):
        self.context.close()


def _pages(browser, base: str):
    """A maker of Pages on `base`, closing them all afterwards."""
    pages: list[Page] = []

    def make(width: int = 1280, height: int = 900) -> Page:
        p = Page(browser, base, width, height)
        pages.append(p)
        return p

    yield make
    for p in pages:
        p.close()


@pytest.fixture
def open_page(browser, server):
    yield from _pages(browser, server)


@pytest.fixture(scope="session")
def status_server(marked):
    """The site on the sources with statuses (tests/conftest.py `marked`)."""
    with serving(marked, "status_server.log") as base:
        yield base


@pytest.fixture
def open_status_page(browser, status_server):
    yield from _pages(browser, status_server)
