"""What a file names that the catalogue lacks, each with the entry to add to indicators.yaml.

A table may bring an indicator, a source, a place or a breakdown member the catalogue does not
know yet; the validator refuses its figures until it does. The desk names each one and gives the
catalogue entry to add as YAML text: only what the file itself says is filled in (the id as
written, the Arabic or English label as printed, the file it came from, the country its places or
its source say, the breakdowns its columns fill); everything else is REPLACE_ME, which the
catalogue's checks refuse, so an entry is never published half written. A place or a member may
be a new spelling of one the catalogue has: the entry says so when one is close, as the
validator's "did you mean" does.
"""
from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass

import pandas as pd

from .catalogue import Catalogue, fold
from .versions import family

REPLACE = "REPLACE_ME"
_ARABIC = re.compile("[\u0600-\u06ff]")
_ID = re.compile(r"[a-z][a-z0-9_]*")


@dataclass(frozen=True)
class Gap:
    """One thing the catalogue lacks: its kind ("indicator", "source", "place", "member"), the
    name the file gives, where it goes in indicators.yaml (`section`), where the file names it
    (its first few figures: "sheet!B3" read by a `layout: table` recipe, "row 3" of a table whose
    header names its columns), and the YAML entry to add under that section."""

    kind: str
    name: str
    section: str
    cells: tuple
    yaml: str


def _q(text) -> str:
    """A YAML scalar: JSON's double-quoted string is YAML's."""
    return json.dumps(str(text), ensure_ascii=False)


def _labels(text: str) -> str:
    """{ar: …, en: …} with the printed label in its language and the other to fill in."""
    return f"{{ar: {_q(text)}, en: {REPLACE}}}" if _ARABIC.search(text) else f"{{ar: {REPLACE}, en: {_q(text)}}}"


def _blank(value) -> bool:
    return value is None or (isinstance(value, float) and value != value) or not str(value).strip()


def _cells(rows: pd.DataFrame, most: int = 3) -> tuple:
    out = []
    for rec in rows.head(most).itertuples(index=False):
        sheet = f"{rec.source_sheet}!" if isinstance(rec.source_sheet, str) else ""
        letter = isinstance(rec.source_column, str) and re.fullmatch("[A-Z]{1,3}", rec.source_column)
        out.append(f"{sheet}{rec.source_column}{rec.source_row}" if letter else f"{sheet}row {rec.source_row}")
    return tuple(out)


def _near(name: str, known: dict[str, str]) -> str:
    """' (or a spelling of X: add it to its aliases)' for a close known name, else ''."""
    found = difflib.get_close_matches(fold(name), list(known), n=1, cutoff=0.6)
    return f"; or, if it is {known[found[0]]}, add {_q(name)} to that entry's `aliases:` instead" if found else ""


def missing_from_catalogue(records: pd.DataFrame, cat: Catalogue) -> list[Gap]:
    """The indicators, sources, places and breakdown members that `records` (etl/extract.py's,
    as the grid holds them) name and the catalogue lacks, each with its entry (see the module)."""
    if records is None or not len(records):
        return []
    recs = records.astype(object).where(records.notna(), None)
    text = lambda column: pd.Series([None if _blank(v) else " ".join(str(v).split()) for v in recs[column]],
                                    index=recs.index, dtype=object)
    ind, geo, src = text("indicator_id"), text("geo"), text("source_id")
    gaps: list[Gap] = []
    for key in dict.fromkeys(i for i in ind if isinstance(i, str) and i not in cat.indicators and i != REPLACE):
        rows = recs[ind == key]
        gaps.append(Gap("indicator", key, "indicators", _cells(rows), _indicator_entry(key, rows, geo[ind == key],
                                                                                     src[ind == key], cat)))
    for key in dict.fromkeys(s for s in src if isinstance(s, str) and s not in cat.sources and s != REPLACE):
        rows = recs[src == key]
        countries = {cat.indicators[i]["country"] for i in ind[src == key] if i in cat.indicators}
        country = countries.pop() if len(countries) == 1 else REPLACE
        gaps.append(Gap("source", key, "sources", _cells(rows), "\n".join([
            f"  {key if _ID.fullmatch(key) else REPLACE}:" + ("" if _ID.fullmatch(key) else f"   # the file says {_q(key)}"),
            f"    country: {country}",
            f"    publisher: {{ar: {REPLACE}, en: {REPLACE}}}",
            f"    title: {{ar: {REPLACE}, en: {REPLACE}}}",
            f"    published: \"{REPLACE}\"",
            f"    reference_period: {{ar: {REPLACE}, en: {REPLACE}}}"]) + "\n"))
    country = ind.map(lambda i: cat.indicators[i]["country"] if i in cat.indicators else None)
    for c in dict.fromkeys(x for x in country if isinstance(x, str)):
        names = {fold(n): f"{code} ({g['name_ar']})" for g in cat.geography_rows() if g["country"] == c
                 for code in [g["geo_code"]] for n in g["aliases"]}
        unknown = [g for g in dict.fromkeys(geo[country == c]) if isinstance(g, str) and cat.geo_code(c, g) is None]
        for place in unknown:
            rows = recs[(country == c) & (geo == place)]
            gaps.append(Gap("place", place, f"geographies.{c}.governorates", _cells(rows),
                            f"      {REPLACE}: {_labels(place)}   # a governorate of {c}: its ISO 3166-2 code"
                            f"{_near(place, names)}\n"))
    for dim, spec in cat.dimensions.items():
        if dim not in recs:
            continue
        values = text(dim)
        names = {fold(n): code for code, m in spec["members"].items() for n in (code, m["ar"], m["en"], *m.get("aliases", []))}
        for member in dict.fromkeys(v for v in values if isinstance(v, str) and cat.member_code(dim, v) is None):
            rows = recs[values == member]
            gaps.append(Gap("member", member, f"dimensions.{dim}.members", _cells(rows),
                            f"      {REPLACE}: {_labels(member)}   # a member of {dim}: its id{_near(member, names)}\n"))
    return gaps


def _indicator_entry(key: str, rows: pd.DataFrame, geo: pd.Series, src: pd.Series, cat: Catalogue) -> str:
    """An indicator's entry: its file, and the country its places or its source say."""
    countries = {c for g in geo.dropna().unique() for c in cat.geographies if cat.geo_code(c, g) is not None}
    countries |= {cat.sources[s]["country"] for s in src.dropna().unique() if s in cat.sources}
    country = countries.pop() if len(countries) == 1 else REPLACE
    units = {cat.unit_code(u) for u in rows["unit"] if not _blank(u)} - {None}
    unit = units.pop() if len(units) == 1 else REPLACE
    files = sorted({family(f) for f in rows["source_file"] if isinstance(f, str)})
    breakdowns = [d for d in cat.dimensions if d in rows and rows[d].map(lambda v: not _blank(v)).any()]
    lines = [f"  {key if _ID.fullmatch(key) else REPLACE}:" + ("" if _ID.fullmatch(key) else f"   # the file says {_q(key)}"),
             f"    topic: {REPLACE}                # one of {', '.join(cat.topics)}",
             f"    country: {country}",
             f"    files: [{', '.join(files)}]",
             f"    unit: {unit}" + ("" if unit != REPLACE else f"   # one of {', '.join(cat.units)}"),
             f"    measure: {REPLACE}              # flow (counted over the period) or stock (counted on a day)"]
    if breakdowns:
        lines.append(f"    breakdowns: [{', '.join(breakdowns)}]")
    lines += [f"    name: {{ar: {REPLACE}, en: {REPLACE}}}", f"    definition: {{ar: {REPLACE}, en: {REPLACE}}}"]
    return "\n".join(lines) + "\n"


__all__ = ["Gap", "missing_from_catalogue"]
