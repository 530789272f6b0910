"""The read layer: the contract checked when a database is opened, the one period rule, and
the selection of rows a view reads."""
from __future__ import annotations

import shutil
import subprocess
from datetime import date

import duckdb
import pytest

from contract import periods
from contract.schema import SCHEMA_VERSION


@pytest.fixture
def copy_of(built, tmp_path):
    """A writable copy of the session's database, to break."""
    def make(sql: str | None = None):
        path = tmp_path / "indicators.duckdb"
        shutil.copy(built / "indicators.duckdb", path)
        if sql:
            con = duckdb.connect(str(path))
            con.execute(sql)
            con.close()
        return path
    return make


@pytest.mark.parametrize("sql, says", [
    (f"UPDATE build_info SET schema_version = {SCHEMA_VERSION - 1}",
     f"schema version {SCHEMA_VERSION - 1}, and this software reads version {SCHEMA_VERSION}"),
    ("DROP TABLE site", "it has no table 'site'"),
    ("ALTER TABLE indicators DROP COLUMN per_case", "its table 'indicators' has no column 'per_case'"),
    ("ALTER TABLE build_info DROP COLUMN schema_version", "schema version unknown"),
    ("DROP INDEX observations_indicator; ALTER TABLE observations DROP COLUMN sex", "no column for the breakdown(s) 'sex'"),
])
def test_a_database_from_an_incompatible_build_is_refused_with_a_message(copy_of, sql, says):
    from store.database import Database, SchemaError
    with pytest.raises(SchemaError) as exc:
        Database(copy_of(sql)).build_id
    assert says in str(exc.value) and "run `spi build`" in str(exc.value)


def test_a_file_that_is_not_a_database_is_refused(tmp_path):
    from store.database import Database, DatabaseMissing, SchemaError
    bad = tmp_path / "indicators.duckdb"
    bad.write_bytes(b"not a database" * 100)
    with pytest.raises(SchemaError, match="run `spi build`"):
        Database(bad).build_id
    with pytest.raises(DatabaseMissing, match="run `spi build` first"):
        Database(tmp_path / "nothing.duckdb").build_id


def test_the_site_answers_503_for_an_incompatible_database(copy_of, reading):
    from spi.app import server
    with reading(copy_of("DROP TABLE site")):
        c = server.test_client()
        page = c.get("/?lang=en")
        assert page.status_code == 503 and "built by another version" in page.get_data(as_text=True)
        api = c.get("/api/v1/indicators")
        assert api.status_code == 503 and api.get_json()["error"]["code"] == "no_database"
        health = c.get("/healthz")
        assert health.status_code == 503 and "has no table 'site'" in health.get_json()["error"]


def test_spi_serve_refuses_an_incompatible_database(copy_of, paths):
    done = subprocess.run([str(paths.spi), "serve", "--db", str(copy_of("DROP TABLE site")), "--port", "1"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and "has no table 'site'" in done.stderr and "Traceback" not in done.stderr
    done = subprocess.run([str(paths.spi), "serve", "--db", str(copy_of()), "--public-url", "example.org"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and "not an address" in done.stderr and "Traceback" not in done.stderr


# ---------------------------------------------------------------- periods: one grammar, one rule

def test_period_labels_and_their_days():
    assert periods.parse("2025-H1") == periods.Period("2025-H1", date(2025, 1, 1), date(2025, 6, 30))
    assert periods.parse("2025-01/2025-05").end == date(2025, 5, 31)
    for bad in ("2025-H3", "2025-00", "20251", "2025-01/2025-01", "2025-02/2025-05", "1899", "x", None):
        assert periods.parse(bad) is None, bad
    assert periods.parse_filter("2025-01/2025-05") is None and periods.parse_filter("2025-Q3").start == date(2025, 7, 1)
    assert periods.run(("2021", "2023")) == (("2021", "2022", "2023"), ("2022",))
    assert periods.run(("2025-H2", "2026-H2"))[1] == ("2026-H1",)
    assert periods.run(("2021", "2025-H1")) == (("2021", "2025-H1"), ())   # mixed: no run is invented


@pytest.mark.parametrize("end, first, last, kept", [
    (date(2021, 12, 31), "2021", "2021", True),        # a stock counted at the end of 2021
    (date(2025, 6, 30), "2025-Q2", None, True),       # the first half of 2025 ends inside Q2
    (date(2025, 6, 30), None, "2025", True),
    (date(2025, 6, 30), "2025-07", None, False),
    (date(2025, 6, 30), None, "2025-Q1", False),
])
def test_the_one_rule_of_from_and_to(end, first, last, kept):
    f, t = (periods.parse_filter(x) if x else None for x in (first, last))
    assert periods.ends_within(end, f, t) is kept


def test_a_view_reads_exactly_its_rows(served):
    from store.catalogue import meta
    from store.view import ParamError, Rows, parse_rows, parse_view
    m = meta()
    time = parse_view({"indicator": "om_associations"}, m, "en")
    assert time.rows(m) == Rows(("om_associations",), ("OM",), None, None, ("association_type",), False)
    per_case = parse_view({"indicator": "om_ss_cases", "view": "per_case", "from": "2023"}, m, "en")
    assert per_case.rows(m).indicators == ("om_ss_paid", "om_ss_cases")
    assert per_case.download_args(m) == {"geo": "OM", "from": "2023", "breakdown": "total", "with": "om_ss_paid"}
    # the downloads parse the page's own arguments back into the same rows
    for params in ({"indicator": "om_nursery_children", "breakdown": "sex", "to": "2023"},
                   {"indicator": "om_spf_services", "from": "2025-Q2"}):
        view = parse_view(params, m, "en")
        assert parse_rows(view.download_args(m), m, [view.indicator]) == view.rows(m)
    with pytest.raises(ParamError) as exc:
        parse_rows({"breakdown": "case_outcome"}, m, ["om_nursery_children"])
    assert exc.value.code == "breakdown_not_available" and exc.value.allowed == ["total", "all", "sex"]
