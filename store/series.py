"""The numbers of a view: its periods, series, and the rows of its table. No wording.

`chart(view, meta)` reads the view's figures (queries.records of view.rows()) and returns a
Chart of plain numbers and codes; store/wording.py adds the words in a second pass. The
table holds every published figure the chart draws on, then the derived ones (sum of parts,
shares, amounts per case), each marked derived, so a page's table, its chart and its
download (the same rows) agree. Missing periods stay missing: a gap in a run of years is
None (no line is drawn across it) and is named in a note.
"""
from __future__ import annotations

import dataclasses
import operator
from dataclasses import dataclass, field

from contract import periods
from contract.schema import STATUSES

from . import queries
from .view import View


@dataclass
class Series:
    key: str            # place, breakdown member, or period (the by-area view)
    values: list        # one per x category; None where no figure
    qualifiers: list    # the figure's qualifier (more_than) per category, None otherwise
    derived: bool = False
    statuses: list = field(default_factory=list)   # the figure's status per category (None: as published)
    revisions: list = field(default_factory=list)  # revision() per category, None if never revised


@dataclass
class Chart:
    """A view's numbers. `x` holds period labels, or place codes when x_is == "geo"."""

    view: View
    kind: str                          # "line" or "bars"
    barmode: str | None
    x: list[str]
    series: list[Series]
    table: list[dict]                  # see _row()
    x_is: str = "period"
    labels: list[str] = field(default_factory=list)   # periods with a figure, in time order
    gaps: list[str] = field(default_factory=list)     # periods of the run with no figure
    totals: list = field(default_factory=list)        # by breakdown: the published total per period
    reference: list = field(default_factory=list)     # by area: the country's Series (one value per period) drawn
                                                      # as a reference beside its governorates, not as a bar
    notes: list[tuple] = field(default_factory=list)  # (kind, *data), worded by store/wording.py
    unit: str = "unit"                 # unit | share | share_of_parts | per_case
    percent: bool = False
    derived: bool = False
    sources: list[str] = field(default_factory=list)
    measure: str = "stock"
    decimals: int = 0

    @property
    def empty(self) -> bool:
        return not any(v is not None for s in self.series for v in s.values)

    @property
    def drawn(self) -> list[str]:
        """The periods the chart draws a figure for, in time order: what its subtitle names
        (a breakdown published for one period, beside totals of others, is of that period)."""
        if self.x_is == "geo":   # a series per period; the reference has a value per period, in the same order
            return [s.key for i, s in enumerate(self.series)
                    if any(v is not None for v in s.values)
                    or any(len(r.values) > i and r.values[i] is not None for r in self.reference)]
        return [x for i, x in enumerate(self.x) if any(len(s.values) > i and s.values[i] is not None
                                                       for s in self.series)]


def _row(r: dict, category: str, dimension: str | None = None, derived: bool = False, value=None,
         unit: str = "unit") -> dict:
    """A table row: a figure (or a number derived from figures) and what it is.
    category: total | sum_of_parts | member (of `dimension`) | indicator | share | per_case."""
    return {"indicator_id": r["indicator_id"], "period": r["period"], "period_end": r["period_end"],
            "geo": r["geo_code"], "category": category, "dimension": dimension,
            "member": r[dimension] if dimension else None,
            "value": r["value"] if value is None else value, "qualifier": None if derived else r.get("qualifier"),
            "status": r.get("status"), "revision": None if derived else revision(r),
            "source_id": r.get("source_id"), "derived": derived, "unit": unit}


def revision(r: dict | None) -> tuple | None:
    """(revised_on, previous_value, why) of a figure a later release revised, else None; why:
    (kind, reason_ar, reason_en) as that release said (etl/revisions.py), None when it did not."""
    if r is None or r.get("revised_on") is None:
        return None
    why = (r["revision_kind"], r["revision_reason_ar"], r["revision_reason_en"]) if r.get("revision_kind") else None
    return r["revised_on"], r.get("previous_value"), why


def _blank(columns):
    """A test that a row has no member in any of `columns` (one C-level lookup of them all,
    several times faster than testing them one by one over thousands of rows)."""
    if not columns:
        return lambda r: True
    members = operator.itemgetter(*columns)
    none = (None,) * len(columns) if len(columns) > 1 else None
    return lambda r: members(r) == none


def _in_time_order(rows) -> list[str]:
    """The rows' period labels, each once, in time order (by end, then start)."""
    spans = {r["period"]: (r["period_end"], r["period_start"]) for r in rows}
    return sorted(spans, key=spans.__getitem__)


def _values(by_period: dict[str, dict], x: list[str]) -> dict:
    """A series' values, qualifiers and statuses over `x` (None where no figure)."""
    found = [by_period.get(p) for p in x]
    return {"values": [None if r is None or r["value"] is None else float(r["value"]) for r in found],
            "qualifiers": [None if r is None else r.get("qualifier") for r in found],
            "statuses": [None if r is None else r.get("status") for r in found],
            "revisions": [revision(r) for r in found]}


def _sources(rows) -> list[str]:
    return list(dict.fromkeys(r["source_id"] for r in rows if r.get("source_id")))


def sum_parts(rows, dims) -> list[dict]:
    """One derived total per (place, period) from the parts (for indicators published only in
    parts): the rows of one breakdown, none of another."""
    out: dict[tuple, dict] = {}
    blank = dict.fromkeys(dims)
    for r in rows:
        if r["value"] is None:   # a part the source gives no figure for: nothing to add
            continue
        key = (r["geo_code"], r["period"])
        if key not in out:
            out[key] = {**r, **blank, "value": 0.0, "qualifier": None, "status": None}
        out[key]["value"] += r["value"]
        if r.get("qualifier"):
            out[key]["qualifier"] = "more_than"
        out[key]["status"] = out[key]["status"] or r.get("status")   # a sum of provisional parts is provisional
    return list(out.values())


def chart(view: View, meta) -> Chart:
    """The numbers of a view (see the module's docstring)."""
    if view.kind == "per_case":
        return with_statuses(_per_case(view, meta))
    rows = queries.records(meta, view.rows(meta))
    if view.kind == "breakdown":
        parts = with_statuses(_breakdown(view, meta, rows))
        return shares_of(parts) if view.mode == "share" else parts
    if view.kind == "geo":
        return with_statuses(_by_geo(view, meta, rows))
    return with_statuses(_time(view, meta, rows))


def with_statuses(chart: Chart) -> Chart:
    """The chart with a note per status its figures have: where they are provisional,
    estimated, after a break, or where the source says there is no figure, and why."""
    for status in STATUSES:
        where = [x for i, x in enumerate(chart.x) if any(len(s.statuses) > i and s.statuses[i] == status
                                                         for s in chart.series)]
        if where:
            chart.notes.append(("status", status, where))
    revised = [x for i, x in enumerate(chart.x) if any(len(s.revisions) > i and s.revisions[i] for s in chart.series)]
    for ref in chart.reference:   # a by-area chart's country, drawn beside its governorates
        for status in STATUSES:
            if status in ref.statuses:
                found = next((n for n in chart.notes if n[:2] == ("status", status)), None)
                if found:
                    found[2].append(ref.key)
                else:
                    chart.notes.append(("status", status, [ref.key]))
        if any(ref.revisions):
            revised.append(ref.key)
    if revised:
        chart.notes.append(("revised", revised))
    return chart


def _common(view: View, meta, **kw) -> dict:
    ind = meta.indicators[view.indicator]
    return {"view": view, "measure": ind["measure"], "decimals": ind["decimals"], **kw}


def _time(view: View, meta, rows) -> Chart:
    dims = meta.dimension_columns
    totals = [r for r in rows if _blank(dims)(r)]
    table: list[dict] = []
    notes: list[tuple] = []
    derived = not totals and bool(rows)
    if derived:
        # published only by its parts (e.g. associations by type): the parts, and their sum (derived)
        dim = view.rows(meta).breakdowns[0]
        table += [_row(r, "member", dimension=dim) for r in rows]
        totals = sum_parts(rows, dims)
        notes.append(("parts_summed",))
    labels = _in_time_order(totals)
    run, gaps = periods.run(tuple(labels))
    series = []
    for g in view.geos:
        by_period = {r["period"]: r for r in totals if r["geo_code"] == g}
        table += [_row(by_period[p], "sum_of_parts" if derived else "total", derived=derived) for p in run
                  if p in by_period]
        series.append(Series(key=g, derived=derived, **_values(by_period, list(run))))
    if gaps:
        notes.append(("gaps", gaps))
    if len(labels) == 1:
        notes.append(("one_point",))
    return Chart(**_common(view, meta, kind="line", barmode=None, x=list(run), series=series, table=table,
                           labels=labels, gaps=list(gaps), notes=notes, derived=derived, sources=_sources(rows)))


def _breakdown(view: View, meta, rows) -> Chart:
    """The published parts of a breakdown, as stacked (or grouped) bars, and the totals. The
    bars stand only over periods that have the breakdown: a period with only a total is said
    in a note (and its total stays in the table), not drawn as an empty slot."""
    dim = view.breakdown
    parts = [r for r in rows if r[dim] is not None]
    total_by_period = {r["period"]: r for r in rows if r[dim] is None}
    labels = _in_time_order(rows)
    run, gaps = periods.run(tuple(labels))
    present = {r[dim] for r in parts}
    members = [m for m in meta.dimensions.get(dim, {}).get("members", {}) if m in present]
    members += [m for m in dict.fromkeys(r[dim] for r in parts) if m not in members]
    by_member: dict[str, dict[str, dict]] = {m: {} for m in members}
    for r in parts:
        by_member[r[dim]][r["period"]] = r
    series, table = [], []
    for m in members:
        table += [_row(by_member[m][p], "member", dimension=dim) for p in run if p in by_member[m]]
        series.append(Series(key=m, **_values(by_member[m], list(run))))
    table += [_row(total_by_period[p], "total") for p in run if p in total_by_period]
    totals = _values(total_by_period, list(run))["values"]
    notes = _breakdown_notes(list(run), totals, series, list(gaps), False)
    drawn = [i for i in range(len(run)) if any(s.values[i] is not None for s in series)] or list(range(len(run)))
    x = [run[i] for i in drawn]
    series = [dataclasses.replace(s, **{k: [getattr(s, k)[i] for i in drawn] for k in ("values", "qualifiers",
                                                                                      "statuses", "revisions")})
              for s in series]
    return Chart(**_common(view, meta, kind="bars", barmode="group" if view.mode == "group" else "stack",
                           x=x, series=series, table=table, labels=labels, gaps=list(gaps),
                           totals=[totals[i] for i in drawn], notes=notes, sources=_sources(rows)))


def shares_of(parts: Chart) -> Chart:
    """A breakdown as each part's share of its period's published total (or, where no total
    was published, of the sum of the parts, said in the unit): derived, from the numbers of
    the stacked chart `parts`. The table keeps every published figure and adds each share."""
    n = len(parts.x)
    part_sums = [sum(s.values[i] for s in parts.series if s.values[i] is not None) for i in range(n)]
    shares_by_row, series, of_parts_only = {}, [], False
    for s in parts.series:
        values = []
        for i, v in enumerate(s.values):
            total = parts.totals[i]
            denom = total if total is not None else part_sums[i]
            of_parts_only |= v is not None and total is None
            values.append(None if v is None or not denom else v / denom * 100)
            if v is not None:
                shares_by_row[(s.key, parts.x[i])] = (values[-1], "share" if total is not None else "share_of_parts")
        series.append(Series(key=s.key, values=values, qualifiers=[None] * n, derived=True, statuses=s.statuses))
    table = []
    for r in parts.table:
        table.append(r)
        share = shares_by_row.get((r["member"], r["period"])) if r["category"] == "member" else None
        if share is not None and share[0] is not None:
            table.append({**r, "category": "share", "value": share[0], "qualifier": None, "derived": True,
                          "unit": share[1]})
    return with_statuses(dataclasses.replace(
        parts, barmode="stack", series=series, table=table, unit="share_of_parts" if of_parts_only else "share",
        percent=True, derived=True, notes=_breakdown_notes(parts.x, parts.totals, parts.series, parts.gaps, True)))


def _breakdown_notes(x: list[str], totals: list, series: list[Series], gaps: list[str], share: bool) -> list[tuple]:
    notes: list[tuple] = []
    has_parts = [any(s.values[i] is not None for s in series) for i in range(len(x))]
    total_only = [p for p, total, part in zip(x, totals, has_parts) if total is not None and not part]
    if total_only:
        notes.append(("total_only", total_only))
    if share:
        notes.append(("share",))
    elif any(has_parts) and all(total is None for total in totals):
        notes.append(("parts_no_total",))
    if gaps:
        notes.append(("gaps", gaps))
    return notes


def _by_geo(view: View, meta, rows) -> Chart:
    """Places on the x axis, one bar series per period (latest last). A country shown with
    its governorates is not a bar among them (its total would shrink theirs to stubs): it is
    the chart's reference, one value per period, drawn as a labelled line or said beside it."""
    labels = _in_time_order(rows)
    present = list(dict.fromkeys(r["geo_code"] for r in rows))
    geos = [g for g in view.geos if g in present] or present
    countries = [g for g in geos if meta.geographies.get(g, {}).get("level") == "country"]
    places = [g for g in geos if g not in countries]
    series, table, reference = [], [], []
    for p in labels:
        by_geo = {r["geo_code"]: r for r in rows if r["period"] == p}
        table += [_row(by_geo[g], "total") for g in geos if g in by_geo]
        series.append(Series(key=p, **_values(by_geo, places if places else geos)))
    if places and countries:
        for c in countries:
            by_period = {r["period"]: r for r in rows if r["geo_code"] == c}
            reference.append(Series(key=c, **_values(by_period, labels)))
    return Chart(**_common(view, meta, kind="bars", barmode="group", x=places if places else geos, x_is="geo",
                           series=series, table=table, labels=labels, reference=reference if places else [],
                           sources=_sources(rows)))


def _per_case(view: View, meta) -> Chart:
    """Money paid during a year over the cases counted at (or during) that year, same place:
    derived. The table lists every figure of both indicators in the view, then the quotients."""
    num_id, den_id = meta.per_case(view.indicator)
    rows = queries.records(meta, view.rows(meta))
    num = {(r["geo_code"], r["period"][:4]): r for r in rows if r["indicator_id"] == num_id}
    den = {(r["geo_code"], r["period"][:4]): r for r in rows if r["indicator_id"] == den_id}
    pairs = {k: (num[k], den[k]) for k in num if k in den and num[k]["value"] is not None and den[k]["value"]}
    labels = sorted({year for _, year in pairs}, key=periods.sort_key)
    run, gaps = periods.run(tuple(labels))
    table = [_row(r, "indicator") for r in rows]
    series = []
    for g in view.geos:
        values, statuses = [], []
        for p in run:
            pair = pairs.get((g, p))
            values.append(None if pair is None else float(pair[0]["value"]) / float(pair[1]["value"]))
            statuses.append(None if pair is None else pair[0].get("status") or pair[1].get("status"))
            if pair is not None:
                table.append({**_row(pair[0], "per_case", derived=True, value=values[-1], unit="per_case"),
                              "status": statuses[-1]})
        series.append(Series(key=g, values=values, qualifiers=[None] * len(run), derived=True, statuses=statuses))
    notes: list[tuple] = [("per_case", num_id, den_id)]
    if gaps:
        notes.append(("gaps", list(gaps)))
    sources = _sources([p for pair in pairs.values() for p in pair])
    return Chart(view=view, kind="line", barmode=None, x=list(run), series=series, table=table, labels=labels,
                 gaps=list(gaps), notes=notes, unit="per_case", derived=True, sources=sources, measure="flow",
                 decimals=1)


def totals(meta, indicator_id: str) -> list[dict]:
    """The indicator's published totals per place and period, oldest first: the figures of its time view
    in every place (View.rows()), so for an indicator published only by its parts, the sum of
    the parts, marked derived=True."""
    rows = View(indicator=indicator_id).rows(meta)   # no places named: every place
    found = [r for r in queries.records(meta, rows) if r["value"] is not None]   # figures, not their absence
    if "total" in rows.breakdowns:
        out = [{**r, "derived": False} for r in found]
    else:
        out = [{**r, "derived": True} for r in sum_parts(found, meta.dimension_columns)]
    return sorted(out, key=lambda r: (r["period_end"], r["period_start"], r["geo_code"]))
