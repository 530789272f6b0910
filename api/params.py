"""Query parameters of the downloads and the API: parsed, bounded and checked.

Every value a request sends is checked here against the catalogue of the current build
before any query runs; a bad value raises `ParamError`, which the routes turn into a 4xx
JSON error that names the parameter and says what was expected. Values only ever reach
SQL as bound parameters (see api/queries.py).

What a view is (the same rules for `/data/<id>.csv|.xlsx|.json|.zip` and for
`/api/v1/observations`):

* No view parameter (`geo`, `from`, `to`, `breakdown`) at all: the **full series**, every
  published figure of the indicator: every geography, every period, the totals and every
  breakdown.
* Any view parameter present: **the current view**, exactly what a chart with those
  settings shows:
  - `geo`: comma-separated geography codes (`OM`, `OM-BJ`); only those codes (a country
    code does not pull in its governorates). Omitted: every geography.
  - `from`, `to`: period labels (`2021`, `2025-H1`, `2025-Q3`, `2025-06`). A figure is kept
    when the date its period ends falls between the first day of `from` and the last day
    of `to`; so `from=2021&to=2021` keeps a stock counted on 31 Dec 2021 and a flow over
    2021, and `to=2025` keeps the half-year 2025-H1. Omitted: no bound on that side.
  - `breakdown`: `total` (the totals only: every breakdown column empty), a dimension
    name such as `sex` (the members of that breakdown only, without the total), or `all`
    (totals and every breakdown); several may be joined with commas (`total,sex`).
    **Omitted in a view: `total`**, because that is what a chart without a breakdown shows.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from .meta import Meta

MAX_IDS = 50            # indicators in one request
MAX_GEOS = 100          # geography codes in one request
MAX_PARAM_CHARS = 2000  # any single parameter value
MAX_LIMIT = 100_000     # rows per API page
DEFAULT_LIMIT = 10_000
MAX_OFFSET = 100_000_000
VIEW_PARAMS = ("geo", "from", "to", "breakdown")

ID_PATTERN = r"[a-z][a-z0-9_]{0,63}"
GEO_PATTERN = r"[A-Z]{2}(-[A-Z0-9]{1,3})?"
PERIOD_PATTERN = r"(19|20)[0-9]{2}(-(0[1-9]|1[0-2]|H[12]|Q[1-4]))?"
_PERIOD = re.compile(r"((?:19|20)[0-9]{2})(?:-(0[1-9]|1[0-2]|H[12]|Q[1-4]))?")


class ParamError(Exception):
    """A request parameter that cannot be used; becomes a 4xx JSON error."""

    def __init__(self, parameter: str | None, message: str, status: int = 400, code: str = "invalid_parameter",
                 allowed: list | None = None):
        super().__init__(message)
        self.parameter = parameter
        self.message = message
        self.status = status
        self.code = code
        self.allowed = allowed

    def as_json(self) -> dict:
        body = {"status": self.status, "code": self.code, "message": self.message}
        if self.parameter is not None:
            body["parameter"] = self.parameter
        if self.allowed is not None:
            body["allowed"] = self.allowed
        return {"error": body}


@dataclass
class View:
    indicators: list[str] = field(default_factory=list)   # empty = every indicator
    geos: list[str] = field(default_factory=list)          # empty = every geography
    start: date | None = None
    end: date | None = None
    period_from: str | None = None
    period_to: str | None = None
    breakdowns: list[str] = field(default_factory=lambda: ["all"])  # 'total', 'all', or dimension names
    full: bool = True  # no view parameter was given

    def query_args(self) -> dict[str, str]:
        """The view as query parameters (for links that reproduce it)."""
        args: dict[str, str] = {}
        if self.geos:
            args["geo"] = ",".join(self.geos)
        if self.period_from:
            args["from"] = self.period_from
        if self.period_to:
            args["to"] = self.period_to
        if not self.full:
            args["breakdown"] = ",".join(self.breakdowns)
        return args


def check_known(args, allowed: tuple[str, ...]) -> None:
    """Refuse parameters the address does not take (a typo must not silently widen a download)."""
    for name in args.keys():
        if name not in allowed:
            raise ParamError(name, f"unknown parameter {name!r}; this address takes: {', '.join(allowed)}",
                             code="unknown_parameter", allowed=list(allowed))
    for name in args.keys():
        values = args.getlist(name)
        if len(values) > 1:
            raise ParamError(name, f"parameter {name!r} is given {len(values)} times; give it once "
                                   "(join several values with commas)", code="repeated_parameter")
        if len(values[0]) > MAX_PARAM_CHARS:
            raise ParamError(name, f"parameter {name!r} is {len(values[0])} characters long; the limit is "
                                   f"{MAX_PARAM_CHARS}", code="too_long")


def _list(raw: str, name: str, limit: int, pattern: str, what: str) -> list[str]:
    items = raw.split(",")
    if len(items) > limit:
        raise ParamError(name, f"{len(items)} {what}s requested; at most {limit} at a time", code="too_many")
    out: list[str] = []
    for item in items:
        if not item:
            raise ParamError(name, f"empty {what} in {name!r} (expected comma-separated {what}s, no spaces)")
        if not re.fullmatch(pattern, item):
            raise ParamError(name, f"{item[:80]!r} is not a valid {what} (expected something like "
                                   f"{'om_ss_cases' if what == 'indicator id' else 'OM or OM-BJ'})")
        if item not in out:
            out.append(item)
    return out


def indicator_ids(raw: str | None, m: Meta, name: str = "indicator") -> list[str]:
    if raw is None:
        return []
    ids = _list(raw, name, MAX_IDS, ID_PATTERN, "indicator id")
    unknown = [i for i in ids if i not in m.indicators.index]
    if unknown:
        raise ParamError(name, f"unknown indicator {', '.join(map(repr, unknown))}; see /api/v1/indicators "
                               "for the list", status=404, code="unknown_indicator")
    return ids


def indicator_id(value: str, m: Meta) -> str:
    """A single indicator id from a path (e.g. /data/<id>.csv)."""
    if len(value) > 64 or not re.fullmatch(ID_PATTERN, value):
        raise ParamError("indicator_id", f"{value[:80]!r} is not an indicator id", status=404, code="unknown_indicator")
    if value not in m.indicators.index:
        raise ParamError("indicator_id", f"unknown indicator {value!r}; see /api/v1/indicators for the list",
                         status=404, code="unknown_indicator")
    return value


def geo_codes(raw: str | None, m: Meta) -> list[str]:
    if raw is None:
        return []
    codes = _list(raw, "geo", MAX_GEOS, GEO_PATTERN, "geography code")
    unknown = [c for c in codes if c not in m.geographies.index]
    if unknown:
        raise ParamError("geo", f"unknown geography {', '.join(map(repr, unknown))}; see /api/v1/geographies "
                                "for the codes", status=404, code="unknown_geography")
    return codes


def period_bounds(raw: str, name: str) -> tuple[date, date]:
    """First and last day of a period label: 2021, 2025-H1, 2025-Q3, 2025-06."""
    m = _PERIOD.fullmatch(raw)
    if not m:
        raise ParamError(name, f"{raw[:40]!r} is not a period (expected a label such as 2021, 2025-H1, 2025-Q3 "
                               "or 2025-06)", code="invalid_period")
    year, part = int(m.group(1)), m.group(2)
    if part is None:
        first, months = 1, 12
    elif part[0] == "H":
        first, months = 6 * int(part[1]) - 5, 6
    elif part[0] == "Q":
        first, months = 3 * int(part[1]) - 2, 3
    else:
        first, months = int(part), 1
    start = date(year, first, 1)
    last_month = first + months - 1
    end = (date(year + 1, 1, 1) if last_month == 12 else date(year, last_month + 1, 1)) - timedelta(days=1)
    return start, end


def breakdown_list(raw: str | None, m: Meta, indicators: list[str]) -> list[str]:
    if raw is None:
        return ["total"]
    items = raw.split(",")
    allowed = ["total", "all", *m.dimensions]
    if len(items) > len(allowed):
        raise ParamError("breakdown", f"{len(items)} breakdowns requested; at most {len(allowed)}", code="too_many")
    out: list[str] = []
    for item in items:
        if item not in allowed:
            raise ParamError("breakdown", f"{item[:60]!r} is not a breakdown; use total, all or one of: "
                                          f"{', '.join(m.dimensions)}", code="invalid_breakdown", allowed=allowed)
        if item not in out:
            out.append(item)
    dims = [d for d in out if d in m.dimensions]
    if dims and indicators:
        offered = {d for i in indicators for d in m.indicators.at[i, "breakdowns"]}
        missing = [d for d in dims if d not in offered]
        if missing:
            which = indicators[0] if len(indicators) == 1 else "any of the requested indicators"
            has = sorted(offered)
            raise ParamError("breakdown", f"{which} has no breakdown by {', '.join(missing)}"
                                          + (f"; it has: {', '.join(has)}" if has else "; it is published as totals only"),
                             code="breakdown_not_available", allowed=["total", "all", *has])
    return out


def view(args, m: Meta, indicators: list[str]) -> View:
    """The view asked for by `geo`, `from`, `to` and `breakdown` (see the module's docstring)."""
    v = View(indicators=indicators)
    v.full = not any(name in args for name in VIEW_PARAMS)
    if v.full:
        return v
    v.geos = geo_codes(args.get("geo"), m)
    if "from" in args:
        v.period_from = args["from"]
        v.start = period_bounds(v.period_from, "from")[0]
    if "to" in args:
        v.period_to = args["to"]
        v.end = period_bounds(v.period_to, "to")[1]
    if v.start and v.end and v.start > v.end:
        raise ParamError("from", f"from={v.period_from} is after to={v.period_to}", code="period_order")
    v.breakdowns = breakdown_list(args.get("breakdown"), m, indicators)
    return v


def choice(args, name: str, options: tuple[str, ...], default: str) -> str:
    value = args.get(name, default)
    if value not in options:
        raise ParamError(name, f"{value[:40]!r} is not allowed for {name}; use one of: {', '.join(options)}",
                         allowed=list(options))
    return value


def flag(args, name: str, default: bool) -> bool:
    value = args.get(name)
    if value is None:
        return default
    low = value.lower()
    if low in ("1", "true", "yes"):
        return True
    if low in ("0", "false", "no"):
        return False
    raise ParamError(name, f"{value[:40]!r} is not allowed for {name}; use true or false", allowed=["true", "false"])


def integer(args, name: str, default: int, low: int, high: int) -> int:
    value = args.get(name)
    if value is None:
        return default
    if not re.fullmatch(r"[0-9]{1,12}", value):
        raise ParamError(name, f"{value[:40]!r} is not a whole number for {name} ({low} to {high})")
    number = int(value)
    if not low <= number <= high:
        raise ParamError(name, f"{name}={number} is out of range: {low} to {high}", code="out_of_range")
    return number
