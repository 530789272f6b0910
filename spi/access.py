"""Pre-release access, recorded: once a release's time has passed, who read it under embargo
(store/prerelease.py, from this machine's audit log) is written beside its files as
data/releases/<id>/pre_release_access.json by `spi pre-release-access`, run on the machine
reviewers sign in to, and never rewritten; `spi build` copies it to what the site serves. From then on
the site publishes that record, not the log: the list no longer depends on a file of one
machine that may be lost, replaced or cut (deleting data/processed/ takes the log with it),
and it is committed with the history, so that it cannot change unseen.

Until it is recorded the server reads the log itself (the list is public at the release's
time, exactly). It is a command of its own, not a step of every build: a build may run on a
machine that served no reviewer (a laptop, CI), whose log, empty or absent, would record an
empty list that is not true. Nothing is recorded from a log that does not exist or cannot be
read, and the command says so.
"""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from contract.manifest import PRE_RELEASE_ACCESS
from etl.release import history
from etl.transaction import write_json
from store import prerelease


def record(releases_dir: Path, now: datetime) -> tuple[list[str], str | None]:
    """Record the pre-release access of every release public by `now` that has no record yet,
    from this machine's audit log: (a line per release recorded, why the others could not be
    or None)."""
    hist = history(releases_dir)
    due = [r for r in hist.live
           if r.public_at <= now and not (Path(releases_dir) / r.release_id / PRE_RELEASE_ACCESS).exists()]
    if not due:
        return [], None
    log = prerelease.audit_log_path()
    if not log.is_file():
        return [], (f"pre-release access of {', '.join(r.release_id for r in due)} not recorded: there is no audit log "
                    f"at {log} (SPI_AUDIT_LOG, or --audit-log): run it where the server reviewers sign in to keeps "
                    "its log (an empty list written from another machine's would not be true)")
    said = []
    for release in due:
        access = prerelease.access(release.release_id, release.public_at, now, recorded=False,
                                   build_id=release.entry.get("build_id"))
        if not access.available:
            return said, f"pre-release access of {release.release_id} not recorded: the audit log {log} cannot be read"
        path = Path(releases_dir) / release.release_id / PRE_RELEASE_ACCESS
        write_json(path, {"release_id": release.release_id, "public_at": release.public_at.isoformat(),
                          "names": list(access.names),
                          "recorded_at": datetime.now(timezone.utc).isoformat(timespec="seconds")})
        said.append(f"recorded who saw release {release.release_id} before publication ({len(access.names)} "
                    f"name(s)) in {path}: commit it with {releases_dir}")
    return said, None
