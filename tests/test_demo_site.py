"""The demonstration project as the README's first command serves it: the repository's own
sources and releases (data/raw, data/releases), built with `spi build` into a temp folder and
served by gunicorn. What it shows is what its latest release published: every figure of that
release, in the open standards too (the release's catalogue has the `sdmx:` block)."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import duckdb
import pytest

from tests.conftest import CATALOGUE, RAW, REPO

RELEASES = REPO / "data" / "releases"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from tests.servers import gunicorn
    out = tmp_path_factory.mktemp("demo") / "out"
    done = subprocess.run([sys.executable, "-m", "spi.cli", "build", "--raw", str(RAW), "--catalogue", str(CATALOGUE),
                           "--out", str(out), "--releases", str(RELEASES)], capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stdout + done.stderr
    latest = json.loads((RELEASES / "releases.json").read_text(encoding="utf-8"))["releases"][-1]["release_id"]
    with gunicorn(out / "releases", out / "gunicorn.log", workers=1) as running:
        yield running, latest


def test_the_demonstration_site_serves_its_latest_release_in_sdmx_json_stat_and_dcat(demo):
    server, latest = demo
    figures = duckdb.sql(f"SELECT count(*) FROM '{RELEASES / latest / 'observations.parquet'}'").fetchall()[0][0]
    assert figures > 0
    flows = server.get("/sdmx/dataflow")
    assert flows.status == 200 and "SOCIAL_PROTECTION" in flows.text
    data = server.get("/sdmx/data/SOCIAL_PROTECTION/all")
    assert data.status == 200 and data.headers["X-Release"] == latest
    assert len(list(csv.DictReader(io.StringIO(data.text)))) == figures
    cube = server.get("/api/v1/observations?format=jsonstat")
    assert cube.status == 200 and len(json.loads(cube.body)["value"]) == figures
    catalogue = server.get("/catalog.jsonld")
    assert catalogue.status == 200 and "/sdmx/datastructure/" in catalogue.text
