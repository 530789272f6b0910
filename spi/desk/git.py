"""History in git where there is one: when the project folder is in a git repository, each
accepted upload and each release made in the desk is a commit of exactly the files it wrote,
authored by the person signed in, so that the desk and the repository never disagree.

A project outside git is left alone. A commit that fails (git missing, a hook refusing, a lock
held) never undoes what was written: the files are the record, and the failure is returned,
for the desk to say and the audit log to keep.
"""
from __future__ import annotations

import fcntl
import os
import subprocess
from contextlib import contextmanager
from pathlib import Path

from ..reviewers import Reviewer

TIMEOUT = 60


def _git(root: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, timeout=TIMEOUT,
                          env=env, check=False)


def in_repository(root: Path) -> bool:
    try:
        return _git(root, "rev-parse", "--is-inside-work-tree").stdout.strip() == "true"
    except (OSError, subprocess.SubprocessError):
        return False


def commit(root: Path, paths: list[str], message: str, person: Reviewer) -> str | None:
    """Commit `paths` (relative to the project) as `person`, with `message`; None when done or
    when there is no repository or nothing to commit, else what went wrong, in a sentence."""
    if not in_repository(root):
        return None
    present = [p for p in paths if (root / p).exists()]
    identity = {"GIT_AUTHOR_NAME": person.name, "GIT_AUTHOR_EMAIL": f"{person.username}@desk.invalid",
                "GIT_COMMITTER_NAME": person.name, "GIT_COMMITTER_EMAIL": f"{person.username}@desk.invalid"}
    env = {**os.environ, **identity}
    try:
        with _one_at_a_time(root):
            added = _git(root, "add", "--", *present, env=env)
            if added.returncode != 0:
                return f"git add failed: {added.stderr.strip()[:300]}"
            if _git(root, "diff", "--cached", "--quiet", "--", *present, env=env).returncode == 0:
                return None
            done = _git(root, "commit", "--quiet", "-m", message, "--", *present, env=env)
    except (OSError, subprocess.SubprocessError) as exc:
        return f"git could not be run: {exc}"
    return None if done.returncode == 0 else f"git commit failed: {(done.stderr or done.stdout).strip()[:300]}"


@contextmanager
def _one_at_a_time(root: Path):
    """The desk's commits one after another, whichever page makes them (an upload, a release,
    the calendar) and in whichever worker: git refuses a second `git add` while the first holds
    the index (index.lock), so two at once would fail one. The lock is a file in the
    repository's own folder (`git rev-parse --git-path`), shared by every project in it."""
    where = _git(root, "rev-parse", "--git-path", "spi-desk-commit.lock").stdout.strip()
    with open(Path(root) / where, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield
