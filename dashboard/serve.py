"""Run the dashboard with gunicorn: `spi serve` calls serve(host, port, workers, db).

Production settings: debug off, `dashboard.app:server`, the database path passed to every
worker in SPI_DB (opened read-only; a rebuilt file is picked up on the next request, see
dashboard/data.py). Threads let one worker answer a page while another request runs.
"""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path


def gunicorn_args(host: str, port: int, workers: int, threads: int = 4) -> list[str]:
    return [
        "--bind", f"{host}:{port}",
        "--workers", str(max(1, workers)),
        "--threads", str(max(1, threads)),
        "--worker-class", "gthread",
        "--timeout", "60",
        "--graceful-timeout", "10",
        "--keep-alive", "5",
        "--no-control-socket",
        "--config", "python:dashboard.gunicorn_conf",
        "--preload",  # import once in the master (pandas+dash+plotly take seconds); the database opens per worker
        "--access-logfile", "-",
        "--access-logformat", '%(h)s "%(r)s" %(s)s %(b)s %(M)sms',
        "dashboard.app:server",
    ]


def serve(host: str, port: int, workers: int, db: Path) -> int:
    """Start gunicorn in the foreground; returns its exit code (replaces this process)."""
    db = Path(db).resolve()
    if not db.is_file():
        print(f"{db} does not exist: run `spi build` first", file=sys.stderr)
        return 1
    env = dict(os.environ, SPI_DB=str(db), DASH_DEBUG="false")
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or shutil.which("gunicorn")
    argv = [gunicorn, *gunicorn_args(host, port, workers)] if gunicorn else \
        [sys.executable, "-m", "gunicorn", *gunicorn_args(host, port, workers)]
    print(f"serving {db} on http://{host}:{port} ({workers} worker(s))", flush=True)
    root = Path(__file__).resolve().parent.parent
    os.chdir(root)
    os.execvpe(argv[0], argv, env)
    return 0  # not reached
