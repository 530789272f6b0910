"""An approval started from the desk (etl/approval.py approve: the release written, then the
site's databases, then the audit log and the git commit), run in the background as a build is
(spi/desk/jobs.py): a slow disk or a long history never keeps the approver's browser waiting,
and no worker's timeout can kill it half-way. One at a time on the machine, across the desk's
workers: a second approval while one runs is refused, so a prepared release is never released
twice.

An approval whose process died is "stopped", and its page says where the history stands, read
from the files: the release engine is atomic (etl/transaction.py), so the release is in the
manifest or not at all, and the record of the prepared release says so (etl/approval.py reads
it as approved from the manifest) — or, killed in the instant between the release being
decided and its files being put in place, the releases folder holds the journal that the next
approval carries out first."""
from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from contract.manifest import MANIFEST
from contract.project import Project
from etl.approval import APPROVED, WAITING, ApprovalError, approve, find
from etl.transaction import JOURNAL
from spi.reviewers import Reviewer, audit

from . import git
from .jobs import Job, add_line

STEPS = ("check", "release", "serve", "record")


def _failed(state: dict, exc: Exception) -> None:
    state.update(ok=False, fault=f"{type(exc).__name__}: {exc}")


JOB = Job("desk-approval", _failed)


def status(project: Project) -> dict | None:
    """The last approval's status: state (running, done, stopped), the prepared release (pid)
    and who approves it, the step it is at (an index of STEPS), its progress lines; when done,
    its release id, or why it was refused (refused: en, ar), or the fault that ended it."""
    return JOB.status(project)


def start(project: Project, pid: str, person: Reviewer, addr: str, now: datetime, sign_key: Path | None) -> bool:
    """Start approving `pid` as `person` at `now`; False when an approval is running already."""
    state = {"pid": pid, "by": person.username, "step": 0, "lines": []}
    return JOB.start(project, state, lambda state, save: _approve(project, person, addr, now, sign_key, state, save))


def _approve(project: Project, person: Reviewer, addr: str, now: datetime, sign_key: Path | None,
             state: dict, save) -> None:
    def step(name: str) -> None:
        state["step"] = STEPS.index(name)
        save()

    def progress(line: str) -> None:
        add_line(state, line)
        save()

    try:
        record = approve(project, state["pid"], person.username, now, sign_key=sign_key, progress=progress, step=step)
    except ApprovalError as exc:
        state.update(ok=False, refused={"en": str(exc), "ar": exc.ar})
        return
    step("record")
    failed = git.commit(project.root, ["data/releases", "data/desk"], _message(record), person)
    if failed:
        audit("desk_git_failed", username=person.username, prepared=record["id"], error=failed, addr=addr)
    audit("desk_approved", username=person.username, prepared=record["id"], release_id=record["release_id"],
          served_error=record["served_error"], addr=addr)
    state.update(ok=True, step=len(STEPS), release_id=record["release_id"], unserved=bool(record["served_error"]))


def _message(record: dict) -> str:
    return (f"Release {record['release_id']}: {record['note_en']}\n\n{record['note_ar']}\n\n"
            f"Prepared-by: {record['prepared_by']}\nApproved-by: {record['events'][-1]['by']}\n")


def where_it_stands(project: Project, pid: str) -> tuple[str, str | None]:
    """After an approval that stopped or failed, the history as its files say: ("decided", None)
    the release was decided, its files not all in place (an interrupted transaction's journal);
    ("served", id) the release is made and the site serves it; ("unserved", id) it is made but
    the site's databases were not written again; ("waiting", None) no release was written and
    the prepared one still waits; ("unmade", None) no release was written."""
    if (project.releases / JOURNAL).exists():
        return "decided", None
    try:
        record = find(project, pid)
    except ApprovalError:
        return "unmade", None
    if record["state"] == APPROVED:
        rid = record["release_id"]
        return ("served" if rid in _served_ids(project) else "unserved"), rid
    return ("waiting" if record["state"] == WAITING else "unmade"), None


def _served_ids(project: Project) -> set[str]:
    try:
        entries = json.loads((project.served / MANIFEST).read_text(encoding="utf-8"))["releases"]
        return {e.get("release_id") for e in entries if isinstance(e, dict)}
    except (OSError, ValueError, KeyError, TypeError):
        return set()
