"""Pre-release access: who saw a release before it was public, published with it at its time.

Official statistics publish, with each release, the list of people who had access to it
before publication. Here they are the reviewers who signed in and read it under embargo (each
such view is an `embargoed_view` line of the audit log, spi/embargo.py: the release's id, the
reviewer's username and, from then on, their name), and the people who saw its figures before
it was a release at all, as the candidate: in the desk's page of what it changes
(`desk_candidate_view`, spi/desk/releasing.py) or in the site's preview (`preview_view`,
spi/preview.py), each naming the build it showed; a release names the build it was made of,
whose figures are the release's (a build is named by its inputs: etl/build.py). The list of a release is read
from this machine's audit log by the server itself, so that it appears exactly at the
release's time (never before: `access` says nothing of a release whose time has not come)
and it names only views made before that time. Once the time has passed no line can be added
to it, so the list of a public release never changes.

The log only grows and may be large: it is read once, then only the bytes added since (a
file replaced or cut is read again from the start), under a lock, and what it says is kept
per release. A log that cannot be read makes the list unavailable, said as such, never an
empty list that may not be true; a log that does not exist yet is an empty list (nobody can
have read a release under embargo on this machine without a line written first: an audit
log that cannot be written refuses the view).

Once a release's time has passed, `spi pre-release-access` (spi/access.py) records its list
beside its files, and the site publishes that record from then on rather than the log (which
is one machine's, and may be lost with data/processed/), and only when its bytes are those the
history's record of it commits to (its SHA-256, in the served manifest): a list edited, put
there with no record, or gone while the history records one is said to be unavailable, never
published wrong (nor read from the log instead, which may say otherwise).

The audit log is this machine's (SPI_AUDIT_LOG): with several app machines, each knows only
the views it served (see README, "Pre-release access").
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import threading
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from contract.manifest import MANIFEST, PRE_RELEASE_ACCESS
from contract.project import default as default_project

from .database import releases as served_releases
from .formats import join_list
from .texts import is_ltr_run, ltr, t

VIEW = "embargoed_view"
CANDIDATE_VIEWS = ("desk_candidate_view", "preview_view")   # a build's figures seen before any release


def audit_log_path() -> Path:
    """The audit log of this machine: SPI_AUDIT_LOG, else the project's data/processed/audit.log."""
    return Path(os.environ.get("SPI_AUDIT_LOG", "").strip() or default_project().audit_log)


@dataclass(frozen=True)
class Access:
    """A release's pre-release access: `names` (display names, in the order of first view), or
    None when it cannot be said: the audit log could not be read, or (`unverified`) the
    release's recorded list is not the one the history's record of it commits to."""
    names: tuple[str, ...] | None
    unverified: bool = False   # unavailable because its record is not the one the history commits to

    @property
    def available(self) -> bool:
        return self.names is not None

    def words(self, lang: str) -> str:
        """The list in a sentence: the names, nobody, or that it cannot be read now."""
        if self.names is None:
            return t("pre_release_access_unverified" if self.unverified else "pre_release_access_unavailable", lang)
        if not self.names:
            return t("pre_release_access_none", lang)
        # each name a run of its own direction (a Latin name inside Arabic keeps its order)
        names = [ltr(n, lang) if lang == "ar" and is_ltr_run(n) else n for n in self.names]
        return t("pre_release_access", lang, names=join_list(names, lang))

    def document(self) -> dict:
        """As the API gives it: {"available": true, "names": [...]}, or available false, names null."""
        return {"available": self.available, "names": list(self.names) if self.available else None}


@dataclass
class _Read:
    """What the audit log has said so far: per release, per reviewer, the first view and the name."""
    stamp: tuple = ()
    offset: int = 0
    rest: bytes = b""
    views: dict[str, dict[str, tuple[datetime, str]]] = field(default_factory=dict)


_lock = threading.Lock()
_read = _Read()


def access(release_id: str, public_at: datetime, now: datetime, recorded: bool = True,
           build_id: str | None = None) -> Access | None:
    """Who read `release_id` under embargo, or its build (`build_id`) as the candidate, before
    `public_at` (aware, or naive UTC); None while `now` is before it (the release, and so its
    list, is not public yet). Its record (spi/access.py) where there is one among the releases
    served, unless `recorded` is False; else this machine's audit log."""
    public_at = _aware(public_at)
    if now < public_at:
        return None
    folder = served_releases() if recorded else None
    if folder is not None:
        path = folder.folder / release_id / PRE_RELEASE_ACCESS
        expected = folder.access_sha256(release_id)
        try:
            st = path.stat()
        except FileNotFoundError:
            if expected is not None:
                return Access(None, unverified=True)   # recorded, and gone: not the log's word instead
        except OSError:
            return Access(None)
        else:
            return _recorded(path, st.st_mtime_ns, st.st_size, expected)
    views = _views(release_id, *([_build_key(build_id)] if build_id else []))
    if views is None:
        return Access(None)
    seen = sorted((at, name) for at, name in views if at < public_at)
    return Access(tuple(name for _, name in seen))


@functools.lru_cache(maxsize=64)
def _recorded(path: Path, _mtime: int, _size: int, expected: str | None) -> Access:
    """A release's recorded list, if its bytes are those whose hash the history records
    (`expected`); read again when the file or the record changes."""
    try:
        data = path.read_bytes()
    except OSError:
        return Access(None)
    if expected is None or hashlib.sha256(data).hexdigest() != expected:
        return Access(None, unverified=True)
    try:
        names = json.loads(data.decode("utf-8"))["names"]
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise ValueError("names is not a list of names")
    except (ValueError, KeyError, TypeError):
        return Access(None)
    return Access(tuple(names))


def stamp() -> tuple:
    """The audit log's identity and size now, and the served manifest's, which holds the
    records of the lists (for caches of what is drawn from them)."""
    folder = served_releases()
    return (_stamp(audit_log_path()), _stamp(folder.folder / MANIFEST) if folder is not None else None)


def _stamp(path: Path) -> tuple:
    try:
        st = path.stat()
        return (st.st_ino, st.st_size, st.st_mtime_ns)
    except FileNotFoundError:
        return ("none",)
    except OSError:
        return ("unreadable",)


def _build_key(build_id: str) -> str:
    return f"build:{build_id}"   # never a release's id (a day)


def _views(*keys: str) -> list[tuple[datetime, str]] | None:
    """The views of a release and of its build (first view and name, a person each), after
    reading what the log gained since; None if it cannot be read."""
    global _read
    path = audit_log_path()
    with _lock:
        try:
            with open(path, "rb") as f:
                st = os.fstat(f.fileno())
                if (path, st.st_ino) != _read.stamp[:2] or st.st_size < _read.offset:
                    _read = _Read(stamp=(path, st.st_ino))   # another file, or one cut: from the start
                f.seek(_read.offset)
                added = f.read(st.st_size - _read.offset)
        except FileNotFoundError:
            _read = _Read()
            return []
        except OSError:
            return None
        _read.offset += len(added)
        lines = (_read.rest + added).split(b"\n")
        _read.rest = lines.pop()   # a line still being written ends with no newline yet
        for line in lines:
            _take(line)
        first: dict[str, tuple[datetime, str]] = {}   # a copy, read under the lock
        for key in keys:
            for username, (at, name) in _read.views.get(key, {}).items():
                first[username] = min(first.get(username, (at, name)), (at, name))
        return list(first.values())


def _take(line: bytes) -> None:
    try:
        record = json.loads(line)
        event = record.get("event")
        if event == VIEW:
            key, username = record.get("release"), record.get("reviewer")
        elif event in CANDIDATE_VIEWS:
            key = record.get("build") and _build_key(str(record["build"]))
            username = record.get("reviewer") or record.get("username")   # the site's word, the desk's
        else:
            return
        if not key or not username:
            return
        at = _aware(datetime.fromisoformat(record["at"]))
    except (ValueError, TypeError, KeyError, AttributeError):
        return   # not a line of this format (the log is written by spi/reviewers.audit only)
    seen = _read.views.setdefault(str(key), {})
    username = str(username)
    first_at, name = seen.get(username, (at, username))
    seen[username] = (min(at, first_at), str(record.get("name") or name))


def _aware(when: datetime) -> datetime:
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)
