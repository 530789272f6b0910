"""Shared fixtures: where things are, a copy of the shipped sources, a built database.

Builds always go to temporary folders; no test writes to data/ or indicators.yaml.
"""
from __future__ import annotations

import hashlib
import os
import shutil
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
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
    """A writable copy of data/raw and indicators.yaml, and an output folder for it."""

    root: Path
    raw: Path
    catalogue: Path
    out: Path

    def cli_args(self) -> list[str]:
        return ["--raw", str(self.raw), "--catalogue", str(self.catalogue), "--out", str(self.out)]


@pytest.fixture
def source_copy(tmp_path: Path) -> SourceCopy:
    """A fresh copy of the shipped sources in a temp dir (edit freely)."""
    shutil.copytree(RAW, tmp_path / "raw")
    shutil.copy2(CATALOGUE, tmp_path / "indicators.yaml")
    return SourceCopy(tmp_path, tmp_path / "raw", tmp_path / "indicators.yaml", tmp_path / "out")


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
