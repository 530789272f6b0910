"""The published database keeps its contract: dates, sums, references, exports."""
from __future__ import annotations

import datetime as dt

import duckdb
import pytest
import yaml

BREAKDOWNS = ["sex", "beneficiary_category", "service_channel", "association_type", "case_outcome"]


def test_observations_have_the_published_columns_and_types(db):
    types = dict(db.execute("SELECT column_name, data_type FROM information_schema.columns "
                            "WHERE table_name = 'observations'").fetchall())
    expected = {"indicator_id": "VARCHAR", "geo_code": "VARCHAR", "period": "VARCHAR", "period_start": "DATE",
                "period_end": "DATE", "value": "DOUBLE", "qualifier": "VARCHAR", "status": "VARCHAR", "unit": "VARCHAR",
                "source_id": "VARCHAR", "revised_in": "VARCHAR", "revised_on": "DATE", "previous_value": "DOUBLE",
                "revision_kind": "VARCHAR", "revision_reason_ar": "VARCHAR", "revision_reason_en": "VARCHAR",
                "value_as_written": "VARCHAR", "source_file": "VARCHAR",
                "source_sheet": "VARCHAR", "source_row": "INTEGER", "source_column": "VARCHAR",
                **{d: "VARCHAR" for d in BREAKDOWNS}}
    assert types == expected
    tables = {t for (t,) in db.execute("SHOW TABLES").fetchall()}
    assert {"observations", "indicators", "geographies", "sources", "targets", "build_info", "releases", "changes",
            "vintages", "calendar"} <= tables


def test_every_reference_resolves(db):
    """No observation points at an indicator, place, source, unit or member the catalogue lacks."""
    orphans = db.execute("""
        SELECT o.indicator_id, o.geo_code, o.source_id FROM observations o
        LEFT JOIN indicators i USING (indicator_id) LEFT JOIN geographies g USING (geo_code)
        LEFT JOIN sources s USING (source_id)
        WHERE i.indicator_id IS NULL OR g.geo_code IS NULL OR s.source_id IS NULL
           OR o.unit <> i.unit OR g.country <> i.country OR s.country <> i.country""").fetchall()
    assert orphans == []
    for dim in BREAKDOWNS:
        unknown = db.execute(f"""SELECT DISTINCT o.{dim} FROM observations o WHERE o.{dim} IS NOT NULL AND o.{dim} NOT IN
                                 (SELECT member FROM dimensions WHERE dimension = ?)""", [dim]).fetchall()
        assert unknown == [], dim
        undeclared = db.execute(f"""SELECT DISTINCT o.indicator_id FROM observations o JOIN indicators i USING (indicator_id)
                                    WHERE o.{dim} IS NOT NULL AND NOT list_contains(i.breakdowns, ?)""", [dim]).fetchall()
        assert undeclared == [], dim


def test_no_figure_is_stored_twice(db):
    dup = db.execute(f"""SELECT indicator_id, geo_code, period_start, period_end, {', '.join(BREAKDOWNS)}, count(*)
                         FROM observations GROUP BY ALL HAVING count(*) > 1""").fetchall()
    assert dup == []


def test_counts_are_whole_and_nothing_is_negative(db):
    bad = db.execute("""SELECT o.indicator_id, o.value FROM observations o JOIN units u USING (unit)
                        WHERE o.value < 0 OR (u.kind = 'count' AND o.value <> round(o.value))""").fetchall()
    assert bad == []


def test_breakdowns_sum_to_their_totals(db):
    """Where the catalogue says a breakdown sums to the total, it does, in every group
    published complete; and the test really compares something for each such indicator."""
    rules = db.execute("SELECT indicator_id, unnest(sum_to_total) FROM indicators").fetchall()
    assert len(rules) >= 5
    compared = {}
    for indicator, dim in rules:
        others = [d for d in BREAKDOWNS if d != dim]
        plain = " AND ".join(f"{alias}.{d} IS NULL" for alias in ("t", "p") for d in others)
        n_members = db.execute("SELECT count(*) FROM dimensions WHERE dimension = ?", [dim]).fetchone()[0]
        rows = db.execute(f"""
            SELECT t.geo_code, t.period, t.value AS total, sum(p.value) AS parts, count(p.value) AS n
            FROM observations t JOIN observations p
              ON p.indicator_id = t.indicator_id AND p.geo_code = t.geo_code
             AND p.period_start = t.period_start AND p.period_end = t.period_end AND p.{dim} IS NOT NULL
            WHERE t.indicator_id = ? AND t.{dim} IS NULL AND {plain}
            GROUP BY ALL""", [indicator]).fetchall()
        for geo, period, total, parts, n in rows:
            if n == n_members:
                assert parts == total, f"{indicator} {geo} {period}: {dim} parts {parts:,.0f} vs total {total:,.0f}"
                compared[indicator] = compared.get(indicator, 0) + 1
            else:
                assert parts <= total, f"{indicator} {geo} {period}: partial {dim} parts exceed the total"
    assert {"om_ccc_children", "om_nursery_children", "om_begging_cases", "om_spf_beneficiaries",
            "om_spf_services"} <= set(compared), compared


@pytest.mark.parametrize("indicator, geo, period, breakdown, start, end", [
    ("om_ss_cases", "OM", "2021", None, "2021-12-31", "2021-12-31"),          # stock: at the end of 2021
    ("om_ss_cases", "OM", "2023", None, "2023-12-31", "2023-12-31"),
    ("om_ss_paid", "OM", "2023", None, "2023-01-01", "2023-12-31"),           # flow: during 2023
    ("om_ss_paid", "OM", "2021", None, "2021-01-01", "2021-12-31"),
    ("om_spf_services", "OM-BJ", "2025-H1", None, "2025-01-01", "2025-06-30"),  # "to end of June 2025", a flow
    ("om_spf_services", "OM-BJ", "2025-H1", ("service_channel", "remote_field"), "2025-01-01", "2025-06-30"),
    ("om_spf_beneficiaries", "OM-BJ", "2025-06", None, "2025-06-30", "2025-06-30"),  # the same words, a stock
    ("om_eservices_subservices", "OM", "2022-03", None, "2022-03-31", "2022-03-31"),
    ("jo_residential_care_children", "JO", "2024", None, "2024-01-01", "2024-12-31"),
    ("jo_psychosocial_team", "JO", "2024", None, "2024-12-31", "2024-12-31"),
])
def test_stocks_and_flows_carry_the_right_dates(db, indicator, geo, period, breakdown, start, end):
    condition = f"{breakdown[0]} = '{breakdown[1]}'" if breakdown else " AND ".join(f"{d} IS NULL" for d in BREAKDOWNS)
    rows = db.execute(f"SELECT period_start, period_end FROM observations WHERE indicator_id = ? AND geo_code = ? "
                      f"AND period = ? AND {condition}", [indicator, geo, period]).fetchall()
    assert rows == [(dt.date.fromisoformat(start), dt.date.fromisoformat(end))]


def test_every_stock_is_dated_to_one_day_and_every_flow_spans_its_period(db):
    rows = db.execute("""SELECT o.indicator_id, o.period, o.period_start, o.period_end, i.measure
                         FROM observations o JOIN indicators i USING (indicator_id)""").fetchall()
    for indicator, period, start, end, measure in rows:
        if measure == "stock":
            assert start == end, (indicator, period)
        else:
            assert start < end, (indicator, period)
        if len(period) == 4:  # a year
            assert end == dt.date(int(period), 12, 31), (indicator, period)
            if measure == "flow":
                assert start == dt.date(int(period), 1, 1), (indicator, period)


def test_latest_observations_hold_the_newest_figure_of_each_series(db):
    """The overview's shortcut table: one row per series, the newest published figure."""
    dims = [d for (d,) in db.execute("SELECT DISTINCT dimension FROM dimensions").fetchall()]
    series = ", ".join(["indicator_id", "geo_code"] + dims)
    assert db.execute("SELECT count(*) FROM latest_observations").fetchone()[0] == \
        db.execute(f"SELECT count(*) FROM (SELECT DISTINCT {series} FROM observations)").fetchone()[0]
    stale = db.execute(f"""SELECT count(*) FROM latest_observations l JOIN observations o
        USING (indicator_id, geo_code) WHERE {" AND ".join(f"o.{d} IS NOT DISTINCT FROM l.{d}" for d in dims)}
        AND o.period_end > l.period_end""").fetchone()[0]
    assert stale == 0
    rows = dict(db.execute("""SELECT indicator_id, value FROM latest_observations
        WHERE geo_code = 'OM' AND sex IS NULL AND indicator_id IN ('om_nursery_children', 'om_ss_cases', 'om_ss_individuals')""").fetchall())
    assert rows == {"om_nursery_children": 9018, "om_ss_cases": 79597, "om_ss_individuals": 129475}


def test_targets_are_dated_like_their_indicator(db):
    rows = db.execute("""SELECT t.indicator_id, t.period, t.period_start, t.period_end, i.measure
                         FROM targets t JOIN indicators i USING (indicator_id)""").fetchall()
    assert rows, "the catalogue has targets; the table should hold them"
    for indicator, period, start, end, measure in rows:
        assert (start == end) == (measure == "stock"), (indicator, period)


def test_every_country_and_governorate_is_in_geographies(db, paths):
    """Oman's 11 governorates, Jordan's 12 and Lebanon's, with both names filled in."""
    counts = dict(db.execute("SELECT country, count(*) FROM geographies WHERE level = 'governorate' GROUP BY ALL").fetchall())
    assert counts["OM"] == 11 and counts["JO"] == 12 and counts["LB"] >= 8
    blank = db.execute("SELECT geo_code FROM geographies WHERE coalesce(name_ar, '') = '' OR coalesce(name_en, '') = ''").fetchall()
    assert blank == []


@pytest.mark.parametrize("export", ["observations.csv", "observations.parquet"])
def test_exports_equal_the_observations_table(built, export):
    con = duckdb.connect(str(built / "indicators.duckdb"), read_only=True)
    try:
        path = str(built / export)
        reader = f"read_csv('{path}', header=true, types={{'period': 'VARCHAR'}})" if export.endswith(".csv") else f"read_parquet('{path}')"
        con.execute(f"CREATE TEMP VIEW export AS SELECT * FROM {reader}")
        columns = [r[0] for r in con.execute("DESCRIBE observations").fetchall()]
        assert [r[0] for r in con.execute("DESCRIBE export").fetchall()] == columns
        cast = ", ".join(f'CAST("{c}" AS VARCHAR)' for c in columns)  # compare as text: CSV keeps no types
        n = con.execute("SELECT count(*) FROM observations").fetchone()[0]
        assert con.execute("SELECT count(*) FROM export").fetchone()[0] == n
        for a, b in (("observations", "export"), ("export", "observations")):
            diff = con.execute(f"SELECT {cast} FROM {a} EXCEPT ALL SELECT {cast} FROM {b}").fetchall()
            assert diff == [], f"rows in {a} but not in {b}: {diff[:3]}"
    finally:
        con.close()


def test_build_info_identifies_the_inputs(db, paths):
    build_id, files, count = db.execute("SELECT build_id, files, observation_count FROM build_info").fetchone()
    assert len(build_id) == 16
    assert set(yaml.safe_load(files)) == {p.name for p in paths.raw.iterdir() if p.suffix in (".csv", ".xlsx")}
    assert count == db.execute("SELECT count(*) FROM observations").fetchone()[0]
