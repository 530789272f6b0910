"""The catalogue of the current build, read once per build and kept in memory.

Everything the API validates against (indicator ids, geography codes, breakdown
dimensions) and every label it prints comes from the published database, never from
code: the set of breakdown columns is the `dimensions` table, not a list written here.
"""
from __future__ import annotations

import os
import re
import threading
from dataclasses import dataclass, field
from datetime import datetime

import pandas as pd

from dashboard.data import db

IDENTIFIER = re.compile(r"[a-z][a-z0-9_]*\Z")
LANGS = ("ar", "en")


@dataclass(frozen=True)
class Meta:
    build_id: str
    built_at: datetime
    observation_count: int
    dimensions: tuple[str, ...]              # breakdown columns, in catalogue order
    dimension_names: dict[str, dict[str, str]]     # dim -> {ar, en}
    members: dict[str, dict[str, dict[str, str]]]  # dim -> member -> {ar, en}
    indicators: pd.DataFrame                 # indexed by indicator_id, catalogue order
    geographies: pd.DataFrame                # indexed by geo_code
    sources: pd.DataFrame                    # indexed by source_id
    units: pd.DataFrame                      # indexed by unit
    topics: pd.DataFrame                     # indexed by topic, in order
    targets: pd.DataFrame
    coverage: pd.DataFrame                   # per indicator: rows, first/last period, geos, sources
    licence: dict = field(default_factory=dict)

    @property
    def version(self) -> str:
        """The build and when it was made: the key of caches and ETags. (build_id is a hash of
        the inputs; a rebuild of the same inputs by changed ETL code gives the same build_id but
        a new built_at, and may give different figures.)"""
        return f"{self.build_id}-{self.built_at:%Y%m%dT%H%M%S%f}"

    @property
    def indicator_ids(self) -> list[str]:
        return list(self.indicators.index)

    @property
    def geo_codes(self) -> list[str]:
        return list(self.geographies.index)


_lock = threading.Lock()
_cache: dict[tuple, Meta] = {}


def meta() -> Meta:
    """The catalogue of the database file currently being served (re-read after a rebuild)."""
    database = db()
    build_id = database.build_id  # reopens the connection if the file was replaced
    st = os.stat(database.path)
    key = (str(database.path), build_id, st.st_ino, st.st_mtime_ns)
    found = _cache.get(key)
    if found is not None:
        return found
    with _lock:
        if key not in _cache:
            _cache.clear()
            _cache[key] = _load(build_id)
        return _cache[key]


def _load(build_id: str) -> Meta:
    q = db().query
    info = q("SELECT build_id, built_at, observation_count FROM build_info").iloc[0]
    dims = q("SELECT dimension, dimension_ar, dimension_en, member, label_ar, label_en, sort_order "
             "FROM dimensions ORDER BY rowid")
    dimensions: list[str] = []
    dimension_names: dict[str, dict[str, str]] = {}
    members: dict[str, dict[str, dict[str, str]]] = {}
    for row in dims.itertuples(index=False):
        if not IDENTIFIER.match(row.dimension):
            raise ValueError(f"dimension name {row.dimension!r} is not a plain identifier")
        if row.dimension not in dimension_names:
            dimensions.append(row.dimension)
            dimension_names[row.dimension] = {"ar": row.dimension_ar, "en": row.dimension_en}
        members.setdefault(row.dimension, {})[row.member] = {"ar": row.label_ar, "en": row.label_en}
    observed = set(q("SELECT column_name FROM information_schema.columns WHERE table_name = 'observations'")["column_name"])
    missing = [d for d in dimensions if d not in observed]
    if missing:
        raise ValueError(f"the observations table has no column for the dimensions {missing}")
    indicators = q("SELECT * FROM indicators ORDER BY sort_order").set_index("indicator_id", drop=False)
    coverage = q("""
        SELECT indicator_id, count(*) AS observations,
               arg_min(period, period_end) AS first_period, arg_max(period, period_end) AS last_period,
               min(period_start) AS first_start, max(period_end) AS last_end,
               list(DISTINCT geo_code ORDER BY geo_code) AS geos,
               list(DISTINCT source_id ORDER BY source_id) AS sources
        FROM observations GROUP BY indicator_id""").set_index("indicator_id")
    return Meta(
        build_id=build_id,
        built_at=pd.Timestamp(info["built_at"]).to_pydatetime(),
        observation_count=int(info["observation_count"]),
        dimensions=tuple(dimensions),
        dimension_names=dimension_names,
        members=members,
        indicators=indicators,
        geographies=q("SELECT * FROM geographies").set_index("geo_code", drop=False),
        sources=q("SELECT * FROM sources").set_index("source_id", drop=False),
        units=q("SELECT * FROM units").set_index("unit", drop=False),
        topics=q("SELECT * FROM topics ORDER BY sort_order").set_index("topic", drop=False),
        targets=q("SELECT * FROM targets ORDER BY indicator_id, period_end"),
        coverage=coverage,
        licence=_licence(),
    )


def _licence() -> dict:
    """The compilation's licence, from the catalogue (indicators.yaml `licence`)."""
    from pathlib import Path

    import yaml
    path = Path(__file__).resolve().parent.parent / "indicators.yaml"
    fallback = {"id": "CC-BY-4.0", "name": "Creative Commons Attribution 4.0",
                "path": "https://creativecommons.org/licenses/by/4.0/", "note": {}}
    try:
        with open(path, encoding="utf-8") as fh:
            found = (yaml.safe_load(fh) or {}).get("licence")
    except OSError:
        return fallback
    return found or fallback


def clean(value):
    """A value ready for JSON: NaN/NaT/NA become None, numpy scalars become Python ones."""
    if value is None:
        return None
    if isinstance(value, float) and value != value:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if hasattr(value, "item") and not isinstance(value, (list, dict, str)):
        try:
            return value.item()
        except (ValueError, AttributeError):
            pass
    if isinstance(value, (pd.Timestamp, datetime)):
        return value.date().isoformat() if value == value.normalize() else value.isoformat()
    return value
