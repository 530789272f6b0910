"""The explorer's state, read from and written to the URL (the permalink).

Query parameters: indicator, view (time|breakdown|geo|per_case), breakdown (a dimension),
mode (stack|group|share), geo (comma-separated ISO codes), from, to (period labels such
as 2021, 2025-H1, 2025-06), tab (chart|table|sources), lang (ar|en). Anything unknown or
malformed is replaced by a default and explained in a friendly message in the page's
language; nothing here raises.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from . import data
from .i18n import norm_lang, parse_period_label, t

VIEWS = ("time", "breakdown", "geo", "per_case")
MODES = ("stack", "group", "share")
TABS = ("chart", "table", "sources")

# Derived "per case" views: money paid / cases, for the same area and year.
PER_CASE = {
    "om_ss_paid": ("om_ss_paid", "om_ss_cases"),
    "om_ss_cases": ("om_ss_paid", "om_ss_cases"),
    "om_relief_paid": ("om_relief_paid", "om_relief_cases"),
    "om_relief_cases": ("om_relief_paid", "om_relief_cases"),
}

DEFAULT_INDICATOR = "om_nursery_children"


@dataclass(frozen=True)
class State:
    indicator: str
    view: str = "time"
    breakdown: str | None = None
    mode: str = "stack"
    geos: tuple[str, ...] = ()
    from_: str | None = None
    to: str | None = None
    tab: str = "chart"
    lang: str = "ar"
    messages: tuple[str, ...] = field(default=(), compare=False)

    def query(self, lang: str | None = None, tab: bool = True) -> dict[str, str]:
        """The state as URL query parameters (defaults left out, so links stay short)."""
        q = {"indicator": self.indicator}
        if self.view != "time":
            q["view"] = self.view
        if self.breakdown:
            q["breakdown"] = self.breakdown
        if self.view == "breakdown" and self.mode != "stack":
            q["mode"] = self.mode
        q.update(self._filters())
        if tab and self.tab != "chart":
            q["tab"] = self.tab
        q["lang"] = lang or self.lang
        return q

    def query_string(self, **kw) -> str:
        return urlencode(self.query(**kw), safe=",")

    def _filters(self) -> dict[str, str]:
        """Areas and years, named as both the page URL and the download addresses name them."""
        q = {}
        if self.geos:
            q["geo"] = ",".join(self.geos)
        if self.from_:
            q["from"] = self.from_
        if self.to:
            q["to"] = self.to
        return q

    def data_params(self) -> dict[str, str]:
        """Parameters for the downloads (/data/<id>.csv) and the API, in the agreed names."""
        q = self._filters()
        if self.view == "breakdown" and self.breakdown:
            q["breakdown"] = self.breakdown
        return q


def _first(value) -> str | None:
    if isinstance(value, (list, tuple)):
        value = value[0] if value else None
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def views_for(indicator: dict, geos_available: list[str]) -> list[str]:
    views = ["time"]
    if indicator["breakdowns"]:
        views.append("breakdown")
    if len(geos_available) > 1:
        views.append("geo")
    if indicator["indicator_id"] in PER_CASE:
        views.append("per_case")
    return views


def geos_for(indicator_id: str) -> list[str]:
    """Areas with figures for this indicator: the country first, then governorates by name."""
    codes = data.geos_by_indicator().get(indicator_id, ())
    geos = data.meta().geographies
    return sorted(codes, key=lambda c: (geos.get(c, {}).get("level") != "country", c))


def parse(params: dict, lang: str | None = None) -> State:
    """A State from URL query parameters, with a message for every value that had to be replaced."""
    lang = norm_lang(_first(params.get("lang")) or lang)
    meta = data.meta()
    messages: list[str] = []

    indicator = _first(params.get("indicator"))
    default = DEFAULT_INDICATOR if DEFAULT_INDICATOR in meta.indicators else next(iter(meta.indicators))
    if indicator is None:
        indicator = default
    elif indicator not in meta.indicators:
        messages.append(t("bad_indicator", lang, value=indicator[:80], default=meta.indicators[default][f"name_{lang}"]))
        indicator = default
    ind = meta.indicators[indicator]

    available = geos_for(indicator)
    geos: list[str] = []
    raw_geo = _first(params.get("geo"))
    if raw_geo:
        for code in raw_geo.split(","):
            code = code.strip().upper()
            if not code:
                continue
            if code in available:
                if code not in geos:
                    geos.append(code)
            else:
                messages.append(t("bad_geo", lang, value=code[:20]))
    if not geos and available:
        geos = [available[0]]

    views = views_for(ind, available)
    breakdown = _first(params.get("breakdown"))
    view = _first(params.get("view"))
    if breakdown is not None and breakdown not in ind["breakdowns"]:
        messages.append(t("bad_param", lang, value=breakdown[:40], param="breakdown"))
        breakdown = None
    if view is None:
        view = "breakdown" if breakdown else "time"
    elif view not in views:
        messages.append(t("bad_param", lang, value=view[:40], param="view"))
        view = "breakdown" if breakdown else "time"
    if view == "breakdown" and not breakdown:
        breakdown = ind["breakdowns"][0] if ind["breakdowns"] else None
        if breakdown is None:
            view = "time"
    if view != "breakdown":
        breakdown = None

    mode = _first(params.get("mode")) or "stack"
    if mode not in MODES:
        messages.append(t("bad_param", lang, value=mode[:40], param="mode"))
        mode = "stack"

    tab = _first(params.get("tab")) or "chart"
    if tab not in TABS:
        messages.append(t("bad_param", lang, value=tab[:40], param="tab"))
        tab = "chart"

    bounds = []
    for key in ("from", "to"):
        value = _first(params.get(key))
        if value is not None and parse_period_label(value) is None:
            messages.append(t("bad_year", lang, value=value[:40]))
            value = None
        bounds.append(value)
    from_, to = bounds
    if from_ and to and _period_key(from_) > _period_key(to):
        messages.append(t("bad_year", lang, value=f"{from_}–{to}"))
        from_ = to = None

    return State(indicator=indicator, view=view, breakdown=breakdown, mode=mode, geos=tuple(geos),
                 from_=from_, to=to, tab=tab, lang=lang, messages=tuple(messages))


def _period_key(label: str) -> tuple:
    year, part = parse_period_label(label)
    return (year, part or "")


def with_changes(state: State, **changes) -> State:
    return replace(state, messages=(), **changes)
