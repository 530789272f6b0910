"""Run the site with gunicorn: `spi serve` calls serve(host, port, workers, db, public_url).

Production settings: debug off, `spi.app:server` (the dashboard and the open data), the
database path passed to every worker in SPI_DB (opened read-only; a rebuilt file is picked
up on the next request, see store/database.py), the public address in SPI_PUBLIC_URL when
given. Threads let one worker answer a page while another request runs.
"""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from store.address import checked
from store.database import Database, DatabaseMissing, SchemaError, served
from store.releases import Releases


def _readable(db: Path) -> None:
    """Open the database (of a releases folder: the newest release's) and check it against the
    contract; DatabaseMissing or SchemaError with what to do."""
    if db.is_dir():
        known = Releases(db).all()
        if not known:
            raise DatabaseMissing(f"{db} holds no release: run `spi build` (and `spi release`)")
        db = known[-1].database
    Database(db).build_id


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
        "--config", "python:spi.gunicorn_conf",
        "--preload",  # import once in the master (pandas+dash+plotly take seconds); the database opens per worker
        "--access-logfile", "-",
        "--access-logformat", '%(h)s "%(r)s" %(s)s %(b)s %(M)sms',
        "spi.app:server",
    ]


def serve(host: str, port: int, workers: int, db: Path | None, public_url: str | None = None) -> int:
    """Start gunicorn in the foreground (this process becomes it); 1 with a message when the
    database is missing or cannot be read, or the public address is not one. `db`: a releases
    folder or a database file (default: store.database.served(), the releases `spi build` wrote)."""
    db = Path(db or served()).resolve()
    env = dict(os.environ, SPI_DB=str(db), DASH_DEBUG="false")
    if public_url is not None:
        env["SPI_PUBLIC_URL"] = public_url
    try:
        _readable(db)
        checked(env.get("SPI_PUBLIC_URL"))
    except (DatabaseMissing, SchemaError, ValueError) as exc:
        print(exc, file=sys.stderr)
        return 1
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or shutil.which("gunicorn")
    argv = [gunicorn, *gunicorn_args(host, port, workers)] if gunicorn else \
        [sys.executable, "-m", "gunicorn", *gunicorn_args(host, port, workers)]
    print(f"serving {db} on http://{host}:{port} ({workers} worker(s))", flush=True)
    os.chdir(Path(__file__).resolve().parent.parent)
    os.execvpe(argv[0], argv, env)
    return 0  # not reached
