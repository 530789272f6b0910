"""Fixtures for the open-data tests: a database built by `spi build --out TMP`, and a Flask
app with only the open-data routes on it (api.register), pointed at that database.

SPI_DB and SPI_OPENDATA_CACHE are set for the session and the read layer's connection and
catalogue are reset (store.database.use), so nothing here reads or writes data/processed/.
"""
from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import flask
import pytest

REPO = Path(__file__).resolve().parents[2]


def _reset_connections(path: Path | None = None) -> None:
    from store import catalogue, database
    database.use(path)
    catalogue._cache.clear()


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """The shipped data built into a temporary folder; SPI_DB points at it for the session."""
    out = tmp_path_factory.mktemp("opendata-db")
    spi = REPO / ".venv" / "bin" / "spi"
    cmd = [str(spi)] if spi.exists() else [sys.executable, "-m", "spi.cli"]
    done = subprocess.run([*cmd, "build", "--out", str(out)], capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stdout + done.stderr
    db_path = out / "indicators.duckdb"
    old = {k: os.environ.get(k) for k in ("SPI_DB", "SPI_OPENDATA_CACHE")}
    os.environ["SPI_DB"] = str(db_path)
    os.environ["SPI_OPENDATA_CACHE"] = str(out / "cache")
    _reset_connections(db_path)
    yield db_path
    for k, v in old.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
    _reset_connections()


@pytest.fixture(scope="session")
def app(built) -> flask.Flask:
    import api
    server = flask.Flask("opendata-test")
    api.register(server)
    return server


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def q(built):
    """Run SQL against the test database, as a DataFrame (through the read layer, as the app does)."""
    from store.database import db
    return lambda sql, params=None: db().frame(sql, params)


def parse_csv(data: bytes) -> tuple[list[str], list[dict]]:
    """Header and rows of a CSV download (BOM removed if there is one)."""
    text = data.decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    return list(reader.fieldnames or []), list(reader)


@pytest.fixture(scope="session")
def read_csv():
    return parse_csv


def operation_parameters(doc: dict, path: str) -> dict[str, dict]:
    """name -> schema of the parameters of GET `path` in an OpenAPI document ($refs resolved)."""
    out = {}
    for param in doc["paths"][path]["get"]["parameters"]:
        if "$ref" in param:
            param = doc["components"]["parameters"][param["$ref"].rsplit("/", 1)[-1]]
        out[param["name"]] = param["schema"]
    return out


@pytest.fixture(scope="session")
def parameters_of():
    """operation_parameters, for the tests that read the OpenAPI document."""
    return operation_parameters
