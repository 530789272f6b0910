"""The published record, as the real server gives it (gunicorn, the session's three releases,
the third under embargo): the chain at /data/releases.json that anyone can check with nothing
but a JSON parser and SHA-256, each release's own files byte for byte, and every download and
answer stamped with its release and the hash of that release's entry; the public's chain stops
at the latest public release, a reviewer's goes on."""
from __future__ import annotations

import hashlib
import io
import json
import zipfile

import openpyxl

from tests.conftest import REVIEWER, REVIEWER_PASSWORD


def _hash(entry: dict) -> str:
    """An entry's hash, by the rule the manifest states (contract/manifest.py), written here
    again from that rule alone: canonical JSON (sorted keys, no spaces, UTF-8)."""
    return hashlib.sha256(json.dumps(entry, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
                          .encode("utf-8")).hexdigest()


def test_the_public_chain_checks_with_sha256_alone_and_stops_at_the_latest_public_release(release_site):
    server, history = release_site
    first, second, third = history.ids
    answer = server.get("/data/releases.json")
    assert answer.status == 200 and answer.headers["Content-Type"] == "application/json"
    entries = json.loads(answer.body)["releases"]
    assert [e["release_id"] for e in entries] == [first, second]   # the embargoed one is not there
    assert "previous_sha256" not in entries[0] and entries[1]["previous_sha256"] == _hash(entries[0])
    for entry in entries:
        figures = server.get(f"/data/releases/{entry['release_id']}/observations.parquet")
        catalogue = server.get(f"/data/releases/{entry['release_id']}/indicators.yaml")
        assert figures.status == catalogue.status == 200
        assert hashlib.sha256(figures.body).hexdigest() == entry["figures_sha256"]
        assert hashlib.sha256(catalogue.body).hexdigest() == entry["catalogue_sha256"]
        assert figures.headers["Cache-Control"] == "public, max-age=86400"
    assert server.get(f"/data/releases/{third}/observations.parquet").status == 404
    public = json.loads(server.get("/api/v1/observations?indicator=jo_psychosocial_team").body)
    assert b"embargoed" not in answer.body
    assert 46 not in [row["value"] for row in public["data"]]   # the embargoed figure


def test_every_download_names_its_release_and_the_hash_of_its_entry(release_site):
    server, history = release_site
    second = history.ids[1]
    entry = json.loads(server.get("/data/releases.json").body)["releases"][1]
    stamp = _hash(entry)
    for path in ("/data/jo_psychosocial_team.csv", "/data/jo_psychosocial_team.xlsx", "/data/all.parquet",
                 "/api/v1/observations?indicator=jo_psychosocial_team", "/data/datapackage.json"):
        answer = server.get(path)
        assert answer.status == 200, path
        assert (answer.headers["X-Release"], answer.headers["X-Release-SHA256"]) == (second, stamp), path
    api = json.loads(server.get("/api/v1/observations?indicator=jo_psychosocial_team").body)
    assert (api["build"]["release"], api["build"]["release_sha256"]) == (second, stamp)
    assert json.loads(server.get("/data/datapackage.json").body)["release"] == \
        {"id": second, "entry_sha256": stamp, "chain": "/data/releases.json"}
    book = openpyxl.load_workbook(io.BytesIO(server.get("/data/jo_psychosocial_team.xlsx?lang=en").body))
    words = " ".join(str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value)
    assert f"Release: {second} (SHA-256 {stamp})" in words
    readme = zipfile.ZipFile(io.BytesIO(server.get("/data/jo_psychosocial_team.zip?lang=en").body)).read("README.md")
    assert f"Release: {second} (SHA-256 {stamp})".encode() in readme
    listed = json.loads(server.get("/api/v1/releases").body)["data"]
    assert [(r["release_id"], r["entry_sha256"]) for r in listed] == [(second, stamp), (history.ids[0], entry["previous_sha256"])]


def test_a_reviewers_chain_goes_on_to_the_embargoed_release(release_site):
    server, history = release_site
    client = server.client("127.0.0.21")
    assert client.sign_in(REVIEWER, REVIEWER_PASSWORD).status == 303
    entries = json.loads(client.get("/data/releases.json").body)["releases"]
    assert [e["release_id"] for e in entries] == list(history.ids)
    assert entries[2]["previous_sha256"] == _hash(entries[1])
    third = client.get(f"/data/releases/{history.ids[2]}/observations.parquet")
    assert third.status == 200 and third.headers["Cache-Control"] == "private, no-store"
    assert hashlib.sha256(third.body).hexdigest() == entries[2]["figures_sha256"]
    client.sign_out()
