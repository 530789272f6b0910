"""Run the site with gunicorn: `spi serve` calls serve(host, port, workers, db, public_url);
`spi serve --proxy` runs the same gunicorn behind nginx (spi/proxy.py).

Production settings: debug off, `spi.app:server` (the dashboard and the open data), the
database path passed to every worker in SPI_DB (opened read-only; a rebuilt file is picked
up on the next request, see store/database.py), the public address in SPI_PUBLIC_URL when
given, SPI_BEHIND_PROXY=1 when a proxy stands in front (spi/app.py). Threads let one worker
answer a page while another request runs. Everything the workers would refuse at start is
checked here first, so that a mistake is a sentence, not a worker's traceback.
"""
from __future__ import annotations

import os
import shutil
import site
import sys
from pathlib import Path

from contract.project import ENV as PROJECT_ENV
from contract.project import default as default_project
from etl.verify import served_problems
from store.database import Database, DatabaseMissing, SchemaError, UntrustedHistory, served
from store.releases import Releases

# The folder holding the software's packages: a checkout, or site-packages when installed. The
# project served is another thing (contract/project.py), given to the workers in SPI_PROJECT.
CODE = Path(__file__).resolve().parent.parent
REFUSALS = (DatabaseMissing, SchemaError, ValueError)   # what environment() raises, with what to do


def _readable(db: Path) -> None:
    """Open the database (of a releases folder: the newest release's) and check it against the
    contract, and a releases folder's history (etl/verify.py: its manifest and chain, each
    database written from its release, and no entry changed since the project's own history
    recorded it); DatabaseMissing or SchemaError with what to do."""
    if db.is_dir():
        known = Releases(db).all()
        if not known:
            raise DatabaseMissing(f"{db} holds no release: run `spi build` (and `spi release`)")
        project = default_project()
        wrong = served_problems(db, project.releases if db == project.served.resolve() else None)
        if wrong:
            raise UntrustedHistory(f"{db} cannot be served: " + "; ".join(wrong[:5]))
        db = known[-1].database
    Database(db).build_id


def environment(db: Path | None, public_url: str | None, behind_proxy: bool = False,
                host: str = "127.0.0.1", preview: bool = False) -> tuple[Path, dict[str, str]]:
    """What is served (`db`: a releases folder or a database file; default:
    store.database.served(), the releases `spi build` wrote, or with `preview` the candidate, behind
    the preview's wall: spi/preview.py) and the workers' environment; one of REFUSALS when the
    database is missing or cannot be read or its history does not check, or a setting is wrong
    (spi/config.py)."""
    from .config import check  # the app's modules: only once the cheap checks are done
    from .preview import ENV as PREVIEW_ENV
    db = Path(db or (default_project().candidate if preview else served())).resolve()
    env = dict(os.environ, SPI_DB=str(db), DASH_DEBUG="false")
    env.pop(PREVIEW_ENV, None)   # the public site is never a preview by a variable left in a shell
    env[PROJECT_ENV] = str(default_project().root)   # its map files, audit log and reviewers' state
    env.update(_importable(env))
    if public_url is not None:
        env["SPI_PUBLIC_URL"] = public_url
    if behind_proxy:
        env["SPI_BEHIND_PROXY"] = "1"
    if preview:
        env[PREVIEW_ENV] = "1"
        if not env.get("SPI_REVIEWERS_FILE", "").strip():
            raise ValueError("spi serve --preview: SPI_REVIEWERS_FILE is not set, so nobody could sign in to see "
                             "the preview (it shows nothing to anyone else)")
    check(env, host)
    _readable(db)
    return db, env


def _importable(env: dict[str, str]) -> dict[str, str]:
    """PYTHONPATH for gunicorn to import spi.app from wherever it runs: nothing when the
    software is installed (its site-packages is on the interpreter's path), else the folder of
    its packages (a checkout, run without installing it), first."""
    paths = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    installed = {Path(p).resolve() for p in [*site.getsitepackages(), site.getusersitepackages()]}
    if CODE in installed or str(CODE) in paths:
        return {}
    return {"PYTHONPATH": os.pathsep.join([str(CODE), *paths])}


def gunicorn_args(host: str, port: int, workers: int, threads: int = 4, access_log: bool = True,
                  app: str = "spi.app:server") -> list[str]:
    """gunicorn's options for `app` (the public site, or the desk: `spi desk`); without
    `access_log` when nginx in front logs every request. Only the public site is warmed up
    (spi/gunicorn_conf.py renders its pages)."""
    log = ["--access-logfile", "-", "--access-logformat", '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'] if access_log else []
    return [
        "--bind", f"{host}:{port}",
        "--workers", str(max(1, workers)),
        "--threads", str(max(1, threads)),
        "--worker-class", "spi.worker.Worker",   # gthread, with the site's headers on gunicorn's own answers
        "--timeout", "60",
        "--graceful-timeout", "10",
        "--keep-alive", "5",
        "--no-control-socket",
        *(["--config", "python:spi.gunicorn_conf"] if app == "spi.app:server" else []),
        "--preload",  # import once in the master (pandas+dash+plotly take seconds); the database opens per worker
        *log,
        app,
    ]


def gunicorn_command(host: str, port: int, workers: int, access_log: bool = True,
                     app: str = "spi.app:server") -> list[str]:
    """The command line that runs gunicorn of this environment."""
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or shutil.which("gunicorn")
    args = gunicorn_args(host, port, workers, access_log=access_log, app=app)
    return [gunicorn, *args] if gunicorn else [sys.executable, "-m", "gunicorn", *args]


def serve(host: str, port: int, workers: int, db: Path | None, public_url: str | None = None,
          behind_proxy: bool = False, preview: bool = False) -> int:
    """Start gunicorn in the foreground (this process becomes it); 1 with a message when
    environment() refuses."""
    try:
        db, env = environment(db, public_url, behind_proxy, host, preview)
    except REFUSALS as exc:
        print(exc, file=sys.stderr)
        return 1
    argv = gunicorn_command(host, port, workers)
    what = "a preview, for people who sign in, of " if preview else ""
    print(f"serving {what}{db} on http://{host}:{port} ({workers} worker(s))", flush=True)
    os.execvpe(argv[0], argv, env)
    return 0  # not reached


def desk(host: str, port: int, workers: int, desk_url: str | None = None) -> int:
    """`spi desk`: the statistics unit's desk (spi/desk/) under gunicorn, in the foreground, on
    its own address; 1 with a sentence when a setting is wrong. It needs SPI_SECRET_KEY (its
    sessions are signed with it) and the people of SPI_REVIEWERS_FILE with their roles."""
    from store.address import checked
    from .config import problems
    env = dict(os.environ)
    env[PROJECT_ENV] = str(default_project().root)
    env.update(_importable(env))
    if desk_url is not None:
        env["SPI_DESK_URL"] = desk_url
    wrong = problems(env, "0.0.0.0")   # its sessions are always signed with SPI_SECRET_KEY
    for name in ("SPI_DESK_URL", "SPI_PREVIEW_URL"):
        try:
            checked(env.get(name), name)
        except ValueError as exc:
            wrong.append(str(exc))
    if not env.get("SPI_REVIEWERS_FILE", "").strip():
        wrong.append("SPI_REVIEWERS_FILE is not set: the desk has nobody to sign in (give each person `roles`: "
                     "editor, approver, reviewer)")
    if wrong:
        print("spi desk: " + "; ".join(wrong), file=sys.stderr)
        return 1
    argv = gunicorn_command(host, port, workers, app="spi.desk.app:create()")
    print(f"the desk of {default_project().root} on http://{host}:{port} ({workers} worker(s))", flush=True)
    os.execvpe(argv[0], argv, env)
    return 0  # not reached
