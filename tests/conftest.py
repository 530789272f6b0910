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
from pathlib import Path

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

    def release(self, note: str, at: str) -> str:
        """`spi build` then `spi release --at`, as an operator runs them; the new release's id."""
        from spi.cli import main as spi
        assert spi(["build", *self.cli_args(), "--releases", str(self.releases)]) == 0
        assert spi(["release", "--note", note, "--at", at, "--out", str(self.out), "--releases", str(self.releases),
                    "--catalogue", str(self.catalogue), "--by", "test"]) == 0
        return json.loads((self.releases / "releases.json").read_text(encoding="utf-8"))["releases"][-1]["release_id"]


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
