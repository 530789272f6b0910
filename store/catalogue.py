"""The catalogue of the build being served, read once per build and kept in memory.

Every label, unit, breakdown, source and target a page or an answer shows comes from the
published database (which the ETL wrote from indicators.yaml), never from code: which
breakdowns exist is the `dimensions` table, the licence and the default indicator are the
`site` table, and which indicators may be divided "per case" is `indicators.per_case`.
A rebuilt database is a new build: the next request reads its catalogue afresh.
"""
from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from datetime import datetime

from .database import db
from .queries import catalogue_tables
from .texts import separator


@dataclass(frozen=True)
class Meta:
    """The catalogue of one build, as plain dicts (cheap to use in every request)."""

    build_id: str
    built_at: datetime
    observation_count: int
    licence: dict                     # id, name, url, note {ar, en}
    default_indicator: str
    timezone: str                     # the publisher's (release times, the calendar's days)
    indicators: dict[str, dict]       # in catalogue order; breakdowns, sum_to_total, files, know_ar/en as lists;
                                      # international: [{scheme, code, source_title, source_url}]
    topics: dict[str, dict]           # in display order
    units: dict[str, dict]
    dimensions: dict[str, dict]       # dim -> {name_ar, name_en, members: {code: {label_ar, label_en}}}
    sources: dict[str, dict]
    geographies: dict[str, dict]      # countries and governorates, in catalogue order
    targets: dict[str, list[dict]]    # indicator -> its targets, oldest first
    coverage: dict[str, dict]         # indicator -> observations, first/last period, has_total,
                                      #              periods, parts ({breakdown: its periods}), geos,
                                      #              sources (only indicators with figures)
    geo_counts: dict[str, int]        # place -> number of figures
    sdmx: dict | None = None          # {agency, version, dataflow} of the SDMX structures; None: no SDMX

    @property
    def version(self) -> str:
        """The build and when it was made: the key of caches and ETags. (build_id is a hash of
        the inputs; a rebuild of the same inputs at another time may differ in what is served.)"""
        return f"{self.build_id}-{self.built_at:%Y%m%dT%H%M%S%f}"

    @property
    def dimension_columns(self) -> tuple[str, ...]:
        """The breakdown columns of `observations`, in catalogue order."""
        return tuple(self.dimensions)

    @property
    def countries(self) -> list[str]:
        return [c for c, g in self.geographies.items() if g["level"] == "country"]

    def geo_name(self, code: str, lang: str) -> str:
        geo = self.geographies.get(code)
        return geo[f"name_{lang}"] if geo else code

    def dimension_name(self, dimension: str, lang: str, in_sentence: bool = False) -> str:
        """The breakdown's name; in_sentence: as it reads inside a sentence ("By beneficiary
        category", not "By Beneficiary category"; an acronym keeps its capitals)."""
        dim = self.dimensions.get(dimension)
        name = dim[f"name_{lang}"] if dim else dimension
        if in_sentence and lang == "en" and name[:2].istitle():
            name = name[0].lower() + name[1:]
        return name

    def member_label(self, dimension: str, member: str, lang: str) -> str:
        dim = self.dimensions.get(dimension)
        if not dim or member not in dim["members"]:
            return member
        return dim["members"][member][f"label_{lang}"]

    def unit_of(self, indicator_id: str) -> dict:
        return self.units[self.indicators[indicator_id]["unit"]]

    def geos_of(self, indicator_id: str) -> tuple[str, ...]:
        """Places with figures for the indicator: the country first, then governorates by code."""
        return self.coverage.get(indicator_id, {}).get("geos", ())

    def periods_of(self, indicator_id: str) -> tuple[str, ...]:
        """The period labels the indicator has figures for, in time order."""
        return self.coverage.get(indicator_id, {}).get("periods", ())

    def periods_with(self, indicator_id: str, dimension: str) -> tuple[str, ...]:
        """The period labels the indicator has parts of the breakdown `dimension` for, in time order."""
        return self.coverage.get(indicator_id, {}).get("parts", {}).get(dimension, ())

    def has_total(self, indicator_id: str) -> bool:
        """Whether any total (no breakdown) is published; if not, the parts are summed (derived)."""
        return self.coverage.get(indicator_id, {}).get("has_total", False)

    def per_case(self, indicator_id: str) -> tuple[str, str] | None:
        """(amount, cases) when the indicator is either side of a per-case pair, else None."""
        ind = self.indicators[indicator_id]
        if ind.get("per_case"):
            return indicator_id, ind["per_case"]
        for key, other in self.indicators.items():
            if other.get("per_case") == indicator_id:
                return key, indicator_id
        return None

    def source_name(self, source_id: str, lang: str) -> str:
        """A source in one line, as downloads name it: 'publisher، title (published)'."""
        s = self.sources[source_id]
        published = f" ({s['published']})" if s["published"] else ""
        return f"{s[f'publisher_{lang}']}{separator(lang)}{s[f'title_{lang}']}{published}"

    def source_ids(self, indicator_id: str) -> list[str]:
        """The sources of the indicator's figures (oldest figure first), then of its targets."""
        found = list(self.coverage.get(indicator_id, {}).get("sources", ()))
        for target in self.targets.get(indicator_id, []):
            if target["source_id"] not in found:
                found.append(target["source_id"])
        return found


def _load() -> Meta:
    tables = catalogue_tables(db())
    build, site = tables["build"], tables["site"]
    indicators = {}
    for row in tables["indicators"]:
        for key in ("breakdowns", "sum_to_total", "files", "know_ar", "know_en"):
            row[key] = list(row[key] or [])
        row["decimals"] = int(row["decimals"] or 0)
        row["international"] = []
        indicators[row["indicator_id"]] = row
    for r in tables["international"]:
        indicators[r.pop("indicator_id")]["international"].append(r)
    dimensions: dict[str, dict] = {}
    for r in tables["dimensions"]:
        dim = dimensions.setdefault(r["dimension"], {"dimension": r["dimension"], "name_ar": r["dimension_ar"],
                                                     "name_en": r["dimension_en"], "members": {}})
        dim["members"][r["member"]] = {"label_ar": r["label_ar"], "label_en": r["label_en"]}
    geographies = {}
    for r in tables["geographies"]:
        r["aliases"] = list(r["aliases"] or [])
        geographies[r["geo_code"]] = r
    targets: dict[str, list[dict]] = {}
    for r in tables["targets"]:
        targets.setdefault(r["indicator_id"], []).append(r)
    coverage = {r["indicator_id"]: {**r, "periods": [], "parts": {}, "geos": [], "sources": []}
                for r in tables["coverage"]}
    geo_counts: dict[str, int] = {}
    for r in tables["periods"]:
        coverage[r["indicator_id"]]["periods"].append(r["period"])
    for r in tables["parts"]:
        coverage[r["indicator_id"]]["parts"].setdefault(r["dimension"], []).append(r["period"])
    for r in tables["places"]:
        coverage[r["indicator_id"]]["geos"].append(r["geo_code"])
        geo_counts[r["geo_code"]] = geo_counts.get(r["geo_code"], 0) + r["n"]
    for r in tables["cited"]:
        coverage[r["indicator_id"]]["sources"].append(r["source_id"])
    for cov in coverage.values():
        cov["periods"] = tuple(cov["periods"])
        cov["parts"] = {dim: tuple(found) for dim, found in cov["parts"].items()}
        cov["sources"] = tuple(cov["sources"])
        cov["geos"] = tuple(sorted(cov["geos"], key=lambda c: (geographies.get(c, {}).get("level") != "country", c)))
    return Meta(
        build_id=build["build_id"], built_at=build["built_at"], observation_count=int(build["observation_count"]),
        licence={"id": site["licence_id"], "name": site["licence_name"], "url": site["licence_url"],
                 "note": {"ar": site["licence_note_ar"], "en": site["licence_note_en"]}},
        default_indicator=site["default_indicator"], timezone=site["timezone"], indicators=indicators,
        topics={r["topic"]: r for r in tables["topics"]}, units={r["unit"]: r for r in tables["units"]},
        dimensions=dimensions, sources={r["source_id"]: r for r in tables["sources"]}, geographies=geographies,
        targets=targets, coverage=coverage, geo_counts=geo_counts,
        sdmx={"agency": site["sdmx_agency"], "version": site["sdmx_version"], "dataflow": site["sdmx_dataflow"]}
        if site["sdmx_agency"] else None)


_lock = threading.Lock()
_cache: dict[tuple, Meta] = {}


KEPT_BUILDS = 8   # the live release, an embargoed one and a few as_of ones, side by side


def meta() -> Meta:
    """The catalogue of the database file being served (read again after a rebuild)."""
    database = db()
    build_id = database.build_id  # reopens the connection if the file was replaced
    st = os.stat(database.path)
    key = (str(database.path), build_id, st.st_ino, st.st_mtime_ns)
    found = _cache.get(key)
    if found is not None:
        return found
    with _lock:
        if key not in _cache:
            loaded = _load()
            while len(_cache) >= KEPT_BUILDS:   # the oldest first: a rebuilt file's old catalogue
                _cache.pop(next(iter(_cache)))
            _cache[key] = loaded
        return _cache[key]
