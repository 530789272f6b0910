"""The published database, read-only, following rebuilds.

Each process (gunicorn worker) keeps one read-only connection and hands each request its
own cursor. The ETL swaps in a rebuilt database with os.replace, which gives the file a
new inode; on the next request the connection is reopened on the new file, so a rebuild
is picked up without restarting the server and no reader sees a half-built file. A file
is checked against the contract (contract/schema.py) when it is opened: a database from
an incompatible build is refused with a message that says what to do.
"""
from __future__ import annotations

import os
import threading
from pathlib import Path

import duckdb

from contract.project import default as default_project
from contract.schema import problems

from .errors import DatabaseMissing, SchemaError, UntrustedHistory  # noqa: F401 (where callers import them)
from .releases import MANIFEST, Releases, current

# The default project's (contract/project.py), as it was when this module was imported; served()
# looks again at each call, so that a process serves the project it was told (SPI_PROJECT).
DEFAULT_DB = default_project().candidate
DEFAULT_RELEASES = default_project().served


class Database:
    """A read-only DuckDB file that follows rebuilds."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._lock = threading.Lock()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._inode: int | None = None
        self._build_id: str | None = None

    def _current(self) -> duckdb.DuckDBPyConnection:
        """The connection on the file now at self.path, reopened if the file was replaced."""
        try:
            inode = os.stat(self.path).st_ino
        except FileNotFoundError:
            raise DatabaseMissing(f"{self.path} does not exist: run `spi build` first") from None
        if self._con is not None and inode == self._inode:
            return self._con
        with self._lock:
            if self._con is None or inode != self._inode:
                # Not duckdb.connect(path): DuckDB caches database instances by path within a
                # process, so reconnecting while any cursor on the old file is alive would hand
                # back the *old* file. A fresh in-memory instance that ATTACHes the file always
                # reads the file now at that path. The old connection is not closed here: a
                # request may still be using it; it goes with its last reference.
                con = duckdb.connect(":memory:")
                quoted = str(self.path).replace("'", "''")
                try:
                    con.execute(f"ATTACH '{quoted}' AS spi (READ_ONLY)")
                except duckdb.Error as exc:
                    raise SchemaError(f"{self.path} is not a DuckDB database this software can read "
                                      f"({type(exc).__name__}): run `spi build` to rebuild it") from None
                con.execute("USE spi")
                self._build_id = _checked(con, self.path)
                self._con, self._inode = con, inode
            return self._con

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A cursor of its own on the current build of the database (reopened after a rebuild)."""
        cur = self._current().cursor()
        cur.execute("USE spi")
        return cur

    def rows(self, sql: str, params: list | tuple | None = None) -> list[dict]:
        """A parameterised query's rows as dicts (None for NULL, datetime.date for dates)."""
        cur = self.cursor()
        try:
            cur.execute(sql, params or [])
            names = [d[0] for d in cur.description]
            return [dict(zip(names, row)) for row in cur.fetchall()]
        finally:
            cur.close()

    def columns(self, sql: str, params: list | tuple | None = None) -> dict[str, list]:
        """A parameterised query's answer as {column: values}, plain Python lists (for
        request-sized answers, cheaper than a DataFrame)."""
        cur = self.cursor()
        try:
            cur.execute(sql, params or [])
            names = [d[0] for d in cur.description]
            rows = cur.fetchall()
        finally:
            cur.close()
        return {name: [row[i] for row in rows] for i, name in enumerate(names)}

    def frame(self, sql: str, params: list | tuple | None = None):
        """A parameterised query's answer as a pandas DataFrame (for whole-dataset files)."""
        cur = self.cursor()
        try:
            return cur.execute(sql, params or []).df()
        finally:
            cur.close()

    def write_csv(self, sql: str, params: list, path: Path) -> None:
        """A query's answer as a CSV file (header, comma, double quotes; NULL as empty). The
        path goes to DuckDB as a value, never into SQL text: any folder name works."""
        cur = self.cursor()
        try:
            cur.sql(sql, params=params).write_csv(str(path), header=True, sep=",", quotechar='"')
        finally:
            cur.close()

    def write_parquet(self, sql: str, params: list, path: Path) -> None:
        """A query's answer as a Parquet file (zstd), the path given as a value."""
        cur = self.cursor()
        try:
            cur.sql(sql, params=params).write_parquet(str(path), compression="zstd")
        finally:
            cur.close()

    @property
    def build_id(self) -> str:
        """Identifies the current build; changes whenever the database is rebuilt (one stat() call)."""
        self._current()
        return self._build_id


def _checked(con: duckdb.DuckDBPyConnection, path: Path) -> str:
    """The file's build id, after checking it against the contract (SchemaError if it fails)."""
    found: dict[str, set[str]] = {}
    for table, column in con.execute("SELECT table_name, column_name FROM information_schema.columns "
                                     "WHERE table_catalog = 'spi'").fetchall():
        found.setdefault(table, set()).add(column)
    version = build_id = None
    if {"schema_version", "build_id"} <= found.get("build_info", set()):
        version, build_id = con.execute("SELECT schema_version, build_id FROM build_info").fetchone() or (None, None)
    dims = [r[0] for r in con.execute("SELECT DISTINCT dimension FROM dimensions").fetchall()] \
        if "dimension" in found.get("dimensions", set()) else []
    wrong = problems(found, version, dims)
    if wrong:
        raise SchemaError(f"{path} cannot be read: {'; '.join(wrong)}. It was built by another version of this "
                          "software: run `spi build` to rebuild it from data/raw/.")
    return build_id


_databases: dict[Path, Database] = {}
_releases: dict[Path, Releases] = {}
_lock = threading.Lock()


def served() -> Path:
    """What this process serves: $SPI_DB, else the project's data/processed/releases when `spi
    build` wrote it, else its candidate, data/processed/indicators.duckdb (the project: $SPI_PROJECT,
    else the first folder from the current one upward with an indicators.yaml). A folder is a
    releases folder (store/releases.py); a file is one build, served as it is (for development
    and tests)."""
    configured = os.environ.get("SPI_DB")
    if configured:
        return Path(configured)
    project = default_project()
    return project.served if (project.served / MANIFEST).exists() else project.candidate


def releases() -> Releases | None:
    """The releases served, or None when a single build is."""
    path = served()
    if not path.is_dir():
        return None
    found = _releases.get(path)
    if found is None:
        with _lock:
            found = _releases.setdefault(path, Releases(path))
    return found


def db() -> Database:
    """The database this request reads: the release chosen for it (store/releases.py: the live
    one by default), or the single build served."""
    rel = releases()
    if rel is None:
        path = served()
    else:
        choice = current()
        if choice is None:
            try:
                choice = rel.choose()
            except LookupError:
                raise DatabaseMissing(f"no release in {rel.folder} is public yet: run `spi release`") from None
        path = choice.release.database
    found = _databases.get(path)
    if found is None:
        with _lock:
            found = _databases.setdefault(path, Database(path))
    return found


def use(path: str | Path | None) -> None:
    """Read the database (or releases folder) at `path` from now on in this process (None:
    $SPI_DB or the default)."""
    with _lock:
        if path is not None:
            os.environ["SPI_DB"] = str(path)
        _databases.clear()
        _releases.clear()
