"""format=jsonstat on /api/v1/observations: every cell of the JSON-stat 2.0 cube is a row of
the CSV of the same request (value, status, labels), and the cube's structure holds."""
from __future__ import annotations

import csv
import io
import math

import pytest
from jsonstat_validator import validate_jsonstat

VIEWS = [{}, {"geo": "OM", "breakdown": "all"}, {"from": "2021", "to": "2025-H1"}]


def _indicators(client):
    return [i["id"] for i in client.get("/api/v1/indicators").get_json()["data"]]


def _cells(doc):
    """Each cell as {dimension: category} -> (value, status), from the sparse value object."""
    ids, size = doc["id"], doc["size"]
    cats = [list(doc["dimension"][d]["category"]["index"]) for d in ids]
    out = {}
    for key, value in doc["value"].items():
        n, coords = int(key), []
        for s in reversed(size):
            coords.append(n % s)
            n //= s
        coords.reverse()
        out[tuple(c[i] for c, i in zip(cats, coords))] = (value, doc["status"].get(key))
    return out


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_jsonstat_equals_csv(client, lang):
    for ind in _indicators(client):
        for view in VIEWS:
            q = {"indicator": ind, **view, "lang": lang}
            got = client.get("/api/v1/observations", query_string={**q, "format": "jsonstat"})
            if got.status_code == 400:   # a breakdown or period the indicator does not have
                continue
            assert got.status_code == 200, got.data[:300]
            doc = got.get_json()
            assert validate_jsonstat(doc) is True   # an independent JSON-stat 2.0 validator
            assert doc["version"] == "2.0" and doc["class"] == "dataset"
            assert len(doc["id"]) == len(doc["size"]) == len(doc["dimension"])
            assert all(int(k) < math.prod(doc["size"]) for k in doc["value"])
            table = client.get("/api/v1/observations", query_string={**q, "format": "csv", "limit": 100000})
            rows = list(csv.DictReader(io.StringIO(table.data.decode("utf-8"))))
            cells = _cells(doc)
            assert len(cells) == len(rows)
            dims = doc["id"][3:]
            for r in rows:
                key = (r["indicator_id"], r["geo_code"], r["period"], *(r[d] or "_T" for d in dims))
                value, status = cells[key]
                assert (None if value is None else float(value)) == (float(r["value"]) if r["value"] else None)
                assert (status or "") == r["status"]
            names = client.get("/api/v1/observations", query_string={**q, "labels": "both", "limit": 100000}).get_json()
            for r in names["data"]:
                assert doc["dimension"]["geo"]["category"]["label"][r["geo_code"]] == r["geo_name"]
                assert doc["dimension"]["indicator"]["category"]["label"][r["indicator_id"]] == r["indicator_name"]


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_a_jsonstat_client_reads_the_figures_of_the_csv(client, lang):
    """pyjstat (a JSON-stat client, the README's worked example) reads a view into a table whose
    figures and labels are those of the view's CSV."""
    import json
    from pyjstat import pyjstat
    q = {"indicator": "om_nursery_children", "breakdown": "all", "lang": lang}
    text = client.get("/api/v1/observations", query_string={**q, "format": "jsonstat"}).get_data(as_text=True)
    frame = pyjstat.Dataset.read(text).write("dataframe")
    labels = {d: v["category"]["label"] for d, v in json.loads(text)["dimension"].items()}
    got = sorted(tuple(r.values()) for r in frame.to_dict("records") if r["value"] == r["value"])   # NaN: no figure
    rows = client.get("/api/v1/observations", query_string={**q, "labels": "both"}).get_json()["data"]
    want = sorted((r["indicator_name"], r["geo_name"], labels["period"][r["period"]],
                   r["sex_label"] or labels["sex"]["_T"], float(r["value"])) for r in rows)
    assert got == want and len(want) == 4


def test_unsupported_format_is_400(client):
    got = client.get("/api/v1/observations?format=xml")
    assert got.status_code == 400 and "jsonstat" in got.get_json()["error"]["allowed"]


def test_jsonstat_as_of_each_release_and_never_the_embargoed_one(release_site):
    """Through gunicorn, under a clock between the second release and the embargoed third:
    jo_psychosocial_team's cube is 44 as of the first release, 45 (revised from 44, the
    revision in its extension) as of the second and live; the embargoed 46 is in no answer,
    not even as of the embargoed release's own name."""
    import json
    server, history = release_site
    first, second, embargoed = history.ids

    def cube(query: str) -> dict:
        answer = server.get(f"/api/v1/observations?indicator=jo_psychosocial_team&geo=JO&format=jsonstat{query}")
        assert answer.status == 200, (query, answer.body[:300])
        doc = json.loads(answer.body)
        assert validate_jsonstat(doc) is True
        return doc

    for query, value in (("", 45), (f"&as_of={second}", 45), (f"&as_of={first}", 44)):
        doc = cube(query)
        assert [float(v) for v in doc["value"].values()] == [value], query
        revisions = list(doc["extension"]["revision"].values())
        assert revisions == ([{"revised_in": second, "revised_on": revisions[0]["revised_on"], "previous_value": 44}]
                             if value == 45 else []), (query, revisions)
        assert b"46" not in json.dumps(doc["value"]).encode() and embargoed not in json.dumps(doc)
    # the embargoed release's own day is not yet public: what the public read then is the second
    assert [float(v) for v in cube(f"&as_of={embargoed}")["value"].values()] == [45]
