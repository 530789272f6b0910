"""Releases: a checked build (the candidate) published on a date, append-only, and the
database the site serves for each release.

Official statistics promise that a published figure never changes silently. So `spi build`
only builds and checks a candidate (data/processed/indicators.duckdb); `spi release` copies
its figures and its catalogue into the project as a release, which is kept for good:

    data/releases/releases.json             the manifest (contract/manifest.py): a hash chain
    data/releases/<id>/observations.parquet the release's figures
    data/releases/<id>/indicators.yaml      the catalogue it was released with
    data/releases/<id>/reasons.json         why it changes published figures (etl/revisions.py; only
                                            when it gives reasons)
    data/releases/<id>/pre_release_access.json  who saw it before its time, once that has passed
                                            (spi/access.py; its hash in an entry of its own)

data/releases/ is committed with data/raw/, so the history survives deleting
data/processed/. From it `spi build` (build_served) writes the database of the site as of
each release, with every figure's earlier values (vintages), what each release changed and
the revision of each figure it serves, a copy of each release's files (which anyone can
download and check against the chain) and a copy of the manifest, which the server reads to
choose a release by its clock (an embargoed release stays out of public view until its time):

    data/processed/releases/releases.json
    data/processed/releases/<id>/indicators.duckdb, observations.parquet, indicators.yaml (reasons.json)

History only grows, forward: a release goes public no earlier than now (give or take
CLOCK_SKEW) nor than the latest release, and no further ahead than the catalogue's
site.max_embargo_days; a local time the publisher's zone skips or repeats is refused. A
release still under embargo can be cancelled or rescheduled, which is an entry of its own.

Every change is a transaction (etl/transaction.py): written aside, checked, swapped in; the
history is checked (manifest, chain, every file's hash) before anything is written.
"""
from __future__ import annotations

import base64
import getpass
import hashlib
import json
import re
import shutil
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable
from zoneinfo import ZoneInfo

import duckdb
import numpy as np
import pandas as pd

from contract.manifest import (ACCESS_OF, CATALOGUE, CLOCK_SKEW, FIGURES, MANIFEST, PRE_RELEASE_ACCESS, REASONS, History,
                               ManifestError, Release, describe, entry_sha256, read, signature_problems, signed_bytes,
                               written_in)
from contract.project import default as default_project
from contract.schema import DB_NAME, REVISION, REVISION_WHY, SCHEMA_VERSION

from . import revisions
from .catalogue import Catalogue, CatalogueError, load_catalogue
from .load import write_outputs
from .messages import Both, Text, isolate, said
from .transaction import Transaction, checkpoint, write_json

PROJECT = default_project()   # the library's default project (see etl/build.py); `spi` passes its own
DEFAULT_RELEASES = PROJECT.releases
CODE = Path(__file__).resolve().parent.parent   # the folder of the packages etl/ and contract/ (a checkout, or site-packages)
SERVED = "releases"          # the folder of served databases, in the build's output folder
SET_ASIDE = ".interrupted"   # where an interrupted release's folder is put, in the releases folder
RELEASE_ID = re.compile(r"^\d{4}-\d{2}-\d{2}(-\d+)?$")
# What a figure is (with its breakdowns after `period`), and what a release may change of it.
KEY_HEAD = ("indicator_id", "geo_code", "period")
PUBLISHED = ("value", "status", "source_id")


class ReleaseError(Exception):
    """A release cannot be made; the message says why and what to do: a Text of
    etl/messages.py, so that str(exc) is its English and the desk says it in Arabic."""


# How a refusal names what was given, on the command line (the desk names its own fields).
CLI_WORDS = {"at_option": Both(isolate("--at"), "--at"),
             "note_ar_option": Both(f"الملاحظة العربية ({isolate('--note-ar')})", "--note-ar"),
             "note_en_option": Both(f"الملاحظة الإنجليزية ({isolate('--note-en')})", "--note-en")}
ISO_EXAMPLE = "2026-12-15T09:00"


@dataclass
class Change:
    """What a release changed, counted, and the list of changed figures."""
    added: int
    revised: int
    amended: int
    withdrawn: int
    rows: pd.DataFrame
    # every figure of either release side by side (old_*/new_* columns, and the old side's
    # other columns as they were), and its kind of change ("" for none): None for a first release
    joined: pd.DataFrame | None = field(default=None, repr=False)
    kinds: np.ndarray | None = field(default=None, repr=False)
    # the build id of the candidate compared (`diff`): what a person shown this change has seen
    build_id: str | None = None

    @property
    def total(self) -> int:
        return self.added + self.revised + self.amended + self.withdrawn


# -- the history, checked ----------------------------------------------------------------------

def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def history(folder: Path) -> History:
    """A releases folder's manifest, checked (ReleaseError naming each problem)."""
    try:
        return read(folder)
    except ManifestError as exc:
        raise ReleaseError(Text("release.untrusted", path=exc.path, problems=_joined(exc.problems))) from None


def _joined(problems: list[str], shown: int = 10) -> str:
    """Problems one after the other (each a Text or the English of contract/manifest.py), the
    first `shown` of them and how many more."""
    first = problems[0]
    for problem in problems[1:shown]:
        first = Text("release.and", first=first, then=problem)
    return Text("release.and_more", first=first, n=len(problems) - shown) if len(problems) > shown else first


def release_files(entry: dict) -> list[tuple[str, str]]:
    """(file name, the entry's key of its hash) of each file of a release: its figures, its
    catalogue, and its reasons when it gives some."""
    return [(FIGURES, "figures_sha256"), (CATALOGUE, "catalogue_sha256"),
            *([(REASONS, "reasons_sha256")] if "reasons_sha256" in entry else [])]


def file_problems(folder: Path, hist: History) -> list[str]:
    """Every release's files against the hashes its entry records (cancelled ones too: they
    are on record). A reasons file beside a release that gave none was put there since: it
    would put words on the site that no entry commits to."""
    out = []
    for n, release in enumerate(hist.releases, start=1):
        if "reasons_sha256" not in release.entry and (Path(folder) / release.release_id / REASONS).exists():
            out.append(Text("release.stray_reasons", path=Path(folder) / release.release_id / REASONS,
                            release=release.release_id, manifest=MANIFEST))
        for name, key in release_files(release.entry):
            path = Path(folder) / release.release_id / name
            try:
                found = sha256_file(path)
            except FileNotFoundError:
                out.append(Text("release.file_missing", path=path, release=release.release_id, manifest=MANIFEST))
                continue
            if found != release.entry[key]:
                out.append(Text("release.file_changed", path=path, public_at=release.entry["public_at"],
                                found=found[:12], recorded=release.entry[key][:12]))
    return out + access_problems(folder, hist)


def access_problems(folder: Path, hist: History) -> list[str]:
    """Each release's list of pre-release access against the hash its record in the history
    commits to: edited or deleted since. Once the history holds one such record (`spi
    pre-release-access` seals every list it finds when it writes its first), a list beside a
    release with no record was put there since. A history with none (written before records
    were chained) is not wrong for its lists: `unsealed` names them."""
    out = []
    sealed = hist.access()
    for release in hist.releases:
        path = Path(folder) / release.release_id / PRE_RELEASE_ACCESS
        entry = sealed.get(release.release_id)
        if entry is None:
            if sealed and path.exists():
                out.append(Text("release.access_unrecorded", path=path, release=release.release_id, manifest=MANIFEST))
            continue
        try:
            found = sha256_file(path)
        except FileNotFoundError:
            out.append(Text("release.access_missing", path=path, release=release.release_id, manifest=MANIFEST))
            continue
        if found != entry["pre_release_access_sha256"]:
            out.append(Text("release.access_changed", path=path, release=release.release_id, found=found[:12],
                            recorded=entry["pre_release_access_sha256"][:12], manifest=MANIFEST))
    return out


def unsealed(folder: Path, hist: History) -> list[Path]:
    """The lists of pre-release access of a history written before they had records of their
    own (it holds none): true as far as anyone knows, but not tamper-evident until `spi
    pre-release-access` records them as they are."""
    if hist.access():
        return []
    return [p for r in hist.releases if (p := Path(folder) / r.release_id / PRE_RELEASE_ACCESS).exists()]


def access_entry(release_id: str, sha256: str, by: str, now: datetime, previous: str | None, key) -> dict:
    """The history's record of a release's list of pre-release access (its file's hash),
    committed to the entry before it and signed with `key` (None: unsigned)."""
    return _sealed({ACCESS_OF: release_id, "pre_release_access_sha256": sha256, "recorded_by": by,
                    "created_at": now.isoformat()}, previous, key)


def checked_history(folder: Path, cat: Catalogue | None) -> History:
    """The releases folder's history, checked whole: the manifest and its chain, every
    release's files, and the signatures (with the catalogue's site.signing_key)."""
    hist = history(folder)
    problems = file_problems(folder, hist)
    if cat is not None:
        problems += signature_problems(hist, cat.site.get("signing_key"))
    if problems:
        raise ReleaseError(Text("release.untrusted_history", path=Path(folder), problems=_joined(problems)))
    return hist


def unlisted(folder: Path, hist: History) -> list[Path]:
    """Release folders the manifest does not list: what a release interrupted between writing
    its files and recording them leaves (or a folder copied in by hand)."""
    listed = {r.release_id for r in hist.releases}
    return sorted(p for p in Path(folder).iterdir() if p.is_dir() and RELEASE_ID.match(p.name) and p.name not in listed) \
        if Path(folder).is_dir() else []


def _set_aside(folder: Path, hist: History, served: Path | None, now: datetime) -> list[str]:
    """Move unlisted release folders to .interrupted/ (with a sentence each), so that the next
    release can take the id. A folder the served copy of the manifest does list is no
    interrupted release: its entry was removed from the manifest, which is refused."""
    lines = []
    on_record = {e.get("release_id") for e in _served_entries(served)}
    for path in unlisted(folder, hist):
        if path.name in on_record:
            raise ReleaseError(Text("release.entry_removed", release=path.name, served=served / MANIFEST,
                                    manifest=Path(folder) / MANIFEST))
        target = Path(folder) / SET_ASIDE / f"{path.name}-{now:%Y%m%dT%H%M%SZ}"
        target.parent.mkdir(exist_ok=True)
        path.rename(target)
        lines.append(Text("release.set_aside", release=path.name, manifest=MANIFEST, target=target))
    return lines


def _served_entries(served: Path | None) -> list[dict]:
    try:
        return json.loads((served / MANIFEST).read_text(encoding="utf-8"))["releases"] if served else []
    except (OSError, ValueError, KeyError, TypeError):
        return []


def rewritten(hist: History, served: Path) -> list[str]:
    """Where the history differs from the copy the site served (its entries must be the
    history's, in order, the history possibly longer): an entry changed or removed since."""
    out = []
    kept = _served_entries(served)
    for n, entry in enumerate(kept, start=1):
        if n > len(hist.entries):
            out.append(Text("release.served_removed", entry=describe(n, entry), served=served / MANIFEST))
        elif hist.entries[n - 1] != entry:
            out.append(Text("release.served_changed", entry=describe(n, hist.entries[n - 1]), served=served / MANIFEST))
    return out


def check_served(hist: History, served: Path) -> None:
    """ReleaseError naming each entry the site served that the history has changed or removed since."""
    problems = rewritten(hist, served)
    if problems:
        raise ReleaseError(Text("release.rewritten", problems=_joined(problems, len(problems))))


# -- figures and their differences ---------------------------------------------------------

def figure_key(frame: pd.DataFrame) -> list[str]:
    """The columns that identify a figure: indicator, place, period and every breakdown."""
    dims = [c for c in frame.columns if c not in _NOT_BREAKDOWNS]
    return [*KEY_HEAD, *dims]


_NOT_BREAKDOWNS = {"indicator_id", "geo_code", "period", "period_start", "period_end", "value", "qualifier", "status",
                   "unit", "source_id", *REVISION, "value_as_written", "source_file", "source_sheet", "source_row",
                   "source_column"}


def _differs(a: pd.Series, b: pd.Series) -> np.ndarray:
    """Per row, whether two columns differ, a missing value equal only to a missing value."""
    a_missing, b_missing = a.isna().to_numpy(), b.isna().to_numpy()
    equal = (a.to_numpy(dtype=object) == b.to_numpy(dtype=object))
    return ~((a_missing & b_missing) | (~a_missing & ~b_missing & equal))


def compare(old: pd.DataFrame | None, new: pd.DataFrame) -> Change:
    """What `new` changes of `old` (two releases' figures): figures added, revised (another
    value), amended (the same value, another status or source) and withdrawn."""
    key = figure_key(new)
    new = new[[*key, *PUBLISHED]]
    if old is None or old.empty:
        rows = new.rename(columns={c: f"new_{c}" for c in PUBLISHED}).assign(change="added")
        return Change(len(new), 0, 0, 0, _changes_frame(rows, key))
    carried = [c for c in old.columns if c not in key and c not in PUBLISHED]   # the history's own columns
    both = old[[*key, *PUBLISHED, *carried]].merge(new, on=key, how="outer", suffixes=("_old", "_new"), indicator=True)
    both = both.rename(columns={f"{c}_old": f"old_{c}" for c in PUBLISHED} | {f"{c}_new": f"new_{c}" for c in PUBLISHED})
    revised = _differs(both["old_value"], both["new_value"])
    amended = ~revised & (_differs(both["old_status"], both["new_status"]) | _differs(both["old_source_id"], both["new_source_id"]))
    where = both.pop("_merge").astype(str).to_numpy()
    change = np.select([where == "right_only", where == "left_only", revised, amended],
                       ["added", "withdrawn", "revised", "amended"], default="")
    rows = both.assign(change=change)[change != ""]
    counts = pd.Series(change).value_counts()
    return Change(*(int(counts.get(c, 0)) for c in ("added", "revised", "amended", "withdrawn")), _changes_frame(rows, key),
                  joined=both, kinds=change)


def change_dimensions(change: Change) -> list[str]:
    """The breakdown columns of a change's rows (between the period and the values)."""
    columns = list(change.rows.columns)
    return columns[columns.index("period") + 1:columns.index("old_value")]


def _changes_frame(rows: pd.DataFrame, key: list[str]) -> pd.DataFrame:
    columns = ["change", *key, *(f"{p}_{c}" for c in PUBLISHED for p in ("old", "new"))]
    for column in columns:
        if column not in rows:
            rows[column] = None
    order = {"added": 0, "revised": 1, "amended": 2, "withdrawn": 3}
    rows = rows.assign(_order=rows["change"].map(order))
    return rows.sort_values(["_order", *KEY_HEAD], kind="stable")[columns].reset_index(drop=True)


def candidate_figures(out_dir: Path) -> tuple[pd.DataFrame, dict]:
    """The candidate's figures (every column of its observations table) and its build info."""
    path = Path(out_dir) / DB_NAME
    if not path.exists():
        raise ReleaseError(Text("release.no_candidate", path=path))
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        raise ReleaseError(Text("release.candidate_unreadable", path=path, error=type(exc).__name__)) from None
    try:
        try:
            version = con.execute("SELECT schema_version FROM build_info").fetchone()[0]
        except duckdb.Error:
            version = None
        if version != SCHEMA_VERSION:
            raise ReleaseError(Text("release.candidate_version", path=path))
        info = dict(zip(("build_id", "catalogue_sha256"),
                        con.execute("SELECT build_id, catalogue_sha256 FROM build_info").fetchone()))
        return con.execute("SELECT * FROM observations").df(), info
    finally:
        con.close()


def release_figures(folder: Path, release_id: str) -> pd.DataFrame:
    return pd.read_parquet(Path(folder) / release_id / FIGURES)


def diff(out_dir: Path, releases_dir: Path = DEFAULT_RELEASES) -> tuple[dict | None, Change]:
    """What releasing the candidate would change: (the latest release's entry or None, the change)."""
    figures, info = candidate_figures(out_dir)
    latest = history(releases_dir).latest()
    old = release_figures(releases_dir, latest.release_id) if latest else None
    return (latest.entry if latest else None), replace(compare(old, figures), build_id=info["build_id"])


# -- when a release goes public ----------------------------------------------------------------

def local_time(at: str, zone: str) -> datetime:
    """`at` (ISO 8601; without an offset, a wall-clock time in `zone`) as an aware time;
    ReleaseError when it is not a time, or is one the zone skips (clocks go forward) or
    repeats (clocks go back), with what happens in the zone then."""
    try:
        when = datetime.fromisoformat(at)
    except (ValueError, TypeError):
        raise ReleaseError(Text("release.at_not_time", **CLI_WORDS, at=str(at)[:60], example=ISO_EXAMPLE,
                                standard="ISO 8601", zone=zone)) from None
    if when.tzinfo is not None:
        return when
    tz = ZoneInfo(zone)
    first, second = when.replace(tzinfo=tz, fold=0), when.replace(tzinfo=tz, fold=1)
    before, after = first.utcoffset(), second.utcoffset()
    if first.astimezone(timezone.utc).astimezone(tz).replace(tzinfo=None) != when:
        raise ReleaseError(Text("release.at_gap", **CLI_WORDS, at=at, zone=zone, before=f"UTC{_offset(before)}",
                                after=f"UTC{_offset(after)}", example=f"{when:%Y-%m-%dT%H:%M}{_offset(after)}"))
    if before != after:
        raise ReleaseError(Text("release.at_twice", **CLI_WORDS, at=at, zone=zone, before=f"UTC{_offset(before)}",
                                after=f"UTC{_offset(after)}", first=f"{when:%Y-%m-%dT%H:%M}{_offset(before)}",
                                second=f"{when:%Y-%m-%dT%H:%M}{_offset(after)}"))
    return first


def _offset(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def public_time(at: str | None, cat: Catalogue, now: datetime, latest: Release | None) -> datetime:
    """When a release (or a reschedule) goes public, in UTC: `at`, or now; refused when it is
    in the past (beyond CLOCK_SKEW: what the public saw on a day gone by cannot change), before
    the latest release, or more than site.max_embargo_days ahead."""
    zone = cat.site["timezone"]
    tz = ZoneInfo(zone)
    when = now if at is None else local_time(at, zone).astimezone(timezone.utc)
    shown = f"{when.astimezone(tz):%Y-%m-%d %H:%M} {zone}"
    if when < now - CLOCK_SKEW:
        raise ReleaseError(Text("release.at_past", **CLI_WORDS, at=at, shown=shown,
                                now=f"{now.astimezone(tz):%Y-%m-%d %H:%M} {zone}"))
    days = cat.site["max_embargo_days"]
    if when > now + timedelta(days=days):
        raise ReleaseError(Text("release.at_ahead", **CLI_WORDS, at=at, shown=shown, days=days,
                                catalogue=cat.path.name))
    if latest is not None and when < latest.public_at:
        raise ReleaseError(Text("release.before_latest", release=latest.release_id,
                                public_at=f"{latest.public_at.astimezone(tz):%Y-%m-%d %H:%M} {zone}"))
    return when


def _release_id(public_at: datetime, zone: str, taken: set[str]) -> str:
    """The day it goes public in the publisher's zone (2026-12-15), then -2, -3… for a second
    release on one day."""
    day = public_at.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d")
    n, rid = 1, day
    while rid in taken:
        n += 1
        rid = f"{day}-{n}"
    return rid


# -- signing -------------------------------------------------------------------------------------

def signing_key(path: Path | None, cat: Catalogue):
    """The private key to sign entries with: None when the catalogue names no public key
    (entries unsigned); ReleaseError when it names one and no matching key is given."""
    expected = cat.site.get("signing_key")
    if expected is None:
        if path is not None:
            raise ReleaseError(Text("release.key_unexpected", catalogue=cat.path.name))
        return None
    if path is None:
        raise ReleaseError(Text("release.key_needed", catalogue=cat.path.name))
    from cryptography.hazmat.primitives import serialization
    try:
        key = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
        public = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    except (OSError, ValueError, TypeError, AttributeError) as exc:
        raise ReleaseError(Text("release.key_unreadable", path=path, error=str(exc))) from None
    if base64.b64encode(public).decode() != expected:
        raise ReleaseError(Text("release.key_mismatch", path=path, catalogue=cat.path.name))
    return key


def _sealed(entry: dict, previous: str | None, key) -> dict:
    """The entry committed to the history before it (previous_sha256), and signed with `key`."""
    if previous is not None:
        entry["previous_sha256"] = previous
    if key is not None:
        entry["signature"] = base64.b64encode(key.sign(signed_bytes(entry))).decode()
    return entry


# -- making a release ----------------------------------------------------------------------

def _catalogue(catalogue: Path, info: dict | None = None) -> tuple[bytes, Catalogue]:
    try:
        cat_bytes = Path(catalogue).read_bytes()
        cat = load_catalogue(catalogue)
    except (OSError, CatalogueError) as exc:
        raise ReleaseError(Text("release.catalogue_unreadable", catalogue=catalogue, error=said(exc))) from None
    if info is not None and hashlib.sha256(cat_bytes).hexdigest() != info["catalogue_sha256"]:
        raise ReleaseError(Text("release.catalogue_changed", catalogue=Path(catalogue).name))
    return cat_bytes, cat


def _clock(now: datetime | None) -> datetime:
    return (now or datetime.now(timezone.utc)).astimezone(timezone.utc)


def _current(releases_dir: Path, cat: Catalogue, served: Path, now: datetime, progress) -> History:
    """The history a release or an amendment follows: checked whole, the same as the site
    served (as far as it goes), and with no interrupted release's folder in the way."""
    hist = checked_history(releases_dir, cat)
    check_served(hist, served)
    for line in _set_aside(releases_dir, hist, served, now):
        progress(Text("progress.indented", line=line))
    return hist


def make_release(note: str, at: str | None = None, out_dir: Path | None = None,
                 releases_dir: Path = DEFAULT_RELEASES, catalogue: Path | None = None,
                 by: str | None = None, now: datetime | None = None, sign_key: Path | None = None,
                 progress: Callable[[str], None] = lambda _: None, note_ar: str | None = None,
                 approved_by: str | None = None, reasons: list[dict] | None = None) -> dict:
    """Publish the candidate (the last `spi build` into out_dir) as a release; return its
    manifest entry. Refused (ReleaseError, nothing written) when it changes nothing, when the
    catalogue changed since the build, when the history does not check, when its time
    breaks the rules of public_time, or when its reasons do not check (etl/revisions.py
    checked). `now`: the moment it is made (the clock, by default).
    `note` says what it brings in English, `note_ar` in Arabic: None is a release made the way
    it was before notes had both languages (the entry has no note_ar; the caller says so).
    `approved_by`: the second person who approved it (etl/approval.py), kept in the entry; never
    the one who releases it.
    `reasons`: why it revises, amends or withdraws figures, a dict a figure ({indicator_id,
    geo_code, period, breakdown: {dimension: member}, kind, reason_ar, reason_en}, and `where`
    to name it in a refusal; revisions.read_file reads them from a file); kept in REASONS."""
    from .build import DEFAULT_CATALOGUE, DEFAULT_OUT
    out_dir, catalogue = Path(out_dir or DEFAULT_OUT), Path(catalogue or DEFAULT_CATALOGUE)
    releases_dir = Path(releases_dir)
    notes = release_notes(note, note_ar)
    released_by = by or getpass.getuser()
    approval = {} if approved_by is None else {"approved_by": _approver(approved_by, released_by)}
    figures, info = candidate_figures(out_dir)
    cat_bytes, cat = _catalogue(catalogue, info)
    key = signing_key(sign_key, cat)
    now = _clock(now)
    with Transaction(releases_dir, "release", progress) as tx:
        hist = _current(releases_dir, cat, out_dir / SERVED, now, progress)
        latest = hist.latest()
        change = compare(release_figures(releases_dir, latest.release_id) if latest else None, figures)
        if latest is not None and change.total == 0 and latest.entry["catalogue_sha256"] == info["catalogue_sha256"]:
            raise ReleaseError(Text("release.nothing", release=latest.release_id))
        why = _reasons_kept(reasons, change, cat)
        public_at = public_time(at, cat, now, latest)
        zone = cat.site["timezone"]
        rid = _release_id(public_at, zone, {r.release_id for r in hist.releases})
        folder = tx.aside(releases_dir / rid, folder=True)
        figures.to_parquet(folder / FIGURES, index=False, compression="zstd")
        (folder / CATALOGUE).write_bytes(cat_bytes)
        if why:
            (folder / REASONS).write_bytes(revisions.stored(why))
        checkpoint("release:files")
        entry = _sealed({"release_id": rid, "public_at": public_at.isoformat(), "timezone": zone, **notes,
                         "build_id": info["build_id"], "released_by": released_by,
                         **approval, "created_at": now.isoformat(), "catalogue_sha256": info["catalogue_sha256"],
                         "figures_sha256": sha256_file(folder / FIGURES),
                         **({"reasons_sha256": sha256_file(folder / REASONS)} if why else {}),
                         "added": change.added, "revised": change.revised, "amended": change.amended,
                         "withdrawn": change.withdrawn}, hist.head, key)
        write_json(tx.aside(releases_dir / MANIFEST), {"releases": [*hist.entries, entry]})
        checkpoint("release:manifest")
        tx.commit()
    return entry


def _approver(approved_by: str, released_by: str) -> str:
    """Four eyes: the approver is named, and is someone else than the one who releases."""
    if not approved_by.strip():
        raise ReleaseError(Text("release.no_approver"))
    if approved_by.strip() == released_by.strip():
        raise ReleaseError(Text("release.own_approval", name=approved_by.strip()))
    return approved_by.strip()


def _reasons_kept(reasons: list[dict] | None, change: Change, cat: Catalogue) -> list[dict]:
    try:
        return revisions.checked(reasons, change.rows, change_dimensions(change),
                                 cat.site["revision_reasons"] == "required")
    except revisions.ReasonsError as exc:
        raise ReleaseError(said(exc)) from None


def check_reasons(reasons: list[dict] | None, out_dir: Path | None = None, releases_dir: Path = DEFAULT_RELEASES,
                  catalogue: Path | None = None) -> list[dict]:
    """The reasons as a release of the candidate would keep them (etl/revisions.py checked),
    or ReleaseError saying what is wrong: what the desk checks when a release is prepared,
    before it is approved and made (make_release checks them again, against the history then)."""
    from .build import DEFAULT_CATALOGUE, DEFAULT_OUT
    _, change = diff(Path(out_dir or DEFAULT_OUT), Path(releases_dir))
    _, cat = _catalogue(Path(catalogue or DEFAULT_CATALOGUE))
    return _reasons_kept(reasons, change, cat)


def release_notes(note: str, note_ar: str | None) -> dict:
    """A release's notes as its entry keeps them: `note` in English, `note_ar` in Arabic (left
    out when None was given). A blank note, or an Arabic note without an Arabic letter (the
    English one given twice, or the two swapped), is refused: the pages show it as Arabic."""
    if not note.strip():
        raise ReleaseError(Text("release.no_note", **CLI_WORDS))
    if note_ar is None:
        return {"note": note.strip()}
    if not note_ar.strip():
        raise ReleaseError(Text("release.note_ar_empty", **CLI_WORDS))
    if written_in(note_ar) != "ar":
        raise ReleaseError(Text("release.note_ar_latin", **CLI_WORDS, note=note_ar.strip()[:60]))
    return {"note": note.strip(), "note_ar": note_ar.strip()}


def amend(release_id: str, action: str, reason: str, at: str | None = None, releases_dir: Path = DEFAULT_RELEASES,
          catalogue: Path | None = None, by: str | None = None, now: datetime | None = None,
          sign_key: Path | None = None, out_dir: Path | None = None,
          progress: Callable[[str], None] = lambda _: None) -> dict:
    """Cancel a release, or give it another public time (`at`), while it is still under
    embargo: an entry of its own in the manifest, with the reason; the release stays on record.
    Only the latest release can be amended (one after it was compared with it)."""
    from .build import DEFAULT_CATALOGUE, DEFAULT_OUT
    releases_dir = Path(releases_dir)
    if not reason.strip():
        raise ReleaseError(Text("release.no_reason", action=Text(f"release.{action}")))
    _, cat = _catalogue(Path(catalogue or DEFAULT_CATALOGUE))
    key = signing_key(sign_key, cat)
    now = _clock(now)
    with Transaction(releases_dir, "release", progress) as tx:
        hist = _current(releases_dir, cat, Path(out_dir or DEFAULT_OUT) / SERVED, now, progress)
        latest = hist.latest()
        if latest is None or latest.release_id != release_id or hist.releases[-1] is not latest:
            known = [r.release_id for r in hist.releases if not r.cancelled]
            latest_is = Text("release.latest_is", release=known[-1]) if known else Text("release.latest_none")
            raise ReleaseError(Text("release.not_latest", release=release_id[:40], latest=latest_is))
        if latest.public_at <= now:
            raise ReleaseError(Text("release.already_public", release=release_id,
                                    public_at=latest.public_at.isoformat()))
        entry = {"amends": release_id, "action": action, "reason": reason.strip(), "by": by or getpass.getuser(),
                 "created_at": now.isoformat()}
        if action == "reschedule":
            before = hist.live[-2] if len(hist.live) > 1 else None
            entry["public_at"] = public_time(at, cat, now, before).isoformat()
        write_json(tx.aside(releases_dir / MANIFEST), {"releases": [*hist.entries, _sealed(entry, hist.head, key)]})
        tx.commit()
    return entry


# -- the served databases ------------------------------------------------------------------

def write_served(releases_dir: Path, out_dir: Path, catalogue: Path,
                 progress: Callable[[str], None] = lambda _: None) -> list[str]:
    """The served databases of the history as it is now (after a release or an amendment), in
    a transaction of their own; ReleaseError, OSError or duckdb.Error when they cannot be."""
    _, cat = _catalogue(catalogue)
    hist = checked_history(releases_dir, cat)
    with Transaction(Path(out_dir), "build", progress) as tx:
        written = build_served(releases_dir, out_dir, tx, hist, progress)
        tx.commit()
    return written


def build_served(releases_dir: Path, out_dir: Path, tx: Transaction, hist: History,
                 progress: Callable[[str], None] = lambda _: None) -> list[str]:
    """Write, in `tx`, the database of the site as of each release that is not cancelled into
    out_dir/releases/<id>/ with a copy of the release's files (those already written from the
    same history are kept), then the manifest the server reads. Returns the ids written."""
    served = Path(out_dir) / SERVED
    if not hist.entries:
        return []
    walked = _History()
    written = []
    for release in hist.releases:
        if release.cancelled:   # never public: only its cancellation is on record
            walked.amendments += _amendments(release)
            continue
        rid = release.release_id
        why = revisions.read_stored(Path(releases_dir) / rid) if "reasons_sha256" in release.entry else []
        observations = walked.add(release, release_figures(releases_dir, rid), why)
        build_id = hashlib.sha256(json.dumps(hist.prefix(rid), sort_keys=True).encode() + _code_digest()).hexdigest()[:16]
        for name, key in release_files(release.entry):
            if not (served / rid / name).exists() or sha256_file(served / rid / name) != release.entry[key]:
                shutil.copyfile(Path(releases_dir) / rid / name, tx.aside(served / rid / name))
        recorded = Path(releases_dir) / rid / PRE_RELEASE_ACCESS   # who saw it before its time, once recorded
        if recorded.exists() and not _same(recorded, served / rid / PRE_RELEASE_ACCESS):
            shutil.copyfile(recorded, tx.aside(served / rid / PRE_RELEASE_ACCESS))
        if _served_build(served / rid) == build_id:
            continue
        cat = load_catalogue(Path(releases_dir) / rid / CATALOGUE)
        progress(Text("release.serving", release=rid, n=len(observations)))
        write_outputs(observations, cat, served / rid,
                      {"build_id": build_id, "built_at": datetime.now(timezone.utc).replace(tzinfo=None),
                       "catalogue_sha256": release.entry["catalogue_sha256"],
                       "files": {FIGURES: release.entry["figures_sha256"]}},
                      tx, history=walked.tables(), exports=False)
        written.append(rid)
    write_json(tx.aside(served / MANIFEST), {"releases": list(hist.entries)})
    checkpoint("build:served")
    return written


def _same(path: Path, copy: Path) -> bool:
    """Whether `copy` is a copy of `path`, byte for byte (a copy the site serves that was edited
    is written again from the history's, which the history's record checked)."""
    return copy.exists() and sha256_file(copy) == sha256_file(path)


def _served_build(folder: Path) -> str | None:
    """The build id of a served database already written, or None."""
    path = folder / DB_NAME
    if not path.exists():
        return None
    try:
        con = duckdb.connect(str(path), read_only=True)
        try:
            return con.execute("SELECT build_id FROM build_info").fetchone()[0]
        finally:
            con.close()
    except duckdb.Error:
        return None


def _code_digest() -> bytes:
    """The code that writes a served database: a change to it rewrites them all."""
    digest = hashlib.sha256()
    for code in sorted([*Path(__file__).parent.glob("*.py"), *(CODE / "contract").glob("*.py")]):
        digest.update(code.read_bytes())
    return digest.digest()


def _naive_utc(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(timezone.utc).replace(tzinfo=None)


def _amendments(release: Release) -> list[dict]:
    """A release's cancellation or reschedules, as rows of the amendments table."""
    return [{**a, "release_id": a["amends"], "created_at": _naive_utc(a["created_at"]),
             "public_at": _naive_utc(a["public_at"]) if "public_at" in a else None, "entry_sha256": entry_sha256(a)}
            for a in release.amendments]


class _History:
    """The releases so far, walked in order: each figure's current version and revision,
    every earlier version, what each release changed, and the releases themselves."""

    def __init__(self):
        self.current: pd.DataFrame | None = None   # key + published + revision + from_release
        self.closed: list[pd.DataFrame] = []        # versions replaced or withdrawn
        self.changes: list[pd.DataFrame] = []
        self.releases: list[dict] = []
        self.amendments: list[dict] = []

    def add(self, release: Release, figures: pd.DataFrame, why: list[dict] = ()) -> pd.DataFrame:
        """Take in a release's figures and its reasons (etl/revisions.py; none by default);
        return the figures with their revision columns."""
        entry = release.entry
        rid = release.release_id
        day = release.public_at.astimezone(ZoneInfo(entry["timezone"])).date()
        key = figure_key(figures)
        change = compare(None if self.current is None else self.current, figures)
        reasons = revisions.frame(why, key[len(KEY_HEAD):])
        self.changes.append(change.rows.merge(reasons, on=key, how="left").assign(release_id=rid))
        self.releases.append({**entry, "seq": len(self.releases) + 1,
                              "public_at": release.public_at.replace(tzinfo=None),
                              "scheduled_at": _naive_utc(entry["public_at"]),
                              "created_at": _naive_utc(entry["created_at"]),
                              "entry_sha256": release.sha256, "signed": "signature" in entry})
        self.amendments += _amendments(release)
        if self.current is None:
            self.current = figures[[*key, *PUBLISHED]].assign(revised_in=None, revised_on=None, previous_value=np.nan,
                                                              **dict.fromkeys(REVISION_WHY), from_release=rid)
        else:   # from the comparison's own join: the versions that end here, and those that go on
            joined, kinds = change.joined, change.kinds
            gone, revised = kinds == "withdrawn", kinds == "revised"
            ended = revised | gone | (kinds == "amended")
            closed = joined[ended][[*key, *(f"old_{c}" for c in PUBLISHED), "from_release"]]
            self.closed.append(closed.rename(columns={f"old_{c}": c for c in PUBLISHED}).assign(until_release=rid))
            joined = joined[~gone].copy()
            kinds, revised = kinds[~gone], revised[~gone]
            joined.loc[revised, "previous_value"] = joined.loc[revised, "old_value"]
            joined.loc[revised, "revised_in"] = rid
            joined.loc[revised, "revised_on"] = day
            # why, as this release says (a revision it gives no reason for has none, not an earlier one's)
            said = joined.loc[revised, key].merge(reasons, on=key, how="left")
            for column in REVISION_WHY:
                joined[column] = joined[column].astype(object)
                joined.loc[revised, column] = said[column].astype(object).where(said[column].notna(), None).to_numpy()
            joined.loc[kinds != "", "from_release"] = rid
            joined = joined.rename(columns={f"new_{c}": c for c in PUBLISHED})
            self.current = joined[[*key, *PUBLISHED, *REVISION, "from_release"]]
        revision = self.current[[*key, *REVISION]]
        return figures.drop(columns=[c for c in REVISION if c in figures]).merge(revision, on=key, how="left")

    def tables(self) -> dict[str, pd.DataFrame]:
        """The release tables of the database as of the latest release taken in."""
        vintages = pd.concat([*self.closed, self.current.drop(columns=list(REVISION)).assign(until_release=None)],
                             ignore_index=True)
        return {"releases": pd.DataFrame(self.releases), "amendments": pd.DataFrame(self.amendments),
                "changes": pd.concat(self.changes, ignore_index=True), "vintages": vintages}
