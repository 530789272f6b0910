"""Real faults in the middle of `spi build` and `spi release`: the process killed with SIGKILL at
each named step (etl/transaction.py checkpoint, SPI_CRASH_AT), a file that cannot grow
(RLIMIT_FSIZE: the kernel's "File too large", as a full disk does), a folder the user may not
write. Each time: no traceback, a message that says what did and did not happen, every
earlier output (candidate, served databases, releases, manifest) byte-identical when the step
failed before the change was decided, and the next run says what it found and goes on.

These run `spi` as a subprocess, as an operator does: a Python exception in the same process
would run the very clean-up code under test, which a power cut or a full disk never does."""
from __future__ import annotations

import ctypes
import hashlib
import json
import os
import resource
import shutil
import signal
import subprocess
from pathlib import Path

import duckdb
import pytest

from tests.conftest import SourceCopy

SPI_VALUE = "jo_psychosocial_team"


def _digest(*folders: Path) -> dict:
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for folder in folders if folder.exists()
            for p in sorted(folder.rglob("*"))
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)}


def _value(db: Path) -> float:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT value FROM observations WHERE indicator_id = ?", [SPI_VALUE]).fetchone()[0]
    finally:
        con.close()


def _run(paths, copy: SourceCopy, *args, env: dict | None = None, preexec=None) -> subprocess.CompletedProcess:
    where = {"build": [*copy.cli_args(), "--releases", str(copy.releases)],
             "release": ["--out", str(copy.out), "--releases", str(copy.releases), "--catalogue", str(copy.catalogue)]}
    return subprocess.run([str(paths.spi), *args, *where[args[0]]], capture_output=True, text=True, timeout=180,
                          env={**os.environ, **(env or {})}, preexec_fn=preexec)


@pytest.fixture
def released(tmp_path):
    """The shipped sources with one release (44), served, and the candidate revised to 45."""
    copy = SourceCopy.of_shipped(tmp_path)
    copy.revise(SPI_VALUE, "44")
    copy.release("first", "2025-01-01T09:00")
    copy.revise(SPI_VALUE, "45")
    yield copy
    for p in [tmp_path, *tmp_path.rglob("*")]:   # what a test made read-only, removable again
        os.chmod(p, 0o755)


def _state(copy: SourceCopy) -> dict:
    return _digest(copy.releases, copy.out)


BUILD_STEPS = ["build:candidate", "build:served", "build:decided", "rename:1", "rename:3"]


@pytest.mark.parametrize("step", BUILD_STEPS)
def test_a_build_killed_at_any_step_leaves_the_old_files_or_is_completed_by_the_next(paths, released, step):
    before = _state(released)
    killed = _run(paths, released, "build", env={"SPI_CRASH_AT": step})
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    decided = step in ("build:decided", "rename:1", "rename:3")
    if not decided:
        assert _state(released) == before, "a build killed before it was decided changed what readers see"
    again = _run(paths, released, "build")
    assert again.returncode == 0, again.stderr
    said = again.stdout
    if decided:
        assert "completed an interrupted run into" in said and "it had been decided" in said
    else:
        assert "temporary file(s) an interrupted run left" in said and "nothing of it was swapped in" in said
    assert "Traceback" not in again.stderr + killed.stderr
    assert _value(released.out / "indicators.duckdb") == 45
    assert not list(released.out.rglob(".spi-part-*")) and not (released.out / ".spi-journal.json").exists()


RELEASE_STEPS = ["release:files", "release:manifest", "release:decided", "rename:1", "rename:2", "build:served"]


@pytest.mark.parametrize("step", RELEASE_STEPS)
def test_a_release_killed_at_any_step_is_undone_or_completed_and_the_next_works(paths, released, step):
    assert _run(paths, released, "build").returncode == 0
    before = _digest(released.releases)
    killed = _run(paths, released, "release", "--note", "second", env={"SPI_CRASH_AT": step})
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    entries = lambda: json.loads((released.releases / "releases.json").read_text())["releases"]   # noqa: E731
    if step in ("release:files", "release:manifest"):
        assert _digest(released.releases) == before and len(entries()) == 1
        again = _run(paths, released, "release", "--note", "second")
        assert again.returncode == 0, again.stderr
        assert "temporary file(s) an interrupted run left" in again.stdout
    else:   # decided: the next run (a build) completes it and serves it
        again = _run(paths, released, "build")
        assert again.returncode == 0, again.stderr
        if step != "build:served":
            assert "completed an interrupted run into" in again.stdout
        refused = _run(paths, released, "release", "--note", "second")
        assert refused.returncode == 1 and "changes nothing since release" in refused.stderr
    assert len(entries()) == 2
    verified = subprocess.run([str(paths.spi), "verify", "--releases", str(released.releases), "--out",
                               str(released.out), "--catalogue", str(released.catalogue)],
                              capture_output=True, text=True, timeout=120)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "the site serves" not in verified.stdout   # every entry served
    assert _value(released.served / entries()[-1]["release_id"] / "indicators.duckdb") == 45


ACCESS_STEPS = ["access:manifest", "release:decided", "rename:1", "rename:2"]


@pytest.mark.parametrize("step", ACCESS_STEPS)
def test_a_record_of_pre_release_access_killed_at_any_step_is_undone_or_completed_and_verify_says_so(
        paths, released, tmp_path, step):
    """The list is written with its entry in the manifest (two renames): killed before the change
    is decided, nothing changed; after, `spi verify` says the change was cut off and which command
    finishes it (not that the list was put there by hand), and that command completes it."""
    audit = tmp_path / "audit.log"
    audit.write_text("")   # this machine's log: nobody read the release under embargo
    rid = json.loads((released.releases / "releases.json").read_text())["releases"][0]["release_id"]
    record = released.releases / rid / "pre_release_access.json"
    where = ["--releases", str(released.releases), "--out", str(released.out), "--catalogue", str(released.catalogue)]
    access = [str(paths.spi), "pre-release-access", *where, "--audit-log", str(audit)]
    before = _digest(released.releases)
    killed = subprocess.run(access, capture_output=True, text=True, timeout=180,
                            env={**os.environ, "SPI_CRASH_AT": step})
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    verify = lambda: subprocess.run([str(paths.spi), "verify", *where], capture_output=True, text=True,  # noqa: E731
                                    timeout=120)
    found = verify()
    if step == "access:manifest":
        assert _digest(released.releases) == before and not record.exists()
        assert found.returncode == 0, found.stderr
    else:
        assert found.returncode == 1
        assert found.stderr.splitlines()[0] == (
            f"PROBLEM: {released.releases / '.spi-journal.json'}: a change of the history (a release, an amendment or a "
            "record of pre-release access) was decided and cut off before all its files were in place: run `spi "
            "pre-release-access` (or `spi release`), which finishes it, then `spi verify` again; nothing else is "
            "checked until then")
        assert "put there by hand" not in found.stderr
    again = subprocess.run(access, capture_output=True, text=True, timeout=180)
    assert again.returncode == 0, again.stderr
    if step == "access:manifest":
        assert "temporary file(s) an interrupted run left" in again.stdout and "recorded who saw release" in again.stdout
    else:
        assert "completed an interrupted run into" in again.stdout and "nothing to record" in again.stdout
    assert "Traceback" not in killed.stderr + again.stderr
    entries = json.loads((released.releases / "releases.json").read_text())["releases"]
    assert [e.get("access_of") for e in entries] == [None, rid]
    assert entries[1]["pre_release_access_sha256"] == hashlib.sha256(record.read_bytes()).hexdigest()
    assert json.loads(record.read_text())["names"] == []
    found = verify()
    assert found.returncode == 0, found.stdout + found.stderr
    assert "the site serves" not in found.stdout   # the served copies written too


def test_a_release_follows_a_record_of_pre_release_access(paths, released, tmp_path, fingerprint):
    """A record is an entry like the others: the next release commits to it, and the served
    database of the release it records is not written again for it (nothing in it changed)."""
    (tmp_path / "audit.log").write_text("")
    first = json.loads((released.releases / "releases.json").read_text())["releases"][0]["release_id"]
    database = released.served / first / "indicators.duckdb"
    before = fingerprint(database)
    where = ["--releases", str(released.releases), "--out", str(released.out), "--catalogue", str(released.catalogue)]
    done = subprocess.run([str(paths.spi), "pre-release-access", *where, "--audit-log", str(tmp_path / "audit.log")],
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    assert fingerprint(database) == before
    assert _run(paths, released, "build").returncode == 0
    made = _run(paths, released, "release", "--note", "second")
    assert made.returncode == 0, made.stderr
    entries = json.loads((released.releases / "releases.json").read_text())["releases"]
    assert [("access_of" in e, "release_id" in e) for e in entries] == [(False, True), (True, False), (False, True)]
    from contract.manifest import entry_sha256
    assert entries[2]["previous_sha256"] == entry_sha256(entries[1])
    verified = subprocess.run([str(paths.spi), "verify", *where], capture_output=True, text=True, timeout=120)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert fingerprint(database) == before


def test_a_folder_left_by_an_interrupted_release_is_set_aside_and_the_next_release_works(paths, released):
    """What a release killed between its folder and its manifest left before releases were
    transactions (or a folder copied in by hand): not on record, so set aside, with a word."""
    assert _run(paths, released, "build").returncode == 0
    day = json.loads((released.releases / "releases.json").read_text())["releases"][0]["release_id"]
    stray = released.releases / "2026-12-02"
    shutil.copytree(released.releases / day, stray)
    done = _run(paths, released, "release", "--note", "second")
    assert done.returncode == 0, done.stderr
    assert "the folder of release 2026-12-02 was not on record in releases.json" in done.stdout
    assert list((released.releases / ".interrupted").iterdir())[0].name.startswith("2026-12-02-")


def _too_large(limit: int):
    def preexec():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)   # a write past the limit fails (EFBIG) instead of killing
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return preexec


def test_a_build_whose_database_cannot_grow_says_so_and_changes_nothing(paths, released):
    assert _run(paths, released, "build").returncode == 0
    released.revise(SPI_VALUE, "46")
    before = _state(released)
    done = _run(paths, released, "build", preexec=_too_large(1 << 20))
    assert done.returncode == 1
    assert "cannot be written" in done.stderr and "Traceback" not in done.stderr
    assert "build failed: 1 error(s); the database was not changed, nor the databases the site serves" in done.stderr
    assert _state(released) == before
    assert not list(released.out.rglob(".spi-part-*"))


def test_a_release_whose_figures_cannot_be_written_says_so_and_changes_nothing(paths, released):
    assert _run(paths, released, "build").returncode == 0
    before = _state(released)
    done = _run(paths, released, "release", "--note", "second", preexec=_too_large(4096))
    assert done.returncode == 1
    assert done.stderr.startswith("release refused: ") and "File too large" in done.stderr, done.stderr
    assert f"nothing was changed in {released.releases}" in done.stderr and "Traceback" not in done.stderr
    assert _state(released) == before


def _without_override():
    """A child that file permissions hold back, even as root: root writes anywhere only by its
    capabilities to override them (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER), which are
    dropped from its bounding set before `spi` runs (so chmod means what it says)."""
    def preexec():
        libc = ctypes.CDLL(None, use_errno=True)
        for cap in (1, 2, 3):   # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER
            if libc.prctl(24, cap, 0, 0, 0) != 0 and os.geteuid() == 0:   # 24: PR_CAPBSET_DROP
                raise OSError(ctypes.get_errno(), "cannot drop a capability")
    return preexec


def _readonly(folder: Path) -> None:
    """A folder whose files can be read and not written, nor anything added to it."""
    for p in [folder, *folder.rglob("*")]:
        os.chmod(p, 0o555 if p.is_dir() else 0o444)


def test_a_release_into_a_folder_it_may_not_write_is_refused_naming_the_path(paths, released):
    assert _run(paths, released, "build").returncode == 0
    _readonly(released.releases)
    before = _state(released)
    done = _run(paths, released, "release", "--note", "second", preexec=_without_override())
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stderr.startswith(f"release refused: {released.releases}/.release.lock: Permission denied"), done.stderr
    assert "Traceback" not in done.stderr and _state(released) == before


def test_a_release_whose_served_folder_is_not_writable_is_recorded_and_says_what_remains(paths, released):
    assert _run(paths, released, "build").returncode == 0
    _readonly(released.served)
    done = _run(paths, released, "release", "--note", "second", preexec=_without_override())
    assert done.returncode == 1, done.stdout + done.stderr
    assert "released " in done.stderr and "but the databases the site serves could not be written" in done.stderr
    assert "Permission denied" in done.stderr and "Run `spi build` to write them" in done.stderr
    assert "Traceback" not in done.stderr
    assert len(json.loads((released.releases / "releases.json").read_text())["releases"]) == 2   # it is recorded
    assert len(json.loads((released.served / "releases.json").read_text())["releases"]) == 1    # and not yet served


def test_a_lock_held_by_another_run_is_waited_for_then_named(paths, released):
    """Another release holding the folder's lock: the run waits (saying so), then, past
    SPI_LOCK_SECONDS, stops with a sentence naming the lock and its holder; nothing changes."""
    import fcntl
    assert _run(paths, released, "build").returncode == 0
    before = _state(released)
    lock = released.releases / ".release.lock"
    with open(lock, "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        held.truncate(0)
        held.write("4242")
        held.flush()
        done = _run(paths, released, "release", "--note", "second", env={"SPI_LOCK_SECONDS": "1"})
    assert done.returncode == 1, done.stdout + done.stderr
    assert "waiting for another release into" in done.stdout
    assert done.stderr.startswith(f"release refused: {lock}: another release (process 4242) has held this lock for")
    assert "Traceback" not in done.stderr and _state(released) == before
    assert _run(paths, released, "release", "--note", "second").returncode == 0   # once it is free
