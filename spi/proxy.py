"""The site behind nginx, a caching reverse proxy people already run (Debian's package).

spi/nginx/site.conf (deploy/nginx/ in the repository links to it) is the one configuration,
with a few {{placeholders}}:
- `spi nginx-config` fills them for a deployment (site_config) and prints the file for
  /etc/nginx/conf.d/, in front of one or several app machines;
- `spi serve --proxy` (run) starts gunicorn on a free loopback port and nginx in the
  foreground on the public address, with that file and spi/nginx/standalone.conf in a
  temporary folder (pid, temporary files, cache and nothing else: no root needed), and
  stops both on SIGINT or SIGTERM, or when either stops.
"""
from __future__ import annotations

import ctypes
import grp
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from .policy import own_headers
from .reviewers import SESSION_COOKIE
from .serve import REFUSALS, environment, gunicorn_command

TEMPLATES = Path(__file__).resolve().parent / "nginx"   # installed with the software; deploy/nginx/ links to it
NGINX_MISSING = ("nginx is not installed: install Debian's package (`sudo apt-get install nginx`, as "
                 "scripts/setup does), or run `spi serve` without --proxy")
READY_SECONDS = 180   # gunicorn imports the app once (--preload), then each worker warms its pages
STOP_SECONDS = 15


def _render(template: str, **values: str) -> str:
    text = (TEMPLATES / template).read_text(encoding="utf-8")
    for name, value in values.items():
        text = text.replace("{{" + name + "}}", value)
    left = re.findall(r"\{\{\w+\}\}", text)
    if left:
        raise ValueError(f"{template}: nothing fills {', '.join(left)}")
    return text


def site_config(listen: str, upstreams: list[str], cache_dir: str, access_log: str = "/var/log/nginx/spi.access.log",
                public_url: str | None = None) -> str:
    """deploy/nginx/site.conf for nginx listening on `listen` ([address:]port) in front of the
    app machines `upstreams` (host:port each), its cache in `cache_dir`; server_name is the
    host of the public address when there is one."""
    host = urlsplit(public_url).hostname if public_url else None
    maps, headers = _own_headers((public_url or "").startswith("https://"))
    return _render("site.conf", listen=listen, cache_dir=cache_dir, access_log=access_log,
                   upstreams="\n".join(f"    server {u};" for u in upstreams), server_name=host or "_",
                   session_cookie=SESSION_COOKIE, header_maps=maps, headers=headers)


def _own_headers(https: bool) -> tuple[str, str]:
    """The headers of nginx's own answers, from spi/policy.py own_headers (the app's and
    gunicorn's too): a map for each (its value when the answer is nginx's own, else nothing:
    add_header leaves out an empty value) and the add_header lines for the server."""
    maps, lines = [], []
    for name, value in own_headers(https):
        if re.search(r'["$\\]', value) or not re.fullmatch(r"[A-Za-z-]+", name):
            raise ValueError(f"{name}: {value!r} cannot be written into nginx's configuration")
        variable = "$spi_header_" + name.lower().replace("-", "_")
        maps.append(f'map $spi_own_answer {variable} {{\n    1       "{value}";\n    default "";\n}}')
        lines.append(f"    add_header {name} {variable} always;")
    return "\n".join(maps), "\n".join(lines)


def nginx_binary() -> str | None:
    """Debian puts nginx in /usr/sbin, which a user's PATH may leave out."""
    return shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")


def _address(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _reachable(host: str) -> str:
    """Where this machine reaches a server listening on `host` (any address: the loopback)."""
    return {"": "127.0.0.1", "0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)


def _worker_user() -> str:
    """nginx started by root drops its workers to an unprivileged user (Debian's www-data);
    started by anyone else, its workers stay that user and the directive is left out."""
    if os.geteuid() != 0:
        return ""
    for name in ("www-data", "nobody"):
        try:
            user = pwd.getpwnam(name)
        except KeyError:
            continue
        return f"user {name} {grp.getgrgid(user.pw_gid).gr_name};"
    return ""


def free_port() -> int:
    """A loopback port free now (gunicorn's, behind nginx)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _with_parent() -> None:
    """In a child before it runs: SIGTERM it when `spi serve --proxy` ends, even killed outright
    (Linux's PR_SET_PDEATHSIG), so that no server is left running without its partner."""
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)   # 1: PR_SET_PDEATHSIG


class _Stop(Exception):
    """SIGINT or SIGTERM arrived."""


def _stop(signum, frame):
    raise _Stop


def run(host: str, port: int, workers: int, db: Path | None, public_url: str | None = None) -> int:
    """`spi serve --proxy`: 0 when stopped by a signal; 1 with a sentence when nginx is missing,
    the site would not start (serve.environment), or either server stopped by itself."""
    nginx = nginx_binary()
    if nginx is None:
        print(NGINX_MISSING, file=sys.stderr)
        return 1
    try:
        db, env = environment(db, public_url, behind_proxy=True, host=host)
    except REFUSALS as exc:
        print(exc, file=sys.stderr)
        return 1
    app_port = free_port()
    folder = Path(tempfile.mkdtemp(prefix="spi-nginx-"))
    folder.chmod(0o755)   # nginx's workers (www-data when started by root) write the cache in it
    (folder / "temp").mkdir()
    (folder / "site.conf").write_text(site_config(_address(host, port), [f"127.0.0.1:{app_port}"], str(folder / "cache"),
                                                  "/dev/stdout", env.get("SPI_PUBLIC_URL")), encoding="utf-8")
    (folder / "nginx.conf").write_text(_render("standalone.conf", user=_worker_user()), encoding="utf-8")
    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    running: list[tuple[str, subprocess.Popen, int]] = []
    try:
        app = _start(running, "gunicorn", gunicorn_command("127.0.0.1", app_port, workers, access_log=False),
                     signal.SIGTERM, env=env)
        if not _ready(f"http://127.0.0.1:{app_port}/healthz", app):
            return _stopped(running)
        front = _start(running, "nginx", [nginx, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-e", "stderr",
                                          "-g", "daemon off;"],
                       signal.SIGQUIT)   # SIGQUIT: nginx finishes the requests it has begun
        if not _ready(f"http://{_address(_reachable(host), port)}/healthz", front):
            return _stopped(running)
        print(f"serving {db} on http://{_address(host, port)}: nginx, caching in {folder / 'cache'}, in front of "
              f"gunicorn on 127.0.0.1:{app_port} ({workers} worker(s))", flush=True)
        while all(proc.poll() is None for _, proc, _ in running):
            time.sleep(0.2)
        return _stopped(running)
    except _Stop:
        return 0
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)   # a second Ctrl-C does not cut the clean-up short
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        for _, proc, how in reversed(running):
            if proc.poll() is None:
                proc.send_signal(how)
        for _, proc, _ in running:
            try:
                proc.wait(timeout=STOP_SECONDS)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        shutil.rmtree(folder, ignore_errors=True)


def _start(running: list, name: str, argv: list[str], stop_signal: int, **options) -> subprocess.Popen:
    """Start a server in a session of its own (a Ctrl-C reaches spi, which stops it in order),
    noted in `running` with the signal that stops it gracefully."""
    proc = subprocess.Popen(argv, start_new_session=True, preexec_fn=_with_parent, **options)
    running.append((name, proc, stop_signal))
    return proc


def _ready(url: str, proc: subprocess.Popen) -> bool:
    """Whether the server `proc` answers `url` before READY_SECONDS pass (False when it stops first)."""
    deadline = time.monotonic() + READY_SECONDS
    direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))   # whatever http_proxy says
    while proc.poll() is None and time.monotonic() < deadline:
        try:
            with direct.open(url, timeout=2):
                return True
        except urllib.error.HTTPError:
            return True   # it answers (a 503 says why, and the site says it too)
        except OSError:
            time.sleep(0.2)
    return False


def _stopped(running: list[tuple[str, subprocess.Popen, int]]) -> int:
    """1, with which server stopped (its own message is above) or did not start in time."""
    for name, proc, _ in running:
        code = proc.poll()
        if code is not None:
            print(f"{name} stopped (exit status {code}); its message is above; the other was stopped too",
                  file=sys.stderr)
            return 1
    print(f"{running[-1][0]} did not answer within {READY_SECONDS} s; stopped", file=sys.stderr)
    return 1
