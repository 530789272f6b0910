"""Which release a request reads: the live one, an earlier one (`as_of`), or, for a signed-in
reviewer, the newest even while it is embargoed.

The site serves a folder of releases (etl/release.py writes it: releases.json and one
database per release). A release is public from its `public_at` on, by the server's clock:
the public reads the newest public release, so an embargoed release goes live at its time
with no restart, and until then no public answer can read it. `as_of` (a day, YYYY-MM-DD, or a
release id) reads the release that was live then. A reviewer (the composition root, spi/app.py,
says who is signed in) reads the newest release, embargoed or not.

The choice is made once per request (choose) and kept in a context variable that the read
layer's db() consults, so every query of a request reads one release.
"""
from __future__ import annotations

import contextvars
import os
import threading
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from contract.manifest import ACCESS_OF, MANIFEST, ManifestError, read

from .errors import UntrustedHistory
from .formats import fmt_time
from .texts import t
from .view import ParamError


@dataclass(frozen=True)
class Release:
    release_id: str
    seq: int
    public_at: datetime        # aware, UTC (after any reschedule)
    timezone: str
    note: str                  # in English (the manifest's `note`)
    database: Path
    sha256: str = ""           # the hash of its manifest entry (contract/manifest.py)
    note_ar: str | None = None  # in Arabic (`note_ar`; None in an entry written before notes had both)

    def local_time(self) -> datetime:
        """When it goes (went) public, in the publisher's time zone."""
        return self.public_at.astimezone(ZoneInfo(self.timezone))


@dataclass(frozen=True)
class Choice:
    """The release a request reads, and why: `embargoed` when it is not public yet (a reviewer's
    view), `as_of` when an earlier release was asked for."""
    release: Release
    embargoed: bool = False
    reviewer: str | None = None
    as_of: str | None = None


def now() -> datetime:
    """The server's clock (UTC). SPI_NOW (ISO 8601) sets it, to rehearse a release day."""
    fixed = os.environ.get("SPI_NOW")
    if fixed:
        when = datetime.fromisoformat(fixed)
        return (when if when.tzinfo else when.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)
    return datetime.now(timezone.utc)


class Releases:
    """The releases of a served folder, re-read (and checked: contract/manifest.py) when its
    manifest changes. A manifest that does not check is refused (SchemaError: the site answers
    503) rather than served: its history was changed."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self._lock = threading.Lock()
        self._stamp: tuple | None = None
        self._all: tuple[Release, ...] = ()
        self._entries: tuple[dict, ...] = ()
        self._access: dict[str, str] = {}

    def all(self) -> tuple[Release, ...]:
        """Every release not cancelled, oldest first (embargoed ones too: callers filter by the clock)."""
        path = self.folder / MANIFEST
        try:
            st = os.stat(path)
        except FileNotFoundError:
            return ()
        stamp = (st.st_ino, st.st_mtime_ns, st.st_size)
        if stamp != self._stamp:
            with self._lock:
                try:
                    history = read(self.folder)
                except ManifestError as exc:
                    raise UntrustedHistory(f"{exc}: the site serves no release until it is restored "
                                           "(spi verify says what is wrong)") from None
                self._all = tuple(
                    Release(r.release_id, n, r.public_at, r.timezone, r.entry["note"],
                            self.folder / r.release_id / "indicators.duckdb", r.sha256, r.entry.get("note_ar"))
                    for n, r in enumerate(history.live, start=1))
                self._entries = history.entries
                self._access = {rid: e["pre_release_access_sha256"] for rid, e in history.access().items()}
                self._stamp = stamp
        return self._all

    def access_sha256(self, release_id: str) -> str | None:
        """The SHA-256 the history records for a release's list of pre-release access (the
        only list of it the site may publish), or None when it records none."""
        self.all()
        return self._access.get(release_id)

    def chain(self, reviewer: str | None = None) -> list[dict]:
        """The manifest's entries as a reader may see them: for the public, up to the latest
        release that is public (with whatever came before it: a cancelled release and its
        cancellation are on record once a later release is public); for a reviewer, all. Each
        entry exactly as written, so that anyone can check the chain (contract/manifest.py)."""
        known = self.all()
        entries = self._entries
        if reviewer:
            return list(entries)
        public = {r.release_id for r in known if r.public_at <= now()}
        last = max((n for n, e in enumerate(entries) if e.get("release_id") in public), default=-1)
        while last + 1 < len(entries) and entries[last + 1].get(ACCESS_OF) in public:
            last += 1   # the records of access that follow (of public releases: they tell of nothing embargoed)
        return list(entries[:last + 1])

    def files(self, release_id: str, reviewer: str | None = None) -> Path | None:
        """The folder of a release's own files (its figures and catalogue, as released) when
        the reader may see that release, else None."""
        visible = self.all() if reviewer else self.public()
        return self.folder / release_id if any(r.release_id == release_id for r in visible) else None

    def public(self, at: datetime | None = None) -> tuple[Release, ...]:
        """The releases public at `at` (default: now)."""
        at = at or now()
        return tuple(r for r in self.all() if r.public_at <= at)

    def choose(self, reviewer: str | None = None, as_of: str | None = None) -> Choice:
        """The release a request reads (ParamError for an as_of that names none it may see;
        LookupError when no release is public yet)."""
        visible = self.all() if reviewer else self.public()
        if not visible:
            raise LookupError("no release is public yet")
        if as_of is None:
            chosen = visible[-1]
        else:
            chosen = _as_of(visible, as_of)
        return Choice(chosen, embargoed=chosen.public_at > now(), reviewer=reviewer, as_of=as_of)


def _as_of(visible: tuple[Release, ...], as_of: str) -> Release:
    """The release named by id, or the one live at the end of a day (publisher's time)."""
    for release in visible:
        if release.release_id == as_of:
            return release
    try:
        day = date.fromisoformat(as_of)
    except ValueError:
        raise ParamError("as_of", f"{as_of[:40]!r} is neither a day (YYYY-MM-DD) nor a release id; releases: "
                                  f"{', '.join(r.release_id for r in visible)}", code="invalid_as_of") from None
    zone = ZoneInfo(visible[0].timezone)
    end = datetime.combine(day + timedelta(days=1), time(), zone).astimezone(timezone.utc)
    live = [r for r in visible if r.public_at < end]
    if not live:
        raise ParamError("as_of", f"no release was public on {day.isoformat()}; the first is "
                                  f"{visible[0].release_id}", code="before_first_release")
    return live[-1]


_current: contextvars.ContextVar[Choice | None] = contextvars.ContextVar("spi_release", default=None)


def reading(choice: Choice | None) -> contextvars.Token:
    """Read `choice` for the rest of this request (reset with the token at its end)."""
    return _current.set(choice)


def done(token: contextvars.Token) -> None:
    _current.reset(token)


def current() -> Choice | None:
    """The release this request reads (None: not serving releases, or outside a request)."""
    return _current.get()


def read_as_of(releases: Releases, as_of: str | None) -> None:
    """Within a request, read the release live at `as_of` instead (a Dash callback learns the
    as_of of its page from the page's stored view, after the request began)."""
    choice = current()
    if choice is not None and as_of != choice.as_of:
        _current.set(releases.choose(choice.reviewer, as_of))


def embargo_notice(lang: str) -> str | None:
    """"EMBARGOED until 2030-01-01 09:00 (Oman Time) — not for publication" when this request
    reads a release that is not public yet (every page, file and chart of it carries the
    notice), else None. The time in the publisher's zone, named in the page's language, and
    kept left to right inside Arabic (store/formats.py fmt_time)."""
    choice = current()
    if choice is None or not choice.embargoed:
        return None
    return t("embargoed_until", lang, when=fmt_time(choice.release.public_at, choice.release.timezone, lang))


def embargo_header() -> str | None:
    """The embargo notice as an HTTP header can carry it (ASCII words: a header value is
    bytes, and gunicorn refuses one that is not Latin-1), else None: "EMBARGOED until
    2030-01-01T09:00+04:00 (Asia/Muscat); not for publication"."""
    choice = current()
    if choice is None or not choice.embargoed:
        return None
    when = choice.release.local_time().isoformat(timespec="minutes")
    return f"EMBARGOED until {when} ({choice.release.timezone}); not for publication"


def cache_key(version: str) -> str:
    """A cache key of this request's build that also tells an embargoed reading apart: what is
    drawn for a reviewer before the release time carries the embargo notice."""
    choice = current()
    return f"{version}-embargoed" if choice is not None and choice.embargoed else version


def today(zone: str) -> date:
    """The publisher's day now (the calendar's days are the publisher's)."""
    return now().astimezone(ZoneInfo(zone)).date()


def edition(lang: str, build_id: str) -> str:
    """What a citation names: the release read ("release 2025-03-01"), or the build served."""
    choice = current()
    if choice is not None:
        return t("cite_release", lang, id=choice.release.release_id)
    return t("cite_build", lang, id=build_id)
