"""Releases: a checked build (the candidate) published on a date, append-only, and the
database the site serves for each release.

Official statistics promise that a published figure never changes silently. So `spi build`
only builds and checks a candidate (data/processed/indicators.duckdb); `spi release` copies
its figures and its catalogue into the project as a release, which is kept for good:

    data/releases/releases.json             the manifest: one entry per release, in order
    data/releases/<id>/observations.parquet the release's figures
    data/releases/<id>/indicators.yaml      the catalogue it was released with

data/releases/ is committed with data/raw/, so the history survives deleting
data/processed/. From it `spi build` (build_served) writes the database of the site as of
each release, with every figure's earlier values (vintages), what each release changed and
the revision of each figure it serves, and a copy of the manifest, which the server reads to
choose a release by its clock (an embargoed release stays out of public view until its time):

    data/processed/releases/releases.json
    data/processed/releases/<id>/indicators.duckdb

A release is written beside its final place and renamed in; the manifest is replaced last,
so an interrupted release leaves every earlier release and the served databases as they were.
"""
from __future__ import annotations

import getpass
import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable
from zoneinfo import ZoneInfo

import duckdb
import numpy as np
import pandas as pd

from contract.schema import DB_NAME, SCHEMA_VERSION

from .catalogue import CatalogueError, load_catalogue
from .load import one_at_a_time, write_outputs

PROJECT = Path(__file__).resolve().parent.parent
DEFAULT_RELEASES = PROJECT / "data" / "releases"
MANIFEST = "releases.json"
FIGURES = "observations.parquet"
CATALOGUE = "indicators.yaml"
SERVED = "releases"          # the folder of served databases, in the build's output folder
# What a figure is (with its breakdowns after `period`), and what a release may change of it.
KEY_HEAD = ("indicator_id", "geo_code", "period")
PUBLISHED = ("value", "status", "source_id")


class ReleaseError(Exception):
    """A release cannot be made; the message says why and what to do."""


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

    @property
    def total(self) -> int:
        return self.added + self.revised + self.amended + self.withdrawn


# -- the manifest ----------------------------------------------------------------------------

def manifest(folder: Path) -> list[dict]:
    """The releases of a folder, oldest first (none when it has no manifest)."""
    path = Path(folder) / MANIFEST
    if not path.exists():
        return []
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))["releases"]
    except (ValueError, KeyError, TypeError) as exc:
        raise ReleaseError(f"{path} is not a releases manifest ({exc}); restore it from version control") from None
    return entries


def _write_json(path: Path, data) -> None:
    """Write a JSON file beside its place and rename it in (readers never see half of it)."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=2)
        f.write("\n")
    os.chmod(tmp, 0o644)   # mkstemp's 0600 would hide it from the server's user
    os.replace(tmp, path)


# -- figures and their differences ---------------------------------------------------------

def _key(frame: pd.DataFrame) -> list[str]:
    """The columns that identify a figure: indicator, place, period and every breakdown."""
    dims = [c for c in frame.columns if c not in _NOT_BREAKDOWNS]
    return [*KEY_HEAD, *dims]


_NOT_BREAKDOWNS = {"indicator_id", "geo_code", "period", "period_start", "period_end", "value", "qualifier", "status",
                   "unit", "source_id", "revised_in", "revised_on", "previous_value", "value_as_written",
                   "source_file", "source_sheet", "source_row", "source_column"}


def _differs(a: pd.Series, b: pd.Series) -> np.ndarray:
    """Per row, whether two columns differ, a missing value equal only to a missing value."""
    a_missing, b_missing = a.isna().to_numpy(), b.isna().to_numpy()
    equal = (a.to_numpy(dtype=object) == b.to_numpy(dtype=object))
    return ~((a_missing & b_missing) | (~a_missing & ~b_missing & equal))


def compare(old: pd.DataFrame | None, new: pd.DataFrame) -> Change:
    """What `new` changes of `old` (two releases' figures): figures added, revised (another
    value), amended (the same value, another status or source) and withdrawn."""
    key = _key(new)
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
        raise ReleaseError(f"no candidate at {path}: run `spi build` first")
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        raise ReleaseError(f"{path} cannot be read ({type(exc).__name__}): run `spi build` again") from None
    try:
        version = con.execute("SELECT schema_version FROM build_info").fetchone()[0]
        if version != SCHEMA_VERSION:
            raise ReleaseError(f"{path} was built by another version of this software: run `spi build` again")
        info = dict(zip(("build_id", "catalogue_sha256"),
                        con.execute("SELECT build_id, catalogue_sha256 FROM build_info").fetchone()))
        return con.execute("SELECT * FROM observations").df(), info
    finally:
        con.close()


def release_figures(folder: Path, release_id: str) -> pd.DataFrame:
    return pd.read_parquet(Path(folder) / release_id / FIGURES)


def diff(out_dir: Path, releases_dir: Path = DEFAULT_RELEASES) -> tuple[dict | None, Change]:
    """What releasing the candidate would change: (the latest release or None, the change)."""
    figures, _ = candidate_figures(out_dir)
    entries = manifest(releases_dir)
    last = entries[-1] if entries else None
    return last, compare(release_figures(releases_dir, last["release_id"]) if last else None, figures)


# -- making a release ----------------------------------------------------------------------

def _public_at(at: str | None, zone: str, now: datetime) -> datetime:
    """The time a release goes public, in UTC: `at` (ISO 8601; without a zone, the
    publisher's), or now."""
    if at is None:
        return now
    try:
        when = datetime.fromisoformat(at)
    except ValueError:
        raise ReleaseError(f"--at {at!r} is not a date and time such as 2026-12-15T09:00 "
                           f"(ISO 8601; without a zone, {zone})") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=ZoneInfo(zone))
    return when.astimezone(timezone.utc)


def _release_id(public_at: datetime, zone: str, taken: set[str]) -> str:
    """The day it goes public in the publisher's zone (2026-12-15), then -2, -3… for a second
    release on one day."""
    day = public_at.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d")
    n, rid = 1, day
    while rid in taken:
        n += 1
        rid = f"{day}-{n}"
    return rid


def make_release(note: str, at: str | None = None, out_dir: Path | None = None,
                 releases_dir: Path = DEFAULT_RELEASES, catalogue: Path | None = None,
                 by: str | None = None, now: datetime | None = None) -> dict:
    """Publish the candidate (the last `spi build` into out_dir) as a release; return its
    manifest entry. Refused when it changes nothing, when the catalogue changed since the
    build, or when it would go public before the latest release."""
    from .build import DEFAULT_CATALOGUE, DEFAULT_OUT
    out_dir, catalogue = Path(out_dir or DEFAULT_OUT), Path(catalogue or DEFAULT_CATALOGUE)
    releases_dir = Path(releases_dir)
    if not note.strip():
        raise ReleaseError("a release needs a note (--note) saying what it brings")
    figures, info = candidate_figures(out_dir)
    try:
        cat_bytes = catalogue.read_bytes()
        cat = load_catalogue(catalogue)
    except (OSError, CatalogueError) as exc:
        raise ReleaseError(f"the catalogue {catalogue} cannot be read: {exc}") from None
    if hashlib.sha256(cat_bytes).hexdigest() != info["catalogue_sha256"]:
        raise ReleaseError(f"{catalogue.name} changed since the candidate was built: run `spi build` again")
    zone = cat.site["timezone"]
    now = now or datetime.now(timezone.utc)
    public_at = _public_at(at, zone, now)
    with one_at_a_time(releases_dir, "release"):
        entries = manifest(releases_dir)
        last = entries[-1] if entries else None
        change = compare(release_figures(releases_dir, last["release_id"]) if last else None, figures)
        same_catalogue = last is not None and last["catalogue_sha256"] == info["catalogue_sha256"]
        if last is not None and change.total == 0 and same_catalogue:
            raise ReleaseError(f"the candidate changes nothing since release {last['release_id']}: nothing to release")
        if last is not None and public_at < datetime.fromisoformat(last["public_at"]):
            raise ReleaseError(f"a release cannot go public before the latest one ({last['release_id']}, "
                               f"{last['public_at']})")
        rid = _release_id(public_at, zone, {e["release_id"] for e in entries})
        staging = Path(tempfile.mkdtemp(prefix=f".{rid}-", dir=releases_dir))
        try:
            figures.to_parquet(staging / FIGURES, index=False, compression="zstd")
            (staging / CATALOGUE).write_bytes(cat_bytes)
            entry = {"release_id": rid, "public_at": public_at.isoformat(), "timezone": zone, "note": note.strip(),
                     "build_id": info["build_id"], "released_by": by or getpass.getuser(),
                     "created_at": now.isoformat(), "catalogue_sha256": info["catalogue_sha256"],
                     "figures_sha256": hashlib.sha256((staging / FIGURES).read_bytes()).hexdigest(),
                     "added": change.added, "revised": change.revised, "amended": change.amended,
                     "withdrawn": change.withdrawn}
            os.chmod(staging, 0o755)   # mkdtemp's 0700 would hide it from the server's user
            os.rename(staging, releases_dir / rid)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        _write_json(releases_dir / MANIFEST, {"releases": [*entries, entry]})
    return entry


# -- the served databases ------------------------------------------------------------------

def build_served(releases_dir: Path, out_dir: Path, progress: Callable[[str], None] = lambda _: None) -> list[str]:
    """Write the database of the site as of each release into out_dir/releases/<id>/ (those
    already written from the same history are kept), then the manifest the server reads.
    Returns the ids of the databases written."""
    entries = manifest(releases_dir)
    served = Path(out_dir) / SERVED
    if not entries:
        return []
    served.mkdir(parents=True, exist_ok=True)
    history = _History()
    written = []
    for entry in entries:
        rid = entry["release_id"]
        figures = release_figures(releases_dir, rid)
        if hashlib.sha256((Path(releases_dir) / rid / FIGURES).read_bytes()).hexdigest() != entry["figures_sha256"]:
            raise ReleaseError(f"{Path(releases_dir) / rid / FIGURES} is not the file released on {entry['public_at']}: "
                               "restore it from version control")
        observations = history.add(entry, figures)
        build_id = hashlib.sha256(json.dumps([e for e in entries[:entries.index(entry) + 1]], sort_keys=True)
                                  .encode() + _code_digest()).hexdigest()[:16]
        if _served_build(served / rid) == build_id:
            continue
        cat = load_catalogue(Path(releases_dir) / rid / CATALOGUE)
        progress(f"  serving release {rid}: {len(observations):,} figures")
        write_outputs(observations, cat, served / rid,
                      {"build_id": build_id, "built_at": datetime.now(timezone.utc).replace(tzinfo=None),
                       "catalogue_sha256": entry["catalogue_sha256"], "files": {FIGURES: entry["figures_sha256"]}},
                      history=history.tables(), exports=False)
        written.append(rid)
    _write_json(served / MANIFEST, {"releases": entries})
    return written


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
    for code in sorted([*Path(__file__).parent.glob("*.py"), *(PROJECT / "contract").glob("*.py")]):
        digest.update(code.read_bytes())
    return digest.digest()


class _History:
    """The releases so far, walked in order: each figure's current version and revision,
    every earlier version, what each release changed, and the releases themselves."""

    def __init__(self):
        self.current: pd.DataFrame | None = None   # key + published + revision + from_release
        self.closed: list[pd.DataFrame] = []        # versions replaced or withdrawn
        self.changes: list[pd.DataFrame] = []
        self.releases: list[dict] = []

    def add(self, entry: dict, figures: pd.DataFrame) -> pd.DataFrame:
        """Take in a release's figures; return them with their revision columns."""
        rid = entry["release_id"]
        public_at = datetime.fromisoformat(entry["public_at"])
        day = public_at.astimezone(ZoneInfo(entry["timezone"])).date()
        key = _key(figures)
        change = compare(None if self.current is None else self.current, figures)
        self.changes.append(change.rows.assign(release_id=rid))
        self.releases.append({**entry, "seq": len(self.releases) + 1,
                              "public_at": public_at.astimezone(timezone.utc).replace(tzinfo=None),
                              "created_at": datetime.fromisoformat(entry["created_at"]).astimezone(timezone.utc)
                              .replace(tzinfo=None)})
        if self.current is None:
            self.current = figures[[*key, *PUBLISHED]].assign(revised_in=None, revised_on=None, previous_value=np.nan,
                                                              from_release=rid)
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
            joined.loc[kinds != "", "from_release"] = rid
            joined = joined.rename(columns={f"new_{c}": c for c in PUBLISHED})
            self.current = joined[[*key, *PUBLISHED, "revised_in", "revised_on", "previous_value", "from_release"]]
        revision = self.current[[*key, "revised_in", "revised_on", "previous_value"]]
        return figures.drop(columns=[c for c in ("revised_in", "revised_on", "previous_value") if c in figures]) \
            .merge(revision, on=key, how="left")

    def tables(self) -> dict[str, pd.DataFrame]:
        """The release tables of the database as of the latest release taken in."""
        vintages = pd.concat([*self.closed, self.current.drop(columns=["revised_in", "revised_on", "previous_value"])
                             .assign(until_release=None)], ignore_index=True)
        return {"releases": pd.DataFrame(self.releases), "changes": pd.concat(self.changes, ignore_index=True),
                "vintages": vintages}
