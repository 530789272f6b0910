"""The view model: what a page shows (View) and which published figures it reads (Rows).

A `View` is the explorer's state, read from and written to its address (the permalink):
indicator, view (time | breakdown | geo | per_case), breakdown, mode (stack | group |
share), geo (places), from, to (periods), period (the one period a by-area view, or a
breakdown of a long series, shows), tab, lang. `View.rows()` is the only way a page gets
its figures. The downloads (/data/<id>.csv…) and the API (/api/v1/observations) parse
their parameters with `parse_rows` into the same `Rows`, with the same period rule
(contract.periods.ends_within), so a chart, its table, its download and its API answer
are computed from one selection and cannot disagree; the explorer's download links are
`View.download_args()`, which parse back into an equal `Rows`.

Pages are lenient: a value that cannot be used is replaced by a default and explained in
a message (`View.messages`). Downloads and the API are strict: a bad value raises
ParamError, which becomes a 4xx JSON answer naming the parameter.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from urllib.parse import urlencode

from contract import periods

from .texts import t

VIEWS = ("time", "breakdown", "geo", "per_case")
MODES = ("stack", "group", "share")
TABS = ("chart", "table", "sources")
VIEW_PARAMS = ("geo", "from", "to", "breakdown")   # any of them: a view, not the full series
MAX_IDS = 50             # indicators in one request
MAX_GEOS = 100           # places in one request
BAR_GROUPS = 14          # periods a breakdown's bars stay readable over time (a group a period); beyond, one period
ID_PATTERN = r"[a-z][a-z0-9_]{0,63}"
GEO_PATTERN = r"[A-Z]{2}(-[A-Z0-9]{1,3})?"


class ParamError(Exception):
    """A request parameter that cannot be used; a 4xx answer that names it."""

    def __init__(self, parameter: str | None, message: str, status: int = 400, code: str = "invalid_parameter",
                 allowed: list | None = None):
        super().__init__(message)
        self.parameter, self.message, self.status, self.code, self.allowed = parameter, message, status, code, allowed

    def as_json(self) -> dict:
        body = {"status": self.status, "code": self.code, "message": self.message}
        if self.parameter is not None:
            body["parameter"] = self.parameter
        if self.allowed is not None:
            body["allowed"] = self.allowed
        return {"error": body}


@dataclass(frozen=True)
class Rows:
    """A selection of published figures.

    indicators: these indicators (empty: every one); geos: only these places (a country does
    not pull in its governorates; empty: every place); first, last: the `from` and `to`
    period labels; breakdowns: 'total' (rows with no breakdown), 'all', or dimensions (that
    breakdown's members, without the total); full: no view parameter was given."""

    indicators: tuple[str, ...] = ()
    geos: tuple[str, ...] = ()
    first: str | None = None
    last: str | None = None
    breakdowns: tuple[str, ...] = ("all",)
    full: bool = True

    @property
    def start(self) -> date | None:
        return periods.parse_filter(self.first).start if self.first else None

    @property
    def end(self) -> date | None:
        return periods.parse_filter(self.last).end if self.last else None

    def args(self) -> dict[str, str]:
        """The selection as the download and API parameters that give it back (parse_rows)."""
        if self.full:
            return {}
        return {**_place_and_period(self), "breakdown": ",".join(self.breakdowns)}

    def keeps(self, dims: tuple[str, ...]):
        """A test of a figure (a dict with period_end and the breakdown columns `dims`) for
        this selection's periods and breakdowns: the rule store/queries.py `where` writes in
        SQL (places and indicators are chosen before: queries.records)."""
        first = periods.parse_filter(self.first) if self.first else None
        last = periods.parse_filter(self.last) if self.last else None
        wanted = set(self.breakdowns)

        def keep(r: dict) -> bool:
            if not periods.ends_within(r["period_end"], first, last):
                return False
            if "all" in wanted:
                return True
            given = [d for d in dims if r[d] is not None]   # a total has none, a part one
            return ("total" in wanted) if not given else (len(given) == 1 and given[0] in wanted)
        return keep

    def download_args(self, indicator: str) -> dict[str, str]:
        """Parameters of /data/<indicator>.csv|.xlsx|.json|.zip that give these rows back
        (parse_download): the other indicators go in `with`."""
        added = [i for i in self.indicators if i != indicator]
        return {**self.args(), **({"with": ",".join(added)} if added else {})}


def _place_and_period(selection) -> dict[str, str]:
    """`geo`, `from` and `to` of a Rows or a View: named alike in every address."""
    given = {"geo": ",".join(selection.geos), "from": selection.first, "to": selection.last}
    return {k: v for k, v in given.items() if v}


@dataclass(frozen=True)
class View:
    """What the explorer (and an embedded chart) shows; see the module's docstring."""

    indicator: str
    kind: str = "time"
    breakdown: str | None = None
    mode: str = "stack"
    geos: tuple[str, ...] = ()
    first: str | None = None
    last: str | None = None
    period: str | None = None    # the one period shown (shows_one_period): a bar group a period is unreadable
    tab: str = "chart"
    lang: str = "ar"
    as_of: str | None = None     # the release read (store/releases.py); None: the live one
    messages: tuple[str, ...] = field(default=(), compare=False)

    def query(self, lang: str | None = None, tab: bool = True) -> dict[str, str]:
        """The view as the explorer's URL parameters (defaults left out, so links stay short)."""
        q = {"indicator": self.indicator}
        if self.kind != "time":
            q["view"] = self.kind
        if self.breakdown:
            q["breakdown"] = self.breakdown
        if self.kind == "breakdown" and self.mode != "stack":
            q["mode"] = self.mode
        q.update(_place_and_period(self))
        if self.period:
            q["period"] = self.period
        if tab and self.tab != "chart":
            q["tab"] = self.tab
        q.update(self._release())
        q["lang"] = lang or self.lang
        return q

    def _release(self) -> dict[str, str]:
        """`as_of`, which every address takes: the view's figures as a release published them."""
        return {"as_of": self.as_of} if self.as_of else {}

    def query_string(self, **kw) -> str:
        return urlencode(self.query(**kw), safe=",")

    def rows(self, meta) -> Rows:
        """The published figures this view draws on, and nothing else:
        - over time: the totals of its places (for an indicator published only by its parts,
          the parts of its first breakdown, which the chart sums and marks derived);
        - by breakdown: the parts and the totals of its first place;
        - by area: the totals of its places;
        - by area, and by breakdown of a long series, in its one period (from = to = that
          period, so its download and API address are the same selection);
        - per case: the totals of both indicators of the pair in its places."""
        ind = meta.indicators[self.indicator]
        ids, geos, breakdowns = (self.indicator,), self.geos, ("total",)
        first, last = (self.period, self.period) if self.period else (self.first, self.last)
        if self.kind == "time" and not meta.has_total(self.indicator) and ind["breakdowns"]:
            breakdowns = (ind["breakdowns"][0],)
        elif self.kind == "breakdown":
            geos, breakdowns = self.geos[:1], ("total", self.breakdown)
        elif self.kind == "per_case":
            ids = meta.per_case(self.indicator)
        return Rows(indicators=ids, geos=geos, first=first, last=last, breakdowns=breakdowns, full=False)

    def download_args(self, meta) -> dict[str, str]:
        """Parameters of /data/<indicator>.csv|.xlsx|.json|.zip that give exactly this view's rows."""
        return {**self.rows(meta).download_args(self.indicator), **self._release()}

    def api_args(self, meta) -> dict[str, str]:
        """Parameters of /api/v1/observations that give exactly this view's rows."""
        rows = self.rows(meta)
        return {"indicator": ",".join(rows.indicators), **rows.args(), **self._release()}


# ---------------------------------------------------------------- pages: lenient

def views_for(meta, indicator_id: str) -> list[str]:
    """The views the explorer offers for an indicator."""
    ind = meta.indicators[indicator_id]
    out = ["time"]
    if ind["breakdowns"]:
        out.append("breakdown")
    if len(meta.geos_of(indicator_id)) > 1:
        out.append("geo")
    if meta.per_case(indicator_id):
        out.append("per_case")
    return out


def one(value) -> str | None:
    """One text value of a parameter (the first, if it was repeated); None if there is none."""
    if isinstance(value, (list, tuple)):
        value = value[0] if value else None
    if value is None or isinstance(value, (dict, bool)):
        return None
    value = str(value).strip()
    return value or None


def parse_view(params: dict, meta, lang: str) -> View:
    """A View from the explorer's URL parameters (lang already checked by texts.lang_of), with
    a message in `lang` for every value that had to be replaced. Never raises."""
    messages: list[str] = []

    indicator = one(params.get("indicator"))
    default = meta.default_indicator if meta.default_indicator in meta.indicators else next(iter(meta.indicators))
    if indicator is None:
        indicator = default
    elif indicator not in meta.indicators:
        messages.append(t("bad_indicator", lang, value=indicator[:80], default=meta.indicators[default][f"name_{lang}"]))
        indicator = default
    ind = meta.indicators[indicator]
    available = meta.geos_of(indicator)
    views = views_for(meta, indicator)

    breakdown = one(params.get("breakdown"))
    kind = one(params.get("view"))
    if breakdown is not None and breakdown not in ind["breakdowns"]:
        messages.append(t("bad_param", lang, value=breakdown[:40], param=t("param_breakdown", lang)))
        breakdown = None
    if kind is None:
        kind = "breakdown" if breakdown else "time"
    elif kind not in views:
        messages.append(t("bad_param", lang, value=kind[:40], param=t("param_view", lang)))
        kind = "breakdown" if breakdown else "time"
    if kind == "breakdown" and not breakdown:
        breakdown = ind["breakdowns"][0] if ind["breakdowns"] else None
        if breakdown is None:
            kind = "time"
    if kind != "breakdown":
        breakdown = None

    geos: list[str] = []
    for code in (one(params.get("geo")) or "").split(","):
        code = code.strip().upper()
        if not code:
            continue
        if code in available:
            if code not in geos:
                geos.append(code)
        else:
            messages.append(t("bad_geo", lang, value=code[:20]))
    if not geos and available:
        geos = list(available) if kind == "geo" else [available[0]]

    mode = one(params.get("mode")) or "stack"
    if mode not in MODES:
        messages.append(t("bad_param", lang, value=mode[:40], param=t("param_mode", lang)))
        mode = "stack"
    tab = one(params.get("tab")) or "chart"
    if tab not in TABS:
        messages.append(t("bad_param", lang, value=tab[:40], param=t("param_tab", lang)))
        tab = "chart"

    bounds = []
    for key in ("from", "to"):
        value = one(params.get(key))
        if value is not None and periods.parse_filter(value) is None:
            messages.append(t("bad_year", lang, value=value[:40]))
            value = None
        bounds.append(value)
    first, last = bounds
    if first and last and periods.parse_filter(first).start > periods.parse_filter(last).end:
        messages.append(t("bad_year", lang, value=f"{first}–{last}"))
        first = last = None
    period, labels = None, period_choices(meta, kind, indicator, breakdown)
    if shows_one_period(kind, labels):   # one period, not a range: from and to do not apply
        only_totals = meta.periods_of(indicator) if kind == "breakdown" else ()
        period, first, last = shown_period(one(params.get("period")), labels, lang, messages, only_totals), None, None
    # as_of was checked when the request chose its release (spi/embargo.py): a view keeps it
    return View(indicator=indicator, kind=kind, breakdown=breakdown, mode=mode, geos=tuple(geos), first=first,
                last=last, period=period, tab=tab, lang=lang, as_of=one(params.get("as_of")),
                messages=tuple(messages))


def period_choices(meta, kind: str, indicator: str, breakdown: str | None) -> tuple[str, ...]:
    """The periods a view's one period is chosen from, in time order: by breakdown, those with
    its parts (a bar group a period is drawn only there); else every period of the indicator."""
    return meta.periods_with(indicator, breakdown) if kind == "breakdown" else meta.periods_of(indicator)


def shows_one_period(kind: str, labels: tuple[str, ...]) -> bool:
    """Whether a view of this kind, whose periods (period_choices) are `labels`, shows one
    period (chosen in the period selects, dashboard/controls.py) rather than a range: by area
    always (a bar group a period of every place), by breakdown when more periods than
    BAR_GROUPS have its parts (a 20-year monthly series would be 240 groups of bars); a
    short breakdown keeps its groups over time."""
    return kind == "geo" or (kind == "breakdown" and len(labels) > BAR_GROUPS)


def shown_period(value: str | None, labels: tuple[str, ...], lang: str, messages: list[str],
                 totals: tuple[str, ...] = ()) -> str | None:
    """The period a view that shows one period shows: `value` if the indicator has figures for it; a year
    alone (the year picker's choice) is that year's latest period; else the latest period
    (with a message when `value` was given and cannot be used: for a breakdown, a period among
    `totals`, the indicator's periods, has figures, only not by that breakdown)."""
    if value in labels:
        return value
    in_year = [p for p in labels if value and p[:4] == value] if value and re.fullmatch(r"\d{4}", value) else []
    if value is not None and not in_year:
        key = "total_only_period" if value in totals else "bad_area_period"
        messages.append(t(key, lang, value=value[:40]))
    return (in_year or list(labels) or [None])[-1]


# ---------------------------------------------------------------- downloads and the API: strict

def _list(raw: str, name: str, limit: int, pattern: str, what: str, example: str) -> list[str]:
    items = raw.split(",")
    if len(items) > limit:
        raise ParamError(name, f"{len(items)} {what}s requested; at most {limit} at a time", code="too_many")
    out: list[str] = []
    for item in items:
        if not item:
            raise ParamError(name, f"empty {what} in {name!r} (expected comma-separated {what}s, no spaces)")
        if not re.fullmatch(pattern, item):
            raise ParamError(name, f"{item[:80]!r} is not a valid {what} (expected something like {example})")
        if item not in out:
            out.append(item)
    return out


def indicator_ids(raw: str | None, meta, name: str = "indicator") -> list[str]:
    """Indicator ids from a comma-separated parameter: known ones (404 otherwise)."""
    if raw is None:
        return []
    ids = _list(raw, name, MAX_IDS, ID_PATTERN, "indicator id", "om_ss_cases")
    unknown = [i for i in ids if i not in meta.indicators]
    if unknown:
        raise ParamError(name, f"unknown indicator {', '.join(map(repr, unknown))}; see /api/v1/indicators "
                               "for the list", status=404, code="unknown_indicator")
    return ids


def indicator_id(value: str, meta) -> str:
    """A single indicator id from an address (e.g. /data/<id>.csv)."""
    if not re.fullmatch(ID_PATTERN, value) or value not in meta.indicators:
        raise ParamError("indicator_id", f"unknown indicator {value[:80]!r}; see /api/v1/indicators for the list",
                         status=404, code="unknown_indicator")
    return value


def _geo_codes(raw: str, meta) -> list[str]:
    codes = _list(raw, "geo", MAX_GEOS, GEO_PATTERN, "geography code", "OM or OM-BJ")
    unknown = [c for c in codes if c not in meta.geographies]
    if unknown:
        raise ParamError("geo", f"unknown geography {', '.join(map(repr, unknown))}; see /api/v1/geographies "
                                "for the codes", status=404, code="unknown_geography")
    return codes


def _period(raw: str, name: str) -> str:
    if periods.parse_filter(raw) is None:
        raise ParamError(name, f"{raw[:40]!r} is not a period (expected a label such as 2021, 2025-H1, 2025-Q3 "
                               "or 2025-06)", code="invalid_period")
    return raw


def breakdowns_offered(meta, indicators: list[str]) -> list[str]:
    """The breakdown values a selection of these indicators may ask for, in catalogue order."""
    offered = {d for i in (indicators or meta.indicators) for d in meta.indicators[i]["breakdowns"]}
    return ["total", "all", *(d for d in meta.dimension_columns if d in offered)]


def _breakdowns(raw: str | None, meta, indicators: list[str]) -> tuple[str, ...]:
    if raw is None:
        return ("total",)
    allowed = ["total", "all", *meta.dimension_columns]
    items = raw.split(",")
    if len(items) > len(allowed):
        raise ParamError("breakdown", f"{len(items)} breakdowns requested; at most {len(allowed)}", code="too_many")
    out: list[str] = []
    for item in items:
        if item not in allowed:
            raise ParamError("breakdown", f"{item[:60]!r} is not a breakdown; use total, all or one of: "
                                          f"{', '.join(meta.dimension_columns)}", code="invalid_breakdown",
                             allowed=allowed)
        if item not in out:
            out.append(item)
    offered = breakdowns_offered(meta, indicators)
    missing = [d for d in out if d not in offered]
    if missing:
        which = indicators[0] if len(indicators) == 1 else "any of the requested indicators"
        has = offered[2:]
        raise ParamError("breakdown", f"{which} has no breakdown by {', '.join(missing)}"
                                      + (f"; it has: {', '.join(has)}" if has else "; it is published as totals only"),
                         code="breakdown_not_available", allowed=offered)
    return tuple(out)


def parse_rows(args, meta, indicators: list[str]) -> Rows:
    """The Rows asked for by `geo`, `from`, `to` and `breakdown` (args: a mapping of single
    text values, already checked for unknown or repeated parameters).

    No view parameter: the full series of `indicators` (every place, period, total and
    breakdown). Any of them: that view: `geo` only these places; `from`/`to` by the period
    rule (contract.periods.ends_within); `breakdown` total (the default in a view), all,
    or dimensions, comma-separated."""
    full = not any(name in args for name in VIEW_PARAMS)
    if full:
        return Rows(indicators=tuple(indicators))
    geos = _geo_codes(args["geo"], meta) if "geo" in args else []
    first = _period(args["from"], "from") if "from" in args else None
    last = _period(args["to"], "to") if "to" in args else None
    if first and last and periods.parse_filter(first).start > periods.parse_filter(last).end:
        raise ParamError("from", f"from={first} is after to={last}", code="period_order")
    return Rows(indicators=tuple(indicators), geos=tuple(geos), first=first, last=last,
                breakdowns=_breakdowns(args.get("breakdown"), meta, indicators), full=False)


def parse_download(args, meta, indicator: str) -> Rows:
    """The rows of a per-indicator download (/data/<indicator>.csv…): the view of
    `geo`/`from`/`to`/`breakdown` (breakdowns checked against this indicator alone), of this
    indicator and of the indicators `with` adds (an amount per case needs the cases)."""
    rows = parse_rows(args, meta, [indicator])
    others = with_indicators(args.get("with"), meta, indicator)
    return replace(rows, indicators=(indicator, *others)) if others else rows


def with_indicators(raw: str | None, meta, indicator: str) -> list[str]:
    """`with` of a per-indicator download: other indicators of the same country whose figures
    the view also draws on (amounts per case divide by the cases)."""
    if raw is None:
        return []
    others = indicator_ids(raw, meta, name="with")
    country = meta.indicators[indicator]["country"]
    wrong = [i for i in others if meta.indicators[i]["country"] != country or i == indicator]
    if wrong:
        raise ParamError("with", f"{', '.join(map(repr, wrong))} cannot be added to {indicator}: it is the same "
                                 "indicator or about another country", code="invalid_with")
    return others
