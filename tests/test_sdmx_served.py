"""SDMX as the public receives it through gunicorn (`release_site`: 44 in the first release,
45 in the second, public; 46 in the third, embargoed): the live release's figure with its
revision, an earlier release by as_of (the figure before the revision), nothing of the
embargoed one, and updatedAfter against the release's publication. Each answer is read back
with sdmx1 against the structures served by the same server, and equals /data/<id>.csv."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import sdmx
from sdmx.reader.csv import Reader
from sdmx.reader.json import Reader as JsonReader

VALUE = "jo_psychosocial_team"
FLOW = "SOCIAL_PROTECTION"
KEY = f"{VALUE}.JO._T._T._T._T._T"   # the country's totals


def _observations(server, path: str) -> list:
    """The observations sdmx1 reads from an SDMX-CSV answer, with the served structures."""
    structures = server.get("/sdmx/dataflow/all/all/latest?references=all")
    assert structures.status == 200
    flow = sdmx.read_sdmx(io.BytesIO(structures.body)).dataflow[FLOW]
    got = server.get(path)
    assert got.status == 200, (path, got.status, got.body[:300])
    assert got.headers["Content-Type"].startswith("application/vnd.sdmx.data+csv")
    assert all(n.isascii() and v.isascii() for n, v in got.headers.items())
    return [o for ds in Reader().convert(io.BytesIO(got.body), structure=flow).data for o in ds.obs]


def _download(server, query: str) -> list[dict]:
    got = server.get(f"/data/{VALUE}.csv?geo=JO&bom=false&labels=codes{query}")
    assert got.status == 200
    return list(csv.DictReader(io.StringIO(got.text)))


def _attrs(o) -> dict:
    return {k: v.value for k, v in o.attached_attribute.items()}


def test_the_live_release_with_its_revision_and_an_earlier_one_by_as_of(release_site):
    server, history = release_site
    first, second, third = history.ids
    live = _observations(server, f"/sdmx/data/{FLOW}/{KEY}")
    rows = _download(server, "")
    assert [float(o.value) for o in live] == [float(r["value"]) for r in rows] == [45.0]
    assert _attrs(live[0])["REVISED_IN"] == second == rows[0]["revised_in"]
    assert float(_attrs(live[0])["PREVIOUS_VALUE"]) == 44.0
    before = _observations(server, f"/sdmx/data/{FLOW}/{KEY}?as_of={first}")
    assert [float(o.value) for o in before] == [float(r["value"]) for r in _download(server, f"&as_of={first}")] == [44.0]
    assert _attrs(before[0])["REVISED_IN"] == ""
    every = server.get(f"/sdmx/data/{FLOW}/all?format=sdmx-json")
    assert every.status == 200 and third.encode() not in every.body
    # A release id is its day: the embargoed release's id reads the release public that day.
    assert [float(o.value) for o in _observations(server, f"/sdmx/data/{FLOW}/{KEY}?as_of={third}")] == [45.0]
    refused = server.get(f"/sdmx/data/{FLOW}/{KEY}?as_of=someday")
    assert refused.status == 400 and json.loads(refused.body)["error"]["code"] == "invalid_as_of"


def test_updated_after_keeps_the_figures_a_later_release_changed(release_site):
    """The first release was public on 2025-01-01, the second (which revised
    jo_psychosocial_team 44 -> 45 and nothing else) on 2025-03-01 09:00 Muscat: asked for
    changes after February, the live release has that one figure; after March, none (404);
    after 2024, all of them; as of the first release, none after February."""
    server, history = release_site
    first = history.ids[0]
    every = _observations(server, f"/sdmx/data/{FLOW}/all")
    since_2024 = _observations(server, f"/sdmx/data/{FLOW}/all?updatedAfter=2024-12-31T00:00:00Z")
    assert len(since_2024) == len(every) > 1
    revised = _observations(server, f"/sdmx/data/{FLOW}/all?updatedAfter=2025-02-01")
    assert [(o.dimension.values["INDICATOR"].value, o.dimension.values["REF_AREA"].value, float(o.value))
            for o in revised] == [(VALUE, "JO", 45.0)]
    assert server.get(f"/sdmx/data/{FLOW}/all?updatedAfter=2025-03-01T05:00:01Z").status == 404
    just_before = _observations(server, f"/sdmx/data/{FLOW}/all?updatedAfter=2025-03-01T08:59:59%2B04:00")
    assert [float(o.value) for o in just_before] == [45.0]
    gone = server.get(f"/sdmx/data/{FLOW}/{KEY}?updatedAfter=2025-02-01&as_of={first}")
    assert gone.status == 404 and json.loads(gone.body)["errors"][0]["code"] == 100


def test_the_readme_example_runs_against_the_server(release_site, capsys):
    """The README's Python example, run as written against gunicorn (only BASE changed): it
    prints Oman's names and the series of /data/om_ss_cases.csv's totals for Oman."""
    server, _ = release_site
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## SDMX"):]
    code = section[section.index("```python\n") + len("```python\n"):]
    code = code[:code.index("```")]
    assert 'BASE = "http://127.0.0.1:8050"' in code
    scope: dict = {}
    exec(code.replace('BASE = "http://127.0.0.1:8050"', f'BASE = "{server.base}"'), scope)   # noqa: S102
    assert "{'ar': 'سلطنة عُمان', 'en': 'Oman'}" in capsys.readouterr().out
    rows = list(csv.DictReader(io.StringIO(server.get("/data/om_ss_cases.csv?geo=OM&bom=false&labels=codes").text)))
    series = scope["series"]
    assert [float(v) for v in series.values] == [float(r["value"]) for r in rows]
    assert [k[-1] for k in series.index] == [r["period"] for r in rows]


def test_sdmx1s_client_harvests_the_server(release_site):
    """sdmx1's own Client (as a harvester uses it: the dataflow with its structure, then data
    with the DSD, which asks for SDMX-ML structure-specific data) gets the live figures."""
    server, history = release_site
    sdmx.add_source({"id": "SPI_DEMO", "url": f"{server.base}/sdmx", "name": "social protection statistics"},
                    override=True)
    client = sdmx.Client("SPI_DEMO")
    flow = client.dataflow(FLOW).dataflow[FLOW]
    msg = client.data(FLOW, key={"INDICATOR": VALUE, "REF_AREA": "JO"}, dsd=flow.structure)
    series = sdmx.to_pandas(msg.data[0])
    rows = list(csv.DictReader(io.StringIO(server.get(f"/data/{VALUE}.csv?geo=JO&breakdown=all&bom=false"
                                                      "&labels=codes").text)))
    assert sorted(float(v) for v in series.values) == sorted(float(r["value"]) for r in rows)
    assert 45.0 in list(series.values)


def test_nginx_keeps_each_format_of_an_address_apart(release_history, tmp_path):
    """Through `spi serve --proxy`: an address answered from nginx's cache as SDMX-CSV is still
    SDMX-JSON for a client that asks for JSON by its Accept header (Vary: Accept), and back."""
    from tests.servers import spi_serve
    env = {**release_history.env, "SPI_STATE": str(tmp_path / "state.sqlite"), "SPI_AUDIT_LOG": str(tmp_path / "audit.log")}
    url = f"/sdmx/data/{FLOW}/{KEY}"
    with spi_serve(["--proxy", "--db", str(release_history.copy.served), "--workers", "2"], tmp_path / "serve.log",
                   env) as server:
        first, again = server.get(url), server.get(url)
        assert again.headers["X-Cache-Status"] == "HIT" and again.body == first.body
        as_json = server.get(url, headers={"Accept": "application/vnd.sdmx.data+json;version=2.0.0"})
        assert as_json.headers["Content-Type"].startswith("application/vnd.sdmx.data+json")
        assert json.loads(as_json.body)["data"]["dataSets"][0]["series"]
        assert server.get(url).headers["Content-Type"].startswith("application/vnd.sdmx.data+csv")


GONE = "jo_child_safe_spaces"   # in the first release, withdrawn by the second


@pytest.fixture(scope="module")
def withdrawn_site(shipped_copy, tmp_path_factory):
    """gunicorn serving two releases of the shipped sources: the first on 2025-01-01, the
    second on 2025-03-01 09:00 Muscat, which revises jo_psychosocial_team 44 -> 45 and
    withdraws GONE (its row taken out of the source file)."""
    from tests.servers import gunicorn
    copy = shipped_copy("withdrawn")
    first = copy.release("first", "2025-01-01T09:00")
    copy.revise(VALUE, "45")
    path = copy.raw / "jo_social_protection_2024.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(line for line in lines if not line.startswith(GONE + ",")), encoding="utf-8")
    second = copy.release("second", "2025-03-01T09:00")
    with gunicorn(copy.served, tmp_path_factory.mktemp("withdrawn-site") / "gunicorn.log",
                  {"SPI_NOW": "2026-01-01T00:00:00+00:00"}) as running:
        yield running, (first, second)


def test_updated_after_answers_a_withdrawn_figure_as_deleted(withdrawn_site):
    """Asked for what changed after February, the server answers the revised figure to replace
    (ACTION R, its value) and the withdrawn one to delete (ACTION D, its key and nothing else),
    in SDMX-CSV as sdmx1 reads it (a data set per action), SDMX-JSON and SDMX-ML; the key and
    the period select deletions as they select figures; a plain answer has neither."""
    server, _ = withdrawn_site
    url = f"/sdmx/data/{FLOW}/all?updatedAfter=2025-02-01"
    got = server.get(url)
    assert got.status == 200, got.body[:300]
    header, *lines = got.text.splitlines()
    columns = header.split(",")
    rows = [dict(zip(columns, line.split(","))) for line in lines]
    assert [(r["ACTION"], r["INDICATOR"], r["REF_AREA"], r["TIME_PERIOD"], r["OBS_VALUE"]) for r in rows] == [
        ("R", VALUE, "JO", "2024", "45"), ("D", GONE, "JO", "2024", "")]
    deleted = rows[1]
    after_time = columns[columns.index("TIME_PERIOD") + 1:]
    assert all(deleted[c] == "" for c in after_time) and all(rows[0][c] for c in ("FREQ", "UNIT_MEASURE", "SOURCE"))
    assert lines[1] == f"dataflow,SPI_DEMO:{FLOW}(1.0),D,{GONE},JO,_T,_T,_T,_T,_T,2024" + "," * len(after_time)

    structures = server.get("/sdmx/dataflow/all/all/latest?references=all")
    flow = sdmx.read_sdmx(io.BytesIO(structures.body)).dataflow[FLOW]
    msg = Reader().convert(io.BytesIO(got.body), structure=flow)
    by_action = {ds.action.name: [(o.dimension.values["INDICATOR"].value, o.value) for o in ds.obs] for ds in msg.data}
    assert by_action == {"replace": [(VALUE, "45")], "delete": [(GONE, "")]}, by_action

    as_json = json.loads(server.get(url + "&format=sdmx-json").body)["data"]
    sets = as_json["dataSets"]
    assert [s["action"] for s in sets] == ["Replace", "Delete"]
    indicators = as_json["structures"][0]["dimensions"]["series"][0]["values"]
    [(key, series)] = sets[1]["series"].items()
    assert indicators[int(key.split(":")[0])]["id"] == GONE
    assert all(v is None for cell in series["observations"].values() for v in cell)

    # SDMX-JSON 1.0 (asked for by its media type), read by sdmx1's own JSON reader: the same two data sets
    older = server.get(url, headers={"Accept": "application/vnd.sdmx.data+json;version=1.0.0"})
    assert older.headers["Content-Type"].startswith("application/vnd.sdmx.data+json; version=1.0.0")
    read = JsonReader().convert(io.BytesIO(older.body))
    assert {ds.action.name: [(o.series_key.values["INDICATOR"].value, o.value) for o in ds.obs] for ds in read.data} \
        == {"replace": [(VALUE, 45)], "delete": [(GONE, None)]}

    for fmt in ("sdmx-ml-ss", "sdmx-ml-generic"):
        xml = server.get(url + f"&format={fmt}").body
        assert xml.count(b'action="Replace"') == xml.count(b'action="Delete"') == 1, fmt
        assert xml.count(b"ObsValue" if fmt == "sdmx-ml-generic" else b"OBS_VALUE=") == 1, fmt   # none deleted
        read = sdmx.read_sdmx(io.BytesIO(xml), structure=flow.structure)
        assert sorted(o.dimension.values.get("TIME_PERIOD").value for ds in read.data for o in ds.obs) == ["2024"] * 2

    only_gone = server.get(f"/sdmx/data/{FLOW}/{GONE}.JO._T._T._T._T._T?updatedAfter=2025-02-01")
    assert only_gone.text.splitlines()[1:] == [lines[1]]
    for elsewhere in (f"/sdmx/data/{FLOW}/om_ss_cases......?updatedAfter=2025-02-01",
                      f"/sdmx/data/{FLOW}/all?updatedAfter=2025-02-01&startPeriod=2025",
                      f"/sdmx/data/{FLOW}/all?updatedAfter=2025-03-01T05:00:01Z"):
        assert server.get(elsewhere).status == 404, elsewhere
    plain = server.get(f"/sdmx/data/{FLOW}/all").text
    assert f",{GONE}," not in plain and ",D," not in plain and ",R," not in plain
