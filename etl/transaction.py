"""Outputs written aside, checked, then swapped in together: what readers see changes all at
once or not at all, whether a build fails on an error, a full disk, or `kill -9`.

    with Transaction(folder, "build") as tx:   # the folder's lock; what an earlier run left is dealt with
        part = tx.aside(folder / "indicators.duckdb")   # a temporary name beside it
        … write part …                          # an error here: every temporary file goes
        tx.commit()                             # the journal, then the renames

The commit writes a journal (the renames to make) beside the outputs and renames it into
place: from that instant the change is decided. Then it makes the renames and removes the
journal. A process killed before the journal is in place leaves only temporary files, which
the next run removes (nothing visible changed); one killed after it leaves the journal, whose
renames the next run completes (the change that was decided is carried out). Either way the
next run says what it found and did, and goes on.

Every temporary file or folder is named `.spi-part-…` so that an interrupted run's leftovers
are known for what they are. `checkpoint(name)` marks the steps where a test stops the process
(SPI_CRASH_AT=name kills it there with SIGKILL, as a power cut would).
"""
from __future__ import annotations

import errno
import fcntl
import json
import os
import secrets
import shutil
import signal
import time
from pathlib import Path

from .messages import Text

PART = ".spi-part-"
JOURNAL = ".spi-journal.json"


def lock_seconds() -> float:
    """How long a run waits for another holding its folder's lock: SPI_LOCK_SECONDS, else ten minutes."""
    try:
        return float(os.environ.get("SPI_LOCK_SECONDS", "600"))
    except ValueError:
        return 600.0


def checkpoint(name: str) -> None:
    """A named step of a build or a release: with SPI_CRASH_AT=name the process dies here, at once."""
    if os.environ.get("SPI_CRASH_AT") == name:
        os.kill(os.getpid(), signal.SIGKILL)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_json(path: Path, data) -> None:
    """A JSON file written beside its place, flushed to disk and renamed in (a reader never
    sees half of it; after a power cut it is the old file or the new one)."""
    part = path.with_name(f"{PART}{secrets.token_hex(4)}-{path.name}")
    try:
        with open(part, "w", encoding="utf-8") as f:
            json.dump(data, f, ensure_ascii=False, indent=2)
            f.write("\n")
            f.flush()
            os.fsync(f.fileno())
        os.chmod(part, 0o644)
        os.replace(part, path)
    finally:
        part.unlink(missing_ok=True)
    _fsync_dir(path.parent)


class Transaction:
    """A set of files (or folders) written aside in `root` and swapped in together."""

    def __init__(self, root: Path, what: str, progress=lambda _: None):
        self.root, self.what, self.progress = Path(root), what, progress
        self.renames: list[tuple[Path, Path]] = []
        self.found: list[str] = []       # what an interrupted earlier run left, and what was done with it
        self._lock = None
        self.committed = False

    def __enter__(self) -> "Transaction":
        self.root.mkdir(parents=True, exist_ok=True)
        path = self.root / f".{self.what}.lock"
        self._lock = open(path, "a+")   # "a+": opening it leaves the file (the holder's process id) as it is
        waited = 0.0
        while True:
            try:
                fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if waited == 0:
                    self.progress(Text("transaction.waiting", what=Text(f"transaction.{self.what}"), root=self.root))
                if waited >= lock_seconds():
                    self._lock.seek(0)
                    holder = self._lock.read().strip()[:20] or "unknown"
                    self._lock.close()
                    raise OSError(errno.EAGAIN, f"another {self.what} (process {holder}) has held this lock for "
                                  f"{waited:.0f} s; wait for it to finish, or stop it", str(path))
                time.sleep(0.2)
                waited += 0.2
        self._lock.truncate(0)
        self._lock.write(str(os.getpid()))
        self._lock.flush()
        self.found = recover(self.root)
        for line in self.found:
            self.progress(Text("progress.indented", line=line))
        return self

    def __exit__(self, kind, exc, tb) -> None:
        try:
            if not self.committed:
                self.abort()
        finally:
            fcntl.flock(self._lock, fcntl.LOCK_UN)
            self._lock.close()

    def aside(self, final: Path, folder: bool = False) -> Path:
        """A temporary name beside `final` (in its folder, which is made), to be renamed to it at
        the commit; a folder is made there when `folder`."""
        final = Path(final)
        final.parent.mkdir(parents=True, exist_ok=True)
        part = final.with_name(f"{PART}{secrets.token_hex(4)}-{final.name}")
        if folder:
            part.mkdir(mode=0o755)
        self.renames.append((part, final))
        return part

    def commit(self) -> None:
        """Decide the change (the journal), then make it (the renames)."""
        for part, _ in self.renames:
            if part.is_dir():
                os.chmod(part, 0o755)   # mkdtemp-like 0700 would hide it from the server's user
        write_json(self.root / JOURNAL, [[str(p.relative_to(self.root)), str(f.relative_to(self.root))]
                                         for p, f in self.renames])
        self.committed = True
        checkpoint(f"{self.what}:decided")
        _carry_out(self.root, self.renames)

    def abort(self) -> None:
        """Remove every temporary file, and what a writer kept beside one (DuckDB's .wal)."""
        for part, _ in self.renames:
            for path in part.parent.glob(f"{part.name}*"):
                _remove(path)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _carry_out(root: Path, renames: list[tuple[Path, Path]]) -> int:
    """The journal's renames (those whose temporary file is still there: a run that died half-way
    through them made the others), then the journal goes. Returns how many were made."""
    made = 0
    for n, (part, final) in enumerate(renames):
        if not part.exists():
            continue
        if part.is_dir() and final.is_dir():
            _remove(final)   # a folder is replaced whole (os.replace cannot replace a folder that has files)
        os.replace(part, final)
        made += 1
        checkpoint(f"rename:{n + 1}")
    _fsync_dir(root)
    (root / JOURNAL).unlink(missing_ok=True)
    return made


def recover(root: Path) -> list[str]:
    """Finish or undo what an interrupted run left in `root` (and the folders below it): the
    renames of a decided change are completed, temporary files removed. What was found and
    done, in sentences (none when the last run ended well)."""
    said = []
    journal = root / JOURNAL
    if journal.exists():
        try:
            renames = [(root / p, root / f) for p, f in json.loads(journal.read_text(encoding="utf-8"))]
        except (ValueError, TypeError):
            renames = None
        if renames is None:
            journal.unlink()
            said.append(Text("transaction.unreadable_journal", root=root))
        else:
            made = _carry_out(root, renames)
            said.append(Text("transaction.completed", root=root, made=made, n=len(renames)))
    left = [p for p in sorted(root.rglob(f"{PART}*"))     # (not what lies in a temporary folder: it goes with it)
            if not any(q.name.startswith(PART) for q in p.relative_to(root).parents)]
    for path in left:
        _remove(path)
    if left:
        said.append(Text("transaction.removed", n=len(left), root=root))
    return said
