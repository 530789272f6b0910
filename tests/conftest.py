"""Shared fixtures: where things are, a copy of the shipped sources, a built database.

Builds always go to temporary folders; no test writes to data/ or indicators.yaml.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import csv
import io

import duckdb
import openpyxl
import pytest

from etl.build import build

REPO = Path(__file__).resolve().parent.parent
RAW = REPO / "data" / "raw"
CATALOGUE = REPO / "indicators.yaml"
SEEDS = REPO.parent / "shared" / "seeds"
SPI = REPO / ".venv" / "bin" / "spi"


@dataclass(frozen=True)
class Paths:
    repo: Path = REPO
    raw: Path = RAW
    catalogue: Path = CATALOGUE
    seeds: Path = SEEDS
    spi: Path = SPI


@pytest.fixture(scope="session")
def paths() -> Paths:
    """Where the shipped sources, the seed documents and the `spi` command are."""
    return Paths()


@dataclass
class SourceCopy:
    """A writable copy of data/raw and indicators.yaml, an output folder and a releases folder
    for it."""

    root: Path
    raw: Path
    catalogue: Path
    out: Path

    @classmethod
    def of_shipped(cls, root: Path) -> "SourceCopy":
        """A fresh copy of the shipped sources in `root`."""
        shutil.copytree(RAW, root / "raw")
        shutil.copy2(CATALOGUE, root / "indicators.yaml")
        return cls(root, root / "raw", root / "indicators.yaml", root / "out")

    @property
    def releases(self) -> Path:
        return self.root / "releases"

    @property
    def served(self) -> Path:
        """The releases folder the site serves (`spi serve --db`)."""
        return self.out / "releases"

    def cli_args(self) -> list[str]:
        return ["--raw", str(self.raw), "--catalogue", str(self.catalogue), "--out", str(self.out)]

    def revise(self, indicator: str, value: str) -> None:
        """Give the Jordanian indicator's figure in jo_social_protection_2024.csv another value."""
        path = self.raw / "jo_social_protection_2024.csv"
        rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
        assert any(r["indicator_id"] == indicator for r in rows), indicator
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows({**r, "value": value} if r["indicator_id"] == indicator else r for r in rows)
        path.write_text(out.getvalue(), encoding="utf-8")

    def release(self, note: str, at: str, made: datetime | None = None, note_ar: str | None = None) -> str:
        """`spi build`, then the release `spi release --at` makes, made at `made` (default: a
        minute before `at`, so that a test can write a history whose days are gone), then the
        served databases; the new release's id. `note` is in English, `note_ar` in Arabic (None:
        a release made the way it was before notes had both languages)."""
        from etl.release import make_release, write_served
        from spi.cli import main as spi
        assert spi(["build", *self.cli_args(), "--releases", str(self.releases)]) == 0
        if made is None:
            when = datetime.fromisoformat(at)
            made = (when if when.tzinfo else when.replace(tzinfo=ZoneInfo("Asia/Muscat"))) - timedelta(minutes=1)
        entry = make_release(note, at, self.out, self.releases, self.catalogue, by="test", now=made, note_ar=note_ar)
        write_served(self.releases, self.out, self.catalogue)
        return entry["release_id"]


@pytest.fixture
def source_copy(tmp_path: Path) -> SourceCopy:
    """A fresh copy of the shipped sources in a temp dir (edit freely)."""
    return SourceCopy.of_shipped(tmp_path)


@pytest.fixture(scope="session")
def shipped_copy(tmp_path_factory):
    """shipped_copy(name): a fresh SourceCopy in a new temp dir, for a fixture wider than a test."""
    return lambda name: SourceCopy.of_shipped(tmp_path_factory.mktemp(name))


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """The output folder of one build of the shipped sources (database and exports)."""
    out = tmp_path_factory.mktemp("built")
    result = build(RAW, CATALOGUE, out)
    assert result.ok, "\n".join(map(str, result.issues))
    return out


@pytest.fixture(scope="session")
def db(built: Path):
    """A read-only connection to the built database."""
    con = duckdb.connect(str(built / "indicators.duckdb"), read_only=True)
    yield con
    con.close()


@contextmanager
def _reading(path: Path):
    """The read layer (store/) pointed at the database at `path`, then back where it was."""
    from store import database
    old = os.environ.get("SPI_DB")
    database.use(path)
    try:
        yield path
    finally:
        if old is None:
            os.environ.pop("SPI_DB", None)
        else:
            os.environ["SPI_DB"] = old
        database.use(None)


@pytest.fixture(scope="session")
def reading():
    """reading(path): a context in which the read layer (store/) reads the database at `path`."""
    return _reading


@pytest.fixture(scope="module")
def served(built):
    """The session's database, as the site (store/) reads it, for a module's tests."""
    with _reading(built / "indicators.duckdb") as path:
        yield path


def _fingerprint(path: Path) -> tuple[str, int, int]:
    stat = path.stat()
    return hashlib.sha256(path.read_bytes()).hexdigest(), stat.st_mtime_ns, stat.st_ino


@pytest.fixture(scope="session")
def fingerprint():
    """fingerprint(path): bytes (sha256), mtime and inode of a file, which a failed
    build must leave unchanged."""
    return _fingerprint


@pytest.fixture(scope="session")
def marked(tmp_path_factory, paths):
    """The shipped sources with statuses, built into a temp folder: jo_child_safe_spaces 2024
    provisional ("12*"), jo_psychosocial_team estimated (a status column), jo_children_reunified
    2023 not available (".."), and every 2023 figure of the national workbook provisional (its
    column headed "2023*")."""
    root = tmp_path_factory.mktemp("status")
    raw = root / "raw"
    raw.mkdir()
    for p in paths.raw.iterdir():
        (raw / p.name).write_bytes(p.read_bytes())
    rows = list(csv.reader(io.StringIO((raw / "jo_social_protection_2024.csv").read_text(encoding="utf-8"))))
    header = rows[0] + ["status"]
    body = []
    for r in rows[1:]:
        r = r + [""]
        if r[0] == "jo_child_safe_spaces":
            r[header.index("value")] = "12*"                        # a mark on the cell
        if r[0] == "jo_psychosocial_team":
            r[header.index("status")] = "تقديري"                   # the status column, in Arabic
        body.append(r)
        if r[0] == "jo_children_reunified":                          # no figure for 2023, and why
            body.append([*r[:2], "2023", r[3], "..", r[5], ""])
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([header, *body])
    (raw / "jo_social_protection_2024.csv").write_text(buf.getvalue(), encoding="utf-8")
    wb = openpyxl.load_workbook(raw / "om_mosd_national.xlsx")
    ws = wb["data"]
    for cell in ws[3]:
        if cell.value == "2023":
            cell.value = "2023*"                                     # a mark on the period column
    wb.save(raw / "om_mosd_national.xlsx")
    result = build(raw, paths.catalogue, root / "out")
    assert result.ok, "\n".join(map(str, result.issues))
    return root / "out" / "indicators.duckdb"


# -- a site of releases, served by the real server ---------------------------------------------

REVIEWER, REVIEWER_PASSWORD = "amal", "a long reviewers' password"
# jo_psychosocial_team: 44 in the sources; 45 in the second release; 46 in the third, embargoed.
# Each release's note in English and Arabic; the second's in English only, as a release made
# before notes had both languages (the pages show it marked as English).
HISTORY = (("first", "2025-01-01T09:00", "44", "الإصدار الأول"), ("revised", "2025-03-01T09:00", "45", None),
           ("embargoed", "2030-01-01T09:00", "46", "إصدار محظور النشر"))
HISTORY_NOW = "2026-01-01T00:00:00+00:00"   # the server's clock: two releases public, the third embargoed


@dataclass(frozen=True)
class History:
    copy: SourceCopy
    ids: tuple[str, ...]
    env: dict[str, str]     # what the server needs: its clock, the reviewers' file, a key, an audit log

    @property
    def audit(self) -> Path:
        return Path(self.env["SPI_AUDIT_LOG"])


@pytest.fixture(scope="session")
def release_history(shipped_copy) -> History:
    """Three releases of the shipped sources (HISTORY), a reviewers' file with one reviewer
    (REVIEWER), and the environment of a server whose clock (SPI_NOW) is between the second
    release and the third: the public reads the second; the reviewer reads the third, marked."""
    from spi import reviewers
    copy = shipped_copy("history")
    ids = []
    for note, at, value, note_ar in HISTORY:
        copy.revise("jo_psychosocial_team", value)
        ids.append(copy.release(note, at, note_ar=note_ar))
    users = copy.root / "reviewers.json"
    users.write_text(json.dumps({REVIEWER: {"name": "Amal", "password_hash": reviewers.hash_password(REVIEWER_PASSWORD)}}))
    env = {"SPI_NOW": HISTORY_NOW, "SPI_REVIEWERS_FILE": str(users), "SPI_SECRET_KEY": "k" * 64,
           "SPI_AUDIT_LOG": str(copy.root / "audit.log"), "SPI_STATE": str(copy.root / "reviewers.sqlite")}
    return History(copy, tuple(ids), env)


@pytest.fixture(scope="session")
def release_site(release_history, tmp_path_factory):
    """gunicorn (2 workers, as `spi serve` runs it) serving release_history: (the server, the history)."""
    from tests.servers import gunicorn
    log = tmp_path_factory.mktemp("release-site") / "gunicorn.log"
    with gunicorn(release_history.copy.served, log, release_history.env, workers=2) as running:
        yield running, release_history
