"""The Frictionless Data Package: served at /data/datapackage.json, validated by frictionless."""
from __future__ import annotations

import io
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from frictionless import Package, validate

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def package_folder(client, tmp_path_factory) -> Path:
    """The package as a reader gets it over HTTP: the descriptor and every resource it names."""
    folder = tmp_path_factory.mktemp("datapackage")
    r = client.get("/data/datapackage.json", headers={"Accept-Encoding": "identity"})
    assert r.status_code == 200 and r.is_json
    (folder / "datapackage.json").write_bytes(r.data)
    for res in r.get_json()["resources"]:
        got = client.get(f"/data/{res['path']}", headers={"Accept-Encoding": "identity"})
        assert got.status_code == 200, res["path"]
        (folder / res["path"]).parent.mkdir(parents=True, exist_ok=True)
        (folder / res["path"]).write_bytes(got.data)
    return folder


@pytest.fixture(scope="module")
def client(app):
    return app.test_client()


def test_frictionless_validate_passes(package_folder):
    report = validate(str(package_folder / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert len(report.tasks) == len(json.loads((package_folder / "datapackage.json").read_text())["resources"])


def test_frictionless_command_line_passes(package_folder):
    exe = REPO / ".venv" / "bin" / "frictionless"
    done = subprocess.run([str(exe), "validate", "datapackage.json"], cwd=package_folder, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "VALID" in done.stdout and "INVALID" not in done.stdout


def test_validator_catches_a_broken_copy(package_folder, tmp_path):
    """The validation has teeth: a figure citing an unknown indicator breaks a foreign key."""
    broken = tmp_path / "broken"
    shutil.copytree(package_folder, broken)
    obs = broken / "package" / "observations.csv"
    lines = obs.read_text(encoding="utf-8").splitlines()
    lines[1] = "no_such_indicator" + lines[1][lines[1].index(","):]
    obs.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = validate(str(broken / "datapackage.json"))
    assert not report.valid
    assert "foreign-key" in {e.type for task in report.tasks for e in task.errors}


def test_descriptor_sources_licence_and_schema(package_folder, q):
    desc = json.loads((package_folder / "datapackage.json").read_text(encoding="utf-8"))
    assert desc["licenses"][0]["name"] == "CC-BY-4.0" and desc["licenses"][0]["path"].startswith("https://creativecommons.org")
    assert len(desc["sources"]) == int(q("SELECT count(*) AS n FROM sources")["n"].iloc[0])
    names = {r["name"] for r in desc["resources"]}
    assert {"observations", "indicators", "sources", "geographies", "units", "dimensions", "targets"} <= names
    for res in desc["resources"]:
        assert res["schema"]["fields"], res["name"]
    obs = next(r for r in desc["resources"] if r["name"] == "observations")
    fields = [f["name"] for f in obs["schema"]["fields"]]
    assert fields == list(q("SELECT * FROM observations LIMIT 0").columns)
    dims = list(dict.fromkeys(q("SELECT dimension FROM dimensions ORDER BY rowid")["dimension"]))
    for d in dims:  # breakdown columns come from the catalogue, each with its members as the allowed values
        field = next(f for f in obs["schema"]["fields"] if f["name"] == d)
        members = list(q("SELECT member FROM dimensions WHERE dimension = ? ORDER BY rowid", [d])["member"])
        assert field["constraints"]["enum"] == members


def test_package_rows_equal_the_database(package_folder, q):
    pkg = Package(str(package_folder / "datapackage.json"))
    rows = pkg.get_resource("observations").read_rows()
    assert len(rows) == int(q("SELECT count(*) AS n FROM observations")["n"].iloc[0])
    got = sorted((r["indicator_id"], r["geo_code"], r["period"], r["sex"] or "", r["beneficiary_category"] or "",
                  r["service_channel"] or "", r["association_type"] or "", r["case_outcome"] or "", float(r["value"]))
                 for r in rows)
    db = q("SELECT indicator_id, geo_code, period, coalesce(sex, '') s, coalesce(beneficiary_category, '') b, "
           "coalesce(service_channel, '') c, coalesce(association_type, '') a, coalesce(case_outcome, '') o, value "
           "FROM observations")
    assert got == sorted(tuple(x) for x in db.itertuples(index=False))


def test_package_zip_holds_the_same_files(client, package_folder):
    zf = zipfile.ZipFile(io.BytesIO(client.get("/data/datapackage.zip").data))
    assert "datapackage.json" in zf.namelist()
    for name in zf.namelist():
        assert zf.read(name) == (package_folder / name).read_bytes(), name
