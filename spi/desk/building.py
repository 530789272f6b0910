"""A build of the candidate started from the desk: `spi build` (etl/build.py build), run in
the background so that the page answers at once, with its progress kept in a small file the
build page reads (and refreshes itself by, without a script).

Why a file and a lock: the desk may run several workers, and a build must be one at a time on
the machine (two would swap the candidate under each other). The lock is taken with flock by
the thread that builds and dropped when it ends, however it ends (a killed process drops it
too), so a stale "running" status is told apart from a live one by trying the lock. The status
is written whole beside itself and swapped in, so a reader never sees half of it.
"""
from __future__ import annotations

import fcntl
import json
import os
import threading
import time
from pathlib import Path

from contract.project import Project
from etl.build import build
from etl.report import ERROR, INFO

STATUS, LOCK = "desk-build.json", "desk-build.lock"
SHOWN_LINES = 40


def _paths(project: Project) -> tuple[Path, Path]:
    project.processed.mkdir(parents=True, exist_ok=True)
    return project.processed / STATUS, project.processed / LOCK


def _write(path: Path, status: dict) -> None:
    aside = path.with_name(path.name + ".writing")
    aside.write_text(json.dumps(status, ensure_ascii=False), encoding="utf-8")
    os.replace(aside, path)


def status(project: Project) -> dict | None:
    """The last build's status: state (running, done, stopped), who started it, its progress
    lines and fraction; when done, whether it passed and its problems. None before any."""
    path, lock = _paths(project)
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if found.get("state") == "running" and not _held(lock):
        found["state"] = "stopped"   # the process that built died mid-way: the candidate is the one before
    return found


def _held(lock: Path) -> bool:
    with open(lock, "a") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(f, fcntl.LOCK_UN)
        return False


def start(project: Project, by: str) -> bool:
    """Start a build in the background; False when one is running already."""
    path, lock = _paths(project)
    handle = open(lock, "a")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        return False
    files = sum(1 for p in project.raw.rglob("*") if p.is_file() and p.suffix.lower() in (".csv", ".xlsx", ".xls"))
    state = {"state": "running", "by": by, "started": time.time(), "lines": [], "steps": files + 3, "done_steps": 0}
    _write(path, state)
    threading.Thread(target=_run, args=(project, path, handle, state), daemon=True).start()
    return True


def _run(project: Project, path: Path, handle, state: dict) -> None:
    def progress(line: str) -> None:
        state["lines"] = [*state["lines"], line.strip()][-SHOWN_LINES:]
        state["done_steps"] = min(state["steps"] - 1, state["done_steps"] + 1)
        _write(path, state)

    try:
        result = build(project.raw, project.catalogue, project.processed, progress=progress,
                       releases_dir=project.releases)
        problems = [i for i in result.issues if i.severity != INFO]
        state.update(state="done", ok=result.ok, seconds=round(time.time() - state["started"], 2),
                     errors=sum(i.severity == ERROR for i in problems), problems=[str(i) for i in problems[:50]],
                     observations=result.observations, done_steps=state["steps"])
    except Exception as exc:  # noqa: BLE001 - the page must say it, the thread must not die silent
        state.update(state="done", ok=False, problems=[f"the build failed: {type(exc).__name__}: {exc}"],
                     errors=1, done_steps=state["steps"])
    finally:
        try:
            _write(path, state)
        finally:
            handle.close()   # drops the lock
