"""SDMX out (/sdmx/, api/sdmx/): the structures and every data answer, read back with sdmx1
(an SDMX reader written by others), hold the figures, statuses and labels of the CSV download
of the same view, for every indicator; bad requests are 4xx.

The reference for each view is /data/<indicator>.csv with the same geo/from/to/breakdown,
so a harvester's copy and a reader's download cannot differ."""
from __future__ import annotations

import io
import json

import pytest
import sdmx
from sdmx.reader.csv import Reader

from store.texts import t

from tests.opendata.conftest import _reset_connections, parse_csv

FLOW = "SOCIAL_PROTECTION"
STATUS = {"": "A", "provisional": "P", "estimated": "E", "break": "B", "not_available": "O", "not_applicable": "M"}


@pytest.fixture(scope="module")
def structures(app):
    """Every structure, as sdmx1 reads the dataflow with references=all."""
    got = app.test_client().get("/sdmx/dataflow/SPI_DEMO/SOCIAL_PROTECTION/1.0?references=all")
    assert got.status_code == 200, got.data[:300]
    assert got.headers["Content-Type"].startswith("application/vnd.sdmx.structure+xml")
    return sdmx.read_sdmx(io.BytesIO(got.data))


def _meta():
    from store.catalogue import meta
    return meta()


def _key(m, indicator: str, geo: str = "", breakdown: str | None = None) -> str:
    """The SDMX key of a view: `breakdown` None is every figure, 'total' the totals, a
    dimension that breakdown's members (as /data/<id>.csv?breakdown=<dimension>)."""
    parts = [indicator, geo]
    for d in m.dimension_columns:
        if breakdown is None:
            parts.append("")
        elif breakdown == d:
            parts.append("+".join(m.dimensions[d]["members"]))
        else:
            parts.append("_T")
    return ".".join(parts)


def _views(m, indicator: str) -> list[tuple[dict, str, dict]]:
    """(CSV view, SDMX key, SDMX parameters): the full series, one place's totals, each
    breakdown of the indicator, and period ranges whose ends lie inside half-years (the
    totals), and a quarter and a month (every figure)."""
    ind = m.indicators[indicator]
    country = ind["country"]
    out = [({}, _key(m, indicator), {}),
           ({"geo": country}, _key(m, indicator, country, "total"), {}),
           ({"from": "2021-H2", "to": "2024-H1"}, _key(m, indicator, breakdown="total"),
            {"startPeriod": "2021-S2", "endPeriod": "2024-S1"}),
           ({"from": "2023-Q3", "to": "2025-05", "breakdown": "all"}, _key(m, indicator),
            {"startPeriod": "2023-Q3", "endPeriod": "2025-05"})]
    for d in ind["breakdowns"]:
        out.append(({"breakdown": d}, _key(m, indicator, breakdown=d), {}))
    return out


def _csv_rows(client, indicator: str, view: dict, lang: str = "en") -> list[dict]:
    got = client.get(f"/data/{indicator}.csv", query_string={**view, "labels": "both", "bom": "false", "lang": lang})
    assert got.status_code == 200, got.data[:300]
    return parse_csv(got.data)[1]


def _identity(m, r: dict) -> tuple:
    """A CSV row's SDMX key (the period as SDMX writes it)."""
    period = r["period"].replace("-H", "-S")
    if "/" in period:
        start, end = r["period_start"], r["period_end"]
        months = (int(end[:4]) - int(start[:4])) * 12 + int(end[5:7]) - int(start[5:7]) + 1
        period = f"{start}/P{months}M"
    return (r["indicator_id"], r["geo_code"], *(r[d] or "_T" for d in m.dimension_columns), period)


def _frequency(period: str) -> str:
    """SDMX's FREQ of a period label as the download writes it: A a year, S a half-year, Q a
    quarter, M a month, none for a running total (2025-01/2025-05)."""
    if "/" in period:
        return ""
    return {4: "A"}.get(len(period)) or {"H": "S", "Q": "Q"}.get(period[5], "M")


def test_structures_from_the_catalogue(client, structures):
    """The dataflow's structure has the dimensions, attributes and codelists of the catalogue,
    each name in Arabic and English as the database has it."""
    m = _meta()
    flow = structures.dataflow[FLOW]
    dsd = flow.structure
    assert dsd is structures.structure[f"DSD_{FLOW}"]
    assert [d.id for d in dsd.dimensions] == ["INDICATOR", "REF_AREA", *(d.upper() for d in m.dimension_columns),
                                              "TIME_PERIOD"]
    assert [a.id for a in dsd.attributes] == ["FREQ", "UNIT_MEASURE", "UNIT_MULT", "OBS_STATUS", "CONF_STATUS", "SOURCE",
                                              "REVISED_IN", "PREVIOUS_VALUE", "REVISION_KIND"]
    indicators = structures.codelist["CL_INDICATOR"]
    api = client.get("/api/v1/indicators").get_json()["data"]
    assert {i.id for i in indicators} == set(m.indicators) >= {i["id"] for i in api}
    for i, ind in m.indicators.items():
        assert indicators[i].name.localizations == {"ar": ind["name_ar"], "en": ind["name_en"]}
    areas = structures.codelist["CL_AREA"]
    for g, geo in m.geographies.items():
        assert areas[g].name.localizations == {"ar": geo["name_ar"], "en": geo["name_en"]}
    for d, dim in m.dimensions.items():
        cl = structures.codelist[f"CL_{d.upper()}"]
        assert [c.id for c in cl] == ["_T", *dim["members"]]
        assert cl["_T"].name.localizations == {"ar": t("total", "ar"), "en": t("total", "en")}
        for code, member in dim["members"].items():
            assert cl[code].name.localizations == {"ar": member["label_ar"], "en": member["label_en"]}
        enum = dsd.dimensions.get(d.upper()).local_representation.enumerated
        assert enum is cl
    assert {c.id for c in structures.codelist["CL_OBS_STATUS"]} == {"A", "P", "E", "B", "O", "M"}
    assert {c.id for c in structures.codelist["CL_CONF_STATUS"]} == {"F", "C"}
    freq = structures.codelist["CL_FREQ"]
    assert [c.id for c in freq] == ["A", "S", "Q", "M"]
    assert freq["S"].name.localizations == {"ar": "نصف سنوي", "en": "Half-yearly, semester"}
    assert dsd.attributes.get("FREQ").local_representation.enumerated is freq
    assert {c.id for c in structures.codelist["CL_SOURCE"]} == set(m.sources)
    assert {c.id for c in structures.codelist["CL_UNIT"]} == set(m.units)


@pytest.mark.parametrize("resource,ident", [("datastructure", f"DSD_{FLOW}"), ("codelist", "CL_AREA"),
                                            ("conceptscheme", f"CS_{FLOW}")])
def test_each_structure_resource_alone(client, resource, ident):
    """Each structure has its own address, and sdmx1 reads it."""
    got = client.get(f"/sdmx/{resource}/SPI_DEMO/{ident}/latest")
    assert got.status_code == 200, got.data[:300]
    msg = sdmx.read_sdmx(io.BytesIO(got.data))
    found = {"datastructure": msg.structure, "codelist": msg.codelist, "conceptscheme": msg.concept_scheme}[resource]
    assert list(found) == [ident]
    assert not msg.dataflow


def _read_back(data: bytes, fmt: str, flow) -> dict[tuple, object]:
    """sdmx1's observations of an answer, by key: SDMX-CSV with its CSV reader and the
    dataflow; SDMX-ML generic and SDMX-JSON 1.0 with no structure at all; structure-specific
    with the DSD."""
    if fmt == "sdmx-csv":
        msg = Reader().convert(io.BytesIO(data), structure=flow)
    elif fmt == "sdmx-json-1.0":   # sdmx1's SDMX-JSON reader, with no structure: the message's own
        from sdmx.reader.json import Reader as JsonReader
        msg = JsonReader().convert(io.BytesIO(data))
    elif fmt == "sdmx-ml-generic":
        msg = sdmx.read_sdmx(io.BytesIO(data))
    else:
        msg = sdmx.read_sdmx(io.BytesIO(data), structure=flow.structure)
    out = {}
    for ds in msg.data:
        for o in ds.obs:
            key = {**(o.series_key.values if o.series_key is not None else {}), **o.dimension.values}
            out[tuple(key[d.id].value for d in flow.structure.dimensions)] = o
    return out


def _number(value) -> float | None:
    if value in (None, ""):
        return None
    v = float(value)
    return None if v != v else v


@pytest.mark.parametrize("fmt", ["sdmx-csv", "sdmx-ml-generic", "sdmx-ml-ss", "sdmx-json-1.0"])
def test_sdmx_equals_the_download_for_every_indicator_and_view(client, structures, fmt):
    """For every indicator and view, sdmx1's reading of the SDMX-CSV, SDMX-ML and SDMX-JSON 1.0
    answers holds exactly the rows of /data/<indicator>.csv of that view: value, status, unit,
    source, revision."""
    m = _meta()
    flow = structures.dataflow[FLOW]
    checked = 0
    for ind in m.indicators:
        if not m.coverage.get(ind):
            assert client.get(f"/sdmx/data/{FLOW}/{_key(m, ind)}").status_code == 404   # announced: no figures yet
            continue
        for view, key, extra in _views(m, ind):
            rows = _csv_rows(client, ind, view)
            got = client.get(f"/sdmx/data/{FLOW}/{key}", query_string={**extra, "format": fmt})
            if not rows:
                assert got.status_code == 404, (ind, view, got.data[:200])
                continue
            assert got.status_code == 200, (ind, view, got.data[:300])
            obs = _read_back(got.data, fmt, flow)
            assert len(obs) == len(rows), (ind, view)
            for r in rows:
                o = obs[_identity(m, r)]
                attrs = {k: getattr(v.value, "id", v.value) for k, v in o.attached_attribute.items()}   # JSON: a Code
                attrs = {"OBS_STATUS": "", "REVISED_IN": "", "PREVIOUS_VALUE": "", "FREQ": "", "REVISION_KIND": "",
                         **attrs}   # XML omits the empty
                assert _number(o.value) == _number(r["value"])
                assert attrs["OBS_STATUS"] == STATUS.get(r["status"], "")
                assert attrs["FREQ"] == _frequency(r["period"])
                assert attrs["CONF_STATUS"] == ("C" if r["status"] == "confidential" else "F")
                assert attrs["UNIT_MEASURE"] == r["unit"] and attrs["SOURCE"] == r["source_id"]
                assert attrs["REVISED_IN"] == r["revised_in"]
                assert attrs["PREVIOUS_VALUE"] == r["previous_value"]
                assert attrs["REVISION_KIND"] == r["revision_kind"]
                checked += 1
    assert checked >= m.observation_count


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_labels_both_are_the_downloads_names(client, lang):
    """labels=both: each coded value is "code: name" with the download's name in `lang`."""
    m = _meta()
    for ind in m.coverage:
        rows = _csv_rows(client, ind, {}, lang)
        got = client.get(f"/sdmx/data/{FLOW}/{_key(m, ind)}", query_string={"labels": "both", "lang": lang})
        header, sdmx_rows = parse_csv(got.data)
        assert header[3].startswith("INDICATOR: ") and header[4].startswith("REF_AREA: ")
        by_key = {}
        for s in sdmx_rows:
            values = list(s.values())
            by_key[tuple(v.split(": ", 1)[0] for v in values[3:3 + 3 + len(m.dimension_columns)])] = dict(zip(header, values))
        assert len(by_key) == len(rows)
        for r in rows:
            s = by_key[_identity(m, r)]
            col = {h.split(": ", 1)[0]: v for h, v in s.items()}
            assert col["INDICATOR"] == f"{r['indicator_id']}: {r['indicator_name']}"
            assert col["REF_AREA"] == f"{r['geo_code']}: {r['geo_name']}"
            for d in m.dimension_columns:
                if r[d]:
                    assert col[d.upper()] == f"{r[d]}: {r[f'{d}_label']}"
            assert col["UNIT_MEASURE"] == f"{r['unit']}: {r['unit_name']}"
            assert col["SOURCE"] == f"{r['source_id']}: {r['source_name']}"
            names = {"A": ("سنوي", "Annual"), "S": ("نصف سنوي", "Half-yearly, semester"), "Q": ("ربع سنوي", "Quarterly"),
                     "M": ("شهري", "Monthly")}
            freq = _frequency(r["period"])
            assert col["FREQ"] == (f"{freq}: {names[freq][lang == 'en']}" if freq else "")
            if r["status"]:
                assert col["OBS_STATUS"] == f"{STATUS[r['status']]}: {r['status_label']}"


def _json_cells(doc: dict) -> dict[tuple, tuple]:
    """An SDMX-JSON 2.0 data message's observations: key codes -> (value, {attribute: value})."""
    st = doc["data"]["structures"][0]
    series_dims, obs_dims = st["dimensions"]["series"], st["dimensions"]["observation"]
    attrs = st["attributes"]["observation"]
    ds = doc["data"]["dataSets"][0]
    flat = ds.get("observations") or {}
    pieces = [(s_key, o_key, cell) for s_key, s in ds.get("series", {}).items() for o_key, cell in s["observations"].items()]
    pieces += [("", o_key, cell) for o_key, cell in flat.items()]
    out = {}
    for s_key, o_key, cell in pieces:
        codes = {}
        for dims, k in ((series_dims, s_key), (obs_dims, o_key)):
            for d, i in zip(dims, k.split(":") if k else []):
                codes[d["keyPosition"]] = d["values"][int(i)]["id"]
        values = {a["id"]: (a["values"][v]["id"] if "values" in a and v is not None else v)
                  for a, v in zip(attrs, cell[1:])}
        out[tuple(codes[p] for p in sorted(codes))] = (cell[0], values)
    return out


@pytest.mark.parametrize("at", ["TIME_PERIOD", "AllDimensions"])
def test_sdmx_json_equals_the_download(client, at):
    """SDMX-JSON 2.0 (by Accept header): every observation is a row of the download, in a
    series per key or flat (dimensionAtObservation)."""
    m = _meta()
    accept = {"Accept": "application/vnd.sdmx.data+json;version=2.0.0"}
    for ind in m.coverage:
        for view, key, extra in _views(m, ind):
            rows = _csv_rows(client, ind, view)
            got = client.get(f"/sdmx/data/{FLOW}/{key}", query_string={**extra, "dimensionAtObservation": at},
                             headers=accept)
            if not rows:
                assert got.status_code == 404
                continue
            assert got.status_code == 200 and got.headers["Content-Type"].startswith("application/vnd.sdmx.data+json")
            cells = _json_cells(json.loads(got.data))
            assert len(cells) == len(rows)
            for r in rows:
                value, attrs = cells[_identity(m, r)]
                assert (None if value is None else float(value)) == (float(r["value"]) if r["value"] else None)
                assert attrs["OBS_STATUS"] == STATUS.get(r["status"]) and attrs["SOURCE"] == r["source_id"]
                assert attrs["UNIT_MEASURE"] == r["unit"] and attrs["UNIT_MULT"] == 0
                assert attrs["FREQ"] == (_frequency(r["period"]) or None)


def test_statuses_map_to_sdmx(client, marked, built):
    """A build with statuses (provisional, estimated, not available): each figure's
    OBS_STATUS is the SDMX code of its status, and a figure with none has no value."""
    _reset_connections(marked)
    try:
        m = _meta()
        seen = set()
        for ind in m.coverage:
            rows = _csv_rows(client, ind, {})
            got = client.get(f"/sdmx/data/{FLOW}/{_key(m, ind)}")
            _, sdmx_rows = parse_csv(got.data)
            by_key = {tuple(list(s.values())[3:3 + 3 + len(m.dimension_columns)]): s for s in sdmx_rows}
            for r in rows:
                s = by_key[_identity(m, r)]
                assert s["OBS_STATUS"] == STATUS[r["status"]]
                assert s["OBS_VALUE"] == r["value"]
                seen.add(s["OBS_STATUS"])
        assert {"P", "E", "O", "A"} <= seen
    finally:
        _reset_connections(built)


def test_observations_api_gives_the_same_sdmx(client):
    """/api/v1/observations?format=sdmx-csv|sdmx-json|sdmx-json-1.0 is the /sdmx/data answer of
    the same figures."""
    from sdmx.reader.json import Reader as JsonReader
    m = _meta()
    ind = next(iter(m.coverage))
    for fmt in ("sdmx-csv", "sdmx-json", "sdmx-json-1.0"):
        api = client.get("/api/v1/observations", query_string={"indicator": ind, "format": fmt})
        ours = client.get(f"/sdmx/data/{FLOW}/{_key(m, ind)}", query_string={"format": fmt})
        assert api.status_code == ours.status_code == 200
        if fmt == "sdmx-csv":
            assert api.data == ours.data
        elif fmt == "sdmx-json":
            assert _json_cells(json.loads(api.data)) == _json_cells(json.loads(ours.data))
        else:
            read = [{tuple(sorted({**o.series_key.values, **o.dimension.values}.items())): o.value
                     for d in JsonReader().convert(io.BytesIO(answer.data)).data for o in d.obs} for answer in (api, ours)]
            assert read[0] == read[1] and read[0]


@pytest.mark.parametrize("url,status", [
    (f"/sdmx/data/NOPE/all", 404),                                    # unknown flow
    (f"/sdmx/data/OTHER,{FLOW},1.0/all", 404),                        # another agency
    (f"/sdmx/data/{FLOW}/om_ss_cases.OM", 400),                       # a key of too few positions
    (f"/sdmx/data/{FLOW}/nope......", 404)  ,                          # an unknown code
    (f"/sdmx/data/{FLOW}/om_ss_cases.OM.<x>....", 400) ,              # not a code
    (f"/sdmx/data/{FLOW}/all?updatedAfter=yesterday", 400),
    (f"/sdmx/data/{FLOW}/all?updatedAfter=2999-01-01T00:00:00Z", 404),   # nothing changed since
    (f"/sdmx/data/{FLOW}/all?startPeriod=2021-S3", 400),
    (f"/sdmx/data/{FLOW}/all?startPeriod=2024&endPeriod=2021", 400),
    (f"/sdmx/data/{FLOW}/all?startPeriod=2099", 404),                 # no figure
    (f"/sdmx/data/{FLOW}/all?format=xlsx", 400),
    (f"/sdmx/data/{FLOW}/all?dimensionAtObservation=REF_AREA", 400),
    (f"/sdmx/data/{FLOW}/all?firstNObservations=1", 400),            # a parameter it does not take
    (f"/sdmx/data/{FLOW}/all/SOMEONE", 404),                          # a provider it does not have
    (f"/sdmx/data/{FLOW}/om_ss_cases..male.children...", 404),         # two breakdowns at once
    ("/sdmx/dataflow/SPI_DEMO/OTHER/latest", 404),
    ("/sdmx/codelist/SPI_DEMO/CL_NOPE", 404),
    ("/sdmx/dataflow/SPI_DEMO/SOCIAL_PROTECTION/1.0?references=cousins", 400),
    ("/sdmx/nothing-here", 404),
    (f"/sdmx/data/{FLOW}/all?lang=fr", 400),
])
def test_bad_requests_are_4xx_with_an_sdmx_error(client, url, status):
    got = client.get(url)
    assert got.status_code == status, got.data[:300]
    body = got.get_json()
    assert body["error"]["message"] and body["errors"][0]["detail"] == body["error"]["message"]
    assert body["errors"][0]["code"] == {404: 100, 400: 140}[status]


def test_accept_header_chooses_the_format_or_is_refused(client):
    """Content negotiation: SDMX-CSV by default and for text/csv, labels=both from the media
    type's parameter, SDMX-JSON for JSON, 406 for a type neither is; a past updatedAfter answers."""
    url = f"/sdmx/data/{FLOW}/all"
    plain = client.get(url)
    assert plain.headers["Content-Type"].startswith("application/vnd.sdmx.data+csv")
    assert client.get(url, headers={"Accept": "text/csv"}).data == plain.data
    both = client.get(url, headers={"Accept": "application/vnd.sdmx.data+csv;version=2.0.0;labels=both"})
    assert both.data == client.get(url, query_string={"labels": "both"}).data != plain.data
    assert client.get(url, headers={"Accept": "application/json"}).headers["Content-Type"].startswith(
        "application/vnd.sdmx.data+json")
    assert client.get(url, headers={"Accept": "application/vnd.sdmx.genericdata+xml;version=2.1"}).headers[
        "Content-Type"].startswith("application/vnd.sdmx.genericdata+xml")
    older = client.get(url, headers={"Accept": "application/vnd.sdmx.data+json;version=1.0.0"})   # what sdmx1 reads
    assert older.headers["Content-Type"].startswith("application/vnd.sdmx.data+json; version=1.0.0")
    assert older.data == client.get(url, query_string={"format": "sdmx-json-1.0"}).data
    assert set(json.loads(older.data)) == {"header", "structure", "dataSets"}
    refused = client.get(url, headers={"Accept": "application/vnd.sdmx.data+json;version=3.0.0, image/png"})
    assert refused.status_code == 406 and refused.get_json()["errors"][0]["code"] == 406
    # an update message: the same figures, each to replace the harvester's copy (ACTION R)
    lead = f"dataflow,SPI_DEMO:{FLOW}(1.0),".encode()
    assert client.get(url, query_string={"updatedAfter": "2000-01-01"}).data == plain.data.replace(lead + b"I,",
                                                                                                     lead + b"R,")
    assert plain.data.count(lead + b"I,") == len(plain.data.splitlines()) - 1
    assert client.get("/sdmx/dataflow", headers={"Accept": "application/json"}).status_code == 406


def test_sdmx_answers_are_compressed_and_cached_by_their_etag(client):
    """gzip when asked (the SDMX media types are text), 304 for the ETag sent back, and a
    different ETag for another format of the same address (Vary: Accept)."""
    import gzip
    url = f"/sdmx/data/{FLOW}/all"
    plain = client.get(url)
    zipped = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip" and gzip.decompress(zipped.data) == plain.data
    again = client.get(url, headers={"Accept-Encoding": "gzip"})   # the kept copy, compressed once
    assert again.headers["Content-Encoding"] == "gzip" and again.data == zipped.data
    assert client.get(url).data == plain.data   # and plain for a client that takes no gzip
    assert "Accept" in plain.headers["Vary"]
    assert client.get(url, headers={"If-None-Match": plain.headers["ETag"]}).status_code == 304
    other = client.get(url, headers={"Accept": "application/json"})
    assert other.headers["ETag"] != plain.headers["ETag"]
    assert client.get(url, headers={"Accept": "application/json", "If-None-Match": plain.headers["ETag"]}).status_code == 200


def test_a_catalogue_without_sdmx_publishes_none(client, paths, tmp_path, built):
    """No `sdmx:` block, no SDMX: every /sdmx/ address and format=sdmx-* are a 404 that says
    why, and the OpenAPI document lists no /sdmx/ path (nothing is invented: no agency)."""
    from etl.build import build
    text = paths.catalogue.read_text(encoding="utf-8")
    start = text.index("\nsdmx:\n")
    catalogue = tmp_path / "indicators.yaml"
    catalogue.write_text(text[:start + 1] + text[text.index("\ntopics:", start) + 1:], encoding="utf-8")
    result = build(paths.raw, catalogue, tmp_path / "out")
    assert result.ok, "\n".join(map(str, result.issues))
    _reset_connections(tmp_path / "out" / "indicators.duckdb")
    try:
        assert _meta().sdmx is None
        for url in ("/sdmx/dataflow", f"/sdmx/data/{FLOW}/all", "/api/v1/observations?format=sdmx-csv"):
            got = client.get(url)
            assert got.status_code == 404 and got.get_json()["error"]["code"] == "no_sdmx", url
        assert not [p for p in client.get("/api/v1/openapi.json").get_json()["paths"] if p.startswith("/sdmx/")]
    finally:
        _reset_connections(built)


@pytest.mark.parametrize("resource,ident,references,expected", [
    ("dataflow", FLOW, "none", {"Dataflows"}),
    ("dataflow", FLOW, "children", {"Dataflows", "DataStructures"}),
    ("dataflow", FLOW, "parents", {"Dataflows"}),
    ("dataflow", FLOW, "all", {"Dataflows", "DataStructures", "Codelists", "Concepts"}),
    ("datastructure", f"DSD_{FLOW}", "parents", {"DataStructures", "Dataflows"}),
    ("datastructure", f"DSD_{FLOW}", "children", {"DataStructures", "Codelists", "Concepts"}),
    ("codelist", "CL_SEX", "parents", {"Codelists", "DataStructures"}),
])
def test_references_add_the_structures_referred_to(client, resource, ident, references, expected):
    """references= follows the structures' references: a dataflow's child is its data
    structure, whose children are the codelists and concepts; parents go the other way.
    (The message's own containers: sdmx1 makes stubs of what is only referred to.)"""
    import xml.etree.ElementTree as ET
    got = client.get(f"/sdmx/{resource}/all/{ident}/latest", query_string={"references": references})
    assert got.status_code == 200, got.data[:300]
    sdmx.read_sdmx(io.BytesIO(got.data))
    root = ET.fromstring(got.data)
    structures = root.find("{http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message}Structures")
    assert {child.tag.rsplit("}", 1)[1] for child in structures} == expected


def test_a_key_naming_some_members_keeps_only_those(client, structures):
    """A key with one member of a breakdown (and with `_T+member`) holds exactly the CSV's rows
    of that breakdown for that member (and the totals beside them)."""
    m = _meta()
    flow = structures.dataflow[FLOW]
    tried = 0
    for ind, indicator in m.indicators.items():
        for d in indicator["breakdowns"]:
            member = next(iter(m.dimensions[d]["members"]))
            for with_total in (False, True):
                parts = [ind, ""] + ["_T"] * len(m.dimension_columns)
                parts[2 + m.dimension_columns.index(d)] = f"_T+{member}" if with_total else member
                view = {"breakdown": f"total,{d}" if with_total else d}
                rows = [r for r in _csv_rows(client, ind, view) if r[d] in (member, *([""] if with_total else []))]
                got = client.get(f"/sdmx/data/{FLOW}/{'.'.join(parts)}")
                if not rows:
                    assert got.status_code == 404
                    continue
                obs = _read_back(got.data, "sdmx-csv", flow)
                assert set(obs) == {_identity(m, r) for r in rows}
                tried += 1
    assert tried


def test_an_international_series_is_carried_with_its_source(client, paths, tmp_path, built):
    """A catalogue that maps om_ss_cases to SDG indicator 1.3.1, stating where (a made-up
    document: the shipped catalogue maps nothing, no source states a mapping): sdmx1 reads an
    SDG_INDICATOR annotation on its code in CL_INDICATOR with the code and the document, and no
    other code has one; /api/v1/indicators/om_ss_cases and /catalog.jsonld (adms:identifier,
    still conforming to DCAT-AP's shapes) say the same; the database holds it."""
    import rdflib
    import yaml
    from pyshacl import validate
    from etl.build import build
    from tests.opendata.test_catalog import _shapes
    source = {"title": "A test document on social protection", "url": "https://example.org/mapping.pdf"}
    data = yaml.safe_load(paths.catalogue.read_text(encoding="utf-8"))
    data["indicators"]["om_ss_cases"]["international"] = [{"scheme": "SDG", "code": "1.3.1", "source": source}]
    catalogue = tmp_path / "indicators.yaml"
    catalogue.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = build(paths.raw, catalogue, tmp_path / "out")
    assert result.ok, "\n".join(map(str, result.issues))
    import duckdb
    with duckdb.connect(str(tmp_path / "out" / "indicators.duckdb"), read_only=True) as con:
        assert con.execute("SELECT * FROM international_codes").fetchall() == [
            ("om_ss_cases", "SDG", "1.3.1", source["title"], source["url"])]
    _reset_connections(tmp_path / "out" / "indicators.duckdb")
    try:
        got = client.get("/sdmx/codelist/SPI_DEMO/CL_INDICATOR/latest")
        codes = sdmx.read_sdmx(io.BytesIO(got.data)).codelist["CL_INDICATOR"]
        [note] = codes["om_ss_cases"].annotations
        assert (note.type, note.title, note.url) == ("SDG_INDICATOR", "1.3.1", source["url"])
        assert set(note.text.localizations) == {"ar", "en"}
        assert all(source["title"] in text for text in note.text.localizations.values())
        assert [c.id for c in codes if c.annotations] == ["om_ss_cases"]
        # the data message names it too: an SDMX-JSON value's annotation, in the structure's list
        answer = client.get(f"/sdmx/data/{FLOW}/om_ss_cases+om_ss_paid......", query_string={"format": "sdmx-json",
                                                                                              "lang": "en"})
        doc = json.loads(answer.data)["data"]["structures"][0]
        values = next(d for d in doc["dimensions"]["series"] if d["id"] == "INDICATOR")["values"]
        noted = {v["id"]: [doc["annotations"][i] for i in v.get("annotations", [])] for v in values}
        assert noted["om_ss_paid"] == [] and [(a["type"], a["title"], a["links"][0]["href"]) for a in
                                               noted["om_ss_cases"]] == [("SDG_INDICATOR", "1.3.1", source["url"])]
        assert source["title"] in noted["om_ss_cases"][0]["text"] and set(noted["om_ss_cases"][0]["texts"]) == {"ar", "en"}

        detail = client.get("/api/v1/indicators/om_ss_cases").get_json()
        assert detail["international"] == [{"scheme": "SDG", "code": "1.3.1", "source": source}]
        assert client.get("/api/v1/indicators/om_ss_paid").get_json()["international"] == []

        graph = rdflib.Graph().parse(data=client.get("/catalog.jsonld").data, format="json-ld")
        adms = rdflib.Namespace("http://www.w3.org/ns/adms#")
        dct = rdflib.Namespace("http://purl.org/dc/terms/")
        found = [(str(graph.value(i, rdflib.SKOS.notation)), str(graph.value(i, adms.schemaAgency)),
                  str(graph.value(i, dct.source)), str(graph.value(graph.value(i, dct.source), dct.title)))
                 for ds, i in graph.subject_objects(adms.identifier)]
        assert found == [("1.3.1", "SDG", source["url"], source["title"])]
        assert [str(ds).rsplit("/", 1)[1] for ds in graph.subjects(adms.identifier, None)] == ["om_ss_cases"]
        conforms, _, text = validate(graph, shacl_graph=_shapes())
        assert conforms, text[:4000]
    finally:
        _reset_connections(built)


@pytest.mark.parametrize("label,freq", [("2024", "A"), ("2025-H1", "S"), ("2025-Q3", "Q"), ("2025-06", "M"),
                                        ("2025-01/2025-05", None)])
def test_each_period_kind_has_its_sdmx_frequency(label, freq):
    """FREQ from the period label (contract.periods): a running total of months has no regular
    frequency, so none (the shipped figures have no running total to show it)."""
    from api.sdmx.structure import frequency
    assert frequency(label) == freq
