"""A figure's status, from the source file to every place it is shown: provisional (a `*` on
the cell or on its period column), estimated (a `status` column), and "not available" (a
code in place of the figure), in the database, the chart, the page table, the downloads
and the API, in both languages."""
from __future__ import annotations

import csv
import io
import json

import duckdb
import openpyxl
import pytest


def test_statuses_are_stored_with_their_figures(marked):
    con = duckdb.connect(str(marked), read_only=True)
    got = dict(((i, p), (v, s)) for i, p, v, s in con.execute(
        "SELECT indicator_id, period, value, status FROM observations WHERE indicator_id IN "
        "('jo_child_safe_spaces', 'jo_psychosocial_team', 'jo_children_reunified', 'om_nursery_children') "
        "AND sex IS NULL").fetchall())
    assert got[("jo_child_safe_spaces", "2024")] == (12.0, "provisional")
    assert got[("jo_psychosocial_team", "2024")] == (44.0, "estimated")
    assert got[("jo_children_reunified", "2023")] == (None, "not_available")
    assert got[("jo_children_reunified", "2024")] == (100.0, None)
    assert got[("om_nursery_children", "2023")] == (9018.0, "provisional")
    assert got[("om_nursery_children", "2021")] == (6073.0, None)
    latest = con.execute("SELECT period FROM latest_observations WHERE indicator_id = 'jo_children_reunified'").fetchall()
    assert latest == [("2024",)]     # the newest figure, not the newest row with none


@pytest.fixture(scope="module")
def site(marked, reading):
    from spi.app import server
    with reading(marked):
        yield server.test_client()


def test_the_chart_and_the_table_say_it(site):
    from dashboard.cache import view_for
    from store.catalogue import meta
    from store.view import parse_view
    words, fig = view_for(parse_view({"indicator": "om_nursery_children"}, meta(), "en"))
    trace = fig["data"][0]
    assert trace["marker"]["symbol"] == ["circle", "circle", "circle-open"]       # 2021, (2022), 2023
    assert trace["customdata"][2] == "9,018 · provisional"
    assert ("Figures marked provisional: 2023 (marked *, with a hollow point or a lighter bar, on the chart and the map)"
            in words.notes)
    assert [r["status"] for r in words.table] == ["", "provisional"]
    words, fig = view_for(parse_view({"indicator": "jo_children_reunified"}, meta(), "ar"))
    assert "لا رقم («غير متوفر»): 2023" in words.notes
    assert fig["data"][0]["y"] == [None, 100.0]
    assert [r["value_text"] for r in words.table] == ["غير متوفر", "100"]
    page = site.get("/explorer?indicator=om_nursery_children&lang=en&tab=table").get_data(as_text=True)
    assert '9,018 <span class="status-tag">(provisional)</span>' in page


def test_every_download_and_the_api_carry_it(site):
    rows = list(csv.DictReader(io.StringIO(site.get("/data/jo_children_reunified.csv?lang=en").data.decode("utf-8-sig"))))
    assert [(r["period"], r["value"], r["status"], r["status_label"]) for r in rows] == \
        [("2023", "", "not_available", "not available"), ("2024", "100", "", "")]
    ar = list(csv.DictReader(io.StringIO(site.get("/data/jo_child_safe_spaces.csv?labels=names").data.decode("utf-8-sig"))))
    assert ar[0]["حالة الرقم"] == "أولي" and ar[0]["القيمة"] == "12"
    api = json.loads(site.get("/api/v1/observations?indicator=jo_psychosocial_team").data)
    assert [(d["value"], d["status"]) for d in api["data"]] == [(44, "estimated")]
    book = openpyxl.load_workbook(io.BytesIO(site.get("/data/jo_children_reunified.xlsx?lang=en").data))
    sheet = book.worksheets[0]
    codes = [c.value for c in sheet[8]]
    statuses = [sheet.cell(row=r, column=codes.index("status") + 1).value for r in (9, 10)]
    values = [sheet.cell(row=r, column=codes.index("value") + 1).value for r in (9, 10)]
    assert statuses == ["not_available", None] and values == [None, 100]
    whole = list(csv.DictReader(io.StringIO(site.get("/data/all.csv?labels=both&lang=en").data.decode("utf-8-sig"))))
    assert {r["status_label"] for r in whole} == {"", "provisional", "estimated", "not available"}
