"""Read `indicators.yaml` and refuse it unless every reference in it resolves.

The catalogue is the contract between the people who publish figures and the code:
every label, unit, breakdown, source and geography the ETL and the dashboard show comes
from here. Checking it strictly up front means the rest of the code can trust it.
"""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pycountry

from contract.manifest import public_key

from .announcements import DEFAULT_STATE, announcement_id
from .checked_yaml import YamlFileError, problem_lines, read_checked
from .messages import Text

MAX_EMBARGO_DAYS = 92   # site.max_embargo_days when the catalogue gives none: a quarter ahead

# Columns of the published `observations` table that a breakdown may not be named.
RESERVED_COLUMNS = {
    "indicator_id", "geo_code", "period", "period_start", "period_end", "value",
    "value_as_written", "qualifier", "unit", "source_id", "source_file", "source_sheet",
    "source_row", "source_column", "geo", "label_ar", "label_en", "source",
}
# An SDG indicator's code: goal, target (a number or a letter) and indicator, as 1.3.1 or 1.a.2.
_SDG_CODE = re.compile(r"(1[0-7]|[1-9])\.([1-9][0-9]?|[a-z])\.[1-9][0-9]?")
_DIACRITICS = re.compile("[\u0640\u064b-\u065f\u0670]")
_LATIN_ACCENTS = re.compile("[\u0300-\u036f]")
_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ـ": None,
                       "-": " ", "_": " ", "'": None, "’": None, "‘": None, "`": None})


class CatalogueError(ValueError):
    """The catalogue is not usable; the message names the entry and what is wrong: for the
    checks made here, a Text of etl/messages.py (catalogue.in_file: the file's name, then the
    `problem`), said in the reader's language, as are the schema's problems (etl/checked_yaml.py)."""


def fold(name: object) -> str:
    """A spelling-insensitive key for matching names: `محافظة مسقط` ~ `محافظه مسقط`,
    `Janūb al Bāţinah` (pycountry's romanisation) ~ `Janub al Batinah` (as files write it)."""
    text = unicodedata.normalize("NFKC", str(name)).casefold()
    # Drop Latin accents only: NFD, remove U+0300-U+036F, NFC again (Arabic letters recompose unchanged).
    text = unicodedata.normalize("NFC", _LATIN_ACCENTS.sub("", unicodedata.normalize("NFD", text)))
    text = _DIACRITICS.sub("", text).translate(_FOLD)
    return " ".join(text.split())


@dataclass
class Catalogue:
    """The parsed catalogue, with lookups from published labels to codes."""

    path: Path
    licence: dict
    site: dict
    topics: dict
    units: dict
    dimensions: dict
    sources: dict
    geographies: dict
    frameworks: dict
    indicators: dict
    calendar: list = field(default_factory=list)
    sdmx: dict = field(default_factory=dict)      # agency, version, dataflow of the SDMX structures (api/sdmx)
    _unit_index: dict = field(default_factory=dict, repr=False)
    _member_index: dict = field(default_factory=dict, repr=False)
    _geo_index: dict = field(default_factory=dict, repr=False)
    _bounds: dict = field(default_factory=dict, repr=False)   # (unit, country or None) -> (bound, key, line)

    def unit_code(self, label: object) -> str | None:
        """The unit code for a code, Arabic or English label or alias."""
        return self._unit_index.get(fold(label))

    def member_code(self, dimension: str, label: object) -> str | None:
        """The member code of a breakdown for a code, label or alias."""
        return self._member_index.get(dimension, {}).get(fold(label))

    def geo_code(self, country: str, label: object) -> str | None:
        """The ISO code for a name within one country (governorates first)."""
        return self._geo_index.get(country, {}).get(fold(label))

    def plausible_max(self, unit: str, country: str) -> tuple[float, str, int] | None:
        """The largest plausible figure in `unit` in `country` (`units.<unit>.plausible_max`),
        with the key that sets it and its line in the catalogue; None where there is none."""
        return self._bounds.get((unit, country)) or self._bounds.get((unit, None))

    def geography_rows(self) -> list[dict]:
        """One row per country and governorate, for the `geographies` table."""
        rows = []
        for country, geo in self.geographies.items():
            rows.append({"geo_code": country, "level": "country", "country": country,
                         "parent": None, "name_ar": geo["ar"], "name_en": geo["en"],
                         "aliases": _aliases(geo, pycountry.countries.get(alpha_2=country)),
                         "map_file": geo.get("map"), "map_within": None})
            for code, gov in geo.get("governorates", {}).items():
                rows.append({"geo_code": code, "level": "governorate", "country": country,
                             "parent": country, "name_ar": gov["ar"], "name_en": gov["en"],
                             "aliases": _aliases(gov, pycountry.subdivisions.get(code=code)),
                             "map_file": geo.get("map"), "map_within": gov.get("map_within")})
        return rows


def _aliases(entry: dict, iso) -> list[str]:
    names = [entry["ar"], entry["en"], *entry.get("aliases", [])]
    if iso is not None:
        names += [iso.name] + [getattr(iso, a) for a in ("official_name", "common_name") if hasattr(iso, a)]
    return list(dict.fromkeys(names))


def load_catalogue(path: str | Path) -> Catalogue:
    """Load and check the catalogue; raise CatalogueError naming the faulty entry."""
    path = Path(path)
    lines: dict = {}
    try:
        data = read_checked(path, "indicators.schema.json", lines)
    except YamlFileError as exc:
        # one line per problem, each starting with the file's name
        raise CatalogueError(Text("catalogue.in_file", file=path.name,
                                  problem=problem_lines([exc.args[0]], path.name))) from None
    check = _Checker(path, lines)
    cat = Catalogue(path=path, licence=data["licence"], site=data.get("site") or {}, topics=data["topics"], units=data["units"],
                    dimensions=data["dimensions"], sources=data["sources"],
                    geographies=data["geographies"], frameworks=data.get("frameworks") or {},
                    indicators=data["indicators"], calendar=data.get("calendar") or [],
                    sdmx=data.get("sdmx") or {})
    _check_and_index(cat, check)
    return cat


class _Checker:
    """Small helpers that raise CatalogueError with the entry's dotted path."""

    def __init__(self, path: Path, lines: dict | None = None):
        self.path = path
        self.lines = lines or {}   # the line of each entry, by its path of keys (checked_yaml.read_checked)

    def fail(self, where: str, message: str, at: tuple | None = None):
        problem = (Text("catalogue.at_line", line=self.line(at), where=where, message=message) if at is not None
                   else Text("catalogue.at", where=where, message=message))
        raise CatalogueError(Text("catalogue.in_file", file=self.path.name, problem=problem))

    def line(self, at: tuple) -> int:
        while at and at not in self.lines:
            at = at[:-1]
        return self.lines.get(at, 1)

    def one_of(self, value, allowed, where: str):
        if value not in allowed:
            self.fail(where, Text("catalogue.not_one_of", value=value, allowed=sorted(allowed, key=str)))


def _check_and_index(cat: Catalogue, check: _Checker) -> None:
    """What the references mean, once the schema has checked the shapes (checked_yaml.py)."""
    for key, unit in cat.units.items():
        _index(cat._unit_index, [key, unit["ar"], unit["en"], *unit.get("aliases", [])], key, check, f"units.{key}")
    for dim, spec in cat.dimensions.items():
        if dim in RESERVED_COLUMNS:
            check.fail(f"dimensions.{dim}", Text("catalogue.reserved"))
        index = cat._member_index.setdefault(dim, {})
        for code, member in spec["members"].items():
            _index(index, [code, member["ar"], member["en"], *member.get("aliases", [])], code, check,
                   f"dimensions.{dim}.members.{code}")
    for key, source in cat.sources.items():
        check.one_of(source["country"], cat.geographies, f"sources.{key}.country")
    _check_geographies(cat, check)
    _check_bounds(cat, check)
    framework_items = _check_frameworks(cat, check)
    for key, ind in cat.indicators.items():
        _check_indicator(cat, check, key, ind, framework_items)
    for key, ind in cat.indicators.items():
        _check_per_case(cat, check, key, ind)
    _check_site(cat, check)
    _check_calendar(cat, check)


def _check_bounds(cat: Catalogue, check: _Checker) -> None:
    """`units.<unit>.plausible_max`: one positive number for every country, or one per country
    of the catalogue (`{OM: 6000000, JO: 12000000}`); a figure above it is a warning
    (etl/validate.py bound_warnings). The schema has checked the shape; here, the countries,
    and that each bound is a finite positive number (`.nan` or `.inf` would never warn)."""
    for key, unit in cat.units.items():
        bound = unit.get("plausible_max")
        if bound is None:
            continue
        for country, value in (bound.items() if isinstance(bound, dict) else [(None, bound)]):
            at = ("units", key, "plausible_max", *([country] if country is not None else []))
            where = ".".join(at)
            if country is not None and country not in cat.geographies:
                check.fail(where, Text("catalogue.not_a_country", country=country, countries=sorted(cat.geographies)),
                           at)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
                check.fail(where, Text("catalogue.not_positive", value=value), at)
            cat._bounds[(key, country)] = (float(value), where, check.line(at))


def _check_calendar(cat: Catalogue, check: _Checker) -> None:
    """`calendar`: real days (2026-02-30 is refused), indicators of the catalogue, one name
    per announcement; each change of state or of date recorded with its reason, oldest
    first, none in the future (the publisher's day), each changing something, and the state
    the latest change's; and the publisher's time zone, a name the zone database knows."""
    zone = cat.site.setdefault("timezone", "Asia/Muscat")
    try:
        today = datetime.now(ZoneInfo(zone)).date()
    except (ZoneInfoNotFoundError, ValueError):
        check.fail("site.timezone", Text("catalogue.timezone", zone=zone))
    named: dict[str, int] = {}
    for n, entry in enumerate(cat.calendar):
        at = ("calendar", n)
        _day(check, entry["date"], f"calendar[{n}].date", (*at, "date"))
        for key in entry.get("indicators", []):
            check.one_of(key, cat.indicators, f"calendar[{n}].indicators")
        _check_changes(check, entry, n, today, zone)
        name = announcement_id(entry)
        if name in named:
            check.fail(f"calendar[{n}]",
                       Text("catalogue.same_announcement", other=f"calendar[{named[name]}]", name=name), at)
        named[name] = n


def _day(check: _Checker, text: str, where: str, at: tuple) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        check.fail(where, Text("catalogue.not_a_day", text=text), at)


def _check_changes(check: _Checker, entry: dict, n: int, today: date, zone: str) -> None:
    """An announcement's `changes`: each dated, in order, not ahead of today, changing its
    state or its date (a move names the day it moved from, which is not the day it moved to);
    its `state` is the latest change's (provisional without one), so that no change of state
    goes unrecorded, without its reason."""
    state, previous = DEFAULT_STATE, None
    changes = entry.get("changes", [])
    for m, change in enumerate(changes):
        where, at = f"calendar[{n}].changes[{m}]", ("calendar", n, "changes", m)
        made = _day(check, change["day"], f"{where}.day", (*at, "day"))
        if made > today:
            check.fail(f"{where}.day", Text("catalogue.change_ahead", made=made, today=today, zone=zone), (*at, "day"))
        if previous is not None and made < previous:
            check.fail(f"{where}.day", Text("catalogue.change_order", made=made, previous=previous), (*at, "day"))
        moved = "moved_from" in change
        if moved:
            after = changes[m + 1:]
            to = next((c["moved_from"] for c in after if "moved_from" in c), entry["date"])
            if _day(check, change["moved_from"], f"{where}.moved_from", (*at, "moved_from")).isoformat() == to:
                check.fail(f"{where}.moved_from", Text("catalogue.moved_to_itself", to=to), (*at, "moved_from"))
        if not moved and change["state"] == state:
            check.fail(where, Text("catalogue.changes_nothing", state=state), at)
        state, previous = change["state"], made
    given = entry.get("state", DEFAULT_STATE)
    if given != state:
        how = {"given": given, "state": state, "changes": f"calendar[{n}].changes",
               "example": f"{{day: YYYY-MM-DD, state: {given}, reason: {{ar: …, en: …}}}}"}
        said = (Text("catalogue.state_unrecorded", **how, last=f"calendar[{n}].changes[{len(changes) - 1}]") if changes
                else Text("catalogue.state_unrecorded_none", **how))
        check.fail(f"calendar[{n}].state", said, ("calendar", n, "state"))


def _check_site(cat: Catalogue, check: _Checker) -> None:
    """`site`: what the dashboard opens on. default_indicator: the explorer's indicator when
    the address names none (optional: the first headline indicator, else the first one, not
    counting those announced with no figures yet).
    max_embargo_days: how far ahead a release may go public; signing_key: the public key that
    release entries are signed with (contract/manifest.py); revision_reasons: whether a
    release must say why it changes each published figure (etl/revisions.py)."""
    cat.site.setdefault("max_embargo_days", MAX_EMBARGO_DAYS)
    cat.site.setdefault("revision_reasons", "optional")
    if "signing_key" in cat.site:
        try:
            public_key(cat.site["signing_key"])
        except ValueError as exc:
            check.fail("site.signing_key", str(exc).removeprefix("site.signing_key "))
    default = cat.site.get("default_indicator")
    if default is None:   # not one announced (`announced: true`): the explorer would open on no figures
        headline = [k for k, ind in cat.indicators.items() if ind["headline"] and not ind["announced"]]
        cat.site["default_indicator"] = (headline or [k for k, i in cat.indicators.items() if not i["announced"]]
                                         or list(cat.indicators))[0]
    else:
        check.one_of(default, cat.indicators, "site.default_indicator")
        if cat.indicators[default]["announced"]:
            check.fail("site.default_indicator", Text("catalogue.default_announced", default=default),
                       ("site", "default_indicator"))


def _check_per_case(cat: Catalogue, check: _Checker, key: str, ind: dict) -> None:
    """`per_case: <indicator>`: the explorer may divide this indicator by that one (same
    country, a count) for an amount per case, shown on both and labelled derived."""
    other = ind.setdefault("per_case", None)
    if other is None:
        return
    where = f"indicators.{key}.per_case"
    check.one_of(other, [k for k in cat.indicators if k != key], where)
    den = cat.indicators[other]
    if den["country"] != ind["country"]:
        check.fail(where, Text("catalogue.other_country", other=other))
    if cat.units[den["unit"]]["kind"] != "count":
        check.fail(where, Text("catalogue.not_a_count", other=other, unit=den["unit"]))
    if any(i.get("per_case") == other for k, i in cat.indicators.items() if k != key) or den.get("per_case"):
        check.fail(where, Text("catalogue.divides_already", other=other))


def _index(index: dict, names: list, code: str, check: _Checker, where: str) -> None:
    for name in names:
        key = fold(name)
        if index.get(key, code) != code:
            check.fail(where, Text("catalogue.name_used", name=name, code=index[key]))
        index[key] = code


def _check_geographies(cat: Catalogue, check: _Checker) -> None:
    for country, geo in cat.geographies.items():
        where = f"geographies.{country}"
        iso = pycountry.countries.get(alpha_2=country)
        if iso is None:
            check.fail(where, Text("catalogue.not_iso_country", country=country, standard="ISO 3166-1 alpha-2"))
        index = cat._geo_index.setdefault(country, {})
        governorates = geo.get("governorates") or {}
        expected = {s.code for s in pycountry.subdivisions.get(country_code=country) or []}
        missing = expected - set(governorates)
        if missing:
            check.fail(f"{where}.governorates", Text("catalogue.missing_subdivisions", standard="ISO 3166-2",
                                                     missing=sorted(missing)))
        for code, gov in governorates.items():
            if code not in expected:
                check.fail(f"{where}.governorates.{code}", Text("catalogue.not_subdivision", standard="ISO 3166-2",
                                                                country=country))
            _index(index, _aliases(gov, pycountry.subdivisions.get(code=code)) + [code], code, check,
                   f"{where}.governorates.{code}")
        # Country names go in last and never displace a governorate: in Jordan's files
        # "عمان" is Amman, in Oman's it is the country.
        for name in _aliases(geo, iso) + [country, iso.alpha_3]:
            index.setdefault(fold(name), country)


def _check_frameworks(cat: Catalogue, check: _Checker) -> set:
    items = set()
    for key, fw in cat.frameworks.items():
        check.one_of(fw["source"], cat.sources, f"frameworks.{key}.source")
        for n, item in enumerate(fw["items"]):
            where = f"frameworks.{key}.items[{n}]"
            if item.get("parent") is not None and item["parent"] not in items:
                check.fail(f"{where}.parent", Text("catalogue.parent_after", parent=item["parent"]))
            if item["id"] in items:
                check.fail(f"{where}.id", Text("catalogue.listed_twice", item=item["id"]))
            items.add(item["id"])
    return items


def _check_indicator(cat: Catalogue, check: _Checker, key: str, ind: dict, framework_items: set) -> None:
    where = f"indicators.{key}"
    check.one_of(ind["unit"], cat.units, f"{where}.unit")
    check.one_of(ind["topic"], cat.topics, f"{where}.topic")
    check.one_of(ind["country"], cat.geographies, f"{where}.country")
    ind.setdefault("higher_is_better", None)
    ind.setdefault("decimals", 0)
    breakdowns = ind.setdefault("breakdowns", [])
    for dim in breakdowns:
        check.one_of(dim, cat.dimensions, f"{where}.breakdowns")
    for dim in ind.setdefault("sum_to_total", []):
        check.one_of(dim, breakdowns, f"{where}.sum_to_total")
    for n, target in enumerate(ind.setdefault("targets", [])):
        twhere = f"{where}.targets[{n}]"
        check.one_of(target["source"], cat.sources, f"{twhere}.source")
        if "geo" in target:
            check.one_of(target["geo"], [ind["country"], *cat.geographies[ind["country"]].get("governorates", {})],
                         f"{twhere}.geo")
    for item in ind.setdefault("framework", []):
        check.one_of(item, framework_items, f"{where}.framework")
    _check_international(check, key, ind.setdefault("international", []))
    ind.setdefault("headline", False)
    # announced: true: its figures are not published yet, which the build says as INFO, not as
    # the warning an indicator with no figures gets (etl/validate.py coverage_warnings)
    ind.setdefault("announced", False)
    ind.setdefault("sum_to_country", False)


def _check_international(check: _Checker, key: str, mappings: list) -> None:
    """`international`: each series once, an SDG code of the SDG's shape (goal.target.indicator).
    The schema has required the document that states each mapping (`source`: title and url)."""
    seen = set()
    for n, mapping in enumerate(mappings):
        at = ("indicators", key, "international", n)
        where = f"indicators.{key}.international[{n}]"
        pair = (mapping["scheme"], mapping["code"])
        if pair in seen:
            check.fail(where, Text("catalogue.series_twice", series=f"{pair[0]} {pair[1]}"), at)
        seen.add(pair)
        if mapping["scheme"] == "SDG" and not _SDG_CODE.fullmatch(mapping["code"]):
            check.fail(f"{where}.code", Text("catalogue.sdg_code", code=mapping["code"]), (*at, "code"))
