"""Pre-release access, recorded: once a release's time has passed, who read it under embargo
(store/prerelease.py, from this machine's audit log) is written beside its files as
data/releases/<id>/pre_release_access.json by `spi pre-release-access`, run on the machine
reviewers sign in to, and never rewritten; `spi build` copies it to what the site serves. From then on
the site publishes that record, not the log: the list no longer depends on a file of one
machine that may be lost, replaced or cut (deleting data/processed/ takes the log with it),
and it is committed with the history.

The file is written after its release's entry, which cannot commit to it; so the same
transaction appends to the manifest an entry of its own (contract/manifest.py, `access_of`)
that names the release and the file's SHA-256, chained and signed like a release's: an edit of
the list, its deletion, or a list put beside a release with no entry is then found by `spi
verify` and refused by the site (store/prerelease.py), and the history only grows. The file and
its entry are swapped in together (etl/transaction.py): after a kill the next run of this
command (or of `spi release`) completes or undoes what was cut off, and `spi verify` says so
meanwhile. A history written before these entries existed may hold lists with none: the first
run seals each as it is then (nobody can know more of it), in the same transaction.

Until it is recorded the server reads the log itself (the list is public at the release's
time, exactly). It is a command of its own, not a step of every build: a build may run on a
machine that served no reviewer (a laptop, CI), whose log, empty or absent, would record an
empty list that is not true. Nothing is recorded from a log that does not exist or cannot be
read, and the command says so.
"""
from __future__ import annotations

import getpass
from datetime import datetime
from pathlib import Path
from typing import Callable

from contract.manifest import MANIFEST, ManifestError, PRE_RELEASE_ACCESS, entry_sha256, parse
from etl.release import (ReleaseError, _catalogue, access_entry, checked_history, sha256_file, signing_key,
                         unsealed)
from etl.messages import Text
from etl.transaction import Transaction, checkpoint, write_json
from store import prerelease


def record(releases_dir: Path, now: datetime, catalogue: Path, sign_key: Path | None = None, by: str | None = None,
           progress: Callable[[str], None] = lambda _: None) -> tuple[list[str], str | None]:
    """Record the pre-release access of every release public by `now` that has no record yet,
    from this machine's audit log, each with its entry in the manifest (signed with `sign_key`
    when the catalogue has site.signing_key): (a line per release recorded, why the others
    could not be or None). ReleaseError when the history does not check (a list edited since
    it was recorded among them) or a key is needed and not given."""
    releases_dir = Path(releases_dir)
    _, cat = _catalogue(Path(catalogue))
    with Transaction(releases_dir, "release", progress) as tx:   # the releases' lock; a cut-off run finished
        hist = checked_history(releases_dir, cat)
        sealed = hist.access()
        due = [r for r in hist.live if r.public_at <= now and r.release_id not in sealed]
        found = set(unsealed(releases_dir, hist))   # lists of a history written before they had entries
        fresh = [r for r in due if releases_dir / r.release_id / PRE_RELEASE_ACCESS not in found]
        log = prerelease.audit_log_path()
        problem = None
        if fresh and not log.is_file():
            problem = (f"pre-release access of {', '.join(r.release_id for r in fresh)} not recorded: there is no "
                       f"audit log at {log} (SPI_AUDIT_LOG, or --audit-log): run it where the server reviewers sign "
                       "in to keeps its log (an empty list written from another machine's would not be true)")
            due = [r for r in due if r not in fresh]
        if not due:
            return [], problem
        key = signing_key(sign_key, cat)
        entries, head, said = list(hist.entries), hist.head, []
        for release in due:
            path = releases_dir / release.release_id / PRE_RELEASE_ACCESS
            if release in fresh:
                access = prerelease.access(release.release_id, release.public_at, now, recorded=False,
                                           build_id=release.entry.get("build_id"))
                if not access.available:
                    problem = f"pre-release access of {release.release_id} not recorded: the audit log {log} cannot be read"
                    break
                part = tx.aside(path)
                write_json(part, {"release_id": release.release_id, "public_at": release.public_at.isoformat(),
                                  "names": list(access.names), "recorded_at": now.isoformat(timespec="seconds")})
                digest = sha256_file(part)
                said.append(f"recorded who saw release {release.release_id} before publication "
                            f"({len(access.names)} name(s)) in {path}, and its hash in {releases_dir / MANIFEST}: "
                            f"commit them with {releases_dir}")
            else:
                digest = sha256_file(path)
                said.append(f"sealed the list of who saw release {release.release_id} before publication, recorded "
                            f"before lists had entries, as it is now ({path}), with its hash in "
                            f"{releases_dir / MANIFEST}: commit it with {releases_dir}")
            entries.append(access_entry(release.release_id, digest, by or getpass.getuser(), now, head, key))
            head = entry_sha256(entries[-1])
        if not said:
            return [], problem
        manifest = tx.aside(releases_dir / MANIFEST)
        try:
            parse({"releases": entries}, releases_dir / MANIFEST)   # what is written checks, or nothing is
        except ManifestError as exc:
            raise ReleaseError(Text("release.access_not_written", problems="; ".join(exc.problems))) from None
        write_json(manifest, {"releases": entries})
        checkpoint("access:manifest")
        tx.commit()
    return said, problem
