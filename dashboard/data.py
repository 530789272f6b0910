"""The only place that talks to DuckDB.

Each process (gunicorn worker) keeps one read-only connection and hands each request
its own cursor. The ETL swaps in a rebuilt database with os.replace, which gives the
file a new inode; on the next request the connection is reopened on the new file, so a
rebuild is picked up without restarting the server and no reader sees a half-built file.
"""
from __future__ import annotations

import os
import threading
from pathlib import Path

import duckdb
import pandas as pd

DEFAULT_DB = Path(__file__).resolve().parent.parent / "data" / "processed" / "indicators.duckdb"


class Database:
    """A read-only DuckDB file that follows rebuilds."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._lock = threading.Lock()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._inode: int | None = None
        self._build_id: str | None = None

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A cursor on the current build of the database (reopened after a rebuild)."""
        try:
            inode = os.stat(self.path).st_ino
        except FileNotFoundError:
            raise FileNotFoundError(f"{self.path} does not exist: run `spi build` first") from None
        with self._lock:
            if self._con is None or inode != self._inode:
                old = self._con
                self._con = duckdb.connect(str(self.path), read_only=True)
                self._inode = inode
                self._build_id = self._con.execute("SELECT build_id FROM build_info").fetchone()[0]
                if old is not None:
                    old.close()
            return self._con.cursor()

    def query(self, sql: str, params: list | tuple | None = None) -> pd.DataFrame:
        """Run a parameterised query and return a DataFrame (never format values into SQL)."""
        cur = self.cursor()
        try:
            return cur.execute(sql, params or []).df()
        finally:
            cur.close()

    @property
    def build_id(self) -> str:
        """Identifies the current build; changes whenever the database is rebuilt."""
        self.cursor().close()
        return self._build_id


_db: Database | None = None


def db() -> Database:
    """The process's database, at $SPI_DB or data/processed/indicators.duckdb."""
    global _db
    if _db is None:
        _db = Database(os.environ.get("SPI_DB", DEFAULT_DB))
    return _db
