"""Work the desk runs in the background (a build, an approval): the request that starts it
answers at once, and the work's progress is kept in a small status file its page reads (and
refreshes itself by, without a script).

Why a file and a lock: the desk may run several workers, and such work must be one at a time on
the machine (two builds would swap the candidate under each other; two approvals of one prepared
release would race to release it). The lock is taken with flock by the thread that works and
dropped when it ends, however it ends (a killed process drops it too), so a stale "running"
status is told apart from a live one by trying the lock: it is "stopped". The status is written
whole beside itself and swapped in, so a reader never sees half of it.
"""
from __future__ import annotations

import fcntl
import json
import os
import threading
import time
from pathlib import Path
from typing import Callable

from contract.project import Project
from etl.messages import LANGS, text

SHOWN_LINES = 40


CANDIDATE_LOCK = "desk-candidate"   # held by every job that reads or writes the candidate


class Job:
    """One kind of background work, one at a time per project: its status and lock are
    data/processed/<name>.json and <name>.lock (git-ignored, beside the candidate). `failed`
    fills the status of a run whose work raised, for its page to say. Every job also holds
    CANDIDATE_LOCK while it runs: a build and an approval never run together (a build could
    swap the candidate between the approval's check of it and its release)."""

    def __init__(self, name: str, failed: Callable[[dict, Exception], None]):
        self.name, self.failed = name, failed

    def _paths(self, project: Project) -> tuple[Path, Path]:
        project.processed.mkdir(parents=True, exist_ok=True)
        return project.processed / f"{self.name}.json", project.processed / f"{self.name}.lock"

    def status(self, project: Project) -> dict | None:
        """The last run's status: state (running, done, stopped: its process died mid-way), when
        it started, and what its work wrote. None before any."""
        path, lock = self._paths(project)
        try:
            found = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if found.get("state") == "running" and not _held(lock):
            found["state"] = "stopped"
        return found

    def start(self, project: Project, state: dict, work: Callable[[dict, Callable[[], None]], None]) -> bool:
        """Run `work(state, save)` in a thread, `state` being the status (save() writes it, for
        the page to show the progress); False, and nothing started, when a run of this job or
        of another (CANDIDATE_LOCK) holds the lock. The status says "running", then "done" once
        the work returns or raises."""
        path, lock = self._paths(project)
        handles = []
        for name in (lock, project.processed / f"{CANDIDATE_LOCK}.lock"):
            handles.append(open(name, "a"))
            try:
                fcntl.flock(handles[-1], fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                _close(handles)
                return False
        state.update(state="running", started=time.time())
        try:
            _write(path, state)
            threading.Thread(target=self._run, args=(path, handles, state, work), daemon=True).start()
        except BaseException:
            _close(handles)
            raise
        return True

    def _run(self, path: Path, handles: list, state: dict, work) -> None:
        try:
            work(state, lambda: _write(path, state))
        except Exception as exc:  # noqa: BLE001 - the page must say it, the thread must not die silent
            self.failed(state, exc)
        finally:
            state.update(state="done", seconds=round(time.time() - state["started"], 2))
            try:
                _write(path, state)
            finally:
                _close(handles)   # drops the locks


def _close(handles: list) -> None:
    for handle in reversed(handles):
        handle.close()


def add_line(state: dict, line: str) -> None:
    """A line of the work's progress, in each language (a Text of etl/messages.py says both;
    any other line is its own words), the last SHOWN_LINES kept."""
    said = {lang: text(line, lang).strip() for lang in LANGS}
    state["lines"] = [*state.get("lines", []), said][-SHOWN_LINES:]


def _write(path: Path, status: dict) -> None:
    aside = path.with_name(path.name + ".writing")
    aside.write_text(json.dumps(status, ensure_ascii=False), encoding="utf-8")
    os.replace(aside, path)


def _held(lock: Path) -> bool:
    with open(lock, "a") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(f, fcntl.LOCK_UN)
        return False
