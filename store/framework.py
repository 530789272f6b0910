"""What a country set out to do, and what the published figures say about it: its results
frameworks (pillar → outcomes → directions → initiatives, whatever levels the catalogue
gives) with the indicators linked to each item, and its published targets.

`plan(m, country)` is the one answer: the Framework page draws it and /api/v1/frameworks
writes it, so the two cannot differ. Figures are published national totals only: an
indicator with no total for its country (or a target with no figure for its own period)
has None there, which the page and the API show as missing; nothing is summed or filled.

An item of a country's framework may be linked to another country's indicator (by theme:
Lebanon's strategy has no figures, Oman and Jordan measure the same things). Its figures
are that country's, never the framework's country's: each Linked says whose it is (`own`),
and the page lists them apart, named as another country's. An indicator with no figure
published at all (`announced`: the catalogue announces it, with a target perhaps, and no
figure of it is in the build) is told apart from one that has figures but no national total.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

from contract.schema import LANGS

from .catalogue import meta
from .database import db
from .queries import records
from .view import Rows

STATUSES = ("on_track", "off_track", "pending")


@dataclass(frozen=True)
class Figure:
    """A published total: its value as published (with its qualifier and status) and period."""

    value: float
    period: str
    qualifier: str | None
    status: str | None
    source_id: str


@dataclass(frozen=True)
class Linked:
    """An indicator linked to a framework item (by theme: it may be another country's)."""

    indicator_id: str
    country: str                   # the indicator's country: its figures are about it
    latest: Figure | None          # its latest national total; None: none published
    own: bool = True               # the framework's country's own indicator (else another country's)
    announced: bool = False        # no figure of it is published at all yet (not even for a governorate)


@dataclass(frozen=True)
class Item:
    item_id: str
    parent_id: str | None
    level: str                     # pillar, outcome, direction, initiative… as the catalogue names it
    code: str | None
    label: dict                    # {"ar": …, "en": …}
    indicators: tuple[Linked, ...]
    children: tuple["Item", ...]   # in the catalogue's order

    @property
    def own(self) -> tuple[Linked, ...]:
        """The linked indicators of the framework's country: the only figures that are its."""
        return tuple(x for x in self.indicators if x.own)

    @property
    def others(self) -> tuple[Linked, ...]:
        """The linked indicators of other countries (by theme): their figures are theirs."""
        return tuple(x for x in self.indicators if not x.own)


@dataclass(frozen=True)
class Framework:
    framework_id: str
    name: dict                     # {"ar": …, "en": …}
    source_id: str
    items: tuple[Item, ...]        # the top level, each with its children
    country: str = ""              # whose framework it is (its source's country)


@dataclass(frozen=True)
class Target:
    indicator_id: str
    geo: str
    period: str
    value: float
    source_id: str
    note: dict                     # {"ar": …, "en": …}, None where the catalogue gives none
    compared: Figure | None        # the published total for the target's own period
    latest: Figure | None          # the latest published total for the target's place
    status: str                    # one of STATUSES (target_status)
    announced: bool = False        # no figure of the indicator is published at all yet


@dataclass(frozen=True)
class Plan:
    country: str
    frameworks: tuple[Framework, ...]
    targets: tuple[Target, ...]


def target_status(higher_is_better: bool | None, target: float, figure: float | None) -> str:
    """pending until a figure for the target's own period is published; then on_track when it
    reaches the target (at least it, or at most it where lower is better). The overview's
    target badges (dashboard/kpi.py) and the Framework page both use it."""
    if figure is None:
        return "pending"
    reached = figure >= target if higher_is_better is not False else figure <= target
    return "on_track" if reached else "off_track"


def walk(items: tuple[Item, ...], depth: int = 0):
    """(depth, item) for a tree of items, parent before child, in the catalogue's order."""
    for item in items:
        yield depth, item
        yield from walk(item.children, depth + 1)


def plan(m, country: str) -> Plan:
    """The frameworks and targets of a country of the catalogue `m`. Kept per build: shared
    between requests, never modify it."""
    return _plan(m.version, country)


@functools.lru_cache(maxsize=32)
def _plan(version: str, country: str) -> Plan:
    m = meta()
    return Plan(country=country, frameworks=tuple(_frameworks(m, country)), targets=tuple(_targets(m, country)))


def _totals(m, indicator_id: str, geo: str) -> list[dict]:
    """The published totals of an indicator in one place, oldest first (figures, not their absence)."""
    rows = Rows(indicators=(indicator_id,), geos=(geo,), breakdowns=("total",), full=False)
    return [r for r in records(m, rows) if r["value"] is not None]


def _figure(r: dict | None) -> Figure | None:
    if r is None:
        return None
    return Figure(value=float(r["value"]), period=r["period"], qualifier=r.get("qualifier"), status=r.get("status"),
                  source_id=r["source_id"])


def _frameworks(m, country: str):
    """The country's frameworks (those whose source is the country's)."""
    found = db().rows("SELECT * FROM frameworks ORDER BY framework_id, sort_order")
    links: dict[str, list[str]] = {}
    for r in db().rows("SELECT indicator_id, item_id FROM indicator_frameworks"):
        links.setdefault(r["item_id"], []).append(r["indicator_id"])
    order = {key: n for n, key in enumerate(m.indicators)}
    for framework_id in dict.fromkeys(r["framework_id"] for r in found):
        rows = [r for r in found if r["framework_id"] == framework_id]
        if m.sources[rows[0]["source_id"]]["country"] != country:
            continue
        linked = {r["item_id"]: tuple(_linked(m, i, country) for i in sorted(links.get(r["item_id"], []), key=order.get))
                  for r in rows}
        yield Framework(framework_id=framework_id, name={lang: rows[0][f"framework_{lang}"] for lang in LANGS},
                        source_id=rows[0]["source_id"], items=_tree(rows, linked), country=country)


def _tree(rows: list[dict], linked: dict[str, tuple], parent: str | None = None) -> tuple[Item, ...]:
    """The items under `parent` (None: the top level, and any item whose parent is not in the
    framework), each with its own, in sort order."""
    ids = {r["item_id"] for r in rows}
    return tuple(Item(item_id=r["item_id"], parent_id=r["parent_id"], level=r["level"], code=r["code"],
                      label={lang: r[f"label_{lang}"] for lang in LANGS}, indicators=linked[r["item_id"]],
                      children=_tree(rows, linked, r["item_id"]))
                 for r in rows if (r["parent_id"] if r["parent_id"] in ids else None) == parent)


def announced(m, indicator_id: str) -> bool:
    """No figure of the indicator is published at all yet (in any place, any breakdown): the
    catalogue declares it, with a target perhaps, and the build has no figure of it. That is
    what the catalogue's `announced: true` marks (`spi build` warns about an indicator without
    figures that is not marked), read here from the figures themselves, which the database holds."""
    return indicator_id not in m.coverage


def _linked(m, indicator_id: str, framework_country: str) -> Linked:
    country = m.indicators[indicator_id]["country"]
    found = _totals(m, indicator_id, country)
    return Linked(indicator_id=indicator_id, country=country, latest=_figure(found[-1] if found else None),
                  own=country == framework_country, announced=announced(m, indicator_id))


def _targets(m, country: str):
    """The published targets of the country's places, indicators in catalogue order, oldest first."""
    for indicator_id in m.indicators:
        for target in m.targets.get(indicator_id, []):
            if m.geographies.get(target["geo_code"], {}).get("country") != country:
                continue
            found = _totals(m, indicator_id, target["geo_code"])
            compared = _figure(next((r for r in reversed(found) if r["period"] == target["period"]), None))
            yield Target(indicator_id=indicator_id, geo=target["geo_code"], period=target["period"],
                         value=float(target["value"]), source_id=target["source_id"],
                         note={lang: target[f"note_{lang}"] for lang in LANGS},
                         compared=compared, latest=_figure(found[-1] if found else None),
                         status=target_status(m.indicators[indicator_id]["higher_is_better"], float(target["value"]),
                                              compared.value if compared else None),
                         announced=announced(m, indicator_id))
