"""SDMX data: a key and its period parameters as a `store.view.Rows`, and the rows of
`store.queries.select` as SDMX-CSV 2.0 and SDMX-JSON 2.0.

A key (`/sdmx/data/<flow>/<key>`) names, dot-separated in the order of structure.dimension_ids,
the codes wanted of each dimension (`+` between several, nothing for every code):
`om_ss_cases.OM.......` or, with a breakdown, `om_ss_cases.OM.F+M` (padded with empty
positions). It is translated into the one selection type of the read layer: INDICATOR and
REF_AREA into its indicators and places; the breakdown positions into its breakdowns (the
totals, `_T` everywhere, and each breakdown whose other positions allow `_T`: a figure has at
most one breakdown); `startPeriod`/`endPeriod` into its `from`/`to`, so a period inside a
half-year, quarter or month is kept by the same rule as the CSV's (contract.periods.ends_within).
Only the members named within a breakdown are then kept from the rows. The figures, statuses
and labels are therefore those of `/data/<indicator>.csv` of the same view.
"""
from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from contract import periods
from contract.schema import LANGS
from store.texts import t
from store.view import ParamError, Rows

from ..formats import Columns, dumps
from .structure import ATTRIBUTES, MEASURE, NS, STATUS_CODES, TIME, TOTAL, Flow, annotations, breakdown_ids, codelists, \
    concepts, dimension_ids, frequency

CODE = re.compile(r"[A-Za-z0-9_@$\-]+")
_HALF = re.compile(r"([0-9]{4})-[SH]([12])")


def _no_results(message: str) -> ParamError:
    return ParamError(None, message, status=404, code="no_results")


@dataclass(frozen=True)
class Query:
    """What a data request asks for: the selection, and the members kept within breakdowns."""

    rows: Rows
    members: dict[str, frozenset]   # breakdown column -> the members named in the key


def parse_key(key: str, m) -> dict[str, frozenset | None]:
    """Each key dimension's codes (None: every code); 400 for a malformed key, 404 for a code
    the structure does not have."""
    dims = dimension_ids(m)
    if key in ("all", "", "*"):
        return {d: None for d in dims}
    parts = key.split(".")
    if len(parts) != len(dims):
        raise ParamError("key", f"the key has {len(parts)} position(s); this dataflow's key has {len(dims)}: "
                                f"{'.'.join(dims)} (leave a position empty for every code, or use 'all')",
                         code="invalid_key")
    lists = codelists(m)
    names = {"INDICATOR": "CL_INDICATOR", "REF_AREA": "CL_AREA", **{d: f"CL_{d}" for d in breakdown_ids(m).values()}}
    out = {}
    for dim, part in zip(dims, parts):
        if part in ("", "*"):
            out[dim] = None
            continue
        codes = part.split("+")
        bad = [c for c in codes if not CODE.fullmatch(c)]
        if bad:
            raise ParamError("key", f"{bad[0][:40]!r} is not an SDMX code (letters, digits, _ @ $ -)",
                             code="invalid_key")
        unknown = [c for c in codes if c not in lists[names[dim]][1]]
        if unknown:
            raise _no_results(f"{dim} has no code {', '.join(map(repr, unknown))}; see "
                              f"/sdmx/codelist/{{agency}}/{names[dim]}/latest")
        out[dim] = frozenset(codes)
    return out


def period(raw: str | None, name: str) -> str | None:
    """startPeriod/endPeriod as our period label: 2021, 2021-S1 (or -H1), 2021-Q3, 2021-06."""
    if raw is None:
        return None
    label = _HALF.sub(r"\1-H\2", raw)
    if periods.parse_filter(label) is None:
        raise ParamError(name, f"{raw[:40]!r} is not a period (expected 2021, 2021-S1, 2021-Q3 or 2021-06)",
                         code="invalid_period")
    return label


_INSTANT = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[Tt ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]+))?)?"
                      r"([Zz]|[+-][0-9]{2}:?[0-9]{2})?)?")


def updated_after(raw: str | None) -> datetime | None:
    """updatedAfter as an aware time: a day, or an ISO 8601 / RFC 3339 time (UTC when it
    gives no offset; a leap second as the second before it). 400 for anything else."""
    if raw is None:
        return None
    found = _INSTANT.fullmatch(raw.strip())
    try:
        if not found:
            raise ValueError(raw)
        y, mo, d, h, mi, sec, frac, zone = found.groups()
        offset = timezone.utc
        if zone and zone not in "Zz":
            sign = -1 if zone[0] == "-" else 1
            hours, minutes = int(zone[1:3]), int(zone[-2:])
            offset = timezone(sign * timedelta(hours=hours, minutes=minutes))
        when = datetime(max(int(y), 1), int(mo), int(d), int(h or 0), int(mi or 0), min(int(sec or 0), 59),
                        int((frac or "0")[:6].ljust(6, "0")), tzinfo=offset)
    except ValueError:
        raise ParamError("updatedAfter", f"{raw[:40]!r} is not an ISO 8601 time (e.g. 2025-03-01T00:00:00Z)",
                         code="invalid_updated_after") from None
    try:
        return when.astimezone(timezone.utc)
    except OverflowError:   # the first or last day of year 1 or 9999, beyond UTC
        return (datetime.min if when.year == 1 else datetime.max).replace(tzinfo=timezone.utc)


def query(m, key: str, start: str | None, end: str | None) -> Query:
    """The Rows and breakdown members of a key and period; 404 when no figure can match."""
    wanted = parse_key(key, m)
    columns = breakdown_ids(m)
    allows_total = {c: wanted[d] is None or TOTAL in wanted[d] for c, d in columns.items()}
    has_parts = {c: wanted[d] is None or bool(wanted[d] - {TOTAL}) for c, d in columns.items()}
    if all(wanted[d] is None for d in columns.values()):
        breakdowns = ("all",)
    else:
        breakdowns = (*(("total",) if all(allows_total.values()) else ()),
                      *(c for c in columns if has_parts[c] and all(allows_total[o] for o in columns if o != c)))
        if not breakdowns:
            raise _no_results("no figure has two breakdowns: a key that names members of one breakdown must "
                              "leave the others empty or _T")
    first, last = period(start, "startPeriod"), period(end, "endPeriod")
    if first and last and periods.parse_filter(first).start > periods.parse_filter(last).end:
        raise ParamError("startPeriod", f"startPeriod={start} is after endPeriod={end}", code="period_order")
    full = breakdowns == ("all",) and not first and not last and wanted["REF_AREA"] is None
    rows = Rows(indicators=tuple(sorted(wanted["INDICATOR"] or ())), geos=tuple(sorted(wanted["REF_AREA"] or ())),
                first=first, last=last, breakdowns=breakdowns, full=full)
    members = {c: wanted[d] - {TOTAL} for c, d in columns.items() if wanted[d] is not None and wanted[d] - {TOTAL}}
    return Query(rows, members)


def kept(raw: Columns, members: dict[str, frozenset]) -> Columns:
    """The rows whose breakdown members are among those the key names (totals stay: the SQL
    let them in only where the key allows `_T`)."""
    if not members:
        return raw
    keep = [True] * len(raw["indicator_id"])
    for column, codes in members.items():
        keep = [k and (v is None or v in codes) for k, v in zip(keep, raw[column])]
    return _where(raw, keep)


def _where(raw: Columns, keep: list[bool]) -> Columns:
    return {c: [v for v, k in zip(values, keep) if k] for c, values in raw.items()}


def among(raw: Columns, m, keys: frozenset) -> Columns:
    """The rows whose (indicator, place, period, breakdowns) is one of `keys`."""
    ids = zip(raw["indicator_id"], raw["geo_code"], raw["period"], *(raw[d] for d in m.dimension_columns))
    return _where(raw, [k in keys for k in ids])


def sdmx_period(label: str, start, end) -> str:
    """A period label as SDMX writes it: 2025-H1 -> 2025-S1; a running total of months
    (2025-01/2025-05) -> its first day and length (2025-01-01/P5M); others as they are."""
    if "/" in label:
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        return f"{start.isoformat()}/P{months}M"
    return label.replace("-H", "-S")


def _numbers(values: list) -> list:
    """Floats as SDMX carries them: 6073 rather than 6073.0, NaN as None (formats.number, inline:
    a full series is tens of thousands of values)."""
    return [None if v is None or v != v else int(v) if v.is_integer() and abs(v) < 1e15 else v for v in values]


def _key_columns(m, raw: Columns) -> dict[str, list]:
    """The rows' keys as SDMX codes: the dimensions and TIME_PERIOD."""
    out = {"INDICATOR": raw["indicator_id"], "REF_AREA": raw["geo_code"]}
    for column, dim in breakdown_ids(m).items():
        out[dim] = [TOTAL if v is None else v for v in raw[column]]
    out[TIME] = [sdmx_period(p, s, e) for p, s, e in zip(raw["period"], raw["period_start"], raw["period_end"])]
    return out


def _columns(m, raw: Columns) -> dict[str, list]:
    """The rows as SDMX component values (codes; None where a component has no value)."""
    out = _key_columns(m, raw)
    out[MEASURE] = _numbers(raw["value"])
    freq = {p: frequency(p) for p in set(raw["period"])}   # once per label: a series has few, a dataset a million rows
    out["FREQ"] = [freq[p] for p in raw["period"]]
    units = {i: ind["unit"] for i, ind in m.indicators.items()}
    out["UNIT_MEASURE"] = [units[i] for i in raw["indicator_id"]]
    out["UNIT_MULT"] = [0] * len(raw["indicator_id"])
    codes = [STATUS_CODES[s] for s in raw["status"]]
    out["OBS_STATUS"] = [c[0] for c in codes]
    out["CONF_STATUS"] = [c[1] for c in codes]
    out["SOURCE"] = raw["source_id"]
    out["REVISED_IN"] = raw["revised_in"]
    out["PREVIOUS_VALUE"] = _numbers(raw["previous_value"])
    out["REVISION_KIND"] = raw["revision_kind"]
    return out


# SDMX's actions: SDMX-CSV 2.0's ACTION codes and the data set action of SDMX-JSON 2.0 and SDMX-ML 2.1.
ACTIONS = {"I": "Information", "R": "Replace", "D": "Delete"}


def _components(m, raw: Columns, deleted: Columns | None) -> tuple[dict[str, list], list[str]]:
    """The rows as SDMX component values, and each row's action: I (information) in a plain
    answer; in an updatedAfter answer (`deleted` given: store.queries.withdrawn_after), R
    (replace) for each figure changed and D (delete) after them for each figure withdrawn,
    which has its key and nothing else (a deletion of the whole observation)."""
    values = _columns(m, raw)
    n = len(raw["indicator_id"])
    if deleted is None:
        return values, ["I"] * n
    gone = _key_columns(m, deleted)
    k = len(deleted["indicator_id"])
    return {c: [*v, *gone.get(c, [None] * k)] for c, v in values.items()}, ["R"] * n + ["D"] * k


def _coded(m) -> dict[str, dict[str, dict[str, str]]]:
    """Component id -> {code: names} for every coded component."""
    lists = codelists(m)
    out = {"INDICATOR": lists["CL_INDICATOR"][1], "REF_AREA": lists["CL_AREA"][1]}
    for dim in breakdown_ids(m).values():
        out[dim] = lists[f"CL_{dim}"][1]
    for attr, (_, codelist) in ATTRIBUTES.items():
        if codelist:
            out[attr] = lists[f"CL_{codelist}"][1]
    return out


# ---------------------------------------------------------------- SDMX-CSV 2.0

# Components whose values are text (codes, periods, ids) or None, never "" nor a number.
_TEXT = {"INDICATOR", "REF_AREA", TIME, "FREQ", "UNIT_MEASURE", "OBS_STATUS", "CONF_STATUS", "SOURCE", "REVISED_IN",
         "REVISION_KIND"}


def sdmx_csv(m, flow: Flow, raw: Columns, labels: str, lang: str, deleted: Columns | None = None) -> bytes:
    """SDMX-CSV 2.0: STRUCTURE, STRUCTURE_ID, ACTION, the dimensions, OBS_VALUE, the
    attributes. labels=both: headings "ID: name" and coded values "code: name" in `lang`.
    deleted: the figures withdrawn, for an updatedAfter answer (_components)."""
    values, actions = _components(m, raw, deleted)
    names = concepts(m)
    text_components = _TEXT | set(breakdown_ids(m).values())
    if labels != "both":
        # Codes, numbers and periods never hold a comma, quote or line break (CODE): joined as they are.
        lines = [",".join(["STRUCTURE", "STRUCTURE_ID", "ACTION", *values])]
        prefix = {a: f"dataflow,{flow.urn_ref},{a}," for a in ACTIONS}
        text = [[v or "" for v in col] if comp in text_components else ["" if v is None else str(v) for v in col]
                for comp, col in values.items()]
        lines += [prefix[a] + ",".join(row) for a, row in zip(actions, zip(*text))]
        return ("\n".join(lines) + "\n").encode("utf-8")
    coded = _coded(m)
    heads = ["STRUCTURE", "STRUCTURE_ID", "ACTION"]
    cols = []
    for comp, col in values.items():
        heads.append(f"{comp}: {names[comp][lang]}")
        if comp in coded:
            table = {c: f"{c}: {v[lang]}" for c, v in coded[comp].items()}
            col = [None if v is None else table[v] for v in col]
        cols.append(col)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(heads)
    writer.writerows(["dataflow", flow.urn_ref, a, *row] for a, row in zip(actions, zip(*cols)))
    return buf.getvalue().encode("utf-8")


# ---------------------------------------------------------------- SDMX-JSON 2.0

SDMX_JSON_SCHEMA = ("https://raw.githubusercontent.com/sdmx-twg/sdmx-json/v2.0.0/data-message/tools/schemas/"
                    "2.0.0/sdmx-json-data-schema.json")


# Components that play one of SDMX's cross-domain concept roles (SDMX-JSON `roles`).
_ROLES = {"REF_AREA", TIME, "FREQ", "UNIT_MEASURE", "UNIT_MULT", "OBS_STATUS", "CONF_STATUS"}


def _component(comp: str, names: dict[str, str], lang: str, values: list | None, position: int | None = None) -> dict:
    out = {"id": comp, "name": names[lang], "names": names}
    if position is not None:
        out["keyPosition"] = position
    if comp in _ROLES:
        out["roles"] = [comp]
    if values is not None:
        out["values"] = values
    return out


def sdmx_json(m, flow: Flow, raw: Columns, lang: str, at_observation: str, prepared: str, link: str,
              deleted: Columns | None = None, version: str = "2.0") -> bytes:
    """An SDMX-JSON 2.0 data message. at_observation TIME_PERIOD: one series per key, its
    observations by period; AllDimensions: a flat list of observations keyed by every dimension.
    Coded components list their values (names in `lang`, `names` in both); an observation is
    [OBS_VALUE, then each attribute: the index of its value, or the value when uncoded].
    One data set per action (_components): an updatedAfter answer has a Replace data set and,
    when figures were withdrawn, a Delete one whose observations hold only nulls.

    version "1.0": the same message laid out as SDMX-JSON 1.0 (SDMX 2.1), which clients such as
    sdmx1 read: header, structure and dataSets at the top, names in `lang` only, and every
    attribute's values listed, an observation naming each by its index."""
    values, actions = _components(m, raw, deleted)
    period_starts = raw["period_start"] + (deleted["period_start"] if deleted else [])
    names = concepts(m)
    coded = _coded(m)
    key_dims = [*dimension_ids(m), TIME]
    index: dict[str, dict] = {}
    listed: dict[str, list] = {}
    for comp in [*key_dims, *ATTRIBUTES]:
        present = list(dict.fromkeys(v for v in values[comp] if v is not None))
        if comp not in coded and comp != TIME:
            if version == "1.0":   # an uncoded attribute's values listed too, as 1.0 has them
                listed[comp] = [{"name": str(v)} for v in present]
                index[comp] = {v: n for n, v in enumerate(present)}
            continue
        if comp in coded:   # in the codelist's order
            order = {c: n for n, c in enumerate(coded[comp])}
            present.sort(key=order.__getitem__)
            listed[comp] = [{"id": c, "name": coded[comp][c][lang], "names": coded[comp][c]} for c in present]
        else:
            starts = {}
            for p, s in zip(values[TIME], period_starts):
                starts.setdefault(p, s)
            present.sort(key=lambda p: (starts[p], p))
            listed[comp] = [{"id": p, "name": p, "names": {la: p for la in LANGS}} for p in present]
        index[comp] = {c: n for n, c in enumerate(present)}
    series_dims = key_dims[:-1] if at_observation == TIME else []
    obs_dims = [TIME] if at_observation == TIME else key_dims
    positions = {d: [index[d][v] for v in values[d]] for d in key_dims}
    attrs = [[index[a][v] if v is not None else None for v in values[a]] if a in index else values[a]
             for a in ATTRIBUTES]
    obs_keys = [":".join(map(str, k)) for k in zip(*(positions[d] for d in obs_dims))]
    cells = [[v, *a] for v, *a in zip(values[MEASURE], *attrs)]
    series_keys = [":".join(map(str, k)) for k in zip(*(positions[d] for d in series_dims))] if series_dims else None
    order = list(dict.fromkeys(actions))
    if len(order) == 1:   # every answer but an updatedAfter one with withdrawals: the rows as they are
        data_sets = [_data_set(order[0], series_keys, obs_keys, cells)]
    else:
        def of(action, col):
            return None if col is None else [v for v, a in zip(col, actions) if a == action]
        data_sets = [_data_set(a, of(a, series_keys), of(a, obs_keys), of(a, cells)) for a in order]
    notes = _annotate(listed["INDICATOR"], annotations(m), lang)
    dims = {"dataSet": [], "series": [], "observation": []}
    for pos, d in enumerate(key_dims):
        dims["series" if d in series_dims else "observation"].append(
            _component(d, names[d], lang, listed[d], pos))
    structure = {
        "links": [{"urn": f"urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow={flow.urn_ref}", "rel": "dataflow",
                   "href": link}],
        "name": t("site_title", lang), "names": {la: t("site_title", la) for la in LANGS},
        "dimensions": dims,
        "measures": {"observation": [_component(MEASURE, names[MEASURE], lang, None)]},
        "attributes": {"dataSet": [], "series": [], "observation": [
            {**_component(a, names[a], lang, listed.get(a)), "relationship": {"primaryMeasure": MEASURE}}
            for a in ATTRIBUTES]},
        "annotations": notes,
    }
    if version == "1.0":
        return dumps({
            "header": {"id": f"{flow.id}_{m.build_id}", "test": False, "prepared": prepared, "sender": {"id": flow.agency}},
            "structure": _one_language(structure),
            "dataSets": [{k: v for k, v in ds.items() if k != "structure"} for ds in data_sets]})
    return dumps({
        "meta": {"schema": SDMX_JSON_SCHEMA, "id": f"{flow.id}_{m.build_id}", "test": False, "prepared": prepared,
                 "contentLanguages": [lang], "sender": {"id": flow.agency}},
        "data": {"structures": [structure], "dataSets": data_sets},
    })


def _one_language(node):
    """A 2.0 structure without what 1.0 does not have: the names and texts in every language."""
    if isinstance(node, dict):
        return {k: _one_language(v) for k, v in node.items() if k not in ("names", "texts")}
    return [_one_language(v) for v in node] if isinstance(node, list) else node


def _annotate(values: list[dict], found: dict, lang: str) -> list[dict]:
    """The structure's annotations (SDMX-JSON keeps them in one list, which a value names by
    index): the international series of each indicator listed, as the SDMX-ML codelist has
    them (structure.annotations); `values` gain their indices."""
    notes: list[dict] = []
    for value in values:
        for a in found.get(value["id"], ()):
            value.setdefault("annotations", []).append(len(notes))
            notes.append({"title": a.title, "type": a.type, "text": a.text[lang], "texts": a.text,
                          "links": [{"href": a.url, "rel": "source"}]})
    return notes


def _data_set(action: str, series_keys: list[str] | None, obs_keys: list[str], cells: list[list]) -> dict:
    """An SDMX-JSON data set of one action: its observations by series (series_keys given) or flat."""
    data_set: dict = {"structure": 0, "action": ACTIONS[action]}
    if series_keys is None:
        data_set["observations"] = dict(zip(obs_keys, cells))
        return data_set
    series: dict[str, dict] = {}
    for s, o, cell in zip(series_keys, obs_keys, cells):
        series.setdefault(s, {"observations": {}})["observations"][o] = cell
    data_set["series"] = series
    return data_set


# ---------------------------------------------------------------- SDMX-ML 2.1 data (what sdmx1's Client asks for)

_ML = {"mes": NS["mes"], "com": NS["com"],
       "gen": "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/generic",
       "ss": "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/structurespecific"}
for _prefix, _uri in _ML.items():
    ET.register_namespace(_prefix, _uri)


def _ml(prefix: str, tag: str) -> str:
    return f"{{{_ML[prefix]}}}{tag}"


def _ml_text(v) -> str | None:
    return None if v is None else str(v)


def sdmx_ml(m, flow: Flow, raw: Columns, at_observation: str, prepared: str, generic: bool,
            deleted: Columns | None = None) -> bytes:
    """An SDMX-ML 2.1 data message: generic (every value named in Value elements, readable
    without the structure) or structure-specific (components as XML attributes, read with the
    data structure). A figure the source does not give is OBS_VALUE NaN, with its status.
    An updatedAfter answer (`deleted` given) has a data set of action Replace and, when figures
    were withdrawn, one of action Delete whose observations have their key only."""
    values, actions = _components(m, raw, deleted)
    values[MEASURE] = ["NaN" if v is None and a != "D" else v for v, a in zip(values[MEASURE], actions)]
    key_dims = dimension_ids(m)
    series_dims = key_dims if at_observation == TIME else []
    obs_dims = [TIME] if at_observation == TIME else [*key_dims, TIME]
    ref = f"{flow.agency}_{flow.id}_{flow.version.replace('.', '_')}"
    root = ET.Element(_ml("mes", "GenericData" if generic else "StructureSpecificData"))
    header = ET.SubElement(root, _ml("mes", "Header"))
    ET.SubElement(header, _ml("mes", "ID")).text = f"{flow.id}_{m.build_id}"
    ET.SubElement(header, _ml("mes", "Test")).text = "false"
    ET.SubElement(header, _ml("mes", "Prepared")).text = prepared
    ET.SubElement(header, _ml("mes", "Sender"), {"id": flow.agency})
    usage = {"structureID": ref, "dimensionAtObservation": at_observation}
    if not generic:
        usage["namespace"] = (f"urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow={flow.urn_ref}:ObsLevelDim:"
                              f"{at_observation}")
    structure = ET.SubElement(header, _ml("mes", "Structure"), usage)
    ET.SubElement(ET.SubElement(structure, _ml("com", "StructureUsage")), "Ref",
                  {"agencyID": flow.agency, "id": flow.id, "version": flow.version})
    columns = {c: [_ml_text(v) for v in col] for c, col in values.items()}
    names = list(columns)
    # per action, series in the order they first appear (rows are by period first)
    groups: dict[str, dict[tuple, list[dict]]] = {}
    for action, row in zip(actions, zip(*columns.values())):
        r = dict(zip(names, row))
        groups.setdefault(action, {}).setdefault(tuple(r[d] for d in series_dims), []).append(r)
    for action, series in groups.items():
        attrib = {"structureRef": ref} if generic else {_ml("ss", "structureRef"): ref,
                                                        _ml("ss", "dataScope"): "DataStructure"}
        if action != "I":
            attrib["action" if generic else _ml("ss", "action")] = ACTIONS[action]
        data_set = ET.SubElement(root, _ml("mes", "DataSet"), attrib)
        for key, members in series.items():
            _series(data_set, key, members, series_dims, obs_dims, generic)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _series(data_set, key: tuple, members: list[dict], series_dims: list[str], obs_dims: list[str],
            generic: bool) -> None:
    """One series of an SDMX-ML data set (or, with no series dimensions, its observations)."""
    parent = data_set
    if series_dims and generic:
        parent = ET.SubElement(data_set, _ml("gen", "Series"))
        _values(ET.SubElement(parent, _ml("gen", "SeriesKey")), dict(zip(series_dims, key)))
    elif series_dims:
        parent = ET.SubElement(data_set, "Series", dict(zip(series_dims, key)))
    for r in members:
        measured = {MEASURE: r[MEASURE]} if r[MEASURE] is not None else {}   # none in a deletion
        attrs = {a: r[a] for a in ATTRIBUTES if r[a] is not None}
        if not generic:
            ET.SubElement(parent, "Obs", {**{d: r[d] for d in obs_dims}, **measured, **attrs})
            continue
        obs = ET.SubElement(parent, _ml("gen", "Obs"))
        if series_dims:
            ET.SubElement(obs, _ml("gen", "ObsDimension"), {"value": r[TIME]})
        else:
            _values(ET.SubElement(obs, _ml("gen", "ObsKey")), {d: r[d] for d in obs_dims})
        if measured:
            ET.SubElement(obs, _ml("gen", "ObsValue"), {"value": r[MEASURE]})
        if attrs:
            _values(ET.SubElement(obs, _ml("gen", "Attributes")), attrs)


def _values(parent, pairs: dict) -> None:
    for k, v in pairs.items():
        ET.SubElement(parent, _ml("gen", "Value"), {"id": k, "value": v})
