"""`spi verify`: is the published record the one on record?

Checks, each problem a line that names the release and the file:
- the manifest (data/releases/releases.json): its shape, the rules of a history that only
  grows, and its hash chain (contract/manifest.py);
- every release's files against the hashes its entry records, and each list of pre-release
  access against the hash of its own entry (a list beside a release whose history has such
  entries and none for it was put there since; a history written before they existed has its
  lists named in a note, true but not yet tamper-evident);
- a change of the history cut off half-way (a journal left in the releases folder): said, with
  the command that finishes it, rather than the half-written files called changed;
- the signatures, with the catalogue's site.signing_key (or a key given on the command line,
  such as the one the ministry published elsewhere: a key read from the same folder as the
  history proves less);
- release folders the manifest does not list (an interrupted release);
- what the site serves (data/processed/releases/): the same entries as the history (possibly
  fewer: then `spi build` has not run since the last release), each database written from its
  release's figures, and the copies of the files anyone can download.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from contract.manifest import MANIFEST, PRE_RELEASE_ACCESS, History, ManifestError, read, signature_problems
from contract.schema import DB_NAME

from .release import (SERVED, ReleaseError, file_problems, history, release_files, rewritten, sha256_file, unlisted,
                      unsealed)
from .transaction import JOURNAL


@dataclass
class Verified:
    lines: list[str] = field(default_factory=list)      # what was checked, a line a release
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)      # true, and worth knowing, but not wrong
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(releases_dir: Path, out_dir: Path | None, key: str | None) -> Verified:
    started = time.perf_counter()
    found = Verified()
    if (Path(releases_dir) / JOURNAL).exists():
        found.problems.append(f"{Path(releases_dir) / JOURNAL}: a change of the history (a release, an amendment or a "
                              "record of pre-release access) was decided and cut off before all its files were in "
                              "place: run `spi pre-release-access` (or `spi release`), which finishes it, then `spi "
                              "verify` again; nothing else is checked until then")
        return found
    try:
        hist = history(releases_dir)
    except ReleaseError as exc:
        found.problems.append(str(exc))
        return found
    found.problems += file_problems(releases_dir, hist)
    found.problems += signature_problems(hist, key)
    found.notes += [f"{p} is not in the history's chain (it was recorded before lists of pre-release access had "
                    "entries of their own): the site does not publish it until `spi pre-release-access` records it as "
                    "it is now" for p in unsealed(releases_dir, hist)]
    found.problems += [f"{p} is a release folder the manifest does not list (an interrupted release): the next "
                       "`spi release` sets it aside" for p in unlisted(releases_dir, hist)]
    recorded = hist.access()
    for release in hist.releases:
        state = "cancelled" if release.cancelled else f"public {release.public_at.isoformat()}"
        signed = "signed" if "signature" in release.entry else "unsigned"
        access = ", its pre-release access recorded" if release.release_id in recorded else ""
        found.lines.append(f"release {release.release_id}: {state}, {signed}, entry {release.sha256[:16]}…{access}")
    if hist.head:
        found.lines.append(f"the history's head (the hash of its latest entry): {hist.head}")
    if out_dir is not None and (Path(out_dir) / SERVED / MANIFEST).exists():
        served = Path(out_dir) / SERVED
        found.problems += served_problems(served, None, hist)
        if not found.problems:
            found.problems += _served_lists(served, read(served))
        kept = len(read(served).entries) if not found.problems else len(hist.entries)
        if kept < len(hist.entries):
            found.notes.append(f"the site serves {kept} of the history's {len(hist.entries)} entries: run `spi build` "
                               "to serve the rest")
    found.seconds = time.perf_counter() - started
    return found


def served_problems(served: Path, releases_dir: Path | None, hist: History | None = None) -> list[str]:
    """What the site serves from `served`: its manifest, each database and each copied file,
    and, given the project's history (or its folder), that no entry it serves was changed
    since (the served entries are the history's, in order)."""
    try:
        if hist is None and releases_dir is not None and (Path(releases_dir) / MANIFEST).exists():
            hist = history(releases_dir)
        out = rewritten(hist, served) if hist is not None else []
        kept = read(served)
    except ManifestError as exc:
        return [f"{exc.path}: " + "; ".join(exc.problems)]
    except ReleaseError as exc:
        return [str(exc)]
    return out + _databases(served, kept)


def _served_lists(served: Path, hist: History) -> list[str]:
    """Each served list of pre-release access against its record. Not a reason for `spi serve`
    to refuse the folder (served_problems): the site checks each list itself and says one that
    differs is unavailable."""
    out = []
    for rid, entry in hist.access().items():
        path = served / rid / PRE_RELEASE_ACCESS
        if not path.exists() or sha256_file(path) != entry["pre_release_access_sha256"]:
            out.append(f"{path} is not the list of who saw release {rid} before publication that the history records "
                       "(the site says it is unavailable): run `spi build`")
    return out


def _databases(served: Path, hist: History) -> list[str]:
    out = []
    for release in hist.live:
        folder = served / release.release_id
        for name, key in release_files(release.entry):
            if not (folder / name).exists() or sha256_file(folder / name) != release.entry[key]:
                out.append(f"{folder / name} is not release {release.release_id}'s file: run `spi build`")
        try:
            con = duckdb.connect(str(folder / DB_NAME), read_only=True)
            try:
                files, = con.execute("SELECT files FROM build_info").fetchone()
                entry, = con.execute("SELECT entry_sha256 FROM releases ORDER BY seq DESC LIMIT 1").fetchone()
            finally:
                con.close()
        except duckdb.Error as exc:
            out.append(f"{folder / DB_NAME} cannot be read ({str(exc).splitlines()[0][:120]}): run `spi build`")
            continue
        if release.entry["figures_sha256"] not in files or entry != release.sha256:
            out.append(f"{folder / DB_NAME} was not written from release {release.release_id}'s figures and entry: "
                       "run `spi build`")
    return out
