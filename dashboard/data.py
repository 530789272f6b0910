"""The only place that talks to DuckDB.

Each process (gunicorn worker) keeps one read-only connection and hands each request
its own cursor. The ETL swaps in a rebuilt database with os.replace, which gives the
file a new inode; on the next request the connection is reopened on the new file, so a
rebuild is picked up without restarting the server and no reader sees a half-built file.
"""
from __future__ import annotations

import functools
import json
import os
import threading
from dataclasses import dataclass
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

    def _current(self) -> duckdb.DuckDBPyConnection:
        """The connection on the file now at self.path, reopened if the file was replaced."""
        try:
            inode = os.stat(self.path).st_ino
        except FileNotFoundError:
            raise FileNotFoundError(f"{self.path} does not exist: run `spi build` first") from None
        if self._con is not None and inode == self._inode:
            return self._con
        with self._lock:
            if self._con is None or inode != self._inode:
                old = self._con
                # Not duckdb.connect(path): DuckDB caches database instances by path within a
                # process, so reconnecting while any cursor on the old file is alive would hand
                # back the *old* file. A fresh in-memory instance that ATTACHes the file always
                # reads the file now at that path.
                con = duckdb.connect(":memory:")
                quoted = str(self.path).replace("'", "''")
                con.execute(f"ATTACH '{quoted}' AS spi (READ_ONLY)")
                con.execute("USE spi")
                self._build_id = con.execute("SELECT build_id FROM build_info").fetchone()[0]
                self._con = con
                self._inode = inode
                # the old connection is not closed here: a request may still be using it; it is
                # released when the last reference to it goes
                del old
            return self._con

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A cursor of its own on the current build of the database (reopened after a rebuild)."""
        cur = self._current().cursor()
        cur.execute("USE spi")
        return cur

    def query(self, sql: str, params: list | tuple | None = None) -> pd.DataFrame:
        """Run a parameterised query and return a DataFrame (never format values into SQL)."""
        cur = self.cursor()
        try:
            return cur.execute(sql, params or []).df()
        finally:
            cur.close()

    def columns(self, sql: str, params: list | tuple | None = None) -> dict[str, list]:
        """Run a parameterised query and return {column: values} as plain Python lists
        (for request-sized answers, cheaper than building a DataFrame)."""
        cur = self.cursor()
        try:
            cur.execute(sql, params or [])
            names = [d[0] for d in cur.description]
            rows = cur.fetchall()
        finally:
            cur.close()
        return {name: [row[i] for row in rows] for i, name in enumerate(names)}

    @property
    def build_id(self) -> str:
        """Identifies the current build; changes whenever the database is rebuilt (one stat() call)."""
        self._current()
        return self._build_id


_db: Database | None = None


def db() -> Database:
    """The process's database, at $SPI_DB or data/processed/indicators.duckdb."""
    global _db
    if _db is None:
        _db = Database(os.environ.get("SPI_DB", DEFAULT_DB))
    return _db


# ---------------------------------------------------------------- queries for the pages
#
# Everything below is keyed by the database's build_id, a hash of the build's inputs: a
# rebuild from changed inputs changes it, so cached results never outlive their build. Small catalogue tables are read whole;
# observations are read one indicator at a time (an indexed filter, fast even with a
# million rows) and the pages filter further in pandas.



@dataclass
class Meta:
    """The catalogue of one build, as plain dicts (cheap to use in every request)."""

    build_id: str
    built_at: str
    indicators: dict[str, dict]            # in catalogue order
    topics: dict[str, dict]                # in display order
    units: dict[str, dict]
    dimensions: dict[str, dict]            # dimension -> {dimension_ar, dimension_en, members: {code: {...}}}
    sources: dict[str, dict]
    geographies: dict[str, dict]
    targets: dict[str, list[dict]]         # indicator_id -> targets

    @property
    def dimension_columns(self) -> tuple[str, ...]:
        """The breakdown columns of `observations`, as the catalogue declares them."""
        return tuple(self.dimensions)

    def observation_columns(self) -> str:
        """The observation columns the pages read, as a SELECT list."""
        return ", ".join(["indicator_id", "geo_code", "period", "period_start", "period_end",
                          *self.dimension_columns, "value", "qualifier", "unit", "source_id"])

    def indicator(self, indicator_id: str) -> dict | None:
        return self.indicators.get(indicator_id)

    def geo_name(self, code: str, lang: str) -> str:
        geo = self.geographies.get(code)
        return geo[f"name_{lang}"] if geo else code

    def member_label(self, dimension: str, member: str, lang: str) -> str:
        dim = self.dimensions.get(dimension)
        if not dim or member not in dim["members"]:
            return member
        return dim["members"][member][f"label_{lang}"]


def _clean(v):
    if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and v != v):
        return None
    return v


def _records(df: pd.DataFrame) -> list[dict]:
    return [{k: _clean(v) for k, v in row.items()} for row in df.to_dict("records")]


@functools.lru_cache(maxsize=4)
def _meta(build_id: str, path: str) -> Meta:
    d = db()
    info = _records(d.query("SELECT build_id, CAST(built_at AS VARCHAR) AS built_at FROM build_info"))[0]
    indicators = {}
    for row in _records(d.query("SELECT * FROM indicators ORDER BY sort_order")):
        row["breakdowns"] = [] if row["breakdowns"] is None else list(row["breakdowns"])
        row["sum_to_total"] = [] if row["sum_to_total"] is None else list(row["sum_to_total"])
        row["files"] = [] if row.get("files") is None else list(row["files"])
        row["decimals"] = int(row["decimals"] or 0)
        indicators[row["indicator_id"]] = row
    topics = {r["topic"]: r for r in _records(d.query("SELECT * FROM topics ORDER BY sort_order"))}
    units = {r["unit"]: r for r in _records(d.query("SELECT * FROM units"))}
    dimensions: dict[str, dict] = {}
    for r in _records(d.query("SELECT * FROM dimensions ORDER BY dimension, sort_order")):
        dim = dimensions.setdefault(r["dimension"], {"dimension": r["dimension"], "dimension_ar": r["dimension_ar"],
                                                     "dimension_en": r["dimension_en"], "members": {}})
        dim["members"][r["member"]] = {"label_ar": r["label_ar"], "label_en": r["label_en"], "sort_order": r["sort_order"]}
    sources = {r["source_id"]: r for r in _records(d.query("SELECT * FROM sources"))}
    geographies = {}
    for r in _records(d.query("SELECT * FROM geographies")):
        r["aliases"] = list(r["aliases"]) if r.get("aliases") is not None else []
        geographies[r["geo_code"]] = r
    targets: dict[str, list[dict]] = {}
    for r in _records(d.query("SELECT indicator_id, geo_code, period, period_start, period_end, value, source_id, "
                              "note_ar, note_en FROM targets ORDER BY indicator_id, period_start")):
        targets.setdefault(r["indicator_id"], []).append(r)
    return Meta(build_id=build_id, built_at=info["built_at"], indicators=indicators, topics=topics, units=units,
                dimensions=dimensions, sources=sources, geographies=geographies, targets=targets)


def meta() -> Meta:
    """The catalogue of the current build (cached until the database is rebuilt)."""
    d = db()
    return _meta(d.build_id, str(d.path))


@functools.lru_cache(maxsize=16)
def _observations(build_id: str, path: str, indicator_id: str) -> pd.DataFrame:
    df = db().query(f"SELECT {meta().observation_columns()} FROM observations WHERE indicator_id = ? "
                    "ORDER BY period_start, period_end, geo_code", [indicator_id])
    df["period_start"] = pd.to_datetime(df["period_start"])
    df["period_end"] = pd.to_datetime(df["period_end"])
    for col in meta().dimension_columns:
        df[col] = df[col].astype(object).where(df[col].notna(), None)
    df["qualifier"] = df["qualifier"].astype(object).where(df["qualifier"].notna(), None)
    return df


def observations(indicator_id: str) -> pd.DataFrame:
    """Every published figure of one indicator (all areas, totals and breakdowns), oldest first.
    Treat the result as read-only: it is shared between requests."""
    d = db()
    return _observations(d.build_id, str(d.path), indicator_id)


def _fetch(sql: str, params: list) -> tuple[dict, ...]:
    cur = db().cursor()
    try:
        cur.execute(sql, params)
        names = [d[0] for d in cur.description]
        return tuple(dict(zip(names, row)) for row in cur.fetchall())
    finally:
        cur.close()


@functools.lru_cache(maxsize=128)
def _records_for(build_id: str, path: str, indicator_id: str, geos: tuple[str, ...] | None) -> tuple[dict, ...]:
    where, params = "indicator_id = ?", [indicator_id]
    if geos:
        where += f" AND geo_code IN ({', '.join('?' for _ in geos)})"
        params += list(geos)
    return _fetch(f"SELECT {meta().observation_columns()} FROM observations WHERE {where} "
                  "ORDER BY period_start, period_end, geo_code", params)


def records(indicator_id: str, geos: tuple[str, ...] | list[str] | None = None) -> tuple[dict, ...]:
    """Figures of one indicator (in the given areas, or all) as plain dicts (None for missing,
    dates as datetime.date), oldest first. The explorer filters these in plain Python, faster
    than pandas for a few thousand rows. Shared between requests: never modify them."""
    d = db()
    return _records_for(d.build_id, str(d.path), indicator_id, tuple(sorted(geos)) if geos else None)


@functools.lru_cache(maxsize=4)
def _periods_by_indicator(build_id: str, path: str) -> dict[str, tuple[str, ...]]:
    """Every indicator's periods in one query per build (~80 ms for a million rows, paid
    while the worker warms up), not one grouping scan (~5-9 ms) per indicator on first click."""
    rows = _fetch("SELECT indicator_id, period, MIN(period_start) AS s, MIN(period_end) AS e FROM observations "
                  "GROUP BY indicator_id, period ORDER BY indicator_id, s, e", [])
    out: dict[str, list[str]] = {}
    for r in rows:
        out.setdefault(r["indicator_id"], []).append(r["period"])
    return {k: tuple(v) for k, v in out.items()}


def periods(indicator_id: str) -> tuple[str, ...]:
    """The period labels an indicator has figures for, in time order."""
    d = db()
    return _periods_by_indicator(d.build_id, str(d.path)).get(indicator_id, ())


@functools.lru_cache(maxsize=256)
def _sources_for(build_id: str, path: str, indicator_id: str) -> tuple[str, ...]:
    rows = _fetch("SELECT source_id, MIN(period_start) AS s FROM observations WHERE indicator_id = ? "
                  "GROUP BY source_id ORDER BY s, source_id", [indicator_id])
    return tuple(r["source_id"] for r in rows if r["source_id"])


@functools.lru_cache(maxsize=64)
def _latest_totals(build_id: str, path: str, indicator_id: str, country: str) -> tuple[dict, ...]:
    no_breakdown = " AND ".join(f"o.{c} IS NULL" for c in meta().dimension_columns)
    return _fetch(f"""
        SELECT o.geo_code, o.period, o.period_start, o.period_end, o.value, o.qualifier, o.source_id
        FROM observations o JOIN geographies g ON g.geo_code = o.geo_code
        WHERE o.indicator_id = ? AND g.level = 'governorate' AND g.country = ? AND {no_breakdown}
        QUALIFY ROW_NUMBER() OVER (PARTITION BY o.geo_code ORDER BY o.period_end DESC, o.period_start DESC) = 1
        ORDER BY o.geo_code""", [indicator_id, country])


def latest_governorate_totals(indicator_id: str, country: str) -> dict[str, dict]:
    """{governorate code: its latest published total} for one indicator and country."""
    d = db()
    return {r["geo_code"]: r for r in _latest_totals(d.build_id, str(d.path), indicator_id, country)}


@functools.lru_cache(maxsize=4)
def _geo_coverage(build_id: str, path: str) -> pd.DataFrame:
    return db().query(
        "SELECT indicator_id, geo_code, COUNT(*) AS n, MAX(period_end) AS last_end FROM observations "
        "GROUP BY indicator_id, geo_code ORDER BY indicator_id, geo_code")


@functools.lru_cache(maxsize=4)
def _geos_by_indicator(build_id: str, path: str) -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for ind, geo in _geo_coverage(build_id, path)[["indicator_id", "geo_code"]].itertuples(index=False):
        out.setdefault(ind, []).append(geo)
    return {k: tuple(v) for k, v in out.items()}


def geos_by_indicator() -> dict[str, tuple[str, ...]]:
    """indicator_id -> the areas it has figures for."""
    d = db()
    return _geos_by_indicator(d.build_id, str(d.path))


def geo_coverage() -> pd.DataFrame:
    """(indicator_id, geo_code, n, last_end): which areas each indicator has figures for."""
    d = db()
    return _geo_coverage(d.build_id, str(d.path))


@functools.lru_cache(maxsize=4)
def _totals_for(build_id: str, path: str, ids: tuple[str, ...]) -> pd.DataFrame:
    if not ids:
        return pd.DataFrame(columns=["indicator_id", "geo_code", "period", "period_start", "period_end",
                                     "value", "qualifier", "source_id", "derived"])
    no_breakdown = " AND ".join(f"{c} IS NULL" for c in meta().dimension_columns)
    marks = ", ".join("?" for _ in ids)
    # published totals, and for indicators published only in parts, the sum of the parts
    # (marked derived) where no total exists for that area and period
    sql = f"""
        WITH obs AS (SELECT * FROM observations WHERE indicator_id IN ({marks})),
        totals AS (
            SELECT indicator_id, geo_code, period, period_start, period_end, value, qualifier, source_id,
                   FALSE AS derived
            FROM obs WHERE {no_breakdown}),
        parts AS (
            SELECT indicator_id, geo_code, period, ANY_VALUE(period_start) AS period_start,
                   ANY_VALUE(period_end) AS period_end, SUM(value) AS value,
                   CASE WHEN COUNT(qualifier) > 0 THEN 'more_than' END AS qualifier,
                   STRING_AGG(DISTINCT source_id, ',') AS source_id, TRUE AS derived
            FROM obs WHERE NOT ({no_breakdown})
            GROUP BY indicator_id, geo_code, period)
        SELECT * FROM totals
        UNION ALL
        SELECT p.* FROM parts p ANTI JOIN totals t
            ON p.indicator_id = t.indicator_id AND p.geo_code = t.geo_code AND p.period = t.period
        ORDER BY indicator_id, geo_code, period_start, period_end"""
    df = db().query(sql, list(ids))
    df["qualifier"] = df["qualifier"].astype(object).where(df["qualifier"].notna(), None)
    return df


def totals(indicator_ids: list[str] | tuple[str, ...]) -> pd.DataFrame:
    """Totals per indicator, area and period. Where an indicator is published only by its
    parts (e.g. associations by type) and a dimension is not a full partition, the sum of the
    parts is returned with derived=True (the pages label it so)."""
    d = db()
    return _totals_for(d.build_id, str(d.path), tuple(sorted(indicator_ids)))


def source_ids_for(indicator_id: str) -> list[str]:
    """The sources an indicator's figures come from, oldest figure first."""
    d = db()
    seen: list[str] = list(_sources_for(d.build_id, str(d.path), indicator_id))
    for target in meta().targets.get(indicator_id, []):
        if target["source_id"] not in seen:
            seen.append(target["source_id"])
    return seen


def status() -> dict:
    """For health checks and the page footer: build id, build time, observation count."""
    d = db()
    row = _records(d.query("SELECT build_id, CAST(built_at AS VARCHAR) AS built_at, observation_count FROM build_info"))[0]
    return json.loads(json.dumps(row, default=str))
