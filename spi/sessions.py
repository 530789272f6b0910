"""Reviewers' sessions and the sign-in attempt counter: one small SQLite file per machine
(SPI_STATE; spi/reviewers.py says where it is by default).

Why a file, and why this one:
- Flask's cookie session is stateless: a cookie copied before sign-out would still open the
  embargo until it expired. The cookie now carries only a random session id; the row it names
  says whose session it is, with a fingerprint of the reviewer's password hash, when it was made,
  when it expires, and whether it was revoked. Sign-out revokes the row, so a replayed cookie is
  nobody.
- gunicorn's workers are separate processes: a counter kept in memory counts per worker (with 2
  workers, 8 of 14 attempts passed a limit of 5). SQLite is shared by every worker of the machine
  with no server to run: WAL (readers never wait for the writer) and a busy timeout (a writer
  waits its turn instead of failing); each check-and-count is one transaction, so two workers
  cannot both take the fifth attempt.
- One file per machine, never shared between machines (SQLite on a network file system is
  unsafe): a session lives on the machine that made it, and the nginx in front sends the
  requests that carry the session cookie to one machine.
- Only sign-in, sign-out and requests that bring a session cookie open the file. The public's
  requests never do: on release day they are the traffic, and they must not queue on a lock.
- Every SQLite error and OSError (a folder that cannot be written, a full disk, a file that is
  not a database) is raised as Unavailable naming the file: the caller refuses (a 503), never
  lets anyone in.
- Rows are pruned as the file is used: expired sessions when a session is made, attempts older
  than the window at each attempt, each minute's counts once that minute is reported.
"""
from __future__ import annotations

import os
import secrets
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

BUSY_SECONDS = 5   # how long a writer waits for another worker's transaction before giving up
MOST_REFUSED = 10  # the addresses a minute's summary names, most refused first

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY, reviewer TEXT NOT NULL, fingerprint TEXT NOT NULL,
    created REAL NOT NULL, expires REAL NOT NULL, revoked REAL);
CREATE INDEX IF NOT EXISTS sessions_expires ON sessions (expires);
-- the attempts that were let through, for the sliding window of the limit
CREATE TABLE IF NOT EXISTS attempts (id INTEGER PRIMARY KEY, addr TEXT NOT NULL, at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS attempts_addr ON attempts (addr, at);
CREATE INDEX IF NOT EXISTS attempts_at ON attempts (at);
-- per minute: attempts refused per address, and failed attempts itemised or not in the audit log
CREATE TABLE IF NOT EXISTS refused (minute INTEGER NOT NULL, addr TEXT NOT NULL, n INTEGER NOT NULL,
                                    PRIMARY KEY (minute, addr));
CREATE TABLE IF NOT EXISTS lines (minute INTEGER PRIMARY KEY, itemised INTEGER NOT NULL, untold INTEGER NOT NULL);
"""


class Unavailable(Exception):
    """A file the reviewers' sign-in needs cannot be used: `what` it is, its `path`, the `error`."""

    def __init__(self, what: str, path: Path, error: BaseException):
        super().__init__(what, path, error)
        self.what, self.path, self.error = what, path, error

    def __str__(self) -> str:
        return f"{self.what} {self.path} cannot be used ({self.error})"


@dataclass(frozen=True)
class Session:
    reviewer: str
    fingerprint: str


def clock() -> float:
    """The time, in seconds since the epoch (one place for the tests to move it)."""
    return time.time()


# --- the connection ---------------------------------------------------------------------------

_local = threading.local()   # one connection per thread of each worker process


def _connection(path: Path) -> sqlite3.Connection:
    """This thread's connection to `path`, made on first use. A connection inherited from the
    process that forked this one, or opened on another path, is not reused."""
    key = (os.getpid(), str(path))
    held = getattr(_local, "held", None)
    if held is not None and held[0] == key:
        return held[1]
    if held is not None and held[0][0] == key[0]:
        held[1].close()
    _local.held = None
    path.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))   # session ids: readable by this user only
    con = sqlite3.connect(path, timeout=BUSY_SECONDS, isolation_level=None)   # transactions are explicit
    try:
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA synchronous=NORMAL")   # with WAL: durable but for the last moments of a power cut
        con.executescript(_SCHEMA)
    except BaseException:
        con.close()
        raise
    _local.held = (key, con)
    return con


def _failed(path: Path, exc: BaseException) -> Unavailable:
    """The error to raise; this thread's connection is dropped, so that the next use opens the
    file afresh (it may have been fixed by then)."""
    held = getattr(_local, "held", None)
    _local.held = None
    if held is not None and held[0][0] == os.getpid():
        try:
            held[1].close()
        except sqlite3.Error:
            pass
    return Unavailable("the reviewers' state file (SPI_STATE)", path, exc)


@contextmanager
def _transaction(path: Path) -> Iterator[sqlite3.Connection]:
    """A write transaction, begun at once (BEGIN IMMEDIATE) so that a check and the count that
    follows it are one step for every worker; rolled back when anything inside fails."""
    try:
        con = _connection(path)
        con.execute("BEGIN IMMEDIATE")
    except (sqlite3.Error, OSError) as exc:
        raise _failed(path, exc) from exc
    try:
        yield con
        con.execute("COMMIT")
    except BaseException as exc:
        try:
            con.execute("ROLLBACK")
        except sqlite3.Error:
            pass
        if isinstance(exc, (sqlite3.Error, OSError)):
            raise _failed(path, exc) from exc
        raise


def _one(path: Path, sql: str, args: tuple) -> tuple | None:
    try:
        return _connection(path).execute(sql, args).fetchone()
    except (sqlite3.Error, OSError) as exc:
        raise _failed(path, exc) from exc


# --- sessions ---------------------------------------------------------------------------------

def open_session(path: Path, reviewer: str, fingerprint: str, seconds: float) -> str:
    """A new session for `reviewer` that ends in `seconds`: its random id, for the cookie."""
    sid = secrets.token_urlsafe(32)
    now = clock()
    with _transaction(path) as con:
        con.execute("DELETE FROM sessions WHERE expires <= ?", (now,))
        con.execute("INSERT INTO sessions (id, reviewer, fingerprint, created, expires) VALUES (?, ?, ?, ?, ?)",
                    (sid, reviewer, fingerprint, now, now + seconds))
    return sid


def find(path: Path, sid: str) -> Session | None:
    """The session `sid` names, if it is live: made here, not expired, not revoked."""
    row = _one(path, "SELECT reviewer, fingerprint FROM sessions WHERE id = ? AND revoked IS NULL AND expires > ?",
               (sid, clock()))
    return Session(*row) if row else None


def revoke(path: Path, sid: str) -> None:
    """End the session `sid` (sign-out): a cookie that names it is nobody from now on."""
    with _transaction(path) as con:
        con.execute("UPDATE sessions SET revoked = ? WHERE id = ? AND revoked IS NULL", (clock(), sid))


# --- sign-in attempts -------------------------------------------------------------------------

def take_attempt(path: Path, addr: str, limit: int, seconds: float,
                 report: Callable[[dict], None]) -> int | None:
    """Count a sign-in attempt from `addr`: its id when fewer than `limit` attempts from there
    were let through in the last `seconds` (a sliding window), else None (the attempt is refused,
    and counted for its minute's summary). First, each minute that has ended is handed to
    `report` (see `_summary`) and forgotten; if `report` raises, nothing is forgotten or counted."""
    now = clock()
    minute = int(now // 60)
    with _transaction(path) as con:
        for summary in _ended_minutes(con, minute):
            report(summary)
        con.execute("DELETE FROM refused WHERE minute < ?", (minute,))
        con.execute("DELETE FROM lines WHERE minute < ?", (minute,))
        con.execute("DELETE FROM attempts WHERE at <= ?", (now - seconds,))
        (taken,) = con.execute("SELECT count(*) FROM attempts WHERE addr = ?", (addr,)).fetchone()
        if taken < limit:
            return con.execute("INSERT INTO attempts (addr, at) VALUES (?, ?)", (addr, now)).lastrowid
        con.execute("INSERT INTO refused VALUES (?, ?, 1) ON CONFLICT (minute, addr) DO UPDATE SET n = n + 1",
                    (minute, addr))
        return None


def refund(path: Path, attempt: int) -> None:
    """Give back an attempt that signed a reviewer in: only failed attempts use up the limit."""
    with _transaction(path) as con:
        con.execute("DELETE FROM attempts WHERE id = ?", (attempt,))


def may_itemise(path: Path, per_minute: int) -> bool:
    """Whether a failed attempt may have an audit line of its own: True for the first
    `per_minute` of this minute on this machine; the rest are counted for the minute's summary."""
    minute = int(clock() // 60)
    with _transaction(path) as con:
        row = con.execute("SELECT itemised FROM lines WHERE minute = ?", (minute,)).fetchone()
        if row is None or row[0] < per_minute:
            con.execute("INSERT INTO lines VALUES (?, 1, 0) ON CONFLICT (minute) DO UPDATE SET itemised = itemised + 1",
                        (minute,))
            return True
        con.execute("UPDATE lines SET untold = untold + 1 WHERE minute = ?", (minute,))
        return False


def _ended_minutes(con: sqlite3.Connection, minute: int) -> list[dict]:
    """A summary of each minute before `minute` in which attempts were refused or failed
    attempts were not itemised: {"minute", "refused", "refused_addresses", "most_refused"
    (address: count, at most MOST_REFUSED of them), "failed_not_itemised"}."""
    found: dict[int, dict] = {}

    def of(m: int) -> dict:
        stamp = datetime.fromtimestamp(m * 60, timezone.utc).strftime("%Y-%m-%dT%H:%MZ")
        return found.setdefault(m, {"minute": stamp, "refused": 0, "refused_addresses": 0, "most_refused": {},
                                    "failed_not_itemised": 0})

    for m, addr, n in con.execute("SELECT minute, addr, n FROM refused WHERE minute < ? ORDER BY minute, n DESC, addr",
                                  (minute,)):
        s = of(m)
        s["refused"] += n
        s["refused_addresses"] += 1
        if len(s["most_refused"]) < MOST_REFUSED:
            s["most_refused"][addr] = n
    for m, untold in con.execute("SELECT minute, untold FROM lines WHERE minute < ? AND untold > 0", (minute,)):
        of(m)["failed_not_itemised"] = untold
    return [found[m] for m in sorted(found)]
