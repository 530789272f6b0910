"""The real servers the tests talk to over sockets: gunicorn as `spi serve` runs it, nginx in
front of it as `spi serve --proxy` runs it, and a small HTTP client with a cookie jar that signs
a reviewer in as a browser does (the form's token, the cookies the site sets).

Claims about what the public and reviewers receive are checked through these, not only through
Flask's test client: gunicorn refuses what the test client lets pass (a header that is not
Latin-1 becomes a 500), and nginx adds its own answers and its cache.

Every server is started in a session of its own and stopped by its process group, so that no
worker outlives the test that started it.
"""
from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parent.parent
SPI = REPO / ".venv" / "bin" / "spi"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


def request(port: int, path: str, method: str = "GET", headers: dict | None = None, body: bytes | None = None,
            source: str = "127.0.0.1", timeout: float = 60) -> Answer:
    """One request on a new connection to 127.0.0.1:port, from the loopback address `source`
    (the whole 127/8 is this machine: a second client with an address of its own)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout, source_address=(source, 0))
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return Answer(response.status, response.headers, response.read())
    finally:
        conn.close()


def raw(port: int, data: bytes, timeout: float = 10) -> bytes:
    """Bytes sent as they are (a malformed request line, a bad chunk size); what came back."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(data)
        chunks = []
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
        except (socket.timeout, ConnectionResetError):
            pass
    return b"".join(chunks)


def split_raw(answer: bytes) -> tuple[int, dict[str, list[str]], bytes]:
    """(status, headers by lower-case name, body) of one raw answer."""
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers: dict[str, list[str]] = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers.setdefault(name.strip().lower(), []).append(value.strip())
    return int(lines[0].split()[1]), headers, body


@dataclass
class Client:
    """A browser's worth of HTTP: a cookie jar kept across requests to one server."""
    port: int
    source: str = "127.0.0.1"
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, path: str, method: str = "GET", headers: dict | None = None, body: bytes | None = None) -> Answer:
        sent = dict(headers or {})
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        answer = request(self.port, path, method, sent, body, self.source)
        for line in answer.headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(line)
            for name, morsel in jar.items():
                if morsel.value == "" or morsel["max-age"] == "0" or "1970" in (morsel["expires"] or ""):
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return answer

    def get(self, path: str, **kw) -> Answer:
        return self.request(path, **kw)

    def form(self, path: str, fields: dict) -> Answer:
        return self.request(path, "POST", {"Content-Type": "application/x-www-form-urlencoded"},
                            urlencode(fields).encode())

    def token(self, path: str = "/signin") -> str:
        """The form token of a page's form (the sign-in or the sign-out form)."""
        found = re.search(r'name="csrf_token" value="([^"]+)"', self.get(path).text)
        assert found, f"no form token on {path}"
        return found.group(1)

    def sign_in(self, username: str, password: str) -> Answer:
        return self.form("/signin", {"csrf_token": self.token(), "username": username, "password": password})

    def sign_out(self) -> Answer:
        return self.form("/signout", {"csrf_token": self.token()})


def _wait(port: int, proc: subprocess.Popen, log: Path, timeout: float = 180, path: str = "/healthz") -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            if request(port, path, timeout=5).status in (200, 503):
                return
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"the server did not start (exit {proc.poll()}):\n{log.read_text()[-4000:]}")
        time.sleep(0.3)


def _stop(proc: subprocess.Popen, how: int = signal.SIGTERM) -> None:
    """Stop a server and everything it started (its process group)."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, how)
        except ProcessLookupError:
            pass
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    try:   # a worker that outlived its master
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


@dataclass
class Running:
    """A server started for a test: its port, its log and its process."""
    port: int
    log: Path
    process: subprocess.Popen

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def client(self, source: str = "127.0.0.1") -> Client:
        return Client(self.port, source)

    def get(self, path: str, **kw) -> Answer:
        return request(self.port, path, **kw)

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


@contextmanager
def gunicorn(served: Path, log: Path, env: dict | None = None, workers: int = 2):
    """gunicorn as `spi serve` runs it (its options, spi.app:server), on a free loopback port,
    serving `served` (a releases folder or a database file)."""
    from spi.serve import gunicorn_args
    port = free_port()
    full = dict(os.environ, SPI_DB=str(served), DASH_DEBUG="false", **(env or {}))
    with open(log, "ab") as fh:
        proc = subprocess.Popen([sys.executable, "-m", "gunicorn", *gunicorn_args("127.0.0.1", port, workers)],
                                cwd=REPO, env=full, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        _wait(port, proc, log)
        yield Running(port, log, proc)
    finally:
        _stop(proc)


@contextmanager
def spi_serve(args: list[str], log: Path, env: dict | None = None):
    """`spi serve ARGS` (with --proxy: nginx in front) on a free port; ARGS gives the rest, and
    what it serves is only what ARGS (or `env`) say: an SPI_DB another test left in this
    process's environment is not passed on."""
    port = free_port()
    full = dict({k: v for k, v in os.environ.items() if k != "SPI_DB"}, **(env or {}))
    with open(log, "ab") as fh:
        proc = subprocess.Popen([str(SPI), "serve", "--port", str(port), *args], cwd=REPO, env=full, stdout=fh,
                                stderr=subprocess.STDOUT, start_new_session=True)
    try:
        _wait(port, proc, log)
        yield Running(port, log, proc)
    finally:
        _stop(proc)


@contextmanager
def spi_desk(project: Path, log: Path, env: dict | None = None):
    """`spi desk --project PROJECT` (gunicorn, spi.desk.app:create()) on a free loopback port."""
    port = free_port()
    full = dict(os.environ, **(env or {}))
    with open(log, "ab") as fh:
        proc = subprocess.Popen([str(SPI), "desk", "--port", str(port), "--project", str(project)], cwd=REPO,
                                env=full, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        _wait(port, proc, log, path="/signin")
        yield Running(port, log, proc)
    finally:
        _stop(proc)
